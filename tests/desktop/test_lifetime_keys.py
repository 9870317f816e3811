"""The key entry follows the lifetime keys (issue 26 item 3): with "no expiry" ticked, the
first read uses 99MMDD of the birth date; a card that refuses it is read once more with
991231, at once and without an error screen; a third key is never sent."""

from __future__ import annotations

from typing import Any

from cccd_desktop.state import State

from cccd_reader.access.key import AccessKey
from tests.desktop.conftest import SAMPLE, read_to_end

SAMPLES = SAMPLE.parent
MINH = SAMPLES / "vn-cccd-2021-tran-van-minh-lifetime"  # 99MMDD (990229)
HUONG = SAMPLES / "vn-cccd-2021-le-thi-thu-huong-lifetime"  # 991231


def _reads_with(window: Any) -> list[AccessKey]:
    """Every key the window started a read with, in order."""
    started: list[AccessKey] = []
    original = window.runner.start

    def spy(gen: int, opener: Any, key: AccessKey, *rest: Any) -> Any:
        started.append(key)
        return original(gen, opener, key, *rest)

    window.runner.start = spy
    return started


def test_a_99mmdd_card_opens_on_the_first_key(qtbot: Any, make_window: Any) -> None:
    window = make_window(dump=MINH)
    entry = window.key_entry
    assert entry.lifetime_check.isChecked()  # the demo key 990229 is a lifetime expiry
    started = _reads_with(window)
    read_to_end(qtbot, window)
    assert window.flow.state is State.RESULT
    assert started == [AccessKey.from_document("056004321", "560229", "990229")]
    # the clerk is told the two keys the box stands for, in Vietnamese (it said 31/12/2099 only)
    hint = entry.lifetime_hint.text()
    assert "năm 99, ngày và tháng sinh" in hint and "31/12/2099" in hint


def test_a_991231_card_opens_on_the_second_key_without_an_error(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window(dump=HUONG)
    entry = window.key_entry
    assert entry.lifetime_check.isChecked()
    started = _reads_with(window)
    window.tap_card()
    qtbot.waitUntil(lambda: window.flow.state is State.RESULT, timeout=15000)
    assert started == [AccessKey.from_document("155001234", "550217", "990217"),
                       AccessKey.from_document("155001234", "550217", "991231")]
    assert window.flow.state is State.RESULT


def test_never_a_third_key(qtbot: Any, make_window: Any) -> None:
    """Wrong birth date: both lifetime keys are refused, then the error screen; no loop."""
    window = make_window(dump=HUONG)
    entry = window.key_entry
    entry.birth_edit.setText("18/02/1955")
    started = _reads_with(window)
    read_to_end(qtbot, window)
    qtbot.wait(200)
    assert window.flow.state is State.ERROR
    assert [k.mrz_information[-7:-1] for k in started if k.mrz_information] == [
        "990218", "991231"]
    assert not window.read_button.isEnabled()  # the refused key is not sent again
