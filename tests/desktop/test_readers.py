"""Reader choice from PC/SC events (fed directly: no pcscd needed) and the settings dialog."""

from __future__ import annotations

from typing import Any

from cccd_desktop.settings import SettingsDialog
from cccd_desktop.state import State

from cccd_reader.service import ReaderEvent

PICC = "ACS ACR1281 1S Dual Reader PICC 00 01"
SAM = "ACS ACR1281 1S Dual Reader SAM 00 02"
OTHER = "HID Global OMNIKEY 5022 Smart Card Reader 00 00"


def test_only_contactless_reader_is_chosen(make_window: Any) -> None:
    window = make_window(dump=None, start=False)
    assert window.flow.state is State.NO_READER
    assert window.message_title.text() == "Chưa có đầu đọc"
    window.bridge(ReaderEvent("reader_added", SAM))
    window.bridge(ReaderEvent("reader_added", PICC))
    assert window.reader == PICC
    assert window.flow.state is State.WAITING_CARD
    window.bridge(ReaderEvent("card_present", SAM))  # a SAM in the contact slot: ignored
    assert window.flow.state is State.WAITING_CARD
    window.bridge(ReaderEvent("card_present", PICC))
    assert window.flow.state is State.NEED_KEY  # no key typed: nothing is sent to the card
    window.bridge(ReaderEvent("card_removed", PICC))
    window.bridge(ReaderEvent("reader_removed", PICC))
    assert window.flow.state is State.NO_READER


def test_several_contactless_readers_need_a_pick(make_window: Any, settings: Any) -> None:
    window = make_window(dump=None, start=False)
    window.bridge(ReaderEvent("reader_added", PICC))
    assert window.reader == PICC  # the only one: taken
    window.bridge(ReaderEvent("reader_added", OTHER))
    # a second one appears (pcscd lists readers one by one): the app must ask, not keep
    # whichever came first
    assert window.reader is None
    assert window.flow.state is State.NO_READER
    assert window.message_title.text() == "Hãy chọn đầu đọc"
    choices = [b.text() for b in window._reader_buttons]
    assert choices == [PICC, OTHER]
    window._reader_buttons[1].click()
    assert window.reader == OTHER
    assert settings.reader == OTHER
    assert window.flow.state is State.WAITING_CARD
    # the choice is kept while both stay connected, and survives the other one leaving
    window.bridge(ReaderEvent("reader_removed", PICC))
    window.bridge(ReaderEvent("reader_added", PICC))
    assert window.reader == OTHER
    settings.reader = ""
    window2 = make_window(dump=None, start=False)
    window2._readers = [PICC, OTHER]
    window2._choose_reader()
    assert window2.reader is None
    assert window2.message_title.text() == "Hãy chọn đầu đọc"
    assert window2.reader_combo.isEnabled()
    window2.reader_combo.setCurrentIndex(window2.reader_combo.findData(OTHER))
    window2.reader_combo.activated.emit(window2.reader_combo.currentIndex())
    assert window2.reader == OTHER
    assert settings.reader == OTHER


def test_monitor_error_is_shown(make_window: Any) -> None:
    window = make_window(dump=None, start=False)
    window.bridge(ReaderEvent("error", detail="PC/SC is not available (is pcscd running?)"))
    # in Vietnamese: no English on the screen, the monitor's text is the technical tooltip
    assert window.message_detail.text() == (
        "Dịch vụ đầu đọc thẻ (pcscd) chưa chạy hoặc không kết nối được.")
    assert window.message_detail.toolTip() == "PC/SC is not available (is pcscd running?)"


def test_settings_dialog_round_trip(qtbot: Any, make_window: Any, settings: Any) -> None:
    window = make_window()
    dialog = SettingsDialog(settings, [PICC], window)
    qtbot.addWidget(dialog)
    dialog.idle_spin.setValue(30)
    dialog.sound_check.setChecked(True)
    dialog.trust_list.addItem("/nonexistent/trust")
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    dialog.apply()
    window.apply_settings()
    assert (settings.idle_seconds, settings.sound, settings.language) == (30, True, "en")
    assert settings.trust_paths == ["/nonexistent/trust"]
    # a broken trust path degrades to "not loaded", it does not stop the counter
    qtbot.waitUntil(lambda: window.trust_info is not None
                    and window.trust_info.paths[:1] == ("/nonexistent/trust",), timeout=20000)
    assert window.trust is None
    assert "not loaded" in window.trust_label.text()
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Settings", timeout=1000)


def test_qr_field_follows_the_qr_layer(make_window: Any) -> None:
    window = make_window()
    entry = window.key_entry
    assert entry.qr_edit.isVisibleTo(window) == entry.qr_available
    assert entry.qr_available, "the QR layer ships with the package"
    entry.qr_edit.setText("001190012345|013579246|Nguyễn Thị Ngọc Ánh|12051990|Nữ|"
                          "Số 18 Ngõ 72 Thái Hà, Trung Liệt, Đống Đa, Hà Nội|10042021")
    entry.qr_edit.returnPressed.emit()
    key = entry.key()
    assert key is not None and key.can == "012345"
