"""Nothing of a package reaches a log or stderr: building, writing, loading and checking one
at DEBUG leaves no holder data, no challenge and no signature in the captured output."""

from __future__ import annotations

import base64
import logging
from pathlib import Path

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader import evidence
from cccd_reader.cli import main
from tests.evidence.support import CHALLENGE, PKI, VN_2021, sim_read, trust


def test_no_personal_data_in_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    outcome = sim_read(VN_2021, CHALLENGE)
    pkg = evidence.from_outcome(outcome, aa_challenge=CHALLENGE)
    path = evidence.save(pkg, tmp_path / "e.json")
    report = evidence.verify_package(evidence.load(path), trust(), challenge=CHALLENGE)
    assert report.verdict == "genuine"
    assert main(["-vv", "evidence", "verify", str(path), "--challenge", CHALLENGE.hex(),
                 "--trust", str(PKI / "csca-vn.der"), "--no-default-trust"]) == 0
    err = capsys.readouterr().err
    logged = "\n".join(r.getMessage() for r in caplog.records) + err
    card = dumpmod.load(VN_2021)
    holder = outcome.record.holder
    assert holder is not None and holder.full_name and holder.personal_number
    assert card.access.can
    secrets = [holder.full_name, holder.personal_number, card.access.can, CHALLENGE.hex(),
               base64.b64encode(CHALLENGE).decode(), repr(pkg.files["DG13"][:16])[2:-1]]
    assert pkg.active_auth.signature is not None
    secrets.append(base64.b64encode(pkg.active_auth.signature).decode()[:24])
    for secret in secrets:
        assert secret not in logged, secret
    assert "personal data masked" in repr(pkg) and "Nguy" not in repr(pkg)
