"""The app's only link to the card: cccd_reader.service and .readers, off the GUI thread.

Reads block for seconds (PACE, a 10 KB photo over secure messaging), so they run on a
worker thread; reader events arrive on the monitor's own thread. Both reach the GUI
through Qt signals, whose queued delivery is what makes touching widgets from them safe.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from cccd_reader import readers, service
from cccd_reader.access.key import AccessKey
from cccd_reader.checks import Check
from cccd_reader.errors import CardRemovedError
from cccd_reader.iso7816.transport import Transport
from cccd_reader.record import CardRecord

log = logging.getLogger(__name__)

SIM_READER = "Virtual chip (demo)"


def samples_dir() -> Path:
    """The demo samples: the checkout's samples/, else the copy the wheel carries."""
    from cccd_reader.samples import samples_dir as library_samples_dir

    return library_samples_dir()


DEFAULT_SAMPLE = "vn-cccd-2021-nguyen-thi-ngoc-anh"


def demo_trust_paths() -> list[str]:
    from cccd_reader.samples import demo_trust_paths as library_demo_trust_paths

    return [str(p) for p in library_demo_trust_paths()]


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
        return readers.open_transport(reader)


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
        import cccd_sim  # demo mode: the one place the app reaches for the virtual chip

        return _GatedTransport(cccd_sim.open_sim(self.dump_path), lambda: self.card_present)


class ReadSignals(QObject):
    #: (generation, step, done, total)
    progress = Signal(int, str, int, int)
    #: (generation, CardRecord built from the text data groups alone, not yet verified)
    partial = Signal(int, object)
    #: (generation, ReadOutcome)
    finished = Signal(int, object)
    #: (generation, exception)
    failed = Signal(int, object)


#: Data groups worth showing before the read is complete (name, numbers, MRZ).
EARLY_FILES = ("DG1", "DG13")


def read_job(
    signals: ReadSignals,
    generation: int,
    open_transport: Callable[[], Transport],
    key: AccessKey,
    trust: Any,
    cross_checks: Callable[[CardRecord], Sequence[Check]] | None = None,
) -> None:
    """One :func:`cccd_reader.service.read_and_verify` on a worker thread, reporting through
    ``signals``.

    Its ``on_file`` hook brings the holder's name and number to the screen while the photo is
    still being read; record and verdict are the library's, so the app and the CLI agree on
    every card. ``trust`` is the store, or a :class:`~concurrent.futures.Future` of it while
    it is still loading (the wait happens here, never on the UI thread).
    """
    gen = generation

    def progress(step: str, done: int, total: int) -> None:
        signals.progress.emit(gen, step, done, total)

    early: dict[str, bytes] = {}
    listed: set[str] = set()

    def on_file(name: str, data: bytes) -> None:
        if name == "EF.COM":
            com = CardRecord.from_files({"EF.COM": data}, decode_photo=False).com
            listed.update(com.data_groups if com is not None else ())
            return
        if name not in EARLY_FILES:
            return
        early[name] = data
        if name == "DG1" and "DG13" in listed:
            return  # DG13 follows at once with the names in Vietnamese: no flicker
        signals.partial.emit(gen, CardRecord.from_files(dict(early), decode_photo=False))

    try:
        store = trust.result() if isinstance(trust, Future) else trust
        outcome = service.read_and_verify(
            open_transport(), key, trust=store, progress=progress,
            cross_checks=cross_checks, on_file=on_file)
    except Exception as exc:  # every failure is shown to staff, none may kill the worker
        signals.failed.emit(gen, exc)
        return
    signals.finished.emit(gen, outcome)


class ReadRunner:
    """Runs reads on worker threads and owns the one signal object they report through.

    The signal object is created once, parented to the window, and outlives every read (a
    QObject per read, dropped by the GUI thread while its worker may still be inside ``emit``,
    is a use-after-free waiting to happen); ``shutdown`` waits for the workers, so nothing
    emits into a window that is gone. (The crash the test suite showed now and then was
    PySide6 6.12.0 itself, which the desktop extra excludes: see test_pyside_refcount.py.)
    """

    def __init__(self, parent: QObject) -> None:
        self.signals = ReadSignals(parent)
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="cccd-read")
        self._futures: list[Future[None]] = []
        self.started = 0

    def start(self, generation: int, open_transport: Callable[[], Transport], key: AccessKey,
              trust: Any,
              cross_checks: Callable[[CardRecord], Sequence[Check]] | None = None) -> None:
        self.started += 1
        self._futures = [f for f in self._futures if not f.done()]
        self._futures.append(self._executor.submit(
            read_job, self.signals, generation, open_transport, key, trust, cross_checks))

    def busy(self) -> bool:
        return any(not f.done() for f in self._futures)

    def wait(self, timeout: float | None = None) -> bool:
        """True when every read has ended within ``timeout`` seconds."""
        _done, pending = futures_wait(self._futures, timeout=timeout)
        return not pending

    def submit(self, fn: Callable[[], None]) -> None:
        """Background work that is not a read (the warm-up), on the same workers."""
        self._futures.append(self._executor.submit(fn))

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def warm_up(samples: Sequence[str] = (DEFAULT_SAMPLE, "vn-cancuoc-2024-dang-huu-phuoc")) -> None:
    """Pay the first read's one-off costs before a card arrives (imports, crypto back ends,
    the curves and ciphers of PACE, the JPEG and JPEG 2000 decoders): complete reads of bundled
    samples on the in-process chip when the samples are there, else the imports alone.
    Touches no reader and no card; the records are dropped at once."""
    import importlib

    for name in ("cccd_reader.verify", "cccd_reader.pki.trust", "cccd_reader.access.pace",
                 "cccd_sim.cards", "cccd_reader.iso7816.pcsc", "cv2", "numpy"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    import cccd_sim
    from cccd_desktop.resultview import decode_photo

    for name in samples:
        sample = samples_dir() / name
        if not (sample / "card.json").is_file():
            continue
        key = demo_key(sample)
        if key.can:
            access = AccessKey.from_can(key.can)
        else:
            access = AccessKey.from_document(key.document_number or "", key.birth or "",
                                             key.expiry or "")
        outcome = service.read_and_verify(cccd_sim.open_sim(sample), access)
        decode_photo(outcome.record.photo)


def camera_payloads(source: str, stop: Any, *, timeout: float = 30.0) -> Iterator[str]:
    """QR texts seen by an OpenCV capture (a camera index such as "0", or a video file/URL),
    until ``stop`` (a threading.Event) is set or ``timeout`` seconds pass."""
    from cccd_reader.qr import scan_camera

    src: int | str = int(source) if source.strip().isdigit() else source
    for result in scan_camera(src, timeout=timeout, max_frames=int(timeout * 30)):
        if stop.is_set():
            return
        yield result.text
