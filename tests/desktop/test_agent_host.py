"""The local agent hosted inside the counter app: settings, the demo reader seen by web pages,
and one card never read by the app and a page at the same time (shared per-reader lock)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cccd_desktop import app as desktop_app
from cccd_desktop.agenthost import AgentHost
from cccd_desktop.backend import SIM_READER
from cccd_desktop.settings import AppSettings
from cccd_desktop.state import State
from cccd_desktop.window import MainWindow

from cccd_reader.errors import TransportError
from tests.agent.agent_support import ALLOWED, HOLDER_NAME, PERSONAL_NUMBER, request
from tests.desktop.conftest import read_to_end


def test_agent_settings_default_off_and_round_trip(settings: AppSettings) -> None:
    assert (settings.agent_enabled, settings.agent_port, settings.agent_origins) == (
        False, 8765, [])
    settings.agent_enabled = True
    settings.agent_port = 9876
    settings.agent_origins = [ALLOWED, "https://his.example"]
    assert (settings.agent_enabled, settings.agent_port, settings.agent_origins) == (
        True, 9876, [ALLOWED, "https://his.example"])
    settings.store.setValue("agent/port", "nonsense")
    assert settings.agent_port == 8765


@pytest.fixture
def hosted(make_window: Callable[..., MainWindow],
           settings: AppSettings) -> Iterator[tuple[MainWindow, AgentHost]]:
    window = make_window()
    settings.agent_port = 0  # a free port
    args = argparse.Namespace(agent_origin=[ALLOWED])
    host = desktop_app._host_agent(args, settings, window)
    assert isinstance(host, AgentHost) and window.agent_host is host
    yield window, host
    host.stop()


def _card_present(port: int, present: bool) -> None:
    deadline = time.monotonic() + 10
    while request(port, "GET", "/v1/status").json()["readers"] != [
            {"name": SIM_READER, "card_present": present, "busy": False}]:
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_web_page_reads_the_apps_demo_card(qtbot: Any,
                                           hosted: tuple[MainWindow, AgentHost]) -> None:
    window, host = hosted
    port = host.server.port
    _card_present(port, False)
    assert request(port, "POST", "/v1/read", {"id": PERSONAL_NUMBER}).json()["error"][
        "code"] == "no_card"
    window.source.tap()  # type: ignore[union-attr]
    _card_present(port, True)
    reply = request(port, "POST", "/v1/read", {"id": PERSONAL_NUMBER},
                    headers={"Origin": ALLOWED})
    assert reply.status == 200 and reply.json()["holder"]["full_name"] == HOLDER_NAME
    assert request(port, "GET", "/v1/status",
                   headers={"Origin": "http://evil.example"}).status == 403


def test_app_and_page_never_read_one_card_at_once(qtbot: Any,
                                                  hosted: tuple[MainWindow, AgentHost]) -> None:
    window, host = hosted
    port = host.server.port
    window.source.tap()  # type: ignore[union-attr]
    _card_present(port, True)
    # the app holds the card (its transport is open): the page is told busy
    held = host.guard(SIM_READER, window.source.transport)
    reply = request(port, "POST", "/v1/read", {"id": PERSONAL_NUMBER})
    assert reply.status == 409 and reply.json()["error"]["code"] == "busy"
    held.close()
    assert request(port, "POST", "/v1/read", {"id": PERSONAL_NUMBER}).status == 200
    # a page's read holds the card: the app's own read is refused, not interleaved
    lock = host.locks.get(SIM_READER)
    assert lock.acquire(blocking=False)
    try:
        with pytest.raises(TransportError):
            host.guard(SIM_READER, window.source.transport)
    finally:
        lock.release()
    # and the app still reads normally through the guard
    window.source.remove()  # type: ignore[union-attr]
    read_to_end(qtbot, window)
    assert window.flow.state is State.RESULT
    assert not lock.locked()


def test_a_taken_port_does_not_stop_the_app(hosted: tuple[MainWindow, AgentHost]) -> None:
    _, host = hosted
    second = AgentHost(port=host.server.port, origins=[ALLOWED])
    assert second.start() is False and "cannot listen" in second.problem


def test_socketio_settings_round_trip(settings: AppSettings) -> None:
    assert (settings.agent_socketio_port, settings.agent_socketio_allow_local) == (None, False)
    settings.agent_socketio_port = 8000
    settings.agent_socketio_allow_local = True
    assert (settings.agent_socketio_port, settings.agent_socketio_allow_local) == (8000, True)
    settings.store.setValue("agent/socketio_port", "nonsense")
    assert settings.agent_socketio_port is None
    settings.agent_socketio_port = None
    assert settings.agent_socketio_port is None


def test_hospital_software_hears_the_apps_demo_taps_over_socketio(
    qtbot: Any, make_window: Callable[..., MainWindow], settings: AppSettings,
) -> None:
    """With ``agent/socketio_port`` set, the app's hosted agent speaks the reader device's
    Socket.IO events: a HIS client hears the clerk's taps and reads with /input_data."""
    import socketio

    window = make_window()
    settings.agent_socketio_port = 0  # a free port
    settings.agent_socketio_allow_local = True
    host = desktop_app._host_agent(argparse.Namespace(agent_origin=[ALLOWED]), settings, window)
    assert isinstance(host, AgentHost)
    try:
        with socketio.SimpleClient() as his:
            his.connect(host.server.socketio_url, transports=["websocket"], wait_timeout=10)
            his.emit("/input_data", {"idCode": PERSONAL_NUMBER})
            time.sleep(0.3)
            window.source.tap()  # type: ignore[union-attr]
            ids = []
            text: dict[str, Any] = {}
            deadline = time.monotonic() + 20
            while len(ids) < 4 and time.monotonic() < deadline:
                qtbot.wait(20)  # the app's bridge delivers the tap on the Qt thread
                try:
                    _name, data = his.receive(timeout=0.05)
                except socketio.exceptions.TimeoutError:
                    continue
                ids.append(data["id"])
                if data["id"] == 2:
                    text = data["data"]
            assert ids == [1, 2, 4, 5]
            assert text["personName"] == HOLDER_NAME
    finally:
        host.stop()
