#!/usr/bin/env bash
# Packs a built bilan.exe into bilan-VERSION-windows-x86_64.zip in OUT_DIR:
# bilan.exe, LISEZMOI.txt, LICENCE.txt, LICENCES-TIERCES.txt (the crates
# compiled in, from `cargo tree`) and sample_data/, at the root of the zip
# (Windows' « Extraire tout » makes the folder). Used by dist/windows.sh
# and by the release workflow (.github/workflows/release.yml).
#
#   dist/pack-windows.sh EXE TARGET OUT_DIR
#
# With the same bilan.exe, the same commit gives the same zip (files in
# sorted order, dated SOURCE_DATE_EPOCH or the last commit's time).
set -euo pipefail
cd "$(dirname "$0")/.."
exe=$1 target=$2 out=$3
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
name=bilan-$version-windows-x86_64
mkdir -p "$out"
out=$(cd "$out" && pwd)

echo "== packing $name.zip"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dir=$stage/$name
mkdir -p "$dir"
cp "$exe" "$dir/bilan.exe"
# Text in Windows' line ends, UTF-8 with a byte order mark: every Notepad
# shows the accents.
windows_text() { printf '\xef\xbb\xbf'; sed 's/\r$//; s/$/\r/' "$1"; }
windows_text dist/windows/LISEZMOI.txt >"$dir/LISEZMOI.txt"
windows_text LICENSE >"$dir/LICENCE.txt"
{
  cat dist/windows/LICENCES-TIERCES.head.txt
  # Every crate compiled into bilan.exe, with its licence (SPDX), but bilan.
  ${CARGO:-cargo} tree --locked -e normal --target "$target" --prefix none \
    --format '{p}  {l}' | sed 's/ (proc-macro)//; s/ (\*)//' | grep -v '^bilan v' | LC_ALL=C sort -u
} >"$stage/third-party.txt"
windows_text "$stage/third-party.txt" >"$dir/LICENCES-TIERCES.txt"
# The sample export byte for byte (its CSV files are Windows-1252, CRLF).
cp -R sample_data "$dir/sample_data"
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 315532800)}
find "$dir" -exec touch -h -d "@$epoch" {} +
(
  cd "$dir"
  find . -type f | sed 's|^\./||' | LC_ALL=C sort >../files.txt
  if command -v zip >/dev/null 2>&1; then
    TZ=UTC zip -X -D -q -9 "../$name.zip" -@ <../files.txt
  else # Windows runners have 7-Zip, not zip (relative paths: no MSYS path conversion).
    7z a -tzip -mx=9 -bd "../$name.zip" @../files.txt >/dev/null
  fi
)
mv -f "$stage/$name.zip" "$out/$name.zip"
echo "== $out/$name.zip ($(du -h "$out/$name.zip" | cut -f1)):"
grep -v '^sample_data/' "$stage/files.txt" | sed 's/^/   /'
echo "   sample_data/ ($(grep -c '^sample_data/' "$stage/files.txt") files)"
