"""The local agent (``cccd serve``) hosted inside the counter app, so a counter runs one
program: web software at the counter reads cards through the app's process.

Off unless the setting ``agent/enabled`` is true (or ``cccd-desktop --agent-origin ORIGIN``
is given). The app and the agent never talk to one card at the same time: both take the same
per-reader lock, the agent for its whole read, the app from opening its transport to closing
it (``read_and_verify`` closes it when the read ends). Whoever comes second is told ``busy``
(409 for the web page, an error for the clerk) rather than interleaving two sessions on one
chip. In demo mode (``--sim``) the agent serves the app's virtual reader and sees its taps.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from cccd_reader.errors import TransportError
from cccd_reader.iso7816.transport import Transport

log = logging.getLogger(__name__)


class LockedTransport:
    """A transport that holds its reader's lock until it is closed."""

    def __init__(self, inner: Transport, lock: threading.Lock) -> None:
        self._inner = inner
        self._lock: threading.Lock | None = lock

    def transmit(self, apdu: bytes) -> bytes:
        return self._inner.transmit(apdu)

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            lock, self._lock = self._lock, None
            if lock is not None:
                lock.release()

    @property
    def supports_extended(self) -> bool | None:
        return self._inner.supports_extended


class SourceBackend:
    """The agent's backend over the app's own reader source (the demo's virtual reader)."""

    def __init__(self, source: Any, bridge: Any) -> None:
        self._source = source
        self._bridge = bridge

    def readers(self) -> list[tuple[str, bool]]:
        present = bool(getattr(self._source, "card_present", False))
        return [(name, present) for name in self._source.readers()]

    def connect(self, reader: str) -> Transport:
        transport: Transport = self._source.transport(reader)
        return transport

    def monitor(self, on_event: Callable[[Any], None]) -> Any:
        self._bridge.received.connect(on_event)  # the app's tap/remove events, any thread
        return None


class AgentHost:
    """Starts and stops the embedded agent; ``guard`` gives the app's reads the shared lock."""

    def __init__(self, *, port: int, origins: Sequence[str], trust: Any = None,
                 backend: Any = None, socketio_port: int | None = None,
                 socketio_allow_local: bool = False) -> None:
        from cccd_reader.agent.feed import ReadFeed
        from cccd_reader.agent.reads import ReaderLocks

        self.port = port
        #: The clerk's reads, announced to the agent's Socket.IO clients and webhooks.
        self.feed = ReadFeed()
        self.socketio_port = socketio_port
        self.socketio_allow_local = socketio_allow_local
        self.origins = list(origins)
        self.trust = trust
        self.backend = backend
        self.locks = ReaderLocks()
        self.server: Any = None
        self.problem = ""

    def start(self) -> bool:
        """Start listening; False (and ``problem`` says why) when the port is taken or the
        agent extra is missing. The app keeps working either way."""
        try:
            from cccd_reader.agent import AgentConfig, AgentServer
        except ImportError:
            self.problem = "the agent extra is not installed (pip install 'cccd-reader[agent]')"
            log.warning("agent not started: %s", self.problem)
            return False
        config = AgentConfig(port=self.port, allow_origins=self.origins, trust=self.trust,
                             backend=self.backend, locks=self.locks,
                             socketio_port=self.socketio_port,
                             socketio_allow_local=self.socketio_allow_local,
                             read_feed=self.feed)
        try:
            self.server = AgentServer(config).start()
        except (TransportError, ValueError) as exc:
            self.problem = str(exc)
            log.warning("agent not started: %s", self.problem)
            return False
        log.info("agent listening on 127.0.0.1:%s", self.server.port)
        return True

    def publish(self, reader: str, outcome: Any) -> None:
        """The app read a card: the agent's Socket.IO clients (``id 2/4/5``) and webhooks hear
        of it as of the agent's own reads (any thread; nothing when the agent is not running)."""
        self.feed.publish(reader, outcome)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def guard(self, reader: str, open_transport: Callable[[str], Transport]) -> Transport:
        """Open the app's transport to ``reader`` under the reader's lock (busy: an error)."""
        lock = self.locks.get(reader)
        if not lock.acquire(blocking=False):
            raise TransportError("the card is being read by a web page through the agent; "
                                 "try again in a moment", params={"reason": "busy"})
        try:
            return LockedTransport(open_transport(reader), lock)
        except BaseException:
            lock.release()
            raise
