"""The real PC/SC path: pyscard -> pcscd -> vsmartcard vpcd driver -> our virtual chip (TCP).

Each test inserts a virtual card into "Virtual PCD 00 00" and reads it through pyscard exactly
as a physical reader would be read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.errors import AccessDeniedError, CardRemovedError
from cccd_reader.iso7816.pcsc import PcscTransport, reader_status
from cccd_reader.read_flow import read_card
from cccd_sim.cards import chip_for_dump
from cccd_sim.chip import ChipConfig, VirtualChip
from tests.conftest import SAMPLES, SPECIMEN_TD3, make_dump

pytestmark = pytest.mark.pcsc

Insert = Callable[..., AbstractContextManager[str]]


@pytest.mark.parametrize("extended", [True, False])
def test_bac_read_through_pcscd_is_byte_identical(vpcd_card: Insert, extended: bool) -> None:
    dump = make_dump(30000)
    chip = VirtualChip(dump, ChipConfig(extended_length=extended))
    with vpcd_card(chip) as reader:
        assert any(r.name == reader and r.card_present for r in reader_status())
        transport = PcscTransport(reader, extended=extended)
        assert transport.atr == chip.atr
        result = read_card(transport, AccessKey.from_mrz(SPECIMEN_TD3))
        transport.close()
    assert result.access.protocol == "BAC"
    for name, data in dump.files.items():
        if name == "DG3":
            assert name in result.protected
        else:
            assert result.files[name] == data, name


def _bac_samples() -> list[Path]:
    out = []
    for path in sorted(SAMPLES.glob("*/card.json")):
        card = dumpmod.load(path.parent)
        if card.access.mrz and chip_for_dump(card).config.bac:
            out.append(path.parent)
    return out


@pytest.mark.parametrize("sample", _bac_samples(), ids=lambda p: p.name)
def test_samples_read_with_bac_through_pcscd(vpcd_card: Insert, sample: Path) -> None:
    card = dumpmod.load(sample)
    chip = chip_for_dump(card)
    assert card.access.mrz is not None
    with vpcd_card(chip) as reader:
        transport = PcscTransport(reader, extended=True)
        result = read_card(transport, AccessKey.from_mrz(card.access.mrz), protocol="BAC")
        transport.close()
    assert result.access.protocol == "BAC"
    # EF.CardAccess is read too (before BAC, unprotected): every file comes back identical
    assert result.files == card.files
    assert not result.protected and not result.missing


def test_wrong_key_through_pcscd(vpcd_card: Insert) -> None:
    chip = VirtualChip(make_dump(1000))
    with vpcd_card(chip) as reader:
        transport = PcscTransport(reader)
        with pytest.raises(AccessDeniedError):
            read_card(transport, AccessKey.from_document("L898902C3", "740812", "120416"))
        transport.close()


def test_card_pulled_mid_read_through_pcscd(vpcd_card: Insert) -> None:
    dump = make_dump(30000)
    chip = VirtualChip(dump, ChipConfig(extended_length=False))
    bridge_holder: dict[str, object] = {}

    class PullAfter:
        """Card that leaves the field (closes its vpcd connection) at the 12th APDU."""

        def __init__(self) -> None:
            self.count = 0
            self.atr = chip.atr

        def reset(self) -> None:
            chip.reset()

        def process(self, apdu: bytes) -> bytes:
            self.count += 1
            if self.count == 12:
                bridge = bridge_holder["bridge"]
                threading.Thread(target=bridge.stop).start()  # type: ignore[attr-defined]
                threading.Event().wait(0.3)
            return chip.process(apdu)

    from cccd_sim.pcscd import VPCD_BASE_PORT, reader_for_port
    from cccd_sim.vpcd import VpcdBridge

    card = PullAfter()
    bridge = VpcdBridge(card, port=VPCD_BASE_PORT)
    bridge_holder["bridge"] = bridge
    with vpcd_card(_Idle()) as _:
        pass  # make sure the slot is free and pcscd is up
    bridge.start()
    name = reader_for_port(VPCD_BASE_PORT)
    import time

    deadline = time.monotonic() + 10
    while not any(r.name == name and r.card_present for r in reader_status()):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    transport = PcscTransport(name)
    with pytest.raises(CardRemovedError):
        read_card(transport, AccessKey.from_mrz(SPECIMEN_TD3))
    transport.close()
    bridge.stop()


class _Idle:
    atr = bytes.fromhex("3B8180018080")

    def reset(self) -> None:
        pass

    def process(self, apdu: bytes) -> bytes:
        return b"\x6d\x00"


def test_cccd_simulate_and_readers_commands(pcsc_readers: list[str], tmp_path: Path) -> None:
    """`cccd simulate` in its own process; `cccd readers` and `cccd read --reader` see it."""
    import json
    import os
    import subprocess
    import sys
    import time

    d = tmp_path / "card"
    dumpmod.save(make_dump(8000), d, include_access=True)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    sim = subprocess.Popen(
        [sys.executable, "-m", "cccd_reader.cli", "simulate", str(d), "--port", "35964"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            proc = subprocess.run(
                [sys.executable, "-m", "cccd_reader.cli", "readers", "--json"],
                capture_output=True, text=True, timeout=60, env=env,
            )
            status = {r["name"]: r["card_present"] for r in json.loads(proc.stdout)}
            if status.get("Virtual PCD 00 01"):
                break
            assert time.monotonic() < deadline, (status, sim.poll())
            time.sleep(0.2)
        proc = subprocess.run(
            [sys.executable, "-m", "cccd_reader.cli", "read", "--reader", "Virtual PCD 00 01",
             "--mrz", SPECIMEN_TD3, "--json"],
            capture_output=True, text=True, timeout=60, env=env,
        )
        assert proc.returncode == 0, proc.stderr
        doc = json.loads(proc.stdout)
        assert doc["files"]["DG2"] == len(make_dump(8000).files["DG2"])
        assert doc["mrz"]["document_number"] == "L898902C3"
    finally:
        sim.terminate()
        sim.wait(timeout=10)
