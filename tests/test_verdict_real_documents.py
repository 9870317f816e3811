"""Issue 15: a verdict that holds on real documents.

Every forgery path that once reached ``genuine`` is rebuilt here from the synthetic test PKI
(``cccd_sim.bends``) and must now fail precisely; every bend that real, valid passports
make (and that OpenSSL, pymrtd or gmrtd accept) must verify, with a visible note.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import algos, keys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from cccd_reader import dump, named_curves
from cccd_reader.access import ecc
from cccd_reader.pki import countries, curves
from cccd_reader.pki.signatures import SignatureInvalid, load_public_key, verify_signature
from cccd_reader.pki.trust import Cert, TrustStore
from cccd_reader.verify import verify
from cccd_sim import bends
from cccd_sim import pki as sim_pki
from cccd_sim.sod_builder import hash_data_groups

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
PKI = SAMPLES / "pki"
VN = "vn-cccd-2021-nguyen-thi-ngoc-anh"
PASSPORT = "passport-utopia-td3"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def files(name: str = VN) -> dict[str, bytes]:
    return dict(dump.load(SAMPLES / name).files)


def store(*names: str) -> TrustStore:
    trust = TrustStore()
    for name in names or ("csca-vn.der", "csca-vn.crl", "csca-ut.der", "csca-ut.crl"):
        trust.add_path(PKI / name)
    return trust


def authority(label: str) -> sim_pki.Authority:
    pki = sim_pki.default_pki()
    return pki.cscas.get(label) or pki.dsc(label)


def status(result: Any, name: str) -> str:
    check = result.check(name)
    assert check is not None, name
    return str(check.status)


def test_untouched_samples_stay_genuine() -> None:
    for name in (VN, PASSPORT, "vn-cancuoc-2024-dang-huu-phuoc"):
        result = verify(files(name), store(), now=NOW)
        assert result.verdict == "genuine", [(c.name, c.detail) for c in result.checks
                                             if c.status != "pass"]


# --- 1. country binding, always ----------------------------------------------------------------


def test_the_country_table_is_complete_iso_3166_plus_icao_codes() -> None:
    pycountry = pytest.importorskip("pycountry")  # a dev dependency: ./run installs it
    iso = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    assert countries.ISO_ALPHA3 == iso
    assert countries.mrz_codes_for("BR") == {"BRA"}
    assert countries.mrz_codes_for("DE") == {"D"}
    assert {"GBR", "GBD", "GBN", "GBO", "GBP", "GBS"} == countries.mrz_codes_for("GB")
    assert countries.mrz_codes_for("XK") == {"RKS"}
    assert countries.mrz_codes_for("UN") == {"UNO", "UNA", "UNK"}
    for code in ("D", "EUE", "RKS", "UNO", "XOM", "XPO", "XXA", "XXB", "XXC", "XXX", "GBD"):
        assert countries.is_mrz_code(code), code
    assert not countries.is_mrz_code("DEU") and not countries.is_mrz_code("ZZZ")


def test_a_dsc_of_a_state_outside_the_old_short_table_cannot_sign_a_vietnamese_card() -> None:
    csca, dsc = bends.foreign_state("BR", "Brazil")
    trust = store()
    trust.add_certificate(bends.der(csca.certificate))
    forged = bends.resign(files(), dsc)
    result = verify(forged, trust, now=NOW)
    assert status(result, "dsc_chain") == "pass"  # a real, trusted Brazilian signer ...
    binding = result.check("country_binding")
    assert binding is not None and binding.status == "fail"  # ... cannot sign for VNM
    assert binding.code == "country_binding.state_mismatch" and "BR (BRA)" in binding.detail
    assert result.verdict == "not_genuine"


def test_missing_or_unparsable_dg1_is_never_genuine() -> None:
    csca, dsc = bends.foreign_state("BR", "Brazil")
    trust = store()
    trust.add_certificate(bends.der(csca.certificate))
    without = bends.resign(files(), dsc)
    del without["DG1"]
    result = verify(without, trust, now=NOW)
    assert result.verdict == "unverified"
    assert status(result, "country_binding") == "skipped"
    assert status(result, "mandatory_dgs") == "skipped"
    # the same with a genuine signer: DG1 not read means not proven, whoever signed
    genuine_but_partial = files()
    del genuine_but_partial["DG1"]
    assert verify(genuine_but_partial, store(), now=NOW).verdict == "unverified"
    junk = files()
    junk["DG1"] = bends.junk_dg1()
    junk = bends.resign(junk, dsc)
    result = verify(junk, trust, now=NOW)
    assert result.verdict != "genuine"
    assert status(result, "mandatory_dgs") == "skipped"


def test_a_vietnamese_card_with_a_broken_dg1_signed_by_another_state_is_mis_bound() -> None:
    """Issue 27: DG13 in the Vietnamese format, its hash verified, nationality Việt Nam; DG1
    signed but unparsable; the DSC of another (trusted) state. DG13 alone binds the card to
    Việt Nam: that signer is a proof of mis-binding, not a gap."""
    csca, dsc = bends.foreign_state("BR", "Brazil")
    trust = store()
    trust.add_certificate(bends.der(csca.certificate))
    card = files()
    card["DG1"] = bends.junk_dg1()
    result = verify(bends.resign(card, dsc), trust, now=NOW)
    assert status(result, "dg_hash:DG1") == "pass" and status(result, "dg_hash:DG13") == "pass"
    binding = result.check("country_binding")
    assert binding is not None and binding.status == "fail"
    assert binding.code == "country_binding.dg13_foreign_signer"
    assert binding.params["country"] == "BR"
    assert result.verdict == "not_genuine"
    # the same card signed by a Vietnamese DSC: DG1 is unproven, nothing is proven false
    own = verify(bends.resign(card, authority("dsc-vn-2021")), store(), now=NOW)
    check = own.check("country_binding")
    assert check is not None and check.code == "country_binding.no_mrz"
    assert own.verdict == "unverified"
    # a DG13 whose hash does not verify proves no nationality (its own check fails instead)
    tampered = bends.resign(card, dsc)
    tampered["DG13"] = tampered["DG13"][:-1] + bytes([tampered["DG13"][-1] ^ 1])
    again = verify(tampered, trust, now=NOW).check("country_binding")
    assert again is not None and again.code == "country_binding.no_mrz"


def test_a_signed_sod_without_dg1_or_dg2_fails() -> None:
    card = files()
    hashes_ = hash_data_groups(card)
    del hashes_[2]
    del card["DG2"]
    result = verify(bends.resign(card, authority("dsc-vn-2021"), dg_hashes=hashes_), store(),
                    now=NOW)
    assert status(result, "mandatory_dgs") == "fail" and result.verdict == "not_genuine"


def test_switching_dg1_to_the_signers_state_while_dg13_stays_vietnamese() -> None:
    card = files()
    card = bends.with_mrz(card, bends.td1_with_state(bends.mrz_of(card), "UTO"))
    forged = bends.resign(card, authority("dsc-ut-2021"))
    result = verify(forged, store(), now=NOW)
    binding = result.check("country_binding")
    assert binding is not None and binding.status == "fail", binding
    assert binding.code == "country_binding.dg1_dg13_state"
    assert "Việt Nam" in binding.detail
    assert result.verdict == "not_genuine"
    # nationality alone switched is caught too
    card = files()
    card = bends.with_mrz(card, bends.td1_with_state(bends.mrz_of(card), "VNM", "UTO"))
    result = verify(bends.resign(card, authority("dsc-vn-2021")), store(), now=NOW)
    assert status(result, "country_binding") == "fail"


def test_a_signed_mrz_with_wrong_check_digits_is_not_genuine(tmp_path: Path) -> None:
    card = bends.with_mrz(files(), bends.break_check_digit(bends.mrz_of(files())))
    signed = bends.resign(card, authority("dsc-vn-2021"))
    result = verify(signed, store(), now=NOW)
    check = result.check("mrz_check_digits")
    assert check is not None and check.status == "fail" and "date_of_birth" in check.detail
    assert result.verdict == "not_genuine"
    # and in the human output of the CLI
    original = dump.load(SAMPLES / VN)
    dump.save(dump.CardDump(files=signed, access=original.access, profile=original.profile),
              tmp_path / "card")
    out = subprocess.run(
        [sys.executable, "-m", "cccd_reader.cli", "verify", str(tmp_path / "card"),
         "--trust", str(PKI), "--no-default-trust"],
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert out.returncode == 6, out.stderr
    assert "mrz_check_digits" in out.stdout and "check digit" in out.stdout


# --- 2. DSC profile -----------------------------------------------------------------------------


def test_a_dsc_that_is_a_ca_fails_the_chain() -> None:
    dsc = bends.dsc_that_is_a_ca(authority("csca-vn"))
    result = verify(bends.resign(files(), dsc), store(), now=NOW)
    chain = result.check("dsc_chain")
    assert chain is not None and chain.status == "fail" and "cA TRUE" in chain.detail
    assert result.verdict == "not_genuine"
    # pinning it does not help
    pinned = TrustStore()
    pinned.pin_dsc(bends.der(dsc.certificate))
    assert verify(bends.resign(files(), dsc), pinned, now=NOW).verdict == "not_genuine"


# --- 3. link certificates by key, not by name -------------------------------------------------


def test_a_forged_same_name_link_certificate_is_no_root() -> None:
    old = authority("csca-vn")
    rogue = sim_pki.make_csca(sim_pki.ROGUE_CSCA)
    forged_link = bends.same_name_link(old, signed_by=rogue.key, seed="forged-link")
    dsc = bends.dsc_under(forged_link, 0x5644_7001, "dsc-under-forged-link")
    trust = store("csca-vn.der", "csca-vn.crl")
    link = trust.add_certificate(bends.der(forged_link.certificate))
    assert link in trust.links and link not in trust.cscas
    result = verify(bends.resign(files(), dsc, signing_time=bends.utc(2025, 3)), trust, now=NOW)
    # the link names csca-vn's key, which did not sign it: refused, its DSCs unproven (27)
    assert status(result, "dsc_chain") == "skipped"
    chain = result.check("dsc_chain")
    assert chain is not None and chain.code == "dsc_chain.link_refused"
    assert result.verdict == "unverified"
    assert any("does not verify with it" in w and "refused" in w for w in trust.warnings)
    # asked to take it as a CSCA, the store still refuses it as a root
    explicit = store("csca-vn.der")
    explicit.add_certificate(bends.der(forged_link.certificate), role="csca")
    assert explicit.cscas == [Cert.load((PKI / "csca-vn.der").read_bytes())]
    assert any("not self-signed" in note for note in explicit.notes)


def test_a_genuine_same_name_link_certificate_works_and_its_revocation_applies() -> None:
    old = authority("csca-vn")
    link = bends.same_name_link(old, signed_by=old.key, seed="real-link", serial=0x5643_0777)
    dsc = bends.dsc_under(link, 0x5644_7002, "dsc-under-real-link")
    card = bends.resign(files(), dsc, signing_time=bends.utc(2025, 3))
    trust = TrustStore()
    trust.add_certificate(bends.der(old.certificate))
    trust.add_certificate(bends.der(link.certificate))
    current = dict(this_update=bends.utc(2025, 6), next_update=bends.utc(2035))
    trust.add_crl(bends.crl(old, **current))  # type: ignore[arg-type]
    trust.add_crl(bends.crl(link, **current))  # type: ignore[arg-type]
    assert verify(card, trust, now=NOW).verdict == "genuine"
    revoked = TrustStore()
    revoked.add_certificate(bends.der(old.certificate))
    revoked.add_certificate(bends.der(link.certificate))
    revoked.add_crl(bends.crl(old, revoked=[0x5643_0777], **current))  # type: ignore[arg-type]
    result = verify(card, revoked, now=NOW)
    crl = result.check("crl")
    assert crl is not None and crl.status == "fail" and "link certificate" in crl.detail
    assert result.verdict == "not_genuine"


# --- 4. master lists -----------------------------------------------------------------------------


def test_a_master_list_whose_signer_chains_to_nothing_trusts_nothing() -> None:
    rogue = sim_pki.make_csca(sim_pki.ROGUE_CSCA)
    signer, key = bends.ml_signer(rogue, "unchained")
    data = bends.master_list([authority("csca-vn").certificate], signer, key)
    trust = TrustStore()
    report = trust.add_master_list(data, source="vn.ml", now=NOW)
    assert not report.trusted and report.certificates == 0 and report.listed == 1
    assert trust.cscas == []
    assert any("vn.ml" in w and "NOT trusted" in w for w in trust.warnings)
    assert verify(files(), trust, now=NOW).verdict == "unverified"


def test_a_master_list_whose_signer_chains_to_a_csca_in_it_is_trusted() -> None:
    csca = authority("csca-vn")
    signer, key = bends.ml_signer(csca, "chained")
    trust = TrustStore()
    report = trust.add_master_list(
        bends.master_list([csca.certificate, authority("csca-ut").certificate], signer, key),
        source="good.ml", now=NOW,
    )
    assert report.trusted and report.certificates == 2 and not trust.warnings
    assert verify(files(), trust, now=NOW).verdict == "genuine"


def test_cli_prints_the_master_list_warning(tmp_path: Path) -> None:
    rogue = sim_pki.make_csca(sim_pki.ROGUE_CSCA)
    signer, key = bends.ml_signer(rogue, "unchained")
    (tmp_path / "bad.ml").write_bytes(
        bends.master_list([authority("csca-vn").certificate], signer, key)
    )
    out = subprocess.run(
        [sys.executable, "-m", "cccd_reader.cli", "verify", str(SAMPLES / VN),
         "--trust", str(tmp_path / "bad.ml"), "--no-default-trust"],
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert "trust warning" in out.stderr and "bad.ml" in out.stderr and out.returncode == 6


# --- 5/6. revocation --------------------------------------------------------------------------


def test_which_crl_counts() -> None:
    csca = authority("csca-vn")
    base = store("csca-vn.der")
    cases = {
        "expired": dict(this_update=bends.utc(2024), next_update=bends.utc(2025)),
        "future": dict(this_update=bends.utc(2027), next_update=bends.utc(2028)),
        "no next update": dict(this_update=bends.utc(2025), next_update=None),
        "delta": dict(this_update=bends.utc(2025), next_update=bends.utc(2030), delta=True),
    }
    for label, params in cases.items():
        trust = store("csca-vn.der")
        trust.add_crl(bends.crl(csca, **params))  # type: ignore[arg-type]
        result = verify(files(), trust, now=NOW)
        crl = result.check("crl")
        assert crl is not None and crl.status == "skipped", (label, crl)
        assert not crl.required and result.verdict == "genuine", label
        assert verify(files(), trust, now=NOW, require_crl=True).verdict == "unverified", label
    # a DSC listed in any CRL that verifies with its CSCA is revoked, however old the CRL
    serial = Cert.load((PKI / "dsc-vn-2021.der").read_bytes()).serial
    for params in (*cases.values(), dict(this_update=bends.utc(2025), next_update=bends.utc(2030))):
        trust = store("csca-vn.der")
        trust.add_crl(bends.crl(csca, revoked=[serial], **params))  # type: ignore[arg-type]
        result = verify(files(), trust, now=NOW)
        assert status(result, "crl") == "fail" and result.verdict == "not_genuine", params
    assert verify(files(), base, now=NOW).verdict == "genuine"


def test_crls_apply_to_pinned_dscs() -> None:
    csca = authority("csca-vn")
    serial = Cert.load((PKI / "dsc-vn-2021.der").read_bytes()).serial
    trust = TrustStore()
    trust.pin_dsc((PKI / "dsc-vn-2021.der").read_bytes())
    assert verify(files(), trust, now=NOW).verdict == "genuine"
    # the CSCA's certificate is there only to verify its CRL; the DSC stays the anchor
    trust.links.append(Cert.load(bends.der(csca.certificate)))
    trust.add_crl(bends.crl(csca, this_update=bends.utc(2025), next_update=bends.utc(2030),
                            revoked=[serial]))
    result = verify(files(), trust, now=NOW)
    assert status(result, "crl") == "fail" and result.verdict == "not_genuine"


# --- 7/8. time and absence ---------------------------------------------------------------------


def test_no_signing_time_and_no_issue_date_with_a_dsc_valid_now() -> None:
    card = bends.resign(files(PASSPORT), authority("dsc-ut-2021"), signing_time=None)
    del card["DG12"]  # no issue date either
    hashes_ = hash_data_groups(card)
    card = bends.resign(card, authority("dsc-ut-2021"), signing_time=None, dg_hashes=hashes_)
    result = verify(card, store(), now=NOW)
    check = result.check("dsc_validity")
    assert check is not None and check.status == "pass" and "current time" in check.detail
    assert result.verdict == "genuine"


def test_a_listed_dg_absent_from_a_dump_is_skipped_not_failed() -> None:
    card = files(PASSPORT)
    del card["DG11"]
    result = verify(card, store(), now=NOW)
    check = result.check("dg_hash:DG11")
    assert check is not None and check.status == "skipped" and check.code == "dg_hash.not_read"
    assert result.verdict == "unverified"


# --- 9-13. bends of real documents ---------------------------------------------------------------


def test_econtent_type_id_data_is_accepted_with_a_warning() -> None:
    card = bends.resign(files(), authority("dsc-vn-2021"), econtent_type="data")
    result = verify(card, store(), now=NOW)
    signature = result.check("sod_signature")
    assert signature is not None and signature.status == "pass"
    assert "id-data" in signature.detail and "warning" in signature.detail
    assert result.verdict == "genuine"


def test_signer_issuer_rdns_in_another_order_match_as_a_set() -> None:
    dsc = authority("dsc-vn-2021")
    card = bends.resign(files(), dsc, sid_issuer=bends.reversed_issuer(dsc.certificate))
    result = verify(card, store(), now=NOW)
    signature = result.check("sod_signature")
    assert signature is not None and signature.status == "pass"
    assert "another order" in signature.detail
    assert result.verdict == "genuine"


def test_signed_data_version_other_than_3() -> None:
    card = bends.resign(files(), authority("dsc-vn-2021"), signed_data_version=4)
    result = verify(card, store(), now=NOW)
    signature = result.check("sod_signature")
    assert signature is not None and "SignedData version is 4" in signature.detail
    assert result.verdict == "genuine"
    v1 = bends.resign(files(), authority("dsc-vn-2021"), signed_data_version=1)
    result = verify(v1, store(), now=NOW)
    parse = result.check("sod_parse")
    assert parse is not None and parse.status == "fail" and "version 1" in parse.detail
    assert "ValueError" not in parse.detail


def test_signed_data_version_is_a_conformance_error() -> None:
    from cccd_reader.conformance import dump_checks

    card = bends.resign(files(), authority("dsc-vn-2021"), signed_data_version=4)
    suite = dump_checks.check_files(card, trust=store(), now=NOW)
    assert "SOD-STRUCT-002" in suite.failed_ids("error") or any(
        "SignedData version 4" in r.detail for r in suite.failures("error")
    )


# Wycheproof (C2SP/wycheproof, Apache-2.0) ECDSA vectors, testvectors_v1: the first test group of
# ecdsa_brainpoolP224r1_sha224_test.json and ecdsa_brainpoolP320r1_sha384_test.json.
WYCHEPROOF = {
    "brainpoolP224r1": (
        "3052301406072a8648ce3d020106092b2403030208010105033a0004b554fc25e9f098eaf1466c35328c97"
        "305d0d4aa0e4462e8baf7a8e7ed08fc40eb01dc855577baea9e3070770616f57b17ea9854cad93881a",
        "sha224",
        [
            ("", "303e021d00b982bea80d10816bb450a3faaaed4ed54fb197b3bff95af25d7d3786021d009e6ea2"
                 "e58713f1304d29debf8559a74a89e018bae28b05556e5482a1"),
            ("4d7367", "303c021c4dabc5fe962b5f8a6681e94a2165d9b6be1940f20e27ceb73fc4ea7d021c746e"
                       "9bba7efb90fcecc263c229a16d809d3547c28a26cd71a52abdc5"),
            ("313233343030", "303d021d0095b11e320007a2e0f8ce00f9058ca9b919e8d6aad544a8f9808b44"
                             "a1021c15a962019c85a5b1fa7474162d03cd0e528e8b93bcc84920af579f61"),
        ],
    ),
    "brainpoolP320r1": (
        "306a301406072a8648ce3d020106092b24030302080101090352000444ab2320c2297b66114428df33fe64"
        "1956f82033893398af3b49b0023179201c27d26dd65121c06e0c59524c938f19daffc2a9a4679dba7cf199"
        "1ced4700592bb75e98cf77dbf6c584c2f72735152921",
        "sha384",
        [
            ("", "30540229009cf7f0d60cc1fb2d4b3e78d5f83b374e17a4aebccc6e723f1ad35babb2acfb2b7553"
                 "0389189395f802271110c5b8b8e5fa8dc7952a7bf6200bddae6c1d66639a07a4b6046e00bfa7a2"
                 "bd9d5777b80c3a92"),
            ("4d7367", "3055022826fd695ee1cc50c2661c2434f8699577af181304bceb7690c538b03463df2433"
                       "4395e791f6750ff6022900b322618cd50c6a7cffcb419ec05b67ec6a117088c78d57cecd"
                       "d224902d391892ca03e4bc1bd0467b"),
            ("313233343030", "305402287a31b7375f924369ec12bc33b834726c95444a4c263557344afa732c"
                             "f48a155e71a6ee7de42e91ce022824d3d72861f4d2b551c10f0294d16a3bf1d4"
                             "ee3e484439b804d097dea2d7cace76ade14af1663322"),
        ],
    ),
}


def _force_own_arithmetic(monkeypatch: pytest.MonkeyPatch, oid: str) -> None:
    """Make the backend probe say no for one curve, so verification takes the fallback."""
    probe = named_curves.backend_curve
    monkeypatch.setattr(named_curves, "backend_curve",
                        lambda asked: None if asked == oid else probe(asked))


@pytest.mark.parametrize("forced", [False, True], ids=["as-installed", "own-arithmetic"])
@pytest.mark.parametrize("curve", sorted(WYCHEPROOF))
def test_ecdsa_on_brainpool_p224_p320_with_published_vectors(
    curve: str, forced: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both paths verify the published vectors and refuse tampering: the backend where it has
    the curve (``cryptography`` >= 51), the project's own arithmetic where it lacks it or when
    forced. Which path ran is said in the warnings, and the probe decides it."""
    (named,) = [c for c in named_curves.CURVES if c.name == curve]
    if forced:
        _force_own_arithmetic(monkeypatch, named.oid)
    own = named.crypto_curve is None
    assert own or not forced
    spki_hex, hash_name, cases = WYCHEPROOF[curve]
    spki = bytes.fromhex(spki_hex)
    algorithm = algos.SignedDigestAlgorithm({"algorithm": f"{hash_name}_ecdsa"}).dump()
    for message, signature in cases:
        result = verify_signature(spki, algorithm, bytes.fromhex(message),
                                  bytes.fromhex(signature))
        assert result.key == f"ECDSA {curve}"
        assert any("own EC arithmetic" in w for w in result.warnings) is own
        with pytest.raises(SignatureInvalid):
            verify_signature(spki, algorithm, bytes.fromhex(message) + b"x",
                             bytes.fromhex(signature))
        tampered = bytearray(bytes.fromhex(signature))
        tampered[-1] ^= 1
        with pytest.raises(SignatureInvalid):
            verify_signature(spki, algorithm, bytes.fromhex(message), bytes(tampered))


@pytest.mark.parametrize("named", [c for c in curves.KNOWN_CURVES if c.crypto_curve is not None],
                         ids=lambda c: c.name)
def test_own_ec_arithmetic_agrees_with_the_backend(
    named: named_curves.NamedCurve, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On every curve the backend has, signatures the backend makes verify identically on both
    paths, and a tampered one fails on both."""
    backend = named.crypto_curve
    assert backend is not None
    key = ec.generate_private_key(backend())
    spki = key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    algorithm = algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}).dump()
    signatures = [key.sign(f"m{i}".encode(), ec.ECDSA(hashes.SHA256())) for i in range(3)]
    by_backend = [verify_signature(spki, algorithm, f"m{i}".encode(), sig)
                  for i, sig in enumerate(signatures)]
    assert not any("own EC arithmetic" in w for r in by_backend for w in r.warnings)
    _force_own_arithmetic(monkeypatch, named.oid)
    for i, sig in enumerate(signatures):
        own = verify_signature(spki, algorithm, f"m{i}".encode(), sig)
        assert "own EC arithmetic" in own.warnings[0]
        assert (own.scheme, own.ecdsa_format) == (by_backend[i].scheme, by_backend[i].ecdsa_format)
        with pytest.raises(SignatureInvalid):
            verify_signature(spki, algorithm, f"m{i}!".encode(), sig)


def test_ecdsa_on_an_explicit_prime_curve_that_matches_no_named_curve() -> None:
    # brainpoolP256r1 with generator 2G: a sound group that is no named curve
    named = curves.curve_by_oid("1.3.36.3.3.2.8.1.1.7")
    assert named is not None
    group = ecc.Curve("test", named.p, named.a, named.b, named.gx, named.gy, named.n, 1, None)
    g2 = ecc.multiply(group, 2, group.generator)
    assert g2 is not None
    d = 0x1234567890ABCDEF
    q = ecc.multiply(group, d, g2)
    assert q is not None
    size = named.byte_length

    def point(pt: tuple[int, int]) -> bytes:
        return b"\x04" + pt[0].to_bytes(size, "big") + pt[1].to_bytes(size, "big")

    domain = keys.SpecifiedECDomain({
        "version": "ecdpVer1",
        "field_id": {"field_type": "prime_field", "parameters": named.p},
        "curve": {"a": named.a.to_bytes(size, "big"), "b": named.b.to_bytes(size, "big")},
        "base": point(g2),
        "order": named.n,
        "cofactor": 1,
    })
    spki = keys.PublicKeyInfo({
        "algorithm": {"algorithm": "ec",
                      "parameters": keys.ECDomainParameters(name="specified", value=domain)},
        "public_key": point(q),
    }).dump()
    message = b"signed on an unnamed curve"
    e = int.from_bytes(hashlib.sha256(message).digest(), "big")
    k = 0xC0FFEE
    kg = ecc.multiply(group, k, g2)
    assert kg is not None
    r = kg[0] % named.n
    s = pow(k, -1, named.n) * (e + r * d) % named.n
    signature = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    plain = algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}).dump()
    result = verify_signature(spki, plain, message, signature)
    assert result.key.startswith("ECDSA explicit 256-bit prime curve")
    with pytest.raises(SignatureInvalid):
        verify_signature(spki, plain, message + b"!", signature)


def test_rsa_modulus_encoded_as_a_negative_integer_is_read_unsigned() -> None:
    from asn1crypto import core

    private = rsa.generate_private_key(65537, 2048)
    modulus = private.public_key().public_numbers().n.to_bytes(256, "big")
    rsa_key = keys.RSAPublicKey({"modulus": 1, "public_exponent": 65537})
    rsa_key["modulus"] = core.Integer.load(bytes([2, 0x82, 1, 0]) + modulus)
    assert int(rsa_key["modulus"].native) < 0
    spki = keys.PublicKeyInfo({"algorithm": {"algorithm": "rsa"}, "public_key": rsa_key}).dump()
    with pytest.raises(ValueError):
        serialization.load_der_public_key(spki)  # what the backend alone would say
    _, description = load_public_key(spki)
    assert "negative INTEGER" in description
    signature = private.sign(b"data", padding.PKCS1v15(), hashes.SHA256())
    result = verify_signature(
        spki, algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"}).dump(), b"data", signature
    )
    assert any("negative INTEGER" in w for w in result.warnings)
    assert result.key == "RSA-2048"


# --- 14. EF.CardSecurity ---------------------------------------------------------------------


def _cam_card(**changes: Any) -> dump.CardDump:
    import dataclasses

    from cccd_sim import issuer

    base = next(s for s in issuer.SAMPLES if s.name == VN)
    return issuer.issue(dataclasses.replace(
        base, pace=(("id-PACE-ECDH-CAM-AES-CBC-CMAC-128", 13),), **changes
    ))


def _read(card: dump.CardDump, **config: Any) -> Any:
    import dataclasses

    from cccd_reader.access.key import AccessKey
    from cccd_reader.iso7816.transport import InProcessTransport
    from cccd_reader.read_flow import read_card
    from cccd_sim.cards import chip_for_dump, config_for

    chip = chip_for_dump(card, dataclasses.replace(config_for(card.profile), **config))
    transport = InProcessTransport(chip.process, extended=chip.config.extended_length)
    assert card.access.can is not None or card.profile == "vn-cccd-2021"
    key = AccessKey.from_can(card.access.can or "")  if card.access.can else None
    if key is None:
        from cccd_reader.mrz import parse as parse_mrz

        assert card.access.mrz is not None
        holder = parse_mrz(card.access.mrz)
        assert holder.personal_number is not None
        key = AccessKey.from_can(holder.personal_number[-6:])
    return read_card(transport, key)


def _record(files: dict[str, bytes], result: Any) -> Any:
    from cccd_reader.record import CardRecord

    return CardRecord.build(files, trust=store(), decode_photo=False, now=NOW,
                            extra_checks=result.chip_checks).verification


def test_card_security_is_read_verified_and_proves_the_cam_key() -> None:
    card = _cam_card(ca_key_only_in_card_security=True)
    assert "EF.CardSecurity" in card.files
    result = _read(card)
    assert result.access.mapping == "CAM"
    assert result.files["EF.CardSecurity"] == card.files["EF.CardSecurity"]
    verification = _record(result.files, result)
    assert status(verification, "card_security") == "pass"
    chip = verification.check("chip_auth")
    assert chip is not None and chip.status == "pass" and "EF.CardSecurity" in chip.detail
    assert verification.verdict == "genuine"
    # a clone (another CAM key) fails against the signed key
    clone = _read(card, clone=True)
    assert _record(clone.files, clone).verdict == "not_genuine"


def test_a_corrupted_card_security_fails_and_proves_nothing() -> None:
    card = _cam_card(ca_key_only_in_card_security=True)
    result = _read(card)
    files_ = dict(result.files)
    raw = bytearray(files_["EF.CardSecurity"])
    raw[-5] ^= 0x40  # inside the signature
    files_["EF.CardSecurity"] = bytes(raw)
    verification = _record(files_, result)
    assert status(verification, "card_security") == "fail"
    assert verification.verdict == "not_genuine"
    # the same for a dump: the check runs on the file, wherever it came from
    assert verify(files_, store(), now=NOW).verdict == "not_genuine"
    untrusted = verify(result.files, None, now=NOW)
    assert status(untrusted, "card_security") == "skipped"


def test_card_security_keeps_a_pace_cam_read_byte_for_byte_in_dumps(tmp_path: Path) -> None:
    card = _cam_card()
    dump.save(card, tmp_path / "cam")
    assert dump.load(tmp_path / "cam").files["EF.CardSecurity"] == card.files["EF.CardSecurity"]
    assert verify(card.files, store(), now=NOW).verdict == "genuine"
