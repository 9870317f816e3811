"""Explicit elliptic-curve domain parameters, mapped back to the named curves they spell out.

Many ICAO certificates (German, French and other CSCAs and DSCs, and DG14/DG15 keys) carry the
whole curve (prime, coefficients, generator, order, cofactor) instead of a curve OID, as
BSI TR-03110 once recommended. ``cryptography`` refuses such keys. Rather than doing curve
arithmetic ourselves, the explicit parameters are compared field by field with the known
curves below; on an exact match the key is loaded as that named curve and every check of
``cryptography`` (point on curve, ...) applies unchanged. Parameters that match nothing are
reported as unsupported: accepting an unknown curve would let an attacker choose a weak one.

The constants are the published domain parameters (SEC 2 for the NIST and Koblitz curves,
RFC 5639 for brainpool); tests cross-check them against ``cryptography`` and OpenSSL.
"""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import core, keys
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cccd_reader.errors import ASN1_ERRORS, CccdError


class UnsupportedCurveError(CccdError):
    """The key's curve is not one we can verify with (unknown parameters or no backend)."""


class CurveParameterError(CccdError):
    """The EC parameters or point are malformed (not the same as merely unknown)."""


@dataclass(frozen=True, slots=True)
class CurveParams:
    """A prime-field curve y² = x³ + ax + b over GF(p), generator (gx, gy) of order n."""

    name: str
    #: The curve's named-curve OID, used to re-express an explicit key as a named one.
    oid: str
    #: The ``cryptography`` curve class, or None when ``cryptography`` lacks the curve.
    crypto_curve: type[ec.EllipticCurve] | None
    p: int
    a: int
    b: int
    gx: int
    gy: int
    n: int
    h: int

    @property
    def byte_length(self) -> int:
        return (self.p.bit_length() + 7) // 8


KNOWN_CURVES: tuple[CurveParams, ...] = (
    CurveParams(
        name="P-224",
        oid="1.3.132.0.33",
        crypto_curve=ec.SECP224R1,
        p=0xffffffffffffffffffffffffffffffff000000000000000000000001,
        a=0xfffffffffffffffffffffffffffffffefffffffffffffffffffffffe,
        b=0xb4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4,
        gx=0xb70e0cbd6bb4bf7f321390b94a03c1d356c21122343280d6115c1d21,
        gy=0xbd376388b5f723fb4c22dfe6cd4375a05a07476444d5819985007e34,
        n=0xffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d,
        h=1,
    ),
    CurveParams(
        name="P-256",
        oid="1.2.840.10045.3.1.7",
        crypto_curve=ec.SECP256R1,
        p=0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff,
        a=0xffffffff00000001000000000000000000000000fffffffffffffffffffffffc,
        b=0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b,
        gx=0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296,
        gy=0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5,
        n=0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551,
        h=1,
    ),
    CurveParams(
        name="P-384",
        oid="1.3.132.0.34",
        crypto_curve=ec.SECP384R1,
        p=int(
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"
            "ffffffff0000000000000000ffffffff",
            16,
        ),
        a=int(
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"
            "ffffffff0000000000000000fffffffc",
            16,
        ),
        b=int(
            "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875a"
            "c656398d8a2ed19d2a85c8edd3ec2aef",
            16,
        ),
        gx=int(
            "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a38"
            "5502f25dbf55296c3a545e3872760ab7",
            16,
        ),
        gy=int(
            "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c0"
            "0a60b1ce1d7e819d7a431d7c90ea0e5f",
            16,
        ),
        n=int(
            "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
            "581a0db248b0a77aecec196accc52973",
            16,
        ),
        h=1,
    ),
    CurveParams(
        name="P-521",
        oid="1.3.132.0.35",
        crypto_curve=ec.SECP521R1,
        p=int(
            "1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
            "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
            "fff",
            16,
        ),
        a=int(
            "1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
            "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
            "ffc",
            16,
        ),
        b=int(
            "51953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109"
            "e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f"
            "00",
            16,
        ),
        gx=int(
            "c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3d"
            "baa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd"
            "66",
            16,
        ),
        gy=int(
            "11839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e6"
            "62c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16"
            "650",
            16,
        ),
        n=int(
            "1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
            "ffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386"
            "409",
            16,
        ),
        h=1,
    ),
    CurveParams(
        name="brainpoolP224r1",
        oid="1.3.36.3.3.2.8.1.1.5",
        crypto_curve=None,
        p=0xd7c134aa264366862a18302575d1d787b09f075797da89f57ec8c0ff,
        a=0x68a5e62ca9ce6c1c299803a6c1530b514e182ad8b0042a59cad29f43,
        b=0x2580f63ccfe44138870713b1a92369e33e2135d266dbb372386c400b,
        gx=0xd9029ad2c7e5cf4340823b2a87dc68c9e4ce3174c1e6efdee12c07d,
        gy=0x58aa56f772c0726f24c6b89e4ecdac24354b9e99caa3f6d3761402cd,
        n=0xd7c134aa264366862a18302575d0fb98d116bc4b6ddebca3a5a7939f,
        h=1,
    ),
    CurveParams(
        name="brainpoolP256r1",
        oid="1.3.36.3.3.2.8.1.1.7",
        crypto_curve=ec.BrainpoolP256R1,
        p=0xa9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377,
        a=0x7d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9,
        b=0x26dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b6,
        gx=0x8bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262,
        gy=0x547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997,
        n=0xa9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7,
        h=1,
    ),
    CurveParams(
        name="brainpoolP320r1",
        oid="1.3.36.3.3.2.8.1.1.9",
        crypto_curve=None,
        p=int(
            "d35e472036bc4fb7e13c785ed201e065f98fcfa6f6f40def4f92b9ec7893ec28"
            "fcd412b1f1b32e27",
            16,
        ),
        a=int(
            "3ee30b568fbab0f883ccebd46d3f3bb8a2a73513f5eb79da66190eb085ffa9f4"
            "92f375a97d860eb4",
            16,
        ),
        b=int(
            "520883949dfdbc42d3ad198640688a6fe13f41349554b49acc31dccd88453981"
            "6f5eb4ac8fb1f1a6",
            16,
        ),
        gx=int(
            "43bd7e9afb53d8b85289bcc48ee5bfe6f20137d10a087eb6e7871e2a10a599c7"
            "10af8d0d39e20611",
            16,
        ),
        gy=int(
            "14fdd05545ec1cc8ab4093247f77275e0743ffed117182eaa9c77877aaac6ac7"
            "d35245d1692e8ee1",
            16,
        ),
        n=int(
            "d35e472036bc4fb7e13c785ed201e065f98fcfa5b68f12a32d482ec7ee8658e9"
            "8691555b44c59311",
            16,
        ),
        h=1,
    ),
    CurveParams(
        name="brainpoolP384r1",
        oid="1.3.36.3.3.2.8.1.1.11",
        crypto_curve=ec.BrainpoolP384R1,
        p=int(
            "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b412b1da197fb71123"
            "acd3a729901d1a71874700133107ec53",
            16,
        ),
        a=int(
            "7bc382c63d8c150c3c72080ace05afa0c2bea28e4fb22787139165efba91f90f"
            "8aa5814a503ad4eb04a8c7dd22ce2826",
            16,
        ),
        b=int(
            "4a8c7dd22ce28268b39b55416f0447c2fb77de107dcd2a62e880ea53eeb62d57"
            "cb4390295dbc9943ab78696fa504c11",
            16,
        ),
        gx=int(
            "1d1c64f068cf45ffa2a63a81b7c13f6b8847a3e77ef14fe3db7fcafe0cbd10e8"
            "e826e03436d646aaef87b2e247d4af1e",
            16,
        ),
        gy=int(
            "8abe1d7520f9c2a45cb1eb8e95cfd55262b70b29feec5864e19c054ff9912928"
            "0e4646217791811142820341263c5315",
            16,
        ),
        n=int(
            "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7"
            "cf3ab6af6b7fc3103b883202e9046565",
            16,
        ),
        h=1,
    ),
    CurveParams(
        name="brainpoolP512r1",
        oid="1.3.36.3.3.2.8.1.1.13",
        crypto_curve=ec.BrainpoolP512R1,
        p=int(
            "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330871"
            "7d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f3",
            16,
        ),
        a=int(
            "7830a3318b603b89e2327145ac234cc594cbdd8d3df91610a83441caea9863bc"
            "2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94ca",
            16,
        ),
        b=int(
            "3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a7"
            "2bf2c7b9e7c1ac4d77fc94cadc083e67984050b75ebae5dd2809bd638016f723",
            16,
        ),
        gx=int(
            "81aee4bdd82ed9645a21322e9c4c6a9385ed9f70b5d916c1b43b62eef4d0098e"
            "ff3b1f78e2d0d48d50d1687b93b97d5f7c6d5047406a5e688b352209bcb9f822",
            16,
        ),
        gy=int(
            "7dde385d566332ecc0eabfa9cf7822fdf209f70024a57b1aa000c55b881f8111"
            "b2dcde494a5f485e5bca4bd88a2763aed1ca2b2fa8f0540678cd1e0f3ad80892",
            16,
        ),
        n=int(
            "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870"
            "553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069",
            16,
        ),
        h=1,
    ),
    CurveParams(
        name="secp256k1",
        oid="1.3.132.0.10",
        crypto_curve=ec.SECP256K1,
        p=0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f,
        a=0x0,
        b=0x7,
        gx=0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,
        gy=0x483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8,
        n=0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141,
        h=1,
    ),
)

_BY_OID = {curve.oid: curve for curve in KNOWN_CURVES}


def curve_by_oid(oid: str) -> CurveParams | None:
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


def match_specified(domain: keys.SpecifiedECDomain) -> CurveParams:
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


def named_spki(spki_der: bytes) -> tuple[bytes, CurveParams | None]:
    """Rewrite an EC SubjectPublicKeyInfo with explicit parameters to its named-curve form.

    Returns the DER to load and the curve matched (None when the key was already named or is
    not an EC key, in which case the input is returned unchanged).
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
        return spki_der, None
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
        raise UnsupportedCurveError(
            f"explicit parameters are {curve.name}, which the crypto backend does not support"
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
