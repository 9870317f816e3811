"""Trust store: DSC country vs. issuing state, master list signer checks, link certificates
against CRLs, and fuzzing of every trust file format (only typed errors may escape)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cccd_reader import dump
from cccd_reader.pki import trust as trust_module
from cccd_reader.pki.trust import (
    ML_SIGNING_EKU_OID,
    Cert,
    MasterListError,
    TrustError,
    TrustStore,
    check_issued_by,
    compare_issuing_state,
)
from cccd_reader.pki.trust import files as trust_files
from cccd_reader.verify import CRL, CSCA_VALIDITY, DSC_CHAIN, verify
from cccd_sim import pki as sim_pki
from cccd_sim.sod_builder import build_sod, hash_data_groups
from tests.conftest import SAMPLES
from tests.pki.test_pki import build_master_list

PKI = SAMPLES / "pki"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
VN_SAMPLE = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"



def _der(name: str) -> bytes:
    return (PKI / f"{name}.der").read_bytes()


def _authority(label: str) -> sim_pki.Authority:
    key = serialization.load_pem_private_key((PKI / f"{label}.key.pem").read_bytes(), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return sim_pki.Authority(label, key, x509.load_der_x509_certificate(_der(label)))


def _utc(year: int, month: int = 1, day: int = 1) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


# --- DSC country vs. MRZ issuing state ---------------------------------------------------------


@pytest.mark.parametrize(
    ("dsc", "state", "status"),
    [
        ("dsc-vn-2021", "VNM", "pass"),
        ("dsc-ut-2021", "UTO", "pass"),
        ("dsc-vn-2021", "UTO", "fail"),
        ("dsc-ut-2021", "VNM", "fail"),
        ("dsc-vn-2021", "VN<", "fail"),
        ("dsc-vn-2021", "D<<", "fail"),
    ],
)
def test_compare_issuing_state(dsc: str, state: str, status: str) -> None:
    result, detail = compare_issuing_state(Cert.load(_der(dsc)), state)
    assert result == status, detail
    if status == "fail":
        assert "is not the MRZ issuing state" in detail


def test_germany_uses_its_one_letter_code_and_unknown_countries_are_not_guessed() -> None:
    assert trust_module.mrz_state_code("de") == "D"
    assert trust_module.mrz_state_code("VN") == "VNM"
    assert trust_module.mrz_state_code("ZZ") is None
    assert trust_module.mrz_state_code(None) is None
    csca = sim_pki.make_csca(
        sim_pki.CscaSpec(
            "csca-zz", "ZZ", "Nowhere CSCA TEST", ec.SECP256R1(), 9, _utc(2020), _utc(2030)
        )
    )
    cert = Cert.load(csca.certificate.public_bytes(serialization.Encoding.DER))
    status, detail = compare_issuing_state(cert, "ZZZ")
    # an unmapped country is never "not compared": it fails the binding
    assert status == "fail" and "no ICAO 9303 MRZ code" in detail


def test_country_mismatch_fails_the_chain_even_for_a_pinned_dsc() -> None:
    card = dict(dump.load(SAMPLES / "passport-utopia-td3").files)
    vn_dsc = _authority("dsc-vn-2021")
    card["EF.SOD"] = build_sod(
        hash_data_groups(card),
        private_key=vn_dsc.key,
        certificate=vn_dsc.certificate,
        signing_time=_utc(2023, 4, 15),
    )
    store = TrustStore()
    store.pin_dsc(_der("dsc-vn-2021"))
    result = verify(card, store, now=NOW)
    binding = result.check("country_binding")
    assert binding is not None and binding.status == "fail" and "UTO" in binding.detail
    assert binding.code == "country_binding.state_mismatch"
    assert result.verdict == "not_genuine"
    # without any trust anchor the mismatch is still a proven defect, not a missing proof
    assert verify(card, None, now=NOW).verdict == "not_genuine"


def test_matching_country_is_stated_in_the_chain_detail() -> None:
    store = TrustStore.from_paths([PKI / "csca-vn.der", PKI / "csca-vn.crl"],
                                  include_default=False)
    result = verify(dump.load(VN_SAMPLE).files, store, now=NOW)
    chain = result.check(DSC_CHAIN)
    assert chain is not None and chain.status == "pass"
    binding = result.check("country_binding")
    assert binding is not None and "matches the MRZ issuing state VNM" in binding.detail
    assert "agree with DG13" in binding.detail
    assert result.verdict == "genuine"


# --- master list signer: validity at load time, extended key usage -----------------------------


def _ml_signer(
    *, not_after: datetime | None = None, eku: list[ObjectIdentifier] | None = None,
    critical: bool = False,
) -> tuple[x509.Certificate, Any]:
    csca = _authority("csca-vn")
    key = ec.derive_private_key(4242, ec.SECP256R1())
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                                 x509.NameAttribute(NameOID.COMMON_NAME, "ML Signer TEST")]))
        .issuer_name(csca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(4242)
        .not_valid_before(_utc(2024))
        .not_valid_after(not_after or _utc(2030))
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), True
        )
    )
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical)
    cert = builder.sign(csca.key, hashes.SHA384())
    return cert, key


def _ml(signer: x509.Certificate, key: Any) -> bytes:
    cscas = [x509.load_der_x509_certificate(_der(n)) for n in ("csca-vn", "csca-ut")]
    return build_master_list(cscas, signer, key)


ML_EKU = ObjectIdentifier(ML_SIGNING_EKU_OID)


def test_ml_signer_with_critical_icao_eku_is_accepted() -> None:
    store = TrustStore()
    report = store.add_master_list(_ml(*_ml_signer(eku=[ML_EKU], critical=True)), now=NOW)
    assert (report.signer_chain, report.signer_validity, report.signer_usage) == (
        "pass", "pass", "pass"
    ), report.detail
    assert report.ok and not store.notes and len(store.cscas) == 2


def test_ml_signer_without_eku_is_fine() -> None:
    report = TrustStore().add_master_list(_ml(*_ml_signer()), now=NOW)
    assert report.ok and report.signer_usage == "skipped"


def test_ml_signer_with_another_eku_is_reported() -> None:
    store = TrustStore()
    report = store.add_master_list(
        _ml(*_ml_signer(eku=[ExtendedKeyUsageOID.SERVER_AUTH])), now=NOW
    )
    assert report.signer_usage == "fail" and not report.ok
    assert "cscaMasterListSigningKey" in report.detail
    assert any("cscaMasterListSigningKey" in note for note in store.notes)
    assert len(store.cscas) == 2  # loading stays the user's decision, but it is flagged


def test_expired_ml_signer_is_reported_at_load_time() -> None:
    data = _ml(*_ml_signer(not_after=_utc(2025), eku=[ML_EKU]))
    store = TrustStore()
    report = store.add_master_list(data, now=NOW)
    assert report.signer_validity == "fail" and report.signer_chain == "pass"
    assert "not valid at 2026-01-01" in report.detail
    assert any("not valid" in note for note in store.notes)
    assert TrustStore().add_master_list(data, now=_utc(2024, 6)).signer_validity == "pass"


def test_ml_signer_eku_must_not_sneak_past_dsc_rules() -> None:
    # Understanding a critical EKU is specific to master list signers: a DSC with one is unusable.
    cert, _ = _ml_signer(eku=[ML_EKU], critical=True)
    signer = Cert.load(cert.public_bytes(serialization.Encoding.DER))
    csca = Cert.load(_der("csca-vn"))
    assert check_issued_by(signer, csca) != []
    assert check_issued_by(signer, csca, child_understands=frozenset({"extended_key_usage"})) == []


# --- link certificates and CRLs ----------------------------------------------------------------


NEW_CSCA_NAME = x509.Name([
    x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
    x509.NameAttribute(NameOID.ORGANIZATION_NAME, sim_pki.ORGANIZATION),
    x509.NameAttribute(NameOID.COMMON_NAME, "Synthetic CSCA Viet Nam 2024 TEST"),
])
LINK_SERIAL = 0x5643_0002


@pytest.fixture(scope="module")
def rollover() -> dict[str, Any]:
    """csca-vn certifies a new CSCA key (link certificate); a DSC is issued under the new key."""
    old = _authority("csca-vn")
    new_key = sim_pki.ec_private_key("test/csca-vn-2024", ec.BrainpoolP384R1())
    old_ski = old.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    link_cert = (
        x509.CertificateBuilder()
        .subject_name(NEW_CSCA_NAME)
        .issuer_name(old.certificate.subject)
        .public_key(new_key.public_key())
        .serial_number(LINK_SERIAL)
        .not_valid_before(_utc(2024))
        .not_valid_after(_utc(2035))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(new_key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(old_ski.value), False
        )
        .sign(old.key, hashes.SHA384(), ecdsa_deterministic=True)
    )
    link = sim_pki.Authority("link", new_key, link_cert)
    dsc = sim_pki.make_dsc(
        sim_pki.DscSpec("dsc-vn-new", "link", "Synthetic DSC under the new key TEST",
                        ec.BrainpoolP256R1(), 0x5644_3001, _utc(2024), _utc(2034)),
        link,
    )
    card = dict(dump.load(VN_SAMPLE).files)
    card["EF.SOD"] = build_sod(
        hash_data_groups(card), private_key=dsc.key, certificate=dsc.certificate,
        signing_time=_utc(2025, 3, 1),
    )

    def crl(authority: sim_pki.Authority, revoked: list[int] = []) -> bytes:  # noqa: B006
        return sim_pki.make_crl(
            authority, last_update=_utc(2025, 6), next_update=_utc(2035),
            revoked_serials=[(serial, _utc(2025, 5)) for serial in revoked],
        ).public_bytes(serialization.Encoding.DER)

    return {"old": old, "link": link, "card": card, "crl": crl}


def _rollover_store(rollover: dict[str, Any], *crls: bytes) -> TrustStore:
    store = TrustStore()
    store.add_certificate(_der("csca-vn"))
    link = store.add_certificate(
        rollover["link"].certificate.public_bytes(serialization.Encoding.DER)
    )
    assert store.links == [link]
    for der in crls:
        store.add_crl(der)
    return store


def test_dsc_under_a_link_certificate_is_genuine(rollover: dict[str, Any]) -> None:
    crl = rollover["crl"]
    store = _rollover_store(rollover, crl(rollover["old"]), crl(rollover["link"]))
    result = verify(rollover["card"], store, now=NOW)
    assert result.verdict == "genuine", result.to_json()
    assert "via link certificate" in (result.check(DSC_CHAIN) or result.checks[0]).detail
    check = result.check(CRL)
    assert check is not None and "link certificate: not revoked" in check.detail
    assert (result.check(CSCA_VALIDITY) or result.checks[0]).status == "pass"


def test_revoked_link_certificate_fails_the_crl_check(rollover: dict[str, Any]) -> None:
    crl = rollover["crl"]
    store = _rollover_store(rollover, crl(rollover["old"], [LINK_SERIAL]), crl(rollover["link"]))
    result = verify(rollover["card"], store, now=NOW)
    check = result.check(CRL)
    assert check is not None and check.status == "fail", result.to_json()
    assert f"link certificate serial {LINK_SERIAL:X} revoked" in check.detail
    assert result.verdict == "not_genuine"


def test_link_certificate_without_crl_leaves_revocation_unknown(
    rollover: dict[str, Any],
) -> None:
    store = _rollover_store(rollover, rollover["crl"](rollover["link"]))
    result = verify(rollover["card"], store, now=NOW)
    check = result.check(CRL)
    assert check is not None and check.status == "skipped" and not check.required
    assert check.detail.startswith("link certificate: revocation not checked: no current CRL")
    # no CRL is a visible warning, not a downgrade (issue 15 §5) ...
    assert result.verdict == "genuine"
    # ... unless the operator requires CRLs
    strict = verify(rollover["card"], store, now=NOW, require_crl=True)
    assert strict.verdict == "unverified"


def test_revoked_dsc_under_a_link_certificate(rollover: dict[str, Any]) -> None:
    crl = rollover["crl"]
    store = _rollover_store(rollover, crl(rollover["old"]), crl(rollover["link"], [0x5644_3001]))
    check = verify(rollover["card"], store, now=NOW).check(CRL)
    assert check is not None and check.status == "fail" and check.detail.startswith("DSC serial")


# --- fuzzing: trust files never raise anything but TrustError ----------------------------------

CERT_DER = _der("csca-vn") if PKI.is_dir() else b""
CRL_DER = (PKI / "csca-vn.crl").read_bytes() if PKI.is_dir() else b""
ML_DER = b""
if PKI.is_dir():
    _signer, _signer_key = _ml_signer(eku=[ML_EKU])
    ML_DER = _ml(_signer, _signer_key)
FUZZ = settings(max_examples=300, deadline=None)
FILE_FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    out = bytearray(data)
    for at, value in edits:
        out[at % len(out)] = value
    return bytes(out[:cut] if cut is not None else out)


def _exercise_certificate(cert: Cert) -> None:
    """Touch what path validation reads, as a loaded certificate must survive all of it."""
    for attribute in ("subject", "issuer", "serial", "country", "issuer_country", "ski", "aki",
                      "fingerprint", "not_before", "not_after", "is_ca", "key_usage",
                      "self_issued", "unknown_critical_extensions", "extended_key_usage",
                      "private_key_usage_period", "spki_der"):
        getattr(cert, attribute)
    cert.describe()
    check_issued_by(cert, Cert.load(CERT_DER))
    compare_issuing_state(cert, "VNM")


edits = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), min_size=1, max_size=6)
cuts = st.none() | st.integers(0, 4096)


@FUZZ
@given(st.binary(max_size=4096))
def test_fuzz_certificate_garbage(data: bytes) -> None:
    with pytest.raises(TrustError):
        TrustStore().add_certificate(data)


@FUZZ
@given(edits, cuts)
def test_fuzz_certificate_mutations(changes: list[tuple[int, int]], cut: int | None) -> None:
    store = TrustStore()
    try:
        cert = store.add_certificate(_mutate(CERT_DER, changes, cut))
    except TrustError:
        return
    _exercise_certificate(cert)
    store.validate_dsc(cert, NOW)


@FUZZ
@given(st.binary(max_size=4096))
def test_fuzz_crl_garbage(data: bytes) -> None:
    with pytest.raises(TrustError):
        TrustStore().add_crl(data)


@FUZZ
@given(edits, cuts)
def test_fuzz_crl_mutations(changes: list[tuple[int, int]], cut: int | None) -> None:
    store = TrustStore()
    try:
        crl = store.add_crl(_mutate(CRL_DER, changes, cut))
    except TrustError:
        return
    crl.this_update  # noqa: B018
    crl.next_update  # noqa: B018
    crl.revocation_of(0x5644_2021)
    crl.verified_by(Cert.load(CERT_DER))
    store.add_certificate(CERT_DER)
    store.revocation(Cert.load(_der("dsc-vn-2021")), store.cscas[0], NOW)


@FUZZ
@given(st.binary(max_size=4096))
def test_fuzz_master_list_garbage(data: bytes) -> None:
    with pytest.raises(MasterListError):
        TrustStore().add_master_list(data)


@FUZZ
@given(edits, cuts)
def test_fuzz_master_list_mutations(changes: list[tuple[int, int]], cut: int | None) -> None:
    data = _mutate(ML_DER, changes, cut)
    try:
        report = TrustStore().add_master_list(data, now=NOW)
    except MasterListError:
        return
    assert report.signer_chain in ("pass", "fail")


def _pem(kind: str, body: bytes) -> bytes:
    text = base64.encodebytes(body).decode("ascii")
    return f"-----BEGIN {kind}-----\n{text}-----END {kind}-----\n".encode("ascii")


pem_kinds = st.sampled_from(["CERTIFICATE", "X509 CRL", "TRUSTED CERTIFICATE", "PRIVATE KEY"])


@FILE_FUZZ
@given(pem_kinds, st.binary(max_size=2048), st.sampled_from([".pem", ".crt", ".crl", ".der"]))
def test_fuzz_pem_files(tmp_path: Path, kind: str, body: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(_pem(kind, body))
    store = TrustStore()
    try:
        store.add_path(path)
    except TrustError:
        return
    assert kind == "PRIVATE KEY" or not body  # only ignored blocks can load from garbage


@FILE_FUZZ
@given(st.binary(max_size=2048), st.sampled_from([".pem", ".crl", ".ml", ".der", ".cer"]))
def test_fuzz_raw_files(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(b"-----BEGIN" + data if data[:1] == b"P" else data)
    try:
        TrustStore().add_path(path)
    except TrustError:
        pass


@FILE_FUZZ
@given(st.text(max_size=400), st.sampled_from([CERT_DER, CRL_DER]))
def test_fuzz_mangled_pem_armour(tmp_path: Path, noise: str, der: bytes) -> None:
    armour = _pem("CERTIFICATE" if der is CERT_DER else "X509 CRL", der).decode("ascii")
    cut = len(noise) % max(len(armour), 1)
    path = tmp_path / "fuzz.pem"
    path.write_bytes((armour[:cut] + noise + armour[cut:]).encode("utf-8"))
    try:
        TrustStore().add_path(path)
    except TrustError:
        pass


def test_directory_with_garbage_files_only_notes(tmp_path: Path) -> None:
    (tmp_path / "a.der").write_bytes(b"\x30\x03\x02\x01\x01")
    (tmp_path / "b.crl").write_bytes(b"not a crl")
    (tmp_path / "c.ml").write_bytes(b"\x30\x80")
    (tmp_path / "d.pem").write_bytes(b"-----BEGIN CERTIFICATE-----\n@@@\n")
    store = TrustStore.from_paths([tmp_path], include_default=False)
    assert store.is_empty and len(store.notes) == 4


def test_size_bounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trust_files, "MAX_TRUST_FILE_BYTES", 256)
    assert len(CERT_DER) > 256
    big = tmp_path / "big.der"
    big.write_bytes(CERT_DER)  # a real certificate, but above the (lowered) bound
    with pytest.raises(TrustError, match="larger than"):
        TrustStore().add_path(big)
    for add in (TrustStore().add_certificate, TrustStore().add_crl,
                TrustStore().add_master_list):
        with pytest.raises(TrustError, match="larger than"):
            add(b"\x30" * 512)
    with pytest.raises(TrustError, match="does not exist"):
        TrustStore().add_path(tmp_path / "missing.der")
