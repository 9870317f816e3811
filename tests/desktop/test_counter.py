"""What a clerk hits at a real counter (issue 19): each test failed before its fix."""

from __future__ import annotations

import datetime
import itertools
from pathlib import Path
from typing import Any

import pytest
from cccd_desktop import resultview
from cccd_desktop.state import State
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from cccd_reader.service import ReaderEvent
from tests.desktop.conftest import SAMPLE, read_to_end

SAMPLES = SAMPLE.parent
NEGATIVE = SAMPLES / "negative"
LIFETIME = SAMPLES / "vn-cccd-2021-le-thi-thu-huong-lifetime"
CARD_2024 = SAMPLES / "vn-cancuoc-2024-dang-huu-phuoc"
PASSPORT = SAMPLES / "passport-utopia-td3"


def _settle(qtbot: Any) -> None:
    qtbot.wait(30)
    QApplication.processEvents()


def _assert_message_fits(window: Any) -> None:
    """Every visible message label is as tall as its text needs at its width, inside the
    page, and none overlaps the next one."""
    labels = [lb for lb in (window.message_title, window.message_body, window.message_detail)
              if lb.isVisible() and lb.text()]
    assert labels, "no message shown"
    page = window.pages.currentWidget()
    for label in labels:
        need = label.heightForWidth(label.width())
        assert label.height() >= need, (label.objectName(), label.text(), label.size(), need)
        top_left = label.mapTo(page, label.rect().topLeft())
        assert top_left.x() >= 0 and top_left.x() + label.width() <= page.width(), \
            (label.objectName(), top_left, label.width(), page.width())
        # the text is not wider than the label (a width hint smaller than the text clips it)
        assert label.width() <= window.message_column.width()
    for upper, lower in itertools.pairwise(labels):
        bottom = upper.mapTo(page, upper.rect().bottomLeft()).y()
        top = lower.mapTo(page, lower.rect().topLeft()).y()
        assert bottom < top, (upper.objectName(), lower.objectName(), bottom, top)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("size", [(1366, 768), (960, 600)])
def test_message_screens_are_readable(
    qtbot: Any, make_window: Any, settings: Any, lang: str, size: tuple[int, int]
) -> None:
    """Broken 1: waiting, card detected, wrong key, error, no reader, idle-cleared."""
    window = make_window(lang=lang)
    window.resize(*size)
    _settle(qtbot)
    assert window.flow.state is State.WAITING_CARD
    _assert_message_fits(window)
    # card detected, no key yet
    window.key_entry.clear()
    window.tap_card()
    _settle(qtbot)
    assert window.flow.state is State.NEED_KEY
    _assert_message_fits(window)
    # wrong key
    window.key_entry.prefill(can="999999")
    window.read_now()
    qtbot.waitUntil(lambda: window.flow.state is State.ERROR, timeout=15000)
    _settle(qtbot)
    _assert_message_fits(window)
    # idle-cleared
    window.idle.set_seconds(1)
    window.idle.arm()
    qtbot.waitUntil(lambda: window.flow.state is State.NEED_KEY, timeout=4000)
    _settle(qtbot)
    assert window.message_detail.isVisible()
    _assert_message_fits(window)
    # no reader, with the pcscd problem shown
    other = make_window(dump=None, lang=lang, start=False)
    other.resize(*size)
    other.bridge(ReaderEvent("error", detail="PC/SC is not available (is pcscd running?)"))
    _settle(qtbot)
    assert other.flow.state is State.NO_READER
    _assert_message_fits(other)


def test_truncated_sod_error_screen_fits(qtbot: Any, make_window: Any) -> None:
    window = make_window(dump=NEGATIVE / "truncated-sod")
    read_to_end(qtbot, window)
    _settle(qtbot)
    _assert_message_fits(window)


def _assert_rows_aligned(window: Any) -> None:
    view = window.result_view
    assert view._value_labels
    for key, value in view._value_labels.items():
        name = view._name_labels[key]
        assert abs(name.geometry().top() - value.geometry().top()) <= 2, key
        # no stretched row: the value is no taller than its text (or the copy button beside)
        need = max(value.heightForWidth(value.width()),
                   view._copy_buttons[key].sizeHint().height())
        assert value.height() <= need + 2, (key, value.height(), need)


def _read_sample(qtbot: Any, window: Any, dump: Path) -> None:
    index = window.sample_combo.findData(str(dump.resolve()))
    assert index >= 0, dump
    window.sample_combo.setCurrentIndex(index)
    window._sample_picked(index)
    read_to_end(qtbot, window)
    assert window.flow.state is State.RESULT
    _settle(qtbot)


def test_rows_stay_aligned_across_cards(qtbot: Any, make_window: Any) -> None:
    """Broken 2: passport, then the 2021 card, then the lifetime card, then back."""
    window = make_window(dump=PASSPORT)
    read_to_end(qtbot, window)
    _settle(qtbot)
    _assert_rows_aligned(window)
    for dump in (SAMPLE, LIFETIME, PASSPORT, SAMPLE):
        _read_sample(qtbot, window, dump)
        _assert_rows_aligned(window)
    # the values of the previous card are gone, not hidden
    assert len(window.result_view.fields_widget.findChildren(QLabel, "value_full_name")) == 1


def test_expired_card_is_not_shown_as_valid(
    qtbot: Any, make_window: Any, monkeypatch: Any
) -> None:
    """Broken 3: the 2024 sample with the clock past its expiry (02/11/2028)."""
    monkeypatch.setattr(resultview, "today", lambda: datetime.date(2029, 1, 15))
    window = make_window(dump=CARD_2024)
    read_to_end(qtbot, window)
    badge = window.result_view.badge
    assert badge.verdict == "genuine"  # the chip is genuine...
    assert badge.look == "expired"  # ...but the badge says the document is not valid
    assert "HỢP LỆ" not in badge.title.text()
    assert badge.title.text() == "⚠ GIẤY TỜ ĐÃ HẾT HẠN"
    assert "02/11/2028" in badge.warning.text()
    monkeypatch.setattr(resultview, "today", lambda: datetime.date(2026, 1, 15))
    window.result_view.badge.retranslateUi()
    assert badge.title.text() == "✔ HỢP LỆ"


NO_DIACRITICS = ("001190012345|013579246|Nguyen Thi Ngoc Anh|12051990|Nu|"
                 "So 18 Ngo 72 Thai Ha, Trung Liet, Dong Da, Ha Noi|10042021")


def test_qr_from_a_keyboard_wedge(qtbot: Any, make_window: Any) -> None:
    """Broken 4: a payload without diacritics; a scan into the focused CAN field; focus."""
    window = make_window()
    entry = window.key_entry
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=2000)
    assert QApplication.focusWidget() in entry.edits()  # ready to type or scan on launch
    # a US-layout scanner cannot type "Nữ": the key still comes from the first field
    entry.clear()
    entry.qr_edit.setText(NO_DIACRITICS)
    entry.qr_edit.returnPressed.emit()
    key = entry.key()
    assert key is not None and key.can == "012345"
    assert entry.personal_edit.text() == "001190012345"
    # the scanner types into the CAN field that has the focus
    entry.clear()
    entry.tabs.setCurrentIndex(1)
    entry.can_edit.setFocus()
    qtbot.keyClicks(entry.can_edit, "001190012345|013579246|Nguyen Thi Ngoc Anh|12051990")
    qtbot.keyClick(entry.can_edit, Qt.Key.Key_Return)
    assert entry.can_edit.text() != "001190"
    key = entry.key()
    assert key is not None and key.can == "012345"
    assert entry.tabs.currentIndex() == 0 and entry.personal_edit.text() == "001190012345"


def test_try_again_never_resends_a_refused_key(qtbot: Any, make_window: Any) -> None:
    """Broken 5: one refusal per key; the same key is not sent again."""
    window = make_window()
    window.key_entry.can_edit.setText("999999")
    read_to_end(qtbot, window)
    assert window.flow.state is State.ERROR
    sent = window.reads_started
    assert not window.retry_button.isEnabled()
    window.retry_button.click()
    window.read_now()
    window.key_entry.submitted.emit()
    window.wait_for_reads(10)
    qtbot.wait(20)
    assert window.reads_started == sent
    assert window.flow.state is State.ERROR
    assert "không gửi lại" in window.key_entry.problem.text()
    # a corrected key goes through
    window.key_entry.can_edit.setText("012345")
    assert window.retry_button.isEnabled()
    window.retry_button.click()
    qtbot.waitUntil(lambda: window.flow.state is State.RESULT, timeout=15000)
    assert window.reads_started == sent + 1


def test_two_readers_at_start_ask(make_window: Any) -> None:
    """Broken 6: pcscd lists its readers one by one; the first must not be taken silently."""
    window = make_window(dump=None, start=False)
    for name in ("Virtual PCD 00 00", "Virtual PCD 00 01"):
        window.bridge(ReaderEvent("reader_added", name))
    window.bridge(ReaderEvent("card_present", "Virtual PCD 00 00"))
    assert window.reader is None
    assert window.flow.state is State.NO_READER
    assert [b.text() for b in window._reader_buttons] == ["Virtual PCD 00 00",
                                                         "Virtual PCD 00 01"]
    window.pick_reader("Virtual PCD 00 00")
    assert window.flow.state is State.NEED_KEY  # the card already there is now seen
    window.settings.reader = ""


def test_truncated_sod_is_not_genuine_with_the_reason(qtbot: Any, make_window: Any) -> None:
    """Broken 7: not "could not read, try again" with an English detail."""
    window = make_window(dump=NEGATIVE / "truncated-sod")
    read_to_end(qtbot, window)
    assert window.flow.state is State.ERROR
    assert window.message_title.text() == "✘ KHÔNG HỢP LỆ: dữ liệu chip bị hỏng"
    assert "EF.SOD" in window.message_body.text()
    assert "600" in window.message_body.text()
    assert not window.retry_button.isVisible()  # the same bytes would come again
    shown = " ".join(lb.text() for lb in (window.message_title, window.message_body,
                                           window.message_detail) if lb.isVisible())
    for english in ("chip returned", "offset", "data at"):
        assert english not in shown


def test_card_pulled_mid_read_keeps_saying_so(qtbot: Any, make_window: Any) -> None:
    """Hurts 15: the error no longer flashes for 150 ms before the waiting screen."""
    window = make_window()
    window.tap_card()
    window.remove_card()
    window.wait_for_reads(10)
    qtbot.wait(300)
    assert window.flow.state is State.WAITING_CARD
    assert window.message_detail.isVisible()
    assert "nhấc ra quá sớm" in window.message_detail.text()
    window.tap_card()
    qtbot.waitUntil(lambda: window.flow.state is State.RESULT, timeout=15000)
    window.remove_card()
    assert not window.message_detail.isVisible()


def test_card_without_clone_detection_says_so(qtbot: Any, make_window: Any) -> None:
    """Hurts 14: a chip with neither AA nor CA is not a plain ✔ HỢP LỆ."""
    window = make_window(dump=LIFETIME)
    read_to_end(qtbot, window)
    badge = window.result_view.badge
    assert badge.verdict == "genuine"
    assert badge.look == "genuine_no_clone"
    assert badge.title.text() != "✔ HỢP LỆ"
    assert "sao chép" in badge.title.text().lower()
    assert "sao chép" in badge.warning.text()


def test_a_signer_whose_csca_key_is_not_installed_is_unverified_not_forged(
    qtbot: Any, make_window: Any
) -> None:
    """Issue 27: a rogue CSCA copying the trusted name (or a CSCA key not imported yet) is
    missing trust: the badge says what to add, it does not call the card forged."""
    window = make_window(dump=NEGATIVE / "dsc-untrusted-csca")
    read_to_end(qtbot, window)
    view = window.result_view
    assert view.badge.verdict == "unverified"
    chain = view.record.verification.check("dsc_chain")
    assert chain is not None and chain.code == "dsc_chain.key_not_trusted"
    from cccd_desktop import labels

    assert "chưa được cài đặt" in labels.reason_for(chain)
    assert chain.params["key_id"] in labels.reason_for(chain)


@pytest.mark.parametrize(("sample", "words"), [
    ("dsc-expired-at-signing", "hết hạn"),
    ("tampered-dg2", "bị thay đổi"),
])
def test_not_genuine_names_the_real_reason_and_locks_the_data(
    qtbot: Any, make_window: Any, sample: str, words: str
) -> None:
    """Hurts 8: an untrusted or expired signer is not "does not match the signature"."""
    window = make_window(dump=NEGATIVE / sample)
    read_to_end(qtbot, window)
    view = window.result_view
    assert view.badge.verdict == "not_genuine"
    assert words in view.badge.warning.text()
    if sample != "tampered-dg2":
        assert "không khớp" not in view.badge.warning.text()
    assert view.untrusted_label.isVisible()
    assert view._value_labels["full_name"].font().strikeOut()
    for button in (window.print_button, window.export_button, window.copy_all_button):
        assert not button.isEnabled()
    assert window.export_json() is None and not window.print_record()


def test_unverified_says_what_is_proven_and_links_trust(
    qtbot: Any, make_window: Any, settings: Any, monkeypatch: Any
) -> None:
    """Hurts 8: "? CHƯA XÁC MINH" in plain words, tied to Settings → Trust."""
    monkeypatch.setattr("cccd_desktop.backend.demo_trust_paths", lambda: [])
    window = make_window()
    read_to_end(qtbot, window)
    badge = window.result_view.badge
    assert badge.verdict == "unverified"
    assert badge.title.text() == "? CHƯA XÁC MINH"
    assert "Đã chứng minh: dữ liệu không bị sửa" in badge.explanation.text()
    assert "Chưa chứng minh" in badge.explanation.text()
    assert badge.trust_button.isVisible()
    assert badge.trust_button.text() == "Cài đặt → Tin cậy…"
