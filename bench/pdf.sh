#!/usr/bin/env bash
# The PDF side of the yearly run (issue #28): `report --pdf` and `report
# --by-team --pdf` on sample_data/, alternating, RUNS times each (default
# 5); prints the median wall time and peak RSS (from /usr/bin/time) of
# each, the CPU-seconds of both cores (/proc/stat) over each by-team
# run, and the machine's load before the first run. Needs Chromium.
#   bash bench/pdf.sh [BILAN]     (default: cargo's release build)
#   BASELINE=OLD_BILAN bash bench/pdf.sh   also times an older binary,
#                                          alternating in the same rounds
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

# Busy time of both cores so far, in hundredths of a second.
busy() { awk '/^cpu /{ print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }

BINARIES=("$BILAN")
[ -n "${BASELINE:-}" ] && BINARIES=("$BASELINE" "$BILAN")
echo "== $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$RUNS"); do
  for n in "${!BINARIES[@]}"; do
    bin=${BINARIES[$n]}
    rm -rf "$WORK/national" "$WORK/byteam"
    /usr/bin/time -f "%e %M" -o "$WORK/one" "$bin" report --input sample_data --pdf --out "$WORK/national" > /dev/null 2>&1
    cat "$WORK/one" >> "$WORK/$n.national.times"
    before=$(busy)
    /usr/bin/time -f "%e %M" -o "$WORK/one" "$bin" report --input sample_data --by-team --pdf --out "$WORK/byteam" > /dev/null 2>&1
    echo "$(cat "$WORK/one") $(( $(busy) - before ))" >> "$WORK/$n.byteam.times"
  done
done
for n in "${!BINARIES[@]}"; do
  echo "== ${BINARIES[$n]} ($("${BINARIES[$n]}" --version))"
  for run in national byteam; do
    times="$WORK/$n.$run.times"
    echo "   report$([ $run = byteam ] && echo ' --by-team') --pdf on sample_data: $(cut -d' ' -f1 "$times" | median) s" \
      "(runs: $(cut -d' ' -f1 "$times" | tr '\n' ' ')), peak $(( $(cut -d' ' -f2 "$times" | median | cut -d. -f1) / 1024 )) MB" \
      "(target: $([ $run = byteam ] && echo 10 || echo 2) s)"
  done
  echo "   CPU-seconds of both cores over each --by-team run: $(cut -d' ' -f3 "$WORK/$n.byteam.times" | awk '{ printf "%.1f ", $1 / 100 }')"
done
