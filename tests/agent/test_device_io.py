"""The device-compatible Socket.IO endpoint over real Socket.IO (python-socketio's client, as a
hospital system runs it) against the agent with the in-process virtual card, tapped and removed
on command: events and their order, values equal to the card's, the raw files byte-equal, the
key tried once, /get_aa, who may connect, not-genuine cards, /info and the vendored client.
The same through pcscd + vpcd is in test_device_pcsc.py."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import socketio

from cccd_reader import dump as dumpmod
from cccd_reader.agent import AgentConfig, AgentServer
from cccd_reader.agent.installation import installation_id
from cccd_reader.agent.taps import key_from_input_data
from cccd_reader.auth.active import aa_info, verify_active_authentication
from cccd_reader.lds.dg14 import parse_dg14
from cccd_reader.lds.dg15 import parse_dg15
from cccd_reader.record import CardRecord
from tests.agent.agent_support import (
    ALLOWED,
    HOLDER_NAME,
    PERSONAL_NUMBER,
    SAMPLE_NAME,
    TappableSimBackend,
    request,
)
from tests.agent.socketio_support import client, events
from tests.conftest import REPO, SAMPLES

SAMPLE = SAMPLES / SAMPLE_NAME
INSTALLATION = "5eed0f1ce0ddba11"
TOKEN = "his-counter-3-token"
SOCKET_IO_SHA256 = "d5d79a35039e860b32bdef4795528b05c2f788d4b2d9dacc913120e2878f7b3f"

Start = Callable[..., tuple[AgentServer, TappableSimBackend]]


@pytest.fixture
def start_agent() -> Iterator[Start]:
    servers: list[AgentServer] = []

    def start(sample: Path = SAMPLE, **kwargs: Any) -> tuple[AgentServer, TappableSimBackend]:
        backend = TappableSimBackend(sample)
        options: dict[str, Any] = {"socketio_allow_local": True,
                                   "installation_id": INSTALLATION, **kwargs}
        config = AgentConfig(port=0, socketio_port=0, allow_origins=(ALLOWED,),
                             backend=backend, **options)
        server = AgentServer(config).start()
        servers.append(server)
        return server, backend

    yield start
    for server in servers:
        server.stop()


def no_event(sio: socketio.SimpleClient, wait: float = 0.5) -> None:
    with pytest.raises(socketio.exceptions.TimeoutError):
        sio.receive(timeout=wait)


def expected_text(sample: Path) -> dict[str, str]:
    """The card's own DG13 text, read from the dump (not through the agent)."""
    record = CardRecord.build(dumpmod.load(sample).files)
    dg13 = record.dg13
    assert dg13 is not None

    def date(value: Any) -> str:
        return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else value or ""

    return {
        "idCode": dg13.personal_number or "", "oldIdCode": dg13.old_id_number or "",
        "personName": dg13.full_name or "", "dateOfBirth": date(dg13.date_of_birth),
        "gender": dg13.sex or "", "nationality": dg13.nationality or "",
        "race": dg13.ethnicity or "", "religion": dg13.religion or "",
        "originPlace": dg13.place_of_origin or "", "residencePlace": dg13.place_of_residence or "",
        "personalIdentification": dg13.identifying_features or "",
        "issueDate": date(dg13.date_of_issue), "expiryDate": date(dg13.date_of_expiry),
        "fatherName": dg13.father_name or "", "motherName": dg13.mother_name or "",
        "wifeName": dg13.spouse_name or "",
    }


def test_a_tap_with_a_key_sends_1_2_4_5_with_the_cards_values_and_files(start_agent: Start) -> None:
    agent, card = start_agent()
    files = dumpmod.load(SAMPLE).files
    with client(agent) as sio:
        sio.emit("/input_data", {"idCode": PERSONAL_NUMBER, "clientId": "his-1"})
        time.sleep(0.3)  # the key waits for the tap
        card.tap()
        new, text, raw, material = events(sio, 4)
        assert new == {"id": 1, "message": "new card!"}
        assert text["id"] == 2 and text["message"] == "read card successfully!"
        want = expected_text(SAMPLE)
        assert {k: v for k, v in text["data"].items() if k != "qr"} == want
        assert text["data"]["personName"] == HOLDER_NAME
        assert text["data"]["gender"] == "Nữ" and text["data"]["nationality"] == "Việt Nam"
        assert text["data"]["dateOfBirth"] == "12/05/1990"
        assert text["data"]["qr"].split("|")[:4] == [PERSONAL_NUMBER, want["oldIdCode"],
                                                    HOLDER_NAME, "12051990"]
        assert text["verification"]["verdict"] == "unverified"
        assert all(set(c) == {"name", "status", "code"} for c in text["verification"]["checks"])
        assert raw["id"] == 4 and raw["message"] == "Read raw data successfully!"
        for key, name in {"dg1": "DG1", "dg2": "DG2", "dg13": "DG13", "dg14": "DG14",
                          "dg15": "DG15", "sod": "EF.SOD"}.items():
            assert base64.b64decode(raw["data"][key]) == files[name], key
        portrait = CardRecord.build(files).photo
        assert portrait is not None and portrait.mime == "image/jpeg"
        assert base64.b64decode(raw["data"]["img_data"]) == portrait.data
        assert material["id"] == 5
        assert material["data"]["CA"] == "1" and material["data"]["AA"]["status"] == "pass"
        assert base64.b64decode(material["data"]["PA"]["sod"]) == files["EF.SOD"]
        digest = hashlib.sha256(files["DG1"]).digest()
        assert base64.b64decode(material["data"]["PA"]["hash_dg1"]) == digest
        assert base64.b64decode(material["data"]["AA"]["dg15"]) == files["DG15"]
        no_event(sio)
    assert card.counter.pace == 1


def test_a_tap_without_a_key_asks_for_it_and_input_data_reads(start_agent: Start) -> None:
    agent, card = start_agent()
    with client(agent) as sio, client(agent) as other:
        card.tap()
        assert events(sio, 2) == [{"id": 1, "message": "new card!"},
                                  {"id": 3, "message": events_message("key_needed"),
                                   "code": "key_needed"}]
        assert [e["id"] for e in events(other, 2)] == [1, 3]
        assert card.counter.apdus == 0
        sio.emit("/input_data", {"idCode": PERSONAL_NUMBER, "dateOfBirth": "12051990",
                                 "expiryDate": "12052030", "clientId": "his-1"})
        assert [e["id"] for e in events(sio, 3)] == [2, 4, 5]
        assert [e["id"] for e in events(other, 3)] == [2, 4, 5]  # every admitted client
    assert card.counter.pace == 1


def events_message(code: str) -> str:
    from cccd_reader.agent.device_format import ERROR_MESSAGES

    return ERROR_MESSAGES[code]


def test_a_wrong_key_is_tried_once_and_dropped(start_agent: Start) -> None:
    agent, card = start_agent()
    with client(agent) as sio:
        card.tap()
        events(sio, 2)
        sio.emit("/input_data", {"idCode": "001190999999"})
        error = events(sio, 1)[0]
        assert error["id"] == 3 and error["code"] == "access_denied"
        assert HOLDER_NAME not in str(error)
        time.sleep(0.3)
        assert card.counter.pace == 1  # not retried
        card.remove()
        card.tap()  # the refused key is gone: the next tap asks again
        assert [e.get("code") for e in events(sio, 2)] == [None, "key_needed"]
        assert card.counter.pace == 1
        sio.emit("/input_data", {"idCode": PERSONAL_NUMBER})
        assert [e["id"] for e in events(sio, 3)] == [2, 4, 5]
    assert card.counter.pace == 2


def test_a_key_is_for_one_tap_only(start_agent: Start) -> None:
    agent, card = start_agent()
    with client(agent) as sio:
        sio.emit("/input_data", {"idCode": PERSONAL_NUMBER})
        time.sleep(0.3)
        card.tap()
        assert [e["id"] for e in events(sio, 4)] == [1, 2, 4, 5]
        card.remove()
        time.sleep(0.2)
        card.tap()  # same card again: a new tap needs a new key
        assert [e.get("code") for e in events(sio, 2)] == [None, "key_needed"]
    assert card.counter.pace == 1


def test_a_key_for_the_next_tap_leaves_with_its_client(start_agent: Start) -> None:
    """Review finding: a key sent before any card stayed after its client left, and the next
    tap (maybe another customer's card) was tried with it."""
    agent, card = start_agent()
    with client(agent) as gone:
        gone.emit("/input_data", {"idCode": PERSONAL_NUMBER})
        time.sleep(0.3)
    time.sleep(0.3)  # the disconnect reaches the server
    with client(agent) as sio:
        card.tap()
        assert [e.get("code") for e in events(sio, 2)] == [None, "key_needed"]
    assert card.counter.pace == 0


def test_a_lifetime_card_with_bac_reads_with_the_dates_and_says_its_expiry_as_dg13(
    start_agent: Start,
) -> None:
    sample = SAMPLES / "vn-cccd-2021-le-thi-thu-huong-lifetime"
    record = CardRecord.build(dumpmod.load(sample).files)
    assert record.mrz is not None and record.mrz.date_of_birth is not None
    agent, card = start_agent(sample)
    with client(agent) as sio:
        sio.emit("/input_data", {"idCode": record.dg13.personal_number,  # type: ignore[union-attr]
                                 "dateOfBirth": record.mrz.date_of_birth.strftime("%d%m%Y"),
                                 "expiryDate": "31122099"})
        time.sleep(0.3)
        card.tap()
        _new, text, _raw, material = events(sio, 4)
        assert text["data"]["expiryDate"] == "Không thời hạn"
        assert text["data"] | {"qr": ""} == expected_text(sample) | {"qr": ""}
        assert material["data"]["CA"] == "0"
    assert card.counter.bac == 1 and card.counter.pace == 0


def test_jpeg2000_portrait_is_sent_as_jpeg(start_agent: Start) -> None:
    cv2 = pytest.importorskip("cv2")  # the dev extra installs it; the agent says "" without it
    import numpy as np

    sample = SAMPLES / "vn-cancuoc-2024-dang-huu-phuoc"
    files = dumpmod.load(sample).files
    portrait = CardRecord.build(files).photo
    assert portrait is not None and portrait.mime == "image/jp2"
    agent, card = start_agent(sample)
    with client(agent) as sio:
        sio.emit("/input_data", {"idCode": CardRecord.build(files).dg13.personal_number})  # type: ignore[union-attr]
        time.sleep(0.3)
        card.tap()
        raw = events(sio, 4)[2]
        jpeg = base64.b64decode(raw["data"]["img_data"])
        assert jpeg[:3] == b"\xff\xd8\xff"
        assert base64.b64decode(raw["data"]["dg2"]) == files["DG2"]
        pixels = cv2.imdecode(np.frombuffer(jpeg, dtype=np.uint8), cv2.IMREAD_COLOR)
        assert (pixels.shape[1], pixels.shape[0]) == (portrait.width, portrait.height)


def test_get_aa_signs_the_callers_challenge_with_the_tapped_card(start_agent: Start) -> None:
    agent, card = start_agent()
    files = dumpmod.load(SAMPLE).files
    challenge = os.urandom(8)
    body = {"clientId": "his-1", "challenge": base64.b64encode(challenge).decode()}
    with client(agent) as sio:
        no_tap = sio.call("/get_aa", body, timeout=10)
        assert no_tap["id"] == 3 and no_tap["code"] == "no_tap"
        events(sio, 1)
        sio.emit("/input_data", {"idCode": PERSONAL_NUMBER})
        time.sleep(0.3)
        card.tap()
        events(sio, 4)
        answer = sio.call("/get_aa", body, timeout=10)
        assert answer["id"] == 7 and set(answer["data"]) == {"aa_signature", "aa_challege"}
        assert base64.b64decode(answer["data"]["aa_challege"]) == challenge
        assert events(sio, 1)[0] == answer  # also as an /event, for clients that listen
        signature = base64.b64decode(answer["data"]["aa_signature"])
        result = verify_active_authentication(
            parse_dg15(files["DG15"]).spki, challenge, signature,
            aa_info(parse_dg14(files["DG14"]).infos))
        assert result.status == "pass", result.detail
        # another challenge gives a signature over that one, not a replay
        other = os.urandom(8)
        second = sio.call("/get_aa", {"challenge": base64.b64encode(other).decode()},
                          timeout=10)
        assert verify_active_authentication(
            parse_dg15(files["DG15"]).spki, other,
            base64.b64decode(second["data"]["aa_signature"]),
            aa_info(parse_dg14(files["DG14"]).infos)).status == "pass"
        events(sio, 1)
        bad = sio.call("/get_aa", {"challenge": base64.b64encode(b"1234567").decode()},
                       timeout=10)
        assert bad["id"] == 3 and bad["code"] == "bad_request"
        card.remove()
        time.sleep(0.3)
        gone = sio.call("/get_aa", body, timeout=10)
        assert gone["id"] == 3 and gone["code"] == "no_tap"  # the tap's key left with it
    assert card.counter.pace == 3  # the read and the two signatures, one access each


def test_post_v1_active_auth(start_agent: Start) -> None:
    agent, card = start_agent()
    card.present = True
    files = dumpmod.load(SAMPLE).files
    challenge = os.urandom(8)
    reply = request(agent.port, "POST", "/v1/active-auth",
                    {"challenge": base64.b64encode(challenge).decode(), "id": PERSONAL_NUMBER},
                    headers={"Origin": ALLOWED})
    assert reply.status == 200, reply.body
    doc = reply.json()
    assert doc["active_auth"]["status"] == "pass"
    assert base64.b64decode(doc["dg15"]) == files["DG15"]
    assert verify_active_authentication(
        parse_dg15(files["DG15"]).spki, challenge, base64.b64decode(doc["signature"]),
        aa_info(parse_dg14(files["DG14"]).infos)).status == "pass"
    for body in ({"challenge": "AAAA", "id": PERSONAL_NUMBER},
                 {"challenge": base64.b64encode(challenge).decode()},
                 {"challenge": base64.b64encode(challenge).decode(), "id": PERSONAL_NUMBER,
                  "extra": 1}):
        assert request(agent.port, "POST", "/v1/active-auth", body).status == 400
    wrong = request(agent.port, "POST", "/v1/active-auth",
                    {"challenge": base64.b64encode(challenge).decode(), "can": "999999"})
    assert wrong.status == 422 and wrong.json()["error"]["code"] == "access_denied"
    assert card.counter.pace == 2


def _refused(agent: AgentServer, **kwargs: Any) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        client(agent, **kwargs).disconnect()


def test_who_may_connect(start_agent: Start) -> None:
    open_agent, card = start_agent()
    _refused(open_agent, headers={"Origin": "https://evil.example"})
    _refused(open_agent, headers={"Host": f"rebind.example:{open_agent.socketio_port}"})
    client(open_agent, headers={"Origin": ALLOWED}).disconnect()
    client(open_agent).disconnect()  # --socketio-allow-local: no Origin, no token

    closed, _ = start_agent(socketio_allow_local=False)
    _refused(closed)  # a program without a token, and no --socketio-allow-local
    client(closed, headers={"Origin": ALLOWED}).disconnect()  # an allowed page

    tokened, card = start_agent(socketio_allow_local=False, token=TOKEN)
    _refused(tokened)
    _refused(tokened, auth={"token": "nope"})
    _refused(tokened, headers={"Origin": ALLOWED})  # pages need the token too
    with client(tokened, auth={"token": TOKEN}) as sio:
        card.tap()
        assert events(sio, 1)[0]["id"] == 1
    url = f"http://127.0.0.1:{tokened.socketio_port}?token={TOKEN}"
    with socketio.SimpleClient() as sio:
        sio.connect(url, transports=["websocket"], wait_timeout=10)
        assert sio.connected
    # the long-polling transport goes through the same checks
    with socketio.SimpleClient() as sio:
        sio.connect(tokened.socketio_url, transports=["polling"], auth={"token": TOKEN},
                    wait_timeout=10)
        assert sio.connected


def test_refused_clients_get_no_card_events(start_agent: Start) -> None:
    agent, card = start_agent(socketio_allow_local=False, token=TOKEN)
    raw = socketio.Client()
    seen: list[Any] = []
    raw.on("/event", seen.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        raw.connect(agent.socketio_url, transports=["websocket"], auth={"token": "nope"},
                    wait_timeout=5)
    with client(agent, auth={"token": TOKEN}) as sio:
        sio.emit("/input_data", {"idCode": PERSONAL_NUMBER})
        time.sleep(0.3)
        card.tap()
        assert [e["id"] for e in events(sio, 4)] == [1, 2, 4, 5]
    assert seen == []


def test_not_genuine_card_is_id_3_without_personal_data(start_agent: Start) -> None:
    sample = SAMPLES / "negative" / "flipped-signature"
    agent, card = start_agent(sample)
    with client(agent) as sio:
        sio.emit("/input_data", {"idCode": PERSONAL_NUMBER})
        time.sleep(0.3)
        card.tap()
        new, refused = events(sio, 2)
        assert new["id"] == 1
        assert refused["id"] == 3 and refused["code"] == "not_genuine"
        assert refused["message"] == "Thẻ không hợp lệ"
        assert refused["verification"]["verdict"] == "not_genuine"
        failed = [c["name"] for c in refused["verification"]["checks"] if c["status"] == "fail"]
        assert failed == ["sod_signature"]
        flat = str(refused)
        assert HOLDER_NAME not in flat and PERSONAL_NUMBER not in flat
        no_event(sio)
    forwarding, card2 = start_agent(sample, forward_not_genuine=True)
    with client(forwarding) as sio:
        sio.emit("/input_data", {"idCode": PERSONAL_NUMBER})
        time.sleep(0.3)
        card2.tap()
        _new, text, _raw, _material = events(sio, 4)
        assert text["id"] == 2 and text["verification"]["verdict"] == "not_genuine"


def test_info_answers_the_installation_id_not_a_chip_serial(start_agent: Start) -> None:
    agent, _card = start_agent()
    with client(agent) as sio:
        info = sio.call("/info", {}, timeout=10)
        assert info["id"] == 6
        assert info["data"]["serial_nfc"] == info["data"]["serial_device"] == INSTALLATION
        assert info["data"]["version"]
        assert events(sio, 1)[0] == info


def test_installation_id_is_made_once_and_kept_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "agent-installation-id"
    first = installation_id(path=path)
    assert len(first) == 16 and installation_id(path=path) == first
    assert path.stat().st_mode & 0o777 == 0o600
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("0123456789abcdef\n")
    link = tmp_path / "link" / "agent-installation-id"
    link.parent.mkdir()
    link.symlink_to(elsewhere)
    other = installation_id(path=link)  # never read or written through a symbolic link
    assert other != "0123456789abcdef" and elsewhere.read_text() == "0123456789abcdef\n"
    assert installation_id("fixed") == "fixed"


def test_the_vendored_client_and_its_licence_are_served(start_agent: Start) -> None:
    agent, _ = start_agent()
    assert agent.socketio_port is not None
    script = request(agent.socketio_port, "GET", "/socket.io.min.js")
    assert script.status == 200 and script.headers["content-type"].startswith("text/javascript")
    assert hashlib.sha256(script.body).hexdigest() == SOCKET_IO_SHA256
    licence = request(agent.socketio_port, "GET", "/socket.io-client.LICENSE")
    assert licence.status == 200 and b"MIT License" in licence.body
    assert request(agent.socketio_port, "GET", "/socket.io.js").status == 404
    assert request(agent.socketio_port, "GET", "/socket.io.min.js",
                   headers={"Host": "evil.example"}).status == 403
    vendored = REPO / "cccd_reader/agent/static/socket.io.min.js"
    assert hashlib.sha256(vendored.read_bytes()).hexdigest() == SOCKET_IO_SHA256


@pytest.mark.parametrize("data, code", [
    ("001190012345", "bad_request"),
    ({}, "bad_key"),
    ({"idCode": "12345"}, "bad_key"),
    ({"idCode": PERSONAL_NUMBER, "dateOfBirth": "31021990", "expiryDate": "12052030"},
     "bad_key"),
    ({"idCode": PERSONAL_NUMBER, "dateOfBirth": "1990-05-12", "expiryDate": "12052030"},
     "bad_key"),
    ({"idCode": PERSONAL_NUMBER, "clientId": "x" * 500}, "bad_request"),
])
def test_input_data_is_parsed_strictly(data: Any, code: str) -> None:
    from cccd_reader.agent.reads import AgentError

    with pytest.raises(AgentError) as err:
        key_from_input_data(data)
    assert err.value.code == code
    assert PERSONAL_NUMBER not in str(err.value)


def test_input_data_keys() -> None:
    can_only = key_from_input_data({"idCode": PERSONAL_NUMBER, "clientId": "1"})
    assert can_only.can == "012345" and can_only.mrz_information is None
    both = key_from_input_data({"idCode": PERSONAL_NUMBER, "dateOfBirth": "12051990",
                                "expiryDate": "12052030"})
    assert both.can == "012345"
    assert both.mrz_information is not None and both.mrz_information.startswith("190012345")
    assert both.mrz_information[10:16] == "900512" and both.mrz_information[17:23] == "300512"


def test_bad_commands_get_id_3_and_nothing_is_logged_about_the_card(
    start_agent: Start, caplog: pytest.LogCaptureFixture,
) -> None:
    # the root logger at DEBUG before the agent starts, as `cccd serve -vv` does: the
    # Socket.IO libraries log whole packets at INFO, and must not be heard
    caplog.set_level(logging.DEBUG)
    agent, card = start_agent()
    with client(agent) as sio:
        sio.emit("/input_data", {"idCode": "12"})
        assert events(sio, 1)[0]["code"] == "bad_key"
        sio.emit("/input_data", {"idCode": PERSONAL_NUMBER})
        time.sleep(0.3)
        card.tap()
        events(sio, 4)
    text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (PERSONAL_NUMBER, "012345", HOLDER_NAME, "Nguyễn", "12/05/1990"):
        assert secret not in text
    assert "socket.io read: unverified" in text


def test_admission_is_capped() -> None:
    from cccd_reader.agent.device_io import MAX_CLIENTS, DeviceEndpoint
    from cccd_reader.agent.state import AgentState

    config = AgentConfig(allow_origins=(ALLOWED,), socketio_allow_local=True,
                         installation_id=INSTALLATION)
    endpoint = DeviceEndpoint(AgentState(config=config, backend=TappableSimBackend(SAMPLE)))
    page = {"HTTP_ORIGIN": ALLOWED, "QUERY_STRING": ""}
    assert endpoint.admits(page, None) and endpoint.admits({}, None)
    endpoint.admitted.update(f"sid{i}" for i in range(MAX_CLIENTS))
    assert not endpoint.admits(page, None) and not endpoint.admits({}, None)


def test_an_oversized_polling_message_is_refused_at_once(start_agent: Start) -> None:
    """python-engineio closes a session on an oversized long-polling POST and waits for a
    poll that never comes: the request hung (review finding). The body limit stands in front:
    413 at once, 411 for a POST without a length; the session and the agent go on."""
    import http.client

    agent, _ = start_agent()
    port = agent.socketio_port
    assert port is not None
    opened = request(port, "GET", "/socket.io/?EIO=4&transport=polling")
    assert opened.status == 200, opened.body
    sid = json.loads(opened.body[1:])["sid"]  # "0{...}": the Engine.IO open packet
    path = f"/socket.io/?EIO=4&transport=polling&sid={sid}"
    started = time.monotonic()
    big = request(port, "POST", path, raw=b"4" + b"x" * (20 * 1024),
                  headers={"Content-Type": "text/plain;charset=UTF-8"})
    assert big.status == 413 and time.monotonic() - started < 5
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:  # chunked, no Content-Length
        conn.putrequest("POST", path, skip_host=True)
        conn.putheader("Host", f"127.0.0.1:{port}")
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        conn.send(b"1\r\n4\r\n0\r\n\r\n")
        assert conn.getresponse().status == 411
    finally:
        conn.close()
    # a normal message on the same session is still taken
    small = request(port, "POST", path, raw=b"40", headers={"Content-Type": "text/plain"})
    assert small.status == 200, small.body
    assert request(agent.port, "GET", "/v1/status", headers={"Origin": ALLOWED}).status == 200


def test_a_key_waiting_for_a_tap_leaves_memory_when_it_expires(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import asyncio

    from cccd_reader.agent import taps
    from cccd_reader.agent.state import AgentState

    monkeypatch.setattr(taps, "PENDING_KEY_SECONDS", 0.2)
    config = AgentConfig(allow_origins=(ALLOWED,), socketio_allow_local=True,
                         installation_id=INSTALLATION)
    sent: list[Any] = []

    async def emit(event: Any, to: Any) -> None:
        sent.append(event)

    async def scenario() -> tuple[bool, bool, bool]:
        desk = taps.TapDesk(AgentState(config=config, backend=TappableSimBackend(SAMPLE)), emit)
        await desk.input_data({"idCode": PERSONAL_NUMBER}, "sid-1")
        held = desk._pending is not None
        await asyncio.sleep(0.4)
        expired = desk._pending is None
        await desk.input_data({"idCode": PERSONAL_NUMBER}, "sid-2")
        desk.client_gone("sid-other")
        kept = desk._pending is not None
        desk.client_gone("sid-2")
        return held, expired, kept and desk._pending is None

    assert asyncio.run(scenario()) == (True, True, True)
    assert sent == []  # nothing to say to anyone: no card was there
