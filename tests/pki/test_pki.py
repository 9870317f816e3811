"""Curves, signature schemes and the trust store (master lists, directories, CRLs)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import algos, keys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.x509.oid import NameOID

from cccd_reader import named_curves
from cccd_reader.named_curves import NamedCurve
from cccd_reader.pki import curves
from cccd_reader.pki.signatures import (
    AlgorithmUnsupported,
    SignatureInvalid,
    load_public_key,
    verify_signature,
)
from cccd_reader.pki.trust import (
    MasterListError,
    TrustStore,
)

SAMPLES_PKI = Path(__file__).resolve().parents[2] / "samples" / "pki"
DATA = b"data signed by a document signer"


def spki(key: Any) -> bytes:
    der: bytes = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return der


def alg(name: str, parameters: Any = None) -> bytes:
    value: dict[str, Any] = {"algorithm": name}
    if parameters is not None:
        value["parameters"] = parameters
    return bytes(algos.SignedDigestAlgorithm(value).dump())


def explicit_spki(public_key: ec.EllipticCurvePublicKey, params: NamedCurve) -> bytes:
    """The key re-encoded with explicit domain parameters, as many ICAO certificates are."""
    size = params.byte_length
    domain = keys.SpecifiedECDomain(
        {
            "version": "ecdpVer1",
            "field_id": {"field_type": "prime_field", "parameters": params.p},
            "curve": {"a": params.a.to_bytes(size, "big"), "b": params.b.to_bytes(size, "big")},
            "base": b"\x04" + params.gx.to_bytes(size, "big") + params.gy.to_bytes(size, "big"),
            "order": params.n,
            "cofactor": params.h,
        }
    )
    point = public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    info = keys.PublicKeyInfo(
        {
            "algorithm": {
                "algorithm": "ec",
                "parameters": keys.ECDomainParameters(name="specified", value=domain),
            },
            "public_key": point,
        }
    )
    return bytes(info.dump())


# --- curves ------------------------------------------------------------------------------------


@pytest.mark.parametrize("params", curves.KNOWN_CURVES, ids=lambda c: c.name)
def test_curve_constants_are_consistent(params: NamedCurve) -> None:
    assert (params.gy**2 - params.gx**3 - params.a * params.gx - params.b) % params.p == 0
    if params.crypto_curve is not None:
        curve = params.crypto_curve()
        generator = ec.derive_private_key(1, curve).public_key().public_numbers()
        assert (generator.x, generator.y) == (params.gx, params.gy)
        assert curve.group_order == params.n
        # 2G computed by the backend must lie on the curve with our a and b.
        two = ec.derive_private_key(2, curve).public_key().public_numbers()
        assert (two.y**2 - two.x**3 - params.a * two.x - params.b) % params.p == 0


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl binary not installed")
@pytest.mark.parametrize("params", curves.KNOWN_CURVES, ids=lambda c: c.name)
def test_curve_constants_match_openssl(params: NamedCurve) -> None:
    name = {"P-224": "secp224r1", "P-256": "prime256v1", "P-384": "secp384r1",
            "P-521": "secp521r1"}.get(params.name, params.name)
    der = subprocess.run(
        ["openssl", "ecparam", "-name", name, "-param_enc", "explicit", "-outform", "DER"],
        capture_output=True,
        check=True,
    ).stdout
    assert curves.match_specified(keys.ECDomainParameters.load(der).chosen) is params


def test_explicit_parameters_load_as_named_curve() -> None:
    key = ec.derive_private_key(12345, ec.BrainpoolP256R1())
    params = curves.curve_by_oid("1.3.36.3.3.2.8.1.1.7")
    assert params is not None
    loaded, description = load_public_key(explicit_spki(key.public_key(), params))
    assert description == "ECDSA brainpoolP256r1 (explicit parameters)"
    assert isinstance(loaded, ec.EllipticCurvePublicKey)
    assert loaded.public_numbers() == key.public_key().public_numbers()


def test_unknown_explicit_parameters_are_unsupported() -> None:
    key = ec.derive_private_key(12345, ec.SECP256R1())
    params = curves.curve_by_oid("1.2.840.10045.3.1.7")
    assert params is not None
    weird = NamedCurve(**{**{f: getattr(params, f) for f in params.__slots__},
                                  "b": params.b + 1})
    with pytest.raises(AlgorithmUnsupported, match="match no supported curve"):
        load_public_key(explicit_spki(key.public_key(), weird))


def test_curve_known_but_not_in_backend_is_unsupported(monkeypatch: pytest.MonkeyPatch) -> None:
    params = curves.curve_by_oid("1.3.36.3.3.2.8.1.1.9")  # brainpoolP320r1
    assert params is not None
    # A backend without the curve (cryptography < 51), whatever is installed here.
    probe = named_curves.backend_curve
    monkeypatch.setattr(named_curves, "backend_curve",
                        lambda oid: None if oid == params.oid else probe(oid))
    assert params.crypto_curve is None
    key = ec.derive_private_key(7, ec.SECP256R1())  # any point: rejected before loading
    with pytest.raises(AlgorithmUnsupported, match=r"brainpoolP320r1 \(explicit parameters\)"):
        load_public_key(explicit_spki(key.public_key(), params))
    named = named_curves.generator_spki(params)
    with pytest.raises(AlgorithmUnsupported, match="brainpoolP320r1: the crypto backend"):
        load_public_key(named)
    with pytest.raises(curves.UnsupportedCurveError, match="the key is on brainpoolP320r1"):
        curves.load_ec_public_key(named)


# --- signature schemes -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def test_rsa_pkcs1(rsa_key: rsa.RSAPrivateKey) -> None:
    sig = rsa_key.sign(DATA, padding.PKCS1v15(), hashes.SHA256())
    result = verify_signature(spki(rsa_key.public_key()), alg("sha256_rsa"), DATA, sig)
    assert result.scheme == "rsa-pkcs1-sha256" and result.key == "RSA-2048"
    # rsaEncryption as signature algorithm: the hash must come from the digestAlgorithm
    rsa_encryption = alg("1.2.840.113549.1.1.1")
    result = verify_signature(
        spki(rsa_key.public_key()), rsa_encryption, DATA, sig, digest_algorithm="sha256"
    )
    assert result.scheme == "rsa-pkcs1-sha256"
    with pytest.raises(AlgorithmUnsupported):
        verify_signature(spki(rsa_key.public_key()), alg("1.2.840.113549.1.1.1"), DATA, sig)
    with pytest.raises(SignatureInvalid):
        verify_signature(spki(rsa_key.public_key()), alg("sha384_rsa"), DATA, sig)
    with pytest.raises(SignatureInvalid):
        verify_signature(spki(rsa_key.public_key()), alg("sha256_rsa"), DATA + b"!", sig)


def test_rsa_pss_non_default_salt(rsa_key: rsa.RSAPrivateKey) -> None:
    sig = rsa_key.sign(
        DATA, padding.PSS(mgf=padding.MGF1(hashes.SHA1()), salt_length=17), hashes.SHA384()
    )

    def params(salt: int) -> bytes:
        return alg(
            "rsassa_pss",
            algos.RSASSAPSSParams(
                {
                    "hash_algorithm": {"algorithm": "sha384"},
                    "mask_gen_algorithm": {
                        "algorithm": "mgf1",
                        "parameters": {"algorithm": "sha1"},
                    },
                    "salt_length": salt,
                }
            ),
        )

    result = verify_signature(spki(rsa_key.public_key()), params(17), DATA, sig)
    assert result.scheme == "rsa-pss-sha384"
    assert any("SHA-1" in w for w in result.warnings)  # MGF1 with SHA-1
    with pytest.raises(SignatureInvalid):
        verify_signature(spki(rsa_key.public_key()), params(48), DATA, sig)


@pytest.mark.parametrize("curve", [ec.SECP256R1(), ec.BrainpoolP256R1()], ids=lambda c: c.name)
def test_ecdsa_named_der_and_plain(curve: ec.EllipticCurve) -> None:
    key = ec.derive_private_key(424242, curve)
    der_sig = key.sign(DATA, ec.ECDSA(hashes.SHA256()))
    r, s = utils.decode_dss_signature(der_sig)
    plain = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    pub = spki(key.public_key())
    assert verify_signature(pub, alg("sha256_ecdsa"), DATA, der_sig).ecdsa_format == "der"
    bsi_plain = bytes(algos.SignedDigestAlgorithm({"algorithm": "0.4.0.127.0.7.1.1.4.1.3"}).dump())
    result = verify_signature(pub, bsi_plain, DATA, plain)
    assert result.ecdsa_format == "plain" and not result.warnings
    lenient = verify_signature(pub, alg("sha256_ecdsa"), DATA, plain)
    assert lenient.ecdsa_format == "plain" and lenient.warnings
    with pytest.raises(SignatureInvalid):
        verify_signature(pub, bsi_plain, DATA, plain[:-1] + bytes([plain[-1] ^ 1]))
    with pytest.raises(SignatureInvalid):
        verify_signature(pub, bsi_plain, DATA, plain[:-1])
    with pytest.raises(SignatureInvalid):
        verify_signature(pub, alg("sha384_ecdsa"), DATA, der_sig)


@pytest.mark.parametrize("hash_name", ["sha1", "sha224", "sha256", "sha384", "sha512"])
def test_ecdsa_hashes_with_explicit_parameters(hash_name: str) -> None:
    key = ec.derive_private_key(99, ec.SECP384R1())
    params = curves.curve_by_oid("1.3.132.0.34")
    assert params is not None
    sig = key.sign(DATA, ec.ECDSA(getattr(hashes, hash_name.upper())()))
    result = verify_signature(
        explicit_spki(key.public_key(), params), alg(f"{hash_name}_ecdsa"), DATA, sig
    )
    assert result.key == "ECDSA P-384 (explicit parameters)"
    assert bool(result.warnings) == (hash_name == "sha1")


def test_key_and_algorithm_mismatch_and_unknown_oid(rsa_key: rsa.RSAPrivateKey) -> None:
    sig = rsa_key.sign(DATA, padding.PKCS1v15(), hashes.SHA256())
    ec_pub = spki(ec.derive_private_key(5, ec.SECP256R1()).public_key())
    with pytest.raises(SignatureInvalid, match="signer key is ECDSA"):
        verify_signature(ec_pub, alg("sha256_rsa"), DATA, sig)
    md5 = bytes(algos.SignedDigestAlgorithm({"algorithm": "md5_rsa"}).dump())
    with pytest.raises(AlgorithmUnsupported):
        verify_signature(spki(rsa_key.public_key()), md5, DATA, sig)


# --- master lists ------------------------------------------------------------------------------


def _cert_from_pem(name: str) -> x509.Certificate:
    return x509.load_der_x509_certificate((SAMPLES_PKI / f"{name}.der").read_bytes())


def _key_from_pem(name: str) -> Any:
    return serialization.load_pem_private_key(
        (SAMPLES_PKI / f"{name}.key.pem").read_bytes(), None
    )


needs_pki = pytest.mark.skipif(not SAMPLES_PKI.is_dir(), reason="samples/pki not generated yet")


def _ml_signer(issuer: x509.Certificate, issuer_key: Any) -> tuple[x509.Certificate, Any]:
    key = ec.derive_private_key(31337, ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                                 x509.NameAttribute(NameOID.COMMON_NAME, "ML Signer TEST")]))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(77)
        .not_valid_before(datetime(2024, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2030, 1, 1, tzinfo=UTC))
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), True
        )
        .sign(issuer_key, hashes.SHA384())
    )
    return cert, key


def build_master_list(
    certs: list[x509.Certificate], signer: x509.Certificate, signer_key: Any
) -> bytes:
    """A CSCA master list signed by ``signer`` (the simulator's builder)."""
    from cccd_sim.bends import master_list

    return master_list(certs, signer, signer_key)


@needs_pki
def test_master_list_roundtrip_and_tamper(tmp_path: Path) -> None:
    csca_vn, csca_ut = _cert_from_pem("csca-vn"), _cert_from_pem("csca-ut")
    signer, signer_key = _ml_signer(csca_vn, _key_from_pem("csca-vn"))
    ml = build_master_list([csca_vn, csca_ut], signer, signer_key)
    (tmp_path / "icao.ml").write_bytes(ml)
    store = TrustStore.from_paths([tmp_path], include_default=False)
    assert len(store.cscas) == 2 and store.master_lists[0].signer_chain == "pass"

    # flip a byte inside the second certificate of the list: messageDigest no longer matches
    at = ml.index(csca_ut.public_bytes(serialization.Encoding.DER)) + 200
    tampered = ml[:at] + bytes([ml[at] ^ 1]) + ml[at + 1 :]
    with pytest.raises(MasterListError):
        TrustStore().add_master_list(tampered)
    # the signature is the last field of the structure: flip its last byte
    broken = ml[:-1] + bytes([ml[-1] ^ 1])
    with pytest.raises(MasterListError):
        TrustStore().add_master_list(broken)


@needs_pki
def test_master_list_signer_not_chained_is_reported() -> None:
    csca_ut = _cert_from_pem("csca-ut")
    rogue_ca_key = ec.derive_private_key(1111, ec.SECP256R1())
    rogue_ca = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Rogue CA")]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Rogue CA")]))
        .public_key(rogue_ca_key.public_key())
        .serial_number(1)
        .not_valid_before(datetime(2024, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2030, 1, 1, tzinfo=UTC))
        .sign(rogue_ca_key, hashes.SHA256())
    )
    signer, signer_key = _ml_signer(rogue_ca, rogue_ca_key)
    store = TrustStore()
    report = store.add_master_list(build_master_list([csca_ut], signer, signer_key))
    assert report.signer_chain == "fail" and "does not chain" in report.detail
    assert any("does not chain" in note for note in store.notes)


@needs_pki
def test_trust_directory_loading() -> None:
    store = TrustStore.from_paths([SAMPLES_PKI], include_default=False)
    assert sorted(c.country or "" for c in store.cscas) == ["UT", "VN"]
    assert len(store.pinned_dscs) == 3  # non-CA certificates in a trust directory are pinned
    assert len(store.crls) == 2  # .crl and .crl.pem of the same CRL count once
    assert any("key.pem" in note for note in store.notes)
