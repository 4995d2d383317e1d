#!/usr/bin/env bash
# Installs every Debian package tunesmith needs to build, test and run.
# Idempotent: packages already present are left alone. Fails loudly.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates curl
  # neural networks (OpenBLAS: without it LibTorch falls back to the reference BLAS, ~25x slower)
  libtorch-dev libopenblas0-openmp libgloo-dev python3-torch
  # command line, JSON, HTTP, storage
  libcli11-dev nlohmann-json3-dev libcpp-httplib-dev libsqlite3-dev
  # rendering: ABC -> MIDI, MIDI -> WAV, ABC -> SVG
  abcmidi abcm2ps libfluidsynth-dev fluid-soundfont-gm
  # tests, fuzzing, browser tests
  libgtest-dev libgmock-dev clang libclang-rt-14-dev
  chromium
)

missing=()
# Node.js and npm: the machine's own (NodeSource) if present, else Debian's.
if ! command -v npm >/dev/null 2>&1; then packages+=(nodejs npm); fi
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages already installed" >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

echo "setup: installing ${#missing[@]} packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup: done" >&2
