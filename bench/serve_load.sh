#!/usr/bin/env bash
# Load on the studio over loopback with wrk (docs/performance.md, "Studio:
# load"): POST /api/tunes (compose), GET /api/tunes/ID.wav (cached file),
# then a deliberate overload (a queue of 4, 64 connections) that must be
# answered with 503 + Retry-After only. Prints requests/s, p50/p99, the
# statuses seen and the server's RSS before and after.
# Usage: bench/serve_load.sh [SECONDS per run, default 20]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
secs=${1:-20}
bin=${TUNESMITH_SERVE:-build/bin/tunesmith}  # or build/bin/tunesmith-serve-bench (the same server alone)
command -v wrk >/dev/null || { echo "serve_load: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[ -x "$bin" ] || { echo "serve_load: build tunesmith and tunesmith-nn first (scripts/build.sh)" >&2; exit 2; }
export SERVE_STATUS_LUA="$root/bench/serve_status.lua"
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

start() {  # start QUEUE: the server on a free port, its pid in $pid, its URL in $url
  "$bin" serve --port 0 --db "$work/studio.db" --queue "$1" --threads 2 >"$work/out" 2>"$work/err" &
  pid=$!
  for _ in $(seq 200); do
    url=$(sed -n 's/.*listening on \(http[^ ]*\)\/$/\1/p' "$work/out")
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { cat "$work/err" >&2; exit 1; }
}

start 64
echo "server: $url (pid $pid), queue 64, 1 worker, batches of up to 16"
id=$(curl -sf -X POST -H 'Content-Type: application/json' -d '{"meter":"6/8","rhythm":"jig","seed":1}' \
  "$url/api/tunes" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -sf -o /dev/null "$url/api/tunes/$id.wav"
echo "rss_before_kb $(rss $pid)"

echo "== POST /api/tunes: wrk -t2 -c8 -d${secs}s"
wrk -t2 -c8 -d"${secs}s" --timeout 30s -s bench/serve_post.lua "$url/api/tunes" | grep -E '^(status|requests|seconds|p50|p99)'
echo "rss_after_post_kb $(rss $pid)"

echo "== GET /api/tunes/$id.wav: wrk -t2 -c16 -d${secs}s"
wrk -t2 -c16 -d"${secs}s" --timeout 30s -s bench/serve_get.lua "$url/api/tunes/$id.wav" | grep -E '^(status|requests|seconds|p50|p99)'
echo "rss_after_wav_kb $(rss $pid)"

echo "== POST again (RSS growth check): wrk -t2 -c8 -d${secs}s"
wrk -t2 -c8 -d"${secs}s" --timeout 30s -s bench/serve_post.lua "$url/api/tunes" | grep -E '^(status|requests|p50|p99)'
echo "rss_after_second_post_kb $(rss $pid)"
curl -sf "$url/healthz"; echo
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

start 4
echo "== overload: queue 4, wrk -t2 -c64 -d${secs}s POST (503 expected)"
wrk -t2 -c64 -d"${secs}s" --timeout 30s -s bench/serve_post.lua "$url/api/tunes" | grep -E '^(status|requests|p50|p99)'
curl -sf "$url/healthz"; echo
