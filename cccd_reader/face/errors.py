"""Errors of the face comparison, kept apart so code that only renders results imports no OpenCV.

A refusal by the quality gate (no face, two faces, too small, blurred, turned) is not an
error: it is a result (:class:`cccd_reader.face.quality.Refusal`) the clerk acts on by taking
another picture. The exceptions here are for what no new picture fixes: an image that cannot
be read or is hostile, and models or an OpenCV that cannot run. Messages name the side
(``chip`` or ``live``) and never describe a face.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from cccd_reader.errors import CccdError, ParseError

#: Which image a message is about: the chip's portrait (DG2 or an image file standing in for
#: it) or the picture of the person at the counter.
Side = Literal["chip", "live"]
SIDES: tuple[Side, ...] = ("chip", "live")


class FaceImageError(ParseError):
    """An image is unreadable, not an image, larger than the caps, or hostile (exit 5).

    ``side`` says which one; ``params`` carries ``side`` and, for a cap, ``limit``.
    """

    code: ClassVar[str] = "face_image"

    def __init__(self, message: str, *, side: Side, params: dict[str, str] | None = None) -> None:
        super().__init__(f"{side} image: {message}", params={"side": side, **(params or {})})
        self.side: Side = side


class FaceModelError(CccdError):
    """The face models cannot be used: missing, altered (SHA-256 mismatch), or refused by
    OpenCV; also an OpenCV too old (or absent) to run them."""

    code: ClassVar[str] = "face_model"
