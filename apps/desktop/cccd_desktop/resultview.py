"""The result screen: photo, holder data, verdict badge and the per-check list.

The verdict is shown as symbol + word + explanation on a coloured ground, never colour alone
(colour-blind staff, grey-scale printouts), and every check keeps its library identifier next
to the readable name so a support call can quote exactly what failed. The badge says in plain
words what is proven and what is not: staff read "hợp lệ" as "the document is valid", so an
expired document or a chip that cannot be checked for copies says so on the badge itself.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QLocale, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QIcon,
    QImage,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cccd_desktop import labels
from cccd_reader.image_decode import imdecode_bgr

log = logging.getLogger(__name__)

#: Large enough to compare with the person at the counter on a 1366x768 screen.
PHOTO_W, PHOTO_H = 300, 400
#: Refuse to hand Qt or OpenCV anything larger: DG2 comes from an untrusted chip.
MAX_PHOTO_BYTES = 512 * 1024

#: The clock the expiry warning uses; tests move it past a sample's expiry.
today: Callable[[], datetime.date] = datetime.date.today


def copy_icon() -> QIcon:
    """Two overlapping sheets, drawn here: no icon theme or font glyph can be relied on
    (DejaVu has no "copy" symbol, and counter PCs rarely have an icon theme)."""
    pixmap = QPixmap(18, 18)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor("#444"))
    pen.setWidthF(1.4)
    painter.setPen(pen)
    painter.setBrush(QColor("#ffffff"))
    painter.drawRoundedRect(2, 2, 10, 11, 2, 2)
    painter.drawRoundedRect(6, 5, 10, 11, 2, 2)
    painter.end()
    return QIcon(pixmap)


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
    try:
        array = imdecode_bgr(photo.data, cv2, np)
    except cv2.error:
        return None
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


def _mrz_date(value: Any, yymmdd: str | None) -> Any:
    if value is not None:
        return value
    if yymmdd and len(yymmdd) == 6 and yymmdd.isdigit():  # century unknown: show dd/mm/yy
        return f"{yymmdd[4:6]}/{yymmdd[2:4]}/{yymmdd[0:2]}"
    return yymmdd


def record_fields(record: Any) -> list[tuple[str, str]]:
    """(field key, display value) for every field the card has, in card order.

    Values are card data as printed; only MRZ codes (sex, states) are put in words, in the
    interface language, since a clerk cannot be expected to know "UTO" or "F".
    """
    holder = record.holder
    values: dict[str, Any] = {"document_kind": labels.kind_label(labels.document_kind(record))}
    if holder is not None:
        for key, _ in labels.FIELD_LABELS:
            if hasattr(holder, key):
                values[key] = getattr(holder, key)
        if holder.lifetime and not values.get("date_of_expiry"):
            values["date_of_expiry"] = labels.LIFETIME
    elif record.document is not None:  # a passport or a card without DG13: the MRZ says it
        mrz = record.document
        values.update({
            "full_name": mrz.names,
            "document_number": mrz.document_number,
            "personal_number": mrz.personal_number,
            "date_of_birth": _mrz_date(mrz.date_of_birth, mrz.birth_yymmdd),
            "sex": labels.sex_text(mrz.sex) if mrz.sex else None,
            "nationality": labels.country_text(mrz.nationality) if mrz.nationality else None,
            "issuing_state": labels.country_text(mrz.issuing_state) if mrz.issuing_state
            else None,
            "date_of_expiry": _mrz_date(mrz.date_of_expiry, mrz.expiry_yymmdd),
        })
    out: list[tuple[str, str]] = []
    for key, _ in labels.FIELD_LABELS:
        value = values.get(key)
        if value == labels.LIFETIME:
            out.append((key, labels.LIFETIME))
        elif value not in (None, ""):
            out.append((key, format_value(value)))
    return out


def expiry_date(record: Any) -> datetime.date | None:
    """The document's expiry (DG13 first, else the MRZ); None for lifetime or unknown."""
    holder = record.holder
    if holder is not None:
        if holder.lifetime:
            return None
        if isinstance(holder.date_of_expiry, datetime.date):
            return holder.date_of_expiry
    doc = record.document
    value = getattr(doc, "date_of_expiry", None) if doc is not None else None
    return value if isinstance(value, datetime.date) else None


def clone_check_impossible(verification: Any) -> bool:
    """True when the chip offers neither Active nor Chip Authentication."""
    if verification is None:
        return False
    names = {c.name: c.status for c in verification.checks}
    if "clone_detection" in names:
        return True
    return not any(names.get(n) == "pass" for n in ("active_auth", "chip_auth")) and not any(
        n in names for n in ("active_auth", "chip_auth"))


def problem_checks(verification: Any) -> list[Any]:
    """The checks that explain a verdict short of genuine, most telling first."""
    if verification is None:
        return []
    fails = [c for c in verification.checks if c.status == "fail"]
    if fails:
        return fails
    return [c for c in verification.checks
            if getattr(c, "required", True) and c.status != "pass"]


def data_intact(verification: Any) -> bool:
    """The signature over the data verifies and every data hash matches it."""
    if verification is None:
        return False
    status = {c.name: c.status for c in verification.checks}
    hashes = [s for n, s in status.items() if n.startswith("dg_hash:")]
    return status.get("sod_signature") == "pass" and bool(hashes) and all(
        s == "pass" for s in hashes)


class VerdictBadge(QFrame):
    """Large verdict; clicking it opens the check list."""

    clicked = Signal()
    trust_requested = Signal()

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
        self.explanation.setObjectName("verdictExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.warning = QLabel()
        self.warning.setObjectName("verdictWarning")
        self.warning.setWordWrap(True)
        self.warning.setAlignment(Qt.AlignmentFlag.AlignCenter)
        wf = self.warning.font()
        wf.setBold(True)
        self.warning.setFont(wf)
        self.trust_button = QPushButton()
        self.trust_button.setObjectName("trustButton")
        self.trust_button.clicked.connect(self.trust_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addWidget(self.warning)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.trust_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        #: The library's verdict; ``look`` is what the badge shows (adds "expired", "reading").
        self.verdict = ""
        self.look = ""
        self._record: Any = None
        self.warning.hide()
        self.trust_button.hide()

    def show_record(self, record: Any) -> None:
        self._record = record
        verification = record.verification if record is not None else None
        self.verdict = verification.verdict if verification is not None else "unverified"
        self.retranslateUi()

    def show_reading(self) -> None:
        """Data arrived, checks not done yet: nothing is claimed."""
        self._record = None
        self.verdict = ""
        self.look = "reading"
        self.retranslateUi()

    def reset(self) -> None:
        self._record = None
        self.verdict = ""
        self.look = ""
        self.title.clear()
        self.explanation.clear()
        self.warning.clear()
        self.warning.hide()
        self.trust_button.hide()
        self.setStyleSheet("")

    def _paint(self, look: str) -> None:
        colour = labels.VERDICT_COLOURS.get(look, "#444")
        self.setStyleSheet(
            f"#verdictBadge {{ background: {colour}; border-radius: 8px; }}"
            "#verdictBadge QLabel { color: white; }"
        )

    def retranslateUi(self) -> None:
        self.trust_button.setText(self.tr("Settings → Trust…"))
        self.setToolTip(self.tr("Click to see every check"))
        if self.look == "reading" and self._record is None:
            self._paint("reading")
            self.title.setText(self.tr("… CHECKING"))
            self.explanation.setText(self.tr(
                "Name and number read from the chip; the photo and the checks follow. Nothing "
                "is proven yet."))
            self.warning.hide()
            self.trust_button.hide()
            return
        record = self._record
        if record is None or not self.verdict:
            return
        verification = record.verification
        verdict = self.verdict
        look = verdict
        warnings: list[str] = []
        expiry = expiry_date(record)
        expired = expiry is not None and expiry < today()
        if verdict == "genuine":
            title = labels.verdict_texts("genuine")[0]
            explanation = self.tr("Proven: the data was issued by the authority, has not been "
                                  "changed, and the chip is the original.")
            if clone_check_impossible(verification):
                title = self.tr("GENUINE DATA, COPY NOT RULED OUT")
                look = "genuine_no_clone"
                explanation = self.tr("Proven: the data was issued by the authority and has not "
                                      "been changed.")
                warnings.append(self.tr("This chip offers no anti-copy check: a copied chip "
                                        "cannot be told apart. Compare the photo with the "
                                        "person."))
        elif verdict == "unverified":
            title = labels.verdict_texts("unverified")[0]
            if data_intact(verification):
                explanation = self.tr(
                    "Proven: the data has not been changed since it was signed. Not proven: "
                    "that the signer is the issuing authority, because this computer has no "
                    "trusted certificate for it.")
            else:
                explanation = self.tr(
                    "Not proven: the checks below could not be completed.")
            reasons = [labels.reason_for(c) for c in problem_checks(verification)]
            warnings.extend(dict.fromkeys(reasons))
        elif verdict == "not_genuine":
            title = labels.verdict_texts("not_genuine")[0]
            explanation = self.tr("Do not rely on this document's data. Reason:")
            reasons = [labels.check_label(c.name) + ": " + labels.reason_for(c)
                       for c in problem_checks(verification)]
            warnings.extend(dict.fromkeys(reasons))
        else:  # inconsistent
            title = labels.verdict_texts("inconsistent")[0]
            explanation = self.tr("Signed correctly, but the chip's data groups disagree:")
            warnings.extend(labels.check_label(c.name) for c in problem_checks(verification))
        if expired and verdict in ("genuine", "unverified") and expiry is not None:
            look = "expired"
            title = self.tr("DOCUMENT EXPIRED")
            warnings.insert(0, self.tr("Expired on %1: the chip data may be genuine, but the "
                                       "document is no longer valid.").replace(
                "%1", f"{expiry:%d/%m/%Y}"))
        symbol = labels.VERDICT_SYMBOLS.get(look, labels.VERDICT_SYMBOLS.get(verdict, ""))
        self.look = look
        self._paint(look)
        self.title.setText(f"{symbol} {title}")
        self.explanation.setText(explanation)
        self.warning.setText("\n".join(warnings))
        self.warning.setVisible(bool(warnings))
        chain = {c.name: c.status for c in verification.checks} if verification else {}
        self.trust_button.setVisible(verdict in ("unverified", "not_genuine") and
                                     chain.get("dsc_chain") in ("skipped", "fail"))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit()
        super().mousePressEvent(event)


class ResultView(QWidget):
    """Shows one record; ``clear`` drops every reference to it."""

    #: A field value was copied (key): the window resets the idle timer and says so.
    copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record: Any = None
        self.partial: Any = None
        self.seconds: float | None = None
        self.image: QImage | None = None
        self.kind = ""

        self.photo = QLabel()
        self.photo.setObjectName("photo")
        self.photo.setFixedSize(PHOTO_W, PHOTO_H)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setWordWrap(True)
        self.photo.setStyleSheet("border: 1px solid #999; background: #eee; color: #555;")
        self.badge = VerdictBadge()
        self.badge.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.badge.clicked.connect(self.show_checks)
        self.access_label = QLabel()
        self.access_label.setWordWrap(True)
        self.access_label.setStyleSheet("color: #555;")

        self.untrusted_label = QLabel()
        self.untrusted_label.setObjectName("untrustedBanner")
        self.untrusted_label.setWordWrap(True)
        self.untrusted_label.setStyleSheet(
            "background: #fde7e5; color: #b3261e; border: 2px dashed #b3261e; padding: 4px;"
            " font-weight: bold;")
        self.untrusted_label.hide()
        self.fields_box = QVBoxLayout()
        self.fields_box.setContentsMargins(0, 0, 0, 0)
        self.grid_host: QWidget | None = None
        self.grid: QGridLayout | None = None
        fields_widget = QWidget()
        outer = QVBoxLayout(fields_widget)
        outer.setContentsMargins(0, 0, 8, 0)
        outer.addWidget(self.untrusted_label)
        outer.addLayout(self.fields_box)
        outer.addStretch(1)
        self.fields_widget = fields_widget
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(fields_widget)
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #8a5a00;")
        self.problems_label.hide()

        data_page = QWidget()
        top = QHBoxLayout(data_page)
        top.setContentsMargins(6, 6, 6, 4)  # the style's 9-11 px cost a field at 1366x768
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
        self._copy_buttons: dict[str, QToolButton] = {}
        self._fields: list[tuple[str, str]] = []
        self._copy_icon = copy_icon()
        self.retranslateUi()

    # ------------------------------------------------------------------ content

    def show_partial(self, record: Any) -> None:
        """Name and number before the photo: shown at once, marked as not checked yet."""
        self.clear()
        self.partial = record
        self.kind = labels.document_kind(record)
        self._fields = record_fields(record)
        self.photo.setText(self.tr("Reading the photo…"))
        self.badge.show_reading()
        self._populate()
        self.tabs.setCurrentIndex(0)
        self.retranslateUi()

    def show_record(self, record: Any, seconds: float | None = None) -> None:
        self.clear()
        self.record = record
        self.seconds = seconds
        self.kind = labels.document_kind(record)
        self.image = decode_photo(record.photo)
        if self.image is not None:
            self.photo.setPixmap(QPixmap.fromImage(self.image).scaled(
                PHOTO_W, PHOTO_H, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        self._fields = record_fields(record)
        self.badge.show_record(record)
        self._populate()
        self.tabs.setCurrentIndex(0)
        self.retranslateUi()

    @property
    def trusted(self) -> bool:
        """False when the data must be marked as untrustworthy (export and print off)."""
        ver = self.record.verification if self.record is not None else None
        return ver is not None and ver.verdict != "not_genuine"

    def _populate(self) -> None:
        """A fresh grid for every record: a grid re-used across records kept the previous
        card's row stretch and pushed values away from their labels."""
        host = QWidget()
        grid = QGridLayout(host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(3)
        grid.setHorizontalSpacing(16)
        untrusted = self.record is not None and not self.trusted
        for row, (key, value) in enumerate(self._fields):
            name = QLabel()
            name.setObjectName(f"label_{key}")
            name.setStyleSheet("color: #555;")
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            val = QLabel()
            val.setObjectName(f"value_{key}")
            val.setProperty("cardData", value != labels.LIFETIME)
            val.setWordWrap(True)
            val.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            val.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
            if key == "full_name":
                f = val.font()
                f.setPointSize(f.pointSize() + 4)
                f.setBold(True)
                val.setFont(f)
            if untrusted:
                f = val.font()
                f.setStrikeOut(True)
                val.setFont(f)
                val.setStyleSheet("color: #b3261e;")
            val.setText(labels.lifetime_text() if value == labels.LIFETIME else value)
            copy = QToolButton()
            copy.setObjectName(f"copy_{key}")
            copy.setIcon(self._copy_icon)
            copy.setAutoRaise(True)
            copy.setFixedSize(24, 24)
            copy.clicked.connect(lambda _c=False, k=key: self.copy_field(k))
            grid.addWidget(name, row, 0)
            grid.addWidget(val, row, 1)
            grid.addWidget(copy, row, 2, Qt.AlignmentFlag.AlignTop)
            self._name_labels[key] = name
            self._value_labels[key] = val
            self._copy_buttons[key] = copy
        self.fields_box.addWidget(host)
        self.grid_host, self.grid = host, grid
        self.untrusted_label.setVisible(untrusted)

    def value(self, key: str) -> str | None:
        label = self._value_labels.get(key)
        return label.text() if label is not None else None

    def field_values(self) -> dict[str, str]:
        """Displayed values by key, as staff would copy them."""
        return {key: label.text() for key, label in self._value_labels.items()}

    def copy_field(self, key: str) -> None:
        text = self.value(key)
        if text is None:
            return
        QGuiApplication.clipboard().setText(text)
        self.copied.emit(key)

    def clear(self) -> None:
        self.record = None
        self.partial = None
        self.image = None
        self.seconds = None
        self.kind = ""
        self._fields = []
        self.photo.clear()
        if self.grid_host is not None:
            self.fields_box.removeWidget(self.grid_host)
            self.grid_host.hide()
            self.grid_host.deleteLater()  # Qt owns it: freed on the next loop turn
        self.grid_host = None
        self.grid = None
        self._value_labels.clear()
        self._name_labels.clear()
        self._copy_buttons.clear()
        self.untrusted_label.hide()
        self.checks.clear()
        self.badge.reset()
        self.access_label.clear()
        self.problems_label.clear()
        self.problems_label.hide()  # empty, it still took a line under the fields

    def show_checks(self) -> None:
        self.tabs.setCurrentIndex(1)

    def _fill_checks(self) -> None:
        self.checks.clear()
        record = self.record
        verification = record.verification if record is not None else None
        if verification is None:
            return
        for check in verification.checks:
            item = self._check_item(check)
            self.checks.addTopLevelItem(item)
            if check.name == "dg1_dg13_consistency":
                for sub in record.consistency:
                    item.addChild(self._check_item(sub, sub=True))
                item.setExpanded(any(s.status == "fail" for s in record.consistency))

    def _check_item(self, check: Any, sub: bool = False) -> QTreeWidgetItem:
        name, status, detail = check.name, check.status, check.detail
        code = getattr(check, "code", "")
        reason = labels.reason_for(check, sub=sub)
        # a check that was not run and does not count (no current CRL while CRLs are not
        # required) is a note for staff, not a problem
        note = labels.is_note(check)
        item = QTreeWidgetItem([f"{labels.check_label(name)}  [{name}]",
                                labels.note_label() if note else labels.status_label(status),
                                reason])
        item.setData(0, Qt.ItemDataRole.UserRole, name)
        item.setData(1, Qt.ItemDataRole.UserRole, status)
        item.setData(2, Qt.ItemDataRole.UserRole, detail)
        item.setForeground(1, QBrush(QColor(labels.STATUS_COLOURS.get(status, "#000"))))
        # the library's English detail is the technical note, for support calls
        tip = self.tr("Technical detail: %1 (%2)").replace("%1", detail or "-").replace(
            "%2", code or name)
        for col in range(3):
            item.setToolTip(col, f"{reason}\n\n{tip}")
        return item

    # ------------------------------------------------------------------ language

    def retranslateUi(self) -> None:
        n = len(self.record.verification.checks) if self.record is not None and \
            self.record.verification is not None else 0
        self.tabs.setTabText(0, self.tr("Card data"))
        self.tabs.setTabText(1, self.tr("Checks (%1)").replace("%1", str(n)))
        self.checks.setHeaderLabels([self.tr("Check"), self.tr("Result"), self.tr("Reason")])
        self.untrusted_label.setText(self.tr(
            "⚠ NOT TRUSTWORTHY: this data failed the checks. Do not use it to identify the "
            "person; export and printing are off."))
        source = self.record if self.record is not None else self.partial
        if source is not None:
            fresh = record_fields(source)
            if fresh != self._fields:  # MRZ codes in words follow the language
                self._fields = fresh
                for key, shown in fresh:
                    target = self._value_labels.get(key)
                    if target is not None:
                        target.setText(labels.lifetime_text() if shown == labels.LIFETIME
                                       else shown)
        for key, label in self._name_labels.items():
            label.setText(labels.field_label(key, self.kind))
        for value in self._value_labels.values():
            if value.property("cardData") is False:
                value.setText(labels.lifetime_text())
        for button in self._copy_buttons.values():
            button.setToolTip(self.tr("Copy"))
        if self.partial is not None and self.record is None:
            self.photo.setText(self.tr("Reading the photo…"))
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
            text += " " + self.tr("Read in %1 s.").replace(
                "%1", QLocale().toString(self.seconds, "f", 2))
        self.access_label.setText(text.strip())
        notes: list[str] = []
        for name in record.errors:
            notes.append(self.tr("%1 could not be decoded.").replace("%1", name))
        if record.photo is not None and self.image is None:
            notes.append(self.tr("The photo could not be shown."))
        self.problems_label.setText("\n".join(notes))
        self.problems_label.setVisible(bool(notes))
        if record.photo is None and self.image is None:
            self.photo.setText(self.tr("No photo on the chip"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
