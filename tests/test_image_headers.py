"""The image-header readers shared by DG2 and the QR loader: real sample portraits, every
truncation of them, and hand-made edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from cccd_reader import dump
from cccd_reader.image_headers import (
    image_size,
    j2k_size,
    jp2_size,
    jpeg_size,
    photo_mime,
    photo_size,
    png_size,
    sniff_mime,
)
from cccd_reader.lds.dg2 import parse_dg2
from cccd_reader.qr import decode as qr_decode

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
PORTRAITS = {
    "passport-utopia-td3": "image/jpeg",
    "vn-cccd-2021-nguyen-thi-ngoc-anh": "image/jpeg",
    "vn-cccd-2021-le-thi-thu-huong-lifetime": "image/jpeg",
    "vn-cancuoc-2024-dang-huu-phuoc": "image/jp2",
}


def _portrait(name: str) -> tuple[bytes, int, int]:
    face = parse_dg2(dump.load(SAMPLES / name).files["DG2"]).face
    assert face is not None
    return face.image, face.width, face.height


@pytest.mark.parametrize("name", sorted(PORTRAITS))
def test_sample_portraits_match_their_facial_record(name: str) -> None:
    image, width, height = _portrait(name)
    assert sniff_mime(image) == PORTRAITS[name]
    assert image_size(image) == (width, height) == (240, 320)


@pytest.mark.parametrize("name", sorted(PORTRAITS))
def test_every_truncation_is_none_or_the_true_size(name: str) -> None:
    image, width, height = _portrait(name)
    seen_none = False
    for end in range(len(image)):
        size = image_size(image[:end])
        assert size in (None, (width, height))
        seen_none = seen_none or size is None
    assert seen_none and image_size(image[:4]) is None


@pytest.mark.parametrize("name", [n for n, mime in PORTRAITS.items() if mime == "image/jpeg"])
def test_the_qr_loader_reads_jpeg_sizes_with_the_same_function(name: str) -> None:
    image, width, height = _portrait(name)
    assert qr_decode._header_size(image) == jpeg_size(image) == (width, height)


def _segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(body) + 2).to_bytes(2, "big") + body


def test_jpeg_edge_cases() -> None:
    sof = _segment(0xC0, b"\x08" + (100).to_bytes(2, "big") + (5000).to_bytes(2, "big") + b"\x01")
    app0 = _segment(0xE0, b"JFIF\x00" + b"\x00" * 9)
    assert jpeg_size(b"\xff\xd8" + app0 + sof) == (5000, 100)
    assert jpeg_size(b"\xff\xd8" + b"\xff\xff" + sof) == (5000, 100)  # fill bytes
    assert jpeg_size(b"\xff\xd8" + _segment(0xC4, b"\x00" * 20) + sof) == (5000, 100)  # DHT
    assert jpeg_size(b"\xff\xd8" + _segment(0xDA, b"\x00" * 10) + sof) is None  # scan first
    assert jpeg_size(b"\xff\xd8\xff\xd9") is None
    assert jpeg_size(b"\xff\xd8" + sof[:-2]) is None  # SOF cut short
    assert jpeg_size(b"\xff\xd8" + b"\xff\xe0\x00\x01" + sof) is None  # length below 2
    assert jpeg_size(b"\x89PNG") is None and jpeg_size(b"") is None


def test_jpeg_2000_edge_cases() -> None:
    image, _, _ = _portrait("vn-cancuoc-2024-dang-huu-phuoc")
    assert jp2_size(image) == (240, 320)
    assert j2k_size(image) is None  # a JP2 file is not a bare codestream
    siz = b"\xff\x4f\xff\x51" + b"\x00\x29\x00\x00" + (300).to_bytes(4, "big") * 2
    assert j2k_size(siz + (100).to_bytes(4, "big") * 2) == (200, 200)
    assert j2k_size(siz + (400).to_bytes(4, "big") * 2) is None  # origin beyond the area
    assert j2k_size(siz) is None


def test_png_sizes_for_photos_but_not_for_chip_portraits() -> None:
    """PNG is a photo format (the live side of a face check, a QR photo), never a DG2 one:
    ``photo_*`` read it, ``sniff_mime``/``image_size`` keep to the chip's formats."""
    import struct
    import zlib

    import cv2
    import numpy as np

    ok, buf = cv2.imencode(".png", np.zeros((7, 300, 3), np.uint8))
    assert ok
    png = bytes(buf.tobytes())
    assert png_size(png) == photo_size(png) == (300, 7) == qr_decode._header_size(png)
    assert photo_mime(png) == "image/png"
    assert sniff_mime(png) is None and image_size(png) is None
    for end in range(len(png)):
        assert png_size(png[:end]) in (None, (300, 7))
    assert png_size(png[:23]) is None
    body = struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0)
    ihdr = struct.pack(">I", 13) + b"IHDR" + body + struct.pack(">I", zlib.crc32(b"IHDR" + body))
    assert png_size(b"\x89PNG\r\n\x1a\n" + ihdr) == (20000, 20000)
    wrong_length = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 12) + ihdr[4:]
    assert png_size(wrong_length) is None
    jpeg, _, _ = _portrait("vn-cccd-2021-nguyen-thi-ngoc-anh")
    assert photo_mime(jpeg) == "image/jpeg" and photo_size(jpeg) == (240, 320)
