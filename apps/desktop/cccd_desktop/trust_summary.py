"""The trust summary of the settings: counts, newest CRL, stale or expiring items, and an
"import a file" button, rendered from :func:`cccd_reader.trust_cli.summary`.

The store is loaded once, off the UI thread (a master list takes tens of milliseconds, a
large directory more), and the result is delivered by a queued signal; the widget holds no
trust logic of its own. Self-contained so the settings dialog only has to add it.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

#: Anchors and CRLs due within this many days are flagged.
SOON_DAYS = 30


class _Loaded(QObject):
    done = Signal(object)


def compute(directory: Path | None = None, now: datetime | None = None) -> dict[str, Any]:
    """The summary of the trust directory (library calls only; runs on a worker thread)."""
    from cccd_reader import trust_cli
    from cccd_reader.pki.trust import TrustStore, default_trust_dirs

    now = now or datetime.now(UTC)
    store = TrustStore()
    problems: list[str] = []
    for path in [directory] if directory is not None else default_trust_dirs():
        if path.is_dir():
            try:
                store.add_directory(path)
            except Exception as exc:  # shown, never fatal to the counter
                problems.append(str(exc))
    doc = trust_cli.summary(store, now)
    doc["attention"] = problems + trust_cli.attention(store, SOON_DAYS, now)
    current = [c for c in doc["crls"] if not c["stale"]]
    doc["newest_crl"] = max((c["this_update"] for c in current), default=None)
    return doc


class TrustSummary(QWidget):
    """Counts, newest CRL, what needs attention; "Import…" copies a validated file in."""

    loaded = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, directory: Path | None = None) -> None:
        super().__init__(parent)
        self._directory = directory
        self.summary: dict[str, Any] | None = None
        self.label = QLabel(self.tr("Loading the trust store…"))
        self.label.setWordWrap(True)
        self.import_button = QPushButton(self.tr("Import a trust file…"))
        self.import_button.clicked.connect(self._import)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addLayout(row)
        layout.addWidget(self.result_label)
        self._bridge = _Loaded(self)
        self._bridge.done.connect(self._render)
        self.reload()

    def reload(self) -> None:
        """Load once on a worker thread; the result comes back through a queued signal."""
        bridge = self._bridge

        def work() -> None:
            try:
                doc: Any = compute(self._directory)
            except Exception as exc:  # rendered as the summary
                doc = {"error": str(exc)}
            try:
                bridge.done.emit(doc)
            except RuntimeError:  # the dialog was closed (and deleted) meanwhile
                pass

        threading.Thread(target=work, name="trust-summary", daemon=True).start()

    def _render(self, doc: dict[str, Any]) -> None:
        self.summary = doc
        if "error" in doc:
            self.label.setText(self.tr("Trust store not loaded: %1").replace("%1", doc["error"]))
            self.loaded.emit(doc)
            return
        lines = [
            self.tr("Trust: %1 CSCA, %2 link certificates, %3 pinned document "
                    "signers, %4 master lists, %5 CRLs")
            .replace("%1", str(len(doc["anchors"])))
            .replace("%2", str(len(doc["link_certificates"])))
            .replace("%3", str(len(doc["pinned_signers"])))
            .replace("%4", str(len(doc["master_lists"])))
            .replace("%5", str(len(doc["crls"]))),
            self.tr("Newest current CRL: %1").replace(
                "%1", (doc["newest_crl"] or "-")[:10]),
        ]
        attention = doc["attention"]
        if attention:
            lines.append(self.tr("Needs attention (%1):").replace("%1", str(len(attention))))
            lines += [f"• {item}" for item in attention[:5]]
        else:
            lines.append(self.tr("Nothing stale or expiring within %1 days").replace(
                "%1", str(SOON_DAYS)))
        self.label.setText("\n".join(lines))
        self.loaded.emit(doc)

    def import_path(self, path: Path) -> str:
        """Validate and copy ``path`` into the trust directory; the message shown."""
        from cccd_reader import trust_cli
        from cccd_reader.pki.trust import TrustStore, trust_dir

        directory = self._directory or trust_dir()
        current = TrustStore()
        if directory.is_dir():
            current.add_directory(directory)
        try:
            target, reason = trust_cli.import_file(path, directory, current)
        except Exception as exc:  # a refused file is a message, not a crash
            target, reason = None, str(exc)
        message = (self.tr("Imported %1").replace("%1", str(target)) if target is not None
                   else self.tr("Refused %1: %2").replace("%1", path.name).replace("%2", reason))
        self.result_label.setText(message)
        if target is not None:
            self.reload()
        return message

    def _import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import a trust file"), "",
            self.tr("Trust files (*.ml *.der *.cer *.crt *.pem *.crl)"))
        if name:
            self.import_path(Path(name))
