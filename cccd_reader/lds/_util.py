"""Helpers shared by the data-group parsers (private to :mod:`cccd_reader.lds`).

Every parser turns whatever goes wrong in the layers below (TLV, asn1crypto, text decoding)
into one :class:`LDSError` naming the file, so a caller can attribute the failure to one data
group and keep building the rest of the record.
"""

from __future__ import annotations

import datetime
import unicodedata

from cccd_reader.errors import LDSError, ParseError
from cccd_reader.iso7816 import tlv


def outer(data: bytes, tag: int, name: str) -> tlv.TLV:
    """The file's single outer TLV, checked against the tag ICAO assigns to ``name``."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise LDSError(f"{name} must be bytes")
    try:
        obj = tlv.decode(bytes(data))
    except ParseError as exc:
        raise LDSError(f"{name} is malformed: {exc}") from exc
    if obj.tag != tag:
        raise LDSError(f"{name} starts with tag {obj.tag:X}, expected {tag:X}")
    return obj


def children(obj: tlv.TLV, name: str) -> list[tlv.TLV]:
    try:
        return obj.children()
    except ParseError as exc:
        raise LDSError(f"{name} is malformed: {exc}") from exc


def text(raw: bytes, name: str, what: str) -> str:
    """Strict UTF-8 then NFC: cards may store decomposed forms; comparisons need one form."""
    try:
        value = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise LDSError(f"{name}: {what} is not valid UTF-8") from None
    return unicodedata.normalize("NFC", value)


def yyyymmdd(value: str) -> datetime.date | None:
    """ICAO full dates (``YYYYMMDD``); None when the text is not a complete calendar date."""
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        return None
    try:
        return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def icao_date(raw: bytes, name: str, what: str) -> datetime.date | str:
    """``YYYYMMDD`` text, or the 4-byte BCD form some older chips use."""
    if len(raw) == 4 and not raw.isdigit():
        digits = raw.hex()
        if digits.isdigit():
            return yyyymmdd(digits) or digits
        raise LDSError(f"{name}: {what} is neither YYYYMMDD nor BCD")
    value = text(raw, name, what)
    return yyyymmdd(value) or value


def other_names(obj: tlv.TLV, name: str, inner_tag: int) -> list[str]:
    """``A0 { 02 count, <inner_tag> name... }``: the count must match what is there."""
    items = children(obj, name)
    if not items or items[0].tag != 0x02:
        raise LDSError(f"{name}: name template A0 lacks its count (02)")
    count = int.from_bytes(items[0].value, "big") if items[0].value else 0
    names = [text(i.value, name, "other name") for i in items[1:] if i.tag == inner_tag]
    if len(names) != count or len(names) != len(items) - 1:
        raise LDSError(f"{name}: name template announces {count} names, holds {len(items) - 1}")
    return names


def tag_list(raw: bytes, name: str) -> tuple[int, ...]:
    tags: list[int] = []
    pos = 0
    try:
        while pos < len(raw):
            tag, pos = tlv.decode_tag(raw, pos)
            tags.append(tag)
    except ParseError as exc:
        raise LDSError(f"{name}: tag list (5C) is malformed: {exc}") from exc
    return tuple(tags)
