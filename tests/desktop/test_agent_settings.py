"""The settings dialog's *Local agent* tab (issue 29: the device-compatible Socket.IO endpoint
"in the app's agent settings"): Vietnamese first, off by default, written to the settings file,
and what it writes is what the hosted agent listens with — a program without an Origin gets in
only when the clerk allowed token-less local clients."""

from __future__ import annotations

import argparse
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
import socketio
from cccd_desktop import app as desktop_app
from cccd_desktop.agent_settings import parse_origins
from cccd_desktop.agenthost import AgentHost
from cccd_desktop.settings import AppSettings, SettingsDialog
from cccd_desktop.window import MainWindow
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox

from tests.agent.agent_support import ALLOWED


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_tab_in_vietnamese_and_off_by_default(make_window: Callable[..., MainWindow],
                                              settings: AppSettings) -> None:
    window = make_window()
    dialog = SettingsDialog(settings, [], window)
    section = dialog.agent_section
    assert dialog.tabs.tabText(dialog.agent_tab) == "Dịch vụ cục bộ"
    assert section.socketio_check.text().startswith("Cổng Socket.IO như thiết bị đọc thẻ")
    assert "không cần mã token" in section.local_check.text()
    assert not section.enabled_check.isChecked() and not section.socketio_check.isChecked()
    assert not section.local_check.isChecked()
    # nothing to set for Socket.IO until the agent is on and the endpoint asked for
    assert not section.socketio_check.isEnabled() and not section.socketio_port_spin.isEnabled()
    section.enabled_check.setChecked(True)
    assert section.socketio_check.isEnabled() and not section.local_check.isEnabled()
    section.socketio_check.setChecked(True)
    assert section.socketio_port_spin.isEnabled() and section.local_check.isEnabled()
    assert section.socketio_port_spin.value() == 8000  # the device's own port
    dialog.apply()  # checked boxes are not "changed" settings until applied...
    assert settings.agent_socketio_port == 8000 and not settings.agent_socketio_allow_local
    dialog.deleteLater()


def test_written_to_the_settings_file_and_turned_off_again(
        make_window: Callable[..., MainWindow], settings: AppSettings, tmp_path: Path) -> None:
    window = make_window()
    dialog = SettingsDialog(settings, [], window)
    section = dialog.agent_section
    section.enabled_check.setChecked(True)
    section.port_spin.setValue(9123)
    section.origins_edit.setText(" https://his.example.vn, https://his.example.vn\nhttp://a.b ")
    section.socketio_check.setChecked(True)
    section.socketio_port_spin.setValue(8123)
    section.local_check.setChecked(True)
    dialog.apply()
    settings.store.sync()
    on_disk = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    assert (on_disk.agent_enabled, on_disk.agent_port, on_disk.agent_origins) == (
        True, 9123, ["https://his.example.vn", "http://a.b"])
    assert (on_disk.agent_socketio_port, on_disk.agent_socketio_allow_local) == (8123, True)

    again = SettingsDialog(settings, [], window)  # a reopened dialog shows what is saved
    assert again.agent_section.socketio_check.isChecked()
    assert again.agent_section.socketio_port_spin.value() == 8123
    again.agent_section.socketio_check.setChecked(False)
    again.apply()
    assert settings.agent_socketio_port is None
    assert not settings.store.contains("agent/socketio_port")
    dialog.deleteLater()
    again.deleteLater()


@pytest.mark.parametrize("allow_local", [True, False])
def test_what_the_tab_sets_is_what_the_hosted_agent_listens_with(
        make_window: Callable[..., MainWindow], settings: AppSettings, allow_local: bool) -> None:
    window = make_window()
    dialog = SettingsDialog(settings, [], window)
    section = dialog.agent_section
    section.enabled_check.setChecked(True)
    section.port_spin.setValue(0)  # any free port
    section.origins_edit.setText(ALLOWED)
    section.socketio_check.setChecked(True)
    sio_port = _free_port()
    section.socketio_port_spin.setValue(sio_port)
    section.local_check.setChecked(allow_local)
    dialog.apply()
    dialog.deleteLater()

    host = desktop_app._host_agent(argparse.Namespace(agent_origin=None), settings, window)
    assert isinstance(host, AgentHost), "the agent did not start"
    try:
        assert host.server.socketio_port == sio_port
        assert host.origins == [ALLOWED]
        # a desktop HIS: no Origin, no token (the app's agent has none)
        with socketio.SimpleClient() as his:
            if allow_local:
                his.connect(f"http://127.0.0.1:{sio_port}", transports=["websocket"],
                            wait_timeout=10)
                assert his.connected
            else:
                with pytest.raises(socketio.exceptions.ConnectionError):
                    his.connect(f"http://127.0.0.1:{sio_port}", transports=["websocket"],
                                wait_timeout=5)
    finally:
        host.stop()


def test_settings_button_of_the_unverified_badge_opens_on_trust(
        make_window: Callable[..., MainWindow], settings: AppSettings) -> None:
    dialog = SettingsDialog(settings, [], make_window())
    assert dialog.tabs.currentIndex() == 0
    dialog.focus_trust()
    assert dialog.tabs.currentIndex() == dialog.trust_tab
    assert dialog.tabs.tabText(dialog.trust_tab) == "Tin cậy"
    dialog.deleteLater()


def test_origins_typed_as_a_list() -> None:
    assert parse_origins("") == []
    assert parse_origins("https://a.vn,https://b.vn  https://a.vn\n") == [
        "https://a.vn", "https://b.vn"]


def test_one_port_for_both_endpoints_cannot_be_saved(
        make_window: Callable[..., MainWindow], settings: AppSettings) -> None:
    """Both on one port, the agent would not start at all next time (the second bind fails):
    refused in the dialog, in words, not in a log line."""
    dialog = SettingsDialog(settings, [], make_window())
    section = dialog.agent_section
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    section.enabled_check.setChecked(True)
    section.port_spin.setValue(8000)
    assert ok.isEnabled()  # the Socket.IO endpoint is still off
    section.socketio_check.setChecked(True)
    assert not ok.isEnabled() and not section.clash_label.isHidden()
    assert section.clash_label.text().startswith("Cổng Socket.IO cần một cổng riêng")
    section.socketio_port_spin.setValue(8001)
    assert ok.isEnabled() and section.clash_label.isHidden()
    section.socketio_port_spin.setValue(8000)
    section.enabled_check.setChecked(False)  # nothing is hosted: nothing clashes
    assert ok.isEnabled()
    dialog.deleteLater()
