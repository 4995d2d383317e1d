#!/usr/bin/env bash
# Configures (once, and again when TUNESMITH_CMAKE_ARGS is given) and builds
# tunesmith into build/ (Release).
# Usage: scripts/build.sh [TARGET...]   (no target: everything, tests and bench/ tools included)
# Extra CMake settings: TUNESMITH_CMAKE_ARGS="-DTUNESMITH_WITH_TORCH=OFF" scripts/build.sh
#   (-DTUNESMITH_WERROR=ON makes warnings errors, as CI does: .ci/run)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
gen=()
command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
if [ ! -f build/CMakeCache.txt ] || [ -n "${TUNESMITH_CMAKE_ARGS:-}" ]; then
  # shellcheck disable=SC2086
  cmake -S . -B build "${gen[@]}" -DCMAKE_BUILD_TYPE=Release ${TUNESMITH_CMAKE_ARGS:-}
fi
targets=()
for t in "$@"; do targets+=(--target "$t"); done
# A LibTorch translation unit takes ~1.1 GB to compile; two at once fit in 4 GB.
cmake --build build --parallel "${TUNESMITH_BUILD_JOBS:-$(nproc)}" "${targets[@]}"
