"""Lifetime cards and BAC (issue 26 item 3): the MRZ expiry of a card without expiry is
``99`` + the birth month and day (990229 too), else ``991231``; exactly those two keys, in
that order, and the key check takes them although 990229 is no calendar date."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader import mrz as mrzmod
from cccd_reader.access.key import AccessKey
from cccd_reader.access.lifetime import (
    LIFETIME_FALLBACK_EXPIRY,
    is_lifetime_expiry,
    lifetime_access_keys,
    lifetime_expiries,
)
from cccd_reader.errors import AccessDeniedError, AccessError, MRZError, ParseError
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.qr.access import access_keys_from_qr
from cccd_reader.qr.payload import parse_payload
from cccd_reader.qr.workflow import read_with_qr
from cccd_reader.read_flow import ReadResult, read_card
from cccd_sim import issuer
from cccd_sim.cards import chip_for_dump
from tests.conftest import SAMPLES

MINH = SAMPLES / "vn-cccd-2021-tran-van-minh-lifetime"  # written 99MMDD (990229)
HUONG = SAMPLES / "vn-cccd-2021-le-thi-thu-huong-lifetime"  # kept 991231
MINH_QR = (
    "001056004321|011223344|Trần Văn Minh|29021956|Nam|"
    "Số 5 Phố Huế, Hàng Bài, Hoàn Kiếm, Hà Nội|15072021"
)
HUONG_QR = (
    "038155001234|172345678|Lê Thị Thu Hương|17021955|Nữ|"
    "Số 9 Lê Lai, Ngọc Trạo, TP. Thanh Hoá, Thanh Hoá|21062021"
)


def test_two_expiries_in_order_never_more() -> None:
    assert lifetime_expiries(datetime.date(1955, 2, 17)) == ("990217", "991231")
    assert lifetime_expiries("560229") == ("990229", "991231")
    assert lifetime_expiries("551231") == ("991231",)
    with pytest.raises(ParseError):
        lifetime_expiries("5602")
    assert is_lifetime_expiry("991231") and is_lifetime_expiry("990229", "560229")
    assert not is_lifetime_expiry("990229") and not is_lifetime_expiry("300512", "900512")


def test_the_key_check_takes_990229_and_still_refuses_impossible_dates() -> None:
    key = AccessKey.from_document("056004321", "560229", "990229")
    assert key.mrz_information is not None and "990229" in key.mrz_information
    for expiry in ("990230", "991301", "980229", "130229"):
        with pytest.raises(ParseError):
            AccessKey.from_document("056004321", "560229", expiry)
    with pytest.raises(ParseError):  # a birth date is a date: 1957 had no 29 February
        AccessKey.from_document("056004321", "570229", "990229")


def test_the_mrz_keeps_990229_as_printed() -> None:
    card = dumpmod.load(MINH)
    assert card.access.mrz is not None
    parsed = mrzmod.parse(card.access.mrz)
    assert (parsed.expiry_yymmdd, parsed.date_of_expiry) == ("990229", None)
    bad = card.access.mrz.replace("9902299", "9802290")  # 980229: no such day, not lifetime
    with pytest.raises(MRZError):
        mrzmod.parse(bad, strict=False)


def _open(card: dumpmod.CardDump, keys: list[AccessKey]) -> tuple[int, ReadResult]:
    """Try ``keys`` in order on fresh taps, as the QR workflow does; (index, read)."""
    for index, key in enumerate(keys):
        chip = chip_for_dump(card)
        try:
            return index, read_card(InProcessTransport(chip.process, atr=chip.atr), key)
        except AccessDeniedError:
            continue
        except AccessError:  # the CAN on a BAC-only chip
            continue
    raise AssertionError("no key opened the chip")


def test_issuer_writes_99mmdd_and_one_sample_keeps_991231() -> None:
    minh, huong = dumpmod.load(MINH), dumpmod.load(HUONG)
    assert minh.access.mrz is not None and huong.access.mrz is not None
    assert mrzmod.parse(minh.access.mrz).expiry_yymmdd == "990229"
    assert mrzmod.parse(huong.access.mrz).expiry_yymmdd == LIFETIME_FALLBACK_EXPIRY
    spec = next(s for s in issuer.SAMPLES if s.name == MINH.name)
    assert spec.date_of_expiry is None and spec.lifetime_mrz_expiry is None


@pytest.mark.parametrize(("sample", "index"), [(MINH, 0), (HUONG, 1)], ids=["99MMDD", "991231"])
def test_opens_with_bac_from_personal_number_and_birth(sample: object, index: int) -> None:
    card = dumpmod.load(sample)  # type: ignore[arg-type]
    assert card.access.mrz is not None
    holder = mrzmod.parse(card.access.mrz)
    assert holder.personal_number is not None
    keys = lifetime_access_keys(holder.personal_number, holder.birth_yymmdd)
    assert len(keys) == 2
    opened, result = _open(card, keys)
    assert (opened, result.access.protocol) == (index, "BAC")
    assert result.files == card.files


@pytest.mark.parametrize(
    ("sample", "payload", "statuses"),
    [
        (MINH, MINH_QR, ["not_supported", "opened"]),
        (HUONG, HUONG_QR, ["not_supported", "refused", "opened"]),
    ],
    ids=["99MMDD", "991231"],
)
def test_opens_with_bac_from_its_qr(sample: object, payload: str, statuses: list[str]) -> None:
    card = dumpmod.load(sample)  # type: ignore[arg-type]
    qr = parse_payload(payload)
    keys = access_keys_from_qr(qr)
    assert len(keys) == 3  # the CAN, then the two lifetime keys: never more
    result, attempts = read_with_qr(
        qr, lambda: InProcessTransport(chip_for_dump(card).process),
        lambda transport, key: read_card(transport, key),
    )
    assert [a.status for a in attempts] == statuses
    assert result.access.protocol == "BAC" and result.files == card.files


@pytest.mark.pcsc
@pytest.mark.parametrize(
    ("sample", "payload", "statuses"),
    [
        (MINH, MINH_QR, ["not_supported", "opened"]),
        (HUONG, HUONG_QR, ["not_supported", "refused", "opened"]),
    ],
    ids=["99MMDD", "991231"],
)
def test_opens_from_its_qr_through_pcscd(
    vpcd_card: Any, sample: object, payload: str, statuses: list[str]
) -> None:
    """The same through pcscd and vpcd: each key on a fresh connection (a refused key leaves
    the chip's session unusable), the card's answer as a reader gives it."""
    from cccd_reader.readers import open_transport
    from cccd_reader.service import read_and_verify

    card = dumpmod.load(sample)  # type: ignore[arg-type]
    with vpcd_card(chip_for_dump(card)) as name:
        outcome, attempts = read_with_qr(
            parse_payload(payload), lambda: open_transport(name),
            lambda transport, key: read_and_verify(transport, key, trust=SAMPLES / "pki"),
        )
    assert [a.status for a in attempts] == statuses
    assert outcome.result.access.protocol == "BAC"
    assert outcome.record.verification is not None
    assert outcome.record.verification.verdict == "genuine"
