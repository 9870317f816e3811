"""The embedding surface: read_and_verify and the reader monitor over pcscd."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.pki.trust import TrustStore
from cccd_reader.readers import open_transport
from cccd_reader.service import ReaderEvent, ReaderMonitor, read_and_verify
from cccd_sim.cards import chip_for_dump
from cccd_sim.transport import sim_transport
from tests.conftest import SAMPLES

Insert = Callable[..., AbstractContextManager[str]]
ANH = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"


def _trust() -> TrustStore:
    pki = SAMPLES / "pki"
    return TrustStore.from_paths([pki / "csca-vn.der", pki / "csca-vn.crl"],
                                 include_default=False)


def test_read_and_verify_in_process() -> None:
    steps: list[str] = []
    outcome = read_and_verify(sim_transport(ANH), AccessKey.from_can("012345"), trust=_trust(),
                              progress=lambda step, done, total: steps.append(step))
    assert outcome.record.holder is not None
    assert outcome.record.holder.full_name == "Nguyễn Thị Ngọc Ánh"
    assert outcome.record.verification.verdict == "genuine"
    assert steps[0] == "access" and steps[-1] == "verification" and "DG2" in steps


def _next(events: queue.Queue[ReaderEvent], kind: str, reader: str) -> ReaderEvent:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            event = events.get(timeout=0.5)
        except queue.Empty:
            continue
        if event.kind == kind and event.reader == reader:
            return event
    raise AssertionError(f"no {kind} event for {reader}")


@pytest.mark.pcsc
def test_monitor_sees_tap_and_removal_and_reads(vpcd_card: Insert) -> None:
    events: queue.Queue[ReaderEvent] = queue.Queue()
    monitor = ReaderMonitor(events.put, poll_interval=0.05).start()
    try:
        deadline = time.monotonic() + 10
        while "Virtual PCD 00 00" not in monitor.readers():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        card = dumpmod.load(ANH)
        with vpcd_card(chip_for_dump(card)) as reader:
            _next(events, "card_present", reader)
            outcome = read_and_verify(open_transport(reader, extended=True),
                                      AccessKey.from_personal_number("001190012345"),
                                      trust=_trust())
            assert outcome.record.verification.verdict == "genuine"
            assert outcome.result.files == card.files
        _next(events, "card_removed", reader)
    finally:
        monitor.stop()


@pytest.mark.pcsc
def test_card_service_event_stream(vpcd_card: Insert) -> None:
    """reader_added → card_present → read_progress… → record_ready → card_removed."""
    from cccd_reader.service import CardService

    events: queue.Queue[ReaderEvent] = queue.Queue()
    asked: list[str] = []

    def key_for(reader: str) -> AccessKey | None:
        asked.append(reader)
        return AccessKey.from_can("012345") if reader == "Virtual PCD 00 00" else None

    service = CardService(events.put, key_for, trust=_trust(), poll_interval=0.05).start()
    try:
        _next(events, "reader_added", "Virtual PCD 00 00")
        with vpcd_card(chip_for_dump(dumpmod.load(ANH))) as reader:
            _next(events, "card_present", reader)
            progress = _next(events, "read_progress", reader)
            assert progress.data[0] == "access"
            ready = _next(events, "record_ready", reader)
            assert ready.data.record.verification.verdict == "genuine"
            assert ready.data.record.holder.full_name == "Nguyễn Thị Ngọc Ánh"
        _next(events, "card_removed", reader)
        assert asked == ["Virtual PCD 00 00"]
    finally:
        service.stop()


def test_reader_feedback_only_when_the_profile_enables_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from cccd_reader import profiles
    from cccd_reader.service import reader_feedback

    sent: list[bytes] = []

    class Fake:
        supports_extended = False

        def transmit(self, apdu: bytes) -> bytes:
            sent.append(apdu)
            return b"\x90\x00"

        def close(self) -> None:
            pass

    name = "ACS ACR122U PICC Interface 00 00"
    assert reader_feedback(name, True, connect=lambda n: Fake()) is False  # off by default
    assert reader_feedback("Unknown 00 00", True, connect=lambda n: Fake()) is False
    assert sent == []
    acr = profiles.reader_profile(name)
    enabled = dataclasses.replace(acr, escape={**acr.escape, "enabled": True})
    monkeypatch.setattr(profiles, "reader_profile", lambda n: enabled)
    assert reader_feedback(name, True, connect=lambda n: Fake()) is True
    assert reader_feedback(name, False, connect=lambda n: Fake()) is True
    assert sent == [bytes.fromhex(acr.escape["buzzer_success"]),
                    bytes.fromhex(acr.escape["buzzer_failure"])]
