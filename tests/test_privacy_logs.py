"""Logs and stderr never carry the holder's data or session keys, even at DEBUG.

Counter PCs ship logs to support; a log line with a name, a personal number, a birth date, the
MRZ, the CAN, photo bytes or secure-messaging keys would leak the very data the chip protects.
Every read here runs at DEBUG with the root logger capturing, and the output is searched for
each secret in the spellings a careless format string would produce.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import subprocess
import sys
import textwrap
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.dump import CardDump
from cccd_reader.iso7816.sm import SecureMessaging
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.lds.dg2 import parse_dg2
from cccd_reader.lds.dg13 import parse_dg13
from cccd_reader.mrz import parse as parse_mrz
from cccd_reader.pki.trust import TrustStore
from cccd_reader.service import read_and_verify
from cccd_sim.cards import chip_for_dump

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
CARDS = [
    "vn-cccd-2021-nguyen-thi-ngoc-anh",
    "passport-utopia-td3",
    "vn-cancuoc-2024-dang-huu-phuoc",
]


def _card(name: str) -> CardDump:
    if not (SAMPLES / name).is_dir():
        pytest.fail(f"sample {name} is missing from samples/")
    return dumpmod.load(SAMPLES / name)


def _ascii_fold(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _dates(day: datetime.date) -> list[str]:
    return [
        day.strftime(f) for f in ("%d/%m/%Y", "%d%m%Y", "%Y-%m-%d", "%y%m%d", "%Y%m%d", "%d.%m.%Y")
    ]


def secrets_of(card: CardDump) -> dict[str, str]:
    """Label -> text that must not appear in any log line or on stderr."""
    out: dict[str, str] = {}
    assert card.access.mrz is not None
    mrz = parse_mrz(card.access.mrz)
    for i, line in enumerate(card.access.mrz.splitlines()):
        out[f"mrz line {i + 1}"] = line
    out["mrz information"] = mrz.mrz_information()
    out["document number"] = mrz.document_number
    names = [mrz.primary_identifier, mrz.secondary_identifier]
    out["mrz name field"] = "<<".join(n.replace(" ", "<") for n in names)
    out["mrz name"] = " ".join(n for n in names if n)
    out["mrz surname"] = mrz.primary_identifier
    if mrz.date_of_birth is not None:
        for i, text in enumerate(_dates(mrz.date_of_birth)):
            out[f"birth {i}"] = text
    if mrz.personal_number:
        out["personal number"] = mrz.personal_number
        out["personal number (last 9)"] = mrz.personal_number[-9:]
    if card.access.can:
        out["CAN"] = card.access.can
    if "DG13" in card.files:
        holder = parse_dg13(card.files["DG13"])
        for label, value in (("full name", holder.full_name),
                             ("personal number", holder.personal_number)):
            if value:
                out[label] = value
                out[f"{label} (ASCII)"] = _ascii_fold(value)
                out[f"{label} (upper ASCII)"] = _ascii_fold(value).upper()
        if holder.full_name:
            out["last name part"] = holder.full_name.split()[-1]
            out["first name part"] = holder.full_name.split()[0]
        if holder.personal_number:
            out["personal number (last 9)"] = holder.personal_number[-9:]
            out["CAN (from personal number)"] = holder.personal_number[-6:]
    face = parse_dg2(card.files["DG2"]).face
    assert face is not None
    mid = len(face.image) // 2
    chunk = face.image[mid : mid + 16]
    out["photo bytes (hex)"] = chunk.hex()
    out["photo bytes (HEX)"] = chunk.hex().upper()
    out["photo bytes (repr)"] = repr(chunk)[2:-1]
    out["photo bytes (latin-1)"] = chunk.decode("latin-1")
    return {k: v for k, v in out.items() if len(v) >= 4}


def assert_clean(text: str, secrets: dict[str, str]) -> None:
    leaks = [label for label, value in secrets.items() if value in text]
    assert not leaks, f"leaked into logs: {leaks}"


class KeyRecorder:
    """Records every secure-messaging key pair as it is derived (terminal and chip side)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.keys: list[bytes] = []
        original = SecureMessaging.from_keys.__func__  # type: ignore[attr-defined]

        def from_keys(cls: type[SecureMessaging], name: str, ks_enc: bytes, ks_mac: bytes,
                      ssc: bytes | int = 0) -> SecureMessaging:
            self.keys += [ks_enc, ks_mac]
            return original(cls, name, ks_enc, ks_mac, ssc)  # type: ignore[no-any-return]

        monkeypatch.setattr(SecureMessaging, "from_keys", classmethod(from_keys))

    def secrets(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for i, key in enumerate(self.keys):
            out[f"key {i} hex"] = key.hex()
            out[f"key {i} HEX"] = key.hex().upper()
            out[f"key {i} half"] = key[:8].hex()
            out[f"key {i} repr"] = repr(key)[2:-1]
        return out


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)  # the root logger: every cccd_reader logger propagates
    yield caplog


def _all_text(caplog: pytest.LogCaptureFixture) -> str:
    parts = []
    for rec in caplog.records:
        parts.append(rec.getMessage())
        parts.append(repr(rec.args))
        if rec.exc_info and rec.exc_info[1] is not None:
            parts.append(repr(rec.exc_info[1]))
    return caplog.text + "\n".join(parts)


@pytest.mark.parametrize("name", CARDS)
def test_in_process_read_logs_no_personal_data(
    name: str, debug_logs: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    card = _card(name)
    recorder = KeyRecorder(monkeypatch)
    chip = chip_for_dump(card)
    key = (AccessKey.from_can(card.access.can) if card.access.can
           else AccessKey.from_mrz(card.access.mrz or ""))
    outcome = read_and_verify(
        InProcessTransport(chip.process), key,
        trust=TrustStore.from_paths([SAMPLES / "pki"], include_default=False),
    )
    assert outcome.record.verification.verdict == "genuine"
    outcome.record.to_json()  # rendering must not log either
    assert recorder.keys, "no SM keys were captured: the monkeypatch missed"
    assert debug_logs.records, "nothing was logged at DEBUG: the capture missed"
    text = _all_text(debug_logs) + capfd.readouterr().err
    assert_clean(text, {**secrets_of(card), **recorder.secrets()})


def test_failed_reads_log_no_key_material(
    debug_logs: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Error paths log too: a wrong MAC and a wrong CAN must not dump keys or the CAN."""
    from cccd_reader.errors import CccdError
    from cccd_sim.hostile import HostileChip

    card = _card(CARDS[0])
    recorder = KeyRecorder(monkeypatch)
    with pytest.raises(CccdError) as wrong_mac:
        read_and_verify(InProcessTransport(HostileChip(card, "wrong_mac").process),
                        AccessKey.from_can(card.access.can or ""))
    with pytest.raises(CccdError) as wrong_can:
        read_and_verify(InProcessTransport(chip_for_dump(card).process),
                        AccessKey.from_can("999999"))
    text = _all_text(debug_logs) + str(wrong_mac.value) + str(wrong_can.value)
    assert_clean(text, {**secrets_of(card), **recorder.secrets()})


_CLI_WITH_KEY_CAPTURE = textwrap.dedent(
    """
    import json, os, sys
    from cccd_reader.iso7816.sm import SecureMessaging
    original = SecureMessaging.from_keys.__func__
    keys = []
    def from_keys(cls, name, ks_enc, ks_mac, ssc=0):
        keys.extend([ks_enc.hex(), ks_mac.hex()])
        with open(os.environ["KEYS_OUT"], "w") as f:
            json.dump(keys, f)
        return original(cls, name, ks_enc, ks_mac, ssc)
    SecureMessaging.from_keys = classmethod(from_keys)
    from cccd_reader.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


@pytest.mark.parametrize("name", CARDS)
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_cli_debug_stderr_has_no_personal_data(name: str, as_json: bool, tmp_path: Path) -> None:
    card = _card(name)
    keys_out = tmp_path / "keys.json"
    argv = ["-vv", "read", "--sim", str(SAMPLES / name), "--sim-key",
            "--trust", str(SAMPLES / "pki"), "--no-default-trust"]
    if as_json:
        argv.append("--json")
    env = {**os.environ, "KEYS_OUT": str(keys_out), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-c", _CLI_WITH_KEY_CAPTURE, *argv],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stderr.strip(), "-vv printed nothing on stderr: logging was not enabled"
    keys = json.loads(keys_out.read_text())
    secrets = secrets_of(card)
    # control: the same search finds the holder's data where it belongs, in the record
    assert secrets["document number"] in proc.stdout
    secrets.update({f"key {i}": k for i, k in enumerate(keys)})
    secrets.update({f"key {i} upper": k.upper() for i, k in enumerate(keys)})
    assert_clean(proc.stderr, secrets)
