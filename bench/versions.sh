#!/usr/bin/env bash
# Times several bilan binaries against each other in alternating rounds
# (BENCHMARKS.md, "What issue #23 itself cost"). Nothing here is part of
# the test suite.
#
#   bash bench/versions.sh OLD_BILAN NEW_BILAN [MORE_BILAN...]
#   PERSONS=20000 RUNS=3 bash bench/versions.sh ...
#
# The archives (labelled and canonical, 2015-2024) are written by the last
# binary given; every binary then runs `indicators --year Y --format json`
# and `report --year Y` on each, one after the other in every round. It
# prints the median wall time and the largest peak RSS of each.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: bash bench/versions.sh BILAN BILAN [BILAN...]" >&2; exit 2; }
PERSONS=${PERSONS:-100000}
YEARS=${YEARS:-2015-2024}
YEAR=${YEARS#*-}
RUNS=${RUNS:-5}
BINARIES=("$@")
WRITER=${BINARIES[-1]}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

for archive in labelled canonical; do
  flags=""; [ "$archive" = canonical ] && flags=--canonical
  "$WRITER" sample --clean $flags --persons "$PERSONS" --years "$YEARS" --out "$WORK/$archive" >/dev/null 2>&1
  echo "== $archive: $(cat "$WORK/$archive"/*.csv | wc -c) bytes"
  for round in $(seq "$RUNS"); do
    for command in indicators report; do
      for i in "${!BINARIES[@]}"; do
        rm -rf "$WORK/out"
        if [ "$command" = indicators ]; then
          /usr/bin/time -f "%e %M" -o "$WORK/one" "${BINARIES[$i]}" indicators --input "$WORK/$archive" \
            --year "$YEAR" --format json >/dev/null 2>&1
        else
          /usr/bin/time -f "%e %M" -o "$WORK/one" "${BINARIES[$i]}" report --input "$WORK/$archive" \
            --year "$YEAR" --out "$WORK/out" >/dev/null 2>&1
        fi
        cat "$WORK/one" >> "$WORK/$archive-$command-$i"
      done
    done
  done
  for command in indicators report; do
    for i in "${!BINARIES[@]}"; do
      printf '   %-10s %-60s median %6.2f s  peak %4d MB\n' "$command" "${BINARIES[$i]}" \
        "$(cut -d' ' -f1 "$WORK/$archive-$command-$i" | median)" \
        "$(( $(cut -d' ' -f2 "$WORK/$archive-$command-$i" | sort -n | tail -1) / 1024 ))"
    done
  done
  rm -rf "$WORK/$archive"
done
