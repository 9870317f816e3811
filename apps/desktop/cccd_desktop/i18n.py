"""Runtime language switching with Qt translators.

Source strings are English; Vietnamese comes from translations/cccd_desktop_vi.qm. Installing
or removing a translator makes Qt post LanguageChange to every widget, and each widget's
changeEvent re-renders its texts, so a switch never needs a restart.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


class Languages:
    def __init__(self) -> None:
        self.code = "en"
        self._installed: list[QTranslator] = []

    def set(self, code: str) -> None:
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("no QApplication")
        for translator in self._installed:
            app.removeTranslator(translator)
        self._installed = []
        self.code = code if code in ("vi", "en") else "vi"
        if self.code == "en":
            QLocale.setDefault(QLocale(QLocale.Language.English))
            return
        QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        ours = QTranslator()
        if ours.load(str(TRANSLATIONS / f"cccd_desktop_{self.code}.qm")):
            app.installTranslator(ours)
            self._installed.append(ours)
        else:
            log.warning("no %s translation found in %s", self.code, TRANSLATIONS)
        # Qt's own strings (standard buttons, line-edit menus, the file and print dialogs):
        # from the Qt build when it ships them, else from our catalogue (PySide6 6.x has no
        # qtbase_vi, which left "Cancel", "Copy", "Select All" in English).
        qt = QTranslator()
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(f"qtbase_{self.code}", qt_dir) or qt.load(
                str(TRANSLATIONS / f"qtbase_{self.code}.qm")):
            app.installTranslator(qt)
            self._installed.append(qt)
