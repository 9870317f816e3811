"""A read to a row: the samples' real DG13/DG1 bytes and passports composed with the issuer."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping

import pytest

from cccd_reader.lodging import FOREIGN, VIETNAM, LodgingInputError, guest_row
from cccd_reader.lodging.catalogue import Workbook
from cccd_reader.lodging.guest import mrz_birth, upper_name
from cccd_reader.record import CardRecord
from tests.lodging.conftest import STAY, TODAY, passport, sample_record


def _codes(row_flags: tuple[object, ...]) -> list[str]:
    return [getattr(f, "code") for f in row_flags]  # noqa: B009


def test_2021_card(books: Mapping[str, Workbook]) -> None:
    row = guest_row(sample_record("vn-cccd-2021-nguyen-thi-ngoc-anh"), STAY, books, TODAY)
    v = row.values
    assert row.workbook == VIETNAM
    assert v["full_name"] == "NGUYỄN THỊ NGỌC ÁNH"
    assert v["date_of_birth"] == "12/05/1990"
    assert v["sex"] == "F - Nữ" and v["nationality"] == "VNM - Viet Nam"
    assert v["document_type"] == "1 - Thẻ CCCD"
    assert v["document_number"] == "001190012345"
    assert v["residence_kind"] == "1 - Thường trú"  # the 2021 card prints the permanent one
    assert v["province"] == "101 - TP. Hà Nội"
    assert v["arrival"] == "01/12/2026" and v["departure"] == "03/12/2026"
    assert v["room"] == "0205" and v["reason"] == "1 - Du lịch"
    # the card predates the merger and its ward was split: left for the clerk
    assert "ward" not in v and _codes(row.flags) == ["ward_split"]


def test_2024_card_residence_kind_is_the_clerks_choice(books: Mapping[str, Workbook]) -> None:
    record = sample_record("vn-cancuoc-2024-dang-huu-phuoc")
    row = guest_row(record, STAY, books, TODAY)
    assert row.values["document_type"] == "8 - Thẻ Căn Cước"
    assert "residence_kind" not in row.values
    flag = next(f for f in row.flags if f.code == "residence_kind_choice")
    assert flag.field == "residence_kind"
    assert flag.candidates == ("1 - Thường trú", "2 - Tạm trú", "3 - Khác")
    chosen = guest_row(record, dataclasses.replace(STAY, residence_kind="2"), books, TODAY)
    assert chosen.values["residence_kind"] == "2 - Tạm trú"
    assert "residence_kind_choice" not in _codes(chosen.flags)
    assert chosen.values["ward"] == "701927154 - Phường Bàn Cờ"  # Phường 5, Quận 3


def test_foreign_passport_goes_to_kbtt(books: Mapping[str, Workbook]) -> None:
    row = guest_row(passport(), dataclasses.replace(
        STAY, checkout=datetime.date(2026, 12, 3),
        permitted_until=datetime.date(2026, 12, 30)), books, TODAY)
    v = row.values
    assert row.workbook == FOREIGN and row.flags == ()
    assert v["full_name"] == "MUSTERMANN ERIKA"
    assert v["nationality"] == "D - Germany"  # the ICAO code, as the list has it
    assert v["date_of_birth"] == "12/08/1964" and v["birth_precision"] == "D - Ngày"
    assert v["sex"] == "F - Nữ" and v["document_number"] == "C01X00T47"
    assert v["checkout"] == "03/12/2026" and v["permitted_until"] == "30/12/2026"
    assert "reason" not in v  # KBTT has no reason column


def test_vietnamese_passport_goes_to_the_vietnamese_workbook(
        books: Mapping[str, Workbook]) -> None:
    record = passport(issuing_state="VNM", nationality="VNM", primary_identifier="NGUYEN",
                      secondary_identifier="VAN AN", document_number="C1234567",
                      date_of_birth="900512", sex="M")
    row = guest_row(record, STAY, books, TODAY)
    assert row.workbook == VIETNAM
    assert row.values["document_type"] == "4 - Hộ chiếu"
    assert row.values["full_name"] == "NGUYEN VAN AN"
    assert row.values["date_of_birth"] == "12/05/1990"
    assert row.values["nationality"] == "VNM - Viet Nam"
    assert _codes(row.flags) == ["address_missing"]  # a passport prints no address


@pytest.mark.parametrize("yymmdd,text,precision", [
    ("640812", "12/08/1964", "D"),
    ("6408<<", "08/1964", "M"),
    ("64<<<<", "1964", "Y"),
    ("640800", "08/1964", "M"),
    ("640000", "1964", "Y"),
    # two-digit years: this century unless that would be in the future
    ("201207", "07/12/2020", "D"),
    ("261207", "07/12/2026", "D"),  # today
    ("261208", "08/12/1926", "D"),  # tomorrow in 2026: so 1926
    ("2612<<", "12/2026", "M"),
    ("27<<<<", "1927", "Y"),
    ("640230", "", ""),  # no 30 February
])
def test_mrz_birth(yymmdd: str, text: str, precision: str) -> None:
    assert mrz_birth(yymmdd, TODAY) == (text, precision)


@pytest.mark.parametrize("birth,text,code", [("6408<<", "08/1964", "M - Tháng"),
                                             ("64<<<<", "1964", "Y - Năm")])
def test_partial_birth_date_is_written_and_flagged(books: Mapping[str, Workbook], birth: str,
                                                   text: str, code: str) -> None:
    row = guest_row(passport(date_of_birth=birth), STAY, books, TODAY)
    assert row.values["date_of_birth"] == text
    assert row.values["birth_precision"] == code
    assert _codes(row.flags) == ["birth_date_partial"]
    assert row.values["birth_precision"] in books[FOREIGN].list("birth_precision").displays()


def test_nationality_missing_from_the_list_is_flagged_not_dropped(
        books: Mapping[str, Workbook]) -> None:
    row = guest_row(sample_record("passport-utopia-td3"), STAY, books, TODAY)
    assert row.workbook == FOREIGN
    assert "nationality" not in row.values or not row.values["nationality"]
    flag = next(f for f in row.flags if f.code == "nationality_not_in_list")
    assert flag.params == {"code": "UTO"} and flag.field == "nationality"
    assert row.values["full_name"] == "ERIKSSON ANNA MARIA"  # the guest is still there


def test_names_upper_case_nfc() -> None:
    decomposed = "nguye\u0302\u0303n  thi\u0323 ngo\u0323c a\u0301nh"
    assert upper_name(decomposed) == "NGUYỄN THỊ NGỌC ÁNH"


def test_nothing_to_declare(books: Mapping[str, Workbook]) -> None:
    empty = CardRecord.from_files({}, decode_photo=False)
    with pytest.raises(LodgingInputError):
        guest_row(empty, STAY, books, TODAY)


def test_other_purpose_needs_its_text(books: Mapping[str, Workbook]) -> None:
    record = sample_record("vn-cccd-2021-le-thi-thu-huong-lifetime")
    row = guest_row(record, dataclasses.replace(STAY, reason="20"), books, TODAY)
    assert row.values["reason"] == "20 - Mục đích khác"
    assert "reason_text_missing" in _codes(row.flags)
    row = guest_row(record, dataclasses.replace(STAY, reason="20", reason_text="khám bệnh"),
                    books, TODAY)
    assert row.values["reason_text"] == "khám bệnh"
    assert "reason_text_missing" not in _codes(row.flags)
