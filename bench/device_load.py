"""Load on the device-compatible Socket.IO endpoint and the webhooks: 50 Socket.IO clients
listening, 3 webhook receivers (one of which always answers 500), 200 taps; the agent's memory
(RSS), descriptors and threads sampled from /proc as the taps go by.

    python bench/device_load.py [--clients 50] [--taps 200] [--pcsc] [--json] [--quick]

The agent runs in this process (``AgentServer`` on a thread, as the desktop app hosts it); the
clients and the receivers run in a child process, so what is sampled is the agent and the tap
driver only. Each tap: one client sends ``/input_data``, the card is tapped, and the tap is
done when every client has had ``id 1``, ``2``, ``4`` and ``5``; then the card is removed.
Default: the in-process virtual card, tapped and removed through the agent's monitor callback.
``--pcsc``: the card is inserted into and removed from pcscd's "Virtual PCD 00 00" by a vpcd
bridge, and the agent reads through pyscard (wrap the command in ``flock /tmp/cccd-pcsc.lock``
on a shared machine). Only 127.0.0.1 is contacted; every wait is bounded.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from procstat import fds, rss_kib, threads  # bench/ beside this script

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SAMPLE = REPO / "samples" / "vn-cccd-2021-nguyen-thi-ngoc-anh"
PERSONAL_NUMBER = "001190012345"


# ------------------------------------------------------------------------------ the child


def child(clients: int) -> None:
    """The HIS side: ``clients`` Socket.IO clients and 3 webhook receivers; commands on stdin
    (``connect URL``, then ``go N``: client 0 sends the key for tap N; ``end``: report),
    answers on stdout."""
    import socketio

    counts = {"ok": 0, "fail": 0}
    lock = threading.Lock()

    def receiver(mode: str) -> http.server.ThreadingHTTPServer:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                with lock:
                    counts[mode] += 1
                self.send_response(204 if mode == "ok" else 500)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    servers = [receiver("ok"), receiver("ok"), receiver("fail")]
    print(json.dumps([s.server_address[1] for s in servers]), flush=True)
    command = sys.stdin.readline().split()
    if len(command) != 2 or command[0] != "connect":
        return
    url = command[1]
    seen: list[dict[int, int]] = [{} for _ in range(clients)]
    done = threading.Condition()
    socks = []
    for i in range(clients):
        sio = socketio.Client(reconnection=False)

        def on_event(data: dict[str, Any], i: int = i) -> None:
            with done:
                seen[i][data["id"]] = seen[i].get(data["id"], 0) + 1
                done.notify_all()

        sio.on("/event", on_event)
        sio.connect(url, transports=["websocket"], wait_timeout=20)
        socks.append(sio)
    print("connected", flush=True)
    for line in sys.stdin:
        words = line.split()
        if words[0] == "go":
            tap = int(words[1])
            socks[0].emit("/input_data", {"idCode": PERSONAL_NUMBER, "clientId": "bench"})
            time.sleep(0.05)  # the key is there before the tap (else: id 3, then the read)
            print("sent", flush=True)

            def all_read(tap: int = tap) -> bool:
                return all(s.get(5, 0) >= tap for s in seen)

            with done:
                ok = done.wait_for(all_read, timeout=60)
            print("done" if ok else "timeout", flush=True)
        elif words[0] == "end":
            time.sleep(1.0)  # the last tap's webhooks
            with lock:
                hooks = dict(counts)
            totals = {str(k): sum(s.get(k, 0) for s in seen) for k in (1, 2, 3, 4, 5)}
            print(json.dumps({"events": totals, "webhooks": hooks}), flush=True)
            break
    for sio in socks:
        sio.disconnect()


# ------------------------------------------------------------------------------ the agent side


class Taps:
    """Taps and removals: the in-process virtual card (through the monitor callback) or the
    vpcd bridge into pcscd."""

    def __init__(self, pcsc: bool) -> None:
        from cccd_reader import dump as dumpmod
        from cccd_sim.cards import chip_for_dump

        self.pcsc = pcsc
        self._dump = dumpmod.load(SAMPLE)
        self._chip = chip_for_dump
        self.on_event: Callable[[Any], None] | None = None
        self.present = False
        self.bridge: Any = None

    def backend(self) -> Any:
        from cccd_reader.agent.backend import PcscBackend

        if self.pcsc:
            return PcscBackend(poll_interval=0.1)
        return _TapBackend(self)

    def tap(self) -> None:
        if self.pcsc:
            from cccd_sim.pcscd import VPCD_BASE_PORT
            from cccd_sim.vpcd import VpcdBridge

            self.bridge = VpcdBridge(self._chip(self._dump), port=VPCD_BASE_PORT).start()
            return
        from cccd_reader.service import ReaderEvent

        self.present = True
        assert self.on_event is not None
        self.on_event(ReaderEvent("card_present", _TapBackend.NAME))

    def remove(self) -> None:
        if self.pcsc:
            self.bridge.stop()
            time.sleep(0.4)  # pcscd and the agent's monitor see the removal
            return
        from cccd_reader.service import ReaderEvent

        self.present = False
        assert self.on_event is not None
        self.on_event(ReaderEvent("card_removed", _TapBackend.NAME))


class _TapBackend:
    NAME = "cccd virtual card (bench)"

    def __init__(self, taps: Taps) -> None:
        from cccd_sim.agent import SimBackend

        self.taps = taps
        self.sim = SimBackend(SAMPLE)

    def readers(self) -> list[tuple[str, bool]]:
        return [(self.NAME, self.taps.present)]

    def connect(self, reader: str) -> Any:
        return self.sim.connect(reader)

    def monitor(self, on_event: Callable[[Any], None]) -> Any:
        self.taps.on_event = on_event

        class Quiet:
            def start(self) -> object:
                return self

            def stop(self) -> None:
                pass

        return Quiet()


def run(clients: int, n_taps: int, pcsc: bool) -> dict[str, Any]:
    from cccd_reader.agent import AgentConfig, AgentServer
    from cccd_reader.agent.webhooks import parse_target
    from cccd_reader.pki.trust import TrustStore

    pid = os.getpid()
    taps = Taps(pcsc)
    proc = subprocess.Popen([sys.executable, __file__, "--child", str(clients)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None

    def say(line: str) -> None:
        assert proc.stdin is not None
        proc.stdin.write(line + "\n")
        proc.stdin.flush()

    def hear() -> str:
        assert proc.stdout is not None
        return proc.stdout.readline().strip()

    ports = json.loads(hear())
    trust = TrustStore.from_paths([REPO / "samples" / "pki"], include_default=False)
    config = AgentConfig(
        port=0, socketio_port=0, socketio_allow_local=True, installation_id="00bench00bench00",
        backend=taps.backend(), trust=trust, webhook_format="device",
        webhooks=[parse_target(f"http://127.0.0.1:{p}/hook") for p in ports],
    )
    samples: list[dict[str, int]] = []
    times: list[float] = []
    with AgentServer(config) as agent:
        say(f"connect {agent.socketio_url}")
        assert hear() == "connected"
        warm = max(1, n_taps // 20)
        for i in range(1, n_taps + 1):
            t0 = time.monotonic()
            say(f"go {i}")
            assert hear() == "sent"
            taps.tap()
            result = hear()
            if result != "done":
                raise RuntimeError(f"tap {i}: {result}")
            times.append(time.monotonic() - t0)
            taps.remove()
            if i == warm or i % max(1, n_taps // 10) == 0:
                samples.append({"tap": i, "rss_kib": rss_kib(pid), "fds": fds(pid),
                                "threads": threads(pid)})
        say("end")
        report = json.loads(hear())
        import urllib.request

        with urllib.request.urlopen(f"{agent.url}/v1/status", timeout=10) as resp:
            hooks = json.load(resp)["webhooks"]
    proc.wait(timeout=30)
    after_warm = [s for s in samples if s["tap"] >= warm]
    return {
        "mode": "pcscd+vpcd" if pcsc else "in-process virtual card",
        "clients": clients, "taps": n_taps, "events": report["events"],
        "receivers": report["webhooks"], "webhooks": hooks,
        "tap_seconds": {"p50": round(statistics.median(times), 3),
                        "p95": round(sorted(times)[int(len(times) * 0.95) - 1], 3),
                        "max": round(max(times), 3)},
        "samples": samples,
        "rss_growth_kib": after_warm[-1]["rss_kib"] - after_warm[0]["rss_kib"],
        "fd_growth": after_warm[-1]["fds"] - after_warm[0]["fds"],
        "thread_growth": after_warm[-1]["threads"] - after_warm[0]["threads"],
    }


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(int(sys.argv[2]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--taps", type=int, default=200)
    parser.add_argument("--pcsc", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true", help="10 clients, 30 taps")
    args = parser.parse_args()
    clients, n_taps = (10, 30) if args.quick else (args.clients, args.taps)
    doc = run(clients, n_taps, args.pcsc)
    if args.json:
        print(json.dumps(doc))
        return 0
    first, last = doc["samples"][0], doc["samples"][-1]
    print(f"device endpoint load ({doc['mode']})")
    print(f"  {doc['clients']} Socket.IO clients, {doc['taps']} taps, 3 webhooks (one answers "
          f"500): events {doc['events']}")
    print(f"  tap to every client's id 5: p50 {doc['tap_seconds']['p50'] * 1000:.0f} ms, "
          f"p95 {doc['tap_seconds']['p95'] * 1000:.0f} ms, max "
          f"{doc['tap_seconds']['max'] * 1000:.0f} ms")
    print(f"  receivers got {doc['receivers']}; status {doc['webhooks']}")
    print(f"  agent rss {first['rss_kib']} KiB (tap {first['tap']}) -> {last['rss_kib']} "
          f"(tap {last['tap']}); fds {first['fds']} -> {last['fds']}; threads "
          f"{first['threads']} -> {last['threads']}")
    print(f"  rss at each sample: {[s['rss_kib'] for s in doc['samples']]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
