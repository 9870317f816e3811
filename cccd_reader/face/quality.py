"""Find the one face in an image and decide whether it is fit to be scored.

A score computed on a bad picture is worse than none: the clerk would read a low number as
"someone else" when it means "the camera saw a blur". So the gate refuses, with a stable
reason code and the side, before anything is scored:

=================  ==========================================================================
code               when
=================  ==========================================================================
``no_face``        the detector finds no face (a blank frame, a card held to the camera)
``multiple_faces`` more than one face large enough to be scored (someone behind the
                   customer, a photo in the frame): the program will not guess which one
``face_too_small`` the face is there, but its eyes are fewer than :data:`MIN_EYE_DISTANCE`
                   pixels apart
``face_turned``    the head is turned further than about 30° (:data:`MAX_YAW`)
``face_blurred``   the aligned face has lost its fine detail (:data:`MIN_SHARPNESS`)
=================  ==========================================================================

The limits are physical, not fitted to our test photos: see each constant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from cccd_reader.face.align import align
from cccd_reader.face.errors import Side

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from cccd_reader.face.models import Engine

RefusalCode = Literal["no_face", "multiple_faces", "face_too_small", "face_turned",
                      "face_blurred", "chip_not_genuine"]
#: Every refusal code; ``chip_not_genuine`` is not the gate's but the chip's
#: (:func:`cccd_reader.face.portrait.refusal_for_verdict`).
REFUSAL_CODES: tuple[RefusalCode, ...] = ("no_face", "multiple_faces", "face_too_small",
                                          "face_turned", "face_blurred", "chip_not_genuine")

#: YuNet confidence a detection needs to count as a face. OpenCV's samples use 0.9 on sharp
#: webcam frames; chip portraits are small and compressed and score lower, and a false face
#: that gets through still has to pass the landmark checks below.
MIN_DETECTION_SCORE = 0.75
#: Fewest pixels between the eye centres. The recogniser's 112x112 template puts them 35 px
#: apart; below 20 the face is enlarged more than 1.75 times and the recogniser sees
#: interpolation, not skin and features.
MIN_EYE_DISTANCE = 20.0
#: Largest horizontal offset of the nose tip from the point between the eyes, as a fraction of
#: the eye distance. The nose tip stands out about half an eye distance from the eye plane, so
#: the offset is roughly 0.55·tan(yaw): 0.35 is about 30°, past which frontal-trained
#: recognisers lose accuracy quickly (compare SFace's CFP-FP row, frontal vs profile).
MAX_YAW = 0.35
#: Smallest variance of the Laplacian of the aligned 112x112 grey face (Pech-Pacheco et al.,
#: ICPR 2000, the usual focus measure). A focused face, even a compressed 240x320 chip
#: portrait, measures in the hundreds; a face whose fine detail is gone measures near 10.
#: The limit is low on purpose: it refuses only pictures no one should score.
MIN_SHARPNESS = 25.0
#: Detection runs on a copy whose longer side is at most this: YuNet's cost grows with pixels,
#: and a face a counter camera sees is large. Landmarks are mapped back to the full image.
DETECT_SIDE = 1280


@dataclass(frozen=True)
class Refusal:
    """Why an image was not scored: a stable code, the side, and the measured values."""

    code: RefusalCode
    side: Side
    params: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "side": self.side, "params": dict(self.params)}


@dataclass(frozen=True)
class Quality:
    """What the gate measured on one side (numbers only, nothing that describes a face)."""

    width: int
    height: int
    faces: int
    detector_score: float | None = None
    eye_distance: float | None = None
    yaw: float | None = None
    sharpness: float | None = None

    def to_json(self) -> dict[str, Any]:
        def r(value: float | None, digits: int) -> float | None:
            return None if value is None else round(value, digits)

        return {"width": self.width, "height": self.height, "faces": self.faces,
                "detector_score": r(self.detector_score, 3),
                "eye_distance": r(self.eye_distance, 1), "yaw": r(self.yaw, 3),
                "sharpness": r(self.sharpness, 1)}


@dataclass(frozen=True)
class Face:
    """The aligned face that passed the gate."""

    crop: NDArray[np.uint8] = field(repr=False)
    quality: Quality


def _detect(engine: Engine, image: NDArray[np.uint8]) -> list[tuple[float, Any]]:
    """(score, 5x2 landmarks in full-image coordinates) for each face, best first."""
    import cv2
    import numpy as np

    height, width = image.shape[:2]
    scale = min(1.0, DETECT_SIDE / max(height, width))
    work = image if scale == 1.0 else cv2.resize(
        image, (max(1, round(width * scale)), max(1, round(height * scale))),
        interpolation=cv2.INTER_AREA)
    with engine.lock:
        engine.detector.setInputSize((work.shape[1], work.shape[0]))
        _ok, faces = engine.detector.detect(work)
    found: list[tuple[float, Any]] = []
    for row in faces if faces is not None else ():
        score = float(row[14])
        if score >= MIN_DETECTION_SCORE and np.all(np.isfinite(row[:15])):
            found.append((score, np.asarray(row[4:14], dtype=np.float32).reshape(5, 2) / scale))
    found.sort(key=lambda f: -f[0])
    return found


def eye_distance(landmarks: Any) -> float:
    import numpy as np

    return float(np.linalg.norm(landmarks[1] - landmarks[0]))


def yaw_ratio(landmarks: Any) -> float:
    """Signed horizontal offset of the nose tip from between the eyes, over the eye distance
    (0 for a frontal face); see :data:`MAX_YAW`."""
    distance = eye_distance(landmarks)
    if distance <= 0:
        return float("inf")
    middle = (float(landmarks[0][0]) + float(landmarks[1][0])) / 2
    return (float(landmarks[2][0]) - middle) / distance


def sharpness(crop: NDArray[np.uint8]) -> float:
    import cv2

    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    return float(cv2.Laplacian(grey, cv2.CV_64F).var())


def examine(engine: Engine, image: NDArray[np.uint8], side: Side) -> Face | Refusal:
    """The one face of ``image`` (BGR), aligned, or the gate's refusal."""
    height, width = int(image.shape[0]), int(image.shape[1])
    faces = _detect(engine, image)
    if not faces:
        return Refusal("no_face", side)
    scorable = [f for f in faces if eye_distance(f[1]) >= MIN_EYE_DISTANCE]
    if len(scorable) > 1:
        return Refusal("multiple_faces", side, {"count": str(len(scorable))})
    if not scorable:
        largest = max(eye_distance(f[1]) for f in faces)
        return Refusal("face_too_small", side, {"eye_distance": f"{largest:.1f}",
                                                "minimum": f"{MIN_EYE_DISTANCE:.0f}"})
    score, landmarks = scorable[0]
    distance = eye_distance(landmarks)
    yaw = yaw_ratio(landmarks)
    if abs(yaw) > MAX_YAW:
        return Refusal("face_turned", side, {"yaw": f"{yaw:.2f}", "maximum": f"{MAX_YAW:.2f}"})
    crop = align(image, landmarks)
    if crop is None:
        return Refusal("face_turned", side, {"yaw": f"{yaw:.2f}", "maximum": f"{MAX_YAW:.2f}"})
    sharp = sharpness(crop)
    if sharp < MIN_SHARPNESS:
        return Refusal("face_blurred", side, {"sharpness": f"{sharp:.0f}",
                                              "minimum": f"{MIN_SHARPNESS:.0f}"})
    return Face(crop, Quality(width, height, len(faces), score, distance, yaw, sharp))
