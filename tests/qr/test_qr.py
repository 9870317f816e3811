"""QR payloads, expiry rules, access keys from the QR and the QR-vs-chip cross-check."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.errors import AccessError, ParseError
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.qr import (
    QRData,
    QRPayloadError,
    access_keys_from_qr,
    crosscheck,
    expiry_candidates,
    mrz_candidates,
    parse_payload,
)
from cccd_reader.qr.expiry import LIFETIME_MRZ_EXPIRY, anniversary
from cccd_reader.read_flow import read_card
from cccd_reader.record import CardRecord

D = datetime.date
SAMPLES = Path(__file__).resolve().parents[2] / "samples"

ANH = (
    "001190012345|013579246|Nguyễn Thị Ngọc Ánh|12051990|Nữ|"
    "Số 18 Ngõ 72 Thái Hà, Trung Liệt, Đống Đa, Hà Nội|10042021"
)
PHUOC = (
    "079088004567||Đặng Hữu Phước|02111988|Nam|"
    "123/4 Nguyễn Đình Chiểu, Phường 5, Quận 3, TP. Hồ Chí Minh|20082024"
)
HUONG = (
    "038155001234|172345678|Lê Thị Thu Hương|17021955|Nữ|"
    "Số 9 Lê Lai, Ngọc Trạo, TP. Thanh Hoá, Thanh Hoá|21062021"
)


def load_sample(name: str) -> dumpmod.CardDump:
    if not (SAMPLES / name).is_dir():
        pytest.fail(f"sample {name} is missing from samples/")
    return dumpmod.load(SAMPLES / name)


# --- payloads ----------------------------------------------------------------------------------


def test_2021_seven_fields() -> None:
    qr = parse_payload(ANH)
    assert qr.format == "cccd-2021" and qr.layout == "2021"
    assert qr.personal_number == "001190012345"
    assert qr.old_id_number == "013579246"
    assert qr.full_name == "Nguyễn Thị Ngọc Ánh"
    assert qr.date_of_birth == D(1990, 5, 12)
    assert qr.sex == "Nữ" and qr.sex_code == "F"
    assert qr.place_of_residence == "Số 18 Ngõ 72 Thái Hà, Trung Liệt, Đống Đa, Hà Nội"
    assert qr.date_of_issue == D(2021, 4, 10)
    assert qr.can == "012345" and qr.document_number == "190012345"
    assert qr.extra == {} and len(qr.fields) == 7


def test_2021_eleven_fields_with_trailing_empties_and_extras() -> None:
    qr = parse_payload(ANH + "||||")
    assert qr.format == "cccd-2021" and len(qr.fields) == 11 and qr.extra == {}
    qr = parse_payload(ANH + "|x||y|")
    assert qr.extra == {7: "x", 9: "y"}


def test_empty_old_id_and_issue_after_mid_2024_is_cancuoc() -> None:
    qr = parse_payload(PHUOC)
    assert qr.old_id_number is None
    assert qr.format == "cancuoc-2024" and qr.layout == "2021"
    assert qr.sex == "Nam" and qr.sex_code == "M"


def test_2024_layout_recognised_by_content() -> None:
    # The order Circular 16/2024 lists: number, name, sex, birth, residence, issue, old, cancelled
    text = (
        "079088004567|Đặng Hữu Phước|Nam|02111988|123/4 Nguyễn Đình Chiểu, Quận 3|20082024|"
        "012345678|079088000001"
    )
    qr = parse_payload(text)
    assert qr.format == "cancuoc-2024" and qr.layout == "recognised"
    assert qr.personal_number == "079088004567"
    assert qr.cancelled_personal_number == "079088000001"
    assert qr.old_id_number == "012345678"
    assert qr.full_name == "Đặng Hữu Phước"
    assert qr.date_of_birth == D(1988, 11, 2) and qr.date_of_issue == D(2024, 8, 20)
    assert qr.place_of_residence == "123/4 Nguyễn Đình Chiểu, Quận 3"
    assert qr.extra == {}


def test_keyboard_wedge_noise_is_tolerated() -> None:
    noisy = "\ufeff  " + ANH[:30] + "\r\n" + ANH[30:] + "\r\n\t "
    assert parse_payload(noisy) == parse_payload(ANH)
    nfd = unicodedata.normalize("NFD", ANH)
    qr = parse_payload(nfd)
    assert qr.full_name == "Nguyễn Thị Ngọc Ánh"
    assert unicodedata.is_normalized("NFC", qr.place_of_residence or "")
    assert parse_payload(ANH.encode("utf-8")) == parse_payload(ANH)


@pytest.mark.parametrize(
    ("text", "field", "count"),
    [
        ("", None, 0),
        ("hello world", None, 1),
        ("001190012345|013579246|Nguyễn Thị Ngọc Ánh|12051990|Nữ", "date_of_issue", 5),
        (ANH.replace("001190012345", "00119001234X"), "personal_number", 7),
        (ANH.replace("12051990", "31021990"), "date_of_birth", 7),
        (ANH.replace("10042021", "1004202"), "date_of_issue", 7),
        (ANH.replace("013579246", "01357924"), "old_id_number", 7),
        (ANH.replace("Nguyễn Thị Ngọc Ánh", "Nguyễn 7"), "full_name", 7),
        (ANH.replace("|Nữ|", "|X|"), "sex", 7),
        (ANH.replace("10042021", "10041980"), "date_of_issue", 7),
        ("|" * 40, "field_count", 41),
    ],
)
def test_malformed_payloads(text: str, field: str | None, count: int) -> None:
    with pytest.raises(QRPayloadError) as info:
        parse_payload(text)
    assert isinstance(info.value, ParseError)
    assert info.value.field == field
    assert info.value.field_count == count
    message = str(info.value)
    for secret in ("Nguyễn", "001190012345", "Thái Hà"):
        assert secret not in message  # errors never carry the personal data


def test_bad_bytes_and_control_characters() -> None:
    with pytest.raises(QRPayloadError, match="not UTF-8"):
        parse_payload(b"001190012345|\xff")
    with pytest.raises(QRPayloadError, match="control character"):
        parse_payload(ANH.replace("Thái", "Th\x00ái"))
    with pytest.raises(QRPayloadError, match="at most"):
        parse_payload("1|" * 2000)


def test_repr_and_json_keep_shape() -> None:
    qr = parse_payload(ANH)
    assert "Nguyễn" not in repr(qr)
    data = qr.to_json()
    assert data["date_of_birth"] == "1990-05-12" and data["field_count"] == 7


_FIELD = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["001190012345", "013579246", "12051990", "Nam", "Nữ", "", "29022000"]),
    st.from_regex(r"[0-9]{8,12}", fullmatch=True),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_FIELD, max_size=14).map("|".join))
def test_fuzz_structured(text: str) -> None:
    try:
        qr = parse_payload(text)
    except QRPayloadError:
        return
    assert len(qr.personal_number) == 12 and qr.personal_number.isdigit()
    assert qr.sex in ("Nam", "Nữ")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=400), st.binary(max_size=400)))
def test_fuzz_anything(data: str | bytes) -> None:
    try:
        parse_payload(data)
    except QRPayloadError:
        pass


# --- expiry rules ------------------------------------------------------------------------------


def only(birth: D, issue: D) -> D | None:
    """The one expiry the rules give (a lifetime card's two candidates are its two MRZ
    expiries, 99MMDD then 991231: still one expiry, none)."""
    candidates = expiry_candidates(birth, issue)
    if candidates[0].lifetime:
        assert [c.lifetime for c in candidates] == [True] * len(candidates), candidates
        assert [c.mrz_yymmdd for c in candidates][-1] == LIFETIME_MRZ_EXPIRY
        return None
    assert len(candidates) == 1, candidates
    return candidates[0].date_of_expiry


@pytest.mark.parametrize(
    ("birth", "issue", "expiry"),
    [
        # the samples
        (D(1990, 5, 12), D(2021, 4, 10), D(2030, 5, 12)),
        (D(1988, 11, 2), D(2024, 8, 20), D(2028, 11, 2)),
        (D(1955, 2, 17), D(2021, 6, 21), None),
        # 2014 law: 14..23 -> 25; the two years before 25 -> 40
        (D(2000, 3, 10), D(2016, 1, 1), D(2025, 3, 10)),
        (D(2000, 3, 10), D(2023, 3, 11), D(2040, 3, 10)),
        (D(2000, 3, 10), D(2023, 3, 9), D(2025, 3, 10)),
        (D(2000, 3, 10), D(2025, 3, 10), D(2040, 3, 10)),  # renewed on the 25th birthday
        # 38..40 -> 60; 40..58 -> 60; 58.. -> lifetime
        (D(1980, 6, 1), D(2018, 6, 2), D(2040, 6, 1)),
        (D(1980, 6, 1), D(2018, 5, 31), D(2020, 6, 1)),
        (D(1970, 1, 15), D(2012, 1, 1), D(2030, 1, 15)),
        (D(1962, 9, 9), D(2021, 1, 1), None),
        (D(1962, 9, 9), D(2020, 9, 8), D(2022, 9, 9)),
        # 2023 law (issued from 1 July 2024): the 14 milestone
        (D(2015, 4, 4), D(2024, 7, 1), D(2029, 4, 4)),
        (D(2011, 4, 4), D(2024, 8, 1), D(2036, 4, 4)),  # 13: within two years of 14
        (D(2020, 1, 1), D(2024, 7, 2), D(2034, 1, 1)),
    ],
)
def test_expiry_rules(birth: D, issue: D, expiry: D | None) -> None:
    assert only(birth, issue) == expiry


def test_law_changeover_only_matters_under_fourteen() -> None:
    birth = D(2012, 1, 1)
    assert expiry_candidates(birth, D(2024, 6, 30))[0].law == "2014"
    assert expiry_candidates(birth, D(2024, 7, 1))[0].law == "2023"
    for age in range(14, 70, 3):
        b = D(1950 + (70 - age), 5, 5)
        before, after = D(2024, 6, 30), D(2024, 7, 1)
        if anniversary(b, age) <= before:
            assert only(b, before) == only(b, after)


def test_grace_boundary_gives_two_candidates() -> None:
    candidates = expiry_candidates(D(2000, 3, 10), D(2023, 3, 10))
    assert [c.date_of_expiry for c in candidates] == [D(2040, 3, 10), D(2025, 3, 10)]
    assert "boundary" in candidates[1].reason


def test_leap_day_births() -> None:
    # 25th birthday in 2029 (common year): 28 Feb first, then 1 Mar
    candidates = expiry_candidates(D(2004, 2, 29), D(2020, 5, 5))
    assert [c.date_of_expiry for c in candidates] == [D(2029, 2, 28), D(2029, 3, 1)]
    assert "28 February" in candidates[0].reason
    # 40th birthday is in a leap year again: one answer
    assert only(D(1984, 2, 29), D(2010, 1, 1)) == D(2024, 2, 29)
    assert len(expiry_candidates(D(1984, 2, 29), D(2023, 2, 28))) <= 2


def test_lifetime_mrz_placeholder_and_bad_dates() -> None:
    first, second = expiry_candidates(D(1955, 2, 17), D(2021, 6, 21))
    assert first.lifetime and second.lifetime
    assert (first.mrz_yymmdd, second.mrz_yymmdd) == ("990217", LIFETIME_MRZ_EXPIRY)
    # born 31 December: 99MMDD is the placeholder itself, one key
    (only_one,) = expiry_candidates(D(1955, 12, 31), D(2021, 6, 21))
    assert only_one.mrz_yymmdd == LIFETIME_MRZ_EXPIRY
    with pytest.raises(ParseError):
        expiry_candidates(D(2000, 1, 1), D(1999, 1, 1))


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=D(1900, 1, 1), max_value=D(2024, 12, 31)),
    st.integers(min_value=0, max_value=100 * 366),
)
def test_expiry_properties(birth: D, days: int) -> None:
    issue = birth + datetime.timedelta(days=days)
    candidates = expiry_candidates(birth, issue)
    assert 1 <= len(candidates) <= 2
    for c in candidates:
        if c.date_of_expiry is not None:
            assert c.date_of_expiry > issue
            years = c.date_of_expiry.year - birth.year
            assert years in (14, 25, 40, 60)
            assert c.date_of_expiry - issue > datetime.timedelta(days=365 * 2 - 2)


# --- access keys -------------------------------------------------------------------------------


def test_access_keys_order() -> None:
    keys = access_keys_from_qr(parse_payload(ANH))
    assert keys[0] == AccessKey.from_can("012345")
    assert keys[1] == AccessKey.from_document("190012345", "900512", "300512")
    assert len(keys) == 2
    lifetime = access_keys_from_qr(parse_payload(HUONG))
    assert lifetime[1:] == [AccessKey.from_document("155001234", "550217", "990217"),
                            AccessKey.from_document("155001234", "550217", "991231")]
    leap = parse_payload(ANH.replace("12051990", "29022004").replace("10042021", "05052020"))
    assert len(access_keys_from_qr(leap)) == 3  # CAN + two MRZ candidates, never more


@pytest.mark.parametrize(
    ("sample", "payload"),
    [
        ("vn-cccd-2021-nguyen-thi-ngoc-anh", ANH),
        ("vn-cancuoc-2024-dang-huu-phuoc", PHUOC),
        ("vn-cccd-2021-le-thi-thu-huong-lifetime", HUONG),
    ],
)
def test_keys_from_qr_open_the_sample_chips(sample: str, payload: str) -> None:
    """Try the keys in order, as `cccd read --qr` should; the MRZ candidate must match card.json."""
    from cccd_sim.cards import chip_for_dump

    card = load_sample(sample)
    qr = parse_payload(payload)
    mrz_keys = [key for key, _ in mrz_candidates(qr)]
    assert card.access.mrz is not None
    assert AccessKey.from_mrz(card.access.mrz) in mrz_keys
    opened = None
    for index, key in enumerate(access_keys_from_qr(qr)):
        chip = chip_for_dump(card)
        try:
            result = read_card(InProcessTransport(chip.process), key)
        except AccessError:
            continue
        opened = (index, result.access.password)
        break
    assert opened is not None
    # that chip is BAC only, and kept the far-date placeholder: the second lifetime key
    expected = ("MRZ", 2) if "lifetime" in sample else ("CAN", 0)
    assert (opened[1], opened[0]) == expected


# --- cross-check -------------------------------------------------------------------------------


def record_of(sample: str) -> CardRecord:
    return CardRecord.from_files(load_sample(sample).files, decode_photo=False)


def statuses(qr: QRData, record: CardRecord) -> dict[str, str]:
    checks = crosscheck(qr, record)
    assert all(c.name.startswith("qr:") and not c.required for c in checks)
    return {c.name: c.status for c in checks}


@pytest.mark.parametrize(
    ("sample", "payload"),
    [
        ("vn-cccd-2021-nguyen-thi-ngoc-anh", ANH),
        ("vn-cancuoc-2024-dang-huu-phuoc", PHUOC),
        ("vn-cccd-2021-le-thi-thu-huong-lifetime", HUONG),
    ],
)
def test_genuine_qr_matches_its_chip(sample: str, payload: str) -> None:
    result = statuses(parse_payload(payload), record_of(sample))
    assert "fail" not in result.values(), result
    for name in ("personal_number", "full_name", "date_of_birth", "sex", "date_of_issue"):
        assert result[f"qr:{name}"] == "pass"
    assert result["qr:place_of_residence"] == "pass"
    assert result["qr:date_of_expiry"] == "pass"


def test_forged_sticker_and_swapped_qr_are_caught() -> None:
    record = record_of("vn-cccd-2021-nguyen-thi-ngoc-anh")
    qr = parse_payload(ANH)
    # one letter's diacritic changed: NFC-exact comparison catches it
    forged = replace(qr, full_name="Nguyễn Thị Ngọc Anh")
    checks = {c.name: c for c in crosscheck(forged, record)}
    assert checks["qr:full_name"].status == "fail"
    assert "Anh" in checks["qr:full_name"].detail
    # another person's QR on this card
    other = statuses(parse_payload(PHUOC), record)
    for name in ("personal_number", "full_name", "date_of_birth", "sex", "date_of_issue"):
        assert other[f"qr:{name}"] == "fail"
    moved = replace(qr, place_of_residence="Số 19 Ngõ 72 Thái Hà, Trung Liệt, Đống Đa, Hà Nội")
    checks = {c.name: c for c in crosscheck(moved, record)}
    assert checks["qr:place_of_residence"].status == "fail"
    assert "Thái" not in checks["qr:place_of_residence"].detail


def test_crosscheck_against_mrz_only() -> None:
    card = load_sample("vn-cccd-2021-nguyen-thi-ngoc-anh")
    files = {k: v for k, v in card.files.items() if k != "DG13"}
    record = CardRecord.from_files(files, decode_photo=False)
    result = statuses(parse_payload(ANH), record)
    for name in ("personal_number", "full_name", "date_of_birth", "sex", "date_of_expiry"):
        assert result[f"qr:{name}"] == "pass", name
    assert result["qr:place_of_residence"] == "skipped"
    wrong = statuses(parse_payload(HUONG), record)
    assert wrong["qr:full_name"] == "fail" and wrong["qr:personal_number"] == "fail"


# --- workflow (what `cccd qr` / `cccd read --qr` call) ------------------------------------------


def test_read_with_qr_tries_keys_in_order_and_reports(tmp_path: Path) -> None:
    from cccd_reader.qr.workflow import qr_from_argument, qr_report, read_with_qr
    from cccd_reader.service import read_and_verify
    from cccd_sim.cards import chip_for_dump

    card = load_sample("vn-cccd-2021-le-thi-thu-huong-lifetime")
    qr, decoded = qr_from_argument(HUONG + "\r\n")
    assert decoded is None
    outcome, attempts = read_with_qr(
        qr,
        lambda: InProcessTransport(chip_for_dump(card).process),
        lambda transport, key: read_and_verify(transport, key),
    )
    assert [a.status for a in attempts] == ["not_supported", "refused", "opened"]
    assert attempts[1].label.startswith("MRZ (lifetime, 990217")
    assert attempts[2].label.startswith("MRZ (lifetime, 991231")
    doc = qr_report(qr, outcome.record, attempts)
    assert doc["keys"][2]["status"] == "opened"
    assert {c["name"] for c in doc["checks"]} >= {"qr:full_name", "qr:personal_number"}
    assert all(c["status"] != "fail" for c in doc["checks"])
    assert doc["verdict"] in ("genuine", "unverified")

    other = parse_payload(ANH)
    doc = qr_report(other, outcome.record)
    assert doc["verdict"] == "not_genuine"


def test_read_with_qr_when_no_key_opens() -> None:
    from cccd_reader.errors import AccessDeniedError
    from cccd_reader.qr.workflow import read_with_qr
    from cccd_sim.cards import chip_for_dump

    card = load_sample("vn-cccd-2021-le-thi-thu-huong-lifetime")
    wrong = parse_payload(HUONG.replace("17021955", "18021955"))
    with pytest.raises(AccessDeniedError, match="no key derived from the QR"):
        read_with_qr(
            wrong,
            lambda: InProcessTransport(chip_for_dump(card).process),
            lambda transport, key: read_card(transport, key),
        )


def test_qr_argument_image_path(tmp_path: Path) -> None:
    cv2 = pytest.importorskip("cv2")
    from cccd_reader.qr.workflow import qr_from_argument

    params = cv2.QRCodeEncoder.Params()
    params.mode = cv2.QRCODE_ENCODER_MODE_BYTE
    modules = cv2.QRCodeEncoder.create(params).encode(ANH.encode("utf-8"))
    path = tmp_path / "front.png"
    cv2.imwrite(str(path), cv2.resize(modules, None, fx=5, fy=5, interpolation=0))
    qr, decoded = qr_from_argument(str(path))
    assert decoded is not None and qr.full_name == "Nguyễn Thị Ngọc Ánh"
