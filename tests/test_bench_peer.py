"""bench/peer.py (issue 32) in quick mode: every sample gets every column; without pymrtd the
peer column says why instead of a number. No timing is asserted (machines differ)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO, SAMPLES


def test_peer_bench_quick_json() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYMRTD_PYTHON"}
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "peer.py"), "--quick", "--json",
         "--pymrtd", sys.executable],  # this interpreter has no pymrtd
        capture_output=True, text=True, timeout=300, env=env,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    samples = sorted(p.parent.name for p in SAMPLES.glob("*/card.json"))
    assert samples and sorted(k for k in doc if not k.startswith("_")) == samples
    for name in samples:
        row = doc[name]
        for column in ("ours", "ours_first", "full", "asn1_ref"):
            assert row[column] > 0, (name, column)
        assert "pymrtd" not in row and "not importable" in row["pymrtd_error"]
