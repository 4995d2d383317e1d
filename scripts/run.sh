#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: set up, build, and compose three
# new tunes with the bundled model (models/default.ckpt), as ABC, MIDI, WAV
# and SVG sheet music in out/. Extra arguments go to `tunesmith generate`
# (e.g. scripts/run.sh --rhythm reel --key D -n 5).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
./scripts/setup.sh
./scripts/build.sh tunesmith tunesmith-nn
mkdir -p out
./build/bin/tunesmith generate -n 3 --out out --format abc,mid,wav,svg "$@"
echo "run: the tunes are in $root/out/ (.abc text, .mid MIDI, .wav audio, .svg sheet music)" >&2
