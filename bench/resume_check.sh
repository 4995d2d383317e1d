#!/bin/bash
# Resume check through the command line: a run killed with SIGKILL mid-epoch and
# resumed with --resume must end exactly like an uninterrupted run with the
# same seed (same final validation loss; the model files are byte-identical).
#   bench/resume_check.sh [BUILD_DIR]
set -u
NN=${NN:-${1:-build}/bin/tunesmith-nn}
CORPUS=${CORPUS:-$(cd "$(dirname "$0")/.." && pwd)/data/corpus/nottingham-cleaned}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
cat > "$D/cfg.json" <<'J'
{"tokenizer": "abc-token",
 "model": {"type": "lstm", "embedding": 32, "hidden": 64, "layers": 2, "dropout": 0.2},
 "train": {"batching": "stream", "seq_len": 32, "batch_size": 16, "lr": 0.005, "warmup_steps": 20,
           "epochs": 5, "patience": 0, "log_every": 20}}
J
common=(--config "$D/cfg.json" --corpus "$CORPUS" --threads 1 --seed 5)
"$NN" train "${common[@]}" --out "$D/whole.ckpt" > /dev/null 2> "$D/whole.log" || { cat "$D/whole.log"; exit 1; }
# The broken run: SIGKILL mid-epoch 3, after MODEL.last of epoch 2 was written.
"$NN" train "${common[@]}" --out "$D/broken.ckpt" > /dev/null 2> "$D/broken1.log" &
pid=$!
while ! grep -q '"epoch":2,"kind":"valid"' "$D/broken.ckpt.metrics.jsonl" 2>/dev/null; do sleep 0.2; done
sleep 1.5
kill -9 $pid
wait $pid 2>/dev/null
echo "killed with SIGKILL after: $(tail -n 1 "$D/broken.ckpt.metrics.jsonl")"
"$NN" train "${common[@]}" --out "$D/broken.ckpt" --resume > /dev/null 2> "$D/broken2.log" || { cat "$D/broken2.log"; exit 1; }
python3 - "$D" <<'P'
import json, sys
d = sys.argv[1]
def last_valid(p):
    return [json.loads(l) for l in open(p) if '"kind":"valid"' in l][-1]
a = last_valid(d + "/whole.ckpt.metrics.jsonl")
b = last_valid(d + "/broken.ckpt.metrics.jsonl")
print("uninterrupted:  epoch %d step %d final valid loss %.8f" % (a["epoch"], a["step"], a["loss"]))
print("killed+resumed: epoch %d step %d final valid loss %.8f" % (b["epoch"], b["step"], b["loss"]))
print("difference: %.3g (%s)" % (abs(a["loss"] - b["loss"]), "OK" if abs(a["loss"] - b["loss"]) <= 1e-4 else "FAIL"))
sys.exit(0 if abs(a["loss"] - b["loss"]) <= 1e-4 else 1)
P
status=$?
cmp -s "$D/whole.ckpt" "$D/broken.ckpt" && echo "best model files are byte-identical"
cmp -s "$D/whole.ckpt.last" "$D/broken.ckpt.last" && echo "resume files are byte-identical"
exit $status
