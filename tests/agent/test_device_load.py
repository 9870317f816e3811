"""A bounded version of bench/device_load.py: Socket.IO clients and webhooks during taps leave
the agent's descriptors and threads flat and every client gets every event (no timing
asserted; the full run and its numbers are in docs/agent.md)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO


def test_device_endpoint_and_webhooks_stay_flat_under_taps() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "device_load.py"), "--quick", "--json"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    clients, taps = doc["clients"], doc["taps"]
    assert (clients, taps) == (10, 30)
    # every client saw every tap, read: id 1, 2, 4, 5 each once per tap
    for event in ("1", "2", "4", "5"):
        assert doc["events"][event] == clients * taps, doc["events"]
    good = [w for w in doc["webhooks"] if w["last_error"] is None]
    failing = [w for w in doc["webhooks"] if w["last_error"] is not None]
    assert [w["delivered"] for w in good] == [taps, taps]
    assert doc["receivers"]["ok"] == 2 * taps
    # the receiver that answers 500 is retried with backoff, its queue bounded
    assert len(failing) == 1 and failing[0]["last_error"] == "http_500"
    assert failing[0]["queued"] <= 50 and 1 <= failing[0]["failed_attempts"] < taps
    assert doc["fd_growth"] <= 1, doc
    assert doc["thread_growth"] <= 1, doc
    assert doc["rss_growth_kib"] < 16 * 1024, doc
