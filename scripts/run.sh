#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: set up, build, then read and
# check the whole corpus and render its first jig to MIDI, WAV and SVG in out/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
./scripts/setup.sh
./scripts/build.sh
./scripts/fetch-corpus.sh
./build/bin/tunesmith check data/corpus/nottingham-cleaned data/corpus/oneills1850 || true
./build/bin/tunesmith render --out out --tune 1 data/corpus/nottingham-cleaned/jigs.abc
echo "run: rendered tunes are in $root/out/" >&2
