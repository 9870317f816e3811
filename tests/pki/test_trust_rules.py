"""Issue 27: the rule table of path building, one test per row (and then some).

``not_genuine`` needs a proof; not finding a path is missing trust (``unverified``), saying
what to add. Key identifiers decide first, signatures where they are absent, names never
alone. Every document here is a real sample re-signed by certificates the simulator builds
(``cccd_sim.bends``, ``cccd_sim.pki``), verified end to end with :func:`verify`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID

from cccd_reader import dump
from cccd_reader.pki.trust import Cert, TrustStore
from cccd_reader.verify import Verification, verify
from cccd_sim import bends
from cccd_sim import pki as sim_pki
from tests.conftest import SAMPLES

VN = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
SIGNED = bends.utc(2025, 3)


def trusted_csca() -> sim_pki.Authority:
    return sim_pki.default_pki().cscas["csca-vn"]


def card(dsc: sim_pki.Authority) -> dict[str, bytes]:
    return bends.resign(dict(dump.load(VN).files), dsc, signing_time=SIGNED)


def trust_of(*authorities: sim_pki.Authority) -> TrustStore:
    store = TrustStore()
    for authority in authorities:
        store.add_certificate(bends.der(authority.certificate))
    return store


def chain_of(result: Verification) -> tuple[str, str]:
    check = result.check("dsc_chain")
    assert check is not None
    return check.status, check.code


def dsc_without_aki(issuer_name: x509.Name, signer: sim_pki.Authority, label: str) -> (
        sim_pki.Authority):
    """A DSC that names no authorityKeyIdentifier (older real documents do this)."""
    key = sim_pki.ec_private_key(label, bends.ec.BrainpoolP256R1())
    country = issuer_name.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, str(country)),
                                 x509.NameAttribute(NameOID.COMMON_NAME, f"DSC {label}")]))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(0x5644_9000)
        .not_valid_before(bends.utc(2024))
        .not_valid_after(bends.utc(2034))
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), True)
        .sign(signer.key, hashes.SHA384(), ecdsa_deterministic=True)
    )
    return sim_pki.Authority(label, key, certificate)


def dsc(issuer: sim_pki.Authority, label: str, serial: int = 0x5644_7100) -> sim_pki.Authority:
    return bends.dsc_under(issuer, serial, label)


# --- row 1: the DSC names a trusted key that signed it -------------------------------------------


def test_row1_aki_of_a_trusted_csca_and_a_good_signature_is_a_path() -> None:
    result = verify(card(dsc(trusted_csca(), "row1")), trust_of(trusted_csca()), now=NOW)
    assert chain_of(result) == ("pass", "dsc_chain.csca")
    assert result.verdict == "genuine"


# --- row 2: the DSC names a trusted key that did not sign it -------------------------------------


def test_row2_aki_of_a_trusted_csca_and_a_bad_signature_is_forged() -> None:
    rogue = sim_pki.make_csca(sim_pki.ROGUE_CSCA)
    # the trusted CSCA's certificate (name, key identifier), the rogue's private key
    forger = sim_pki.Authority("forger", rogue.key, trusted_csca().certificate)
    forged = dsc(forger, "row2-forged")
    assert forged.certificate.extensions.get_extension_for_class(
        x509.AuthorityKeyIdentifier).value.key_identifier == trusted_csca().certificate.extensions\
        .get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    result = verify(card(forged), trust_of(trusted_csca()), now=NOW)
    assert chain_of(result) == ("fail", "dsc_chain.signature_invalid")
    assert result.verdict == "not_genuine"


def test_row2_a_signature_that_cannot_be_checked_stays_unverified() -> None:
    genuine = Cert.load(bends.der(dsc(trusted_csca(), "row2-unsupported").certificate))
    raw = genuine.asn1
    odd = asn1_x509.Certificate({
        "tbs_certificate": raw["tbs_certificate"],
        "signature_algorithm": {"algorithm": "1.3.6.1.4.1.99999.1"},
        "signature_value": raw["signature_value"],
    })
    chain = trust_of(trusted_csca()).validate_dsc(Cert.load(odd.dump()))
    assert (chain.status, chain.reason) == ("unsupported", "unsupported_algorithm")
    assert "cannot be checked" in chain.detail


def _reissued_without_key_usage(csca: sim_pki.Authority) -> sim_pki.Authority:
    """The trusted CSCA's own name, key and key identifier, self-signed without keyUsage: the
    shape of the German master list's entry #270 (a Chinese CSCA certificate)."""
    original = csca.certificate
    certificate = (
        x509.CertificateBuilder()
        .subject_name(original.subject)
        .issuer_name(original.subject)
        .public_key(csca.key.public_key())
        .serial_number(0x4B55_0001)
        .not_valid_before(original.not_valid_before_utc)
        .not_valid_after(original.not_valid_after_utc)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
        .add_extension(original.extensions.get_extension_for_class(
            x509.SubjectKeyIdentifier).value, False)
        .sign(csca.key, hashes.SHA384(), ecdsa_deterministic=True)
    )
    return sim_pki.Authority("csca-no-key-usage", csca.key, certificate)


def test_row1_a_trusted_key_whose_certificate_bends_the_profile_is_not_forgery() -> None:
    """Review finding: a DSC the trusted key did sign, under a trusted certificate that lacks
    keyUsage, was called forged. The flaw is the trust material's: unverified, saying so."""
    anchor = _reissued_without_key_usage(trusted_csca())
    result = verify(card(dsc(trusted_csca(), "row1-no-ku")), trust_of(anchor), now=NOW)
    assert chain_of(result) == ("skipped", "dsc_chain.issuer_unusable")
    assert result.verdict == "unverified"
    check = result.check("dsc_chain")
    assert check is not None and "keyUsage" in check.params["problems"]
    # the same anchor does not excuse a forgery: a DSC naming that key, signed by another
    rogue = sim_pki.make_csca(sim_pki.ROGUE_CSCA)
    forged = dsc(sim_pki.Authority("forger", rogue.key, trusted_csca().certificate),
                 "row1-no-ku-forged")
    result = verify(card(forged), trust_of(anchor), now=NOW)
    assert chain_of(result) == ("fail", "dsc_chain.signature_invalid")
    assert result.verdict == "not_genuine"


# --- row 3: the DSC names a key that is not in trust ---------------------------------------------


def test_row3_a_rogue_csca_copying_the_trusted_name_is_missing_trust() -> None:
    rogue = sim_pki.make_csca(sim_pki.ROGUE_CSCA)
    result = verify(card(dsc(rogue, "row3-rogue")), trust_of(trusted_csca()), now=NOW)
    assert chain_of(result) == ("skipped", "dsc_chain.key_not_trusted")
    assert result.verdict == "unverified"
    check = result.check("dsc_chain")
    assert check is not None
    rogue_ski = rogue.certificate.extensions.get_extension_for_class(
        x509.SubjectKeyIdentifier).value.digest.hex().upper()
    # it says what to add: the key, the country, the issuer's name
    assert check.params["key_id"] == rogue_ski and check.params["country"] == "VN"
    assert f"CSCA key {rogue_ski} of VN not in trust" in check.detail
    assert "Synthetic CSCA Viet Nam" in check.params["issuer"]


def test_row3_a_new_csca_key_not_yet_imported_is_missing_trust_not_forgery() -> None:
    """After a state rolls its CSCA key, cards signed under the new key are unverified until
    the new CSCA (or its link) is imported: a clerk must not turn them away as forged."""
    new_key = bends.same_name_link(trusted_csca(), signed_by=trusted_csca().key, seed="roll")
    result = verify(card(dsc(new_key, "row3-rolled")), trust_of(trusted_csca()), now=NOW)
    assert chain_of(result) == ("skipped", "dsc_chain.key_not_trusted")
    assert result.verdict == "unverified"


# --- row 4: a link certificate signed by a trusted CSCA ------------------------------------------


def test_row4_a_link_signed_by_the_trusted_csca_is_usable() -> None:
    link = bends.same_name_link(trusted_csca(), signed_by=trusted_csca().key, seed="row4",
                                serial=0x5643_0444)
    trust = trust_of(trusted_csca(), link)
    result = verify(card(dsc(link, "row4")), trust, now=NOW)
    assert chain_of(result) == ("pass", "dsc_chain.csca")
    check = result.check("dsc_chain")
    assert check is not None and "via link certificate" in check.detail
    assert result.verdict == "genuine"
    state = trust.link_state(Cert.load(bends.der(link.certificate)))
    assert state.state == "anchored" and state.csca is not None
    assert trust.warnings == []


# --- row 5: a link certificate naming a trusted CSCA's key, not signed by it ---------------------


def test_row5_a_forged_link_is_refused_with_a_warning_naming_its_file(tmp_path: Path) -> None:
    rogue = sim_pki.make_csca(sim_pki.ROGUE_CSCA)
    forged = bends.same_name_link(trusted_csca(), signed_by=rogue.key, seed="row5")
    (tmp_path / "csca-vn.der").write_bytes(bends.der(trusted_csca().certificate))
    (tmp_path / "link-forged.der").write_bytes(bends.der(forged.certificate))
    trust = TrustStore.from_paths([tmp_path], include_default=False)
    result = verify(card(dsc(forged, "row5")), trust, now=NOW)
    assert chain_of(result) == ("skipped", "dsc_chain.link_refused")
    assert result.verdict == "unverified"
    check = result.check("dsc_chain")
    assert check is not None and check.params["file"].endswith("link-forged.der")
    warned = [w for w in trust.warnings if "link-forged.der" in w]
    assert len(warned) == 1 and warned[0].endswith("refused")
    # asked again, the warning is not repeated
    verify(card(dsc(forged, "row5")), trust, now=NOW)
    assert len([w for w in trust.warnings if "link-forged.der" in w]) == 1


# --- row 6: a link certificate whose issuer key is not in trust ----------------------------------


def test_row6_a_trust_directory_holding_only_a_published_link_verifies(tmp_path: Path) -> None:
    """What states publish: the link certificate (new key, certified by the old one), while
    the old CSCA is not at hand. The operator chose it, so it anchors its own key."""
    old = sim_pki.make_csca(sim_pki.CscaSpec(
        "csca-vn-old", "VN", "Synthetic CSCA Viet Nam TEST", sim_pki.DEFAULT_CSCAS[0].key,
        0x5643_0001, bends.utc(2015), bends.utc(2030)), seed="row6-old")
    link = bends.same_name_link(old, signed_by=old.key, seed="row6", serial=0x5643_0666)
    (tmp_path / "vn-link.der").write_bytes(bends.der(link.certificate))
    trust = TrustStore.from_paths([tmp_path], include_default=False)
    result = verify(card(dsc(link, "row6")), trust, now=NOW)
    assert chain_of(result) == ("pass", "dsc_chain.link_anchor")
    check = result.check("dsc_chain")
    assert check is not None and "anchors its own key" in check.detail
    assert check.params["file"].endswith("vn-link.der")
    assert result.verdict == "genuine"
    assert any("vn-link.der" in n and "anchors its own key" in n for n in trust.notes)
    assert trust.warnings == []


def test_row6_a_published_link_without_the_ca_flag_still_anchors(tmp_path: Path) -> None:
    """Real link certificates bend the profile (no basicConstraints); one that may sign
    certificates and not documents is taken for what it is, with a note."""
    old = sim_pki.make_csca(sim_pki.ROGUE_CSCA)  # any older key not in trust
    new_key = sim_pki.ec_private_key("row6-bent", bends.ec.BrainpoolP384R1())
    ski = x509.SubjectKeyIdentifier.from_public_key(new_key.public_key())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(old.certificate.subject)
        .issuer_name(old.certificate.subject)
        .public_key(new_key.public_key())
        .serial_number(0x5643_0667)
        .not_valid_before(bends.utc(2024))
        .not_valid_after(bends.utc(2035))
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True)
        .add_extension(ski, False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
            old.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value),
            False)
        .sign(old.key, hashes.SHA384(), ecdsa_deterministic=True)
    )
    link = sim_pki.Authority("row6-bent", new_key, certificate)
    (tmp_path / "bent-link.der").write_bytes(bends.der(certificate))
    trust = TrustStore.from_paths([tmp_path], include_default=False)
    assert trust.pinned_dscs == [] and len(trust.links) == 1
    result = verify(card(dsc(link, "row6-bent")), trust, now=NOW)
    assert chain_of(result) == ("pass", "dsc_chain.link_anchor")
    assert result.verdict == "genuine"
    assert any("bent-link.der" in n and "bends the profile" in n for n in trust.notes)


# --- row 7: a link certificate revoked by its verified issuer ------------------------------------


def test_row7_a_revoked_link_makes_its_documents_not_genuine() -> None:
    link = bends.same_name_link(trusted_csca(), signed_by=trusted_csca().key, seed="row7",
                                serial=0x5643_0777)
    trust = trust_of(trusted_csca(), link)
    trust.add_crl(bends.crl(trusted_csca(), revoked=[0x5643_0777], this_update=bends.utc(2025, 6),
                            next_update=bends.utc(2035)))
    result = verify(card(dsc(link, "row7")), trust, now=NOW)
    assert chain_of(result) == ("pass", "dsc_chain.csca")
    crl = result.check("crl")
    assert crl is not None and (crl.status, crl.code) == ("fail", "crl.revoked")
    assert result.verdict == "not_genuine"


# --- row 8: no key identifiers anywhere: the signature decides -----------------------------------


def test_row8_without_aki_a_signature_that_verifies_is_a_path() -> None:
    result = verify(card(dsc_without_aki(trusted_csca().certificate.subject, trusted_csca(),
                                         "row8-good")), trust_of(trusted_csca()), now=NOW)
    assert chain_of(result) == ("pass", "dsc_chain.csca")


def test_row8_without_aki_a_signature_that_fails_proves_nothing() -> None:
    rogue = sim_pki.make_csca(sim_pki.ROGUE_CSCA)
    result = verify(card(dsc_without_aki(trusted_csca().certificate.subject, rogue, "row8-bad")),
                    trust_of(trusted_csca()), now=NOW)
    assert chain_of(result) == ("skipped", "dsc_chain.key_not_trusted")
    assert result.verdict == "unverified"


# --- what stays ----------------------------------------------------------------------------------


def test_nothing_of_the_country_in_trust_says_what_to_add() -> None:
    result = verify(card(dsc(trusted_csca(), "nothing")), trust_of(
        sim_pki.default_pki().cscas["csca-ut"]), now=NOW)
    assert chain_of(result) == ("skipped", "dsc_chain.no_anchor")
    check = result.check("dsc_chain")
    assert check is not None and "add the CSCA of VN" in check.detail


def test_forged_and_revoked_links_are_never_genuine() -> None:
    rogue = sim_pki.make_csca(sim_pki.ROGUE_CSCA)
    forged = bends.same_name_link(trusted_csca(), signed_by=rogue.key, seed="never-forged")
    revoked = bends.same_name_link(trusted_csca(), signed_by=trusted_csca().key,
                                   seed="never-revoked", serial=0x5643_0888)
    current = {"this_update": bends.utc(2025, 6), "next_update": bends.utc(2035)}
    for serials in ([], [0x5643_0888]):
        forged_trust = trust_of(trusted_csca(), forged)
        forged_trust.add_crl(bends.crl(trusted_csca(), revoked=serials, **current))
        assert verify(card(dsc(forged, "never")), forged_trust, now=NOW).verdict == "unverified"
    revoked_trust = trust_of(trusted_csca(), revoked)
    revoked_trust.add_crl(bends.crl(trusted_csca(), revoked=[0x5643_0888], **current))
    assert verify(card(dsc(revoked, "never")), revoked_trust, now=NOW).verdict == "not_genuine"
