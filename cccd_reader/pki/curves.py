"""Explicit elliptic-curve domain parameters, mapped back to the named curves they spell out.

Many ICAO certificates (German, French and other CSCAs and DSCs, and DG14/DG15 keys) carry the
whole curve (prime, coefficients, generator, order, cofactor) instead of a curve OID, as
BSI TR-03110 once recommended. ``cryptography`` refuses such keys. Rather than doing curve
arithmetic ourselves, the explicit parameters are compared field by field with the known
curves (the one table of :mod:`cccd_reader.named_curves`); on an exact match the key is loaded
as that named curve and every check of ``cryptography`` (point on curve, ...) applies unchanged.
Parameters that match nothing are reported as unsupported: accepting an unknown curve would let
an attacker choose a weak one.
"""

from __future__ import annotations

from asn1crypto import core, keys
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cccd_reader import named_curves
from cccd_reader.errors import ASN1_ERRORS, CccdError
from cccd_reader.named_curves import NamedCurve


class UnsupportedCurveError(CccdError):
    """The key's curve is not one we can verify with (unknown parameters or no backend)."""


class CurveParameterError(CccdError):
    """The EC parameters or point are malformed (not the same as merely unknown)."""


#: The curves explicit parameters are matched against: the named-curve table but P-192, which
#: no ICAO signer uses and which stays outside explicit-parameter matching as it always was.
KNOWN_CURVES: tuple[NamedCurve, ...] = tuple(
    curve for curve in named_curves.CURVES if curve is not named_curves.P192
)

_BY_OID = {curve.oid: curve for curve in KNOWN_CURVES}


def curve_by_oid(oid: str) -> NamedCurve | None:
    """The curve of :data:`KNOWN_CURVES` with this named-curve OID."""
    return _BY_OID.get(oid)


def _decode_point(data: bytes, byte_length: int) -> tuple[int, bool | None, int | None]:
    """(x, y parity for compressed points else None, y or None) from an X9.62 octet string."""
    if len(data) == 1 + 2 * byte_length and data[0] == 0x04:
        x = int.from_bytes(data[1 : 1 + byte_length], "big")
        y = int.from_bytes(data[1 + byte_length :], "big")
        return x, None, y
    if len(data) == 1 + byte_length and data[0] in (0x02, 0x03):
        return int.from_bytes(data[1:], "big"), data[0] == 0x03, None
    raise CurveParameterError("EC base point is neither an uncompressed nor a compressed point")


def _field_element(value: bytes) -> int:
    return int.from_bytes(value, "big")


def match_specified(domain: keys.SpecifiedECDomain) -> NamedCurve:
    """The named curve whose parameters equal ``domain`` exactly, else UnsupportedCurveError.

    Every field must match: a curve with the right prime but another generator or order is a
    different (possibly weak) group. An absent cofactor is accepted only for cofactor-1 curves,
    where it carries no information (RFC 3279 makes it optional).
    """
    try:
        field_type = domain["field_id"]["field_type"].native
        if field_type != "prime_field":
            raise UnsupportedCurveError(
                f"explicit EC parameters over a {field_type} are not supported"
            )
        p = int(domain["field_id"]["parameters"].native)
        a = _field_element(domain["curve"]["a"].native)
        b = _field_element(domain["curve"]["b"].native)
        base = bytes(domain["base"].native)
        n = int(domain["order"].native)
        cofactor_value = domain["cofactor"]
        cofactor = None if isinstance(cofactor_value, core.Void) else cofactor_value.native
    except ASN1_ERRORS as exc:
        raise CurveParameterError(f"explicit EC parameters are malformed: {exc}") from exc
    for curve in KNOWN_CURVES:
        if (p, a, b, n) != (curve.p, curve.a, curve.b, curve.n):
            continue
        x, odd, y = _decode_point(base, curve.byte_length)
        if x != curve.gx:
            continue
        if (y is not None and y != curve.gy) or (odd is not None and odd != bool(curve.gy & 1)):
            continue
        if cofactor is None and curve.h != 1:
            raise UnsupportedCurveError(
                f"explicit parameters of {curve.name} omit the cofactor (must be {curve.h})"
            )
        if cofactor is not None and cofactor != curve.h:
            continue
        return curve
    raise UnsupportedCurveError(
        f"explicit EC parameters ({p.bit_length()}-bit prime field) match no supported curve"
    )


def named_spki(spki_der: bytes) -> tuple[bytes, NamedCurve | None]:
    """Rewrite an EC SubjectPublicKeyInfo with explicit parameters to its named-curve form.

    Returns the DER to load (the input itself when the key was already named or is not an EC
    key) and the table curve the key is on: the one its explicit parameters match, or the one
    its named-curve OID names (None for other keys and for named curves outside the table).
    The curve lets the caller ask :attr:`NamedCurve.crypto_curve` whether the backend verifies
    on it before handing the key over.
    """
    try:
        info = keys.PublicKeyInfo.load(spki_der, strict=True)
        algorithm = info["algorithm"]
        if algorithm["algorithm"].native != "ec":
            return spki_der, None
        params = algorithm["parameters"]
        if not isinstance(params, keys.ECDomainParameters):
            raise CurveParameterError("EC key without domain parameters")
        kind = params.name
        chosen = params.chosen
        point = bytes(info["public_key"].contents)  # BIT STRING contents: unused-bits + bytes
    except ASN1_ERRORS as exc:
        raise CurveParameterError(f"EC SubjectPublicKeyInfo is malformed: {exc}") from exc
    if kind == "named":
        return spki_der, curve_by_oid(chosen.dotted)
    if kind != "specified":
        raise UnsupportedCurveError("EC key with implicitlyCA parameters names no curve")
    curve = match_specified(chosen)
    if not point or point[0] != 0:
        raise CurveParameterError("EC public key BIT STRING has unused bits")
    rebuilt = keys.PublicKeyInfo(
        {
            "algorithm": {
                "algorithm": "ec",
                "parameters": keys.ECDomainParameters(
                    name="named", value=keys.NamedCurve(curve.oid)
                ),
            },
            "public_key": point[1:],
        }
    )
    return bytes(rebuilt.dump()), curve


def load_ec_public_key(spki_der: bytes) -> ec.EllipticCurvePublicKey:
    """Load an EC public key whose curve is named or spelled out explicitly."""
    der, curve = named_spki(spki_der)
    if curve is not None and curve.crypto_curve is None:
        spelled = "explicit parameters are" if der is not spki_der else "the key is on"
        raise UnsupportedCurveError(
            f"{spelled} {curve.name}, which the crypto backend does not support"
        )
    try:
        key = serialization.load_der_public_key(der)
    except ValueError as exc:
        raise CurveParameterError(f"EC public key cannot be loaded: {exc}") from exc
    except UnsupportedAlgorithm as exc:
        raise UnsupportedCurveError(f"EC public key uses an unsupported curve: {exc}") from exc
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise CurveParameterError("SubjectPublicKeyInfo does not hold an EC key")
    return key
