"""The browser guard in front of every agent port: Host, Origin and token checks plus CORS.

Why a guard of our own rather than Starlette's CORSMiddleware and TrustedHostMiddleware: the
contract is stricter than theirs. A request from an origin that is not allowed must get 403 and
nothing else (CORSMiddleware serves it and only leaves out the CORS headers, so the request's
side effect, a card read, would still happen); the WebSocket handshake must be guarded the same
way (browsers do not apply CORS to WebSockets); and every refusal is our JSON error. The guard
is a plain ASGI middleware in front of every route, so no endpoint can forget it:

1. ``Host`` must be ``127.0.0.1:PORT`` or ``localhost:PORT`` (or the explicit ``--host``), once:
   a page on a DNS-rebound name gets 403 ``host_not_allowed``.
2. An ``Origin`` header must be in the allow-list (exact ``scheme://host[:port]``; never a
   wildcard): else 403 ``origin_not_allowed``, without CORS headers. Requests without
   ``Origin`` come from programs, not pages; they pass to the token check.
3. CORS preflights from allowed origins are answered here (204), including Chrome's Private
   Network Access header.
4. With a token, every request and the WebSocket need ``Authorization: Bearer <token>`` or
   ``?token=<token>`` (browsers cannot set headers on a WebSocket): else 401. The Socket.IO
   port passes no token here: a Socket.IO client may present it in its CONNECT packet, which
   :mod:`.device_io` checks.

Responses carry ``Cache-Control: no-store``: a record is personal data and must not land in a
browser cache. Requests are logged as method, path (without the query: it may hold the token),
status and time; bodies, keys and records are never logged.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from urllib.parse import parse_qsl, urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cccd_reader.agent.reads import AgentError

log = logging.getLogger("cccd_reader.agent")

CORS_MAX_AGE = "600"


def normalize_origin(origin: str) -> str:
    """``scheme://host[:port]`` in lower case, as browsers send it; ValueError otherwise."""
    parts = urlsplit(origin.strip())
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/")
            or parts.query or parts.fragment or parts.username or parts.password):
        raise ValueError(f"not an origin (scheme://host[:port]): {origin!r}")
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}[parts.scheme]
    port = f":{parts.port}" if parts.port and parts.port != default else ""
    return f"{parts.scheme}://{host}{port}"


def _error_body(status: int, code: str, message: str) -> tuple[int, bytes]:
    return status, json.dumps(AgentError(status, code, message).to_json()).encode()


class BrowserGuard:
    """Host, Origin and token checks plus CORS, for HTTP and WebSocket alike."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: frozenset[str],
                 allowed_origins: frozenset[str], token: str | None) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts
        self.allowed_origins = allowed_origins
        self._token = token.encode() if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status_seen: list[int] = []

        async def logged_send(message: Message) -> None:
            kind = message["type"]
            if kind == "http.response.start":
                status_seen.append(int(message["status"]))
            elif kind == "websocket.accept":
                status_seen.append(101)
            elif kind == "websocket.close" and not status_seen:
                status_seen.append(403)  # closed before the handshake completed: refused
            await send(message)

        try:
            await self._guarded(scope, receive, logged_send)
        finally:
            kind = scope.get("method", "WS") if scope["type"] == "http" else "WS"
            log.info("%s %s %s %.0f ms", kind, scope.get("path", ""),
                     status_seen[0] if status_seen else "-",
                     (time.perf_counter() - started) * 1000)

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        hosts = headers.getlist("host")
        if len(hosts) != 1 or hosts[0].lower() not in self.allowed_hosts:
            await self._deny(scope, send, 403, "host_not_allowed",
                             "this agent answers only on 127.0.0.1 and localhost")
            return
        origins = headers.getlist("origin")
        origin = origins[0] if origins else None
        if len(origins) > 1 or (origin is not None and origin.lower() not in self.allowed_origins):
            await self._deny(scope, send, 403, "origin_not_allowed",
                             "this page's origin is not allowed to use the card reader")
            return
        cors = self._cors_headers(origin) if origin is not None else {}
        if (scope["type"] == "http" and scope["method"] == "OPTIONS"
                and "access-control-request-method" in headers):
            if headers.get("access-control-request-private-network") == "true":
                cors["Access-Control-Allow-Private-Network"] = "true"
            await self._respond(send, 204, b"", cors, content_type=None)
            return
        if self._token is not None and not self._token_ok(scope, headers):
            await self._deny(scope, send, 401, "unauthorized",
                             "a valid token is needed (Authorization: Bearer ...)", cors)
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                out = MutableHeaders(scope=message)
                for name, value in {**cors, **_SAFE_HEADERS}.items():
                    out[name] = value
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            # a bug must not put a traceback (which may hold card data) into the log; the
            # client already got a JSON 500 from the app's handler, or gets one now
            log.error("internal error: %s", type(exc).__name__)
            if scope["type"] == "http" and not started:
                _, body = _error_body(500, "internal", "internal error")
                await self._respond(send, 500, body, cors)

    def _cors_headers(self, origin: str) -> dict[str, str]:
        return {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Authorization, Content-Type",
            "Access-Control-Max-Age": CORS_MAX_AGE,
            "Vary": "Origin",
        }

    def _token_ok(self, scope: Scope, headers: Headers) -> bool:
        assert self._token is not None
        offered: list[bytes] = []
        auth = headers.get("authorization", "")
        if auth[:7].lower() == "bearer ":
            offered.append(auth[7:].strip().encode())
        query = scope.get("query_string", b"").decode("latin-1")
        offered.extend(v.encode() for k, v in parse_qsl(query)[:16] if k == "token")
        return any(hmac.compare_digest(o, self._token) for o in offered)

    async def _deny(self, scope: Scope, send: Send, status: int, code: str, message: str,
                    cors: dict[str, str] | None = None) -> None:
        if scope["type"] == "websocket":
            # closing before accepting: the server answers the handshake with 403
            await send({"type": "websocket.close", "code": 1008})
            return
        _, body = _error_body(status, code, message)
        await self._respond(send, status, body, cors or {})

    async def _respond(self, send: Send, status: int, body: bytes, extra: dict[str, str],
                       *, content_type: str | None = "application/json") -> None:
        headers = [(k.lower().encode(), v.encode()) for k, v in {**extra, **_SAFE_HEADERS}.items()]
        if content_type:
            headers.append((b"content-type", content_type.encode()))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


_SAFE_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
