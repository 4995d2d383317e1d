#!/usr/bin/env bash
# Configures and builds tunesmith into build/ (Release). Extra arguments go to cmake.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
gen=()
command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build "${gen[@]}" -DCMAKE_BUILD_TYPE=Release "$@"
elif [ $# -gt 0 ]; then
  cmake -S . -B build "$@"
fi
# LibTorch translation units take ~1.1 GB each to compile; two at once fit.
cmake --build build --parallel "${TUNESMITH_BUILD_JOBS:-$(nproc)}"
