"""Machine readable zones of ICAO Doc 9303 (TD1, TD2, TD3) and of Vietnamese CCCD cards.

The MRZ is the one piece of card data a reader gets before any access control: it is typed,
OCR'd or scanned, so it is untrusted text. We parse it strictly (fixed shapes, a closed
alphabet, bounded length) and check every check digit, because a single wrong character in the
document number, birth or expiry date silently derives the wrong BAC key and the chip then
just refuses us without saying why.

Error messages name the field and the position, never the MRZ text: they end up in logs.

Vietnamese CCCD cards are TD1 documents from ``VNM`` with document code ``ID``. Their upper
line carries the last 9 digits of the 12-digit personal number as the document number and the
full personal number in the optional data, followed by ``<<`` and the check digit of the
personal number::

    IDVNM<9 digits><cd><12-digit personal number><<<cd>

Date conventions (MRZ years have two digits):

* birth: the century that puts the date closest to, but not after, ``today``;
* expiry: the year lies in the window ``[today.year - 50, today.year + 50)``.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from cccd_reader.errors import MRZError

__all__ = [
    "MAX_INPUT_CHARS",
    "MRZ",
    "check_digit",
    "parse",
    "transliterate_name",
]

Format = Literal["TD1", "TD2", "TD3"]

#: Longest input we look at: a TD1 with CRLF separators is 94 characters; anything far longer is
#: not an MRZ and is refused before any work is done on it.
MAX_INPUT_CHARS = 200

#: The MRZ alphabet and its filler: what a field may hold (the simulator composes with them).
FILLER = "<"
ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
DIGITS = frozenset("0123456789")
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_WEIGHTS = (7, 3, 1)

# (format, line count, line length); the concatenated form is recognised by the total length.
_SHAPES: tuple[tuple[Format, int, int], ...] = (("TD1", 3, 30), ("TD2", 2, 36), ("TD3", 2, 44))
_NAME_WIDTH = {"TD1": 30, "TD2": 31, "TD3": 39}

#: A CCCD's issuing state, document code and personal-number length.
VN_STATE = "VNM"
VN_CODE = "ID"
VN_PERSONAL_LEN = 12

_SHAPE_HINT = (
    "an MRZ has 3 lines of 30 characters (TD1), 2 lines of 36 (TD2) or 2 lines of 44 (TD3)"
)


# --- check digits ------------------------------------------------------------------------------


def _char_value(ch: str, position: int) -> int:
    if "0" <= ch <= "9":
        return ord(ch) - ord("0")
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    if ch == FILLER:
        return 0
    raise MRZError(
        f"character at position {position} is not allowed in an MRZ (only A-Z, 0-9 and '<')"
    )


def check_digit(s: str) -> str:
    """Return the Doc 9303 Part 3 §4.9 check digit (weights 7-3-1, modulus 10) of ``s``.

    Fillers weigh nothing, so a field and the same field padded with ``<`` share a check digit;
    ``mrz_information`` relies on that.
    """
    total = 0
    for i, ch in enumerate(s):
        total += _char_value(ch, i + 1) * _WEIGHTS[i % 3]
    return str(total % 10)


# --- the parsed MRZ ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MRZ:
    """A parsed MRZ.

    Codes and free fields are stored with fillers stripped at the right, names with fillers
    turned into single spaces: that is what gets compared with the chip's DG1/DG13 and shown to
    people. The printed digits of the dates are kept (``birth_yymmdd``, ``expiry_yymmdd``)
    because the BAC key is derived from them, not from the interpreted dates.

    ``errors`` lists the check-digit failures that ``parse(..., strict=False)`` tolerated; it is
    empty for an MRZ that passed every check.
    """

    format: Format
    document_code: str
    issuing_state: str
    document_number: str
    date_of_birth: datetime.date | None
    birth_yymmdd: str
    sex: str
    date_of_expiry: datetime.date | None
    expiry_yymmdd: str
    nationality: str
    primary_identifier: str
    secondary_identifier: str
    optional_data: str
    optional_data_2: str
    personal_number: str | None
    personal_number_check: str | None
    raw: str = field(repr=False)
    errors: tuple[str, ...] = ()

    def __repr__(self) -> str:  # personal data never reaches logs through repr()
        return (f"MRZ(format={self.format!r}, document_code={self.document_code!r}, "
                f"issuing_state={self.issuing_state!r}, personal data masked)")

    @property
    def names(self) -> str:
        """Display form ``"PRIMARY, SECONDARY"``; a mononym is shown alone, without a comma."""
        if self.primary_identifier and self.secondary_identifier:
            return f"{self.primary_identifier}, {self.secondary_identifier}"
        return self.primary_identifier or self.secondary_identifier

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(self.raw.split("\n"))

    @property
    def valid(self) -> bool:
        """True when no check digit failure was tolerated (always true for a strict parse)."""
        return not self.errors

    def mrz_information(self) -> str:
        """The BAC key seed input of Doc 9303 Part 11 §9.7.2.

        Check digits are recomputed rather than copied from the printed MRZ, so an OCR slip in a
        check digit (tolerated by a non-strict parse) still yields the key the chip expects. A
        document number longer than 9 characters is used in full, with its check digit over the
        full number, as Doc 9303 Part 11 prescribes.
        """
        number = self.document_number.ljust(9, FILLER)
        return (
            number
            + check_digit(number)
            + self.birth_yymmdd
            + check_digit(self.birth_yymmdd)
            + self.expiry_yymmdd
            + check_digit(self.expiry_yymmdd)
        )


# --- parsing -----------------------------------------------------------------------------------


def _split_lines(text: str) -> list[str]:
    """Cut the input into MRZ lines.

    Only ASCII letters are upper-cased: ``str.upper`` on arbitrary Unicode can change the length
    (``"ß".upper() == "SS"``) and would shift every column we report.
    """
    if len(text) > MAX_INPUT_CHARS:
        raise MRZError(f"MRZ input is longer than {MAX_INPUT_CHARS} characters")
    tokens = text.split()
    if not tokens:
        raise MRZError("MRZ is empty")
    if len(tokens) == 1:
        for _fmt, count, width in _SHAPES:
            if len(tokens[0]) == count * width:
                tokens = [tokens[0][i : i + width] for i in range(0, count * width, width)]
                break
    lines: list[str] = []
    for line_no, token in enumerate(tokens, start=1):
        chars: list[str] = []
        for col, ch in enumerate(token, start=1):
            up = ch.upper() if "a" <= ch <= "z" else ch
            if up not in ALPHABET:
                raise MRZError(
                    f"MRZ line {line_no}, column {col}: character not allowed"
                    " (only A-Z, 0-9 and '<')"
                )
            chars.append(up)
        lines.append("".join(chars))
    return lines


def _detect_format(lines: list[str]) -> Format:
    for fmt, count, width in _SHAPES:
        if len(lines) == count and all(len(line) == width for line in lines):
            return fmt
    if len(lines) > 3:
        raise MRZError(f"{_SHAPE_HINT}; got {len(lines)} lines")
    lengths = ", ".join(str(len(line)) for line in lines)
    noun = "line" if len(lines) == 1 else "lines"
    raise MRZError(f"{_SHAPE_HINT}; got {len(lines)} {noun} of {lengths} characters")


class _Checker:
    """Verifies check digits, raising at once (strict) or collecting the failures."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.errors: list[str] = []

    def fail(self, message: str, fld: str) -> None:
        if self.strict:
            raise MRZError(message, field=fld)
        self.errors.append(message)

    def check(self, data: str, printed: str, fld: str, *, filler_ok: bool = False) -> None:
        """``filler_ok``: Doc 9303 lets an unused optional field carry ``<`` as check digit."""
        expected = check_digit(data)
        if printed == expected:
            return
        if filler_ok and printed == FILLER and set(data) <= {FILLER}:
            return
        self.fail(f"check digit of {fld} is {printed}, expected {expected}", fld)


def _long_number(principal: str, optional: str) -> tuple[str, str, str]:
    """Split a Doc 9303 Part 5 §4.2.2 / Part 6 long document number out of the optional data.

    When the check digit position holds ``<``, the number continues at the start of the
    optional data and ends with its check digit, then a filler. Returns (number, printed check
    digit, rest of the optional data). Without any continuation, the ``<`` itself is returned
    as the printed check digit so that it fails as one.
    """
    end = optional.find(FILLER)
    if end == 0:
        return principal.rstrip(FILLER), FILLER, optional
    if end < 0:
        end = len(optional)
        rest = ""
    else:
        rest = optional[end + 1 :]
    return principal + optional[: end - 1], optional[end - 1], rest


def _names(field_text: str) -> tuple[str, str]:
    primary, sep, secondary = field_text.rstrip(FILLER).partition("<<")
    if not sep:
        secondary = ""

    def clean(part: str) -> str:
        return " ".join(part.replace(FILLER, " ").split())

    return clean(primary), clean(secondary)


def _birth_date(yymmdd: str, today: datetime.date) -> datetime.date | None:
    if FILLER in yymmdd:
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    year = 2000 + yy if (2000 + yy, mm, dd) <= (today.year, today.month, today.day) else 1900 + yy
    try:
        return datetime.date(year, mm, dd)
    except ValueError:
        raise MRZError(
            "date_of_birth is not a valid calendar date", field="date_of_birth"
        ) from None


def _expiry_date(yymmdd: str, today: datetime.date) -> datetime.date | None:
    if FILLER in yymmdd:
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    year = 2000 + yy
    while year >= today.year + 50:
        year -= 100
    while year < today.year - 50:
        year += 100
    try:
        return datetime.date(year, mm, dd)
    except ValueError:
        if yymmdd[:2] == "99" and (mm, dd) == (2, 29):
            # six digits, not a date: a lifetime card's 99MMDD of a 29 February birth
            # (990229) has no day in its century; kept as printed (expiry_yymmdd)
            return None
        raise MRZError(
            "date_of_expiry is not a valid calendar date", field="date_of_expiry"
        ) from None


def check_date_chars(yymmdd: str, fld: str) -> None:
    """Digits, or fillers for the parts a state does not know (Doc 9303 Part 3 §4.8)."""
    if not set(yymmdd) <= DIGITS | {FILLER}:
        raise MRZError(f"{fld} must be six digits (or '<' for unknown parts)", field=fld)


def _code(raw: str, fld: str) -> str:
    """Codes are letters padded with fillers at the right (``"P<"``, ``"D<<"``)."""
    value = raw.rstrip(FILLER)
    if not value or not set(value) <= _LETTERS:
        raise MRZError(f"{fld} is not a valid code", field=fld)
    return value


def _sex(ch: str) -> str:
    if ch in ("M", "F", "X"):
        return ch
    if ch == FILLER:
        return "X"
    raise MRZError("sex must be M, F, X or '<'", field="sex")


def parse(text: str, *, strict: bool = True, today: datetime.date | None = None) -> MRZ:
    """Parse and verify a TD1, TD2 or TD3 MRZ.

    Lines may be separated by newlines (LF or CRLF) or spaces, or be concatenated. With
    ``strict=False`` check-digit failures (and the Vietnamese document number / personal number
    mismatch) are collected in ``MRZ.errors`` instead of raised: an OCR'd MRZ with one bad check
    digit is still worth showing to the user for correction. Malformed structure always raises.
    ``today`` anchors the two-digit years; tests pin it.
    """
    if not isinstance(text, str):
        raise MRZError("MRZ must be text")
    if today is None:
        today = datetime.date.today()
    lines = _split_lines(text)
    fmt = _detect_format(lines)
    checker = _Checker(strict)

    personal_number: str | None = None
    personal_check: str | None = None
    if fmt == "TD1":
        upper, middle, lower = lines
        document_code = upper[0:2]
        issuing_state = upper[2:5]
        birth, birth_cd = middle[0:6], middle[6]
        sex = middle[7]
        expiry, expiry_cd = middle[8:14], middle[14]
        nationality = middle[15:18]
        optional_2 = middle[18:29]
        composite_data = upper[5:30] + middle[0:7] + middle[8:15] + middle[18:29]
        composite_cd = middle[29]
        name_field = lower
        is_vn = issuing_state == VN_STATE and document_code.rstrip(FILLER) == VN_CODE
        if upper[14] == FILLER and not is_vn:
            number, number_cd, optional = _long_number(upper[5:14], upper[15:30])
        else:
            number, number_cd, optional = upper[5:14].rstrip(FILLER), upper[14], upper[15:30]
        checker.check(number, number_cd, "document_number")
        checker.check(birth, birth_cd, "date_of_birth")
        checker.check(expiry, expiry_cd, "date_of_expiry")
        if is_vn:
            personal_number, personal_check = _vn_personal_number(upper, number, checker)
    elif fmt == "TD2":
        upper, lower = lines
        document_code = upper[0:2]
        issuing_state = upper[2:5]
        name_field = upper[5:36]
        nationality = lower[10:13]
        birth, birth_cd = lower[13:19], lower[19]
        sex = lower[20]
        expiry, expiry_cd = lower[21:27], lower[27]
        if lower[9] == FILLER:
            number, number_cd, optional = _long_number(lower[0:9], lower[28:35])
        else:
            number, number_cd, optional = lower[0:9].rstrip(FILLER), lower[9], lower[28:35]
        optional_2 = ""
        composite_data = lower[0:10] + lower[13:20] + lower[21:35]
        composite_cd = lower[35]
        checker.check(number, number_cd, "document_number")
        checker.check(birth, birth_cd, "date_of_birth")
        checker.check(expiry, expiry_cd, "date_of_expiry")
    else:
        upper, lower = lines
        document_code = upper[0:2]
        issuing_state = upper[2:5]
        name_field = upper[5:44]
        number, number_cd = lower[0:9].rstrip(FILLER), lower[9]
        nationality = lower[10:13]
        birth, birth_cd = lower[13:19], lower[19]
        sex = lower[20]
        expiry, expiry_cd = lower[21:27], lower[27]
        optional = ""
        optional_2 = lower[28:42]
        composite_data = lower[0:10] + lower[13:20] + lower[21:43]
        composite_cd = lower[43]
        checker.check(number, number_cd, "document_number")
        checker.check(birth, birth_cd, "date_of_birth")
        checker.check(expiry, expiry_cd, "date_of_expiry")
        checker.check(optional_2, lower[42], "personal_number", filler_ok=True)
        if optional_2.rstrip(FILLER):
            personal_number, personal_check = optional_2.rstrip(FILLER), lower[42]
    checker.check(composite_data, composite_cd, "composite")

    if not number:
        raise MRZError("document_number is empty", field="document_number")
    check_date_chars(birth, "date_of_birth")
    check_date_chars(expiry, "date_of_expiry")
    primary, secondary = _names(name_field)
    return MRZ(
        format=fmt,
        document_code=_code(document_code, "document_code"),
        issuing_state=_code(issuing_state, "issuing_state"),
        document_number=number,
        date_of_birth=_birth_date(birth, today),
        birth_yymmdd=birth,
        sex=_sex(sex),
        date_of_expiry=_expiry_date(expiry, today),
        expiry_yymmdd=expiry,
        nationality=_code(nationality, "nationality"),
        primary_identifier=primary,
        secondary_identifier=secondary,
        optional_data=optional.rstrip(FILLER),
        optional_data_2=optional_2.rstrip(FILLER),
        personal_number=personal_number,
        personal_number_check=personal_check,
        raw="\n".join(lines),
        errors=tuple(checker.errors),
    )


def _vn_personal_number(upper: str, number: str, checker: _Checker) -> tuple[str | None, str]:
    """Check the Vietnamese optional data: 12-digit personal number, ``<<``, its check digit.

    The document number must be the last 9 digits of the personal number: a mismatch means the
    MRZ was mistyped or tampered with, and BAC would be keyed with the wrong number.
    """
    personal, gap, printed = upper[15:27], upper[27:29], upper[29]
    if not set(personal) <= DIGITS or gap != "<<":
        raise MRZError(
            "optional data of a Vietnamese ID card must be the 12-digit personal number,"
            " '<<' and its check digit",
            field="personal_number",
        )
    checker.check(personal, printed, "personal_number")
    if personal[-9:] != number:
        checker.fail(
            "document_number is not the last 9 digits of the personal number",
            "personal_number",
        )
    return personal, printed


# --- names -------------------------------------------------------------------------------------

# Letters that NFKD does not decompose into a base letter plus marks (Doc 9303 Part 3 §6).
_SPECIAL_LETTERS = {
    "Đ": "D",  # Vietnamese D with stroke; the reason this table exists
    "đ": "D",
    "Ð": "D",  # Icelandic eth
    "ð": "D",
    "Æ": "AE",
    "æ": "AE",
    "Ø": "OE",
    "ø": "OE",
    "Œ": "OE",
    "œ": "OE",
    "ß": "SS",
    "Þ": "TH",
    "þ": "TH",
    "Ł": "L",
    "ł": "L",
    "Ħ": "H",
    "ħ": "H",
    "ı": "I",
}
# Name separators become a filler; apostrophes are dropped (Doc 9303 Part 3 §4.6:
# D'ARTAGNAN -> DARTAGNAN), periods likewise.
_SEPARATORS = frozenset(" \t-‐‑–,<")
_DROPPED = frozenset("'’ʼ‘`.")


def transliterate_name(name: str) -> str:
    """Fold a printed (Unicode) name into the MRZ alphabet.

    Used both to compose MRZs and to compare the chip's DG13 names (Vietnamese with diacritics)
    with the MRZ. Diacritics are stripped through NFKD, so ``"Nguyễn Thị Ngọc Ánh"`` becomes
    ``"NGUYEN<THI<NGOC<ANH"``; separators become single fillers. Characters with no Latin
    transliteration here (other scripts, digits) are refused rather than dropped, so a
    comparison never silently succeeds on a shortened name.
    """
    if len(name) > MAX_INPUT_CHARS:
        raise MRZError(f"name is longer than {MAX_INPUT_CHARS} characters", field="name")
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", name):
        if unicodedata.category(ch).startswith("M") or ch in _DROPPED:
            continue
        if ch in _SEPARATORS:
            if out and out[-1] != FILLER:
                out.append(FILLER)
            continue
        if ch in _SPECIAL_LETTERS:
            out.append(_SPECIAL_LETTERS[ch])
        elif "A" <= ch <= "Z" or "a" <= ch <= "z":
            out.append(ch.upper())
        else:
            raise MRZError(f"character U+{ord(ch):04X} has no MRZ transliteration", field="name")
    return "".join(out).strip(FILLER)
