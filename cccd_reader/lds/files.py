"""The elementary files of an eMRTD (ICAO 9303 Part 10 §3.6, tables 37-40): names, FIDs, tags.

One table shared by the reader, the dump format and the virtual chip, so the three never
disagree about which file is which.
"""

from __future__ import annotations

from dataclasses import dataclass

#: AID of the eMRTD LDS1 application (ICAO 9303 Part 10 §3.1).
LDS1_AID = bytes.fromhex("A0000002471001")


@dataclass(frozen=True, slots=True)
class EFInfo:
    name: str
    fid: int
    sfi: int | None
    tag: int | None  # the outer tag of the file's TLV, when it has one
    in_application: bool  # False: in the master file (EF.CardAccess, EF.ATR/INFO, ...)


_DG_TAGS = {
    1: 0x61, 2: 0x75, 3: 0x63, 4: 0x76, 5: 0x65, 6: 0x66, 7: 0x67, 8: 0x68,
    9: 0x69, 10: 0x6A, 11: 0x6B, 12: 0x6C, 13: 0x6D, 14: 0x6E, 15: 0x6F, 16: 0x70,
}

FILES: dict[str, EFInfo] = {
    "EF.CardAccess": EFInfo("EF.CardAccess", 0x011C, 0x1C, 0x31, False),
    "EF.CardSecurity": EFInfo("EF.CardSecurity", 0x011D, 0x1D, 0x30, False),
    "EF.COM": EFInfo("EF.COM", 0x011E, 0x1E, 0x60, True),
    "EF.SOD": EFInfo("EF.SOD", 0x011D, 0x1D, 0x77, True),
    **{
        f"DG{n}": EFInfo(f"DG{n}", 0x0100 + n, n, tag, True)
        for n, tag in _DG_TAGS.items()
    },
}

DG_NAMES: tuple[str, ...] = tuple(f"DG{n}" for n in range(1, 17))

#: Order in which the reader fetches files: small, essential ones first.
READ_ORDER: tuple[str, ...] = ("EF.COM", "EF.SOD", *DG_NAMES)

_BY_TAG = {info.tag: name for name, info in FILES.items() if info.in_application and info.tag}


def name_for_tag(tag: int) -> str | None:
    """Map an EF.COM tag list entry (e.g. 0x61) to a file name (``"DG1"``)."""
    return _BY_TAG.get(tag)


def dg_number(name: str) -> int | None:
    if name.startswith("DG") and name[2:].isdigit():
        return int(name[2:])
    return None
