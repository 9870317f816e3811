"""Conformance reports what a read learnt about extended length (issue 26 item 1): a chip that
says nothing, and a refusal that cost the session, are warnings with the recovery's cost."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.conformance import live
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.pki.trust import TrustStore
from cccd_sim.cards import chip_for_dump
from cccd_sim.chip import EXTENDED_MODES
from tests.conftest import SAMPLES

PASSPORT = SAMPLES / "passport-utopia-td3"


@pytest.mark.parametrize(
    ("mode", "announced", "refused"),
    [
        ("yes", "pass", "skip"),
        ("ef", "pass", "skip"),
        ("unknown", "fail", "pass"),
        ("unknown-6700", "fail", "fail"),
        ("unknown-silent", "fail", "fail"),
    ],
)
def test_extended_length_findings(mode: str, announced: str, refused: str) -> None:
    card = dumpmod.load(PASSPORT)
    takes, announce, refusal = EXTENDED_MODES[mode]

    def connect() -> InProcessTransport:
        chip = chip_for_dump(card, replace(chip_for_dump(card).config, extended_length=takes,
                                           extended_announce=announce, extended_refusal=refusal))
        return InProcessTransport(chip.process, extended=True, atr=chip.atr)

    trust = TrustStore.from_paths([SAMPLES / "pki"], include_default=False)
    assert card.access.mrz is not None
    suite = live.check_live(connect, AccessKey.from_mrz(card.access.mrz), trust=trust)
    by_id = {r.id: r for r in suite.results}
    assert (by_id["PROTO-EXT-001"].outcome, by_id["PROTO-EXT-002"].outcome) == (announced, refused)
    assert suite.conformant  # warnings: reported, not a failed card
    if refused == "fail":
        assert "reopened" in by_id["PROTO-EXT-002"].detail
        assert by_id["LIVE-READ-001"].outcome == "pass"
