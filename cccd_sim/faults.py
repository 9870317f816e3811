"""Scheduled faults for the virtual chip: what happens at real counters, on demand.

A :class:`FaultyCard` wraps a virtual chip and, at chosen APDU numbers (1-based, counted from
the last power-on), misbehaves: the card leaves the field, stays silent, answers slowly, flips
a bit of its answer (a broken MAC under SM), or answers with an arbitrary status word. It works
in process (removal and silence raise the transport errors a PC/SC reader would report) and
behind vpcd (removal closes the virtual card's connection via ``on_remove``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from cccd_reader.errors import CardRemovedError, TransportTimeoutError
from cccd_sim.chip import VirtualChip

FaultKind = Literal["remove", "timeout", "slow", "corrupt", "status"]


@dataclass(frozen=True)
class Fault:
    at: int
    kind: FaultKind
    #: "slow": seconds of delay; "status": the status word to answer with.
    value: float = 0.0


@dataclass
class FaultyCard:
    chip: VirtualChip
    faults: list[Fault] = field(default_factory=list)
    #: Called when a "remove" fault fires (the vpcd bridge closes its socket here).
    on_remove: Callable[[], None] | None = None
    count: int = 0
    removed: bool = False

    @property
    def atr(self) -> bytes:
        return self.chip.atr

    def reset(self) -> None:
        self.chip.reset()
        self.count = 0

    def insert(self) -> None:
        """Put the card back in the field (a new tap): fresh power-on, no scheduled faults."""
        self.removed = False
        self.faults = []
        self.reset()

    def process(self, apdu: bytes) -> bytes:
        if self.removed:
            raise CardRemovedError("the card was removed during the read")
        self.count += 1
        for fault in self.faults:
            if fault.at != self.count:
                continue
            if fault.kind == "remove":
                self.removed = True
                self.chip.reset()
                if self.on_remove is not None:
                    self.on_remove()
                raise CardRemovedError("the card was removed during the read")
            if fault.kind == "timeout":
                raise TransportTimeoutError("the card did not answer in time")
            if fault.kind == "slow":
                time.sleep(fault.value)
            if fault.kind == "status":
                self.chip.process(apdu)  # the chip still advances its state
                return int(fault.value).to_bytes(2, "big")
            if fault.kind == "corrupt":
                resp = bytearray(self.chip.process(apdu))
                if len(resp) > 2:
                    resp[len(resp) // 2 - 1] ^= 0x01
                else:
                    resp[-1] ^= 0x01
                return bytes(resp)
        return self.chip.process(apdu)
