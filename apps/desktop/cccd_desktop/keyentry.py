"""Access-key entry: personal number, CAN, MRZ fields, and a keyboard-wedge QR field.

Validation happens here, before the card is touched: a chip may count wrong keys, and the
service deliberately tries a key only once, so a typo must be caught on screen, not on the chip.
"""

from __future__ import annotations

import datetime
import importlib
import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator, QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cccd_desktop.privacy import mask
from cccd_reader.access.key import AccessKey
from cccd_reader.access.lifetime import (
    LIFETIME_FALLBACK_EXPIRY,
    is_lifetime_expiry,
    lifetime_access_keys,
)
from cccd_reader.errors import CccdError

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


#: The far-date MRZ expiry of a lifetime card, tried after ``99MMDD`` of the birth date
#: (:mod:`cccd_reader.access.lifetime`).
LIFETIME_MRZ_EXPIRY = LIFETIME_FALLBACK_EXPIRY


class KeyValidator(QValidator):
    """Up to ``n`` digits, or anything with a '|': a keyboard-wedge QR scanner typing into a
    key field (its payload is routed to the QR parser on Enter, never cut to the first
    digits and sent as a wrong key)."""

    def __init__(self, n: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._n = n

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if "|" in text or (text.isdigit() and len(text) <= self._n) or text == "":
            return QValidator.State.Acceptable, text, pos
        if text[:1].isdigit() and len(text) <= 12 + 1:  # maybe the start of a QR payload
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos


def looks_like_qr(text: str) -> bool:
    return text.count("|") >= 2


def _digits(n: int) -> KeyValidator:
    return KeyValidator(n)


def date_to_yymmdd(text: str) -> str | None:
    """dd/mm/yyyy (as printed on Vietnamese cards) to the MRZ's YYMMDD; None if not a date."""
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) != 8:
        return None
    try:
        day = datetime.date(int(digits[4:8]), int(digits[2:4]), int(digits[0:2]))
    except ValueError:
        return None
    return f"{day:%y%m%d}"


def yymmdd_to_display(value: str, *, future: bool) -> str:
    """YYMMDD back to dd/mm/yyyy for the entry field; the century is a guess that does not
    matter (only YY goes into the key)."""
    if len(value) != 6 or not value.isdigit():
        return value
    yy = int(value[0:2])
    this = datetime.date.today().year % 100
    century = 2000 if (future or yy <= this) else 1900
    return f"{value[4:6]}/{value[2:4]}/{century + yy}"


class KeyEntry(QWidget):
    """Emits ``changed`` on every edit and ``submitted`` when staff press Enter."""

    changed = Signal()
    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget()
        # as tall as the largest tab, no taller: the QR field and Read button stay close
        self.tabs.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.personal_edit = QLineEdit()
        self.personal_edit.setValidator(_digits(12))
        self.can_edit = QLineEdit()
        self.can_edit.setValidator(_digits(6))
        self.doc_edit = QLineEdit()
        self.doc_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[A-Za-z0-9<]{0,22}")))
        dates = QRegularExpressionValidator(QRegularExpression(r"[0-9/.\- ]{0,10}"))
        self.birth_edit = QLineEdit()
        self.birth_edit.setValidator(dates)
        self.birth_edit.setPlaceholderText("dd/mm/yyyy")
        self.expiry_edit = QLineEdit()
        self.expiry_edit.setValidator(dates)
        self.expiry_edit.setPlaceholderText("dd/mm/yyyy")
        self.lifetime_check = QCheckBox()
        self.lifetime_check.toggled.connect(self._lifetime_toggled)
        self.personal_edit.returnPressed.connect(lambda: self._wedge(self.personal_edit))
        self.can_edit.returnPressed.connect(lambda: self._wedge(self.can_edit))
        for edit in self.edits():
            edit.textChanged.connect(self._edited)
            edit.returnPressed.connect(lambda e=edit: self._return_pressed(e))
            edit.setProperty("secret", True)  # keys never appear in screenshots of logs

        self.personal_label, self.can_label = QLabel(), QLabel()
        self.doc_label, self.birth_label, self.expiry_label = QLabel(), QLabel(), QLabel()
        self.personal_hint, self.can_hint, self.mrz_hint = QLabel(), QLabel(), QLabel()
        self.lifetime_hint = QLabel()
        for hint in (self.personal_hint, self.can_hint, self.mrz_hint, self.lifetime_hint):
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #555;")

        def page(rows: list[tuple[QLabel, QWidget]], hint: QLabel,
                 extra: tuple[QWidget, ...] = ()) -> QWidget:
            w = QWidget()
            form = QFormLayout(w)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
            for label, edit in rows:
                form.addRow(label, edit)
            for widget in extra:
                form.addRow(widget)
            form.addRow(hint)
            return w

        self.tabs.addTab(page([(self.personal_label, self.personal_edit)], self.personal_hint), "")
        self.tabs.addTab(page([(self.can_label, self.can_edit)], self.can_hint), "CAN")
        self.tabs.addTab(page([(self.doc_label, self.doc_edit), (self.birth_label,
                                self.birth_edit), (self.expiry_label, self.expiry_edit)],
                              self.mrz_hint, (self.lifetime_check, self.lifetime_hint)), "MRZ")
        self.tabs.currentChanged.connect(self._tab_changed)

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
        #: The last QR payload scanned (QRData), for the QR-vs-chip comparison; cleared with
        #: the key.
        self.qr_data: Any = None
        self._refused = False
        #: A lifetime card refused its first key (99MMDD): the key is now the second (991231).
        self._lifetime_refused: AccessKey | None = None
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
        self.birth_label.setText(self.tr("Date of birth (dd/mm/yyyy)"))
        self.expiry_label.setText(self.tr("Date of expiry (dd/mm/yyyy)"))
        self.mrz_hint.setText(self.tr("Dates as printed on the card. Vietnamese cards: the "
                                      "document number is the last 9 digits of the personal "
                                      "number. Needed for passports and older chips."))
        self.lifetime_check.setText(self.tr("No expiry (“Không thời hạn”)"))
        self.lifetime_hint.setText(self.tr("Lifetime cards: the chip key first uses the expiry "
                                           "as their MRZ writes it (year 99, the birth day and "
                                           "month), then 31/12/2099; never more than these "
                                           "two."))
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
            birth = date_to_yymmdd(self.birth_edit.text())
            if birth is not None and self.lifetime_check.isChecked():
                keys = lifetime_access_keys(self.doc_edit.text(), birth)
                if len(keys) > 1 and self._lifetime_refused == keys[0]:
                    return keys[1]
                return keys[0]
            expiry = date_to_yymmdd(self.expiry_edit.text())
            if birth is None or expiry is None:
                return None
            return AccessKey.from_document(self.doc_edit.text(), birth, expiry)
        except CccdError:
            return None

    def problem_text(self) -> str:
        """Why the key is not usable yet; empty when it is (or nothing was typed)."""
        tab = self.tabs.currentIndex()
        if any(looks_like_qr(e.text()) for e in (self.personal_edit, self.can_edit)):
            return self.tr("QR code scanned into the key field: press Enter to use it.")
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
            dates = [self.birth_edit]
            if not self.lifetime_check.isChecked():
                dates.append(self.expiry_edit)
            for edit in dates:
                digits = sum(c.isdigit() for c in edit.text())
                if (digits >= 8 and date_to_yymmdd(edit.text()) is None) or digits > 8:
                    return self.tr("Not a date: type day/month/year, e.g. 12/05/1990.")
                if edit.text() and digits < 8:
                    return self.tr("Type the date as day/month/year with 4-digit year, "
                                   "e.g. 12/05/1990.")
            fields = [self.doc_edit, *dates]
            if any(e.text() for e in fields) and not all(e.text() for e in fields):
                return self.tr("Fill in the document number and both dates.")
        return ""

    def try_lifetime_fallback(self, refused: AccessKey | None) -> bool:
        """The card refused ``refused``: when that was a lifetime card's first key (99MMDD of
        the birth date), switch to the second (991231) and say True, once; never a third."""
        if refused is None or not self.lifetime_check.isChecked() or self._lifetime_refused:
            return False
        birth = date_to_yymmdd(self.birth_edit.text())
        if birth is None:
            return False
        try:
            keys = lifetime_access_keys(self.doc_edit.text(), birth)
        except CccdError:
            return False
        if len(keys) < 2 or refused != keys[0]:
            return False
        self._lifetime_refused = keys[0]
        self.changed.emit()
        return True

    def set_refused(self, refused: bool) -> None:
        """The card refused the key now in the fields: say so until it is corrected."""
        if refused != self._refused:
            self._refused = refused
            self._refresh_problem()

    def _refresh_problem(self) -> None:
        text = self.problem_text()
        if not text and self._refused:
            text = self.tr("The card refused this key. Correct it: the same key is not sent "
                           "again.")
        self.problem.setText(text)
        self.problem.setVisible(bool(self.problem.text()))

    def _edited(self) -> None:
        self._lifetime_refused = None  # new fields: the first lifetime key comes first again
        self._refresh_problem()
        self.changed.emit()

    def _tab_changed(self, index: int) -> None:
        if index == TAB_MRZ:
            self.reuse_personal_number()
        self._edited()

    def reuse_personal_number(self) -> bool:
        """Vietnamese cards: the MRZ document number is the last 9 digits of the 12-digit
        personal number; fill it in when staff already typed (or scanned) the number."""
        number = self.personal_edit.text()
        if self.doc_edit.text() or len(number) != 12 or not number.isdigit():
            return False
        self.doc_edit.setText(number[-9:])
        return True

    def focus_key(self) -> None:
        """Put the cursor where the key goes: on launch, after a clear, on the shortcut."""
        tab = self.tabs.currentIndex()
        target = {TAB_PERSONAL: self.personal_edit, TAB_CAN: self.can_edit}.get(tab)
        if target is None:
            target = next((e for e in (self.doc_edit, self.birth_edit, self.expiry_edit)
                           if not e.text()), self.doc_edit)
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _lifetime_toggled(self, on: bool) -> None:
        self.expiry_edit.setEnabled(not on)
        self._edited()

    def _return_pressed(self, edit: QLineEdit) -> None:
        if looks_like_qr(edit.text()):
            return  # _wedge handles it
        self.submitted.emit()

    def _wedge(self, edit: QLineEdit) -> None:
        """A QR payload typed into a key field by a wedge scanner: parse it as a scan."""
        text = edit.text()
        if not looks_like_qr(text):
            return
        edit.blockSignals(True)
        edit.clear()
        edit.blockSignals(False)
        self.scan_text(text)

    def clear(self) -> None:
        """Forget the key (card removed or idle): it is part of the holder's ID number."""
        for edit in (*self.edits(), self.qr_edit):
            edit.blockSignals(True)
            edit.clear()
            edit.blockSignals(False)
        self.lifetime_check.blockSignals(True)
        self.lifetime_check.setChecked(False)
        self.lifetime_check.blockSignals(False)
        self.expiry_edit.setEnabled(True)
        self.qr_data = None
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
            self.birth_edit.setText(yymmdd_to_display(birth, future=False))
            if is_lifetime_expiry(expiry, birth):
                self.lifetime_check.setChecked(True)
            else:
                self.expiry_edit.setText(yymmdd_to_display(expiry, future=True))
            self.tabs.setCurrentIndex(TAB_MRZ)

    # ------------------------------------------------------------------ QR wedge

    def _qr_entered(self) -> None:
        text = self.qr_edit.text()
        self.qr_edit.clear()
        self.scan_text(text)

    def scan_text(self, text: str) -> bool:
        """Fill the key from a QR payload (wedge scanner, webcam); True when a key was found.

        Only the first field (the 12-digit personal number) is needed for the key; a
        US-layout wedge scanner cannot type Vietnamese letters, so a payload the full parser
        refuses still gives the key from that field (and no QR-vs-chip comparison).
        """
        if self._qr is None or not text.strip():
            return False
        parse, _keys = self._qr
        data: Any = None
        try:
            data = parse(text)
            number = str(getattr(data, "personal_number", "") or "")
        except Exception as exc:  # a bad scan is reported, never fatal
            log.info("QR payload not fully parsed: %s", type(exc).__name__)
            number = text.strip().split("|", 1)[0].strip()
        if len(number) != 12 or not number.isdigit():
            self._qr_message = "bad"
            self._show_qr_message()
            return False
        self.qr_data = data
        self.personal_edit.setText(number)
        self.doc_edit.setText(number[-9:])
        self.tabs.setCurrentIndex(TAB_PERSONAL)
        log.info("QR scanned for card %s", mask(number))
        self._qr_message = "ok" if data is not None else "partial"
        self._show_qr_message()
        self.submitted.emit()
        return True

    def _show_qr_message(self) -> None:
        if self._qr_message == "ok":
            self.qr_status.setText(self.tr("QR code read: key filled in."))
        elif self._qr_message == "partial":
            self.qr_status.setText(self.tr("QR code read: key filled in from the ID number "
                                           "(the rest of the code is unreadable, so it is not "
                                           "compared with the chip)."))
        elif self._qr_message == "bad":
            self.qr_status.setText(self.tr("This QR code is not from a Vietnamese ID card."))
        else:
            self.qr_status.setText("")
        self.qr_status.setVisible(self._qr is not None and bool(self._qr_message))
