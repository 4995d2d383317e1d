#!/usr/bin/env bash
# CI after the tests (.ci/run): the non-LibTorch tests under AddressSanitizer
# and UndefinedBehaviorSanitizer (scripts/sanitize.sh), then each libFuzzer
# target briefly (scripts/fuzz.sh; about a minute in all).
# docs/reliability-fuzz.md has the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/sanitize.sh
./scripts/fuzz.sh all "${TUNESMITH_CI_FUZZ_SECONDS:-15}"
