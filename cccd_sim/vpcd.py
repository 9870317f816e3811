"""Connect a virtual chip to the ``vpcd`` driver of the real ``pcscd`` (vsmartcard project).

Wire protocol (both directions): a 2-byte big-endian length, then the payload. From vpcd, a
1-byte payload is a control code (0 power off, 1 power on, 2 reset, 4 "send your ATR"); any
longer payload is a command APDU, answered with the response APDU. Closing the connection is
seen by PC/SC clients as the card leaving the field.

Latency: vpcd writes the length and the payload as two TCP segments. Without ``TCP_QUICKACK``
re-armed before each read, Linux delays the ACK and every APDU costs ~40 ms; we re-arm it.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import Protocol

from cccd_reader.errors import TransportError

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 35963  # "Virtual PCD 00 00"; 35964 is "Virtual PCD 00 01"
MAX_MESSAGE = 0xFFFF

CTRL_OFF, CTRL_ON, CTRL_RESET, CTRL_ATR = 0, 1, 2, 4


class SimCard(Protocol):
    """What the bridge needs of a card: its ATR, a power cycle, and APDU processing."""

    @property
    def atr(self) -> bytes: ...

    def reset(self) -> None: ...

    def process(self, apdu: bytes) -> bytes: ...


def _quickack(sock: socket.socket) -> None:
    if hasattr(socket, "TCP_QUICKACK"):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        except OSError:
            pass


def _recv_exact(sock: socket.socket, n: int) -> bytes | None:
    buf = bytearray()
    while len(buf) < n:
        _quickack(sock)
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def _left_the_field(card: SimCard) -> bool:
    """A card may announce its own removal (``removed``: a bool or a threading.Event)."""
    removed = getattr(card, "removed", False)
    if isinstance(removed, threading.Event):
        return removed.is_set()
    return removed is True


class VpcdBridge:
    """Runs one virtual card on a vpcd slot, in a background thread."""

    def __init__(
        self,
        card: SimCard,
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        on_apdu: Callable[[int], None] | None = None,
    ) -> None:
        self.card = card
        self.host = host
        self.port = port
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._on_apdu = on_apdu
        self.error: BaseException | None = None

    def connect(self, timeout: float = 10.0) -> None:
        """Connect to vpcd, retrying while pcscd starts up."""
        deadline = time.monotonic() + timeout
        last: OSError | None = None
        while time.monotonic() < deadline:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=2.0)
            except OSError as exc:
                last = exc
                time.sleep(0.1)
                continue
            sock.settimeout(None)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            _quickack(sock)
            self._sock = sock
            return
        raise TransportError(
            f"cannot reach vpcd at {self.host}:{self.port} ({last}); is pcscd running with "
            "the vsmartcard-vpcd driver installed?"
        )

    def start(self, timeout: float = 10.0) -> VpcdBridge:
        self.connect(timeout)
        self._thread = threading.Thread(target=self._serve, name="vpcd-bridge", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        if self._sock is None:
            self.connect()
        self._serve()

    def _send(self, payload: bytes) -> None:
        assert self._sock is not None
        self._sock.sendall(len(payload).to_bytes(2, "big") + payload)

    def _serve(self) -> None:
        """Serve the card; when it reports itself lost but still in the field (``rejoin()``
        answers True: a mute chip the reader gave up on), come back on a new connection."""
        while True:
            self._serve_connection()
            rejoin = getattr(self.card, "rejoin", None)
            if self._stop.is_set() or not callable(rejoin) or not rejoin():
                return
            try:
                self.connect()
            except TransportError as exc:
                self.error = exc
                return

    def _serve_connection(self) -> None:
        sock = self._sock
        assert sock is not None
        card = self.card
        try:
            while not self._stop.is_set():
                header = _recv_exact(sock, 2)
                if header is None:
                    break
                size = int.from_bytes(header, "big")
                payload = _recv_exact(sock, size) if size else b""
                if payload is None:
                    break
                if size == 1:
                    code = payload[0]
                    if code == CTRL_ATR:
                        self._send(card.atr)
                    elif code in (CTRL_OFF, CTRL_ON, CTRL_RESET):
                        card.reset()
                    continue
                response = card.process(payload)
                if self._on_apdu is not None:
                    self._on_apdu(len(payload))
                if _left_the_field(card):
                    break  # closing the connection is how vpcd learns the card is gone
                self._send(response)
        except OSError as exc:
            if not self._stop.is_set():
                self.error = exc
                log.debug("vpcd bridge stopped: %s", exc)
        except Exception as exc:  # a bug in the card must not hang pcscd's reader
            self.error = exc
            log.exception("virtual card crashed")
        finally:
            self._close_socket()

    def _close_socket(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def stop(self) -> None:
        """Remove the card from the virtual reader."""
        self._stop.set()
        self._close_socket()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> VpcdBridge:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
