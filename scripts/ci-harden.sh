#!/usr/bin/env bash
# CI after the tests (.ci/run): the input-reading code's tests under
# AddressSanitizer and UndefinedBehaviorSanitizer (scripts/sanitize.sh --ci;
# scripts/sanitize.sh alone runs every non-LibTorch test), then each
# libFuzzer target for 10,000 inputs (scripts/fuzz.sh; well under a minute).
# docs/reliability-fuzz.md has the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/sanitize.sh --ci
# From the seeds alone, with a fixed seed and number of runs: CI repeats the
# run made before the commit (a time limit alone would explore differently
# on each machine, and a finding would fail CI at random).
TUNESMITH_FUZZ_FRESH=1 ./scripts/fuzz.sh all 60 -seed=1 -runs="${TUNESMITH_CI_FUZZ_RUNS:-10000}"
