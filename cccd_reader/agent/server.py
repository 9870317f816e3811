"""Running the agent with uvicorn: in the foreground (``cccd serve``) or on a background thread
(the desktop app, tests, the load bench).

We bind the socket ourselves so that port 0 works (tests) and the Host check knows the real
port. Server limits are the hostile-input bounds: WebSocket frames of at most 16 KiB, no
per-message compression (a record is personal data; compression also costs memory per client),
a cap on concurrent connections, short keep-alive. Uvicorn's access log is off: its lines carry
the query string, which may hold the token; :mod:`.app` logs requests without it.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable

import uvicorn

from cccd_reader.agent.app import create_app
from cccd_reader.agent.events import MAX_CLIENT_MESSAGE
from cccd_reader.agent.state import AgentConfig
from cccd_reader.errors import TransportError

log = logging.getLogger("cccd_reader.agent")

#: Connections at once before uvicorn answers 503: far above a counter's needs, far below
#: what would exhaust descriptors.
MAX_CONNECTIONS = 512


def _is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise TransportError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _quiet_server_logs() -> None:
    """At DEBUG, uvicorn and websockets log WebSocket frames, and a frame can be a read request
    (the key) or a record: keep their loggers at INFO whatever ``-vv`` asks for."""
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "websockets"):
        logger = logging.getLogger(name)
        # an explicit level, so a later change of the root level (-vv) does not reach them
        logger.setLevel(max(logging.INFO, logger.getEffectiveLevel()))
    # python-socketio / python-engineio log packets (card data) at INFO: never below WARNING
    # (the device endpoint gives its server a silent logger of its own as well)
    # httpx / httpcore (the webhooks' client) log each request's URL, whose query may hold the
    # receiver's secret, and at DEBUG its headers: never below WARNING either
    for name in ("socketio", "engineio", "socketio.server", "engineio.server", "httpx",
                 "httpcore"):
        logger = logging.getLogger(name)
        logger.setLevel(max(logging.WARNING, logger.getEffectiveLevel()))


def _uvicorn_config(config: AgentConfig, port: int,
                    socketio_port: int | None = None) -> uvicorn.Config:
    _quiet_server_logs()
    return uvicorn.Config(
        create_app(config, port=port, socketio_port=socketio_port),
        log_config=None,
        access_log=False,
        server_header=False,
        proxy_headers=False,
        ws_max_size=MAX_CLIENT_MESSAGE,
        ws_per_message_deflate=False,
        limit_concurrency=MAX_CONNECTIONS,
        timeout_keep_alive=5,
        lifespan="on",
    )


def _bind_all(config: AgentConfig) -> list[socket.socket]:
    """The API's socket, and the Socket.IO port's when it is on."""
    socks = [bind(config.host, config.port)]
    if config.socketio_port is not None:
        try:
            socks.append(bind(config.host, config.socketio_port))
        except BaseException:
            socks[0].close()
            raise
    return socks


def serve(config: AgentConfig, *, announce: Callable[..., None] | None = None) -> None:
    """Run until interrupted (Ctrl-C / SIGTERM), on the configured address. ``announce`` gets
    the bound port (``port=0`` picks a free one), and the Socket.IO port when it is on, before
    the first request is served."""
    if config.host != "127.0.0.1":
        if _is_loopback(config.host):
            log.warning("listening on %s (a loopback address, not the default 127.0.0.1)",
                        config.host)
        else:
            log.warning("listening on %s: other machines can reach this agent; use a token "
                        "and a firewall", config.host)
    socks = _bind_all(config)
    try:
        port: int = socks[0].getsockname()[1]
        sio_port: int | None = socks[1].getsockname()[1] if len(socks) > 1 else None
        server = uvicorn.Server(_uvicorn_config(config, port, sio_port))
        if announce is not None:
            if sio_port is None:
                announce(port)
            else:
                announce(port, sio_port)
        server.run(sockets=socks)
        if server.should_exit:
            # stopped by SIGINT/SIGTERM: uvicorn re-raises the interrupt after its shutdown
            # only on some paths; make the exit status (130) the same every time
            raise KeyboardInterrupt
    finally:
        for sock in socks:
            sock.close()


class AgentServer:
    """The agent on a background thread: ``with AgentServer(config) as agent: agent.url``."""

    def __init__(self, config: AgentConfig) -> None:
        self.config = config
        self._socks = _bind_all(config)
        self.port: int = self._socks[0].getsockname()[1]
        #: The Socket.IO port actually bound (None: the endpoint is off).
        self.socketio_port: int | None = (self._socks[1].getsockname()[1]
                                          if len(self._socks) > 1 else None)
        try:
            self._server = uvicorn.Server(_uvicorn_config(config, self.port, self.socketio_port))
        except BaseException:
            for sock in self._socks:
                sock.close()
            raise
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def socketio_url(self) -> str:
        """The device-compatible endpoint's URL (what a HIS is configured with)."""
        if self.socketio_port is None:
            raise ValueError("the Socket.IO endpoint is off (socketio_port=None)")
        return f"http://127.0.0.1:{self.socketio_port}"

    def start(self, timeout: float = 15.0) -> AgentServer:
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": self._socks}, name="cccd-agent",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise TransportError("the agent did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
            self._thread = None
        for sock in self._socks:
            sock.close()

    def __enter__(self) -> AgentServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
