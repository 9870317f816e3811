"""DG1: the MRZ as stored on the chip (ICAO 9303 Part 10 §4.7.1): ``61 { 5F1F <MRZ> }``."""

from __future__ import annotations

from cccd_reader.errors import LDSError, ParseError
from cccd_reader.iso7816 import tlv
from cccd_reader.mrz import MRZ, parse

_LINE_LENGTHS = {90: 30, 72: 36, 88: 44}


def mrz_text(dg1: bytes) -> str:
    """The MRZ characters of DG1, split into lines."""
    try:
        outer = tlv.decode(dg1)
        if outer.tag != 0x61:
            raise LDSError(f"DG1 starts with tag {outer.tag:X}, expected 61")
        raw = outer.require(0x5F1F).value
    except LDSError:
        raise
    except ParseError as exc:
        raise LDSError(f"DG1 is malformed: {exc}") from exc
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError as exc:
        raise LDSError("DG1 MRZ holds non-ASCII bytes") from exc
    width = _LINE_LENGTHS.get(len(text))
    if width is None:
        raise LDSError(f"DG1 MRZ has {len(text)} characters; expected 90, 72 or 88")
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def parse_dg1(dg1: bytes, *, strict: bool = True) -> MRZ:
    text = mrz_text(dg1)
    try:
        return parse(text, strict=strict)
    except ParseError as exc:
        raise LDSError(f"DG1: {exc}") from exc

