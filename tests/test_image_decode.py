"""One decoding of portrait bytes for DG2, the face check and the app: grey JPEG 2000
codestreams (which OpenCV refuses to expand to colour) decode everywhere, as colour and 16-bit
images do; damaged bytes give None, never an exception other than cv2.error."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from cccd_reader.image_decode import imdecode_bgr
from cccd_reader.lds.dg2 import decode_image


def _codestream(jp2: bytes) -> bytes:
    """The bare JPEG 2000 codestream (the jp2c box's body) a chip may carry instead of JP2;
    OpenCV 5 encodes only the JP2 file."""
    offset = 0
    while offset + 8 <= len(jp2):
        length = int.from_bytes(jp2[offset:offset + 4], "big")
        if jp2[offset + 4:offset + 8] == b"jp2c":
            return jp2[offset + 8:offset + length if length else len(jp2)]
        offset += length
    raise AssertionError("no codestream box")


def _encode(ext: str, image: np.ndarray) -> bytes:
    ok, encoded = cv2.imencode(".jp2" if ext == ".j2k" else ext, image)
    assert ok
    return _codestream(bytes(encoded)) if ext == ".j2k" else bytes(encoded)


def _grey() -> np.ndarray:
    y, x = np.mgrid[0:320, 0:240]
    return ((x * 3 + y * 2) % 256).astype(np.uint8)


@pytest.mark.parametrize("ext", [".j2k", ".jp2", ".jpg", ".png"])
def test_grey_images_decode_to_bgr(ext: str) -> None:
    pixels = imdecode_bgr(_encode(ext, _grey()), cv2, np)
    assert pixels is not None and pixels.shape == (320, 240, 3) and pixels.dtype == np.uint8
    # the three channels carry the grey values
    assert np.array_equal(pixels[:, :, 0], pixels[:, :, 2])


def test_a_grey_codestream_is_what_opencv_alone_cannot_expand() -> None:
    encoded = _encode(".j2k", _grey())
    # the trap this module exists for (if a later OpenCV fixes it, the module still works)
    direct = cv2.imdecode(np.frombuffer(bytes(encoded), np.uint8), cv2.IMREAD_COLOR)
    assert direct is None or direct.shape == (320, 240, 3)
    result = decode_image(bytes(encoded))
    assert (result.status, result.width, result.height) == ("ok", 240, 320)


def test_sixteen_bit_and_bgra_become_eight_bit_bgr() -> None:
    ok, png16 = cv2.imencode(".png", _grey().astype(np.uint16) * 256)
    assert ok
    pixels = imdecode_bgr(bytes(png16), cv2, np)
    assert pixels is not None and pixels.dtype == np.uint8 and pixels.shape[2] == 3
    bgra = np.dstack([_grey()] * 3 + [np.full((320, 240), 255, np.uint8)])
    ok, png4 = cv2.imencode(".png", bgra)
    assert ok
    pixels = imdecode_bgr(bytes(png4), cv2, np)
    assert pixels is not None and pixels.shape == (320, 240, 3)


@pytest.mark.parametrize("data", [b"", b"\xff\xd8\xff\xe0garbage",
                                  b"\x00\x00\x00\x0cjP  \r\n\x87\n"])
def test_damaged_bytes_give_none(data: bytes) -> None:
    try:
        assert imdecode_bgr(data, cv2, np) is None
    except cv2.error:
        pass  # documented: the caller turns it into its own result
