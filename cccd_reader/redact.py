"""A record's JSON without what opens the chip again: the MRZ and the numbers.

DG1 is the MRZ, whose document number, birth and expiry are the BAC / PACE-MRZ key, and the last
six digits of a Vietnamese personal number are the card's CAN. An export that leaves these out
can still say who the holder is (name, photo, dates, the verdict) but cannot be used to read the
card again, or to look the person up by number. Used by the desktop app's JSON export on request
and open to integrators who keep records.
"""

from __future__ import annotations

from typing import Any

__all__ = ["REDACTED_KEYS", "without_access_data"]

#: Keys removed wherever they appear in a record's JSON (``CardRecord.to_json``): the MRZ
#: object, every identity or document number (the BHYT block's ``so_cccd`` / ``so_cmnd``
#: included), and the compared values of the DG1/DG13 consistency checks (which repeat
#: those numbers).
REDACTED_KEYS = frozenset({
    "mrz", "qr", "personal_number", "old_id_number", "document_number",
    "other_valid_td_numbers", "personalization_system_serial", "values", "raw",
    "so_cccd", "so_cmnd",
})


def without_access_data(doc: Any) -> Any:
    """A deep copy of ``doc`` with every :data:`REDACTED_KEYS` entry left out; the rest of the
    record (names, dates, photo metadata, checks and verdict) is kept as is."""
    if isinstance(doc, dict):
        return {k: without_access_data(v) for k, v in doc.items() if k not in REDACTED_KEYS}
    if isinstance(doc, list):
        return [without_access_data(v) for v in doc]
    return doc
