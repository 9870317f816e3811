"""The example intake page in a real headless browser (Debian's chromium, driven over the
DevTools protocol), against the agent reading through pcscd + vpcd with the virtual card
inserted by ``cccd simulate``: the form fills itself with the Vietnamese name, and the same page
served from an origin that is not allowed gets nothing."""

from __future__ import annotations

import base64
import http.server
import itertools
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

from cccd_reader.agent import AgentConfig, AgentServer
from cccd_reader.agent.backend import PcscBackend
from cccd_sim.pcscd import VPCD_BASE_PORT, reader_for_port
from tests.agent.agent_support import HOLDER_NAME, PERSONAL_NUMBER, SAMPLE_NAME, request
from tests.conftest import REPO, SAMPLES

pytestmark = pytest.mark.pcsc

#: Only these files are served by the test's web servers.
SERVED = {
    "/docs/examples/agent-intake.html": REPO / "docs/examples/agent-intake.html",
    "/clients/js/cccd-agent.js": REPO / "clients/js/cccd-agent.js",
}


class _Static(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        path = SERVED.get(self.path.split("?", 1)[0])
        if path is None:
            self.send_error(404)
            return
        data = path.read_bytes()
        self.send_response(200)
        kind = "text/html" if path.suffix == ".html" else "text/javascript"
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def web_servers() -> Iterator[tuple[int, int]]:
    """Two tiny web servers on 127.0.0.1: the allowed origin's and a foreign one's."""
    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Static) for _ in range(2)]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for t in threads:
        t.start()
    yield servers[0].server_address[1], servers[1].server_address[1]
    for s in servers:
        s.shutdown()
        s.server_close()


class Cdp:
    """The least of the Chrome DevTools protocol: commands on one page target."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self._ids = itertools.count(1)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        ident = next(self._ids)
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv(timeout=30))
            if message.get("id") == ident:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    def eval(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 20.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = self.eval(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {expression}")
            time.sleep(0.1)


@pytest.fixture
def browser() -> Iterator[Cdp]:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CCCD_ALLOW_NO_BROWSER") == "1":
            pytest.skip("chromium is not installed")
        pytest.fail("chromium is not installed; ./run tests installs it")
    profile = tempfile.mkdtemp(prefix="cccd-chromium-")
    proc = subprocess.Popen(
        [exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--no-default-browser-check", "--disable-extensions",
         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
         f"--user-data-dir={profile}", "--window-size=1366,768", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        port_file = Path(profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().count("\n") >= 1):
            assert proc.poll() is None, "chromium exited"
            assert time.monotonic() < deadline, "chromium did not open its DevTools port"
            time.sleep(0.1)
        port = int(port_file.read_text().split("\n")[0])
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            pages = [t for t in json.load(resp) if t["type"] == "page"]
        with connect(pages[0]["webSocketDebuggerUrl"], max_size=64 * 1024 * 1024,
                     open_timeout=20) as ws:
            cdp = Cdp(ws)
            cdp.call("Runtime.enable")
            cdp.call("Page.enable")
            yield cdp
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


def _simulate() -> subprocess.Popen[bytes]:
    """``cccd simulate SAMPLE`` into Virtual PCD 00 00: the card is tapped."""
    return subprocess.Popen(
        [sys.executable, "-m", "cccd_reader.cli", "simulate", str(SAMPLES / SAMPLE_NAME),
         "--port", str(VPCD_BASE_PORT)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def _remove(card: subprocess.Popen[bytes]) -> None:
    card.send_signal(signal.SIGINT)
    try:
        card.wait(timeout=10)
    except subprocess.TimeoutExpired:
        card.kill()
        card.wait()


def _open(cdp: Cdp, url: str) -> None:
    cdp.call("Page.navigate", url=url)
    cdp.wait_for("document.readyState === 'complete' && !!document.getElementById('card-key')")


def _type_key(cdp: Cdp, text: str) -> None:
    cdp.eval("document.getElementById('card-key').focus()")
    cdp.call("Input.insertText", text=text)


def test_intake_page_fills_itself_when_a_card_is_tapped(
    pcsc_readers: list[str], web_servers: tuple[int, int], browser: Cdp,
    caplog: pytest.LogCaptureFixture,
) -> None:
    allowed_port, foreign_port = web_servers
    config = AgentConfig(port=0, allow_origins=(f"http://127.0.0.1:{allowed_port}",),
                         backend=PcscBackend(poll_interval=0.1))
    page = "/docs/examples/agent-intake.html"
    reader = reader_for_port(VPCD_BASE_PORT)
    with AgentServer(config) as agent, caplog.at_level(logging.INFO, "cccd_reader.agent"):
        query = f"?agent=http://127.0.0.1:{agent.port}"
        _open(browser, f"http://127.0.0.1:{allowed_port}{page}{query}")
        browser.wait_for("document.getElementById('agent-status').className === 'ok'")
        _type_key(browser, PERSONAL_NUMBER)
        card = _simulate()
        try:
            name = browser.wait_for(
                "document.getElementById('full_name').value || ''", timeout=30)
            assert name == HOLDER_NAME
            assert browser.eval("document.getElementById('personal_number').value") \
                == PERSONAL_NUMBER
            assert browser.eval("document.getElementById('date_of_birth').value") == "1990-05-12"
            assert browser.eval("document.getElementById('sex').value") == "Nữ"
            assert "Thái Hà" in browser.eval("document.getElementById('address').value")
            assert browser.eval("document.getElementById('photo').naturalWidth") > 0
            verdict = browser.eval("document.getElementById('verdict').className")
            assert verdict in ("genuine", "unverified", "not_genuine", "inconsistent")
            assert browser.eval("document.getElementById('card-key').value") == ""
            shot = browser.call("Page.captureScreenshot", format="png")["data"]
            out = os.environ.get("CCCD_AGENT_SCREENSHOT")
            if out:
                Path(out).write_bytes(base64.b64decode(shot))

            # the same page from an origin the agent does not allow: it gets nothing
            _open(browser, f"http://127.0.0.1:{foreign_port}{page}{query}")
            browser.wait_for("document.getElementById('agent-status').className === 'error'")
            _type_key(browser, PERSONAL_NUMBER)
            browser.eval("document.getElementById('read-button').click()")
            time.sleep(1.5)
            assert browser.eval("document.getElementById('full_name').value") == ""
            assert browser.eval("document.getElementById('photo').getAttribute('src')") is None
            assert "Ánh" not in browser.eval("document.body.innerText")
            # the card was there all along: the agent saw it, and refused the page
            readers = request(agent.port, "GET", "/v1/status").json()["readers"]
            assert {"name": reader, "card_present": True, "busy": False} in readers
        finally:
            _remove(card)
    refused = [r.getMessage() for r in caplog.records if " 403 " in r.getMessage()]
    assert any(m.startswith("GET /v1/status 403") for m in refused), refused
    assert any(m.startswith("WS /v1/events") for m in refused), refused


def test_intake_page_through_the_socketio_endpoint_with_the_vendored_client(
    pcsc_readers: list[str], web_servers: tuple[int, int], browser: Cdp,
) -> None:
    """The same page in Socket.IO mode: the socket.io browser client comes from the agent
    (never a CDN), the page gets id 1, 2 and 4 on a tap and fills itself; from an origin the
    agent does not allow, the handshake is refused and the page gets nothing."""
    allowed_port, foreign_port = web_servers
    config = AgentConfig(port=0, socketio_port=0,
                         allow_origins=(f"http://127.0.0.1:{allowed_port}",),
                         backend=PcscBackend(poll_interval=0.1))
    page = "/docs/examples/agent-intake.html"
    with AgentServer(config) as agent:
        query = f"?socketio={agent.socketio_url}"
        _open(browser, f"http://127.0.0.1:{allowed_port}{page}{query}")
        browser.wait_for("document.getElementById('agent-status').className === 'ok'")
        assert browser.eval("typeof io") == "function"
        assert browser.eval("document.querySelector('script[src$=\"socket.io.min.js\"]').src") \
            == f"{agent.socketio_url}/socket.io.min.js"
        _type_key(browser, PERSONAL_NUMBER)
        card = _simulate()
        try:
            name = browser.wait_for(
                "document.getElementById('full_name').value || ''", timeout=30)
            assert name == HOLDER_NAME
            assert browser.eval("document.getElementById('personal_number').value") \
                == PERSONAL_NUMBER
            assert browser.eval("document.getElementById('date_of_birth').value") == "1990-05-12"
            assert browser.eval("document.getElementById('sex').value") == "Nữ"
            assert "Thái Hà" in browser.eval("document.getElementById('address').value")
            browser.wait_for("document.getElementById('photo').naturalWidth > 0")
            assert browser.eval("document.getElementById('photo').src").startswith(
                "data:image/jpeg;base64,")
            assert browser.eval("document.getElementById('verdict').className") == "unverified"
            assert browser.eval("document.getElementById('card-key').value") == ""

            _open(browser, f"http://127.0.0.1:{foreign_port}{page}{query}")
            browser.wait_for("document.getElementById('agent-status').className === 'error'")
            _type_key(browser, PERSONAL_NUMBER)
            browser.eval("document.getElementById('read-button').click()")
            time.sleep(1.5)
            assert browser.eval("document.getElementById('full_name').value") == ""
            assert browser.eval("document.getElementById('photo').getAttribute('src')") is None
            assert "Ánh" not in browser.eval("document.body.innerText")
        finally:
            _remove(card)
