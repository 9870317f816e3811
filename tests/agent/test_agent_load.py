"""A bounded version of bench/agent_load.py: concurrent status clients and sequential reads
leave the agent's descriptors, threads and memory flat (no timing asserted: CI machines
differ; the full run and its numbers are in bench/ and docs/agent.md)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO


def test_agent_stays_flat_under_load() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "agent_load.py"), "--quick", "--json"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["status"]["errors"] == 0 and doc["status"]["requests"] == 30 * 5
    assert doc["read"]["errors"] == 0 and doc["read"]["reads"] == 60
    # every connection the clients opened was closed again, no worker thread leaked
    assert doc["fd_growth"] <= 1, doc
    assert doc["thread_growth"] <= 1, doc
    # nothing of a read accumulates: RSS over the 60 reads after warm-up stays within 8 MiB
    assert doc["rss_growth_reads_kib"] < 8 * 1024, doc
    assert len(doc["read"]["samples"]) == 10
