#!/usr/bin/env bash
# benches/instructions.sh — instructions of one build, counted by valgrind's callgrind: a figure
# that does not drift with the machine's load, for comparing two binaries or two commits.
#
# Usage (from the repository root):
#   benches/instructions.sh SITE BINARY...
#   e.g. benches/instructions.sh /dev/shm/rolebook-bench/rb-1000 target/release/rolebook /tmp/old
#
# Each binary builds SITE once on one thread (RAYON_NUM_THREADS=1): with two threads, how the
# pages fall to the threads changes the count by up to 4% from run to run; on one, repeated runs
# agree within 0.2%. Prints the total per binary and keeps each profile as
# $OUT_DIR/callgrind.<name>.out (default OUT_DIR=/dev/shm) for `callgrind_annotate`.
#
# Needs: valgrind (`apt-get install valgrind`). A 1,000-guide build takes about a minute.
set -euo pipefail

if [ $# -lt 2 ]; then
    sed -n '2,13p' "$0"
    exit 2
fi
SITE=$1
shift
OUT_DIR=${OUT_DIR:-/dev/shm}
BUILD_OUT=$(mktemp -d "$OUT_DIR/rolebook-instructions.XXXXXX")
trap 'rm -rf "$BUILD_OUT"' EXIT

for bin in "$@"; do
    name=$(basename "$bin")
    profile="$OUT_DIR/callgrind.$name.out"
    RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$profile" \
        "$bin" build --quiet --root "$SITE" --output "$BUILD_OUT/site" >/dev/null 2>"$BUILD_OUT/valgrind.log" \
        || { cat "$BUILD_OUT/valgrind.log" >&2; exit 1; }
    total=$(grep -E '^(summary|totals):' "$profile" | head -1 | awk '{print $2}')
    printf '%-24s %15s instructions\n' "$name" "$total"
    rm -rf "$BUILD_OUT/site"
done
