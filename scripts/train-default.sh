#!/usr/bin/env bash
# Trains the bundled model (models/default.ckpt) from scratch, the way it was
# made: sets up, builds the two binaries, fetches the corpus (NMD cleaned,
# O'Neill's 1850, Ryan's Mammoth) and runs `tunesmith train --config default`.
# Takes about an hour on one thread of a 2-core machine; the budget stops it at 110 minutes.
# Usage: scripts/train-default.sh [OUT]   (default: models/default.ckpt)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out="${1:-models/default.ckpt}"
./scripts/setup.sh
./scripts/build.sh tunesmith tunesmith-nn
./scripts/fetch-corpus.sh
exec build/bin/tunesmith train --config default \
  --corpus data/corpus/nottingham-cleaned data/corpus/oneills1850 data/corpus/ryans-mammoth \
  --out "$out" --threads "${TUNESMITH_THREADS:-1}" --seed 1 --max-minutes 110
