"""Key derivation of ICAO 9303 Part 11 §9.7.1 (shared by BAC, PACE and Chip Authentication).

``KDF(K, c) = H(K || c)`` with ``c`` a 32-bit big-endian counter: SHA-1 for 3DES and AES-128,
SHA-256 for AES-192/256. 3DES keys get their DES parity bits adjusted, as the standard requires.
"""

from __future__ import annotations

import hashlib
from typing import Literal

Cipher = Literal["3DES", "AES"]

KENC = 1
KMAC = 2
KPI = 3  # PACE password key


def _adjust_des_parity(key: bytes) -> bytes:
    out = bytearray(key)
    for i, b in enumerate(out):
        # odd parity over each byte (bit 0 is the parity bit)
        b &= 0xFE
        out[i] = b | (bin(b).count("1") + 1) % 2
    return bytes(out)


def kdf(secret: bytes, counter: int, *, cipher: Cipher, key_bits: int = 128) -> bytes:
    """Derive one key from the shared secret (the MRZ seed, the PACE/CA secret or the password)."""
    data = secret + counter.to_bytes(4, "big")
    if cipher == "3DES":
        if key_bits not in (112, 128):
            raise ValueError("3DES keys are 112-bit (two-key)")
        return _adjust_des_parity(hashlib.sha1(data).digest()[:16])
    if key_bits == 128:
        return hashlib.sha1(data).digest()[:16]
    if key_bits == 192:
        return hashlib.sha256(data).digest()[:24]
    if key_bits == 256:
        return hashlib.sha256(data).digest()
    raise ValueError(f"unsupported AES key length {key_bits}")


def session_keys(secret: bytes, *, cipher: Cipher, key_bits: int = 128) -> tuple[bytes, bytes]:
    """(KSenc, KSmac) from a shared secret."""
    return (
        kdf(secret, KENC, cipher=cipher, key_bits=key_bits),
        kdf(secret, KMAC, cipher=cipher, key_bits=key_bits),
    )
