#!/bin/sh
# Sampling speed: tunesmith generate against the same model sampled step by
# step in Python (bench/sample_peer.py, torch.nn.LSTM from python3-torch).
#
#   bench/sample_vs_python.sh BUILD_DIR MODEL [THREADS]
#
# For 1 tune and for 100 tunes it prints, for both sides: the whole process
# (start to exit, as a user runs it) and, from inside, tokens per second and
# milliseconds per tune; then the ratios. tunesmith's side is the full chain
# (grammar mask and novelty index lookups included); the peer draws from the
# bare softmax, the same number of tokens per tune. Quote ratios from one run
# (PERFORMANCE-NOTES.md: timings drift on this machine; 1 thread is steadier).
set -eu
BUILD=${1:?usage: sample_vs_python.sh BUILD_DIR MODEL [THREADS]}
MODEL=${2:?usage: sample_vs_python.sh BUILD_DIR MODEL [THREADS]}
THREADS=${3:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
TS="$BUILD/bin/tunesmith"
BENCH="$BUILD/bin/tunesmith-sample-bench"
PY=/usr/bin/python3
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

"$BENCH" --model "$MODEL" --export "$TMP/w" 2>/dev/null

now() { date +%s.%N; }
printf '%-7s | %-34s | %-34s | %s\n' "tunes" "tunesmith: process s / ms per tune / tok/s" "python: process s / ms per tune / tok/s" "ratio (process, tok/s)"
for N in 1 100; do
  # tunesmith, as a user runs it (no novelty guard: the peer has none; the index is still loaded if the model has one).
  t0=$(now)
  "$TS" generate --model "$MODEL" -n "$N" --seed 1 --threads "$THREADS" --batch-size "$N" --no-novelty-guard \
    > /dev/null 2> "$TMP/ts.err"
  t1=$(now)
  ts_proc=$(echo "$t1 - $t0" | bc -l)
  # "... (sampling 0.09 s, 31.1 ms/tune, 10075 tok/s) ..."
  ts_ms=$(sed -n 's/.*sampling [0-9.]* s, \([0-9.]*\) ms\/tune.*/\1/p' "$TMP/ts.err")
  ts_toks=$(sed -n 's/.*ms\/tune, \([0-9]*\) tok\/s.*/\1/p' "$TMP/ts.err")
  # Same tokens per tune on the Python side.
  steps=$(echo "$ts_toks * $ts_ms / 1000" | bc -l | xargs printf '%.0f')
  t0=$(now)
  "$PY" "$HERE/sample_peer.py" --weights "$TMP/w" --tunes "$N" --steps "$steps" --threads "$THREADS" --no-warmup > "$TMP/py.json"
  t1=$(now)
  py_proc=$(echo "$t1 - $t0" | bc -l)
  py_ms=$("$PY" -c "import json;print('%.1f'%json.load(open('$TMP/py.json'))['ms_per_tune'])")
  py_toks=$("$PY" -c "import json;print('%.0f'%json.load(open('$TMP/py.json'))['tok_s'])")
  printf '%-7s | %8.2f s / %8s ms / %7s tok/s | %8.2f s / %8s ms / %7s tok/s | %.2fx faster, %.2fx tok/s  (%s tokens per tune)\n' \
    "$N" "$ts_proc" "$ts_ms" "$ts_toks" "$py_proc" "$py_ms" "$py_toks" \
    "$(echo "$py_proc / $ts_proc" | bc -l)" "$(echo "$ts_toks / $py_toks" | bc -l)" "$steps"
done
echo
echo "Model and draw only (the peer's exact loop in C++, $THREADS thread(s)):"
for N in 1 100; do
  "$BENCH" --model "$MODEL" --tunes "$N" --steps 300 --threads "$THREADS" | head -1
  "$PY" "$HERE/sample_peer.py" --weights "$TMP/w" --tunes "$N" --steps 300 --threads "$THREADS" |
    "$PY" -c "import json,sys;d=json.load(sys.stdin);print('python:     %d tunes x 300 steps: %.0f tok/s, %.1f ms per tune'%(d['tunes'],d['tok_s'],d['ms_per_tune']))"
done
