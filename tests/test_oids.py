"""The OID tables against asn1crypto's registry and the hash algorithms they name."""

from __future__ import annotations

from asn1crypto import algos, keys

from cccd_reader import oids


def test_hash_oids_are_asn1cryptos_digest_algorithms() -> None:
    for oid, name in oids.HASH_OIDS.items():
        assert algos.DigestAlgorithmId.map(oid) == name
        assert oids.HASH_ALGORITHMS[name]().name == name


def test_signature_schemes_match_asn1crypto_names() -> None:
    family_suffix = {"rsa-pkcs1": "rsa", "ecdsa": "ecdsa"}
    plain = 0
    for oid, (family, hash_name) in oids.SIGNATURE_SCHEMES.items():
        assert hash_name in oids.HASH_ALGORITHMS
        if family == "ecdsa-plain":
            # BSI TR-03111 §5.2.1 ecdsa-plain-signatures: 0.4.0.127.0.7.1.1.4.1.<n>
            assert oid.startswith("0.4.0.127.0.7.1.1.4.1.")
            plain += 1
            continue
        assert algos.SignedDigestAlgorithmId.map(oid) == f"{hash_name}_{family_suffix[family]}"
    assert plain == 5


def test_key_and_pss_oids() -> None:
    assert algos.SignedDigestAlgorithmId.map(oids.RSASSA_PSS) == "rsassa_pss"
    assert algos.MaskGenAlgorithmId.map(oids.MGF1) == "mgf1"
    assert keys.PublicKeyAlgorithmId.map(oids.RSA_ENCRYPTION) == "rsa"
    assert keys.PublicKeyAlgorithmId.map(oids.EC_PUBLIC_KEY) == "ec"
    assert keys.PublicKeyAlgorithmId.map(oids.DH_PUBLIC_NUMBER) == "dh"


def test_ecdsa_schemes_are_the_ecdsa_rows() -> None:
    assert set(oids.ECDSA_SCHEMES) == {
        oid for oid, (family, _) in oids.SIGNATURE_SCHEMES.items() if family != "rsa-pkcs1"
    }
    assert len(oids.ECDSA_SCHEMES) == 10
