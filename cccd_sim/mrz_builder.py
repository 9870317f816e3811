"""Composing MRZs (TD1, TD3, a Vietnamese CCCD's TD1) for synthetic cards.

A reader only parses MRZs (:mod:`cccd_reader.mrz`, where the alphabet, the check digits and
the CCCD layout are defined); the issuer, the samples and the tests write them, so composition
lives beside the virtual chip. Fields are refused, never silently mangled, so a sample's MRZ is
exactly what its spec says.
"""

from __future__ import annotations

from cccd_reader.errors import MRZError
from cccd_reader.mrz import (
    ALPHABET,
    DIGITS,
    FILLER,
    VN_CODE,
    VN_PERSONAL_LEN,
    VN_STATE,
    check_date_chars,
    check_digit,
    transliterate_name,
)


def _clean(value: str, fld: str, *, max_len: int, min_len: int = 0) -> str:
    """Normalise a caller-supplied field; refuse rather than silently mangle it."""
    out = value.strip().upper().replace(" ", FILLER)
    if not set(out) <= ALPHABET:
        raise MRZError(f"{fld} has characters outside A-Z, 0-9 and '<'", field=fld)
    if not min_len <= len(out) <= max_len:
        if min_len == max_len:
            raise MRZError(f"{fld} must be {max_len} characters long", field=fld)
        raise MRZError(f"{fld} must be {min_len} to {max_len} characters long", field=fld)
    return out


def _clean_date(value: str, fld: str) -> str:
    out = _clean(value, fld, max_len=6, min_len=6)
    check_date_chars(out, fld)
    return out


def _clean_sex(value: str) -> str:
    out = value.strip().upper()
    if out in ("", "X", FILLER):
        return FILLER
    if out in ("M", "F"):
        return out
    raise MRZError("sex must be M, F, X or '<'", field="sex")


def _name_field(primary: str, secondary: str, width: int) -> str:
    """Build the name field, truncating per Doc 9303 Part 3 §4.6 (simplified).

    The secondary identifier is cut first, as the standard asks, so the primary identifier (the
    part matched against watch lists and the chip) survives as long as possible. No truncation
    marker is added.
    """
    prim = transliterate_name(primary)
    sec = transliterate_name(secondary)
    if not prim and not sec:
        raise MRZError("the name is empty", field="primary_identifier")
    if not sec:
        text = prim[:width]
    elif len(prim) + 3 > width:
        text = prim[:width]
    else:
        text = prim + "<<" + sec[: width - len(prim) - 2]
    return text.rstrip(FILLER).ljust(width, FILLER)


def _pad(value: str, width: int) -> str:
    return value.ljust(width, FILLER)


def compose_td1(
    *,
    document_code: str = "ID",
    issuing_state: str,
    document_number: str,
    date_of_birth: str,
    sex: str,
    date_of_expiry: str,
    nationality: str,
    primary_identifier: str,
    secondary_identifier: str,
    optional_data: str = "",
    optional_data_2: str = "",
) -> str:
    """Compose a TD1 MRZ (three lines of 30, joined with ``\\n``) for synthetic cards.

    Document numbers longer than 9 characters are continued in the optional data as Doc 9303
    Part 5 §4.2.2 describes; ``optional_data`` then follows after one filler.
    """
    code = _pad(_clean(document_code, "document_code", max_len=2, min_len=1), 2)
    state = _pad(_clean(issuing_state, "issuing_state", max_len=3, min_len=1), 3)
    number = _clean(document_number, "document_number", max_len=9 + 14, min_len=1)
    birth = _clean_date(date_of_birth, "date_of_birth")
    expiry = _clean_date(date_of_expiry, "date_of_expiry")
    nat = _pad(_clean(nationality, "nationality", max_len=3, min_len=1), 3)
    opt1 = _clean(optional_data, "optional_data", max_len=15)
    opt2 = _clean(optional_data_2, "optional_data_2", max_len=11)

    if len(number) <= 9:
        number_part = _pad(number, 9) + check_digit(number)
        optional_part = opt1
    else:
        continuation = number[9:] + check_digit(number)
        optional_part = continuation + (FILLER + opt1 if opt1 else "")
        number_part = number[:9] + FILLER
        if len(optional_part) > 15:
            raise MRZError(
                "document_number and optional_data do not fit the optional data field",
                field="optional_data",
            )
    upper = code + state + number_part + _pad(optional_part, 15)
    middle = (
        birth
        + check_digit(birth)
        + _clean_sex(sex)
        + expiry
        + check_digit(expiry)
        + nat
        + _pad(opt2, 11)
    )
    middle += check_digit(upper[5:30] + middle[0:7] + middle[8:15] + middle[18:29])
    lower = _name_field(primary_identifier, secondary_identifier, 30)
    return "\n".join((upper, middle, lower))


def compose_td3(
    *,
    document_code: str = "P",
    issuing_state: str,
    primary_identifier: str,
    secondary_identifier: str,
    document_number: str,
    nationality: str,
    date_of_birth: str,
    sex: str,
    date_of_expiry: str,
    personal_number: str = "",
) -> str:
    """Compose a TD3 (passport) MRZ, two lines of 44 joined with ``\\n``.

    TD3 has no provision for document numbers over 9 characters, so they are refused. An empty
    personal number gets ``<`` as its check digit, which Doc 9303 Part 4 allows.
    """
    code = _pad(_clean(document_code, "document_code", max_len=2, min_len=1), 2)
    state = _pad(_clean(issuing_state, "issuing_state", max_len=3, min_len=1), 3)
    number = _pad(_clean(document_number, "document_number", max_len=9, min_len=1), 9)
    nat = _pad(_clean(nationality, "nationality", max_len=3, min_len=1), 3)
    birth = _clean_date(date_of_birth, "date_of_birth")
    expiry = _clean_date(date_of_expiry, "date_of_expiry")
    personal = _pad(_clean(personal_number, "personal_number", max_len=14), 14)

    upper = code + state + _name_field(primary_identifier, secondary_identifier, 39)
    personal_cd = FILLER if personal == FILLER * 14 else check_digit(personal)
    lower = (
        number
        + check_digit(number)
        + nat
        + birth
        + check_digit(birth)
        + _clean_sex(sex)
        + expiry
        + check_digit(expiry)
        + personal
        + personal_cd
    )
    lower += check_digit(lower[0:10] + lower[13:20] + lower[21:43])
    return "\n".join((upper, lower))


def compose_vn_td1(
    *,
    personal_number: str,
    date_of_birth: str,
    sex: str,
    date_of_expiry: str,
    primary_identifier: str,
    secondary_identifier: str,
) -> str:
    """Compose the MRZ of a Vietnamese CCCD (layout in the module docstring)."""
    personal = personal_number.strip()
    if len(personal) != VN_PERSONAL_LEN or not set(personal) <= DIGITS:
        raise MRZError("personal_number must be 12 digits", field="personal_number")
    return compose_td1(
        document_code=VN_CODE,
        issuing_state=VN_STATE,
        document_number=personal[-9:],
        date_of_birth=date_of_birth,
        sex=sex,
        date_of_expiry=date_of_expiry,
        nationality=VN_STATE,
        primary_identifier=primary_identifier,
        secondary_identifier=secondary_identifier,
        optional_data=personal + "<<" + check_digit(personal),
    )
