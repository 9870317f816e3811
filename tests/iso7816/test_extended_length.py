"""Extended length by the chip's word (issue 26 item 1), in process.

The ATR's card capabilities and EF.ATR/INFO are parsed from bytes built here; then every chip
mode of the virtual chip is read with an extended-capable and a short-only reader: the read
completes with every file, the verdict is the one the same sample gets from a chip that says
yes, and the APDUs of a probe or a recovery are counted. The same matrix through pcscd is
``test_extended_length_pcsc.py``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.errors import AccessDeniedError, SecureMessagingError
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.extended_length import (
    ExtendedLengthRefusedError,
    atr_word,
    historical_bytes,
    parse_atr_info,
    remembered_short,
)
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.mrz import parse as parse_mrz
from cccd_reader.read_flow import read_card
from cccd_reader.service import ReadOutcome, read_and_verify
from cccd_reader.session import open_session
from cccd_sim.cards import chip_for_dump
from cccd_sim.chip import EXTENDED_MODES, ChipConfig, VirtualChip, contactless_atr
from tests.conftest import SAMPLES

PKI = SAMPLES / "pki"
#: A BAC-only chip (no EF.CardAccess: the first extended read is under secure messaging) and a
#: PACE chip (EF.CardAccess is read in the clear before access).
BAC_SAMPLE = SAMPLES / "passport-utopia-td3"
PACE_SAMPLE = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"


# ---------------------------------------------------------------- the chip's word, as bytes


def test_historical_bytes_follow_the_interface_bytes() -> None:
    # TS, T0 (TD1 present, 4 historical bytes), TD1 (TD2 present, T=0), TD2 (T=1), hist, TCK
    atr = bytes.fromhex("3B 84 80 01") + b"\x80\x73\x00\x00" + b"\x00"
    assert historical_bytes(atr) == b"\x80\x73\x00\x00"
    assert historical_bytes(b"\x3b") is None
    assert historical_bytes(bytes.fromhex("3B 8F 80 01 80")) is None  # shorter than announced


@pytest.mark.parametrize(
    ("hist", "word", "in_ef"),
    [
        (b"\x80\x73\x94\x00\x40", "yes", False),
        (b"\x80\x73\x94\x00\x60", "yes", True),
        (b"\x80\x73\x94\x00\x00", "no", False),
        (b"\x80\x31\xc0\x73\x94\x00\x40", "yes", False),  # after another object
        (b"\x00\x73\x94\x00\x40\x00\x90\x00", "yes", False),  # category 00: status at the end
        (b"\x80\x72\x94\x00", "unknown", False),  # no third software-function byte
        (b"\x80\x73\x94\x00", "unknown", False),  # truncated object
        (b"CCCDVIRT", "unknown", False),  # proprietary
        (b"", "unknown", False),
    ],
)
def test_card_capabilities_say_yes_no_or_nothing(hist: bytes, word: str, in_ef: bool) -> None:
    said = atr_word(contactless_atr(hist))
    assert (said.word, said.info_in_ef) == (word, in_ef)


def test_no_atr_says_nothing() -> None:
    assert atr_word(None).word == "unknown"


def test_ef_atr_info_extended_length_information() -> None:
    do = tlv.encode(0x7F66, tlv.encode(0x02, b"\x01\x00\x08") + tlv.encode(0x02, b"\x04\x02"))
    info = parse_atr_info(tlv.encode(0x43, b"\x01") + do)
    assert info is not None and (info.max_command, info.max_response) == (65544, 1026)
    assert parse_atr_info(tlv.encode(0x43, b"\x01")) is None
    assert parse_atr_info(b"\x7f\x66\x05\x02") is None  # malformed
    assert parse_atr_info(tlv.encode(0x7F66, tlv.encode(0x02, b"\x00"))) is None
    assert parse_atr_info(b"\x00" * 5000) is None  # over the bound


def test_the_virtual_chip_announces_what_it_takes() -> None:
    card = dumpmod.load(BAC_SAMPLE)
    for mode, (takes, announce, _) in EXTENDED_MODES.items():
        config = replace(ChipConfig(), extended_length=takes, extended_announce=announce)
        said = atr_word(VirtualChip(card, config).atr).word
        expected = ("yes" if takes else "no") if announce == "atr" else "unknown"
        assert said == expected, mode


# ---------------------------------------------------------------- every mode, both readers


def _key(card: dumpmod.CardDump) -> AccessKey:
    if "EF.CardAccess" in card.files:
        assert card.access.mrz is not None
        number = parse_mrz(card.access.mrz).personal_number
        assert number
        return AccessKey.from_personal_number(number)
    assert card.access.mrz is not None
    return AccessKey.from_mrz(card.access.mrz)


def _read(sample: Path, mode: str, reader_extended: bool) -> tuple[ReadOutcome, VirtualChip]:
    card = dumpmod.load(sample)
    takes, announce, refusal = EXTENDED_MODES[mode]
    base = chip_for_dump(card).config
    chip = chip_for_dump(card, replace(base, extended_length=takes, extended_announce=announce,
                                       extended_refusal=refusal))
    transport = InProcessTransport(chip.process, extended=reader_extended, atr=chip.atr)
    return read_and_verify(transport, _key(card), trust=PKI), chip


@pytest.fixture(scope="module")
def baselines() -> dict[tuple[str, bool], ReadOutcome]:
    """What a chip that says yes gives with each reader: the figures every mode is held to."""
    return {
        (sample.name, ext): _read(sample, "yes", ext)[0]
        for sample in (BAC_SAMPLE, PACE_SAMPLE) for ext in (True, False)
    }


@pytest.mark.parametrize("sample", [BAC_SAMPLE, PACE_SAMPLE], ids=lambda p: p.name)
@pytest.mark.parametrize("mode", list(EXTENDED_MODES))
@pytest.mark.parametrize("reader_extended", [True, False], ids=["extended-reader", "short-reader"])
def test_every_chip_mode_reads_completely(
    baselines: dict[tuple[str, bool], ReadOutcome], sample: Path, mode: str,
    reader_extended: bool,
) -> None:
    outcome, _ = _read(sample, mode, reader_extended)
    card = dumpmod.load(sample)
    result = outcome.result
    assert {k: v for k, v in result.files.items()} == card.files
    base = baselines[(sample.name, reader_extended)]
    assert outcome.record.verification is not None and base.record.verification is not None
    assert outcome.record.verification.verdict == base.record.verification.verdict == "genuine"
    ext = result.extended_length
    short = baselines[(sample.name, False)].result.stats.apdus
    takes = EXTENDED_MODES[mode][0]
    if not reader_extended:
        # a short-only reader never asks: no EF.ATR/INFO, no probe, the short read's APDUs
        assert not ext.used and not ext.recovered
        assert result.stats.apdus == base.result.stats.apdus
        return
    assert ext.used == takes
    full = base.result.stats.apdus
    if mode == "yes":
        assert (ext.chip, ext.source, result.stats.apdus) == ("yes", "atr", full)
    elif mode == "no":
        assert (ext.chip, ext.source, result.stats.apdus) == ("no", "atr", short)
    elif mode == "ef":
        # SELECT and READ BINARY of EF.ATR/INFO, then extended reads
        assert (ext.chip, ext.source, result.stats.apdus) == ("yes", "ef_atr_info", full + 2)
    elif mode == "unknown":
        # the SELECT of EF.ATR/INFO is refused (no such file); the probe is answered
        assert (ext.chip, ext.source, result.stats.apdus) == ("yes", "probe", full + 1)
    elif sample == PACE_SAMPLE and mode == "unknown-6700":
        # EF.CardAccess, read in the clear, is the probe: refused with 6700, then short at once
        assert (ext.chip, ext.source, ext.recovered) == ("no", "probe", False)
        assert result.stats.apdus == short + 2
    else:
        # refused under secure messaging, or no answer: the session is opened again, once
        assert (ext.chip, ext.source, ext.recovered) == ("no", "probe", True)
        # the abandoned attempt is all the extra: EF.ATR/INFO's SELECT, EF.CardAccess's SELECT
        # and its unanswered read on a PACE chip (before access), or those with BAC's access
        # and the refused read under secure messaging
        assert ext.extra_apdus == 3 if sample == PACE_SAMPLE else ext.extra_apdus >= 5
        assert result.stats.apdus == short + ext.extra_apdus
    assert outcome.to_json()["wire"]["extended_length"]["recovered"] == ext.recovered


def test_a_recovery_is_remembered_for_the_tap() -> None:
    """A second session on the same transport (same tap) goes short without a probe."""
    card = dumpmod.load(BAC_SAMPLE)
    config = replace(chip_for_dump(card).config, extended_length=False, extended_announce="none")
    chip = chip_for_dump(card, config)
    transport = InProcessTransport(chip.process, extended=True, atr=chip.atr)
    key = _key(card)
    first = open_session(transport, key)
    assert first.extended_length.recovered and remembered_short(transport)
    second = open_session(transport, key)
    assert (second.extended_length.source, second.extended_length.used) == ("remembered", False)
    assert not second.extended_length.recovered
    other = InProcessTransport(chip.process, extended=True, atr=chip.atr)
    assert not remembered_short(other)  # a new tap probes again


def test_a_wrong_key_is_never_tried_twice() -> None:
    """Access fails before any read: no probe, no recovery, one MUTUAL AUTHENTICATE."""
    card = dumpmod.load(BAC_SAMPLE)
    config = replace(chip_for_dump(card).config, extended_length=False, extended_announce="none")
    chip = chip_for_dump(card, config)
    sent: list[bytes] = []

    def spy(apdu: bytes) -> bytes:
        sent.append(apdu)
        return chip.process(apdu)

    transport = InProcessTransport(spy, extended=True, atr=chip.atr)
    with pytest.raises(AccessDeniedError):
        open_session(transport, AccessKey.from_document("L898902C3", "740812", "120416"))
    assert sum(1 for a in sent if a[1] == 0x82) == 1
    assert not remembered_short(transport)


def test_a_chip_that_refuses_short_apdus_too_is_not_reopened_again() -> None:
    """One recovery, never a loop: a second refusal reaches the caller."""
    card = dumpmod.load(BAC_SAMPLE)
    chip = chip_for_dump(card)
    opened = 0

    def broken(apdu: bytes) -> bytes:
        nonlocal opened
        if apdu[1] == 0x82:
            opened += 1
        if apdu[0] & 0x0C and apdu[1] == 0xB0:
            chip.reset()
            return b"\x69\x88"
        return chip.process(apdu)

    transport = InProcessTransport(broken, extended=True, atr=None)
    with pytest.raises(SecureMessagingError) as info:
        read_card(transport, _key(card))
    assert not isinstance(info.value, ExtendedLengthRefusedError)
    assert opened == 2
