"""Images for the face comparison: read bounded, sized from their header, then decoded.

Both sides are untrusted. The chip's portrait comes from a card that may be forged (doctored
JPEG 2000 portraits have crashed inspection systems: Grunwald 2007), the live side from a file
or a camera. A decoder allocates what the header claims, so the header is read first
(:mod:`cccd_reader.image_headers`) and anything over :data:`MAX_SIDE` a side or
:data:`MAX_IMAGE_BYTES` is refused before a decoder sees it; a file is never read past the
byte cap. After decoding, the pixels must have the header's size.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cccd_reader.face.errors import FaceImageError, FaceModelError, Side
from cccd_reader.face.models import quiet_opencv
from cccd_reader.image_decode import imdecode_bgr
from cccd_reader.image_headers import photo_mime, photo_size

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Pixels = NDArray[np.uint8]

#: Largest side accepted, in pixels: a phone photo is up to ~4000 px; a chip portrait ~500.
MAX_SIDE = 4096
#: Largest encoded image accepted (a 4096x4096 JPEG of good quality is ~5 MB).
MAX_IMAGE_BYTES = 8 * 1024 * 1024
#: Smallest side worth decoding: nothing smaller holds a face the gate would accept.
MIN_SIDE = 16
FORMATS = "JPEG, JPEG 2000 or PNG"


def read_file(path: str | os.PathLike[str], side: Side) -> bytes:
    """The bytes of a regular file, refused past :data:`MAX_IMAGE_BYTES` without reading on."""
    name = Path(path).name or str(path)
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise FaceImageError(f"{name} is not a regular file", side=side)
            data = handle.read(MAX_IMAGE_BYTES + 1)
    except OSError as exc:
        raise FaceImageError(f"cannot read {name}: {exc.strerror or exc}", side=side) from None
    _check_bytes(data, side)
    return data


def _check_bytes(data: bytes, side: Side) -> None:
    if len(data) > MAX_IMAGE_BYTES:
        raise FaceImageError(f"more than {MAX_IMAGE_BYTES} bytes", side=side,
                             params={"limit": str(MAX_IMAGE_BYTES)})


def _check_size(width: int, height: int, side: Side) -> None:
    if width > MAX_SIDE or height > MAX_SIDE:
        raise FaceImageError(f"{width}x{height} pixels, over {MAX_SIDE}x{MAX_SIDE}", side=side,
                             params={"limit": str(MAX_SIDE)})
    if width < MIN_SIDE or height < MIN_SIDE:
        raise FaceImageError(f"{width}x{height} pixels, too small to hold a face", side=side)


def decode(data: bytes, side: Side) -> Pixels:
    """BGR pixels (3 channels, 8 bits; a grey image is expanded) of an encoded image."""
    _check_bytes(data, side)
    if photo_mime(data) is None:
        raise FaceImageError(f"not a {FORMATS} image", side=side)
    size = photo_size(data)
    if size is None:
        raise FaceImageError("the image header is truncated or malformed", side=side)
    _check_size(*size, side)
    cv2, np = _cv2_numpy()
    try:
        with quiet_opencv(cv2):
            pixels = imdecode_bgr(data, cv2, np)
    except cv2.error:
        pixels = None
    if pixels is None or pixels.ndim != 3 or pixels.shape[2] != 3:
        raise FaceImageError("the image could not be decoded (damaged or truncated)", side=side)
    height, width = int(pixels.shape[0]), int(pixels.shape[1])
    if (width, height) not in (size, size[::-1]):  # EXIF orientation may swap the sides
        raise FaceImageError(f"decoded {width}x{height}, the header says {size[0]}x{size[1]}",
                             side=side)
    out: Pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    return out


def from_frame(frame: Any, side: Side) -> Pixels:
    """BGR pixels from an OpenCV frame (a camera's HxWx3, or grey HxW, or BGRA), checked."""
    cv2, np = _cv2_numpy()
    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8:
        raise FaceImageError("a frame must be an 8-bit numpy array", side=side)
    if frame.ndim == 3 and frame.shape[2] == 1:
        frame = frame[:, :, 0]
    if frame.ndim not in (2, 3) or (frame.ndim == 3 and frame.shape[2] not in (3, 4)):
        raise FaceImageError(f"a frame must be HxW, HxWx3 or HxWx4, not {frame.shape}",
                             side=side)
    _check_size(int(frame.shape[1]), int(frame.shape[0]), side)
    if frame.ndim == 2:
        frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    elif frame.shape[2] == 4:
        frame = cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR)
    out: Pixels = np.ascontiguousarray(frame, dtype=np.uint8)
    return out


def _cv2_numpy() -> tuple[Any, Any]:
    try:
        import cv2
        import numpy as np
    except ImportError:
        raise FaceModelError(
            "the face check needs OpenCV 5 and numpy: pip install 'cccd-reader[face]'"
        ) from None
    return cv2, np
