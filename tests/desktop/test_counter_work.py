"""Daily counter work (issue 19, items 9-19 and the speed items): language, wording, key entry,
layout, keeping data, copy/print/shortcuts, exports, history, webcam QR, name before photo."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from cccd_desktop import backend, export
from cccd_desktop.settings import SettingsDialog
from cccd_desktop.state import State
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox

from cccd_reader.access.key import AccessKey
from tests.desktop.conftest import SAMPLE, FakeSaveDialog, read_to_end

SAMPLES = SAMPLE.parent
LIFETIME = SAMPLES / "vn-cccd-2021-le-thi-thu-huong-lifetime"
CARD_2024 = SAMPLES / "vn-cancuoc-2024-dang-huu-phuoc"
PASSPORT = SAMPLES / "passport-utopia-td3"
QR_TEXT = ("001190012345|013579246|Nguyễn Thị Ngọc Ánh|12051990|Nữ|"
           "Số 18 Ngõ 72 Thái Hà, Trung Liệt, Đống Đa, Hà Nội|10042021")


def _tree(view: Any) -> dict[str, Any]:
    out = {}
    stack = [view.checks.topLevelItem(i) for i in range(view.checks.topLevelItemCount())]
    while stack:
        item = stack.pop()
        out[item.data(0, 256)] = item
        stack += [item.child(i) for i in range(item.childCount())]
    return out


# ------------------------------------------------------------------ 9: no English in vi mode

def test_check_reasons_and_qt_strings_are_vietnamese(qtbot: Any, make_window: Any) -> None:
    window = make_window(dump=LIFETIME)
    read_to_end(qtbot, window)
    items = _tree(window.result_view)
    assert "clone_detection" in items
    assert items["clone_detection"].text(0).startswith("Kiểm tra chống sao chép chip")
    for name, item in items.items():
        reason = item.text(2)
        assert reason and reason != item.data(2, 256), name  # not the library's English
        assert any(ord(c) > 127 for c in reason), (name, reason)
    # Qt's own strings: there is no qtbase_vi in PySide6, ours fills the gap
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Hủy"
    assert QCoreApplication.translate("QLineEdit", "Select All") == "Chọn tất cả"
    assert QCoreApplication.translate("QWidgetTextControl", "&Copy") == "&Sao chép"
    assert QCoreApplication.translate("QFileDialog", "File &name:") == "&Tên tệp:"
    dialog = SettingsDialog(window.settings, [], window)
    qtbot.addWidget(dialog)
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Hủy"
    assert "giây" in window.privacy_label.text()


def test_passport_codes_and_seconds_in_words(qtbot: Any, make_window: Any) -> None:
    window = make_window(dump=PASSPORT)
    read_to_end(qtbot, window)
    view = window.result_view
    assert view.value("sex") == "Nữ"  # not "F"
    assert view.value("issuing_state") == "Utopia, mẫu của ICAO (UTO)"  # not "UTO"
    assert view.value("document_kind") == "Hộ chiếu"
    assert view._name_labels["personal_number"].text() == "Số cá nhân"
    # decimal comma in Vietnamese: "0,03 giây", not "0.03 giây"
    text = view.access_label.text()
    seconds = text.split("Đọc trong ")[1] if "Đọc trong " in text else text
    assert "," in seconds and "." not in seconds.split(" ")[0], text
    window.set_language("en")
    qtbot.wait(10)
    assert view.value("sex") == "Female"


# ------------------------------------------------------------------ 10: wording and labels

def test_each_card_generation_is_labelled_as_it_prints(qtbot: Any, make_window: Any) -> None:
    window = make_window(dump=CARD_2024)
    read_to_end(qtbot, window)
    names = {k: lb.text() for k, lb in window.result_view._name_labels.items()}
    assert names["place_of_residence"] == "Nơi cư trú"
    assert names["place_of_origin"] == "Nơi đăng ký khai sinh"
    assert window.result_view.value("document_kind") == "Thẻ căn cước (2024)"
    window2 = make_window()
    read_to_end(qtbot, window2)
    names = {k: lb.text() for k, lb in window2.result_view._name_labels.items()}
    assert names["place_of_residence"] == "Nơi thường trú"
    assert names["place_of_origin"] == "Quê quán"
    assert window2.result_view.value("document_kind") == "Căn cước công dân gắn chip (2021)"


def test_protocol_message_says_section_not_card(qtbot: Any, make_window: Any) -> None:
    window = make_window(dump=PASSPORT)
    window.key_entry.clear()
    window.key_entry.tabs.setCurrentIndex(1)
    window.key_entry.can_edit.setText("123456")
    read_to_end(qtbot, window)
    assert window.flow.state is State.ERROR
    assert "mục MRZ" in window.message_body.text()
    assert "thẻ MRZ" not in window.message_body.text()


# ------------------------------------------------------------------ 11: key entry

def test_mrz_dates_as_printed_and_lifetime(make_window: Any) -> None:
    window = make_window(dump=None, start=False)
    entry = window.key_entry
    entry.tabs.setCurrentIndex(2)
    entry.doc_edit.setText("L898902C3")
    entry.birth_edit.setText("12/08/1974")
    entry.expiry_edit.setText("15/04/2012")
    assert entry.key() == AccessKey.from_document("L898902C3", "740812", "120415")
    entry.expiry_edit.setText("31/02/2012")
    assert entry.key() is None
    assert "ngày/tháng/năm" in entry.problem_text()
    entry.lifetime_check.setChecked(True)
    assert not entry.expiry_edit.isEnabled()
    # a lifetime card: 99MMDD of the birth date first (the far-date 991231 only if refused)
    assert entry.key() == AccessKey.from_document("L898902C3", "740812", "990812")
    assert "Không thời hạn" in entry.lifetime_hint.text() or "không thời hạn" in \
        entry.lifetime_hint.text()


def test_id_number_is_reused_for_the_mrz(make_window: Any) -> None:
    window = make_window(dump=None, start=False)
    entry = window.key_entry
    entry.tabs.setCurrentIndex(0)
    entry.personal_edit.setText("001190012345")
    entry.tabs.setCurrentIndex(2)
    assert entry.doc_edit.text() == "190012345"  # the MRZ document number: last 9 digits


# ------------------------------------------------------------------ 12: layout

def test_result_uses_the_screen(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    assert window.font().pointSizeF() >= 12
    assert window.key_group.isVisible()
    read_to_end(qtbot, window)
    assert not window.key_group.isVisible()  # the key column goes with a result
    assert window.result_view.photo.width() >= 300
    assert window.result_view.photo.height() >= 400
    qtbot.keyClick(window, Qt.Key.Key_F2)
    assert window.key_group.isVisible()


def test_app_opens_maximised(monkeypatch: Any, qtbot: Any) -> None:
    from cccd_desktop import app as appmod
    from cccd_desktop import settings as settingsmod
    from cccd_desktop.window import MainWindow
    from PySide6.QtWidgets import QApplication

    # app.main imports Qt and the window lazily (a missing PySide6 is a one-line message):
    # patch where it looks them up
    shown: list[str] = []
    windows: list[MainWindow] = []

    def maximised(self: MainWindow) -> None:
        shown.append("max")
        windows.append(self)

    monkeypatch.setattr(MainWindow, "showMaximized", maximised)
    monkeypatch.setattr(MainWindow, "start", lambda self: None)
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    real = settingsmod.AppSettings
    monkeypatch.setattr(settingsmod, "AppSettings", lambda: _temp_settings(real))
    assert appmod.main(["--sim", "--lang", "en"]) == 0
    assert shown == ["max"]
    # the window main() made is closed and freed by Qt on this thread once its trust load
    # is over, never by a garbage collection while it still runs (that crashed the run)
    window = windows[0]
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.trust_info is not None, timeout=20000)


def _temp_settings(settings_class: Any) -> Any:
    import tempfile

    from PySide6.QtCore import QSettings

    path = Path(tempfile.mkdtemp()) / "s.ini"
    return settings_class(QSettings(str(path), QSettings.Format.IniFormat))


# ------------------------------------------------------------------ 13: idle and keeping data

def test_keep_after_removal_until_next_card(qtbot: Any, make_window: Any, settings: Any) -> None:
    settings.keep_after_removal = True
    window = make_window()
    read_to_end(qtbot, window)
    window.remove_card()
    assert window.flow.state is State.KEPT  # still there for copying into another program
    assert window.result_view.value("full_name") == "Nguyễn Thị Ngọc Ánh"
    window.tap_card()  # the next card clears it before anything else
    assert window.result_view.value("full_name") in (None, "Nguyễn Thị Ngọc Ánh")
    qtbot.waitUntil(lambda: window.flow.state is State.RESULT, timeout=15000)
    window.remove_card()
    window.next_customer()
    assert window.flow.state is State.WAITING_CARD
    assert window.result_view.record is None


def test_copying_and_leaving_the_app_restart_the_idle_period(
    qtbot: Any, make_window: Any, settings: Any, monkeypatch: Any
) -> None:
    """Work done with the data outside the app (pasting elsewhere) counts as activity."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    settings.idle_seconds = 60
    window = make_window()
    read_to_end(qtbot, window)
    idle = window.idle
    assert idle.armed and idle.deadline is not None
    qtbot.wait(50)
    before = idle.deadline
    window.result_view.copy_field("full_name")
    assert idle.deadline > before  # the period starts again
    qtbot.wait(50)
    before = idle.deadline
    monkeypatch.setattr(window, "isActiveWindow", lambda: False)  # staff switched programs
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))
    assert idle.deadline > before
    assert window.flow.state is State.RESULT


# ------------------------------------------------------------------ 16: copy, print, keys

def test_copy_field_and_copy_all(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    read_to_end(qtbot, window)
    window.result_view._copy_buttons["personal_number"].click()
    assert QGuiApplication.clipboard().text() == "001190012345"
    text = window.copy_all()
    assert QGuiApplication.clipboard().text() == text
    cells = text.split("\t")
    assert len(cells) == len(export.COPY_ALL_ORDER)
    assert cells[:4] == ["Nguyễn Thị Ngọc Ánh", "12/05/1990", "Nữ", "001190012345"]
    assert cells[export.COPY_ALL_ORDER.index("document_number")] == ""  # columns stay put


def test_print_and_shortcuts(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    out = tmp_path / "printed.pdf"
    printers: list[Any] = []

    def dialog(_parent: Any) -> Any:
        printer = QPrinter()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printers.append(printer)
        return printer

    window = make_window()
    window.print_dialog = dialog
    read_to_end(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert printers and out.read_bytes().startswith(b"%PDF")
    qtbot.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier |
                   Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().text().startswith("Nguyễn Thị Ngọc Ánh\t")
    assert window.next_button.text() == "Khách tiếp theo"
    qtbot.keyClick(window, Qt.Key.Key_F12)
    assert window.flow.state is State.NEED_KEY  # card still on the reader, data gone
    assert window.result_view.record is None


# ------------------------------------------------------------------ 17: exports

def test_csv_and_excel(
    qtbot: Any, make_window: Any, save_dialog: FakeSaveDialog, tmp_path: Path, settings: Any
) -> None:
    import openpyxl

    window = make_window()
    read_to_end(qtbot, window)
    save_dialog.answer = str(tmp_path / "card.csv")
    path = window.export_csv()
    assert path is not None
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][0] == "Loại giấy tờ" and rows[0][1] == "Họ và tên"
    assert rows[1][1] == "Nguyễn Thị Ngọc Ánh" and "001190012345" in rows[1]

    save_dialog.answer = str(tmp_path / "card.xlsx")
    path = window.export_xlsx()
    assert path is not None and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    sheet = openpyxl.load_workbook(path).active
    values = [c.value for c in sheet[2]]
    assert "001190012345" in values  # text, leading zeros kept


def test_symlinks_are_refused(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    with pytest.raises(export.ExportError):
        export._write_private(link, b"x")
    assert not target.exists()


# ------------------------------------------------------------------ 18: history

def test_history_is_off_by_default_and_memory_only(
    qtbot: Any, make_window: Any, settings: Any
) -> None:
    window = make_window()
    read_to_end(qtbot, window)
    assert len(window.history) == 0 and not window.history_button.isVisible()
    settings.history = True
    window.apply_settings()
    window.remove_card()
    read_to_end(qtbot, window)
    assert len(window.history) == 1
    assert window.history_button.isVisible()
    entry = window.history.entries()[0]
    assert entry.value("full_name") == "Nguyễn Thị Ngọc Ánh" and entry.verdict == "genuine"
    settings.history = False
    window.apply_settings()
    assert len(window.history) == 0


# ------------------------------------------------------------------ 19: webcam QR, QR vs chip

def _qr_video(path: Path, text: str) -> Path:
    import cv2
    import numpy as np

    code = cv2.QRCodeEncoder.create().encode(text)
    code = cv2.resize(code, None, fx=6, fy=6, interpolation=cv2.INTER_NEAREST)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (640, 480))
    assert writer.isOpened()
    for i in range(12):
        frame = np.full((480, 640, 3), 255, np.uint8)
        if i >= 4:  # the card comes into view
            h, w = code.shape
            frame[60:60 + h, 100:100 + w] = cv2.cvtColor(code, cv2.COLOR_GRAY2BGR)
        writer.write(frame)
    writer.release()
    return path


def test_webcam_qr_fills_the_key_and_is_compared_with_the_chip(
    qtbot: Any, make_window: Any, settings: Any, tmp_path: Path
) -> None:
    settings.camera_source = str(_qr_video(tmp_path / "qr.avi", QR_TEXT))
    window = make_window()
    window.key_entry.clear()
    window.toggle_camera()
    qtbot.waitUntil(lambda: window.key_entry.personal_edit.text() == "001190012345",
                    timeout=15000)
    qtbot.waitUntil(lambda: window._camera_stop is None, timeout=15000)
    assert window.key_entry.qr_data is not None
    read_to_end(qtbot, window)
    items = _tree(window.result_view)
    assert items["qr:personal_number"].data(1, 256) == "pass"
    assert items["qr:full_name"].data(1, 256) == "pass"
    assert window.result_view.badge.verdict == "genuine"


def test_a_qr_of_another_person_fails_the_comparison(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    window.key_entry.clear()
    window.key_entry.qr_edit.setText(QR_TEXT.replace("Ngọc Ánh", "Ngọc Anh"))
    window.key_entry.qr_edit.returnPressed.emit()
    read_to_end(qtbot, window)
    items = _tree(window.result_view)
    assert items["qr:full_name"].data(1, 256) == "fail"
    assert window.result_view.badge.verdict == "not_genuine"


# ------------------------------------------------------------------ speed: name before photo

def test_name_is_on_screen_before_the_photo(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    seen: list[tuple[str, Any]] = []
    window.runner.signals.partial.connect(lambda gen, rec: seen.append(("partial", rec)))
    window.runner.signals.finished.connect(lambda gen, out: seen.append(("finished", out)))
    read_to_end(qtbot, window)
    kinds = [k for k, _ in seen]
    assert kinds[0] == "partial" and kinds[-1] == "finished"
    first = seen[0][1]
    assert first.holder is not None and first.holder.full_name == "Nguyễn Thị Ngọc Ánh"
    assert first.photo is None  # the photo was not read yet
    # the reader reads text data groups before DG2
    assert window._steps.index("DG13") < window._steps.index("DG2")


def test_partial_view_claims_nothing(qtbot: Any, make_window: Any) -> None:
    from cccd_reader import dump as dumpmod
    from cccd_reader.record import CardRecord

    window = make_window()
    card = dumpmod.load(SAMPLE)
    record = CardRecord.from_files({"DG13": card.files["DG13"]}, decode_photo=False)
    window.result_view.show_partial(record)
    badge = window.result_view.badge
    assert badge.look == "reading" and badge.title.text() == "… ĐANG KIỂM TRA"
    assert window.result_view.value("full_name") == "Nguyễn Thị Ngọc Ánh"
    assert window.result_view.photo.text() == "Đang đọc ảnh…"


def test_warm_up_reads_only_the_bundled_samples(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.warmed_up, timeout=15000)
    assert window.flow.state is State.WAITING_CARD  # no card event, no screen change
    assert window.reads_started == 0
    backend.warm_up(samples=())  # no samples: imports only, no error
