"""A virtual eMRTD chip that serves a ``cccd-dump/1`` with ICAO access control.

It is the project's test partner and the built-in demo card, so it behaves like a strict chip:
no LDS data before authentication, secure messaging enforced afterwards (a plain command or a
bad MAC ends the session), ISO 7816 status words on every error path, DG3/DG4 refused without
terminal authentication. It runs in process (``process(bytes) -> bytes``) or behind the real
``pcscd`` through :mod:`cccd_sim.vpcd`.
"""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from cccd_reader.access import bac
from cccd_reader.dump import CardDump
from cccd_reader.errors import ParseError, SecureMessagingError, TransportTimeoutError
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.apdu import CommandAPDU, ResponseAPDU
from cccd_reader.iso7816.efreader import do53_header_length
from cccd_reader.iso7816.extended_length import (
    CAP_EXTENDED_LC_LE,
    EF_ATR_INFO_FID,
    TAG_EXTENDED_LENGTH_INFO,
)
from cccd_reader.iso7816.sm import SecureMessaging
from cccd_reader.lds.dg1 import parse_dg1
from cccd_reader.lds.files import FILES, LDS1_AID
from cccd_reader.mrz import MRZ
from cccd_reader.mrz import parse as parse_mrz
from cccd_reader.rng import Rng

if TYPE_CHECKING:
    from cccd_sim.auth_chip import ActiveAuthChip, ChipAuthChip

log = logging.getLogger(__name__)


SW_OK = 0x9000
SW_WRONG_LENGTH = 0x6700
SW_SECURITY = 0x6982
SW_CONDITIONS = 0x6985
SW_NO_EF = 0x6986
SW_SM_MISSING = 0x6987
SW_SM_INCORRECT = 0x6988
SW_WRONG_DATA = 0x6A80
SW_NOT_FOUND = 0x6A82
SW_WRONG_P1P2 = 0x6A86
SW_REF_NOT_FOUND = 0x6A88
SW_OFFSET = 0x6B00
SW_INS = 0x6D00
SW_CLA = 0x6E00
SW_AUTH_FAILED = 0x6300
#: The selected-file name of EF.ATR/INFO (not an LDS file: it is made from the config).
ATR_INFO = "EF.ATR/INFO"


def do53_payload_for_le(le: int) -> int:
    """Most data bytes whose DO'53 fits ``le`` bytes: the chip's inverse of the reader's
    :func:`~cccd_reader.iso7816.efreader.do53_header_length` (Le counts the wrapper)."""
    for header in (2, 3, 4):
        if do53_header_length(le - header) == header:
            return le - header
    return max(0, le - 4)


def chip_mutual_authenticate(
    cmd_data: bytes, rnd_ic: bytes, k_ic: bytes, kenc: bytes, kmac: bytes
) -> tuple[bytes, bac.SessionKeys] | None:
    """BAC's chip half: verify the terminal's cryptogram; return (response, keys) or None if
    wrong (the terminal half is :mod:`cccd_reader.access.bac`)."""
    if len(cmd_data) != 40:
        return None
    e_ifd, m_ifd = cmd_data[:32], cmd_data[32:]
    if not hmac.compare_digest(bac.cryptogram_mac(kmac, e_ifd), m_ifd):
        return None
    plain = bac.cbc_decrypt(kenc, e_ifd)
    rnd_ifd, got_rnd_ic, k_ifd = plain[:8], plain[8:16], plain[16:]
    if not hmac.compare_digest(got_rnd_ic, rnd_ic):
        return None
    e_ic = bac.cbc_encrypt(kenc, rnd_ic + rnd_ifd + k_ic)
    keys = bac.derive_session_keys(k_ifd, k_ic, rnd_ic, rnd_ifd)
    return e_ic + bac.cryptogram_mac(kmac, e_ic), keys



#: How the chip tells a reader whether it takes extended length: in the ATR's card
#: capabilities, in EF.ATR/INFO (the ATR says nothing), or not at all.
Announce = Literal["atr", "ef", "none"]
#: How it refuses an extended APDU it does not take: 6700 in the clear and 6988 (session
#: ended) under secure messaging, or no answer at all.
Refusal = Literal["status", "silent"]
#: ``cccd simulate --extended MODE``: chips as other manufacturers make them.
#: mode -> (takes extended length, how it says so, how it refuses).
EXTENDED_MODES: dict[str, tuple[bool, Announce, Refusal]] = {
    "yes": (True, "atr", "status"),  # says yes in its ATR (our samples)
    "no": (False, "atr", "status"),  # says no in its ATR and refuses extended APDUs
    "ef": (True, "ef", "status"),  # the ATR says nothing, EF.ATR/INFO says yes
    "unknown": (True, "none", "status"),  # says nothing, takes them
    "unknown-6700": (False, "none", "status"),  # says nothing, 6700 in clear / 6988 under SM
    "unknown-silent": (False, "none", "silent"),  # says nothing, goes mute on one
}
#: Historical bytes after the card capabilities: our name, as card issuer's data (tag 5).
_ISSUER_DATA = b"\x58CCCDVIRT"


def historical_bytes_for(config: ChipConfig) -> bytes:
    """The ATR's historical bytes: compact-TLV (category 80) with card capabilities (tag 7:
    DF selection by name and FID, SFI; b7 of the third byte = extended Lc/Le) when the chip
    announces in its ATR; otherwise a proprietary name, which says nothing about lengths."""
    if config.extended_announce != "atr":
        return config.historical_bytes
    third = CAP_EXTENDED_LC_LE if config.extended_length else 0x00
    return b"\x80\x73\x94\x00" + bytes([third]) + _ISSUER_DATA


def atr_info_for(config: ChipConfig) -> bytes:
    """EF.ATR/INFO's extended length information (DO'7F66': largest command, response)."""
    largest = min(65544, config.max_read + 2)
    return tlv.encode(
        TAG_EXTENDED_LENGTH_INFO,
        tlv.encode(0x02, (65544).to_bytes(3, "big")) + tlv.encode(0x02, largest.to_bytes(3, "big")),
    )


def contactless_atr(historical: bytes) -> bytes:
    """The ATR a PC/SC reader synthesises for an ISO 14443-4 card (PC/SC Part 3 §3.1.3.2.3)."""
    if len(historical) > 15:
        raise ValueError("at most 15 historical bytes")
    body = bytes([0x80 | len(historical), 0x80, 0x01]) + historical
    tck = 0
    for b in body:
        tck ^= b
    return b"\x3b" + body + bytes([tck])


@dataclass
class ChipConfig:
    """Behaviour knobs; card profiles (cccd_reader/data/cards) fill these in."""

    bac: bool = True
    pace: bool = True  # effective only when the dump has EF.CardAccess
    extended_length: bool = True
    #: Most plain data bytes the chip returns to one READ BINARY.
    max_read: int = 65536
    #: Vietnamese cards answer SELECT MF with 6D00.
    select_mf_supported: bool = True
    #: READ BINARY by short EF identifier (P1 = 0x80|SFI); False: 6A86, as chips without it.
    sfi_supported: bool = True
    #: Status word when READ BINARY reaches the end before Le bytes (ISO allows 6282 or 9000).
    eof_sw: int = SW_OK
    #: Historical bytes of a chip that does not announce its lengths in the ATR.
    historical_bytes: bytes = b"CCCDVIRT"
    #: Where the chip says whether it takes extended length (see :data:`EXTENDED_MODES`).
    extended_announce: Announce = "atr"
    #: How it refuses an extended APDU when it does not take them.
    extended_refusal: Refusal = "status"
    #: Files that answer 6982 even after BAC/PACE (need terminal authentication).
    eac_protected: frozenset[str] = frozenset({"DG3", "DG4"})
    #: Answer INTERNAL AUTHENTICATE / Chip Authentication when the dump's secrets hold the keys
    #: (False: the chip answers 6D00, like one whose applet lacks the protocol).
    active_auth: bool = True
    chip_auth: bool = True
    #: A clone: the files are copied byte for byte but the chip signs with its own AA key and
    #: agrees CA keys with its own CA key, not those DG15/DG14 advertise.
    clone: bool = False
    #: Only the AA key, or only the CA key, is wrong (a partly cloned or misissued chip).
    wrong_active_auth_key: bool = False
    wrong_chip_auth_key: bool = False


class PaceChipProtocol(Protocol):
    """What the chip-side PACE implementation offers (see :mod:`cccd_sim.pace_chip`)."""

    def handle(self, cmd: CommandAPDU) -> ResponseAPDU: ...

    @property
    def established(self) -> SecureMessaging | None: ...


PaceFactory = Callable[["VirtualChip"], PaceChipProtocol]


@dataclass
class _State:
    in_application: bool = False
    selected: str | None = None
    challenge: bytes | None = None
    sm: SecureMessaging | None = None
    authenticated: bool = False
    pace: PaceChipProtocol | None = None
    #: A session that replaces ``sm`` once the current answer is out (Chip Authentication).
    pending_sm: SecureMessaging | None = None
    extra: dict[str, object] = field(default_factory=dict)


class VirtualChip:
    def __init__(
        self,
        dump: CardDump,
        config: ChipConfig | None = None,
        *,
        rng: Rng = os.urandom,
        pace_factory: PaceFactory | None = None,
        active_auth: ActiveAuthChip | None = None,
        chip_auth: ChipAuthChip | None = None,
    ) -> None:
        self.dump = dump
        self.config = config or ChipConfig()
        self.rng = rng
        self._pace_factory = pace_factory
        self._active_auth = active_auth
        self._chip_auth = chip_auth
        self._bac_keys: tuple[bytes, bytes] | None = None
        mrz = self.mrz
        if mrz is not None:
            self._bac_keys = bac.document_keys(mrz.mrz_information())
        self.state = _State()
        self.apdu_count = 0

    @property
    def mrz(self) -> MRZ | None:
        """The chip's own MRZ: the dump's access data, else DG1 (the chip knows its MRZ)."""
        if self.dump.access.mrz:
            return parse_mrz(self.dump.access.mrz)
        if "DG1" in self.dump.files:
            try:
                return parse_dg1(self.dump.files["DG1"], strict=False)
            except ParseError:
                return None
        return None

    @property
    def atr(self) -> bytes:
        return contactless_atr(historical_bytes_for(self.config))

    @property
    def has_pace(self) -> bool:
        return self.config.pace and "EF.CardAccess" in self.dump.files

    def reset(self) -> None:
        """Power cycle: every session secret is forgotten."""
        self.state = _State()
        if self._chip_auth is not None:
            self._chip_auth.reset()

    # ------------------------------------------------------------------ dispatch

    def process(self, raw: bytes) -> bytes:
        """One APDU in, its answer out; a chip that goes mute on an extended APDU raises
        :class:`TransportTimeoutError` (what a reader reports; behind vpcd the card is
        silent for ``--silent-seconds``)."""
        self.apdu_count += 1
        return self.transmit(raw).to_bytes()

    def transmit(self, raw: bytes) -> ResponseAPDU:
        try:
            cmd = CommandAPDU.from_bytes(raw)
        except ParseError:
            return ResponseAPDU(b"", SW_WRONG_LENGTH)
        if cmd.extended and not self.config.extended_length:
            return self._refuse_extended(cmd)
        if cmd.cla & 0x0C:
            return self._process_protected(cmd)
        if self.state.sm is not None:
            # a plain command inside an SM session ends it (ICAO 9303-11 §9.8.7)
            self._drop_session()
            return ResponseAPDU(b"", SW_SM_MISSING)
        return self._dispatch(cmd)

    def _refuse_extended(self, cmd: CommandAPDU) -> ResponseAPDU:
        """An extended APDU this chip does not take: as other chips refuse it."""
        if self.config.extended_refusal == "silent":
            self._drop_session()
            raise TransportTimeoutError("the card did not answer an extended-length command")
        if cmd.cla & 0x0C and self.state.sm is not None:
            # under secure messaging: the object cannot be checked, the session ends
            self._drop_session()
            return ResponseAPDU(b"", SW_SM_INCORRECT)
        return ResponseAPDU(b"", SW_WRONG_LENGTH)

    def _drop_session(self) -> None:
        self.state.sm = None
        self.state.pending_sm = None
        self.state.authenticated = False
        if self._chip_auth is not None:
            self._chip_auth.reset()

    def _process_protected(self, cmd: CommandAPDU) -> ResponseAPDU:
        sm = self.state.sm
        if sm is None:
            return ResponseAPDU(b"", SW_SM_MISSING)
        try:
            plain = sm.unprotect_command(cmd)
        except SecureMessagingError as exc:
            log.debug("virtual chip: SM error (%s); session ended", exc)
            self._drop_session()
            return ResponseAPDU(b"", SW_SM_INCORRECT)
        resp = self._dispatch(plain)
        if self.state.sm is not sm:
            return resp  # the command itself replaced the session (not used by BAC)
        out = sm.protect_response(resp, odd_ins=bool(plain.ins & 1))
        if self.state.pending_sm is not None:
            # Chip Authentication: the answer goes out under the old keys, then they change
            self.state.sm, self.state.pending_sm = self.state.pending_sm, None
        return out

    def _dispatch(self, cmd: CommandAPDU) -> ResponseAPDU:
        if cmd.cla & 0xE0 and cmd.cla & 0xF0 != 0x10:
            return ResponseAPDU(b"", SW_CLA)
        handler = {
            0xA4: self._select,
            0xB0: self._read_binary,
            0xB1: self._read_binary,
            0x84: self._get_challenge,
            0x82: self._mutual_authenticate,
            0x22: self._mse,
            0x86: self._general_authenticate,
            0x88: self._internal_authenticate,
        }.get(cmd.ins)
        if handler is None:
            return ResponseAPDU(b"", SW_INS)
        return handler(cmd)

    # ------------------------------------------------------------------ files

    def _select(self, cmd: CommandAPDU) -> ResponseAPDU:
        if cmd.p1 == 0x04:
            if cmd.data == LDS1_AID:
                self.state.in_application = True
                self.state.selected = None
                return ResponseAPDU(b"", SW_OK)
            return ResponseAPDU(b"", SW_NOT_FOUND)
        if cmd.p1 == 0x00 and cmd.data in (b"", b"\x3f\x00"):
            if not self.config.select_mf_supported:
                return ResponseAPDU(b"", SW_INS)
            self.state.in_application = False
            self.state.selected = None
            return ResponseAPDU(b"", SW_OK)
        if cmd.p1 in (0x02, 0x00) and len(cmd.data) == 2:
            fid = int.from_bytes(cmd.data, "big")
            if fid == EF_ATR_INFO_FID and self.config.extended_announce == "ef":
                self.state.selected = ATR_INFO
                return ResponseAPDU(b"", SW_OK)
            for name, info in FILES.items():
                if info.fid != fid:
                    continue
                # EF.CardAccess/CardSecurity live in the MF; the rest in the application.
                # Like real chips, MF files stay reachable by FID from inside the application.
                if info.in_application and not self.state.in_application:
                    continue
                if not info.in_application and self.state.in_application and fid == 0x011D:
                    continue  # 011D inside the application is EF.SOD
                if name not in self.dump.files:
                    continue
                if info.in_application and not self.state.authenticated:
                    return ResponseAPDU(b"", SW_SECURITY)
                self.state.selected = name
                return ResponseAPDU(b"", SW_OK)
            return ResponseAPDU(b"", SW_NOT_FOUND)
        return ResponseAPDU(b"", SW_WRONG_P1P2)

    def _select_by_sfi(self, sfi: int) -> ResponseAPDU | None:
        """Make the EF with short identifier ``sfi`` in the current DF the current EF, as a
        READ BINARY with P1 = 0x80|SFI does; an error answer when it cannot."""
        for name, info in FILES.items():
            if info.sfi != sfi or info.in_application != self.state.in_application:
                continue
            if name not in self.dump.files:
                continue
            if info.in_application and not self.state.authenticated:
                return ResponseAPDU(b"", SW_SECURITY)
            self.state.selected = name
            return None
        return ResponseAPDU(b"", SW_NOT_FOUND)

    def _read_binary(self, cmd: CommandAPDU) -> ResponseAPDU:
        if cmd.ins == 0xB0:
            if cmd.p1 & 0x80:
                if not self.config.sfi_supported or cmd.p1 & 0x60:
                    return ResponseAPDU(b"", SW_WRONG_P1P2)
                refused = self._select_by_sfi(cmd.p1 & 0x1F)
                if refused is not None:
                    return refused
                offset = cmd.p2
            else:
                offset = (cmd.p1 << 8) | cmd.p2
        else:
            try:
                obj = tlv.decode(cmd.data)
            except ParseError:
                return ResponseAPDU(b"", SW_WRONG_DATA)
            if obj.tag != 0x54 or not 1 <= len(obj.value) <= 3:
                return ResponseAPDU(b"", SW_WRONG_DATA)
            offset = int.from_bytes(obj.value, "big")
        name = self.state.selected
        if name is None:
            return ResponseAPDU(b"", SW_NO_EF)
        if name == ATR_INFO:
            data = atr_info_for(self.config)
        else:
            if FILES[name].in_application and not self.state.authenticated:
                return ResponseAPDU(b"", SW_SECURITY)
            if name in self.config.eac_protected:
                return ResponseAPDU(b"", SW_SECURITY)
            data = self.dump.files[name]
        if offset > len(data):
            return ResponseAPDU(b"", SW_OFFSET)
        le = cmd.le if cmd.le is not None else 256
        count = min(le, self.config.max_read)
        if cmd.ins == 0xB1:
            count = do53_payload_for_le(count)  # Le includes the DO'53 wrapper
        chunk = data[offset : offset + count]
        sw = self.config.eof_sw if len(chunk) < le and cmd.ins == 0xB0 else SW_OK
        if cmd.ins == 0xB1:
            return ResponseAPDU(tlv.encode(0x53, chunk), sw)
        return ResponseAPDU(chunk, sw)

    # ------------------------------------------------------------------ BAC

    def _get_challenge(self, cmd: CommandAPDU) -> ResponseAPDU:
        if not self.config.bac or self._bac_keys is None:
            return ResponseAPDU(b"", SW_REF_NOT_FOUND)
        if cmd.le != 8:
            return ResponseAPDU(b"", SW_WRONG_LENGTH)
        self._drop_session()
        self.state.challenge = self.rng(8)
        return ResponseAPDU(self.state.challenge, SW_OK)

    def _mutual_authenticate(self, cmd: CommandAPDU) -> ResponseAPDU:
        if not self.config.bac or self._bac_keys is None:
            return ResponseAPDU(b"", SW_REF_NOT_FOUND)
        challenge, self.state.challenge = self.state.challenge, None
        if challenge is None:
            return ResponseAPDU(b"", SW_CONDITIONS)
        if len(cmd.data) != 40:
            return ResponseAPDU(b"", SW_WRONG_LENGTH)
        kenc, kmac = self._bac_keys
        result = chip_mutual_authenticate(cmd.data, challenge, self.rng(16), kenc, kmac)
        if result is None:
            return ResponseAPDU(b"", SW_AUTH_FAILED)
        data, keys = result
        self._install_sm(SecureMessaging.from_keys("3DES", keys.ks_enc, keys.ks_mac, keys.ssc))
        return ResponseAPDU(data, SW_OK)

    def _install_sm(self, sm: SecureMessaging) -> None:
        self.state.sm = sm
        self.state.authenticated = True

    # ------------------------------------------------------------------ AA and CA

    def _mse(self, cmd: CommandAPDU) -> ResponseAPDU:
        # 41A6 (Set KAT) and 41A4 (Set AT for CA) belong to Chip Authentication; C1A4 to PACE
        if (cmd.p1, cmd.p2) in ((0x41, 0xA6), (0x41, 0xA4)):
            return self._chip_authentication(cmd)
        return self._pace(cmd)

    def _general_authenticate(self, cmd: CommandAPDU) -> ResponseAPDU:
        if self._chip_auth is not None and self._chip_auth.awaiting_general_authenticate:
            return self._chip_authentication(cmd)
        return self._pace(cmd)

    def _chip_authentication(self, cmd: CommandAPDU) -> ResponseAPDU:
        if self._chip_auth is None or not self.config.chip_auth:
            return ResponseAPDU(b"", SW_INS if cmd.p1 == 0x41 else SW_CONDITIONS)
        if self.state.sm is None or not self.state.authenticated:
            return ResponseAPDU(b"", SW_SECURITY)  # CA runs inside a BAC/PACE session
        resp = self._chip_auth.handle(cmd)
        established = self._chip_auth.take_established()
        if established is not None:
            self.state.pending_sm = established
        return resp

    def _internal_authenticate(self, cmd: CommandAPDU) -> ResponseAPDU:
        if self._active_auth is None or not self.config.active_auth:
            return ResponseAPDU(b"", SW_INS)
        if not self.state.authenticated:
            return ResponseAPDU(b"", SW_SECURITY)
        return self._active_auth.handle(cmd)

    # ------------------------------------------------------------------ PACE

    def _pace(self, cmd: CommandAPDU) -> ResponseAPDU:
        if not self.has_pace or self._pace_factory is None:
            return ResponseAPDU(b"", SW_INS)
        if cmd.ins == 0x22 and cmd.p1 == 0xC1 and cmd.p2 == 0xA4:
            # MSE:Set AT for PACE starts a fresh protocol run
            self._drop_session()
            self.state.pace = self._pace_factory(self)
        if self.state.pace is None:
            return ResponseAPDU(b"", SW_CONDITIONS)
        resp = self.state.pace.handle(cmd)
        established = self.state.pace.established
        if established is not None:
            # the final GENERAL AUTHENTICATE answer goes out in plain; SM starts afterwards
            self.state.pace = None
            self._install_sm(established)
        return resp
