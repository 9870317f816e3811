"""The comparison on credited photographs of real people and on degraded copies of them.

The acceptance rule of issue 30: the same person is never ``likely_different`` and different
people are never ``likely_same``, whatever the chip side went through (grey, 240x320, JPEG
2000, recompressed). The chip side is each variant of one photo, the live side another photo
(the original); every ordered pair of photos is tried.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from cccd_reader.face import (
    BANDS,
    LIKELY_DIFFERENT_BELOW,
    LIKELY_SAME_MIN,
    FaceMatch,
    Refusal,
    band_for,
    compare,
    load_engine,
)
from cccd_reader.face.match import embed, examine_side
from cccd_reader.face.quality import Face
from tests.face.photos import DIFFERENT_PAIRS, PEOPLE, SAME_PAIRS, VARIANTS, photo


@pytest.fixture(scope="module")
def embeddings() -> dict[tuple[str, str], Any]:
    """(photo, variant) -> the unit embedding of its one face; every one passes the gate."""
    engine = load_engine()
    out: dict[tuple[str, str], Any] = {}
    for name in PEOPLE:
        for variant, make in VARIANTS.items():
            face = examine_side(make(name), "chip", engine)
            assert isinstance(face, Face), (name, variant, face)
            out[name, variant] = embed(engine, face)
    return out


def _score(embeddings: dict[tuple[str, str], Any], chip: str, variant: str, live: str) -> float:
    return float(np.dot(embeddings[chip, variant], embeddings[live, "original"]))


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_the_same_person_is_never_likely_different(
    embeddings: dict[tuple[str, str], Any], variant: str
) -> None:
    for chip, live in SAME_PAIRS:
        score = _score(embeddings, chip, variant, live)
        assert band_for(score) != "likely_different", (chip, variant, live, score)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_different_people_are_never_likely_same(
    embeddings: dict[tuple[str, str], Any], variant: str
) -> None:
    for chip, live in DIFFERENT_PAIRS:
        score = _score(embeddings, chip, variant, live)
        assert band_for(score) != "likely_same", (chip, variant, live, score)


def test_a_degraded_copy_stays_close_to_its_original(
    embeddings: dict[tuple[str, str], Any]
) -> None:
    """A degradation changes the picture, not the person: each copy is nearer its own
    original than any photo of someone else is."""
    for name in PEOPLE:
        worst_other = max(_score(embeddings, name, "original", other)
                          for other in PEOPLE if PEOPLE[other] != PEOPLE[name])
        for variant in VARIANTS:
            own = _score(embeddings, name, variant, name)
            assert own > worst_other, (name, variant, own, worst_other)


def test_compare_end_to_end_matches_the_parts(embeddings: dict[tuple[str, str], Any]) -> None:
    chip = VARIANTS["jpeg2000"]("person_a_2")
    result = compare(chip, photo("person_a_1"))
    assert isinstance(result, FaceMatch) and result.refused is None
    assert result.score == pytest.approx(_score(embeddings, "person_a_2", "jpeg2000",
                                                "person_a_1"), abs=1e-5)
    assert result.band == band_for(result.score)
    assert set(result.quality) == {"chip", "live"}
    assert result.quality["chip"].width == 240 and result.quality["chip"].faces == 1
    doc = result.to_json()
    assert doc["band"] in BANDS and "refused" not in doc
    assert doc["thresholds"]["likely_same"] == LIKELY_SAME_MIN
    assert set(doc["model"]) == {"detector", "recognizer"}


def test_a_live_frame_is_accepted_as_pixels() -> None:
    """The app hands camera frames (numpy BGR), not files; grey frames too."""
    import cv2

    frame = cv2.imdecode(np.frombuffer(photo("person_b_2"), np.uint8), cv2.IMREAD_COLOR)
    as_bytes = compare(photo("person_b_1"), photo("person_b_2"))
    as_frame = compare(photo("person_b_1"), frame)
    assert as_frame.score == pytest.approx(as_bytes.score, abs=1e-5)
    grey = compare(photo("person_b_1"), cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY))
    assert grey.band is not None and grey.refused is None


@pytest.mark.parametrize(("score", "band"), [
    (1.0, "likely_same"), (LIKELY_SAME_MIN, "likely_same"),
    (np.nextafter(LIKELY_SAME_MIN, 0), "check_by_eye"),
    (LIKELY_DIFFERENT_BELOW, "check_by_eye"),
    (np.nextafter(LIKELY_DIFFERENT_BELOW, 0), "likely_different"), (-1.0, "likely_different"),
])
def test_band_limits(score: float, band: str) -> None:
    assert band_for(float(score)) == band


def test_the_limits_are_the_published_ones_and_the_middle_band_is_wide() -> None:
    """0.363 and 0.212 are the highest (LFW) and lowest (CFP-FP) cosine thresholds OpenCV
    published for SFace; the module doc cites them. The check-by-eye band spans every
    benchmark's threshold."""
    assert (LIKELY_SAME_MIN, LIKELY_DIFFERENT_BELOW) == (0.363, 0.212)
    for published in (0.363, 0.340, 0.275, 0.277, 0.212):  # LFW CALFW CPLFW AgeDB CFP-FP
        assert LIKELY_DIFFERENT_BELOW <= published <= LIKELY_SAME_MIN


def test_refusal_json_shape() -> None:
    doc = FaceMatch(None, None, {}, Refusal("no_face", "live")).to_json()
    assert doc["score"] is None and doc["band"] is None
    assert doc["refused"] == {"code": "no_face", "side": "live", "params": {}}
