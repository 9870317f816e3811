"""Transports (raw APDU bytes in, raw bytes out) and the APDU channel built on them.

A :class:`Transport` only moves bytes: PC/SC (:mod:`cccd_reader.iso7816.pcsc`), or a direct
call into the virtual chip (:class:`InProcessTransport`). Everything ISO 7816 about the exchange
(61xx GET RESPONSE, 6Cxx retry, secure messaging, counting for benchmarks) is in
:class:`ApduChannel`, so every transport behaves the same.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from cccd_reader.errors import CardError, TransportError
from cccd_reader.iso7816.apdu import CommandAPDU, ResponseAPDU, describe_sw
from cccd_reader.iso7816.sm import SecureMessaging

log = logging.getLogger(__name__)

#: Bound on GET RESPONSE / 6Cxx follow-ups for one command: a chip that keeps asking is broken.
MAX_FOLLOW_UPS = 64


@runtime_checkable
class Transport(Protocol):
    """Moves one command APDU to the card and returns its raw response (data + SW1 SW2).

    Implement it to feed the read flow from anything that carries APDUs (a remote reader, a
    replay); everything ISO 7816 is done above it, in :class:`ApduChannel`.
    """

    def transmit(self, apdu: bytes) -> bytes:
        """Send the command APDU bytes; return the response data followed by SW1 SW2.

        Raise :class:`~cccd_reader.errors.TransportError` (or a subclass such as
        ``CardRemovedError``) when the link fails; never return a partial answer.
        """
        ...

    def close(self) -> None:
        """Release the card (idempotent); :func:`cccd_reader.read` calls it when done."""
        ...

    @property
    def supports_extended(self) -> bool | None:
        """True/False when the reader is known to (not) carry extended APDUs; None: unknown."""
        ...


class InProcessTransport:
    """Calls a chip's ``process(bytes) -> bytes`` directly (the virtual chip, or a replay).

    A context manager that closes itself; after :meth:`close`, ``transmit`` raises.
    """

    def __init__(
        self, process: Callable[[bytes], bytes], *, extended: bool | None = True,
        atr: bytes | None = None,
    ) -> None:
        self._process = process
        self._extended = extended
        self._closed = False
        #: The chip's ATR when known: its historical bytes may say whether it takes extended
        #: length (:mod:`cccd_reader.iso7816.extended_length`).
        self.atr = atr

    def __enter__(self) -> InProcessTransport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def transmit(self, apdu: bytes) -> bytes:
        """Hand the APDU to the chip; its answer (data + SW1 SW2)."""
        if self._closed:
            raise TransportError("transport is closed")
        return self._process(apdu)

    def close(self) -> None:
        """Idempotent; later transmits raise TransportError."""
        self._closed = True

    @property
    def supports_extended(self) -> bool | None:
        return self._extended


@dataclass
class ChannelStats:
    """Wire counters, for benchmarks and progress; never contains payload."""

    apdus: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0


class ApduChannel:
    """APDU exchange with ISO 7816 response handling and optional secure messaging.

    ``sm`` is installed by the access protocol (BAC/PACE) once keys exist; from then on every
    command is protected and every response verified, and any SM defect raises
    :class:`~cccd_reader.errors.SecureMessagingError`, ending the session.
    """

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.sm: SecureMessaging | None = None
        self.stats = ChannelStats()

    def _raw(self, cmd: CommandAPDU) -> ResponseAPDU:
        raw_cmd = cmd.to_bytes()
        # counted when sent: a command the card never answers was still on the wire
        self.stats.apdus += 1
        self.stats.bytes_sent += len(raw_cmd)
        raw = self.transport.transmit(raw_cmd)
        self.stats.bytes_received += len(raw)
        return ResponseAPDU.from_bytes(raw)

    def _exchange(self, cmd: CommandAPDU) -> ResponseAPDU:
        """One logical exchange: follow 61xx with GET RESPONSE and retry 6Cxx with the right Le."""
        resp = self._raw(cmd)
        follow_ups = 0
        data = b""
        while True:
            if resp.sw1 == 0x6C and follow_ups < MAX_FOLLOW_UPS:
                follow_ups += 1
                resp = self._raw(cmd.with_le(resp.sw2 or 256))
                continue
            if resp.sw1 == 0x61 and follow_ups < MAX_FOLLOW_UPS:
                follow_ups += 1
                data += resp.data
                resp = self._raw(CommandAPDU(cmd.cla & 0x03, 0xC0, 0, 0, le=resp.sw2 or 256))
                continue
            if resp.sw1 in (0x61, 0x6C):
                raise CardError(
                    f"card kept answering {describe_sw(resp.sw)} after {MAX_FOLLOW_UPS} retries",
                    sw=resp.sw,
                )
            return ResponseAPDU(data + resp.data, resp.sw) if data else resp

    def send(self, cmd: CommandAPDU) -> ResponseAPDU:
        """Send a command (protected when SM is active) and return the plain response."""
        if self.sm is None:
            return self._exchange(cmd)
        protected = self.sm.protect_command(cmd)
        resp = self._exchange(protected)
        return self.sm.unprotect_response(resp)

    def send_plain(self, cmd: CommandAPDU) -> ResponseAPDU:
        """Send without SM even when a session is active (used before/while SM is set up)."""
        return self._exchange(cmd)

    def close(self) -> None:
        self.sm = None
        self.transport.close()
