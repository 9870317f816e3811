"""The conformance runner: catalogue integrity, samples, renderings, CLI and live probes.

The negative samples announce their failing ``verify`` check in their note; the runner must
flag the catalogue id that reports that check, so the two views of one defect cannot drift.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.conformance import catalogue, dump_checks, live, results, runner
from cccd_reader.conformance.report import passes, to_html, to_junit, to_text
from cccd_reader.iso7816.apdu import CommandAPDU, ResponseAPDU
from cccd_reader.iso7816.transport import InProcessTransport, Transport
from cccd_reader.pki.trust import TrustStore
from cccd_reader.qr import parse_payload
from cccd_sim.cards import chip_for_dump
from cccd_sim.chip import VirtualChip
from cccd_sim.transport import sim_transport
from tests.conftest import REPO, SAMPLES

NOW = datetime(2026, 1, 1, tzinfo=UTC)
PKI = SAMPLES / "pki"
TRUST_FILES = [PKI / n for n in ("csca-vn.der", "csca-ut.der", "csca-vn.crl", "csca-ut.crl")]
VALID = sorted(p.parent for p in SAMPLES.glob("*/card.json"))
NEGATIVE = sorted(p.parent for p in (SAMPLES / "negative").glob("*/card.json"))
NOTE = re.compile(r"expect (?P<verdict>[a-z_]+)(?:, (?P<check>[a-zA-Z0-9_:]+))?$")
ANH_QR = (
    "001190012345|013579246|Nguyễn Thị Ngọc Ánh|12051990|Nữ|"
    "Số 18 Ngõ 72 Thái Hà, Trung Liệt, Đống Đa, Hà Nội|10042021"
)


@pytest.fixture(scope="module")
def trust() -> TrustStore:
    return TrustStore.from_paths(TRUST_FILES, include_default=False)


def expected(directory: Path) -> tuple[str, str | None]:
    match = NOTE.search(dumpmod.load(directory).note or "")
    assert match, directory
    return match["verdict"], match["check"]


# --- the catalogue -----------------------------------------------------------------------------


def test_catalogue_is_well_formed() -> None:
    ids = [c.id for c in catalogue.CATALOGUE]
    assert len(ids) == len(set(ids))
    for c in catalogue.CATALOGUE:
        assert re.fullmatch(r"[A-Z]+(-[A-Z0-9]+)*-\d{3}", c.id), c.id
        assert c.severity in ("error", "warning", "info")
        assert c.scope in ("any", "dump", "live")
        assert c.title and c.reference
    assert set(catalogue.VERIFY_CHECK_IDS.values()) <= set(ids)


@pytest.mark.parametrize(
    "name,check_id",
    [("sod_parse", "SOD-STRUCT-001"), ("dg_hash:DG2", "SOD-HASH-001"),
     ("qr:name", "QR-XCHK-001"), ("dsc_chain", "PKI-CHAIN-001"), ("nonsense", None)],
)
def test_verify_names_map_to_catalogue_ids(name: str, check_id: str | None) -> None:
    assert catalogue.catalogue_id_for(name) == check_id


# --- samples -----------------------------------------------------------------------------------


@pytest.mark.parametrize("directory", VALID, ids=lambda p: p.name)
def test_valid_samples_conform(directory: Path, trust: TrustStore) -> None:
    suite = dump_checks.check_dump(directory, trust=trust, now=NOW)
    assert suite.conformant, [(r.label, r.detail) for r in suite.failures("error")]
    assert not suite.failures(), [(r.label, r.detail) for r in suite.failures()]
    assert suite.verdict == "genuine"


@pytest.mark.parametrize("directory", NEGATIVE, ids=lambda p: p.name)
def test_negative_samples_are_flagged_with_the_right_id(
    directory: Path, trust: TrustStore
) -> None:
    verdict, check = expected(directory)
    suite = dump_checks.check_dump(directory, trust=trust, now=NOW)
    if verdict == "genuine":
        assert suite.conformant, [(r.label, r.detail) for r in suite.failures("error")]
        return
    assert check is not None
    check_id = catalogue.catalogue_id_for(check)
    assert check_id is not None, check
    assert not suite.conformant
    assert check_id in suite.failed_ids("error"), [r.label for r in suite.failures()]
    if ":" in check:  # per-file checks name the file
        target = check.split(":", 1)[1]
        assert any(r.id == check_id and r.target == target for r in suite.failures())


def test_every_suite_reports_every_check_of_its_scope(trust: TrustStore) -> None:
    report = runner.run([SAMPLES], trust=trust, now=NOW)
    assert {s.name for s in report.suites} == {p.name for p in VALID + NEGATIVE}
    dump_ids = {c.id for c in catalogue.CATALOGUE if c.scope in ("any", "dump")}
    for suite in report.suites:
        assert {r.id for r in suite.results} == dump_ids, suite.name
    assert not report.conformant


def test_sha1_is_a_warning_not_an_error(trust: TrustStore) -> None:
    suite = dump_checks.check_dump(SAMPLES / "negative" / "valid-sha1", trust=trust, now=NOW)
    assert suite.conformant
    assert suite.failed_ids() == {"SOD-ALG-001"}


def test_unloadable_dump_is_a_failed_suite_and_the_run_goes_on(
    tmp_path: Path, trust: TrustStore
) -> None:
    bad = tmp_path / "broken"
    shutil.copytree(SAMPLES / "passport-utopia-td3", bad)
    (bad / "DG99").write_bytes(b"x")
    good = tmp_path / "good"
    shutil.copytree(SAMPLES / "passport-utopia-td3", good)
    report = runner.run([tmp_path], trust=trust, now=NOW)
    by_name = {s.name: s for s in report.suites}
    assert by_name["broken"].failed_ids() == {"DUMP-LOAD-001"}
    assert by_name["good"].conformant


def test_without_trust_anchor_chain_is_skipped_not_failed() -> None:
    suite = dump_checks.check_dump(SAMPLES / "passport-utopia-td3", trust=None, now=NOW)
    chain = [r for r in suite.results if r.id == "PKI-CHAIN-001"]
    assert [r.outcome for r in chain] == ["skip"]
    assert suite.conformant


def test_structural_defects_are_caught_without_any_signature() -> None:
    card = dumpmod.load(SAMPLES / "passport-utopia-td3")
    files = dict(card.files)
    files["DG1"] = files["DG1"] + b"\x00"  # trailing byte
    files["DG11"] = b"\x6c" + files["DG11"][1:]  # DG11 wearing DG12's tag
    del files["DG12"]  # listed in EF.COM, gone
    suite = dump_checks.check_files(files, now=NOW)
    failed = {(r.id, r.target) for r in suite.failures()}
    assert ("LDS-TLV-001", "DG1") in failed
    assert ("LDS-TAG-001", "DG11") in failed
    assert ("LDS-COM-002", None) in failed


def test_mrz_check_digit_failure() -> None:
    from cccd_sim.issuer import encode_dg1

    card = dumpmod.load(SAMPLES / "passport-utopia-td3")
    assert card.access.mrz is not None
    lines = card.access.mrz.split("\n")
    broken = lines[1][:9] + ("0" if lines[1][9] != "0" else "1") + lines[1][10:]
    files = {**card.files, "DG1": encode_dg1(lines[0] + "\n" + broken)}
    suite = dump_checks.check_files(files, now=NOW)
    assert "MRZ-CD-001" in suite.failed_ids("error")


def test_qr_cross_check(trust: TrustStore) -> None:
    directory = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"
    good = dump_checks.check_dump(directory, trust=trust, now=NOW, qr=parse_payload(ANH_QR))
    assert good.conformant
    assert any(r.id == "QR-XCHK-001" and r.outcome == "pass" for r in good.results)
    other = parse_payload(ANH_QR.replace("Ngọc Ánh", "Ngọc Anh"))
    bad = dump_checks.check_dump(directory, trust=trust, now=NOW, qr=other)
    assert "QR-XCHK-001" in bad.failed_ids("error")


# --- renderings --------------------------------------------------------------------------------


def test_junit_parses_and_counts(trust: TrustStore) -> None:
    report = runner.run([SAMPLES], trust=trust, now=NOW)
    root = ET.fromstring(to_junit(report))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == len(report.suites)
    for element, suite in zip(suites, report.suites, strict=True):
        cases = element.findall("testcase")
        assert len(cases) == len(suite.results) == int(element.get("tests", "-1"))
        failures = [c for c in cases if c.find("failure") is not None]
        assert len(failures) == len(suite.failures("error")) == int(element.get("failures", "-1"))
    tampered = next(s for s in suites if s.get("name") == "tampered-dg2")
    messages = [f.get("message", "") for f in tampered.iter("failure")]
    assert any("DG2" in m for m in messages)


def test_junit_with_junitparser(trust: TrustStore, tmp_path: Path) -> None:
    junitparser = pytest.importorskip("junitparser")
    report = runner.run([SAMPLES / "negative" / "tampered-dg2"], trust=trust, now=NOW)
    path = tmp_path / "out.xml"
    path.write_text(to_junit(report), encoding="utf-8")
    xml = junitparser.JUnitXml.fromfile(str(path))
    suites = list(xml)
    assert len(suites) == 1 and suites[0].failures == 1


def test_html_is_self_contained_and_escaped(tmp_path: Path, trust: TrustStore) -> None:
    directory = tmp_path / "evil<b>dump"
    shutil.copytree(SAMPLES / "passport-utopia-td3", directory)
    meta = json.loads((directory / "card.json").read_text())
    meta["note"] = "<script>alert('x')</script> & \"quotes\""
    (directory / "card.json").write_text(json.dumps(meta))
    page = to_html(runner.run([directory], trust=trust, now=NOW))
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quotes&quot;" in page
    assert "evil&lt;b&gt;dump" in page and "evil<b>" not in page
    assert "http://" not in page and "https://" not in page  # no external assets
    ET.fromstring(to_junit(runner.run([directory], trust=trust, now=NOW)))  # escaped there too


def test_text_summary(trust: TrustStore) -> None:
    text = to_text(runner.run([SAMPLES / "negative" / "flipped-signature"], trust=trust, now=NOW))
    assert text.startswith("FAIL flipped-signature") and "SOD-SIG-001" in text


# --- CLI ---------------------------------------------------------------------------------------


def _cccd(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "cccd_reader.cli", *args],
        capture_output=True, text=True, timeout=300, env=env, cwd=REPO,
    )


def _trust_args() -> list[str]:
    out = ["--no-default-trust"]
    for path in TRUST_FILES:
        out += ["--trust", str(path)]
    return out


def test_cli_valid_directory_exits_zero(tmp_path: Path) -> None:
    root = tmp_path / "batch"
    for name in ("passport-utopia-td3", "vn-cccd-2021-le-thi-thu-huong-lifetime"):
        shutil.copytree(SAMPLES / name, root / "nested" / name)
    junit, page = tmp_path / "r.xml", tmp_path / "r.html"
    proc = _cccd("conformance", str(root), *_trust_args(), "--junit", str(junit),
                 "--html", str(page))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 of 2 conformant" in proc.stdout
    assert len(ET.parse(junit).getroot().findall("testsuite")) == 2
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_samples_json_and_exit_code() -> None:
    proc = _cccd("conformance", "samples", *_trust_args(), "--json")
    assert proc.returncode == 6, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["format"] == results.REPORT_FORMAT and doc["conformant"] is False
    assert len(doc["catalogue"]) == len(catalogue.CATALOGUE)
    by_name = {s["name"]: s for s in doc["suites"]}
    assert by_name["tampered-dg2"]["conformant"] is False
    assert by_name["passport-utopia-td3"]["conformant"] is True


def test_cli_usage() -> None:
    proc = _cccd("conformance")
    assert proc.returncode == 2 and "give dumps" in proc.stderr


def test_cli_live_sim() -> None:
    proc = _cccd("conformance", "--live", "--sim", "samples/passport-utopia-td3",
                 *_trust_args(), "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (suite,) = json.loads(proc.stdout)["suites"]
    outcome = {r["id"]: r["result"] for r in suite["results"]}
    for check_id in ("PROTO-AUTH-001", "PROTO-SM-001", "PROTO-MAC-001", "LIVE-READ-001"):
        assert outcome[check_id] == "pass"


# --- live --------------------------------------------------------------------------------------


def _key(card: dumpmod.CardDump) -> AccessKey:
    if card.access.can and "EF.CardAccess" in card.files:
        return AccessKey.from_can(card.access.can)
    assert card.access.mrz
    return AccessKey.from_mrz(card.access.mrz)


@pytest.mark.parametrize("directory", VALID, ids=lambda p: p.name)
def test_live_virtual_chip_conforms(directory: Path, trust: TrustStore) -> None:
    card = dumpmod.load(directory)
    suite = live.check_live(lambda: sim_transport(directory), _key(card), trust=trust, now=NOW)
    assert suite.kind == "live"
    assert suite.conformant, [(r.label, r.detail) for r in suite.failures("error")]
    outcome = {r.id: r.outcome for r in suite.results}
    for check_id in ("LIVE-READ-001", "PROTO-AUTH-001", "PROTO-SM-001", "PROTO-SM-002",
                     "PROTO-MAC-001"):
        assert outcome[check_id] == "pass", check_id
    assert {r.id for r in suite.results} == {
        c.id for c in catalogue.CATALOGUE if c.scope in ("any", "live")
    }


class LeakyChip(VirtualChip):
    """Serves the LDS before access control: the defect PROTO-AUTH-001 exists to catch."""

    def _dispatch(self, cmd: CommandAPDU) -> ResponseAPDU:
        if self.state.sm is None:
            self.state.authenticated = True
        return super()._dispatch(cmd)


class WrongStatusChip(VirtualChip):
    """Refuses a bad MAC, but with 6982 instead of ISO 7816-4's 6988."""

    def _process_protected(self, cmd: CommandAPDU) -> ResponseAPDU:
        resp = super()._process_protected(cmd)
        return ResponseAPDU(b"", 0x6982) if resp.sw == 0x6988 else resp


class PlainTolerantChip(VirtualChip):
    """Answers plain commands inside a session: secure messaging not enforced."""

    def transmit(self, raw: bytes) -> ResponseAPDU:
        cmd = CommandAPDU.from_bytes(raw)
        if self.state.sm is not None and not cmd.cla & 0x0C:
            return self._dispatch(cmd)
        return super().transmit(raw)


def _connect(directory: Path, cls: type[VirtualChip]):  # type: ignore[no-untyped-def]
    card = dumpmod.load(directory)

    def connect() -> Transport:
        chip = chip_for_dump(card)
        chip.__class__ = cls  # same state, one behaviour changed
        return InProcessTransport(chip.process, extended=chip.config.extended_length)

    return connect, _key(card)


@pytest.mark.parametrize(
    "cls,check_id",
    [(LeakyChip, "PROTO-AUTH-001"), (WrongStatusChip, "PROTO-MAC-001"),
     (PlainTolerantChip, "PROTO-SM-001")],
)
@pytest.mark.parametrize(
    "sample", ["passport-utopia-td3", "vn-cccd-2021-nguyen-thi-ngoc-anh"]
)
def test_non_conformant_chip_fails_the_right_check(
    cls: type[VirtualChip], check_id: str, sample: str, trust: TrustStore
) -> None:
    connect, key = _connect(SAMPLES / sample, cls)
    suite = live.check_live(connect, key, trust=trust, now=NOW)
    assert suite.failed_ids("error") == {check_id}, [(r.label, r.detail) for r in suite.failures()]


def test_live_wrong_key_reports_the_read_and_skips_the_probes(trust: TrustStore) -> None:
    directory = SAMPLES / "passport-utopia-td3"
    key = AccessKey.from_document("L898902C3", "740812", "120415")  # an older expiry
    suite = live.check_live(lambda: sim_transport(directory), key, trust=trust)
    assert "LIVE-READ-001" in suite.failed_ids("error")
    outcome = {r.id: r.outcome for r in suite.results}
    assert outcome["PROTO-AUTH-001"] == "pass"
    assert outcome["PROTO-MAC-001"] == "skip"


def test_junit_failures_are_exactly_what_fails_the_exit_code(trust: TrustStore) -> None:
    """Issue 18: a warning passes unless strict, in JUnit and exit status alike."""
    report = runner.run([SAMPLES / "negative" / "valid-sha1"], trust=trust, now=NOW)
    assert report.suites[0].failures("warning") and not report.suites[0].failures("error")
    for strict in (False, True):
        root = ET.fromstring(to_junit(report, strict=strict))
        assert (root.get("failures") == "0") == passes(report, strict=strict)
    assert passes(report) and not passes(report, strict=True)
