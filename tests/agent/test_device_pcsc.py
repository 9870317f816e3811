"""The device-compatible Socket.IO endpoint and the webhooks through the real stack: a Python
Socket.IO client (as a HIS runs it) -> the agent -> pyscard -> pcscd -> vpcd -> the virtual
chip inserted into "Virtual PCD 00 00", as ``cccd simulate`` does."""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
import socketio

from cccd_reader import dump as dumpmod
from cccd_reader.agent import AgentConfig, AgentServer
from cccd_reader.agent.backend import PcscBackend
from cccd_reader.agent.webhooks import parse_target
from cccd_reader.auth.active import aa_info, verify_active_authentication
from cccd_reader.lds.dg14 import parse_dg14
from cccd_reader.lds.dg15 import parse_dg15
from cccd_sim.cards import chip_for_dump
from tests.agent.agent_support import (
    ALLOWED,
    DEVICE_FIELDS,
    HOLDER_NAME,
    PERSONAL_NUMBER,
    SAMPLE_NAME,
    AccessCounter,
    CountingCard,
    request,
)
from tests.agent.socketio_support import client, events
from tests.agent.test_device_io import expected_text
from tests.conftest import SAMPLES

pytestmark = pytest.mark.pcsc

Insert = Callable[..., AbstractContextManager[str]]
SAMPLE = SAMPLES / SAMPLE_NAME


def _card(sample: Path = SAMPLE) -> CountingCard:
    return CountingCard(chip_for_dump(dumpmod.load(sample)), AccessCounter())


@pytest.fixture
def start_agent(pcsc_readers: list[str]) -> Iterator[Callable[..., AgentServer]]:
    servers: list[AgentServer] = []

    def start(**kwargs: Any) -> AgentServer:
        options: dict[str, Any] = {"socketio_allow_local": True,
                                   "installation_id": "0a1b2c3d4e5f6a7b", **kwargs}
        config = AgentConfig(port=0, socketio_port=0, allow_origins=(ALLOWED,),
                             backend=PcscBackend(poll_interval=0.1), **options)
        server = AgentServer(config).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def test_a_tap_through_pcscd_gives_1_2_4_with_the_cards_values_and_aa_verifies(
    start_agent: Callable[..., AgentServer], vpcd_card: Insert,
) -> None:
    agent = start_agent()
    files = dumpmod.load(SAMPLE).files
    card = _card()
    with client(agent) as sio:
        sio.emit("/input_data", {"idCode": PERSONAL_NUMBER, "clientId": "his-1"})
        time.sleep(0.3)
        with vpcd_card(card) as reader:
            new, text, raw, material = events(sio, 4, timeout=30)
            assert [new["id"], text["id"], raw["id"], material["id"]] == [1, 2, 4, 5]
            assert {k: v for k, v in text["data"].items() if k != "qr"} == expected_text(SAMPLE)
            assert text["data"]["personName"] == HOLDER_NAME
            for key, name in {"dg1": "DG1", "dg2": "DG2", "dg13": "DG13", "dg14": "DG14",
                              "dg15": "DG15", "sod": "EF.SOD"}.items():
                assert base64.b64decode(raw["data"][key]) == files[name], key
            assert base64.b64decode(raw["data"]["img_data"])[:3] == b"\xff\xd8\xff"
            # the record the /v1 API gives for the same card says the same
            doc = request(agent.port, "POST", "/v1/read", {"id": PERSONAL_NUMBER,
                                                           "reader": reader}).json()
            assert doc["holder"]["full_name"] == text["data"]["personName"]
            assert doc["holder"]["place_of_residence"] == text["data"]["residencePlace"]
            assert doc["bhyt"]["so_cccd"] == text["data"]["idCode"]
            assert doc["verification"]["verdict"] == text["verification"]["verdict"]
            challenge = os.urandom(8)
            answer = sio.call("/get_aa", {"clientId": "his-1",
                                          "challenge": base64.b64encode(challenge).decode()},
                              timeout=30)
            assert answer["id"] == 7
            assert base64.b64decode(answer["data"]["aa_challege"]) == challenge
            result = verify_active_authentication(
                parse_dg15(files["DG15"]).spki, challenge,
                base64.b64decode(answer["data"]["aa_signature"]),
                aa_info(parse_dg14(files["DG14"]).infos))
            assert result.status == "pass", result.detail
    assert card.counter.pace == 3  # the tap's read, /v1/read, /get_aa: one access each


def test_input_data_after_the_tap_triggers_the_read_through_pcscd(
    start_agent: Callable[..., AgentServer], vpcd_card: Insert,
) -> None:
    agent = start_agent()
    card = _card()
    with client(agent) as sio, vpcd_card(card):
        first = events(sio, 2, timeout=30)
        assert [e["id"] for e in first] == [1, 3] and first[1]["code"] == "key_needed"
        assert card.counter.apdus == 0
        sio.emit("/input_data", {"idCode": PERSONAL_NUMBER})
        assert [e["id"] for e in events(sio, 3, timeout=30)] == [2, 4, 5]
    assert card.counter.pace == 1


def test_foreign_origin_gets_no_connection_through_pcscd(
    start_agent: Callable[..., AgentServer], vpcd_card: Insert,
) -> None:
    agent = start_agent(socketio_allow_local=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client(agent, headers={"Origin": "http://127.0.0.1:8182"})
    with pytest.raises(socketio.exceptions.ConnectionError):
        client(agent)  # a program without the token
    card = _card()
    with client(agent, headers={"Origin": ALLOWED}) as page, vpcd_card(card):
        assert events(page, 1, timeout=30)[0] == {"id": 1, "message": "new card!"}
    assert card.counter.apdus == 0


def test_a_not_genuine_card_is_id_3_through_pcscd(
    start_agent: Callable[..., AgentServer], vpcd_card: Insert,
) -> None:
    agent = start_agent()
    card = _card(SAMPLES / "negative" / "flipped-signature")
    with client(agent) as sio:
        sio.emit("/input_data", {"idCode": PERSONAL_NUMBER})
        time.sleep(0.3)
        with vpcd_card(card):
            new, refused = events(sio, 2, timeout=30)
            assert new["id"] == 1
            assert refused["id"] == 3 and refused["message"] == "Thẻ không hợp lệ"
            assert HOLDER_NAME not in json.dumps(refused, ensure_ascii=False)
            with pytest.raises(socketio.exceptions.TimeoutError):
                sio.receive(timeout=1)


@pytest.mark.parametrize("fmt", ["native", "device"])
def test_a_webhook_receiver_gets_one_post_per_tap(
    start_agent: Callable[..., AgentServer], vpcd_card: Insert, receivers: Any, fmt: str,
) -> None:
    hook, hanging = receivers(), receivers("hang")
    agent = start_agent(webhooks=[parse_target(hook.url), parse_target(hanging.url)],
                        webhook_format=fmt)
    with client(agent) as sio:
        for tap in range(2):
            sio.emit("/input_data", {"idCode": PERSONAL_NUMBER})
            time.sleep(0.3)
            t0 = time.monotonic()
            with vpcd_card(_card()):
                assert [e["id"] for e in events(sio, 4, timeout=30)] == [1, 2, 4, 5]
                assert time.monotonic() - t0 < 10  # the hanging receiver delays nothing
            deadline = time.monotonic() + 10
            while len(hook.posts) < tap + 1:
                assert time.monotonic() < deadline
                time.sleep(0.05)
    time.sleep(0.5)
    assert len(hook.posts) == 2
    posted = json.loads(hook.posts[0][1])
    if fmt == "device":
        assert set(posted) == DEVICE_FIELDS | {"verification"}
        assert posted["full_name"] == HOLDER_NAME and posted["id_card"] == PERSONAL_NUMBER
    else:
        assert posted["holder"]["full_name"] == HOLDER_NAME
        assert PERSONAL_NUMBER not in hook.posts[0][1].decode()
    assert len(hanging.attempts) >= 1
