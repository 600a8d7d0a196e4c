#!/usr/bin/env bash
# Benchmark: bilan against two lean peers on the same files (issue #16,
# BENCHMARKS.md). Nothing here is part of the test suite.
#
#   bash bench/run.sh                      # 100 000 persons, 2015-2024, 5 rounds
#   PERSONS=20000 RUNS=3 bash bench/run.sh
#   LARGE=1000000 bash bench/run.sh        # also the memory of a 1 000 000-person archive
#   BASELINE=path/to/old/bilan bash bench/run.sh   # also times an older binary in the same rounds
#
# For each of four archives written by `bilan sample --clean` — the
# labelled one (Windows-1252, French headers and labels as people type them,
# CRLF), the canonical one (`--canonical`: UTF-8, the spec's columns and
# codes, LF), the canonical one with each person's acts together
# (`--canonical --order person`), and that one made lean (no actions.csv,
# no v3 columns in usagers.csv) — it checks that bilan, DuckDB and Polars
# give the same indicator rows, then times in alternating rounds:
#   indicators   bilan indicators --year Y --format json
#   report       bilan report --year Y (every section, the national scope)
#   by_team      bilan report --year Y --by-team (19 reports)
#   duckdb_lean  bench/duckdb_indicators.py --lean (DuckDB 2.0, import counted)
#   polars       bench/polars_indicators.py (Polars in Python, import counted)
#   polars_lean  bench/polars_lean.py, the lean peer of issue #28 (canonical archive only)
#   cat          the files to /dev/null: the floor
# and prints medians, the ratio to the faster peer and peak RSS (from
# /usr/bin/time) against the input size. Then the everyday case (report on
# sample_data/) and, with LARGE=N, peak RSS and time on an N-person archive.
set -euo pipefail
cd "$(dirname "$0")/.."

PERSONS=${PERSONS:-100000}
YEARS=${YEARS:-2015-2024}
YEAR=${YEARS#*-}
RUNS=${RUNS:-5}
LARGE=${LARGE:-}
BASELINE=${BASELINE:-}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bilan-target-release}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install -q 'duckdb==2.0.*'
python3 -c 'import polars' 2>/dev/null || python3 -m pip install -q 'polars==2.1.*'
echo "== building bilan (release), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
cargo build --release --locked -q
BILAN="$CARGO_TARGET_DIR/release/bilan"
echo "   $(python3 -c 'import duckdb, polars; print("duckdb", duckdb.__version__, "polars", polars.__version__)'), $(nproc) cores"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
input_bytes() { cat "$1"/*.csv | wc -c; }

# The columns of usagers.csv that SPEC v3 added (a v2 export has none).
V3_COLUMNS="situation troubles_associes accompagnements"

# lean EXPORT: the export without actions.csv and without the v3 columns of
# usagers.csv, as lean as the 44 MB archive issue #28 was measured on.
lean() {
  rm -f "$1/actions.csv"
  python3 - "$1/usagers.csv" $V3_COLUMNS <<'PY'
import sys
path, dropped = sys.argv[1], set(sys.argv[2:])
lines = open(path, encoding="utf-8").read().splitlines()
keep = [k for k, name in enumerate(lines[0].split(";")) if name not in dropped]
with open(path, "w", encoding="utf-8", newline="\n") as out:
    for line in lines:
        cells = line.split(";")
        out.write(";".join(cells[k] for k in keep) + "\n")
PY
}

# bench ARCHIVE_NAME SAMPLE_FLAGS PEER_FLAGS [lean]
bench() {
  local label=$1 flags=$2 peer=$3 shape=${4:-}
  local export="$WORK/$label"
  echo
  echo "== archive '$label': bilan sample --clean $flags --persons $PERSONS --years $YEARS${shape:+, made lean (no actions.csv, no v3 columns)}"
  "$BILAN" sample --clean $flags --persons "$PERSONS" --years "$YEARS" --out "$export" 2>/dev/null
  [ "$shape" = lean ] && lean "$export"
  local bytes lines
  bytes=$(input_bytes "$export")
  lines=$(cat "$export"/*.csv | wc -l)
  printf '   %.1f MB, %d lines (%s)\n' "$(awk "BEGIN {print $bytes / 1e6}")" "$lines" \
    "$([ -f "$export/actions.csv" ] && echo with actions.csv || echo without actions.csv)"

  # The peers compute the seven indicators of SPEC v1: compare those.
  "$BILAN" indicators --input "$export" --year "$YEAR" --format csv \
    | awk -F, 'NR == 1 || $3 ~ /^(personnes_accompagnees|nouvelles_personnes|vit_a_domicile|maladie_rare_diagnostiquee|au_moins_un_tnd|enfants_3_16_scolarises|visite_domicile_ou_etablissement)$/' \
    | cut -d, -f1-6 > "$WORK/bilan.csv"  # the peers write no `suppressed` column
  python3 bench/duckdb_indicators.py "$export" "$YEAR" --lean $peer > "$WORK/duckdb.csv"
  python3 bench/polars_indicators.py "$export" "$YEAR" $peer > "$WORK/polars.csv"
  for peer_name in duckdb polars; do
    if cmp -s "$WORK/bilan.csv" "$WORK/$peer_name.csv"; then
      echo "   $peer_name and bilan: identical, $(( $(wc -l < "$WORK/bilan.csv") - 1 )) indicator rows"
    else
      echo "   $peer_name and bilan: DIFFERENT results:"; diff "$WORK/bilan.csv" "$WORK/$peer_name.csv" | head -20; exit 1
    fi
  done

  declare -A CMD=(
    [indicators]="$BILAN indicators --input $export --year $YEAR --format json"
    [report]="$BILAN report --input $export --year $YEAR --out $WORK/report"
    [by_team]="$BILAN report --input $export --year $YEAR --by-team --out $WORK/by-team"
    [duckdb_lean]="python3 bench/duckdb_indicators.py $export $YEAR --lean $peer"
    [polars]="python3 bench/polars_indicators.py $export $YEAR $peer"
    [cat]="cat $export/*.csv"
  )
  local order=(indicators report by_team duckdb_lean polars cat)
  if [ -z "$peer" ]; then
    # The lean Polars peer of issue #28 reads canonical exports only.
    CMD[polars_lean]="python3 bench/polars_lean.py $export $YEAR"
    order=(indicators report by_team duckdb_lean polars polars_lean cat)
  fi
  if [ -n "$BASELINE" ]; then
    # An older binary, in the same alternating rounds: each of its commands
    # right after the same command of this build.
    CMD[indicators_old]="$BASELINE indicators --input $export --year $YEAR --format json"
    CMD[report_old]="$BASELINE report --input $export --year $YEAR --out $WORK/report-old"
    CMD[by_team_old]="$BASELINE report --input $export --year $YEAR --by-team --out $WORK/by-team-old"
    order=(indicators indicators_old report report_old by_team by_team_old "${order[@]:3}")
  fi
  for name in "${order[@]}"; do : > "$WORK/$name.times"; done
  for round in $(seq "$RUNS"); do
    for name in "${order[@]}"; do
      rm -rf "$WORK/report" "$WORK/by-team" "$WORK/report-old" "$WORK/by-team-old"
      /usr/bin/time -f "%e %M" -o "$WORK/one" ${CMD[$name]} > /dev/null 2>&1
      cat "$WORK/one" >> "$WORK/$name.times"
    done
  done
  local duck polars peer_best peer_name
  duck=$(cut -d' ' -f1 "$WORK/duckdb_lean.times" | median)
  polars=$(cut -d' ' -f1 "$WORK/polars.times" | median)
  if awk "BEGIN {exit !($duck <= $polars)}"; then peer_best=$duck peer_name=duckdb_lean; else peer_best=$polars peer_name=polars; fi
  if [ -n "${CMD[polars_lean]:-}" ]; then
    local lean
    lean=$(cut -d' ' -f1 "$WORK/polars_lean.times" | median)
    if awk "BEGIN {exit !($lean < $peer_best)}"; then peer_best=$lean peer_name=polars_lean; fi
  fi
  printf '\n   %-12s %10s %12s %13s %10s   (%d rounds; faster peer: %s)\n' \
    "command" "median s" "x faster peer" "peak RSS MB" "x input" "$RUNS" "$peer_name"
  for name in "${order[@]}"; do
    local t rss
    t=$(cut -d' ' -f1 "$WORK/$name.times" | median)
    rss=$(cut -d' ' -f2 "$WORK/$name.times" | sort -n | tail -1)
    printf '   %-12s %10.3f %12.2f %13.1f %10.2f\n' "$name" "$t" \
      "$(awk "BEGIN {print $t / $peer_best}")" "$(awk "BEGIN {print $rss / 1024}")" \
      "$(awk "BEGIN {print $rss * 1024 / $bytes}")"
  done
  echo "   targets (issue #28): indicators <= 0.6x, report <= 0.8x the lean Polars peer; peak RSS <= 1.5x the input"
  if [ -n "$BASELINE" ]; then
    for name in indicators report by_team; do
      local new old
      new=$(cut -d' ' -f1 "$WORK/$name.times" | median)
      old=$(cut -d' ' -f1 "$WORK/${name}_old.times" | median)
      printf '   %-12s this build / baseline: %.2f\n' "$name" "$(awk "BEGIN {print $new / $old}")"
    done
  fi
  rm -rf "$export" "$WORK/report" "$WORK/by-team" "$WORK/report-old" "$WORK/by-team-old"
}

bench labelled "" --cp1252
bench canonical --canonical ""
# The same rows with each person's acts together, as a database dump ordered
# by dossier lists them (issue #28: both row orders).
bench canonical-by-person "--canonical --order person" ""
# The same, lean: the shape of the archive issue #28 was measured on.
bench lean-by-person "--canonical --order person" "" lean

echo
echo "== everyday case: report on sample_data/ (median of $RUNS)"
: > "$WORK/sample.times"
for round in $(seq "$RUNS"); do
  rm -rf "$WORK/sample-report"
  /usr/bin/time -f "%e %M" -o "$WORK/one" "$BILAN" report --input sample_data --out "$WORK/sample-report" > /dev/null 2>&1
  cat "$WORK/one" >> "$WORK/sample.times"
done
echo "   report on sample_data: $(cut -d' ' -f1 "$WORK/sample.times" | median) s (issue #16 asked < 0.1 s, before v3 added its tables and second workbook)"
: > "$WORK/startup.times"
for round in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %M" -o "$WORK/one" "$BILAN" --version > /dev/null 2>&1
  cat "$WORK/one" >> "$WORK/startup.times"
done
echo "   startup (bilan --version): $(cut -d' ' -f1 "$WORK/startup.times" | median) s"

if [ -n "$LARGE" ]; then
  echo
  echo "== memory against size: canonical archives of $PERSONS and $LARGE persons, one run each"
  printf '   %-10s %10s %12s %12s %12s %12s\n' persons "input MB" "indic. s" "indic. MB" "report s" "report MB"
  for n in "$PERSONS" "$LARGE"; do
    "$BILAN" sample --clean --canonical --persons "$n" --years "$YEARS" --out "$WORK/large" 2>/dev/null
    bytes=$(input_bytes "$WORK/large")
    /usr/bin/time -f "%e %M" -o "$WORK/ind" "$BILAN" indicators --input "$WORK/large" --year "$YEAR" --format json > /dev/null 2>&1
    /usr/bin/time -f "%e %M" -o "$WORK/rep" "$BILAN" report --input "$WORK/large" --year "$YEAR" --out "$WORK/large-report" > /dev/null 2>&1
    read -r it im < "$WORK/ind"
    read -r rt rm_ < "$WORK/rep"
    printf '   %-10s %10.1f %12.2f %12.1f %12.2f %12.1f\n' "$n" "$(awk "BEGIN {print $bytes / 1e6}")" \
      "$it" "$(awk "BEGIN {print $im / 1024}")" "$rt" "$(awk "BEGIN {print $rm_ / 1024}")"
    rm -rf "$WORK/large" "$WORK/large-report"
  done
fi
