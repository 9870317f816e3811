"""What applications embed: read-and-verify in one call, a reader monitor, a counter service.

The CLI and the desktop app both go through here, so a counter app and a script see the same
record and the same verdict for the same card. Nothing here holds protocol logic of its own;
transports come from :mod:`cccd_reader.readers`.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeAlias

from cccd_reader.access.key import AccessKey
from cccd_reader.checks import Check
from cccd_reader.errors import (
    CccdError,
    ReadIncompleteError,
    SecureMessagingError,
    TransportError,
    TransportTimeoutError,
)
from cccd_reader.iso7816.efreader import ProgressFn
from cccd_reader.iso7816.transport import Transport
from cccd_reader.read_flow import FileFn, ReadResult, read_card
from cccd_reader.readers import is_contactless, limits_for, open_transport
from cccd_reader.record import CardRecord

if TYPE_CHECKING:
    from cccd_reader.pki.trust import TrustStore

log = logging.getLogger(__name__)

PathLike: TypeAlias = "str | os.PathLike[str]"
#: What ``trust=`` accepts everywhere: a loaded store, one path, several paths, or nothing.
TrustLike: TypeAlias = "TrustStore | PathLike | Iterable[PathLike] | None"


def resolve_trust(trust: TrustLike) -> TrustStore | None:
    """A :class:`~cccd_reader.pki.trust.TrustStore` from any ``trust=`` form, loaded now.

    Paths are read at once (not at the first tap), so a wrong path is a
    :class:`~cccd_reader.pki.trust.TrustError` where the caller passed it.
    """
    from cccd_reader.pki.trust import TrustError, TrustStore

    if trust is None or isinstance(trust, TrustStore):
        return trust
    if isinstance(trust, str | os.PathLike):
        return TrustStore.from_paths([trust], include_default=False)
    if isinstance(trust, Iterable):
        return TrustStore.from_paths(list(trust), include_default=False)
    raise TrustError(f"trust must be a TrustStore or paths, not {type(trust).__name__}")


@dataclass
class ReadOutcome:
    """One successful read: the record (with its verdict), the raw read and how long it took."""

    record: CardRecord
    #: The raw read (files as bytes: personal data, so not in ``repr``).
    result: ReadResult = field(repr=False)
    #: Wall time of the chip read, without verification.
    seconds: float
    #: When the read finished (this computer's clock, UTC).
    finished_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def to_json(self, *, include_photo: bool = False) -> dict[str, Any]:
        """The record's JSON plus how the read went on the wire: what ``cccd read --json`` and
        the local agent's ``POST /v1/read`` answer (one rendering for both)."""
        out = self.record.to_json(include_photo=include_photo)
        out["access"]["secure_messaging"] = "every response MAC verified"
        out["wire"] = {
            "apdus": self.result.stats.apdus,
            "bytes_sent": self.result.stats.bytes_sent,
            "bytes_received": self.result.stats.bytes_received,
            "seconds": round(self.seconds, 3),
            "extended_length": self.result.extended_length.to_json(),
        }
        return out


def access_summary(result: ReadResult) -> dict[str, Any]:
    """How the chip was opened, as the record shows it (never the key itself)."""
    return {
        "protocol": result.access.protocol,
        "cipher": result.access.cipher,
        "password": result.access.password,
        "mapping": result.access.mapping,
        "curve": result.access.curve,
    }


def read_and_verify(
    transport: Transport,
    key: AccessKey,
    *,
    trust: TrustLike = None,
    progress: ProgressFn | None = None,
    protocol: str = "auto",
    close: bool = True,
    cross_checks: Callable[[CardRecord], Sequence[Check]] | None = None,
    on_file: FileFn | None = None,
    aa_challenge: bytes | None = None,
) -> ReadOutcome:
    """Read the card, then build its record with passive authentication of the same bytes.

    ``cross_checks`` compares the chip's record with outside evidence (e.g. the card's QR,
    :func:`cccd_reader.qr.crosscheck`); its checks join the same verdict. ``on_file`` is
    called with each file as it arrives, before anything is verified (a counter app shows
    the name while the photo is still coming; it must present those bytes as unverified).
    ``aa_challenge``: the 8 bytes Active Authentication signs (a server's challenge, for an
    evidence package: :mod:`cccd_reader.evidence`) instead of a random one.
    """
    store = resolve_trust(trust)
    t0 = time.perf_counter()
    try:
        result = read_card(
            transport, key, progress=progress, protocol=protocol, limits=limits_for(transport),
            on_file=on_file, aa_challenge=aa_challenge,
        )
    finally:
        if close:
            transport.close()
    seconds = time.perf_counter() - t0
    if progress:
        progress("verification", 0, 0)
    record = _record(result, store, list(result.chip_checks))
    if cross_checks is not None:
        # checks against other evidence (the printed QR) need the chip's data first
        record = _record(result, store, [*result.chip_checks, *cross_checks(record)])
    return ReadOutcome(record=record, result=result, seconds=seconds)


def _record(result: ReadResult, trust: TrustStore | None, extra: Sequence[Check]) -> CardRecord:
    return CardRecord.build(
        result.files,
        trust=trust,
        access=access_summary(result),
        protected=result.protected,
        missing=result.missing,
        extra_checks=extra,
    )


#: Errors worth one more try with a fresh session: the card is still there, the link hiccupped.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    TransportTimeoutError, SecureMessagingError, ReadIncompleteError,
)


def read_with_recovery(
    connect: Callable[[], Transport],
    key: AccessKey,
    *,
    trust: TrustLike = None,
    progress: ProgressFn | None = None,
    protocol: str = "auto",
    attempts: int = 2,
    on_file: FileFn | None = None,
) -> ReadOutcome:
    """Read with a bounded retry budget for transient faults.

    Each attempt starts from a fresh connection (power cycle, new access session), so nothing of
    a broken session is reused and nothing partial is returned. A removed card, a refused key
    or malformed data are not transient and are raised at once: retrying a wrong key could
    trip a chip's counter. ``on_file`` (as for :func:`read_and_verify`) sees the files of
    every attempt: a retry sends them again from the start.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    store = resolve_trust(trust)
    for attempt in range(1, attempts + 1):
        transport = connect()
        try:
            return read_and_verify(
                transport, key, trust=store, progress=progress, protocol=protocol,
                on_file=on_file,
            )
        except TRANSIENT_ERRORS as exc:
            if attempt == attempts:
                raise
            log.info("transient read failure (%s); retrying with a new session", type(exc).__name__)
    raise AssertionError("unreachable")


# ------------------------------------------------------------------------- monitoring

EventKind = Literal[
    "reader_added", "reader_removed", "card_present", "card_removed", "read_progress",
    "record_ready", "error",
]


class ReadProgress(NamedTuple):
    """The payload of a ``read_progress`` event.

    ``step`` is ``"access"``, a file name (``"EF.COM"``, ``"DG2"``...), ``"chip
    authentication"`` or ``"verification"``; ``done``/``total`` are bytes of that file
    (both 0 when a step starts, or for steps that are not file reads).
    """

    step: str
    done: int
    total: int


#: What ``ReaderEvent.data`` holds, by kind: ``read_progress`` a :class:`ReadProgress`,
#: ``record_ready`` a :class:`ReadOutcome`, ``error`` the exception; None for the others.
EventData: TypeAlias = "ReadProgress | ReadOutcome | Exception | None"


@dataclass(frozen=True)
class ReaderEvent:
    """Something that happened on a reader; ``kind`` says what, ``data`` carries the payload.

    Each kind has its subclass (``ReaderAddedEvent``, ``ReaderRemovedEvent``,
    ``CardPresentEvent``, ``CardRemovedEvent``, ``ReadProgressEvent``, ``RecordReadyEvent``,
    ``ErrorEvent``, all importable from ``cccd_reader``): after ``isinstance`` (or ``match``)
    its payload is typed without None. On any event, prefer the typed accessors
    (:attr:`progress`, :attr:`outcome`, :attr:`record`, :attr:`error`) over ``data``: each is
    None unless the event is of its kind, so ``mypy --strict`` makes the caller handle that.
    ``reader`` is "" for an ``error`` about the PC/SC service as a whole (pcscd down).
    ``detail`` is a short English text for logs: the read step, or the error message (never
    personal data).
    """

    kind: EventKind
    reader: str = ""
    detail: str = ""
    data: EventData = None

    @property
    def progress(self) -> ReadProgress | None:
        """``read_progress``: which step, and bytes done of the file being read."""
        return self.data if isinstance(self.data, ReadProgress) else None

    @property
    def outcome(self) -> ReadOutcome | None:
        """``record_ready``: the record with its verdict, the raw read and its duration."""
        return self.data if isinstance(self.data, ReadOutcome) else None

    @property
    def record(self) -> CardRecord | None:
        """``record_ready``: the card's record (``outcome.record``)."""
        return self.data.record if isinstance(self.data, ReadOutcome) else None

    @property
    def error(self) -> Exception | None:
        """``error``: the exception; a :class:`~cccd_reader.errors.CccdError` for anything the
        library raises, or whatever the ``key_provider`` raised."""
        return self.data if isinstance(self.data, Exception) else None


# One class per event kind: ``isinstance`` (or ``match``) narrows the payload to its type, not
# Optional. Each is a ReaderEvent, so code that looks at ``event.kind`` keeps working.


class ReaderAddedEvent(ReaderEvent):
    """A reader was attached (or was there when monitoring started)."""

    def __init__(self, reader: str) -> None:
        super().__init__("reader_added", reader)


class ReaderRemovedEvent(ReaderEvent):
    """A reader was detached (or PC/SC went away)."""

    def __init__(self, reader: str) -> None:
        super().__init__("reader_removed", reader)


class CardPresentEvent(ReaderEvent):
    """A card entered the field of ``reader`` (a tap)."""

    def __init__(self, reader: str) -> None:
        super().__init__("card_present", reader)


class CardRemovedEvent(ReaderEvent):
    """The card left the field of ``reader``."""

    def __init__(self, reader: str) -> None:
        super().__init__("card_removed", reader)


class ReadProgressEvent(ReaderEvent):
    """A read moved on: :attr:`progress` says where."""

    def __init__(self, reader: str, progress: ReadProgress) -> None:
        super().__init__("read_progress", reader, progress.step, progress)

    @property
    def progress(self) -> ReadProgress:
        assert isinstance(self.data, ReadProgress)
        return self.data


class RecordReadyEvent(ReaderEvent):
    """A read finished: :attr:`record` is the card's record with its verdict."""

    def __init__(self, reader: str, outcome: ReadOutcome) -> None:
        super().__init__("record_ready", reader, "", outcome)

    @property
    def outcome(self) -> ReadOutcome:
        assert isinstance(self.data, ReadOutcome)
        return self.data

    @property
    def record(self) -> CardRecord:
        return self.outcome.record


class ErrorEvent(ReaderEvent):
    """Something failed: :attr:`error` is the exception (``reader`` "" for PC/SC itself)."""

    def __init__(self, reader: str, error: Exception) -> None:
        detail = str(error) if isinstance(error, CccdError) else type(error).__name__
        super().__init__("error", reader, detail, error)

    @property
    def error(self) -> Exception:
        assert isinstance(self.data, Exception)
        return self.data


class ReaderMonitor:
    """Watches PC/SC readers and cards on its own thread and reports changes.

    The thread blocks in ``SCardGetStatusChange`` (with pcsc-lite's PnP pseudo reader, so an
    attached or detached reader wakes it too) and :meth:`stop` ends the wait with
    ``SCardCancel``: a tap is reported as soon as pcscd sees it, with no polling delay.
    ``poll_interval`` bounds one wait (readers are re-listed at least that often, for
    platforms without PnP notification) and is the pause before retrying after an error.

    pyscard's CardMonitor thread dies silently when pcscd restarts or a reader is unplugged
    (pyscard #13, #74, #128); this loop owns its context, re-establishes it after any error and
    re-lists readers every round, so it keeps working across such events. While PC/SC is down
    it reports one ``error`` event (``reader`` "", ``data`` the TransportError) and every
    reader as removed.

    ``on_event`` is called **on the monitor thread**, in order; it must return quickly (hand
    the event to a queue or a GUI signal). :class:`CardService` does that for you.
    """

    def __init__(
        self, on_event: Callable[[ReaderEvent], None], *, poll_interval: float = 1.0
    ) -> None:
        self._on_event = on_event
        self._poll = max(0.01, poll_interval)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._readers: dict[str, bool] = {}
        self._lock = threading.Lock()
        self._ctx: Any = None

    def readers(self) -> list[str]:
        """The readers seen in the last round (attached now, as far as PC/SC said)."""
        with self._lock:
            return list(self._readers)

    def card_present(self, reader: str) -> bool:
        """Whether the last round saw a card on ``reader``."""
        with self._lock:
            return self._readers.get(reader, False)

    def start(self) -> ReaderMonitor:
        """Start the monitor thread (idempotent); events begin with ``reader_added``."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="reader-monitor", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread: cancels the blocking wait and joins (a few ms, at most 5 s)."""
        self._stop.set()
        self._cancel()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self._thread = None

    def __enter__(self) -> ReaderMonitor:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _cancel(self) -> None:
        with self._lock:
            ctx = self._ctx
        if ctx is None:
            return
        try:
            from smartcard import scard

            scard.SCardCancel(ctx)
        except Exception as exc:  # the context is being released: the loop ends anyway
            log.debug("SCardCancel: %s", type(exc).__name__)

    def _emit(self, event: ReaderEvent) -> None:
        try:
            self._on_event(event)
        except Exception:  # a faulty observer must not kill monitoring
            log.exception("reader event handler failed")

    def _run(self) -> None:
        from cccd_reader.iso7816.pcsc import establish_context, release_context

        error_reported = False
        while not self._stop.is_set():
            try:
                ctx = establish_context()
                with self._lock:
                    self._ctx = ctx
                try:
                    if self._stop.is_set():
                        break
                    self._watch(ctx)
                    error_reported = False
                finally:
                    with self._lock:
                        self._ctx = None
                    release_context(ctx)
            except Exception as exc:
                if self._stop.is_set():
                    break
                if not error_reported:
                    error = exc if isinstance(exc, CccdError) else TransportError(
                        f"PC/SC failed: {type(exc).__name__}")
                    self._emit(ErrorEvent("", error))
                    error_reported = True
                self._diff({})
                self._stop.wait(self._poll)

    def _watch(self, ctx: Any) -> None:
        """Wait for changes on one context until the reader list changes or stop is asked."""
        from smartcard import scard

        from cccd_reader.iso7816.pcsc import PNP_NOTIFICATION, list_reader_names

        names = list_reader_names(ctx)
        states: list[tuple[str, int]] = [(n, scard.SCARD_STATE_UNAWARE) for n in names]
        states.append((PNP_NOTIFICATION, scard.SCARD_STATE_UNAWARE))
        first = True
        while not self._stop.is_set():
            hresult, new = scard.SCardGetStatusChange(ctx, 0 if first else
                                                      int(self._poll * 1000), states)
            if self._stop.is_set() or hresult == scard.SCARD_E_CANCELLED:
                return
            if hresult == scard.SCARD_E_TIMEOUT:
                if not first:
                    return  # re-list: a platform without PnP notification
                new = [(r, st, b"") for r, st in states]
            elif hresult != scard.SCARD_S_SUCCESS:
                raise TransportError(f"reader status: {scard.SCardGetErrorMessage(hresult)}")
            present: dict[str, bool] = {}
            relist = False
            for item in new:
                reader, event_state = str(item[0]), int(item[1])
                if reader == PNP_NOTIFICATION:
                    relist = relist or (not first and bool(event_state & scard.SCARD_STATE_CHANGED))
                    continue
                if event_state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
                    relist = True
                    continue
                present[reader] = bool(event_state & scard.SCARD_STATE_PRESENT)
            self._diff(present)
            if relist:
                return
            states = [(str(item[0]), int(item[1]) & ~scard.SCARD_STATE_CHANGED) for item in new]
            first = False

    def _diff(self, now: dict[str, bool]) -> None:
        with self._lock:
            before = dict(self._readers)
            self._readers = dict(now)
        for name in now.keys() - before.keys():
            self._emit(ReaderAddedEvent(name))
        for name, card in now.items():
            was = before.get(name, False)
            if card and not was:
                self._emit(CardPresentEvent(name))
            elif was and not card:
                self._emit(CardRemovedEvent(name))
        for name in before.keys() - now.keys():
            if before[name]:
                self._emit(CardRemovedEvent(name))
            self._emit(ReaderRemovedEvent(name))


def reader_feedback(
    reader_name: str, success: bool, *, connect: Callable[[str], Transport] | None = None
) -> bool:
    """Beep/blink the reader after a read, only when its profile enables escape commands.

    Escape commands are vendor pseudo-APDUs (e.g. ACR122U ``FF 00 40 ...``); sent to an unknown
    or misidentified reader they could mean something else, so they stay off unless a profile
    says ``enabled = true``. Returns whether a command was sent.
    """
    from cccd_reader.profiles import reader_profile

    profile = reader_profile(reader_name)
    if not profile.escape.get("enabled"):
        return False
    command = profile.escape.get("buzzer_success" if success else "buzzer_failure")
    if not isinstance(command, str):
        return False
    transport = (connect or open_transport)(reader_name)
    try:
        transport.transmit(bytes.fromhex(command))
    except Exception as exc:  # feedback is a courtesy: never fail a read over it
        log.debug("reader feedback failed: %s", type(exc).__name__)
        return False
    finally:
        transport.close()
    return True




class _Tap:
    """A reader's read in flight, and whether its card left meanwhile (see ``CardService``)."""

    def __init__(self) -> None:
        #: A worker owns this reader (asking the key, or reading).
        self.reading = False
        #: The worker is past the key: a removal now waits for the read's last event.
        self.past_key = False
        self.removed = False


class CardService:
    """The counter loop for integrators: tap → read → verify → event, on every contactless slot.

    Threads (see the integrator guide):

    * the **monitor** thread (:class:`ReaderMonitor`) only watches PC/SC;
    * one **worker** thread per tap asks ``key_provider(reader)`` for the key, then reads and
      verifies; a provider that waits for the clerk therefore holds up only its own reader;
    * one **dispatcher** thread calls ``on_event``, one event at a time, in order. It is never
      your UI thread: marshal to it (Qt signal, ``widget.after``,
      ``loop.call_soon_threadsafe``). A slow handler delays later events but never the reads.

    Per tap the order is guaranteed: ``card_present`` → ``read_progress``* →
    ``record_ready`` | ``error`` → ``card_removed`` (a removal seen while a read runs is held
    back until that read's last event). ``key_provider`` returning None leaves the card alone
    (no read events); read it later with :meth:`read_present`. Every failure is an ``error``
    event whose ``data`` is the exception: a refused key, a pulled card
    (:class:`~cccd_reader.errors.CardRemovedError`, never a partial record), an exception
    raised by ``key_provider``, PC/SC down (``reader`` "").

    ``trust`` is loaded when the service is made (a bad path raises
    :class:`~cccd_reader.pki.trust.TrustError` here, not at the first tap). ``connect(reader)``
    opens the transport for a read (default: :func:`cccd_reader.readers.open_transport`, PC/SC
    with the reader's profile). Use it as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(
        self,
        on_event: Callable[[ReaderEvent], None],
        key_provider: Callable[[str], AccessKey | None],
        *,
        trust: TrustLike = None,
        poll_interval: float = 1.0,
        connect: Callable[[str], Transport] = open_transport,
    ) -> None:
        self._on_event = on_event
        self._key_provider = key_provider
        self._trust = resolve_trust(trust)
        self._connect = connect
        self._lock = threading.Lock()
        self._taps: dict[str, _Tap] = {}
        self._workers: set[threading.Thread] = set()
        self._events: queue.SimpleQueue[ReaderEvent | None] = queue.SimpleQueue()
        self._dispatcher: threading.Thread | None = None
        self.monitor = ReaderMonitor(self._on_monitor_event, poll_interval=poll_interval)

    # ------------------------------------------------------------------ life cycle

    def start(self) -> CardService:
        """Start the dispatcher and the monitor; returns self. Idempotent.

        Events begin with ``reader_added`` for each attached reader, then ``card_present`` for
        a card already on one (which is read like a fresh tap).
        """
        if self._dispatcher is None:
            self._dispatcher = threading.Thread(
                target=self._dispatch, name="card-service-events", daemon=True
            )
            self._dispatcher.start()
        self.monitor.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop watching, let reads in flight finish (up to ``timeout`` s), deliver their last
        events, then end the dispatcher. Safe to call from ``on_event`` (it then does not wait
        for the dispatcher, which is the calling thread)."""
        self.monitor.stop()
        deadline = time.monotonic() + timeout
        with self._lock:
            workers = list(self._workers)
        for worker in workers:
            worker.join(timeout=max(0.0, deadline - time.monotonic()))
        dispatcher = self._dispatcher
        self._dispatcher = None
        if dispatcher is not None:
            self._events.put(None)
            if dispatcher is not threading.current_thread():
                dispatcher.join(timeout=max(0.1, deadline - time.monotonic()))

    def __enter__(self) -> CardService:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ reads

    def read_present(self, reader: str, key: AccessKey) -> bool:
        """Read the card that is on ``reader`` now, with ``key``, without lifting it.

        For a card left alone (``key_provider`` returned None, the number is typed after the
        tap) or refused (wrong key: ask again, then call this). Events as for a tap, without a
        new ``card_present``: ``read_progress``* → ``record_ready`` | ``error``. Returns False
        (and reads nothing) when a read is already running on that reader; an empty reader
        gives an ``error`` event with :class:`~cccd_reader.errors.NoCardError`.
        """
        return self._start_read(reader, key)

    def _start_read(self, reader: str, key: AccessKey | None) -> bool:
        with self._lock:
            tap = self._taps.setdefault(reader, _Tap())
            if tap.reading:
                return False
            tap.reading = True
            tap.past_key = key is not None
            tap.removed = False
            worker = threading.Thread(
                target=self._read, args=(reader, key, tap), name="card-read", daemon=True
            )
            self._workers.add(worker)
        worker.start()
        return True

    def _read(self, reader: str, key: AccessKey | None, tap: _Tap) -> None:
        def progress(step: str, done: int, total: int) -> None:
            self._post(ReadProgressEvent(reader, ReadProgress(step, done, total)))

        success: bool | None = None
        try:
            if key is None:
                key = self._key_provider(reader)
            with self._lock:
                # the card left while the provider was asked: nothing to read (its
                # card_removed was delivered then)
                gone = tap.removed and not tap.past_key
                tap.past_key = True
            if key is not None and not gone:
                outcome = read_with_recovery(
                    lambda: self._connect(reader), key, trust=self._trust, progress=progress
                )
                self._post(RecordReadyEvent(reader, outcome))
                verification = outcome.record.verification
                success = verification is not None and verification.verdict == "genuine"
        except Exception as exc:
            self._post(ErrorEvent(reader, exc))
            success = False
        finally:
            with self._lock:
                removed = tap.removed and tap.past_key
                tap.reading = tap.past_key = tap.removed = False
                if removed:
                    self._post(CardRemovedEvent(reader))
                self._workers.discard(threading.current_thread())
        if success is not None:
            reader_feedback(reader, success, connect=self._connect)

    # ------------------------------------------------------------------ events

    def _on_monitor_event(self, event: ReaderEvent) -> None:
        """Runs on the monitor thread: must not block, never calls integrator code."""
        with self._lock:
            tap = self._taps.get(event.reader)
            if event.kind == "card_removed" and tap is not None and tap.reading:
                tap.removed = True
                if tap.past_key:
                    return  # delivered after the read's last event
            self._post(event)
        if event.kind == "card_present" and is_contactless(event.reader):
            self._start_read(event.reader, None)

    def _post(self, event: ReaderEvent) -> None:
        self._events.put(event)

    def _dispatch(self) -> None:
        while True:
            event = self._events.get()
            if event is None:
                return
            try:
                self._on_event(event)
            except Exception:  # a faulty handler must not stop the events
                log.exception("event handler failed on a %s event", event.kind)
