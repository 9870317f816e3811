"""Access keys for the chip from what the card's QR says.

Order matters because a wrong key costs a try on the chip (and some chips count failures):
PACE with the CAN comes first, since it is exact (the last 6 digits of the personal number)
and every 2024 card and most 2021 cards speak PACE. For BAC-only chips the MRZ key needs the
expiry, which the QR does not carry: it is derived by :mod:`cccd_reader.qr.expiry`, at most
two candidates, most likely first.
"""

from __future__ import annotations

from cccd_reader.access.key import AccessKey
from cccd_reader.errors import ParseError
from cccd_reader.qr.expiry import ExpiryCandidate, expiry_candidates
from cccd_reader.qr.payload import QRData

__all__ = ["access_keys_from_qr", "mrz_candidates"]


def mrz_candidates(qr: QRData) -> list[tuple[AccessKey, ExpiryCandidate]]:
    """MRZ keys (with the expiry each assumes); empty when the QR lacks birth or issue date."""
    if qr.date_of_birth is None or qr.date_of_issue is None:
        return []
    try:
        candidates = expiry_candidates(qr.date_of_birth, qr.date_of_issue)
    except ParseError:
        return []
    birth = f"{qr.date_of_birth:%y%m%d}"
    return [
        (AccessKey.from_document(qr.document_number, birth, c.mrz_yymmdd), c) for c in candidates
    ]


def access_keys_from_qr(qr: QRData) -> list[AccessKey]:
    """CAN key first, then at most two MRZ keys; try them in this order, stop at the first
    that opens the chip, and never retry a refused one."""
    keys = [AccessKey.from_personal_number(qr.personal_number)]
    keys.extend(key for key, _ in mrz_candidates(qr))
    return keys
