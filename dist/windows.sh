#!/usr/bin/env bash
# Builds bilan.exe for 64-bit Windows on Debian 12 and packs
# bilan-VERSION-windows-x86_64.zip: bilan.exe, LISEZMOI.txt, LICENCE.txt,
# LICENCES-TIERCES.txt and sample_data/ (README.md, "Windows").
#
#   dist/windows.sh [OUT_DIR]        default OUT_DIR: dist/out
#
# Toolchain, all from Debian 12 (bookworm, with bookworm-security):
#   rustc-web, cargo-web  Rust 1.96 (installed as /usr/bin/rustc, /usr/bin/cargo)
#   rust-web-src          the standard library's sources, for -Z build-std
#   gcc-mingw-w64-x86-64  MinGW-w64 GCC 12, the linker and the C runtime
#   zip                   the package
# Debian ships no Windows standard library for rustc-web: its only one,
# libstd-rust-dev-windows, belongs to the default rustc (1.63), too old for
# the crates used. So the standard library is compiled from rust-web-src
# for the target (-Z build-std=std,panic_abort). `-Z` flags are refused by
# a stable compiler; RUSTC_BOOTSTRAP=1 lets this one accept them. Nothing
# else of the nightly compiler is used, and the project's own code needs no
# unstable feature.
#
# The build cache lives outside the clone, in BILAN_WINDOWS_TARGET_DIR
# (default ~/.cache/bilan-windows-target): a first build takes about 20
# minutes on two busy cores, a rebuild after a change of bilan only a few.
# NICE (default 19) is the niceness of the build. SOURCE_DATE_EPOCH, when
# set, dates the package's files (default: the last commit's time).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist/out}
mkdir -p "$out"
out=$(cd "$out" && pwd)

target=x86_64-pc-windows-gnu

# The toolchain, installed when missing.
packages=(rustc-web cargo-web rust-web-src gcc-mingw-w64-x86-64 zip)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's compiler, not a rustup one that may come first on PATH.
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
cargo=/usr/bin/cargo
echo "== toolchain: $($RUSTC --version), $($cargo --version), $(x86_64-w64-mingw32-gcc --version | head -1)"

echo "== building bilan.exe ($target, release, without symbols)"
export CARGO_TARGET_DIR="${BILAN_WINDOWS_TARGET_DIR:-$HOME/.cache/bilan-windows-target}"
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CARGO_PROFILE_RELEASE_STRIP=symbols
export CARGO_TERM_COLOR=never
start=$SECONDS
nice -n "${NICE:-19}" "$cargo" build --release --locked --bin bilan \
  --target "$target" -Z build-std=std,panic_abort
exe=$CARGO_TARGET_DIR/$target/release/bilan.exe
echo "== built in $((SECONDS - start)) s: $(du -h "$exe" | cut -f1)"

# bilan.exe must run on a bare Windows: only the system's own DLLs.
dlls=$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/^\s*DLL Name: //p' | sort -u)
echo "== imports: $(echo "$dlls" | tr '\n' ' ')"
if echo "$dlls" | grep -v -i -E '^(kernel32|ntdll|advapi32|bcrypt|bcryptprimitives|msvcrt|ucrtbase|api-ms-win-[a-z0-9-]+|ws2_32|userenv|shell32|user32|ole32|oleaut32|combase|pdh|secur32|crypt32|psapi|iphlpapi|powrprof|ncrypt|dbghelp|shlwapi)\.dll$'; then
  echo "error: bilan.exe needs a DLL that Windows does not have (above)" >&2
  exit 1
fi

CARGO=$cargo bash dist/pack-windows.sh "$exe" "$target" "$out"
