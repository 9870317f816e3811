"""The face-check panel: the chip's portrait beside the person at the counter.

After a read whose verdict is not ``not_genuine``, the clerk opens this tab, starts the webcam
(the same capture source as the QR scan: Settings' camera, an index or a file), captures a
picture and gets one of three bands (:mod:`cccd_reader.face`) in plain words, Vietnamese
first, with the chip's verdict beside it. A chip proven not genuine offers no face check: its
portrait may be the impostor's own.

What it is not, said on the panel itself: an aid to the clerk, not the bank's biometric
authentication; there is no liveness check. Privacy: the portrait, the camera frames and the
capture live only in this object's memory and are dropped by :meth:`FacePanel.clear`, which
the window calls whenever the card's data is cleared (removal, next customer, idle). Nothing
about a face, its score or its band is logged.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import QT_TRANSLATE_NOOP as _QT_TRANSLATE_NOOP
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cccd_desktop import labels

QT_TRANSLATE_NOOP = cast(Callable[[str, str], str], _QT_TRANSLATE_NOOP)
CTX = "Face"

#: Band -> (title, what the clerk does). Plain words; the numbers are shown smaller below.
BAND_TEXTS: dict[str, tuple[str, str]] = {
    "likely_same": (
        QT_TRANSLATE_NOOP("Face", "Likely the same person"),
        QT_TRANSLATE_NOOP("Face", "The faces match well. Still look at the person yourself."),
    ),
    "check_by_eye": (
        QT_TRANSLATE_NOOP("Face", "Check by eye"),
        QT_TRANSLATE_NOOP("Face", "The program cannot tell. Compare the two pictures yourself; "
                                  "ask for another document if in doubt."),
    ),
    "likely_different": (
        QT_TRANSLATE_NOOP("Face", "Likely different people"),
        QT_TRANSLATE_NOOP("Face", "The faces do not match. Check carefully before going on; "
                                  "lighting, glasses or age can also cause this."),
    ),
}
BAND_COLOURS = {"likely_same": "#1b7f3b", "check_by_eye": "#8a5a00",
                "likely_different": "#b3261e", "refused": "#555555"}
BAND_SYMBOLS = {"likely_same": "✔", "check_by_eye": "?", "likely_different": "✘",
                "refused": "–"}

#: Refusal code (cccd_reader.face.REFUSAL_CODES) -> the reason in words.
REFUSAL_TEXTS: dict[str, str] = {
    "no_face": QT_TRANSLATE_NOOP("Face", "no face found"),
    "multiple_faces": QT_TRANSLATE_NOOP("Face", "more than one face in the picture"),
    "face_too_small": QT_TRANSLATE_NOOP("Face", "the face is too small (come closer)"),
    "face_turned": QT_TRANSLATE_NOOP("Face", "the head is turned too far (look at the camera)"),
    "face_blurred": QT_TRANSLATE_NOOP("Face", "the picture is blurred (hold still)"),
    "chip_not_genuine": QT_TRANSLATE_NOOP("Face", "the chip is not genuine: its photo is not "
                                                  "compared"),
}
SIDE_TEXTS: dict[str, str] = {
    "chip": QT_TRANSLATE_NOOP("Face", "chip photo"),
    "live": QT_TRANSLATE_NOOP("Face", "camera picture"),
}
DISCLAIMER = QT_TRANSLATE_NOOP(
    "Face", "An aid to the clerk, not the bank's biometric authentication. No liveness check: "
            "a printed photo or a screen is not detected. Accuracy on Vietnamese faces has not "
            "been measured.")


def _tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def band_texts(band: str) -> tuple[str, str, str]:
    """(title, explanation, the title in English): the English line goes under a translated
    title so a bilingual counter reads both."""
    title, explanation = BAND_TEXTS[band]
    return _tr(title), _tr(explanation), title


def refusal_text(code: str, side: str) -> str:
    reason = _tr(REFUSAL_TEXTS.get(code, code))
    return f"{_tr(SIDE_TEXTS.get(side, side))}: {reason}"


def _pixmap(bgr: Any, width: int, height: int) -> QPixmap:
    """A scaled pixmap of a BGR frame (copied: the frame may be dropped right after)."""
    rows, cols = int(bgr.shape[0]), int(bgr.shape[1])
    image = QImage(bgr.data, cols, rows, int(bgr.strides[0]), QImage.Format.Format_BGR888)
    return QPixmap.fromImage(image.copy()).scaled(
        width, height, Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation)


class _Signals(QObject):
    """Worker threads talk to the panel only through these (queued to the UI thread); every
    message carries the camera run or the generation it belongs to, so nothing of a cleared
    card (or of a camera run already stopped) lands."""

    frame = Signal(int, object)
    camera_ended = Signal(int, str)
    result = Signal(int, object)
    failed = Signal(int, str)


# Preview pace for a file or stream source; a webcam paces itself.
PREVIEW_FPS = 15
PORTRAIT_W, PORTRAIT_H = 240, 320
LIVE_W, LIVE_H = 427, 320


class FacePanel(QWidget):
    """The face-check tab. ``camera_source`` gives Settings' capture source when asked."""

    def __init__(self, camera_source: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("facePanel")
        self._camera_source = camera_source
        self._signals = _Signals(self)
        self._signals.frame.connect(self._on_frame)
        self._signals.camera_ended.connect(self._on_camera_ended)
        self._signals.result.connect(self._on_result)
        self._signals.failed.connect(self._on_failed)
        self._generation = 0
        self._camera_run = 0
        self._stop: threading.Event | None = None
        self._portrait: bytes | None = None
        self._portrait_pixmap: QPixmap | None = None
        self.verdict: str | None = None
        self._latest: Any = None
        self._capture: Any = None
        self._comparing = False
        self.result: Any = None
        self._error = ""
        self._camera_error = ""
        self._build()
        self.retranslateUi()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.disclaimer = QLabel()
        self.disclaimer.setObjectName("faceDisclaimer")
        self.disclaimer.setWordWrap(True)
        self.disclaimer.setStyleSheet("background: #fff3c4; border: 1px solid #e0c060;"
                                      " border-radius: 4px; padding: 6px;")
        layout.addWidget(self.disclaimer)

        pictures = QHBoxLayout()
        self.portrait_title = QLabel()
        self.portrait_label = QLabel()
        self.portrait_label.setObjectName("facePortrait")
        self.live_title = QLabel()
        self.live_label = QLabel()
        self.live_label.setObjectName("faceLive")
        for label, (w, h) in ((self.portrait_label, (PORTRAIT_W, PORTRAIT_H)),
                              (self.live_label, (LIVE_W, LIVE_H))):
            label.setFixedSize(w, h)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setStyleSheet("border: 1px solid #999; background: #eee; color: #555;")
        for title, label in ((self.portrait_title, self.portrait_label),
                             (self.live_title, self.live_label)):
            column = QVBoxLayout()
            title.setStyleSheet("font-weight: bold;")
            column.addWidget(title)
            column.addWidget(label)
            column.addStretch(1)
            pictures.addLayout(column)

        result = QVBoxLayout()
        self.band_frame = QFrame()
        self.band_frame.setObjectName("faceBand")
        band_layout = QVBoxLayout(self.band_frame)
        self.band_label = QLabel()
        self.band_label.setObjectName("faceBandTitle")
        self.band_label.setWordWrap(True)
        font = self.band_label.font()
        font.setPointSizeF(font.pointSizeF() + 6)
        font.setBold(True)
        self.band_label.setFont(font)
        self.band_english = QLabel()
        self.band_english.setWordWrap(True)
        self.band_explanation = QLabel()
        self.band_explanation.setWordWrap(True)
        for widget in (self.band_label, self.band_english, self.band_explanation):
            band_layout.addWidget(widget)
        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("faceVerdict")
        self.verdict_label.setWordWrap(True)
        self.score_label = QLabel()
        self.score_label.setObjectName("faceScore")
        self.score_label.setWordWrap(True)
        self.score_label.setStyleSheet("color: #555;")
        result.addWidget(self.band_frame)
        result.addWidget(self.verdict_label)
        result.addWidget(self.score_label)
        result.addStretch(1)
        result_widget = QWidget()
        result_widget.setLayout(result)
        result_widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        pictures.addWidget(result_widget, 1)
        layout.addLayout(pictures, 1)

        buttons = QHBoxLayout()
        self.camera_button = QPushButton()
        self.camera_button.setObjectName("faceCamera")
        self.camera_button.clicked.connect(self.toggle_camera)
        self.capture_button = QPushButton()
        self.capture_button.setObjectName("faceCapture")
        self.capture_button.setMinimumHeight(40)
        self.capture_button.clicked.connect(self.capture)
        self.retake_button = QPushButton()
        self.retake_button.setObjectName("faceRetake")
        self.retake_button.clicked.connect(self.retake)
        buttons.addWidget(self.camera_button)
        buttons.addWidget(self.capture_button)
        buttons.addWidget(self.retake_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    # ------------------------------------------------------------------ the card

    @property
    def available(self) -> bool:
        """A portrait to compare with, from a chip not proven forged."""
        return self._portrait is not None and self.verdict != "not_genuine"

    def set_record(self, record: Any) -> None:
        """Take the portrait and verdict of a finished read (nothing else of the record)."""
        self.clear()
        photo = getattr(record, "photo", None)
        verification = getattr(record, "verification", None)
        self.verdict = verification.verdict if verification is not None else None
        if photo is None or not photo.data or self.verdict == "not_genuine":
            self._render()
            return
        self._portrait = bytes(photo.data)
        from cccd_reader.errors import CccdError
        from cccd_reader.face import images

        try:
            pixels = images.decode(self._portrait, "chip")
        except CccdError:  # said on the panel ("cannot be shown"); a compare reports why
            pixels = None
        if pixels is not None:
            self._portrait_pixmap = _pixmap(pixels, PORTRAIT_W, PORTRAIT_H)
        self._render()

    def clear(self) -> None:
        """Forget the portrait, the frames, the capture and the result; stop the camera."""
        self._generation += 1
        self.stop_camera()
        self._portrait = None
        self._portrait_pixmap = None
        self.verdict = None
        self._latest = None
        self._capture = None
        self._comparing = False
        self.result = None
        self._error = ""
        self._camera_error = ""
        self.portrait_label.clear()
        self.live_label.clear()
        self._render()

    # ------------------------------------------------------------------ camera

    @property
    def camera_running(self) -> bool:
        return self._stop is not None

    def toggle_camera(self) -> None:
        if self.camera_running:
            self.stop_camera()
        else:
            self.start_camera()
        self._render()

    def start_camera(self) -> None:
        if self.camera_running or not self.available:
            return
        self._capture = None
        self.result = None
        self._error = ""
        self._camera_error = ""
        stop = threading.Event()
        self._stop = stop
        self._camera_run += 1
        run, signals, source = self._camera_run, self._signals, self._camera_source()
        threading.Thread(target=_camera_loop, args=(run, source, stop, signals),
                         name="face-camera", daemon=True).start()
        self._render()

    def stop_camera(self) -> None:
        if self._stop is not None:
            self._stop.set()
        self._stop = None
        self._camera_run += 1  # frames already queued by the stopped run are dropped

    def _on_frame(self, run: int, frame: Any) -> None:
        if run != self._camera_run or self._capture is not None:
            return
        self._latest = frame
        self.live_label.setPixmap(_pixmap(frame, LIVE_W, LIVE_H))
        self._update_buttons()

    def _on_camera_ended(self, run: int, problem: str) -> None:
        if run != self._camera_run:
            return
        self._stop = None
        self._camera_error = problem
        self._render()

    # ------------------------------------------------------------------ compare

    def capture(self) -> None:
        """Freeze the latest frame and compare it with the portrait (on a worker thread)."""
        if self._latest is None or self._portrait is None or self._comparing:
            return
        self._capture = self._latest.copy()
        self.live_label.setPixmap(_pixmap(self._capture, LIVE_W, LIVE_H))
        self.stop_camera()
        self._comparing = True
        self.result = None
        self._error = ""
        generation, signals = self._generation, self._signals
        portrait, capture = self._portrait, self._capture

        def work() -> None:
            from cccd_reader.errors import CccdError
            from cccd_reader.face import compare

            try:
                signals.result.emit(generation, compare(portrait, capture))
            except CccdError as exc:
                signals.failed.emit(generation, str(exc))

        threading.Thread(target=work, name="face-compare", daemon=True).start()
        self._render()

    def retake(self) -> None:
        self._capture = None
        self.result = None
        self._error = ""
        self.start_camera()
        self._render()

    def _on_result(self, generation: int, result: Any) -> None:
        if generation != self._generation:
            return
        self._comparing = False
        self.result = result
        self._render()

    def _on_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._comparing = False
        self._error = message
        self._render()

    # ------------------------------------------------------------------ rendering

    def _update_buttons(self) -> None:
        self.camera_button.setEnabled(self.available and self._capture is None)
        self.capture_button.setEnabled(self.available and self._latest is not None
                                       and self._capture is None and not self._comparing)
        self.retake_button.setEnabled(self.available and self._capture is not None
                                      and not self._comparing)

    def _render(self) -> None:
        self._update_buttons()
        self.camera_button.setText(self.tr("Stop camera") if self.camera_running
                                   else self.tr("Start camera"))
        self.live_title.setText(self.tr("Captured picture") if self._capture is not None
                                else self.tr("Camera"))
        if self._portrait_pixmap is not None:
            self.portrait_label.setPixmap(self._portrait_pixmap)
        elif self.verdict == "not_genuine":
            self.portrait_label.setText(self.tr("Not shown: the chip is not genuine."))
        elif self._portrait is not None:
            self.portrait_label.setText(self.tr("The photo could not be shown."))
        else:
            self.portrait_label.setText(self.tr("No photo from a chip yet."))
        if self._latest is None and self._capture is None:
            self.live_label.setText(
                self.tr("Camera could not be opened: %1").replace("%1", self._camera_error)
                if self._camera_error else self.tr("Start the camera, ask the customer to look "
                                                   "at it, then press Capture."))
        self._render_result()

    def _render_result(self) -> None:
        look, title, english, explanation, score = "refused", "", "", "", ""
        if self.verdict == "not_genuine":
            title = refusal_text("chip_not_genuine", "chip")
        elif self._comparing:
            title = self.tr("Comparing…")
        elif self._error:
            title = self.tr("The picture could not be used")
            explanation = self._error
        elif self.result is not None and self.result.refused is not None:
            refused = self.result.refused
            title = self.tr("Not compared")
            explanation = refusal_text(refused.code, refused.side) + ". " + self.tr(
                "Take another picture.")
        elif self.result is not None and self.result.band is not None:
            look = self.result.band
            title, explanation, english = band_texts(look)
            from cccd_reader.face import LIKELY_DIFFERENT_BELOW, LIKELY_SAME_MIN

            score = (self.tr("Similarity %1 (likely same from %2, likely different below %3)")
                     .replace("%1", f"{self.result.score:.2f}")
                     .replace("%2", f"{LIKELY_SAME_MIN:.3f}")
                     .replace("%3", f"{LIKELY_DIFFERENT_BELOW:.3f}"))
        colour = BAND_COLOURS[look]
        self.band_frame.setStyleSheet(
            f"#faceBand {{ border: 3px solid {colour}; border-radius: 6px; }}")
        self.band_label.setStyleSheet(f"color: {colour};")
        self.band_label.setText(f"{BAND_SYMBOLS[look]} {title}" if title else "")
        self.band_english.setText(english if english and english != title else "")
        self.band_english.setVisible(bool(self.band_english.text()))
        self.band_explanation.setText(explanation)
        self.score_label.setText(score)
        if self.verdict is not None:
            verdict_title, _ = labels.verdict_texts(self.verdict)
            self.verdict_label.setText(self.tr("Chip verdict: %1").replace("%1", verdict_title))
        else:
            self.verdict_label.clear()

    def title(self) -> str:
        return self.tr("Face check")

    def retranslateUi(self) -> None:
        self.disclaimer.setText(_tr(DISCLAIMER))
        self.portrait_title.setText(self.tr("Photo in the chip"))
        self.capture_button.setText(self.tr("Capture and compare"))
        self.retake_button.setText(self.tr("Retake"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)


def _camera_loop(run: int, source: str, stop: threading.Event, signals: _Signals) -> None:
    """Frames from an OpenCV capture until ``stop``; a file or stream is paced to
    :data:`PREVIEW_FPS` and its last frame stays available when it ends."""
    try:
        import cv2
    except ImportError:
        signals.camera_ended.emit(run, "OpenCV is not installed")
        return
    is_device = source.strip().isdigit()
    capture = cv2.VideoCapture(int(source) if is_device else source)
    problem = ""
    try:
        if not capture.isOpened():
            problem = source
            return
        failures = 0
        while not stop.is_set():
            ok, frame = capture.read()
            if not ok or frame is None:
                failures += 1
                if failures >= 10 or not is_device:
                    return
                continue
            failures = 0
            signals.frame.emit(run, frame)
            if not is_device:
                time.sleep(1 / PREVIEW_FPS)
    finally:
        capture.release()
        signals.camera_ended.emit(run, problem)
