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

echo "--- abc2midi on the same files (one run per file, MIDI written to a temp dir)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s.%N)
for f in "${files[@]}"; do
  (cd "$tmp" && abc2midi "$f" > /dev/null 2>&1 || true)
done
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v b="$bytes" 'BEGIN { t = e - s; printf "abc2midi: %.3f s for the corpus, %.2f MB/s\n", t, b / 1e6 / t }'
