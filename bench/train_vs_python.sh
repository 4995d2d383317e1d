#!/bin/bash
# Training throughput of tunesmith's fused LSTM, the same model on
# torch::nn::LSTM (C++), and the Python peer (torch.nn.LSTM, python3-torch), on
# the same batches, with 1 and 2 threads; prints the ratios. Runs alternate so
# that machine noise hits all three alike; the median of REPEATS runs is kept.
#   bench/train_vs_python.sh [BUILD_DIR] [SHAPE]   SHAPE: default | anchor | seed-baseline | all
set -euo pipefail
BUILD=${1:-build}
SHAPE=${2:-all}
REPEATS=${REPEATS:-3}
STEPS=${STEPS:-15}
BENCH=$BUILD/bin/train_bench
PEER=$(dirname "$0")/train_peer.py
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# name: embedding hidden layers vocab T B dropout
declare -A SHAPES=(
  [default]="128 256 2 223 64 32 0.25"      # configs/default.json on the nottingham-cleaned token vocabulary
  [anchor]="256 256 3 100 64 64 0.0"         # PERFORMANCE-NOTES.md's anchor shape
  [seed-baseline]="512 256 3 56 64 16 0.2"   # configs/seed-baseline.json on the nottingham-cleaned char vocabulary
)
names=("$SHAPE")
[ "$SHAPE" = all ] && names=(default anchor seed-baseline)

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf "%-14s %7s %12s %12s %12s %9s %9s\n" shape threads fused_tok_s nn_tok_s python_tok_s fused/py fused/nn
for name in "${names[@]}"; do
  read -r E H L V T B D <<< "${SHAPES[$name]}"
  for threads in 1 2; do
    args=(--embedding "$E" --hidden "$H" --layers "$L" --vocab "$V" --T "$T" --B "$B" --dropout "$D" --steps "$STEPS")
    "$BENCH" "${args[@]}" --impl none --write-batches "$TMP/b.bin"
    : > "$TMP/f"; : > "$TMP/n"; : > "$TMP/p"
    for r in $(seq "$REPEATS"); do
      "$BENCH" "${args[@]}" --threads "$threads" --impl fused | python3 -c 'import json,sys; print(json.load(sys.stdin)["tok_s"])' >> "$TMP/f"
      "$BENCH" "${args[@]}" --threads "$threads" --impl nn | python3 -c 'import json,sys; print(json.load(sys.stdin)["tok_s"])' >> "$TMP/n"
      /usr/bin/python3 "$PEER" --batches "$TMP/b.bin" --vocab "$V" --embedding "$E" --hidden "$H" --layers "$L" \
        --dropout "$D" --T "$T" --B "$B" --steps "$STEPS" --threads "$threads" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["tok_s"])' >> "$TMP/p"
    done
    f=$(median < "$TMP/f"); n=$(median < "$TMP/n"); p=$(median < "$TMP/p")
    printf "%-14s %7s %12.0f %12.0f %12.0f %9.2f %9.2f\n" "$name" "$threads" "$f" "$n" "$p" \
      "$(echo "$f / $p" | bc -l)" "$(echo "$f / $n" | bc -l)"
  done
done
