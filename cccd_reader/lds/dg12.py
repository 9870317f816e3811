"""DG12, additional document details (ICAO 9303 Part 10 §4.7.12).

``6C { 5C tag list, 5F19 issuing authority, 5F26 date of issue, A0 { 02 count, 5F1A other
person... }, 5F1B endorsements, 5F1C tax/exit requirements, 5F1D front image, 5F1E rear image,
5F55 personalisation time, 5F56 personalisation system serial }``; every field is optional.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from cccd_reader.lds._util import icao_date, outer, template_fields, text

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
    found = template_fields(
        outer(data, DG12_TAG, name),
        name,
        text_fields=_TEXT_FIELDS,
        decoded={
            0x5F26: ("date_of_issue", lambda raw: icao_date(raw, name, "date of issue")),
            0x5F55: ("personalization_time", lambda raw: _timestamp(raw, name)),
            0x5F1D: ("image_front", bytes),
            0x5F1E: ("image_rear", bytes),
        },
        name_tag=0x5F1A,
        name_what="other person",
    )
    return DG12(other_persons=found.names, unknown=found.unknown, **found.values)
