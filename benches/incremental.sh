#!/usr/bin/env bash
# benches/incremental.sh — incremental-rebuild latency of `rolebook build --watch`.
#
# Usage (from the repository root):
#   benches/incremental.sh [--sizes "1000 10000"] [--edits 20] [--others 3] [--seed 42]
#
# For each size N it generates the benchmark corpus (examples/gen_corpus.rs) in $BENCH_DIR
# (default /dev/shm/rolebook-bench, tmpfs), starts `rolebook build --watch` on it with the output
# on tmpfs, and (benches/incremental.py) edits one article's body EDITS times, then its title,
# its tags, a site template (templates/page.html, a copy of the default theme's) and a static
# file OTHERS times each. For every edit it measures the time from the write to the new content
# appearing in the output file, and reads the re-render counts from the watch log line. Prints
# p50/p95 per kind of edit and writes benches/incremental.json.
#
# Environment: CARGO_TARGET_DIR (default: target), BENCH_DIR (default /dev/shm/rolebook-bench).
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
SIZES="1000 10000"
EDITS=20
OTHERS=3
SEED=42
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) SIZES="$2"; shift ;;
        --edits) EDITS="$2"; shift ;;
        --others) OTHERS="$2"; shift ;;
        --seed) SEED="$2"; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "incremental.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
BENCH_DIR=${BENCH_DIR:-/dev/shm/rolebook-bench}
TARGET=${CARGO_TARGET_DIR:-$REPO/target}

echo "== building release binary and corpus generator (target: $TARGET)"
CARGO_TARGET_DIR=$TARGET cargo build --release --quiet --bin rolebook --example gen_corpus
ROLEBOOK=$TARGET/release/rolebook
GEN=$TARGET/release/examples/gen_corpus
mkdir -p "$BENCH_DIR"

PARTS=()
for N in $SIZES; do
    echo "== $N guides"
    SITE=$BENCH_DIR/inc-$N
    OUT=$BENCH_DIR/inc-out-$N
    rm -rf "$SITE" "$OUT"
    "$GEN" "$N" "$SITE" --seed "$SEED"
    python3 "$REPO/benches/incremental.py" "$ROLEBOOK" "$SITE" "$OUT" \
        --edits "$EDITS" --others "$OTHERS" --theme "$REPO/themes/default" \
        --json "$BENCH_DIR/incremental-$N.json"
    PARTS+=("$N=$BENCH_DIR/incremental-$N.json")
    rm -rf "$SITE" "$OUT"
done

python3 - "$REPO/benches/incremental.json" "${PARTS[@]}" <<'PY'
import json, sys
out = {}
for part in sys.argv[2:]:
    n, path = part.split("=", 1)
    out[n] = json.load(open(path))
json.dump(out, open(sys.argv[1], "w"), indent=2)
print("wrote", sys.argv[1])
PY
