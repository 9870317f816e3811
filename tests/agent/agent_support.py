"""Helpers for the agent tests: a plain HTTP client that can forge Host and Origin (as a hostile
page or a rebinding attack would), and a card wrapper that counts access attempts on the chip."""

from __future__ import annotations

import http.client
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from cccd_reader.iso7816.transport import InProcessTransport, Transport
from cccd_sim.agent import SimBackend

SAMPLE_NAME = "vn-cccd-2021-nguyen-thi-ngoc-anh"
HOLDER_NAME = "Nguyễn Thị Ngọc Ánh"
PERSONAL_NUMBER = "001190012345"  # the sample's CAN is its last 6 digits (012345)
ALLOWED = "http://127.0.0.1:8181"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def request(port: int, method: str, path: str, body: Any = None, *,
            headers: dict[str, str] | None = None, raw: bytes | None = None) -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        hdrs = {"Host": f"127.0.0.1:{port}"}
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for k, v in hdrs.items():
            conn.putheader(k, v)
        if data is not None:
            conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data)
        resp = conn.getresponse()
        return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
    finally:
        conn.close()


@dataclass
class AccessCounter:
    """Counts PACE runs (MSE:Set AT for PACE, P1P2 C1A4) and BAC attempts (EXTERNAL AUTH)."""

    pace: int = 0
    bac: int = 0
    apdus: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def see(self, apdu: bytes) -> None:
        with self._lock:
            self.apdus += 1
            if len(apdu) >= 4 and apdu[1] == 0x22 and apdu[2:4] == b"\xc1\xa4":
                self.pace += 1
            elif len(apdu) >= 4 and apdu[1] == 0x82:
                self.bac += 1


class CountingCard:
    """A SimCard (for VpcdBridge) or a process function that counts what the chip is sent."""

    def __init__(self, chip: Any, counter: AccessCounter) -> None:
        self._chip = chip
        self.counter = counter

    @property
    def atr(self) -> bytes:
        return bytes(self._chip.atr)

    def reset(self) -> None:
        self._chip.reset()

    def process(self, apdu: bytes) -> bytes:
        self.counter.see(apdu)
        return bytes(self._chip.process(apdu))


class CountingSimBackend(SimBackend):
    """The in-process virtual card, with every connect and access attempt counted."""

    def __init__(self, dump: Any, **kwargs: Any) -> None:
        super().__init__(dump, **kwargs)
        self.counter = AccessCounter()
        self.connects = 0

    def connect(self, reader: str) -> Transport:
        self.connects += 1
        inner = super().connect(reader)
        counter = self.counter

        def process(apdu: bytes) -> bytes:
            counter.see(apdu)
            return inner.transmit(apdu)

        return InProcessTransport(process, extended=inner.supports_extended,
                                  atr=getattr(inner, "atr", None))


class _NoMonitor:
    def start(self) -> object:
        return self

    def stop(self) -> None:
        pass


class TappableSimBackend(CountingSimBackend):
    """The in-process virtual card, tapped and removed on command: the agent's monitor
    callback is told ``card_present`` / ``card_removed`` as the PC/SC monitor would."""

    def __init__(self, dump: Any, **kwargs: Any) -> None:
        super().__init__(dump, **kwargs)
        self.present = False
        self._on_event: Any = None

    def readers(self) -> list[tuple[str, bool]]:
        return [(self.name, self.present)]

    def monitor(self, on_event: Any) -> _NoMonitor:
        self._on_event = on_event
        return _NoMonitor()

    def connect(self, reader: str) -> Transport:
        if not self.present:
            from cccd_reader.errors import NoCardError

            raise NoCardError("no card in the reader")
        return super().connect(reader)

    def tap(self) -> None:
        from cccd_reader.service import ReaderEvent

        self.present = True
        self._on_event(ReaderEvent("card_present", self.name))

    def remove(self) -> None:
        from cccd_reader.service import ReaderEvent

        self.present = False
        self._on_event(ReaderEvent("card_removed", self.name))


#: The companion app's webhook fields (the device format).
DEVICE_FIELDS = frozenset({
    "id_card", "full_name", "date_of_birth", "gender", "nationality", "race", "religion",
    "place_of_origin", "place_of_residence", "personal_identification", "date_of_issue",
    "date_of_expiry", "father_name", "mother_name", "wife_name", "old_id_card", "id_img",
})


@dataclass
class Receiver:
    """A webhook receiver (made by the ``receivers`` fixture): what it was sent, when."""

    mode: str = "ok"
    posts: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    attempts: list[float] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    server: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/cccd"
