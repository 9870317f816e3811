"""The card's QR code: decode it, parse it, derive access keys, compare it with the chip.

Text-only use (a keyboard-wedge scanner) needs no image library: OpenCV, numpy, pyzbar and
zxing-cpp are imported only when an image is decoded.
"""

from cccd_reader.qr.access import access_keys_from_qr, mrz_candidates
from cccd_reader.qr.crosscheck import crosscheck
from cccd_reader.qr.decode import QRResult, available_decoders, decode_image, scan_camera
from cccd_reader.qr.errors import (
    QRDecoderUnavailableError,
    QRError,
    QRImageError,
    QRNotFoundError,
    QRPayloadError,
)
from cccd_reader.qr.expiry import ExpiryCandidate, expiry_candidates
from cccd_reader.qr.payload import QRData, parse_payload
from cccd_reader.qr.workflow import KeyAttempt, qr_from_argument, qr_report, read_with_qr

__all__ = [
    "ExpiryCandidate",
    "KeyAttempt",
    "QRData",
    "QRDecoderUnavailableError",
    "QRError",
    "QRImageError",
    "QRNotFoundError",
    "QRPayloadError",
    "QRResult",
    "access_keys_from_qr",
    "available_decoders",
    "crosscheck",
    "decode_image",
    "expiry_candidates",
    "mrz_candidates",
    "parse_payload",
    "qr_from_argument",
    "qr_report",
    "read_with_qr",
    "scan_camera",
]
