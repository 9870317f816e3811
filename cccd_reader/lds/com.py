"""EF.COM (ICAO 9303 Part 10 §4.6.1): ``60 { 5F01 LDS version, 5F36 Unicode version, 5C tags }``.

EF.COM is not covered by the SOD, so what it lists is only a hint of which files to read; the
record uses it to tell "protected" (listed, guarded by terminal authentication) from "missing".
"""

from __future__ import annotations

from dataclasses import dataclass

from cccd_reader.errors import LDSError
from cccd_reader.lds._util import children, outer
from cccd_reader.lds.files import name_for_tag

COM_TAG = 0x60


@dataclass(frozen=True, slots=True)
class COM:
    #: ``"1.7"`` from ``"0107"``; None when the chip omits it.
    lds_version: str | None
    #: ``"4.0.0"`` from ``"040000"``; None when the chip omits it.
    unicode_version: str | None
    #: The tag list exactly as stored, in order.
    tags: tuple[int, ...]
    #: Names of the listed data groups (``"DG1"``...), in tag-list order, without duplicates.
    data_groups: tuple[str, ...]
    #: Listed tags that name no data group; kept so nothing on the chip goes unreported.
    unknown_tags: tuple[int, ...]


def _version(raw: bytes, digits: int, what: str) -> str:
    try:
        value = raw.decode("ascii")
    except UnicodeDecodeError:
        raise LDSError(f"EF.COM: {what} is not ASCII digits") from None
    if len(value) != digits or not value.isdigit():
        raise LDSError(f"EF.COM: {what} must be {digits} digits")
    return ".".join(str(int(value[i : i + 2])) for i in range(0, digits, 2))


def parse_com(data: bytes) -> COM:
    obj = outer(data, COM_TAG, "EF.COM")
    lds: str | None = None
    uni: str | None = None
    tag_list: bytes | None = None
    for child in children(obj, "EF.COM"):
        if child.tag == 0x5F01:
            lds = _version(child.value, 4, "LDS version")
        elif child.tag == 0x5F36:
            uni = _version(child.value, 6, "Unicode version")
        elif child.tag == 0x5C:
            tag_list = child.value
    if tag_list is None:
        raise LDSError("EF.COM has no tag list (5C)")
    names: list[str] = []
    unknown: list[int] = []
    for tag in tag_list:
        name = name_for_tag(tag)
        if name is None or not name.startswith("DG"):
            unknown.append(tag)
        elif name not in names:
            names.append(name)
    return COM(
        lds_version=lds,
        unicode_version=uni,
        tags=tuple(tag_list),
        data_groups=tuple(names),
        unknown_tags=tuple(unknown),
    )
