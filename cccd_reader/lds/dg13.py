"""DG13 of Vietnamese ID cards (CCCD, Căn cước): the holder's data in Vietnamese.

ICAO leaves DG13 to the issuing state. Viet Nam stores a DER structure::

    6D { SEQUENCE {
        INTEGER 1,                          -- version
        OBJECT IDENTIFIER 1.0.10646.1.0.8,  -- ISO/IEC 10646 UTF-8: the text encoding
        SET { SEQUENCE { INTEGER n, value... } ... } } }

Fields are identified by the number inside each entry, never by position or byte pattern:
fields that do not apply are simply absent (field 15 without an old ID, field 14 holds only
its number for a single person), and the entries are not in DER SET OF order.

Field numbers (no official public specification exists; this is what public parsers of real
cards agree on, checked while writing this module):

* a Java ``DG13File`` of an Android eID SDK (package ``vn.leeon.eidsdk``), whose byte prefixes
  document the real encodings: 1, 3, 11, 15, 16 are PrintableString, the rest UTF8String
  (12 too, since lifetime cards hold text there); 13 is ``SEQUENCE { INTEGER 13,
  SEQUENCE { father }, SEQUENCE { mother } }``; 14 is ``SEQUENCE { INTEGER 14, SEQUENCE {
  spouse } }`` or ``SEQUENCE { INTEGER 14 }`` alone;
* a Dart ``NfcDg13Parser`` (Flutter, asn1lib) reading the SET by field number and field 13 as
  one nested sequence ``{ father, mother }``, field 16 kept raw as unconfirmed;
* a TypeScript "VN-CCCD-2024" document profile mapping fields 1-13 to the same meanings.

1 personal number (12 digits), 2 full name, 3 date of birth (DD/MM/YYYY), 4 sex ("Nam" /
"Nữ"), 5 nationality, 6 ethnicity, 7 religion, 8 place of origin, 9 place of residence,
10 identifying features, 11 date of issue, 12 date of expiry (or text such as "Không thời
hạn"), 13 father and mother, 14 spouse, 15 old 9-digit ID number, 16 a 16-character value of
unconfirmed meaning (kept raw). Because the three sources disagree on how field 13 nests, all
three shapes are accepted (flat strings, one sequence of both, one sequence per parent).
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from asn1crypto import core

from cccd_reader.errors import LDSError
from cccd_reader.lds._util import outer, text

DG13_TAG = 0x6D
UTF8_OID = "1.0.10646.1.0.8"
_NAME = "DG13"

#: Printed on lifetime cards instead of an expiry date.
LIFETIME_TEXT = "Không thời hạn"
#: Field 4 (and the QR code's sex field), NFC and casefolded -> the ICAO code of the MRZ.
SEX_CODES: dict[str, Literal["M", "F"]] = {"nam": "M", "nữ": "F"}

#: Simple text fields: number -> attribute.
FIELD_NAMES: dict[int, str] = {
    1: "personal_number",
    2: "full_name",
    3: "date_of_birth",
    4: "sex",
    5: "nationality",
    6: "ethnicity",
    7: "religion",
    8: "place_of_origin",
    9: "place_of_residence",
    10: "identifying_features",
    11: "date_of_issue",
    12: "date_of_expiry",
    15: "old_id_number",
    16: "field_16",
}
_DATE_FIELDS = frozenset({3, 11, 12})
_FAMILY, _SPOUSE = 13, 14


class _Values(core.SequenceOf):  # type: ignore[misc]
    _child_spec = core.Any


class _Entries(core.SetOf):  # type: ignore[misc]
    _child_spec = _Values


class _Content(core.Sequence):  # type: ignore[misc]
    _fields: ClassVar = [
        ("version", core.Integer),
        ("charset", core.ObjectIdentifier),
        ("entries", _Entries),
    ]


@dataclass(frozen=True, slots=True)
class DG13Field:
    """A field this parser has no name for: text for string values, DER for anything else."""

    number: int
    values: tuple[str | bytes, ...]


@dataclass(frozen=True, slots=True)
class HolderFields:
    """The holder's data DG13 carries, in field order: the one list of them.

    :class:`DG13` (as parsed) and :class:`cccd_reader.record.Holder` (the record's view) both
    extend it, so a field added here appears in both.
    """

    personal_number: str | None = None
    full_name: str | None = None
    date_of_birth: datetime.date | str | None = None
    sex: str | None = None
    nationality: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    place_of_origin: str | None = None
    place_of_residence: str | None = None
    identifying_features: str | None = None
    date_of_issue: datetime.date | str | None = None
    #: A date, or the card's text when it is not one (lifetime cards: "Không thời hạn").
    date_of_expiry: datetime.date | str | None = None
    father_name: str | None = None
    mother_name: str | None = None
    spouse_name: str | None = None
    old_id_number: str | None = None


@dataclass(frozen=True, slots=True)
class DG13(HolderFields):
    """DG13 as parsed: the holder's fields plus what the card stores around them."""

    version: int = field(kw_only=True)
    charset: str = field(kw_only=True)
    #: 16 characters of unconfirmed meaning: kept exactly as stored.
    field_16: str | None = None
    unknown: tuple[DG13Field, ...] = ()
    #: Field numbers in stored order, to show what the card actually carries.
    numbers: tuple[int, ...] = ()

    @property
    def lifetime(self) -> bool:
        """True when the expiry field says the card never expires."""
        if not isinstance(self.date_of_expiry, str):
            return False
        folded = unicodedata.normalize("NFC", self.date_of_expiry).strip().casefold()
        return folded == LIFETIME_TEXT.casefold()


def parse_vn_date(value: str) -> datetime.date | str:
    """``DD/MM/YYYY`` as printed on the card; anything else stays text."""
    parts = value.strip().split("/")
    if len(parts) == 3 and all(p.isascii() and p.isdigit() for p in parts):
        day, month, year = parts
        if len(day) == 2 and len(month) == 2 and len(year) == 4:
            try:
                return datetime.date(int(year), int(month), int(day))
            except ValueError:
                pass
    return value


def _string(value: Any) -> str | None:
    """Text of a UTF8String or PrintableString (both read as UTF-8), None for other types."""
    parsed = value.parsed
    if isinstance(parsed, core.UTF8String | core.PrintableString):
        return text(bytes(parsed.contents or b""), _NAME, "a text field")
    return None


def _children(value: Any) -> list[Any] | None:
    """The elements of a SEQUENCE value, None when the value is not a SEQUENCE."""
    if not isinstance(value.parsed, core.Sequence):
        return None
    return list(_Values.load(value.dump(), strict=True))


def _slots(number: int, values: list[Any]) -> list[str | None]:
    """Names held by field 13/14 in any of the nesting shapes seen in public parsers."""
    slots: list[str | None] = []
    for value in values:
        s = _string(value)
        if s is not None:
            slots.append(s)
            continue
        inner = _children(value)
        if inner is None:
            raise LDSError(f"{_NAME}: field {number} holds a value that is neither text nor a list")
        names = [_string(v) for v in inner]
        if any(n is None for n in names):
            raise LDSError(f"{_NAME}: field {number} nests a non-text value")
        if len(values) == 1:
            slots.extend(names)
        elif len(names) <= 1:
            slots.append(names[0] if names else None)
        else:
            raise LDSError(f"{_NAME}: field {number} nests more than one name per person")
    return slots


def _blank(value: str | None) -> str | None:
    return value if value and value.strip() else None


def parse_dg13(data: bytes) -> DG13:
    obj = outer(data, DG13_TAG, _NAME)
    try:
        return _parse(obj.value)
    except LDSError:
        raise
    except Exception as exc:  # asn1crypto raises ValueError, TypeError, KeyError... on junk
        raise LDSError(f"{_NAME} is malformed: {type(exc).__name__}: {exc}") from exc


def _parse(der: bytes) -> DG13:
    content = _Content.load(der, strict=True)
    version = int(content["version"].native)
    charset = str(content["charset"].dotted)
    values: dict[str, Any] = {}
    unknown: list[DG13Field] = []
    numbers: list[int] = []
    for entry in content["entries"]:
        items = list(entry)
        if not items or not isinstance(items[0].parsed, core.Integer):
            raise LDSError(f"{_NAME}: an entry does not start with its field number")
        number = int(items[0].parsed.native)
        if number in numbers:
            raise LDSError(f"{_NAME}: field {number} appears twice")
        numbers.append(number)
        rest = items[1:]
        if number in FIELD_NAMES:
            if len(rest) > 1:
                raise LDSError(f"{_NAME}: field {number} holds {len(rest)} values, expected 1")
            s = _string(rest[0]) if rest else None
            if rest and s is None:
                raise LDSError(f"{_NAME}: field {number} is not text")
            s = _blank(s)
            if s is not None and number in _DATE_FIELDS:
                values[FIELD_NAMES[number]] = parse_vn_date(s)
            else:
                values[FIELD_NAMES[number]] = s
        elif number == _FAMILY:
            slots = _slots(number, rest)
            if len(slots) > 2:
                raise LDSError(f"{_NAME}: field 13 holds {len(slots)} names, expected 2")
            slots += [None] * (2 - len(slots))
            values["father_name"], values["mother_name"] = (_blank(x) for x in slots)
        elif number == _SPOUSE:
            slots = _slots(number, rest)
            if len(slots) > 1:
                raise LDSError(f"{_NAME}: field 14 holds {len(slots)} names, expected 1")
            values["spouse_name"] = _blank(slots[0]) if slots else None
        else:
            kept: list[str | bytes] = []
            for value in rest:
                s = _string(value)
                kept.append(s if s is not None else bytes(value.dump()))
            unknown.append(DG13Field(number, tuple(kept)))
    return DG13(
        version=version,
        charset=charset,
        unknown=tuple(unknown),
        numbers=tuple(numbers),
        **values,
    )
