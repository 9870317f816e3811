"""Load on the local agent: many concurrent status clients, then many sequential reads, with the
agent's memory (RSS) and open descriptors sampled from /proc while it runs.

    python bench/agent_load.py [--clients 100] [--requests 20] [--reads 1000] [--pcsc] [--json]

The agent runs as its own process (``cccd serve``), so what is measured is the agent alone.
Default: the in-process virtual card (``cccd serve --sim``). ``--pcsc``: the agent reads
through pcscd + vpcd, the card inserted into "Virtual PCD 00 00" by ``cccd simulate`` (wrap the
command in ``flock /tmp/cccd-pcsc.lock`` on a shared machine). Only 127.0.0.1 is contacted; every
loop is bounded. ``--quick`` is the small version the test suite runs.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from procstat import fds, rss_kib, threads  # bench/ beside this script

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "vn-cccd-2021-nguyen-thi-ngoc-anh"
KEY = {"id": "001190012345"}
VPCD_READER = "Virtual PCD 00 00"


class Agent:
    """``cccd serve`` as a child process on a free port."""

    def __init__(self, pcsc: bool) -> None:
        # the samples' synthetic test CSCAs, as `cccd demo` trusts them: reads end "genuine"
        pki = REPO / "samples" / "pki"
        trust = [a for p in sorted([*pki.glob("csca-*.der"), *pki.glob("csca-*.crl")])
                 for a in ("--trust", str(p))]
        cmd = [sys.executable, "-m", "cccd_reader.cli", "serve", "--port", "0",
               "--no-default-trust", *trust]
        cmd += ["--reader", VPCD_READER] if pcsc else ["--sim", str(SAMPLE)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True)
        assert self.proc.stderr is not None
        deadline = time.monotonic() + 30
        self.port = 0
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            found = re.search(r"cccd agent on http://127\.0\.0\.1:(\d+)", line)
            if found:
                self.port = int(found.group(1))
                break
            if not line and self.proc.poll() is not None:
                break
        if not self.port:
            self.stop()
            raise RuntimeError("the agent did not start")
        # drain stderr so the agent never blocks on a full pipe
        threading.Thread(target=lambda: [None for _ in self.proc.stderr or ()],
                         daemon=True).start()
        self.pid = self.proc.pid

    def sample(self) -> dict[str, int]:
        return {"rss_kib": rss_kib(self.pid), "fds": fds(self.pid),
                "threads": threads(self.pid)}

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _post_read(conn: http.client.HTTPConnection) -> tuple[int, bytes]:
    body = json.dumps(KEY).encode()
    conn.request("POST", "/v1/read", body=body, headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    return resp.status, resp.read()


def status_load(port: int, clients: int, requests: int) -> dict[str, Any]:
    """``clients`` threads at once, each on its own keep-alive connection."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        try:
            barrier.wait(timeout=30)
            for _ in range(requests):
                t0 = time.perf_counter()
                conn.request("GET", "/v1/status")
                resp = conn.getresponse()
                data = resp.read()
                mine.append(time.perf_counter() - t0)
                if resp.status != 200 or b'"readers"' not in data:
                    with lock:
                        errors.append(f"status {resp.status}")
        except Exception as exc:  # a failed client is a result, counted
            with lock:
                errors.append(type(exc).__name__)
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)

    workers = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    wall = time.perf_counter() - t0
    latencies.sort()
    return {
        "clients": clients, "requests": len(latencies), "errors": len(errors),
        "seconds": round(wall, 2), "per_s": round(len(latencies) / wall, 1) if wall else None,
        "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1)
        if latencies else None,
        "max_ms": round(1000 * latencies[-1], 1) if latencies else None,
    }


def read_load(agent: Agent, reads: int, every: int) -> dict[str, Any]:
    """Sequential reads, a new connection each (as a page's fetch often is), sampled."""
    latencies: list[float] = []
    errors = 0
    samples: list[dict[str, int]] = []
    t0 = time.perf_counter()
    for i in range(reads):
        conn = http.client.HTTPConnection("127.0.0.1", agent.port, timeout=60)
        try:
            t = time.perf_counter()
            status, data = _post_read(conn)
            latencies.append(time.perf_counter() - t)
            if status != 200 or "Nguyễn Thị Ngọc Ánh".encode() not in data:
                errors += 1
        finally:
            conn.close()
        if (i + 1) % every == 0:
            samples.append({"reads": i + 1, **agent.sample()})
    wall = time.perf_counter() - t0
    latencies.sort()
    return {
        "reads": reads, "errors": errors, "seconds": round(wall, 1),
        "per_s": round(reads / wall, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1),
        "samples": samples,
    }


def run(*, clients: int, requests: int, reads: int, warmup: int, pcsc: bool) -> dict[str, Any]:
    card: subprocess.Popen[bytes] | None = None
    if pcsc:
        card = subprocess.Popen([sys.executable, "-m", "cccd_reader.cli", "simulate",
                                 str(SAMPLE), "--port", "35963"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    agent = Agent(pcsc)
    try:
        deadline = time.monotonic() + 15
        while True:  # the card is seen (pcscd mode: after the monitor's first round)
            conn = http.client.HTTPConnection("127.0.0.1", agent.port, timeout=10)
            conn.request("GET", "/v1/status")
            doc = json.loads(conn.getresponse().read())
            conn.close()
            if any(r["card_present"] for r in doc["readers"]):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("no card seen by the agent")
            time.sleep(0.1)
        for _ in range(warmup):
            conn = http.client.HTTPConnection("127.0.0.1", agent.port, timeout=60)
            _post_read(conn)
            conn.close()
        status_load(agent.port, min(clients, 10), 5)
        time.sleep(0.3)
        start = agent.sample()
        status = status_load(agent.port, clients, requests)
        time.sleep(0.5)  # closed connections are reaped
        after_status = agent.sample()
        reading = read_load(agent, reads, every=max(1, reads // 10))
        time.sleep(0.3)
        end = agent.sample()
    finally:
        agent.stop()
        if card is not None:
            card.terminate()
            card.wait(timeout=10)
    series = [s["rss_kib"] for s in reading["samples"]]
    return {
        "mode": "pcscd+vpcd" if pcsc else "in-process virtual chip",
        "warmup_reads": warmup,
        "start": start, "after_status": after_status, "end": end,
        "status": status, "read": reading,
        "rss_growth_kib": end["rss_kib"] - start["rss_kib"],
        "rss_growth_reads_kib": (series[-1] - series[0]) if series else 0,
        "fd_growth": end["fds"] - start["fds"],
        "thread_growth": end["threads"] - start["threads"],
        "machine": f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}",
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--requests", type=int, default=20, help="status requests per client")
    ap.add_argument("--reads", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--pcsc", action="store_true", help="read through pcscd + vpcd")
    ap.add_argument("--quick", action="store_true", help="30 clients x 5, 60 reads")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.quick:
        args.clients, args.requests, args.reads, args.warmup = 30, 5, 60, 20
    doc = run(clients=args.clients, requests=args.requests, reads=args.reads,
              warmup=args.warmup, pcsc=args.pcsc)
    if args.json:
        print(json.dumps(doc, indent=2))
        return 0
    s, r = doc["status"], doc["read"]
    print(f"agent load ({doc['mode']}; {doc['machine']})")
    print(f"  status: {s['clients']} concurrent clients, {s['requests']} requests, "
          f"{s['errors']} errors, {s['per_s']}/s, p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, "
          f"max {s['max_ms']} ms")
    print(f"  reads:  {r['reads']} sequential, {r['errors']} errors, {r['per_s']}/s, "
          f"p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms")
    print("  agent   start  after-status  end")
    for key in ("rss_kib", "fds", "threads"):
        print(f"  {key:<7} {doc['start'][key]:>6} {doc['after_status'][key]:>13} "
              f"{doc['end'][key]:>5}")
    print("  rss over the reads (KiB): "
          + " ".join(str(x["rss_kib"]) for x in r["samples"]))
    print(f"  growth: rss {doc['rss_growth_kib']} KiB (reads only: "
          f"{doc['rss_growth_reads_kib']} KiB), fds {doc['fd_growth']}, "
          f"threads {doc['thread_growth']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
