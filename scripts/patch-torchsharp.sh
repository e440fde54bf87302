#!/usr/bin/env bash
# Makes TorchSharp 0.107.0's native bridge load where the system libstdc++ predates GLIBCXX_3.4.32 (Debian 12, Ubuntu 22.04).
# libLibTorchSharp.so was built with GCC 13 and needs that version for one symbol only, std::ios_base_library_init(),
# which GCC 12's libstdc++ does by itself. The fix: a one-line shim library beside it that defines the symbol, the symbol's
# version cleared, the shim added as a dependency, and the version requirement marked weak.
# Idempotent, and a no-op where nothing needs patching (newer libstdc++, already patched, no TorchSharp in the folder).
# Usage: patch-torchsharp.sh <folder holding libLibTorchSharp.so>   (run by Directory.Build.targets after every build, and by
# Naeural.Inference at start-up in applications built elsewhere, with NAEURAL_PATCH_NO_INSTALL=1: it then installs nothing).
# A patched folder gets a marker, written last, holding the patched library's size and time: a folder whose marker matches its
# library is done (a rebuild that copies the package's library over the patched one makes it stale: it is patched again).
set -euo pipefail
dir=$1
lib="$dir/libLibTorchSharp.so"
tools="$(cd "$(dirname "$0")/../tools/torchsharp" && pwd)"
marker="$dir/.naeural-torchsharp-patched"
[ -f "$lib" ] || exit 0
stamp() { stat -c '%s %Y' "$lib"; }
[ -f "$marker" ] && [ "$(cat "$marker")" = "$(stamp)" ] && exit 0

libstdcxx=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
if [ -n "$libstdcxx" ] && grep -qa 'GLIBCXX_3\.4\.32' "$libstdcxx"; then exit 0; fi   # the system has it
if ! command -v objdump >/dev/null 2>&1; then
  echo "warning: TorchSharp may need patching on this system but objdump is not installed to tell (apt-get install binutils)" >&2
  exit 0
fi
if ! objdump -T "$lib" | grep -q 'GLIBCXX_3\.4\.32'; then stamp > "$marker"; exit 0; fi   # patched already

if ! command -v patchelf >/dev/null 2>&1 || ! command -v g++ >/dev/null 2>&1; then
  if [ -n "${NAEURAL_PATCH_NO_INSTALL:-}" ]; then
    echo "warning: TorchSharp needs patching on this system but patchelf and g++ are not installed; inference will be unavailable (apt-get install patchelf g++, then start again)" >&2
    exit 0
  fi
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if ! (DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq patchelf g++ >/dev/null 2>&1 \
        || { $sudo apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq patchelf g++ >/dev/null 2>&1; }); then
    echo "warning: TorchSharp needs patching on this system but patchelf/g++ could not be installed; inference will be unavailable (apt-get install patchelf g++, then rebuild)" >&2
    exit 0
  fi
fi

g++ -shared -fPIC -O2 -o "$dir/libstdcxx_compat.so" "$tools/ios_base_library_init.cpp"
patchelf --clear-symbol-version _ZSt21ios_base_library_initv --add-needed libstdcxx_compat.so "$lib"
python3 "$tools/weaken-version-requirement.py" "$lib" GLIBCXX_3.4.32 >/dev/null
stamp > "$marker"
echo "patched $lib for this system's libstdc++"
