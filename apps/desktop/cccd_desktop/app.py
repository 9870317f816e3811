"""Entry point: ``cccd-desktop`` (PC/SC readers) or ``cccd-desktop --sim [DUMP]`` (demo)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from cccd_desktop import backend
from cccd_desktop.i18n import Languages
from cccd_desktop.settings import APPLICATION, ORGANISATION, AppSettings
from cccd_desktop.window import MainWindow


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cccd-desktop",
                                description="Counter app for chipped ID cards and eMRTDs.")
    p.add_argument("--sim", nargs="?", const="", metavar="DUMP",
                   help="demo mode: a virtual chip serving DUMP (default: the sample CCCD)")
    p.add_argument("--lang", choices=("vi", "en"), help="interface language for this session")
    p.add_argument("--trust", action="append", metavar="PATH",
                   help="extra CSCA / master list / CRL path for this session (repeatable)")
    p.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(argv) if argv is not None else None)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings = AppSettings()
    languages = Languages()
    languages.set(args.lang or settings.language)
    sim: Path | None = None
    if args.sim is not None:
        sim = Path(args.sim) if args.sim else backend.samples_dir() / backend.DEFAULT_SAMPLE
    window = MainWindow(settings, languages, sim_dump=sim, extra_trust=args.trust)
    window.showMaximized()  # counter screens are small: use all of it
    window.start()
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
