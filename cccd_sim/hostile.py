"""A hostile virtual chip: answers that a cloned, damaged or malicious card could give.

:mod:`cccd_sim.faults` models what goes wrong at a counter (the card leaves, a bit
flips). This module models a chip that lies on purpose, to prove the reader's contract: every
read either ends in a :class:`~cccd_reader.errors.CccdError` within a bounded time and memory,
or yields a record whose verdict cannot be ``genuine`` unless its bytes are the real ones.

Three layers are attacked, because the reader defends each separately:

* file contents (served inside a valid secure-messaging session, so the MAC checks pass and only
  the TLV and size checks stand in the way): a header announcing 16 MB, a header announcing more
  than the file holds, TLV nesting bombs, files that never end, empty 9000 answers, more data
  than Le;
* the secure-messaging wire: wrong MACs, replayed answers, 9000 without SM objects, truncated
  SM objects, endless 61xx / 6Cxx;
* the whole card: a chip with an ATR that answers nothing, or a valid-looking SOD that is
  signed by the real Document Signer key but hashes other data (see :func:`wrong_sod_dump`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Literal, cast, get_args

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from cccd_reader.dump import CardDump
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.apdu import CommandAPDU, ResponseAPDU
from cccd_reader.lds.files import dg_number
from cccd_sim.chip import SW_OK, ChipConfig, VirtualChip, do53_payload_for_le

HostileMode = Literal[
    # file contents, inside a valid SM session
    "huge_length",  # target's TLV header announces 16 MB
    "length_beyond_file",  # target's header announces ~900 KB, the file holds its real bytes
    "nesting_bomb",  # target's value is thousands of nested constructed TLVs
    "endless_file",  # target announces ~1 MB and READ BINARY returns data at any offset
    "empty_ok",  # READ BINARY of the target answers 9000 with no data
    "oversized",  # READ BINARY answers more bytes than Le asked for
    # the secure-messaging wire, once a session is up
    "wrong_mac",
    "replay",  # the answer of the previous protected command, sent again
    "ok_no_sm",  # plain 9000, no SM data objects
    "truncated_sm",  # SM objects cut short: DO'8E announces more than is there
    "loop_61",  # 61xx forever (GET RESPONSE never ends)
    "loop_6c",  # 6Cxx forever (wrong-Le retries never end)
    # the whole card
    "silent",  # ATR only: every APDU gets an empty answer
]
HOSTILE_MODES: tuple[HostileMode, ...] = get_args(HostileMode)
#: Modes that rewrite the served files before the chip starts.
_FILE_MODES = frozenset({"huge_length", "length_beyond_file", "nesting_bomb", "endless_file"})
#: Modes that change READ BINARY answers of the chip, under valid secure messaging.
_READ_MODES = frozenset({"endless_file", "empty_ok", "oversized"})
_READ_BINARY = frozenset({0xB0, 0xB1})
NESTING_DEPTH = 5000
SIXTEEN_MB = 16 * 1024 * 1024


def nesting_bomb(depth: int = NESTING_DEPTH) -> bytes:
    """``depth`` nested constructed TLVs: tiny on the wire, deadly for a recursive parser."""
    value = b""
    for _ in range(depth):
        value = tlv.encode(0xA1, value)
    return value


def _outer_tag(data: bytes) -> bytes:
    _, pos = tlv.decode_tag(data, 0)
    return data[:pos]


def _announce(data: bytes, length: int) -> bytes:
    """The file with its outer header rewritten to announce ``length`` value bytes."""
    _, _, header = tlv.decode_header(data)
    return _outer_tag(data) + b"\x84" + length.to_bytes(4, "big") + data[header:]


def hostile_files(files: Mapping[str, bytes], mode: HostileMode, target: str) -> dict[str, bytes]:
    """The files a chip in ``mode`` serves (only the file modes change them)."""
    out = dict(files)
    data = out[target]
    if mode == "huge_length":
        out[target] = _announce(data, SIXTEEN_MB)
    elif mode == "length_beyond_file":
        out[target] = _announce(data, 900_000)
    elif mode == "nesting_bomb":
        out[target] = _outer_tag(data) + tlv.encode_length(len(bomb := nesting_bomb())) + bomb
    elif mode == "endless_file":
        out[target] = _announce(data, 1024 * 1024 - 16)
    return out


class _HostileVirtualChip(VirtualChip):
    """The virtual chip with READ BINARY answers bent by ``mode`` for ``target``."""

    mode: HostileMode = "empty_ok"
    target: str = "DG2"

    def _read_binary(self, cmd: CommandAPDU) -> ResponseAPDU:
        resp = super()._read_binary(cmd)
        if self.mode not in _READ_MODES or self.state.selected != self.target:
            return resp
        le = cmd.le if cmd.le is not None else 256
        if self.mode == "empty_ok":
            return ResponseAPDU(b"", SW_OK)
        if self.mode == "oversized":
            return ResponseAPDU(resp.data + b"\xee" * 64, SW_OK)
        # endless_file: past the real end the chip keeps answering, always with a full Le
        if cmd.ins == 0xB1:
            data = tlv.decode(resp.data).value if resp.data else b""
            room = do53_payload_for_le(min(le, self.config.max_read))
            filler = b"\x5a" * max(0, room - len(data))
            return ResponseAPDU(tlv.encode(0x53, data + filler), SW_OK)
        filler = b"\x5a" * max(0, min(le, self.config.max_read) - len(resp.data))
        return ResponseAPDU(resp.data + filler, SW_OK)


class HostileChip:
    """A virtual chip of ``card`` that misbehaves as ``mode`` says (see :data:`HostileMode`).

    ``target`` names the file whose contents the file modes attack (EF.COM, EF.SOD or a data
    group). Works like the other simulated cards: ``process(bytes) -> bytes``, ``atr``,
    ``reset()``, so it runs in process or behind vpcd.
    """

    def __init__(
        self,
        card: CardDump,
        mode: HostileMode,
        *,
        target: str = "DG2",
        config: ChipConfig | None = None,
    ) -> None:
        from cccd_sim.cards import chip_for_dump

        if mode not in HOSTILE_MODES:
            raise ValueError(f"unknown hostile mode {mode!r}")
        # borrow the AA / CA / PACE behaviour chip_for_dump gives the real card's profile: the
        # chip keeps its keys, only what it serves is bent
        base = chip_for_dump(card, config)
        if mode in _FILE_MODES:
            card = replace(card, files=hostile_files(card.files, mode, target))
        chip = _HostileVirtualChip(
            card,
            base.config,
            rng=base.rng,
            pace_factory=base._pace_factory,
            active_auth=base._active_auth,
            chip_auth=base._chip_auth,
        )
        chip.mode = mode
        chip.target = target
        self.chip: VirtualChip = chip
        self.mode = mode
        self.target = target
        self._last_protected: bytes | None = None
        #: Set once a loop mode has started: from then on the chip answers nothing else.
        self._looping = False
        self.apdus = 0

    @property
    def atr(self) -> bytes:
        return self.chip.atr

    def reset(self) -> None:
        self.chip.reset()
        self._last_protected = None
        self._looping = False

    def process(self, apdu: bytes) -> bytes:
        self.apdus += 1
        if self.mode == "silent":
            return b""
        in_session = self.chip.state.sm is not None and len(apdu) >= 4 and bool(apdu[0] & 0x0C)
        attacked = in_session and apdu[1] in _READ_BINARY
        if self.mode in ("loop_61", "loop_6c") and (attacked or self._looping):
            self._looping = True
            return b"\x61\x10" if self.mode == "loop_61" else b"\x6c\x10"
        if attacked and self.mode == "ok_no_sm":
            self.chip.process(apdu)  # the chip's counter still moves on
            return b"\x90\x00"
        out = self.chip.process(apdu)
        if not in_session:
            return out
        previous, self._last_protected = self._last_protected, out
        if not attacked:
            return out
        if self.mode == "replay" and previous is not None:
            return previous
        if self.mode == "wrong_mac" and len(out) > 10:
            # the MAC is the last 8 bytes before SW1 SW2
            return out[:-3] + bytes([out[-3] ^ 0x01]) + out[-2:]
        if self.mode == "truncated_sm" and len(out) > 8:
            return out[:-8] + out[-2:]
        return out


def wrong_sod_dump(
    card: CardDump,
    *,
    private_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
    certificate: x509.Certificate,
    other: Mapping[str, bytes],
    signing_time: datetime | None = None,
) -> CardDump:
    """``card`` with an EF.SOD properly signed by ``private_key`` over the hashes of ``other``
    in place of the card's own data groups of the same names.

    What a forger holding a Document Signer key (or replaying a genuine SOD of another holder)
    could produce: signature and chain verify, only the data-group hashes can tell.
    """
    from cccd_reader.lds.sod import HashName, parse_sod
    from cccd_sim.sod_builder import SignatureScheme, build_sod

    algorithm = cast(HashName, parse_sod(card.files["EF.SOD"]).hash_algorithm)
    hashes: dict[int, bytes] = {}
    for name, data in card.files.items():
        number = dg_number(name)
        if number is not None:
            hashes[number] = hashlib.new(algorithm, other.get(name, data)).digest()
    is_ec = isinstance(private_key, ec.EllipticCurvePrivateKey)
    scheme: SignatureScheme = "ecdsa-sha256" if is_ec else "rsa-pkcs1-sha256"
    sod = build_sod(
        hashes,
        private_key=private_key,
        certificate=certificate,
        hash_algorithm=algorithm,
        signature=scheme,
        signing_time=signing_time,
    )
    return replace(card, files={**card.files, "EF.SOD": sod})
