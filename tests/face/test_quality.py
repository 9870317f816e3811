"""The quality gate: pictures unfit to score are refused with a reason and the side."""

from __future__ import annotations

import math
from typing import Any

import cv2
import numpy as np
import pytest

from cccd_reader.face import REFUSAL_CODES, Refusal, compare, load_engine
from cccd_reader.face.match import examine_side
from cccd_reader.face.quality import (
    MAX_YAW,
    MIN_EYE_DISTANCE,
    MIN_SHARPNESS,
    Face,
    eye_distance,
    yaw_ratio,
)
from tests.face.photos import PEOPLE, VARIANTS, photo, pixels


def _refusal(source: Any, side: str = "live") -> Refusal:
    found = examine_side(source, side, load_engine())  # type: ignore[arg-type]
    assert isinstance(found, Refusal), found
    assert found.side == side
    return found


def test_a_blank_frame_is_no_face() -> None:
    assert _refusal(np.full((480, 640, 3), 200, np.uint8)).code == "no_face"


def test_camera_noise_is_no_face() -> None:
    noise = np.random.default_rng(30).integers(0, 256, (480, 640, 3), dtype=np.uint8)
    assert _refusal(noise).code == "no_face"


def test_two_faces_are_refused_with_their_count() -> None:
    two = np.hstack([cv2.resize(pixels("person_a_2"), (600, 750)),
                     cv2.resize(pixels("impostor_1"), (600, 750))])
    refusal = _refusal(two)
    assert refusal.code == "multiple_faces" and refusal.params["count"] == "2"


def test_a_face_too_far_away_is_too_small() -> None:
    face = cv2.resize(pixels("person_b_1"), None, fx=0.12, fy=0.12, interpolation=cv2.INTER_AREA)
    canvas = np.full((480, 640, 3), 128, np.uint8)
    canvas[100:100 + face.shape[0], 200:200 + face.shape[1]] = face
    refusal = _refusal(canvas)
    assert refusal.code == "face_too_small"
    assert float(refusal.params["eye_distance"]) < MIN_EYE_DISTANCE


def test_a_blurred_picture_is_refused() -> None:
    image = pixels("person_b_1")
    found = examine_side(image, "live", load_engine())
    assert isinstance(found, Face) and found.quality.eye_distance is not None
    # a blur of a tenth of the eye distance: about 3.5 px once the face is 112 px wide
    blurred = cv2.GaussianBlur(image, (0, 0), found.quality.eye_distance / 10)
    refusal = _refusal(blurred)
    assert refusal.code == "face_blurred"
    assert float(refusal.params["sharpness"]) < MIN_SHARPNESS


def test_every_credited_photo_and_copy_passes_the_gate() -> None:
    """The gate refuses bad pictures, not chip-like ones: all degraded copies pass."""
    engine = load_engine()
    for name in PEOPLE:
        for variant, make in VARIANTS.items():
            found = examine_side(make(name), "chip", engine)
            assert isinstance(found, Face), (name, variant, found)
            assert found.quality.faces == 1
            assert abs(found.quality.yaw or 0) < MAX_YAW


def _projected(yaw_degrees: float) -> Any:
    """Five landmarks of a head model (eye centres 1 apart, nose tip 0.55 in front of the
    eye plane, mouth corners 0.8 apart) turned by ``yaw`` and seen from the front."""
    theta = math.radians(yaw_degrees)
    points = [(-0.5, 0.0, 0.0), (0.5, 0.0, 0.0), (0.0, 0.6, 0.55), (-0.4, 1.1, 0.1),
              (0.4, 1.1, 0.1)]
    return np.array([[100 * (x * math.cos(theta) + z * math.sin(theta)) + 300, 100 * y + 200]
                     for x, y, z in points], dtype=np.float32)


def test_yaw_measure_follows_head_turn() -> None:
    assert yaw_ratio(_projected(0)) == pytest.approx(0, abs=1e-6)
    assert abs(yaw_ratio(_projected(20))) < MAX_YAW < abs(yaw_ratio(_projected(40)))
    assert yaw_ratio(_projected(-40)) == pytest.approx(-yaw_ratio(_projected(40)))
    assert eye_distance(_projected(0)) == pytest.approx(100)


def test_refusals_name_the_side_and_the_chip_goes_first() -> None:
    blank = np.full((480, 640, 3), 200, np.uint8)
    live_bad = compare(photo("person_a_1"), blank)
    assert live_bad.refused == Refusal("no_face", "live")
    assert live_bad.score is None and live_bad.band is None
    assert set(live_bad.quality) == {"chip"}  # the chip side passed and says how
    chip_bad = compare(blank, blank)
    assert chip_bad.refused is not None and chip_bad.refused.side == "chip"
    assert chip_bad.to_json()["refused"]["code"] in REFUSAL_CODES
