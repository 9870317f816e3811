"""DG11, additional personal details (ICAO 9303 Part 10 §4.7.11).

``6B { 5C tag list, 5F0E full name, A0 { 02 count, 5F0F other name... }, 5F10 personal number,
5F2B full date of birth, 5F11 place of birth, 5F42 address, 5F12 telephone, 5F13 profession,
5F14 title, 5F15 personal summary, 5F16 proof of citizenship, 5F17 other TD numbers,
5F18 custody information }``; every field is optional. Text keeps ICAO's ``<`` separators
(``"ZENITH<UTOPIA"``) because they carry structure a display layer may want.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from cccd_reader.errors import LDSError
from cccd_reader.lds._util import children, icao_date, other_names, outer, tag_list, text

DG11_TAG = 0x6B

_TEXT_FIELDS: dict[int, str] = {
    0x5F0E: "full_name",
    0x5F10: "personal_number",
    0x5F11: "place_of_birth",
    0x5F42: "address",
    0x5F12: "telephone",
    0x5F13: "profession",
    0x5F14: "title",
    0x5F15: "personal_summary",
    0x5F17: "other_valid_td_numbers",
    0x5F18: "custody_information",
}


@dataclass(frozen=True, slots=True)
class DG11:
    tag_list: tuple[int, ...] = ()
    full_name: str | None = None
    other_names: tuple[str, ...] = ()
    personal_number: str | None = None
    #: A date when complete; otherwise the stored text (ICAO allows unknown parts).
    full_date_of_birth: datetime.date | str | None = None
    place_of_birth: str | None = None
    address: str | None = None
    telephone: str | None = None
    profession: str | None = None
    title: str | None = None
    personal_summary: str | None = None
    proof_of_citizenship: bytes | None = field(default=None, repr=False)
    other_valid_td_numbers: str | None = None
    custody_information: str | None = None
    #: Tags this parser does not know, with their raw values, so nothing is silently lost.
    unknown: tuple[tuple[int, bytes], ...] = ()


def parse_dg11(data: bytes) -> DG11:
    name = "DG11"
    obj = outer(data, DG11_TAG, name)
    values: dict[str, Any] = {}
    names: list[str] = []
    unknown: list[tuple[int, bytes]] = []
    seen: set[int] = set()
    for child in children(obj, name):
        if child.tag in seen and child.tag != 0x5F0F:
            raise LDSError(f"{name}: tag {child.tag:X} appears twice")
        seen.add(child.tag)
        if child.tag == 0x5C:
            values["tag_list"] = tag_list(child.value, name)
        elif child.tag in _TEXT_FIELDS:
            values[_TEXT_FIELDS[child.tag]] = text(child.value, name, f"field {child.tag:X}")
        elif child.tag == 0x5F2B:
            values["full_date_of_birth"] = icao_date(child.value, name, "date of birth")
        elif child.tag == 0xA0:
            names += other_names(child, name, 0x5F0F)
        elif child.tag == 0x5F0F:  # pre-2006 chips: other names without the A0 template
            names.append(text(child.value, name, "other name"))
        elif child.tag == 0x5F16:
            values["proof_of_citizenship"] = child.value
        else:
            unknown.append((child.tag, child.value))
    return DG11(other_names=tuple(names), unknown=tuple(unknown), **values)

