"""PC/SC transport through pyscard (pcsc-lite on Linux, WinSCard on Windows).

Maps pyscard's exceptions onto our hierarchy so callers never see pyscard types: a card that
leaves the field is :class:`~cccd_reader.errors.CardRemovedError`, everything else about the
link is :class:`~cccd_reader.errors.TransportError`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from cccd_reader.errors import (
    AmbiguousReaderError,
    CardRemovedError,
    NoCardError,
    ReaderNotFoundError,
    TransportError,
)

log = logging.getLogger(__name__)

_REMOVED_HINTS = ("removed", "no smart card", "not transacted", "reset", "unpowered", "0x80100069",
                  "0x80100066", "0x80100016", "0x8010000c")


def _is_removal(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(h in text for h in _REMOVED_HINTS)


@dataclass(frozen=True)
class ReaderInfo:
    name: str
    card_present: bool
    atr: bytes | None


#: pcsc-lite's pseudo reader whose state changes when a reader is attached or detached.
PNP_NOTIFICATION = "\\\\?PnP?\\Notification"


def establish_context() -> Any:
    """A PC/SC context, or :class:`TransportError` when the service is not running."""
    from smartcard import scard

    try:
        hresult, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    except Exception as exc:  # pyscard raises its own types on some platforms
        raise TransportError("PC/SC is not available (is pcscd running?)") from exc
    if hresult != scard.SCARD_S_SUCCESS:
        raise TransportError("PC/SC is not available (is pcscd running?)",
                             params={"reason": scard.SCardGetErrorMessage(hresult)})
    return ctx


def release_context(ctx: Any) -> None:
    from smartcard import scard

    try:
        scard.SCardReleaseContext(ctx)
    except Exception as exc:  # the daemon went away: nothing left to release
        log.debug("release context: %s", type(exc).__name__)


def list_reader_names(ctx: Any) -> list[str]:
    """Reader names on an open context; empty when pcscd runs but none is attached."""
    from smartcard import scard

    hresult, names = scard.SCardListReaders(ctx, [])
    if hresult in (scard.SCARD_E_NO_READERS_AVAILABLE, getattr(scard, "SCARD_E_NO_READERS", -1)):
        return []
    if hresult != scard.SCARD_S_SUCCESS:
        raise TransportError(f"cannot list readers: {scard.SCardGetErrorMessage(hresult)}")
    return [str(n) for n in names]


def list_readers() -> list[str]:
    """Names of the PC/SC readers; empty when pcscd runs but none is attached."""
    ctx = establish_context()
    try:
        return list_reader_names(ctx)
    finally:
        release_context(ctx)


def resolve_reader(name: str, names: list[str]) -> str:
    """The one reader ``name`` designates: an exact name, else a case-insensitive part of one.

    A part that matches several readers is an :class:`AmbiguousReaderError` naming them: a
    dual reader lists its contactless (PICC) and contact (SAM) slots under one model name, and
    silently taking the first could send the read to the SAM slot.
    """
    if name in names:
        return name
    matches = [n for n in names if name.lower() in n.lower()]
    if not matches:
        listed = "; ".join(names) if names else "none attached"
        raise ReaderNotFoundError(f"no PC/SC reader named {name!r} (readers: {listed})",
                                  params={"name": name})
    if len(matches) > 1:
        raise AmbiguousReaderError(name, matches)
    return matches[0]


def wait_for_card(reader_name: str, timeout: float | None = None) -> str:
    """Block until a card is in the field of ``reader_name``; returns the reader's full name.

    Waits inside ``SCardGetStatusChange`` (no polling), in slices of at most half a second so
    a caller's Ctrl-C is seen. ``timeout`` None waits indefinitely; when it runs out,
    :class:`NoCardError`. A card already on the reader returns at once.
    """
    from smartcard import scard

    ctx = establish_context()
    try:
        name = resolve_reader(reader_name, list_reader_names(ctx))
        deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
        state = scard.SCARD_STATE_UNAWARE
        while True:
            left = 0.5 if deadline is None else min(0.5, deadline - time.monotonic())
            hresult, states = scard.SCardGetStatusChange(
                ctx, max(0, int(left * 1000)), [(name, state)]
            )
            if hresult == scard.SCARD_S_SUCCESS:
                state = states[0][1] & ~scard.SCARD_STATE_CHANGED
                if state & scard.SCARD_STATE_PRESENT and not state & scard.SCARD_STATE_MUTE:
                    return name
                if state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
                    raise ReaderNotFoundError(f"the reader {name} went away",
                                              params={"name": name})
            elif hresult != scard.SCARD_E_TIMEOUT:
                raise TransportError(f"reader status: {scard.SCardGetErrorMessage(hresult)}")
            if deadline is not None and time.monotonic() >= deadline:
                raise NoCardError(f"no card on {name} after {timeout:g} s",
                                  params={"reader": name, "timeout": f"{timeout:g}"})
    finally:
        release_context(ctx)


def reader_status() -> list[ReaderInfo]:
    """Each reader with whether a card is in its field, for ``cccd readers``.

    Asked through SCardGetStatusChange, never by connecting: a connect/disconnect would power
    cycle a card another application (or our own read) is talking to.
    """
    from smartcard import scard

    ctx = establish_context()
    try:
        names = list_reader_names(ctx)
        if not names:
            return []
        states = [(n, scard.SCARD_STATE_UNAWARE) for n in names]
        hresult, states = scard.SCardGetStatusChange(ctx, 0, states)
        if hresult not in (scard.SCARD_S_SUCCESS, scard.SCARD_E_TIMEOUT):
            raise TransportError(f"reader status: {scard.SCardGetErrorMessage(hresult)}")
        out: list[ReaderInfo] = []
        for name, state, atr in states:
            present = bool(state & scard.SCARD_STATE_PRESENT)
            out.append(ReaderInfo(str(name), present, bytes(atr) if present and atr else None))
        return out
    finally:
        release_context(ctx)


def card_present(reader_name: str, *, settle: float = 0.0) -> bool:
    """Whether a card is in the reader's field, waiting up to ``settle`` s for a removal.

    A card pulled mid-exchange often surfaces as a vague transmit error ("no valid response")
    before pcscd notices the removal; asking the reader state tells the two apart.
    """
    from smartcard import scard

    hresult, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return False
    try:
        states = [(reader_name, scard.SCARD_STATE_UNAWARE)]
        hresult, states = scard.SCardGetStatusChange(ctx, 0, states)
        if hresult != scard.SCARD_S_SUCCESS:
            return False
        present = bool(states[0][1] & scard.SCARD_STATE_PRESENT)
        if present and settle > 0:
            # wait for a change (removal) for a short while
            hresult, new_states = scard.SCardGetStatusChange(
                ctx, int(settle * 1000), [(reader_name, states[0][1])]
            )
            if hresult == scard.SCARD_S_SUCCESS:
                present = bool(new_states[0][1] & scard.SCARD_STATE_PRESENT)
        return present
    finally:
        scard.SCardReleaseContext(ctx)


class PcscTransport:
    """One connection to the card in one reader; a context manager that closes it.

    ``reader_name`` is resolved by :func:`resolve_reader` (exact, else a unique part). Every
    failure is a :class:`~cccd_reader.errors.TransportError`: PC/SC down, no such reader (or
    several: :class:`~cccd_reader.errors.AmbiguousReaderError`), :class:`NoCardError` on an
    empty reader, :class:`CardRemovedError` when the card leaves mid-read.
    """

    def __init__(
        self, reader_name: str, *, extended: bool | None = None,
        readers: list[str] | None = None,
    ) -> None:
        # ``readers``: the names a caller has just listed (the transport factory does, to find
        # the profile), so a tap costs one SCardListReaders round trip to pcscd, not two
        self.reader_name = resolve_reader(
            reader_name, list_readers() if readers is None else readers
        )
        self._extended = extended
        self._closed = False
        #: Most response data bytes the reader carries in one APDU (from its profile).
        self.max_response = 65536
        try:
            from smartcard.pcsc.PCSCReader import PCSCReader

            self._conn = PCSCReader(self.reader_name).createConnection()
            self._conn.connect()
        except Exception as exc:
            text = str(exc).lower()
            if "no smart card" in text or "0x8010000c" in text or "card" in text:
                raise NoCardError(f"no card on {self.reader_name}",
                                  params={"reader": self.reader_name}) from exc
            raise TransportError(f"cannot connect to {self.reader_name}: {exc}") from exc
        self.atr = bytes(self._conn.getATR())

    def __enter__(self) -> PcscTransport:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def supports_extended(self) -> bool | None:
        """From the reader's profile: True/False when known, None when not."""
        return self._extended

    def transmit(self, apdu: bytes) -> bytes:
        """Send one command APDU, return data + SW1 SW2; a lost card is CardRemovedError."""
        if self._closed:
            raise TransportError("transport is closed")
        try:
            data, sw1, sw2 = self._conn.transmit(list(apdu))
        except Exception as exc:
            if _is_removal(exc) or not card_present(self.reader_name, settle=0.5):
                raise CardRemovedError("the card was removed during the read") from exc
            raise TransportError(f"PC/SC transmit failed: {exc}") from exc
        return bytes(data) + bytes((sw1, sw2))

    def reconnect(self, timeout: float = 5.0) -> None:
        """Connect again to the card in this reader after it stopped answering.

        A chip that goes mute (on an extended-length command it does not take) makes the
        reader report the card lost, although it never left the field: wait up to ``timeout``
        seconds for the reader to show it again and open a new connection. The same tap only:
        a card with another ATR is :class:`CardRemovedError`, as is no card in time.
        """
        if self._closed:
            raise TransportError("transport is closed")
        try:
            self._conn.disconnect()
        except Exception as exc:  # already gone with the card
            log.debug("disconnect before reconnect: %s", type(exc).__name__)
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            try:
                wait_for_card(self.reader_name, max(0.1, deadline - time.monotonic()))
                from smartcard.pcsc.PCSCReader import PCSCReader

                conn = PCSCReader(self.reader_name).createConnection()
                conn.connect()
                break
            except Exception as exc:
                if time.monotonic() >= deadline:
                    raise CardRemovedError(
                        "the card stopped answering and did not come back"
                    ) from exc
                time.sleep(0.1)
        atr = bytes(conn.getATR())
        if atr != self.atr:
            conn.disconnect()
            raise CardRemovedError("another card is in the reader now")
        self._conn = conn

    def close(self) -> None:
        """Disconnect (idempotent): the reader is free for the next read."""
        if self._closed:
            return
        self._closed = True
        try:
            self._conn.disconnect()
        except Exception as exc:  # already gone: nothing to release
            log.debug("disconnect: %s", type(exc).__name__)
