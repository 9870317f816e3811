"""The chip half of Active Authentication and Chip Authentication for the virtual eMRTD.

:class:`ActiveAuthChip` answers INTERNAL AUTHENTICATE with the signature of
:func:`cccd_reader.auth.active.sign_challenge`; :class:`ChipAuthChip` answers MSE:Set KAT,
MSE:Set AT (41A4) and GENERAL AUTHENTICATE and hands the new secure-messaging session to the
surrounding chip, which switches to it only *after* the answer has gone out under the old keys
(ICAO 9303-11 §6.2.4). The cryptography is the terminal's own (:mod:`cccd_reader.auth`), so the
two sides cannot drift apart, and both classes are strict like :mod:`.pace_chip`: anything out of
sequence or malformed gets the ISO 7816 status word a real chip would give.

A clone is simulated by giving these classes a private key other than the one DG14/DG15
advertise (see :func:`other_key_like` and the ``clone`` knobs of
:class:`~cccd_sim.chip.ChipConfig`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from asn1crypto import core
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from cccd_reader.access.pace import PaceError
from cccd_reader.auth import chip as ca
from cccd_reader.auth.active import CHALLENGE_LENGTH
from cccd_reader.errors import TLVError
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.apdu import CommandAPDU, ResponseAPDU
from cccd_reader.iso7816.sm import SecureMessaging
from cccd_reader.lds.security_infos import (
    ChipAuthenticationInfo,
    ChipAuthenticationPublicKeyInfo,
    SecurityInfo,
)
from cccd_reader.rng import Rng
from cccd_sim.aa_signer import sign_challenge

AAPrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

SW_OK = 0x9000
SW_WRONG_LENGTH = 0x6700
SW_CONDITIONS = 0x6985
SW_WRONG_DATA = 0x6A80
SW_WRONG_P1P2 = 0x6A86
SW_REF_NOT_FOUND = 0x6A88
SW_INS = 0x6D00


class ActiveAuthChip:
    """Signs INTERNAL AUTHENTICATE challenges with the chip's AA private key.

    ``signature_algorithm`` is the OID of DG14's ActiveAuthenticationInfo (EC keys only);
    ``hash_name`` the ISO 9796-2 hash of RSA keys (SHA-1 with trailer BC unless told otherwise).
    """

    def __init__(
        self,
        private_key: AAPrivateKey,
        *,
        signature_algorithm: str | None = None,
        hash_name: str = "sha1",
        rng: Rng = os.urandom,
    ) -> None:
        if isinstance(private_key, ec.EllipticCurvePrivateKey) and signature_algorithm is None:
            raise ValueError("an ECDSA AA chip needs the signature algorithm of DG14")
        self.private_key = private_key
        self.signature_algorithm = signature_algorithm
        self.hash_name = hash_name
        self.rng = rng

    def handle(self, cmd: CommandAPDU) -> ResponseAPDU:
        if (cmd.p1, cmd.p2) != (0x00, 0x00):
            return ResponseAPDU(b"", SW_WRONG_P1P2)
        if len(cmd.data) != CHALLENGE_LENGTH:
            return ResponseAPDU(b"", SW_WRONG_LENGTH)
        signature = sign_challenge(
            self.private_key,
            cmd.data,
            signature_algorithm=self.signature_algorithm,
            rng=self.rng,
            hash_name=self.hash_name,
        )
        return ResponseAPDU(signature, SW_OK)


@dataclass(frozen=True)
class _ChipKey:
    public: ca.ChipKey
    private: int
    algorithms: frozenset[str]


class _Reject(Exception):
    def __init__(self, sw: int) -> None:
        super().__init__(f"{sw:04X}")
        self.sw = sw


class ChipAuthChip:
    """Chip Authentication v1 for the keys DG14 announces.

    ``private_keys`` maps each key's keyId (None for a key without one) to its private scalar
    (EC) or exponent (DH). The protocols offered per key are those of DG14's
    ChipAuthenticationInfos, or 3DES alone when DG14 lists only keys (§9.2.5).
    """

    def __init__(
        self, infos: Sequence[SecurityInfo], private_keys: Mapping[int | None, int]
    ) -> None:
        key_infos = [i for i in infos if isinstance(i, ChipAuthenticationPublicKeyInfo)]
        ca_infos = [i for i in infos if isinstance(i, ChipAuthenticationInfo)]
        self._keys: dict[int | None, _ChipKey] = {}
        for info in key_infos:
            public = ca.chip_key(info)
            if info.key_id not in private_keys:
                raise ValueError(f"no private key for chip authentication key {info.key_id}")
            offered = {
                c.protocol for c in ca_infos
                if c.protocol in ca.CA_ALGORITHMS
                and (c.key_id == info.key_id or (
                    c.key_id is None
                    and ca.CA_ALGORITHMS[c.protocol].key_agreement == public.key_agreement))
            }
            if not ca_infos:
                offered = {ca.default_algorithm(public.key_agreement).oid}
            self._keys[info.key_id] = _ChipKey(
                public, private_keys[info.key_id], frozenset(offered)
            )
        if not self._keys:
            raise ValueError("ChipAuthChip needs at least one chip authentication key")
        self._pending: tuple[ca.CAAlgorithm, _ChipKey] | None = None
        self._established: SecureMessaging | None = None

    @property
    def awaiting_general_authenticate(self) -> bool:
        return self._pending is not None

    def reset(self) -> None:
        self._pending = None
        self._established = None

    def take_established(self) -> SecureMessaging | None:
        """The session to switch to once the current answer is out (then forgotten here)."""
        sm, self._established = self._established, None
        return sm

    # ----- dispatch -----

    def handles(self, cmd: CommandAPDU) -> bool:
        return (cmd.ins == ca.INS_MSE and (cmd.p1, cmd.p2) in (ca.P1P2_SET_KAT,
                                                                 ca.P1P2_SET_AT_CA)) or (
            cmd.ins == ca.INS_GENERAL_AUTHENTICATE and self._pending is not None
        )

    def handle(self, cmd: CommandAPDU) -> ResponseAPDU:
        try:
            if cmd.ins == ca.INS_MSE and (cmd.p1, cmd.p2) == ca.P1P2_SET_KAT:
                self._pending = None
                return self._set_kat(cmd)
            if cmd.ins == ca.INS_MSE and (cmd.p1, cmd.p2) == ca.P1P2_SET_AT_CA:
                self._pending = None
                return self._set_at(cmd)
            if cmd.ins == ca.INS_GENERAL_AUTHENTICATE:
                return self._general_authenticate(cmd)
            return ResponseAPDU(b"", SW_INS)
        except _Reject as rej:
            self._pending = None
            return ResponseAPDU(b"", rej.sw)

    @staticmethod
    def _objects(data: bytes) -> dict[int, bytes]:
        try:
            objs = tlv.decode_all(data)
        except TLVError:
            raise _Reject(SW_WRONG_DATA) from None
        out: dict[int, bytes] = {}
        for obj in objs:
            if obj.tag in out:
                raise _Reject(SW_WRONG_DATA)
            out[obj.tag] = obj.value
        return out

    def _key(self, objs: dict[int, bytes]) -> _ChipKey:
        raw = objs.get(ca.TAG_KEY_ID)
        if raw is None:
            if len(self._keys) != 1:
                raise _Reject(SW_REF_NOT_FOUND)  # several keys: the terminal must name one
            return next(iter(self._keys.values()))
        key = self._keys.get(int.from_bytes(raw, "big")) if raw else None
        if key is None:
            raise _Reject(SW_REF_NOT_FOUND)
        return key

    def _agree(self, algorithm: ca.CAAlgorithm, key: _ChipKey, terminal_public: bytes) -> None:
        group = key.public.group
        try:
            peer = group.decode(terminal_public)
            secret = group.shared_secret(key.private, peer)
        except PaceError:
            raise _Reject(SW_WRONG_DATA) from None
        self._established = ca.session_from_secret(algorithm, secret)

    def _set_kat(self, cmd: CommandAPDU) -> ResponseAPDU:
        objs = self._objects(cmd.data)
        key = self._key(objs)
        algorithm = ca.default_algorithm(key.public.key_agreement)
        if algorithm.oid not in key.algorithms:
            raise _Reject(SW_CONDITIONS)
        public = objs.get(ca.TAG_EPHEMERAL_KAT)
        if public is None:
            raise _Reject(SW_WRONG_DATA)
        self._agree(algorithm, key, public)
        return ResponseAPDU(b"", SW_OK)

    def _set_at(self, cmd: CommandAPDU) -> ResponseAPDU:
        objs = self._objects(cmd.data)
        oid_value = objs.get(ca.TAG_OID)
        if oid_value is None:
            raise _Reject(SW_WRONG_DATA)
        try:
            oid = core.ObjectIdentifier.load(tlv.encode(0x06, oid_value), strict=True).dotted
        except ValueError:
            raise _Reject(SW_WRONG_DATA) from None
        algorithm = ca.CA_ALGORITHMS.get(oid)
        if algorithm is None or algorithm.cipher != "AES":
            raise _Reject(SW_WRONG_DATA)
        key = self._key(objs)
        if oid not in key.algorithms:
            raise _Reject(SW_WRONG_DATA)
        self._pending = (algorithm, key)
        return ResponseAPDU(b"", SW_OK)

    def _general_authenticate(self, cmd: CommandAPDU) -> ResponseAPDU:
        pending, self._pending = self._pending, None
        if pending is None:
            raise _Reject(SW_CONDITIONS)
        if (cmd.p1, cmd.p2) != (0x00, 0x00) or cmd.cla & 0x10:
            raise _Reject(SW_WRONG_P1P2)
        try:
            outer = tlv.decode(cmd.data)
            if outer.tag != 0x7C:
                raise _Reject(SW_WRONG_DATA)
            inner = {o.tag: o.value for o in outer.children()}
        except TLVError:
            raise _Reject(SW_WRONG_DATA) from None
        public = inner.get(ca.TAG_EPHEMERAL_GA)
        if public is None or len(inner) != 1:
            raise _Reject(SW_WRONG_DATA)
        self._agree(*pending, public)
        return ResponseAPDU(tlv.encode(0x7C, b""), SW_OK)


# --- keys for clones ---------------------------------------------------------------------------


def other_key_like(key: AAPrivateKey) -> AAPrivateKey:
    """A fresh key of the same type and size: what a clone that copied the files would hold."""
    if isinstance(key, rsa.RSAPrivateKey):
        return rsa.generate_private_key(public_exponent=65537, key_size=key.key_size)
    return ec.generate_private_key(key.curve)


def other_scalar(order: int, rng: Rng = os.urandom) -> int:
    """A private value other than the genuine one (same group), for a cloned CA key."""
    from cccd_reader.access.pace import random_scalar

    return random_scalar(rng, order)
