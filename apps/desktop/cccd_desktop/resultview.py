"""The result screen: photo, holder data, verdict badge and the per-check list.

The verdict is shown as symbol + word + explanation on a coloured ground, never colour alone
(colour-blind staff, grey-scale printouts), and every check keeps its library identifier next
to the readable name so a support call can quote exactly what failed.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cccd_desktop import labels

log = logging.getLogger(__name__)

PHOTO_W, PHOTO_H = 180, 240
#: Refuse to hand Qt or OpenCV anything larger: DG2 comes from an untrusted chip.
MAX_PHOTO_BYTES = 512 * 1024


def decode_photo(photo: Any) -> QImage | None:
    """The portrait as a QImage; JPEG through Qt, JPEG 2000 through OpenCV (Qt has no codec).

    The record already refused images whose header announces absurd sizes; that verdict is
    respected here rather than second-guessed.
    """
    if photo is None or not photo.data or len(photo.data) > MAX_PHOTO_BYTES:
        return None
    if photo.decode_status == "refused":
        return None
    image = QImage.fromData(photo.data)
    if not image.isNull():
        return image
    try:
        import cv2
        import numpy as np
    except ImportError:
        return None
    array = cv2.imdecode(np.frombuffer(photo.data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if array is None:
        return None
    rgb = np.ascontiguousarray(cv2.cvtColor(array, cv2.COLOR_BGR2RGB))
    h, w, _ = rgb.shape
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def format_value(value: Any) -> str:
    """Dates as Vietnamese cards print them (dd/mm/yyyy) in both languages."""
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return "" if value is None else str(value)


def record_fields(record: Any) -> list[tuple[str, str]]:
    """(field key, display value) for every field the card has, in card order."""
    holder = record.holder
    values: dict[str, Any] = {}
    if holder is not None:
        for key, _ in labels.FIELD_LABELS:
            if hasattr(holder, key):
                values[key] = getattr(holder, key)
        if holder.lifetime and not values.get("date_of_expiry"):
            values["date_of_expiry"] = labels.LIFETIME
    elif record.document is not None:  # a passport or a card without DG13: the MRZ says it
        mrz = record.document
        values = {
            "full_name": mrz.names,
            "document_number": mrz.document_number,
            "personal_number": mrz.personal_number,
            "date_of_birth": mrz.date_of_birth or mrz.birth_yymmdd,
            "sex": mrz.sex,
            "nationality": mrz.nationality,
            "issuing_state": mrz.issuing_state,
            "date_of_expiry": mrz.date_of_expiry or mrz.expiry_yymmdd,
        }
    out: list[tuple[str, str]] = []
    for key, _ in labels.FIELD_LABELS:
        value = values.get(key)
        if value == labels.LIFETIME:
            out.append((key, labels.LIFETIME))
        elif value not in (None, ""):
            out.append((key, format_value(value)))
    return out


class VerdictBadge(QFrame):
    """Large verdict; clicking it opens the check list."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdictBadge")
        self.title = QLabel()
        self.title.setObjectName("verdictTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setPointSize(max(font.pointSize(), 9) + 9)
        font.setBold(True)
        self.title.setFont(font)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.verdict = ""
        self._problems: list[str] = []

    def show_verdict(self, verdict: str, problems: list[str]) -> None:
        self.verdict = verdict
        self._problems = problems
        colour = labels.VERDICT_COLOURS.get(verdict, "#444")
        self.setStyleSheet(
            f"#verdictBadge {{ background: {colour}; border-radius: 8px; }}"
            "#verdictBadge QLabel { color: white; }"
        )
        self.retranslateUi()

    def retranslateUi(self) -> None:
        if not self.verdict:
            return
        title, explanation = labels.verdict_texts(self.verdict)
        self.title.setText(f"{labels.VERDICT_SYMBOLS.get(self.verdict, '')} {title}")
        names = [labels.check_label(n) for n in self._problems]
        if self.verdict == "genuine" or not names:
            explanation = labels.verdict_texts("genuine")[1] if self.verdict == "genuine" \
                else explanation.rstrip(":")
            self.explanation.setText(explanation)
        else:
            self.explanation.setText(f"{explanation} " + "; ".join(names))
        self.setToolTip(self.tr("Click to see every check"))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit()
        super().mousePressEvent(event)


def problem_checks(verification: Any) -> list[str]:
    """The checks that explain a verdict short of genuine, most telling first."""
    if verification is None:
        return []
    fails = [c.name for c in verification.checks if c.status == "fail"]
    if fails:
        return fails
    return [c.name for c in verification.checks
            if getattr(c, "required", True) and c.status != "pass"]


class ResultView(QWidget):
    """Shows one record; ``clear`` drops every reference to it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record: Any = None
        self.seconds: float | None = None
        self.image: QImage | None = None

        self.photo = QLabel()
        self.photo.setObjectName("photo")
        self.photo.setFixedSize(PHOTO_W, PHOTO_H)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setStyleSheet("border: 1px solid #999; background: #eee;")
        self.badge = VerdictBadge()
        self.badge.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.badge.clicked.connect(self.show_checks)
        self.access_label = QLabel()
        self.access_label.setWordWrap(True)
        self.access_label.setStyleSheet("color: #555;")

        self.fields_widget = QWidget()
        self.grid = QGridLayout(self.fields_widget)
        self.grid.setColumnStretch(1, 1)
        self.grid.setVerticalSpacing(6)
        self.grid.setHorizontalSpacing(16)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.fields_widget)
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #8a5a00;")

        data_page = QWidget()
        top = QHBoxLayout(data_page)
        left = QVBoxLayout()
        left.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignHCenter)
        left.addStretch(1)
        top.addLayout(left)
        right = QVBoxLayout()
        right.addWidget(scroll, 1)
        right.addWidget(self.problems_label)
        top.addLayout(right, 1)

        self.checks = QTreeWidget()
        self.checks.setObjectName("checks")
        self.checks.setColumnCount(3)
        self.checks.setRootIsDecorated(True)
        self.checks.setWordWrap(True)
        header = self.checks.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        checks_page = QWidget()
        cl = QVBoxLayout(checks_page)
        cl.addWidget(self.access_label)
        cl.addWidget(self.checks)

        self.tabs = QTabWidget()
        self.tabs.addTab(data_page, "")
        self.tabs.addTab(checks_page, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.badge)
        layout.addWidget(self.tabs, 1)
        self._value_labels: dict[str, QLabel] = {}
        self._name_labels: dict[str, QLabel] = {}
        self.retranslateUi()

    # ------------------------------------------------------------------ content

    def show_record(self, record: Any, seconds: float | None = None) -> None:
        self.clear()
        self.record = record
        self.seconds = seconds
        self.image = decode_photo(record.photo)
        if self.image is not None:
            self.photo.setPixmap(QPixmap.fromImage(self.image).scaled(
                PHOTO_W, PHOTO_H, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        for row, (key, value) in enumerate(record_fields(record)):
            name = QLabel()
            name.setObjectName(f"label_{key}")
            name.setStyleSheet("color: #555;")
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            val = QLabel()
            val.setObjectName(f"value_{key}")
            val.setProperty("cardData", value != labels.LIFETIME)
            val.setWordWrap(True)
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if key == "full_name":
                f = val.font()
                f.setPointSize(f.pointSize() + 4)
                f.setBold(True)
                val.setFont(f)
            val.setText(labels.lifetime_text() if value == labels.LIFETIME else value)
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(val, row, 1)
            self._name_labels[key] = name
            self._value_labels[key] = val
        self.grid.setRowStretch(len(self._value_labels), 1)
        verification = record.verification
        verdict = verification.verdict if verification is not None else "unverified"
        self.badge.show_verdict(verdict, problem_checks(verification))
        self.tabs.setCurrentIndex(0)
        self.retranslateUi()

    def value(self, key: str) -> str | None:
        label = self._value_labels.get(key)
        return label.text() if label is not None else None

    def clear(self) -> None:
        self.record = None
        self.image = None
        self.seconds = None
        self.photo.clear()
        while self.grid.count():
            item = self.grid.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.setParent(None)
                w.deleteLater()
        self._value_labels.clear()
        self._name_labels.clear()
        self.checks.clear()
        self.badge.verdict = ""
        self.badge.title.clear()
        self.badge.explanation.clear()
        self.access_label.clear()
        self.problems_label.clear()

    def show_checks(self) -> None:
        self.tabs.setCurrentIndex(1)

    def _fill_checks(self) -> None:
        self.checks.clear()
        record = self.record
        verification = record.verification if record is not None else None
        if verification is None:
            return
        for check in verification.checks:
            item = self._check_item(check.name, check.status, check.detail)
            self.checks.addTopLevelItem(item)
            if check.name == "dg1_dg13_consistency":
                for sub in record.consistency:
                    item.addChild(self._check_item(sub.name, sub.status, sub.detail))
                item.setExpanded(any(s.status == "fail" for s in record.consistency))

    def _check_item(self, name: str, status: str, detail: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([f"{labels.check_label(name)}  [{name}]",
                                labels.status_label(status), detail])
        item.setData(0, Qt.ItemDataRole.UserRole, name)
        item.setData(1, Qt.ItemDataRole.UserRole, status)
        item.setForeground(1, QBrush(QColor(labels.STATUS_COLOURS.get(status, "#000"))))
        for col in range(3):
            item.setToolTip(col, detail)
        return item

    # ------------------------------------------------------------------ language

    def retranslateUi(self) -> None:
        n = len(self.record.verification.checks) if self.record is not None and \
            self.record.verification is not None else 0
        self.tabs.setTabText(0, self.tr("Card data"))
        self.tabs.setTabText(1, self.tr("Checks (%1)").replace("%1", str(n)))
        self.checks.setHeaderLabels([self.tr("Check"), self.tr("Result"), self.tr("Reason")])
        for key, label in self._name_labels.items():
            label.setText(labels.field_label(key))
        for value in self._value_labels.values():
            if value.property("cardData") is False:
                value.setText(labels.lifetime_text())
        self.badge.retranslateUi()
        if self.record is not None:
            self._fill_checks()
            self._fill_notes()

    def _fill_notes(self) -> None:
        record = self.record
        access = record.access or {}
        parts = [p for p in (access.get("protocol"), access.get("password"),
                             access.get("cipher"), access.get("mapping")) if p]
        text = self.tr("Chip opened with %1.").replace("%1", ", ".join(parts)) if parts else ""
        if self.seconds is not None:
            text += " " + self.tr("Read in %1 s.").replace("%1", f"{self.seconds:.2f}")
        self.access_label.setText(text.strip())
        notes: list[str] = []
        for name, err in record.errors.items():
            notes.append(self.tr("%1 could not be decoded: %2").replace("%1", name)
                         .replace("%2", err.message))
        if record.photo is not None and self.image is None:
            notes.append(self.tr("The photo could not be shown (%1).").replace(
                "%1", record.photo.decode_detail or record.photo.decode_status))
        self.problems_label.setText("\n".join(notes))
        self.problems_label.setVisible(bool(notes))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
