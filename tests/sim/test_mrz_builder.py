"""Composing MRZs for synthetic cards (``cccd_sim.mrz_builder``), checked against the
specimens of ICAO Doc 9303 and round-tripped through the library's parser."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cccd_reader import mrz
from cccd_reader.errors import MRZError
from cccd_sim import mrz_builder
from tests.test_mrz import ALPHABET, TD1, TD3, TODAY, VN_TD1, _td3, join, ref_check_digit


def test_compose_vn_td1_matches_hand_written() -> None:
    text = mrz_builder.compose_vn_td1(
        personal_number="036094001234",
        date_of_birth="940215",
        sex="F",
        date_of_expiry="340215",
        primary_identifier="Lê",
        secondary_identifier="Thị Thu Hương",
    )
    assert text == join(VN_TD1)


def test_compose_vn_td1_round_trip() -> None:
    text = mrz_builder.compose_vn_td1(
        personal_number="001079012345",
        date_of_birth="790115",
        sex="M",
        date_of_expiry="390115",
        primary_identifier="Nguyễn",
        secondary_identifier="Văn Đức",
    )
    m = mrz.parse(text, today=TODAY)
    assert m.personal_number == "001079012345"
    assert m.personal_number_check == ref_check_digit("001079012345")
    assert m.document_number == "079012345"
    assert m.names == "NGUYEN, VAN DUC"
    assert m.lines[0] == "IDVNM079012345" + ref_check_digit("079012345") + "001079012345<<4"


@pytest.mark.parametrize("personal", ["12345678901", "1234567890123", "03609400123A", ""])
def test_compose_vn_td1_rejects_bad_personal_number(personal: str) -> None:
    with pytest.raises(MRZError) as exc:
        mrz_builder.compose_vn_td1(
            personal_number=personal,
            date_of_birth="940215",
            sex="F",
            date_of_expiry="340215",
            primary_identifier="LE",
            secondary_identifier="THI",
        )
    assert exc.value.field == "personal_number"


def test_compose_td3_reproduces_specimen() -> None:
    assert _td3() == join(TD3)


def test_compose_td1_reproduces_specimen() -> None:
    text = mrz_builder.compose_td1(
        document_code="I",
        issuing_state="UTO",
        document_number="D23145890",
        date_of_birth="740812",
        sex="F",
        date_of_expiry="120415",
        nationality="UTO",
        primary_identifier="Eriksson",
        secondary_identifier="Anna Maria",
    )
    assert text == join(TD1)


def test_compose_td1_with_optional_data_round_trip() -> None:
    text = mrz_builder.compose_td1(
        issuing_state="UTO",
        document_number="X1234567",
        date_of_birth="010203",
        sex="X",
        date_of_expiry="310203",
        nationality="UTO",
        primary_identifier="O'Brien-Smith",
        secondary_identifier="Seán",
        optional_data="ABC123",
        optional_data_2="XYZ",
    )
    m = mrz.parse(text, today=TODAY)
    assert m.document_code == "ID"
    assert m.document_number == "X1234567"
    assert m.optional_data == "ABC123"
    assert m.optional_data_2 == "XYZ"
    assert m.sex == "X"
    assert m.primary_identifier == "OBRIEN SMITH"
    assert m.secondary_identifier == "SEAN"


def test_name_truncation_cuts_secondary_first() -> None:
    text = mrz_builder.compose_td1(
        issuing_state="UTO",
        document_number="D23145890",
        date_of_birth="740812",
        sex="F",
        date_of_expiry="120415",
        nationality="UTO",
        primary_identifier="Tôn Nữ",
        secondary_identifier="Công Huyền Tôn Nữ Thị Ngọc Ánh Dương",
    )
    lower = text.split("\n")[2]
    assert len(lower) == 30
    assert lower.startswith("TON<NU<<CONG<HUYEN<TON<NU<THI")
    m = mrz.parse(text, today=TODAY)
    assert m.primary_identifier == "TON NU"


def test_name_truncation_of_very_long_primary() -> None:
    text = mrz_builder.compose_td1(
        issuing_state="UTO",
        document_number="D23145890",
        date_of_birth="740812",
        sex="F",
        date_of_expiry="120415",
        nationality="UTO",
        primary_identifier="A" * 40,
        secondary_identifier="B",
    )
    assert text.split("\n")[2] == "A" * 30
    assert mrz.parse(text, today=TODAY).names == "A" * 30


def test_compose_refuses_what_does_not_fit() -> None:
    kwargs: dict[str, str] = {
        "issuing_state": "UTO",
        "date_of_birth": "740812",
        "sex": "F",
        "date_of_expiry": "120415",
        "nationality": "UTO",
        "primary_identifier": "ERIKSSON",
        "secondary_identifier": "ANNA",
    }
    with pytest.raises(MRZError) as exc:
        mrz_builder.compose_td1(document_number="D2314589073412345", optional_data="ABCDEF",
                                **kwargs)
    assert exc.value.field == "optional_data"
    with pytest.raises(MRZError) as exc:
        mrz_builder.compose_td1(document_number="D2314589/", **kwargs)
    assert exc.value.field == "document_number"
    with pytest.raises(MRZError) as exc:
        mrz_builder.compose_td1(document_number="D23", **{**kwargs, "date_of_birth": "7408"})
    assert exc.value.field == "date_of_birth"
    with pytest.raises(MRZError) as exc:
        mrz_builder.compose_td1(document_number="D23", **{**kwargs, "sex": "Q"})
    assert exc.value.field == "sex"
    with pytest.raises(MRZError) as exc:
        mrz_builder.compose_td3(
            document_number="L898902C36",
            personal_number="",
            **kwargs,
        )
    assert exc.value.field == "document_number"


@settings(max_examples=200)
@given(
    number=st.text(alphabet=ALPHABET[:36], min_size=1, max_size=20),
    birth=st.dates(datetime.date(1926, 1, 1), TODAY),
    expiry=st.dates(datetime.date(1976, 1, 1), datetime.date(2074, 12, 31)),
    sex=st.sampled_from("MFX"),
    primary=st.text(alphabet="ABCDEFGHIJ ", min_size=1, max_size=40).filter(str.strip),
    secondary=st.text(alphabet="KLMNOPQ- ", max_size=40),
)
def test_compose_td1_round_trip(
    number: str,
    birth: datetime.date,
    expiry: datetime.date,
    sex: str,
    primary: str,
    secondary: str,
) -> None:
    text = mrz_builder.compose_td1(
        issuing_state="UTO",
        document_number=number,
        date_of_birth=birth.strftime("%y%m%d"),
        sex=sex,
        date_of_expiry=expiry.strftime("%y%m%d"),
        nationality="UTO",
        primary_identifier=primary,
        secondary_identifier=secondary,
    )
    m = mrz.parse(text, today=TODAY)
    assert m.document_number == number
    assert m.date_of_birth == birth
    assert m.date_of_expiry == expiry
    assert m.sex == sex
    expected = mrz.transliterate_name(primary)[:30].rstrip("<")
    assert m.primary_identifier.replace(" ", "<") == expected
    assert mrz.parse(text, today=TODAY, strict=False).errors == ()


@settings(max_examples=200)
@given(
    personal=st.text(alphabet="0123456789", min_size=12, max_size=12),
    birth=st.dates(datetime.date(1926, 1, 1), TODAY),
    sex=st.sampled_from("MF"),
)
def test_compose_vn_td1_round_trip_property(personal: str, birth: datetime.date, sex: str) -> None:
    text = mrz_builder.compose_vn_td1(
        personal_number=personal,
        date_of_birth=birth.strftime("%y%m%d"),
        sex=sex,
        date_of_expiry="400101",
        primary_identifier="Trần",
        secondary_identifier="Văn Bình",
    )
    m = mrz.parse(text, today=TODAY)
    assert m.personal_number == personal
    assert m.document_number == personal[-9:]
    assert m.date_of_birth == birth
    assert m.mrz_information()[:9] == personal[-9:]

