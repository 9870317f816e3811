"""The bank steps of the agent over real HTTP (uvicorn on a loopback port) with the in-process
virtual chip: ``read_id`` and its lifetime, ``POST /v1/face-match``, ``POST /v1/evidence``, the
``read_id`` form of ``POST /v1/active-auth``, and one clean error for each hostile input. The
same flow through pcscd + vpcd is in test_bank_pcsc.py."""

from __future__ import annotations

import base64
import logging
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader import evidence
from cccd_reader.agent import AgentConfig, AgentServer, read_ids
from cccd_reader.agent.bank import MAX_FACE_BODY, MAX_LIVE_BYTES
from cccd_reader.iso7816.transport import Transport
from cccd_reader.service import CardPresentEvent, CardRemovedEvent, ReaderEvent
from cccd_sim.agent import SimBackend
from tests.agent.agent_support import ALLOWED, HOLDER_NAME, PERSONAL_NUMBER, request
from tests.evidence.support import CHALLENGE, VN_2021, VN_2024, trust
from tests.face.photos import VARIANTS, dump_with_portrait, photo

B64_CHALLENGE = base64.b64encode(CHALLENGE).decode()
Start = Callable[..., AgentServer]


class RemovableBackend(SimBackend):
    """The virtual reader with a card that can be taken away and another put in its place:
    the monitor reports it as the PC/SC monitor would."""

    def __init__(self, dump: str | Path) -> None:
        super().__init__(dump)
        self.present = True
        self._on_event: Callable[[ReaderEvent], None] | None = None

    def readers(self) -> list[tuple[str, bool]]:
        return [(self.name, self.present)]

    def connect(self, reader: str) -> Transport:
        assert self.present, "no card"
        return super().connect(reader)

    def monitor(self, on_event: Callable[[ReaderEvent], None]) -> Any:
        self._on_event = on_event
        return _NullMonitor()

    def remove(self) -> None:
        self.present = False
        assert self._on_event is not None
        self._on_event(CardRemovedEvent(self.name))

    def insert(self, dump: str | Path) -> None:
        self._card = dumpmod.load(dump)
        self.present = True
        assert self._on_event is not None
        self._on_event(CardPresentEvent(self.name))


class _NullMonitor:
    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass


@pytest.fixture
def start_agent() -> Iterator[Start]:
    servers: list[AgentServer] = []

    def start(backend: Any = None, **kwargs: Any) -> AgentServer:
        config = AgentConfig(port=0, allow_origins=(ALLOWED,), trust=trust(),
                             backend=backend or SimBackend(VN_2021), **kwargs)
        server = AgentServer(config).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def credited_card(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The 2021 card with a chip-like copy (240x320 grey JPEG 2000) of a credited photograph
    (person_a_2) as DG2: re-signed by the sample's signer, and a forged copy (not re-signed:
    the DG2 hash fails, the chip is proven not genuine)."""
    root = tmp_path_factory.mktemp("bank-cards")
    portrait = VARIANTS["jpeg2000"]("person_a_2")
    return {name: dumpmod.save(dump_with_portrait(portrait, fmt="jp2", sign=sign), root / name)
            for name, sign in (("signed", True), ("forged", False))}


def _read(agent: AgentServer, **extra: Any) -> dict[str, Any]:
    reply = request(agent.port, "POST", "/v1/read", {"id": PERSONAL_NUMBER, **extra},
                    headers={"Origin": ALLOWED})
    assert reply.status == 200, reply.body
    doc: dict[str, Any] = reply.json()
    return doc


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _face(agent: AgentServer, read_id: str, image: bytes | str, **extra: Any) -> Any:
    body = {"read_id": read_id, "image": image if isinstance(image, str) else _b64(image),
            **extra}
    return request(agent.port, "POST", "/v1/face-match", body, headers={"Origin": ALLOWED})


def _error(reply: Any) -> tuple[int, str]:
    return reply.status, reply.json()["error"]["code"]


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims ``width`` x ``height`` (and no pixels behind it)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)))


# ------------------------------------------------------------------------------ read ids


def test_a_read_answers_a_read_id_and_the_steps_use_it(start_agent: Start,
                                                       credited_card: dict[str, Path]) -> None:
    agent = start_agent(SimBackend(credited_card["signed"]))
    doc = _read(agent)
    read_id = doc["read_id"]
    assert isinstance(read_id, str) and len(read_id) >= 20
    assert doc["verification"]["verdict"] == "genuine"
    again = _read(agent)["read_id"]
    assert again != read_id
    # a newer read on the same reader replaces the older one
    assert _error(_face(agent, read_id, photo("person_a_1"))) == (410, "read_replaced")
    scored = _face(agent, again, photo("person_a_1"))
    assert scored.status == 200, scored.body
    face = scored.json()
    assert face["chip_verdict"] == "genuine"
    assert face["band"] in ("likely_same", "check_by_eye")  # the same person, years apart
    assert isinstance(face["score"], float)
    assert face["thresholds"]["likely_same"] > face["thresholds"]["likely_different_below"]
    assert {m["sha256"] for m in face["model"].values()} and set(face["quality"]) == {
        "chip", "live"}
    other = _face(agent, again, photo("impostor_1")).json()
    assert other["band"] in ("likely_different", "check_by_eye")
    assert other["score"] < face["score"]


def test_unknown_and_malformed_read_ids(start_agent: Start) -> None:
    agent = start_agent()
    assert _error(_face(agent, "A" * 22, photo("person_a_1"))) == (404, "read_unknown")
    reply = request(agent.port, "POST", "/v1/evidence", {"read_id": 12})
    assert _error(reply) == (400, "bad_request")
    reply = request(agent.port, "POST", "/v1/evidence", {"read_id": "x" * 1000})
    assert _error(reply) == (400, "bad_request")


def test_an_expired_read_id_is_refused(start_agent: Start,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    agent = start_agent()
    read_id = _read(agent)["read_id"]
    ok = request(agent.port, "POST", "/v1/evidence", {"read_id": read_id})
    assert ok.status == 200
    import time

    later = read_ids.READ_ID_SECONDS + 1  # the registry's clock, 5 minutes and a second on
    monkeypatch.setattr("cccd_reader.agent.read_ids.monotonic", lambda: time.monotonic() + later)
    for path, body in (("/v1/evidence", {"read_id": read_id}),
                       ("/v1/face-match", {"read_id": read_id,
                                           "image": _b64(photo("person_a_1"))}),
                       ("/v1/active-auth", {"read_id": read_id, "challenge": B64_CHALLENGE,
                                            "id": PERSONAL_NUMBER})):
        assert _error(request(agent.port, "POST", path, body)) == (410, "read_expired"), path


def test_a_removed_card_drops_its_read_and_another_card_is_not_it(start_agent: Start) -> None:
    backend = RemovableBackend(VN_2021)
    agent = start_agent(backend)
    read_id = _read(agent)["read_id"]
    backend.remove()
    _eventually(lambda: _error(request(agent.port, "POST", "/v1/evidence",
                                       {"read_id": read_id})) == (410, "read_card_removed"))
    # another card in the same reader: the old read_id is gone; a fresh read of the new card
    # cannot be answered by Active Authentication of yet another card either
    backend.insert(VN_2021)
    assert _error(request(agent.port, "POST", "/v1/evidence", {"read_id": read_id})) == (
        410, "read_card_removed")
    # (the swap happens between two polls of the monitor: the hub never saw the card leave)
    fresh = _read(agent)["read_id"]
    backend.insert(VN_2024)
    can = dumpmod.load(VN_2024).access.can
    reply = request(agent.port, "POST", "/v1/active-auth",
                    {"read_id": fresh, "challenge": B64_CHALLENGE, "can": can})
    assert _error(reply) == (404, "card_removed"), reply.body  # not the card that was read


def _eventually(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_the_registry_is_bounded_and_drops_the_data() -> None:
    from cccd_reader.agent.reads import ReadDone

    registry = read_ids.ReadRegistry()
    done = [ReadDone(f"reader {i}", outcome=object(), doc={})  # type: ignore[arg-type]
            for i in range(read_ids.MAX_READS + 2)]
    ids = [registry.add(d) for d in done]
    assert len(registry) == read_ids.MAX_READS
    with pytest.raises(Exception) as first:
        registry.get(ids[0])
    assert getattr(first.value, "code", None) == "read_expired"
    assert registry.get(ids[-1]).done is done[-1]
    registry.card_removed("reader 5")
    assert len(registry) == read_ids.MAX_READS - 1
    registry.seconds = 0.0
    registry.purge()
    assert len(registry) == 0  # files, record, face and AA answers went with the entries


# ------------------------------------------------------------------------------ face match


def test_a_not_genuine_read_is_refused(start_agent: Start,
                                       credited_card: dict[str, Path]) -> None:
    agent = start_agent(SimBackend(credited_card["forged"]))
    doc = _read(agent)
    assert doc["verification"]["verdict"] == "not_genuine"
    # refused before the image is even looked at: a garbage image changes nothing
    for image in (photo("person_a_2"), "not an image"):
        reply = _face(agent, doc["read_id"], image)
        assert reply.status == 200, reply.body
        face = reply.json()
        assert (face["score"], face["band"]) == (None, None)
        assert face["refused"] == {"code": "chip_not_genuine", "side": "chip",
                                   "params": {"verdict": "not_genuine"}}
        assert face["chip_verdict"] == "not_genuine"


def test_a_gate_refusal_is_a_result_with_its_reason(start_agent: Start) -> None:
    import cv2
    import numpy as np

    agent = start_agent()
    read_id = _read(agent)["read_id"]
    ok, blank = cv2.imencode(".png", np.full((480, 640, 3), 220, np.uint8))
    assert ok
    face = _face(agent, read_id, bytes(blank)).json()
    assert face["refused"] == {"code": "no_face", "side": "live", "params": {}}
    assert face["score"] is None


@pytest.mark.parametrize(("image", "expected"), [
    ("data:image/gif;base64,R0lGODlh", (400, "bad_image")),
    ("%%%not base64%%%", (400, "bad_image")),
    (_b64(b"GIF89a" + bytes(64)), (400, "bad_image")),
    (_b64(b"\xff\xd8\xff\xe0" + bytes(8)), (400, "bad_image")),  # a JPEG header cut short
    (_b64(_png_header(5000, 300)), (413, "image_too_large")),
    (_b64(_png_header(640, 480)), (400, "bad_image")),  # header fine, no pixels behind it
    (_b64(photo("person_a_1")[:4000]), (400, "bad_image")),  # a truncated JPEG
    ("", (400, "bad_image")),
    (12, (400, "bad_image")),
])
def test_hostile_images_are_one_clean_error(start_agent: Start, image: Any,
                                            expected: tuple[int, str]) -> None:
    agent = start_agent()
    read_id = _read(agent)["read_id"]
    reply = request(agent.port, "POST", "/v1/face-match", {"read_id": read_id, "image": image},
                    headers={"Origin": ALLOWED})
    assert _error(reply) == expected, reply.body
    assert reply.headers["access-control-allow-origin"] == ALLOWED
    assert b"Traceback" not in reply.body


def test_oversized_images_and_bodies(start_agent: Start) -> None:
    agent = start_agent()
    read_id = _read(agent)["read_id"]
    big = b"\xff\xd8\xff\xe0" + bytes(MAX_LIVE_BYTES)  # one JPEG byte over 4 MiB
    assert _error(_face(agent, read_id, big)) == (413, "image_too_large")
    huge = b'{"read_id": "' + b"x" * MAX_FACE_BODY + b'"}'
    reply = request(agent.port, "POST", "/v1/face-match", raw=huge,
                    headers={"Content-Type": "application/json"})
    assert _error(reply) == (413, "bad_request")
    # the other endpoints keep their small bound
    reply = request(agent.port, "POST", "/v1/evidence", raw=b'{"read_id": "' + b"x" * 20000
                    + b'"}', headers={"Content-Type": "application/json"})
    assert _error(reply) == (413, "bad_request")


@pytest.mark.parametrize("path", ["/v1/face-match", "/v1/evidence"])
@pytest.mark.parametrize(("raw", "content_type", "expected"), [
    (b"{not json", "application/json", (400, "bad_request")),
    (b"[" * 5000 + b"]" * 5000, "application/json", (400, "bad_request")),
    (b'"a string"', "application/json", (400, "bad_request")),
    (b'{"read_id": "AAAAAAAAAAAAAAAAAAAAAA", "surprise": 1}', "application/json",
     (400, "bad_request")),
    (b'{"read_id": "AAAAAAAAAAAAAAAAAAAAAA"}', "text/plain", (415, "bad_request")),
])
def test_bad_bodies_are_one_clean_error(start_agent: Start, path: str, raw: bytes,
                                        content_type: str, expected: tuple[int, str]) -> None:
    agent = start_agent()
    reply = request(agent.port, "POST", path, raw=raw, headers={"Content-Type": content_type})
    assert _error(reply) == expected, reply.body


def test_deep_nesting_within_the_face_bound_is_not_json() -> None:
    """200 000 brackets fit the face body's bound: the parser's recursion limit refuses them
    (one 400), as the smaller bound of the other endpoints refuses them earlier (413)."""
    from cccd_reader.agent.bodies import MAX_BODY

    assert MAX_BODY < 200000 < MAX_FACE_BODY


@pytest.mark.parametrize(("path", "expected"), [("/v1/face-match", (400, "bad_request")),
                                                ("/v1/evidence", (413, "bad_request"))])
def test_deeply_nested_json_is_one_clean_error(start_agent: Start, path: str,
                                               expected: tuple[int, str]) -> None:
    agent = start_agent()
    reply = request(agent.port, "POST", path, raw=b"[" * 100000 + b"]" * 100000,
                    headers={"Content-Type": "application/json"})
    assert _error(reply) == expected, reply.body


def test_origin_host_and_token_rules_hold(start_agent: Start) -> None:
    token = "tok-abcdefghijklmnop"
    agent = start_agent(token=token)
    auth = {"Authorization": f"Bearer {token}"}
    read = request(agent.port, "POST", "/v1/read", {"id": PERSONAL_NUMBER}, headers=auth)
    read_id = read.json()["read_id"]
    for path, body in (("/v1/face-match", {"read_id": read_id,
                                           "image": _b64(photo("person_a_1"))}),
                       ("/v1/evidence", {"read_id": read_id})):
        foreign = request(agent.port, "POST", path, body,
                          headers={**auth, "Origin": "https://evil.example"})
        assert _error(foreign) == (403, "origin_not_allowed")
        rebound = request(agent.port, "POST", path, body,
                          headers={**auth, "Host": f"rebind.example:{agent.port}"})
        assert _error(rebound) == (403, "host_not_allowed")
        assert _error(request(agent.port, "POST", path, body)) == (401, "unauthorized")
        assert HOLDER_NAME.encode() not in foreign.body + rebound.body
        assert request(agent.port, "POST", path, body, headers=auth).status == 200


# ------------------------------------------------------------------------------ evidence


def test_evidence_with_the_servers_challenge_and_the_face(start_agent: Start,
                                                          credited_card: dict[str, Path]) -> None:
    agent = start_agent(SimBackend(credited_card["signed"]))
    read_id = _read(agent)["read_id"]
    aa = request(agent.port, "POST", "/v1/active-auth",
                 {"read_id": read_id, "challenge": B64_CHALLENGE, "id": PERSONAL_NUMBER})
    assert aa.status == 200 and aa.json()["active_auth"]["status"] == "pass", aa.body
    face = _face(agent, read_id, photo("person_a_1")).json()
    reply = request(agent.port, "POST", "/v1/evidence",
                    {"read_id": read_id, "aa_challenge": B64_CHALLENGE, "face": True})
    assert reply.status == 200, reply.body
    package = evidence.loads(reply.body)
    assert package.producer.component == "agent"
    assert package.active_auth.reason == "included"
    assert package.active_auth.challenge == CHALLENGE
    assert package.face is not None and package.face.band == face["band"]
    assert package.face.score == face["score"]
    assert package.live_image is None  # never by default
    report = evidence.verify_package(package, trust(), challenge=CHALLENGE)
    assert report.verdict == "genuine", [(c.name, c.code) for c in report.checks]
    other = evidence.verify_package(package, trust(), challenge=bytes(8))
    assert [c.code for c in other.checks if c.status == "fail"] == [
        "active_auth.challenge_mismatch"]


def test_evidence_asks_for_what_was_obtained(start_agent: Start) -> None:
    agent = start_agent()
    read_id = _read(agent)["read_id"]
    plain = evidence.loads(request(agent.port, "POST", "/v1/evidence",
                                   {"read_id": read_id}).body)
    assert plain.active_auth.reason == "no_challenge" and plain.face is None

    def ask(**body: Any) -> tuple[int, str]:
        return _error(request(agent.port, "POST", "/v1/evidence", {"read_id": read_id, **body}))

    assert ask(aa_challenge=B64_CHALLENGE) == (409, "active_auth_not_obtained")
    assert ask(aa_challenge="AAAA") == (400, "bad_request")
    assert ask(face=True) == (409, "no_face_result")
    assert ask(face="yes") == (400, "bad_request")
    _face(agent, read_id, photo("person_a_1"))
    assert ask(face=True, include_live_image=True) == (409, "live_image_not_kept")
    assert ask(include_live_image=True) == (409, "live_image_not_kept")
    # kept only when the page said the customer consented, and included only when asked
    _face(agent, read_id, photo("person_a_1"), keep_live_image=True)
    without = evidence.loads(request(agent.port, "POST", "/v1/evidence",
                                     {"read_id": read_id, "face": True}).body)
    assert without.face is not None and without.live_image is None
    reply = request(agent.port, "POST", "/v1/evidence",
                    {"read_id": read_id, "face": True, "include_live_image": True})
    live = evidence.loads(reply.body).live_image
    assert live is not None and live.data == photo("person_a_1") and live.mime == "image/jpeg"


def test_the_2024_card_has_no_aa_and_says_so(start_agent: Start) -> None:
    agent = start_agent(SimBackend(VN_2024))
    card = dumpmod.load(VN_2024)
    assert card.access.can
    reply = request(agent.port, "POST", "/v1/read", {"can": card.access.can})
    read_id = reply.json()["read_id"]
    aa = request(agent.port, "POST", "/v1/active-auth",
                 {"read_id": read_id, "challenge": B64_CHALLENGE, "can": card.access.can})
    assert aa.status == 200 and aa.json()["signature"] is None
    assert aa.json()["active_auth"]["status"] == "skipped"
    package = evidence.loads(request(agent.port, "POST", "/v1/evidence",
                                     {"read_id": read_id, "aa_challenge": B64_CHALLENGE}).body)
    assert package.active_auth.reason == "no_dg15"


def test_nothing_of_a_face_or_package_is_logged(start_agent: Start,
                                                caplog: pytest.LogCaptureFixture) -> None:
    agent = start_agent()
    with caplog.at_level(logging.DEBUG):
        read_id = _read(agent)["read_id"]
        _face(agent, read_id, photo("person_a_1"), keep_live_image=True)
        body = request(agent.port, "POST", "/v1/evidence",
                       {"read_id": read_id, "face": True, "include_live_image": True}).body
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "evidence: ok" in text and "face-match: scored" in text
    package = evidence.loads(body)
    assert package.face is not None
    for secret in (read_id, PERSONAL_NUMBER, HOLDER_NAME, "NGUYEN", str(package.face.score),
                   _b64(package.files["DG1"])[:24]):
        assert secret not in text, secret
