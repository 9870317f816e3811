"""MRZ parsing and check digits against the specimens of ICAO Doc 9303.

Specimen check digits are re-derived here with an independent reference implementation (and by
hand in comments for a few) before the parser is trusted with them.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cccd_reader import mrz
from cccd_reader.errors import MRZError, ParseError
from cccd_sim import mrz_builder

TODAY = datetime.date(2025, 6, 1)
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"

TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
TD2 = (
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "D231458907UTO7408122F1204159<<<<<<<6",
)
# Doc 9303 Part 11 Appendix D.1 (BAC worked example).
BAC_TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C<3UTO6908061F9406236ZE184226B<<<<<14",
)
# Doc 9303 Part 5: document number D23145890734 continued in the optional data.
LONG_TD1 = (
    "I<UTOD23145890<7349<<<<<<<<<<<",
    "3407127M9507122UTO<<<<<<<<<<<2",
    "STEVENSON<<PETER<JOHN<<<<<<<<<",
)
# A Vietnamese CCCD written by hand (synthetic personal number 036094001234).
VN_TD1 = (
    "IDVNM0940012349036094001234<<4",
    "9402157F3402155VNM<<<<<<<<<<<0",
    "LE<<THI<THU<HUONG<<<<<<<<<<<<<",
)


def ref_check_digit(s: str) -> str:
    """Independent 7-3-1 check digit, deliberately written differently from the module's."""
    values = [0 if c == "<" else ALPHABET.index(c) for c in s]
    weights = [7, 3, 1] * (len(s) // 3 + 1)
    return str(sum(v * w for v, w in zip(values, weights, strict=False)) % 10)


def join(lines: tuple[str, ...]) -> str:
    return "\n".join(lines)


def replace(lines: tuple[str, ...], line: int, col: int, ch: str) -> str:
    out = list(lines)
    out[line] = out[line][:col] + ch + out[line][col + 1 :]
    return join(tuple(out))


# --- specimen check digits, verified independently -------------------------------------------


def test_reference_check_digits_of_specimens() -> None:
    # By hand: 740812 -> 7*7+4*3+0*1+8*7+1*3+2*1 = 49+12+0+56+3+2 = 122 -> 2
    assert ref_check_digit("740812") == "2"
    # 120415 -> 7+6+0+28+3+5 = 49 -> 9
    assert ref_check_digit("120415") == "9"
    assert ref_check_digit("L898902C3") == "6"
    assert ref_check_digit("ZE184226B<<<<<") == "1"
    line2 = TD3[1]
    assert ref_check_digit(line2[0:10] + line2[13:20] + line2[21:43]) == "0"
    assert ref_check_digit("D23145890") == "7"
    up, mid = TD1[0], TD1[1]
    assert ref_check_digit(up[5:30] + mid[0:7] + mid[8:15] + mid[18:29]) == "6"
    low = TD2[1]
    assert ref_check_digit(low[0:10] + low[13:20] + low[21:35]) == "6"
    # Long number: D=13 -> 91+6+3+7+12+5+56+27+0+49+9+4 = 269 -> 9
    assert ref_check_digit("D23145890734") == "9"
    assert ref_check_digit("036094001234") == "4"
    assert ref_check_digit("094001234") == "9"


@pytest.mark.parametrize(
    "s", ["", "<", "0", "Z", "L898902C<", "690806", "ZE184226B<<<<<", "D23145890734", "A" * 50]
)
def test_check_digit_matches_reference(s: str) -> None:
    assert mrz.check_digit(s) == ref_check_digit(s)


def test_fillers_do_not_change_check_digit() -> None:
    assert mrz.check_digit("L898902C") == mrz.check_digit("L898902C<")


@pytest.mark.parametrize("s", ["a", "L8989-02", "É", " ", "12\n"])
def test_check_digit_rejects_foreign_characters(s: str) -> None:
    with pytest.raises(MRZError):
        mrz.check_digit(s)


# --- specimens -------------------------------------------------------------------------------


def test_td3_specimen() -> None:
    m = mrz.parse(join(TD3), today=TODAY)
    assert m.format == "TD3"
    assert m.document_code == "P"
    assert m.issuing_state == "UTO"
    assert m.document_number == "L898902C3"
    assert m.date_of_birth == datetime.date(1974, 8, 12)
    assert m.birth_yymmdd == "740812"
    assert m.sex == "F"
    assert m.date_of_expiry == datetime.date(2012, 4, 15)
    assert m.expiry_yymmdd == "120415"
    assert m.nationality == "UTO"
    assert m.primary_identifier == "ERIKSSON"
    assert m.secondary_identifier == "ANNA MARIA"
    assert m.names == "ERIKSSON, ANNA MARIA"
    assert m.optional_data == ""
    assert m.optional_data_2 == "ZE184226B"
    assert m.personal_number == "ZE184226B"
    assert m.personal_number_check == "1"
    assert m.errors == ()
    assert m.valid
    assert m.lines == TD3
    assert m.raw == join(TD3)
    assert m.mrz_information() == "L898902C3674081221204159"


def test_td1_specimen() -> None:
    m = mrz.parse(join(TD1), today=TODAY)
    assert m.format == "TD1"
    assert m.document_code == "I"
    assert m.issuing_state == "UTO"
    assert m.document_number == "D23145890"
    assert m.date_of_birth == datetime.date(1974, 8, 12)
    assert m.date_of_expiry == datetime.date(2012, 4, 15)
    assert m.sex == "F"
    assert m.nationality == "UTO"
    assert (m.primary_identifier, m.secondary_identifier) == ("ERIKSSON", "ANNA MARIA")
    assert m.optional_data == ""
    assert m.optional_data_2 == ""
    assert m.personal_number is None
    assert m.personal_number_check is None
    assert m.lines == TD1
    assert m.mrz_information() == "D23145890774081221204159"


def test_td2_specimen() -> None:
    m = mrz.parse(join(TD2), today=TODAY)
    assert m.format == "TD2"
    assert m.document_code == "I"
    assert m.document_number == "D23145890"
    assert m.date_of_birth == datetime.date(1974, 8, 12)
    assert m.date_of_expiry == datetime.date(2012, 4, 15)
    assert m.names == "ERIKSSON, ANNA MARIA"
    assert m.personal_number is None
    assert m.mrz_information() == "D23145890774081221204159"


def test_bac_example_of_part_11_appendix_d() -> None:
    assert ref_check_digit("L898902C<") == "3"
    assert ref_check_digit("690806") == "1"
    assert ref_check_digit("940623") == "6"
    m = mrz.parse(join(BAC_TD3), today=TODAY)
    assert m.document_number == "L898902C"
    assert m.date_of_birth == datetime.date(1969, 8, 6)
    assert m.date_of_expiry == datetime.date(1994, 6, 23)
    assert m.mrz_information() == "L898902C<369080619406236"


def test_long_document_number_in_optional_data() -> None:
    m = mrz.parse(join(LONG_TD1), today=TODAY)
    assert m.document_number == "D23145890734"
    assert m.optional_data == ""
    assert m.date_of_birth == datetime.date(1934, 7, 12)
    assert m.date_of_expiry == datetime.date(1995, 7, 12)
    assert m.sex == "M"
    assert m.names == "STEVENSON, PETER JOHN"
    # Full number, check digit over the full number (no padding to 9).
    assert m.mrz_information() == "D23145890734" + "9" + "340712" + "7" + "950712" + "2"


def test_long_document_number_followed_by_optional_data() -> None:
    text = mrz_builder.compose_td1(
        document_code="I",
        issuing_state="UTO",
        document_number="D23145890734",
        date_of_birth="340712",
        sex="M",
        date_of_expiry="950712",
        nationality="UTO",
        primary_identifier="STEVENSON",
        secondary_identifier="PETER JOHN",
        optional_data="AB12",
    )
    assert text.split("\n")[0] == "I<UTOD23145890<7349<AB12<<<<<<"
    m = mrz.parse(text, today=TODAY)
    assert m.document_number == "D23145890734"
    assert m.optional_data == "AB12"


def test_long_document_number_td2() -> None:
    number = "D2314589073"
    upper = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<"
    lower = "D23145890<UTO7408122F1204159" + "73" + ref_check_digit(number) + "<<<<"
    lower += ref_check_digit(lower[0:10] + lower[13:20] + lower[21:35])
    m = mrz.parse(upper + "\n" + lower, today=TODAY)
    assert m.document_number == number
    assert m.optional_data == ""


# --- Vietnam ---------------------------------------------------------------------------------


def test_vietnamese_hand_written() -> None:
    m = mrz.parse(join(VN_TD1), today=TODAY)
    assert m.format == "TD1"
    assert m.document_code == "ID"
    assert m.issuing_state == "VNM"
    assert m.nationality == "VNM"
    assert m.document_number == "094001234"
    assert m.personal_number == "036094001234"
    assert m.personal_number_check == "4"
    assert m.date_of_birth == datetime.date(1994, 2, 15)
    assert m.date_of_expiry == datetime.date(2034, 2, 15)
    assert m.sex == "F"
    assert m.primary_identifier == "LE"
    assert m.secondary_identifier == "THI THU HUONG"
    assert m.mrz_information() == "094001234" + "9" + "940215" + "7" + "340215" + "5"


def _vn_with_document_number(document_number: str) -> str:
    personal = "036094001234"
    return mrz_builder.compose_td1(
        document_code="ID",
        issuing_state="VNM",
        document_number=document_number,
        date_of_birth="940215",
        sex="F",
        date_of_expiry="340215",
        nationality="VNM",
        primary_identifier="LE",
        secondary_identifier="THI THU HUONG",
        optional_data=personal + "<<" + ref_check_digit(personal),
    )


def test_vietnamese_document_number_must_match_personal_number() -> None:
    text = _vn_with_document_number("094001235")
    with pytest.raises(MRZError) as exc:
        mrz.parse(text, today=TODAY)
    assert exc.value.field == "personal_number"
    m = mrz.parse(text, strict=False, today=TODAY)
    assert len(m.errors) == 1
    assert "personal number" in m.errors[0]
    assert not m.valid


def test_vietnamese_optional_data_shape() -> None:
    bad = replace(VN_TD1, 0, 27, "1")
    with pytest.raises(MRZError) as exc:
        mrz.parse(bad, strict=False, today=TODAY)
    assert exc.value.field == "personal_number"


# --- corruption of check digits and of the fields they protect -------------------------------

# (specimen, line, column, field named by the error)
CHECK_DIGITS = [
    (TD3, 1, 9, "document_number"),
    (TD3, 1, 19, "date_of_birth"),
    (TD3, 1, 27, "date_of_expiry"),
    (TD3, 1, 42, "personal_number"),
    (TD3, 1, 43, "composite"),
    (TD1, 0, 14, "document_number"),
    (TD1, 1, 6, "date_of_birth"),
    (TD1, 1, 14, "date_of_expiry"),
    (TD1, 1, 29, "composite"),
    (TD2, 1, 9, "document_number"),
    (TD2, 1, 19, "date_of_birth"),
    (TD2, 1, 27, "date_of_expiry"),
    (TD2, 1, 35, "composite"),
    (LONG_TD1, 0, 18, "document_number"),
    (LONG_TD1, 1, 6, "date_of_birth"),
    (LONG_TD1, 1, 14, "date_of_expiry"),
    (LONG_TD1, 1, 29, "composite"),
    (VN_TD1, 0, 14, "document_number"),
    (VN_TD1, 0, 29, "personal_number"),
    (VN_TD1, 1, 6, "date_of_birth"),
    (VN_TD1, 1, 14, "date_of_expiry"),
    (VN_TD1, 1, 29, "composite"),
]


@pytest.mark.parametrize(("lines", "line", "col", "fld"), CHECK_DIGITS)
def test_every_check_digit_corruption_names_its_field(
    lines: tuple[str, ...], line: int, col: int, fld: str
) -> None:
    original = lines[line][col]
    assert original.isdigit()
    for ch in ALPHABET:
        if ch == original:
            continue
        text = replace(lines, line, col, ch)
        with pytest.raises(MRZError) as exc:
            mrz.parse(text, today=TODAY)
        assert exc.value.field == fld, (ch, str(exc.value))
        assert f"check digit of {fld}" in str(exc.value)


def test_check_digit_message_says_found_and_expected() -> None:
    with pytest.raises(MRZError) as exc:
        mrz.parse(replace(TD3, 1, 19, "3"), today=TODAY)
    assert str(exc.value) == "check digit of date_of_birth is 3, expected 2"
    assert exc.value.field == "date_of_birth"


# (specimen, line, first column, end column, field) of data protected by a check digit.
PROTECTED = [
    (TD3, 1, 0, 9, "document_number"),
    (TD3, 1, 13, 19, "date_of_birth"),
    (TD3, 1, 21, 27, "date_of_expiry"),
    (TD3, 1, 28, 42, "personal_number"),
    (TD1, 0, 5, 14, "document_number"),
    (TD1, 1, 0, 6, "date_of_birth"),
    (TD1, 1, 8, 14, "date_of_expiry"),
    (TD1, 1, 18, 29, "composite"),
    (TD1, 0, 15, 30, "composite"),
    (TD2, 1, 0, 9, "document_number"),
    (TD2, 1, 13, 19, "date_of_birth"),
    (TD2, 1, 21, 27, "date_of_expiry"),
    (TD2, 1, 28, 35, "composite"),
    (VN_TD1, 0, 5, 14, "document_number"),
    (VN_TD1, 0, 15, 27, "personal_number"),
    (VN_TD1, 1, 0, 6, "date_of_birth"),
    (VN_TD1, 1, 8, 14, "date_of_expiry"),
]


def _value(ch: str) -> int:
    return 0 if ch == "<" else ALPHABET.index(ch)


@pytest.mark.parametrize(("lines", "line", "start", "end", "fld"), PROTECTED)
def test_every_detectable_data_corruption_names_its_field(
    lines: tuple[str, ...], line: int, start: int, end: int, fld: str
) -> None:
    # A 7-3-1 check digit sees every substitution whose value differs modulo 10 (all weights are
    # prime to 10); substitutions such as '1' <-> 'L' (1 vs 21) are invisible by design.
    for col in range(start, end):
        original = lines[line][col]
        for ch in ALPHABET:
            if _value(ch) % 10 == _value(original) % 10:
                continue
            text = replace(lines, line, col, ch)
            with pytest.raises(MRZError) as exc:
                mrz.parse(text, today=TODAY)
            assert exc.value.field == fld, (col, ch, str(exc.value))


def test_errors_never_echo_mrz_text() -> None:
    with pytest.raises(MRZError) as exc:
        mrz.parse(replace(TD3, 1, 0, "X"), today=TODAY)
    message = str(exc.value)
    assert "L898902C" not in message
    assert "ERIKSSON" not in message


# --- non-strict ------------------------------------------------------------------------------


def test_non_strict_collects_check_digit_failures() -> None:
    text = replace(TD3, 1, 19, "3")
    m = mrz.parse(text, strict=False, today=TODAY)
    assert m.date_of_birth == datetime.date(1974, 8, 12)
    # The birth check digit is inside the composite, so both fail.
    assert m.errors == (
        "check digit of date_of_birth is 3, expected 2",
        "check digit of composite is 0, expected 3",
    )
    assert not m.valid
    # The BAC input is recomputed, so it is still right.
    assert m.mrz_information() == "L898902C3674081221204159"


def test_non_strict_still_rejects_structure() -> None:
    with pytest.raises(MRZError):
        mrz.parse(TD3[0], strict=False)


# --- input forms -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "\r\n".join(TD3),
        " ".join(TD3),
        "".join(TD3),
        "\n\n  " + join(TD3) + "  \n",
        join(TD3).lower(),
        "\t".join(TD3),
    ],
)
def test_input_forms(text: str) -> None:
    assert mrz.parse(text, today=TODAY).raw == join(TD3)


def test_concatenated_td1_and_td2() -> None:
    assert mrz.parse("".join(TD1), today=TODAY).lines == TD1
    assert mrz.parse("".join(TD2), today=TODAY).lines == TD2


def test_invalid_character_names_line_and_column() -> None:
    text = replace(TD1, 1, 4, "é")
    with pytest.raises(MRZError, match=r"line 2, column 5"):
        mrz.parse(text)
    # Concatenated input is cut into lines first, so the position is reported per line.
    with pytest.raises(MRZError, match=r"line 2, column 1\b"):
        mrz.parse("".join(TD3)[:44] + "?" + "".join(TD3)[45:])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "A" * 201,
        join(TD3) + "<" * 150,
        "hello world",
        "p<utoeriksson",
        TD3[0],
        join(TD1[:2]),
        join((*TD1, TD1[0])),
        join(TD3) + "\n" + TD3[1],
        TD3[0] + "\n" + TD1[1],
        "P<UTOÉRIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" + TD3[1],
        "".join(TD3) + "<",
        "ß" * 44 + "\n" + TD3[1],
        "\x00" * 88,
        "１" * 88,
        "I<UTO" + "<" * 25 + "\n" + "<" * 30 + "\n" + "<" * 30,
    ],
)
def test_garbage_gives_mrz_error(text: str) -> None:
    with pytest.raises(MRZError):
        mrz.parse(text)


def test_mrz_error_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        mrz.parse("")


# --- dates, sex, codes -----------------------------------------------------------------------


def _td3(birth: str = "740812", expiry: str = "120415", sex: str = "F") -> str:
    return mrz_builder.compose_td3(
        issuing_state="UTO",
        primary_identifier="ERIKSSON",
        secondary_identifier="ANNA MARIA",
        document_number="L898902C3",
        nationality="UTO",
        date_of_birth=birth,
        sex=sex,
        date_of_expiry=expiry,
        personal_number="ZE184226B",
    )


@pytest.mark.parametrize(
    ("birth", "today", "expected"),
    [
        ("250601", datetime.date(2025, 6, 1), datetime.date(2025, 6, 1)),
        ("250602", datetime.date(2025, 6, 1), datetime.date(1925, 6, 2)),
        ("000229", datetime.date(2025, 6, 1), datetime.date(2000, 2, 29)),
        ("991231", datetime.date(2025, 6, 1), datetime.date(1999, 12, 31)),
    ],
)
def test_birth_century_is_never_in_the_future(
    birth: str, today: datetime.date, expected: datetime.date
) -> None:
    assert mrz.parse(_td3(birth=birth), today=today).date_of_birth == expected


@pytest.mark.parametrize(
    ("expiry", "today", "expected_year"),
    [
        ("740101", datetime.date(2025, 6, 1), 2074),
        ("750101", datetime.date(2025, 6, 1), 1975),
        ("790101", datetime.date(2030, 1, 1), 2079),
        ("800101", datetime.date(2030, 1, 1), 1980),
        ("120415", datetime.date(2025, 6, 1), 2012),
    ],
)
def test_expiry_window(expiry: str, today: datetime.date, expected_year: int) -> None:
    m = mrz.parse(_td3(expiry=expiry), today=today)
    assert m.date_of_expiry is not None
    assert m.date_of_expiry.year == expected_year


@pytest.mark.parametrize(
    ("birth", "expiry", "fld"),
    [
        ("741312", "120415", "date_of_birth"),
        ("740800", "120415", "date_of_birth"),
        ("010229", "120415", "date_of_birth"),
        ("740812", "120431", "date_of_expiry"),
        ("740812", "130229", "date_of_expiry"),
    ],
)
def test_invalid_calendar_dates(birth: str, expiry: str, fld: str) -> None:
    text = _td3(birth=birth, expiry=expiry)
    with pytest.raises(MRZError) as exc:
        mrz.parse(text, today=TODAY)
    assert exc.value.field == fld


def test_birth_future_in_both_centuries_is_invalid() -> None:
    # 29 Feb 2000 is after "today", and 1900 was not a leap year.
    with pytest.raises(MRZError) as exc:
        mrz.parse(_td3(birth="000229"), today=datetime.date(1999, 1, 1))
    assert exc.value.field == "date_of_birth"


def test_unknown_birth_date_parts() -> None:
    m = mrz.parse(_td3(birth="74<<<<"), today=TODAY)
    assert m.date_of_birth is None
    assert m.birth_yymmdd == "74<<<<"
    assert m.mrz_information()[10:16] == "74<<<<"


def test_letters_in_dates_are_refused() -> None:
    # Check digits are all right, so only the date syntax is at fault.
    lower = "L898902C36UTO" + "74O812" + ref_check_digit("74O812") + "F1204159ZE184226B<<<<<1"
    lower += ref_check_digit(lower[0:10] + lower[13:20] + lower[21:43])
    with pytest.raises(MRZError) as exc:
        mrz.parse(TD3[0] + "\n" + lower, today=TODAY)
    assert exc.value.field == "date_of_birth"
    assert "six digits" in str(exc.value)


@pytest.mark.parametrize(("printed", "sex"), [("M", "M"), ("F", "F"), ("<", "X"), ("X", "X")])
def test_sex(printed: str, sex: str) -> None:
    assert mrz.parse(replace(TD3, 1, 20, printed), today=TODAY).sex == sex


def test_bad_sex_is_refused() -> None:
    with pytest.raises(MRZError) as exc:
        mrz.parse(replace(TD3, 1, 20, "Q"), today=TODAY)
    assert exc.value.field == "sex"


def test_state_with_fillers_and_bad_state() -> None:
    text = mrz_builder.compose_td3(
        issuing_state="D",
        primary_identifier="MUSTERMANN",
        secondary_identifier="ERIKA",
        document_number="C01X00T47",
        nationality="D",
        date_of_birth="640812",
        sex="F",
        date_of_expiry="270630",
    )
    assert text.startswith("P<D<<MUSTERMANN<<ERIKA<")
    m = mrz.parse(text, today=TODAY)
    assert m.issuing_state == "D"
    assert m.nationality == "D"
    assert m.personal_number is None
    assert m.personal_number_check is None
    with pytest.raises(MRZError) as exc:
        mrz.parse(replace(TD3, 0, 3, "1"), today=TODAY)
    assert exc.value.field == "issuing_state"


def test_empty_personal_number_accepts_filler_or_zero_check_digit() -> None:
    text = _td3().split("\n")
    lower = text[1][:28] + "<" * 14 + "<"
    for cd in "<0":
        line = lower[:42] + cd
        line += ref_check_digit(line[0:10] + line[13:20] + line[21:43])
        m = mrz.parse(text[0] + "\n" + line, today=TODAY)
        assert m.personal_number is None
        assert m.optional_data_2 == ""


# --- composition -----------------------------------------------------------------------------


# --- transliteration -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Nguyễn Thị Ngọc Ánh", "NGUYEN<THI<NGOC<ANH"),
        ("Đặng Hữu Phước", "DANG<HUU<PHUOC"),
        ("Lê Thị Thu Hương", "LE<THI<THU<HUONG"),
        ("đỗ  trần   ƯỚC", "DO<TRAN<UOC"),
        ("Marie-Élise", "MARIE<ELISE"),
        ("D'Artagnan", "DARTAGNAN"),
        ("  Ørsted ", "OERSTED"),
        ("Straße", "STRASSE"),
        ("ANNA<MARIA", "ANNA<MARIA"),
        ("", ""),
    ],
)
def test_transliterate_name(name: str, folded: str) -> None:
    assert mrz.transliterate_name(name) == folded


@pytest.mark.parametrize("name", ["Иван", "李", "R2D2", "x" * 300])
def test_transliterate_refuses_what_it_cannot_fold(name: str) -> None:
    with pytest.raises(MRZError) as exc:
        mrz.transliterate_name(name)
    assert exc.value.field == "name"


# --- properties ------------------------------------------------------------------------------


def _parse_or_mrz_error(text: str) -> None:
    try:
        m = mrz.parse(text, today=TODAY)
    except MRZError:
        return
    assert isinstance(m, mrz.MRZ)


@settings(max_examples=400)
@given(st.text(max_size=300))
def test_arbitrary_text_gives_mrz_or_mrz_error(text: str) -> None:
    _parse_or_mrz_error(text)


@settings(max_examples=400)
@given(
    st.sampled_from([(3, 30), (2, 36), (2, 44)]).flatmap(
        lambda shape: st.lists(
            st.text(alphabet=ALPHABET, min_size=shape[1], max_size=shape[1]),
            min_size=shape[0],
            max_size=shape[0],
        )
    ),
    st.booleans(),
)
def test_well_shaped_noise_gives_mrz_or_mrz_error(lines: list[str], strict: bool) -> None:
    try:
        mrz.parse("\n".join(lines), strict=strict, today=TODAY)
    except MRZError:
        pass


