"""Whole read sessions replay byte for byte from transcripts (issue 17 item 6).

``tests/iso7816/transcripts/<sample>.json`` is a read of each sample recorded through
:class:`~cccd_reader.iso7816.transcript.RecordingTransport` with a seeded terminal. Replaying
it gives the same files, access and clone-detection results without any card. When the read
flow changes on purpose, the recordings are written anew with
``CCCD_RECORD_TRANSCRIPTS=1 pytest tests/iso7816/test_transcripts.py`` (and reviewed like code).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cccd_reader import dump
from cccd_reader.access.key import AccessKey
from cccd_reader.errors import SecureMessagingError
from cccd_reader.iso7816.transcript import (
    RecordingTransport,
    ReplayTransport,
    Transcript,
    TranscriptError,
    TranscriptMismatch,
    seeded_rng,
)
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.mrz import parse as parse_mrz
from cccd_reader.read_flow import read_card
from cccd_sim.cards import chip_for_dump

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
TRANSCRIPTS = Path(__file__).resolve().parent / "transcripts"
NAMES = [
    "vn-cccd-2021-nguyen-thi-ngoc-anh",
    "vn-cancuoc-2024-dang-huu-phuoc",
    "vn-cccd-2021-le-thi-thu-huong-lifetime",
    "passport-utopia-td3",
]


def _key(card: dump.CardDump) -> AccessKey:
    if card.access.can and "EF.CardAccess" in card.files:
        return AccessKey.from_can(card.access.can)
    assert card.access.mrz is not None
    mrz = parse_mrz(card.access.mrz)
    if mrz.personal_number and mrz.issuing_state == "VNM" and "EF.CardAccess" in card.files:
        return AccessKey.from_can(mrz.personal_number[-6:])
    return AccessKey(mrz_information=mrz.mrz_information())


def _record(name: str) -> Transcript:
    card = dump.load(SAMPLES / name)
    chip = chip_for_dump(card)
    recorder = RecordingTransport(
        InProcessTransport(chip.process, extended=chip.config.extended_length, atr=chip.atr),
        terminal_seed=f"transcript/{name}",
    )
    read_card(recorder, _key(card), rng=seeded_rng(f"transcript/{name}"))
    recorder.transcript.note = f"synthetic sample {name}, in process, seeded terminal"
    return recorder.transcript


def _replay(transcript: Transcript, name: str) -> tuple[object, ReplayTransport]:
    card = dump.load(SAMPLES / name)
    replay = ReplayTransport(transcript)
    assert transcript.terminal_seed is not None
    result = read_card(replay, _key(card), rng=seeded_rng(transcript.terminal_seed))
    return result, replay


@pytest.mark.parametrize("name", NAMES)
def test_a_recorded_session_replays_byte_for_byte(name: str) -> None:
    path = TRANSCRIPTS / f"{name}.json"
    if os.environ.get("CCCD_RECORD_TRANSCRIPTS") == "1":
        path.write_text(_record(name).dumps(), encoding="utf-8")
    if not path.is_file():
        pytest.fail(f"{path} is missing: record it with CCCD_RECORD_TRANSCRIPTS=1")
    transcript = Transcript.loads(path.read_text(encoding="utf-8"))
    result, replay = _replay(transcript, name)
    card = dump.load(SAMPLES / name)
    assert replay.finished
    assert result.files == card.files  # type: ignore[attr-defined]
    assert all(c.status == "pass" for c in result.chip_checks if c.required)  # type: ignore[attr-defined]


def test_a_fresh_recording_replays_and_round_trips() -> None:
    name = NAMES[0]
    transcript = _record(name)
    assert Transcript.loads(transcript.dumps()) == transcript
    result, replay = _replay(transcript, name)
    assert replay.finished and result.files == dump.load(SAMPLES / name).files  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", NAMES)
def test_the_chips_word_on_extended_length_costs_no_apdu(name: str) -> None:
    """Issue 26: a recording that carries the chip's ATR (its card capabilities say yes) sends
    exactly the committed exchanges: the samples keep their figures."""
    fresh = _record(name)
    assert fresh.atr is not None and Transcript.loads(fresh.dumps()).atr == fresh.atr
    committed = Transcript.loads((TRANSCRIPTS / f"{name}.json").read_text(encoding="utf-8"))
    # the chip's randomness is not seeded: compare the shape (instruction, sizes) of each
    def shape(t: Transcript) -> list[tuple[int, int, int]]:
        return [(c[1], len(c), len(r)) for c, r in t.exchanges]

    assert shape(fresh) == shape(committed)


def test_another_terminal_randomness_is_a_mismatch_not_a_wrong_read() -> None:
    transcript = _record(NAMES[0])
    transcript.terminal_seed = "another seed"
    with pytest.raises(TranscriptMismatch, match="exchange"):
        _replay(transcript, NAMES[0])


def test_a_tampered_response_under_secure_messaging_is_caught() -> None:
    transcript = _record("passport-utopia-td3")
    command, response = transcript.exchanges[-3]
    transcript.exchanges[-3] = (command, bytes([response[0] ^ 1]) + response[1:])
    with pytest.raises(SecureMessagingError):
        _replay(transcript, "passport-utopia-td3")


@pytest.mark.parametrize("text", [
    "", "[]", '{"format": "cccd-transcript/1"}', '{"format": "x", "exchanges": []}',
    '{"format": "cccd-transcript/1", "exchanges": [{"c": "zz", "r": "9000"}]}',
    '{"format": "cccd-transcript/1", "exchanges": [{"c": "00a4", "r": "90"}]}',
    "[" * 100_000,
    '{"format": "cccd-transcript/1", "exchanges": [], "atr": "3b8"}',
    '{"format": "cccd-transcript/1", "exchanges": [], "atr": 5}',
    '{"format": "cccd-transcript/1", "exchanges": [], "atr": "' + "3b" * 40 + '"}',
])
def test_malformed_transcripts_are_typed_errors(text: str) -> None:
    with pytest.raises(TranscriptError):
        Transcript.loads(text)


def test_cccd_read_record_writes_a_private_transcript(tmp_path: Path) -> None:
    import stat
    import subprocess
    import sys

    target = tmp_path / "session.json"
    out = subprocess.run(
        [sys.executable, "-m", "cccd_reader.cli", "read", "--sim",
         str(SAMPLES / "passport-utopia-td3"), "--sim-key", "--record", str(target),
         "--no-default-trust", "--json"],
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    transcript = Transcript.loads(target.read_text(encoding="utf-8"))
    assert transcript.terminal_seed is None  # a user's recording carries no terminal secrets
    assert len(transcript.exchanges) >= 10
