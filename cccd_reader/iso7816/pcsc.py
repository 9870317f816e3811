"""PC/SC transport through pyscard (pcsc-lite on Linux, WinSCard on Windows).

Maps pyscard's exceptions onto our hierarchy so callers never see pyscard types: a card that
leaves the field is :class:`~cccd_reader.errors.CardRemovedError`, everything else about the
link is :class:`~cccd_reader.errors.TransportError`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from cccd_reader.errors import CardRemovedError, ReaderNotFoundError, TransportError

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


def list_readers() -> list[str]:
    """Names of the PC/SC readers; empty when pcscd runs but none is attached."""
    try:
        from smartcard.Exceptions import ListReadersException
        from smartcard.System import readers
    except ImportError as exc:  # pragma: no cover - pyscard is a hard dependency
        raise TransportError(f"pyscard is not installed: {exc}") from exc
    try:
        return [str(r) for r in readers()]
    except ListReadersException as exc:
        raise TransportError(f"cannot list PC/SC readers (is pcscd running?): {exc}") from exc
    except Exception as exc:
        raise TransportError(f"PC/SC is not available: {exc}") from exc


def reader_status() -> list[ReaderInfo]:
    """Each reader with whether a card is in its field, for ``cccd readers``.

    Asked through SCardGetStatusChange, never by connecting: a connect/disconnect would power
    cycle a card another application (or our own read) is talking to.
    """
    from smartcard import scard

    hresult, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        raise TransportError("PC/SC is not available (is pcscd running?)")
    try:
        hresult, names = scard.SCardListReaders(ctx, [])
        if hresult == scard.SCARD_E_NO_READERS_AVAILABLE or not names:
            return []
        if hresult != scard.SCARD_S_SUCCESS:
            raise TransportError(f"cannot list readers: {scard.SCardGetErrorMessage(hresult)}")
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
        scard.SCardReleaseContext(ctx)


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
    """One connection to the card in one reader."""

    def __init__(self, reader_name: str, *, extended: bool | None = None) -> None:
        from smartcard.System import readers

        matches = [r for r in readers() if str(r) == reader_name] or [
            r for r in readers() if reader_name.lower() in str(r).lower()
        ]
        if not matches:
            raise ReaderNotFoundError(f"no PC/SC reader named {reader_name!r}")
        self.reader_name = str(matches[0])
        self._conn = matches[0].createConnection()
        self._extended = extended
        #: Most response data bytes the reader carries in one APDU (from its profile).
        self.max_response = 65536
        try:
            self._conn.connect()
        except Exception as exc:
            if _is_removal(exc) or "card" in str(exc).lower():
                raise CardRemovedError(f"no card on {self.reader_name}") from exc
            raise TransportError(f"cannot connect to {self.reader_name}: {exc}") from exc
        self.atr = bytes(self._conn.getATR())

    @property
    def supports_extended(self) -> bool | None:
        return self._extended

    def transmit(self, apdu: bytes) -> bytes:
        try:
            data, sw1, sw2 = self._conn.transmit(list(apdu))
        except Exception as exc:
            if _is_removal(exc) or not card_present(self.reader_name, settle=0.5):
                raise CardRemovedError("the card was removed during the read") from exc
            raise TransportError(f"PC/SC transmit failed: {exc}") from exc
        return bytes(data) + bytes((sw1, sw2))

    def close(self) -> None:
        try:
            self._conn.disconnect()
        except Exception as exc:  # already gone: nothing to release
            log.debug("disconnect: %s", exc)
