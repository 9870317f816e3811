"""The main window: wires reader events, the key entry and read jobs to the counter flow.

Everything that changes what is on screen goes through :class:`~cccd_desktop.state.CounterFlow`
and :meth:`MainWindow._render`, so a late answer from a read that was overtaken by a card
removal can never bring old data back (each read carries a generation number).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
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
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cccd_desktop import backend, evidencesave, export, labels
from cccd_desktop.facecheck import FacePanel
from cccd_desktop.guestlist import GuestListBar
from cccd_desktop.history import History, HistoryDialog
from cccd_desktop.i18n import Languages
from cccd_desktop.keyentry import KeyEntry
from cccd_desktop.privacy import IdleWatcher, mask
from cccd_desktop.resultview import ResultView
from cccd_desktop.settings import LANGUAGES, AppSettings, SettingsDialog
from cccd_desktop.state import CounterFlow, Event, State
from cccd_desktop.trust_summary import TrustInfo, TrustLoader, freshness_text
from cccd_reader import errors
from cccd_reader.access.key import AccessKey
from cccd_reader.readers import is_contactless

log = logging.getLogger(__name__)

PAGE_MESSAGE, PAGE_READING, PAGE_RESULT = range(3)
#: Message column width: long lines are hard to read on a wide counter screen.
MESSAGE_WIDTH = 760

#: () -> a configured QPrinter, or None when staff cancelled (tests pass their own).
PrintDialog = Callable[[QWidget], Any]


def qt_print_dialog(parent: QWidget) -> Any:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    return printer if dialog.exec() == QDialog.DialogCode.Accepted else None


def _samples() -> list[Path]:
    root = backend.samples_dir()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "card.json").is_file())


class _CameraSignals(QObject):
    found = Signal(str)
    ended = Signal(str)


class MainWindow(QMainWindow):
    def __init__(
        self,
        settings: AppSettings,
        languages: Languages,
        *,
        sim_dump: str | Path | None = None,
        save_dialog: export.SaveDialog = export.qt_save_dialog,
        print_dialog: PrintDialog = qt_print_dialog,
        extra_trust: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.languages = languages
        self.save_dialog = save_dialog
        self.print_dialog = print_dialog
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
        self.runner = backend.ReadRunner(self)
        self.runner.signals.progress.connect(self._on_progress)
        self.runner.signals.partial.connect(self._on_partial)
        self.runner.signals.finished.connect(self._on_finished)
        self.runner.signals.failed.connect(self._on_failed)
        self.camera_signals = _CameraSignals(self)
        self.camera_signals.found.connect(self._camera_found)
        self.camera_signals.ended.connect(self._camera_ended)
        self._camera_stop: Any = None
        self.reader: str | None = None
        self._reader_explicit = False
        self._readers: list[str] = []
        self._cards: dict[str, bool] = {}
        self._generation = 0
        self._read_key: AccessKey | None = None
        #: The key the card refused: never sent again to the same card (chips count refusals).
        self._refused_key: AccessKey | None = None
        self._error: BaseException | None = None
        self._pcsc_problem = ""
        self._cleared_by_idle = False
        #: Shown on the waiting screen until the next card: why the last read ended.
        self._notice = ""
        self._steps: list[str] = []
        self._status_note: tuple[str, str] | None = None
        #: The last read's outcome (its raw files), for "Lưu bằng chứng" only; cleared with
        #: the card's data.
        self._outcome: Any = None
        #: The loaded trust store (None until the first load ends, or when it failed).
        self.trust: Any = None
        self.trust_info: TrustInfo | None = None
        self.trust_loader = TrustLoader(self)
        self.trust_loader.loaded.connect(self._on_trust_loaded)
        #: The embedded local agent (cccd_desktop.agenthost.AgentHost), when hosted.
        self.agent_host: Any = None
        self.history = History()
        self.history.enabled = settings.history
        self.warmed_up = False

        self.idle = IdleWatcher(self)
        self.idle.set_seconds(settings.idle_seconds)
        self.idle.expired.connect(self._idle_expired)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)

        self._build()
        self.reload_trust()
        self.retranslateUi()
        self._render()

    # ================================================================== layout

    def _build(self) -> None:
        self.setMinimumSize(960, 600)
        self.resize(1366, 768)
        base = self.font()
        base.setPointSizeF(max(base.pointSizeF(), 12.0))  # read at arm's length
        self.setFont(base)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(12, 8, 12, 4)

        top = QHBoxLayout()
        self.title_label = QLabel()
        f = self.title_label.font()
        f.setPointSizeF(f.pointSizeF() + 3)
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
        self.history_button = QPushButton()
        self.history_button.setObjectName("historyButton")
        self.history_button.clicked.connect(self.open_history)
        self.settings_button = QPushButton()
        self.settings_button.clicked.connect(self.open_settings)
        top.addWidget(self.title_label)
        top.addStretch(1)
        top.addWidget(self.reader_label)
        top.addWidget(self.reader_combo)
        top.addSpacing(12)
        top.addWidget(self.language_combo)
        top.addWidget(self.history_button)
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
        self.key_group.setFixedWidth(360)
        kl = QVBoxLayout(self.key_group)
        self.key_entry = KeyEntry()
        self.key_entry.changed.connect(self._update_buttons)
        self.key_entry.submitted.connect(self.read_now)
        self.camera_button = QPushButton()
        self.camera_button.setObjectName("cameraButton")
        self.camera_button.clicked.connect(self.toggle_camera)
        self.camera_button.setVisible(self.key_entry.qr_available)
        self.read_button = QPushButton()
        self.read_button.setObjectName("readButton")
        self.read_button.setMinimumHeight(40)
        self.read_button.clicked.connect(self.read_now)
        kl.addWidget(self.key_entry)
        kl.addWidget(self.camera_button)
        kl.addWidget(self.read_button)
        kl.addStretch(1)
        self.privacy_label = QLabel()
        self.privacy_label.setWordWrap(True)
        self.privacy_label.setStyleSheet("color: #555;")
        kl.addWidget(self.privacy_label)
        body.addWidget(self.key_group)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_message_page())
        self.pages.addWidget(self._build_reading_page())
        self.pages.addWidget(self._build_result_page())
        body.addWidget(self.pages, 1)
        outer.addLayout(body, 1)
        # the shift's guest list: outside the card view, so its clearing never touches it
        self.guest_bar = GuestListBar(self._exportable, self.languages)
        outer.addWidget(self.guest_bar)
        self.setCentralWidget(central)

        self.trust_label = QLabel()
        self.trust_label.setObjectName("trustLabel")
        self.note_label = QLabel()
        self.statusBar().addWidget(self.trust_label, 1)
        self.statusBar().addPermanentWidget(self.note_label)
        self._build_shortcuts()

    def _build_message_page(self) -> QWidget:
        """Centred text in a column of bounded width.

        Word-wrapped labels are added *without* a layout alignment: an aligned item is sized
        to its width hint and loses height-for-width, which clipped and overlapped the text.
        The column is centred by stretches on both sides instead, and the text by the labels'
        own alignment.
        """
        msg = QWidget()
        page = QVBoxLayout(msg)
        page.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        column_widget = QWidget()
        column_widget.setObjectName("messageColumn")
        column_widget.setMaximumWidth(MESSAGE_WIDTH)
        column_widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        column = QVBoxLayout(column_widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(14)
        self.message_title = QLabel()
        self.message_title.setObjectName("messageTitle")
        self.message_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_title.setWordWrap(True)
        tf = self.message_title.font()
        tf.setPointSizeF(tf.pointSizeF() + 10)
        tf.setBold(True)
        self.message_title.setFont(tf)
        self._title_font = tf
        self.message_body = QLabel()
        self.message_body.setObjectName("messageBody")
        self.message_body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_body.setWordWrap(True)
        bf = self.message_body.font()
        bf.setPointSizeF(bf.pointSizeF() + 2)
        self.message_body.setFont(bf)
        self.message_detail = QLabel()
        self.message_detail.setObjectName("messageDetail")
        self.message_detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_detail.setWordWrap(True)
        self.message_detail.setStyleSheet("color: #555;")
        for label in (self.message_title, self.message_body, self.message_detail):
            label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            column.addWidget(label)
        self.reader_choices = QHBoxLayout()
        self.reader_choices.setSpacing(10)
        column.addLayout(self.reader_choices)
        self._reader_buttons: list[QPushButton] = []
        self.retry_button = QPushButton()
        self.retry_button.setObjectName("retryButton")
        self.retry_button.setMinimumHeight(40)
        self.retry_button.clicked.connect(self.read_now)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.retry_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        row.addWidget(column_widget, 10)
        row.addStretch(1)
        page.addLayout(row)
        page.addStretch(2)
        self.message_column = column_widget
        return msg

    def _build_reading_page(self) -> QWidget:
        reading = QWidget()
        rl = QVBoxLayout(reading)
        self.reading_title = QLabel()
        self.reading_title.setFont(self._title_font)
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
        return reading

    def _build_result_page(self) -> QWidget:
        result = QWidget()
        resl = QVBoxLayout(result)
        resl.setContentsMargins(0, 0, 0, 0)
        self.result_view = ResultView()
        self.result_view.copied.connect(self._copied)
        self.result_view.badge.trust_requested.connect(self.open_trust_settings)
        # the face check (issue 30): a third tab, enabled after a read not proven forged
        # (bound to the settings, not to the window: a closure over self would make a cycle
        # that leaves closed windows to a later garbage collection on any thread)
        settings = self.settings
        self.face_panel = FacePanel(lambda: settings.camera_source)
        self.face_tab = self.result_view.tabs.addTab(self.face_panel, "")
        self.result_view.tabs.setTabEnabled(self.face_tab, False)
        resl.addWidget(self.result_view, 1)
        actions = QHBoxLayout()
        self.checks_button = QPushButton()
        self.checks_button.clicked.connect(self.result_view.show_checks)
        self.copy_all_button = QPushButton()
        self.copy_all_button.setObjectName("copyAll")
        self.copy_all_button.clicked.connect(self.copy_all)
        self.print_button = QPushButton()
        self.print_button.setObjectName("printButton")
        self.print_button.clicked.connect(self.print_record)
        self.export_button = QToolButton()
        self.export_button.setObjectName("exportButton")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_menu = QMenu(self.export_button)
        self.csv_action = self.export_menu.addAction("")
        self.csv_action.triggered.connect(self.export_csv)
        self.xlsx_action = self.export_menu.addAction("")
        self.xlsx_action.triggered.connect(self.export_xlsx)
        self.export_menu.addSeparator()
        self.json_action = self.export_menu.addAction("")
        self.json_action.triggered.connect(self.export_json)
        self.pdf_action = self.export_menu.addAction("")
        self.pdf_action.triggered.connect(self.export_pdf)
        self.export_button.setMenu(self.export_menu)
        self.export_button.setMinimumHeight(36)
        # issue 31: the chip's evidence package for a bank's server, on request only
        self.evidence_button = QPushButton()
        self.evidence_button.setObjectName("saveEvidence")
        self.evidence_button.setMinimumHeight(36)
        self.evidence_button.clicked.connect(self.save_evidence)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear_data)
        self.next_button = QPushButton()
        self.next_button.setObjectName("nextCustomer")
        nf = self.next_button.font()
        nf.setPointSizeF(nf.pointSizeF() + 3)
        nf.setBold(True)
        self.next_button.setFont(nf)
        self.next_button.setMinimumHeight(48)
        self.next_button.setStyleSheet(
            "#nextCustomer { background: #1f4e99; color: white; border-radius: 6px;"
            " padding: 4px 18px; }"
            "#nextCustomer:disabled { background: #9aa7bd; color: #eef; }")
        self.next_button.clicked.connect(self.next_customer)
        actions.addWidget(self.checks_button)
        actions.addWidget(self.copy_all_button)
        actions.addWidget(self.print_button)
        actions.addWidget(self.export_button)
        actions.addWidget(self.evidence_button)
        actions.addStretch(1)
        actions.addWidget(self.clear_button)
        actions.addWidget(self.next_button)
        resl.addLayout(actions)
        return result

    def _build_shortcuts(self) -> None:
        """Counter work is keyboard work: every frequent action has a key."""
        self.shortcuts: dict[str, QShortcut] = {}
        for name, keys, slot in (
            ("focus_key", ("F2", "Ctrl+K"), self.focus_key),
            ("clear", ("Ctrl+L",), self.clear_data),
            ("print", ("Ctrl+P",), self.print_record),
            ("copy_all", ("Ctrl+Shift+C",), self.copy_all),
            ("next_customer", ("F12", "Ctrl+N"), self.next_customer),
            ("quit", ("Ctrl+Q",), self.close),
        ):
            for i, key in enumerate(keys):
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.activated.connect(slot)
                self.shortcuts[f"{name}{i or ''}"] = shortcut

    # ================================================================== language

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("CCCD reader — counter"))
        self.title_label.setText(self.tr("Chip ID card reader"))
        self.reader_label.setText(self.tr("Reader:"))
        self.settings_button.setText(self.tr("Settings…"))
        self.history_button.setText(self.tr("History (%1)").replace(
            "%1", str(len(self.history))))
        self.history_button.setVisible(self.settings.history)
        self.guest_bar.retranslate()
        self._render_demo_label()
        self.tap_button.setText(self.tr("Tap card"))
        self.remove_button.setText(self.tr("Remove card"))
        self.key_group.setTitle(self.tr("Access key"))
        self.read_button.setText(self.tr("Read card"))
        self.camera_button.setText(self.tr("Stop camera") if self._camera_stop is not None
                                   else self.tr("Scan QR with camera"))
        self.result_view.tabs.setTabText(self.face_tab, self.face_panel.title())
        idle = self.settings.idle_seconds
        if self.settings.keep_after_removal:
            text = self.tr("Card data stays on screen only: it is cleared on the next card, "
                           "on Next customer or Clear")
        else:
            text = self.tr("Card data stays on screen only: it is cleared when the card is "
                           "removed")
        if idle > 0:
            text += self.tr(", or after %1 s without activity").replace("%1", str(idle))
        text += self.tr(", and written to disk only when you export it.")
        self.privacy_label.setText(text)
        self.reading_title.setText(self.tr("Reading the card…"))
        self.reading_hint.setText(self.tr("Keep the card still on the reader."))
        self.checks_button.setText(self.tr("Show all checks"))
        self.copy_all_button.setText(self.tr("Copy all"))
        self.copy_all_button.setToolTip(self.tr("Tab-separated, in the order of the usual "
                                                "registration forms (Ctrl+Shift+C)"))
        self.print_button.setText(self.tr("Print…"))
        self.print_button.setToolTip("Ctrl+P")
        self.export_button.setText(self.tr("Export ▾"))
        self.csv_action.setText(self.tr("Spreadsheet (CSV)…"))
        self.xlsx_action.setText(self.tr("Excel (.xlsx)…"))
        self.json_action.setText(self.tr("JSON…"))
        self.pdf_action.setText(self.tr("PDF report…"))
        self.evidence_button.setText(self.tr("Save evidence…"))
        self.evidence_button.setToolTip(self.tr(
            "The chip's files and the checks, for the bank's server to check again (with the "
            "face check if you made one). Not the Ministry's online check."))
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setToolTip("Ctrl+L")
        self.next_button.setText(self.tr("Next customer"))
        self.next_button.setToolTip("F12")
        self.key_entry.setToolTip(self.tr("F2: go to the key"))
        self._fill_reader_combo()
        self._render_steps()
        self._render_trust()
        self._render_note()
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        elif event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow():
            # Staff switched to another program, most likely to paste the data there: that
            # work happens outside the app, so it earns a full idle period.
            self.idle.poke()
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
        self.runner.submit(self._warm_up)
        self.focus_key()

    def _warm_up(self) -> None:
        """The first read after launch used to take 1.2 s against 0.15 s warm (imports, the
        crypto back ends, the photo decoder): do that work once in the background now."""
        try:
            backend.warm_up()
        except Exception:  # warm-up is an optimisation: never an error for staff
            log.debug("warm-up failed", exc_info=True)
        self.warmed_up = True

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
                self._card_arrived()
        elif kind == "card_removed":
            self._cards[name] = False
            if name == self.reader:
                self._card_left()
        elif kind == "error":
            self._pcsc_problem = event.detail
            log.warning("reader monitor: %s", event.detail)
            self._render()

    def _card_arrived(self) -> None:
        self._notice = ""
        # in keep-after-removal mode (state KEPT) this is where the previous customer's
        # data goes: KEPT -> NEED_KEY forgets it
        self.flow.fire(Event.CARD_PRESENT)
        self._maybe_read()

    def _card_left(self) -> None:
        state = self.flow.state
        self._generation += 1  # any read still running is now stale
        self._refused_key = None  # the next card may be another one
        if state is State.READING or (
                state is State.ERROR and isinstance(self._error, errors.CardRemovedError)):
            self._notice = "removed_mid_read"
        if state is State.RESULT and self.settings.keep_after_removal:
            self.flow.fire(Event.CARD_LEFT_KEPT)
            return
        self.flow.fire(Event.CARD_REMOVED)

    def _choose_reader(self) -> None:
        """The saved choice, else the only contactless reader, else ask: with two readers
        the app must not guess (it used to keep whichever appeared first)."""
        readers = self._readers
        wanted = self.settings.reader
        choice: str | None = None
        contactless = [r for r in readers if is_contactless(r)]
        if wanted and wanted in readers:
            choice = wanted
        elif self._reader_explicit and self.reader in readers:
            choice = self.reader
        elif len(contactless) == 1:
            choice = contactless[0]
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
                    self._card_arrived()
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
            self.pick_reader(name)

    def pick_reader(self, name: str) -> None:
        """Staff chose a reader: remembered (Settings shows and can reset it)."""
        self.settings.reader = name
        self._reader_explicit = True
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
        if self.flow.state in (State.RESULT, State.ERROR):
            self.flow.fire(Event.CLEARED)
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
        self.key_entry.clear()
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
        if key == self._refused_key:
            # The card said no to exactly this key: sending it again only spends one of the
            # chip's tries. Staff must correct it first.
            self._update_buttons()
            return
        self._generation += 1
        gen = self._generation
        self._error = None
        self._steps = []
        self._notice = ""
        self._read_key = key
        self.flow.fire(Event.READ_STARTED)
        source, reader = self.source, self.reader
        cross = None
        qr_data = self.key_entry.qr_data
        if qr_data is not None:
            from cccd_reader.qr import crosscheck

            def cross(record: Any, _qr: Any = qr_data) -> Any:
                return crosscheck(_qr, record)
        host = self.agent_host
        opener = ((lambda: host.guard(reader, source.transport)) if host is not None
                  else (lambda: source.transport(reader)))
        # the store of the latest load, waited for on the worker if it is still loading
        self.runner.start(gen, opener, key, self.trust_loader.future, cross)

    @property
    def reads_started(self) -> int:
        return self.runner.started

    def wait_for_reads(self, timeout: float = 10.0) -> bool:
        return self.runner.wait(timeout)

    def _on_progress(self, gen: int, step: str, done: int, total: int) -> None:
        if gen != self._generation or self.flow.state is not State.READING:
            return
        if not self._steps or self._steps[-1] != step:
            self._steps.append(step)
            self._render_steps()
        if total > 0:
            self.progress.setFormat(f"{labels.step_label(step)}: %p%")
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        elif step in ("access", "verification"):
            self.progress.setRange(0, 0)

    def _on_partial(self, gen: int, record: Any) -> None:
        """Name and number while the photo is still being read: on screen at once."""
        if gen != self._generation or self.flow.state is not State.READING:
            return
        if record.holder is None and record.document is None:
            return
        self.result_view.show_partial(record)
        self.pages.setCurrentIndex(PAGE_RESULT)
        self.key_group.setVisible(False)
        self._update_buttons()

    def _render_steps(self) -> None:
        self.step_list.clear()
        for i, step in enumerate(self._steps):
            mark = "✔" if i < len(self._steps) - 1 else "…"
            self.step_list.addItem(f"{mark}  {labels.step_label(step)}")

    def _on_finished(self, gen: int, outcome: Any) -> None:
        if gen != self._generation or self.flow.state is not State.READING:
            return  # overtaken by a removal: this record must never appear
        record = outcome.record
        self.flow.fire(Event.READ_OK)
        self.result_view.show_record(record, outcome.seconds)
        self._outcome = outcome
        self.face_panel.set_record(record)
        self.result_view.tabs.setTabEnabled(self.face_tab, self.face_panel.available)
        self.history.add(record, labels.document_kind(record))
        self.history_button.setText(self.tr("History (%1)").replace(
            "%1", str(len(self.history))))
        verdict = record.verification.verdict if record.verification is not None else "none"
        number = record.holder.personal_number if record.holder is not None else (
            record.document.document_number if record.document is not None else None)
        log.info("read %s in %.1f s: verdict %s", mask(number), outcome.seconds, verdict)
        if self.agent_host is not None and self.reader:  # web software hears the clerk's read
            self.agent_host.publish(self.reader, outcome)
        self._update_buttons()
        self._beep(verdict == "genuine")

    def _on_failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._generation or self.flow.state is not State.READING:
            return
        code = getattr(exc, "code", type(exc).__name__)
        log.info("read failed: %s (%s)", type(exc).__name__, code)
        self._error = exc
        if isinstance(exc, errors.AccessDeniedError):
            self._refused_key = self._read_key
        self.flow.fire(Event.READ_FAILED)
        if self.key_entry.try_lifetime_fallback(self._refused_key if isinstance(
                exc, errors.AccessDeniedError) else None):
            self.read_now()  # a lifetime card's second key (991231), once: never a third
            return
        self._beep(False)

    def _beep(self, success: bool) -> None:
        if not self.settings.sound:
            return
        QApplication.beep()
        if not success:
            QTimer.singleShot(300, self, QApplication.beep)

    # ================================================================== state

    def _on_state(self, before: State, after: State) -> None:
        if after in (State.WAITING_CARD, State.NO_READER) or (
            before in (State.RESULT, State.ERROR, State.KEPT) and after is State.NEED_KEY
        ):
            self._forget()
        elif after is State.ERROR:
            self.result_view.clear()  # names shown early by a read that then failed
        if after in (State.RESULT, State.ERROR, State.KEPT):
            self.idle.arm()
        else:
            self.idle.disarm()
        if after is not State.NEED_KEY:
            self._cleared_by_idle = False
        if after is State.READING:
            self.progress.setRange(0, 0)
            self._render_steps()
        self._render()
        if after in (State.WAITING_CARD, State.NEED_KEY, State.ERROR):
            self.key_entry.focus_key()

    def _forget(self) -> None:
        """Drop the record, the photo and the key: the next customer must see nothing."""
        had_data = self.result_view.record is not None or self.result_view.partial is not None
        self.result_view.clear()
        self._outcome = None  # the raw files of the read go with the card
        self.face_panel.clear()  # the portrait, camera frames and capture go with the card
        self.result_view.tabs.setTabEnabled(self.face_tab, False)
        self._error = None
        self._steps = []
        self.step_list.clear()
        self.key_entry.clear()
        self._read_key = None
        if self.demo:
            self._prefill_demo_key()
        if had_data:
            log.info("card data cleared")

    def _idle_expired(self) -> None:
        if self.flow.state in (State.RESULT, State.ERROR, State.KEPT):
            self.flow.fire(Event.CLEARED)
            self._cleared_by_idle = True
            self._render()

    def clear_data(self) -> None:
        self.flow.fire(Event.CLEARED)

    def next_customer(self) -> None:
        """Everything of this customer goes (data, key, QR); the cursor waits for the next."""
        if self.flow.state is State.READING:
            return
        self.flow.fire(Event.CLEARED)
        self._notice = ""
        self._refused_key = None
        self.key_entry.clear()
        if self.demo:
            self._prefill_demo_key()
        self._render()
        self.focus_key()

    def focus_key(self) -> None:
        """F2: the key column comes back (also over a result) with the cursor in it."""
        self.key_group.setVisible(True)
        self.key_entry.focus_key()

    def _copied(self, key: str) -> None:
        self.idle.poke()
        self._status_note = ("copied", labels.field_label(key, self.result_view.kind))
        self._render_note()

    def copy_all(self) -> str:
        """Tab-separated values in the order of the usual registration forms."""
        if self.result_view.record is None:
            return ""
        text = export.copy_all_text(self.result_view.record)
        QGuiApplication.clipboard().setText(text)
        self.idle.poke()
        self._status_note = ("copied_all", "")
        self._render_note()
        return text

    def _update_buttons(self) -> None:
        state = self.flow.state
        key = self.key_entry.key()
        refused = key is not None and key == self._refused_key
        can_read = key is not None and not refused and self.reader is not None and state in (
            State.NEED_KEY, State.ERROR, State.RESULT)
        self.read_button.setEnabled(can_read)
        self.retry_button.setEnabled(can_read)
        self.key_entry.setEnabled(state is not State.READING)
        # no new QR scan mid-read (the key is in use); a running scan can still be stopped
        self.camera_button.setEnabled(state is not State.READING or self._camera_stop is not None)
        self.key_entry.set_refused(refused)
        trusted = self.result_view.record is not None and self.result_view.trusted
        for w in (self.print_button, self.export_button, self.copy_all_button):
            w.setEnabled(trusted and state in (State.RESULT, State.KEPT))
        self.evidence_button.setEnabled(trusted and self._outcome is not None
                                        and state in (State.RESULT, State.KEPT))
        self.guest_bar.set_can_add(trusted and state in (State.RESULT, State.KEPT))
        self.next_button.setEnabled(state is not State.READING)
        self.clear_button.setEnabled(state in (State.RESULT, State.KEPT, State.ERROR))
        if self.demo:
            present = isinstance(self.source, backend.SimSource) and self.source.card_present
            self.tap_button.setEnabled(not present and self.reader is not None)
            self.remove_button.setEnabled(present)

    def _render(self) -> None:
        state = self.flow.state
        self._update_buttons()
        if state is State.READING:
            if self.result_view.partial is None:
                self.pages.setCurrentIndex(PAGE_READING)
                self.key_group.setVisible(True)
            return
        if state in (State.RESULT, State.KEPT):
            self.pages.setCurrentIndex(PAGE_RESULT)
            self.key_group.setVisible(False)  # the data needs the room; F2 brings it back
            self._render_note()
            return
        self.key_group.setVisible(True)
        self.pages.setCurrentIndex(PAGE_MESSAGE)
        truncated = self._truncated(self._error)
        self.retry_button.setVisible(state is State.ERROR and not truncated)
        self.retry_button.setText(self.tr("Try again"))
        detail, tip = "", ""
        choosing = False
        style = ""
        if state is State.NO_READER:
            contactless = [r for r in self._readers if is_contactless(r)]
            if len(contactless) > 1:
                choosing = True
                title = self.tr("Choose a reader")
                body = self.tr("Several contactless readers are connected. Which one is the "
                               "card placed on?")
            else:
                title = self.tr("No reader")
                body = self.tr("Connect a contactless (NFC) PC/SC card reader.")
            if self._pcsc_problem:
                detail = labels.error_detail(labels.monitor_problem_code(self._pcsc_problem))
                tip = self._pcsc_problem
        elif state is State.WAITING_CARD:
            title = self.tr("Place the card on the reader")
            body = self.tr("Type the access key on the left (or scan the QR code) first; "
                           "the card is read as soon as it is placed.")
            if self._notice == "removed_mid_read":
                detail = self.tr("The last read did not finish: the card was lifted off the "
                                 "reader too early. Place it again and keep it still.")
                style = "color: #b3261e; font-weight: bold;"
        elif state is State.NEED_KEY:
            title = self.tr("Card detected")
            body = self.tr("Enter the access key on the left, then press Read card.")
            if self._cleared_by_idle:
                detail = self.tr("The previous data was cleared after a period without "
                                 "activity.")
        else:
            title, body = self._error_texts(self._error)
            exc = self._error
            if isinstance(exc, errors.CccdError):
                detail = labels.error_detail(exc.code)
            elif exc is not None:
                detail = labels.error_detail(type(exc).__name__)
            tip = self.tr("Technical detail: %1").replace("%1", str(exc)) if exc else ""
        self.message_title.setStyleSheet("color: #b3261e;" if state is State.ERROR else "")
        self.message_title.setText(f"✘ {title}" if state is State.ERROR else title)
        self.message_body.setText(body)
        self.message_detail.setText(detail)
        self.message_detail.setToolTip(tip)
        self.message_detail.setStyleSheet(style or "color: #555;")
        self.message_detail.setVisible(bool(detail))
        self._render_reader_choices(choosing)
        self._render_note()

    def _render_reader_choices(self, show: bool) -> None:
        """One large button per contactless reader; rebuilt only when the list changes (a
        button created and dropped within one render was never laid out and painted over
        the page at its default 640x480 until deleted)."""
        names = [r for r in self._readers if is_contactless(r)] if show else []
        if names == [b.text() for b in self._reader_buttons]:
            return
        while self.reader_choices.count():
            item = self.reader_choices.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self._reader_buttons = []
        if not names:
            return
        self.reader_choices.addStretch(1)
        for name in names:
            button = QPushButton(name, self.message_column)
            button.setObjectName("readerChoice")
            button.setMinimumHeight(44)
            button.clicked.connect(lambda _c=False, n=name: self.pick_reader(n))
            self.reader_choices.addWidget(button)
            self._reader_buttons.append(button)
        self.reader_choices.addStretch(1)

    @staticmethod
    def _truncated(exc: BaseException | None) -> bool:
        return isinstance(exc, errors.CccdError) and exc.params.get("truncated") == "yes"

    def _error_texts(self, exc: BaseException | None) -> tuple[str, str]:
        if self._truncated(exc):
            assert isinstance(exc, errors.CccdError)
            return self.tr("NOT GENUINE: damaged chip data"), self.tr(
                "The chip's file %1 is shorter than it declares (cut off after %2 of %3 "
                "bytes). Its data cannot be proven genuine: do not rely on this document; "
                "check the printed card by other means.").replace(
                "%1", exc.params.get("file", "?")).replace(
                "%2", exc.params.get("offset", "?")).replace(
                "%3", exc.params.get("announced", "?"))
        if isinstance(exc, errors.AccessDeniedError):
            return self.tr("Wrong access key"), self.tr(
                "The card refused the key. Check the personal number or CAN (the last 6 digits "
                "of the personal number), or the MRZ fields, and correct it: the same key is "
                "not sent twice, because the card counts wrong tries.")
        if isinstance(exc, errors.ProtocolNotSupportedError):
            if self.key_entry.reuse_personal_number():
                self.key_entry.tabs.setCurrentIndex(2)
            return self.tr("This key cannot open the card"), self.tr(
                "This card does not accept this kind of key. Use the MRZ section (document "
                "number, dates of birth and expiry) or the CAN.")
        if isinstance(exc, errors.CardRemovedError):
            return self.tr("The card was lifted off the reader"), self.tr(
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

    def trust_paths(self) -> list[str]:
        """What the store is loaded from, besides the default trust directories."""
        paths = list(self.settings.trust_paths) + self._extra_trust
        if self.demo:
            paths += backend.demo_trust_paths()
        return paths

    def reload_trust(self, *, force: bool = True) -> None:
        """Load the store on a worker thread (at start, when the settings' trust paths
        change, after an import); reads started meanwhile wait for it off the UI thread."""
        paths = self.trust_paths()
        if not force and self.trust_loader.paths == tuple(paths):
            return
        self.trust_loader.load(paths, demo_sources=backend.demo_trust_paths()
                               if self.demo else ())
        self._render_trust()

    def _on_trust_loaded(self, info: TrustInfo) -> None:
        self.trust_info = info
        self.trust = info.store
        self._render_trust()
        self._render_demo_label()

    def _render_demo_label(self) -> None:
        """The demo bar says the test CSCAs are trusted only when they are loaded."""
        info = self.trust_info
        if info is not None and info.demo_cscas == 0:
            text = self.tr("DEMO MODE: virtual chip with synthetic sample cards. No test CSCA "
                           "is loaded, so cards read as unverified.")
        else:
            text = self.tr("DEMO MODE: virtual chip with synthetic sample cards. The test "
                           "CSCAs in samples/pki are trusted here — never do this for real "
                           "cards.")
        self.demo_label.setText(text)

    def _render_trust(self) -> None:
        info = None if self.trust_loader.loading else self.trust_info
        self.trust_label.setText(freshness_text(info, demo=self.demo))
        self.trust_label.setToolTip("\n".join(info.warnings) if info is not None else "")

    # ================================================================== settings

    def open_settings(self, focus_trust: bool = False) -> None:
        dialog = SettingsDialog(self.settings, self._readers, self)
        dialog.trust_summary.imported.connect(lambda _path: self.reload_trust())
        if focus_trust:
            dialog.focus_trust()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            dialog.apply()
            self.apply_settings()
        # freed by Qt on the UI thread, never by Python's garbage collector on whichever
        # worker thread (trust loading, reads) happens to trigger a collection
        dialog.deleteLater()

    def open_trust_settings(self) -> None:
        self.open_settings(focus_trust=True)

    def apply_settings(self) -> None:
        self.idle.set_seconds(self.settings.idle_seconds)
        if self.settings.language != self.languages.code:
            self.set_language(self.settings.language)
        self.history.enabled = self.settings.history
        if not self.settings.history:
            self.history.clear()
        self._reader_explicit = bool(self.settings.reader)
        self.reload_trust(force=False)
        self._choose_reader()
        self.retranslateUi()

    def open_history(self) -> None:
        dialog = HistoryDialog(self.history, self)
        dialog.exec()

    # ================================================================== QR camera

    def toggle_camera(self) -> None:
        """Webcam QR scan on a worker thread; the first card QR fills the key."""
        if self._camera_stop is not None:
            self._camera_stop.set()
            return
        import threading

        stop = threading.Event()
        self._camera_stop = stop
        source = self.settings.camera_source
        signals = self.camera_signals

        def scan() -> None:
            message = ""
            try:
                for text in backend.camera_payloads(source, stop):
                    signals.found.emit(text)
                    break
            except Exception as exc:  # no camera, no decoder: said on screen, never fatal
                message = getattr(exc, "code", type(exc).__name__)
            signals.ended.emit(message)

        self.runner.submit(scan)
        self.retranslateUi()

    def _camera_found(self, text: str) -> None:
        if self._camera_stop is not None:
            self._camera_stop.set()
        self.key_entry.scan_text(text)

    def _camera_ended(self, message: str) -> None:
        self._camera_stop = None
        if message:
            self._status_note = ("camera", message)
        self.retranslateUi()

    # ================================================================== export

    def _suggested_name(self, suffix: str) -> str:
        return f"cccd-{datetime.datetime.now():%Y%m%d-%H%M%S}.{suffix}"

    def _exportable(self) -> Any:
        """The record, when it may leave the screen: never data that failed the checks."""
        view = self.result_view
        return view.record if view.record is not None and view.trusted else None

    def _save(self, caption: str, suffix: str, filters: str,
              write: Callable[[Any, str], Path]) -> Path | None:
        record = self._exportable()
        if record is None:
            return None
        path = self.save_dialog(self, caption, self._suggested_name(suffix), filters)
        if not path:
            return None
        target = write(record, path)
        export.restrict(target)
        log.info("record exported as %s", suffix)
        self._status_note = ("saved", target.name)
        self._render_note()
        return target

    def save_evidence(self) -> Path | None:
        """"Lưu bằng chứng": the read's evidence package (with the face check's result when
        the clerk made one) where the clerk chooses, 0600 (:mod:`cccd_desktop.evidencesave`)."""
        outcome = self._outcome
        if outcome is None or self._exportable() is None:
            return None
        path = self.save_dialog(self, self.tr("Save evidence for the bank"),
                                self._suggested_name("evidence.json"),
                                self.tr("Evidence package (*.json)"))
        if not path:
            return None
        try:
            target = evidencesave.save_package(outcome, self.face_panel.result, path)
        except errors.CccdError as exc:
            log.info("evidence not saved: %s", getattr(exc, "code", type(exc).__name__))
            self._status_note = ("not_saved", Path(path).name)
            self._render_note()
            return None
        log.info("evidence package saved")
        self._status_note = ("saved", target.name)
        self._render_note()
        return target

    def export_json(self) -> Path | None:
        without = self.settings.export_without_access_data
        return self._save(self.tr("Export card data"), "json", self.tr("JSON (*.json)"),
                          lambda rec, path: export.write_json(rec, path,
                                                              without_access_data=without))

    def export_csv(self) -> Path | None:
        return self._save(self.tr("Export as spreadsheet"), "csv", self.tr("CSV (*.csv)"),
                          export.write_csv)

    def export_xlsx(self) -> Path | None:
        return self._save(self.tr("Export for Excel"), "xlsx", self.tr("Excel (*.xlsx)"),
                          export.write_xlsx)

    def export_pdf(self) -> Path | None:
        note = self.tr("Demo: synthetic card, test trust anchors.") if self.demo else ""
        image = self.result_view.image
        return self._save(self.tr("Save PDF report"), "pdf", self.tr("PDF (*.pdf)"),
                          lambda rec, path: export.write_pdf(rec, path, image, note))

    def print_record(self) -> bool:
        record = self._exportable()
        if record is None:
            return False
        printer = self.print_dialog(self)
        if printer is None:
            return False
        note = self.tr("Demo: synthetic card, test trust anchors.") if self.demo else ""
        export.print_record(record, printer, self.result_view.image, note)
        log.info("record printed")
        self._status_note = ("printed", "")
        self._render_note()
        return True

    def _render_note(self) -> None:
        note = self._status_note
        if note is not None and self.flow.state in (State.RESULT, State.KEPT):
            kind, value = note
            text = {
                "saved": self.tr("Saved %1"),
                "not_saved": self.tr("Could not save %1"),
                "copied": self.tr("Copied: %1"),
                "copied_all": self.tr("All fields copied (tab-separated)"),
                "printed": self.tr("Sent to the printer"),
            }.get(kind, "%1")
            self.note_label.setText(text.replace("%1", value))
        elif note is not None and note[0] == "camera":
            self.note_label.setText(self.tr("Camera: %1").replace(
                "%1", labels.error_detail(note[1])))
        else:
            self._status_note = None
            self.note_label.setText("")

    # ================================================================== closing

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._camera_stop is not None:
            self._camera_stop.set()
        self.face_panel.clear()
        self.source.stop()
        self._generation += 1
        self._forget()
        self.history.clear()  # the session's history never outlives the window
        self.guest_bar.guests.clear()  # nor the guest list, unless the clerk exported it
        self.runner.shutdown()
        super().closeEvent(event)
