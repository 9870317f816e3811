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

from cccd_reader.lds._util import icao_date, outer, template_fields

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
    found = template_fields(
        outer(data, DG11_TAG, name),
        name,
        text_fields=_TEXT_FIELDS,
        decoded={
            0x5F2B: ("full_date_of_birth", lambda raw: icao_date(raw, name, "date of birth")),
            0x5F16: ("proof_of_citizenship", bytes),
        },
        name_tag=0x5F0F,
        name_what="other name",
    )
    return DG11(other_names=found.names, unknown=found.unknown, **found.values)
