"""PACE v2 (ICAO 9303 Part 11 §4.4): the terminal, and the cryptography both sides share.

:func:`perform_pace` drives MSE:Set AT and the chain of four GENERAL AUTHENTICATE commands over
an :class:`~cccd_reader.iso7816.transport.ApduChannel` and installs secure messaging. The steps
it is made of (the nonce's cipher, Generic / Integrated / Chip Authentication Mapping, key
agreement, authentication tokens, the chip authentication data's IV) are public functions and
:class:`PaceGroup` methods, because the virtual chip (:mod:`cccd_sim.pace_chip`) must
compute exactly the same values and the worked examples of Appendices G-I check them one by
one. What only the chip computes (encrypting the nonce, the chip authentication data) is the
chip's, in :mod:`cccd_sim.pace_chip`.

Encodings, since interoperability lives or dies on them:

* EC points are always uncompressed with both coordinates at the full field length; the ECDH
  shared secret is the x-coordinate at the full field length (TR-03111 FE2OS), and so is the
  PACE-CAM chip authentication data (at the length of the group order, §4.4.5.6).
* The DH shared secret is an octet string as long as p (PKCS #3), leading zeros kept.
* DH public values are sent as unsigned integers in their minimal encoding, as §9.4.1 and the
  note to Table 10 require ("DH public key may be encoded over a number of bytes smaller than
  the number of bytes of the prime"). Received values are accepted with or without leading
  zeros, and each authentication token is computed over the public value exactly as it crossed
  the wire, which is what a peer with either habit computes on its side.

Key agreement on the final shared secret uses ``cryptography``'s ECDH (which also validates the
peer's point); the arithmetic on the mapped generator, which no library exposes for brainpool
curves, is in :mod:`cccd_reader.access.ecc`. DH uses Python's modular exponentiation.
"""

from __future__ import annotations

import hmac
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from asn1crypto import core, keys
from Crypto.Cipher import AES, DES3
from Crypto.Hash import CMAC
from cryptography.hazmat.primitives.asymmetric import ec

from cccd_reader import oids
from cccd_reader.access import ecc
from cccd_reader.access.ecc import Curve, Point
from cccd_reader.access.kdf import session_keys
from cccd_reader.access.passwords import Password, PasswordKind
from cccd_reader.errors import (
    ASN1_ERRORS,
    AccessDeniedError,
    AccessError,
    CardError,
    LDSError,
    ProtocolNotSupportedError,
    SecureMessagingError,
    TLVError,
)
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.apdu import CommandAPDU, ResponseAPDU, describe_sw
from cccd_reader.iso7816.sm import SecureMessaging, pad, retail_mac, unpad
from cccd_reader.iso7816.transport import ApduChannel
from cccd_reader.lds.security_infos import (
    ID_STANDARDIZED_DOMAIN_PARAMETERS,
    STANDARD_DOMAIN_PARAMETERS,
    ChipAuthenticationPublicKeyInfo,
    PaceAlgorithm,
    PACEDomainParameterInfo,
    PACEInfo,
    SecurityInfo,
)
from cccd_reader.rng import Rng

MappingName = Literal["GM", "IM", "CAM"]

#: Tags of the Dynamic Authentication Data (Table 4).
TAG_DYNAMIC_AUTH = 0x7C
TAG_ENCRYPTED_NONCE = 0x80
TAG_MAPPING_TERMINAL = 0x81
TAG_MAPPING_CHIP = 0x82
TAG_EPHEMERAL_TERMINAL = 0x83
TAG_EPHEMERAL_CHIP = 0x84
TAG_TOKEN_TERMINAL = 0x85
TAG_TOKEN_CHIP = 0x86
TAG_CAR = 0x87
TAG_CAR_PREVIOUS = 0x88
TAG_ENCRYPTED_CA_DATA = 0x8A
TAG_PUBLIC_KEY = 0x7F49

INS_MSE = 0x22
INS_GENERAL_AUTHENTICATE = 0x86
P1P2_SET_AT_PACE = (0xC1, 0xA4)
CLA_CHAINING = 0x10

#: Nonces are a block or two; anything longer from a chip is an error, not a reason to loop.
MAX_NONCE_LENGTH = 64

SW_OK = 0x9000
#: "Authentication failed" / "security status not satisfied": the password did not match.
_SW_DENIED = {0x6300, 0x6982}


class PaceError(AccessError):
    """PACE failed on malformed or inconsistent protocol data (not on a wrong password)."""


# --- domain parameters -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DHGroup:
    """A MODP group with a prime-order subgroup (RFC 5114 §2.1-2.3)."""

    name: str
    p: int
    g: int
    q: int

    @property
    def size(self) -> int:
        return (self.p.bit_length() + 7) // 8


MODP_1024_160 = DHGroup(
    "1024-bit MODP Group with 160-bit Prime Order Subgroup",
    int(
        "b10b8f96a080e01dde92de5eae5d54ec52c99fbcfb06a3c69a6a9dca52d23b61"
        "6073e28675a23d189838ef1e2ee652c013ecb4aea906112324975c3cd49b83bf"
        "accbdd7d90c4bd7098488e9c219a73724effd6fae5644738faa31a4ff55bccc0"
        "a151af5f0dc8b4bd45bf37df365c1a65e68cfda76d4da708df1fb2bc2e4a4371",
        16,
    ),
    int(
        "a4d1cbd5c3fd34126765a442efb99905f8104dd258ac507fd6406cff14266d31"
        "266fea1e5c41564b777e690f5504f213160217b4b01b886a5e91547f9e2749f4"
        "d7fbd7d3b9a92ee1909d0d2263f80a76a6a24c087a091f531dbf0a0169b6a28a"
        "d662a4d18e73afa32d779d5918d08bc8858f4dcef97c2a24855e6eeb22b3b2e5",
        16,
    ),
    int("f518aa8781a8df278aba4e7d64b7cb9d49462353", 16),
)
MODP_2048_224 = DHGroup(
    "2048-bit MODP Group with 224-bit Prime Order Subgroup",
    int(
        "ad107e1e9123a9d0d660faa79559c51fa20d64e5683b9fd1b54b1597b61d0a75"
        "e6fa141df95a56dbaf9a3c407ba1df15eb3d688a309c180e1de6b85a1274a0a6"
        "6d3f8152ad6ac2129037c9edefda4df8d91e8fef55b7394b7ad5b7d0b6c12207"
        "c9f98d11ed34dbf6c6ba0b2c8bbc27be6a00e0a0b9c49708b3bf8a3170918836"
        "81286130bc8985db1602e714415d9330278273c7de31efdc7310f7121fd5a074"
        "15987d9adc0a486dcdf93acc44328387315d75e198c641a480cd86a1b9e587e8"
        "be60e69cc928b2b9c52172e413042e9b23f10b0e16e79763c9b53dcf4ba80a29"
        "e3fb73c16b8e75b97ef363e2ffa31f71cf9de5384e71b81c0ac4dffe0c10e64f",
        16,
    ),
    int(
        "ac4032ef4f2d9ae39df30b5c8ffdac506cdebe7b89998caf74866a08cfe4ffe3"
        "a6824a4e10b9a6f0dd921f01a70c4afaab739d7700c29f52c57db17c620a8652"
        "be5e9001a8d66ad7c17669101999024af4d027275ac1348bb8a762d0521bc98a"
        "e247150422ea1ed409939d54da7460cdb5f6c6b250717cbef180eb34118e98d1"
        "19529a45d6f834566e3025e316a330efbb77a86f0c1ab15b051ae3d428c8f8ac"
        "b70a8137150b8eeb10e183edd19963ddd9e263e4770589ef6aa21e7f5f2ff381"
        "b539cce3409d13cd566afbb48d6c019181e1bcfe94b30269edfe72fe9b6aa4bd"
        "7b5a0f1c71cfff4c19c418e1f6ec017981bc087f2a7065b384b890d3191f2bfa",
        16,
    ),
    int("801c0d34c58d93fe997177101f80535a4738cebcbf389a99b36371eb", 16),
)
MODP_2048_256 = DHGroup(
    "2048-bit MODP Group with 256-bit Prime Order Subgroup",
    int(
        "87a8e61db4b6663cffbbd19c651959998ceef608660dd0f25d2ceed4435e3b00"
        "e00df8f1d61957d4faf7df4561b2aa3016c3d91134096faa3bf4296d830e9a7c"
        "209e0c6497517abd5a8a9d306bcf67ed91f9e6725b4758c022e0b1ef4275bf7b"
        "6c5bfc11d45f9088b941f54eb1e59bb8bc39a0bf12307f5c4fdb70c581b23f76"
        "b63acae1caa6b7902d52526735488a0ef13c6d9a51bfa4ab3ad8347796524d8e"
        "f6a167b5a41825d967e144e5140564251ccacb83e6b486f6b3ca3f7971506026"
        "c0b857f689962856ded4010abd0be621c3a3960a54e710c375f26375d7014103"
        "a4b54330c198af126116d2276e11715f693877fad7ef09cadb094ae91e1a1597",
        16,
    ),
    int(
        "3fb32c9b73134d0b2e77506660edbd484ca7b18f21ef205407f4793a1a0ba125"
        "10dbc15077be463fff4fed4aac0bb555be3a6c1b0c6b47b1bc3773bf7e8c6f62"
        "901228f8c28cbb18a55ae31341000a650196f931c77a57f2ddf463e5e9ec144b"
        "777de62aaab8a8628ac376d282d6ed3864e67982428ebc831d14348f6f2f9193"
        "b5045af2767164e1dfc967c1fb3f2e55a4bd1bffe83b9c80d052b985d182ea0a"
        "db2a3b7313d3fe14c8484b1e052588b9b7d2bbd2df016199ecd06e1557cd0915"
        "b3353bbb64e0ec377fd028370df92b52c7891428cdc67eb6184b523d1db246c3"
        "2f63078490f00ef8d647d148d47954515e2327cfef98c582664b4c0f6cc41659",
        16,
    ),
    int("8cf83642a709a097b447997640129da299b1a47d1eb3750ba308b0fe64f5fbd3", 16),
)

#: RFC 5114 groups by standardized domain parameter ID (ICAO 9303-11 Table 12).
STANDARD_DH_GROUPS: dict[int, DHGroup] = {0: MODP_1024_160, 1: MODP_2048_224, 2: MODP_2048_256}

Domain = DHGroup | Curve


class _AlgorithmIdentifier(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012 - asn1crypto's schema convention
        ("algorithm", core.ObjectIdentifier),
        ("parameters", core.Any, {"optional": True}),
    ]


def standard_domain(parameter_id: int) -> Domain:
    """The standardized domain parameters with this ID (ICAO 9303-11 §9.5.1)."""
    if parameter_id in STANDARD_DH_GROUPS:
        return STANDARD_DH_GROUPS[parameter_id]
    if parameter_id in ecc.STANDARD_CURVES:
        return ecc.STANDARD_CURVES[parameter_id]
    entry = STANDARD_DOMAIN_PARAMETERS.get(parameter_id)
    if entry is not None:
        raise ProtocolNotSupportedError(
            f"the chip offers PACE on {entry.name}, which this reader cannot compute "
            "(the cryptography package has no such curve)"
        )
    raise ProtocolNotSupportedError(f"unknown standardized PACE domain parameters {parameter_id}")


def domain_from_info(info: PACEDomainParameterInfo) -> Domain:
    """Domain parameters announced explicitly in EF.CardAccess, accepted only when they are
    a standardized set.

    EF.CardAccess is unauthenticated, and weak parameters would leak the password (§9.2.2), so
    explicit parameters are compared against the standardized ones instead of being trusted.
    """
    try:
        alg = _AlgorithmIdentifier.load(info.domain_parameter, strict=True)
        oid = alg["algorithm"].dotted
        params = alg["parameters"]
        if params is None or isinstance(params, core.Void):
            raise PaceError("PACE domain parameters without parameters")
        if oid == ID_STANDARDIZED_DOMAIN_PARAMETERS:
            value = core.Integer.load(params.dump(), strict=True).native
            return standard_domain(int(value))
        if oid == oids.EC_PUBLIC_KEY:
            spec = keys.ECDomainParameters.load(params.dump(), strict=True)
            if spec.name != "specified":
                raise ProtocolNotSupportedError("PACE requires explicit EC domain parameters")
            s = spec.chosen
            p = int(s["field_id"]["parameters"].native)
            a = int.from_bytes(s["curve"]["a"].native, "big")
            b = int.from_bytes(s["curve"]["b"].native, "big")
            base = bytes(s["base"].native)
            n = int(s["order"].native)
            for curve in ecc.STANDARD_CURVES.values():
                if (curve.p, curve.a, curve.b, curve.n) == (p, a % p, b % p, n) and base == (
                    ecc.encode_point(curve, curve.generator)
                ):
                    return curve
            raise ProtocolNotSupportedError("the chip's explicit EC domain parameters are not "
                                            "a standardized curve; refusing to use them")
        if oid == oids.DH_PUBLIC_NUMBER:
            dh = keys.DomainParameters.load(params.dump(), strict=True)
            triple = (int(dh["p"].native), int(dh["g"].native), int(dh["q"].native))
            for group in STANDARD_DH_GROUPS.values():
                if (group.p, group.g, group.q) == triple:
                    return group
            raise ProtocolNotSupportedError("the chip's explicit DH domain parameters are not "
                                            "a standardized group; refusing to use them")
    except ASN1_ERRORS as exc:
        raise PaceError(f"malformed PACE domain parameters: {exc}") from None
    raise ProtocolNotSupportedError(f"unknown PACE domain parameter type {oid}")


# --- group operations shared by terminal and chip ----------------------------------------------

E = TypeVar("E")


def draw(rng: Rng, n: int) -> bytes:
    """n random bytes from ``rng``, refusing a generator that returns the wrong amount."""
    out = rng(n)
    if len(out) != n:
        raise ValueError(f"random generator returned {len(out)} bytes instead of {n}")
    return bytes(out)


def random_scalar(rng: Rng, order: int) -> int:
    """Uniform private key in [1, order-1] by rejection sampling on order's bit length."""
    bits = order.bit_length()
    mask = (1 << bits) - 1
    for _ in range(128):
        k = int.from_bytes(draw(rng, (bits + 7) // 8), "big") & mask
        if 1 <= k < order:
            return k
    raise ValueError("random generator keeps producing out-of-range values")


class PaceGroup(ABC, Generic[E]):
    """The group operations of one PACE domain, shared by the terminal and the virtual chip."""

    #: Tag of the public value inside the public key data object 7F49 (§9.4): 86 EC, 84 DH.
    public_key_tag: int
    key_agreement: Literal["DH", "ECDH"]

    @property
    @abstractmethod
    def domain(self) -> Domain: ...

    @property
    @abstractmethod
    def order(self) -> int: ...

    @property
    @abstractmethod
    def prime(self) -> int:
        """The field prime p (input range of the Integrated Mapping's pseudo-random function)."""

    @property
    @abstractmethod
    def element_size(self) -> int:
        """Maximum encoded size of a public value, for choosing short or extended Le."""

    @abstractmethod
    def generator(self) -> E: ...

    @abstractmethod
    def exp(self, k: int, base: E) -> E:
        """k·base (EC) or base^k (DH); PaceError if that is the neutral element."""

    @abstractmethod
    def op(self, a: E, b: E) -> E:
        """The group operation; PaceError if the result is the neutral element."""

    @abstractmethod
    def encode(self, element: E) -> bytes: ...

    @abstractmethod
    def decode(self, data: bytes) -> E:
        """Decode and validate a received public value; PaceError if invalid."""

    @abstractmethod
    def standard_public_key(self, private: int) -> E:
        """private·G on the domain's own generator (the mapping key pair of GM/CAM)."""

    @abstractmethod
    def shared_secret(self, private: int, peer: E) -> bytes:
        """The key-agreement output K as the KDF input octet string (full length)."""

    @abstractmethod
    def integrated_map(self, r: int) -> E:
        """The Integrated Mapping's f(R_p(s, t)) for r = R_p(s, t)."""

    @property
    def name(self) -> str:
        return self.domain.name

    def random_private(self, rng: Rng) -> int:
        return random_scalar(rng, self.order)

    def generic_map(self, s: int, h: E) -> E:
        """Generic Mapping: G' = s·G + H (ECDH) or g' = g^s · h (DH), §4.4.3.3.1."""
        return self.op(self.exp(s, self.generator()), h)

    def public_key_object(self, oid: str, element: E) -> bytes:
        """The public key data object 7F49 {06 OID, 86/84 value} of ``element``."""
        return self.token_input(oid, self.encode(element))

    def token_input(self, oid: str, public_value: bytes) -> bytes:
        """Authentication token input over a public value exactly as it crossed the wire.

        For EC points this is the only valid encoding anyway; for DH it means a peer that
        pads its public value to the length of p and one that does not (§9.4.1) are both
        authenticated over the bytes they actually sent and will compute themselves.
        """
        return public_key_data_object(oid, self.public_key_tag, public_value)


class ECDHGroup(PaceGroup[Point]):
    public_key_tag = 0x86
    key_agreement: Literal["DH", "ECDH"] = "ECDH"

    def __init__(self, curve: Curve) -> None:
        self.curve = curve

    @property
    def domain(self) -> Domain:
        return self.curve

    @property
    def order(self) -> int:
        return self.curve.n

    @property
    def prime(self) -> int:
        return self.curve.p

    @property
    def element_size(self) -> int:
        return 1 + 2 * self.curve.size

    def generator(self) -> Point:
        return self.curve.generator

    def exp(self, k: int, base: Point) -> Point:
        try:
            result = ecc.multiply(self.curve, k, base)
        except ecc.PointError as exc:
            raise PaceError(str(exc)) from None
        if result is None:
            raise PaceError("scalar multiplication gave the point at infinity")
        return result

    def op(self, a: Point, b: Point) -> Point:
        try:
            result = ecc.add(self.curve, a, b)
        except ecc.PointError as exc:
            raise PaceError(str(exc)) from None
        if result is None:
            raise PaceError("point addition gave the point at infinity")
        return result

    def encode(self, element: Point) -> bytes:
        return ecc.encode_point(self.curve, element)

    def decode(self, data: bytes) -> Point:
        try:
            return ecc.decode_point(self.curve, data)
        except ecc.PointError as exc:
            raise PaceError(f"invalid public key: {exc}") from None

    def standard_public_key(self, private: int) -> Point:
        numbers = ec.derive_private_key(private, self.curve.backend).public_key().public_numbers()
        return (numbers.x, numbers.y)

    def shared_secret(self, private: int, peer: Point) -> bytes:
        try:
            peer_key = ec.EllipticCurvePublicKey.from_encoded_point(
                self.curve.backend, self.encode(peer)
            )
            own = ec.derive_private_key(private, self.curve.backend)
            secret = own.exchange(ec.ECDH(), peer_key)
        except ValueError as exc:
            raise PaceError(f"key agreement failed: {exc}") from None
        return secret.rjust(self.curve.size, b"\x00")

    def integrated_map(self, r: int) -> Point:
        try:
            return ecc.point_encoding(self.curve, r)
        except ecc.PointError as exc:
            raise PaceError(str(exc)) from None


class DHPaceGroup(PaceGroup[int]):
    public_key_tag = 0x84
    key_agreement: Literal["DH", "ECDH"] = "DH"

    def __init__(self, group: DHGroup) -> None:
        self.group = group

    @property
    def domain(self) -> Domain:
        return self.group

    @property
    def order(self) -> int:
        return self.group.q

    @property
    def prime(self) -> int:
        return self.group.p

    @property
    def element_size(self) -> int:
        return self.group.size

    def generator(self) -> int:
        return self.group.g

    def _check(self, value: int) -> int:
        if value in (0, 1):
            raise PaceError("DH computation gave a degenerate value")
        return value

    def exp(self, k: int, base: int) -> int:
        return self._check(pow(base, k, self.group.p))

    def op(self, a: int, b: int) -> int:
        return self._check(a * b % self.group.p)

    def encode(self, element: int) -> bytes:
        return unsigned_integer(element)

    def decode(self, data: bytes) -> int:
        p, q = self.group.p, self.group.q
        if not data or len(data) > self.group.size:
            raise PaceError("invalid DH public value length")
        y = int.from_bytes(data, "big")
        # RFC 2631 §2.1.5: 1 < y < p-1 and y^q = 1 (mod p), i.e. y is in the prime-order subgroup
        if not 1 < y < p - 1 or pow(y, q, p) != 1:
            raise PaceError("invalid DH public value (not in the prime-order subgroup)")
        return y

    def standard_public_key(self, private: int) -> int:
        return self.exp(private, self.group.g)

    def shared_secret(self, private: int, peer: int) -> bytes:
        return self.exp(private, peer).to_bytes(self.group.size, "big")

    def integrated_map(self, r: int) -> int:
        # f_g(x) = x^a mod p with the cofactor a = (p-1)/q; must not be 1 (§4.4.3.3.2)
        p = self.group.p
        if not 1 < r < p:
            raise PaceError("integrated mapping input out of range")
        g = pow(r, (p - 1) // self.group.q, p)
        if g == 1:
            raise PaceError("integrated mapping gave the neutral element")
        return g


def make_group(domain: Domain) -> PaceGroup[Any]:
    if isinstance(domain, Curve):
        return ECDHGroup(domain)
    return DHPaceGroup(domain)


def unsigned_integer(value: int) -> bytes:
    """Minimal big-endian octets (ICAO 9303-11 §9.4.1); zero encodes as one byte."""
    return value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")


def check_compatible(algorithm: PaceAlgorithm, group: PaceGroup[Any]) -> None:
    """Refuse a protocol/domain combination the standard does not define (e.g. DH with a
    curve, or the Integrated Mapping on NIST P-224)."""
    if algorithm.key_agreement != group.key_agreement:
        raise ProtocolNotSupportedError(
            f"{algorithm.name} cannot run on {group.name} ({group.key_agreement} parameters)"
        )
    if (
        algorithm.mapping == "IM"
        and isinstance(group, ECDHGroup)
        and not ecc.supports_point_encoding(group.curve)
    ):
        raise ProtocolNotSupportedError(f"the Integrated Mapping cannot be used on {group.name}")


# --- symmetric steps ---------------------------------------------------------------------------


def _block_size(algorithm: PaceAlgorithm) -> int:
    return 8 if algorithm.cipher == "3DES" else 16


def cbc(algorithm: PaceAlgorithm, key: bytes, data: bytes, *, decrypt: bool = False) -> bytes:
    """The protocol's cipher in CBC mode with a zero IV (the nonce's encryption, §4.4.3.3)."""
    block = _block_size(algorithm)
    if not data or len(data) % block:
        raise PaceError(f"data of {len(data)} bytes is not a whole number of cipher blocks")
    try:
        if algorithm.cipher == "3DES":
            c3 = DES3.new(key, DES3.MODE_CBC, iv=bytes(8))
            return c3.decrypt(data) if decrypt else c3.encrypt(data)
        ca = AES.new(key, AES.MODE_CBC, iv=bytes(16))
        return ca.decrypt(data) if decrypt else ca.encrypt(data)
    except ValueError as exc:  # e.g. a 3DES key that degenerates to single DES
        raise PaceError(f"block cipher refused its key: {exc}") from None


def nonce_length(algorithm: PaceAlgorithm) -> int:
    """Nonce s the chip chooses (§4.4.3.3): 16 bytes, or for the Integrated Mapping the
    smallest multiple of the block size covering the cipher's key size k (3DES counts as
    k = 128)."""
    if algorithm.mapping == "IM":
        return 16 if algorithm.cipher == "3DES" or algorithm.key_bits <= 128 else 32
    return 16


def terminal_nonce_length(algorithm: PaceAlgorithm) -> int:
    """Nonce t of the Integrated Mapping: the key size k (16 bytes for two-key 3DES)."""
    return 16 if algorithm.cipher == "3DES" else algorithm.key_bits // 8


def decrypt_nonce(algorithm: PaceAlgorithm, k_pi: bytes, encrypted: bytes) -> bytes:
    """s = D(K_π, z)."""
    if len(encrypted) > MAX_NONCE_LENGTH:
        raise PaceError(f"encrypted nonce of {len(encrypted)} bytes is implausibly long")
    return cbc(algorithm, k_pi, encrypted, decrypt=True)


# R_p constants of §4.4.3.3.2 (l = 128 for 3DES and AES-128, l = 256 for AES-192/256).
_IM_C0_128 = bytes.fromhex("a668892a7c41e3ca739f40b057d85904")
_IM_C1_128 = bytes.fromhex("a4e136ac725f738b01c1f60217c188ad")
_IM_C0_256 = bytes.fromhex("d463d65234124ef7897054986dca0a174e28df758cbaa03f240616414d5a1676")
_IM_C1_256 = bytes.fromhex("54bd7255f0aaf831bec3423fcf39d69b6cbf066677d0faae5aadd99df8e53517")


def integrated_mapping_prf_output(algorithm: PaceAlgorithm, s: bytes, t: bytes, p: int) -> bytes:
    """x_1 || ... || x_n of the Integrated Mapping's R(s, t) before reduction mod p
    (ICAO 9303-11 §4.4.3.3.2, Figure 2).

    The block cipher E in CBC mode with a zero IV is keyed first with t over s, then each
    output k_i (truncated to the key size) keys E over c1 (an output block x_i) and over c0
    (the next k_i), with n the smallest count such that n·l >= log2(p) + 64.
    """
    key_len = terminal_nonce_length(algorithm)
    if len(t) != key_len:
        raise PaceError(f"integrated mapping nonce t must be {key_len} bytes, not {len(t)}")
    if len(s) != nonce_length(algorithm):
        raise PaceError(f"integrated mapping nonce s of {len(s)} bytes does not suit "
                        f"{algorithm.cipher_label}")
    l_bits = 8 * len(s)
    c0, c1 = (_IM_C0_128, _IM_C1_128) if l_bits == 128 else (_IM_C0_256, _IM_C1_256)
    blocks = -(-(p.bit_length() + 64) // l_bits)
    k = cbc(algorithm, t, s)
    out = bytearray()
    for _ in range(blocks):
        key = k[:key_len]
        out += cbc(algorithm, key, c1)
        k = cbc(algorithm, key, c0)
    return bytes(out)


def integrated_mapping_prf(algorithm: PaceAlgorithm, s: bytes, t: bytes, p: int) -> int:
    """R_p(s, t) = int(R(s, t)) mod p, the field element the Integrated Mapping encodes."""
    return int.from_bytes(integrated_mapping_prf_output(algorithm, s, t, p), "big") % p


def oid_contents(oid: str) -> bytes:
    """The value bytes of an OBJECT IDENTIFIER (DO'80 of MSE:Set AT carries them without 06)."""
    return bytes(core.ObjectIdentifier(oid).contents)


def public_key_data_object(oid: str, tag: int, public_value: bytes) -> bytes:
    """7F49 { 06 OID, tag value } (§4.4.3.4, §9.4.5): the authentication token input."""
    oid_der = core.ObjectIdentifier(oid).dump()
    return tlv.encode(TAG_PUBLIC_KEY, oid_der + tlv.encode(tag, public_value))


def authentication_token(algorithm: PaceAlgorithm, ks_mac: bytes, data: bytes) -> bytes:
    """MAC(KS_MAC, public key data object): AES-CMAC or 3DES retail MAC, 8 bytes (§4.4.3.4)."""
    if algorithm.cipher == "3DES":
        return retail_mac(ks_mac[:8], ks_mac[8:], pad(data, 8))
    return bytes(CMAC.new(ks_mac, msg=data, ciphermod=AES).digest()[:8])


def cam_iv(ks_enc: bytes) -> bytes:
    """The IV of PACE-CAM's encrypted chip authentication data."""
    # IV = E(KS_enc, -1): -1 is the 128-bit string of all ones (§4.4.3.5.4)
    return bytes(AES.new(ks_enc, AES.MODE_ECB).encrypt(b"\xff" * 16))


def decrypt_chip_authentication_data(ks_enc: bytes, encrypted: bytes) -> bytes:
    if not encrypted or len(encrypted) % 16 or len(encrypted) > 128:
        raise PaceError("encrypted chip authentication data has an invalid length")
    plain = AES.new(ks_enc, AES.MODE_CBC, iv=cam_iv(ks_enc)).decrypt(encrypted)
    try:
        return unpad(bytes(plain))
    except SecureMessagingError:
        raise PaceError("encrypted chip authentication data has bad padding") from None


# --- dynamic authentication data ---------------------------------------------------------------


def dynamic_authentication_data(objects: Iterable[tuple[int, bytes]]) -> bytes:
    """7C { tag value ... } in the given order (§9.3.3: order as in Table 4)."""
    return tlv.encode(TAG_DYNAMIC_AUTH, b"".join(tlv.encode(t, v) for t, v in objects))


def parse_dynamic_authentication_data(data: bytes) -> dict[int, bytes]:
    """The data objects inside 7C; PaceError on malformed TLV or duplicate tags."""
    try:
        outer = tlv.decode(data)
        if outer.tag != TAG_DYNAMIC_AUTH:
            raise PaceError(f"expected dynamic authentication data (7C), found {outer.tag:X}")
        out: dict[int, bytes] = {}
        for obj in outer.children():
            if obj.tag in out:
                raise PaceError(f"data object {obj.tag:X} appears twice")
            if obj.constructed:
                raise PaceError(f"unexpected constructed data object {obj.tag:X}")
            out[obj.tag] = obj.value
        return out
    except TLVError as exc:
        raise PaceError(f"malformed dynamic authentication data: {exc}") from None


# --- choosing a PACEInfo -----------------------------------------------------------------------

#: CAM first: it authenticates the chip within the same run (ICAO 9303-11 Appendix J.1 asks for
#: it when available); then GM, which every chip and terminal must implement and which is the
#: most exercised in the field; IM last.
_MAPPING_RANK = {"CAM": 3, "GM": 2, "IM": 1}


def _usable(info: PACEInfo) -> bool:
    alg = info.algorithm
    if alg is None or info.version != 2 or info.parameter_id is None:
        return False
    std = STANDARD_DOMAIN_PARAMETERS.get(info.parameter_id)
    if std is None or not std.supported or std.kind != alg.key_agreement:
        return False
    return not (alg.mapping == "IM" and not std.integrated_mapping)


def choose_pace_info(infos: Iterable[SecurityInfo]) -> PACEInfo:
    """The strongest PACEInfo this reader can run.

    Order of preference: ECDH over DH (shorter messages, stronger per bit, what modern chips
    are tuned for); then the mapping, CAM > GM > IM; then the cipher, AES-256 > AES-192 >
    AES-128 > 3DES; then the larger domain. Only version-2 entries with standardized domain
    parameters are considered (explicit parameters from the unauthenticated EF.CardAccess are
    not trusted, §9.2.2). Raises ProtocolNotSupportedError when nothing qualifies.
    """
    candidates = [i for i in infos if isinstance(i, PACEInfo)]
    usable = [i for i in candidates if _usable(i)]
    if not usable:
        if not candidates:
            raise ProtocolNotSupportedError("the chip announces no PACE (no PACEInfo)")
        raise ProtocolNotSupportedError(
            "none of the chip's PACE configurations is supported by this reader"
        )

    def rank(info: PACEInfo) -> tuple[int, int, int, int]:
        alg = info.algorithm
        assert alg is not None and info.parameter_id is not None
        bits = STANDARD_DOMAIN_PARAMETERS[info.parameter_id].bits
        cipher = 0 if alg.cipher == "3DES" else alg.key_bits
        return (int(alg.key_agreement == "ECDH"), _MAPPING_RANK[alg.mapping], cipher, bits)

    return max(usable, key=rank)


def parameter_id_needed(infos: Sequence[SecurityInfo]) -> bool:
    """Whether MSE:Set AT must name the domain parameters (DO'84): when the chip lists more
    than one PACEInfo, the OID alone may be ambiguous (§4.4.4.1)."""
    return sum(isinstance(i, PACEInfo) for i in infos) > 1


# --- the terminal ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaceResult:
    """Outcome of a successful PACE run; ``sm`` is already installed on the channel.

    ``terminal_public_key`` is PK_DH,IFD (Terminal Authentication signs its compressed form);
    for PACE-CAM, ``chip_mapping_public_key`` and ``ca_data`` let :func:`verify_cam` check the
    chip once its static key has been read from EF.CardSecurity and passively authenticated.
    """

    sm: SecureMessaging
    protocol_oid: str
    mapping: MappingName
    domain_name: str
    cipher: str
    password: PasswordKind
    parameter_id: int | None
    terminal_public_key: bytes
    chip_public_key: bytes
    chip_mapping_public_key: bytes | None = None
    ca_data: bytes | None = field(default=None, repr=False)
    domain: Domain | None = field(default=None, repr=False, compare=False)
    protocol: str = "PACE"


def _token_step_failure(resp: ResponseAPDU, password: Password) -> Exception:
    sw = resp.sw
    if sw in _SW_DENIED or (sw & 0xFFF0 == 0x63C0 and sw != 0x63C0):
        tries = f" ({sw & 0x0F} tries left)" if sw & 0xFFF0 == 0x63C0 else ""
        return AccessDeniedError(
            f"access denied: {password.description} does not match this card{tries}",
            password_type=password.kind,
        )
    if sw in (0x6983, 0x63C0):
        return AccessError(f"access denied: {password.description} is blocked on this card")
    return CardError(f"PACE mutual authentication failed: {describe_sw(sw)}", sw=sw)


def _expect_ok(resp: ResponseAPDU, step: str) -> ResponseAPDU:
    if not resp.ok:
        raise CardError(f"PACE {step} failed: {describe_sw(resp.sw)}", sw=resp.sw)
    return resp


def _require(objs: dict[int, bytes], tag: int, step: str) -> bytes:
    value = objs.get(tag)
    if value is None:
        raise PaceError(f"the chip's {step} answer lacks data object {tag:X}")
    return value


def _mse_set_at(password: Password, info: PACEInfo, send_parameter_id: bool) -> CommandAPDU:
    data = tlv.encode(0x80, oid_contents(info.protocol))
    data += tlv.encode(0x83, bytes([password.reference]))
    if send_parameter_id:
        if info.parameter_id is None:
            raise ProtocolNotSupportedError("cannot name the domain parameters: none given")
        data += tlv.encode(0x84, unsigned_integer(info.parameter_id))
    return CommandAPDU(0x00, INS_MSE, *P1P2_SET_AT_PACE, data)


def perform_pace(
    channel: ApduChannel,
    password: Password,
    info: PACEInfo,
    domain: Domain | None = None,
    *,
    rng: Rng | None = None,
    send_parameter_id: bool,
) -> PaceResult:
    """Run PACE with ``password`` and install secure messaging on ``channel``.

    ``domain`` defaults to the standardized parameters ``info.parameter_id`` names.
    ``send_parameter_id`` adds DO'84 to MSE:Set AT, required when the chip lists several
    PACEInfos (see :func:`parameter_id_needed`). There is no retry on a refused password: a
    wrong CAN or MRZ will not become right, and chips may count failures.

    Raises AccessDeniedError (wrong password), ProtocolNotSupportedError (nothing in common),
    CardError (an unexpected status word) or PaceError (malformed or unauthentic answers).
    """
    algorithm = info.algorithm
    if algorithm is None:
        raise ProtocolNotSupportedError(f"unknown PACE protocol {info.protocol}")
    if domain is None:
        if info.parameter_id is None:
            raise ProtocolNotSupportedError("the PACEInfo names no domain parameters")
        domain = standard_domain(info.parameter_id)
    group = make_group(domain)
    check_compatible(algorithm, group)
    return _run_terminal(
        channel, password, info, algorithm, group, rng or os.urandom, send_parameter_id
    )


def _run_terminal(
    channel: ApduChannel,
    password: Password,
    info: PACEInfo,
    algorithm: PaceAlgorithm,
    group: PaceGroup[E],
    rng: Rng,
    send_parameter_id: bool,
) -> PaceResult:
    oid = info.protocol
    k_pi = password.k_pi(algorithm.cipher, algorithm.key_bits)
    le = 65536 if group.element_size + 8 > 256 else 256
    channel.sm = None

    resp = channel.send_plain(_mse_set_at(password, info, send_parameter_id))
    if resp.sw in (0x6A80, 0x6A88):
        raise ProtocolNotSupportedError(
            f"the chip refused PACE with {algorithm.name} and the {password.kind} "
            f"({describe_sw(resp.sw)})"
        )
    if resp.sw in (0x6983, 0x63C0):
        raise AccessError(f"access denied: {password.description} is blocked on this card")
    if not (resp.ok or (resp.sw & 0xFFF0) == 0x63C0):  # 63Cx: a retry-counter warning
        raise CardError(f"MSE:Set AT for PACE failed: {describe_sw(resp.sw)}", sw=resp.sw)

    def general_authenticate(objects: list[tuple[int, bytes]], *, last: bool) -> ResponseAPDU:
        cla = 0x00 if last else CLA_CHAINING
        data = dynamic_authentication_data(objects)
        return channel.send_plain(CommandAPDU(cla, INS_GENERAL_AUTHENTICATE, 0, 0, data, le))

    # 1. encrypted nonce
    resp = _expect_ok(general_authenticate([], last=False), "encrypted nonce")
    objs = parse_dynamic_authentication_data(resp.data)
    s = decrypt_nonce(algorithm, k_pi, _require(objs, TAG_ENCRYPTED_NONCE, "nonce"))

    # 2. map the nonce
    chip_mapping: E | None = None
    map_private = 0
    if algorithm.mapping == "IM":
        t = draw(rng, terminal_nonce_length(algorithm))
        resp = _expect_ok(
            general_authenticate([(TAG_MAPPING_TERMINAL, t)], last=False), "map nonce"
        )
        objs = parse_dynamic_authentication_data(resp.data)
        if objs.get(TAG_MAPPING_CHIP, b""):
            raise PaceError("the chip returned mapping data for the Integrated Mapping")
        generator = group.integrated_map(integrated_mapping_prf(algorithm, s, t, group.prime))
    else:
        map_private = group.random_private(rng)
        map_public = group.standard_public_key(map_private)
        resp = _expect_ok(
            general_authenticate([(TAG_MAPPING_TERMINAL, group.encode(map_public))], last=False),
            "map nonce",
        )
        objs = parse_dynamic_authentication_data(resp.data)
        chip_mapping = group.decode(_require(objs, TAG_MAPPING_CHIP, "map nonce"))
        h = group.exp(map_private, chip_mapping)
        generator = group.generic_map(int.from_bytes(s, "big"), h)

    # 3. key agreement on the mapped generator
    private = group.random_private(rng)
    public = group.exp(private, generator)
    public_wire = group.encode(public)
    resp = _expect_ok(
        general_authenticate([(TAG_EPHEMERAL_TERMINAL, public_wire)], last=False),
        "key agreement",
    )
    objs = parse_dynamic_authentication_data(resp.data)
    chip_public_wire = _require(objs, TAG_EPHEMERAL_CHIP, "key agreement")
    chip_public = group.decode(chip_public_wire)
    if chip_public == public:
        raise PaceError("the chip echoed the terminal's ephemeral public key")
    secret = group.shared_secret(private, chip_public)
    ks_enc, ks_mac = session_keys(secret, cipher=algorithm.cipher, key_bits=algorithm.key_bits)

    # 4. mutual authentication
    token = authentication_token(algorithm, ks_mac, group.token_input(oid, chip_public_wire))
    resp = general_authenticate([(TAG_TOKEN_TERMINAL, token)], last=True)
    if not resp.ok:
        raise _token_step_failure(resp, password)
    objs = parse_dynamic_authentication_data(resp.data)
    expected = authentication_token(algorithm, ks_mac, group.token_input(oid, public_wire))
    if not hmac.compare_digest(expected, _require(objs, TAG_TOKEN_CHIP, "mutual authentication")):
        raise PaceError("the chip's authentication token does not verify: not the chip "
                        "that holds this password, or the exchange was tampered with")
    ca_data = None
    if algorithm.mapping == "CAM":
        encrypted = _require(objs, TAG_ENCRYPTED_CA_DATA, "mutual authentication")
        ca_data = decrypt_chip_authentication_data(ks_enc, encrypted)
        if len(ca_data) != (group.order.bit_length() + 7) // 8:
            raise PaceError("chip authentication data has the wrong length")

    sm = SecureMessaging.from_keys(algorithm.cipher, ks_enc, ks_mac, 0)
    channel.sm = sm
    return PaceResult(
        sm=sm,
        protocol_oid=oid,
        mapping=algorithm.mapping,
        domain_name=group.name,
        cipher=algorithm.cipher_label,
        password=password.kind,
        parameter_id=info.parameter_id,
        terminal_public_key=public_wire,
        chip_public_key=chip_public_wire,
        chip_mapping_public_key=None if chip_mapping is None else group.encode(chip_mapping),
        ca_data=ca_data,
        domain=group.domain,
    )


def verify_cam(
    result: PaceResult, static_public_key: bytes | ChipAuthenticationPublicKeyInfo
) -> bool:
    """PACE-CAM chip authentication (§4.4.3.5.2): PK_Map,IC = KA(CA_IC, PK_IC, D_IC)?

    ``static_public_key`` is the chip's PK_IC as an encoded point or as the
    ChipAuthenticationPublicKeyInfo from EF.CardSecurity. Only meaningful once that file has
    passed Passive Authentication. KA is ECKA, whose output is the x-coordinate, so that is
    what is compared (the y sign adds nothing: whoever knows CA_IC also knows -CA_IC).
    """
    curve = result.domain
    if (
        result.mapping != "CAM"
        or result.ca_data is None
        or result.chip_mapping_public_key is None
        or not isinstance(curve, Curve)
    ):
        return False
    if isinstance(static_public_key, ChipAuthenticationPublicKeyInfo):
        try:
            encoded = static_public_key.public_key
        except LDSError:
            return False
    else:
        encoded = static_public_key
    ca = int.from_bytes(result.ca_data, "big")
    if not 0 < ca < curve.n:
        return False
    group = ECDHGroup(curve)
    try:
        pk_ic = group.decode(encoded)
        mapping_public = group.decode(result.chip_mapping_public_key)
        x = group.shared_secret(ca, pk_ic)
    except PaceError:
        return False
    return hmac.compare_digest(x, mapping_public[0].to_bytes(curve.size, "big"))
