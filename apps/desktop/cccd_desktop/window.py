"""The main window: wires reader events, the key entry and read jobs to the counter flow.

Everything that changes what is on screen goes through :class:`~cccd_desktop.state.CounterFlow`
and :meth:`MainWindow._render`, so a late answer from a read that was overtaken by a card
removal can never bring old data back (each read carries a generation number).
"""

from __future__ import annotations

import datetime
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QThreadPool, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cccd_desktop import backend, export, labels
from cccd_desktop.i18n import Languages
from cccd_desktop.keyentry import KeyEntry
from cccd_desktop.privacy import IdleWatcher, mask
from cccd_desktop.resultview import ResultView
from cccd_desktop.settings import LANGUAGES, AppSettings, SettingsDialog
from cccd_desktop.state import CounterFlow, Event, State
from cccd_reader import errors
from cccd_reader.service import is_contactless

log = logging.getLogger(__name__)

PAGE_MESSAGE, PAGE_READING, PAGE_RESULT = range(3)


def _samples() -> list[Path]:
    root = backend.samples_dir()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "card.json").is_file())


class MainWindow(QMainWindow):
    def __init__(
        self,
        settings: AppSettings,
        languages: Languages,
        *,
        sim_dump: str | Path | None = None,
        save_dialog: export.SaveDialog = export.qt_save_dialog,
        extra_trust: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.languages = languages
        self.save_dialog = save_dialog
        self.bridge = backend.EventBridge(self)
        self.bridge.received.connect(self._on_reader_event)
        self.demo = sim_dump is not None
        self.source: backend.SimSource | backend.PcscSource
        if sim_dump is not None:
            self.source = backend.SimSource(self.bridge, sim_dump)
        else:
            self.source = backend.PcscSource(self.bridge)
        self._extra_trust = list(extra_trust or [])
        self.flow = CounterFlow(self._on_state)
        self.pool = QThreadPool.globalInstance()
        self.reader: str | None = None
        self._readers: list[str] = []
        self._cards: dict[str, bool] = {}
        self._generation = 0
        self._jobs: dict[int, backend.ReadJob] = {}
        self._error: BaseException | None = None
        self._pcsc_problem = ""
        self._cleared_by_idle = False
        self._steps: list[str] = []
        self._status_note: tuple[str, str] | None = None
        self.trust: Any = None
        self._trust_problem = ""
        #: The embedded local agent (cccd_desktop.agenthost.AgentHost), when hosted.
        self.agent_host: Any = None

        self.idle = IdleWatcher(self)
        self.idle.set_seconds(settings.idle_seconds)
        self.idle.expired.connect(self._idle_expired)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)

        self._build()
        self._load_trust()
        self.retranslateUi()
        self._render()

    # ================================================================== layout

    def _build(self) -> None:
        self.setMinimumSize(960, 600)
        self.resize(1280, 720)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(12, 8, 12, 4)

        top = QHBoxLayout()
        self.title_label = QLabel()
        f = self.title_label.font()
        f.setPointSize(f.pointSize() + 4)
        f.setBold(True)
        self.title_label.setFont(f)
        self.reader_label = QLabel()
        self.reader_combo = QComboBox()
        self.reader_combo.setMinimumWidth(260)
        self.reader_combo.activated.connect(self._reader_picked)
        self.language_combo = QComboBox()
        for code, name in LANGUAGES:
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(self.language_combo.findData(self.languages.code))
        self.language_combo.activated.connect(self._language_picked)
        self.settings_button = QPushButton()
        self.settings_button.clicked.connect(self.open_settings)
        top.addWidget(self.title_label)
        top.addStretch(1)
        top.addWidget(self.reader_label)
        top.addWidget(self.reader_combo)
        top.addSpacing(12)
        top.addWidget(self.language_combo)
        top.addWidget(self.settings_button)
        outer.addLayout(top)

        self.demo_bar = QFrame()
        self.demo_bar.setObjectName("demoBar")
        self.demo_bar.setStyleSheet("#demoBar { background: #fff3c4; border: 1px solid #e0c060;"
                                    " border-radius: 4px; }")
        demo = QHBoxLayout(self.demo_bar)
        demo.setContentsMargins(8, 4, 8, 4)
        self.demo_label = QLabel()
        self.demo_label.setWordWrap(True)
        self.sample_combo = QComboBox()
        for path in _samples():
            self.sample_combo.addItem(path.name, str(path))
        if isinstance(self.source, backend.SimSource):
            current = str(self.source.dump_path.resolve())
            index = self.sample_combo.findData(current)
            if index < 0:
                self.sample_combo.addItem(self.source.dump_path.name, current)
                index = self.sample_combo.count() - 1
            self.sample_combo.setCurrentIndex(index)
        self.sample_combo.activated.connect(self._sample_picked)
        self.tap_button = QPushButton()
        self.tap_button.setObjectName("tapButton")
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("removeButton")
        self.tap_button.clicked.connect(self.tap_card)
        self.remove_button.clicked.connect(self.remove_card)
        demo.addWidget(self.demo_label, 1)
        demo.addWidget(self.sample_combo)
        demo.addWidget(self.tap_button)
        demo.addWidget(self.remove_button)
        self.demo_bar.setVisible(self.demo)
        outer.addWidget(self.demo_bar)

        body = QHBoxLayout()
        self.key_group = QGroupBox()
        self.key_group.setFixedWidth(330)
        kl = QVBoxLayout(self.key_group)
        self.key_entry = KeyEntry()
        self.key_entry.changed.connect(self._update_buttons)
        self.key_entry.submitted.connect(self.read_now)
        self.read_button = QPushButton()
        self.read_button.setObjectName("readButton")
        self.read_button.setMinimumHeight(36)
        self.read_button.clicked.connect(self.read_now)
        kl.addWidget(self.key_entry)
        kl.addWidget(self.read_button)
        kl.addStretch(1)
        self.privacy_label = QLabel()
        self.privacy_label.setWordWrap(True)
        self.privacy_label.setStyleSheet("color: #555;")
        kl.addWidget(self.privacy_label)
        body.addWidget(self.key_group)

        self.pages = QStackedWidget()
        # message page (no reader, waiting, card present, error)
        msg = QWidget()
        ml = QVBoxLayout(msg)
        ml.addStretch(1)
        self.message_title = QLabel()
        self.message_title.setObjectName("messageTitle")
        self.message_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_title.setWordWrap(True)
        tf = self.message_title.font()
        tf.setPointSize(tf.pointSize() + 10)
        tf.setBold(True)
        self.message_title.setFont(tf)
        self.message_body = QLabel()
        self.message_body.setObjectName("messageBody")
        self.message_body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_body.setWordWrap(True)
        bf = self.message_body.font()
        bf.setPointSize(bf.pointSize() + 2)
        self.message_body.setFont(bf)
        self.message_detail = QLabel()
        self.message_detail.setObjectName("messageDetail")
        self.message_detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_detail.setWordWrap(True)
        self.message_detail.setStyleSheet("color: #666;")
        self.retry_button = QPushButton()
        self.retry_button.setObjectName("retryButton")
        self.retry_button.clicked.connect(self.read_now)
        for label in (self.message_title, self.message_body, self.message_detail):
            label.setMaximumWidth(760)  # long lines are hard to read on a wide counter screen
            ml.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        ml.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignHCenter)
        ml.addStretch(2)
        self.pages.addWidget(msg)

        reading = QWidget()
        rl = QVBoxLayout(reading)
        self.reading_title = QLabel()
        self.reading_title.setFont(tf)
        self.reading_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reading_hint = QLabel()
        self.reading_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.step_list = QListWidget()
        self.step_list.setObjectName("steps")
        self.step_list.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        rl.addWidget(self.reading_title)
        rl.addWidget(self.reading_hint)
        rl.addWidget(self.step_list, 1)
        rl.addWidget(self.progress)
        self.pages.addWidget(reading)

        result = QWidget()
        resl = QVBoxLayout(result)
        resl.setContentsMargins(0, 0, 0, 0)
        self.result_view = ResultView()
        resl.addWidget(self.result_view, 1)
        actions = QHBoxLayout()
        self.checks_button = QPushButton()
        self.checks_button.clicked.connect(self.result_view.show_checks)
        self.json_button = QPushButton()
        self.json_button.setObjectName("exportJson")
        self.json_button.clicked.connect(self.export_json)
        self.pdf_button = QPushButton()
        self.pdf_button.setObjectName("exportPdf")
        self.pdf_button.clicked.connect(self.export_pdf)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear_data)
        actions.addWidget(self.checks_button)
        actions.addStretch(1)
        for b in (self.json_button, self.pdf_button, self.clear_button):
            actions.addWidget(b)
        resl.addLayout(actions)
        self.pages.addWidget(result)
        body.addWidget(self.pages, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        self.trust_label = QLabel()
        self.trust_label.setObjectName("trustLabel")
        self.note_label = QLabel()
        self.statusBar().addWidget(self.trust_label, 1)
        self.statusBar().addPermanentWidget(self.note_label)

    # ================================================================== language

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("CCCD reader — counter"))
        self.title_label.setText(self.tr("Chip ID card reader"))
        self.reader_label.setText(self.tr("Reader:"))
        self.settings_button.setText(self.tr("Settings…"))
        self.demo_label.setText(self.tr(
            "DEMO MODE: virtual chip with synthetic sample cards. The test CSCAs in "
            "samples/pki are trusted here — never do this for real cards."))
        self.tap_button.setText(self.tr("Tap card"))
        self.remove_button.setText(self.tr("Remove card"))
        self.key_group.setTitle(self.tr("Access key"))
        self.read_button.setText(self.tr("Read card"))
        self.privacy_label.setText(self.tr(
            "Card data stays on screen only: it is cleared when the card is removed or after "
            "%1 s without activity, and written to disk only when you export it.").replace(
            "%1", str(self.settings.idle_seconds)))
        self.reading_title.setText(self.tr("Reading the card…"))
        self.reading_hint.setText(self.tr("Keep the card still on the reader."))
        self.checks_button.setText(self.tr("Show all checks"))
        self.json_button.setText(self.tr("Export JSON…"))
        self.pdf_button.setText(self.tr("Save PDF report…"))
        self.clear_button.setText(self.tr("Clear"))
        self._fill_reader_combo()
        self._render_steps()
        self._render_trust()
        self._render_note()
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def set_language(self, code: str) -> None:
        self.settings.language = code
        self.languages.set(code)
        self.language_combo.setCurrentIndex(self.language_combo.findData(code))

    def _language_picked(self, index: int) -> None:
        self.set_language(str(self.language_combo.itemData(index)))

    # ================================================================== readers

    def start(self) -> None:
        """Start listening for readers (separate from __init__ so tests wire things first)."""
        self.source.start()
        if self.demo:
            self._prefill_demo_key()

    def _on_reader_event(self, event: Any) -> None:
        kind, name = event.kind, event.reader
        if kind == "reader_added":
            if name not in self._readers:
                self._readers.append(name)
            self._pcsc_problem = ""
            self._choose_reader()
        elif kind == "reader_removed":
            if name in self._readers:
                self._readers.remove(name)
            self._cards.pop(name, None)
            self._choose_reader()
        elif kind == "card_present":
            self._cards[name] = True
            if name == self.reader:
                self.flow.fire(Event.CARD_PRESENT)
                self._maybe_read()
        elif kind == "card_removed":
            self._cards[name] = False
            if name == self.reader:
                self._generation += 1  # any read still running is now stale
                self.flow.fire(Event.CARD_REMOVED)
        elif kind == "error":
            self._pcsc_problem = event.detail
            log.warning("reader monitor: %s", event.detail)
            self._render()

    def _choose_reader(self) -> None:
        readers = self._readers
        wanted = self.settings.reader
        choice: str | None = None
        contactless = [r for r in readers if is_contactless(r)]
        if wanted and wanted in readers:
            choice = wanted
        elif len(contactless) == 1:
            choice = contactless[0]
        elif self.reader in contactless:
            choice = self.reader
        self._select_reader(choice)

    def _select_reader(self, choice: str | None) -> None:
        if choice != self.reader:
            if self.reader is not None:
                self._generation += 1
                self.flow.fire(Event.READER_LOST)
            self.reader = choice
            log.info("reader selected: %s", choice)
            if choice is not None:
                self.flow.fire(Event.READER_READY)
                if self._cards.get(choice):
                    self.flow.fire(Event.CARD_PRESENT)
                    self._maybe_read()
        self._fill_reader_combo()
        self._render()

    def _fill_reader_combo(self) -> None:
        combo = self.reader_combo
        combo.blockSignals(True)
        combo.clear()
        if not self._readers:
            combo.addItem(self.tr("(no reader)"), "")
        elif self.reader is None:
            combo.addItem(self.tr("(choose a reader)"), "")
        for name in self._readers:
            combo.addItem(name, name)
        combo.setCurrentIndex(max(0, combo.findData(self.reader or "")))
        combo.setEnabled(len(self._readers) > 1 or (bool(self._readers) and self.reader is None))
        combo.blockSignals(False)

    def _reader_picked(self, index: int) -> None:
        name = str(self.reader_combo.itemData(index) or "")
        if name:
            self.settings.reader = name
            self._select_reader(name)

    # ---------------------------------------------------------------- demo field

    def tap_card(self) -> None:
        if isinstance(self.source, backend.SimSource):
            self.source.tap()

    def remove_card(self) -> None:
        if isinstance(self.source, backend.SimSource):
            self.source.remove()

    def _sample_picked(self, index: int) -> None:
        if not isinstance(self.source, backend.SimSource):
            return
        self.remove_card()
        self.source.dump_path = Path(str(self.sample_combo.itemData(index)))
        self._prefill_demo_key()

    def _prefill_demo_key(self) -> None:
        """Only demo mode knows the key in advance (the sample's card.json)."""
        if not isinstance(self.source, backend.SimSource):
            return
        try:
            key = backend.demo_key(self.source.dump_path)
        except errors.CccdError as exc:
            log.warning("demo sample unusable: %s", exc)
            return
        self.key_entry.prefill(key.can, key.document_number, key.birth, key.expiry)

    # ================================================================== reading

    def _maybe_read(self) -> None:
        if self.flow.state is State.NEED_KEY and self.key_entry.key() is not None:
            self.read_now()

    def read_now(self) -> None:
        key = self.key_entry.key()
        if key is None or self.reader is None or not self.flow.can(Event.READ_STARTED):
            self._update_buttons()
            return
        self._generation += 1
        gen = self._generation
        self._error = None
        self._steps = []
        self.flow.fire(Event.READ_STARTED)
        source, reader = self.source, self.reader
        host = self.agent_host
        job = backend.ReadJob(
            gen, (lambda: host.guard(reader, source.transport)) if host is not None
            else (lambda: source.transport(reader)), key, self.trust)
        job.setAutoDelete(False)
        job.signals.progress.connect(self._on_progress)
        job.signals.finished.connect(self._on_finished)
        job.signals.failed.connect(self._on_failed)
        self._jobs[gen] = job
        self.pool.start(job)

    def _on_progress(self, gen: int, step: str, done: int, total: int) -> None:
        if gen != self._generation or self.flow.state is not State.READING:
            return
        if not self._steps or self._steps[-1] != step:
            self._steps.append(step)
            self._render_steps()
        if total > 0:
            self.progress.setFormat(f"{step}: %p%")
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        elif step in ("access", "verification"):
            self.progress.setRange(0, 0)

    def _render_steps(self) -> None:
        self.step_list.clear()
        for i, step in enumerate(self._steps):
            mark = "✔" if i < len(self._steps) - 1 else "…"
            self.step_list.addItem(f"{mark}  {labels.step_label(step)}")

    def _on_finished(self, gen: int, outcome: Any) -> None:
        self._jobs.pop(gen, None)
        if gen != self._generation or self.flow.state is not State.READING:
            return  # overtaken by a removal: this record must never appear
        record = outcome.record
        self.flow.fire(Event.READ_OK)
        self.result_view.show_record(record, outcome.seconds)
        verdict = record.verification.verdict if record.verification is not None else "none"
        number = record.holder.personal_number if record.holder is not None else (
            record.document.document_number if record.document is not None else None)
        log.info("read %s in %.1f s: verdict %s", mask(number), outcome.seconds, verdict)
        self._beep(verdict == "genuine")

    def _on_failed(self, gen: int, exc: BaseException) -> None:
        self._jobs.pop(gen, None)
        if gen != self._generation or self.flow.state is not State.READING:
            return
        log.info("read failed: %s: %s", type(exc).__name__, exc)
        self._error = exc
        self.flow.fire(Event.READ_FAILED)
        self._beep(False)

    def _beep(self, success: bool) -> None:
        if not self.settings.sound:
            return
        QApplication.beep()
        if not success:
            QTimer.singleShot(300, QApplication.beep)

    # ================================================================== state

    def _on_state(self, before: State, after: State) -> None:
        if after in (State.WAITING_CARD, State.NO_READER) or (
            before in (State.RESULT, State.ERROR) and after is State.NEED_KEY
        ):
            self._forget()
        if after in (State.RESULT, State.ERROR):
            self.idle.arm()
        else:
            self.idle.disarm()
        if after is not State.NEED_KEY:
            self._cleared_by_idle = False
        if after is State.READING:
            self.progress.setRange(0, 0)
            self._render_steps()
        self._render()

    def _forget(self) -> None:
        """Drop the record, the photo and the key: the next customer must see nothing."""
        had_data = self.result_view.record is not None
        self.result_view.clear()
        self._error = None
        self._steps = []
        self.step_list.clear()
        self.key_entry.clear()
        if self.demo:
            self._prefill_demo_key()
        if had_data:
            log.info("card data cleared")

    def _idle_expired(self) -> None:
        if self.flow.state in (State.RESULT, State.ERROR):
            self.flow.fire(Event.CLEARED)
            self._cleared_by_idle = True
            self._render()

    def clear_data(self) -> None:
        self.flow.fire(Event.CLEARED)

    def _update_buttons(self) -> None:
        state = self.flow.state
        key_ok = self.key_entry.key() is not None
        can_read = key_ok and self.reader is not None and state in (
            State.NEED_KEY, State.ERROR, State.RESULT)
        self.read_button.setEnabled(can_read)
        self.retry_button.setEnabled(can_read)
        self.key_entry.setEnabled(state is not State.READING)
        if self.demo:
            present = isinstance(self.source, backend.SimSource) and self.source.card_present
            self.tap_button.setEnabled(not present and self.reader is not None)
            self.remove_button.setEnabled(present)

    def _render(self) -> None:
        state = self.flow.state
        self._update_buttons()
        if state is State.READING:
            self.pages.setCurrentIndex(PAGE_READING)
            return
        if state is State.RESULT:
            self.pages.setCurrentIndex(PAGE_RESULT)
            return
        self.pages.setCurrentIndex(PAGE_MESSAGE)
        self.retry_button.setVisible(state is State.ERROR)
        self.retry_button.setText(self.tr("Try again"))
        detail = ""
        if state is State.NO_READER:
            if len(self._readers) > 1:
                title = self.tr("Choose a reader")
                body = self.tr("Several readers are connected: pick the contactless one in the "
                               "list above.")
            else:
                title = self.tr("No reader")
                body = self.tr("Connect a contactless (NFC) PC/SC card reader.")
            if self._pcsc_problem:
                detail = self._pcsc_problem
        elif state is State.WAITING_CARD:
            title = self.tr("Place the card on the reader")
            body = self.tr("Type the access key on the left (or scan the QR code) first; "
                           "the card is read as soon as it is placed.")
        elif state is State.NEED_KEY:
            title = self.tr("Card detected")
            body = self.tr("Enter the access key on the left, then press Read card.")
            if self._cleared_by_idle:
                detail = self.tr("The previous data was cleared after a period without "
                                 "activity.")
        else:
            title, body = self._error_texts(self._error)
            detail = str(self._error) if self._error is not None else ""
        self.message_title.setStyleSheet("color: #b3261e;" if state is State.ERROR else "")
        self.message_title.setText(f"✘ {title}" if state is State.ERROR else title)
        self.message_body.setText(body)
        self.message_detail.setText(detail)
        self.message_detail.setVisible(bool(detail))
        self._render_note()

    def _error_texts(self, exc: BaseException | None) -> tuple[str, str]:
        if isinstance(exc, errors.AccessDeniedError):
            return self.tr("Wrong access key"), self.tr(
                "The card refused the key. Check the personal number or CAN (the last 6 digits "
                "of the personal number), or the MRZ fields, then press Try again. Each key is "
                "tried only once, to protect the card.")
        if isinstance(exc, errors.ProtocolNotSupportedError):
            return self.tr("This key cannot open the card"), self.tr(
                "This card does not accept this kind of key. Use the MRZ tab (document number, "
                "dates of birth and expiry) or the CAN.")
        if isinstance(exc, errors.CardRemovedError):
            return self.tr("The card moved away"), self.tr(
                "The card left the reader during the read. Hold it flat and still on the "
                "reader, then press Try again.")
        if isinstance(exc, errors.ReaderNotFoundError):
            return self.tr("Reader not available"), self.tr(
                "The reader cannot be used. Check its cable, or choose another reader.")
        if isinstance(exc, errors.TransportError | errors.SecureMessagingError):
            return self.tr("Connection to the card lost"), self.tr(
                "Communication with the card failed. Place it flat on the reader and press "
                "Try again.")
        if isinstance(exc, errors.ParseError):
            return self.tr("Unreadable card data"), self.tr(
                "The card returned data this program cannot read.")
        if isinstance(exc, errors.CardError):
            return self.tr("The card refused a command"), self.tr(
                "The chip refused a request. It may be damaged or of an unsupported kind.")
        return self.tr("The card could not be read"), self.tr(
            "Something went wrong while reading. Try again; if it keeps failing, note the "
            "message below for support.")

    # ================================================================== trust

    def _load_trust(self) -> None:
        paths = list(self.settings.trust_paths) + self._extra_trust
        if self.demo:
            paths += backend.demo_trust_paths()
        self.trust, self._trust_problem = backend.load_trust(paths)
        self._render_trust()

    def _render_trust(self) -> None:
        store = self.trust
        if store is None:
            text = self.tr("Trust store not loaded: %1").replace("%1", self._trust_problem)
        else:
            text = self.tr("Trust store: %1 CSCA, %2 pinned document signers").replace(
                "%1", str(len(getattr(store, "cscas", ())))).replace(
                "%2", str(len(getattr(store, "pinned_dscs", ()))))
            if self.demo:
                text += " — " + self.tr("demo: synthetic test CSCAs")
        self.trust_label.setText(text)

    # ================================================================== settings

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self._readers, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            dialog.apply()
            self.apply_settings()

    def apply_settings(self) -> None:
        self.idle.set_seconds(self.settings.idle_seconds)
        if self.settings.language != self.languages.code:
            self.set_language(self.settings.language)
        self._load_trust()
        self._choose_reader()
        self.retranslateUi()

    # ================================================================== export

    def _suggested_name(self, suffix: str) -> str:
        return f"cccd-{datetime.datetime.now():%Y%m%d-%H%M%S}.{suffix}"

    def export_json(self) -> Path | None:
        record = self.result_view.record
        if record is None:
            return None
        path = self.save_dialog(self, self.tr("Export card data"),
                                self._suggested_name("json"), self.tr("JSON (*.json)"))
        if not path:
            return None
        target = export.write_json(
            record, path, without_access_data=self.settings.export_without_access_data
        )
        log.info("record exported as JSON")
        self._status_note = ("saved", target.name)
        self._render_note()
        return target

    def export_pdf(self) -> Path | None:
        record = self.result_view.record
        if record is None:
            return None
        path = self.save_dialog(self, self.tr("Save PDF report"),
                                self._suggested_name("pdf"), self.tr("PDF (*.pdf)"))
        if not path:
            return None
        note = self.tr("Demo: synthetic card, test trust anchors.") if self.demo else ""
        target = export.write_pdf(record, path, self.result_view.image, note)
        log.info("record exported as PDF")
        self._status_note = ("saved", target.name)
        self._render_note()
        return target

    def _render_note(self) -> None:
        if self._status_note is not None and self.flow.state is State.RESULT:
            self.note_label.setText(self.tr("Saved %1").replace("%1", self._status_note[1]))
        else:
            self._status_note = None
            self.note_label.setText("")

    # ================================================================== closing

    def closeEvent(self, event: QCloseEvent) -> None:
        self.source.stop()
        self._generation += 1
        self._forget()
        self.pool.waitForDone(5000)
        super().closeEvent(event)
