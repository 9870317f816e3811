"""The published named elliptic curves: one table of their domain parameters, for every layer.

PACE (ICAO 9303-11 Table 12, :mod:`cccd_reader.access.ecc` does the arithmetic), chip
authentication, and signature verification with explicitly spelled-out curves
(:mod:`cccd_reader.pki.curves`) all need the same facts about a curve: its prime p, coefficients
a and b, generator G = (gx, gy) of order n and cofactor h, its OID and names, and whether the
installed backend implements it (probed, see :func:`backend_curve`). They live here once, in
the bottom layer, so that access (below PKI) and PKI read the same numbers. This module holds
data, lookups and that probe, no arithmetic.

The constants are SEC 2 / FIPS 186-4 for the NIST and Koblitz curves and RFC 5639 for brainpool;
tests cross-check them against ``cryptography`` and OpenSSL.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from asn1crypto import keys
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils


@dataclass(frozen=True, slots=True)
class NamedCurve:
    """A prime-field curve y² = x³ + ax + b over GF(p), generator (gx, gy) of order n."""

    #: The name shown in verification details: ``"P-256"``, ``"brainpoolP256r1"``.
    name: str
    #: The curve's named-curve OID (RFC 5480, RFC 5639, SEC 2).
    oid: str
    p: int
    a: int
    b: int
    gx: int
    gy: int
    n: int
    h: int
    #: The standardized domain parameter ID of ICAO 9303-11 Table 12, None if it has none.
    pace_id: int | None = None
    #: The name ICAO 9303-11 Table 12 gives it (``"NIST P-256"``), None outside the table.
    pace_name: str | None = None
    #: pycryptodome's name when it implements the curve (its point arithmetic is used then).
    pycryptodome: str | None = None

    @property
    def crypto_curve(self) -> type[ec.EllipticCurve] | None:
        """The installed backend's curve class, or None when the backend cannot verify ECDSA on
        this curve: probed once per process by :func:`backend_curve`, never a fixed table."""
        return backend_curve(self.oid)

    @property
    def byte_length(self) -> int:
        """Bytes of a field element (and of each coordinate of an encoded point)."""
        return (self.p.bit_length() + 7) // 8


def _h(*parts: str) -> int:
    return int("".join(parts), 16)


P192 = NamedCurve(
    name="P-192",
    oid="1.2.840.10045.3.1.1",
    p=_h("fffffffffffffffffffffffffffffffeffffffffffffffff"),
    a=_h("fffffffffffffffffffffffffffffffefffffffffffffffc"),
    b=_h("64210519e59c80e70fa7e9ab72243049feb8deecc146b9b1"),
    gx=_h("188da80eb03090f67cbf20eb43a18800f4ff0afd82ff1012"),
    gy=_h("07192b95ffc8da78631011ed6b24cdd573f977a11e794811"),
    n=_h("ffffffffffffffffffffffff99def836146bc9b1b4d22831"),
    h=1,
    pace_id=8,
    pace_name="NIST P-192",
    pycryptodome="p192",
)

P224 = NamedCurve(
    name="P-224",
    oid="1.3.132.0.33",
    p=_h("ffffffffffffffffffffffffffffffff000000000000000000000001"),
    a=_h("fffffffffffffffffffffffffffffffefffffffffffffffffffffffe"),
    b=_h("b4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4"),
    gx=_h("b70e0cbd6bb4bf7f321390b94a03c1d356c21122343280d6115c1d21"),
    gy=_h("bd376388b5f723fb4c22dfe6cd4375a05a07476444d5819985007e34"),
    n=_h("ffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d"),
    h=1,
    pace_id=10,
    pace_name="NIST P-224",
    pycryptodome="p224",
)

P256 = NamedCurve(
    name="P-256",
    oid="1.2.840.10045.3.1.7",
    p=_h("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"),
    a=_h("ffffffff00000001000000000000000000000000fffffffffffffffffffffffc"),
    b=_h("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"),
    gx=_h("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"),
    gy=_h("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"),
    n=_h("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
    h=1,
    pace_id=12,
    pace_name="NIST P-256",
    pycryptodome="p256",
)

P384 = NamedCurve(
    name="P-384",
    oid="1.3.132.0.34",
    p=_h(
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe",
        "ffffffff0000000000000000ffffffff",
    ),
    a=_h(
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe",
        "ffffffff0000000000000000fffffffc",
    ),
    b=_h(
        "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875a",
        "c656398d8a2ed19d2a85c8edd3ec2aef",
    ),
    gx=_h(
        "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a38",
        "5502f25dbf55296c3a545e3872760ab7",
    ),
    gy=_h(
        "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c0",
        "0a60b1ce1d7e819d7a431d7c90ea0e5f",
    ),
    n=_h(
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf",
        "581a0db248b0a77aecec196accc52973",
    ),
    h=1,
    pace_id=15,
    pace_name="NIST P-384",
    pycryptodome="p384",
)

P521 = NamedCurve(
    name="P-521",
    oid="1.3.132.0.35",
    p=_h(
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "ffff",
    ),
    a=_h(
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "fffc",
    ),
    b=_h(
        "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef1",
        "09e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b50",
        "3f00",
    ),
    gx=_h(
        "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d",
        "3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5",
        "bd66",
    ),
    gy=_h(
        "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e",
        "662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd1",
        "6650",
    ),
    n=_h(
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "fffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e9138",
        "6409",
    ),
    h=1,
    pace_id=18,
    pace_name="NIST P-521",
    pycryptodome="p521",
)

BRAINPOOL_P224R1 = NamedCurve(
    name="brainpoolP224r1",
    oid="1.3.36.3.3.2.8.1.1.5",
    p=_h("d7c134aa264366862a18302575d1d787b09f075797da89f57ec8c0ff"),
    a=_h("68a5e62ca9ce6c1c299803a6c1530b514e182ad8b0042a59cad29f43"),
    b=_h("2580f63ccfe44138870713b1a92369e33e2135d266dbb372386c400b"),
    gx=_h("0d9029ad2c7e5cf4340823b2a87dc68c9e4ce3174c1e6efdee12c07d"),
    gy=_h("58aa56f772c0726f24c6b89e4ecdac24354b9e99caa3f6d3761402cd"),
    n=_h("d7c134aa264366862a18302575d0fb98d116bc4b6ddebca3a5a7939f"),
    h=1,
    pace_id=11,
    pace_name="brainpoolP224r1",
)

BRAINPOOL_P256R1 = NamedCurve(
    name="brainpoolP256r1",
    oid="1.3.36.3.3.2.8.1.1.7",
    p=_h("a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377"),
    a=_h("7d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9"),
    b=_h("26dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b6"),
    gx=_h("8bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262"),
    gy=_h("547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997"),
    n=_h("a9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7"),
    h=1,
    pace_id=13,
    pace_name="brainpoolP256r1",
)

BRAINPOOL_P320R1 = NamedCurve(
    name="brainpoolP320r1",
    oid="1.3.36.3.3.2.8.1.1.9",
    p=_h(
        "d35e472036bc4fb7e13c785ed201e065f98fcfa6f6f40def4f92b9ec7893ec28",
        "fcd412b1f1b32e27",
    ),
    a=_h(
        "3ee30b568fbab0f883ccebd46d3f3bb8a2a73513f5eb79da66190eb085ffa9f4",
        "92f375a97d860eb4",
    ),
    b=_h(
        "520883949dfdbc42d3ad198640688a6fe13f41349554b49acc31dccd88453981",
        "6f5eb4ac8fb1f1a6",
    ),
    gx=_h(
        "43bd7e9afb53d8b85289bcc48ee5bfe6f20137d10a087eb6e7871e2a10a599c7",
        "10af8d0d39e20611",
    ),
    gy=_h(
        "14fdd05545ec1cc8ab4093247f77275e0743ffed117182eaa9c77877aaac6ac7",
        "d35245d1692e8ee1",
    ),
    n=_h(
        "d35e472036bc4fb7e13c785ed201e065f98fcfa5b68f12a32d482ec7ee8658e9",
        "8691555b44c59311",
    ),
    h=1,
    pace_id=14,
    pace_name="brainpoolP320r1",
)

BRAINPOOL_P384R1 = NamedCurve(
    name="brainpoolP384r1",
    oid="1.3.36.3.3.2.8.1.1.11",
    p=_h(
        "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b412b1da197fb71123",
        "acd3a729901d1a71874700133107ec53",
    ),
    a=_h(
        "7bc382c63d8c150c3c72080ace05afa0c2bea28e4fb22787139165efba91f90f",
        "8aa5814a503ad4eb04a8c7dd22ce2826",
    ),
    b=_h(
        "04a8c7dd22ce28268b39b55416f0447c2fb77de107dcd2a62e880ea53eeb62d5",
        "7cb4390295dbc9943ab78696fa504c11",
    ),
    gx=_h(
        "1d1c64f068cf45ffa2a63a81b7c13f6b8847a3e77ef14fe3db7fcafe0cbd10e8",
        "e826e03436d646aaef87b2e247d4af1e",
    ),
    gy=_h(
        "8abe1d7520f9c2a45cb1eb8e95cfd55262b70b29feec5864e19c054ff9912928",
        "0e4646217791811142820341263c5315",
    ),
    n=_h(
        "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7",
        "cf3ab6af6b7fc3103b883202e9046565",
    ),
    h=1,
    pace_id=16,
    pace_name="brainpoolP384r1",
)

BRAINPOOL_P512R1 = NamedCurve(
    name="brainpoolP512r1",
    oid="1.3.36.3.3.2.8.1.1.13",
    p=_h(
        "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330871",
        "7d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f3",
    ),
    a=_h(
        "7830a3318b603b89e2327145ac234cc594cbdd8d3df91610a83441caea9863bc",
        "2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94ca",
    ),
    b=_h(
        "3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a7",
        "2bf2c7b9e7c1ac4d77fc94cadc083e67984050b75ebae5dd2809bd638016f723",
    ),
    gx=_h(
        "81aee4bdd82ed9645a21322e9c4c6a9385ed9f70b5d916c1b43b62eef4d0098e",
        "ff3b1f78e2d0d48d50d1687b93b97d5f7c6d5047406a5e688b352209bcb9f822",
    ),
    gy=_h(
        "7dde385d566332ecc0eabfa9cf7822fdf209f70024a57b1aa000c55b881f8111",
        "b2dcde494a5f485e5bca4bd88a2763aed1ca2b2fa8f0540678cd1e0f3ad80892",
    ),
    n=_h(
        "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870",
        "553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069",
    ),
    h=1,
    pace_id=17,
    pace_name="brainpoolP512r1",
)

SECP256K1 = NamedCurve(
    name="secp256k1",
    oid="1.3.132.0.10",
    p=_h("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f"),
    a=_h("0000000000000000000000000000000000000000000000000000000000000000"),
    b=_h("0000000000000000000000000000000000000000000000000000000000000007"),
    gx=_h("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
    gy=_h("483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"),
    n=_h("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"),
    h=1,
)

#: Every curve of the table, in the order explicit parameters are matched against.
CURVES: tuple[NamedCurve, ...] = (
    P192, P224, P256, P384, P521,
    BRAINPOOL_P224R1, BRAINPOOL_P256R1, BRAINPOOL_P320R1, BRAINPOOL_P384R1, BRAINPOOL_P512R1,
    SECP256K1,
)

_BY_OID = {curve.oid: curve for curve in CURVES}


def by_oid(oid: str) -> NamedCurve | None:
    """The named curve with this OID, None when it is none of the table."""
    return _BY_OID.get(oid)


def generator_spki(curve: NamedCurve) -> bytes:
    """A SubjectPublicKeyInfo whose key is the curve's generator, under the named-curve OID."""
    point = b"\x04" + curve.gx.to_bytes(curve.byte_length, "big") + curve.gy.to_bytes(
        curve.byte_length, "big")
    info = keys.PublicKeyInfo({
        "algorithm": {"algorithm": "ec", "parameters": keys.ECDomainParameters(
            name="named", value=keys.NamedCurve(curve.oid))},
        "public_key": point,
    })
    return bytes(info.dump())


@functools.cache
def backend_curve(oid: str) -> type[ec.EllipticCurve] | None:
    """The ``cryptography`` curve class for the table curve ``oid`` when the installed backend
    verifies ECDSA on it, else None.

    Which curves a backend offers changes from release to release (``cryptography`` 51 added
    brainpoolP224r1 and brainpoolP320r1), so this is asked of the backend itself, once per
    process: load the generator as a named-curve key, check that the backend's group order is
    the table's, and verify a signature that cannot be valid. A backend that verifies answers
    InvalidSignature; one that lacks the curve refuses to load the key or the operation. The
    answer decides where verification goes (backend or :mod:`cccd_reader.pki.ecdsa_fallback`),
    which PACE and chip-authentication curves run, and what :func:`backend_report` says.
    """
    curve = by_oid(oid)
    if curve is None:
        return None
    try:
        key = serialization.load_der_public_key(generator_spki(curve))
    except (ValueError, UnsupportedAlgorithm):
        return None
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.group_order != curve.n:
        return None
    try:
        key.verify(utils.encode_dss_signature(1, 1), b"probe", ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return type(key.curve)
    except UnsupportedAlgorithm:
        return None
    return None  # (1, 1) verified: a backend that accepts anything is no backend to use


def backend_report() -> dict[str, bool]:
    """Every table curve's name and whether the installed backend verifies ECDSA on it."""
    return {curve.name: curve.crypto_curve is not None for curve in CURVES}
