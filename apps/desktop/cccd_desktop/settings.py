"""Persistent preferences (QSettings, organisation "cccd-reader") and the dialog to edit them.

Only preferences live here — never card data or access keys, which must not outlive a read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

ORGANISATION = "cccd-reader"
APPLICATION = "cccd-desktop"
DEFAULT_IDLE_SECONDS = 120
DEFAULT_AGENT_PORT = 8765
LANGUAGES = (("vi", "Tiếng Việt"), ("en", "English"))  # endonyms: never translated


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)


class AppSettings:
    """Typed access to the QSettings store; tests pass an INI-backed QSettings of their own."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings(ORGANISATION, APPLICATION)
        # the guest-register export and its column mapping are gone (issue 28: the portal's
        # own workbooks replace them); drop the setting earlier versions stored
        if self.store.contains("guest_mapping"):
            self.store.remove("guest_mapping")

    @property
    def reader(self) -> str:
        return str(self.store.value("reader", "") or "")

    @reader.setter
    def reader(self, name: str) -> None:
        self.store.setValue("reader", name)

    @property
    def trust_paths(self) -> list[str]:
        value: Any = self.store.value("trust_paths", [])
        if isinstance(value, str):
            return [value] if value else []
        return [str(v) for v in value or []]

    @trust_paths.setter
    def trust_paths(self, paths: Sequence[str]) -> None:
        self.store.setValue("trust_paths", list(paths))

    @property
    def idle_seconds(self) -> int:
        try:
            value: Any = self.store.value("idle_seconds", DEFAULT_IDLE_SECONDS)
            return int(value)
        except (TypeError, ValueError):
            return DEFAULT_IDLE_SECONDS

    @idle_seconds.setter
    def idle_seconds(self, seconds: int) -> None:
        self.store.setValue("idle_seconds", int(seconds))

    @property
    def language(self) -> str:
        value = str(self.store.value("language", "vi") or "vi")
        return value if value in dict(LANGUAGES) else "vi"

    @language.setter
    def language(self, code: str) -> None:
        self.store.setValue("language", code)

    @property
    def sound(self) -> bool:
        return _as_bool(self.store.value("sound", False))

    @sound.setter
    def sound(self, on: bool) -> None:
        self.store.setValue("sound", bool(on))

    @property
    def export_without_access_data(self) -> bool:
        """JSON exports leave out the MRZ and the numbers (they would open the chip again)."""
        return _as_bool(self.store.value("export_without_access_data", False))

    @export_without_access_data.setter
    def export_without_access_data(self, on: bool) -> None:
        self.store.setValue("export_without_access_data", bool(on))


    # --- the embedded local agent (cccd_desktop.agenthost); edited in the settings file or
    # --- given per session with --agent-origin

    @property
    def agent_enabled(self) -> bool:
        return _as_bool(self.store.value("agent/enabled", False))

    @agent_enabled.setter
    def agent_enabled(self, on: bool) -> None:
        self.store.setValue("agent/enabled", bool(on))

    @property
    def agent_port(self) -> int:
        try:
            value: Any = self.store.value("agent/port", DEFAULT_AGENT_PORT)
            port = int(value)
        except (TypeError, ValueError):
            return DEFAULT_AGENT_PORT
        return port if 0 <= port < 65536 else DEFAULT_AGENT_PORT  # 0: any free port

    @agent_port.setter
    def agent_port(self, port: int) -> None:
        self.store.setValue("agent/port", int(port))

    @property
    def agent_origins(self) -> list[str]:
        value: Any = self.store.value("agent/origins", [])
        if isinstance(value, str):
            return [value] if value else []
        return [str(v) for v in value or []]

    @agent_origins.setter
    def agent_origins(self, origins: Sequence[str]) -> None:
        self.store.setValue("agent/origins", list(origins))

    @property
    def agent_socketio_port(self) -> int | None:
        """The device-compatible Socket.IO endpoint's port (``cccd serve --socketio-port``);
        None (absent, empty or not a port): off."""
        value: Any = self.store.value("agent/socketio_port", None)
        try:
            port = int(value)
        except (TypeError, ValueError):
            return None
        return port if 0 <= port < 65536 else None

    @agent_socketio_port.setter
    def agent_socketio_port(self, port: int | None) -> None:
        if port is None:
            self.store.remove("agent/socketio_port")
        else:
            self.store.setValue("agent/socketio_port", int(port))

    @property
    def agent_socketio_allow_local(self) -> bool:
        """``--socketio-allow-local``: token-less Socket.IO clients from this PC."""
        return _as_bool(self.store.value("agent/socketio_allow_local", False))

    @agent_socketio_allow_local.setter
    def agent_socketio_allow_local(self, on: bool) -> None:
        self.store.setValue("agent/socketio_allow_local", bool(on))

    @property
    def keep_after_removal(self) -> bool:
        """Keep the result on screen after the card leaves, until the next card, *Next
        customer* or *Clear* (off: cleared on removal, the privacy-first default)."""
        return _as_bool(self.store.value("keep_after_removal", False))

    @keep_after_removal.setter
    def keep_after_removal(self, on: bool) -> None:
        self.store.setValue("keep_after_removal", bool(on))

    @property
    def history(self) -> bool:
        """Keep this session's reads in memory (never on disk; off by default)."""
        return _as_bool(self.store.value("history", False))

    @history.setter
    def history(self, on: bool) -> None:
        self.store.setValue("history", bool(on))

    @property
    def camera_source(self) -> str:
        """OpenCV capture source for the webcam QR scan and the face check: a camera index
        ("0") or a file/URL."""
        return str(self.store.value("camera_source", "0") or "0")

    @camera_source.setter
    def camera_source(self, value: str) -> None:
        self.store.setValue("camera_source", value)



class SettingsDialog(QDialog):
    """Edits the settings; the caller applies them after ``accept``."""

    def __init__(
        self, settings: AppSettings, readers: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self.reader_combo = QComboBox()
        self.reader_combo.addItem("", "")
        for name in readers:
            self.reader_combo.addItem(name, name)
        current = settings.reader
        if current and current not in readers:
            self.reader_combo.addItem(current, current)
        self.reader_combo.setCurrentIndex(max(0, self.reader_combo.findData(current)))

        self.trust_list = QListWidget()
        self.trust_list.addItems(settings.trust_paths)
        self.add_file_button = QPushButton()
        self.add_dir_button = QPushButton()
        self.remove_button = QPushButton()
        self.add_file_button.clicked.connect(self._add_file)
        self.add_dir_button.clicked.connect(self._add_dir)
        self.remove_button.clicked.connect(self._remove)
        trust_buttons = QHBoxLayout()
        for b in (self.add_file_button, self.add_dir_button, self.remove_button):
            trust_buttons.addWidget(b)
        trust_box = QVBoxLayout()
        trust_box.addWidget(self.trust_list)
        trust_box.addLayout(trust_buttons)
        self.trust_hint = QLabel()
        self.trust_hint.setWordWrap(True)
        trust_box.addWidget(self.trust_hint)
        from cccd_desktop.trust_summary import TrustSummary  # issue 16: summary + import

        self.trust_summary = TrustSummary(self, paths=settings.trust_paths)
        trust_box.addWidget(self.trust_summary)

        self.idle_spin = QSpinBox()
        self.idle_spin.setRange(0, 3600)
        self.idle_spin.setValue(settings.idle_seconds)
        self.language_combo = QComboBox()
        for code, name in LANGUAGES:
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(self.language_combo.findData(settings.language))
        self.sound_check = QCheckBox()
        self.sound_check.setChecked(settings.sound)
        self.redact_check = QCheckBox()
        self.redact_check.setObjectName("exportWithoutAccessData")
        self.redact_check.setChecked(settings.export_without_access_data)
        self.keep_check = QCheckBox()
        self.keep_check.setChecked(settings.keep_after_removal)
        self.history_check = QCheckBox()
        self.history_check.setChecked(settings.history)
        self.camera_edit = QLineEdit(settings.camera_source)

        # Three tabs, so the dialog fits a 1366x768 screen with the agent's settings in it
        self.form = QFormLayout()
        self.reader_label = QLabel()
        self.idle_label = QLabel()
        self.language_label = QLabel()
        self.form.addRow(self.reader_label, self.reader_combo)
        self.form.addRow(self.idle_label, self.idle_spin)
        self.form.addRow(self.language_label, self.language_combo)
        self.form.addRow("", self.sound_check)
        self.form.addRow("", self.redact_check)
        self.form.addRow("", self.keep_check)
        self.form.addRow("", self.history_check)
        self.camera_label = QLabel()
        self.form.addRow(self.camera_label, self.camera_edit)
        general = QWidget()
        general_box = QVBoxLayout(general)
        general_box.addLayout(self.form)
        general_box.addStretch(1)
        trust_page = QWidget()
        trust_page.setLayout(trust_box)
        from cccd_desktop.agent_settings import AgentSettingsSection

        self.agent_section = AgentSettingsSection(settings)
        self.tabs = QTabWidget()
        self.tabs.addTab(general, "")
        self.trust_tab = self.tabs.addTab(trust_page, "")
        self.agent_tab = self.tabs.addTab(self.agent_section, "")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok_button is not None:
            self.agent_section.valid_changed.connect(ok_button.setEnabled)
            ok_button.setEnabled(not self.agent_section.ports_clash())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        # Qt ships no Vietnamese catalogue for its own buttons: name them ourselves
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if ok is not None:
            ok.setText(self.tr("OK"))
        if cancel is not None:
            cancel.setText(self.tr("Cancel"))
        self.keep_check.setText(self.tr("Keep the data after the card is removed (until the "
                                        "next card, Next customer or Clear)"))
        self.history_check.setText(self.tr("Keep a history of this session's reads (in memory "
                                           "only, cleared on exit)"))
        self.camera_label.setText(self.tr("Camera for QR and face check (number or video file)"))
        self.reader_combo.setItemText(0, self.tr("Automatic (the only contactless reader)"))
        self.add_file_button.setText(self.tr("Add file…"))
        self.add_dir_button.setText(self.tr("Add folder…"))
        self.remove_button.setText(self.tr("Remove"))
        self.trust_hint.setText(self.tr(
            "CSCA or document signer certificates (DER/PEM), ICAO master lists (.ml) and CRLs. "
            "The trust directory of cccd trust is always read: %1"
        ).replace("%1", str(_trust_dir())))
        self.reader_label.setText(self.tr("Reader"))
        self.tabs.setTabText(0, self.tr("General"))
        self.tabs.setTabText(self.trust_tab, self.tr("Trust"))
        self.tabs.setTabText(self.agent_tab, self.tr("Local agent"))
        self.idle_label.setText(self.tr("Clear data after idle (seconds, 0 = never)"))
        self.language_label.setText(self.tr("Language"))
        self.sound_check.setText(self.tr("Beep on success and failure"))
        self.redact_check.setText(self.tr("Leave the MRZ and ID numbers out of JSON exports"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def _add_file(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Trust files"), str(Path.home()),
            self.tr("Certificates and master lists (*.der *.pem *.cer *.crt *.ml *.crl);;All (*)"),
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        self.trust_list.addItems(paths)

    def _add_dir(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, self.tr("Trust folder"), str(Path.home()),
            QFileDialog.Option.ShowDirsOnly | QFileDialog.Option.DontUseNativeDialog)
        if path:
            self.trust_list.addItem(path)

    def _remove(self) -> None:
        for item in self.trust_list.selectedItems():
            self.trust_list.takeItem(self.trust_list.row(item))

    def apply(self) -> None:
        s = self._settings
        s.reader = str(self.reader_combo.currentData() or "")
        s.trust_paths = [self.trust_list.item(i).text() for i in range(self.trust_list.count())]
        s.idle_seconds = self.idle_spin.value()
        s.language = str(self.language_combo.currentData())
        s.sound = self.sound_check.isChecked()
        s.export_without_access_data = self.redact_check.isChecked()
        s.keep_after_removal = self.keep_check.isChecked()
        s.history = self.history_check.isChecked()
        s.camera_source = self.camera_edit.text().strip() or "0"
        self.agent_section.apply(s)

    def focus_trust(self) -> None:
        """Open on the trust tab (the unverified badge's *Settings → Trust…*)."""
        self.tabs.setCurrentIndex(self.trust_tab)
        self.trust_list.setFocus()


def _trust_dir() -> Path:
    """The per-user trust directory (``cccd trust``; imports go there)."""
    from cccd_reader.pki.trust import trust_dir

    return trust_dir()
