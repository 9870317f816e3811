"""From a read (a :class:`~cccd_reader.record.CardRecord`) to a row of the right workbook.

Routing is by nationality, not by document: Vietnamese citizens (the chipped cards, and
Vietnamese passports as ``4 - Hộ chiếu``) go to the Vietnamese workbook, everyone else to
KBTT. Coded cells take the whole "code - label" of the workbook's own list; a value that
cannot be decided with certainty (an address unit, the 2024 card's residence kind, a
nationality the list lacks) leaves its cell empty and raises a :class:`Flag` for the clerk.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cccd_reader.errors import ParseError
from cccd_reader.lodging.address import match_address
from cccd_reader.lodging.catalogue import FOREIGN, VIETNAM, CodeList, Workbook
from cccd_reader.lodging.flags import Flag
from cccd_reader.mrz import FILLER

#: The Law on Identification 2023 took effect on 1 July 2024: cards issued from then on are the
#: new "thẻ căn cước" (``8 - Thẻ Căn Cước``), earlier ones the 2021 CCCD (``1 - Thẻ CCCD``).
CANCUOC_SINCE = datetime.date(2024, 7, 1)
DOC_CCCD_2021 = "1"
DOC_CANCUOC_2024 = "8"
DOC_PASSPORT = "4"
PERMANENT_RESIDENCE = "1"
VIETNAM_ICAO = "VNM"
#: Birth-date precision codes of KBTT's list: day, month, year.
PRECISION_DAY, PRECISION_MONTH, PRECISION_YEAR = "D", "M", "Y"
_PRECISION_WORDS = {PRECISION_MONTH: "tháng", PRECISION_YEAR: "năm"}


class LodgingInputError(ParseError):
    """A read that cannot become a guest row (no MRZ and no DG13)."""

    code = "lodging_input"


@dataclass(frozen=True)
class Stay:
    """What the clerk enters for a guest or a group: dates, room, reason."""

    arrival: datetime.date
    departure: datetime.date
    checkout: datetime.date | None = None
    permitted_until: datetime.date | None = None
    room: str = ""
    #: The code of the reason list (``"1"`` Du lịch …); Vietnamese workbook only.
    reason: str = ""
    #: Free text, for the "other purpose" reason.
    reason_text: str = ""
    #: The clerk's choice of residence kind for a 2024 card (``"1"``, ``"2"`` or ``"3"``).
    residence_kind: str = ""


@dataclass(frozen=True)
class GuestRow:
    """One guest's cells (field → text) for ``workbook``, and what the clerk must check."""

    workbook: str
    values: Mapping[str, str]
    flags: tuple[Flag, ...] = field(default=())


def ddmmyyyy(value: datetime.date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def upper_name(text: str) -> str:
    """As the workbook's example writes it: NFC Vietnamese, upper case, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).upper().split())


def mrz_birth(yymmdd: str, today: datetime.date) -> tuple[str, str]:
    """(text, precision) of an MRZ birth date whose day, or day and month, may be unknown
    (``<<`` or ``00``); the two-digit year is in this century unless that is in the future."""
    yy, mm, dd = yymmdd[:2], yymmdd[2:4], yymmdd[4:6]
    if not yy.isdigit():
        return "", ""
    month_known = mm.isdigit() and mm != "00" and FILLER not in mm
    day_known = month_known and dd.isdigit() and dd != "00" and FILLER not in dd
    month = int(mm) if month_known else 1
    day = int(dd) if day_known else 1
    year = 2000 + int(yy)
    if (year, month if month_known else 1, day if day_known else 1) > (
            today.year, today.month, today.day):
        year -= 100
    if day_known:
        try:
            return ddmmyyyy(datetime.date(year, month, day)), PRECISION_DAY
        except ValueError:
            return "", ""
    if month_known and 1 <= month <= 12:
        return f"{month:02d}/{year:04d}", PRECISION_MONTH
    return f"{year:04d}", PRECISION_YEAR


def _coded(codes: CodeList, code: str) -> str:
    entry = codes.get(code)
    return entry.display if entry is not None else ""


def is_vietnamese(record: Any) -> bool:
    """A Vietnamese citizen: a card with DG13, or an MRZ whose nationality is VNM."""
    if getattr(record, "holder", None) is not None:
        return True
    mrz = getattr(record, "mrz", None)
    return mrz is not None and mrz.nationality == VIETNAM_ICAO


def guest_row(record: Any, stay: Stay, books: Mapping[str, Workbook],
              today: datetime.date | None = None) -> GuestRow:
    """The row of the workbook this guest belongs in."""
    today = today or datetime.date.today()
    holder = getattr(record, "holder", None)
    mrz = getattr(record, "mrz", None)
    if holder is None and mrz is None:
        raise LodgingInputError("the read has neither DG13 nor an MRZ: no guest to declare")
    if is_vietnamese(record):
        return _vietnamese(holder, mrz, stay, books[VIETNAM], today)
    return _foreign(record, mrz, stay, books[FOREIGN], today)


def _stay_cells(stay: Stay) -> dict[str, str]:
    return {"arrival": ddmmyyyy(stay.arrival), "departure": ddmmyyyy(stay.departure),
            "room": stay.room}


def _vietnamese(holder: Any, mrz: Any, stay: Stay, book: Workbook,
                today: datetime.date) -> GuestRow:
    flags: list[Flag] = []
    v: dict[str, str] = _stay_cells(stay)
    v["nationality"] = _coded(book.list("nationality"), VIETNAM_ICAO)
    if stay.reason:
        v["reason"] = _coded(book.list("reason"), stay.reason)
        v["reason_text"] = stay.reason_text
        if stay.reason == book.layout.other_reason and not stay.reason_text.strip():
            flags.append(Flag("reason_text_missing", "reason_text"))
    kinds = book.list("residence_kind")
    if holder is not None:
        v["full_name"] = upper_name(holder.full_name or "")
        birth = holder.date_of_birth
        if isinstance(birth, datetime.date):
            v["date_of_birth"] = ddmmyyyy(birth)
        elif birth:
            v["date_of_birth"] = str(birth).strip()
            flags.append(Flag("birth_date_partial", "date_of_birth",
                              params={"precision": "năm"}))
        sex = holder.sex_code or (mrz.sex if mrz is not None else "")
        v["sex"] = _coded(book.list("sex"), sex or "")
        issued = holder.date_of_issue
        card_2024 = isinstance(issued, datetime.date) and issued >= CANCUOC_SINCE
        v["document_type"] = _coded(book.list("document_type"),
                                    DOC_CANCUOC_2024 if card_2024 else DOC_CCCD_2021)
        v["document_number"] = holder.personal_number or (
            mrz.personal_number if mrz is not None else "") or ""
        if card_2024:
            if stay.residence_kind and kinds.get(stay.residence_kind) is not None:
                v["residence_kind"] = _coded(kinds, stay.residence_kind)
            else:
                flags.append(Flag("residence_kind_choice", "residence_kind",
                                  tuple(k.display for k in kinds)))
        else:
            v["residence_kind"] = _coded(kinds, PERMANENT_RESIDENCE)
        where = match_address(holder.place_of_residence, book.list("province"),
                              book.list("ward"))
        if where.province is not None:
            v["province"] = where.province.display
        if where.ward is not None:
            v["ward"] = where.ward.display
        v["address_detail"] = where.detail
        flags.extend(where.flags)
    else:  # a Vietnamese passport: no address on it
        v["full_name"] = upper_name(f"{mrz.primary_identifier} {mrz.secondary_identifier}")
        text, precision = mrz_birth(mrz.birth_yymmdd, today)
        v["date_of_birth"] = text
        if precision in _PRECISION_WORDS:
            flags.append(Flag("birth_date_partial", "date_of_birth",
                              params={"precision": _PRECISION_WORDS[precision]}))
        v["sex"] = _coded(book.list("sex"), mrz.sex)
        v["document_type"] = _coded(book.list("document_type"), DOC_PASSPORT)
        v["document_number"] = mrz.document_number
        flags.append(Flag("address_missing", "province"))
    flags.extend(_missing(v))
    return GuestRow(VIETNAM, v, tuple(flags))


def _foreign(record: Any, mrz: Any, stay: Stay, book: Workbook,
             today: datetime.date) -> GuestRow:
    flags: list[Flag] = []
    v = _stay_cells(stay)
    if stay.checkout is not None:
        v["checkout"] = ddmmyyyy(stay.checkout)
    if stay.permitted_until is not None:
        v["permitted_until"] = ddmmyyyy(stay.permitted_until)
    v["full_name"] = upper_name(f"{mrz.primary_identifier} {mrz.secondary_identifier}")
    text, precision = mrz_birth(mrz.birth_yymmdd, today)
    v["date_of_birth"] = text
    if precision:
        v["birth_precision"] = _coded(book.list("birth_precision"), precision)
    if precision in _PRECISION_WORDS:
        flags.append(Flag("birth_date_partial", "date_of_birth",
                          params={"precision": _PRECISION_WORDS[precision]}))
    v["sex"] = _coded(book.list("sex"), mrz.sex)
    nationality = mrz.nationality
    v["nationality"] = _coded(book.list("nationality"), nationality)
    if not v["nationality"]:
        flags.append(Flag("nationality_not_in_list", "nationality",
                          params={"code": nationality}))
    v["document_number"] = mrz.document_number
    flags.extend(f for f in _missing(v) if f.code != "nationality_not_in_list")
    return GuestRow(FOREIGN, v, tuple(flags))


def _missing(v: Mapping[str, str]) -> list[Flag]:
    out = []
    for name, code in (("full_name", "name_missing"), ("date_of_birth", "birth_date_missing"),
                       ("sex", "sex_missing"), ("document_number", "document_number_missing")):
        if not v.get(name):
            out.append(Flag(code, name))
    return out
