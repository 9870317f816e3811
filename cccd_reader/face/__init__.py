"""Face check at the counter: the chip's portrait (DG2) against the person in front of the clerk.

Detection (YuNet), a quality gate, five-point alignment, an SFace embedding, the cosine of two
embeddings and three bands (``likely_same``, ``check_by_eye``, ``likely_different``) with
limits from OpenCV's published evaluation of SFace (:mod:`cccd_reader.face.match`). The models
ship in the package and are checked by SHA-256 at load; nothing is downloaded. Needs the
``face`` extra (OpenCV 5).

No liveness check; accuracy on Vietnamese faces unmeasured: an aid to the clerk, not a bank's
biometric authentication. Images stay in memory; nothing about a face is logged.

    from cccd_reader.face import compare
    result = compare(portrait_bytes, camera_frame)
    result.band, result.score, result.refused
"""

from __future__ import annotations

from cccd_reader.face.errors import SIDES, FaceImageError, FaceModelError, Side
from cccd_reader.face.match import (
    BANDS,
    LIKELY_DIFFERENT_BELOW,
    LIKELY_SAME_MIN,
    Band,
    FaceMatch,
    band_for,
    compare,
)
from cccd_reader.face.models import load_engine
from cccd_reader.face.portrait import (
    ChipPortrait,
    portrait_from_dump,
    portrait_from_record,
    refusal_for_verdict,
)
from cccd_reader.face.quality import REFUSAL_CODES, Quality, Refusal, RefusalCode

__all__ = [
    "BANDS",
    "LIKELY_DIFFERENT_BELOW",
    "LIKELY_SAME_MIN",
    "REFUSAL_CODES",
    "SIDES",
    "Band",
    "ChipPortrait",
    "FaceImageError",
    "FaceMatch",
    "FaceModelError",
    "Quality",
    "Refusal",
    "RefusalCode",
    "Side",
    "band_for",
    "compare",
    "load_engine",
    "portrait_from_dump",
    "portrait_from_record",
    "refusal_for_verdict",
]
