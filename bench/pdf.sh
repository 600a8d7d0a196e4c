#!/usr/bin/env bash
# The PDF side of the yearly run (issue #28): `report --pdf` and `report
# --by-team --pdf` on sample_data/, alternating, RUNS times each (default
# 5); prints the median wall time and peak RSS (from /usr/bin/time) of
# each, and the machine's load before the first run. Needs Chromium.
#   bash bench/pdf.sh [BILAN]     (default: cargo's release build)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
if [ $# -ge 1 ]; then
  BILAN="$1"
else
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bilan-target-release}"
  cargo build --release --locked --quiet
  BILAN="$CARGO_TARGET_DIR/release/bilan"
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $("$BILAN" --version)"
: > "$WORK/national.times"
: > "$WORK/byteam.times"
for round in $(seq "$RUNS"); do
  rm -rf "$WORK/national" "$WORK/byteam"
  /usr/bin/time -f "%e %M" -o "$WORK/one" "$BILAN" report --input sample_data --pdf --out "$WORK/national" > /dev/null 2>&1
  cat "$WORK/one" >> "$WORK/national.times"
  /usr/bin/time -f "%e %M" -o "$WORK/one" "$BILAN" report --input sample_data --by-team --pdf --out "$WORK/byteam" > /dev/null 2>&1
  cat "$WORK/one" >> "$WORK/byteam.times"
done
for run in national byteam; do
  echo "   report$([ $run = byteam ] && echo ' --by-team') --pdf on sample_data: $(cut -d' ' -f1 "$WORK/$run.times" | median) s" \
    "(runs: $(cut -d' ' -f1 "$WORK/$run.times" | tr '\n' ' ')), peak $(( $(cut -d' ' -f2 "$WORK/$run.times" | median | cut -d. -f1) / 1024 )) MB" \
    "(target: $([ $run = byteam ] && echo 10 || echo 2) s)"
done
