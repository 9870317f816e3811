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
