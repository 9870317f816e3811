"""Elliptic-curve point arithmetic for the PACE mapping step, and nothing else.

PACE computes with a *mapped* generator G' (ICAO 9303-11 §4.4.3.3): the Generic Mapping needs
the full point H = SK * PK (not just its x-coordinate, which is all an ECDH API returns), then
G' = s*G + H, and every ephemeral public key is SK * G'. Neither ``cryptography`` nor
pycryptodome exposes scalar multiplication of an arbitrary point on the brainpool curves, so:

* on the NIST curves, pycryptodome's :class:`~Crypto.PublicKey.ECC.EccPoint` does the work;
* on the brainpool curves (pycryptodome has none), a minimal Jacobian-coordinate
  implementation over GF(p) below does it. It is deliberately small and checked in the tests
  against ``cryptography``'s public-key derivation and ECDH.

Key agreement proper (the shared secret K) stays with ``cryptography``'s ECDH in
:mod:`cccd_reader.access.pace`; this module is only for the mapping arithmetic and the point
encoding of the Integrated Mapping (Appendix B). Python integers are not constant time: that is
acceptable for a terminal whose secrets are ephemeral, and for the virtual chip, which is a test
partner, but this is no place to hold long-term keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from Crypto.PublicKey import ECC
from cryptography.hazmat.primitives.asymmetric import ec

#: An affine point (x, y). The point at infinity is ``None`` wherever it can occur.
Point = tuple[int, int]


class PointError(ValueError):
    """A point is not on the curve, is encoded wrongly, or an operation left the group."""


@dataclass(frozen=True, slots=True)
class Curve:
    """Short Weierstrass curve y^2 = x^3 + ax + b over GF(p) with generator of order n."""

    name: str
    p: int
    a: int
    b: int
    gx: int
    gy: int
    n: int
    h: int
    #: The matching ``cryptography`` curve (for ECDH on the final shared secret); None for a
    #: curve the backend lacks (only public-key arithmetic, e.g. ECDSA verification, then).
    crypto: ec.EllipticCurve | None = field(compare=False, repr=False)
    #: pycryptodome's name when it implements the curve; None means our Jacobian code is used.
    pycryptodome: str | None = field(default=None, compare=False, repr=False)

    @property
    def size(self) -> int:
        """Bytes of a field element (and of each coordinate in an encoded point)."""
        return (self.p.bit_length() + 7) // 8

    @property
    def order_size(self) -> int:
        """Bytes of a scalar modulo n (FE2OS length for PACE-CAM's chip authentication data)."""
        return (self.n.bit_length() + 7) // 8

    @property
    def generator(self) -> Point:
        return (self.gx, self.gy)

    @property
    def backend(self) -> ec.EllipticCurve:
        """The ``cryptography`` curve, for key agreement; PointError when there is none."""
        if self.crypto is None:
            raise PointError(f"{self.name} has no key-agreement backend")
        return self.crypto


def _curve(
    name: str, p: str, a: str, b: str, gx: str, gy: str, n: str,
    crypto: ec.EllipticCurve, pycryptodome: str | None,
) -> Curve:
    return Curve(
        name, int(p, 16), int(a, 16), int(b, 16), int(gx, 16), int(gy, 16), int(n, 16), 1,
        crypto, pycryptodome,
    )


# Parameters of FIPS 186-4 / SEC 2 and RFC 5639; all have cofactor 1.
P192 = _curve(
    "NIST P-192",
    "fffffffffffffffffffffffffffffffeffffffffffffffff",
    "fffffffffffffffffffffffffffffffefffffffffffffffc",
    "64210519e59c80e70fa7e9ab72243049feb8deecc146b9b1",
    "188da80eb03090f67cbf20eb43a18800f4ff0afd82ff1012",
    "07192b95ffc8da78631011ed6b24cdd573f977a11e794811",
    "ffffffffffffffffffffffff99def836146bc9b1b4d22831",
    ec.SECP192R1(), "p192",
)
P224 = _curve(
    "NIST P-224",
    "ffffffffffffffffffffffffffffffff000000000000000000000001",
    "fffffffffffffffffffffffffffffffefffffffffffffffffffffffe",
    "b4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4",
    "b70e0cbd6bb4bf7f321390b94a03c1d356c21122343280d6115c1d21",
    "bd376388b5f723fb4c22dfe6cd4375a05a07476444d5819985007e34",
    "ffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d",
    ec.SECP224R1(), "p224",
)
P256 = _curve(
    "NIST P-256",
    "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
    "ffffffff00000001000000000000000000000000fffffffffffffffffffffffc",
    "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
    "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
    "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
    "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
    ec.SECP256R1(), "p256",
)
P384 = _curve(
    "NIST P-384",
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"
    "ffffffff0000000000000000ffffffff",
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"
    "ffffffff0000000000000000fffffffc",
    "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875a"
    "c656398d8a2ed19d2a85c8edd3ec2aef",
    "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a38"
    "5502f25dbf55296c3a545e3872760ab7",
    "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c0"
    "0a60b1ce1d7e819d7a431d7c90ea0e5f",
    "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
    "581a0db248b0a77aecec196accc52973",
    ec.SECP384R1(), "p384",
)
P521 = _curve(
    "NIST P-521",
    "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc",
    "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109"
    "e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
    "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3d"
    "baa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
    "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e66"
    "2c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
    "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
    "fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
    ec.SECP521R1(), "p521",
)
BRAINPOOL_P256R1 = _curve(
    "brainpoolP256r1",
    "a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377",
    "7d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9",
    "26dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b6",
    "8bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262",
    "547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997",
    "a9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7",
    ec.BrainpoolP256R1(), None,
)
BRAINPOOL_P384R1 = _curve(
    "brainpoolP384r1",
    "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b412b1da197fb71123"
    "acd3a729901d1a71874700133107ec53",
    "7bc382c63d8c150c3c72080ace05afa0c2bea28e4fb22787139165efba91f90f"
    "8aa5814a503ad4eb04a8c7dd22ce2826",
    "04a8c7dd22ce28268b39b55416f0447c2fb77de107dcd2a62e880ea53eeb62d5"
    "7cb4390295dbc9943ab78696fa504c11",
    "1d1c64f068cf45ffa2a63a81b7c13f6b8847a3e77ef14fe3db7fcafe0cbd10e8"
    "e826e03436d646aaef87b2e247d4af1e",
    "8abe1d7520f9c2a45cb1eb8e95cfd55262b70b29feec5864e19c054ff9912928"
    "0e4646217791811142820341263c5315",
    "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7"
    "cf3ab6af6b7fc3103b883202e9046565",
    ec.BrainpoolP384R1(), None,
)
BRAINPOOL_P512R1 = _curve(
    "brainpoolP512r1",
    "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330871"
    "7d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f3",
    "7830a3318b603b89e2327145ac234cc594cbdd8d3df91610a83441caea9863bc"
    "2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94ca",
    "3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a7"
    "2bf2c7b9e7c1ac4d77fc94cadc083e67984050b75ebae5dd2809bd638016f723",
    "81aee4bdd82ed9645a21322e9c4c6a9385ed9f70b5d916c1b43b62eef4d0098e"
    "ff3b1f78e2d0d48d50d1687b93b97d5f7c6d5047406a5e688b352209bcb9f822",
    "7dde385d566332ecc0eabfa9cf7822fdf209f70024a57b1aa000c55b881f8111"
    "b2dcde494a5f485e5bca4bd88a2763aed1ca2b2fa8f0540678cd1e0f3ad80892",
    "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870"
    "553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069",
    ec.BrainpoolP512R1(), None,
)

#: Curves by standardized domain parameter ID (ICAO 9303-11 Table 12) that this toolkit runs.
#: brainpoolP192r1 (9), brainpoolP224r1 (11) and brainpoolP320r1 (14) are absent: the
#: ``cryptography`` package cannot do ECDH on them.
STANDARD_CURVES: dict[int, Curve] = {
    8: P192,
    10: P224,
    12: P256,
    13: BRAINPOOL_P256R1,
    15: P384,
    16: BRAINPOOL_P384R1,
    17: BRAINPOOL_P512R1,
    18: P521,
}


def is_on_curve(curve: Curve, point: Point) -> bool:
    x, y = point
    p = curve.p
    if not (0 <= x < p and 0 <= y < p):
        return False
    return (y * y - (x * x * x + curve.a * x + curve.b)) % p == 0


# --- pycryptodome path (NIST curves) ---------------------------------------------------------


def _to_ecc(name: str, curve: Curve, point: Point) -> Any:  # an ECC.EccPoint
    if not is_on_curve(curve, point):
        raise PointError(f"point is not on {curve.name}")
    return ECC.construct(curve=name, point_x=point[0], point_y=point[1]).pointQ


def _from_ecc(point: Any) -> Point | None:
    if point.is_point_at_infinity():
        return None
    x, y = point.xy
    return (int(x), int(y))


# --- Jacobian path (brainpool) -----------------------------------------------------------------
# (X, Y, Z) stands for (X/Z^2, Y/Z^3); Z == 0 is the point at infinity.

_Jacobian = tuple[int, int, int]
_J_INFINITY: _Jacobian = (1, 1, 0)


def _j_double(curve: Curve, pt: _Jacobian) -> _Jacobian:
    x, y, z = pt
    p = curve.p
    if z == 0 or y == 0:
        return _J_INFINITY
    yy = y * y % p
    s = 4 * x * yy % p
    z2 = z * z % p
    m = (3 * x * x + curve.a * z2 * z2) % p
    x3 = (m * m - 2 * s) % p
    y3 = (m * (s - x3) - 8 * yy * yy) % p
    z3 = 2 * y * z % p
    return (x3, y3, z3)


def _j_add(curve: Curve, p1: _Jacobian, p2: _Jacobian) -> _Jacobian:
    x1, y1, z1 = p1
    x2, y2, z2 = p2
    if z1 == 0:
        return p2
    if z2 == 0:
        return p1
    p = curve.p
    z1z1 = z1 * z1 % p
    z2z2 = z2 * z2 % p
    u1 = x1 * z2z2 % p
    u2 = x2 * z1z1 % p
    s1 = y1 * z2 * z2z2 % p
    s2 = y2 * z1 * z1z1 % p
    h = (u2 - u1) % p
    r = (s2 - s1) % p
    if h == 0:
        return _j_double(curve, p1) if r == 0 else _J_INFINITY
    hh = h * h % p
    hhh = h * hh % p
    v = u1 * hh % p
    x3 = (r * r - hhh - 2 * v) % p
    y3 = (r * (v - x3) - s1 * hhh) % p
    z3 = h * z1 * z2 % p
    return (x3, y3, z3)


def _j_affine(curve: Curve, pt: _Jacobian) -> Point | None:
    x, y, z = pt
    if z == 0:
        return None
    p = curve.p
    zi = pow(z, -1, p)
    zi2 = zi * zi % p
    return (x * zi2 % p, y * zi2 * zi % p)


def _j_multiply(curve: Curve, k: int, point: Point) -> Point | None:
    # Montgomery ladder: the same two operations for every bit of k.
    r0 = _J_INFINITY
    r1: _Jacobian = (point[0], point[1], 1)
    for i in range(k.bit_length() - 1, -1, -1):
        if (k >> i) & 1:
            r0, r1 = _j_add(curve, r0, r1), _j_double(curve, r1)
        else:
            r1, r0 = _j_add(curve, r0, r1), _j_double(curve, r0)
    return _j_affine(curve, r0)


# --- public operations -------------------------------------------------------------------------


def add(curve: Curve, p1: Point | None, p2: Point | None) -> Point | None:
    """p1 + p2 (either may be the point at infinity, ``None``)."""
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    if curve.pycryptodome is not None:
        name = curve.pycryptodome
        return _from_ecc(_to_ecc(name, curve, p1) + _to_ecc(name, curve, p2))
    for pt in (p1, p2):
        if not is_on_curve(curve, pt):
            raise PointError(f"point is not on {curve.name}")
    return _j_affine(curve, _j_add(curve, (p1[0], p1[1], 1), (p2[0], p2[1], 1)))


def multiply(curve: Curve, k: int, point: Point | None) -> Point | None:
    """k * point for k >= 0 (``None`` when the result is the point at infinity)."""
    if k < 0:
        raise PointError("negative scalar")
    if point is None or k == 0:
        return None
    if curve.pycryptodome is not None:
        return _from_ecc(_to_ecc(curve.pycryptodome, curve, point) * k)
    if not is_on_curve(curve, point):
        raise PointError(f"point is not on {curve.name}")
    return _j_multiply(curve, k, point)


def encode_point(curve: Curve, point: Point) -> bytes:
    """Uncompressed encoding 04 || X || Y, each coordinate at the full field length (TR-03111)."""
    size = curve.size
    return b"\x04" + point[0].to_bytes(size, "big") + point[1].to_bytes(size, "big")


def decode_point(curve: Curve, data: bytes) -> Point:
    """Decode and validate an uncompressed point (TR-03111 public key validation)."""
    size = curve.size
    if len(data) != 1 + 2 * size or data[0] != 0x04:
        raise PointError(f"not an uncompressed {curve.name} point of {1 + 2 * size} bytes")
    point = (int.from_bytes(data[1 : 1 + size], "big"), int.from_bytes(data[1 + size :], "big"))
    if not is_on_curve(curve, point):
        raise PointError(f"point is not on {curve.name}")
    if curve.h != 1 and multiply(curve, curve.n, point) is not None:
        raise PointError(f"point is not in the prime-order subgroup of {curve.name}")
    return point


def supports_point_encoding(curve: Curve) -> bool:
    """The Integrated Mapping's point encoding needs p = 3 (mod 4) and a != 0 (Appendix B)."""
    return curve.p % 4 == 3 and curve.a % curve.p != 0


def point_encoding(curve: Curve, t: int) -> Point:
    """f_G of the ECDH Integrated Mapping: simplified SWU encoding, ICAO 9303-11 Appendix B.2.

    Maps a field element 0 < t < p to a point of the prime-order group.
    """
    p, a, b = curve.p, curve.a, curve.b
    if not supports_point_encoding(curve):
        raise PointError(f"{curve.name} does not support the Integrated Mapping")
    if not 0 < t < p:
        raise PointError("point encoding input out of range")
    alpha = -t * t % p
    denom = (alpha + alpha * alpha) % p
    if denom == 0:
        raise PointError("point encoding input is degenerate")
    x2 = -b * pow(a, -1, p) * (1 + pow(denom, -1, p)) % p
    x3 = alpha * x2 % p
    h2 = (x2 * x2 * x2 + a * x2 + b) % p
    u = t * t * t * h2 % p
    a_ = pow(h2, p - 1 - (p + 1) // 4, p)
    point = (x2, a_ * h2 % p) if a_ * a_ * h2 % p == 1 else (x3, a_ * u % p)
    if not is_on_curve(curve, point):
        raise PointError("point encoding produced a point off the curve")
    if curve.h != 1:
        result = multiply(curve, curve.h, point)
        if result is None:
            raise PointError("point encoding produced a point of small order")
        point = result
    return point
