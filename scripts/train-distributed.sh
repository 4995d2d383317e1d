#!/usr/bin/env bash
# Data-parallel training with N processes on this machine, for a try before a
# cluster (docs/distributed.md):
#   scripts/train-distributed.sh N --config tiny --corpus DIR --out MODEL [train flags...]
# Launches `tunesmith train --distributed` through PyTorch's own launcher
# (Debian's python3-torch: /usr/bin/python3 -m torch.distributed.run) when it
# is there, else sets RANK, WORLD_SIZE, ... by hand. Each process gets
# cores/N threads. MASTER_PORT (default 29500) must be free.
set -euo pipefail
if [[ $# -lt 1 || ! "$1" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 N [tunesmith train flags...]   (N: processes, at least 1)" >&2
  exit 2
fi
n=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${TUNESMITH_BIN:-$root/build/bin/tunesmith}
port=${MASTER_PORT:-29500}
if [[ ! -x "$bin" ]]; then
  echo "$0: $bin is not built (HINT: scripts/build.sh tunesmith tunesmith-nn)" >&2
  exit 2
fi
python=${TUNESMITH_TORCHRUN_PYTHON:-/usr/bin/python3}
if "$python" -c 'import torch.distributed.run' 2>/dev/null; then
  # --redirects 1 --tee 1: the launcher's default of "0" (no redirection)
  # fails under Python 3.11 with Debian's torch 1.13 (its enum lookup of 0
  # returns None: "'NoneType' object has no attribute 'get'"); 1 sends each
  # rank's stdout to the launcher's log folder and, teed, to this terminal.
  # stderr (progress) is not redirected.
  exec "$python" -m torch.distributed.run --no_python --nnodes 1 --nproc_per_node "$n" --redirects 1 --tee 1 \
    --master_addr 127.0.0.1 --master_port "$port" "$bin" train --distributed "$@"
fi

# No torchrun: the same variables by hand; the first failure stops the others.
echo "$0: $python has no torch.distributed.run; starting $n processes by hand" >&2
pids=()
for ((rank = 0; rank < n; rank++)); do
  RANK=$rank WORLD_SIZE=$n LOCAL_RANK=$rank LOCAL_WORLD_SIZE=$n MASTER_ADDR=127.0.0.1 MASTER_PORT=$port \
    "$bin" train --distributed "$@" &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do
  if ! wait "$pid"; then
    status=1
    kill "${pids[@]}" 2>/dev/null || true
  fi
done
exit $status
