#!/usr/bin/env bash
# Hostile ABC files against the light commands: wall and CPU time, peak RSS
# (/usr/bin/time -v) and how much each writes to stderr. The figures are in
# docs/reliability-input.md.
# Usage: bench/hostile_input.sh [WORK_DIR]   (default: a fresh temporary folder)
#   T=path/to/tunesmith overrides the binary (default: build/bin/tunesmith).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
T=${T:-$root/build/bin/tunesmith}
work=${1:-$(mktemp -d)}
mkdir -p "$work"
cd "$work" || exit 2
python3 - <<'PY'
parts, n, x = [], 0, 0
while n < 20 * 1024 * 1024:
    x += 1
    s = (f"X:{x}\nT:Reel {x}\nM:4/4\nL:1/8\nK:D\n|:" + "DFAd fdAF|GBdg bgdB|" * 4 + ":|\n|:" +
         "dfaf gfed|cdec ABcA|" * 4 + ":|\n\n")
    parts.append(s)
    n += len(s)
open("big-good.abc", "w").write("".join(parts))
open("hl.abc", "w").write("X:1\nT:Line\nK:C\n" + "C" * (20 << 20) + "\n")
s = "X:1\nT:Long\nM:4/4\nL:1/8\nK:G\n" + "".join("GABc dedB|\n" if b % 8 == 7 else "GABc dedB|" for b in range(100000))
open("ht.abc", "w").write(s)
open("many.abc", "w").write("".join(
    f"X:{x}\nT:Tune {x}\nM:4/4\nL:1/8\nK:G\n" + ("GABc dedB|dedB dedB|\n" if x % 2 else "GABc d/0|\n") + "\n"
    for x in range(1, 10001)))
head = "X:1\nT:Largest\nM:4/4\nL:1/8\nK:C\n"
line = "CDEFGABc|" * 9 + "\n"
open("largest.abc", "w").write(head + line * ((256 * 1024 - 100 - len(head)) // len(line)))
open("k.abc", "w").write("X:1\nK:C\n" + "k" * 64000 + "\n")
open("nested.abc", "w").write("X:1\nK:C\n" + "[" * 100000 + "C" + "]" * 100000 + "\n")
open("grace.abc", "w").write("X:1\nK:C\n" + "{" * 100000 + "C" + "}" * 100000 + "D\n")
open("quotes.abc", "w").write("X:1\nK:C\n" + '"' * 100001 + "\n")
open("slurs.abc", "w").write("X:1\nK:C\n" + "(" * 100000 + "C" + ")" * 100000 + "\n")
PY
run() {
  local label="$1"; shift
  /usr/bin/time -v "$@" > ./out.txt 2> ./err.txt
  local rc=$?
  local secs=$(grep "Elapsed (wall" ./err.txt | awk '{print $NF}')
  local rss=$(grep "Maximum resident" ./err.txt | awk '{print $NF}')
  local cpu=$(grep -E "(User|System) time" ./err.txt | awk '{s+=$NF} END {printf "%.2f", s}')
  local errbytes=$(grep -v -E "^\s+(Command|User|System|Percent|Elapsed|Average|Maximum|Major|Minor|Voluntary|Involuntary|Swaps|File system|Socket|Signals|Page size|Exit status)" ./err.txt | wc -c)
  printf '| %s | `%s` | %s | %s | %s | %d MB | %s |\n' "$label" "$(echo "$*" | sed "s|$T|tunesmith|")" "$rc" "$secs" "$cpu" "$((rss/1024))" "$errbytes"
}
echo "| input | command | exit | wall (m:s) | CPU s (user+sys) | peak RSS | stderr bytes |"
echo "|---|---|---:|---:|---:|---:|---:|"
for cmd in "check -q" "fmt" "tokens"; do
  run "20 MB line (one tune)" $T $cmd hl.abc
done
for cmd in "check -q" "fmt" "tokens"; do
  run "100,000-bar tune (1 MB)" $T $cmd ht.abc
done
for cmd in "check -q" "check" "fmt" "tokens"; do
  run "10,000 tunes, every other broken" $T $cmd many.abc
done
for cmd in "check -q" "fmt" "tokens"; do
  run "20 MB of good tunes (100,923)" $T $cmd big-good.abc
done
for cmd in "check -q" "fmt" "tokens"; do
  run "largest tune read (256 KiB, 230,000 notes)" $T $cmd largest.abc
done
run "64,000 'k' on a line" $T check k.abc
run "64,000 'k' on a line" $T check -q k.abc
run "100,000 nested [" $T check nested.abc
run "100,000 nested {" $T check grace.abc
run "100,001 \"" $T check quotes.abc
run "100,000 nested ( )" $T check slurs.abc
run "/dev/zero" $T check /dev/zero
