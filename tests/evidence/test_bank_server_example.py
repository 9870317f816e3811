"""docs/examples/bank_server.py, the stand-in for a bank's server: a challenge per session, used
once; its own verdict on a package; a hostile package is one error; it never claims the
Ministry's online check."""

from __future__ import annotations

import base64
import http.client
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from cccd_reader import evidence
from tests.evidence.support import PKI, VN_2021, bank_server_module, package


@pytest.fixture
def port() -> Iterator[int]:
    server = bank_server_module().make_server(0, [str(PKI / "csca-vn.der")])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _call(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, (json.loads(data) if resp.getheader("Content-Type", "").startswith(
            "application/json") else data)
    finally:
        conn.close()


def test_a_session_challenge_answered_by_the_chip_is_genuine_once(port: int) -> None:
    status, session = _call(port, "GET", "/challenge")
    assert status == 200
    challenge = base64.b64decode(session["challenge"])
    assert len(challenge) == 8
    body = evidence.dumps(package(VN_2021, challenge))
    status, report = _call(port, "POST", f"/evidence?session={session['session']}", body)
    assert status == 200 and report["verdict"] == "genuine", report
    assert report["active_auth"] == "active_auth.verified"
    assert report["online_check"].startswith("not made by this software")
    # used once: a replay of the same package is refused
    status, again = _call(port, "POST", f"/evidence?session={session['session']}", body)
    assert (status, again["error"]["code"]) == (409, "no_session")


def test_another_sessions_challenge_and_hostile_packages(port: int) -> None:
    _, first = _call(port, "GET", "/challenge")
    _, second = _call(port, "GET", "/challenge")

    answered = evidence.dumps(package(VN_2021, base64.b64decode(first["challenge"])))
    _, report = _call(port, "POST", f"/evidence?session={second['session']}", answered)
    assert report["verdict"] == "not_genuine"
    assert report["failed"] == ["active_auth.challenge_mismatch"]
    _, third = _call(port, "GET", "/challenge")
    _, bad = _call(port, "POST", f"/evidence?session={third['session']}", b"[" * 5000)
    assert bad["error"]["code"] == "evidence.too_deep"
    status, page = _call(port, "GET", "/")
    assert status == 200 and "chưa thực hiện".encode() in page
