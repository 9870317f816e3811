"""The local agent over real HTTP and WebSocket (uvicorn on a loopback port), with the in-process
virtual card: the contract, the browser guard (Origin, Host, token, CORS), strict request
parsing, one attempt per key, busy, and no personal data in logs. The same contract through
pcscd + vpcd is in test_agent_pcsc.py."""

from __future__ import annotations

import io
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from cccd_reader import cli
from cccd_reader.agent import AgentConfig, AgentServer
from cccd_reader.agent.app import normalize_origin
from tests.agent.agent_support import (
    ALLOWED,
    HOLDER_NAME,
    PERSONAL_NUMBER,
    SAMPLE_NAME,
    CountingSimBackend,
    request,
)
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / SAMPLE_NAME
Start = Callable[..., AgentServer]


@pytest.fixture
def start_agent() -> Iterator[Start]:
    servers: list[AgentServer] = []

    def start(backend: Any = None, **kwargs: Any) -> AgentServer:
        config = AgentConfig(port=0, allow_origins=(ALLOWED,),
                             backend=backend or CountingSimBackend(SAMPLE), **kwargs)
        server = AgentServer(config).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def _ws(agent: AgentServer, *, origin: str | None = ALLOWED, query: str = "",
        host: str | None = None) -> ClientConnection:
    headers = {"Host": host} if host else None
    return connect(f"ws://127.0.0.1:{agent.port}/v1/events{query}",
                   origin=origin,  # type: ignore[arg-type]
                   additional_headers=headers, open_timeout=10)


def _recv(ws: ClientConnection, timeout: float = 10.0) -> dict[str, Any]:
    message = json.loads(ws.recv(timeout=timeout))
    assert isinstance(message, dict)
    return message


def _no_cors(headers: dict[str, str]) -> None:
    assert not [h for h in headers if h.startswith("access-control-")], headers


# ------------------------------------------------------------------------------ contract


def test_status_lists_the_reader_and_the_card(start_agent: Start) -> None:
    agent = start_agent()
    reply = request(agent.port, "GET", "/v1/status")
    assert reply.status == 200
    doc = reply.json()
    assert doc["version"] == "0.1.0" and doc["api"] == 1 and doc["pcsc"] == "ok"
    assert doc["readers"] == [{"name": f"cccd virtual card ({SAMPLE_NAME})",
                               "card_present": True, "busy": False}]
    assert reply.headers["cache-control"] == "no-store"


def test_read_is_the_same_record_as_cccd_read_json(start_agent: Start) -> None:
    agent = start_agent()
    reply = request(agent.port, "POST", "/v1/read", {"id": PERSONAL_NUMBER})
    assert reply.status == 200, reply.body
    doc = reply.json()
    assert doc["holder"]["full_name"] == HOLDER_NAME
    assert doc["access"]["protocol"] == "PACE"
    assert "data_url" not in doc["photo"] and "data_base64" not in doc["photo"]

    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["read", "--sim", str(SAMPLE), "--id", PERSONAL_NUMBER, "--json",
                         "--no-default-trust"]) == 0
    expected = json.loads(out.getvalue())
    for d in (doc, expected):
        d["wire"].pop("seconds")
    # the agent adds only the read's id (for /v1/face-match, /v1/evidence: issue 31)
    assert isinstance(doc.pop("read_id"), str)
    assert doc == expected


def test_photo_only_when_asked_as_a_data_url(start_agent: Start) -> None:
    agent = start_agent()
    doc = request(agent.port, "POST", "/v1/read", {"can": "012345", "photo": True}).json()
    url = doc["photo"]["data_url"]
    assert url.startswith("data:image/jpeg;base64,") or url.startswith("data:image/png;base64,")
    import base64

    data = base64.b64decode(url.split(",", 1)[1])
    assert data[:2] == b"\xff\xd8" or data[:8] == b"\x89PNG\r\n\x1a\n"


def test_jpeg2000_photo_becomes_png_for_the_browser(start_agent: Start) -> None:
    agent = start_agent(CountingSimBackend(SAMPLES / "vn-cancuoc-2024-dang-huu-phuoc"))
    card = json.loads((SAMPLES / "vn-cancuoc-2024-dang-huu-phuoc" / "card.json").read_text())
    doc = request(agent.port, "POST", "/v1/read",
                  {"can": card["access"]["can"], "photo": True}).json()
    assert doc["photo"]["mime"] == "image/jp2"
    assert doc["photo"]["data_url"].startswith("data:image/png;base64,")


ANH_QR = ("001190012345|013579246|Nguyễn Thị Ngọc Ánh|12051990|Nữ|"
          "Số 18 Ngõ 72 Thái Hà, Trung Liệt, Đống Đa, Hà Nội|10042021")


def test_qr_key_reads_and_cross_checks(start_agent: Start) -> None:
    backend = CountingSimBackend(SAMPLE)
    agent = start_agent(backend)
    reply = request(agent.port, "POST", "/v1/read", {"qr": ANH_QR})
    assert reply.status == 200, reply.body
    doc = reply.json()
    assert doc["holder"]["full_name"] == HOLDER_NAME
    assert doc["qr"]["keys"] == [{"key": "CAN (last 6 digits of the personal number)",
                                  "status": "opened"}]
    assert doc["qr"]["qr"]["full_name"] == HOLDER_NAME
    assert any(c["name"].startswith("qr") for c in doc["verification"]["checks"])
    assert backend.counter.pace == 1


def test_a_qr_key_is_text_never_a_file_to_open(start_agent: Start) -> None:
    agent = start_agent()
    image = next(SAMPLES.parent.glob("tests/**/*.png"), SAMPLE / "card.json")
    reply = request(agent.port, "POST", "/v1/read", {"qr": str(image)})
    assert reply.status == 400 and reply.json()["error"]["code"] == "bad_key"


# ------------------------------------------------------------------------------ the guard


def test_foreign_origin_gets_403_no_cors_and_no_read(start_agent: Start) -> None:
    backend = CountingSimBackend(SAMPLE)
    agent = start_agent(backend)
    for method, body in (("GET", None), ("POST", {"id": PERSONAL_NUMBER})):
        path = "/v1/status" if method == "GET" else "/v1/read"
        reply = request(agent.port, method, path, body,
                        headers={"Origin": "http://127.0.0.1:8182"})
        assert reply.status == 403
        assert reply.json()["error"]["code"] == "origin_not_allowed"
        _no_cors(reply.headers)
        assert HOLDER_NAME.encode() not in reply.body
    reply = request(agent.port, "GET", "/v1/status", headers={"Origin": "null"})
    assert reply.status == 403
    assert backend.connects == 0


def test_allowed_origin_gets_cors_headers(start_agent: Start) -> None:
    agent = start_agent()
    reply = request(agent.port, "POST", "/v1/read", {"id": PERSONAL_NUMBER},
                    headers={"Origin": ALLOWED})
    assert reply.status == 200
    assert reply.headers["access-control-allow-origin"] == ALLOWED
    assert reply.headers["vary"] == "Origin"


def test_preflight(start_agent: Start) -> None:
    agent = start_agent()
    ask = {"Access-Control-Request-Method": "POST",
           "Access-Control-Request-Headers": "content-type,authorization",
           "Access-Control-Request-Private-Network": "true"}
    ok = request(agent.port, "OPTIONS", "/v1/read", headers={"Origin": ALLOWED, **ask})
    assert ok.status == 204
    assert ok.headers["access-control-allow-origin"] == ALLOWED
    assert "POST" in ok.headers["access-control-allow-methods"]
    assert "content-type" in ok.headers["access-control-allow-headers"].lower()
    assert "authorization" in ok.headers["access-control-allow-headers"].lower()
    assert ok.headers["access-control-allow-private-network"] == "true"
    bad = request(agent.port, "OPTIONS", "/v1/read",
                  headers={"Origin": "https://evil.example", **ask})
    assert bad.status == 403
    _no_cors(bad.headers)


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1:1", "attacker.com",
                                  "127.0.0.1.nip.io:{port}", ""])
def test_foreign_host_is_refused(start_agent: Start, host: str) -> None:
    backend = CountingSimBackend(SAMPLE)
    agent = start_agent(backend)
    forged = host.format(port=agent.port)
    for method, path, body in (("GET", "/v1/status", None),
                               ("POST", "/v1/read", {"id": PERSONAL_NUMBER})):
        reply = request(agent.port, method, path, body, headers={"Host": forged})
        assert reply.status == 403 and reply.json()["error"]["code"] == "host_not_allowed"
        _no_cors(reply.headers)
    with pytest.raises(InvalidStatus):
        _ws(agent, host=forged or "x")
    assert backend.connects == 0
    assert request(agent.port, "GET", "/v1/status",
                   headers={"Host": f"localhost:{agent.port}"}).status == 200


def test_token_is_enforced_on_http_and_websocket(start_agent: Start) -> None:
    token = "s3cret-token-0123456789"
    backend = CountingSimBackend(SAMPLE)
    agent = start_agent(backend, token=token)
    assert request(agent.port, "GET", "/v1/status").status == 401
    for bad in ("Bearer wrong-token-0123456789", f"Basic {token}", "Bearer"):
        reply = request(agent.port, "POST", "/v1/read", {"id": PERSONAL_NUMBER},
                        headers={"Authorization": bad, "Origin": ALLOWED})
        assert reply.status == 401 and reply.json()["error"]["code"] == "unauthorized"
        # the allowed page may read the 401 (CORS headers), to tell the clerk what is wrong
        assert reply.headers["access-control-allow-origin"] == ALLOWED
    assert backend.connects == 0
    good = request(agent.port, "POST", "/v1/read", {"id": PERSONAL_NUMBER},
                   headers={"Authorization": f"Bearer {token}"})
    assert good.status == 200 and good.json()["holder"]["full_name"] == HOLDER_NAME
    assert request(agent.port, "GET", f"/v1/status?token={token}").status == 200
    # preflights carry no credentials (Fetch spec), so they pass without the token
    pre = request(agent.port, "OPTIONS", "/v1/read",
                  headers={"Origin": ALLOWED, "Access-Control-Request-Method": "POST"})
    assert pre.status == 204
    with pytest.raises(InvalidStatus):
        _ws(agent)
    with pytest.raises(InvalidStatus):
        _ws(agent, query="?token=nope-nope-nope-nope")
    with _ws(agent, query=f"?token={token}") as ws:
        assert _recv(ws)["type"] == "reader_added"


def test_websocket_from_a_foreign_origin_is_refused(start_agent: Start) -> None:
    agent = start_agent()
    with pytest.raises(InvalidStatus) as info:
        _ws(agent, origin="http://evil.example")
    assert info.value.response.status_code == 403


# ------------------------------------------------------------------------------ requests


@pytest.mark.parametrize("body, code", [
    ({}, "bad_key"),
    ({"can": "012345", "id": PERSONAL_NUMBER}, "bad_key"),
    ({"can": 12345}, "bad_key"),
    ({"can": "12345"}, "bad_key"),
    ({"id": "0011900123"}, "bad_key"),
    ({"mrz": "not an mrz"}, "bad_key"),
    ({"qr": "no separators here"}, "bad_key"),
    ({"can": "9" * 5000}, "bad_key"),
    ({"can": "012345", "pin": "1234"}, "bad_request"),
    ({"can": "012345", "photo": "yes"}, "bad_request"),
    ({"can": "012345", "reader": ["a"]}, "bad_request"),
    ([1, 2], "bad_request"),
])
def test_bad_requests_are_400(start_agent: Start, body: Any, code: str) -> None:
    backend = CountingSimBackend(SAMPLE)
    agent = start_agent(backend)
    reply = request(agent.port, "POST", "/v1/read", body)
    assert reply.status == 400, reply.body
    assert reply.json()["error"]["code"] == code
    assert set(reply.json()["error"]) == {"code", "message"}
    assert backend.connects == 0


def test_hostile_bodies(start_agent: Start) -> None:
    agent = start_agent()
    assert request(agent.port, "POST", "/v1/read", raw=b"{nope",
                   headers={"Content-Type": "application/json"}).status == 400
    assert request(agent.port, "POST", "/v1/read", raw=b'{"can":"012345"}',
                   headers={"Content-Type": "text/plain"}).status == 415
    big = request(agent.port, "POST", "/v1/read", raw=b"[" * 100_000,
                  headers={"Content-Type": "application/json"})
    assert big.status == 413
    deep = request(agent.port, "POST", "/v1/read", raw=b"[" * 5000 + b"]" * 5000,
                   headers={"Content-Type": "application/json"})
    assert deep.status == 400
    assert request(agent.port, "GET", "/v1/nothing").status == 404
    assert request(agent.port, "GET", "/v1/read").status == 405


def test_wrong_key_is_one_attempt_and_422(start_agent: Start) -> None:
    backend = CountingSimBackend(SAMPLE)
    agent = start_agent(backend)
    reply = request(agent.port, "POST", "/v1/read", {"can": "999999"})
    assert reply.status == 422 and reply.json()["error"]["code"] == "access_denied"
    assert backend.counter.pace == 1 and backend.connects == 1
    reply = request(agent.port, "POST", "/v1/read", {"mrz": (
        "IDVNM1900123457001190012345<<8\n9005123F3005121VNM<<<<<<<<<<<2\n"
        "NGUYEN<<THI<NGOC<ANH<<<<<<<<<<").replace("9005123", "9105129")})
    assert reply.status in (400, 422)


def test_busy_reader_gets_409(start_agent: Start) -> None:
    agent = start_agent(CountingSimBackend(SAMPLE, apdu_delay=0.03))
    results: list[int] = []
    first = threading.Thread(target=lambda: results.append(
        request(agent.port, "POST", "/v1/read", {"can": "012345"}).status))
    first.start()
    deadline = time.monotonic() + 10
    while not request(agent.port, "GET", "/v1/status").json()["readers"][0]["busy"]:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    second = request(agent.port, "POST", "/v1/read", {"can": "012345"})
    assert second.status == 409 and second.json()["error"]["code"] == "busy"
    first.join()
    assert results == [200]


def test_no_such_reader_is_503(start_agent: Start) -> None:
    agent = start_agent()
    reply = request(agent.port, "POST", "/v1/read", {"can": "012345", "reader": "ACS ACR1252"})
    assert reply.status == 503 and reply.json()["error"]["code"] == "reader_not_found"


# ------------------------------------------------------------------------------ websocket


def test_websocket_read_streams_progress_then_the_record(start_agent: Start) -> None:
    agent = start_agent()
    with _ws(agent) as ws:
        name = f"cccd virtual card ({SAMPLE_NAME})"
        assert _recv(ws) == {"type": "reader_added", "reader": name}
        assert _recv(ws) == {"type": "card_present", "reader": name}
        ws.send(json.dumps({"type": "read", "key": {"id": PERSONAL_NUMBER}, "photo": True}))
        kinds = []
        while True:
            message = _recv(ws)
            kinds.append(message["type"])
            if message["type"] != "read_progress":
                break
        assert message["type"] == "record", message
        assert message["record"]["holder"]["full_name"] == HOLDER_NAME
        assert message["record"]["photo"]["data_url"].startswith("data:image/")
        assert kinds.count("read_progress") >= 3
        # the read is named as POST /v1/read names it: the bank steps take this id
        read_id = message["read_id"]
        assert isinstance(read_id, str) and len(read_id) >= 20
        package = request(agent.port, "POST", "/v1/evidence", {"read_id": read_id},
                          headers={"Origin": ALLOWED})
        assert package.status == 200, package.body
        assert package.json()["files"].keys() >= {"EF.SOD", "DG1", "DG2", "DG13"}
        ws.send(json.dumps({"type": "read", "key": {"can": "000000"}}))
        while (message := _recv(ws))["type"] == "read_progress":
            pass
        assert message["type"] == "error" and message["status"] == 422
        assert message["error"]["code"] == "access_denied"
        ws.send("not json")
        message = _recv(ws)
        assert message["type"] == "error" and message["error"]["code"] == "bad_request"
        ws.send(json.dumps({"type": "read"}))
        message = _recv(ws)
        assert message["status"] == 400 and message["error"]["code"] == "bad_key"
        ws.send(json.dumps({"type": "read", "key": {"can": "012345"}, "extra": 1}))
        assert _recv(ws)["error"]["code"] == "bad_request"


def test_websocket_messages_are_bounded(start_agent: Start) -> None:
    agent = start_agent()
    with _ws(agent) as ws:
        _recv(ws)
        _recv(ws)
        ws.send("x" * 100_000)
        with pytest.raises(Exception):  # noqa: B017 - the server closes the connection (1009)
            for _ in range(5):
                ws.recv(timeout=5)
    assert request(agent.port, "GET", "/v1/status").status == 200


# ------------------------------------------------------------------------------ privacy, CLI


def test_logs_hold_no_personal_data_or_keys(start_agent: Start,
                                            caplog: pytest.LogCaptureFixture) -> None:
    token = "tok-abcdefghijklmnop"
    agent = start_agent(token=token)
    with caplog.at_level(logging.DEBUG):
        request(agent.port, "POST", f"/v1/read?token={token}", {"id": PERSONAL_NUMBER})
        request(agent.port, "POST", f"/v1/read?token={token}", {"can": "999999"})
        with _ws(agent, query=f"?token={token}") as ws:
            ws.send(json.dumps({"type": "read", "key": {"id": PERSONAL_NUMBER}}))
            while _recv(ws)["type"] != "record":
                pass
    # the test's own WebSocket client logs its frames; the agent's loggers must not
    text = "\n".join(r.getMessage() for r in caplog.records
                     if not r.name.startswith("websockets.client"))
    assert "POST /v1/read 200" in text
    for secret in (PERSONAL_NUMBER, "012345", "999999", token, HOLDER_NAME, "NGUYEN",
                   "190012345"):
        assert secret not in text, secret


def test_origins_are_normalised_and_wildcards_refused() -> None:
    assert normalize_origin("HTTP://LocalHost:8080/") == "http://localhost:8080"
    assert normalize_origin("https://his.example:443") == "https://his.example"
    for bad in ("*", "null", "http://a.example/path", "file:///x", "a.example"):
        with pytest.raises(ValueError):
            normalize_origin(bad)
    assert cli.main(["serve", "--allow-origin", "*", "--sim", str(SAMPLE)]) == cli.EXIT_USAGE


def test_token_file_must_hold_a_real_token(tmp_path: Path) -> None:
    short = tmp_path / "token"
    short.write_text("abc\n")
    short.chmod(0o600)
    assert cli.main(["serve", "--token-file", str(short), "--sim", str(SAMPLE)]) == cli.EXIT_INPUT
    assert cli.main(["serve", "--token-file", str(tmp_path / "missing"),
                     "--sim", str(SAMPLE)]) == cli.EXIT_INPUT


def test_cccd_serve_runs_until_interrupted(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    token = tmp_path / "token"
    token.write_text("a-token-of-twenty-chars\n")
    token.chmod(0o600)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cccd_reader.cli", "serve", "--port", "0", "--host", "127.0.0.2",
         "--sim", str(SAMPLE), "--allow-origin", ALLOWED, "--token-file", str(token),
         "--no-default-trust"],
        stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stderr is not None
        lines = [proc.stderr.readline() for _ in range(2)]
        banner = next(line for line in lines if "cccd agent on" in line)
        assert any("WARNING" in line and "127.0.0.2" in line for line in lines), lines
        port = int(banner.split("http://127.0.0.2:")[1].split(" ")[0])
        assert "a-token-of" not in "".join(lines)
        import http.client

        conn = http.client.HTTPConnection("127.0.0.2", port, timeout=10)
        conn.request("GET", "/v1/status",
                     headers={"Authorization": "Bearer a-token-of-twenty-chars"})
        reply = conn.getresponse()
        assert reply.status == 200 and json.loads(reply.read())["readers"][0]["card_present"]
        conn.close()
        proc.send_signal(signal.SIGINT)
        # uvicorn shuts down cleanly, then re-raises the interrupt: 130, as every cccd command
        assert proc.wait(timeout=15) == 130
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
