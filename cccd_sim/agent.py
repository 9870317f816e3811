"""The local agent's backend on a virtual chip: ``cccd serve --sim DUMP``, demos, and trying a
web integration without a reader."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from cccd_reader.agent.backend import Monitor
from cccd_reader.iso7816.transport import InProcessTransport, Transport
from cccd_reader.service import ReaderEvent
from cccd_sim.cards import chip_for_dump


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
        chip = chip_for_dump(self._card)
        process: Callable[[bytes], bytes] = chip.process
        if self._delay > 0:
            process = _SlowLink(chip.process, self._delay)
        return InProcessTransport(process, extended=chip.config.extended_length, atr=chip.atr)

    def monitor(self, on_event: Callable[[ReaderEvent], None]) -> Monitor | None:
        return None
