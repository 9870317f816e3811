"""Helpers shared by the data-group parsers (private to :mod:`cccd_reader.lds`).

Every parser turns whatever goes wrong in the layers below (TLV, asn1crypto, text decoding)
into one :class:`LDSError` naming the file, so a caller can attribute the failure to one data
group and keep building the rest of the record.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

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


@dataclass(frozen=True, slots=True)
class TemplateFields:
    """What :func:`template_fields` found: attribute values, the repeated names, unknown tags."""

    values: dict[str, Any]
    names: tuple[str, ...]
    unknown: tuple[tuple[int, bytes], ...]


def template_fields(
    obj: tlv.TLV,
    name: str,
    *,
    text_fields: Mapping[int, str],
    decoded: Mapping[int, tuple[str, Callable[[bytes], Any]]],
    name_tag: int,
    name_what: str,
) -> TemplateFields:
    """The fields of DG11 or DG12, which share one shape (ICAO 9303-10 §4.7.11, §4.7.12).

    Each child is at most once, except ``name_tag``: the other names (DG11) or other persons
    (DG12), inside an ``A0`` template with their count, or bare as pre-2006 chips store them.
    ``5C`` is the tag list; ``text_fields`` are UTF-8 text; ``decoded`` maps a tag to its
    attribute and decoder; anything else is kept raw in ``unknown`` so nothing is lost.
    """
    values: dict[str, Any] = {}
    names: list[str] = []
    unknown: list[tuple[int, bytes]] = []
    seen: set[int] = set()
    for child in children(obj, name):
        if child.tag in seen and child.tag != name_tag:
            raise LDSError(f"{name}: tag {child.tag:X} appears twice")
        seen.add(child.tag)
        if child.tag == 0x5C:
            values["tag_list"] = tag_list(child.value, name)
        elif child.tag in text_fields:
            values[text_fields[child.tag]] = text(child.value, name, f"field {child.tag:X}")
        elif child.tag in decoded:
            attribute, decode = decoded[child.tag]
            values[attribute] = decode(child.value)
        elif child.tag == 0xA0:
            names += other_names(child, name, name_tag)
        elif child.tag == name_tag:
            names.append(text(child.value, name, name_what))
        else:
            unknown.append((child.tag, child.value))
    return TemplateFields(values, tuple(names), tuple(unknown))
