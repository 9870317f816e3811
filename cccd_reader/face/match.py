"""The chip's portrait against a live picture: an embedding each, their cosine, three bands.

The answer is never yes/no. A cosine similarity of SFace embeddings is put in one of three
bands whose limits come from OpenCV's published evaluation of this model, not from our photos:
the OpenCV tutorial "DNN-based Face Detection And Recognition" (Chengrui Wang, Yuantao Feng;
https://docs.opencv.org/4.x/d0/dd4/tutorial_dnn_face.html) gives SFace's accuracy and the
cosine threshold that reaches it on five benchmarks:

==========  ========  ================
benchmark   accuracy  cosine threshold
==========  ========  ================
LFW         99.60 %   0.363
CALFW       93.95 %   0.340
CPLFW       91.05 %   0.275
AgeDB-30    94.90 %   0.277
CFP-FP      94.80 %   0.212
==========  ========  ================

0.363 (LFW) is also the threshold OpenCV Zoo's SFace wrapper uses. The bands:

* ``likely_same``: at or above :data:`LIKELY_SAME_MIN` = 0.363, the highest published
  threshold: every benchmark's rule would call the pair the same person.
* ``likely_different``: below :data:`LIKELY_DIFFERENT_BELOW` = 0.212, the lowest: every
  benchmark's rule would call them different people.
* ``check_by_eye``: in between, where the benchmarks disagree (the hard ones: age gaps,
  profile, poses). A wide band on purpose: the clerk looks and decides.

What this is not: there is no liveness check (a printed photo or a screen held to the camera
scores like a face), and accuracy on Vietnamese faces, on chip portraits and on this
block-quantised build of the model is unmeasured (OpenCV Zoo reports 0.9940 on LFW for the
float model and 0.9932 for its int8 one). The result is an aid to the clerk, not a bank's
biometric authentication.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from cccd_reader.face import images
from cccd_reader.face.errors import Side
from cccd_reader.face.models import MODELS, SFACE_INPUT, Engine, load_engine
from cccd_reader.face.quality import Face, Quality, Refusal, examine

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

Band = Literal["likely_same", "check_by_eye", "likely_different"]
BANDS: tuple[Band, ...] = ("likely_same", "check_by_eye", "likely_different")

#: Highest cosine threshold OpenCV published for SFace (LFW, 99.60 % accuracy).
LIKELY_SAME_MIN = 0.363
#: Lowest cosine threshold OpenCV published for SFace (CFP-FP, frontal vs profile).
LIKELY_DIFFERENT_BELOW = 0.212
THRESHOLD_SOURCE = (
    "OpenCV tutorial 'DNN-based Face Detection And Recognition' (SFace cosine thresholds: "
    "LFW 0.363 ... CFP-FP 0.212), https://docs.opencv.org/4.x/d0/dd4/tutorial_dnn_face.html"
)

#: What a caller may pass as an image: encoded bytes (JPEG, JPEG 2000, PNG) or a BGR frame.
ImageInput = Any


def band_for(score: float) -> Band:
    """The band of a cosine similarity (see the module doc for the limits' source)."""
    if score >= LIKELY_SAME_MIN:
        return "likely_same"
    if score < LIKELY_DIFFERENT_BELOW:
        return "likely_different"
    return "check_by_eye"


def thresholds_json() -> dict[str, Any]:
    return {"likely_same": LIKELY_SAME_MIN, "likely_different_below": LIKELY_DIFFERENT_BELOW,
            "metric": "cosine", "source": THRESHOLD_SOURCE}


def models_json() -> dict[str, Any]:
    return {m.role: m.to_json() for m in MODELS}


@dataclass(frozen=True)
class FaceMatch:
    """One comparison. ``score`` and ``band`` are None when the gate refused (``refused``)."""

    score: float | None
    band: Band | None
    quality: dict[Side, Quality] = field(default_factory=dict)
    refused: Refusal | None = None
    elapsed_ms: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """The JSON of ``cccd face-match --json`` (without ``chip_verdict``, which the caller
        adds when the portrait came from a verified dump)."""
        doc: dict[str, Any] = {
            "score": None if self.score is None else round(self.score, 4),
            "band": self.band,
        }
        if self.refused is not None:
            doc["refused"] = self.refused.to_json()
        doc["thresholds"] = thresholds_json()
        doc["model"] = models_json()
        doc["quality"] = {side: q.to_json() for side, q in self.quality.items()}
        return doc


def to_pixels(source: ImageInput, side: Side) -> NDArray[np.uint8]:
    """Decoded, capped BGR pixels from encoded bytes or a frame (:mod:`.images`)."""
    if isinstance(source, bytes | bytearray | memoryview):
        return images.decode(bytes(source), side)
    return images.from_frame(source, side)


def embed(engine: Engine, face: Face) -> NDArray[np.float32]:
    """SFace's 128-d embedding of an aligned face, scaled to unit length."""
    import cv2
    import numpy as np

    # The graph normalises pixel values itself; FaceRecognizerSF feeds it RGB.
    blob = cv2.dnn.blobFromImage(face.crop, 1.0, (112, 112), (0, 0, 0), swapRB=True,
                                 crop=False)
    with engine.lock:
        engine.recognizer.setInput(blob, SFACE_INPUT)
        out = engine.recognizer.forward()
    vector = np.asarray(out, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(vector))
    if not np.isfinite(norm) or norm == 0.0:
        return np.zeros_like(vector)
    result: NDArray[np.float32] = vector / norm
    return result


def examine_side(source: ImageInput, side: Side, engine: Engine | None = None) -> Face | Refusal:
    """Decode one side and put it through the quality gate."""
    engine = engine or load_engine()
    return examine(engine, to_pixels(source, side), side)


def compare(chip: ImageInput, live: ImageInput, *, engine: Engine | None = None) -> FaceMatch:
    """Compare the chip's portrait with a live picture.

    Raises :class:`~cccd_reader.face.errors.FaceImageError` for an unreadable or hostile image
    and :class:`~cccd_reader.face.errors.FaceModelError` when the models cannot run; a picture
    unfit to score is a :class:`FaceMatch` with ``refused`` set (the chip side is examined
    first, so a bad portrait is reported before the customer is asked to pose again).
    """
    start = time.perf_counter()
    # Both images are decoded (and a hostile one refused) before any model is loaded or run.
    pixels: tuple[tuple[Side, Any], ...] = (("chip", to_pixels(chip, "chip")),
                                            ("live", to_pixels(live, "live")))
    engine = engine or load_engine()
    qualities: dict[Side, Quality] = {}
    faces: list[Face] = []
    for side, image in pixels:
        found = examine(engine, image, side)
        if isinstance(found, Refusal):
            return FaceMatch(None, None, qualities, found,
                             (time.perf_counter() - start) * 1000)
        qualities[side] = found.quality
        faces.append(found)
    import numpy as np

    score = float(np.dot(embed(engine, faces[0]), embed(engine, faces[1])))
    return FaceMatch(score, band_for(score), qualities, None,
                     (time.perf_counter() - start) * 1000)
