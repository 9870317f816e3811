"""The device-compatible Socket.IO endpoint (``cccd serve --socketio-port PORT``).

Hospital software written for the common desktop CCCD reader device connects with a Socket.IO
client to the default namespace and listens to ``/event``; it only changes the URL to this
port. python-socketio's ``AsyncServer`` (Engine.IO 4 / Socket.IO 5: socket.io-client 3.x/4.x,
python-socketio 5.x, SocketIOClient .NET 3.x) runs as an ASGI app on its own port of the same
server as the ``/v1`` API, sharing its readers, locks and state; the payloads are
:mod:`.device_format`'s, the taps and keys :mod:`.taps`'.

Who may listen (the HTTP guard of :mod:`.guard` runs first, on every Engine.IO request):

* ``Host`` must name the loopback address and this port; an ``Origin``, when sent, must be in
  ``--allow-origin``, else the handshake gets 403 and nothing else;
* then the Socket.IO CONNECT: with ``--token-file``, every client presents the token, in the
  CONNECT packet's auth (``{"token": ...}``) or as ``?token=`` in the URL; without a token, a
  page from an allowed origin is admitted, and a client that sends no Origin (a desktop HIS)
  only with ``--socketio-allow-local`` (the device's own level of protection: any program on
  this PC may listen). Card events go to admitted clients only; nothing is logged about a card.

Engine.IO's own CORS handling is off (the guard answers CORS), its loggers are silenced (they
log whole packets), incoming
messages are bounded (16 KiB) and a silent client is dropped after :data:`PING_INTERVAL` +
:data:`PING_TIMEOUT` seconds, which bounds what can queue up for it.
"""

from __future__ import annotations

import datetime
import hmac
import logging
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl

import socketio
from starlette.types import ASGIApp, Receive, Scope, Send

from cccd_reader import __version__
from cccd_reader.agent import device_format as fmt
from cccd_reader.agent.installation import installation_id
from cccd_reader.agent.state import AgentState
from cccd_reader.agent.taps import TapDesk

log = logging.getLogger("cccd_reader.agent")

#: python-socketio and python-engineio log whole packets (a card's data) at INFO, and their
#: exceptions' tracebacks at ERROR: they get a logger of their own that never emits,
#: whatever level the operator asks of the root logger (``cccd serve -vv``).
_SILENT = logging.getLogger("cccd_reader.agent.socketio_library")
_SILENT.setLevel(logging.CRITICAL + 1)
_SILENT.propagate = False
_SILENT.addHandler(logging.NullHandler())

#: Socket.IO clients admitted at once (a counter has a handful; the bench runs 50).
MAX_CLIENTS = 100
#: Largest message a client may send (a command is a few hundred bytes).
MAX_CLIENT_MESSAGE = 16 * 1024
PING_INTERVAL = 15
PING_TIMEOUT = 10
#: The vendored browser client and its licence, served on this port (never from a CDN).
STATIC_FILES = {
    "/socket.io.min.js": ("socket.io.min.js", "text/javascript; charset=utf-8"),
    "/socket.io-client.LICENSE": ("socket.io-client.LICENSE", "text/plain; charset=utf-8"),
}


class DeviceEndpoint:
    """The Socket.IO server, its admitted clients and the tap desk that feeds them."""

    def __init__(self, state: AgentState) -> None:
        self.state = state
        config = state.config
        self._token = config.token.encode() if config.token else None
        self.sio = socketio.AsyncServer(
            async_mode="asgi", cors_allowed_origins=[], logger=_SILENT, engineio_logger=_SILENT,
            max_http_buffer_size=MAX_CLIENT_MESSAGE, http_compression=False,
            ping_interval=PING_INTERVAL, ping_timeout=PING_TIMEOUT, cookie=None,
        )
        self.admitted: set[str] = set()
        self.desk = TapDesk(state, self.emit)
        self._serial = installation_id(config.installation_id)
        self.sio.on("connect", self.on_connect)
        self.sio.on("disconnect", self.on_disconnect)
        self.sio.on("/input_data", self.on_input_data)
        self.sio.on("/get_aa", self.on_get_aa)
        self.sio.on("/info", self.on_info)

    # --- admission ---------------------------------------------------------------------------

    def admits(self, environ: dict[str, Any], auth: object) -> bool:
        """The CONNECT decision (the guard already checked Host and Origin)."""
        if len(self.admitted) >= MAX_CLIENTS:
            return False
        if self._token is not None:
            return self._token_ok(environ, auth)
        has_origin = bool(environ.get("HTTP_ORIGIN"))
        return has_origin or self.state.config.socketio_allow_local

    def _token_ok(self, environ: dict[str, Any], auth: object) -> bool:
        assert self._token is not None
        offered: list[bytes] = []
        if isinstance(auth, dict) and isinstance(auth.get("token"), str):
            offered.append(auth["token"].encode())
        query = str(environ.get("QUERY_STRING", ""))
        offered.extend(v.encode() for k, v in parse_qsl(query)[:16] if k == "token")
        return any(hmac.compare_digest(o, self._token) for o in offered)

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: object = None) -> None:
        if not self.admits(environ, auth):
            log.info("socket.io connect refused")
            raise socketio.exceptions.ConnectionRefusedError("unauthorized")
        self.admitted.add(sid)
        log.info("socket.io client admitted (%d)", len(self.admitted))

    async def on_disconnect(self, sid: str, *args: object) -> None:
        self.admitted.discard(sid)
        self.desk.client_gone(sid)

    # --- commands ----------------------------------------------------------------------------

    async def on_input_data(self, sid: str, data: object = None) -> None:
        if sid in self.admitted:
            await self.desk.input_data(data, sid)

    async def on_get_aa(self, sid: str, data: object = None) -> dict[str, Any] | None:
        if sid not in self.admitted:
            return None
        answer = await self.desk.get_aa(data, sid)
        await self.emit(answer, sid)
        return answer

    async def on_info(self, sid: str, data: object = None) -> dict[str, Any] | None:
        if sid not in self.admitted:
            return None
        answer = {"id": fmt.DEVICE_INFO, "data": self.info()}
        await self.emit(answer, sid)
        return answer

    def info(self) -> dict[str, str]:
        """``/info``: our version, and this installation's random id as both serials (never a
        chip UID or a reader's hardware serial, which would identify a card or a counter)."""
        return {"version": __version__, "serial_nfc": self._serial,
                "serial_device": self._serial,
                "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds")}

    async def emit(self, event: dict[str, Any], to: str | None) -> None:
        """One ``/event`` to one admitted client, or to every admitted client."""
        if to is not None:
            if to in self.admitted:
                await self.sio.emit(fmt.EVENT, event, to=to)
        elif self.admitted:
            # the namespace holds admitted clients only (a refused CONNECT never joins it);
            # one broadcast encodes the payload once for all of them
            await self.sio.emit(fmt.EVENT, event)


async def _static(scope: Scope, receive: Receive, send: Send) -> None:
    """The vendored socket.io client and its licence; 404 for anything else."""
    entry = STATIC_FILES.get(scope.get("path", "")) if scope["type"] == "http" else None
    if entry is None or scope.get("method") not in ("GET", "HEAD"):
        body, status, kind = b'{"error": {"code": "not_found", "message": "no such endpoint"}}', \
            404, "application/json"
    else:
        body = resources.files("cccd_reader.agent").joinpath("static", entry[0]).read_bytes()
        status, kind = 200, entry[1]
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", kind.encode()), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body",
                "body": body if scope.get("method") != "HEAD" else b""})


class OwnOriginIsProgram:
    """Program clients' WebSocket libraries (Python's websocket-client among them) send the
    server's own URL as ``Origin``. No page is served from this port (only the script and its
    licence), so that Origin can only come from a program: it is removed here, and the client
    is a program like one that sends none (the token or ``--socketio-allow-local`` decide)."""

    def __init__(self, app: ASGIApp, own_hosts: frozenset[str]) -> None:
        self.app = app
        self.own = frozenset(f"{scheme}://{h}" for h in own_hosts for scheme in ("http", "ws"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = scope.get("headers", [])
            kept = [(k, v) for k, v in headers
                    if not (k == b"origin" and v.decode("latin-1").lower() in self.own)]
            if len(kept) != len(headers):
                scope = {**scope, "headers": kept}
        await self.app(scope, receive, send)


class BoundedBody:
    """Refuse an HTTP body over ``limit`` bytes before Engine.IO sees it: 413 when the
    Content-Length says so, 411 for a POST that gives none (Engine.IO clients always do).

    python-engineio handles an oversized long-polling POST by closing the session and waiting
    for a GET poll that never comes: the request would hang, holding a connection slot.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") not in ("GET", "HEAD", "OPTIONS"):
            length = dict(scope.get("headers", [])).get(b"content-length")
            status = 411 if length is None else (
                413 if not length.isdigit() or int(length) > self.limit else 0)
            if status:
                await send({"type": "http.response.start", "status": status,
                            "headers": [(b"content-type", b"text/plain"),
                                        (b"connection", b"close")]})
                await send({"type": "http.response.body",
                            "body": b"message too large" if status == 413 else b""})
                return
        await self.app(scope, receive, send)


def create_device_app(state: AgentState) -> ASGIApp:
    """The Socket.IO ASGI app (unguarded: :func:`cccd_reader.agent.app.create_app` puts the
    browser guard in front); its tap desk runs with the agent's lifespan."""
    endpoint = DeviceEndpoint(state)
    state.background.append(endpoint.desk.run)
    app: ASGIApp = socketio.ASGIApp(endpoint.sio, other_asgi_app=_static,
                                    socketio_path="socket.io")
    return BoundedBody(app, MAX_CLIENT_MESSAGE)
