"""DG12, additional document details (ICAO 9303 Part 10 §4.7.12).

``6C { 5C tag list, 5F19 issuing authority, 5F26 date of issue, A0 { 02 count, 5F1A other
person... }, 5F1B endorsements, 5F1C tax/exit requirements, 5F1D front image, 5F1E rear image,
5F55 personalisation time, 5F56 personalisation system serial }``; every field is optional.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from cccd_reader.errors import LDSError
from cccd_reader.lds._util import children, icao_date, other_names, outer, tag_list, text

DG12_TAG = 0x6C

_TEXT_FIELDS: dict[int, str] = {
    0x5F19: "issuing_authority",
    0x5F1B: "endorsements",
    0x5F1C: "tax_exit_requirements",
    0x5F56: "personalization_system_serial",
}


@dataclass(frozen=True, slots=True)
class DG12:
    tag_list: tuple[int, ...] = ()
    issuing_authority: str | None = None
    #: A date when complete; otherwise the stored text.
    date_of_issue: datetime.date | str | None = None
    other_persons: tuple[str, ...] = ()
    endorsements: str | None = None
    tax_exit_requirements: str | None = None
    image_front: bytes | None = field(default=None, repr=False)
    image_rear: bytes | None = field(default=None, repr=False)
    #: ``YYYYMMDDhhmmss`` becomes a datetime (no zone: ICAO does not give one); else the text.
    personalization_time: datetime.datetime | str | None = None
    personalization_system_serial: str | None = None
    unknown: tuple[tuple[int, bytes], ...] = ()


def _timestamp(raw: bytes, name: str) -> datetime.datetime | str:
    if len(raw) == 7 and not raw.isdigit() and raw.hex().isdigit():  # BCD form of older chips
        value = raw.hex()
    else:
        value = text(raw, name, "personalisation time")
    if len(value) == 14 and value.isascii() and value.isdigit():
        try:
            return datetime.datetime.strptime(value, "%Y%m%d%H%M%S")
        except ValueError:
            return value
    return value


def parse_dg12(data: bytes) -> DG12:
    name = "DG12"
    obj = outer(data, DG12_TAG, name)
    values: dict[str, Any] = {}
    persons: list[str] = []
    unknown: list[tuple[int, bytes]] = []
    seen: set[int] = set()
    for child in children(obj, name):
        if child.tag in seen and child.tag != 0x5F1A:
            raise LDSError(f"{name}: tag {child.tag:X} appears twice")
        seen.add(child.tag)
        if child.tag == 0x5C:
            values["tag_list"] = tag_list(child.value, name)
        elif child.tag in _TEXT_FIELDS:
            values[_TEXT_FIELDS[child.tag]] = text(child.value, name, f"field {child.tag:X}")
        elif child.tag == 0x5F26:
            values["date_of_issue"] = icao_date(child.value, name, "date of issue")
        elif child.tag == 0x5F55:
            values["personalization_time"] = _timestamp(child.value, name)
        elif child.tag == 0xA0:
            persons += other_names(child, name, 0x5F1A)
        elif child.tag == 0x5F1A:
            persons.append(text(child.value, name, "other person"))
        elif child.tag == 0x5F1D:
            values["image_front"] = child.value
        elif child.tag == 0x5F1E:
            values["image_rear"] = child.value
        else:
            unknown.append((child.tag, child.value))
    return DG12(other_persons=tuple(persons), unknown=tuple(unknown), **values)
