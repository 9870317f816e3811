"""The cccd-dump/1 format and the ``cccd`` command line (run as a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.errors import DumpError
from tests.conftest import SAMPLES, SPECIMEN_TD3, make_dump


def test_save_load_roundtrip(tmp_path: Path) -> None:
    card = make_dump(2000)
    card.secrets = {"note": "x"}
    dumpmod.save(card, tmp_path / "d", include_access=True)
    back = dumpmod.load(tmp_path / "d")
    assert back.files == card.files
    assert back.access.mrz == SPECIMEN_TD3
    assert back.profile == "passport"
    assert back.secrets == {"note": "x"}


def test_access_data_is_not_saved_by_default(tmp_path: Path) -> None:
    dumpmod.save(make_dump(100), tmp_path / "d")
    meta = json.loads((tmp_path / "d" / "card.json").read_text())
    assert "access" not in meta


@pytest.mark.parametrize(
    "mutate,match",
    [
        (lambda d: (d / "DG99").write_bytes(b"x"), "unexpected entry"),
        (lambda d: (d / "sub").mkdir(), "unexpected entry"),
        (lambda d: (d / "DG1").write_bytes(b""), "empty"),
        (lambda d: (d / "DG2").write_bytes(bytes(dumpmod.MAX_FILE_BYTES + 1)), "limit"),
        (lambda d: (d / "card.json").write_text("{"), "not valid"),
        (lambda d: (d / "card.json").write_text('{"format": "other"}'), "format"),
        (lambda d: (d / "card.json").write_text('{"format": "cccd-dump/1", "x": 1}'), "unknown"),
        (lambda d: (d / "card.json").write_text('{"format":"cccd-dump/1","access":{"mrz":5}}'),
         "string"),
        (lambda d: (d / "card.json").unlink(), "no card.json"),
        (lambda d: (d / "secrets.json").write_text('{"a": 1}'), "strings"),
    ],
)
def test_load_rejects_bad_dumps(tmp_path: Path, mutate, match: str) -> None:  # type: ignore[no-untyped-def]
    d = tmp_path / "d"
    dumpmod.save(make_dump(100), d, include_access=True)
    mutate(d)
    with pytest.raises(DumpError, match=match):
        dumpmod.load(d)


def test_symlinked_file_is_rejected(tmp_path: Path) -> None:
    d = tmp_path / "d"
    dumpmod.save(make_dump(100), d)
    (tmp_path / "secret").write_bytes(b"\x61\x00")
    (d / "DG1").unlink()
    (d / "DG1").symlink_to(tmp_path / "secret")
    with pytest.raises(DumpError, match="regular"):
        dumpmod.load(d)


def _cccd(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "cccd_reader.cli", *args],
        capture_output=True, text=True, timeout=120, env=env,
    )


def test_cli_read_sim_json(tmp_path: Path) -> None:
    d = tmp_path / "card"
    dumpmod.save(make_dump(5000), d)
    proc = _cccd("read", "--sim", str(d), "--mrz", SPECIMEN_TD3, "--json", "--out",
                 str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["access"]["protocol"] == "BAC"
    assert doc["files"]["DG2"] == len(make_dump(5000).files["DG2"])
    mrz = doc["mrz"]
    assert mrz["document_number"] == "L898902C3"
    assert mrz["date_of_birth"] == "1974-08-12"
    assert mrz["date_of_expiry"] == "2012-04-15"
    assert mrz["sex"] == "F"
    assert mrz["nationality"] == "UTO"
    assert "ERIKSSON" in mrz["names"]
    assert mrz["raw"] == SPECIMEN_TD3
    assert doc["verification"]["verdict"] != "genuine"  # nothing proven yet
    out = dumpmod.load(tmp_path / "out")
    assert out.files["DG2"] == make_dump(5000).files["DG2"]
    assert out.access.mrz is None  # a written dump does not carry the key


def test_cli_wrong_mrz_is_a_clear_error(tmp_path: Path) -> None:
    d = tmp_path / "card"
    dumpmod.save(make_dump(100), d)
    proc = _cccd("read", "--sim", str(d), "--doc-number", "L898902C3", "--birth", "740812",
                 "--expiry", "120416")
    assert proc.returncode == 3
    assert "access denied: check document number / birth / expiry" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_bad_input_exit_codes(tmp_path: Path) -> None:
    proc = _cccd("read", "--sim", str(tmp_path), "--mrz", SPECIMEN_TD3)
    assert proc.returncode == 5 and "card.json" in proc.stderr
    d = tmp_path / "card"
    dumpmod.save(make_dump(100), d)
    # a bad check digit is refused before the chip (issue 18 item 6): usage, exit 2
    proc = _cccd("read", "--sim", str(d), "--mrz", SPECIMEN_TD3.replace("36UTO", "37UTO"))
    assert proc.returncode == 2 and "document_number" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_demo_in_process() -> None:
    proc = _cccd("demo", "--in-process", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["mrz"]["nationality"] == "VNM"
    assert len(doc["mrz"]["personal_number"]) == 12


def _sample(name: str) -> str:
    return str(SAMPLES / name)


def test_cli_read_vietnamese_card_json() -> None:
    proc = _cccd("read", "--sim", _sample("vn-cccd-2021-nguyen-thi-ngoc-anh"), "--id",
                 "001190012345", "--json", "--no-default-trust", "--trust",
                 str(SAMPLES / "pki" / "csca-vn.der"), "--trust",
                 str(SAMPLES / "pki" / "csca-vn.crl"))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["access"]["protocol"] == "PACE" and doc["access"]["password"] == "CAN"
    assert doc["holder"]["full_name"] == "Nguyễn Thị Ngọc Ánh"
    assert doc["holder"]["personal_number"] == "001190012345"
    assert doc["photo"]["width"] > 0 and doc["photo"]["mime"] == "image/jpeg"
    assert all(c["status"] == "pass" for c in doc["consistency"])
    assert doc["verification"]["verdict"] == "genuine"


def test_cli_verify_exit_codes(tmp_path: Path) -> None:
    sample = _sample("passport-utopia-td3")
    trust = ["--no-default-trust", "--trust", str(SAMPLES / "pki" / "csca-ut.der"),
             "--trust", str(SAMPLES / "pki" / "csca-ut.crl")]
    proc = _cccd("verify", sample, "--json", *trust)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["verdict"] == "genuine"
    # no trust anchor: unverified, and the exit code says "not genuine"
    proc = _cccd("verify", sample, "--json", "--no-default-trust")
    assert proc.returncode == 6
    assert json.loads(proc.stdout)["verdict"] == "unverified"
    # one flipped byte in DG2: not genuine, naming the data group
    card = dumpmod.load(sample)
    dg2 = bytearray(card.files["DG2"])
    dg2[-1] ^= 1
    card.files["DG2"] = bytes(dg2)
    dumpmod.save(card, tmp_path / "t")
    proc = _cccd("verify", str(tmp_path / "t"), "--json", *trust)
    assert proc.returncode == 6
    doc = json.loads(proc.stdout)
    assert doc["verdict"] == "not_genuine"
    failed = [c["name"] for c in doc["checks"] if c["status"] == "fail"]
    assert failed == ["dg_hash:DG2"]


def test_cli_show_does_not_export_access_data() -> None:
    proc = _cccd("show", _sample("vn-cancuoc-2024-dang-huu-phuoc"), "--json",
                 "--no-default-trust")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["holder"]["full_name"] == "Đặng Hữu Phước"
    card = dumpmod.load(_sample("vn-cancuoc-2024-dang-huu-phuoc"))
    assert card.access.can and card.access.can not in json.dumps(doc["access"] or {})
    assert "data_base64" not in doc["photo"]
