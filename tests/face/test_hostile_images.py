"""Hostile and broken images end in one clean FaceImageError, quickly, before any large
allocation: the caps are read from the headers (cccd_reader.image_headers)."""

from __future__ import annotations

import struct
import time
import zlib
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from cccd_reader.face import FaceImageError, compare
from cccd_reader.face.images import MAX_IMAGE_BYTES, MAX_SIDE, decode, from_frame, read_file
from cccd_reader.image_headers import _boxes
from tests.face.photos import VARIANTS, photo, pixels


def png_header(width: int, height: int) -> bytes:
    """A PNG signature, a valid IHDR for ``width`` x ``height`` and one tiny IDAT."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def _refused(data: Any, side: str = "chip") -> FaceImageError:
    start = time.monotonic()
    with pytest.raises(FaceImageError) as info:
        if side == "chip":
            compare(data, photo("person_a_1"))
        else:
            compare(photo("person_a_1"), data)
    assert time.monotonic() - start < 5
    assert info.value.side == side and info.value.params["side"] == side
    assert str(info.value).startswith(f"{side} image: ")
    return info.value


@pytest.mark.parametrize("side", ["chip", "live"])
def test_a_20000_square_png_header_is_refused_before_decoding(side: str) -> None:
    error = _refused(png_header(20000, 20000), side)
    assert "20000x20000" in str(error) and error.params["limit"] == str(MAX_SIDE)


def test_the_side_cap_is_exact() -> None:
    with pytest.raises(FaceImageError, match="4097x16"):
        decode(png_header(MAX_SIDE + 1, 16), "live")
    with pytest.raises(FaceImageError, match="could not be decoded"):  # allowed, but no pixels
        decode(png_header(MAX_SIDE, 16), "live")


def _codestream(jp2: bytes) -> bytes:
    return next(body for kind, body in _boxes(jp2) if kind == b"jp2c")


@pytest.mark.parametrize("fraction", [0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99])
def test_a_truncated_jpeg2000_is_one_clean_error(fraction: float) -> None:
    jp2 = VARIANTS["jpeg2000"]("person_b_1")
    stream = _codestream(jp2)
    for data in (jp2, stream):  # the JP2 file and the bare codestream a chip may carry
        _refused(data[: int(len(data) * fraction)])


def test_the_whole_jpeg2000_codestream_is_compared() -> None:
    """The cut ones above fail for being cut, not for being codestreams."""
    stream = _codestream(VARIANTS["jpeg2000"]("person_b_1"))
    assert compare(stream, photo("person_b_2")).band == "likely_same"


@pytest.mark.parametrize("cut", [3, 200, 2000, -2000, -10])
def test_a_truncated_jpeg_is_one_clean_error_or_a_refusal(cut: int) -> None:
    """A JPEG cut inside its headers is an error; cut in its scan data, libjpeg fills the
    rest with grey and the gate judges what is left: never a traceback, never a hang."""
    data = photo("person_b_1")[:cut]
    start = time.monotonic()
    try:
        result = compare(data, photo("person_b_2"))
    except FaceImageError as exc:
        assert exc.side == "chip"
    else:
        assert result.band is not None or result.refused is not None
    assert time.monotonic() - start < 5


def test_not_an_image() -> None:
    assert "not a JPEG" in str(_refused(b"GIF89a" + bytes(100)))
    assert "not a JPEG" in str(_refused(b""))


def test_more_bytes_than_the_cap_are_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.jpg"
    with open(big, "wb") as handle:  # sparse: 1 GiB that costs nothing
        handle.write(photo("person_a_1"))
        handle.truncate(1 << 30)
    start = time.monotonic()
    with pytest.raises(FaceImageError, match=str(MAX_IMAGE_BYTES)) as info:
        read_file(big, "live")
    assert info.value.side == "live" and time.monotonic() - start < 2
    with pytest.raises(FaceImageError, match=str(MAX_IMAGE_BYTES)):
        decode(bytes(MAX_IMAGE_BYTES + 1), "chip")


def test_a_device_or_directory_is_not_read(tmp_path: Path) -> None:
    with pytest.raises(FaceImageError, match="not a regular file"):
        read_file("/dev/zero", "live")
    with pytest.raises(FaceImageError, match="cannot read"):
        read_file(tmp_path, "live")
    with pytest.raises(FaceImageError, match="cannot read"):
        read_file(tmp_path / "missing.jpg", "chip")


def test_frames_are_checked_like_files() -> None:
    with pytest.raises(FaceImageError, match="8-bit"):
        from_frame(np.zeros((100, 100, 3), np.float32), "live")
    with pytest.raises(FaceImageError, match="HxW"):
        from_frame(np.zeros((100, 100, 2), np.uint8), "live")
    with pytest.raises(FaceImageError, match="too small"):
        from_frame(np.zeros((8, 8, 3), np.uint8), "live")
    with pytest.raises(FaceImageError, match="8-bit"):
        from_frame("not a frame", "live")
    bgra = cv2.cvtColor(pixels("person_a_1"), cv2.COLOR_BGR2BGRA)
    assert from_frame(bgra, "live").shape[2] == 3
