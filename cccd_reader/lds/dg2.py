"""DG2, the encoded face (ICAO 9303 Part 10 §4.7.2, ISO/IEC 19794-5:2005).

``75 { 7F61 { 02 count, 7F60 { A1 biometric header, 5F2E facial record } ... } }``. The facial
record is binary: a 14-byte record header (``"FAC\\0"``, version ``"010\\0"``, record length,
number of faces), then per face a 20-byte facial information block, 8 bytes per feature
point, a 12-byte image information block and the image (JPEG or JPEG 2000).

The image bytes are always kept exactly as stored: they are what the SOD hash covers and what
a UI shows. Decoding to pixels is separate (:func:`decode_image`) and guarded: a portrait is a
compressed file from the chip, so its true dimensions are read from the codec's own header
(JPEG SOF, JP2 ``ihdr`` and the codestream SIZ) and anything too big is refused before a
decoder allocates memory for it. A decode failure is a result, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from cccd_reader.errors import LDSError
from cccd_reader.image_decode import imdecode_bgr
from cccd_reader.image_headers import image_size, sniff_mime
from cccd_reader.iso7816 import tlv
from cccd_reader.lds._util import children, outer

if TYPE_CHECKING:
    from numpy.typing import NDArray

DG2_TAG = 0x75
_NAME = "DG2"

#: Portraits on real cards are 10-30 KB; 5 MB is generous and still bounds memory.
MAX_IMAGE_BYTES = 5 * 1024 * 1024
#: ICAO recommends ~ 420x525 px; nothing legitimate comes near this.
MAX_DIMENSION = 4096

_FAC = b"FAC\x00"
_VERSION_2005 = b"010\x00"
_RECORD_HEADER = 14
_FACE_INFO = 20
_FEATURE_POINT = 8
_IMAGE_INFO = 12

ImageDataType = Literal["jpeg", "jpeg2000"]
DecodeStatus = Literal["ok", "refused", "failed", "unavailable"]


@dataclass(frozen=True, slots=True)
class BiometricHeader:
    """The A1 biometric header template (ISO/IEC 7816-11): which format the block holds."""

    version: bytes | None = None
    biometric_type: bytes | None = None
    biometric_subtype: bytes | None = None
    format_owner: int | None = None
    format_type: int | None = None


@dataclass(frozen=True, slots=True)
class FaceImage:
    header: BiometricHeader
    record_version: str
    gender: int
    eye_colour: int
    hair_colour: int
    expression: int
    feature_points: int
    face_image_type: int
    #: As declared in the image information block (0 JPEG, 1 JPEG 2000).
    image_data_type: int
    #: Dimensions declared in the image information block.
    width: int
    height: int
    colour_space: int
    source_type: int
    device_type: int
    quality: int
    #: The image file exactly as stored.
    image: bytes = field(repr=False)

    @property
    def mime(self) -> str | None:
        """From the bytes themselves, not the declaration: that is what a decoder will see."""
        return sniff_mime(self.image)

    @property
    def codec_size(self) -> tuple[int, int] | None:
        """``(width, height)`` from the codec header, None when it cannot be read."""
        return image_size(self.image)


@dataclass(frozen=True, slots=True)
class DG2:
    #: The count the template announces (02); equal to the number of biometric templates.
    count: int
    faces: tuple[FaceImage, ...]
    #: Templates whose data is not a readable facial record (e.g. 7F2E enciphered blocks).
    opaque_blocks: int = 0

    @property
    def face(self) -> FaceImage | None:
        return self.faces[0] if self.faces else None


@dataclass(frozen=True)
class DecodedImage:
    status: DecodeStatus
    detail: str
    width: int | None = None
    height: int | None = None
    #: BGR pixels (OpenCV's order) when ``status == "ok"``.
    pixels: NDArray[Any] | None = field(default=None, repr=False, compare=False)


# --- parsing ---------------------------------------------------------------------------------


def _uint(data: bytes, pos: int, size: int) -> int:
    return int.from_bytes(data[pos : pos + size], "big")


def _header(obj: tlv.TLV) -> BiometricHeader:
    values = {c.tag: c.value for c in children(obj, _NAME)}

    def as_int(tag: int) -> int | None:
        raw = values.get(tag)
        return int.from_bytes(raw, "big") if raw else None

    return BiometricHeader(
        version=values.get(0x80),
        biometric_type=values.get(0x81),
        biometric_subtype=values.get(0x82),
        format_owner=as_int(0x87),
        format_type=as_int(0x88),
    )


def parse_facial_record(data: bytes, header: BiometricHeader | None = None) -> list[FaceImage]:
    """Parse an ISO/IEC 19794-5:2005 facial record; every length is checked against the data."""
    if len(data) < _RECORD_HEADER:
        raise LDSError(f"{_NAME}: facial record is truncated ({len(data)} bytes)")
    if data[:4] != _FAC:
        raise LDSError(f"{_NAME}: facial record does not start with 'FAC\\0'")
    version = data[4:8]
    if version != _VERSION_2005:
        raise LDSError(f"{_NAME}: facial record version {version!r} is not supported (want 010)")
    record_length = _uint(data, 8, 4)
    if record_length != len(data):
        raise LDSError(
            f"{_NAME}: facial record announces {record_length} bytes, holds {len(data)}"
        )
    count = _uint(data, 12, 2)
    if count == 0:
        raise LDSError(f"{_NAME}: facial record holds no face")
    pos = _RECORD_HEADER
    faces: list[FaceImage] = []
    for _ in range(count):
        if pos + _FACE_INFO > len(data):
            raise LDSError(f"{_NAME}: facial information block is truncated")
        block_length = _uint(data, pos, 4)
        points = _uint(data, pos + 4, 2)
        fixed = _FACE_INFO + points * _FEATURE_POINT + _IMAGE_INFO
        if block_length < fixed or pos + block_length > len(data):
            raise LDSError(f"{_NAME}: facial data block length {block_length} is inconsistent")
        info = pos + _FACE_INFO + points * _FEATURE_POINT
        image = data[info + _IMAGE_INFO : pos + block_length]
        if not image:
            raise LDSError(f"{_NAME}: facial record holds no image data")
        faces.append(
            FaceImage(
                header=header or BiometricHeader(),
                record_version=version[:3].decode("ascii"),
                gender=data[pos + 6],
                eye_colour=data[pos + 7],
                hair_colour=data[pos + 8],
                expression=_uint(data, pos + 12, 2),
                feature_points=points,
                face_image_type=data[info],
                image_data_type=data[info + 1],
                width=_uint(data, info + 2, 2),
                height=_uint(data, info + 4, 2),
                colour_space=data[info + 6],
                source_type=data[info + 7],
                device_type=_uint(data, info + 8, 2),
                quality=_uint(data, info + 10, 2),
                image=bytes(image),
            )
        )
        pos += block_length
    if pos != len(data):
        raise LDSError(f"{_NAME}: {len(data) - pos} stray bytes after the last face")
    return faces


def parse_dg2(data: bytes) -> DG2:
    group = children(outer(data, DG2_TAG, _NAME), _NAME)
    if len(group) != 1 or group[0].tag != 0x7F61:
        raise LDSError(f"{_NAME} must hold one biometric information group template (7F61)")
    items = children(group[0], _NAME)
    if not items or items[0].tag != 0x02 or not 1 <= len(items[0].value) <= 2:
        raise LDSError(f"{_NAME}: the number of biometric templates (02) is missing")
    count = int.from_bytes(items[0].value, "big")
    templates = items[1:]
    if count != len(templates) or any(t.tag != 0x7F60 for t in templates):
        raise LDSError(f"{_NAME} announces {count} templates and holds {len(templates)}")
    faces: list[FaceImage] = []
    opaque = 0
    for template in templates:
        parts = {c.tag: c for c in children(template, _NAME)}
        if 0xA1 not in parts:
            raise LDSError(f"{_NAME}: biometric header template (A1) is missing")
        header = _header(parts[0xA1])
        if 0x5F2E in parts:
            faces += parse_facial_record(parts[0x5F2E].value, header)
        elif 0x7F2E in parts:
            opaque += 1
        else:
            raise LDSError(f"{_NAME}: biometric data block (5F2E or 7F2E) is missing")
    return DG2(count=count, faces=tuple(faces), opaque_blocks=opaque)


# --- decoding --------------------------------------------------------------------------------


def check_decodable(
    image: bytes, *, max_bytes: int = MAX_IMAGE_BYTES, max_dimension: int = MAX_DIMENSION
) -> DecodedImage | None:
    """The refusal a decode would meet, or None when the image may be handed to a decoder."""
    if len(image) > max_bytes:
        return DecodedImage("refused", f"image is {len(image)} bytes, over {max_bytes}")
    if sniff_mime(image) is None:
        return DecodedImage("refused", "image is neither JPEG nor JPEG 2000")
    size = image_size(image)
    if size is None:
        return DecodedImage("refused", "image header gives no dimensions")
    width, height = size
    if not (0 < width <= max_dimension and 0 < height <= max_dimension):
        return DecodedImage(
            "refused",
            f"image is {width}x{height}, over {max_dimension}x{max_dimension}",
            width,
            height,
        )
    return None


def decode_image(
    image: bytes, *, max_bytes: int = MAX_IMAGE_BYTES, max_dimension: int = MAX_DIMENSION
) -> DecodedImage:
    """Pixels of a portrait via OpenCV, or why not. Never raises."""
    refusal = check_decodable(image, max_bytes=max_bytes, max_dimension=max_dimension)
    if refusal is not None:
        return refusal
    size = image_size(image)
    assert size is not None  # checked above
    try:
        import cv2
        import numpy as np
    except ImportError:
        return DecodedImage("unavailable", "OpenCV (opencv-python-headless) is not installed")
    try:
        pixels = imdecode_bgr(image, cv2, np)
    except Exception as exc:  # cv2.error and friends: a bad image is a result, not a crash
        return DecodedImage("failed", f"decoder error: {type(exc).__name__}")
    if pixels is None:
        return DecodedImage("failed", "the decoder could not read the image")
    height, width = int(pixels.shape[0]), int(pixels.shape[1])
    if (width, height) != size:
        return DecodedImage(
            "failed", f"decoded {width}x{height}, header says {size[0]}x{size[1]}", width, height
        )
    return DecodedImage("ok", "decoded", width, height, pixels)
