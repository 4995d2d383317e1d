#!/usr/bin/env bash
# Builds the code and tests that do not need LibTorch with AddressSanitizer and
# UndefinedBehaviorSanitizer (the `asan` preset of CMakePresets.json, in
# build-asan/) and runs those tests; any sanitizer finding fails its test.
# docs/reliability-fuzz.md says what LibTorch's absence leaves uncovered.
#
# Usage: scripts/sanitize.sh [CTEST_ARG...]   e.g. scripts/sanitize.sh -L unit
# Tests labelled `corpus` are skipped when data/corpus/ is absent, as in
# scripts/test.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if [ ! -f build-asan/CMakeCache.txt ]; then
  cmake --preset asan "${launcher[@]}"
fi
cmake --build --preset asan --parallel "${TUNESMITH_BUILD_JOBS:-$(nproc)}"
ctest --preset asan -j "$(nproc)" "$@"
