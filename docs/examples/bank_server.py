"""A stand-in for a bank's own server, for the example counter page (bank-counter.html).

It does the two things only a server may do in the flow of docs/bank-integrator-guide.md:
choose the Active Authentication challenge (8 random bytes per session, used once, forgotten
after five minutes) and check the evidence package the counter sends (passive authentication
again with *its* trust anchors, the chip's signature over *its* challenge). It serves the page
too, so the page's origin is this server's: give it to ``cccd serve --allow-origin``.

    cccd serve --allow-origin http://127.0.0.1:8080 --sim samples/vn-cccd-2021-nguyen-thi-ngoc-anh &
    python docs/examples/bank_server.py --port 8080 --trust samples/pki/csca-vn.der
    chromium http://127.0.0.1:8080/          # type 001190012345, then each step

It never makes the online check with the Ministry of Public Security's service and never says
it did: a real bank makes that check itself. Standard library plus ``cccd_reader`` only; an
example, not a production server (no TLS, no authentication of the counter, no records kept).
"""

from __future__ import annotations

import argparse
import base64
import json
import secrets
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cccd_reader import evidence, load_trust
from cccd_reader.evidence.codec import MAX_PACKAGE_BYTES

PAGE = Path(__file__).resolve().parent / "bank-counter.html"
#: The project's JavaScript client for the agent, served beside the page (same origin).
CLIENT = Path(__file__).resolve().parents[2] / "clients" / "js" / "cccd-agent.js"
#: How long a session's challenge may be answered.
SESSION_SECONDS = 300.0
#: Sessions kept at once (the oldest goes first).
MAX_SESSIONS = 256


class Sessions:
    """Challenges chosen by the server: one per counter session, used at most once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[str, tuple[bytes, float]] = {}

    def new(self) -> tuple[str, bytes]:
        session, challenge = secrets.token_urlsafe(16), secrets.token_bytes(8)
        now = time.monotonic()
        with self._lock:
            self._open = {k: v for k, v in self._open.items() if now - v[1] < SESSION_SECONDS}
            while len(self._open) >= MAX_SESSIONS:
                self._open.pop(next(iter(self._open)))
            self._open[session] = (challenge, now)
        return session, challenge

    def take(self, session: str) -> bytes | None:
        """The session's challenge, once; None when unknown, used or too old."""
        with self._lock:
            found = self._open.pop(session, None)
        if found is None or time.monotonic() - found[1] >= SESSION_SECONDS:
            return None
        return found[0]


def check_package(raw: bytes, trust: Any, challenge: bytes) -> dict[str, Any]:
    """What the bank's server concludes from a package: its own verdict, nothing taken on the
    counter's word."""
    try:
        package = evidence.loads(raw)
    except evidence.EvidenceError as exc:
        return {"error": {"code": f"evidence.{exc.reason}", "message": str(exc)}}
    report = evidence.verify_package(package, trust, challenge=challenge)
    return {
        "verdict": report.verdict,
        "data_verdict": report.data_verdict,
        "failed": [c.code for c in report.checks if c.status == "fail"],
        "active_auth": getattr(report.check("active_auth"), "code", None),
        "not_reproven": [f.code for f in report.not_reproven],
        "face_band": package.face.band if package.face is not None else None,
        "online_check": "not made by this software: the bank makes it with the Ministry's "
                        "service",
    }


def make_server(port: int, trust_paths: Sequence[str],
                host: str = "127.0.0.1") -> ThreadingHTTPServer:
    trust = load_trust(*trust_paths, include_default=False)
    sessions = Sessions()

    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, doc: Any) -> None:
            self._send(status, json.dumps(doc).encode(), "application/json")

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path in ("/", "/bank-counter.html"):
                self._send(200, PAGE.read_bytes(), "text/html; charset=utf-8")
            elif path == "/cccd-agent.js":
                self._send(200, CLIENT.read_bytes(), "text/javascript; charset=utf-8")
            elif path == "/challenge":
                session, challenge = sessions.new()
                self._json(200, {"session": session,
                                 "challenge": base64.b64encode(challenge).decode()})
            else:
                self._json(404, {"error": {"code": "not_found"}})

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            if parts.path != "/evidence":
                self._json(404, {"error": {"code": "not_found"}})
                return
            length = self.headers.get("Content-Length", "")
            if not length.isdigit() or int(length) > MAX_PACKAGE_BYTES:
                self._json(413, {"error": {"code": "too_large"}})
                return
            raw = self.rfile.read(int(length))
            session = parse_qs(parts.query).get("session", [""])[0]
            challenge = sessions.take(session)
            if challenge is None:
                self._json(409, {"error": {"code": "no_session",
                                           "message": "unknown, used or expired session"}})
                return
            self._json(200, check_package(raw, trust, challenge))

        def log_message(self, format: str, *args: Any) -> None:
            pass  # a package is personal data: nothing about a request is logged

    return ThreadingHTTPServer((host, port), Handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--trust", action="append", required=True,
                        help="the bank's trust anchors (CSCA, pinned DSCs, master lists)")
    args = parser.parse_args(argv)
    server = make_server(args.port, args.trust)
    print(f"bank server on http://127.0.0.1:{server.server_address[1]}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
