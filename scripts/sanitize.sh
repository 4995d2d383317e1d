#!/usr/bin/env bash
# Builds the code and tests that do not need LibTorch with AddressSanitizer and
# UndefinedBehaviorSanitizer (the `asan` preset of CMakePresets.json, in
# build-asan/) and runs those tests; any sanitizer finding fails its test.
# docs/reliability-fuzz.md says what LibTorch's absence leaves uncovered.
#
# Usage: scripts/sanitize.sh [CTEST_ARG...]   e.g. scripts/sanitize.sh -L unit
#        scripts/sanitize.sh --ci [GTEST_ARG...]
# --ci builds only the code that reads what users and clients send (base,
# abc, tokens, corpus, the studio's request parsing and store) with its
# tests, unit and corpus-wide, and runs those test binaries directly: what
# scripts/ci-harden.sh runs in CI (about 6 minutes on 2 cores, against 13
# for everything).
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
jobs=${TUNESMITH_BUILD_JOBS:-$(nproc)}
if [ "${1:-}" = --ci ]; then
  shift
  tests=(base_test abc_test abc_corpus_test tokens_test tokens_corpus_test corpus_test serve_core_test)
  targets=()
  for t in "${tests[@]}"; do targets+=(--target "$t"); done
  cmake --build --preset asan --parallel "$jobs" "${targets[@]}"
  # The test preset's sanitizer options, and what CTest would set.
  eval "$(python3 -c 'import json, shlex
for p in json.load(open("CMakePresets.json"))["testPresets"]:
    if p["name"] == "asan":
        for k, v in p["environment"].items(): print("export " + k + "=" + shlex.quote(v))')"
  export TUNESMITH_SOURCE_DIR=$root TUNESMITH_BINARY_DIR=$root/build-asan
  for t in "${tests[@]}"; do
    echo "sanitize: $t" >&2
    "build-asan/bin/$t" --gtest_brief=1 "$@"
  done
  exit 0
fi
cmake --build --preset asan --parallel "$jobs"
ctest --preset asan -j "$(nproc)" "$@"
