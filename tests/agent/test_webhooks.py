"""Webhook push: a receiver on 127.0.0.1 (a plain HTTP server, as a HIS runs one) gets one POST
per read in each format; a receiver that hangs or answers 500 delays no read and is retried
within the bounds; URLs that would send records off the machine are refused at start."""

from __future__ import annotations

import base64
import json
import time
from typing import Any, ClassVar

import pytest

from cccd_reader import cli
from cccd_reader import dump as dumpmod
from cccd_reader.agent import AgentConfig, AgentServer
from cccd_reader.agent.webhooks import (
    WebhookPusher,
    WebhookRefused,
    WebhookTarget,
    parse_target,
)
from cccd_reader.record import CardRecord
from cccd_reader.redact import without_access_data
from tests.agent.agent_support import (
    ALLOWED,
    DEVICE_FIELDS,
    HOLDER_NAME,
    PERSONAL_NUMBER,
    SAMPLE_NAME,
    CountingSimBackend,
    request,
)
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / SAMPLE_NAME


def _agent(*urls: str, fmt: str = "native", sample: Any = SAMPLE, **kwargs: Any) -> AgentServer:
    config = AgentConfig(port=0, allow_origins=(ALLOWED,), backend=CountingSimBackend(sample),
                         webhooks=[parse_target(u) for u in urls], webhook_format=fmt,  # type: ignore[arg-type]
                         **kwargs)
    return AgentServer(config).start()


def _wait(predicate: Any, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_native_format_one_post_per_read_without_access_data(receivers: Any) -> None:
    hook = receivers()
    agent = _agent(hook.url)
    try:
        docs = []
        for _ in range(3):
            reply = request(agent.port, "POST", "/v1/read", {"id": PERSONAL_NUMBER})
            assert reply.status == 200
            docs.append(reply.json())
        _wait(lambda: len(hook.posts) == 3)
        time.sleep(0.3)
        assert len(hook.posts) == 3  # one per read, none repeated
        headers, body = hook.posts[0]
        assert headers["content-type"].startswith("application/json")
        assert headers["host"] == hook.url.split("/")[2]
        posted = json.loads(body)
        # the page's read_id (issue 31) is the page's: a webhook never gets it
        answered = {k: v for k, v in docs[0].items() if k != "read_id"}
        assert "read_id" not in posted and "read_id" in docs[0]
        assert posted == without_access_data(answered) | {"wire": posted["wire"]}
        assert posted["holder"]["full_name"] == HOLDER_NAME
        assert PERSONAL_NUMBER not in body.decode() and "012345" not in body.decode()
        status = request(agent.port, "GET", "/v1/status").json()["webhooks"]
        assert status == [{"target": hook.url.rsplit("/", 1)[0], "format": "native",
                           "queued": 0, "delivered": 3, "failed_attempts": 0, "dropped": 0,
                           "last_error": None}]
    finally:
        agent.stop()


def test_device_format_posts_the_companion_apps_fields(receivers: Any) -> None:
    hook = receivers()
    agent = _agent(hook.url, fmt="device")
    try:
        assert request(agent.port, "POST", "/v1/read", {"id": PERSONAL_NUMBER}).status == 200
        _wait(lambda: len(hook.posts) == 1)
        posted = json.loads(hook.posts[0][1])
        assert set(posted) == DEVICE_FIELDS | {"verification"}
        record = CardRecord.build(dumpmod.load(SAMPLE).files)
        assert record.dg13 is not None and record.photo is not None
        assert posted["id_card"] == PERSONAL_NUMBER
        assert posted["full_name"] == HOLDER_NAME
        assert posted["date_of_birth"] == "12/05/1990" and posted["gender"] == "Nữ"
        assert posted["old_id_card"] == record.dg13.old_id_number
        assert posted["place_of_residence"] == record.dg13.place_of_residence
        assert base64.b64decode(posted["id_img"]) == record.photo.data
        assert posted["verification"]["verdict"] == "unverified"
    finally:
        agent.stop()


def test_a_hanging_and_a_failing_receiver_delay_no_read_and_are_retried(
    receivers: Any,
) -> None:
    hang, fail, good = receivers("hang"), receivers("fail"), receivers()
    agent = _agent(hang.url, fail.url, good.url)
    try:
        started = time.monotonic()
        for _ in range(5):
            t0 = time.monotonic()
            assert request(agent.port, "POST", "/v1/read", {"id": PERSONAL_NUMBER}).status == 200
            assert time.monotonic() - t0 < 2.0
        reads_took = time.monotonic() - started
        _wait(lambda: len(good.posts) == 5)
        assert reads_took < 5.0
        _wait(lambda: len(hang.attempts) >= 1)
        _wait(lambda: len(fail.attempts) >= 3)  # retried, with backoff between tries
        gaps = [b - a for a, b in zip(fail.attempts, fail.attempts[1:], strict=False)]
        assert gaps[0] >= 0.9 and gaps[1] >= 1.9
        status = {w["target"]: w for w in request(agent.port, "GET", "/v1/status").json()
                  ["webhooks"]}
        failing = status[fail.url.rsplit("/", 1)[0]]
        assert failing["queued"] == 5 and failing["last_error"] == "http_500"
        assert failing["delivered"] == 0 and failing["failed_attempts"] >= 2
        # the failing receiver recovers: the queue drains in order
        fail.mode = "ok"
        _wait(lambda: len(fail.posts) == 5, timeout=20)
    finally:
        agent.stop()


def test_not_genuine_reads_are_not_posted_unless_forwarded(receivers: Any) -> None:
    hook = receivers()
    sample = SAMPLES / "negative" / "flipped-signature"
    agent = _agent(hook.url, sample=sample)
    try:
        reply = request(agent.port, "POST", "/v1/read", {"id": PERSONAL_NUMBER})
        assert reply.json()["verification"]["verdict"] == "not_genuine"
        time.sleep(0.5)
        assert hook.posts == []
    finally:
        agent.stop()
    agent = _agent(hook.url, sample=sample, forward_not_genuine=True)
    try:
        request(agent.port, "POST", "/v1/read", {"id": PERSONAL_NUMBER})
        _wait(lambda: len(hook.posts) == 1)
    finally:
        agent.stop()


def test_the_queue_is_bounded_in_items_and_age() -> None:
    now = [1000.0]
    target = parse_target("http://127.0.0.1:9/")
    pusher = WebhookPusher([target], clock=lambda: now[0])

    class Done:
        class outcome:
            class record:
                verdict = "unverified"

    for _ in range(60):
        pusher.offer(Done())  # type: ignore[arg-type]
    (status,) = pusher.status()
    assert (status["queued"], status["dropped"]) == (50, 10)
    now[0] += 599
    assert pusher.status()[0]["queued"] == 50
    now[0] += 2
    assert (pusher.status()[0]["queued"], pusher.status()[0]["dropped"]) == (0, 60)


@pytest.mark.parametrize("url, allow, why", [
    ("http://192.168.1.20:8050/", (), "loopback"),
    ("http://his.example.vn/", (), "loopback"),
    ("http://10.0.0.1/", ("10.0.0.1",), "loopback"),
    ("https://his.example.vn/hook", (), "--webhook-allow-host"),
    ("https://his.example.vn/hook", ("other.example",), "--webhook-allow-host"),
    ("http://user:pw@127.0.0.1/", (), "credentials"),
    ("ftp://127.0.0.1/", (), "http"),
    ("127.0.0.1:8050", (), "http"),
])
def test_urls_that_leave_the_machine_are_refused(url: str, allow: tuple[str, ...],
                                                 why: str) -> None:
    with pytest.raises(WebhookRefused, match=why):
        parse_target(url, allow)


def test_allowed_urls() -> None:
    assert parse_target("http://localhost:8050/").loopback
    assert parse_target("http://[::1]:8050/x").host == "::1"
    target = parse_target("https://HIS.example.vn/hook?k=1", ["his.example.vn"])
    assert target == WebhookTarget("https://HIS.example.vn/hook?k=1", "https", "his.example.vn",
                                   443, loopback=False)
    assert target.label == "https://his.example.vn:443"


def test_localhost_is_resolved_when_connecting(receivers: Any) -> None:
    hook = receivers()
    port = hook.server.server_address[1]
    agent = _agent(f"http://localhost:{port}/")
    try:
        assert request(agent.port, "POST", "/v1/read", {"id": PERSONAL_NUMBER}).status == 200
        _wait(lambda: len(hook.posts) == 1)
        assert hook.posts[0][0]["host"] == f"localhost:{port}"
    finally:
        agent.stop()


def test_serve_refuses_a_non_loopback_http_webhook_at_start(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = cli.main(["serve", "--sim", str(SAMPLE), "--port", "0",
                     "--webhook", "http://192.168.5.1:8050/", "--no-default-trust"])
    assert code == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "--webhook" in err and "loopback" in err


def test_the_backoff_is_the_targets_so_drops_do_not_restart_it(receivers: Any) -> None:
    """A receiver that keeps failing while reads keep coming: the full queue drops its oldest
    item, and the next try still waits for the target's backoff (no hammering)."""
    import asyncio

    fail = receivers("fail")

    class Done:
        doc: ClassVar[dict[str, Any]] = {"holder": {"full_name": "x"}, "mrz": {"raw": "x"}}

        class outcome:
            class record:
                verdict = "unverified"

    async def scenario() -> WebhookPusher:
        pusher = WebhookPusher([parse_target(fail.url)], max_queued=2)
        task = asyncio.create_task(pusher.run())
        for _ in range(20):
            pusher.offer(Done())  # type: ignore[arg-type]
            await asyncio.sleep(0.1)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return pusher

    pusher = asyncio.run(scenario())
    # 2 s of offers: tries at about 0, 1 and 3 s at most, not one per dropped item
    assert 1 <= len(fail.attempts) <= 3, fail.attempts
    (status,) = pusher.status()
    assert status["queued"] == 2 and status["dropped"] == 18
    assert status["failed_attempts"] == len(fail.attempts)


def test_device_format_of_a_passport_fills_what_the_mrz_gives() -> None:
    from cccd_reader.agent.device_format import device_webhook, portrait_jpeg

    record = CardRecord.build(dumpmod.load(SAMPLES / "passport-utopia-td3").files)
    assert record.mrz is not None
    doc = device_webhook(record, portrait_jpeg(record.photo))
    assert set(doc) == DEVICE_FIELDS | {"verification"}
    assert doc["id_card"] == record.mrz.document_number
    assert doc["full_name"] == "ERIKSSON ANNA MARIA"
    assert doc["date_of_birth"] == record.mrz.date_of_birth.strftime("%d/%m/%Y")  # type: ignore[union-attr]
    assert doc["race"] == "" and doc["old_id_card"] == ""


def test_https_needs_a_certificate_the_machine_trusts(tmp_path: Any) -> None:
    """An allowed https:// host whose certificate is not trusted gets nothing (the POST fails
    at the TLS handshake and is retried later); the failure is in the status."""
    import asyncio
    import datetime
    import http.server
    import ssl
    import threading

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), False)
            .sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    posts: list[bytes] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            posts.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    target = parse_target(f"https://localhost:{server.server_address[1]}/hook", ["localhost"])

    class Done:
        doc: ClassVar[dict[str, Any]] = {"holder": {"full_name": "x"}}

        class outcome:
            class record:
                verdict = "unverified"

    async def scenario() -> WebhookPusher:
        pusher = WebhookPusher([target])
        task = asyncio.create_task(pusher.run())
        pusher.offer(Done())  # type: ignore[arg-type]
        await asyncio.sleep(1.5)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return pusher

    try:
        (status,) = asyncio.run(scenario()).status()
    finally:
        server.shutdown()
        server.server_close()
    assert posts == []
    assert status["delivered"] == 0 and status["failed_attempts"] >= 1
    assert status["last_error"] == "ConnectError" and status["queued"] == 1


def test_the_webhook_url_and_its_secret_are_not_logged(
    receivers: Any, caplog: Any,
) -> None:
    """Review finding: httpx logged each POST's URL at INFO, with the receiver's secret in its
    query (and httpcore its headers at DEBUG). With the root at DEBUG (`cccd serve -vv`)."""
    import logging

    caplog.set_level(logging.DEBUG)
    hook = receivers()
    agent = _agent(hook.url + "?secret=s3cr3t-token")
    try:
        assert request(agent.port, "POST", "/v1/read", {"id": PERSONAL_NUMBER}).status == 200
        _wait(lambda: len(hook.posts) == 1)
    finally:
        agent.stop()
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "s3cr3t-token" not in text and PERSONAL_NUMBER not in text
    assert not [r for r in caplog.records if r.name.startswith(("httpx", "httpcore"))
                and r.levelno < logging.WARNING]
