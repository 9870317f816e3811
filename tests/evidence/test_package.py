"""An evidence package from a real read of the virtual chip, checked again as a server would:
what passes, and the precise check that fails for each kind of tampering."""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader import evidence
from cccd_reader.errors import OutputError
from cccd_reader.evidence.check import EvidenceReport
from cccd_reader.lds.sod import parse_sod
from tests.conftest import SAMPLES
from tests.evidence.support import (
    CHALLENGE,
    PASSPORT,
    VN_2021,
    VN_2024,
    VN_LIFETIME,
    flip_byte,
    package,
    sim_read,
    sod_with_certificates,
    trust,
    with_files,
)

FACE = {"score": 0.53, "band": "likely_same",
        "thresholds": {"likely_same": 0.45, "likely_different": 0.25},
        "model": {"detector": {"name": "yunet", "sha256": "ab" * 32},
                  "recognizer": {"name": "sface", "sha256": "cd" * 32}},
        "quality": {"chip": {"face_px": 98}, "live": {"face_px": 240}},
        "chip_verdict": "genuine"}


@pytest.fixture(scope="module")
def pkg() -> evidence.EvidencePackage:
    return package()


def _failures(report: EvidenceReport) -> dict[str, str]:
    return {c.name: c.code for c in report.checks if c.status == "fail"}


def _roundtrip(pkg: evidence.EvidencePackage) -> evidence.EvidencePackage:
    return evidence.loads(evidence.dumps(pkg))


def test_package_from_a_read_holds_the_chip_files_and_the_signature(
        pkg: evidence.EvidencePackage) -> None:
    card = dumpmod.load(VN_2021)
    assert set(pkg.files) == {"EF.SOD", "DG1", "DG2", "DG13", "DG14", "DG15"}
    assert all(pkg.files[name] == card.files[name] for name in pkg.files)
    assert pkg.active_auth.reason == "included"
    assert pkg.active_auth.challenge == CHALLENGE
    assert pkg.active_auth.counter_status == "pass"
    assert pkg.dsc == parse_sod(card.files["EF.SOD"]).certificates[0]
    assert pkg.counter_verdict == "genuine"
    assert pkg.read_at is not None and pkg.producer.software == "cccd-reader"
    doc = evidence.to_json(pkg)
    assert doc["format"] == "cccd-evidence/1"
    assert any("Ministry" in note for note in doc["notes"])
    assert any("DG2" in note for note in doc["notes"])
    assert "personal data masked" in repr(pkg) and "DG13" in repr(pkg)


def test_server_reproves_the_package(pkg: evidence.EvidencePackage) -> None:
    report = evidence.verify_package(_roundtrip(pkg), trust(), challenge=CHALLENGE)
    assert report.verdict == "genuine", _failures(report)
    assert report.data_verdict == "genuine"
    aa = report.check("active_auth")
    assert aa is not None and aa.status == "pass" and aa.code == "active_auth.verified"
    dsc = report.check("package_dsc")
    assert dsc is not None and dsc.code == "package_dsc.match"
    assert {"sod_signature", "dsc_chain", "dg_hash:DG13", "active_auth"} <= set(report.reproven)
    codes = [f.code for f in report.not_reproven]
    assert "not_reproven.online_check" in codes
    assert "not_reproven.chip_auth" in codes  # the 2021 chip also did CA at the counter
    doc = report.to_json()
    assert doc["verdict"] == "genuine" and doc["challenge_given"] is True
    assert all(f["detail_vi"] and f["detail_vi"] != f["detail"] for f in doc["not_reproven"])


def test_one_byte_of_dg13_changed_fails_its_hash(pkg: evidence.EvidencePackage) -> None:
    tampered = with_files(pkg, {"DG13": flip_byte(pkg.files["DG13"], len(pkg.files["DG13"]) // 2)})
    report = evidence.verify_package(_roundtrip(tampered), trust(), challenge=CHALLENGE)
    assert report.verdict == "not_genuine" and report.data_verdict == "not_genuine"
    assert _failures(report) == {"dg_hash:DG13": "dg_hash.mismatch"}
    aa = report.check("active_auth")
    assert aa is not None and aa.status == "pass"  # DG15 is intact: AA still holds


def test_another_challenge_fails_active_authentication(pkg: evidence.EvidencePackage) -> None:
    other = bytes.fromhex("0102030405060708")
    report = evidence.verify_package(pkg, trust(), challenge=other)
    assert report.verdict == "not_genuine"
    assert report.data_verdict == "genuine"  # the data are the State's; the chip is not proven
    assert _failures(report) == {"active_auth": "active_auth.challenge_mismatch"}


def test_a_signature_over_another_challenge_fails(pkg: evidence.EvidencePackage) -> None:
    """The package's challenge edited to the server's: the chip never signed that one."""
    other = bytes.fromhex("0102030405060708")
    forged = dataclasses.replace(pkg, active_auth=dataclasses.replace(pkg.active_auth,
                                                                      challenge=other))
    report = evidence.verify_package(_roundtrip(forged), trust(), challenge=other)
    assert _failures(report) == {"active_auth": "active_auth.invalid"}


def test_without_the_server_challenge_active_authentication_cannot_count(
        pkg: evidence.EvidencePackage) -> None:
    report = evidence.verify_package(pkg, trust())
    aa = report.check("active_auth")
    assert aa is not None and aa.status == "skipped"
    assert aa.code == "active_auth.no_server_challenge" and aa.required
    assert report.verdict == "unverified" and report.data_verdict == "genuine"


def test_dsc_swapped_beside_the_sod_fails(pkg: evidence.EvidencePackage) -> None:
    other = (SAMPLES / "pki" / "dsc-vn-2024.der").read_bytes()
    report = evidence.verify_package(_roundtrip(dataclasses.replace(pkg, dsc=other)), trust(),
                                     challenge=CHALLENGE)
    assert _failures(report) == {"package_dsc": "package_dsc.mismatch"}
    assert report.verdict == "not_genuine"


def test_dsc_swapped_inside_the_sod_fails_the_signature(pkg: evidence.EvidencePackage) -> None:
    """A rogue DSC (same names as the genuine one, another key) put into EF.SOD."""
    rogue = list(parse_sod(dumpmod.load(SAMPLES / "negative" / "dsc-untrusted-csca")
                           .files["EF.SOD"]).certificates)
    swapped = sod_with_certificates(pkg.files["EF.SOD"], rogue)
    tampered = dataclasses.replace(with_files(pkg, {"EF.SOD": swapped}), dsc=rogue[0])
    report = evidence.verify_package(_roundtrip(tampered), trust(), challenge=CHALLENGE)
    failures = _failures(report)
    assert failures.get("sod_signature") in {"sod_signature.invalid",
                                             "sod_signature.no_matching_dsc"}, failures
    assert report.verdict == "not_genuine"
    assert set(failures) <= {"sod_signature", "dsc_chain"}


def test_the_2024_card_says_it_has_no_dg15() -> None:
    pkg = package(VN_2024)
    assert "DG15" not in pkg.files
    assert pkg.active_auth.reason == "no_dg15"
    assert "2024" in evidence.to_json(pkg)["active_authentication"]["note"]
    report = evidence.verify_package(_roundtrip(pkg), trust(), challenge=CHALLENGE)
    assert report.data_verdict == "genuine"
    ca = report.check("chip_auth")
    assert ca is not None and ca.code == "chip_auth.not_reprovable" and ca.required
    assert report.verdict == "unverified"


def test_a_chip_without_clone_detection_is_genuine_with_a_note() -> None:
    report = evidence.verify_package(package(VN_LIFETIME), trust(), challenge=CHALLENGE)
    note = report.check("clone_detection")
    assert note is not None and note.code == "clone_detection.not_offered"
    assert report.verdict == "genuine"


def test_passport_rsa_active_authentication() -> None:
    report = evidence.verify_package(package(PASSPORT), trust(), challenge=CHALLENGE)
    assert report.verdict == "genuine", _failures(report)


def test_a_read_without_a_caller_challenge_carries_no_signature() -> None:
    outcome = sim_read(VN_2021, challenge=None)
    assert outcome.result.active_auth is not None  # the counter's own AA ran
    pkg = evidence.from_outcome(outcome)
    assert pkg.active_auth.reason == "no_challenge" and pkg.active_auth.signature is None
    report = evidence.verify_package(_roundtrip(pkg), trust(), challenge=CHALLENGE)
    aa = report.check("active_auth")
    assert aa is not None and aa.code == "active_auth.not_in_package"
    assert report.verdict == "unverified"


def test_face_block_is_marked_not_attested(pkg: evidence.EvidencePackage) -> None:
    with_face = _roundtrip(evidence.build_package(
        pkg.files, None, face=FACE, read_at=pkg.read_at))
    assert with_face.face is not None and with_face.face.band == "likely_same"
    doc = evidence.to_json(with_face)
    assert doc["face"]["attestation"] == "not_attested"
    assert "not attested" in doc["face"]["note"]
    assert "chip_verdict" not in doc["face"]
    report = evidence.verify_package(with_face, trust())
    assert "not_reproven.face" in [f.code for f in report.not_reproven]
    refused = evidence.FaceEvidence.from_mapping(
        {"score": None, "band": None, "refused": {"code": "no_face", "side": "live"}})
    assert _roundtrip(evidence.build_package(pkg.files, None, face=refused)).face == refused


def test_live_image_only_with_consent(pkg: evidence.EvidencePackage) -> None:
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 64
    with pytest.raises(evidence.EvidenceError) as info:
        evidence.LiveImage("image/jpeg", jpeg, consent=False)
    assert info.value.reason == "no_consent"
    live = evidence.LiveImage("image/jpeg", jpeg, consent=True)
    with_live = _roundtrip(evidence.build_package(pkg.files, None, face=FACE, live_image=live))
    assert with_live.live_image is not None and with_live.live_image.data == jpeg
    assert evidence.to_json(with_live)["live_image"]["consent"] is True
    assert evidence.to_json(pkg)["live_image"] is None  # never by default


def test_save_is_0600_exclusive_and_never_through_a_link(
        pkg: evidence.EvidencePackage, tmp_path: Path) -> None:
    target = tmp_path / "evidence.json"
    evidence.save(pkg, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert evidence.load(target).files == pkg.files
    with pytest.raises(OutputError):
        evidence.save(pkg, target)
    evidence.save(pkg, target, overwrite=True)
    victim = tmp_path / "victim"
    victim.write_text("keep")
    link = tmp_path / "link.json"
    link.symlink_to(victim)
    for overwrite in (False, True):
        with pytest.raises(OutputError):
            evidence.save(pkg, link, overwrite=overwrite)
    assert victim.read_text() == "keep"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(OutputError):
        evidence.save(pkg, dangling)
    assert not (tmp_path / "nowhere").exists()
    os.chmod(tmp_path, 0o700)


def test_package_from_a_dump() -> None:
    card = dumpmod.load(VN_2021)
    pkg = evidence.from_dump(card, trust())
    assert pkg.active_auth.reason == "not_run" and "EF.COM" not in pkg.files
    report = evidence.verify_package(_roundtrip(pkg), trust(), challenge=CHALLENGE)
    assert report.data_verdict == "genuine" and report.verdict == "unverified"


def test_the_face_modules_own_shapes_plug_in(pkg: evidence.EvidencePackage) -> None:
    """model as a list, thresholds with a source: carried as they are, bounded."""
    face = {**FACE, "model": [{"name": "yunet-int8", "sha256": "ab" * 32},
                              {"name": "sface-int8", "sha256": "cd" * 32}],
            "thresholds": {"likely_same": 0.45, "likely_different": 0.25,
                           "source": "published evaluation"}}
    loaded = _roundtrip(evidence.build_package(pkg.files, None, face=face))
    assert loaded.face is not None and loaded.face.model == face["model"]
    too_big = {**FACE, "model": [{"name": str(i)} for i in range(100)]}
    with pytest.raises(evidence.EvidenceError) as info:
        evidence.dumps(evidence.build_package(pkg.files, None, face=too_big))
    assert info.value.reason == "too_large"
    with pytest.raises(evidence.EvidenceError):
        evidence.FaceEvidence.from_mapping({"score": 1.5, "band": "likely_same"})
    with pytest.raises(evidence.EvidenceError):
        evidence.FaceEvidence.from_mapping({"score": None, "band": None})


def test_a_failed_counter_aa_is_said(pkg: evidence.EvidencePackage) -> None:
    from cccd_reader.auth.active import AuthResult

    refused = AuthResult("AA", "fail", "the chip refused INTERNAL AUTHENTICATE")
    built = evidence.build_package(pkg.files, None, active_auth=refused,
                                   caller_challenge=CHALLENGE)
    assert built.active_auth.reason == "not_run" and built.active_auth.counter_status == "fail"
    assert _roundtrip(built).active_auth.counter_status == "fail"


def test_packages_match_the_documented_schema(pkg: evidence.EvidencePackage) -> None:
    import json

    from tests.conftest import REPO
    from tests.test_docs import check_schema

    schema = json.loads((REPO / "docs" / "evidence.schema.json").read_text(encoding="utf-8"))
    live = evidence.LiveImage("image/png", b"\x89PNG\r\n\x1a\n", consent=True)
    refused = {"score": None, "band": None, "refused": {"code": "no_face", "side": "live"}}
    docs = [
        evidence.to_json(pkg),
        evidence.to_json(package(VN_2024)),
        evidence.to_json(evidence.build_package(pkg.files, None, face=FACE, live_image=live)),
        evidence.to_json(evidence.build_package(pkg.files, None, face=refused)),
    ]
    for doc in docs:
        assert check_schema(doc, schema) == []
        assert set(doc) == set(schema["required"])
    assert check_schema({**docs[0], "extra": 1}, schema)  # the schema is closed, like the loader


def test_aa_counts_only_with_a_proven_dg15(pkg: evidence.EvidencePackage) -> None:
    """DG15 altered: its hash fails, and the signature (which no longer matches the key
    either) proves nothing: the verify module's order of trust, not a second copy of it."""
    dg15 = pkg.files["DG15"]
    report = evidence.verify_package(with_files(pkg, {"DG15": flip_byte(dg15, len(dg15) - 1)}),
                                     trust(), challenge=CHALLENGE)
    assert report.check("dg_hash:DG15") is not None
    assert _failures(report)["dg_hash:DG15"] == "dg_hash.mismatch"
    aa = report.check("active_auth")
    assert aa is not None and aa.status != "pass"


def test_leaving_dg15_out_cannot_avoid_active_authentication(
        pkg: evidence.EvidencePackage) -> None:
    stripped = dataclasses.replace(
        pkg, files={k: v for k, v in pkg.files.items() if k != "DG15"},
        active_auth=evidence.ActiveAuthEvidence("no_dg15"))
    report = evidence.verify_package(_roundtrip(stripped), trust(), challenge=CHALLENGE)
    skipped = {c.name: c.code for c in report.checks if c.status == "skipped" and c.required}
    assert skipped["dg_hash:DG15"] == "dg_hash.not_read"
    assert report.verdict == "unverified" and report.data_verdict == "unverified"
