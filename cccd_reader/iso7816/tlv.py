"""Strict BER-TLV (ISO/IEC 7816-4 §5.2, X.690 tag/length rules) with hard bounds.

Card responses and dumps are hostile input: tags are limited to 4 bytes, lengths to 4 length
bytes and :data:`MAX_VALUE_LENGTH`, nesting to :data:`MAX_DEPTH`, and indefinite length (0x80)
is rejected because no eMRTD object uses it and it makes sizes unknowable before parsing.

Tags are handled as integers holding their encoded bytes (``0x5F1F``, ``0x7F61``), the
convention of ICAO 9303 and ISO 7816, so they read the same as in the standards.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cccd_reader.errors import TLVError

MAX_TAG_BYTES = 4
MAX_LENGTH_BYTES = 4
#: Larger than any LDS file (DG2/DG3 stay well below 1 MiB) yet small enough to refuse bombs.
MAX_VALUE_LENGTH = 16 * 1024 * 1024
MAX_DEPTH = 32


@dataclass(frozen=True, slots=True)
class TLV:
    """One decoded TLV: ``value`` is the raw value bytes exactly as encoded."""

    tag: int
    value: bytes

    @property
    def constructed(self) -> bool:
        return is_constructed(self.tag)

    def children(self, *, depth: int = 0) -> list[TLV]:
        """Decode the value as a sequence of TLVs (only for constructed tags)."""
        if not self.constructed:
            raise TLVError(f"tag {self.tag:X} is primitive and has no children")
        return decode_all(self.value, _depth=depth + 1)

    def find(self, tag: int) -> TLV | None:
        """First direct child with ``tag``, or None."""
        for child in self.children():
            if child.tag == tag:
                return child
        return None

    def require(self, tag: int) -> TLV:
        child = self.find(tag)
        if child is None:
            raise TLVError(f"tag {tag:X} missing inside {self.tag:X}")
        return child

    def encode(self) -> bytes:
        return encode(self.tag, self.value)


def _first_tag_byte(tag: int) -> int:
    n = tag
    while n > 0xFF:
        n >>= 8
    return n


def is_constructed(tag: int) -> bool:
    return bool(_first_tag_byte(tag) & 0x20)


def decode_tag(data: bytes | memoryview, offset: int = 0) -> tuple[int, int]:
    """Decode a tag at ``offset``; return ``(tag, offset_after)``."""
    if offset >= len(data):
        raise TLVError("truncated: tag expected")
    first = data[offset]
    if first in (0x00, 0xFF):
        # 00 and FF are padding / invalid in BER-TLV data objects (ISO 7816-4 §5.2.2).
        raise TLVError(f"invalid tag byte {first:02X} at offset {offset}")
    tag = first
    pos = offset + 1
    if first & 0x1F == 0x1F:
        while True:
            if pos >= len(data):
                raise TLVError("truncated: multi-byte tag")
            b = data[pos]
            tag = (tag << 8) | b
            pos += 1
            if pos - offset > MAX_TAG_BYTES:
                raise TLVError(f"tag longer than {MAX_TAG_BYTES} bytes at offset {offset}")
            if not b & 0x80:
                break
    return tag, pos


def decode_length(data: bytes | memoryview, offset: int) -> tuple[int, int]:
    """Decode a definite length at ``offset``; return ``(length, offset_after)``."""
    if offset >= len(data):
        raise TLVError("truncated: length expected")
    first = data[offset]
    if first < 0x80:
        return first, offset + 1
    if first == 0x80:
        raise TLVError(f"indefinite length is not allowed (offset {offset})")
    count = first & 0x7F
    if count > MAX_LENGTH_BYTES:
        raise TLVError(f"length field of {count} bytes is too long (offset {offset})")
    end = offset + 1 + count
    if end > len(data):
        raise TLVError("truncated: length bytes")
    length = int.from_bytes(bytes(data[offset + 1 : end]), "big")
    if length > MAX_VALUE_LENGTH:
        raise TLVError(f"length {length} exceeds the limit of {MAX_VALUE_LENGTH} bytes")
    return length, end


def decode_header(data: bytes | memoryview, offset: int = 0) -> tuple[int, int, int]:
    """Return ``(tag, value_length, header_length)`` from the first bytes of a TLV.

    Used by the file reader: the first few bytes of an EF tell its full size.
    """
    tag, pos = decode_tag(data, offset)
    length, pos = decode_length(data, pos)
    return tag, length, pos - offset


def decode_one(data: bytes | memoryview, offset: int = 0, *, _depth: int = 0) -> tuple[TLV, int]:
    """Decode one TLV at ``offset``; return ``(tlv, offset_after)``."""
    if _depth > MAX_DEPTH:
        raise TLVError(f"nesting deeper than {MAX_DEPTH} levels")
    tag, pos = decode_tag(data, offset)
    length, pos = decode_length(data, pos)
    end = pos + length
    if end > len(data):
        raise TLVError(
            f"truncated: tag {tag:X} announces {length} bytes, {len(data) - pos} available"
        )
    return TLV(tag, bytes(data[pos:end])), end


def decode(data: bytes) -> TLV:
    """Decode exactly one TLV filling ``data`` (trailing bytes are an error)."""
    tlv, end = decode_one(data)
    if end != len(data):
        raise TLVError(f"{len(data) - end} trailing bytes after tag {tlv.tag:X}")
    return tlv


def decode_all(data: bytes | memoryview, *, _depth: int = 0) -> list[TLV]:
    """Decode a concatenation of TLVs filling ``data`` exactly."""
    if _depth > MAX_DEPTH:
        raise TLVError(f"nesting deeper than {MAX_DEPTH} levels")
    out: list[TLV] = []
    pos = 0
    while pos < len(data):
        tlv, pos = decode_one(data, pos, _depth=_depth)
        out.append(tlv)
    return out


def walk(tlv: TLV, *, _depth: int = 0) -> Iterator[tuple[int, TLV]]:
    """Yield ``(depth, tlv)`` for the whole tree, depth-first (bounded by MAX_DEPTH)."""
    yield _depth, tlv
    if tlv.constructed:
        for child in decode_all(tlv.value, _depth=_depth + 1):
            yield from walk(child, _depth=_depth + 1)


def encode_tag(tag: int) -> bytes:
    if tag <= 0 or tag > 0xFFFFFFFF:
        raise TLVError(f"tag {tag:X} out of range")
    return tag.to_bytes((tag.bit_length() + 7) // 8, "big")


def encode_length(length: int) -> bytes:
    if length < 0 or length > MAX_VALUE_LENGTH:
        raise TLVError(f"length {length} out of range")
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def encode(tag: int, value: bytes) -> bytes:
    return encode_tag(tag) + encode_length(len(value)) + value
