"""The chip's side of Active Authentication: signing INTERNAL AUTHENTICATE challenges.

A reader only verifies AA answers (:mod:`cccd_reader.auth.active`); signing them is what the
virtual chip does (``cccd_sim.auth_chip``), and what the tests do to make answers of every
kind, so the ISO/IEC 9796-2 signer lives here, beside the chip.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.asymmetric import ec, rsa, utils

from cccd_reader import oids
from cccd_reader.auth.active import (
    HASH_IDENTIFIERS,
    TRAILER_EXPLICIT,
    TRAILER_IMPLICIT,
    digest_size,
    hash_digest,
    representative_length,
)
from cccd_reader.rng import Rng

_HASH_ID_BY_NAME = {name: ident for ident, name in HASH_IDENTIFIERS.items()}


def iso9796_2_capacity(n: int, hash_name: str = "sha1", *, explicit_trailer: bool = False) -> int:
    """Most bytes of M1 a key of modulus ``n`` can carry (header byte, hash and trailer off)."""
    return representative_length(n) - 1 - digest_size(hash_name) - (2 if explicit_trailer else 1)


def iso9796_2_sign(
    private_key: rsa.RSAPrivateKey | tuple[int, int],
    m1: bytes,
    m2: bytes,
    *,
    hash_name: str = "sha1",
    explicit_trailer: bool = False,
) -> bytes:
    """Scheme 1 signature of M = M1 || M2 with M1 recoverable (what an AA chip returns).

    The representative is ``header || padding || M1 || H(M) || trailer``; the signature is the
    smaller of J^d mod n and n - (J^d mod n), as ISO/IEC 9796-2 specifies for RSA, so the
    verifier tells them apart by the trailer nibble. With ``explicit_trailer`` False the trailer
    is ``BC`` and ``hash_name`` is the hash both sides agreed on beforehand: ICAO fixes it to
    SHA-1, so AA chips use ``xx CC`` for any other hash. ``private_key`` may be a bare
    ``(n, d)`` for published vectors whose keys ``cryptography`` refuses to load (e = 3).
    """
    if isinstance(private_key, tuple):
        n, d = private_key
    else:
        numbers = private_key.private_numbers()
        n, d = numbers.public_numbers.n, numbers.d
    if explicit_trailer and hash_name not in _HASH_ID_BY_NAME:
        raise ValueError(f"no ISO/IEC 10118-3 identifier for {hash_name}")
    capacity = iso9796_2_capacity(n, hash_name, explicit_trailer=explicit_trailer)
    if len(m1) > capacity:
        raise ValueError(f"M1 of {len(m1)} bytes exceeds the capacity of {capacity}")
    header = 0x60 if m2 else 0x40
    pad = capacity - len(m1)
    if pad:
        first = bytes([header | 0x0B]) + b"\xbb" * (pad - 1) + b"\xba"
    else:
        first = bytes([header | 0x0A])
    trailer = (
        bytes([_HASH_ID_BY_NAME[hash_name], TRAILER_EXPLICIT])
        if explicit_trailer
        else bytes([TRAILER_IMPLICIT])
    )
    j = first + m1 + hash_digest(hash_name, m1 + m2) + trailer
    length = representative_length(n)
    s = pow(int.from_bytes(j, "big"), d, n)
    s = min(s, n - s)
    return s.to_bytes(length, "big")


def sign_challenge(
    private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
    challenge: bytes,
    *,
    signature_algorithm: str | None = None,
    rng: Rng = os.urandom,
    hash_name: str = "sha1",
) -> bytes:
    """The chip's answer to INTERNAL AUTHENTICATE (used by the virtual chip and the tests).

    RSA: ISO 9796-2 scheme 1 over a random M1 filling the representative, then the challenge;
    SHA-1 uses the implicit trailer, other hashes the explicit one. EC: ECDSA with the
    ``signature_algorithm`` OID of DG14's ActiveAuthenticationInfo (plain r||s for the
    BSI ecdsa-plain OIDs, DER for X9.62 ones).
    """
    if isinstance(private_key, rsa.RSAPrivateKey):
        explicit = hash_name != "sha1"
        n = private_key.private_numbers().public_numbers.n
        m1 = rng(iso9796_2_capacity(n, hash_name, explicit_trailer=explicit))
        return iso9796_2_sign(
            private_key, m1, challenge, hash_name=hash_name, explicit_trailer=explicit
        )
    if signature_algorithm is None:
        raise ValueError("ECDSA active authentication needs the signature algorithm OID")
    family, hash_id = oids.ECDSA_SCHEMES[signature_algorithm]
    der = private_key.sign(challenge, ec.ECDSA(oids.HASH_ALGORITHMS[hash_id]()))
    if family == "ecdsa":
        return der
    r, s = utils.decode_dss_signature(der)
    size = (private_key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")
