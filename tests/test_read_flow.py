"""The read flow against the virtual chip in process: BAC, SM, chunking, errors."""

from __future__ import annotations

import os

import pytest

from cccd_reader.access.key import AccessKey
from cccd_reader.dump import CardDump
from cccd_reader.errors import (
    AccessDeniedError,
    AccessError,
    CardRemovedError,
    ProtocolNotSupportedError,
    SecureMessagingError,
)
from cccd_reader.iso7816.efreader import ReadLimits, sm_plain_capacity
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.read_flow import read_card
from cccd_sim.chip import ChipConfig, VirtualChip
from tests.conftest import SPECIMEN_TD3, make_dump

KEY = AccessKey.from_mrz(SPECIMEN_TD3)


class CountingChip:
    """Wraps a chip to count APDUs and record commands (INS and Le) for assertions."""

    def __init__(self, chip: VirtualChip) -> None:
        self.chip = chip
        self.commands: list[bytes] = []

    def process(self, apdu: bytes) -> bytes:
        self.commands.append(apdu)
        return self.chip.process(apdu)


def _read(dump: CardDump, config: ChipConfig | None = None, *, key: AccessKey = KEY,
          extended: bool = True) -> tuple[object, CountingChip]:
    chip = CountingChip(VirtualChip(dump, config or ChipConfig()))
    transport = InProcessTransport(chip.process, extended=extended)
    return read_card(transport, key), chip


def test_full_bac_read_is_byte_identical(synthetic_dump: CardDump) -> None:
    result, _ = _read(synthetic_dump)
    assert result.access.protocol == "BAC"  # type: ignore[attr-defined]
    files = result.files  # type: ignore[attr-defined]
    for name in ("EF.COM", "EF.SOD", "DG1", "DG2"):
        assert files[name] == synthetic_dump.files[name], name
    assert result.protected == ["DG3"]  # type: ignore[attr-defined]


def test_extended_length_reads_each_file_in_one_apdu(synthetic_dump: CardDump) -> None:
    result, chip = _read(synthetic_dump)
    # GET CHALLENGE, MUTUAL AUTH, SELECT CardAccess(6A82), SELECT app, then per file SELECT +
    # one READ; DG2 (40 KB) fits one extended read too; DG3: SELECT then 6982.
    reads = [c for c in chip.commands if c[1] in (0xB0, 0xB1)]
    assert len(reads) == 4 + 1  # EF.COM, EF.SOD, DG1, DG2, DG3 refused
    assert result.stats.apdus == len(chip.commands)  # type: ignore[attr-defined]


def test_short_apdus_use_the_largest_sm_chunk(synthetic_dump: CardDump) -> None:
    config = ChipConfig(extended_length=False)
    result, chip = _read(synthetic_dump, config, extended=False)
    assert result.files["DG2"] == synthetic_dump.files["DG2"]  # type: ignore[attr-defined]
    # under 3DES SM, 231 plain bytes fill a 256-byte protected answer
    assert sm_plain_capacity(256, 8) == 231
    assert sm_plain_capacity(256, 16) == 223
    dg2_len = len(synthetic_dump.files["DG2"])
    reads = [c for c in chip.commands if c[1] in (0xB0, 0xB1)]
    # every command is short
    assert all(len(c) <= 5 + 255 + 1 for c in chip.commands)
    expected_dg2_reads = -(-dg2_len // 231)
    assert len(reads) <= expected_dg2_reads + 3 + 1 + 2  # + small files + DG3 + B1 headers


def test_offsets_above_32767_use_odd_ins(synthetic_dump: CardDump) -> None:
    config = ChipConfig(extended_length=False)
    _, chip = _read(synthetic_dump, config, extended=False)
    assert any(c[1] == 0xB1 for c in chip.commands)


def test_chip_with_small_reads_steps_down_and_still_reads_everything() -> None:
    dump = make_dump(5000)
    config = ChipConfig(extended_length=False, eof_sw=0x6282)
    result, _ = _read(dump, config, extended=False)
    assert result.files == {k: v for k, v in dump.files.items() if k != "DG3"}  # type: ignore[attr-defined]


class WrongLengthAbove:
    """A chip that answers 6700 to any READ BINARY with Le above ``limit``, as some do."""

    def __init__(self, chip: VirtualChip, limit: int) -> None:
        self.chip, self.limit, self.refusals = chip, limit, 0

    def process(self, apdu: bytes) -> bytes:
        return self.chip.process(apdu)


def test_step_down_ladder_on_6700() -> None:
    dump = make_dump(3000)

    class Picky(VirtualChip):
        refusals = 0

        def _read_binary(self, cmd):  # type: ignore[no-untyped-def]
            if (cmd.le or 256) > 160:
                Picky.refusals += 1
                from cccd_reader.iso7816.apdu import ResponseAPDU

                return ResponseAPDU(b"", 0x6700)
            return super()._read_binary(cmd)

    chip = Picky(dump, ChipConfig(extended_length=False))
    result = read_card(InProcessTransport(chip.process, extended=False), KEY)
    assert result.files["DG2"] == dump.files["DG2"]
    # the refusal costs once per rung, not once per file
    assert Picky.refusals <= 4


def test_wrong_mrz_is_access_denied(synthetic_dump: CardDump) -> None:
    wrong = AccessKey.from_document("L898902C3", "740812", "120416")
    with pytest.raises(AccessDeniedError, match="check document number / birth / expiry"):
        _read(synthetic_dump, key=wrong)


def test_pace_only_chip_refuses_bac(synthetic_dump: CardDump) -> None:
    with pytest.raises(ProtocolNotSupportedError, match="PACE"):
        _read(synthetic_dump, ChipConfig(bac=False))


def test_can_alone_cannot_open_a_bac_chip(synthetic_dump: CardDump) -> None:
    with pytest.raises(AccessError):
        _read(synthetic_dump, key=AccessKey.from_can("123456"))


def test_mac_failure_mid_read_raises(synthetic_dump: CardDump) -> None:
    chip = VirtualChip(synthetic_dump)
    count = 0

    def tamper(apdu: bytes) -> bytes:
        nonlocal count
        count += 1
        resp = bytearray(chip.process(apdu))
        if count == 8 and len(resp) > 12:
            resp[3] ^= 0x40  # flip a ciphertext bit of a protected answer
        return bytes(resp)

    with pytest.raises(SecureMessagingError):
        read_card(InProcessTransport(tamper), KEY)


@pytest.mark.parametrize("cut", range(1, 12))
def test_card_removed_at_any_apdu_raises_cleanly(synthetic_dump: CardDump, cut: int) -> None:
    chip = VirtualChip(synthetic_dump, ChipConfig(extended_length=False))
    count = 0

    def removed(apdu: bytes) -> bytes:
        nonlocal count
        count += 1
        if count >= cut:
            raise CardRemovedError("the card was removed during the read")
        return chip.process(apdu)

    with pytest.raises(CardRemovedError):
        read_card(InProcessTransport(removed, extended=False), KEY)
    # the next tap reads in full
    chip.reset()
    result = read_card(InProcessTransport(chip.process, extended=False), KEY)
    assert result.files["DG2"] == synthetic_dump.files["DG2"]


def test_chip_enforces_access_control(synthetic_dump: CardDump) -> None:
    chip = VirtualChip(synthetic_dump)
    # no data before authentication
    assert chip.process(bytes.fromhex("00A4040C07A0000002471001"))[-2:] == b"\x90\x00"
    assert chip.process(bytes.fromhex("00A4020C020101"))[-2:] == b"\x69\x82"
    # after BAC, a plain command ends the session
    from cccd_reader.access import bac
    from cccd_reader.iso7816.transport import ApduChannel

    channel = ApduChannel(InProcessTransport(chip.process))
    bac.perform_bac(channel, KEY.mrz_information or "", rng=os.urandom)
    assert channel.send_plain(
        __import__("cccd_reader.iso7816.apdu", fromlist=["CommandAPDU"]).CommandAPDU(
            0, 0xA4, 2, 0x0C, b"\x01\x01")
    ).sw == 0x6987
    assert chip.state.sm is None


def test_limits_from_transport_default_to_short_when_unknown(synthetic_dump: CardDump) -> None:
    chip = VirtualChip(synthetic_dump)
    result = read_card(InProcessTransport(chip.process, extended=None), KEY)
    assert result.files["DG2"] == synthetic_dump.files["DG2"]
    result2 = read_card(
        InProcessTransport(VirtualChip(synthetic_dump).process, extended=None),
        KEY,
        limits=ReadLimits(extended=True),
    )
    assert result2.stats.apdus < result.stats.apdus
