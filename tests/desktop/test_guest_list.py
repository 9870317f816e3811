"""The shift's guest list: add after a read, survives the card view's clearing, exports the
portal's two workbooks, clears on request and with the window."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from cccd_desktop.state import State
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QLabel, QPushButton, QScrollArea

from tests.desktop.conftest import read_to_end


def test_add_keep_export_clear(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    window = make_window()
    bar = window.guest_bar
    assert len(bar.guests) == 0 and not bar.add_button.isEnabled()
    assert not bar.export_button.isEnabled() and not bar.clear_button.isEnabled()
    read_to_end(qtbot, window)
    assert window.flow.state is State.RESULT
    assert bar.add_button.isEnabled()
    bar.arrival_edit.setDate(QDate(2026, 12, 1))
    bar.departure_edit.setDate(QDate(2026, 12, 3))
    bar.room_edit.setText("0205")
    bar.reason_combo.setCurrentIndex(bar.reason_combo.findData("1"))
    bar.add_button.click()
    assert len(bar.guests) == 1
    assert bar.count_label.text() == "Danh sách khách: 1"

    # the card view's clearing (next customer, idle) never touches the list
    window.next_customer()
    assert window.result_view.record is None and len(bar.guests) == 1
    assert not bar.add_button.isEnabled()  # nothing on screen to add
    window.remove_card()
    qtbot.waitUntil(lambda: window.flow.state is State.WAITING_CARD, timeout=5000)
    read_to_end(qtbot, window)
    window._idle_expired()
    assert window.result_view.record is None and len(bar.guests) == 1

    folders: list[str] = []
    bar.dir_dialog = lambda parent, caption: folders.append(caption) or str(tmp_path)
    questions: list[str] = []
    bar.confirm = lambda parent, question: questions.append(question) is not None
    result = bar.export_workbooks()
    assert result is not None and folders
    target = tmp_path / "luu-tru-viet-nam.xlsx"
    assert [f.path for f in result.files] == [target]
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    sheet = openpyxl.load_workbook(target)["DS_KHACH_VIET_NAM_LUU_TRU"]
    assert sheet["B5"].value == "NGUYỄN THỊ NGỌC ÁNH"
    assert (sheet["N5"].value, sheet["O5"].value) == ("01/12/2026", "03/12/2026")
    assert (sheet["P5"].value, sheet["Q5"].value) == ("0205", "1 - Du lịch")
    # the card's pre-2025 ward was split: the note says a cell needs checking, the tooltip why
    assert "1" in bar.note_label.text() and "101900235" in bar.note_label.toolTip()

    # existing workbooks are replaced only after the clerk agrees
    bar.confirm = lambda parent, question: False
    assert bar.export_workbooks() is None
    bar.confirm = lambda parent, question: True
    assert bar.export_workbooks() is not None

    bar.clear_button.click()
    assert len(bar.guests) == 0 and not bar.export_button.isEnabled()
    assert bar.count_label.text() == "Danh sách khách: 0"


def test_the_list_goes_with_the_window(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    read_to_end(qtbot, window)
    assert window.guest_bar.add_current()
    guests = window.guest_bar.guests
    window.close()
    assert len(guests) == 0


def test_no_guest_register_export_left(qtbot: Any, make_window: Any) -> None:
    window = make_window(lang="en")
    texts = [a.text() for a in window.export_menu.actions()]
    assert not any("Guest register" in t for t in texts)
    assert not hasattr(window, "export_guest_register")


@pytest.mark.parametrize("lang", ["vi", "en", "vi-then-en"])
def test_the_bar_fits_a_1366x768_counter_screen(qtbot: Any, make_window: Any,
                                                lang: str) -> None:
    """Every control of the bar gets the width its text needs (one row cut every button short
    in Vietnamese; the residence list kept its Vietnamese width after a switch to English),
    and the bar leaves a 2021 card's 15 fields on screen without scrolling."""
    window = make_window(lang=lang[:2])
    read_to_end(qtbot, window)
    if lang == "vi-then-en":
        window.set_language("en")
        qtbot.waitUntil(lambda: window.guest_bar.add_button.text() == "Add to guest list")
    bar = window.guest_bar
    bar.add_current()  # the note is on screen too
    qtbot.wait(50)
    assert window.width() == 1366 and window.height() == 768
    controls = [w for kind in (QPushButton, QLabel, QComboBox, QDateEdit)
                for w in bar.findChildren(kind)]
    assert len(controls) == 11
    for w in controls:
        if not w.isVisible():
            continue
        # measured afresh: a combo's own size hint can be a stale one, cached at first show
        text = w.currentText() if isinstance(w, QComboBox) else getattr(w, "text", str)()
        need = w.fontMetrics().horizontalAdvance(text)
        if isinstance(w, QComboBox):
            fresh = QComboBox()
            fresh.addItems([w.itemText(i) for i in range(w.count())])
            need = fresh.sizeHint().width()
            fresh.deleteLater()
        assert w.width() >= max(w.sizeHint().width(), need), (type(w).__name__, text)
    fields = [s for s in window.result_view.findChildren(QScrollArea) if s.isVisible()]
    assert fields and all(s.verticalScrollBar().maximum() == 0 for s in fields)


def test_an_unverified_card_fits_beside_the_bar(qtbot: Any, make_window: Any,
                                                monkeypatch: Any) -> None:
    """The normal Vietnamese case without trust anchors: the tall "? CHƯA XÁC MINH" badge, the
    2021 card's 15 fields and the whole photo fit at 1366x768 with the bar, on a counter PC
    (no demo banner)."""
    from cccd_desktop import backend

    monkeypatch.setattr(backend, "demo_trust_paths", lambda: [])
    window = make_window()
    window.demo_bar.hide()
    read_to_end(qtbot, window)
    assert window.result_view.badge.verdict == "unverified"
    qtbot.wait(50)
    fields = [s for s in window.result_view.findChildren(QScrollArea) if s.isVisible()]
    assert fields and all(s.verticalScrollBar().maximum() == 0 for s in fields)
    photo = window.result_view.photo
    assert photo.visibleRegion().boundingRect().height() == photo.height() == 400
