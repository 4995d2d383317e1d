#!/usr/bin/env bash
# Reader speed (MB/s) on the whole corpus next to the time abc2midi takes on
# the same files. Usage: bench/parse_vs_abc2midi.sh [BUILD_DIR] [CORPUS_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
corpus=${2:-$root/data/corpus}
bench=$build/bin/abc_parse_bench
[ -x "$bench" ] || { echo "build target abc_parse_bench first ($bench missing)" >&2; exit 2; }
command -v abc2midi >/dev/null || { echo "abc2midi missing: apt-get install abcmidi" >&2; exit 2; }

mapfile -t files < <(find "$corpus" -name '*.abc' | sort)
bytes=$(cat "${files[@]}" | wc -c)
echo "corpus: ${#files[@]} files, $bytes bytes ($corpus)"

echo "--- tunesmith reader (in memory, 20 passes)"
"$bench" --repeats 20 "$corpus"

echo "--- abc2midi on the same files (one run per file, on copies in a temp folder)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# abc2midi writes its MIDI files beside its input, so it reads copies: the
# corpus folder stays as it was.
copies=()
for i in "${!files[@]}"; do cp "${files[$i]}" "$tmp/$i.abc"; copies+=("$tmp/$i.abc"); done
# bash's `time` reports wall and CPU (user + sys of abc2midi's processes).
TIMEFORMAT='%R %U %S'
times=$( { time (for f in "${copies[@]}"; do (cd "$tmp" && abc2midi "$f" > /dev/null 2>&1 || true); done) ; } 2>&1 )
read -r wall user sys <<< "$times"
awk -v w="$wall" -v u="$user" -v s="$sys" -v b="$bytes" 'BEGIN {
  printf "abc2midi: %.3f s wall, %.1f MB/s (wall); %.3f s CPU, %.1f MB/s (CPU)\n", w, b / 1e6 / w, u + s, b / 1e6 / (u + s) }'
