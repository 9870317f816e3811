"""The virtual chip's Active Authentication signer, checked with an independent RSA."""

from __future__ import annotations

import hashlib
import os

import pytest
from Crypto.PublicKey import RSA
from cryptography.hazmat.primitives.asymmetric import rsa

from cccd_reader.auth import active
from cccd_reader.auth.active import iso9796_2_verify
from cccd_sim.aa_signer import sign_challenge


@pytest.fixture(scope="module")
def rsa_1024() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


@pytest.mark.parametrize("hash_name", ["sha1", "sha224", "sha256", "sha384", "sha512"])
def test_iso9796_2_round_trip_cross_checked_with_pycryptodome(
    rsa_1024: rsa.RSAPrivateKey, hash_name: str
) -> None:
    challenge = os.urandom(8)
    signature = sign_challenge(rsa_1024, challenge, hash_name=hash_name)
    numbers = rsa_1024.public_key().public_numbers()
    # pycryptodome's raw RSA opens the signature to the representative (or n minus it)
    raw = RSA.construct((numbers.n, numbers.e))._encrypt(int.from_bytes(signature, "big"))
    j = raw if raw & 0x0F == 0x0C else numbers.n - raw
    rep = j.to_bytes(128, "big")
    assert rep[0] == 0x6A  # partial recovery, no padding: M1 fills the representative
    expected_trailer = b"\xbc" if hash_name == "sha1" else bytes(
        [{v: k for k, v in active.HASH_IDENTIFIERS.items()}[hash_name], 0xCC])
    assert rep.endswith(expected_trailer)
    digest = hashlib.new(hash_name).digest_size
    m1 = rep[1 : 128 - len(expected_trailer) - digest]
    assert rep[128 - len(expected_trailer) - digest : 128 - len(expected_trailer)] == (
        hashlib.new(hash_name, m1 + challenge).digest()
    )
    rec = iso9796_2_verify(rsa_1024.public_key(), signature, challenge)
    assert rec.hash_name == hash_name and rec.m1 == m1

