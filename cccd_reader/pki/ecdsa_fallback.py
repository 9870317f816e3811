"""ECDSA verification on curves the crypto backend lacks.

Which named curves the backend verifies on is asked of it at run time
(:func:`cccd_reader.named_curves.backend_curve`): ``cryptography`` before 51 lacks
brainpoolP224r1 and brainpoolP320r1, and no release verifies on a curve given only by explicit
domain parameters that match no named curve; yet real documents are signed on them (a 2008 BSI
reference passport on brainpoolP224r1). Verification uses only
public data, so plain Python integers are fine here: the scalar multiplications are those of
:mod:`cccd_reader.access.ecc` (its Jacobian code), the rest is SEC 1 §4.1.4.

Explicit parameters that match no known curve are accepted only after they prove to describe
a sound group: a prime field of 160 to 640 bits, a non-singular curve, a prime order whose
multiple by the cofactor lies within the Hasse bound, the generator and the key on the curve
and the key of order n. A CSCA vouches for a DSC's key by signing it; these checks keep a
malformed curve from making that vouching meaningless.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from asn1crypto import core, keys

from cccd_reader.access import ecc
from cccd_reader.errors import ASN1_ERRORS
from cccd_reader.named_curves import NamedCurve
from cccd_reader.pki import curves

MIN_FIELD_BITS = 160
MAX_FIELD_BITS = 640
#: Miller-Rabin rounds: an error probability below 4^-64 for an adversarial input.
_MR_ROUNDS = 64


class FallbackUnavailable(ValueError):
    """The key is not an EC key this module can verify with (the caller reports why)."""


@dataclass(frozen=True, slots=True)
class FallbackKey:
    """An EC public key on a curve outside the backend: the group and the point."""

    curve: ecc.Curve
    point: ecc.Point
    #: ``"brainpoolP224r1"`` or ``"explicit 256-bit prime curve"``: for the check detail.
    description: str

    @property
    def order_bytes(self) -> int:
        return (self.curve.n.bit_length() + 7) // 8


def _is_probable_prime(n: int) -> bool:
    if n < 2:
        return False
    for small in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % small == 0:
            return n == small
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    # bases drawn deterministically from n itself, so a test is reproducible
    seed = n.to_bytes((n.bit_length() + 7) // 8, "big")
    for i in range(_MR_ROUNDS):
        digest = hashlib.sha256(seed + i.to_bytes(2, "big")).digest()
        a = 2 + int.from_bytes(digest, "big") % (n - 3)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _decode_point(curve: ecc.Curve, data: bytes) -> ecc.Point:
    try:
        return ecc.decode_point(curve, data)
    except ecc.PointError as exc:
        raise FallbackUnavailable(f"EC public key is not a point of the curve: {exc}") from exc


def _validated_explicit(domain: keys.SpecifiedECDomain) -> ecc.Curve:
    try:
        if domain["field_id"]["field_type"].native != "prime_field":
            raise FallbackUnavailable("explicit EC parameters over a non-prime field")
        p = int(domain["field_id"]["parameters"].native)
        a = int.from_bytes(domain["curve"]["a"].native, "big")
        b = int.from_bytes(domain["curve"]["b"].native, "big")
        base = bytes(domain["base"].native)
        n = int(domain["order"].native)
        cofactor_value = domain["cofactor"]
        h = None if isinstance(cofactor_value, core.Void) else int(cofactor_value.native)
    except ASN1_ERRORS as exc:
        raise FallbackUnavailable(f"explicit EC parameters are malformed: {exc}") from exc
    bits = p.bit_length()
    if not MIN_FIELD_BITS <= bits <= MAX_FIELD_BITS:
        raise FallbackUnavailable(f"explicit EC parameters: a {bits}-bit field is out of range")
    if not (0 <= a < p and 0 <= b < p) or (4 * a**3 + 27 * b**2) % p == 0:
        raise FallbackUnavailable("explicit EC parameters describe a singular curve")
    if not _is_probable_prime(p):
        raise FallbackUnavailable("explicit EC parameters: the field size is not prime")
    if not _is_probable_prime(n) or n.bit_length() < MIN_FIELD_BITS - 1:
        raise FallbackUnavailable("explicit EC parameters: the order is not a large prime")
    if h is None:
        h = round((p + 1) / n)
    if h < 1 or abs(h * n - (p + 1)) > 2 * math.isqrt(p) + 2:
        raise FallbackUnavailable("explicit EC parameters: order and cofactor break the "
                                  "Hasse bound")
    curve = ecc.Curve(f"explicit {bits}-bit prime curve", p, a, b, 0, 0, n, h, None, None)
    gx, gy = _decode_point(curve, base)
    return ecc.Curve(curve.name, p, a, b, gx, gy, n, h, None, None)


def load(spki_der: bytes) -> FallbackKey:
    """The EC key of ``spki_der`` on a curve the backend lacks, validated.

    Raises :class:`FallbackUnavailable` for anything else (not EC, malformed, a curve the
    backend has: the caller then keeps its own error).
    """
    try:
        info = keys.PublicKeyInfo.load(spki_der, strict=True)
        algorithm = info["algorithm"]
        if algorithm["algorithm"].native != "ec":
            raise FallbackUnavailable("not an EC key")
        params = algorithm["parameters"]
        if not isinstance(params, keys.ECDomainParameters):
            raise FallbackUnavailable("EC key without domain parameters")
        kind = params.name
        point_bytes = bytes(info["public_key"].contents)
    except ASN1_ERRORS as exc:
        raise FallbackUnavailable(f"EC SubjectPublicKeyInfo is malformed: {exc}") from exc
    if not point_bytes or point_bytes[0] != 0:
        raise FallbackUnavailable("EC public key BIT STRING has unused bits")
    named: NamedCurve | None
    if kind == "named":
        named = curves.curve_by_oid(params.chosen.dotted)
        if named is None:
            raise FallbackUnavailable(f"unknown named curve {params.chosen.dotted}")
    elif kind == "specified":
        try:
            named = curves.match_specified(params.chosen)
        except curves.UnsupportedCurveError:
            named = None
        except curves.CurveParameterError as exc:
            raise FallbackUnavailable(str(exc)) from exc
    else:
        raise FallbackUnavailable("EC key with implicitlyCA parameters names no curve")
    if named is not None:
        if named.crypto_curve is not None:
            raise FallbackUnavailable(f"{named.name} is handled by the crypto backend")
        curve = ecc.Curve(named.name, named.p, named.a, named.b, named.gx, named.gy, named.n,
                          named.h, None, None)
        description = named.name
    else:
        curve = _validated_explicit(params.chosen)
        description = curve.name
    point = _decode_point(curve, point_bytes[1:])  # on the curve, in the prime-order group
    return FallbackKey(curve, point, description)


def verify(key: FallbackKey, digest: bytes, r: int, s: int) -> bool:
    """SEC 1 §4.1.4 ECDSA verification of (r, s) over the message hash ``digest``."""
    n = key.curve.n
    if not (0 < r < n and 0 < s < n):
        return False
    e = int.from_bytes(digest, "big")
    excess = 8 * len(digest) - n.bit_length()
    if excess > 0:
        e >>= excess
    w = pow(s, -1, n)
    u1 = (e * w) % n
    u2 = (r * w) % n
    try:
        point = ecc.add(
            key.curve,
            ecc.multiply(key.curve, u1, key.curve.generator),
            ecc.multiply(key.curve, u2, key.point),
        )
    except ecc.PointError:
        return False
    return point is not None and point[0] % n == r
