"""Acceptance of issue 31 through the real stack: a bank's counter page's four steps against the
agent -> pyscard -> pcscd -> vpcd -> the virtual chip, then the bank server's check with the
command line.

The card is the 2021 sample with a chip-like copy (240x320 grey JPEG 2000) of a credited
photograph (tests/face/photos/CREDITS.md: person_a_2, public domain) as its DG2, re-signed by the
sample's test Document Signer; it lives in a temporary directory only. The live picture is
another photograph of the same person (person_a_1) and one of someone else (impostor_1).
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader import evidence
from cccd_reader.agent import AgentConfig, AgentServer, read_ids
from cccd_reader.agent.backend import PcscBackend
from cccd_reader.cli import main
from cccd_sim.cards import chip_for_dump, config_for
from tests.agent.agent_support import ALLOWED, request
from tests.evidence.support import CHALLENGE, PKI, trust
from tests.face.photos import VARIANTS, dump_with_portrait, photo

pytestmark = pytest.mark.pcsc

Insert = Callable[..., AbstractContextManager[str]]
B64 = base64.b64encode(CHALLENGE).decode()
TRUST_ARGS = ["--trust", str(PKI / "csca-vn.der"), "--no-default-trust"]


@pytest.fixture
def agent(pcsc_readers: list[str]) -> Iterator[AgentServer]:
    config = AgentConfig(port=0, allow_origins=(ALLOWED,), trust=trust(),
                         backend=PcscBackend(poll_interval=0.1))
    with AgentServer(config) as server:
        yield server


@pytest.fixture(scope="module")
def card() -> dumpmod.CardDump:
    return dump_with_portrait(VARIANTS["jpeg2000"]("person_a_2"), fmt="jp2", sign=True)


def _post(agent: AgentServer, path: str, body: dict[str, Any]) -> Any:
    return request(agent.port, "POST", path, body, headers={"Origin": ALLOWED})


def _wait_present(agent: AgentServer, reader: str, present: bool) -> None:
    deadline = time.monotonic() + 10
    while True:
        readers = request(agent.port, "GET", "/v1/status").json()["readers"]
        if any(r["name"] == reader and r["card_present"] is present for r in readers):
            return
        assert time.monotonic() < deadline, readers
        time.sleep(0.05)


def _verify(capsys: pytest.CaptureFixture[str], path: Path,
            challenge: str = CHALLENGE.hex()) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = main(["evidence", "verify", str(path), "--challenge", challenge, "--json",
                 *TRUST_ARGS])
    doc: dict[str, Any] = json.loads(capsys.readouterr().out)
    return code, doc


def _failed(doc: dict[str, Any]) -> dict[str, str]:
    return {c["name"]: c["code"] for c in doc["checks"] if c["status"] == "fail"}


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_read_aa_face_evidence_then_the_servers_check(
    agent: AgentServer, vpcd_card: Insert, card: dumpmod.CardDump, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    can = card.access.can
    assert can
    with vpcd_card(chip_for_dump(card, config_for(card.profile))) as reader:
        _wait_present(agent, reader, True)
        # 1. the read
        read = _post(agent, "/v1/read", {"can": can, "reader": reader})
        assert read.status == 200, read.body
        assert read.json()["verification"]["verdict"] == "genuine"
        read_id = read.json()["read_id"]
        # 2. Active Authentication over the server's challenge, on this read's card
        aa = _post(agent, "/v1/active-auth", {"read_id": read_id, "challenge": B64, "can": can})
        assert aa.status == 200, aa.body
        assert aa.json()["active_auth"]["status"] == "pass"
        assert aa.json()["challenge"] == B64
        # 3. the face check: the same person years apart, then someone else
        same = _post(agent, "/v1/face-match", {"read_id": read_id,
                                              "image": base64.b64encode(
                                                  photo("impostor_1")).decode()}).json()
        assert same["band"] in ("likely_different", "check_by_eye"), same
        face = _post(agent, "/v1/face-match", {"read_id": read_id,
                                              "image": base64.b64encode(
                                                  photo("person_a_1")).decode()})
        assert face.status == 200, face.body
        result = face.json()
        assert result["band"] in ("likely_same", "check_by_eye"), result
        assert result["score"] > same["score"]
        assert result["chip_verdict"] == "genuine" and set(result["quality"]) == {"chip", "live"}
        # 4. the evidence package, with the server's challenge and the last face result
        reply = _post(agent, "/v1/evidence", {"read_id": read_id, "aa_challenge": B64,
                                              "face": True})
        assert reply.status == 200, reply.body
        doc = reply.json()

        # a read_id whose time is up is refused while the card is still there
        later = read_ids.READ_ID_SECONDS + 1
        with monkeypatch.context() as patch:
            patch.setattr("cccd_reader.agent.read_ids.monotonic",
                          lambda: time.monotonic() + later)
            expired = _post(agent, "/v1/evidence", {"read_id": read_id})
        assert (expired.status, expired.json()["error"]["code"]) == (410, "read_expired")

        # a fresh read, then the card leaves the reader: its read_id goes with it
        fresh = _post(agent, "/v1/read", {"can": can, "reader": reader}).json()["read_id"]
    _wait_present(agent, reader, False)
    gone = _post(agent, "/v1/face-match", {"read_id": fresh,
                                           "image": base64.b64encode(
                                               photo("person_a_1")).decode()})
    assert (gone.status, gone.json()["error"]["code"]) == (410, "read_card_removed")

    package = evidence.loads(json.dumps(doc).encode())
    assert package.producer.component == "agent"
    assert package.face is not None and package.face.band == result["band"]
    assert package.live_image is None
    assert set(package.files) >= {"EF.SOD", "DG1", "DG2", "DG13", "DG14", "DG15"}

    # the bank's server: cccd evidence verify passes
    path = _write(tmp_path / "evidence.json", doc)
    code, report = _verify(capsys, path)
    assert code == 0 and report["verdict"] == "genuine", report
    assert "active_auth" in report["reproven"]

    # ... and fails precisely on one byte of DG13, another challenge, a swapped DSC
    dg13 = bytearray(base64.b64decode(doc["files"]["DG13"]))
    dg13[-1] ^= 1
    tampered = {**doc, "files": {**doc["files"], "DG13": base64.b64encode(dg13).decode()}}
    code, report = _verify(capsys, _write(tmp_path / "dg13.json", tampered))
    assert code == 6 and _failed(report) == {"dg_hash:DG13": "dg_hash.mismatch"}

    code, report = _verify(capsys, path, challenge="0102030405060708")
    assert code == 6 and _failed(report) == {"active_auth": "active_auth.challenge_mismatch"}

    other_dsc = base64.b64encode((PKI / "dsc-vn-2024.der").read_bytes()).decode()
    code, report = _verify(capsys, _write(tmp_path / "dsc.json", {**doc, "dsc": other_dsc}))
    assert code == 6 and _failed(report) == {"package_dsc": "package_dsc.mismatch"}
