"""Trust for the counter: the store loaded once off the UI thread, its freshness for the status
bar, and the settings' summary (counts, newest CRL, stale or expiring items, every warning of
the store in words, with the file it is about) with an "import a file" button.

Loading a master list takes tens of milliseconds, a large directory more: never on the UI
thread. The window keeps the loaded store and asks for a new one only when the settings' trust
paths change or a file is imported (:class:`TrustLoader`); reads started meanwhile wait for it
on their worker thread. Everything here calls the library (``TrustStore``,
``cccd_reader.trust_cli``) and renders: no trust logic of its own.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

#: Anchors and CRLs due within this many days are flagged.
SOON_DAYS = 30


# ============================================================ loading (worker thread)


@dataclass(frozen=True)
class TrustInfo:
    """One load of the trust store and what staff need to know about it."""

    #: The store (None: it could not be loaded, ``problem`` says why).
    store: Any
    problem: str = ""
    #: The paths asked for (besides the default trust directories), to match a load to its
    #: request.
    paths: tuple[str, ...] = ()
    cscas: int = 0
    pinned: int = 0
    #: thisUpdate of the newest CRL that is current now (None: no current CRL).
    newest_crl: datetime | None = None
    stale_crls: int = 0
    #: Anchors (CSCA, link, pinned signer) expired or expiring within SOON_DAYS.
    expiring: int = 0
    #: Sources of the test CSCAs of samples/pki that were loaded (demo mode says so).
    demo_cscas: int = 0
    warnings: tuple[str, ...] = field(default_factory=tuple)


def load_store(paths: Sequence[str], *, include_default: bool = True) -> Any:
    """The store of the default trust directories plus ``paths`` (library call; a file that
    cannot be read at all raises, broken entries inside files become the store's warnings)."""
    from cccd_reader.pki.trust import TrustStore

    return TrustStore.from_paths(list(paths), include_default=include_default)


def inspect(store: Any, paths: Sequence[str] = (), now: datetime | None = None,
            demo_sources: Sequence[str] = ()) -> TrustInfo:
    """The freshness figures of a loaded store (pure: no Qt, no I/O)."""
    now = now or datetime.now(UTC)
    soon = now + timedelta(days=SOON_DAYS)
    current = [c for c in store.crls if c.not_current(now) is None]
    anchors = [*store.cscas, *store.links, *store.pinned_dscs]
    demo = set(demo_sources)
    return TrustInfo(
        store=store,
        paths=tuple(paths),
        cscas=len(store.cscas),
        pinned=len(store.pinned_dscs),
        newest_crl=max((c.this_update for c in current), default=None),
        stale_crls=len(store.crls) - len(current),
        expiring=sum(1 for c in anchors if c.not_after < soon),
        demo_cscas=sum(1 for c in store.cscas if c.source in demo),
        warnings=tuple(store.warnings),
    )


def load_info(paths: Sequence[str], *, include_default: bool = True,
              demo_sources: Sequence[str] = ()) -> TrustInfo:
    """Load and inspect; a store that cannot be loaded is a :class:`TrustInfo` saying why (a
    bad file must not keep the counter from reading cards: they read as unverified)."""
    try:
        store = load_store(paths, include_default=include_default)
    except Exception as exc:  # shown in the status bar, never fatal to the counter
        log.warning("trust store not loaded: %s", exc)
        return TrustInfo(store=None, problem=str(exc), paths=tuple(paths))
    return inspect(store, paths, demo_sources=demo_sources)


class _Loaded(QObject):
    done = Signal(object)


class TrustLoader(QObject):
    """Loads the window's trust store on a worker thread, one load per request.

    ``future`` is the store of the latest request (reads wait on it off the UI thread);
    ``loaded`` delivers its :class:`TrustInfo` on the UI thread. A result overtaken by a
    newer request is dropped, so the status bar never shows an old store.
    """

    loaded = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = _Loaded(self)
        self._bridge.done.connect(self._deliver)
        self._generation = 0
        self.loads = 0
        self.future: Future[Any] = Future()
        self.info: TrustInfo | None = None
        self.paths: tuple[str, ...] | None = None

    @property
    def loading(self) -> bool:
        return not self.future.done()

    def load(self, paths: Sequence[str], *, include_default: bool = True,
             demo_sources: Sequence[str] = ()) -> Future[Any]:
        self._generation += 1
        self.loads += 1
        generation = self._generation
        future: Future[Any] = Future()
        self.future = future
        self.paths = tuple(paths)
        bridge = self._bridge
        wanted = list(paths)

        def work() -> None:
            info = load_info(wanted, include_default=include_default,
                             demo_sources=demo_sources)
            future.set_result(info.store)
            try:
                bridge.done.emit((generation, info))
            except RuntimeError:  # the window was closed (and deleted) meanwhile
                pass

        threading.Thread(target=work, name="trust-load", daemon=True).start()
        return future

    def _deliver(self, item: tuple[int, TrustInfo]) -> None:
        generation, info = item
        if generation != self._generation:
            return
        self.info = info
        self.loaded.emit(info)


def freshness_text(info: TrustInfo | None, demo: bool = False) -> str:
    """The status bar's line: how much is trusted, how fresh the newest CRL is, what is stale
    or expiring; the demo note only when test CSCAs really are loaded."""
    if info is None:
        return QCoreApplication.translate("TrustSummary", "Loading the trust store…")
    if info.store is None:
        return QCoreApplication.translate(
            "TrustSummary", "Trust store not loaded: %1").replace("%1", info.problem)
    parts = [QCoreApplication.translate(
        "TrustSummary", "Trust: %1 CSCA").replace("%1", str(info.cscas))]
    if info.pinned:
        parts.append(QCoreApplication.translate(
            "TrustSummary", "%1 pinned document signers").replace("%1", str(info.pinned)))
    if info.newest_crl is not None:
        parts.append(QCoreApplication.translate(
            "TrustSummary", "newest CRL %1").replace("%1", f"{info.newest_crl:%d/%m/%Y}"))
    elif info.cscas:
        parts.append(QCoreApplication.translate("TrustSummary", "no current CRL"))
    text = ", ".join(parts)
    alerts = []
    if info.stale_crls:
        alerts.append(QCoreApplication.translate(
            "TrustSummary", "%1 CRL out of date").replace("%1", str(info.stale_crls)))
    if info.expiring:
        alerts.append(QCoreApplication.translate(
            "TrustSummary", "%1 certificates expired or expiring within %2 days").replace(
            "%1", str(info.expiring)).replace("%2", str(SOON_DAYS)))
    if info.warnings:
        alerts.append(QCoreApplication.translate(
            "TrustSummary", "%1 warnings (Settings → Trust)").replace(
            "%1", str(len(info.warnings))))
    if alerts:
        text += " — ⚠ " + "; ".join(alerts)
    if demo and info.demo_cscas:
        text += " — " + QCoreApplication.translate("TrustSummary", "demo: synthetic test CSCAs")
    return text


# ============================================================ warnings in words

_SOURCE = re.compile(r"^(?P<source>[^:]+?(?:#\d+)?): (?P<rest>.*)$", re.S)


def _file_name(source: str) -> str:
    path, hash_, index = source.partition("#")
    return Path(path).name + (hash_ + index if hash_ else "")


def master_list_problems(report: Any) -> list[str]:
    """A master list's failed checks, in words, naming the file (a ``MasterListReport``)."""
    name = _file_name(report.source)
    lines = []
    if report.signer_chain == "fail":
        lines.append(QCoreApplication.translate(
            "TrustSummary", "Master list %1: its signer chains to no trusted CSCA, so none "
            "of its %2 certificates is trusted.").replace("%1", name).replace(
            "%2", str(report.listed)))
    if report.signer_validity == "fail":
        lines.append(QCoreApplication.translate(
            "TrustSummary", "Master list %1: the certificate that signed it is expired or "
            "not yet valid.").replace("%1", name))
    if report.signer_usage == "fail":
        lines.append(QCoreApplication.translate(
            "TrustSummary", "Master list %1: the certificate that signed it is not meant "
            "for signing master lists.").replace("%1", name))
    return lines


def warning_text(warning: str) -> str:
    """One warning of the store in the interface language, with the file (and entry) it is
    about; the English original stays available as the tooltip."""
    match = _SOURCE.match(warning)
    name = _file_name(match["source"]) if match else ""
    rest = match["rest"] if match else warning
    if "not a valid X.509 certificate" in rest:
        template = QCoreApplication.translate(
            "TrustSummary", "%1: a certificate that cannot be read was skipped.")
    elif "unreadable PEM block" in rest:
        template = QCoreApplication.translate(
            "TrustSummary", "%1: an unreadable PEM block was skipped.")
    elif "CRL" in rest:
        template = QCoreApplication.translate(
            "TrustSummary", "%1: a revocation list (CRL) that cannot be used was skipped.")
    elif "master list" in rest:
        template = QCoreApplication.translate(
            "TrustSummary", "%1: a master list that cannot be used was skipped.")
    elif match:
        template = QCoreApplication.translate(
            "TrustSummary", "%1: a file that cannot be used was skipped.")
    else:
        return QCoreApplication.translate(
            "TrustSummary", "Trust store warning: %1").replace("%1", warning)
    return template.replace("%1", name)


def warning_lines(store: Any) -> list[str]:
    """Every warning of the store in words: master lists from their reports, the rest (an
    unreadable certificate, PEM block, CRL, file) one line each."""
    lines: list[str] = []
    reported: set[str] = set()
    for report in store.master_lists:
        problems = master_list_problems(report)
        if problems:
            lines += problems
            reported.add(f"{report.source}: {report.detail}")
    lines += [warning_text(w) for w in store.warnings if w not in reported]
    return lines


# ============================================================ the settings' summary


def compute(directory: Path | None = None, now: datetime | None = None,
            paths: Sequence[str] = ()) -> dict[str, Any]:
    """The summary of the trust directory (or the default ones) plus ``paths`` (library
    calls only; runs on a worker thread)."""
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
    for extra in paths:
        try:
            store.add_path(extra)
        except Exception as exc:  # shown, never fatal to the counter
            problems.append(str(exc))
    doc = trust_cli.summary(store, now)
    doc["attention"] = problems + trust_cli.attention(store, SOON_DAYS, now)
    doc["problems"] = problems
    doc["store"] = store
    current = [c for c in doc["crls"] if not c["stale"]]
    doc["newest_crl"] = max((c["this_update"] for c in current), default=None)
    soon = now + timedelta(days=SOON_DAYS)
    doc["stale_crls"] = [c for c in store.crls if c.not_current(now) is not None]
    doc["crls_due"] = [c for c in store.crls if c.not_current(now) is None
                       and c.next_update is not None and c.next_update < soon]
    doc["expiring"] = [c for c in [*store.cscas, *store.links, *store.pinned_dscs]
                       if c.not_after < soon]
    return doc


class TrustSummary(QWidget):
    """Counts, newest CRL, what needs attention; "Import…" copies a validated file in."""

    loaded = Signal(object)
    #: A file was imported into the trust directory (the window reloads its store).
    imported = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, directory: Path | None = None,
                 paths: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self._directory = directory
        self._paths = list(paths)
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
        directory, paths = self._directory, list(self._paths)

        def work() -> None:
            try:
                doc: Any = compute(directory, paths=paths)
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
                "%1", _day(doc["newest_crl"]) if doc["newest_crl"] else "-"),
        ]
        attention = self.attention_lines(doc)
        if attention:
            lines.append(self.tr("Needs attention (%1):").replace("%1", str(len(attention))))
            lines += [f"• {item}" for item in attention[:8]]
            if len(attention) > 8:
                lines.append(self.tr("… and %1 more (cccd trust check)").replace(
                    "%1", str(len(attention) - 8)))
        else:
            lines.append(self.tr("Nothing stale or expiring within %1 days").replace(
                "%1", str(SOON_DAYS)))
        self.label.setText("\n".join(lines))
        self.label.setToolTip("\n".join(doc["attention"]))
        self.loaded.emit(doc)

    def attention_lines(self, doc: dict[str, Any]) -> list[str]:
        """What needs attention, in the interface language, each naming its file."""
        lines = [self.tr("Not loaded: %1").replace("%1", p) for p in doc["problems"]]
        lines += warning_lines(doc["store"])
        for crl in doc["stale_crls"]:
            lines.append(self.tr("%1: the revocation list (CRL) is out of date (next update "
                                 "was due %2).").replace("%1", _file_name(crl.source))
                         .replace("%2", _day(crl.next_update) if crl.next_update else "-"))
        for crl in doc["crls_due"]:
            lines.append(self.tr("%1: the revocation list (CRL) is due for update on %2.")
                         .replace("%1", _file_name(crl.source))
                         .replace("%2", _day(crl.next_update)))
        now = datetime.now(UTC)
        for cert in doc["expiring"]:
            template = (self.tr("%1: the certificate expired on %2.") if cert.not_after < now
                        else self.tr("%1: the certificate expires on %2."))
            lines.append(template.replace("%1", _file_name(cert.source))
                         .replace("%2", _day(cert.not_after)))
        return lines

    def import_path(self, path: Path) -> str:
        """Validate and copy ``path`` into the trust directory; the message shown."""
        from cccd_reader import trust_cli
        from cccd_reader.pki.trust import TrustStore, trust_dir

        directory = self._directory or trust_dir()
        current = TrustStore()
        if directory.is_dir():
            current.add_directory(directory)
        warnings: list[str] = []
        try:
            target, reason, warnings = trust_cli.import_checked(path, directory, current)
        except Exception as exc:  # a refused file is a message, not a crash
            target, reason = None, str(exc)
        if target is None:
            message = self.tr("Refused %1: %2").replace("%1", path.name).replace("%2", reason)
        elif warnings:  # a master list taken as it is: its unusable certificates are listed
            message = (self.tr("Imported %1 (%2 certificate(s) skipped, see the warnings)")
                       .replace("%1", str(target)).replace("%2", str(len(warnings))))
        else:
            message = self.tr("Imported %1").replace("%1", str(target))
        self.result_label.setText(message)
        if target is not None:
            self.reload()
            self.imported.emit(target)
        return message

    def _import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import a trust file"), "",
            self.tr("Trust files (*.ml *.der *.cer *.crt *.pem *.crl)"))
        if name:
            self.import_path(Path(name))


def _day(value: Any) -> str:
    """dd/mm/yyyy, as Vietnamese documents print dates (an ISO string or a datetime)."""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return f"{when:%d/%m/%Y}"
