"""Access-key entry: personal number, CAN, MRZ fields, and a keyboard-wedge QR field.

Validation happens here, before the card is touched: a chip may count wrong keys, and the
service deliberately tries a key only once, so a typo must be caught on screen, not on the chip.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from PySide6.QtCore import QEvent, QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cccd_desktop.privacy import mask
from cccd_reader.errors import CccdError
from cccd_reader.reader import AccessKey

log = logging.getLogger(__name__)

TAB_PERSONAL, TAB_CAN, TAB_MRZ = range(3)


def _qr_api() -> tuple[Any, Any] | None:
    """(parse_payload, access_keys_from_qr) when the QR layer is installed, else None."""
    try:
        payload = importlib.import_module("cccd_reader.qr.payload")
        qr = importlib.import_module("cccd_reader.qr")
        keys_fn = getattr(qr, "access_keys_from_qr", None) or getattr(
            payload, "access_keys_from_qr", None)
        parse = payload.parse_payload
    except (ImportError, AttributeError):
        return None
    return (parse, keys_fn) if keys_fn is not None else None


def _digits(n: int) -> QRegularExpressionValidator:
    return QRegularExpressionValidator(QRegularExpression(rf"\d{{0,{n}}}"))


class KeyEntry(QWidget):
    """Emits ``changed`` on every edit and ``submitted`` when staff press Enter."""

    changed = Signal()
    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget()
        self.personal_edit = QLineEdit()
        self.personal_edit.setValidator(_digits(12))
        self.can_edit = QLineEdit()
        self.can_edit.setValidator(_digits(6))
        self.doc_edit = QLineEdit()
        self.doc_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[A-Za-z0-9<]{0,22}")))
        self.birth_edit = QLineEdit()
        self.birth_edit.setValidator(_digits(6))
        self.expiry_edit = QLineEdit()
        self.expiry_edit.setValidator(_digits(6))
        for edit in self.edits():
            edit.textChanged.connect(self._edited)
            edit.returnPressed.connect(self.submitted)
            edit.setProperty("secret", True)  # keys never appear in screenshots of logs

        self.personal_label, self.can_label = QLabel(), QLabel()
        self.doc_label, self.birth_label, self.expiry_label = QLabel(), QLabel(), QLabel()
        self.personal_hint, self.can_hint, self.mrz_hint = QLabel(), QLabel(), QLabel()
        for hint in (self.personal_hint, self.can_hint, self.mrz_hint):
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #555;")

        def page(rows: list[tuple[QLabel, QLineEdit]], hint: QLabel) -> QWidget:
            w = QWidget()
            form = QFormLayout(w)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
            for label, edit in rows:
                form.addRow(label, edit)
            form.addRow(hint)
            return w

        self.tabs.addTab(page([(self.personal_label, self.personal_edit)], self.personal_hint), "")
        self.tabs.addTab(page([(self.can_label, self.can_edit)], self.can_hint), "CAN")
        self.tabs.addTab(page([(self.doc_label, self.doc_edit), (self.birth_label,
                                self.birth_edit), (self.expiry_label, self.expiry_edit)],
                              self.mrz_hint), "MRZ")
        self.tabs.currentChanged.connect(lambda _i: self._edited())

        self.qr_label = QLabel()
        self.qr_edit = QLineEdit()
        self.qr_edit.returnPressed.connect(self._qr_entered)
        self.qr_status = QLabel()
        self.qr_status.setWordWrap(True)
        self._qr = _qr_api()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        layout.addWidget(self.qr_label)
        layout.addWidget(self.qr_edit)
        layout.addWidget(self.qr_status)
        layout.addWidget(self.problem)
        for w in (self.qr_label, self.qr_edit, self.qr_status):
            w.setVisible(self._qr is not None)
        self._qr_message = ""
        self.retranslateUi()

    def edits(self) -> tuple[QLineEdit, ...]:
        return (self.personal_edit, self.can_edit, self.doc_edit, self.birth_edit,
                self.expiry_edit)

    @property
    def qr_available(self) -> bool:
        return self._qr is not None

    def retranslateUi(self) -> None:
        self.tabs.setTabText(TAB_PERSONAL, self.tr("ID number"))
        self.personal_label.setText(self.tr("Personal number (12 digits)"))
        self.personal_hint.setText(self.tr("Vietnamese cards: the chip opens with the last "
                                           "6 digits (the CAN)."))
        self.can_label.setText(self.tr("Card access number (6 digits)"))
        self.can_hint.setText(self.tr("Printed on the card; on CCCD cards it is the last "
                                      "6 digits of the personal number."))
        self.doc_label.setText(self.tr("Document number"))
        self.birth_label.setText(self.tr("Date of birth (YYMMDD)"))
        self.expiry_label.setText(self.tr("Date of expiry (YYMMDD)"))
        self.mrz_hint.setText(self.tr("From the machine-readable zone on the back; needed for "
                                      "passports and older chips."))
        self.qr_label.setText(self.tr("Scan the QR code on the card"))
        self.qr_edit.setPlaceholderText(self.tr("QR scanner input"))
        self._refresh_problem()
        self._show_qr_message()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    # ------------------------------------------------------------------ the key

    def key(self) -> AccessKey | None:
        """The key on the current tab, or None while it is incomplete or invalid."""
        try:
            tab = self.tabs.currentIndex()
            if tab == TAB_PERSONAL:
                return AccessKey.from_personal_number(self.personal_edit.text())
            if tab == TAB_CAN:
                return AccessKey.from_can(self.can_edit.text())
            return AccessKey.from_document(
                self.doc_edit.text(), self.birth_edit.text(), self.expiry_edit.text())
        except CccdError:
            return None

    def problem_text(self) -> str:
        """Why the key is not usable yet; empty when it is (or nothing was typed)."""
        tab = self.tabs.currentIndex()
        if tab == TAB_PERSONAL:
            text = self.personal_edit.text()
            if text and len(text) != 12:
                return self.tr("The personal number has 12 digits (%1 typed).").replace(
                    "%1", str(len(text)))
        elif tab == TAB_CAN:
            text = self.can_edit.text()
            if text and len(text) != 6:
                return self.tr("The CAN has 6 digits (%1 typed).").replace("%1", str(len(text)))
        else:
            for edit in (self.birth_edit, self.expiry_edit):
                if edit.text() and len(edit.text()) != 6:
                    return self.tr("Dates are 6 digits: year, month, day (YYMMDD).")
            if any(e.text() for e in (self.doc_edit, self.birth_edit, self.expiry_edit)) and \
                    not all(e.text() for e in (self.doc_edit, self.birth_edit, self.expiry_edit)):
                return self.tr("Fill in the document number and both dates.")
        return ""

    def _refresh_problem(self) -> None:
        self.problem.setText(self.problem_text())
        self.problem.setVisible(bool(self.problem.text()))

    def _edited(self) -> None:
        self._refresh_problem()
        self.changed.emit()

    def clear(self) -> None:
        """Forget the key (card removed or idle): it is part of the holder's ID number."""
        for edit in (*self.edits(), self.qr_edit):
            edit.blockSignals(True)
            edit.clear()
            edit.blockSignals(False)
        self._qr_message = ""
        self._show_qr_message()
        self._edited()

    def prefill(self, can: str | None = None, document_number: str | None = None,
                birth: str | None = None, expiry: str | None = None) -> None:
        if can:
            self.can_edit.setText(can)
            self.tabs.setCurrentIndex(TAB_CAN)
        elif document_number and birth and expiry:
            self.doc_edit.setText(document_number)
            self.birth_edit.setText(birth)
            self.expiry_edit.setText(expiry)
            self.tabs.setCurrentIndex(TAB_MRZ)

    # ------------------------------------------------------------------ QR wedge

    def _qr_entered(self) -> None:
        text = self.qr_edit.text()
        self.qr_edit.clear()
        if self._qr is None or not text.strip():
            return
        parse, keys_fn = self._qr
        try:
            data = parse(text)
            keys = keys_fn(data)
        except Exception as exc:  # a bad scan is reported, never fatal
            log.info("QR payload rejected: %s", type(exc).__name__)
            self._qr_message = "bad"
            self._show_qr_message()
            return
        if isinstance(keys, AccessKey):
            keys = [keys]
        number = getattr(data, "personal_number", None)
        if number and len(str(number)) == 12:
            self.personal_edit.setText(str(number))
            self.tabs.setCurrentIndex(TAB_PERSONAL)
        else:
            key = next((k for k in keys or [] if isinstance(k, AccessKey)), None)
            if key is not None and key.can:
                self.can_edit.setText(key.can)
                self.tabs.setCurrentIndex(TAB_CAN)
        log.info("QR scanned for card %s", mask(str(number) if number else None))
        self._qr_message = "ok"
        self._show_qr_message()
        self.submitted.emit()

    def _show_qr_message(self) -> None:
        if self._qr_message == "ok":
            self.qr_status.setText(self.tr("QR code read: key filled in."))
        elif self._qr_message == "bad":
            self.qr_status.setText(self.tr("This QR code is not from a Vietnamese ID card."))
        else:
            self.qr_status.setText("")
        self.qr_status.setVisible(self._qr is not None and bool(self._qr_message))
