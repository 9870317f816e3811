"""Extended length by the chip's word through the real stack (issue 26 item 1):
pyscard -> pcscd -> vpcd -> the virtual chip in each mode of ``cccd simulate --extended``.

Two reader profiles: the vpcd reader's own (extended APDUs, as ACR1252U, OMNIKEY 5022/5422 or
uTrust 3700 F) and a short-only one (the ACR122U's limits). For every mode the read completes
with every file, the verdict is the sample's (genuine against the test PKI), and a recovery's
extra APDUs are counted. A chip that goes mute does so for half a second, then the reader
reports it lost and the transport connects to it again (it never left the field).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.mrz import parse as parse_mrz
from cccd_reader.profiles import reader_profile
from cccd_reader.readers import open_transport
from cccd_reader.service import read_and_verify
from cccd_sim.chip import EXTENDED_MODES
from cccd_sim.simulate import SimulatedCard, SimulateOptions
from tests.conftest import SAMPLES

pytestmark = pytest.mark.pcsc

Insert = Callable[..., AbstractContextManager[str]]
PKI = SAMPLES / "pki"
BAC_SAMPLE = SAMPLES / "passport-utopia-td3"
PACE_SAMPLE = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"


def _key(card: dumpmod.CardDump) -> AccessKey:
    assert card.access.mrz is not None
    if "EF.CardAccess" in card.files:
        number = parse_mrz(card.access.mrz).personal_number
        assert number
        return AccessKey.from_personal_number(number)
    return AccessKey.from_mrz(card.access.mrz)


@pytest.mark.parametrize("sample", [BAC_SAMPLE, PACE_SAMPLE], ids=lambda p: p.name)
@pytest.mark.parametrize("mode", list(EXTENDED_MODES))
@pytest.mark.parametrize("reader", ["extended", "short-only"])
def test_every_chip_mode_through_pcscd(
    vpcd_card: Insert, sample: Path, mode: str, reader: str
) -> None:
    card = dumpmod.load(sample)
    simulated = SimulatedCard(card, SimulateOptions(extended=mode, silent_seconds=0.5))
    takes = EXTENDED_MODES[mode][0]
    with vpcd_card(simulated) as name:
        if reader == "extended":
            transport = open_transport(name)  # the vpcd profile: extended APDUs
            assert transport.supports_extended
        else:
            transport = open_transport(name, extended=False)
            transport.max_response = reader_profile("ACS ACR122U").max_response_data
        outcome = read_and_verify(transport, _key(card), trust=PKI)
    result = outcome.result
    assert result.files == card.files
    assert outcome.record.verification is not None
    assert outcome.record.verification.verdict == "genuine"
    ext = result.extended_length
    wire = outcome.to_json()["wire"]
    assert wire["apdus"] == result.stats.apdus and wire["extended_length"] == ext.to_json()
    if reader == "short-only":
        assert not ext.used and not ext.recovered and ext.source == "reader"
        return
    assert ext.used == takes
    recovers = mode == "unknown-silent" or (mode == "unknown-6700" and sample == BAC_SAMPLE)
    assert ext.recovered == recovers
    if recovers:
        assert ext.extra_apdus >= 2
        assert result.stats.apdus > ext.extra_apdus
    else:
        assert ext.extra_apdus == 0


def test_cccd_read_of_a_short_only_chip_in_an_extended_reader(
    pcsc_readers: list[str], tmp_path: Path
) -> None:
    """The issue's report: ``cccd read --reader "Virtual PCD 00 01"`` of a chip that says
    nothing and answers 6988 under SM now completes (exit 0) and says it recovered."""
    import json
    import os
    import subprocess
    import sys
    import time

    from cccd_reader.iso7816.pcsc import reader_status

    card = dumpmod.load(BAC_SAMPLE)
    assert card.access.mrz is not None
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "CCCD_MRZ": card.access.mrz}
    sim = subprocess.Popen(
        [sys.executable, "-m", "cccd_reader.cli", "simulate", str(BAC_SAMPLE), "--port", "35964",
         "--extended", "unknown-6700"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        deadline = time.monotonic() + 20
        while not any(r.name == "Virtual PCD 00 01" and r.card_present for r in reader_status()):
            assert sim.poll() is None, sim.stderr.read() if sim.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.1)
        proc = subprocess.run(
            [sys.executable, "-m", "cccd_reader.cli", "read", "--reader", "Virtual PCD 00 01",
             "--trust", str(PKI), "--no-default-trust", "--json"],
            capture_output=True, text=True, timeout=120, env=env,
        )
        assert proc.returncode == 0, proc.stderr
        doc = json.loads(proc.stdout)
        assert doc["verification"]["verdict"] == "genuine"
        ext = doc["wire"]["extended_length"]
        assert (ext["chip"], ext["recovered"], ext["used"]) == ("no", True, False)
        assert ext["extra_apdus"] >= 5
    finally:
        sim.terminate()
        sim.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(r.name == "Virtual PCD 00 01" and r.card_present for r in reader_status()):
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)


def test_conformance_live_reports_the_recovery_through_pcscd(vpcd_card: Insert) -> None:
    """``cccd conformance --live`` on a chip that ends the session on an extended READ
    BINARY: the read completes, and the recovery is a finding (a warning, with its cost)."""
    from cccd_reader.conformance import live
    from cccd_reader.pki.trust import TrustStore

    card = dumpmod.load(BAC_SAMPLE)
    simulated = SimulatedCard(card, SimulateOptions(extended="unknown-6700"))
    trust = TrustStore.from_paths([PKI], include_default=False)
    with vpcd_card(simulated) as name:
        suite = live.check_live(lambda: open_transport(name), _key(card), trust=trust)
    by_id = {r.id: r for r in suite.results}
    assert by_id["LIVE-READ-001"].outcome == "pass"
    assert by_id["PROTO-EXT-001"].outcome == "fail"
    assert by_id["PROTO-EXT-002"].outcome == "fail"
    assert "reopened" in by_id["PROTO-EXT-002"].detail
    assert suite.conformant  # warnings
