"""The "Fatal Python error: Segmentation fault / none_dealloc" seen now and then in the desktop
suite: PySide6 6.12.0 under Python 3.11 drops a reference to None (or True/False) each time a
signal reaches a Python slot, so after a few thousand signals (a long test run, or a counter PC
after a morning of cards) the interpreter aborts. The desktop extra excludes that release; this
test fails (instead of a later crash) on any PySide6 build that leaks them again."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QObject, Signal


class _Sender(QObject):
    bare = Signal()
    with_args = Signal(int, object)


def test_signals_do_not_leak_references_to_singletons(qtbot: Any) -> None:
    sender = _Sender()
    calls: list[int] = []

    def slot() -> None:
        calls.append(1)

    def slot_args(number: int, obj: object) -> None:
        calls.append(number)

    sender.bare.connect(slot)
    sender.with_args.connect(slot_args)
    for _ in range(50):  # warm up caches that may hold references on first use
        sender.bare.emit()
    before = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    for i in range(500):  # far below the few thousand that crash 6.12.0
        sender.bare.emit()
        sender.with_args.emit(i, None)
    after = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    assert len(calls) == 50 + 1000
    drift = [b - a for a, b in zip(before, after, strict=True)]
    assert all(d > -50 for d in drift), f"references to None/True/False lost: {drift}"
