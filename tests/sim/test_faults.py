"""Faults at real counters: the card torn away at every APDU, silence, slowness, broken MACs,
wrong status words. Every time a clean typed error and never wrong data; then a full read.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.errors import CardRemovedError, CccdError, TransportTimeoutError
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.read_flow import read_card
from cccd_reader.service import read_with_recovery
from cccd_sim.cards import chip_for_dump
from cccd_sim.faults import Fault, FaultyCard
from tests.conftest import SAMPLES

Insert = Callable[..., AbstractContextManager[str]]
SAMPLE_KEYS = {
    "vn-cccd-2021-nguyen-thi-ngoc-anh": AccessKey.from_can("012345"),
    "passport-utopia-td3": None,  # BAC with the MRZ from card.json
}


def _load(name: str) -> tuple[dumpmod.CardDump, AccessKey]:
    card = dumpmod.load(SAMPLES / name)
    key = SAMPLE_KEYS[name]
    if key is None:
        assert card.access.mrz
        key = AccessKey.from_mrz(card.access.mrz)
    return card, key


def _apdus_of_full_read(card: dumpmod.CardDump, key: AccessKey) -> int:
    faulty = FaultyCard(chip_for_dump(card))
    read_card(InProcessTransport(faulty.process), key)
    return faulty.count


@pytest.mark.parametrize("name", list(SAMPLE_KEYS))
def test_tear_at_every_apdu_in_process(name: str) -> None:
    card, key = _load(name)
    total = _apdus_of_full_read(card, key)
    assert total > 10
    for at in range(1, total + 1):
        faulty = FaultyCard(chip_for_dump(card), [Fault(at, "remove")])
        with pytest.raises(CardRemovedError):
            read_card(InProcessTransport(faulty.process), key)
        faulty.insert()  # the next tap
        result = read_card(InProcessTransport(faulty.process), key)
        assert result.files == card.files, f"incomplete re-read after a tear at APDU {at}"


@pytest.mark.parametrize("name", list(SAMPLE_KEYS))
@pytest.mark.parametrize("kind", ["corrupt", "status"])
def test_broken_answer_at_every_apdu_never_yields_wrong_data(name: str, kind: str) -> None:
    card, key = _load(name)
    total = _apdus_of_full_read(card, key)
    for at in range(1, total + 1):
        faulty = FaultyCard(chip_for_dump(card), [Fault(at, kind, 0x6F00)])
        try:
            result = read_card(InProcessTransport(faulty.process), key)
        except CccdError:
            continue  # a clean, typed error
        # A fault the protocol can absorb (e.g. a retried short read) must still give
        # exactly the card's bytes: never altered data presented as complete.
        assert result.files == card.files, f"{kind} at APDU {at} produced wrong data"


def test_transient_timeout_is_retried_within_budget() -> None:
    card, key = _load("vn-cccd-2021-nguyen-thi-ngoc-anh")
    chip = chip_for_dump(card)
    faulty = FaultyCard(chip, [Fault(9, "timeout")])
    connects = 0

    def connect() -> InProcessTransport:
        nonlocal connects
        connects += 1
        faulty.reset()
        if connects > 1:
            faulty.faults = []
        return InProcessTransport(faulty.process)

    outcome = read_with_recovery(connect, key)
    assert connects == 2
    assert outcome.result.files == card.files

    always = FaultyCard(chip_for_dump(card))

    def flaky() -> InProcessTransport:
        always.reset()
        always.faults = [Fault(5, "timeout")]
        return InProcessTransport(always.process)

    with pytest.raises(TransportTimeoutError):
        read_with_recovery(flaky, key, attempts=3)


def test_removal_is_not_retried() -> None:
    card, key = _load("passport-utopia-td3")
    faulty = FaultyCard(chip_for_dump(card), [Fault(6, "remove")])
    connects = 0

    def connect() -> InProcessTransport:
        nonlocal connects
        connects += 1
        return InProcessTransport(faulty.process)

    with pytest.raises(CardRemovedError):
        read_with_recovery(connect, key, attempts=3)
    assert connects == 1


def test_slow_answers_still_read() -> None:
    card, key = _load("passport-utopia-td3")
    faulty = FaultyCard(chip_for_dump(card), [Fault(3, "slow", 0.2), Fault(7, "slow", 0.2)])
    t0 = time.monotonic()
    result = read_card(InProcessTransport(faulty.process), key)
    assert time.monotonic() - t0 >= 0.4
    assert result.files == card.files


def _fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


_CYCLES = """
import json, os, sys, tracemalloc
from cccd_reader import dump
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.access.key import AccessKey
from cccd_reader.read_flow import read_card
from cccd_sim.cards import chip_for_dump
card = dump.load(sys.argv[1])
key = AccessKey.from_mrz(card.access.mrz)
chip = chip_for_dump(card)
def cycle():
    chip.reset()
    read_card(InProcessTransport(chip.process), key)
for _ in range(50):
    cycle()
fds = len(os.listdir("/proc/self/fd"))
tracemalloc.start()
base, _ = tracemalloc.get_traced_memory()
for _ in range(1000):
    cycle()
now, _ = tracemalloc.get_traced_memory()
print(json.dumps({"grew": now - base, "fds_before": fds,
                  "fds_after": len(os.listdir("/proc/self/fd"))}))
"""


def test_thousand_read_cycles_without_growth() -> None:
    """1 000 full reads in a fresh interpreter (so other tests' threads cannot disturb the
    counts): traced memory and file descriptors stay flat."""
    import json
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", _CYCLES, str(SAMPLES / "passport-utopia-td3")],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    numbers = json.loads(proc.stdout)
    assert numbers["fds_after"] == numbers["fds_before"], numbers
    assert numbers["grew"] < 256 * 1024, numbers


# ---------------------------------------------------------------- through pcscd + vpcd


@pytest.mark.pcsc
@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.6, 0.95])
def test_tear_through_pcscd(pcsc_readers: list[str], fraction: float) -> None:
    from cccd_reader.iso7816.pcsc import PcscTransport, reader_status
    from cccd_sim.pcscd import VPCD_BASE_PORT, reader_for_port
    from cccd_sim.vpcd import VpcdBridge

    card, key = _load("vn-cccd-2021-nguyen-thi-ngoc-anh")
    total = _apdus_of_full_read(card, key)
    at = max(1, int(total * fraction))
    faulty = FaultyCard(chip_for_dump(card), [Fault(at, "remove")])
    name = reader_for_port(VPCD_BASE_PORT)

    def wait_present(present: bool) -> None:
        deadline = time.monotonic() + 10
        while any(r.name == name and r.card_present for r in reader_status()) != present:
            assert time.monotonic() < deadline, f"card never became present={present}"
            time.sleep(0.05)

    bridge = VpcdBridge(faulty, port=VPCD_BASE_PORT)
    faulty.on_remove = lambda: threading.Thread(target=bridge.stop).start()
    bridge.start()
    try:
        wait_present(True)
        transport = PcscTransport(name, extended=True)
        with pytest.raises(CardRemovedError):
            read_card(transport, key)
        transport.close()
        wait_present(False)
    finally:
        bridge.stop()
    # the next tap reads in full
    faulty.insert()
    bridge = VpcdBridge(faulty, port=VPCD_BASE_PORT).start()
    try:
        wait_present(True)
        transport = PcscTransport(name, extended=True)
        result = read_card(transport, key)
        transport.close()
        assert result.files == card.files
    finally:
        bridge.stop()
        wait_present(False)


@pytest.mark.pcsc
def test_hundred_cycles_through_pcscd_keep_descriptors_flat(vpcd_card: Insert) -> None:
    from cccd_reader.iso7816.pcsc import PcscTransport

    card, key = _load("passport-utopia-td3")
    chip = chip_for_dump(card)
    with vpcd_card(chip) as reader:
        for _ in range(5):
            t = PcscTransport(reader, extended=True)
            read_card(t, key)
            t.close()
        fds = _fd_count()
        for _ in range(100):
            t = PcscTransport(reader, extended=True)
            result = read_card(t, key)
            t.close()
        assert result.files == card.files
        assert _fd_count() == fds


def test_faulty_card_keeps_the_atr() -> None:
    """FaultyCard keeps the ATR of the chip it wraps (vpcd asks for it)."""
    card, _ = _load("passport-utopia-td3")
    chip = chip_for_dump(card)
    assert FaultyCard(chip).atr == chip.atr
