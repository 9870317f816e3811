"""`cccd qr` and `cccd read --qr`: the QR opens the chip and is cross-checked against it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cccd_reader.lds.dg13 import parse_dg13
from tests.conftest import SAMPLES

TRUST = ["--no-default-trust", "--trust", str(SAMPLES / "pki" / "csca-vn.der"),
         "--trust", str(SAMPLES / "pki" / "csca-vn.crl")]


def _qr_text(sample: str, **override: str) -> str:
    d = parse_dg13((SAMPLES / sample / "DG13").read_bytes())
    fields = {
        "pn": d.personal_number, "old": d.old_id_number or "", "name": d.full_name,
        "dob": d.date_of_birth.strftime("%d%m%Y"), "sex": d.sex,
        "res": d.place_of_residence, "doi": d.date_of_issue.strftime("%d%m%Y"),
    }
    fields.update(override)
    return "|".join(str(fields[k]) for k in ("pn", "old", "name", "dob", "sex", "res", "doi"))


def _cccd(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "cccd_reader.cli", *args],
                          capture_output=True, text=True, timeout=120, env=env)


def test_cccd_qr_json() -> None:
    proc = _cccd("qr", _qr_text("vn-cancuoc-2024-dang-huu-phuoc"), "--json")
    assert proc.returncode == 0, proc.stderr
    qr = json.loads(proc.stdout)["qr"]
    assert qr["full_name"] == "Đặng Hữu Phước"
    assert qr["date_of_birth"] == "1988-11-02"


def test_cccd_qr_malformed_is_exit_5() -> None:
    proc = _cccd("qr", "hello|world")
    assert proc.returncode == 5 and "Traceback" not in proc.stderr


def test_forged_qr_on_genuine_card_is_not_genuine() -> None:
    sample = "vn-cccd-2021-nguyen-thi-ngoc-anh"
    forged = _qr_text(sample, name="Nguyễn Thị Ngọc Anh")  # one diacritic differs
    proc = _cccd("read", "--sim", str(SAMPLES / sample), "--qr", forged, "--json", *TRUST)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["verification"]["verdict"] == "not_genuine"
    failed = [c["name"] for c in doc["verification"]["checks"] if c["status"] == "fail"]
    assert failed == ["qr:full_name"]


@pytest.mark.pcsc
def test_read_qr_through_pcscd(pcsc_readers: list[str], tmp_path: Path) -> None:
    """`cccd simulate` in one process, `cccd read --qr IMAGE` in another, over pcscd."""
    cv2 = pytest.importorskip("cv2")
    sample = "vn-cccd-2021-nguyen-thi-ngoc-anh"
    text = _qr_text(sample)
    encoder = cv2.QRCodeEncoder.create()
    image = cv2.resize(encoder.encode(text.encode("utf-8")), None, fx=8, fy=8,
                       interpolation=cv2.INTER_NEAREST)
    image = cv2.copyMakeBorder(image, 40, 40, 40, 40, cv2.BORDER_CONSTANT, value=255)
    png = tmp_path / "qr.png"
    cv2.imwrite(str(png), image)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    sim = subprocess.Popen(
        [sys.executable, "-m", "cccd_reader.cli", "simulate", str(SAMPLES / sample),
         "--port", "35964"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 20
        while True:
            proc = _cccd("readers", "--json")
            if {r["name"]: r["card_present"] for r in json.loads(proc.stdout)}.get(
                    "Virtual PCD 00 01"):
                break
            assert time.monotonic() < deadline
            time.sleep(0.2)
        proc = _cccd("read", "--reader", "Virtual PCD 00 01", "--qr", str(png), "--json",
                     *TRUST)
        assert proc.returncode == 0, proc.stderr
        doc = json.loads(proc.stdout)
        assert doc["access"]["protocol"] == "PACE" and doc["access"]["password"] == "CAN"
        assert doc["qr"]["keys"][0]["status"] == "opened"
        assert doc["holder"]["full_name"] == "Nguyễn Thị Ngọc Ánh"
        assert doc["verification"]["verdict"] == "genuine"
        assert any(c["name"] == "qr:full_name" and c["status"] == "pass"
                   for c in doc["verification"]["checks"])
    finally:
        sim.terminate()
        sim.wait(timeout=10)
