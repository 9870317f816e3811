"""Signature verification for eMRTD security objects, certificates, CRLs and master lists.

The algorithm always comes from the signature's own AlgorithmIdentifier (the SignerInfo's, the
certificate's or the CRL's), never from the key: a verifier that picks the scheme by key type
can be talked into a weaker hash or padding than the signer used. The only exception ICAO forces
on us is ``rsaEncryption`` used as a *signature* algorithm (seen in real SODs), which names no
hash; the caller must then pass the SignerInfo's digestAlgorithm explicitly.

Two kinds of failure are kept apart because they mean opposite things to a user:
:class:`SignatureInvalid` (we checked, and the data or signature is wrong: fail loudly) and
:class:`AlgorithmUnsupported` (we could not check at all: report, never pass or fail).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from asn1crypto import algos
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

from cccd_reader import oids
from cccd_reader.errors import ASN1_ERRORS, CccdError
from cccd_reader.lds.spki import NEGATIVE_MODULUS_WARNING, read_spki
from cccd_reader.pki import curves, ecdsa_fallback

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


# --- errors ------------------------------------------------------------------------------------


class SignatureError(CccdError):
    """Base of the errors of this module; catch it to handle every signature outcome but OK."""


class SignatureInvalid(SignatureError):
    """The signature was checked and does not verify (or cannot belong to this key)."""


class AlgorithmUnsupported(SignatureError):
    """The algorithm, its parameters or the key's curve are not supported: nothing was checked."""


class KeyInvalid(SignatureError):
    """The public key (SubjectPublicKeyInfo) is malformed."""


#: Every exception :func:`verify_signature` raises on purpose.
SIGNATURE_ERRORS: tuple[type[SignatureError], ...] = (
    SignatureInvalid,
    AlgorithmUnsupported,
    KeyInvalid,
)


# --- algorithm tables --------------------------------------------------------------------------

SHA1_WARNING = "SHA-1 is broken for collision resistance; accepted only for legacy documents"


@dataclass(frozen=True, slots=True)
class VerifiedSignature:
    """What was proven: which scheme verified, with which key, and any caveats."""

    #: ``"ecdsa-sha256"``, ``"rsa-pkcs1-sha256"``, ``"rsa-pss-sha256"``...
    scheme: str
    hash_algorithm: str
    #: ``"ECDSA brainpoolP256r1"``, ``"RSA-2048"``, with ``" (explicit parameters)"`` if so.
    key: str
    #: ``"der"`` or ``"plain"`` for ECDSA, None for RSA.
    ecdsa_format: str | None
    warnings: tuple[str, ...] = ()


# --- keys --------------------------------------------------------------------------------------


def load_public_key(spki_der: bytes) -> tuple[PublicKey, str]:
    """Load a SubjectPublicKeyInfo (EC keys may carry explicit parameters); return a description.

    Raises :class:`AlgorithmUnsupported` for unknown key types or curves, :class:`KeyInvalid`
    for malformed keys.
    """
    try:
        der, matched = curves.named_spki(spki_der)
    except curves.UnsupportedCurveError as exc:
        raise AlgorithmUnsupported(str(exc)) from exc
    except curves.CurveParameterError as exc:
        raise KeyInvalid(str(exc)) from exc
    explicit = der is not spki_der
    if matched is not None and matched.crypto_curve is None:
        spelled = " (explicit parameters)" if explicit else ""
        raise AlgorithmUnsupported(
            f"key on {matched.name}{spelled}: the crypto backend does not verify ECDSA on it"
        )
    read = read_spki(der)
    try:
        key = serialization.load_der_public_key(read.der)
    except UnsupportedAlgorithm as exc:
        raise AlgorithmUnsupported(f"unsupported public key: {exc}") from exc
    except ValueError as exc:
        raise KeyInvalid(f"public key cannot be loaded: {exc}") from exc
    if isinstance(key, rsa.RSAPublicKey):
        if read.negative_modulus:
            return key, f"RSA-{key.key_size} ({NEGATIVE_MODULUS_WARNING})"
        return key, f"RSA-{key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        name = matched.name if explicit and matched is not None else key.curve.name
        suffix = " (explicit parameters)" if explicit else ""
        return key, f"ECDSA {name}{suffix}"
    raise AlgorithmUnsupported(f"unsupported public key type {type(key).__name__}")


# --- algorithm identifiers ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Scheme:
    family: str  # "rsa-pkcs1", "rsa-pss", "ecdsa", "ecdsa-plain"
    hash_name: str
    mgf1_hash: str | None = None
    salt_length: int | None = None


def _pss_scheme(params: algos.RSASSAPSSParams) -> _Scheme:
    """RSASSA-PSS-params (RFC 4055 §3.1); absent fields take their SHA-1 defaults."""
    hash_oid = params["hash_algorithm"]["algorithm"].dotted
    if hash_oid not in oids.HASH_OIDS:
        raise AlgorithmUnsupported(f"RSASSA-PSS with unsupported hash {hash_oid}")
    mgf = params["mask_gen_algorithm"]
    mgf_oid = mgf["algorithm"].dotted
    if mgf_oid != oids.MGF1:
        raise AlgorithmUnsupported(f"RSASSA-PSS with unsupported mask generation {mgf_oid}")
    mgf_hash_oid = mgf["parameters"]["algorithm"].dotted
    if mgf_hash_oid not in oids.HASH_OIDS:
        raise AlgorithmUnsupported(f"RSASSA-PSS with unsupported MGF1 hash {mgf_hash_oid}")
    salt_length = int(params["salt_length"].native)
    trailer = params["trailer_field"].native
    if trailer not in ("trailer_field_bc", 1):
        raise AlgorithmUnsupported(f"RSASSA-PSS trailer field {trailer!r} is not 0xBC")
    if salt_length < 0:
        raise AlgorithmUnsupported("RSASSA-PSS with a negative salt length")
    return _Scheme("rsa-pss", oids.HASH_OIDS[hash_oid], oids.HASH_OIDS[mgf_hash_oid], salt_length)


def _scheme(algorithm_der: bytes, digest_algorithm: str | None) -> _Scheme:
    try:
        algorithm = algos.SignedDigestAlgorithm.load(algorithm_der, strict=True)
        oid = algorithm["algorithm"].dotted
        if oid in oids.SIGNATURE_SCHEMES:
            family, hash_name = oids.SIGNATURE_SCHEMES[oid]
            return _Scheme(family, hash_name)
        if oid == oids.RSASSA_PSS:
            params = algorithm["parameters"]
            if not isinstance(params, algos.RSASSAPSSParams):
                params = algos.RSASSAPSSParams({})  # absent parameters: all defaults
            return _pss_scheme(params)
    except ASN1_ERRORS as exc:
        raise AlgorithmUnsupported(f"signature AlgorithmIdentifier is malformed: {exc}") from exc
    if oid == oids.RSA_ENCRYPTION:
        if digest_algorithm is None or digest_algorithm not in oids.HASH_ALGORITHMS:
            raise AlgorithmUnsupported(
                "rsaEncryption as signature algorithm needs a known digestAlgorithm"
            )
        return _Scheme("rsa-pkcs1", digest_algorithm)
    raise AlgorithmUnsupported(f"unsupported signature algorithm {oid}")


# --- verification ------------------------------------------------------------------------------


def _ecdsa_der(signature: bytes, key: ec.EllipticCurvePublicKey, plain: bool) -> tuple[bytes, str]:
    """The signature as DER (what ``cryptography`` verifies) and the form it arrived in."""
    r, s, form = _ecdsa_rs(signature, (key.curve.group_order.bit_length() + 7) // 8, plain)
    return (signature if form == "der" else utils.encode_dss_signature(r, s)), form


def _ecdsa_rs(signature: bytes, order_len: int, plain: bool) -> tuple[int, int, str]:
    """(r, s) and the form the signature arrived in: strict DER, or r || s."""
    if not plain:
        try:
            r, s = utils.decode_dss_signature(signature)
            if utils.encode_dss_signature(r, s) == signature:
                return r, s, "der"
        except ValueError:
            pass
        # Some issuers put r || s under the X9.62 OID. Reading it as plain changes nothing in
        # what is verified (the same r and s are checked against the same key and hash).
        if len(signature) != 2 * order_len:
            raise SignatureInvalid("ECDSA signature is neither DER nor r||s of the curve's size")
    elif len(signature) != 2 * order_len:
        raise SignatureInvalid(
            f"plain ECDSA signature is {len(signature)} bytes, the curve needs {2 * order_len}"
        )
    r = int.from_bytes(signature[:order_len], "big")
    s = int.from_bytes(signature[order_len:], "big")
    return r, s, "plain"


def _verify_fallback(
    key: ecdsa_fallback.FallbackKey,
    algorithm_der: bytes,
    data: bytes,
    signature: bytes,
    digest_algorithm: str | None,
) -> VerifiedSignature:
    """ECDSA on a curve the backend lacks, with the project's EC arithmetic (public data)."""
    scheme = _scheme(algorithm_der, digest_algorithm)
    description = f"ECDSA {key.description}"
    if scheme.family not in ("ecdsa", "ecdsa-plain"):
        raise SignatureInvalid(f"{scheme.family} signature but the signer key is {description}")
    r, s, form = _ecdsa_rs(signature, key.order_bytes, scheme.family == "ecdsa-plain")
    warnings = [f"{key.description} is not in the crypto backend: verified with the project's "
                "own EC arithmetic"]
    if scheme.hash_name == "sha1":
        warnings.append(SHA1_WARNING)
    if form == "plain" and scheme.family == "ecdsa":
        warnings.append("ECDSA signature is plain r||s although the OID announces DER")
    digest = hashlib.new(scheme.hash_name, data).digest()
    if not ecdsa_fallback.verify(key, digest, r, s):
        raise SignatureInvalid(
            f"ecdsa-{scheme.hash_name} signature does not verify with {description}"
        )
    return VerifiedSignature(
        scheme=f"ecdsa-{scheme.hash_name}",
        hash_algorithm=scheme.hash_name,
        key=description,
        ecdsa_format=form,
        warnings=tuple(warnings),
    )


def verify_signature(
    public_key: bytes | PublicKey,
    algorithm_der: bytes,
    data: bytes,
    signature: bytes,
    *,
    digest_algorithm: str | None = None,
    key_description: str | None = None,
) -> VerifiedSignature:
    """Verify ``signature`` over ``data``; return what was proven or raise a SignatureError.

    ``public_key`` is a DER SubjectPublicKeyInfo (EC keys may have explicit parameters) or an
    already loaded key; ``key_description`` is what :func:`load_public_key` said of a loaded
    key (its explicit parameters, a negative modulus), so a key loaded once and kept verifies
    with the same notes. ``algorithm_der`` is the DER AlgorithmIdentifier that came with the
    signature. ``digest_algorithm`` (``"sha256"``...) is used only for ``rsaEncryption``.
    """
    if isinstance(public_key, bytes):
        try:
            key, description = load_public_key(public_key)
        except AlgorithmUnsupported as exc:
            try:
                fallback = ecdsa_fallback.load(public_key)
            except ecdsa_fallback.FallbackUnavailable:
                raise exc from None
            return _verify_fallback(fallback, algorithm_der, data, signature, digest_algorithm)
    elif key_description is not None:
        key, description = public_key, key_description
    else:
        key = public_key
        if isinstance(key, rsa.RSAPublicKey):
            description = f"RSA-{key.key_size}"
        else:
            description = f"ECDSA {key.curve.name}"
    scheme = _scheme(algorithm_der, digest_algorithm)
    hash_algorithm = oids.HASH_ALGORITHMS[scheme.hash_name]()
    warnings: list[str] = []
    if NEGATIVE_MODULUS_WARNING in description:
        description = description.replace(f" ({NEGATIVE_MODULUS_WARNING})", "")
        warnings.append(NEGATIVE_MODULUS_WARNING.removeprefix("warning: "))
    if "sha1" in (scheme.hash_name, scheme.mgf1_hash):
        warnings.append(SHA1_WARNING)
    ecdsa_format: str | None = None
    try:
        if scheme.family in ("ecdsa", "ecdsa-plain"):
            if not isinstance(key, ec.EllipticCurvePublicKey):
                raise SignatureInvalid(f"ECDSA signature but the signer key is {description}")
            der, ecdsa_format = _ecdsa_der(signature, key, scheme.family == "ecdsa-plain")
            if ecdsa_format == "plain" and scheme.family == "ecdsa":
                warnings.append("ECDSA signature is plain r||s although the OID announces DER")
            key.verify(der, data, ec.ECDSA(hash_algorithm))
            name = f"ecdsa-{scheme.hash_name}"
        else:
            if not isinstance(key, rsa.RSAPublicKey):
                raise SignatureInvalid(f"RSA signature but the signer key is {description}")
            if key.key_size < 2048:
                warnings.append(f"RSA key of {key.key_size} bits is below 2048")
            if scheme.family == "rsa-pss":
                pad: padding.AsymmetricPadding = padding.PSS(
                    mgf=padding.MGF1(
                        oids.HASH_ALGORITHMS[scheme.mgf1_hash or scheme.hash_name]()
                    ),
                    salt_length=scheme.salt_length or 0,
                )
            else:
                pad = padding.PKCS1v15()
            key.verify(signature, data, pad, hash_algorithm)
            name = f"{scheme.family}-{scheme.hash_name}"
    except InvalidSignature as exc:
        raise SignatureInvalid(
            f"{scheme.family}-{scheme.hash_name} signature does not verify with {description}"
        ) from exc
    except UnsupportedAlgorithm as exc:
        raise AlgorithmUnsupported(f"backend cannot verify {scheme.family}: {exc}") from exc
    return VerifiedSignature(
        scheme=name,
        hash_algorithm=scheme.hash_name,
        key=description,
        ecdsa_format=ecdsa_format,
        warnings=tuple(warnings),
    )
