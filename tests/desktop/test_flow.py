"""The counter flow end to end on the virtual chip: tap, progress, result, removal, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cccd_desktop.state import State

from cccd_reader import dump as dumpmod
from tests.desktop.conftest import SAMPLE, FakeSaveDialog, read_to_end

SAMPLES = SAMPLE.parent

#: What a clerk must see for the default sample, exactly as a Vietnamese screen shows it.
EXPECTED_VI = {
    "full_name": ("Họ và tên", "Nguyễn Thị Ngọc Ánh"),
    "personal_number": ("Số định danh cá nhân", "001190012345"),
    "date_of_birth": ("Ngày sinh", "12/05/1990"),
    "sex": ("Giới tính", "Nữ"),
    "nationality": ("Quốc tịch", "Việt Nam"),
    "ethnicity": ("Dân tộc", "Kinh"),
    "religion": ("Tôn giáo", "Không"),
    "place_of_origin": ("Quê quán", "Liên Hà, Đông Anh, Hà Nội"),
    "place_of_residence": ("Nơi thường trú", "Số 18 Ngõ 72 Thái Hà, Trung Liệt, Đống Đa, Hà Nội"),
    "identifying_features": ("Đặc điểm nhận dạng", "Nốt ruồi C:1cm trên trước đầu mày phải"),
    "date_of_issue": ("Ngày cấp", "10/04/2021"),
    "date_of_expiry": ("Có giá trị đến", "12/05/2030"),
    "father_name": ("Họ tên cha", "Nguyễn Văn Hùng"),
    "mother_name": ("Họ tên mẹ", "Trần Thị Mai"),
    "old_id_number": ("Số CMND cũ", "013579246"),
}


def _label(window: Any, key: str) -> str:
    return window.result_view._name_labels[key].text()


def test_tap_progress_result_with_every_field(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    assert window.flow.state is State.WAITING_CARD
    assert window.message_title.text() == "Đặt thẻ lên đầu đọc"
    assert window.demo_bar.isVisible()
    steps: list[str] = []
    window.tap_card()
    assert window.flow.state is State.READING
    assert not window.key_entry.isEnabled() and not window.camera_button.isEnabled()
    qtbot.waitUntil(lambda: window.flow.state is State.RESULT, timeout=15000)
    assert window.camera_button.isEnabled()
    steps = list(window._steps)
    assert steps[0] == "access"
    assert {"EF.COM", "EF.SOD", "DG1", "DG2", "DG13"} <= set(steps)
    assert steps[-1] == "verification"

    view = window.result_view
    for key, (label, value) in EXPECTED_VI.items():
        assert _label(window, key) == label, key
        assert view.value(key) == value, key
    assert view.value("spouse_name") is None  # only shown when the card has one
    assert view.photo.pixmap() is not None and not view.photo.pixmap().isNull()
    assert view.badge.verdict == "genuine"
    assert view.badge.title.text() == "✔ HỢP LỆ"
    assert window.pages.currentIndex() == 2
    # the check list is one click away and names every check with its status
    qtbot.mouseClick(window.checks_button, __import__("PySide6.QtCore").QtCore.Qt
                     .MouseButton.LeftButton)
    assert view.tabs.currentIndex() == 1
    names = [view.checks.topLevelItem(i).data(0, 256)
             for i in range(view.checks.topLevelItemCount())]
    for name in ("sod_signature", "dsc_chain", "dg_hash:DG1", "dg_hash:DG2", "dg_hash:DG13",
                 "active_auth", "chip_auth", "dg1_dg13_consistency"):
        assert name in names
    first = view.checks.topLevelItem(names.index("sod_signature"))
    assert first.text(1) == "✔ Đạt"
    # the reason in Vietnamese from the check's code; the library's English detail only in
    # the tooltip, as the technical note
    assert first.text(2) == "Chữ ký số trên dữ liệu của chip là đúng."
    assert first.toolTip(2).startswith(first.text(2))
    assert first.data(2, 256) in first.toolTip(2) and "ecdsa" in first.toolTip(2)


def test_removal_clears_everything(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    read_to_end(qtbot, window)
    assert window.result_view.record is not None
    window.remove_card()
    assert window.flow.state is State.WAITING_CARD
    assert window.result_view.record is None
    assert window.result_view.image is None
    assert window.result_view.value("full_name") is None
    assert window.result_view.photo.pixmap().isNull()
    assert window.pages.currentIndex() == 0


def test_removal_during_read_never_shows_data(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    window.tap_card()
    window.remove_card()
    window.wait_for_reads(10)
    qtbot.wait(50)
    assert window.flow.state is State.WAITING_CARD
    assert window.result_view.record is None


def test_wrong_key_gives_a_helpful_message(qtbot: Any, make_window: Any) -> None:
    window = make_window(lang="en")
    window.key_entry.can_edit.setText("999999")
    read_to_end(qtbot, window)
    assert window.flow.state is State.ERROR
    assert window.message_title.text() == "✘ Wrong access key"
    assert "last 6 digits" in window.message_body.text()
    assert window.retry_button.isVisible()
    # fixing the key and retrying with the card still on the reader works
    window.key_entry.can_edit.setText("012345")
    qtbot.mouseClick(window.retry_button, __import__("PySide6.QtCore").QtCore.Qt
                     .MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.flow.state is State.RESULT, timeout=15000)


def test_incomplete_key_is_caught_before_the_card(qtbot: Any, make_window: Any) -> None:
    window = make_window(lang="en")
    entry = window.key_entry
    entry.tabs.setCurrentIndex(0)
    entry.personal_edit.setText("00119001")
    assert entry.key() is None
    assert entry.problem_text() == "The personal number has 12 digits (8 typed)."
    entry.personal_edit.setText("001190012345")
    key = entry.key()
    assert key is not None and key.can == "012345"
    window.tap_card()
    qtbot.waitUntil(lambda: window.flow.state is State.RESULT, timeout=15000)


def test_tampered_dg2_is_not_genuine(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    card = dumpmod.load(SAMPLE)
    dg2 = bytearray(card.files["DG2"])
    dg2[-20] ^= 0x01  # inside the JPEG data: still parses, no longer matches the SOD
    card.files["DG2"] = bytes(dg2)
    tampered = dumpmod.save(card, tmp_path / "tampered", include_access=True)
    window = make_window(dump=Path(tampered), lang="en")
    read_to_end(qtbot, window)
    view = window.result_view
    assert view.badge.verdict == "not_genuine"
    assert view.badge.title.text() == "✘ NOT GENUINE"
    assert "Hash of DG2 (photo)" in view.badge.warning.text()
    assert "changed after the issuer signed it" in view.badge.warning.text()
    view.show_checks()
    items = {view.checks.topLevelItem(i).data(0, 256): view.checks.topLevelItem(i)
             for i in range(view.checks.topLevelItemCount())}
    failing = items["dg_hash:DG2"]
    assert failing.data(1, 256) == "fail"
    assert failing.text(1) == "✘ FAILED"
    assert "dg_hash:DG2" in failing.text(0)
    assert items["dg_hash:DG1"].data(1, 256) == "pass"


def test_jpeg2000_photo_and_spouse(qtbot: Any, make_window: Any) -> None:
    window = make_window(dump=SAMPLES / "vn-cancuoc-2024-dang-huu-phuoc")
    read_to_end(qtbot, window)
    view = window.result_view
    assert view.record.photo.mime == "image/jp2"
    assert view.image is not None and view.image.width() > 0
    assert view.value("spouse_name") == "Lê Ngọc Quỳnh Như"
    assert _label(window, "spouse_name") == "Họ tên vợ/chồng"


def test_passport_uses_mrz_key_and_fields(qtbot: Any, make_window: Any) -> None:
    window = make_window(dump=SAMPLES / "passport-utopia-td3", lang="en")
    assert window.key_entry.tabs.currentIndex() == 2  # MRZ prefilled from card.json
    read_to_end(qtbot, window)
    assert window.flow.state is State.RESULT
    assert window.result_view.value("document_number") == "L898902C3"
    assert window.result_view.value("date_of_birth") == "12/08/1974"


def test_idle_timeout_clears_the_data(qtbot: Any, make_window: Any, settings: Any) -> None:
    settings.idle_seconds = 1
    window = make_window()
    read_to_end(qtbot, window)
    assert window.idle.armed
    qtbot.waitUntil(lambda: window.flow.state is State.NEED_KEY, timeout=4000)
    assert window.result_view.record is None
    assert window.message_detail.text() == "Dữ liệu trước đó đã bị xóa do không có thao tác."


def test_export_only_after_the_dialog(
    qtbot: Any, make_window: Any, save_dialog: FakeSaveDialog, tmp_path: Path
) -> None:
    window = make_window()
    read_to_end(qtbot, window)
    out = tmp_path / "out"
    out.mkdir()
    save_dialog.answer = ""  # staff cancelled
    assert window.export_json() is None
    assert window.export_pdf() is None
    assert list(out.iterdir()) == []
    assert len(save_dialog.calls) == 2
    assert "001190012345" not in save_dialog.calls[0][1]  # no ID in the suggested name

    save_dialog.answer = str(out / "card.json")
    window.json_action.trigger()
    data = json.loads((out / "card.json").read_text(encoding="utf-8"))
    assert data["holder"]["full_name"] == "Nguyễn Thị Ngọc Ánh"
    assert data["verification"]["verdict"] == "genuine"

    save_dialog.answer = str(out / "card.pdf")
    window.export_pdf()
    pdf = (out / "card.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(
        b"/Type /Page>") <= 1 or b"/Count 1" in pdf
    assert sorted(p.name for p in out.iterdir()) == ["card.json", "card.pdf"]


def test_logs_hold_no_names_or_full_numbers(
    qtbot: Any, make_window: Any, caplog: Any
) -> None:
    caplog.set_level("DEBUG")
    window = make_window()
    read_to_end(qtbot, window)
    window.remove_card()
    text = caplog.text
    assert "*********345" in text
    for secret in ("001190012345", "Nguyễn", "Ngọc Ánh", "012345", "190012345"):
        assert secret not in text
