"""SELECT and READ BINARY of whole elementary files, in as few round trips as the link allows.

Reading time is dominated by APDU round trips, so each READ BINARY asks for the largest length
the reader, the chip and secure messaging leave room for: extended length when both ends carry
it, otherwise the largest short Le whose protected answer still fits 256 bytes (223 plain bytes
under AES SM, 231 under 3DES). When the chip objects (6700, 6Cxx, 6282 without data, an SM
answer that does not fit), the reader steps down a ladder of sizes and remembers what worked,
so the penalty is paid once per card, not once per file.

Each file costs a SELECT plus its reads unless the chip takes READ BINARY with a short EF
identifier (ISO 7816-4 §11.2.3: P1 = 0x80|SFI, P2 = offset), which selects and reads in one
round trip; ICAO 9303-10 gives every LDS file an SFI. A chip that refuses it (wrong P1-P2,
function not supported, ...) is read with SELECT from then on; "not found" through an SFI is
confirmed with a SELECT before a file is reported missing, since a chip without SFI support
may say just that.

The file length comes from its own TLV header (first read), never from the chip's good will,
and is bounded by :data:`MAX_FILE_SIZE`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from cccd_reader.errors import (
    CardError,
    FileNotFoundOnCardError,
    ReadIncompleteError,
    SecureMessagingError,
    SecurityStatusNotSatisfiedError,
    TLVError,
    TransportError,
)
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.apdu import MAX_SHORT_LE, CommandAPDU, ResponseAPDU, describe_sw
from cccd_reader.iso7816.extended_length import ExtendedLengthRefusedError, remember_short
from cccd_reader.iso7816.transport import ApduChannel

log = logging.getLogger(__name__)

MAX_FILE_SIZE = 1024 * 1024
#: Offsets above this need the odd-INS READ BINARY (B1) with an offset data object.
MAX_EVEN_OFFSET = 0x7FFF
#: Short-APDU plain lengths tried after the best one fails, ICAO-reader practice.
SHORT_LADDER = (256, 231, 224, 223, 192, 160, 128, 64)
_STEP_DOWN_SW = {0x6700, 0x6282, 0x6A86, 0x6F00}
#: Answers about the file, not about the command's length: never a refusal of extended length.
_FILE_SW = frozenset({0x6982, 0x6A82, 0x6B00, 0x6986})

ProgressFn = Callable[[str, int, int], None]


def sm_plain_capacity(response_capacity: int, block: int) -> int:
    """Largest plain chunk whose SM-protected response fits ``response_capacity`` data bytes.

    Response = DO'87 (tag, length field, 01, ciphertext) + DO'99 (4) + DO'8E (10). The
    ciphertext is the plain data padded to the block size with at least one byte.
    """
    best = 0
    # the length field of DO'87 takes 1, 2 or 3 bytes depending on the ciphertext size
    for len_bytes in (1, 2, 3):
        room = response_capacity - (1 + len_bytes + 1) - 4 - 10
        if room <= 0:
            continue
        enc = (room // block) * block
        inner = enc + 1
        needed = 1 if inner < 0x80 else 2 if inner < 0x100 else 3
        if needed <= len_bytes and enc > 0:
            best = max(best, enc - 1)
    return best


def do53_header_length(size: int) -> int:
    """Bytes of tag and length around ``size`` data bytes in DO'53 (odd-INS READ BINARY)."""
    return 2 if size < 0x80 else 3 if size < 0x100 else 4


@dataclass
class ReadLimits:
    """What the link allows, from the reader/card profile or from probing."""

    extended: bool = False
    #: Maximum response data bytes (incl. SM overhead) in one APDU when extended is used.
    max_response: int = 65536
    #: Cap on the plain bytes asked per READ BINARY (None: as large as the link allows). Used
    #: to reproduce other readers' fixed chunk sizes (JMRTD 0xDF, NFCPassportReader 0xA0).
    max_chunk: int | None = None
    #: Try READ BINARY by short EF identifier before SELECT (saves one APDU per file).
    sfi: bool = True


class FileReader:
    """Whole-file reads over ``channel`` within ``limits``.

    ``probing``: extended length is allowed by the reader but the chip has not said whether it
    takes it (:mod:`cccd_reader.iso7816.extended_length`). Then the first extended READ BINARY
    is the probe: answered, extended length is confirmed; refused in the clear, the reader
    drops to short APDUs at once (no ladder of extended sizes); refused under secure messaging
    or not answered, :class:`ExtendedLengthRefusedError` ends the session for the opener to
    reopen it with short APDUs.
    """

    def __init__(
        self, channel: ApduChannel, limits: ReadLimits | None = None, *, probing: bool = False
    ) -> None:
        self.channel = channel
        self.limits = limits or ReadLimits()
        self._ladder = self._build_ladder()
        self._rung = 0
        #: Cleared for the rest of the session once the chip refuses an SFI read.
        self.sfi_enabled = self.limits.sfi
        self.probing = probing and self.limits.extended
        #: The chip refused the probe in the clear and the reads went on short.
        self.refused_in_clear = False

    def _build_ladder(self) -> list[int]:
        """Plain chunk sizes from largest to smallest for the current SM state."""
        sm = self.channel.sm
        block = sm.cipher.block_size if sm is not None else 0
        sizes: list[int] = []
        if self.limits.extended:
            cap = self.limits.max_response
            best_ext = sm_plain_capacity(cap, block) if sm else min(cap, 65536)
            for size in (best_ext, 4096, 2048, 1024):
                if 256 < size <= best_ext and size not in sizes:
                    sizes.append(size)
        # some readers cannot even carry a full short answer (uTrust 3720: 253-byte APDUs)
        short_cap = min(256, self.limits.max_response)
        short_best = sm_plain_capacity(short_cap, block) if sm else short_cap
        for size in (short_best, *SHORT_LADDER):
            if size <= short_best and size not in sizes:
                sizes.append(size)
        most = self.limits.max_chunk
        if most is not None:
            sizes = [s for s in sizes if s <= most] or [max(1, most)]
        return sizes

    def reset_for_session(self) -> None:
        """Recompute sizes after secure messaging starts or changes cipher. What the plain
        reads learnt about extended length stays: ``limits`` already says short."""
        self._ladder = self._build_ladder()
        self._rung = 0

    def _go_short(self) -> None:
        """Short APDUs from now on, for this session and (remembered) this tap."""
        self.limits = ReadLimits(
            extended=False, max_response=self.limits.max_response,
            max_chunk=self.limits.max_chunk, sfi=self.limits.sfi,
        )
        self.probing = False
        self.reset_for_session()
        remember_short(self.channel.transport)

    def _send_read(self, cmd: CommandAPDU) -> ResponseAPDU | None:
        """Send a READ BINARY; while probing, judge an extended one.

        Returns None when the chip refused extended length in the clear and the command must
        be built again with the (now short) chunk size.
        """
        if not self.probing or (cmd.le or 0) <= MAX_SHORT_LE:
            return self.channel.send(cmd)
        under_sm = self.channel.sm is not None
        try:
            resp = self.channel.send(cmd)
        except SecureMessagingError as exc:
            raise ExtendedLengthRefusedError(
                f"the chip refused an extended-length READ BINARY under secure messaging ({exc})"
            ) from exc
        except TransportError as exc:
            raise ExtendedLengthRefusedError(
                "the chip did not answer an extended-length READ BINARY",
                card_lost=True, under_sm=under_sm,
            ) from exc
        if resp.ok or (resp.sw == 0x6282 and resp.data) or resp.sw in _FILE_SW:
            if resp.ok or resp.data:
                self.probing = False  # answered: the chip carries extended length
            return resp
        if under_sm:
            raise ExtendedLengthRefusedError(
                f"the chip refused an extended-length READ BINARY under secure messaging "
                f"({describe_sw(resp.sw)})", sw=resp.sw,
            )
        log.debug("extended READ BINARY refused in the clear (%s): short APDUs from now on",
                  describe_sw(resp.sw))
        self.refused_in_clear = True
        self._go_short()
        return None

    @property
    def chunk(self) -> int:
        return self._ladder[self._rung]

    def select_ef(self, fid: int) -> None:
        resp = self.channel.send(CommandAPDU(0x00, 0xA4, 0x02, 0x0C, fid.to_bytes(2, "big")))
        if resp.sw == 0x6A82:
            raise FileNotFoundOnCardError(f"file {fid:04X} not found", sw=resp.sw)
        if resp.sw == 0x6982:
            raise SecurityStatusNotSatisfiedError(
                f"file {fid:04X} needs access rights we do not have", sw=resp.sw
            )
        if not resp.ok:
            raise CardError(f"SELECT {fid:04X} failed: {describe_sw(resp.sw)}", sw=resp.sw)

    def select_application(self, aid: bytes) -> None:
        resp = self.channel.send(CommandAPDU(0x00, 0xA4, 0x04, 0x0C, aid))
        if not resp.ok:
            raise CardError(
                f"SELECT application {aid.hex().upper()} failed: {describe_sw(resp.sw)}",
                sw=resp.sw,
            )

    def _read_binary(self, offset: int, size: int) -> ResponseAPDU | None:
        if offset <= MAX_EVEN_OFFSET:
            cmd = CommandAPDU(0x00, 0xB0, offset >> 8, offset & 0xFF, le=size)
            return self._send_read(cmd)
        do54 = tlv.encode(0x54, offset.to_bytes(3 if offset > 0xFFFF else 2, "big"))
        # Le counts the DO'53 wrapper around the data too
        le = size + do53_header_length(size)
        resp = self._send_read(CommandAPDU(0x00, 0xB1, 0x00, 0x00, do54, le=le))
        if resp is None or not resp.data:
            return resp
        try:
            obj, end = tlv.decode_one(resp.data)
        except TLVError as exc:
            raise CardError(f"malformed odd-INS READ BINARY answer: {exc}") from exc
        if obj.tag != 0x53 or end != len(resp.data):
            raise CardError("odd-INS READ BINARY answer is not a single DO'53")
        return ResponseAPDU(obj.value, resp.sw)

    def _read_chunk(self, offset: int, want: int) -> bytes:
        """Read up to ``want`` bytes at ``offset``, stepping down the ladder on refusals."""
        while True:
            size = min(want, self.chunk)
            if offset > MAX_EVEN_OFFSET:
                size = min(size, self.chunk - do53_header_length(self.chunk))
            resp = self._read_binary(offset, size)
            if resp is None:
                continue  # extended length refused in the clear: again, short
            if resp.ok or (resp.sw == 0x6282 and resp.data):
                if not resp.data:
                    raise ReadIncompleteError(f"chip returned no data at offset {offset}")
                if len(resp.data) > size:
                    # more than Le: a broken or hostile chip; its bytes cannot be placed
                    raise CardError(
                        f"chip answered {len(resp.data)} bytes to a READ BINARY of {size}"
                    )
                return resp.data
            if resp.sw == 0x6982:
                raise SecurityStatusNotSatisfiedError(
                    "the file needs access rights we do not have", sw=resp.sw
                )
            if (resp.sw in _STEP_DOWN_SW or resp.sw1 == 0x6C) and self._rung + 1 < len(
                self._ladder
            ):
                self._rung += 1
                log.debug(
                    "READ BINARY of %d refused with %s; stepping down to %d",
                    size, describe_sw(resp.sw), self.chunk,
                )
                continue
            raise CardError(
                f"READ BINARY at offset {offset} failed: {describe_sw(resp.sw)}", sw=resp.sw
            )

    def read_file(
        self,
        fid: int,
        *,
        progress: ProgressFn | None = None,
        name: str = "",
        sfi: int | None = None,
    ) -> bytes:
        """Read the EF whole (by ``sfi`` when given and the chip takes it, else SELECT first);
        its size comes from its outer TLV header."""
        label = name or f"{fid:04X}"
        if sfi is not None and self.sfi_enabled:
            first = self._read_first_by_sfi(sfi, label)
            if first is not None:
                return self._read_rest(first, progress, label)
        self.select_ef(fid)
        return self.read_selected(progress=progress, name=label)

    def _read_first_by_sfi(self, sfi: int, name: str) -> bytes | None:
        """First chunk of the file with short EF identifier ``sfi``; None: use SELECT instead."""
        if not 1 <= sfi <= 30:
            raise ValueError(f"short EF identifier {sfi} out of range")
        while True:
            resp = self._send_read(CommandAPDU(0x00, 0xB0, 0x80 | sfi, 0x00, le=self.chunk))
            if resp is None:
                continue  # extended length refused in the clear: again, short
            if resp.ok or (resp.sw == 0x6282 and resp.data):
                if not resp.data:
                    raise ReadIncompleteError(f"chip returned no data for {name}")
                if len(resp.data) > self.chunk:
                    raise CardError(
                        f"chip answered {len(resp.data)} bytes to a READ BINARY of {self.chunk}"
                    )
                return resp.data
            if resp.sw == 0x6982:
                raise SecurityStatusNotSatisfiedError(
                    f"file {name} needs access rights we do not have", sw=resp.sw
                )
            if resp.sw == 0x6A82:
                return None  # maybe absent, maybe no SFI: the SELECT tells
            if resp.sw in (0x6700, 0x6282) and self._rung + 1 < len(self._ladder):
                self._rung += 1
                continue
            log.debug(
                "READ BINARY by SFI refused with %s; selecting files from now on",
                describe_sw(resp.sw),
            )
            self.sfi_enabled = False
            return None

    def read_selected(self, *, progress: ProgressFn | None = None, name: str = "") -> bytes:
        first = self._read_chunk(0, self.chunk)
        return self._read_rest(first, progress, name)

    def _read_rest(self, first: bytes, progress: ProgressFn | None, name: str) -> bytes:
        try:
            _, length, header = tlv.decode_header(first)
        except TLVError as exc:
            if len(first) < 6:
                # the header may straddle the first answer if the chip sent very little
                first += self._read_chunk(len(first), 6)
                try:
                    _, length, header = tlv.decode_header(first)
                except TLVError as exc2:
                    raise CardError(f"file {name} does not start with a TLV: {exc2}") from exc2
            else:
                raise CardError(f"file {name} does not start with a TLV: {exc}") from exc
        total = header + length
        if total > MAX_FILE_SIZE:
            raise CardError(f"file {name} announces {total} bytes, over the {MAX_FILE_SIZE} limit")
        buf = bytearray(first[:total])
        if progress:
            progress(name, len(buf), total)
        while len(buf) < total:
            try:
                chunk = self._read_chunk(len(buf), total - len(buf))
            except (ReadIncompleteError, CardError) as exc:
                _mark_truncated(exc, name, len(buf), total)
                raise
            buf += chunk
            if progress:
                progress(name, len(buf), total)
        return bytes(buf)


#: Answers by which a chip itself says a file ends before its TLV header said it would.
_END_OF_FILE_SW = frozenset({0x6B00, 0x6282})


def _mark_truncated(exc: ReadIncompleteError | CardError, name: str, have: int, total: int) -> None:
    """Tell callers which file stopped where, and whether the chip said it had no more.

    A file shorter than its own header is the chip's data, not a link fault: applications show
    it as data that cannot be proven (``params["truncated"] == "yes"``), not as "try again".
    """
    ended = isinstance(exc, ReadIncompleteError) or (
        isinstance(exc, CardError) and exc.sw in _END_OF_FILE_SW
    )
    exc.params.setdefault("file", name)
    exc.params.setdefault("offset", str(have))
    exc.params.setdefault("announced", str(total))
    if ended:
        exc.params.setdefault("truncated", "yes")
