"""Fixtures shared by the agent tests."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.agent.agent_support import Receiver


@pytest.fixture
def receivers() -> Iterator[Callable[..., Receiver]]:
    """Webhook receivers on 127.0.0.1 (plain HTTP servers, as a HIS runs one); ``mode`` "ok"
    records each POST, "fail" answers 500, "hang" never answers."""
    made: list[Receiver] = []

    def make(mode: str = "ok") -> Receiver:
        rec = Receiver(mode)

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                rec.attempts.append(time.monotonic())
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if rec.mode == "hang":
                    rec.release.wait(30)
                    return
                if rec.mode == "fail":
                    self.send_response(500)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                rec.posts.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        rec.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        rec.server.daemon_threads = True
        threading.Thread(target=rec.server.serve_forever, daemon=True).start()
        made.append(rec)
        return rec

    yield make
    for rec in made:
        rec.release.set()
        rec.server.shutdown()
        rec.server.server_close()
