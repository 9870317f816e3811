"""``cccd read --evidence [--aa-challenge]`` and ``cccd evidence verify`` (in process)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from cccd_reader.cli import main
from cccd_reader.evidence_cli import ChallengeSyntaxError, parse_challenge
from tests.evidence.support import PKI, VN_2021

HEX = "5ec0de2026a1b2c3"
TRUST = ["--trust", str(PKI / "csca-vn.der"), "--no-default-trust"]


def _read(path: Path, *extra: str) -> int:
    return main(["read", "--sim", str(VN_2021), "--sim-key", "--json", *TRUST,
                 "--evidence", str(path), *extra])


@pytest.fixture(scope="module")
def package_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ev") / "evidence.json"
    assert _read(path, "--aa-challenge", HEX) == 0
    return path


def test_read_writes_the_package_0600(package_file: Path) -> None:
    assert stat.S_IMODE(package_file.stat().st_mode) == 0o600
    doc = json.loads(package_file.read_text(encoding="utf-8"))
    assert doc["format"] == "cccd-evidence/1"
    assert doc["producer"]["component"] == "cli"
    assert doc["active_authentication"]["reason"] == "included"
    assert bytes.fromhex(HEX) == __import__("base64").b64decode(
        doc["active_authentication"]["challenge"])


def test_verify_passes_with_the_servers_challenge(
        package_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evidence", "verify", str(package_file), "--challenge", HEX, "--json",
                 *TRUST]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] == "genuine" and "active_auth" in report["reproven"]
    # the same challenge in base64 is the same challenge
    assert main(["evidence", "verify", str(package_file), "--challenge", "XsDeICahssM=",
                 *TRUST]) == 0
    out = capsys.readouterr().out
    assert "Kết luận của máy chủ / Server verdict: genuine" in out
    assert "Bộ Công an" in out and "Ministry" in out


def test_verify_fails_with_another_challenge(
        package_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evidence", "verify", str(package_file), "--challenge", "00" * 8, "--json",
                 *TRUST]) == 6
    report = json.loads(capsys.readouterr().out)
    failed = {c["name"]: c["code"] for c in report["checks"] if c["status"] == "fail"}
    assert failed == {"active_auth": "active_auth.challenge_mismatch"}
    assert main(["evidence", "verify", str(package_file), *TRUST]) == 6  # no challenge


def test_usage_errors_come_before_the_card(
        tmp_path: Path, package_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["read", "--sim", str(VN_2021), "--sim-key", *TRUST,
                 "--aa-challenge", HEX]) == 2
    assert "--aa-challenge needs --evidence" in capsys.readouterr().err
    assert _read(tmp_path / "e.json", "--aa-challenge", "0011") == 2
    assert "8 bytes" in capsys.readouterr().err
    assert _read(package_file) == 2  # exists
    assert "exists" in capsys.readouterr().err
    assert main(["evidence", "verify", str(package_file), "--challenge", "zz", *TRUST]) == 2


def test_read_refuses_a_symlink_target(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep")
    link = tmp_path / "link.json"
    link.symlink_to(victim)
    assert _read(link, "--force") == 1
    assert "symbolic link" in capsys.readouterr().err
    assert victim.read_text() == "keep"


def test_parse_challenge() -> None:
    assert parse_challenge(HEX) == bytes.fromhex(HEX)
    assert parse_challenge(" XsDeICahssM= ") == bytes.fromhex(HEX)
    assert parse_challenge("00" * 16, length=None) == bytes(16)
    for bad in ("", "0011", "00" * 9, "not a challenge", "é" * 8):
        with pytest.raises(ChallengeSyntaxError):
            parse_challenge(bad)
