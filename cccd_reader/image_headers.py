"""Image dimensions and type from the codec's own header, read before anything decodes it.

A portrait from a chip (DG2: JPEG or JPEG 2000), a photo of a QR code (JPEG, PNG among others)
and a live face photo are compressed files from outside; a decoder allocates memory for the
dimensions the header claims, so every caller reads those dimensions first, here, and refuses
anything too big. Pure functions over bytes: a truncated or malformed header gives None, never
an exception.

:func:`sniff_mime` and :func:`image_size` know the formats a chip portrait may use (ICAO 9303-10
allows JPEG and JPEG 2000 only); :func:`photo_mime` and :func:`photo_size` add PNG, for images
that come from a camera or a file rather than a chip.
"""

from __future__ import annotations

_JPEG_MAGIC = b"\xff\xd8\xff"
_JP2_MAGIC = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
_J2K_MAGIC = b"\xff\x4f\xff\x51"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: SOFn markers that carry frame dimensions (C4 DHT, C8 JPG, CC DAC are not frames).
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _uint(data: bytes, pos: int, size: int) -> int:
    return int.from_bytes(data[pos : pos + size], "big")


def sniff_mime(image: bytes) -> str | None:
    if image.startswith(_JPEG_MAGIC):
        return "image/jpeg"
    if image.startswith(_JP2_MAGIC):
        return "image/jp2"
    if image.startswith(_J2K_MAGIC):
        return "image/j2c"  # a bare JPEG 2000 codestream, without the JP2 boxes
    return None


def jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the first SOF segment; None if none comes before the scan."""
    if not data.startswith(b"\xff\xd8"):
        return None
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        pos += 2
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # standalone markers
            continue
        if marker in (0xD9, 0xDA):  # end of image / start of scan before any frame
            return None
        length = _uint(data, pos, 2)
        if length < 2 or pos + length > len(data):
            return None
        if marker in _SOF_MARKERS:
            if length < 7:
                return None
            return _uint(data, pos + 5, 2), _uint(data, pos + 3, 2)
        pos += length
    return None


def j2k_size(data: bytes) -> tuple[int, int] | None:
    """Image area from a codestream's SIZ marker segment (ISO/IEC 15444-1 A.5.1)."""
    if not data.startswith(_J2K_MAGIC) or len(data) < 4 + 2 + 2 + 16:
        return None
    x, y = _uint(data, 8, 4), _uint(data, 12, 4)
    x0, y0 = _uint(data, 16, 4), _uint(data, 20, 4)
    if x0 > x or y0 > y:
        return None
    return x - x0, y - y0


def _boxes(data: bytes) -> list[tuple[bytes, bytes]]:
    """Top-level JP2 boxes as (type, content); stops at the first malformed box."""
    out: list[tuple[bytes, bytes]] = []
    pos = 0
    while pos + 8 <= len(data) and len(out) < 64:
        length, kind = _uint(data, pos, 4), data[pos + 4 : pos + 8]
        start = pos + 8
        if length == 1:
            if pos + 16 > len(data):
                break
            length, start = _uint(data, pos + 8, 8), pos + 16
        elif length == 0:
            length = len(data) - pos
        if length < start - pos or pos + length > len(data):
            break
        out.append((kind, data[start : pos + length]))
        pos += length
    return out


def jp2_size(data: bytes) -> tuple[int, int] | None:
    """The larger of the ``ihdr`` and codestream SIZ dimensions: a decoder trusts the SIZ, so
    a small ``ihdr`` must not hide a huge codestream."""
    if not data.startswith(_JP2_MAGIC):
        return None
    boxes = _boxes(data)
    ihdr: tuple[int, int] | None = None
    siz: tuple[int, int] | None = None
    for kind, content in boxes:
        if kind == b"jp2h":
            for sub, body in _boxes(content):
                if sub == b"ihdr" and len(body) >= 8:
                    ihdr = _uint(body, 4, 4), _uint(body, 0, 4)
        elif kind == b"jp2c":
            siz = j2k_size(content)
    if ihdr is None or siz is None:
        return None
    return max(ihdr[0], siz[0]), max(ihdr[1], siz[1])


def image_size(image: bytes) -> tuple[int, int] | None:
    mime = sniff_mime(image)
    if mime == "image/jpeg":
        return jpeg_size(image)
    if mime == "image/jp2":
        return jp2_size(image)
    if mime == "image/j2c":
        return j2k_size(image)
    return None


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the IHDR chunk, which PNG requires to come first."""
    if not data.startswith(_PNG_MAGIC) or len(data) < 24 or data[12:16] != b"IHDR":
        return None
    if _uint(data, 8, 4) != 13:  # IHDR is always 13 bytes long
        return None
    return _uint(data, 16, 4), _uint(data, 20, 4)


def photo_mime(image: bytes) -> str | None:
    """A chip portrait's formats (:func:`sniff_mime`) plus PNG."""
    if image.startswith(_PNG_MAGIC):
        return "image/png"
    return sniff_mime(image)


def photo_size(image: bytes) -> tuple[int, int] | None:
    """:func:`image_size` for the formats of :func:`photo_mime`."""
    if image.startswith(_PNG_MAGIC):
        return png_size(image)
    return image_size(image)
