"""What an APDU exchange costs on a contactless link, for benchmarks that run without one.

The virtual chip answers in microseconds, so counting APDUs and bytes in process says little
about how long a counter clerk waits. :class:`LinkModelTransport` passes every APDU through to
a real transport and records its sizes; :class:`LinkModel` then charges each exchange what an
ISO/IEC 14443-4 link would: the frames on air at 106-848 kbit/s (Type A framing, block
chaining with R(ACK) rounds when an APDU exceeds the frame size), the frame delay times, the
chip's own processing, and the PC/SC + USB cost per APDU. Parameters and sources:
``bench/LINKMODEL.md``.

It is a model, not a measurement: it leaves out collisions, retransmissions, S(WTX) waiting
time extensions and the one-off activation (REQA ... RATS/ATS, PPS), which cost the same
whichever way the files are read. Its use is comparing read strategies with each other and
with the physical bound (:meth:`LinkModel.bound_us`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cccd_reader.errors import TransportError
from cccd_reader.iso7816.transport import Transport

if TYPE_CHECKING:
    from cccd_reader.profiles import CardProfile, ReaderProfile

#: Carrier frequency (ISO/IEC 14443-2).
FC_HZ = 13_560_000
#: Bit rates of ISO/IEC 14443 Type A in kbit/s: fc/128, fc/64, fc/32, fc/16.
BIT_RATES = (106, 212, 424, 848)
#: Frame sizes an FSDI/FSCI can announce (ISO/IEC 14443-4 §5.1; 2008 edition and later).
FRAME_SIZES = (16, 24, 32, 40, 48, 64, 96, 128, 256)
#: A Type A standard frame sends 8 data bits plus an odd parity bit per byte.
BITS_PER_BYTE = 9
#: Start and end of communication around each frame, in bit durations.
SOF_EOF_BITS = 2
#: CRC_A closing every 14443-4 block.
CRC_BYTES = 2
#: Minimum frame delay time in both directions, 1172/fc (ISO/IEC 14443-3 §6.2.1, n = 9 with the
#: last bit 0): the gap the other side waits before it may answer or send the next frame.
FDT_MIN_US = 1172 / FC_HZ * 1e6


def bit_time_us(rate_kbps: int) -> float:
    """One bit at ``rate_kbps``: 128/fc at 106 kbit/s, halved at each step up."""
    if rate_kbps not in BIT_RATES:
        raise ValueError(f"bit rate must be one of {BIT_RATES}")
    return 128 / (rate_kbps // 106) / FC_HZ * 1e6


def frame_us(n_bytes: int, rate_kbps: int) -> float:
    """Air time of one frame of ``n_bytes`` (CRC included)."""
    return (n_bytes * BITS_PER_BYTE + SOF_EOF_BITS) * bit_time_us(rate_kbps)


@dataclass(frozen=True)
class LinkParams:
    """The link's parameters; defaults are those of a typical desktop reader and eMRTD chip."""

    #: Largest frame the reader accepts (FSD) and the card accepts (FSC), CRC included.
    fsd: int = 256
    fsc: int = 256
    #: Whether blocks carry the optional CID byte (PCB bit 4).
    cid: bool = False
    #: Gap after every frame before the other side sends (ISO/IEC 14443-3 minimum).
    fdt_us: float = FDT_MIN_US
    #: Chip processing per command, and per byte it receives or sends (card profile).
    turnaround_ms: float = 3.0
    per_byte_us: float = 10.0
    #: Host side per APDU: PC/SC call, CCID bulk-out and bulk-in on full-speed USB (1 ms
    #: frames), the reader firmware's own turnaround. An estimate; see bench/LINKMODEL.md.
    host_overhead_ms: float = 1.0
    #: How long a reader waits for a mute chip before reporting it lost, and getting it back
    #: (field reset, activation, a new PC/SC connection). An estimate; see bench/LINKMODEL.md.
    mute_timeout_ms: float = 1000.0

    def __post_init__(self) -> None:
        for what, size in (("FSD", self.fsd), ("FSC", self.fsc)):
            if size not in FRAME_SIZES:
                raise ValueError(f"{what} {size} is not a 14443-4 frame size {FRAME_SIZES}")

    @property
    def prologue(self) -> int:
        """PCB, plus CID when used (NAD is not used by PC/SC readers)."""
        return 1 + int(self.cid)

    @property
    def block_overhead(self) -> int:
        return self.prologue + CRC_BYTES

    @classmethod
    def from_profiles(
        cls,
        reader: ReaderProfile | None = None,
        card: CardProfile | None = None,
        **overrides: float | int | bool,
    ) -> LinkParams:
        """Chip timing from the card profile; frame sizes stay at 256 (the profiles carry no
        FSD/FSC: every reader and eMRTD we know announces FSDI/FSCI 8) unless overridden."""
        values: dict[str, float | int | bool] = {}
        if card is not None:
            values["turnaround_ms"] = card.turnaround_ms
            values["per_byte_us"] = card.per_byte_us
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Exchange:
    """One APDU round trip as seen on the PC/SC side: command and response sizes."""

    command: int
    response: int
    ins: int
    #: The chip never answered: the reader's timeout is charged instead of an answer.
    timed_out: bool = False


@dataclass
class LinkModel:
    """Cost of recorded exchanges at each bit rate."""

    params: LinkParams = field(default_factory=LinkParams)

    def blocks(self, n_bytes: int, frame_size: int) -> int:
        """I-blocks needed for ``n_bytes`` of APDU with chaining (at least one)."""
        room = frame_size - self.params.block_overhead
        return max(1, math.ceil(n_bytes / room))

    def exchange_us(self, ex: Exchange, rate_kbps: int) -> float:
        """Air, delays, chip and host time of one APDU, chaining included; an unanswered one
        costs its command on air and the reader's timeout."""
        p = self.params
        if ex.timed_out:
            sent = self.blocks(ex.command, p.fsc)
            air = (ex.command + sent * p.block_overhead) * BITS_PER_BYTE * bit_time_us(rate_kbps)
            return air + p.mute_timeout_ms * 1000 + p.host_overhead_ms * 1000
        cmd_blocks = self.blocks(ex.command, p.fsc)
        resp_blocks = self.blocks(ex.response, p.fsd)
        acks = (cmd_blocks - 1) + (resp_blocks - 1)  # an R(ACK) answers each chained block
        frames = cmd_blocks + resp_blocks + acks
        air_bytes = (
            ex.command + ex.response + (cmd_blocks + resp_blocks + acks) * p.block_overhead
        )
        air = (air_bytes * BITS_PER_BYTE + frames * SOF_EOF_BITS) * bit_time_us(rate_kbps)
        chip = p.turnaround_ms * 1000 + p.per_byte_us * (ex.command + ex.response)
        return air + frames * p.fdt_us + chip + p.host_overhead_ms * 1000

    def total_us(self, exchanges: list[Exchange], rate_kbps: int) -> float:
        return sum(self.exchange_us(ex, rate_kbps) for ex in exchanges)

    def round_trip_floor_us(self, rate_kbps: int) -> float:
        """What any APDU costs however little it carries: one empty I-block each way, two
        frame delays, the chip's turnaround and the host's overhead."""
        p = self.params
        return (
            2 * frame_us(p.block_overhead, rate_kbps)
            + 2 * p.fdt_us
            + p.turnaround_ms * 1000
            + p.host_overhead_ms * 1000
        )

    def bound_us(self, payload_bytes: int, min_round_trips: int, rate_kbps: int) -> float:
        """Physical bound: the files' own bytes on air and through the chip, plus the
        unavoidable round trips. No read of those files can be modelled faster."""
        per_byte = BITS_PER_BYTE * bit_time_us(rate_kbps) + self.params.per_byte_us
        return payload_bytes * per_byte + min_round_trips * self.round_trip_floor_us(rate_kbps)


class LinkModelTransport:
    """A transport that records every exchange it forwards, for :class:`LinkModel`."""

    def __init__(self, inner: Transport, model: LinkModel | None = None) -> None:
        self.inner = inner
        self.model = model or LinkModel()
        self.exchanges: list[Exchange] = []

    def transmit(self, apdu: bytes) -> bytes:
        ins = apdu[1] if len(apdu) > 1 else 0
        try:
            resp = self.inner.transmit(apdu)
        except TransportError:
            self.exchanges.append(Exchange(len(apdu), 0, ins, timed_out=True))
            raise
        self.exchanges.append(Exchange(len(apdu), len(resp), ins))
        return resp

    def close(self) -> None:
        self.inner.close()

    @property
    def supports_extended(self) -> bool | None:
        return self.inner.supports_extended

    @property
    def max_response(self) -> int:
        return int(getattr(self.inner, "max_response", 65536))

    @property
    def atr(self) -> bytes | None:
        """The wrapped card's ATR (its word on extended length)."""
        atr = getattr(self.inner, "atr", None)
        return atr if isinstance(atr, bytes) else None

    @property
    def apdus(self) -> int:
        return len(self.exchanges)

    @property
    def bytes_sent(self) -> int:
        return sum(ex.command for ex in self.exchanges)

    @property
    def bytes_received(self) -> int:
        return sum(ex.response for ex in self.exchanges)

    def modeled_ms(self, rate_kbps: int) -> float:
        return self.model.total_us(self.exchanges, rate_kbps) / 1000

    def report(self) -> dict[str, float | int]:
        """APDUs, bytes and modelled milliseconds at every bit rate."""
        out: dict[str, float | int] = {
            "apdus": self.apdus,
            "bytes_sent": self.bytes_sent,
            "bytes_received": self.bytes_received,
        }
        for rate in BIT_RATES:
            out[f"modeled_ms_{rate}"] = round(self.modeled_ms(rate), 1)
        return out
