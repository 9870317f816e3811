"""Passive authentication of the synthetic samples, and every way it must refuse them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cccd_reader import dump
from cccd_reader.checks import Check
from cccd_reader.lds.sod import parse_sod
from cccd_reader.pki.trust import TrustStore
from cccd_reader.verify import (
    CORE_CHECKS,
    CRL,
    CSCA_VALIDITY,
    DSC_CHAIN,
    DSC_VALIDITY,
    SOD_PARSE,
    SOD_SIGNATURE,
    enumerate_verdicts,
    verdict_for,
    verify,
)
from cccd_sim import pki as sim_pki
from cccd_sim.sod_builder import build_sod, hash_data_groups

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
PKI = SAMPLES / "pki"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
ISSUE_DATES = {
    "vn-cccd-2021-nguyen-thi-ngoc-anh": date(2021, 4, 10),
    "vn-cancuoc-2024-dang-huu-phuoc": date(2024, 8, 20),
    "vn-cccd-2021-le-thi-thu-huong-lifetime": date(2021, 6, 21),
    "passport-utopia-td3": date(2023, 4, 15),
}
VN = "vn-cccd-2021-nguyen-thi-ngoc-anh"



def csca_store(*, crl: bool = True) -> TrustStore:
    store = TrustStore()
    for name in ("csca-vn.der", "csca-ut.der", *(("csca-vn.crl", "csca-ut.crl") if crl else ())):
        store.add_path(PKI / name)
    return store


def files(name: str = VN) -> dict[str, bytes]:
    return dict(dump.load(SAMPLES / name).files)


def statuses(result: Any) -> dict[str, str]:
    return {c.name: c.status for c in result.checks}


def load_cert(name: str) -> x509.Certificate:
    return x509.load_der_x509_certificate((PKI / f"{name}.der").read_bytes())


def load_key(name: str) -> Any:
    return serialization.load_pem_private_key((PKI / f"{name}.key.pem").read_bytes(), None)


def resign(
    card: dict[str, bytes],
    *,
    dg_hashes: dict[int, bytes] | None = None,
    key: Any = None,
    cert: x509.Certificate | None = None,
    signing_time: datetime | None = datetime(2021, 4, 10, 2, 30, tzinfo=UTC),
) -> dict[str, bytes]:
    sod = build_sod(
        dg_hashes if dg_hashes is not None else hash_data_groups(card),
        private_key=key or load_key("dsc-vn-2021"),
        certificate=cert or load_cert("dsc-vn-2021"),
        signature="ecdsa-sha256",
        signing_time=signing_time,
    )
    return {**card, "EF.SOD": sod}


# --- the samples -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ISSUE_DATES))
def test_samples_genuine_with_csca(name: str) -> None:
    result = verify(files(name), csca_store(), document_issue_date=ISSUE_DATES[name], now=NOW)
    assert result.verdict == "genuine", result.to_json()
    assert all(c.status == "pass" for c in result.checks)


@pytest.mark.parametrize("name", sorted(ISSUE_DATES))
def test_samples_unverified_without_trust(name: str) -> None:
    result = verify(files(name), None, document_issue_date=ISSUE_DATES[name], now=NOW)
    assert result.verdict == "unverified"
    chain = result.check(DSC_CHAIN)
    assert chain is not None and chain.status == "skipped"
    assert "no trust anchor for country" in chain.detail and "SHA-256" in chain.detail
    assert statuses(result)[SOD_SIGNATURE] == "pass"  # still checked with the embedded DSC
    assert all(s == "pass" for n, s in statuses(result).items() if n.startswith("dg_hash:"))


def test_pinned_dsc_is_genuine() -> None:
    store = TrustStore()
    store.add_path(PKI / "dsc-vn-2021.pem")
    result = verify(files(), store, now=NOW)
    assert result.verdict == "genuine", result.to_json()
    assert statuses(result)[CSCA_VALIDITY] == statuses(result)[CRL] == "skipped"
    assert "pinned" in (result.check(DSC_CHAIN) or Check("", "fail", "")).detail


def test_other_country_anchor_only_is_unverified() -> None:
    store = TrustStore()
    store.add_path(PKI / "csca-ut.der")
    result = verify(files(), store, now=NOW)
    assert result.verdict == "unverified"
    assert "no trust anchor for country VN" in (result.check(DSC_CHAIN) or Check("", "", "")).detail


def test_no_crl_is_a_visible_note_not_a_downgrade() -> None:
    result = verify(files(), csca_store(crl=False), now=NOW)
    assert result.verdict == "genuine"
    crl = result.check(CRL)
    assert crl is not None and crl.status == "skipped" and not crl.required
    assert crl.code == "crl.no_current_crl"
    assert crl.detail.startswith("revocation not checked: no current CRL from CSCA")
    assert "Synthetic CSCA Viet Nam TEST" in crl.detail
    strict = verify(files(), csca_store(crl=False), now=NOW, require_crl=True)
    assert strict.verdict == "unverified"
    assert strict.check(CRL).required  # type: ignore[union-attr]


def test_no_signing_time_and_no_issue_date_uses_the_current_time() -> None:
    """Real UK, DE, FI and SG passports carry no signingTime: a DSC valid now passes."""
    result = verify(files("vn-cccd-2021-le-thi-thu-huong-lifetime"), csca_store(), now=NOW)
    validity = result.check(DSC_VALIDITY)
    assert validity is not None and validity.status == "pass", validity
    assert validity.code == "dsc_validity.valid_now" and "current time" in validity.detail
    assert result.verdict == "genuine"
    # a DSC no longer valid today, with no other reference time: unknown, not forged
    later = datetime(2040, 1, 1, tzinfo=UTC)
    late = verify(files("vn-cccd-2021-le-thi-thu-huong-lifetime"), csca_store(), now=later)
    assert statuses(late)[DSC_VALIDITY] == "skipped" and late.verdict == "unverified"


def test_json_shape() -> None:
    out = verify(files(), csca_store(), now=NOW).to_json()
    assert set(out) == {"verdict", "checks"}
    assert all(
        set(c) == {"name", "status", "detail", "required", "code", "params"} for c in out["checks"]
    )
    assert all(c["code"].startswith(c["name"].split(":")[0] + ".") for c in out["checks"])
    assert [c["name"] for c in out["checks"]][:6] == [
        SOD_PARSE, SOD_SIGNATURE, DSC_CHAIN, DSC_VALIDITY, CSCA_VALIDITY, CRL
    ]


# --- negative cases ----------------------------------------------------------------------------


def test_tampered_dg_byte() -> None:
    card = files()
    card["DG2"] = card["DG2"][:-1] + bytes([card["DG2"][-1] ^ 1])
    result = verify(card, csca_store(), now=NOW)
    assert result.verdict == "not_genuine"
    assert [c.name for c in result.checks if c.status == "fail"] == ["dg_hash:DG2"]


def test_flipped_signature_byte() -> None:
    card = files()
    raw = card["EF.SOD"]
    sig = parse_sod(raw).signer.signature
    at = raw.rindex(sig) + len(sig) - 1
    card["EF.SOD"] = raw[:at] + bytes([raw[at] ^ 1]) + raw[at + 1 :]
    result = verify(card, csca_store(), now=NOW)
    assert result.verdict == "not_genuine"
    assert statuses(result)[SOD_SIGNATURE] == "fail"


def test_wrong_message_digest() -> None:
    card = files()
    raw = card["EF.SOD"]
    econtent = parse_sod(raw).econtent
    at = raw.index(econtent) + len(econtent) - 1  # last byte of the last DG hash
    card["EF.SOD"] = raw[:at] + bytes([raw[at] ^ 1]) + raw[at + 1 :]
    result = verify(card, csca_store(), now=NOW)
    check = result.check(SOD_SIGNATURE)
    assert check is not None and check.status == "fail" and "messageDigest" in check.detail
    assert result.verdict == "not_genuine"


def test_dsc_from_untrusted_csca() -> None:
    spec = sim_pki.DEFAULT_CSCAS[0]
    rogue_csca = sim_pki.make_csca(spec, seed="rogue-csca")  # same name, another key
    rogue_dsc = sim_pki.make_dsc(sim_pki.DEFAULT_DSCS[0], rogue_csca, seed="rogue-dsc")
    card = resign(files(), key=rogue_dsc.key, cert=rogue_dsc.certificate)
    result = verify(card, csca_store(), now=NOW)
    assert statuses(result)[SOD_SIGNATURE] == "pass"
    # a copied name proves no forgery: the key it names is missing trust (issue 27)
    assert statuses(result)[DSC_CHAIN] == "skipped"
    chain = result.check(DSC_CHAIN)
    assert chain is not None and chain.code == "dsc_chain.key_not_trusted"
    assert result.verdict == "unverified"


def test_dsc_expired_at_signing_time() -> None:
    card = resign(files(), signing_time=datetime(2032, 6, 1, tzinfo=UTC))
    result = verify(card, csca_store(), now=NOW)
    assert statuses(result)[DSC_VALIDITY] == "fail"
    assert result.verdict == "not_genuine"


def test_signed_outside_private_key_usage_period() -> None:
    card = resign(files(), signing_time=datetime(2026, 6, 1, tzinfo=UTC))  # PKUP ends 2024
    result = verify(card, csca_store(), now=NOW)
    check = result.check(DSC_VALIDITY)
    assert check is not None and check.status == "fail" and "usage period" in check.detail


def test_dg_missing_from_sod() -> None:
    card = files()
    hashes = hash_data_groups(card)
    del hashes[2]
    result = verify(resign(card, dg_hashes=hashes), csca_store(), now=NOW)
    assert statuses(result)["dg_hash:DG2"] == "fail"
    assert result.verdict == "not_genuine"


def test_dg_in_sod_not_read() -> None:
    card = files()
    hashes = {**hash_data_groups(card), 3: b"\x00" * 32}
    signed = resign(card, dg_hashes=hashes)
    result = verify(signed, csca_store(), now=NOW)
    assert statuses(result)["dg_hash:DG3"] == "skipped"  # EAC-protected: not required
    assert result.verdict == "genuine"
    del signed["DG1"]
    result = verify(signed, csca_store(), now=NOW)
    # absent is not forged: listed in the SOD but not read -> skipped, at most unverified
    assert statuses(result)["dg_hash:DG1"] == "skipped"
    assert statuses(result)["mandatory_dgs"] == "skipped"
    assert statuses(result)["country_binding"] == "skipped"
    assert result.verdict == "unverified"


def test_truncated_sod() -> None:
    card = files()
    card["EF.SOD"] = card["EF.SOD"][:-40]
    result = verify(card, csca_store(), now=NOW)
    assert statuses(result)[SOD_PARSE] == "fail"
    assert result.verdict == "not_genuine"


def test_revoked_dsc() -> None:
    csca = sim_pki.Authority("csca-vn", load_key("csca-vn"), load_cert("csca-vn"))
    crl = sim_pki.make_crl(
        csca,
        number=2,
        last_update=datetime(2025, 6, 1, tzinfo=UTC),
        next_update=datetime(2035, 1, 1, tzinfo=UTC),
        revoked_serials=[
            (load_cert("dsc-vn-2021").serial_number, datetime(2025, 5, 1, tzinfo=UTC))
        ],
    )
    store = csca_store()
    store.add_crl(crl.public_bytes(serialization.Encoding.DER))
    result = verify(files(), store, now=NOW)
    assert statuses(result)[CRL] == "fail"
    assert result.verdict == "not_genuine"


def test_crl_from_wrong_key_is_not_used() -> None:
    spec = sim_pki.DEFAULT_CSCAS[0]
    rogue = sim_pki.make_csca(spec, seed="rogue-csca")
    crl = sim_pki.make_crl(rogue, last_update=NOW, next_update=datetime(2035, 1, 1, tzinfo=UTC))
    store = csca_store(crl=False)
    store.add_crl(crl.public_bytes(serialization.Encoding.DER))
    result = verify(files(), store, now=NOW)
    check = result.check(CRL)
    assert check is not None and check.status == "skipped"
    assert "CRL signature" in check.detail and "does not verify" in check.detail


def test_consistency_failure_is_inconsistent() -> None:
    result = verify(files(), csca_store(), now=NOW, consistency_failed=True)
    assert result.verdict == "inconsistent"
    card = files()
    card["DG1"] = card["DG1"][:-1] + bytes([card["DG1"][-1] ^ 1])
    assert verify(card, csca_store(), now=NOW, consistency_failed=True).verdict == "not_genuine"


def test_sod_signed_by_another_key() -> None:
    # The embedded DSC did not make this signature: it must fail, not be skipped.
    other = ec.derive_private_key(5, ec.BrainpoolP256R1())
    card = resign(files(), key=other)
    assert statuses(verify(card, csca_store(), now=NOW))[SOD_SIGNATURE] == "fail"


# --- the verdict rule --------------------------------------------------------------------------


def test_no_combination_with_a_non_pass_required_check_is_genuine() -> None:
    names = [SOD_PARSE, SOD_SIGNATURE, DSC_CHAIN, DSC_VALIDITY, CSCA_VALIDITY, CRL,
             "dg_hash:DG1", "dg_hash:DG2"]
    others = [c for c in CORE_CHECKS if c not in names]
    seen = 0
    for assignment, verdict in enumerate_verdicts(names, passing=others):
        seen += 1
        all_pass = all(s == "pass" for s in assignment.values())
        assert (verdict == "genuine") == all_pass, assignment
        if any(s == "fail" for s in assignment.values()):
            assert verdict == "not_genuine"
        elif not all_pass:
            assert verdict == "unverified"
    assert seen == 4 ** len(names)


def test_missing_core_checks_never_genuine() -> None:
    assert verdict_for([]) == "unverified"
    assert verdict_for([Check("dg_hash:DG1", "pass", "")]) == "unverified"
    assert verdict_for([Check(n, "pass", "") for n in (SOD_PARSE, SOD_SIGNATURE, DSC_CHAIN,
                                                       DSC_VALIDITY)]) == "unverified"
