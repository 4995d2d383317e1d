#!/usr/bin/env python3
"""Runs `tunesmith eval` once per sampling setting and prints the issue-9 figures side by side.

Usage: bench/sampling_sweep.py BIN_DIR MODEL OUT_DIR "T=1" "T=0.9" "T=0.9 K=4" "T=1 P=0.95" -- CORPUS...
       bench/sampling_sweep.py --reports NAME=report.json ...   (the same table from reports already made)

Each setting is space-separated KEY=VALUE: T temperature, P top-p, K candidates.
Every run uses the same seed and sample count (SAMPLES, default 300); the
reports stay in OUT_DIR/<setting>/ for a closer look (tunesmith-report).
"""
import json
import os
import subprocess
import sys

FIGURES = [  # (report key, label, how to print)
    ("bar_repeat_exact_4", "bar n+4 exact", "pct"),
    ("bar_repeat_similar_4", "bar n+4 similar", "pct"),
    ("duplicated_bars", "duplicated bars", "pct"),
    ("phrase_similarity", "phrase sim 1-3/5-7", "num"),
    ("first_part_ends_on_tonic", "1st part on tonic", "pct"),
    ("register_rise", "B-A semitones", "num"),
    ("key_in_dgae", "D/G/A/E", "pct"),
    ("above_b5", "above B5", "pct"),
    ("below_g3", "below G3", "pct"),
    ("jig_tunes_classic", "jigs >=80% classic", "pct"),
    ("strong_beat_chord_tones", "strong-beat chord tones", "pct"),
    ("final_chord_is_tonic", "final chord I", "pct"),
    ("tunes_with_chords", "tunes with chords", "pct"),
]


def fmt(v, how):
    if v is None:
        return "-"
    return f"{100 * v:.1f}%" if how == "pct" else f"{v:.2f}"


def likelihood_rows(rows):
    def cell(r, key, fmt):
        l = r.get("likelihood")
        if not l:
            return "-"
        v = l.get("repeats", {}).get(key) if key.startswith("repeat") or key.startswith("new") else l.get(key)
        return "-" if v is None else fmt(v)
    for label, key, f in [("test bits per tune", "bits_per_tune", lambda v: f"{v:.1f}"),
                          ("repeated bars: bits per bar (teacher-forced)", "repeat_bits_per_bar", lambda v: f"{v:.1f}"),
                          ("new bars: bits per bar", "new_bits_per_bar", lambda v: f"{v:.1f}"),
                          ("repeated bars given more than 1/2", "repeat_bar_likely", lambda v: f"{100 * v:.1f}%")]:
        print(f"| {label} | " + " | ".join(cell(r, key, f) for _, r in rows) + " | |")


def table(rows):
    head = ["figure"] + [s for s, _ in rows] + ["real test"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    real = {x["key"]: x["real"] for x in rows[0][1]["structure"]["figures"]}
    for key, label, how in FIGURES:
        cells = []
        for _, r in rows:
            gen = {x["key"]: x["generated"] for x in r["structure"]["figures"]}
            cells.append(fmt(gen.get(key), how))
        print(f"| {label} | " + " | ".join(cells) + f" | {fmt(real.get(key), how)} |")
    auc = [f"{r['classifier']['generated_vs_real']['auc']:.3f}" for _, r in rows]
    print("| classifier AUC | " + " | ".join(auc) + f" | {rows[0][1]['classifier']['real_vs_real']['halvings']['mean']:.3f} (real vs real) |")
    bars = [f"{r['novelty']['generated']['longest_bar_run']['median']:.0f} / {r['novelty']['generated']['longest_bar_run']['max']:.0f}"
            for _, r in rows]
    rb = rows[0][1]["novelty"]["real"]["longest_bar_run"]
    print("| shared bar run, median / max | " + " | ".join(bars) + f" | {rb['median']:.0f} / {rb['max']:.0f} |")
    notes = [f"{r['novelty']['generated']['longest_note_run']['median']:.0f} / {r['novelty']['generated']['longest_note_run']['max']:.0f}"
             for _, r in rows]
    rn = rows[0][1]["novelty"]["real"]["longest_note_run"]
    print("| shared note run, median / max | " + " | ".join(notes) + f" | {rn['median']:.0f} / {rn['max']:.0f} |")
    valid = [f"{r['validity']['read']}/{r['validity']['samples']}, {r['validity']['bars_off_meter']} off" for _, r in rows]
    print("| read back, bars off the meter | " + " | ".join(valid) + " | |")
    likelihood_rows(rows)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--reports":
        rows = []
        for arg in sys.argv[2:]:
            name, path = arg.split("=", 1)
            with open(path) as f:
                rows.append((name, json.load(f)))
        table(rows)
        return
    if "--" not in sys.argv:
        sys.exit(__doc__)
    sep = sys.argv.index("--")
    bin_dir, model, out_dir, *settings = sys.argv[1:sep]
    corpus = sys.argv[sep + 1:]
    samples = os.environ.get("SAMPLES", "300")
    rows = []
    for setting in settings:
        kv = dict(x.split("=") for x in setting.split())
        name = setting.replace(" ", "_").replace("=", "")
        report = os.path.join(out_dir, name)
        cmd = [os.path.join(bin_dir, "tunesmith"), "eval", "--model", model, "--corpus", *corpus,
               "--samples", samples, "--seed", "1", "--threads", "1", "--report", report,
               "--temperature", kv.get("T", "1"), "--top-p", kv.get("P", "1"), "--candidates", kv.get("K", "1")]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(os.path.join(report, "report.json")) as f:
            rows.append((setting, json.load(f)))
    table(rows)


if __name__ == "__main__":
    main()
