"""Through the real pcscd + vpcd stack: a read with the server's challenge, the package the
CLI writes, and the server's check of it (passes; another challenge fails precisely)."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader import evidence
from cccd_reader.cli import main
from cccd_reader.iso7816.pcsc import PcscTransport
from cccd_sim.cards import chip_for_dump, config_for
from tests.evidence.support import CHALLENGE, PKI, VN_2021, sim_read, trust

Insert = Callable[..., AbstractContextManager[str]]


@pytest.mark.pcsc
def test_read_through_pcscd_then_the_server_check(
        vpcd_card: Insert, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = dumpmod.load(VN_2021)
    with vpcd_card(chip_for_dump(card, config_for(card.profile))) as reader:
        outcome = sim_read(VN_2021, CHALLENGE, PcscTransport(reader, extended=True))
        assert card.access.can
        path = tmp_path / "evidence.json"
        code = main(["read", "--reader", reader, "--can", card.access.can, "--json",
                     "--trust", str(PKI / "csca-vn.der"), "--no-default-trust",
                     "--evidence", str(path), "--aa-challenge", CHALLENGE.hex()])
        assert code == 0, capsys.readouterr().err
    assert outcome.result.active_auth is not None
    assert outcome.result.active_auth.challenge == CHALLENGE
    report = evidence.verify_package(evidence.from_outcome(outcome, aa_challenge=CHALLENGE),
                                     trust(), challenge=CHALLENGE)
    assert report.verdict == "genuine"
    capsys.readouterr()
    assert main(["evidence", "verify", str(path), "--challenge", CHALLENGE.hex(), "--json",
                 "--trust", str(PKI / "csca-vn.der"), "--no-default-trust"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["verdict"] == "genuine" and "active_auth" in doc["reproven"]
    assert main(["evidence", "verify", str(path), "--challenge", "AAAAAAAAAAA=", "--json",
                 "--trust", str(PKI / "csca-vn.der"), "--no-default-trust"]) == 6
    doc = json.loads(capsys.readouterr().out)
    assert [c["code"] for c in doc["checks"] if c["status"] == "fail"] == [
        "active_auth.challenge_mismatch"]
