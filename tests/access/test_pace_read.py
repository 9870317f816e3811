"""PACE in the read flow, in process and through the real pcscd + vpcd stack, on the samples."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.errors import AccessDeniedError, ProtocolNotSupportedError
from cccd_reader.iso7816.pcsc import PcscTransport
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.read_flow import read_card
from cccd_sim.cards import chip_for_dump
from tests.conftest import SAMPLES

Insert = Callable[..., AbstractContextManager[str]]
ANH = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"
PHUOC = SAMPLES / "vn-cancuoc-2024-dang-huu-phuoc"


def _in_process(path: object, key: AccessKey, **kw: object) -> object:
    card = dumpmod.load(path)  # type: ignore[arg-type]
    chip = chip_for_dump(card)
    return read_card(InProcessTransport(chip.process), key, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("sample", [ANH, PHUOC], ids=lambda p: p.name)
@pytest.mark.parametrize("password", ["CAN", "MRZ", "ID"])
def test_pace_read_in_process(sample: object, password: str) -> None:
    card = dumpmod.load(sample)  # type: ignore[arg-type]
    assert card.access.can and card.access.mrz
    key = {
        "CAN": AccessKey.from_can(card.access.can),
        "MRZ": AccessKey.from_mrz(card.access.mrz),
        # Vietnamese cards: the personal number alone opens the chip (CAN = its last 6 digits)
        "ID": AccessKey.from_personal_number(
            __import__("cccd_reader.mrz", fromlist=["parse"]).parse(card.access.mrz)
            .personal_number
        ),
    }[password]
    result = read_card(InProcessTransport(chip_for_dump(card).process), key)
    assert result.access.protocol == "PACE"
    assert result.access.password == ("MRZ" if password == "MRZ" else "CAN")
    assert result.access.mapping == "GM"
    assert result.access.cipher.startswith("AES")
    assert result.files == card.files


def test_pace_only_card_refuses_bac() -> None:
    card = dumpmod.load(PHUOC)
    assert card.access.mrz
    with pytest.raises(ProtocolNotSupportedError, match="PACE"):
        _in_process(PHUOC, AccessKey.from_mrz(card.access.mrz), protocol="BAC")


def test_wrong_can_names_the_password_and_does_not_retry() -> None:
    card = dumpmod.load(ANH)
    chip = chip_for_dump(card)
    commands: list[bytes] = []

    def spy(apdu: bytes) -> bytes:
        commands.append(apdu)
        return chip.process(apdu)

    with pytest.raises(AccessDeniedError, match="CAN") as err:
        read_card(InProcessTransport(spy), AccessKey.from_can("999999"))
    assert err.value.password_type == "CAN"
    assert sum(1 for c in commands if c[1] == 0x22) == 1  # one MSE:Set AT, no retry loop


@pytest.mark.pcsc
@pytest.mark.parametrize("sample", [ANH, PHUOC], ids=lambda p: p.name)
def test_pace_read_through_pcscd(vpcd_card: Insert, sample: object) -> None:
    card = dumpmod.load(sample)  # type: ignore[arg-type]
    assert card.access.can
    chip = chip_for_dump(card)
    with vpcd_card(chip) as reader:
        transport = PcscTransport(reader, extended=True)
        result = read_card(transport, AccessKey.from_can(card.access.can))
        transport.close()
    assert result.access.protocol == "PACE"
    assert result.files == card.files


# Variants of the 2021 sample for every PACE family; issued by the test itself.
PACE_VARIANTS = [
    ("id-PACE-ECDH-GM-AES-CBC-CMAC-128", 13, "GM"),
    ("id-PACE-ECDH-GM-AES-CBC-CMAC-256", 13, "GM"),
    ("id-PACE-ECDH-GM-3DES-CBC-CBC", 12, "GM"),
    ("id-PACE-DH-GM-AES-CBC-CMAC-128", 2, "GM"),
    ("id-PACE-ECDH-IM-AES-CBC-CMAC-128", 13, "IM"),
    ("id-PACE-ECDH-CAM-AES-CBC-CMAC-128", 13, "CAM"),
]


def _variant(protocol: str, parameter_id: int) -> dumpmod.CardDump:
    import dataclasses

    from cccd_sim import issuer

    base = next(s for s in issuer.SAMPLES if s.name == ANH.name)
    return issuer.issue(dataclasses.replace(base, pace=((protocol, parameter_id),)))


@pytest.mark.pcsc
@pytest.mark.parametrize("protocol,parameter_id,mapping", PACE_VARIANTS,
                         ids=[v[0] for v in PACE_VARIANTS])
def test_every_pace_family_through_pcscd(
    vpcd_card: Insert, protocol: str, parameter_id: int, mapping: str
) -> None:
    card = _variant(protocol, parameter_id)
    assert card.access.can
    with vpcd_card(chip_for_dump(card)) as reader:
        transport = PcscTransport(reader, extended=True)
        result = read_card(transport, AccessKey.from_can(card.access.can))
        transport.close()
    assert result.access.protocol == "PACE"
    assert result.access.mapping == mapping
    expected_cipher = "3DES" if "3DES" in protocol else f"AES-{protocol.rsplit('-', 1)[1]}"
    assert result.access.cipher == expected_cipher
    assert result.files == card.files
