"""Command and response APDUs (ISO/IEC 7816-4 §5.1), short and extended.

``le`` follows the standard's meaning of Ne: the maximum number of response bytes expected.
``le=256`` encodes as a short ``00``; ``le=65536`` as an extended ``0000``. ``le=None`` means no
Le field. Extended encoding is chosen automatically when Nc > 255 or Ne > 256, or when forced.
"""

from __future__ import annotations

from dataclasses import dataclass

from cccd_reader.errors import ParseError

MAX_SHORT_LC = 255
MAX_SHORT_LE = 256
MAX_EXTENDED_LC = 65535
MAX_EXTENDED_LE = 65536


class APDUFormatError(ParseError):
    """A command or response APDU is not well-formed."""


@dataclass(frozen=True, slots=True)
class CommandAPDU:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None
    force_extended: bool = False

    def __post_init__(self) -> None:
        for name in ("cla", "ins", "p1", "p2"):
            v = getattr(self, name)
            if not 0 <= v <= 0xFF:
                raise APDUFormatError(f"{name}={v} is not a byte")
        if len(self.data) > MAX_EXTENDED_LC:
            raise APDUFormatError(f"command data of {len(self.data)} bytes is too long")
        if self.le is not None and not 1 <= self.le <= MAX_EXTENDED_LE:
            raise APDUFormatError(f"Le={self.le} out of range 1..65536")

    @property
    def extended(self) -> bool:
        return (
            self.force_extended
            or len(self.data) > MAX_SHORT_LC
            or (self.le is not None and self.le > MAX_SHORT_LE)
        )

    def with_le(self, le: int | None) -> CommandAPDU:
        return CommandAPDU(self.cla, self.ins, self.p1, self.p2, self.data, le, self.force_extended)

    def to_bytes(self) -> bytes:
        header = bytes((self.cla, self.ins, self.p1, self.p2))
        nc = len(self.data)
        if not self.extended:
            body = b""
            if nc:
                body += bytes([nc]) + self.data
            if self.le is not None:
                body += bytes([self.le & 0xFF])  # 256 -> 00
            return header + body
        body = b"\x00"
        if nc:
            body += nc.to_bytes(2, "big") + self.data
            if self.le is not None:
                body += (self.le & 0xFFFF).to_bytes(2, "big")  # 65536 -> 0000
        elif self.le is not None:
            body += (self.le & 0xFFFF).to_bytes(2, "big")
        return header + body

    @classmethod
    def from_bytes(cls, raw: bytes) -> CommandAPDU:
        """Parse the four ISO 7816-3 cases, short and extended (used by the virtual chip)."""
        if len(raw) < 4:
            raise APDUFormatError("command APDU shorter than 4 bytes")
        cla, ins, p1, p2 = raw[0], raw[1], raw[2], raw[3]
        body = raw[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0] or 256)
        if body[0] != 0:
            nc = body[0]
            if len(body) == 1 + nc:
                return cls(cla, ins, p1, p2, bytes(body[1:]))
            if len(body) == 2 + nc:
                return cls(cla, ins, p1, p2, bytes(body[1 : 1 + nc]), body[-1] or 256)
            raise APDUFormatError("short APDU length fields do not match its size")
        # extended: body[0] == 0
        if len(body) == 3:
            return cls(cla, ins, p1, p2, le=int.from_bytes(body[1:3], "big") or 65536,
                       force_extended=True)
        if len(body) < 3:
            raise APDUFormatError("truncated extended APDU")
        nc = int.from_bytes(body[1:3], "big")
        if nc == 0:
            raise APDUFormatError("extended Lc of zero")
        if len(body) == 3 + nc:
            return cls(cla, ins, p1, p2, bytes(body[3:]), force_extended=True)
        if len(body) == 5 + nc:
            le = int.from_bytes(body[-2:], "big") or 65536
            return cls(cla, ins, p1, p2, bytes(body[3 : 3 + nc]), le, force_extended=True)
        raise APDUFormatError("extended APDU length fields do not match its size")


# Status words named after ISO 7816-4 §5.6 tables; used in messages and logs.
SW_NAMES: dict[int, str] = {
    0x9000: "success",
    0x6282: "end of file reached before reading Le bytes",
    0x6700: "wrong length",
    0x6881: "logical channel not supported",
    0x6882: "secure messaging not supported",
    0x6883: "last command of the chain expected",
    0x6884: "command chaining not supported",
    0x6982: "security status not satisfied",
    0x6983: "authentication method blocked",
    0x6984: "reference data not usable",
    0x6985: "conditions of use not satisfied",
    0x6986: "command not allowed (no current EF)",
    0x6987: "expected secure messaging data objects missing",
    0x6988: "incorrect secure messaging data objects",
    0x6A80: "incorrect parameters in the data field",
    0x6A81: "function not supported",
    0x6A82: "file or application not found",
    0x6A86: "incorrect parameters P1-P2",
    0x6A87: "Nc inconsistent with P1-P2",
    0x6A88: "referenced data or reference data not found",
    0x6B00: "wrong parameters P1-P2 (offset outside the EF)",
    0x6D00: "instruction code not supported",
    0x6E00: "class not supported",
    0x6F00: "no precise diagnosis",
}


def sw_name(sw: int) -> str:
    if sw in SW_NAMES:
        return SW_NAMES[sw]
    sw1 = sw >> 8
    if sw1 == 0x61:
        return f"{sw & 0xFF or 256} more bytes available"
    if sw1 == 0x6C:
        return f"wrong Le, exact length is {sw & 0xFF or 256}"
    if sw1 == 0x63 and sw & 0xF0 == 0xC0:
        return f"verification failed, {sw & 0x0F} tries left"
    return "unknown status"


def describe_sw(sw: int) -> str:
    return f"{sw:04X} ({sw_name(sw)})"


@dataclass(frozen=True, slots=True)
class ResponseAPDU:
    data: bytes
    sw: int

    @property
    def sw1(self) -> int:
        return self.sw >> 8

    @property
    def sw2(self) -> int:
        return self.sw & 0xFF

    @property
    def ok(self) -> bool:
        return self.sw == 0x9000

    def to_bytes(self) -> bytes:
        return self.data + self.sw.to_bytes(2, "big")

    @classmethod
    def from_bytes(cls, raw: bytes) -> ResponseAPDU:
        if len(raw) < 2:
            raise APDUFormatError(f"response APDU of {len(raw)} bytes has no status word")
        return cls(bytes(raw[:-2]), int.from_bytes(raw[-2:], "big"))
