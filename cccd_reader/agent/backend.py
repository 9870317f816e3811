"""Where the agent's readers and cards come from: PC/SC (the real thing) or one in-process
virtual chip (``cccd serve --sim DUMP``, for demos and for trying a web integration without a
reader). Both give the same three things: a fresh reader list, a transport per read, and an
optional monitor that reports changes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from cccd_reader.iso7816.transport import InProcessTransport, Transport
from cccd_reader.service import ReaderEvent, ReaderMonitor, open_transport


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


class _SlowLink:
    """Adds a fixed delay per APDU, so a demo (or a test of the busy answer) sees a read take
    the time a contactless link takes instead of the few milliseconds of the in-process chip."""

    def __init__(self, process: Callable[[bytes], bytes], delay: float) -> None:
        self._process = process
        self._delay = delay

    def __call__(self, apdu: bytes) -> bytes:
        time.sleep(self._delay)
        return self._process(apdu)


class SimBackend:
    """One virtual reader with the virtual chip of ``dump`` always in its field.

    Each read gets a freshly powered chip (as a real tap would), so no session state leaks
    from one read to the next.
    """

    def __init__(self, dump: str | Path, *, apdu_delay: float = 0.0) -> None:
        from cccd_reader import dump as dumpmod

        self._card = dumpmod.load(dump)
        self.name = f"cccd virtual card ({Path(dump).name})"
        self._delay = apdu_delay

    def readers(self) -> list[tuple[str, bool]]:
        return [(self.name, True)]

    def connect(self, reader: str) -> Transport:
        from cccd_reader.sim.profiles import chip_for_dump

        chip = chip_for_dump(self._card)
        process: Callable[[bytes], bytes] = chip.process
        if self._delay > 0:
            process = _SlowLink(chip.process, self._delay)
        return InProcessTransport(process, extended=chip.config.extended_length)

    def monitor(self, on_event: Callable[[ReaderEvent], None]) -> Monitor | None:
        return None
