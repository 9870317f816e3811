"""Object identifiers of the algorithms the documents name, and what each one means.

Signed data (SOD, CardSecurity, certificates, master lists), DG14 and DG15 name their digest,
signature and key algorithms by OID. PKI verification, Active Authentication, PACE and Chip
Authentication read the same identifiers, so each is spelled once here, in the bottom layer
every one of them may import: constants and small lookup tables only, no parsing.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes

# --- digests (NIST CSOR, RFC 3279) ------------------------------------------------------------

#: Digest algorithm OID -> hash name.
HASH_OIDS: dict[str, str] = {
    "1.3.14.3.2.26": "sha1",
    "2.16.840.1.101.3.4.2.4": "sha224",
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
}
#: Hash name -> the ``cryptography`` algorithm computing it.
HASH_ALGORITHMS: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}

# --- keys (RFC 3279, RFC 5480) ----------------------------------------------------------------

#: rsaEncryption: an RSA key, or PKCS #1 v1.5 with the hash named beside it (SignerInfo).
RSA_ENCRYPTION = "1.2.840.113549.1.1.1"
#: id-ecPublicKey (X9.62).
EC_PUBLIC_KEY = "1.2.840.10045.2.1"
#: dhpublicnumber (X9.42): a DH key with its domain parameters (p, g, q).
DH_PUBLIC_NUMBER = "1.2.840.10046.2.1"

# --- signatures (RFC 4055, RFC 5758, BSI TR-03111) --------------------------------------------

#: id-RSASSA-PSS: the hash, MGF and salt length are in its parameters.
RSASSA_PSS = "1.2.840.113549.1.1.10"
#: id-mgf1, the only mask generation function of RSASSA-PSS.
MGF1 = "1.2.840.113549.1.1.8"
#: Signature algorithm OID -> (family, hash name), for OIDs whose hash is part of the algorithm.
#: Families: ``rsa-pkcs1``; ``ecdsa`` (X9.62, DER-encoded r and s); ``ecdsa-plain``
#: (BSI TR-03111 §5.2.1: r || s, each as long as the group order).
SIGNATURE_SCHEMES: dict[str, tuple[str, str]] = {
    "1.2.840.113549.1.1.5": ("rsa-pkcs1", "sha1"),
    "1.2.840.113549.1.1.14": ("rsa-pkcs1", "sha224"),
    "1.2.840.113549.1.1.11": ("rsa-pkcs1", "sha256"),
    "1.2.840.113549.1.1.12": ("rsa-pkcs1", "sha384"),
    "1.2.840.113549.1.1.13": ("rsa-pkcs1", "sha512"),
    "1.2.840.10045.4.1": ("ecdsa", "sha1"),
    "1.2.840.10045.4.3.1": ("ecdsa", "sha224"),
    "1.2.840.10045.4.3.2": ("ecdsa", "sha256"),
    "1.2.840.10045.4.3.3": ("ecdsa", "sha384"),
    "1.2.840.10045.4.3.4": ("ecdsa", "sha512"),
    "0.4.0.127.0.7.1.1.4.1.1": ("ecdsa-plain", "sha1"),
    "0.4.0.127.0.7.1.1.4.1.2": ("ecdsa-plain", "sha224"),
    "0.4.0.127.0.7.1.1.4.1.3": ("ecdsa-plain", "sha256"),
    "0.4.0.127.0.7.1.1.4.1.4": ("ecdsa-plain", "sha384"),
    "0.4.0.127.0.7.1.1.4.1.5": ("ecdsa-plain", "sha512"),
}
#: The ECDSA schemes of :data:`SIGNATURE_SCHEMES`: those an ActiveAuthenticationInfo may name.
ECDSA_SCHEMES: dict[str, tuple[str, str]] = {
    oid: scheme for oid, scheme in SIGNATURE_SCHEMES.items() if scheme[0].startswith("ecdsa")
}
