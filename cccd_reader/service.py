"""What applications embed: read-and-verify in one call, transports by name, a reader monitor.

The CLI and the desktop app both go through here, so a counter app and a script see the same
record and the same verdict for the same card. Nothing here holds protocol logic of its own.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from cccd_reader import dump as dumpmod
from cccd_reader.errors import (
    ReadIncompleteError,
    SecureMessagingError,
    TransportError,
    TransportTimeoutError,
)
from cccd_reader.iso7816.efreader import ReadLimits
from cccd_reader.iso7816.transport import InProcessTransport, Transport
from cccd_reader.reader import AccessKey, ProgressFn, ReadResult, read_card
from cccd_reader.record import CardRecord
from cccd_reader.verify import Check

log = logging.getLogger(__name__)


@dataclass
class ReadOutcome:
    record: CardRecord
    result: ReadResult
    seconds: float


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
    trust: Any = None,
    progress: ProgressFn | None = None,
    protocol: str = "auto",
    close: bool = True,
    cross_checks: Callable[[CardRecord], Sequence[Check]] | None = None,
) -> ReadOutcome:
    """Read the card, then build its record with passive authentication of the same bytes.

    ``cross_checks`` compares the chip's record with outside evidence (e.g. the card's QR,
    :func:`cccd_reader.qr.crosscheck`); its checks join the same verdict.
    """
    t0 = time.perf_counter()
    try:
        result = read_card(
            transport, key, progress=progress, protocol=protocol, limits=limits_for(transport)
        )
    finally:
        if close:
            transport.close()
    seconds = time.perf_counter() - t0
    if progress:
        progress("verification", 0, 0)
    record = _record(result, trust, list(result.chip_checks))
    if cross_checks is not None:
        # checks against other evidence (the printed QR) need the chip's data first
        record = _record(result, trust, [*result.chip_checks, *cross_checks(record)])
    return ReadOutcome(record=record, result=result, seconds=seconds)


def _record(result: ReadResult, trust: Any, extra: Sequence[Check]) -> CardRecord:
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
    trust: Any = None,
    progress: ProgressFn | None = None,
    protocol: str = "auto",
    attempts: int = 2,
) -> ReadOutcome:
    """Read with a bounded retry budget for transient faults.

    Each attempt starts from a fresh connection (power cycle, new access session), so nothing of
    a broken session is reused and nothing partial is returned. A removed card, a refused key
    or malformed data are not transient and are raised at once: retrying a wrong key could
    trip a chip's counter.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for attempt in range(1, attempts + 1):
        transport = connect()
        try:
            return read_and_verify(
                transport, key, trust=trust, progress=progress, protocol=protocol
            )
        except TRANSIENT_ERRORS as exc:
            if attempt == attempts:
                raise
            log.info("transient read failure (%s); retrying with a new session", type(exc).__name__)
    raise AssertionError("unreachable")


def open_transport(reader_name: str, *, extended: bool | None = None) -> Transport:
    """PC/SC transport whose limits come from the reader's profile (unknown: short APDUs)."""
    from cccd_reader.iso7816.pcsc import PcscTransport
    from cccd_reader.profiles import reader_profile

    profile = reader_profile(reader_name)
    transport = PcscTransport(
        reader_name, extended=profile.extended_apdu if extended is None else extended
    )
    transport.max_response = profile.max_response_data
    return transport


def limits_for(transport: Transport) -> ReadLimits:
    """Read sizes for this transport: extended only when it says so, within its message size."""
    return ReadLimits(
        extended=bool(transport.supports_extended),
        max_response=int(getattr(transport, "max_response", 65536)),
    )


def sim_transport(dump_path: str | os.PathLike[str]) -> Transport:
    """A virtual chip serving ``dump_path``, in process (demo mode, tests)."""
    from cccd_reader.sim.profiles import chip_for_dump

    chip = chip_for_dump(dumpmod.load(dump_path))
    return InProcessTransport(chip.process, extended=chip.config.extended_length)


# Slots of dual-interface readers, by their PC/SC names (CCID readers list: one interface per
# slot). Strong markers first: ACS names its slots "PICC" (contactless) and "SAM"/"ICC"
# (contact), even where the model name itself carries "CL" ("ACR1252 1S CL Reader [... SAM]");
# HID OMNIKEY 5x22 and Identiv call the contactless slot "...CL..." or "Contactless".
_STRONG_CONTACTLESS = re.compile(r"PICC|contactless|Virtual PCD", re.I)
_CONTACT = re.compile(r"\bSAM\b|\bICC\b|\bcontact\b", re.I)
_WEAK_CONTACTLESS = re.compile(r"\bCL\b|\d{4}\s?CL|NFC|\bRF\b", re.I)


def is_contactless(reader_name: str) -> bool:
    """Best guess whether a PC/SC reader slot is the contactless interface."""
    if _STRONG_CONTACTLESS.search(reader_name):
        return True
    if _CONTACT.search(reader_name):
        return False
    if _WEAK_CONTACTLESS.search(reader_name):
        return True
    from cccd_reader.profiles import reader_profile

    profile = reader_profile(reader_name)
    return profile.interface != "contact" and not profile.is_contact_slot(reader_name)


# ------------------------------------------------------------------------- monitoring

EventKind = Literal[
    "reader_added", "reader_removed", "card_present", "card_removed", "read_progress",
    "record_ready", "error",
]


@dataclass(frozen=True)
class ReaderEvent:
    kind: EventKind
    reader: str = ""
    detail: str = ""
    #: read_progress: (step, bytes_done, bytes_total); record_ready: the ReadOutcome;
    #: error: the exception.
    data: Any = None


@dataclass
class _State:
    readers: dict[str, bool] = field(default_factory=dict)


class ReaderMonitor:
    """Polls PC/SC for readers and cards on its own thread and reports changes.

    pyscard's CardMonitor thread dies silently when pcscd restarts or a reader is unplugged
    (pyscard #13, #74, #128); this loop owns its context, re-establishes it after any error and
    re-lists readers every round, so it keeps working across such events.
    """

    def __init__(
        self, on_event: Callable[[ReaderEvent], None], *, poll_interval: float = 0.25
    ) -> None:
        self._on_event = on_event
        self._poll = poll_interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._state = _State()
        self._lock = threading.Lock()

    def readers(self) -> list[str]:
        with self._lock:
            return list(self._state.readers)

    def start(self) -> ReaderMonitor:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="reader-monitor", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _emit(self, event: ReaderEvent) -> None:
        try:
            self._on_event(event)
        except Exception:  # a faulty observer must not kill monitoring
            log.exception("reader event handler failed")

    def _run(self) -> None:
        from smartcard import scard

        ctx: Any = None
        error_reported = False
        while not self._stop.is_set():
            try:
                if ctx is None:
                    hresult, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
                    if hresult != scard.SCARD_S_SUCCESS:
                        ctx = None
                        raise TransportError("PC/SC is not available (is pcscd running?)")
                names = self._list(scard, ctx)
                present = self._presence(scard, ctx, names)
                self._diff(present)
                error_reported = False
            except Exception as exc:
                if ctx is not None:
                    try:
                        scard.SCardReleaseContext(ctx)
                    except Exception:
                        pass
                    ctx = None
                if not error_reported:
                    self._emit(ReaderEvent("error", detail=str(exc)))
                    error_reported = True
                self._diff({})
            self._stop.wait(self._poll)
        if ctx is not None:
            try:
                scard.SCardReleaseContext(ctx)
            except Exception:
                pass

    @staticmethod
    def _list(scard: Any, ctx: Any) -> list[str]:
        hresult, names = scard.SCardListReaders(ctx, [])
        if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
            return []
        if hresult != scard.SCARD_S_SUCCESS:
            raise TransportError(f"cannot list readers: {scard.SCardGetErrorMessage(hresult)}")
        return [str(n) for n in names]

    @staticmethod
    def _presence(scard: Any, ctx: Any, names: Sequence[str]) -> dict[str, bool]:
        if not names:
            return {}
        states = [(n, scard.SCARD_STATE_UNAWARE) for n in names]
        hresult, states = scard.SCardGetStatusChange(ctx, 0, states)
        if hresult not in (scard.SCARD_S_SUCCESS, scard.SCARD_E_TIMEOUT):
            raise TransportError(f"reader status: {scard.SCardGetErrorMessage(hresult)}")
        return {str(s[0]): bool(s[1] & scard.SCARD_STATE_PRESENT) for s in states}

    def _diff(self, now: dict[str, bool]) -> None:
        with self._lock:
            before = dict(self._state.readers)
            self._state.readers = dict(now)
        for name in now.keys() - before.keys():
            self._emit(ReaderEvent("reader_added", name))
        for name, card in now.items():
            was = before.get(name, False)
            if card and not was:
                self._emit(ReaderEvent("card_present", name))
            elif was and not card:
                self._emit(ReaderEvent("card_removed", name))
        for name in before.keys() - now.keys():
            if before[name]:
                self._emit(ReaderEvent("card_removed", name))
            self._emit(ReaderEvent("reader_removed", name))


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


class CardService:
    """The counter loop for integrators: tap → read → verify → event, on every contactless slot.

    ``key_provider(reader)`` returns the access key for the card just tapped (from a form, a QR
    scan, ...) or None to leave it alone. Reads run on a worker thread per tap; events arrive on
    service threads, so GUI code must marshal them (the desktop app uses Qt signals). A card
    removed mid-read yields ``error`` with :class:`~cccd_reader.errors.CardRemovedError` and
    never a partial record.
    """

    def __init__(
        self,
        on_event: Callable[[ReaderEvent], None],
        key_provider: Callable[[str], AccessKey | None],
        *,
        trust: Any = None,
        poll_interval: float = 0.25,
        connect: Callable[[str], Transport] = open_transport,
    ) -> None:
        self._on_event = on_event
        self._key_provider = key_provider
        self._trust = trust
        self._connect = connect
        self._workers: dict[str, threading.Thread] = {}
        self.monitor = ReaderMonitor(self._handle, poll_interval=poll_interval)

    def start(self) -> CardService:
        self.monitor.start()
        return self

    def stop(self) -> None:
        self.monitor.stop()
        for worker in list(self._workers.values()):
            worker.join(timeout=10)

    def _emit(self, event: ReaderEvent) -> None:
        try:
            self._on_event(event)
        except Exception:
            log.exception("event handler failed")

    def _handle(self, event: ReaderEvent) -> None:
        self._emit(event)
        if event.kind != "card_present" or not is_contactless(event.reader):
            return
        busy = self._workers.get(event.reader)
        if busy is not None and busy.is_alive():
            return
        key = self._key_provider(event.reader)
        if key is None:
            return
        worker = threading.Thread(
            target=self._read, args=(event.reader, key), name="card-read", daemon=True
        )
        self._workers[event.reader] = worker
        worker.start()

    def _read(self, reader: str, key: AccessKey) -> None:
        def progress(step: str, done: int, total: int) -> None:
            self._emit(ReaderEvent("read_progress", reader, step, (step, done, total)))

        try:
            outcome = read_with_recovery(
                lambda: self._connect(reader), key, trust=self._trust, progress=progress
            )
        except Exception as exc:
            self._emit(ReaderEvent("error", reader, str(exc), exc))
            reader_feedback(reader, False, connect=self._connect)
            return
        self._emit(ReaderEvent("record_ready", reader, "", outcome))
        verdict = getattr(outcome.record.verification, "verdict", None)
        reader_feedback(reader, verdict == "genuine", connect=self._connect)
