"""The settings dialog's *Local agent* tab: the agent the app hosts for software at the counter.

The keys were only editable in the settings file; hospital software written against the common
reader device needs the device-compatible Socket.IO endpoint (issue 29), so its port and the
token-less local admission are set here, beside the agent itself. The hosted agent starts with
the app (:mod:`cccd_desktop.app`), so changes take effect at the next start, which the tab says.

The app's agent has no token: a desktop program (which sends no Origin) can listen on the
Socket.IO port only when token-less local clients are allowed — the device's own level of
protection (``docs/agent.md``, threat model). Both stay off by default.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

#: The reader device serves its Socket.IO on port 8000; HIS configurations name that port.
DEFAULT_SOCKETIO_PORT = 8000


def parse_origins(text: str) -> list[str]:
    """Origins typed one after another (spaces, commas or new lines), in order, without
    repeats."""
    seen: list[str] = []
    for part in re.split(r"[\s,]+", text.strip()):
        if part and part not in seen:
            seen.append(part)
    return seen


class AgentSettingsSection(QWidget):
    """Edits ``agent/*`` of :class:`~cccd_desktop.settings.AppSettings`; ``apply`` writes.

    ``valid_changed`` says whether the values can be saved: one port for both endpoints would
    leave the app without its agent at the next start (the second bind fails), so the dialog
    refuses it on the spot rather than in a log line."""

    valid_changed = Signal(bool)

    def __init__(self, settings: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enabled_check = QCheckBox()
        self.enabled_check.setObjectName("agentEnabled")
        self.enabled_check.setChecked(settings.agent_enabled)
        self.port_spin = QSpinBox()
        self.port_spin.setObjectName("agentPort")
        self.port_spin.setRange(0, 65535)
        self.port_spin.setValue(settings.agent_port)
        self.port_spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.origins_edit = QLineEdit(" ".join(settings.agent_origins))
        self.origins_edit.setObjectName("agentOrigins")
        self.origins_edit.setPlaceholderText("https://his.example.vn")

        sio_port = settings.agent_socketio_port
        self.socketio_check = QCheckBox()
        self.socketio_check.setObjectName("agentSocketio")
        self.socketio_check.setChecked(sio_port is not None)
        self.socketio_port_spin = QSpinBox()
        self.socketio_port_spin.setObjectName("agentSocketioPort")
        self.socketio_port_spin.setRange(1, 65535)  # 0 (any free port) is useless to a HIS
        self.socketio_port_spin.setValue(sio_port or DEFAULT_SOCKETIO_PORT)
        self.local_check = QCheckBox()
        self.local_check.setObjectName("agentSocketioAllowLocal")
        self.local_check.setChecked(settings.agent_socketio_allow_local)
        self.socketio_check.toggled.connect(self._update_enabled)
        self.enabled_check.toggled.connect(self._update_enabled)
        self.port_spin.valueChanged.connect(self._update_enabled)
        self.socketio_port_spin.valueChanged.connect(self._update_enabled)

        self.port_label = QLabel()
        self.origins_label = QLabel()
        self.socketio_port_label = QLabel()
        self.local_hint = QLabel()
        self.local_hint.setWordWrap(True)
        self.local_hint.setStyleSheet("color: #555;")
        self.clash_label = QLabel()
        self.clash_label.setObjectName("agentPortClash")
        self.clash_label.setStyleSheet("color: #b3261e;")
        self.restart_hint = QLabel()
        self.restart_hint.setObjectName("agentRestartHint")
        self.restart_hint.setWordWrap(True)

        form = QFormLayout()
        form.addRow("", self.enabled_check)
        form.addRow(self.port_label, self.port_spin)
        form.addRow(self.origins_label, self.origins_edit)
        sio_row = QHBoxLayout()
        sio_row.addWidget(self.socketio_check)
        sio_row.addWidget(self.socketio_port_label)
        sio_row.addWidget(self.socketio_port_spin)
        sio_row.addStretch(1)
        form.addRow("", sio_row)
        form.addRow("", self.clash_label)
        form.addRow("", self.local_check)
        form.addRow("", self.local_hint)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.restart_hint)
        layout.addStretch(1)
        self._update_enabled()
        self.retranslate()

    def _update_enabled(self) -> None:
        on = self.enabled_check.isChecked()
        sio = on and self.socketio_check.isChecked()
        widgets: list[tuple[QWidget, bool]] = [
            (self.port_spin, on), (self.origins_edit, on), (self.socketio_check, on),
            (self.socketio_port_label, sio), (self.socketio_port_spin, sio),
            (self.local_check, sio)]
        for widget, enabled in widgets:
            widget.setEnabled(enabled)
        self.clash_label.setVisible(self.ports_clash())
        self.valid_changed.emit(not self.ports_clash())

    def ports_clash(self) -> bool:
        """Both endpoints asked for on the same port (0 for the agent is any free port)."""
        return (self.enabled_check.isChecked() and self.socketio_check.isChecked()
                and self.port_spin.value() == self.socketio_port_spin.value())

    def apply(self, settings: Any) -> None:
        settings.agent_enabled = self.enabled_check.isChecked()
        settings.agent_port = self.port_spin.value()
        settings.agent_origins = parse_origins(self.origins_edit.text())
        settings.agent_socketio_port = (self.socketio_port_spin.value()
                                        if self.socketio_check.isChecked() else None)
        settings.agent_socketio_allow_local = self.local_check.isChecked()

    def retranslate(self) -> None:
        self.enabled_check.setText(self.tr("Host the local agent for software at the counter "
                                           "(web pages, hospital software)"))
        self.port_label.setText(self.tr("Agent port (0 = any free port)"))
        self.origins_label.setText(self.tr("Web pages allowed (origins, separated by spaces)"))
        self.socketio_check.setText(self.tr("Reader-device Socket.IO endpoint for hospital "
                                            "software"))
        self.socketio_port_label.setText(self.tr("port"))
        self.local_check.setText(self.tr("Let programs on this PC listen without a token"))
        self.local_hint.setText(self.tr(
            "Hospital software on the PC sends no web origin and the app's agent has no token: "
            "it can connect only with this option, which is the reader device's own level of "
            "protection (any program on this PC may receive the cards read)."))
        self.clash_label.setText(self.tr("The Socket.IO endpoint needs a port of its own, not "
                                         "the agent's."))
        self.restart_hint.setText(self.tr("Changes here take effect the next time the app "
                                          "starts."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
