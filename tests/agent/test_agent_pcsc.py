"""The agent's contract through the real stack: HTTP/WebSocket -> agent -> pyscard -> pcscd ->
vpcd -> the virtual chip, inserted into "Virtual PCD 00 00" as ``cccd simulate`` does."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

from cccd_reader import dump as dumpmod
from cccd_reader.agent import AgentConfig, AgentServer
from cccd_reader.agent.backend import PcscBackend
from cccd_sim.cards import chip_for_dump
from cccd_sim.pcscd import VPCD_BASE_PORT, reader_for_port
from tests.agent.agent_support import (
    ALLOWED,
    HOLDER_NAME,
    PERSONAL_NUMBER,
    SAMPLE_NAME,
    AccessCounter,
    CountingCard,
    request,
)
from tests.conftest import SAMPLES

pytestmark = pytest.mark.pcsc

Insert = Callable[..., AbstractContextManager[str]]


@pytest.fixture
def agent(pcsc_readers: list[str]) -> Iterator[AgentServer]:
    config = AgentConfig(port=0, allow_origins=(ALLOWED,),
                         backend=PcscBackend(poll_interval=0.1))
    with AgentServer(config) as server:
        yield server


@pytest.fixture
def counted_card() -> CountingCard:
    return CountingCard(chip_for_dump(dumpmod.load(SAMPLES / SAMPLE_NAME)), AccessCounter())


def _ws(agent: AgentServer) -> ClientConnection:
    return connect(f"ws://127.0.0.1:{agent.port}/v1/events",
                   origin=ALLOWED,  # type: ignore[arg-type]
                   open_timeout=10)


def _wait_for(ws: ClientConnection, wanted: dict[str, Any], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while True:
        message = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        if message == wanted:
            return


def _status_has_card(agent: AgentServer, reader: str, present: bool = True) -> None:
    deadline = time.monotonic() + 10
    while True:
        readers = request(agent.port, "GET", "/v1/status").json()["readers"]
        if {"name": reader, "card_present": present, "busy": False} in readers:
            return
        assert time.monotonic() < deadline, readers
        time.sleep(0.05)


def test_read_through_pcscd_returns_the_vietnamese_name(
    agent: AgentServer, vpcd_card: Insert, counted_card: CountingCard
) -> None:
    with vpcd_card(counted_card) as reader:
        _status_has_card(agent, reader)
        reply = request(agent.port, "POST", "/v1/read",
                        {"id": PERSONAL_NUMBER, "reader": reader, "photo": True},
                        headers={"Origin": ALLOWED})
        assert reply.status == 200, reply.body
        doc = reply.json()
        assert doc["holder"]["full_name"] == HOLDER_NAME
        assert doc["access"]["protocol"] == "PACE"
        assert doc["photo"]["data_url"].startswith("data:image/")
        assert reply.headers["access-control-allow-origin"] == ALLOWED
        # without "reader": the first contactless slot with a card
        again = request(agent.port, "POST", "/v1/read", {"can": "012345"})
        assert again.status == 200 and again.json()["holder"]["full_name"] == HOLDER_NAME
    assert counted_card.counter.pace == 2


def test_insertion_and_removal_are_events(
    agent: AgentServer, vpcd_card: Insert, counted_card: CountingCard
) -> None:
    name = reader_for_port(VPCD_BASE_PORT)
    with _ws(agent) as ws:
        with vpcd_card(counted_card) as reader:
            assert reader == name
            _wait_for(ws, {"type": "card_present", "reader": reader})
            ws.send(json.dumps({"type": "read", "key": {"id": PERSONAL_NUMBER}, "reader": reader}))
            kinds = []
            while (message := json.loads(ws.recv(timeout=20)))["type"] == "read_progress":
                kinds.append(message["step"])
            assert message["type"] == "record", message
            assert message["record"]["holder"]["full_name"] == HOLDER_NAME
            assert kinds
        _wait_for(ws, {"type": "card_removed", "reader": name})
    _status_has_card(agent, name, present=False)


def test_wrong_key_is_one_attempt_through_pcscd(
    agent: AgentServer, vpcd_card: Insert, counted_card: CountingCard
) -> None:
    with vpcd_card(counted_card) as reader:
        reply = request(agent.port, "POST", "/v1/read", {"can": "999999", "reader": reader})
        assert reply.status == 422, reply.body
        assert reply.json()["error"]["code"] == "access_denied"
        time.sleep(0.3)  # anything retried in the background would show up here
        assert counted_card.counter.pace == 1
        # the right key still opens the card: nothing was blocked
        ok = request(agent.port, "POST", "/v1/read", {"can": "012345", "reader": reader})
        assert ok.status == 200
    assert counted_card.counter.pace == 2


def test_no_card_is_404_and_no_reader_is_503(agent: AgentServer) -> None:
    empty = reader_for_port(VPCD_BASE_PORT + 1)
    reply = request(agent.port, "POST", "/v1/read", {"can": "012345", "reader": empty})
    assert reply.status == 404, reply.body
    reply = request(agent.port, "POST", "/v1/read", {"can": "012345", "reader": "ACS ACR1252"})
    assert reply.status == 503 and reply.json()["error"]["code"] == "reader_not_found"


def test_foreign_origin_and_host_get_nothing_through_pcscd(
    agent: AgentServer, vpcd_card: Insert, counted_card: CountingCard
) -> None:
    with vpcd_card(counted_card) as reader:
        bad_origin = request(agent.port, "POST", "/v1/read", {"id": PERSONAL_NUMBER},
                             headers={"Origin": "http://127.0.0.1:8182"})
        bad_host = request(agent.port, "POST", "/v1/read", {"id": PERSONAL_NUMBER},
                           headers={"Host": f"rebind.example:{agent.port}"})
        assert (bad_origin.status, bad_host.status) == (403, 403)
        assert HOLDER_NAME.encode() not in bad_origin.body + bad_host.body
        assert reader
    assert counted_card.counter.apdus == 0


def test_token_is_enforced_through_pcscd(
    pcsc_readers: list[str], vpcd_card: Insert, counted_card: CountingCard
) -> None:
    token = "counter-7-token-abcdef"
    config = AgentConfig(port=0, allow_origins=(ALLOWED,), token=token,
                         backend=PcscBackend(poll_interval=0.1))
    with AgentServer(config) as agent, vpcd_card(counted_card) as reader:
        body = {"id": PERSONAL_NUMBER, "reader": reader}
        assert request(agent.port, "POST", "/v1/read", body).status == 401
        assert request(agent.port, "POST", "/v1/read", body,
                       headers={"Authorization": "Bearer nope"}).status == 401
        assert counted_card.counter.apdus == 0
        ok = request(agent.port, "POST", "/v1/read", body,
                     headers={"Authorization": f"Bearer {token}"})
        assert ok.status == 200 and ok.json()["holder"]["full_name"] == HOLDER_NAME


def test_card_pulled_mid_read_is_404_and_an_event_never_a_partial_record(
    agent: AgentServer, pcsc_readers: list[str]
) -> None:
    import threading

    from cccd_sim.faults import Fault, FaultyCard
    from cccd_sim.vpcd import VpcdBridge

    name = reader_for_port(VPCD_BASE_PORT)
    faulty = FaultyCard(chip_for_dump(dumpmod.load(SAMPLES / SAMPLE_NAME)), [Fault(10, "remove")])
    bridge = VpcdBridge(faulty, port=VPCD_BASE_PORT)
    faulty.on_remove = lambda: threading.Thread(target=bridge.stop).start()
    with _ws(agent) as ws:
        bridge.start()
        try:
            _wait_for(ws, {"type": "card_present", "reader": name})
            reply = request(agent.port, "POST", "/v1/read", {"id": PERSONAL_NUMBER,
                                                             "reader": name})
            assert reply.status == 404, reply.body
            assert reply.json()["error"]["code"] == "card_removed"
            assert HOLDER_NAME.encode() not in reply.body
            _wait_for(ws, {"type": "card_removed", "reader": name})
        finally:
            bridge.stop()
    _status_has_card(agent, name, present=False)
