"""SubjectPublicKeyInfo as real documents encode it: the one reader of a key's DER.

Issued documents bend DER. The BSI's 2008 reference passport stores its DG15 RSA modulus as a
*negative* INTEGER (the top bit set without the leading zero byte DER needs); OpenSSL reads it
unsigned and so do we, saying so. DG15 (:mod:`cccd_reader.lds.dg15`), Active Authentication
and signature verification (:mod:`cccd_reader.pki.signatures`) and conformance's
``LDS-KEY-001`` all read keys through :func:`read_spki`, so they cannot disagree on a key.
"""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import keys

from cccd_reader.errors import ASN1_ERRORS

#: Said wherever a key's modulus had to be read as unsigned.
NEGATIVE_MODULUS_WARNING = (
    "warning: the RSA modulus is encoded as a negative INTEGER; read as unsigned, as OpenSSL "
    "does (a DER encoding error of the issuer)"
)


@dataclass(frozen=True, slots=True)
class ReadKey:
    """A SubjectPublicKeyInfo made loadable: ``der`` is the input, or its repaired DER when
    the issuer's encoding had to be read leniently (each repair is in ``warnings``)."""

    der: bytes
    warnings: tuple[str, ...] = ()

    @property
    def negative_modulus(self) -> bool:
        return NEGATIVE_MODULUS_WARNING in self.warnings


def read_spki(spki_der: bytes) -> ReadKey:
    """The key as a DER parser can load it, with what had to be read leniently.

    Only the negative RSA modulus is repaired (re-encoded unsigned, the exponent kept); any
    other input comes back unchanged for the caller's own parser to accept or refuse.
    """
    try:
        info = keys.PublicKeyInfo.load(spki_der, strict=True)
        if info["algorithm"]["algorithm"].native != "rsa":
            return ReadKey(spki_der)
        parsed = info["public_key"].parsed
        modulus_bytes = parsed["modulus"].contents
        exponent = int(parsed["public_exponent"].native)
    except ASN1_ERRORS:
        return ReadKey(spki_der)
    if not modulus_bytes or modulus_bytes[0] < 0x80 or exponent <= 0:
        return ReadKey(spki_der)
    modulus = int.from_bytes(modulus_bytes, "big")
    repaired = keys.PublicKeyInfo({
        "algorithm": {"algorithm": "rsa"},
        "public_key": keys.RSAPublicKey({"modulus": modulus, "public_exponent": exponent}),
    }).dump()
    return ReadKey(repaired, (NEGATIVE_MODULUS_WARNING,))
