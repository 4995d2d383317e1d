#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined,
# in build-fuzz/) and runs one, or each, for SECONDS.
#
# Usage: scripts/fuzz.sh TARGET SECONDS [LIBFUZZER_FLAG...]
#   TARGET: abc_reader_fuzz, tokenizer_fuzz, checkpoint_fuzz, request_fuzz, or all (each
#   in turn, SECONDS each); the _fuzz suffix may be left out.
#
# Seeds are the project's own test tunes (scripts/fuzz_seeds.py), written to
# build-fuzz/fuzz/TARGET/seeds/ at run time (the tokenizer and checkpoint
# targets turn them into id sequences and small model files themselves). What
# the fuzzer learns is kept in build-fuzz/fuzz/TARGET/corpus/ for the next run;
# a crash is written to build-fuzz/fuzz/TARGET/crash-* and the script exits 1.
# The last line for each target says how many inputs were executed.
# docs/reliability-fuzz.md has the results.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ $# -lt 2 ]; then
  sed -n '2,16p' "$0" >&2
  exit 2
fi
target=$1 seconds=$2
shift 2
case "$seconds" in '' | *[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;; esac

all=(abc_reader_fuzz tokenizer_fuzz checkpoint_fuzz request_fuzz)
if [ "$target" = all ]; then
  targets=("${all[@]}")
else
  target=${target%_fuzz}_fuzz
  known=" ${all[*]} "
  if [[ "$known" != *" $target "* ]]; then
    echo "fuzz.sh: unknown target '$1' (known: ${all[*]} all)" >&2
    exit 2
  fi
  targets=("$target")
fi

build=build-fuzz
if [ ! -f "$build/CMakeCache.txt" ]; then
  gen=()
  command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
  launcher=()
  command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  CC=clang CXX=clang++ cmake -S . -B "$build" "${gen[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTUNESMITH_FUZZ=ON
fi
build_targets=()
for t in "${targets[@]}"; do build_targets+=(--target "$t"); done
cmake --build "$build" --parallel "${TUNESMITH_BUILD_JOBS:-$(nproc)}" "${build_targets[@]}"

tunes=$build/fuzz/tunes
rm -rf "$tunes"
echo "fuzz.sh: $(python3 scripts/fuzz_seeds.py "$tunes") test tunes as seeds" >&2

status=0
for t in "${targets[@]}"; do
  dir=$build/fuzz/$t
  bin=$build/bin/$t
  rm -rf "$dir/seeds"
  # TUNESMITH_FUZZ_FRESH=1 (CI): start from the seeds alone, so that with
  # -seed and -runs the run is the same on every machine.
  corpus=$dir/corpus
  if [ "${TUNESMITH_FUZZ_FRESH:-0}" = 1 ]; then corpus=$dir/fresh-corpus; rm -rf "$corpus"; fi
  mkdir -p "$dir/seeds" "$corpus"
  if [ "$t" = abc_reader_fuzz ]; then
    cp "$tunes"/* "$dir/seeds/"
  elif [ "$t" = request_fuzz ]; then
    python3 scripts/fuzz_seeds.py --requests "$dir/seeds" >/dev/null
  else
    TUNESMITH_FUZZ_SEEDS_FROM=$tunes TUNESMITH_FUZZ_SEEDS_TO=$dir/seeds "$bin"
  fi
  log=$dir/last-run.log
  # -rss_limit_mb: an input that makes the program hold 2 GB is a finding (issue 13: bounded memory).
  # -timeout: one input running 10 s is a finding (a hang).
  set +e
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$dir/" "$@" "$corpus" "$dir/seeds" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [ $rc -ne 0 ]; then
    grep -E '^==[0-9]+==|ERROR|SUMMARY|runtime error|Test unit written|tokenizer_fuzz:|checkpoint_fuzz:|round trip' "$log" | head -20 >&2
    echo "fuzz.sh: $t FAILED after ${execs:-?} executions in ${seconds} s (exit $rc); log: $log" >&2
    status=1
  else
    echo "fuzz.sh: $t: ${execs:-?} executions (at most ${seconds} s), no crash ($(ls "$corpus" | wc -l) inputs in $corpus)" >&2
  fi
done
exit $status
