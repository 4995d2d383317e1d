#!/usr/bin/env python3
"""The studio abused over loopback (docs/reliability-server.md).

Runs `tunesmith serve` on a free port and, phase by phase: 1,000 connections
that send nothing (slowloris), headers and bodies far past the limits,
10,000 tunes in the history, concurrent delete and read of the same tunes,
and SIGKILL of the server while it writes. Throughout, a probe opens a new
connection every 50 ms and asks /healthz; the script prints the slowest
answer per phase, the statuses seen, the server's RSS, and after each kill
PRAGMA integrity_check and whether every tune answered 201 is still there.
Every loop is bounded in count and time; it talks to 127.0.0.1 only.

Usage: bench/serve_abuse.py [--binary build/bin/tunesmith] [--quick] [--only PHASE]
Exit status 1 when a check fails (/healthz slower than 100 ms or silent,
an unexpected status, a lost tune, a damaged database).
"""
import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

HOST = "127.0.0.1"
TUNE = "X:1\nT:Abuse {n}\nM:6/8\nL:1/8\nR:jig\nK:D\n|:DEF GAB|A3 F3|DEF GAB|A3 D3:|\n"
failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message, flush=True)


class Server:
    def __init__(self, binary, db, extra=()):
        self.proc = subprocess.Popen([binary, "serve", "--port", "0", "--db", db, "--threads", "1", *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"http://[^:]+:(\d+)/", line)
        if not m:
            raise SystemExit("the server did not start: " + line)
        self.port = int(m.group(1))

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS"):
                    return int(line.split()[1])
        return 0

    def kill(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        self.proc.wait(timeout=30)


def request(port, method, path, body=None, headers=None, timeout=60):
    c = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        h = dict(headers or {})
        if body is not None and "Content-Type" not in h:
            h["Content-Type"] = "application/json"
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


class Probe:
    """GET /healthz on a new connection every 50 ms; latencies by phase."""

    def __init__(self, port):
        self.port = port
        self.phase = "start"
        self.latencies = {}
        self.errors = {}
        self.stop = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop:
            phase = self.phase
            t = time.monotonic()
            try:
                status, _ = request(self.port, "GET", "/healthz", timeout=2)
                ms = (time.monotonic() - t) * 1000
                if status != 200:
                    self.errors[phase] = self.errors.get(phase, 0) + 1
                self.latencies.setdefault(phase, []).append(ms)
            except OSError:
                self.errors[phase] = self.errors.get(phase, 0) + 1
            time.sleep(0.05)

    def report(self, phase):
        lat = sorted(self.latencies.get(phase, []))
        errors = self.errors.get(phase, 0)
        if not lat:
            fail(f"{phase}: /healthz never answered")
            return
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        print(f"  /healthz during '{phase}': {len(lat)} probes, median {lat[len(lat) // 2]:.1f} ms, "
              f"p99 {p99:.1f} ms, max {lat[-1]:.1f} ms, failed {errors}", flush=True)
        if lat[-1] > 100 or errors:
            fail(f"{phase}: /healthz max {lat[-1]:.1f} ms, {errors} failed")


def phase(probe, name):
    probe.phase = name
    print(f"== {name}", flush=True)


def slowloris(port, count, hold):
    socks = []
    for _ in range(count):
        s = socket.create_connection((HOST, port), timeout=5)
        socks.append(s)
    print(f"  {len(socks)} silent connections open", flush=True)
    time.sleep(hold)
    closed = 0
    for s in socks:
        s.settimeout(0.5)
        try:
            if s.recv(1) == b"":
                closed += 1
        except OSError:
            closed += 1
        s.close()
    print(f"  after {hold} s the server had closed {closed} of them", flush=True)
    if closed < count:
        fail(f"slowloris: {count - closed} silent connections still open after {hold} s")


def raw(port, data, read_timeout=10):
    """Sends bytes, returns the status line the server answers ('' when it closes)."""
    s = socket.create_connection((HOST, port), timeout=read_timeout)
    try:
        try:
            s.sendall(data)
        except OSError:
            pass
        try:
            first = s.recv(200).split(b"\r\n", 1)[0].decode("latin-1")
        except OSError:
            first = ""
        return first
    finally:
        s.close()


def huge(port, server):
    cases = [
        ("one 100 KB header line", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n"),
        ("a 100 KB request line", b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("20,000 header lines (1 KB each)",
         b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: %s\r\n" % (i, b"b" * 1000) for i in range(20000))
         + b"\r\n"),
        ("Content-Length 1 GB", b"POST /api/tunes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         b"Content-Length: 1000000000\r\n\r\n{"),
        ("Content-Length: -1", b"POST /api/tunes HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}"),
        ("chunked 8 MB body", b"POST /api/tunes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         b"Transfer-Encoding: chunked\r\n\r\n" + b"".join(b"100000\r\n" + b"[" * 0x100000 + b"\r\n" for _ in range(8))
         + b"0\r\n\r\n"),
        ("binary garbage", bytes(random.Random(1).getrandbits(8) for _ in range(65536))),
    ]
    for name, data in cases:
        before = server.rss_kb()
        t = time.monotonic()
        status = raw(port, data)
        print(f"  {name}: answered {status!r} in {(time.monotonic() - t) * 1000:.0f} ms, "
              f"RSS {before} -> {server.rss_kb()} KB", flush=True)
        if status and not re.match(r"HTTP/1\.1 4\d\d", status):
            fail(f"{name}: answered {status!r}")


def many_tunes(port, n):
    c = http.client.HTTPConnection(HOST, port, timeout=30)
    ids = []
    t = time.monotonic()
    for i in range(n):
        c.request("POST", "/api/tunes", body=json.dumps({"abc": TUNE.format(n=i)}),
                  headers={"Content-Type": "application/json"})
        r = c.getresponse()
        body = r.read()
        if r.status != 201:
            fail(f"tune {i}: {r.status} {body[:200]!r}")
            break
        ids.append(json.loads(body)["id"])
        if i % 10 == 0:  # every tenth one starred: a 1,000-tune tunebook
            c.request("POST", f"/api/tunes/{ids[-1]}/star", body='{"starred":true}',
                      headers={"Content-Type": "application/json"})
            c.getresponse().read()
    c.close()
    print(f"  {len(ids)} tunes stored in {time.monotonic() - t:.1f} s", flush=True)
    for path in ["/api/tunes?page=1&per_page=100", f"/api/tunes?page={n // 20}&per_page=20",
                 "/api/tunes?starred=1&per_page=100", "/api/tunebook.abc"]:
        t = time.monotonic()
        status, body = request(port, "GET", path)
        print(f"  GET {path}: {status}, {len(body)} bytes, {(time.monotonic() - t) * 1000:.0f} ms", flush=True)
        if status != 200:
            fail(f"GET {path}: {status}")
    return ids


def delete_while_reading(port, ids, files_dir):
    statuses = {}
    lock = threading.Lock()
    stop = time.monotonic() + 20

    def reader(tid):
        for path in [f"/api/tunes/{tid}", f"/api/tunes/{tid}.mid", f"/api/tunes/{tid}.abc?transpose=3",
                     f"/api/tunes/{tid}.svg"]:
            if time.monotonic() > stop:
                return
            try:
                status, _ = request(port, "GET", path, timeout=60)
            except OSError as e:
                status = str(e)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    def deleter(tid):
        time.sleep(random.random() * 0.3)
        status, _ = request(port, "DELETE", f"/api/tunes/{tid}")
        with lock:
            statuses[f"DELETE {status}"] = statuses.get(f"DELETE {status}", 0) + 1

    threads = []
    for tid in ids:
        for _ in range(2):
            threads.append(threading.Thread(target=reader, args=(tid,)))
        threads.append(threading.Thread(target=deleter, args=(tid,)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"  {len(ids)} tunes read twice and deleted at once: {statuses}", flush=True)
    for s in statuses:
        if s not in (200, 404, 503, "DELETE 204"):
            fail(f"delete while reading: status {s}")
    left = [f for f in os.listdir(files_dir) if any(f.startswith(t) for t in ids)]
    if left:
        fail(f"delete while reading: {len(left)} files of deleted tunes left: {left[:5]}")
    for tid in ids:
        if request(port, "GET", f"/api/tunes/{tid}")[0] != 404:
            fail(f"tune {tid} still answers after its delete")


def kill_mid_write(binary, db, rounds):
    con_check = None
    for r in range(rounds):
        server = Server(binary, db)
        acknowledged = []
        lock = threading.Lock()
        stop = [False]

        def writer(k):
            i = 0
            while not stop[0] and i < 500:
                body = json.dumps({"abc": TUNE.format(n=f"k{r}-{k}-{i}")}) if k % 2 else json.dumps({"seed": i})
                try:
                    status, data = request(server.port, "POST", "/api/tunes", body=body, timeout=30)
                except OSError:
                    return
                if status == 201:
                    with lock:
                        acknowledged.append(json.loads(data)["id"])
                i += 1

        threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        time.sleep(random.uniform(0.5, 3.0))
        server.kill(signal.SIGKILL)
        stop[0] = True
        for t in threads:
            t.join()
        con_check = sqlite3.connect(db)
        integrity = con_check.execute("PRAGMA integrity_check").fetchone()[0]
        stored = {row[0] for row in con_check.execute("SELECT id FROM tunes")}
        half = con_check.execute("SELECT COUNT(*) FROM tunes WHERE abc = '' OR title = ''").fetchone()[0]
        con_check.close()
        lost = [i for i in acknowledged if i not in stored]
        print(f"  round {r + 1}: killed with {len(acknowledged)} tunes acknowledged; integrity_check {integrity!r}; "
              f"{len(stored)} stored, {len(lost)} acknowledged but lost, {half} half-written", flush=True)
        if integrity != "ok" or lost or half:
            fail(f"kill round {r + 1}: integrity {integrity}, lost {len(lost)}, half {half}")
    # The next start sweeps scratch folders a kill left.
    server = Server(binary, db)
    status, _ = request(server.port, "GET", "/healthz")
    scratch = [f for f in os.listdir(db + ".files") if f.startswith("render-")]
    print(f"  restarted: /healthz {status}, {len(scratch)} scratch folders left", flush=True)
    if scratch:
        fail(f"scratch folders left after restart: {scratch}")
    server.kill()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=os.environ.get("TUNESMITH_SERVE", "build/bin/tunesmith"))
    ap.add_argument("--quick", action="store_true", help="smaller counts (a check that the script runs)")
    ap.add_argument("--only", choices=["slowloris", "huge", "tunes", "kill"],
                    help="one phase alone (tunes: the history and the concurrent delete and read)")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="ts_abuse_")
    db = os.path.join(work, "studio.db")
    n_slow, n_tunes, n_delete, rounds = (100, 500, 10, 2) if a.quick else (1000, 10000, 50, 5)

    server = Server(a.binary, db)
    print(f"server on port {server.port}, pid {server.proc.pid}, RSS {server.rss_kb()} KB", flush=True)
    probe = Probe(server.port)
    time.sleep(0.5)
    phase(probe, "idle")
    time.sleep(1)
    run = lambda name: a.only in (None, name)
    if run("slowloris"):
        phase(probe, f"slowloris: {n_slow} silent connections")
        slowloris(server.port, n_slow, 8)
        probe.report(f"slowloris: {n_slow} silent connections")
    if run("huge"):
        phase(probe, "huge headers and bodies")
        huge(server.port, server)
        probe.report("huge headers and bodies")
    if run("tunes"):
        phase(probe, f"{n_tunes} tunes in the history")
        ids = many_tunes(server.port, n_tunes)
        probe.report(f"{n_tunes} tunes in the history")
        phase(probe, "concurrent delete and read")
        delete_while_reading(server.port, random.Random(2).sample(ids, n_delete), db + ".files")
        probe.report("concurrent delete and read")
    probe.report("idle")
    probe.stop = True
    print(f"RSS at the end {server.rss_kb()} KB", flush=True)
    server.kill()
    con = sqlite3.connect(db)
    print(f"PRAGMA integrity_check after a clean stop: {con.execute('PRAGMA integrity_check').fetchone()[0]}")
    con.close()
    if run("kill"):
        print(f"== SIGKILL while writing ({rounds} rounds)", flush=True)
        kill_mid_write(a.binary, db, rounds)
    print(f"{len(failures)} failed checks")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
