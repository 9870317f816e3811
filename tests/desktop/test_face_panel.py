"""The face-check tab: camera (a video file as the capture source), capture, band in words,
the chip's verdict beside it; nothing for a forged chip; everything dropped with the card."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from cccd_desktop import facecheck
from cccd_desktop.state import State
from PySide6.QtCore import QCoreApplication

from cccd_reader import dump
from cccd_reader.face import BANDS, REFUSAL_CODES
from tests.desktop.conftest import read_to_end
from tests.face.photos import VARIANTS, dump_with_portrait, pixels


def _video(path: Path, person: str | None) -> str:
    """A few 640x480 frames as a webcam would give: a photo on a grey background (or none)."""
    frame = np.full((480, 640, 3), 128, np.uint8)
    if person is not None:
        frame[60:420, 176:464] = cv2.resize(pixels(person), (288, 360))
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 15, (640, 480))
    assert writer.isOpened()
    for _ in range(6):
        writer.write(frame)
    writer.release()
    return str(path)


@pytest.fixture
def card(tmp_path: Path) -> Path:
    """The demo card with a chip-like portrait of person_a_2, signed by the sample PKI."""
    portrait = VARIANTS["jpeg2000"]("person_a_2")
    return dump.save(dump_with_portrait(portrait, fmt="jp2"), tmp_path / "card",
                     include_access=True)


def _capture(qtbot: Any, panel: facecheck.FacePanel) -> None:
    panel.start_camera()
    qtbot.waitUntil(lambda: panel._latest is not None, timeout=10000)
    assert panel.capture_button.isEnabled()
    panel.capture_button.click()
    qtbot.waitUntil(lambda: panel.result is not None or bool(panel._error), timeout=30000)


def test_capture_and_compare_in_vietnamese(qtbot: Any, make_window: Any, card: Path,
                                           tmp_path: Path) -> None:
    window = make_window(card)
    window.settings.camera_source = _video(tmp_path / "cam.avi", "person_a_1")
    read_to_end(qtbot, window)
    assert window.flow.state is State.RESULT
    tabs, panel = window.result_view.tabs, window.face_panel
    assert tabs.isTabEnabled(window.face_tab) and panel.available
    assert tabs.tabText(window.face_tab) == "Kiểm tra khuôn mặt"
    tabs.setCurrentIndex(window.face_tab)
    assert panel.portrait_label.pixmap() is not None and not panel.portrait_label.pixmap().isNull()
    assert "không phải xác thực sinh trắc học" in panel.disclaimer.text()
    _capture(qtbot, panel)
    assert panel.result.band == "likely_same"
    assert panel.band_label.text() == "✔ Có khả năng cùng một người"
    assert panel.band_english.text() == "Likely the same person"  # English second
    assert panel.verdict_label.text().startswith("Kết quả kiểm tra chip: ")
    assert panel.live_label.pixmap() is not None and not panel.live_label.pixmap().isNull()
    assert panel.retake_button.isEnabled() and not panel.capture_button.isEnabled()


def test_another_person_is_not_likely_same(qtbot: Any, make_window: Any, card: Path,
                                           tmp_path: Path) -> None:
    window = make_window(card, lang="en")
    window.settings.camera_source = _video(tmp_path / "cam.avi", "impostor_2")
    read_to_end(qtbot, window)
    panel = window.face_panel
    _capture(qtbot, panel)
    assert panel.result.band in ("check_by_eye", "likely_different")
    assert panel.band_label.text().endswith(facecheck.BAND_TEXTS[panel.result.band][0])
    assert not panel.band_english.isVisibleTo(panel)  # the title is already English


def test_no_face_in_front_of_the_camera_is_a_refusal(qtbot: Any, make_window: Any, card: Path,
                                                     tmp_path: Path) -> None:
    window = make_window(card)
    window.settings.camera_source = _video(tmp_path / "empty.avi", None)
    read_to_end(qtbot, window)
    panel = window.face_panel
    _capture(qtbot, panel)
    assert panel.result.refused is not None and panel.result.refused.code == "no_face"
    assert "ảnh chụp: không thấy khuôn mặt" in panel.band_explanation.text()
    assert panel.retake_button.isEnabled()


def test_removal_drops_portrait_frames_and_result(qtbot: Any, make_window: Any, card: Path,
                                                  tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    window = make_window(card)
    window.settings.camera_source = _video(tmp_path / "cam.avi", "person_a_1")
    read_to_end(qtbot, window)
    panel = window.face_panel
    _capture(qtbot, panel)
    window.remove_card()
    assert window.flow.state is State.WAITING_CARD
    assert (panel._portrait, panel._latest, panel._capture, panel.result, panel.verdict) == (
        None, None, None, None, None)
    assert panel.portrait_label.pixmap().isNull() and panel.live_label.pixmap().isNull()
    assert not window.result_view.tabs.isTabEnabled(window.face_tab)
    assert panel.band_label.text() == "" and not panel.camera_running
    words = ("face", "khuôn mặt", "likely", "similar", "score")
    assert not [r.getMessage() for r in caplog.records
                if any(w in r.getMessage().lower() for w in words)]


def test_a_forged_chip_offers_no_face_check(qtbot: Any, make_window: Any,
                                            tmp_path: Path) -> None:
    portrait = VARIANTS["jpeg2000"]("person_a_2")
    forged = dump.save(dump_with_portrait(portrait, fmt="jp2", sign=False), tmp_path / "forged",
                       include_access=True)
    window = make_window(forged)
    read_to_end(qtbot, window)
    assert window.result_view.record.verification.verdict == "not_genuine"
    assert not window.result_view.tabs.isTabEnabled(window.face_tab)
    panel = window.face_panel
    assert not panel.available and panel._portrait is None
    panel.start_camera()
    assert not panel.camera_running
    assert "không xác thực" in panel.band_label.text() or "not genuine" in panel.band_label.text()


def test_every_band_and_refusal_has_words_in_vietnamese() -> None:
    from cccd_desktop.i18n import Languages

    assert set(facecheck.BAND_TEXTS) == set(BANDS)
    assert set(facecheck.REFUSAL_TEXTS) == set(REFUSAL_CODES)
    languages = Languages()
    languages.set("vi")
    try:
        texts = [*(t for pair in facecheck.BAND_TEXTS.values() for t in pair),
                 *facecheck.REFUSAL_TEXTS.values(), *facecheck.SIDE_TEXTS.values(),
                 facecheck.DISCLAIMER]
        for text in texts:
            translated = QCoreApplication.translate(facecheck.CTX, text)
            assert translated and translated != text, text
    finally:
        languages.set("en")
