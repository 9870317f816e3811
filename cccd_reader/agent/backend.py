"""Where the agent's readers and cards come from: a :class:`Backend` gives a fresh reader
list, a transport per read, and an optional monitor that reports changes.

:class:`PcscBackend` is the real thing. The virtual chip's backend (``cccd serve --sim DUMP``,
for demos and for trying a web integration without a reader) is ``cccd_sim.agent.SimBackend``:
the library never imports the simulator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from cccd_reader.iso7816.transport import Transport
from cccd_reader.readers import open_transport
from cccd_reader.service import ReaderEvent, ReaderMonitor


class Monitor(Protocol):
    def start(self) -> object: ...

    def stop(self) -> None: ...


class Backend(Protocol):
    """What the agent needs from the reader side."""

    def readers(self) -> list[tuple[str, bool]]:
        """(reader name, card present) now; raises TransportError when PC/SC is down."""
        ...

    def connect(self, reader: str) -> Transport:
        """A new connection to the card in ``reader`` (one per read attempt)."""
        ...

    def monitor(self, on_event: Callable[[ReaderEvent], None]) -> Monitor | None:
        """A monitor reporting reader and card changes, or None when nothing ever changes."""
        ...


class PcscBackend:
    """Readers through PC/SC (pcsc-lite, WinSCard); the monitor polls on its own thread."""

    def __init__(self, *, poll_interval: float = 0.25) -> None:
        self.poll_interval = poll_interval

    def readers(self) -> list[tuple[str, bool]]:
        from cccd_reader.iso7816.pcsc import reader_status

        return [(r.name, r.card_present) for r in reader_status()]

    def connect(self, reader: str) -> Transport:
        return open_transport(reader)

    def monitor(self, on_event: Callable[[ReaderEvent], None]) -> Monitor:
        return ReaderMonitor(on_event, poll_interval=self.poll_interval)
