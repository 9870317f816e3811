"""Encoded portrait bytes to 8-bit BGR pixels with OpenCV: one decoding for every caller.

DG2 (the record's photo check), the face comparison and the app's photo view all need the same
step, and the same trap: OpenCV's OpenJPEG path cannot expand a one-component (grey) JPEG 2000
codestream to colour ("unsupported conversion from 1 components to 3") and returns nothing, so
a grey chip portrait looked undecodable. Here a failed colour decode is retried as the image is
and then converted (grey, 16-bit, BGRA to 8-bit BGR). Sizes are the caller's to check first
(:mod:`cccd_reader.image_headers`); this module never decides what is too big.
"""

from __future__ import annotations

from typing import Any


def imdecode_bgr(data: bytes, cv2: Any, np: Any) -> Any:
    """HxWx3 uint8 BGR pixels of ``data``, or None when OpenCV cannot decode it.

    ``cv2`` and ``numpy`` are passed in: they are optional dependencies, imported (and their
    absence reported) by the caller. cv2.error propagates for the caller to turn into its own
    result.
    """
    buffer = np.frombuffer(data, dtype=np.uint8)
    pixels = cv2.imdecode(buffer, cv2.IMREAD_COLOR)  # applies EXIF orientation
    if pixels is None:
        pixels = to_bgr8(cv2.imdecode(buffer, cv2.IMREAD_UNCHANGED), cv2, np)
    if pixels is None or pixels.ndim != 3 or pixels.shape[2] != 3:
        return None
    return pixels


def to_bgr8(image: Any, cv2: Any, np: Any) -> Any:
    """8-bit BGR from what ``IMREAD_UNCHANGED`` gives (grey, BGRA, 16-bit), or None."""
    if image is None or image.size == 0:
        return None
    if image.dtype == np.uint16:
        image = (image >> 8).astype(np.uint8)
    if image.dtype != np.uint8:
        return None
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.ndim == 3 and image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    return image
