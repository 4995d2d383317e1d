#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine and runs every test.
# Corpus-wide tests (CTest label `corpus`) need data/corpus/: this script fetches
# it (set TUNESMITH_CORPUS_MIRROR=DIR to copy it from a local folder); without
# it those tests are reported as skipped, never as passed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
./scripts/setup.sh
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; fi
./scripts/build.sh
./scripts/fetch-corpus.sh || echo "test: corpus not available; tests labelled 'corpus' will be skipped" >&2
ctest --test-dir build --output-on-failure --timeout 600 -j "$(nproc)" "$@"
