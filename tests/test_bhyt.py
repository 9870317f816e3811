"""The BHYT check-in fields of the record JSON (``bhyt``): derived from DG13 as the insurance
check-in wants them, additive to cccd-record/1, left out with the access data."""

from __future__ import annotations

import datetime

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.bhyt import bhyt_fields, birth_date_text, without_diacritics
from cccd_reader.lds.dg13 import HolderFields
from cccd_reader.record import CardRecord
from cccd_reader.redact import without_access_data
from tests.conftest import SAMPLES


def _record(name: str) -> CardRecord:
    return CardRecord.build(dumpmod.load(SAMPLES / name).files)


def test_the_2021_sample() -> None:
    record = _record("vn-cccd-2021-nguyen-thi-ngoc-anh")
    assert record.holder is not None
    assert record.to_json()["bhyt"] == {
        "ho_ten": "Nguyễn Thị Ngọc Ánh",
        "ho_ten_khong_dau": "Nguyen Thi Ngoc Anh",
        "ngay_sinh": "12/05/1990",
        "gioi_tinh": 2,
        "so_cccd": "001190012345",
        "so_cmnd": record.holder.old_id_number,
    }


def test_the_2024_sample_maps_d_with_stroke_and_male_is_1() -> None:
    bhyt = _record("vn-cancuoc-2024-dang-huu-phuoc").to_json()["bhyt"]
    assert bhyt["ho_ten"] == "Đặng Hữu Phước"
    assert bhyt["ho_ten_khong_dau"] == "Dang Huu Phuoc"
    assert bhyt["gioi_tinh"] == 1
    assert bhyt["so_cmnd"] is None  # a 2024 card without an old number: null, never ""


def test_a_passport_has_no_bhyt_block() -> None:
    assert _record("passport-utopia-td3").to_json()["bhyt"] is None


@pytest.mark.parametrize("text, plain", [
    ("Đỗ Đức Đạt", "Do Duc Dat"),
    ("đường Lê Duẩn", "duong Le Duan"),
    ("NGUYỄN THỊ ÁNH", "NGUYEN THI ANH"),
    ("Trần Thị Mai", "Tran Thi Mai"),
    ("Ông Ưng Ơn", "Ong Ung On"),
])
def test_without_diacritics(text: str, plain: str) -> None:
    assert without_diacritics(text) == plain
    assert without_diacritics(text).isascii()


@pytest.mark.parametrize("value, text", [
    (datetime.date(1990, 5, 12), "12/05/1990"),
    ("12/05/1990", "12/05/1990"),  # a date DG13 holds as text stays as it is
    ("1990", "1990"),              # only the year is known
    ("00/00/1990", "1990"),
    ("xx/xx/1990", "1990"),
    ("not a date", None),
    (None, None),
])
def test_birth_date(value: datetime.date | str | None, text: str | None) -> None:
    assert birth_date_text(value) == text


def test_unknown_sex_and_missing_fields_are_null() -> None:
    assert bhyt_fields(HolderFields(full_name="A", sex="X")) == {
        "ho_ten": "A", "ho_ten_khong_dau": "A", "ngay_sinh": None, "gioi_tinh": None,
        "so_cccd": None, "so_cmnd": None}
    assert bhyt_fields(HolderFields(sex=" nam "))["gioi_tinh"] == 1  # type: ignore[index]
    assert bhyt_fields(None) is None


def test_the_numbers_leave_with_the_access_data() -> None:
    doc = without_access_data(_record("vn-cccd-2021-nguyen-thi-ngoc-anh").to_json())
    assert doc["bhyt"] == {"ho_ten": "Nguyễn Thị Ngọc Ánh",
                           "ho_ten_khong_dau": "Nguyen Thi Ngoc Anh",
                           "ngay_sinh": "12/05/1990", "gioi_tinh": 2}
