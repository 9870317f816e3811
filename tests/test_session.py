"""One session opener (issue 17 item 1): what :func:`open_session` leaves behind, and that the
read flow and conformance's live probes open a chip through it, with the same APDUs."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

import cccd_reader
from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.conformance import check_live
from cccd_reader.errors import AccessError, ProtocolNotSupportedError
from cccd_reader.iso7816.transcript import RecordingTransport, seeded_rng
from cccd_reader.iso7816.transport import InProcessTransport, Transport
from cccd_reader.mrz import parse as parse_mrz
from cccd_reader.read_flow import ReadResult, read_card
from cccd_reader.session import AccessInfo, Session, open_session, read_ef
from cccd_sim import issuer
from cccd_sim.cards import chip_for_dump
from tests.conftest import SAMPLES

ANH = "vn-cccd-2021-nguyen-thi-ngoc-anh"
LIFETIME = "vn-cccd-2021-le-thi-thu-huong-lifetime"
NAMES = [ANH, "vn-cancuoc-2024-dang-huu-phuoc", LIFETIME, "passport-utopia-td3"]


def _key(card: dumpmod.CardDump) -> AccessKey:
    """The key a counter would use: the CAN when the chip offers PACE, else the MRZ."""
    if "EF.CardAccess" in card.files:
        if card.access.can:
            return AccessKey.from_can(card.access.can)
        assert card.access.mrz is not None
        number = parse_mrz(card.access.mrz).personal_number
        if number:
            return AccessKey.from_personal_number(number)
    assert card.access.mrz is not None
    return AccessKey.from_mrz(card.access.mrz)


def _chip(card: dumpmod.CardDump, seed: str | None = None) -> InProcessTransport:
    kw: dict[str, Any] = {"rng": seeded_rng(f"chip/{seed}")} if seed else {}
    chip = chip_for_dump(card, **kw)
    return InProcessTransport(chip.process, extended=chip.config.extended_length)


def _cam_card() -> dumpmod.CardDump:
    base = next(s for s in issuer.SAMPLES if s.name == ANH)
    return issuer.issue(dataclasses.replace(
        base, pace=(("id-PACE-ECDH-CAM-AES-CBC-CMAC-128", 13),)))


def _assert_in_the_application(session: Session, card: dumpmod.CardDump) -> None:
    """Secure messaging is on and the LDS1 application selected: EF.COM reads as dumped."""
    assert session.channel.sm is not None
    assert read_ef(session.file_reader, "EF.COM", None) == card.files["EF.COM"]


def test_a_pace_session_carries_what_the_master_file_gave() -> None:
    card = dumpmod.load(SAMPLES / ANH)
    steps: list[tuple[str, int, int]] = []
    session = open_session(_chip(card), _key(card), progress=lambda *a: steps.append(a))
    assert (session.access.protocol, session.access.password) == ("PACE", "CAN")
    assert session.pace is not None and session.access.mapping == session.pace.mapping
    assert session.card_access == card.files["EF.CardAccess"]
    assert session.card_security is None  # only PACE-CAM needs it before the application
    assert steps == [("access", 0, 0)]
    _assert_in_the_application(session, card)


def test_a_bac_session_has_nothing_from_the_master_file() -> None:
    card = dumpmod.load(SAMPLES / LIFETIME)
    assert "EF.CardAccess" not in card.files
    session = open_session(_chip(card), _key(card))
    assert session.access == AccessInfo(protocol="BAC", cipher="3DES", password="MRZ")
    assert (session.card_access, session.card_security, session.pace) == (None, None, None)
    _assert_in_the_application(session, card)


def test_pace_cam_reads_card_security_before_entering_the_application() -> None:
    card = _cam_card()
    assert "EF.CardSecurity" in card.files
    steps: list[str] = []
    session = open_session(_chip(card), _key(card), progress=lambda n, *_: steps.append(n))
    assert session.access.mapping == "CAM"
    assert session.card_security == card.files["EF.CardSecurity"]
    assert steps[:2] == ["access", "EF.CardSecurity"]
    _assert_in_the_application(session, card)


def test_what_the_opener_refuses() -> None:
    card = dumpmod.load(SAMPLES / LIFETIME)
    with pytest.raises(ValueError, match="unknown access protocol"):
        open_session(_chip(card), _key(card), protocol="EAC")
    with pytest.raises(AccessError, match="access key"):
        open_session(_chip(card), AccessKey())
    with pytest.raises(ProtocolNotSupportedError, match="does not offer PACE"):
        open_session(_chip(card), _key(card), protocol="PACE")
    with pytest.raises(ProtocolNotSupportedError, match="a CAN is not enough"):
        open_session(_chip(card), AccessKey.from_can("123456"))


@pytest.mark.parametrize("name", NAMES)
def test_the_read_flow_opens_the_chip_through_open_session(name: str) -> None:
    """Same seeds on both sides: a read's first exchanges are exactly the opener's."""
    card = dumpmod.load(SAMPLES / name)
    opened = RecordingTransport(_chip(card, name))
    session = open_session(opened, _key(card), rng=seeded_rng(name))
    read = RecordingTransport(_chip(card, name))
    result = read_card(read, _key(card), rng=seeded_rng(name))
    n = len(opened.transcript.exchanges)
    assert n > 0 and read.transcript.exchanges[:n] == opened.transcript.exchanges
    assert result.access == session.access and result.card_access == session.card_access


@pytest.mark.parametrize("name", [ANH, LIFETIME, "cam"])
def test_the_live_probes_open_the_chip_as_a_read_does(name: str) -> None:
    """Every connection of ``check_live`` after the first (a read, then the secure-messaging
    probes) starts with the opener's commands: same headers and lengths, in the same order
    (the terminal's randomness is not seeded there, so the bytes themselves differ)."""
    card = _cam_card() if name == "cam" else dumpmod.load(SAMPLES / name)

    def headers(transport: RecordingTransport) -> list[tuple[bytes, int]]:
        return [(apdu[:4], len(apdu)) for apdu, _ in transport.transcript.exchanges]

    opened = RecordingTransport(_chip(card))
    open_session(opened, _key(card))
    opening = headers(opened)
    connections: list[RecordingTransport] = []

    def connect() -> Transport:
        connections.append(RecordingTransport(_chip(card)))
        return connections[-1]

    suite = check_live(connect, _key(card))
    outcome = {r.id: r.outcome for r in suite.results}
    assert outcome["LIVE-READ-001"] == "pass"
    assert outcome["PROTO-SM-001"] == outcome["PROTO-MAC-001"] == "pass"
    assert len(connections) == 4  # unauthenticated probe, read, plain-in-session, wrong MAC
    for transport in connections[1:]:
        assert headers(transport)[: len(opening)] == opening


def test_the_public_names_point_at_their_homes() -> None:
    assert cccd_reader.AccessKey is AccessKey
    assert cccd_reader.AccessInfo is AccessInfo
    assert cccd_reader.ReadResult is ReadResult
    assert read_card.__module__ == "cccd_reader.read_flow"
