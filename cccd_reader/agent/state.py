"""The agent's configuration and its running state, shared by every endpoint.

Its own module so that the app (which builds the state) and the endpoints (which use it: the
``/v1/events`` WebSocket, the Socket.IO endpoint, the webhook pusher) never import each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import anyio

from cccd_reader.agent.backend import Backend
from cccd_reader.agent.hub import EventHub
from cccd_reader.agent.reads import ReaderLocks

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

    @property
    def trust(self) -> Any:
        return self.config.trust
