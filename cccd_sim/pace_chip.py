"""The chip half of PACE (ICAO 9303 Part 11 §4.4) for the virtual eMRTD.

:class:`PaceChip` answers MSE:Set AT (C1A4) and the chain of GENERAL AUTHENTICATE commands
exactly as §4.4.4-4.4.5 describe, with the cryptography of :mod:`cccd_reader.access.pace`, so
the terminal and the chip cannot drift apart. It is strict, because a lenient test partner
hides terminal bugs that real chips would punish:

* commands out of sequence, or with the wrong chaining bit, get 6985 and abort the run;
* malformed data (bad TLV, missing or surplus data objects, invalid public keys) gets 6A80;
* an unknown protocol OID gets 6A80, an unavailable password or domain 6A88 (Set AT table);
* a wrong terminal token gets 6300 and the run starts over from MSE:Set AT.

Once the last step succeeds, :attr:`PaceChip.established` holds the chip's secure messaging
session (SSC 0) for the surrounding virtual chip to switch to. Commands arrive here already
unwrapped from any secure messaging; chaining of APDU *responses* (61xx) is left to the
surrounding chip, which owns GET RESPONSE.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from Crypto.Cipher import AES

from cccd_reader.access import pace
from cccd_reader.access.ecc import Curve
from cccd_reader.access.kdf import KPI, kdf, session_keys
from cccd_reader.access.pace import (
    TAG_ENCRYPTED_CA_DATA,
    TAG_ENCRYPTED_NONCE,
    TAG_EPHEMERAL_CHIP,
    TAG_EPHEMERAL_TERMINAL,
    TAG_MAPPING_CHIP,
    TAG_MAPPING_TERMINAL,
    TAG_TOKEN_CHIP,
    TAG_TOKEN_TERMINAL,
    PaceError,
    PaceGroup,
)
from cccd_reader.access.passwords import PasswordKind
from cccd_reader.errors import TLVError
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.apdu import CommandAPDU, ResponseAPDU
from cccd_reader.iso7816.sm import SecureMessaging, pad
from cccd_reader.lds.security_infos import PaceAlgorithm, PACEInfo
from cccd_reader.rng import Rng

SW_OK = 0x9000
SW_AUTH_FAILED = 0x6300
SW_CHAINING_UNSUPPORTED = 0x6884
SW_CONDITIONS = 0x6985
SW_WRONG_DATA = 0x6A80
SW_WRONG_P1P2 = 0x6A86
SW_REF_NOT_FOUND = 0x6A88
SW_INS = 0x6D00

INS_MSE = 0x22
INS_GENERAL_AUTHENTICATE = 0x86


# --- what only the chip computes (the terminal inverts these: cccd_reader.access.pace) ---


def encrypt_nonce(algorithm: PaceAlgorithm, k_pi: bytes, nonce: bytes) -> bytes:
    """z = E(K_π, s) in CBC mode with a zero IV (§4.4.3.3)."""
    return pace.cbc(algorithm, k_pi, nonce)


def chip_authentication_data(curve: Curve, static_private: int, mapping_private: int) -> bytes:
    """CA_IC = SK_IC^-1 · SK_Map,IC mod n, as FE2OS at the length of n (§4.4.3.5.1, §4.4.5.6)."""
    value = pow(static_private, -1, curve.n) * mapping_private % curve.n
    return value.to_bytes(curve.order_size, "big")


def encrypt_chip_authentication_data(ks_enc: bytes, ca_data: bytes) -> bytes:
    """A_IC = E(KS_enc, CA_IC): AES-CBC with IV = E(KS_enc, -1), padding method 2."""
    return bytes(AES.new(ks_enc, AES.MODE_CBC, iv=pace.cam_iv(ks_enc)).encrypt(pad(ca_data, 16)))


class _Reject(Exception):
    def __init__(self, sw: int) -> None:
        super().__init__(f"{sw:04X}")
        self.sw = sw


@dataclass(frozen=True)
class PaceChipSession:
    """What the chip knows after a successful PACE run (for Terminal Authentication, logs)."""

    sm: SecureMessaging
    protocol_oid: str
    password: PasswordKind
    parameter_id: int | None
    terminal_public_key: bytes
    chip_public_key: bytes


@dataclass
class _Run:
    """State of one PACE run, from MSE:Set AT to the last GENERAL AUTHENTICATE."""

    info: PACEInfo
    algorithm: PaceAlgorithm
    group: PaceGroup[Any]
    k_pi: bytes
    password: PasswordKind
    step: int = 1  # the next GENERAL AUTHENTICATE step expected (1..4)
    nonce: bytes = b""
    map_private: int = 0
    generator: Any = None
    public: Any = None
    terminal_public: Any = None
    terminal_public_wire: bytes = b""
    public_wire: bytes = b""
    ks_enc: bytes = b""
    ks_mac: bytes = b""


class PaceChip:
    """Chip side of PACE for the PACEInfos it announces.

    ``mrz_key`` / ``can_key`` are the password encodings f(π) (see
    :class:`~cccd_reader.access.passwords.Password`); a password left out is "not available"
    (6A88). ``cam_private_key`` is the static Chip Authentication key needed for PACE-CAM
    (its keyId equals the CAM PACEInfo's parameterId, §9.2.1).
    """

    def __init__(
        self,
        infos: Sequence[PACEInfo],
        *,
        mrz_key: bytes | None = None,
        can_key: bytes | None = None,
        cam_private_key: int | None = None,
        rng: Rng | None = None,
    ) -> None:
        self._infos: list[tuple[PACEInfo, PaceAlgorithm, PaceGroup[Any]]] = []
        for info in infos:
            algorithm = info.algorithm
            if algorithm is None or info.parameter_id is None:
                raise ValueError(f"PaceChip cannot offer {info.protocol} without parameters")
            group = pace.make_group(pace.standard_domain(info.parameter_id))
            pace.check_compatible(algorithm, group)
            if algorithm.mapping == "CAM":
                if cam_private_key is None or not isinstance(group.domain, Curve):
                    raise ValueError("PACE-CAM needs a static chip authentication key")
                if not 0 < cam_private_key < group.order:
                    raise ValueError("the chip authentication key is out of range")
            self._infos.append((info, algorithm, group))
        if not self._infos:
            raise ValueError("PaceChip needs at least one PACEInfo")
        self._passwords: dict[int, tuple[PasswordKind, bytes]] = {}
        if mrz_key is not None:
            self._passwords[0x01] = ("MRZ", mrz_key)
        if can_key is not None:
            self._passwords[0x02] = ("CAN", can_key)
        self._cam_private_key = cam_private_key
        self._rng: Rng = rng or os.urandom
        self._run: _Run | None = None
        self._session: PaceChipSession | None = None

    # ----- public state -----

    @property
    def established(self) -> SecureMessaging | None:
        """The chip's SM session after a successful run; None before (or after a new Set AT)."""
        return None if self._session is None else self._session.sm

    @property
    def session(self) -> PaceChipSession | None:
        return self._session

    def reset(self) -> None:
        """Forget any run and session (card removed, application reselected)."""
        self._run = None
        self._session = None

    # ----- dispatch -----

    def handles(self, cmd: CommandAPDU) -> bool:
        """Whether this command belongs to PACE (for the surrounding chip's dispatcher)."""
        return (cmd.ins == INS_MSE and (cmd.p1, cmd.p2) == pace.P1P2_SET_AT_PACE) or (
            cmd.ins == INS_GENERAL_AUTHENTICATE
        )

    def handle(self, cmd: CommandAPDU) -> ResponseAPDU:
        try:
            if cmd.ins == INS_MSE:
                return self._set_at(cmd)
            if cmd.ins == INS_GENERAL_AUTHENTICATE:
                return self._general_authenticate(cmd)
            return ResponseAPDU(b"", SW_INS)
        except _Reject as rej:
            if cmd.ins == INS_GENERAL_AUTHENTICATE:
                self._run = None  # any failed step aborts the run
            return ResponseAPDU(b"", rej.sw)

    # ----- MSE:Set AT -----

    def _set_at(self, cmd: CommandAPDU) -> ResponseAPDU:
        if (cmd.p1, cmd.p2) != pace.P1P2_SET_AT_PACE:
            raise _Reject(SW_WRONG_P1P2)
        if cmd.cla & pace.CLA_CHAINING:
            raise _Reject(SW_CHAINING_UNSUPPORTED)
        self._run = None
        self._session = None
        try:
            objs = tlv.decode_all(cmd.data)
        except TLVError:
            raise _Reject(SW_WRONG_DATA) from None
        seen: dict[int, bytes] = {}
        for obj in objs:
            if obj.tag in seen:
                raise _Reject(SW_WRONG_DATA)
            seen[obj.tag] = obj.value  # unknown tags are ignored (§4.4.4.1, note 2)
        oid_value, ref, pid = seen.get(0x80), seen.get(0x83), seen.get(0x84)
        if oid_value is None or ref is None or len(ref) != 1:
            raise _Reject(SW_WRONG_DATA)
        if ref[0] not in (0x01, 0x02):
            raise _Reject(SW_WRONG_DATA)
        matches = [e for e in self._infos if pace.oid_contents(e[0].protocol) == oid_value]
        if not matches:
            raise _Reject(SW_WRONG_DATA)  # algorithm not supported
        if pid is not None:
            if not pid or len(pid) > 4:
                raise _Reject(SW_WRONG_DATA)
            wanted = int.from_bytes(pid, "big")
            matches = [e for e in matches if e[0].parameter_id == wanted]
            if not matches:
                raise _Reject(SW_REF_NOT_FOUND)
        elif len(matches) > 1:
            raise _Reject(SW_WRONG_DATA)  # ambiguous: DO'84 is required (§4.4.4.1)
        password = self._passwords.get(ref[0])
        if password is None:
            raise _Reject(SW_REF_NOT_FOUND)
        info, algorithm, group = matches[0]
        kind, key_input = password
        k_pi = kdf(key_input, KPI, cipher=algorithm.cipher, key_bits=algorithm.key_bits)
        self._run = _Run(info, algorithm, group, k_pi, kind)
        return ResponseAPDU(b"", SW_OK)

    # ----- GENERAL AUTHENTICATE -----

    def _general_authenticate(self, cmd: CommandAPDU) -> ResponseAPDU:
        run = self._run
        if run is None:
            raise _Reject(SW_CONDITIONS)
        if (cmd.p1, cmd.p2) != (0, 0):
            raise _Reject(SW_WRONG_P1P2)
        chained = bool(cmd.cla & pace.CLA_CHAINING)
        if chained != (run.step < 4):
            raise _Reject(SW_CONDITIONS)  # the chain must end exactly at the last step
        try:
            objs = pace.parse_dynamic_authentication_data(cmd.data)
        except PaceError:
            raise _Reject(SW_WRONG_DATA) from None
        try:
            if run.step == 1:
                out = self._step_nonce(run, objs)
            elif run.step == 2:
                out = self._step_map(run, objs)
            elif run.step == 3:
                out = self._step_key_agreement(run, objs)
            else:
                out = self._step_mutual_authentication(run, objs)
        except PaceError:
            raise _Reject(SW_WRONG_DATA) from None
        run.step += 1
        return ResponseAPDU(pace.dynamic_authentication_data(out), SW_OK)

    @staticmethod
    def _only(objs: dict[int, bytes], tag: int | None) -> bytes:
        expected = set() if tag is None else {tag}
        if set(objs) != expected:
            raise _Reject(SW_WRONG_DATA)
        return b"" if tag is None else objs[tag]

    def _step_nonce(self, run: _Run, objs: dict[int, bytes]) -> list[tuple[int, bytes]]:
        self._only(objs, None)
        run.nonce = pace.draw(self._rng, pace.nonce_length(run.algorithm))
        encrypted = encrypt_nonce(run.algorithm, run.k_pi, run.nonce)
        return [(TAG_ENCRYPTED_NONCE, encrypted)]

    def _step_map(self, run: _Run, objs: dict[int, bytes]) -> list[tuple[int, bytes]]:
        data = self._only(objs, TAG_MAPPING_TERMINAL)
        group = run.group
        if run.algorithm.mapping == "IM":
            r = pace.integrated_mapping_prf(run.algorithm, run.nonce, data, group.prime)
            run.generator = group.integrated_map(r)
            return [(TAG_MAPPING_CHIP, b"")]
        terminal_map = group.decode(data)
        run.map_private = group.random_private(self._rng)
        h = group.exp(run.map_private, terminal_map)
        run.generator = group.generic_map(int.from_bytes(run.nonce, "big"), h)
        return [(TAG_MAPPING_CHIP, group.encode(group.standard_public_key(run.map_private)))]

    def _step_key_agreement(self, run: _Run, objs: dict[int, bytes]) -> list[tuple[int, bytes]]:
        group = run.group
        run.terminal_public_wire = self._only(objs, TAG_EPHEMERAL_TERMINAL)
        run.terminal_public = group.decode(run.terminal_public_wire)
        private = group.random_private(self._rng)
        run.public = group.exp(private, run.generator)
        run.public_wire = group.encode(run.public)
        if run.public == run.terminal_public:
            raise PaceError("terminal and chip ephemeral keys coincide")
        secret = group.shared_secret(private, run.terminal_public)
        run.ks_enc, run.ks_mac = session_keys(
            secret, cipher=run.algorithm.cipher, key_bits=run.algorithm.key_bits
        )
        return [(TAG_EPHEMERAL_CHIP, run.public_wire)]

    def _step_mutual_authentication(
        self, run: _Run, objs: dict[int, bytes]
    ) -> list[tuple[int, bytes]]:
        token = self._only(objs, TAG_TOKEN_TERMINAL)
        group, algorithm, oid = run.group, run.algorithm, run.info.protocol
        expected = pace.authentication_token(
            algorithm, run.ks_mac, group.token_input(oid, run.public_wire)
        )
        if not hmac.compare_digest(expected, token):
            raise _Reject(SW_AUTH_FAILED)
        out = [
            (
                TAG_TOKEN_CHIP,
                pace.authentication_token(
                    algorithm, run.ks_mac, group.token_input(oid, run.terminal_public_wire)
                ),
            )
        ]
        if algorithm.mapping == "CAM":
            curve = group.domain
            assert isinstance(curve, Curve) and self._cam_private_key is not None
            ca = chip_authentication_data(curve, self._cam_private_key, run.map_private)
            out.append(
                (TAG_ENCRYPTED_CA_DATA, encrypt_chip_authentication_data(run.ks_enc, ca))
            )
        self._session = PaceChipSession(
            sm=SecureMessaging.from_keys(algorithm.cipher, run.ks_enc, run.ks_mac, 0),
            protocol_oid=oid,
            password=run.password,
            parameter_id=run.info.parameter_id,
            terminal_public_key=run.terminal_public_wire,
            chip_public_key=run.public_wire,
        )
        self._run = None
        return out
