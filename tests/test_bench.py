"""bench/run.py in quick mode: the figures exist and are consistent (no timing thresholds)."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import REPO, SAMPLES


def test_bench_quick_json() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--json"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    samples = sorted(p.parent.name for p in SAMPLES.glob("*/card.json"))
    assert samples, "no samples to benchmark"
    for name in samples:
        ext, short = doc[name], doc[f"{name} (short APDUs)"]
        for row in (ext, short):
            assert row["apdus"] > 0 and row["bytes_received"] > row["payload_bytes"]
            assert row["host_cpu_ms"] >= 0
        # extended length can only save round trips
        assert ext["apdus"] <= short["apdus"]
        assert ext["payload_bytes"] == short["payload_bytes"]
