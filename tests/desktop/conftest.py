"""Desktop app tests: offscreen Qt, the in-process virtual chip, settings in a temp INI file."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWidgets")

from cccd_desktop import backend
from cccd_desktop.i18n import Languages
from cccd_desktop.settings import AppSettings
from cccd_desktop.state import State
from cccd_desktop.window import MainWindow
from PySide6.QtCore import QSettings

SAMPLE = backend.samples_dir() / backend.DEFAULT_SAMPLE


class FakeSaveDialog:
    """Stands in for QFileDialog: records every call and answers with a preset path."""

    def __init__(self, answer: str = "") -> None:
        self.answer = answer
        self.calls: list[tuple[str, str, str]] = []

    def __call__(self, parent: Any, caption: str, suggested: str, filters: str) -> str:
        self.calls.append((caption, suggested, filters))
        return self.answer


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    return AppSettings(store)


@pytest.fixture
def save_dialog() -> FakeSaveDialog:
    return FakeSaveDialog()


@pytest.fixture
def make_window(
    qtbot: Any, settings: AppSettings, save_dialog: FakeSaveDialog
) -> Iterator[Callable[..., MainWindow]]:
    made: list[MainWindow] = []

    def make(dump: Path | None = SAMPLE, lang: str = "vi", start: bool = True) -> MainWindow:
        languages = Languages()
        languages.set(lang)
        settings.language = lang
        window = MainWindow(settings, languages, sim_dump=dump, save_dialog=save_dialog)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        if start:
            window.start()
        # the trust store loads on a worker thread: wait for it, so every test starts from
        # a window whose status bar and verdicts no longer change under it
        qtbot.waitUntil(lambda: window.trust_info is not None, timeout=20000)
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()
        window.languages.set("en")  # leave no translator behind for the next test


def read_to_end(qtbot: Any, window: MainWindow) -> None:
    """Tap the demo card and wait for the result or error screen."""
    window.tap_card()
    qtbot.waitUntil(lambda: window.flow.state in (State.RESULT, State.ERROR), timeout=15000)
    qtbot.wait(20)  # Qt shows widgets added to a visible layout on the next event loop turn
