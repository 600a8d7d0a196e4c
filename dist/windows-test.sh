#!/usr/bin/env bash
# Runs the packed bilan.exe under Wine and compares every output with the
# Linux build's, byte for byte (README.md, "Windows"):
#
#   dist/windows-test.sh [ZIP]
#
# ZIP defaults to dist/out/bilan-VERSION-windows-x86_64.zip, built by
# dist/windows.sh when absent. The Linux build is BILAN_LINUX (a bilan
# binary) or `cargo build --release --locked` in CARGO_TARGET_DIR (default
# ~/.cache/bilan-target, as .ci/run). Installs wine and the MinGW compiler
# from Debian when missing. `.ci/run` runs it with BILAN_WINDOWS=1.
#
# Wine 8 lacks bcryptprimitives.dll (Windows 10 has it), which Rust's
# standard library needs: a stand-in built here from dist/wine/ goes into
# the throwaway Wine prefix, never into the package. So does a stand-in for
# Microsoft Edge, to check `--pdf` finds it where Edge is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
start=$SECONDS
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
zip=${1:-dist/out/bilan-$version-windows-x86_64.zip}
[ -f "$zip" ] || bash dist/windows.sh "$(dirname "$zip")"
zip=$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")

missing=()
command -v wine >/dev/null 2>&1 || missing+=(wine wine64)
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || missing+=(gcc-mingw-w64-x86-64)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
command -v script >/dev/null 2>&1 || missing+=(bsdutils)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -n "${BILAN_LINUX:-}" ]; then
  linux=$(realpath "$BILAN_LINUX")
else
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bilan-target}"
  echo "== the Linux build (cargo build --release)"
  nice -n 10 cargo build --release --locked --quiet
  linux=$CARGO_TARGET_DIR/release/bilan
fi

work=$(mktemp -d)
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=d"
cleanup() {
  wineserver -k >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fails=0
checks=0
pass() { checks=$((checks + 1)); echo "ok   $*"; }
fail() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL $*"; }

echo "== unpacking $(basename "$zip")"
mkdir -p "$work/package" "$work/win" "$work/lin"
unzip -q "$zip" -d "$work/package"
exe=$work/package/bilan.exe
for file in bilan.exe LISEZMOI.txt LICENCE.txt LICENCES-TIERCES.txt sample_data/usagers.csv; do
  [ -f "$work/package/$file" ] && pass "the package holds $file" || fail "the package lacks $file"
done
if unzip -Z1 "$zip" | grep -q -i 'bcryptprimitives\|msedge'; then
  fail "the package holds a test stand-in"
else
  pass "the package holds no test stand-in"
fi
diff -r sample_data "$work/package/sample_data" >/dev/null &&
  pass "the package's sample_data is the clone's" || fail "the package's sample_data differs"
cp -R "$work/package/sample_data" "$work/win/sample_data"
cp -R sample_data "$work/lin/sample_data"

echo "== a Wine prefix with the test-only stand-ins ($(wine --version 2>/dev/null))"
wine wineboot --init >/dev/null 2>&1
system32=$WINEPREFIX/drive_c/windows/system32
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$system32/bcryptprimitives.dll" \
  dist/wine/bcryptprimitives.c -ladvapi32
edge_dir="$WINEPREFIX/drive_c/Program Files (x86)/Microsoft/Edge/Application"
x86_64-w64-mingw32-gcc -O2 -s -o "$work/msedge.exe" dist/wine/fake-browser.c

# Runs bilan.exe under Wine (in $work/win) and the Linux build (in
# $work/lin) with the same arguments; compares exit code, stdout, stderr.
both() {
  local name=$1
  shift
  local t=$SECONDS
  (cd "$work/win" && wine "$exe" "$@" >"$work/$name.win.out" 2>"$work/$name.win.err"; echo $? >"$work/$name.win.code") || true
  local win_time=$((SECONDS - t))
  (cd "$work/lin" && "$linux" "$@" >"$work/$name.lin.out" 2>"$work/$name.lin.err"; echo $? >"$work/$name.lin.code") || true
  local code
  code=$(cat "$work/$name.win.code")
  if ! cmp -s "$work/$name.win.code" "$work/$name.lin.code"; then
    fail "$name: exit $code under Wine, $(cat "$work/$name.lin.code") on Linux"
    sed 's/^/     wine: /' "$work/$name.win.err" | tail -5 || true
  elif ! cmp -s "$work/$name.win.out" "$work/$name.lin.out"; then
    fail "$name: the standard outputs differ"
    diff "$work/$name.lin.out" "$work/$name.win.out" | head -6 | sed 's/^/     /' || true
  elif [ "$code" -eq 0 ] && ! tr '\\' / <"$work/$name.win.err" | cmp -s - "$work/$name.lin.err"; then
    fail "$name: the messages differ"
    tr '\\' / <"$work/$name.win.err" | diff "$work/$name.lin.err" - | head -6 | sed 's/^/     /' || true
  elif [ "$code" -eq 0 ]; then
    # Paths in the messages are written the system's way (national\bilan.html).
    pass "$name: same exit code, output and messages (${win_time} s under Wine)"
  else
    # A failure names the system's own error, in its own words.
    pass "$name: same exit code ($code) and output (${win_time} s under Wine)"
    echo "     linux: $(grep -m1 . "$work/$name.lin.err")"
    echo "     wine:  $(grep -m1 . "$work/$name.win.err")"
  fi
}

# Compares the folder $1 written under Wine with the Linux one, file by file.
same_folder() {
  local a=$work/win/$1 b=$work/lin/$1 files
  files=$(cd "$b" && find . -type f | wc -l)
  if [ "$files" -eq 0 ]; then
    fail "$1: the Linux build wrote nothing"
  elif diff -r -q "$a" "$b" >"$work/diff.txt"; then
    pass "$1/: $files files, byte-identical"
  else
    fail "$1/: differs"
    sed 's/^/     /' "$work/diff.txt" | head -10 || true
  fi
}

echo "== bilan.exe and the Linux build, same commands"
both version --version
both report report --input sample_data --out national
same_folder national
both report-by-team report --input sample_data --by-team --out by-team
same_folder by-team
both indicators indicators --input sample_data --year 2015-2024 --format json
both indicators-table indicators --input sample_data
both validate validate --input sample_data --format json
both validate-text validate --input sample_data
both sample-xlsx sample --format xlsx --out workbooks
same_folder workbooks
both report-xlsx report --input workbooks --out from-workbooks
same_folder from-workbooks
both indicators-xlsx indicators --input workbooks --format json
both sample-csv sample --persons 800 --seed 7 --out small
same_folder small
both report-small report --input small --year 2023 --by-team --min-count 1 --out small-report
same_folder small-report
both no-export report --input no-such-folder

echo "== a folder dropped onto bilan.exe, and a double click"
# Under a terminal (pty), Wine gives bilan.exe a console of its own, as
# Windows does when a program is started from the Explorer.
# A pty's Enter is a carriage return; Wine's console moves the cursor
# (ESC [ n C) rather than write spaces.
explorer() { # $1: what to type (after 2 s); the rest: the command
  local keys=$1 feeder
  shift
  rm -f "$work/keys"
  mkfifo "$work/keys"
  (sleep 2; printf '%b' "$keys"; exec sleep "${WAIT:-120}") >"$work/keys" &
  feeder=$!
  timeout "${WAIT:-120}" script -qec "$*" /dev/null <"$work/keys" |
    sed 's/\x1b\[[0-9]*C/ /g; s/\x1b\[[0-9;?]*[A-Za-z]//g; s/\r//g'
  kill "$feeder" 2>/dev/null || true
}
mkdir -p "$work/drop"
cp -R "$work/win/sample_data" "$work/drop/sample_data"
dropped=$(winepath -w "$work/drop/sample_data" 2>/dev/null)
t=$SECONDS
explorer '\r' "wine '$exe' '$dropped'; echo exit=\$?" >"$work/drop.txt" 2>&1 || true
drop_time=$((SECONDS - t))
grep -q "Le rapport est prêt" "$work/drop.txt" && grep -q "Appuyez sur Entrée" "$work/drop.txt" &&
  grep -q "exit=0" "$work/drop.txt" &&
  pass "a dropped folder: French messages, waits for Enter, exit 0 (${drop_time} s)" ||
  { fail "a dropped folder"; tail -15 "$work/drop.txt" | sed 's/^/     /'; }
if diff -r -q "$work/drop/sample_data - bilan" "$work/lin/national" >"$work/diff.txt"; then
  pass "a dropped folder: 'sample_data - bilan' beside it, byte-identical to the Linux report"
else
  fail "a dropped folder: 'sample_data - bilan'"
  sed 's/^/     /' "$work/diff.txt" | head -5 || true
fi
WAIT=15 explorer '' "wine '$exe'; echo exit=\$?" >"$work/usage.txt" 2>&1 || true
grep -q "déposez-le sur bilan.exe" "$work/usage.txt" && ! grep -q "exit=" "$work/usage.txt" &&
  pass "a double click: how to use it, in French, and waits" ||
  { fail "a double click: no usage, or did not wait"; tail -5 "$work/usage.txt" | sed 's/^/     /'; }
WAIT=30 explorer '\r' "wine '$exe'; echo exit=\$?" >"$work/usage.txt" 2>&1 || true
grep -q "exit=0" "$work/usage.txt" && pass "a double click: Enter closes it" ||
  fail "a double click: Enter did not close it"
printf 'PK\5\6' >"$work/drop/export.zip"
explorer '\r' "wine '$exe' '$(winepath -w "$work/drop/export.zip" 2>/dev/null)'; echo exit=\$?" >"$work/zip.txt" 2>&1 || true
grep -q "Extraire tout" "$work/zip.txt" && grep -q "exit=1" "$work/zip.txt" &&
  pass "a zip dropped: says to extract it first, exit 1" ||
  { fail "a zip dropped"; tail -5 "$work/zip.txt" | sed 's/^/     /'; }
mkdir -p "$work/drop/not an export"
echo "nothing" >"$work/drop/not an export/notes.txt"
explorer '\r' "wine '$exe' '$(winepath -w "$work/drop/not an export" 2>/dev/null)'; echo exit=\$?" >"$work/bad.txt" 2>&1 || true
grep -q "Le rapport n’a pas pu être écrit" "$work/bad.txt" && grep -q "Que faire" "$work/bad.txt" &&
  grep -q "exit=1" "$work/bad.txt" && [ ! -e "$work/drop/not an export - bilan" ] &&
  pass "a folder that is no export: French error with what to do, nothing written, exit 1" ||
  { fail "a folder that is no export"; tail -8 "$work/bad.txt" | sed 's/^/     /'; }

echo "== --pdf finds Microsoft Edge where Windows installs it"
(cd "$work/win" && wine "$exe" report --input sample_data --pdf --out pdf-none >/dev/null 2>"$work/pdf-none.err") && code=0 || code=$?
[ "$code" -eq 1 ] && grep -q 'Microsoft Edge or Google Chrome' "$work/pdf-none.err" &&
  grep -q 'Microsoft\\Edge\\Application\\msedge.exe' "$work/pdf-none.err" &&
  pass "no browser: exit 1, the message names Edge and Chrome and where they were looked for" ||
  { fail "no browser"; sed 's/^/     /' "$work/pdf-none.err"; }
mkdir -p "$edge_dir"
cp "$work/msedge.exe" "$edge_dir/msedge.exe"
(cd "$work/win" && wine "$exe" report --input sample_data --pdf --out "pdf edge #1" >/dev/null 2>"$work/pdf.err") && code=0 || code=$?
args_file=$edge_dir/browser-args.txt
[ "$code" -eq 0 ] && [ -s "$work/win/pdf edge #1/bilan.pdf" ] && grep -q -- '--headless' "$args_file" &&
  grep -q '^file:///[A-Z]:/.*/\.pdf%20edge%20%231\.partial-[^/]*/bilan\.html$' "$args_file" &&
  pass "Edge found in Program Files (x86), given a file:/// URL of the report and a PDF path it can open" ||
  { fail "Edge not used as expected (exit $code)"; sed 's/^/     /' "$work/pdf.err" "$args_file" 2>/dev/null | head -20 || true; }

echo "== $checks checks, $fails failed, $((SECONDS - start)) s"
[ "$fails" -eq 0 ]
