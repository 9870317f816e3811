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

from cccd_reader import named_curves
from cccd_reader.named_curves import NamedCurve

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


def _from_table(named: NamedCurve) -> Curve:
    crypto = named.crypto_curve() if named.crypto_curve is not None else None
    return Curve(named.pace_name or named.name, named.p, named.a, named.b, named.gx, named.gy,
                 named.n, named.h, crypto, named.pycryptodome)


#: Curves by standardized domain parameter ID (ICAO 9303-11 Table 12) that this toolkit runs,
#: from the one table of :mod:`cccd_reader.named_curves`: the curves the installed backend has
#: (probed by :func:`cccd_reader.named_curves.backend_curve`). brainpoolP192r1 (9) is never
#: here (not in the table); brainpoolP224r1 (11) and brainpoolP320r1 (14) only with a backend
#: that offers them (``cryptography`` 51 and later).
STANDARD_CURVES: dict[int, Curve] = {
    named.pace_id: _from_table(named)
    for named in sorted(named_curves.CURVES, key=lambda c: c.pace_id or 0)
    if named.pace_id is not None and named.crypto_curve is not None
}
P192 = STANDARD_CURVES[8]
P224 = STANDARD_CURVES[10]
P256 = STANDARD_CURVES[12]
BRAINPOOL_P256R1 = STANDARD_CURVES[13]
P384 = STANDARD_CURVES[15]
BRAINPOOL_P384R1 = STANDARD_CURVES[16]
BRAINPOOL_P512R1 = STANDARD_CURVES[17]
P521 = STANDARD_CURVES[18]


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
