#!/usr/bin/env bash
# Benchmark: bilan against DuckDB on the same files (issue 6, BENCHMARKS.md).
#
#   bash bench/run.sh            # 100 000 persons, 2015-2024, 5 rounds
#   PERSONS=20000 RUNS=3 bash bench/run.sh
#
# Generates a clean export with `bilan sample --clean`, then times, in
# alternating rounds: (a) bilan indicators --format json, (b) bilan report,
# (c) DuckDB computing the same indicators for every scope
# (bench/duckdb_indicators.py, written from SPEC §4, every cell normalised
# as the spec says), (c') its lean variant for clean exports (`--lean`:
# each distinct spelling normalised once, no id checks), (d) `cat` of the
# files as the floor. Prints medians, ratios to DuckDB and peak RSS, then the
# everyday case (report on sample_data/) and the startup cost. It also
# checks that DuckDB and bilan agree on every indicator row.
set -euo pipefail
cd "$(dirname "$0")/.."

PERSONS=${PERSONS:-100000}
YEARS=${YEARS:-2015-2024}
YEAR=${YEARS#*-}
RUNS=${RUNS:-5}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bilan-target-release}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install -q duckdb
echo "== building bilan (release)"
cargo build --release --locked -q
BILAN="$CARGO_TARGET_DIR/release/bilan"

echo "== generating $PERSONS persons, $YEARS"
"$BILAN" sample --clean --persons "$PERSONS" --years "$YEARS" --out "$WORK/export" 2>/dev/null
INPUT_BYTES=$(cat "$WORK"/export/*.csv | wc -c)
ROWS=$(cat "$WORK"/export/*.csv | wc -l)
echo "   $(( INPUT_BYTES / 1000000 )) MB, $ROWS lines"

echo "== checking that DuckDB and bilan agree"
# The DuckDB scripts compute the seven indicators of SPEC v1: compare those.
"$BILAN" indicators --input "$WORK/export" --year "$YEAR" --format csv \
  | grep -v -e ',moins_de_20_ans,' -e ',personnes_sans_solution,' > "$WORK/bilan.csv"
for variant in "" --lean; do
  python3 bench/duckdb_indicators.py "$WORK/export" "$YEAR" $variant > "$WORK/duckdb$variant.csv"
  if cmp -s "$WORK/bilan.csv" "$WORK/duckdb$variant.csv"; then
    echo "   DuckDB ${variant:-(spec-complete)}: identical, $(( $(wc -l < "$WORK/bilan.csv") - 1 )) indicator rows"
  else
    echo "   DuckDB $variant: DIFFERENT results:"; diff "$WORK/bilan.csv" "$WORK/duckdb$variant.csv" | head -20; exit 1
  fi
done

# name -> command
declare -A CMD=(
  [indicators]="$BILAN indicators --input $WORK/export --year $YEAR --format json"
  [report]="$BILAN report --input $WORK/export --year $YEAR --out $WORK/report"
  [duckdb]="python3 bench/duckdb_indicators.py $WORK/export $YEAR"
  [duckdb_lean]="python3 bench/duckdb_indicators.py $WORK/export $YEAR --lean"
  [cat]="cat $WORK/export/usagers.csv $WORK/export/demandes.csv $WORK/export/interventions.csv"
)
ORDER=(indicators report duckdb duckdb_lean cat)
for name in "${ORDER[@]}"; do : > "$WORK/$name.times"; done
echo "== $RUNS alternating rounds"
for round in $(seq "$RUNS"); do
  for name in "${ORDER[@]}"; do
    /usr/bin/time -f "%e %M" -o "$WORK/one" ${CMD[$name]} > /dev/null 2>&1
    cat "$WORK/one" >> "$WORK/$name.times"
  done
  echo "   round $round done"
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
duck=$(cut -d' ' -f1 "$WORK/duckdb.times" | median)
lean=$(cut -d' ' -f1 "$WORK/duckdb_lean.times" | median)
printf '\n%-12s %10s %10s %10s %14s\n' "command" "median s" "x DuckDB" "x lean" "peak RSS MB"
for name in "${ORDER[@]}"; do
  t=$(cut -d' ' -f1 "$WORK/$name.times" | median)
  rss=$(cut -d' ' -f2 "$WORK/$name.times" | sort -n | tail -1)
  printf '%-12s %10.3f %10.2f %10.2f %14.1f\n' "$name" "$t" "$(awk "BEGIN {print $t / $duck}")" "$(awk "BEGIN {print $t / $lean}")" "$(awk "BEGIN {print $rss / 1024}")"
done
printf 'input size: %.1f MB (peak RSS target: <= %.1f MB)\n' "$(awk "BEGIN {print $INPUT_BYTES / 1e6}")" "$(awk "BEGIN {print 2 * $INPUT_BYTES / 1048576}")"

echo
echo "== everyday case: report on sample_data/ (median of $RUNS)"
: > "$WORK/sample.times"
for round in $(seq "$RUNS"); do
  rm -rf "$WORK/sample-report"
  /usr/bin/time -f "%e %M" -o "$WORK/one" "$BILAN" report --input sample_data --out "$WORK/sample-report" > /dev/null 2>&1
  cat "$WORK/one" >> "$WORK/sample.times"
done
echo "   report on sample_data: $(cut -d' ' -f1 "$WORK/sample.times" | median) s (target < 0.3 s)"
: > "$WORK/startup.times"
for round in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %M" -o "$WORK/one" "$BILAN" --version > /dev/null 2>&1
  cat "$WORK/one" >> "$WORK/startup.times"
done
echo "   startup (bilan --version): $(cut -d' ' -f1 "$WORK/startup.times" | median) s"
