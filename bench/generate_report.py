#!/usr/bin/python3
"""The Compose issue's figures for `tunesmith generate` (docs/generate.md):

  validity  N tunes with default settings and N at --temperature 1.3: read back
            by `tunesmith check`, bars off the meter, converted by abc2midi
            (through src/render, as --out DIR --format mid does), warnings;
  control   C tunes for each of --meter 6/8 --rhythm jig, --meter 4/4 --rhythm
            reel, --meter 3/4 --rhythm waltz, --mode min, --key D, --parts AABB
            --bars 8: every tune obeys (header fields read from the ABC text;
            the form counted from the ABC text by this script, independently
            of the C++ code);
  novelty   longest run of bars / notes shared with the training split, for the
            generated tunes and for the real test-split tunes
            (tunesmith-novelty-survey), side by side.

  bench/generate_report.py --bin BUILD/bin --model M --corpus DIR [--n 1000] [--control 100] --work /tmp/gen-report

Markdown tables on stdout; the commands run are printed too.
"""
import argparse
import glob
import json
import os
import re
import statistics
import subprocess
import sys
import time
from fractions import Fraction


def run(cmd, **kw):
    print("    $ " + " ".join(cmd), file=sys.stderr)
    t0 = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    return p, time.time() - t0


def generate(args, n, seed, extra, out_dir=None):
    cmd = [os.path.join(args.bin, "tunesmith"), "generate", "--model", args.model, "-n", str(n), "--seed", str(seed),
           "--json", "--threads", str(args.threads)]
    if args.corpus:
        cmd += ["--corpus"] + args.corpus
    if out_dir:
        cmd += ["--out", out_dir, "--format", "abc,mid"]
    cmd += extra
    p, dt = run(cmd)
    tunes = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
    if len(tunes) != n:
        sys.exit("generate gave %d tunes, not %d (exit %d):\n%s" % (len(tunes), n, p.returncode, p.stderr[-2000:]))
    return tunes, p, dt


def percentiles(values):
    v = sorted(values)
    if not v:
        return "-"
    def q(p):
        k = (len(v) - 1) * p
        lo, hi = int(k), min(int(k) + 1, len(v) - 1)
        return v[lo] + (v[hi] - v[lo]) * (k - lo)
    return "%g \\| %g \\| %.1f \\| %.1f \\| %g (mean %.2f)" % (v[0], q(0.5), q(0.9), q(0.95), v[-1], statistics.mean(v))


# ---- an ABC reader for what the writer prints, to count bars ------------------

NOTE = re.compile(r"(\^\^|__|\^|_|=)?[A-Ga-gz][,']*")
LENGTH = re.compile(r"(\d*)(/*)(\d*)")
BAR = re.compile(r"(\|\]|\|\||\|:|:\||::|\|)(\d)?")


def read_length(text, i):
    m = LENGTH.match(text, i)
    num, slashes, den = m.group(1), m.group(2), m.group(3)
    value = Fraction(int(num) if num else 1)
    if slashes:
        value /= int(den) if den else 2 ** len(slashes)
    return value, m.end()


def segments(abc):
    """The body as [(length in eighths, bar line or None, ending number)]."""
    body = []
    header = True
    meter = None
    for line in abc.splitlines():
        if header:
            if line.startswith("M:"):
                a, b = line[2:].strip().split("/")
                meter = Fraction(8 * int(a), int(b))
            if line.startswith("K:"):
                header = False
            continue
        if line.startswith("%"):
            continue
        body.append(line)
    text = "".join(body)
    segs, cur, ending = [], Fraction(0), 0
    tuplet_left, tuplet_factor = 0, Fraction(1)
    pending_broken = None  # factor for the next note
    last_note_len = None   # (index in notes, written length) for the first note of a broken pair
    notes = []             # sounding lengths of the current segment's notes, adjusted by broken rhythm
    q_default = {2: 3, 3: 2, 4: 3, 6: 2, 8: 3}
    i = 0
    while i < len(text):
        c = text[i]
        if c in ' \t':
            i += 1
            continue
        if c == '"':
            i = text.index('"', i + 1) + 1
            continue
        m = BAR.match(text, i)
        if m and (c == '|' or c == ':'):
            segs.append((sum(notes, Fraction(0)), m.group(1), ending))
            notes, ending = [], int(m.group(2) or 0)
            i = m.end()
            continue
        if c == '[' and i + 1 < len(text) and text[i + 1].isdigit():
            ending = int(text[i + 1])
            i += 2
            continue
        if c == '(':
            m = re.compile(r"\((\d)(?::(\d*))?(?::(\d*))?").match(text, i)
            p = int(m.group(1))
            q = int(m.group(2)) if m.group(2) else q_default.get(p, 3 if meter.numerator % 3 == 0 and meter.numerator > 3 else 2)
            tuplet_left, tuplet_factor = int(m.group(3) or p), Fraction(q, p)
            i = m.end()
            continue
        if c in '<>':
            j = i
            while j < len(text) and text[j] == c:
                j += 1
            n = j - i
            short = Fraction(1, 2 ** n)
            long_ = 2 - short
            first, second = (long_, short) if c == '>' else (short, long_)
            notes[-1] *= first
            pending_broken = second
            i = j
            continue
        if c == '-':
            i += 1
            continue
        if c == '[':
            j = text.index(']', i)
            length, i = read_length(text, j + 1)
        else:
            m = NOTE.match(text, i)
            if not m:
                raise ValueError("cannot read %r at %d" % (text[i:i + 10], i))
            length, i = read_length(text, m.end())
        if tuplet_left:
            length *= tuplet_factor
            tuplet_left -= 1
        if pending_broken is not None:
            length *= pending_broken
            pending_broken = None
        notes.append(length)
    if notes:
        segs.append((sum(notes, Fraction(0)), None, ending))
    return meter, segs


def count_aabb(abc, bars_per_part):
    """'' when the tune is |: A :: B :| (or with :| |:, endings, a pickup and
    complements) with bars_per_part bars in each part; else what is wrong."""
    meter, segs = segments(abc)
    pickup = Fraction(0)
    k = 0
    if segs and segs[0][0] == 0 and segs[0][1] == '|:':
        k = 1
    elif segs and segs[0][1] != '|:':
        return "part A does not open with |:"
    if segs[k][0] < meter:
        pickup = segs[k][0]
        k += 1
    parts = []
    closing = None
    for part in range(2):
        bars, ending1, ending2, region = 0, 0, 0, 0
        if part == 1:
            if k < len(segs) and segs[k][0] == 0 and segs[k][1] == '|:':
                k += 1  # :| |:  or  || |:
            elif closing not in ('::', '|:'):
                return "part B does not open with a repeat sign"
        if part == 1 and pickup and segs[k][0] == pickup:
            k += 1  # the pickup again
        while True:
            if k >= len(segs):
                return "part %d cut short" % (part + 1)
            length, bar, ending = segs[k]
            k += 1
            if ending == 1:
                region = 1
            elif ending == 2:
                region = 2
            full = length == meter
            if not (full or (pickup and length == meter - pickup and bar != '|')):
                return "part %d has a bar of %s eighths" % (part + 1, length)
            if region == 0:
                bars += 1
            elif region == 1:
                ending1 += 1
            else:
                ending2 += 1
            if bar == '|':
                continue
            if region == 1:
                continue  # :| then [2
            break
        if region == 2 and ending1 != ending2:
            return "part %d: endings of %d and %d bars" % (part + 1, ending1, ending2)
        parts.append(bars + ending1)
        closing = bar
        if region == 2:  # after the second ending the repeat is over
            allowed = ('||', '|:') if part == 0 else ('||', '|]')
        else:
            allowed = ('::', ':|') if part == 0 else (':|',)
        if closing not in allowed:
            return "part %s closes with %s" % ("AB"[part], closing)
    if k != len(segs):
        return "music after part B"
    if parts != [bars_per_part, bars_per_part]:
        return "parts of %s bars" % parts
    return ""


def header(abc, key):
    for line in abc.splitlines():
        if line.startswith(key + ":"):
            return line[2:].strip()
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="folder with tunesmith and tunesmith-novelty-survey")
    ap.add_argument("--model", required=True)
    ap.add_argument("--corpus", nargs="*", default=[], help="training corpus (novelty index; the real tunes' figures)")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--control", type=int, default=100)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--work", default="/tmp/generate-report")
    ap.add_argument("--skip", nargs="*", default=[], help="sections to skip: validity control novelty")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)

    generated = {}
    if "validity" not in args.skip:
        print("## Validity (%d tunes each)\n" % args.n)
        print("| setting | tunes | read by `tunesmith check` | bars | bars off meter | abc2midi converted | abc2midi errors | abc2midi warnings (tunes with any) | guard: bars drawn again / gave up | time |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for name, seed, extra in [("default", 1, []), ("--temperature 1.3", 100001, ["--temperature", "1.3"])]:
            out = os.path.join(args.work, "t%s" % ("1.3" if extra else "1.0"))
            for f in glob.glob(os.path.join(out, "*")):
                os.remove(f)
            tunes, p, dt = generate(args, args.n, seed, extra, out)
            generated[name] = tunes
            check, _ = run([os.path.join(args.bin, "tunesmith"), "check", "--json", out])
            c = json.loads(check.stdout)
            midi_ok = sum(1 for t in tunes if t["checks"]["abc2midi"] and t["checks"]["abc2midi"]["ok"])
            midi_err = sum(1 for t in tunes if t["checks"]["abc2midi"] and not t["checks"]["abc2midi"]["ok"])
            warnings = sum(t["checks"]["abc2midi"].get("warnings", 0) for t in tunes if t["checks"]["abc2midi"])
            warned = sum(1 for t in tunes if t["checks"]["abc2midi"] and t["checks"]["abc2midi"].get("warnings", 0))
            retries = sum(t["novelty"]["guard"]["bars_drawn_again"] for t in tunes)
            gave_up = sum(1 for t in tunes if t["novelty"]["guard"]["gave_up"])
            print("| %s | %d | %d/%d (%d rejected) | %d | %d | %d/%d | %d | %d (%d) | %d / %d | %.0f s |" % (
                name, len(tunes), c["read"], c["tunes"], c["rejected"], c["bars"], c["bars_off_meter"], midi_ok,
                len(tunes), midi_err, warnings, warned, retries, gave_up, dt))
        print()

    if "control" not in args.skip:
        print("## Control (%d tunes each)\n" % args.control)
        print("| options | tunes | obey | what was checked |")
        print("|---|---|---|---|")
        settings = [
            ("--meter 6/8 --rhythm jig", ["--meter", "6/8", "--rhythm", "jig"], lambda a: header(a, "M") == "6/8" and header(a, "R") == "jig", "M:6/8 and R:jig"),
            ("--meter 4/4 --rhythm reel", ["--meter", "4/4", "--rhythm", "reel"], lambda a: header(a, "M") == "4/4" and header(a, "R") == "reel", "M:4/4 and R:reel"),
            ("--meter 3/4 --rhythm waltz", ["--meter", "3/4", "--rhythm", "waltz"], lambda a: header(a, "M") == "3/4" and header(a, "R") == "waltz", "M:3/4 and R:waltz"),
            ("--mode min", ["--mode", "min"], lambda a: header(a, "K").endswith("min") or header(a, "K").endswith("m"), "K: in a minor key"),
            ("--key D", ["--key", "D"], lambda a: header(a, "K") is not None and header(a, "K").startswith("D") and not header(a, "K").startswith("Db"), "K: on D"),
            ("--parts AABB --bars 8", ["--parts", "AABB", "--bars", "8"], lambda a: count_aabb(a, 8) == "", "|: A :: B :|, 8 bars each (counted by this script)"),
        ]
        for i, (name, extra, ok, what) in enumerate(settings):
            tunes, p, dt = generate(args, args.control, 500000 + 1000 * i, extra)
            good = 0
            for t in tunes:
                if ok(t["abc"]) and t["checks"]["read"] and t["checks"]["off_meter_bars"] == 0 and t["checks"]["structure"] is True:
                    good += 1
                else:
                    print("      not obeyed: %s\n%s" % (count_aabb(t["abc"], 8) if "parts" in name else "", t["abc"]), file=sys.stderr)
            print("| `%s` | %d | %d (%.0f%%) | %s; read back, no bar off the meter |" % (name, len(tunes), good, 100.0 * good / len(tunes), what))
        print()

    if "novelty" not in args.skip and args.corpus:
        print("## Novelty: longest run shared with one training tune (min \\| median \\| p90 \\| p95 \\| max)\n")
        print("| tunes | count | bars | notes |")
        print("|---|---|---|---|")
        for name, tunes in generated.items():
            bars = [t["novelty"]["longest_shared_bars"] for t in tunes]
            notes = [t["novelty"]["longest_shared_notes"] for t in tunes if t["novelty"]["longest_shared_notes"] is not None]
            print("| generated, %s | %d | %s | %s |" % (name, len(tunes), percentiles(bars), percentiles(notes)))
        survey = os.path.join(args.bin, "tunesmith-novelty-survey")
        if os.path.exists(survey):
            for label, extra in [("real, test split vs train", []), ("real, 20 folds", ["--folds", "20"])]:
                p, _ = run([survey, "--json"] + extra + args.corpus)
                d = json.loads(p.stdout)
                b, n = d["longest_bar_run"], d["longest_note_run"]
                fmt = lambda s: "%g \\| %g \\| %.1f \\| %.1f \\| %g (mean %.2f)" % (s["min"], s["median"], s["p90"], s["p95"], s["max"], s["mean"])
                print("| %s | %d | %s | %s |" % (label, b["count"], fmt(b), fmt(n)))
        for name, tunes in generated.items():
            hist = {}
            for t in tunes:
                hist[t["novelty"]["longest_shared_bars"]] = hist.get(t["novelty"]["longest_shared_bars"], 0) + 1
            print("\n%s: tunes by longest shared run of bars: %s" % (name, ", ".join("%d: %d" % kv for kv in sorted(hist.items()))))
        print()


if __name__ == "__main__":
    main()
