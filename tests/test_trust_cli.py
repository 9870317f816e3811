"""Issue 16: ``cccd trust`` (list, import, pin, remove, check, seen) and the record of document
signers seen, on a private trust directory and data directory per test."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cccd_reader.cli import main
from cccd_reader.pki.trust import Cert
from cccd_reader.pki.trust import seen as trust_seen
from cccd_sim import bends, trust_lists
from cccd_sim import pki as sim_pki

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
PKI = SAMPLES / "pki"
VN = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"
DSC_FP = Cert.load((PKI / "dsc-vn-2021.der").read_bytes()).fingerprint
CSCA_FP = Cert.load((PKI / "csca-vn.der").read_bytes()).fingerprint


@pytest.fixture(autouse=True)
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    out = {"trust": tmp_path / "trust", "data": tmp_path / "data", "cache": tmp_path / "cache"}
    monkeypatch.setenv("CCCD_TRUST_DIR", str(out["trust"]))
    monkeypatch.setenv("CCCD_DATA_DIR", str(out["data"]))
    monkeypatch.setenv("CCCD_CACHE_DIR", str(out["cache"]))
    monkeypatch.delenv("CCCD_RECORD_SEEN", raising=False)
    return out


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_list_remove(capsys: pytest.CaptureFixture[str], dirs: dict[str, Path]) -> None:
    code, out, err = run(capsys, "trust", "import", str(PKI / "csca-vn.der"),
                         str(PKI / "csca-vn.crl"), str(PKI / "csca-ut.pem"))
    assert code == 0, err
    assert sorted(p.name for p in dirs["trust"].iterdir()) == [
        "csca-ut.pem", "csca-vn.crl", "csca-vn.der"]
    code, out, _ = run(capsys, "trust", "list", "--json")
    doc = json.loads(out)
    assert code == 0 and {a["country"] for a in doc["anchors"]} == {"VN", "UT"}
    vn = next(a for a in doc["anchors"] if a["country"] == "VN")
    assert vn["sha256"] == CSCA_FP and vn["source"].endswith("csca-vn.der")
    assert doc["crls"][0]["stale"] is False and doc["warnings"] == []
    code, out, _ = run(capsys, "trust", "list")
    assert "Anchors (CSCA): 2" in out and CSCA_FP in out
    code, out, _ = run(capsys, "trust", "remove", CSCA_FP[:16])
    assert code == 0 and not (dirs["trust"] / "csca-vn.der").exists()
    code, _, err = run(capsys, "trust", "remove", "00112233aabbccdd")
    assert code == 5 and "nothing in" in err


def test_import_refuses_what_would_be_ignored(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path, dirs: dict[str, Path]) -> None:
    rogue = sim_pki.make_csca(sim_pki.ROGUE_CSCA)
    signer, key = bends.ml_signer(rogue, "unchained")
    unchained = tmp_path / "unchained.ml"
    vn = sim_pki.default_pki().cscas["csca-vn"].certificate
    unchained.write_bytes(bends.master_list([vn], signer, key))
    garbage = tmp_path / "garbage.der"
    garbage.write_bytes(b"\x30\x03\x02\x01\x01")
    code, _, err = run(capsys, "trust", "import", str(PKI / "csca-vn.crl"), str(unchained),
                       str(garbage), str(PKI / "dsc-vn-2021.der"))
    assert code == 5
    assert "refused" in err and "csca-vn.crl: CRL would be ignored" in err
    assert "unchained.ml: master list would be ignored" in err
    assert "garbage.der" in err and "not a valid X.509 certificate" in err
    assert "dsc-vn-2021.der: a Document Signer certificate: pin it" in err
    assert not dirs["trust"].exists() or not any(dirs["trust"].iterdir())


def test_import_a_master_list(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    listed = trust_lists.synthetic_master_list(60, "cli", country="NL")
    path = tmp_path / "nl.ml"
    path.write_bytes(listed.data)
    code, _, err = run(capsys, "trust", "import", str(path))
    assert code == 0, err
    code, out, _ = run(capsys, "trust", "list", "--json")
    (report,) = json.loads(out)["master_lists"]
    assert report["verified"] and report["listed"] == 60


def test_pin_a_dump_asks_then_pins(capsys: pytest.CaptureFixture[str],
                                   dirs: dict[str, Path]) -> None:
    code, out, err = run(capsys, "trust", "pin", str(VN))
    assert code == 2 and "--yes" in err and DSC_FP in out  # stdin is not a terminal
    assert not dirs["trust"].exists() or not any(dirs["trust"].iterdir())
    code, out, _ = run(capsys, "trust", "pin", str(VN), "--yes")
    assert code == 0 and "serial   56442021" in out
    pinned = list(dirs["trust"].iterdir())
    assert [Cert.load(p.read_bytes()).fingerprint for p in pinned] == [DSC_FP]
    code, out, _ = run(capsys, "verify", str(VN), "--json")
    assert code == 0 and json.loads(out)["verdict"] == "genuine"  # pinned: a trust anchor
    checks = {c["name"]: c for c in json.loads(out)["checks"]}
    assert checks["dsc_chain"]["status"] == "pass" and "pinned" in checks["dsc_chain"]["detail"]
    code, out, _ = run(capsys, "trust", "list", "--json")
    assert [p["sha256"] for p in json.loads(out)["pinned_signers"]] == [DSC_FP]


def test_check_exits_7_on_stale_crl_or_expiring_anchor(capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    assert run(capsys, "trust", "import", str(PKI / "csca-vn.der"))[0] == 0
    code, out, _ = run(capsys, "trust", "check", "--days", "30")
    assert code == 0 and "OK" in out
    code, out, _ = run(capsys, "trust", "check", "--days", "10000")
    assert code == 7 and "expires on 2035-01-01" in out
    csca = sim_pki.default_pki().cscas["csca-vn"]
    stale = tmp_path / "stale.crl"
    stale.write_bytes(bends.crl(csca, this_update=datetime(2023, 1, 1, tzinfo=UTC),
                                next_update=datetime(2024, 1, 1, tzinfo=UTC)))
    assert run(capsys, "trust", "import", str(stale))[0] == 0
    code, out, _ = run(capsys, "trust", "check")
    assert code == 7 and "stale.crl" in out and "is stale: expired on 2024-01-01" in out


def test_seen_is_opt_in_and_holds_no_personal_data(capsys: pytest.CaptureFixture[str],
                                                   dirs: dict[str, Path]) -> None:
    run(capsys, "verify", str(VN), "--no-default-trust")
    assert not (dirs["data"] / trust_seen.SEEN_FILE).exists()
    assert run(capsys, "trust", "seen", "--enable")[0] == 0
    for _ in range(2):
        run(capsys, "verify", str(VN), "--no-default-trust")
    path = dirs["data"] / trust_seen.SEEN_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    card_json = json.loads((VN / "card.json").read_text()) if (VN / "card.json").exists() else {}
    for secret in ("NGUYEN", "Nguyễn", *(str(v) for v in card_json.get("access", {}).values())):
        assert secret not in text
    code, out, _ = run(capsys, "trust", "seen", "--json")
    (seen,) = json.loads(out)["signers"]
    assert seen["fingerprint"] == DSC_FP and seen["count"] == 2 and seen["serial"] == "56442021"
    code, out, _ = run(capsys, "trust", "pin", DSC_FP[:12], "--yes")
    assert code == 0 and any(dirs["trust"].iterdir())
    assert run(capsys, "trust", "seen", "--disable")[0] == 0
    run(capsys, "verify", str(VN))
    code, out, _ = run(capsys, "trust", "seen", "--json")
    assert json.loads(out)["signers"][0]["count"] == 2


def test_seen_never_writes_through_a_symlink(capsys: pytest.CaptureFixture[str],
                                             dirs: dict[str, Path], tmp_path: Path) -> None:
    assert run(capsys, "trust", "seen", "--enable")[0] == 0
    victim = tmp_path / "victim"
    victim.write_text("precious")
    (dirs["data"] / trust_seen.SEEN_FILE).symlink_to(victim)
    code, _, err = run(capsys, "verify", str(VN), "--no-default-trust")
    assert code == 6 and "not recorded" in err and "symlink" in err
    assert victim.read_text() == "precious"
    code, _, err = run(capsys, "trust", "seen")
    assert code == 5 and "symlink" in err


def test_damaged_seen_file_is_set_aside(capsys: pytest.CaptureFixture[str],
                                        dirs: dict[str, Path]) -> None:
    assert run(capsys, "trust", "seen", "--enable")[0] == 0
    path = dirs["data"] / trust_seen.SEEN_FILE
    path.write_text('{"format": "cccd-seen-signers/1", "signers": [{"count": "x"}]}')
    code, _, err = run(capsys, "trust", "seen")
    assert code == 5 and str(path) in err
    run(capsys, "verify", str(VN), "--no-default-trust")
    assert path.with_suffix(".damaged").exists()
    assert [s.count for s in trust_seen.load_seen()] == [1]


def test_malformed_trust_file_exits_5_naming_it(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    bad = tmp_path / "bad.ml"
    bad.write_bytes(b"\x30\x03\x02\x01\x01")
    code, _, err = run(capsys, "trust", "import", str(bad))
    assert code == 5 and "bad.ml" in err
    assert os.environ["CCCD_TRUST_DIR"]  # the user's real trust directory was never touched
