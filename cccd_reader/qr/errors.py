"""Errors of the QR layer, kept apart from the decoders so text-only users never import OpenCV.

Every message says what was wrong (field count, which field, which byte) and never the value
itself: these messages reach logs, and the QR holds the holder's name, birth date and address.
"""

from __future__ import annotations

from cccd_reader.errors import ParseError


class QRError(ParseError):
    """Base of every QR-layer error: a QR is untrusted input like any other."""


class QRPayloadError(QRError):
    """The decoded text is not a payload we recognise (or is not valid UTF-8).

    ``field`` names the field that failed (e.g. ``"date_of_birth"``) and ``field_count`` the
    number of ``|``-separated fields found, so a UI can say what is wrong without showing data.
    """

    def __init__(
        self, message: str, *, field: str | None = None, field_count: int | None = None
    ) -> None:
        super().__init__(message)
        self.field = field
        self.field_count = field_count


class QRImageError(QRError):
    """The image cannot be used: unreadable, not an image, or larger than we agree to decode."""


class QRNotFoundError(QRError):
    """No decoder found a QR code in the image (or in the camera frames, in time)."""


class QRDecoderUnavailableError(QRError):
    """No QR decoder is installed (``pip install cccd-reader[qr]``), or none of those asked for."""
