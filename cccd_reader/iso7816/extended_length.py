"""Extended length (ISO/IEC 7816-4 §5.1) decided by the chip's own word, not by the reader alone.

A reader whose profile carries extended APDUs (ACR1252U, OMNIKEY 5022/5422, uTrust 3700 F,
vpcd) meets chips that never offered them. Asking such a chip for an extended Le under secure
messaging is not a harmless error: many answer 6988 and end the session, others stay silent.
So extended length is used only when both ends carry it:

* the chip says **yes** or **no** in its ATR: the card-capabilities data object (compact-TLV
  tag 7, ISO/IEC 7816-4 §8.1.1.2.7), third software-function byte, b7 "extended Lc and Le
  fields"; b6 says the limits are in EF.ATR/INFO;
* the chip says yes in **EF.ATR/INFO** (FID 2F01 in the master file; ICAO 9303-10 lets an
  eMRTD announce extended length there): DO'7F66' with the largest command and response it
  takes. Read only when the reader could use the answer;
* the chip says **nothing**: the first extended READ BINARY is the probe. Refused in the clear
  (before access) the reads go on with short APDUs; refused under secure messaging in any way
  (a status word, an SM error, silence) the session is reopened once with the same key (see
  :func:`cccd_reader.session.open_session`) and continues with short APDUs.

What a tap taught is remembered for that transport connection (:func:`remember_short`), so a
second session on the same tap (conformance probes, a re-read) does not pay the probe again.
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass
from typing import Literal

from cccd_reader.errors import CardError, ParseError
from cccd_reader.iso7816 import tlv

log = logging.getLogger(__name__)

#: What the chip said about extended length.
ChipWord = Literal["yes", "no", "unknown"]
#: Where that word came from.
Source = Literal["atr", "ef_atr_info", "probe", "remembered", "reader", "none"]

#: EF.ATR/INFO in the master file (ISO/IEC 7816-4 §8.2.1.1; ICAO 9303-10 §3.10).
EF_ATR_INFO_FID = 0x2F01
#: Extended length information data object (ISO/IEC 7816-4 §12.7.1).
TAG_EXTENDED_LENGTH_INFO = 0x7F66
#: Third software-function byte of the card capabilities (ISO/IEC 7816-4 table 119).
CAP_EXTENDED_LC_LE = 0x40
CAP_INFO_IN_EF_ATR = 0x20
#: Beyond this many bytes an EF.ATR/INFO is not what it claims to be.
MAX_ATR_INFO = 1024


@dataclass(frozen=True)
class AtrWord:
    """The ATR's card capabilities about extended length."""

    word: ChipWord
    #: b6: the limits are in EF.ATR/INFO.
    info_in_ef: bool = False


@dataclass(frozen=True)
class ExtendedLengthInfo:
    """DO'7F66' of EF.ATR/INFO: the largest command and response APDUs the chip takes."""

    max_command: int
    max_response: int


@dataclass(frozen=True)
class ExtendedLength:
    """How a session settled extended length; shown with the wire counters.

    ``extra_apdus`` counts the APDUs of a session that was abandoned because the chip refused
    the probe (its access protocol and the refused read): the price of a recovery.
    """

    reader: bool
    chip: ChipWord
    source: Source
    used: bool
    recovered: bool = False
    extra_apdus: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "reader": self.reader,
            "chip": self.chip,
            "source": self.source,
            "used": self.used,
            "recovered": self.recovered,
            "extra_apdus": self.extra_apdus,
        }


class ExtendedLengthRefusedError(CardError):
    """The chip refused an extended-length READ BINARY in a way that ended the session (an SM
    error, a status word under secure messaging, or no answer). Caught by the session opener,
    which reopens the session once with short APDUs; it reaches a caller only when that
    second session fails in the same way, which short APDUs cannot cause. Its code is its
    parent's (``card_status``: "the chip refused a command"), which front ends already say in
    Vietnamese."""

    def __init__(self, message: str, *, sw: int | None = None, card_lost: bool = False,
                 under_sm: bool = True) -> None:
        super().__init__(message, sw=sw)
        #: The card stopped answering (the transport failed): reconnect before reopening.
        self.card_lost = card_lost
        #: Refused after access (a session to reopen), not on a plain read before it.
        self.under_sm = under_sm


def historical_bytes(atr: bytes) -> bytes | None:
    """The historical bytes of an ATR (ISO/IEC 7816-3 §8.2), or None when it is malformed."""
    if len(atr) < 2:
        return None
    t0 = atr[1]
    count = t0 & 0x0F
    pos = 2
    y = t0 >> 4
    while True:
        pos += bin(y & 0x0F).count("1")
        if pos > len(atr):
            return None
        if not y & 0x08:  # no TDi: interface bytes end here
            break
        y = atr[pos - 1] >> 4
    if pos + count > len(atr):
        return None
    return atr[pos : pos + count]


def atr_word(atr: bytes | None) -> AtrWord:
    """What the ATR's card capabilities say about extended length ("unknown" when silent)."""
    hist = historical_bytes(atr) if atr else None
    if not hist:
        return AtrWord("unknown")
    category = hist[0]
    if category == 0x80:
        body = hist[1:]
    elif category == 0x00 and len(hist) >= 4:
        body = hist[1:-3]  # the last three bytes are the status indicator
    else:
        return AtrWord("unknown")  # proprietary coding, or a DIR reference (0x10)
    pos = 0
    while pos < len(body):
        tag, length = body[pos] >> 4, body[pos] & 0x0F
        value = body[pos + 1 : pos + 1 + length]
        if len(value) != length:
            return AtrWord("unknown")  # a truncated object says nothing reliable
        if tag == 0x7:
            if length < 3:
                return AtrWord("unknown")  # no third software-function byte
            third = value[2]
            return AtrWord(
                "yes" if third & CAP_EXTENDED_LC_LE else "no",
                info_in_ef=bool(third & CAP_INFO_IN_EF_ATR),
            )
        pos += 1 + length
    return AtrWord("unknown")


def parse_atr_info(data: bytes) -> ExtendedLengthInfo | None:
    """DO'7F66' of EF.ATR/INFO's content (a series of BER-TLV objects); None when absent or
    not two positive integers. Bounded: a file over :data:`MAX_ATR_INFO` says nothing."""
    if len(data) > MAX_ATR_INFO:
        return None
    try:
        objects = tlv.decode_all(data)
    except ParseError:
        return None
    for obj in objects:
        if obj.tag != TAG_EXTENDED_LENGTH_INFO:
            continue
        try:
            inner = tlv.decode_all(obj.value)
        except ParseError:
            return None
        values = [int.from_bytes(o.value, "big") for o in inner if o.tag == 0x02 and o.value]
        if len(values) < 2 or min(values[:2]) <= 0:
            return None
        return ExtendedLengthInfo(max_command=values[0], max_response=values[1])
    return None


# What each tap (transport connection) taught: a chip that refused extended length. Weak, so
# a closed transport takes its memory with it.
_short_only: weakref.WeakKeyDictionary[object, bool] = weakref.WeakKeyDictionary()


def remember_short(transport: object) -> None:
    """This tap's chip refused extended length: later sessions on it use short APDUs."""
    try:
        _short_only[transport] = True
    except TypeError:  # a transport that cannot be weakly referenced: nothing remembered
        log.debug("cannot remember short APDUs for %s", type(transport).__name__)


def remembered_short(transport: object) -> bool:
    """Whether an earlier session on this tap found extended length refused."""
    try:
        return _short_only.get(transport, False)
    except TypeError:
        return False
