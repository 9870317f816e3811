"""The app's only link to the card: cccd_reader.service, run off the GUI thread.

Reads block for seconds (PACE, a 10 KB photo over secure messaging), so they run in a
QThreadPool worker; reader events arrive on the monitor's own thread. Both reach the GUI
through Qt signals, whose queued delivery is what makes touching widgets from them safe.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, Signal

from cccd_reader import service
from cccd_reader.errors import CardRemovedError
from cccd_reader.iso7816.transport import Transport
from cccd_reader.reader import AccessKey

log = logging.getLogger(__name__)

SIM_READER = "Virtual chip (demo)"


def samples_dir() -> Path:
    """The repository's samples/ (demo mode only runs from a source checkout)."""
    return Path(__file__).resolve().parents[3] / "samples"


DEFAULT_SAMPLE = "vn-cccd-2021-nguyen-thi-ngoc-anh"


def demo_trust_paths() -> list[str]:
    pki = samples_dir() / "pki"
    return [str(p) for p in sorted([*pki.glob("csca-*.der"), *pki.glob("csca-*.crl")])]


@dataclass(frozen=True)
class DemoKey:
    """The access data a sample's card.json holds, for prefilling the key in demo mode."""

    can: str | None = None
    document_number: str | None = None
    birth: str | None = None
    expiry: str | None = None


def demo_key(dump_path: str | Path) -> DemoKey:
    from cccd_reader import dump as dumpmod
    from cccd_reader.mrz import parse

    card = dumpmod.load(dump_path)
    if card.access.can and "EF.CardAccess" in card.files:
        return DemoKey(can=card.access.can)
    if card.access.mrz:
        mrz = parse(card.access.mrz)
        return DemoKey(document_number=mrz.document_number, birth=mrz.birth_yymmdd,
                       expiry=mrz.expiry_yymmdd)
    return DemoKey(can=card.access.can)


def load_trust(paths: Sequence[str], *, include_default: bool = True) -> tuple[Any, str]:
    """The trust store plus a one-line summary for the status bar (errors become the summary,
    so a broken trust path degrades to ``unverified`` instead of stopping the counter)."""
    from cccd_reader.pki.trust import TrustStore

    try:
        store = TrustStore.from_paths(paths, include_default=include_default)
    except Exception as exc:  # a bad file must not keep the app from reading cards
        log.warning("trust store not loaded: %s", exc)
        return None, str(exc)
    return store, ""


class _Source(Protocol):
    def readers(self) -> list[str]: ...
    def start(self) -> Any: ...
    def stop(self) -> None: ...


class EventBridge(QObject):
    """Carries reader events from any thread to the GUI thread (queued signal delivery)."""

    received = Signal(object)

    def __call__(self, event: Any) -> None:
        self.received.emit(event)


class PcscSource:
    """Real readers through service.ReaderMonitor."""

    def __init__(self, bridge: EventBridge) -> None:
        self._monitor = service.ReaderMonitor(bridge)

    def readers(self) -> list[str]:
        return self._monitor.readers()

    def start(self) -> None:
        self._monitor.start()

    def stop(self) -> None:
        self._monitor.stop()

    def transport(self, reader: str) -> Transport:
        return service.open_transport(reader)


class _GatedTransport:
    """A sim transport that fails like a real reader when the demo card is 'removed'."""

    def __init__(self, inner: Transport, present: Callable[[], bool]) -> None:
        self._inner = inner
        self._present = present

    def transmit(self, apdu: bytes) -> bytes:
        if not self._present():
            raise CardRemovedError("the card was removed")
        return self._inner.transmit(apdu)

    def close(self) -> None:
        self._inner.close()

    @property
    def supports_extended(self) -> bool | None:
        return self._inner.supports_extended


class SimSource:
    """One virtual reader whose card staff 'tap' and 'remove' with buttons (demo mode)."""

    def __init__(self, bridge: EventBridge, dump_path: str | Path) -> None:
        self._bridge = bridge
        self.dump_path = Path(dump_path)
        self.card_present = False
        self._started = False

    def readers(self) -> list[str]:
        return [SIM_READER] if self._started else []

    def start(self) -> None:
        self._started = True
        self._bridge(service.ReaderEvent("reader_added", SIM_READER))

    def stop(self) -> None:
        self._started = False

    def tap(self) -> None:
        if not self.card_present:
            self.card_present = True
            self._bridge(service.ReaderEvent("card_present", SIM_READER))

    def remove(self) -> None:
        if self.card_present:
            self.card_present = False
            self._bridge(service.ReaderEvent("card_removed", SIM_READER))

    def transport(self, reader: str) -> Transport:
        return _GatedTransport(service.sim_transport(self.dump_path), lambda: self.card_present)


class ReadSignals(QObject):
    #: (generation, step, done, total)
    progress = Signal(int, str, int, int)
    #: (generation, ReadOutcome)
    finished = Signal(int, object)
    #: (generation, exception)
    failed = Signal(int, object)


class ReadJob(QRunnable):
    """One read-and-verify on a pool thread; ``generation`` lets the GUI drop stale answers
    (a card removed and another tapped while the first read was still running)."""

    def __init__(
        self, generation: int, open_transport: Callable[[], Transport], key: AccessKey,
        trust: Any,
    ) -> None:
        super().__init__()
        self.signals = ReadSignals()
        self._generation = generation
        self._open = open_transport
        self._key = key
        self._trust = trust

    def run(self) -> None:
        gen = self._generation
        try:
            transport = self._open()
            outcome = service.read_and_verify(
                transport, self._key, trust=self._trust,
                progress=lambda step, done, total: self.signals.progress.emit(
                    gen, step, done, total),
            )
        except Exception as exc:  # every failure is shown to staff, none may kill the pool
            self.signals.failed.emit(gen, exc)
            return
        self.signals.finished.emit(gen, outcome)
