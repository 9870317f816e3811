"""Parse the text of a Vietnamese ID card's QR code (2021 CCCD and 2024 thẻ căn cước).

**2021 CCCD** (QR on the front; Circular 06/2021/TT-BCA): UTF-8 text, ``|``-separated::

    personal number | old 9-digit ID (may be empty) | full name | date of birth ddmmyyyy |
    sex (Nam/Nữ) | place of residence | date of issue ddmmyyyy

seen with exactly these 7 fields and with trailing empty fields (11 in all). Public sources
agree on the content (ictnews.vietnamnet.vn 2021-04 "Mã QR trên Căn cước công dân ghi những
thông tin gì?"; baobariavungtau.com.vn 2022-12: "Số CCCD, số CMND 9 số; họ và tên; ngày sinh;
giới tính; nơi thường trú; ngày cấp CCCD"), and public parsers use this order.

**2024 thẻ căn cước** (QR on the back; Circular 16/2024/TT-BCA, in force 1 July 2024): the
circular, as reported (truyenhinhvov.vn 2024-06-23), lists the QR content as personal
identification number; full name; sex; date of birth; place of residence; date of issue;
the 9-digit old ID number (if any); cancelled personal identification number (if any). The
*order* of fields on the wire is not public as far as we found (an earlier draft reported by
luatvietnam.vn also listed family members' numbers; we saw no public sample of a real card).
So: a 2024 payload laid out like the 2021 one is parsed as such; any other layout is parsed
by recognising what is unambiguous (the first 12-digit field is the personal number, a second
12-digit field the cancelled number, a 9-digit field the old ID, ``Nam``/``Nữ`` the sex, two
ddmmyyyy dates birth < issue, the first letters-only text the name, the next text the
residence) and every field is kept raw in ``fields``. A card is called ``cancuoc-2024`` when
its issue date is on or after 1 July 2024 (the 2021 model stopped being issued then) or its
layout is not the 2021 one.

Input may come from a keyboard-wedge scanner: surrounding whitespace, CR/LF/TAB anywhere, a
BOM and NFD text are tolerated; nothing else is rewritten. Anything unrecognised raises
:class:`~cccd_reader.qr.errors.QRPayloadError` naming the field and count, never the value.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from cccd_reader.lds.dg13 import SEX_CODES
from cccd_reader.qr.errors import QRPayloadError

__all__ = ["CANCUOC_2024_START", "QRData", "QRFormat", "parse_payload"]

QRFormat = Literal["cccd-2021", "cancuoc-2024"]

#: Law on Identification 26/2023/QH15 and Circular 16/2024/TT-BCA take effect on this day.
CANCUOC_2024_START = datetime.date(2024, 7, 1)
#: A QR holds at most 2953 bytes; anything longer is not a card's QR.
MAX_PAYLOAD_CHARS = 3000
MAX_FIELDS = 16
_FIELDS_2021 = (
    "personal_number",
    "old_id_number",
    "full_name",
    "date_of_birth",
    "sex",
    "place_of_residence",
    "date_of_issue",
)
_DIGITS = re.compile(r"[0-9]+")
_DATE = re.compile(r"([0-9]{2})[/.\-]?([0-9]{2})[/.\-]?([0-9]{4})")
#: Wedge noise: line breaks and tabs anywhere, zero-width characters and BOMs.
_NOISE = re.compile("[\r\n\t\u200b\u200c\u200d\u2060\ufeff]")


@dataclass(frozen=True)
class QRData:
    """The card's QR, typed. Text is NFC; ``fields`` keeps every field as found."""

    format: QRFormat
    personal_number: str
    old_id_number: str | None
    full_name: str | None
    date_of_birth: datetime.date | None
    sex: str | None  # as printed: "Nam" or "Nữ"
    place_of_residence: str | None
    date_of_issue: datetime.date | None
    #: 2024 cards: a cancelled personal number, when the QR carries one.
    cancelled_personal_number: str | None = None
    #: Fields we could not place (index -> raw text), e.g. non-empty fields 8-11 of 2021.
    extra: dict[int, str] = field(default_factory=dict)
    #: Every ``|``-separated field, stripped, in order.
    fields: tuple[str, ...] = ()
    #: "2021" when the fields follow the 2021 order, "recognised" when placed by content.
    layout: Literal["2021", "recognised"] = "2021"

    def __repr__(self) -> str:  # personal data stays out of logs and tracebacks
        return f"QRData(format={self.format!r}, fields={len(self.fields)})"

    @property
    def sex_code(self) -> str | None:
        """ICAO sex letter (M/F) for comparing with the MRZ."""
        return SEX_CODES.get(self.sex.casefold()) if self.sex else None

    @property
    def can(self) -> str:
        """Vietnamese cards: the CAN is the last 6 digits of the personal number."""
        return self.personal_number[-6:]

    @property
    def document_number(self) -> str:
        """The MRZ document number of VN cards: the last 9 digits of the personal number."""
        return self.personal_number[-9:]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "layout": self.layout,
            "personal_number": self.personal_number,
            "old_id_number": self.old_id_number,
            "full_name": self.full_name,
            "date_of_birth": _iso(self.date_of_birth),
            "sex": self.sex,
            "place_of_residence": self.place_of_residence,
            "date_of_issue": _iso(self.date_of_issue),
            "cancelled_personal_number": self.cancelled_personal_number,
            "extra": {str(k): v for k, v in self.extra.items()},
            "field_count": len(self.fields),
        }


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def clean_text(text: str | bytes) -> str:
    """Undo keyboard-wedge and transport noise, nothing else."""
    if isinstance(text, bytes):
        from cccd_reader.qr.decode import payload_text

        text = payload_text(text)
    if len(text) > MAX_PAYLOAD_CHARS:
        raise QRPayloadError(
            f"QR text is {len(text)} characters; a card's QR holds at most {MAX_PAYLOAD_CHARS}"
        )
    text = unicodedata.normalize("NFC", _NOISE.sub("", text)).strip()
    bad = next((i for i, ch in enumerate(text) if unicodedata.category(ch) == "Cc"), None)
    if bad is not None:
        raise QRPayloadError(f"QR text has a control character at position {bad}")
    return text


def _parse_date(value: str, name: str, count: int) -> datetime.date:
    match = _DATE.fullmatch(value)
    if match is None:
        raise QRPayloadError(
            f"field {name} is not a date ddmmyyyy ({len(value)} characters)",
            field=name,
            field_count=count,
        )
    day, month, year = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise QRPayloadError(
            f"field {name} is not a valid calendar date", field=name, field_count=count
        ) from None


def _is_date(value: str) -> bool:
    match = _DATE.fullmatch(value)
    if match is None:
        return False
    day, month, year = (int(g) for g in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _is_name(value: str) -> bool:
    return (
        bool(value)
        and all(ch.isalpha() or ch in " '-." for ch in value)
        and any(ch.isalpha() for ch in value)
    )


def _digits(value: str, lengths: tuple[int, ...]) -> bool:
    return _DIGITS.fullmatch(value) is not None and len(value) in lengths


def _fail(message: str, name: str, count: int) -> QRPayloadError:
    return QRPayloadError(message, field=name, field_count=count)


def _looks_2021(parts: list[str]) -> bool:
    return (
        7 <= len(parts) <= 11
        and _digits(parts[0], (12,))
        and (parts[1] == "" or _digits(parts[1], (9, 12)))
        and _is_date(parts[3])
        and parts[4].casefold() in SEX_CODES
        and _is_date(parts[6])
    )


def _parse_2021(parts: list[str]) -> QRData:
    count = len(parts)
    if not 7 <= count <= 11:
        raise _fail(
            f"QR has {count} '|'-separated fields; a CCCD QR has 7 (up to 11 with trailing"
            " empty ones)",
            "field_count",
            count,
        )
    number, old, name, birth, sex, residence, issue = parts[:7]
    if not _digits(number, (12,)):
        raise _fail(
            f"field personal_number is not 12 digits ({len(number)} characters)",
            "personal_number",
            count,
        )
    if old and not _digits(old, (9, 12)):
        raise _fail(
            f"field old_id_number is not 9 or 12 digits ({len(old)} characters)",
            "old_id_number",
            count,
        )
    if not name or not _is_name(name):
        raise _fail("field full_name is empty or has digits/symbols", "full_name", count)
    if sex.casefold() not in SEX_CODES:
        raise _fail("field sex is neither 'Nam' nor 'Nữ'", "sex", count)
    dob = _parse_date(birth, "date_of_birth", count)
    doi = _parse_date(issue, "date_of_issue", count)
    if doi < dob:
        raise _fail("date_of_issue is before date_of_birth", "date_of_issue", count)
    extra = {i: v for i, v in enumerate(parts[7:], start=7) if v}
    return QRData(
        format="cancuoc-2024" if doi >= CANCUOC_2024_START else "cccd-2021",
        personal_number=number,
        old_id_number=old or None,
        full_name=name,
        date_of_birth=dob,
        sex="Nữ" if sex.casefold() == "nữ" else "Nam",
        place_of_residence=residence or None,
        date_of_issue=doi,
        extra=extra,
        fields=tuple(parts),
        layout="2021",
    )


def _parse_recognised(parts: list[str]) -> QRData:
    """A layout other than 2021's: place what is unambiguous, keep the rest in ``extra``."""
    count = len(parts)
    used: set[int] = set()

    def take(pred: Any, start: int = 0) -> int | None:
        for i in range(start, count):
            if i not in used and pred(parts[i]):
                used.add(i)
                return i
        return None

    pn = take(lambda v: _digits(v, (12,)))
    if pn is None:
        raise _fail(
            f"QR has {count} '|'-separated fields and none is a 12-digit personal number",
            "personal_number",
            count,
        )
    cancelled = take(lambda v: _digits(v, (12,)))
    old = take(lambda v: _digits(v, (9,)))
    sex = take(lambda v: v.casefold() in SEX_CODES)
    dates = [i for i in range(count) if i not in used and _is_date(parts[i])]
    if sex is None or len(dates) != 2:
        if sex is None:
            missing = "sex"
        else:
            missing = "date_of_issue" if len(dates) == 1 else "date_of_birth"
        raise _fail(
            f"QR has {count} '|'-separated fields in no known layout (no {missing} found)",
            missing,
            count,
        )
    # Birth and issue dates are told apart by order in time, not by position (unknown).
    parsed = sorted((_parse_date(parts[i], "date", count), i) for i in dates)
    dob, doi = parsed[0][0], parsed[1][0]
    used.update(i for _, i in parsed)
    name = take(_is_name)
    residence = take(lambda v: bool(v) and not _DIGITS.fullmatch(v))
    extra = {i: parts[i] for i in range(count) if i not in used and parts[i]}
    sex_text = parts[sex]
    return QRData(
        format="cancuoc-2024",
        personal_number=parts[pn],
        old_id_number=parts[old] if old is not None else None,
        full_name=parts[name] if name is not None else None,
        date_of_birth=dob,
        sex="Nữ" if sex_text.casefold() == "nữ" else "Nam",
        place_of_residence=parts[residence] if residence is not None else None,
        date_of_issue=doi,
        cancelled_personal_number=parts[cancelled] if cancelled is not None else None,
        extra=extra,
        fields=tuple(parts),
        layout="recognised",
    )


def parse_payload(text: str | bytes) -> QRData:
    """Parse a card QR's text (or raw bytes, decoded strictly as UTF-8).

    Raises :class:`~cccd_reader.qr.errors.QRPayloadError` (a
    :class:`~cccd_reader.errors.ParseError`) for anything that is not a card's QR.
    """
    cleaned = clean_text(text)
    if not cleaned:
        raise QRPayloadError("QR text is empty", field_count=0)
    if "|" not in cleaned:
        raise QRPayloadError(
            "QR text has no '|' separators: not a Vietnamese ID card QR", field_count=1
        )
    parts = [p.strip() for p in cleaned.split("|")]
    count = len(parts)
    if count > MAX_FIELDS:
        raise QRPayloadError(
            f"QR has {count} '|'-separated fields; a card's QR has at most 11",
            field="field_count",
            field_count=count,
        )
    if _looks_2021(parts):
        return _parse_2021(parts)
    if 7 <= count <= 11 and _digits(parts[0], (12,)) and parts[4].casefold() in SEX_CODES:
        # The 2021 shape with a bad field: say which one rather than guess another layout.
        return _parse_2021(parts)
    return _parse_recognised(parts)
