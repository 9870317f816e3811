"""Glue for front ends (``cccd qr``, ``cccd read --qr``, the desktop app): one argument that is
an image path or scanned text, keys tried in order, and a report of what the QR proved.

Kept here so every front end tries keys the same way: in the order of
:func:`~cccd_reader.qr.access.access_keys_from_qr`, each at most once, a new transport per
attempt (a refused key leaves the chip's session unusable), stopping at the first that opens.
CAN (PACE) and BAC MRZ keys are not blocking passwords on eMRTDs, so at most three attempts
cannot lock a card.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from cccd_reader.errors import AccessDeniedError, AccessError
from cccd_reader.qr.access import access_keys_from_qr, mrz_candidates
from cccd_reader.qr.crosscheck import crosscheck
from cccd_reader.qr.decode import QRResult, decode_image
from cccd_reader.qr.payload import QRData, parse_payload

if TYPE_CHECKING:
    from cccd_reader.access.key import AccessKey
    from cccd_reader.record import CardRecord

__all__ = ["KeyAttempt", "qr_from_argument", "qr_report", "read_with_qr"]

T = TypeVar("T")


def qr_from_argument(
    value: str, *, decoders: Sequence[str] | None = None
) -> tuple[QRData, QRResult | None]:
    """An existing file is an image to decode; anything else is the QR's text (wedge input)."""
    path = Path(value)
    looks_like_path = "|" not in value and len(value) < 4096
    if looks_like_path and path.is_file():
        result = decode_image(path, decoders=decoders)
        return parse_payload(result.text), result
    if value == "-":
        import sys

        value = sys.stdin.read(8192)
    return parse_payload(value), None


@dataclass(frozen=True)
class KeyAttempt:
    #: "CAN" or "MRZ (expiry 2030-05-12)" / "MRZ (lifetime, 991231)": never the key itself.
    label: str
    status: str  # "opened", "refused", "not_supported"
    detail: str = ""


def key_labels(qr: QRData) -> list[str]:
    labels = ["CAN (last 6 digits of the personal number)"]
    for _key, candidate in mrz_candidates(qr):
        when = (
            f"lifetime, {candidate.mrz_yymmdd}"
            if candidate.lifetime
            else f"expiry {candidate.date_of_expiry}"
        )
        labels.append(f"MRZ ({when}: {candidate.reason})")
    return labels


def read_with_qr(
    qr: QRData,
    open_transport: Callable[[], Any],
    read: Callable[[Any, AccessKey], T],
) -> tuple[T, list[KeyAttempt]]:
    """Try the QR's keys in order with a fresh transport each; return the first read that
    worked and every attempt. Raises :class:`AccessDeniedError` when none opens the chip."""
    attempts: list[KeyAttempt] = []
    keys = access_keys_from_qr(qr)
    for key, label in zip(keys, key_labels(qr), strict=True):
        transport = open_transport()
        try:
            outcome = read(transport, key)
        except AccessDeniedError as exc:
            attempts.append(KeyAttempt(label, "refused", str(exc)))
            continue
        except AccessError as exc:  # e.g. CAN on a BAC-only chip
            attempts.append(KeyAttempt(label, "not_supported", str(exc)))
            continue
        finally:
            close = getattr(transport, "close", None)
            if callable(close):
                try:
                    close()
                except Exception:  # closing twice must not mask the result
                    pass
        attempts.append(KeyAttempt(label, "opened"))
        return outcome, attempts
    tried = "; ".join(f"{a.label}: {a.status}" for a in attempts)
    raise AccessDeniedError(f"no key derived from the QR opened the chip ({tried})")


def qr_report(
    qr: QRData,
    record: CardRecord | None = None,
    attempts: Sequence[KeyAttempt] = (),
    decoded: QRResult | None = None,
) -> dict[str, Any]:
    """JSON for ``--json``: the QR, how it was read, the keys tried and the cross-check.

    With a record, ``verdict`` is the record's verification re-derived with the QR checks
    (:func:`cccd_reader.verify.verdict_for`): a QR that disagrees with the chip turns it
    ``not_genuine``.
    """
    doc: dict[str, Any] = {
        "qr": qr.to_json(),
        "decoder": (
            {
                "name": decoded.decoder,
                "variant": decoded.variant,
                "ms": round(decoded.elapsed_ms, 1),
            }
            if decoded is not None
            else None
        ),
        "keys": [{"key": a.label, "status": a.status} for a in attempts],
        "checks": [],
        "verdict": None,
    }
    if record is not None:
        from cccd_reader.verify import verdict_for

        checks = crosscheck(qr, record)
        doc["checks"] = [c.to_json() for c in checks]
        verification = getattr(record, "verification", None)
        if verification is not None:
            doc["verdict"] = verdict_for([*verification.checks, *checks])
    return doc
