"""The shift's guest list: reads added one by one, exported as the portal's two workbooks.

A lodging establishment declares its guests by uploading the police portal's workbooks
(:mod:`cccd_reader.lodging`). The clerk adds each guest after a read, with the stay (arrival,
expected departure, room, reason) that is filled in on the bar: it stays filled, so a group
shares it and a single guest changes it before adding. The list lives in memory only: the card
view's clearing (next customer, idle, removal) never touches it; it is shown with its count,
cleared on request, and gone when the app exits unless the clerk exported it. Export writes
both workbooks into a folder the clerk chooses (0600, never through a symlink; replacing
existing files only after the clerk agrees).
"""

from __future__ import annotations

import datetime
import inspect
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cccd_reader.errors import CccdError

log = logging.getLogger("cccd_desktop")

# (parent, caption) -> the chosen folder, or "" when cancelled.
DirDialog = Callable[[QWidget | None, str], str]
# (parent, question) -> True when the clerk agrees to replace existing workbooks.
Confirm = Callable[[QWidget | None, str], bool]


def qt_dir_dialog(parent: QWidget | None, caption: str) -> str:
    return str(QFileDialog.getExistingDirectory(
        parent, caption, "", QFileDialog.Option.DontUseNativeDialog
        | QFileDialog.Option.ShowDirsOnly))


def qt_confirm(parent: QWidget | None, question: str) -> bool:
    answer = QMessageBox.question(parent, "", question)
    return answer == QMessageBox.StandardButton.Yes


@dataclass(frozen=True)
class GuestEntry:
    """One guest: the record as read, and the stay entered for it."""

    record: Any
    stay: Any  # cccd_reader.lodging.Stay


class GuestList(QObject):
    """The guests added during the shift (memory only)."""

    changed = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[GuestEntry] = []

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, record: Any, stay: Any) -> None:
        self._entries.append(GuestEntry(record, stay))
        self.changed.emit(len(self._entries))

    def clear(self) -> None:
        if self._entries:
            log.info("guest list cleared")
        self._entries.clear()
        self.changed.emit(0)

    def export(self, folder: str | Path, *, force: bool = False) -> Any:
        """Both workbooks (those with guests) into ``folder``: a
        :class:`cccd_reader.lodging.ExportResult`."""
        from cccd_reader.lodging import export, guest_row, load

        books = load()
        rows = [guest_row(e.record, e.stay, books) for e in self._entries]
        result = export(rows, folder, force=force, books=books)
        log.info("guest list exported: %d guests", len(rows))
        return result


class GuestListBar(QFrame):
    """The bar under the card view: the stay to apply, add, count, export, clear."""

    def __init__(self, record_provider: Callable[[], Any], languages: Any,
                 parent: QWidget | None = None) -> None:
        """``record_provider`` gives the record on screen that may be exported (None
        otherwise); a bound method is held weakly, so the bar keeps no window alive.
        ``languages`` is the app's :class:`~cccd_desktop.i18n.Languages` (flag messages)."""
        super().__init__(parent)
        self._provider: Callable[[], Any] = (
            weakref.WeakMethod(record_provider)
            if inspect.ismethod(record_provider) else lambda: record_provider)
        self.languages = languages
        self.setObjectName("guestListBar")
        self.setStyleSheet("#guestListBar { border-top: 1px solid #c8cdd6; }")
        self.dir_dialog: DirDialog = qt_dir_dialog
        self.confirm: Confirm = qt_confirm
        self.guests = GuestList(self)
        self.guests.changed.connect(self._refresh)
        self.last_result: Any = None
        self._can_add = False
        self._note: tuple[str, int, int] | None = None

        from cccd_reader.lodging import VIETNAM, load

        self._reasons = load()[VIETNAM].list("reason")
        # Two rows: the stay and the add button that applies it, then the list (count, note,
        # export, clear). One row needs ~1,600 px in Vietnamese: at 1366x768 every button was
        # cut short (tests/desktop/test_guest_list.py measures it).
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 2, 0, 0)
        rows.setSpacing(1)
        stay_row = QHBoxLayout()
        list_row = QHBoxLayout()
        rows.addLayout(stay_row)
        rows.addLayout(list_row)
        self.count_label = QLabel()
        self.count_label.setObjectName("guestCount")
        self.arrival_label = QLabel()
        self.arrival_edit = QDateEdit(QDate.currentDate())
        self.departure_label = QLabel()
        self.departure_edit = QDateEdit(QDate.currentDate().addDays(1))
        for edit in (self.arrival_edit, self.departure_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.room_edit = QLineEdit()
        self.room_edit.setMaxLength(64)
        self.room_edit.setFixedWidth(90)
        self.reason_combo = QComboBox()
        self.reason_combo.addItem("", "")
        for code in self._reasons:
            self.reason_combo.addItem(code.display, code.code)
        self.reason_text_edit = QLineEdit()
        self.reason_text_edit.setMaxLength(255)
        self.reason_text_edit.setFixedWidth(140)
        self.residence_combo = QComboBox()
        # its texts change with the language: measured again each time, not on first show
        self.residence_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.add_button = QPushButton()
        self.add_button.setObjectName("addGuest")
        self.add_button.clicked.connect(self.add_current)
        self.export_button = QPushButton()
        self.export_button.setObjectName("exportGuests")
        self.export_button.clicked.connect(self.export_workbooks)
        self.clear_button = QPushButton()
        self.clear_button.setObjectName("clearGuests")
        self.clear_button.clicked.connect(self.guests.clear)
        self.note_label = QLabel()
        self.note_label.setObjectName("guestNote")
        for w in (self.arrival_label, self.arrival_edit, self.departure_label,
                  self.departure_edit, self.room_edit, self.reason_combo,
                  self.reason_text_edit, self.residence_combo, self.add_button):
            stay_row.addWidget(w)
        stay_row.addStretch(1)
        list_row.addWidget(self.count_label)
        list_row.addSpacing(16)
        list_row.addWidget(self.note_label, 1)
        list_row.addWidget(self.export_button)
        list_row.addWidget(self.clear_button)
        self.retranslate()

    # ------------------------------------------------------------------ stay and adding

    def stay(self) -> Any:
        from cccd_reader.lodging import Stay

        arrival = self.arrival_edit.date().toPython()
        departure = self.departure_edit.date().toPython()
        assert isinstance(arrival, datetime.date) and isinstance(departure, datetime.date)
        return Stay(arrival=arrival, departure=max(departure, arrival),
                    room=self.room_edit.text().strip(),
                    reason=str(self.reason_combo.currentData() or ""),
                    reason_text=self.reason_text_edit.text().strip(),
                    residence_kind=str(self.residence_combo.currentData() or ""))

    def set_can_add(self, can: bool) -> None:
        self._can_add = can
        self._refresh(len(self.guests))

    def add_current(self) -> bool:
        """Add the record on screen (only one that passed the checks) with the bar's stay."""
        provider = self._provider()
        record = provider() if provider is not None else None
        if record is None:
            return False
        self.guests.add(record, self.stay())
        self._note = ("added", len(self.guests), 0)
        self._render_note()
        return True

    # ------------------------------------------------------------------ export

    def export_workbooks(self) -> Any:
        """Ask for a folder and write both workbooks; None when nothing was written."""
        if not len(self.guests):
            return None
        folder = self.dir_dialog(self, self.tr("Folder for the lodging workbooks"))
        if not folder:
            return None
        from cccd_reader.lodging import FOREIGN, VIETNAM, load

        books = load()
        names = [books[k].layout.output for k in (VIETNAM, FOREIGN)]
        force = False
        if any((Path(folder) / n).exists() for n in names):
            if not self.confirm(self, self.tr("The folder already holds guest workbooks. "
                                              "Replace them?")):
                return None
            force = True
        try:
            result = self.guests.export(folder, force=force)
        except CccdError as exc:
            self._note = ("error", 0, 0)
            self.note_label.setToolTip(str(exc))
            self._render_note()
            return None
        self.last_result = result
        self._note = ("exported", sum(f.rows for f in result.files), len(result.flags))
        self.note_label.setToolTip("\n".join(
            f"{f.file.name} {f.column}{f.row} ({f.header}): "
            f"{f.flag.message(str(self.languages.code))}"
            + (" — " + "; ".join(f.flag.candidates) if f.flag.candidates else "")
            for f in result.flags))
        self._render_note()
        return result

    # ------------------------------------------------------------------ text

    def _refresh(self, count: int) -> None:
        self.count_label.setText(self.tr("Guest list: %1").replace("%1", str(count)))
        self.add_button.setEnabled(self._can_add)
        self.export_button.setEnabled(count > 0)
        self.clear_button.setEnabled(count > 0)
        if count == 0 and self._note is not None and self._note[0] == "added":
            self._note = None
            self._render_note()

    def _render_note(self) -> None:
        if self._note is None:
            self.note_label.setText("")
            return
        kind, n, flags = self._note
        if kind == "added":
            text = self.tr("Added (%1 in the list)").replace("%1", str(n))
        elif kind == "exported":
            text = self.tr("%1 guests written; %2 cells to check (hover for details)") \
                .replace("%1", str(n)).replace("%2", str(flags))
        else:
            text = self.tr("The workbooks could not be written (hover for details)")
        self.note_label.setText(text)

    def retranslate(self) -> None:
        self.arrival_label.setText(self.tr("Arrival"))
        self.departure_label.setText(self.tr("Departure"))
        self.room_edit.setPlaceholderText(self.tr("Room"))
        self.reason_combo.setItemText(0, self.tr("Reason…"))
        self.reason_text_edit.setPlaceholderText(self.tr("Reason in words"))
        self.reason_text_edit.setToolTip(self.tr("Required with the reason "
                                                 "\"20 - Mục đích khác\""))
        current = self.residence_combo.currentIndex()
        self.residence_combo.clear()
        self.residence_combo.addItem(self.tr("2024 card: residence kind later"), "")
        self.residence_combo.addItem(self.tr("2024 card: permanent"), "1")
        self.residence_combo.addItem(self.tr("2024 card: temporary"), "2")
        self.residence_combo.addItem(self.tr("2024 card: other"), "3")
        self.residence_combo.setCurrentIndex(max(current, 0))
        self.add_button.setText(self.tr("Add to guest list"))
        self.add_button.setToolTip(self.tr("With the arrival, departure, room and reason "
                                           "on the left"))
        self.export_button.setText(self.tr("Export workbooks…"))
        self.export_button.setToolTip(self.tr("The police portal's two workbooks: Vietnamese "
                                              "citizens and foreigners"))
        self.clear_button.setText(self.tr("Clear list"))
        self._refresh(len(self.guests))
        self._render_note()
