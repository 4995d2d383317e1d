#!/usr/bin/env python3
"""Writes the project's own test tunes into a folder, one file each, as seeds
for the libFuzzer targets (scripts/fuzz.sh calls this; nothing is committed).

Sources: docs/examples/*.abc, the "abc" texts of tests/golden/*.jsonl, and
every C++ string literal (adjacent literals joined, raw strings included) in
the tests (src/**/*_test.cc, tests/*.cc) that holds a K: field.

With --requests, writes request_fuzz inputs instead (a parser byte, then a
body): the JSON bodies of src/serve/*_test.cc for each body parser, each
test tune as {"abc": ...}, and query strings.

Usage: scripts/fuzz_seeds.py [--requests] OUT_DIR   (prints the number of seeds written)
"""
import hashlib
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# One C++ string literal: a raw string R"delim(...)delim" or an ordinary "...".
LITERAL = re.compile(r'R"([^(\s]*)\((.*?)\)\1"|"((?:[^"\\\n]|\\.)*)"', re.S)
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'", "?": "?", "a": "\a",
           "b": "\b", "f": "\f", "v": "\v"}


def unescape(body: str) -> bytes:
    out = bytearray()
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\" or i + 1 == len(body):
            out += ch.encode("utf-8")
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "x":
            m = re.match(r"[0-9a-fA-F]{1,2}", body[i + 2:])
            if m:
                out.append(int(m.group(0), 16))
                i += 2 + len(m.group(0))
                continue
        if nxt in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            out.append(int(m.group(0), 8) & 0xFF)
            i += 1 + len(m.group(0))
            continue
        out += ESCAPES.get(nxt, nxt).encode("utf-8")
        i += 2
    return bytes(out)


def literals(source: str):
    """Yields each run of adjacent string literals, joined, as bytes."""
    run, end = [], None
    for m in LITERAL.finditer(source):
        if end is not None and source[end:m.start()].strip() == "" and run:
            pass
        elif run:
            yield b"".join(run)
            run = []
        run.append(m.group(2).encode("utf-8") if m.group(2) is not None else unescape(m.group(3)))
        end = m.end()
    if run:
        yield b"".join(run)


def tunes():
    for path in sorted((ROOT / "docs" / "examples").glob("*.abc")):
        yield path.read_bytes()
    for path in sorted((ROOT / "tests" / "golden").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and isinstance(record.get("abc"), str):
                yield record["abc"].encode("utf-8")
    tests = sorted(ROOT.glob("src/**/*_test.cc")) + sorted((ROOT / "tests").glob("*.cc"))
    for path in tests:
        for text in literals(path.read_text(encoding="utf-8", errors="replace")):
            if b"K:" in text and len(text) >= 8:
                yield text


def requests():
    """request_fuzz inputs: the first byte picks the parser (request_fuzz.cc)."""
    bodies = []
    for path in sorted(ROOT.glob("src/serve/*_test.cc")):
        for text in literals(path.read_text(encoding="utf-8", errors="replace")):
            if text.startswith(b"{") and len(text) < 4096:
                bodies.append(text)
    for body in bodies:
        for parser in range(5):
            yield bytes([parser]) + body
    for i, text in enumerate(tunes()):
        if i % 8 == 0:
            yield bytes([4]) + json.dumps({"abc": text.decode("utf-8", "replace")}).encode("utf-8")
            yield bytes([1]) + json.dumps({"abc": text.decode("utf-8", "replace"), "parent": "abc123"}).encode("utf-8")
    for query in (b"page=3&per_page=5&starred=1", b"page=0", b"per_page=1000&page=99999999999999999999"):
        yield bytes([5]) + query
    for query in (b"transpose=-3&tempo=120&lilt=swing&part=B", b"transpose=13", b"tempo=abc&part=C"):
        for ext in range(6):
            yield bytes([6 + 8 * ext]) + query
    yield bytes([7]) + b"abc123def"


def main() -> int:
    args = sys.argv[1:]
    make = tunes
    if args[:1] == ["--requests"]:
        make = requests
        args = args[1:]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = pathlib.Path(args[0])
    out.mkdir(parents=True, exist_ok=True)
    seen = set()
    for text in make():
        digest = hashlib.sha1(text).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        (out / f"tune-{digest[:16]}.abc").write_bytes(text)
    print(len(seen))
    return 0 if seen else 1


if __name__ == "__main__":
    sys.exit(main())
