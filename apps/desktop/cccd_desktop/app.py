"""Entry point: ``cccd-desktop`` (PC/SC readers) or ``cccd-desktop --sim [DUMP]`` (demo)."""

from __future__ import annotations

import argparse
import importlib.util
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # PySide6 is optional: imported for real only once it is known to exist
    from cccd_desktop.settings import AppSettings
    from cccd_desktop.window import MainWindow

#: Printed (one line, exit 2) when the optional Qt dependency is not installed.
MISSING_QT = 'cccd-desktop needs PySide6: pip install "cccd-reader[desktop]"'


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cccd-desktop",
                                description="Counter app for chipped ID cards and eMRTDs.")
    p.add_argument("--sim", nargs="?", const="", metavar="DUMP",
                   help="demo mode: a virtual chip serving DUMP (default: the sample CCCD)")
    p.add_argument("--lang", choices=("vi", "en"), help="interface language for this session")
    p.add_argument("--trust", action="append", metavar="PATH",
                   help="extra CSCA / master list / CRL path for this session (repeatable)")
    p.add_argument("--agent-origin", action="append", metavar="ORIGIN",
                   help="host the local agent for web pages from ORIGIN (repeatable; the "
                        "setting agent/enabled does the same with agent/origins)")
    p.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(argv) if argv is not None else None)
    # PySide6 is an extra: say what to install instead of failing with an ImportError
    if importlib.util.find_spec("PySide6") is None:
        print(MISSING_QT, file=sys.stderr)
        return 2
    # Qt aborts the process when its xcb plugin cannot load: say which packages instead
    from cccd_desktop.qtplatform import check_xcb

    problem = check_xcb()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from cccd_desktop import backend
    from cccd_desktop.i18n import Languages
    from cccd_desktop.settings import APPLICATION, ORGANISATION, AppSettings
    from cccd_desktop.window import MainWindow

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
    host = _host_agent(args, settings, window)
    try:
        return int(app.exec())
    finally:
        if host is not None:
            host.stop()


def _host_agent(args: argparse.Namespace, settings: AppSettings, window: MainWindow) -> Any:
    """The embedded agent, when asked for; a failure to start it never stops the app."""
    origins = list(args.agent_origin or [])
    if not origins and not settings.agent_enabled:
        return None
    from cccd_desktop import backend
    from cccd_desktop.agenthost import AgentHost, SourceBackend

    demo = isinstance(window.source, backend.SimSource)
    # The agent answers web pages with verdicts, so it starts with the store the window is
    # loading on its worker thread (waited for here, before the event loop runs).
    trust = window.trust_loader.future.result(timeout=120)
    host = AgentHost(
        port=settings.agent_port, origins=origins or settings.agent_origins, trust=trust,
        backend=SourceBackend(window.source, window.bridge) if demo else None,
        socketio_port=settings.agent_socketio_port,
        socketio_allow_local=settings.agent_socketio_allow_local,
    )
    if host.start():
        window.agent_host = host
        return host
    return None


if __name__ == "__main__":
    sys.exit(main())
