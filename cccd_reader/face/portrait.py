"""The chip side of a face check: the portrait of a read or a dump, with the chip's verdict.

The portrait is only as good as the chip it came from. A forged chip carrying the impostor's
own photo is the main attack on a face check, so a portrait whose chip was proven
``not_genuine`` is refused (:func:`refusal_for_verdict`); an ``unverified`` one (no trust
anchor, the usual case for Vietnamese cards today) is compared, and the verdict is shown next
to the band so the clerk weighs both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cccd_reader.face.errors import FaceImageError
from cccd_reader.face.quality import Refusal

if TYPE_CHECKING:
    from cccd_reader.pki.trust import TrustStore
    from cccd_reader.record import CardRecord


@dataclass(frozen=True)
class ChipPortrait:
    """The portrait's encoded bytes (JPEG or JPEG 2000) and the verdict of the chip that
    carried it (None for an image file, which proves nothing about any chip)."""

    image: bytes = field(repr=False)
    verdict: str | None


def refusal_for_verdict(verdict: str | None) -> Refusal | None:
    """A refusal when the chip is proven not genuine; None otherwise."""
    if verdict == "not_genuine":
        return Refusal("chip_not_genuine", "chip", {"verdict": verdict})
    return None


def portrait_from_record(record: CardRecord) -> ChipPortrait:
    """The portrait of a record built with verification (``CardRecord.build``)."""
    if record.photo is None or not record.photo.data:
        raise FaceImageError("the chip data holds no portrait (DG2)", side="chip")
    verdict = record.verification.verdict if record.verification is not None else None
    return ChipPortrait(record.photo.data, verdict)


def portrait_from_dump(files: Mapping[str, bytes], trust: TrustStore | None) -> ChipPortrait:
    """Verify a dump's files (passive authentication with ``trust``) and take its portrait."""
    from cccd_reader.record import CardRecord

    return portrait_from_record(CardRecord.build(files, trust=trust, decode_photo=False))
