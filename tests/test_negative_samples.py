"""Every sample under ``samples/negative`` gets exactly the verdict its ``card.json`` announces.

The expectation is read from the sample's own note (``...; expect not_genuine, dg_hash:DG2``),
so a sample cannot drift from what it claims to demonstrate; the issuer's table is checked
against the notes to catch a sample that silently disappeared or changed meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cccd_reader import dump
from cccd_reader.pki.trust import TrustStore
from cccd_reader.verify import DSC_CHAIN, SOD_SIGNATURE, Verification, verify
from cccd_sim import issuer
from tests.conftest import SAMPLES

NEGATIVE = SAMPLES / issuer.NEGATIVE_DIR
PKI = SAMPLES / "pki"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
NOTE = re.compile(
    r"^(?P<kind>negative|valid): (?P<defect>.+); "
    r"expect (?P<verdict>genuine|not_genuine|unverified|inconsistent)"
    r"(?:, (?P<check>[a-z0-9_:A-Z]+))?$"
)
DIRS = sorted(p.parent for p in NEGATIVE.glob("*/card.json"))



@dataclass(frozen=True)
class Expectation:
    kind: str
    verdict: str
    failing_check: str | None


def expectation(directory: Path) -> Expectation:
    note = dump.load(directory).note or ""
    match = NOTE.match(note)
    assert match, f"{directory.name}: note {note!r} does not state an expectation"
    return Expectation(match["kind"], match["verdict"], match["check"])


def trusted_store() -> TrustStore:
    return TrustStore.from_paths(
        [PKI / name for name in ("csca-vn.der", "csca-ut.der", "csca-vn.crl", "csca-ut.crl")],
        include_default=False,
    )


def run(directory: Path, store: TrustStore | None) -> Verification:
    return verify(dump.load(directory).files, store, now=NOW)


def failing(result: Verification) -> list[str]:
    return [c.name for c in result.checks if c.status == "fail"]


# --- the samples match their notes -------------------------------------------------------------


def test_samples_and_issuer_table_agree() -> None:
    by_name = {sample.name: sample for sample in issuer.NEGATIVE_SAMPLES}
    assert [d.name for d in DIRS] == sorted(by_name)
    for directory in DIRS:
        sample = by_name[directory.name]
        assert dump.load(directory).note == sample.note
        expected = expectation(directory)
        assert (expected.verdict, expected.failing_check) == (sample.verdict, sample.failing_check)
        assert (expected.kind == "valid") == (sample.verdict == "genuine")


def test_every_defect_class_is_covered() -> None:
    checks = {sample.failing_check for sample in issuer.NEGATIVE_SAMPLES}
    assert {"sod_parse", "sod_signature", "dsc_chain", "dsc_validity"} <= checks
    assert {c for c in checks if c and c.startswith("dg_hash:")}
    assert sum(sample.verdict == "genuine" for sample in issuer.NEGATIVE_SAMPLES) >= 3


@pytest.mark.parametrize("directory", DIRS, ids=lambda d: d.name)
def test_verdict_and_failing_check(directory: Path) -> None:
    expected = expectation(directory)
    result = run(directory, trusted_store())
    assert result.verdict == expected.verdict, result.to_json()
    if expected.verdict == "genuine":
        assert failing(result) == []
        assert all(c.status == "pass" for c in result.checks), result.to_json()
    elif expected.verdict == "unverified":
        # missing trust, not forgery: nothing fails, the announced check alone is unproven
        assert failing(result) == [], result.to_json()
        unproven = [c for c in result.checks if c.required and c.status != "pass"]
        assert unproven[0].name == expected.failing_check, result.to_json()
        # what follows from it only points back at it ("no validated CSCA (see dsc_chain)")
        assert all(c.code.endswith(".no_csca") for c in unproven[1:]), result.to_json()
    else:
        # exactly one defect per sample: the announced check is the only one that fails
        assert failing(result) == [expected.failing_check], result.to_json()


@pytest.mark.parametrize(
    "directory",
    [d for d in DIRS if d.name.startswith("valid-")],
    ids=lambda d: d.name,
)
def test_valid_samples_are_unverified_without_the_csca(directory: Path) -> None:
    assert expectation(directory).verdict == "genuine"
    crl_only = TrustStore.from_paths([PKI / "csca-ut.crl"], include_default=False)
    for store in (None, TrustStore(), crl_only):
        result = run(directory, store)
        assert result.verdict == "unverified", result.to_json()
        assert failing(result) == []
        chain = result.check(DSC_CHAIN)
        assert chain is not None and chain.status == "skipped"


# --- what each sample proves, beyond the verdict -----------------------------------------------


def _detail(name: str, check: str, store: TrustStore | None = None) -> str:
    found = run(NEGATIVE / name, store or trusted_store()).check(check)
    assert found is not None
    return found.detail


def test_sha1_sample_passes_with_a_warning() -> None:
    detail = _detail("valid-sha1", SOD_SIGNATURE)
    assert "ecdsa-sha1" in detail and "warning" in detail and "SHA-1" in detail
    dg_detail = _detail("valid-sha1", "dg_hash:DG1")
    assert "sha1" in dg_detail and "warning" in dg_detail


def test_pss_and_explicit_curve_samples_use_what_they_claim() -> None:
    assert _detail("valid-rsa-pss", SOD_SIGNATURE).startswith("rsa-pss-sha256 (RSA-2048)")
    assert "ECDSA brainpoolP256r1 (explicit parameters)" in _detail(
        "valid-ecdsa-explicit-curve", SOD_SIGNATURE
    )


def test_message_digest_sample_fails_on_the_digest_not_the_signature() -> None:
    assert "messageDigest" in _detail("wrong-message-digest", SOD_SIGNATURE)
    result = run(NEGATIVE / "wrong-message-digest", trusted_store())
    # the forged hash list matches the forged DG2: only the messageDigest betrays it
    assert all(
        c.status == "pass" for c in result.checks if c.name.startswith("dg_hash:")
    ), result.to_json()


def test_rogue_csca_is_the_only_defect_of_its_sample() -> None:
    assert "of VN not in trust" in _detail("dsc-untrusted-csca", DSC_CHAIN)
    unproven = run(NEGATIVE / "dsc-untrusted-csca", trusted_store()).check(DSC_CHAIN)
    assert unproven is not None and unproven.code == "dsc_chain.key_not_trusted"
    assert unproven.params["country"] == "VN" and len(unproven.params["key_id"]) == 40
    rogue_dir = NEGATIVE / "pki-rogue"
    store = TrustStore.from_paths([rogue_dir / "csca-vn-rogue.der"], include_default=False)
    chain = run(NEGATIVE / "dsc-untrusted-csca", store).check(DSC_CHAIN)
    assert chain is not None and chain.status == "pass", chain


def test_rogue_pki_stays_out_of_the_trusted_test_pki() -> None:
    rogue = {p.read_bytes() for p in (NEGATIVE / "pki-rogue").glob("*.der")}
    assert len(rogue) == 2
    assert not rogue & {p.read_bytes() for p in PKI.iterdir() if p.is_file()}
    store = TrustStore.from_paths([PKI], include_default=False)
    loaded = {c.der for c in store.cscas + store.links + store.pinned_dscs}
    assert not rogue & loaded
    # same CSCA name as the trusted one: only the key tells them apart
    rogue_csca = TrustStore.from_paths(
        [NEGATIVE / "pki-rogue" / "csca-vn-rogue.der"], include_default=False
    ).cscas[0]
    (genuine_vn,) = [c for c in store.cscas if c.country == "VN"]
    assert rogue_csca.subject == genuine_vn.subject and rogue_csca.spki_der != genuine_vn.spki_der


def test_country_mismatch_names_both_countries() -> None:
    detail = _detail("dsc-country-mismatch", "country_binding")
    assert "DSC country VN" in detail and "issuing state UTO" in detail


def test_expired_dsc_detail() -> None:
    detail = _detail("dsc-expired-at-signing", "dsc_validity")
    assert "2020-01-01..2021-01-01" in detail and "signing time 2021-04-10" in detail


def test_pinning_the_expired_dsc_does_not_rescue_it() -> None:
    store = TrustStore.from_paths(
        [NEGATIVE / "pki-extra" / "dsc-vn-2020-expired.der"], include_default=False
    )
    result = run(NEGATIVE / "dsc-expired-at-signing", store)
    assert result.verdict == "not_genuine"
    assert failing(result) == ["dsc_validity"]


def test_the_negative_samples_are_there() -> None:
    assert len(DIRS) >= 10, "samples/negative is missing or incomplete"
