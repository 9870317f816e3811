"""The agent's configuration and its running state, shared by every endpoint.

Its own module so that the app (which builds the state) and the endpoints (which use it: the
``/v1/events`` WebSocket, the Socket.IO endpoint, the webhook pusher) never import each other.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import anyio
from anyio import to_thread

from cccd_reader.agent.backend import Backend
from cccd_reader.agent.feed import ReadFeed
from cccd_reader.agent.hub import EventHub
from cccd_reader.agent.read_ids import ReadRegistry
from cccd_reader.agent.reads import ReadDone, ReaderLocks, ReadRequest, read_outcome

log = logging.getLogger("cccd_reader.agent")

#: Told about every successful read of the agent, whatever endpoint asked (the webhooks).
#: Called on the event loop; must return at once and never raise.
ReadListener = Callable[[ReadDone], None]


DEFAULT_PORT = 8765
#: Reads running at once across all readers (each holds a worker thread for its duration).
MAX_PARALLEL_READS = 4


@dataclass(frozen=True)
class AgentConfig:
    """How ``cccd serve`` runs. ``token`` is compared in constant time and never shown."""

    port: int = DEFAULT_PORT
    host: str = "127.0.0.1"
    allow_origins: Sequence[str] = ()
    token: str | None = field(default=None, repr=False)
    #: Default reader for reads that do not name one.
    reader: str | None = None
    #: A TrustStore (or None: verdicts are at best "unverified").
    trust: Any = field(default=None, repr=False)
    #: Where readers come from; None: PC/SC.
    backend: Backend | None = None
    #: Per-reader locks shared with another reader of the same cards in this process (the
    #: desktop app hosting the agent); None: the agent's own.
    locks: ReaderLocks | None = field(default=None, compare=False)
    #: The device-compatible Socket.IO endpoint's port (None: off; 0: any free port).
    socketio_port: int | None = None
    #: Admit Socket.IO clients that send no Origin without the token (the device's own level
    #: of protection: anything running on this PC may listen).
    socketio_allow_local: bool = False
    #: Send a ``not_genuine`` card's data to Socket.IO clients and webhooks all the same.
    forward_not_genuine: bool = False
    #: Where each forwarded read is POSTed (``cccd_reader.agent.webhooks.WebhookTarget``).
    webhooks: Sequence[Any] = ()
    webhook_format: Literal["native", "device"] = "native"
    #: The ``serial_*`` the Socket.IO ``/info`` answers; None: this installation's own.
    installation_id: str | None = field(default=None, repr=False)
    #: Reads of the hosting program to announce like the agent's own (the desktop app).
    read_feed: ReadFeed | None = field(default=None, compare=False)

    def allowed_hosts(self, port: int | None = None) -> frozenset[str]:
        p = self.port if port is None else port
        hosts = {f"127.0.0.1:{p}", f"localhost:{p}"}
        if self.host not in ("127.0.0.1", "localhost"):
            hosts.add(f"[{self.host}]:{p}" if ":" in self.host else f"{self.host}:{p}")
        return frozenset(h.lower() for h in hosts)


@dataclass
class AgentState:
    config: AgentConfig
    backend: Backend
    hub: EventHub = field(default_factory=EventHub)
    locks: ReaderLocks = field(default_factory=ReaderLocks)
    read_limiter: anyio.CapacityLimiter = field(
        default_factory=lambda: anyio.CapacityLimiter(MAX_PARALLEL_READS))
    #: Reads of ``POST /v1/read`` held for the steps that name them (:mod:`.read_ids`).
    read_ids: ReadRegistry = field(default_factory=ReadRegistry)
    #: Face comparisons at once (CPU-bound; the counter PC has other work).
    face_limiter: anyio.CapacityLimiter = field(
        default_factory=lambda: anyio.CapacityLimiter(1))

    #: See :data:`ReadListener`.
    read_listeners: list[ReadListener] = field(default_factory=list)
    #: Long-running tasks of optional parts (the Socket.IO tap desk, the webhook pusher),
    #: started with the app and cancelled when it stops.
    background: list[Callable[[], Coroutine[Any, Any, None]]] = field(default_factory=list)
    #: Extra parts of ``/v1/status`` (the webhooks' queues), by key.
    status_parts: dict[str, Callable[[], Any]] = field(default_factory=dict)
    #: Told about the hosting program's reads (:class:`ReadFeed`), after the listeners: the
    #: Socket.IO tap desk.
    external_sinks: list[Callable[[ReadDone], Coroutine[Any, Any, None]]] = field(
        default_factory=list)

    @property
    def trust(self) -> Any:
        return self.config.trust

    async def read(
        self, request: ReadRequest, *,
        progress: Callable[[str, str, int, int], None] | None = None,
    ) -> ReadDone:
        """One read on a worker thread (at most :data:`MAX_PARALLEL_READS` at once), then the
        listeners. Raises :class:`~cccd_reader.agent.reads.AgentError`."""
        done = await to_thread.run_sync(
            lambda: read_outcome(request, self.backend, self.locks, trust=self.trust,
                                 default_reader=self.config.reader, progress=progress),
            limiter=self.read_limiter,
        )
        self._tell_listeners(done)
        return done

    def _tell_listeners(self, done: ReadDone) -> None:
        for listener in self.read_listeners:
            try:
                listener(done)
            except Exception as exc:  # a listener's bug must not lose the read
                log.error("read listener failed: %s", type(exc).__name__)

    async def announce_external(self, done: ReadDone) -> None:
        """A read of the hosting program (:class:`ReadFeed`): the listeners, then the sinks."""
        self._tell_listeners(done)
        for sink in self.external_sinks:
            try:
                await sink(done)
            except Exception as exc:
                log.error("external read sink failed: %s", type(exc).__name__)
