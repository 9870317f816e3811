"""``cccd simulate`` options through the real PC/SC stack (issue 18 item 9).

Each test starts ``cccd simulate`` as an integrator would (a separate process), then talks to
the virtual card through pcscd and the vpcd driver with pyscard, exactly like the integrator's
own software would: what is asserted is what their code would see.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.errors import AccessError, CardRemovedError, SecureMessagingError
from cccd_reader.iso7816.efreader import ReadLimits
from cccd_reader.read_flow import read_card
from cccd_reader.service import read_and_verify
from tests.conftest import SAMPLES

PASSPORT = SAMPLES / "passport-utopia-td3"
PORT = 35963


def _key() -> AccessKey:
    mrz = dumpmod.load(PASSPORT).access.mrz
    assert mrz
    return AccessKey.from_mrz(mrz)


def _present(name: str) -> bool:
    from cccd_reader.iso7816.pcsc import reader_status

    return any(r.name == name and r.card_present for r in reader_status())


def _wait(name: str, present: bool, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while _present(name) != present:
        assert time.monotonic() < deadline, f"card never became present={present} in {name}"
        time.sleep(0.05)


class Simulated:
    def __init__(self, proc: subprocess.Popen[str], reader: str) -> None:
        self.proc = proc
        self.reader = reader

    def stderr(self) -> str:
        self.stop()
        assert self.proc.stderr is not None
        return self.proc.stderr.read()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


@contextmanager
def simulate(*options: str, dump: str = str(PASSPORT)) -> Iterator[Simulated]:
    from cccd_sim.pcscd import reader_for_port

    name = reader_for_port(PORT)
    _wait(name, False)  # the slot is free: no card of an earlier test is left in it
    proc = subprocess.Popen(
        [sys.executable, "-m", "cccd_reader.cli", "simulate", dump, "--port", str(PORT),
         *options],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    sim = Simulated(proc, name)
    try:
        deadline = time.monotonic() + 20
        while not _present(name):
            assert proc.poll() is None, f"cccd simulate exited: {sim.stderr()}"
            assert time.monotonic() < deadline, "the simulated card never appeared"
            time.sleep(0.05)
        yield sim
    finally:
        sim.stop()
        _wait(name, False)


class Recording:
    """A PC/SC transport that remembers each response length and whether it was extended."""

    def __init__(self, reader: str, *, extended: bool | None = None) -> None:
        from cccd_reader.iso7816.pcsc import PcscTransport

        self.inner = PcscTransport(reader, extended=extended)
        self.responses: list[int] = []
        self.commands: list[bytes] = []

    @property
    def supports_extended(self) -> bool | None:
        return self.inner.supports_extended

    def transmit(self, apdu: bytes) -> bytes:
        self.commands.append(apdu)
        out = self.inner.transmit(apdu)
        self.responses.append(len(out))
        return out

    def close(self) -> None:
        self.inner.close()


pytestmark = pytest.mark.pcsc


@pytest.fixture(autouse=True)
def _stack(pcsc_readers: list[str]) -> None:
    """pcscd with the vpcd readers (started when needed)."""


def test_plain_simulation_reads_in_full() -> None:
    with simulate() as sim:
        t = Recording(sim.reader)
        result = read_card(t, _key())
        t.close()
    assert result.files == dumpmod.load(PASSPORT).files


def test_profile_changes_the_chip() -> None:
    """The vn-cancuoc-2024 profile is PACE only: the passport's BAC key is refused."""
    with simulate("--profile", "vn-cancuoc-2024") as sim:
        t = Recording(sim.reader)
        with pytest.raises(AccessError):
            read_card(t, _key())
        t.close()


def test_short_apdus_only() -> None:
    extended_get_challenge = bytes.fromhex("00840000000008")
    with simulate() as sim:
        t = Recording(sim.reader)
        assert t.transmit(extended_get_challenge)[-2:] == b"\x90\x00"
        t.close()
    with simulate("--short-apdus") as sim:
        t = Recording(sim.reader)
        assert t.transmit(extended_get_challenge) == b"\x67\x00"
        t.close()
        t = Recording(sim.reader, extended=False)
        result = read_card(t, _key())
        t.close()
    assert result.files["DG2"] == dumpmod.load(PASSPORT).files["DG2"]


def test_response_cap() -> None:
    with simulate("--max-response", "120") as sim:
        t = Recording(sim.reader)
        result = read_card(t, _key(), limits=ReadLimits(extended=False))
        t.close()
    assert result.files["DG2"] == dumpmod.load(PASSPORT).files["DG2"]
    reads = [n for c, n in zip(t.commands, t.responses, strict=True) if c[1] in (0xB0, 0xB1)]
    assert reads and max(reads) <= 120
    assert len(reads) > 20  # the 10 KB of the card came in small answers


def test_remove_at() -> None:
    with simulate("--remove-at", "7") as sim:
        t = Recording(sim.reader)
        with pytest.raises(CardRemovedError):
            read_card(t, _key())
        t.close()
        assert len(t.commands) == 7
        assert "left the field at APDU 7" in sim.stderr()


def test_silent_at() -> None:
    with simulate("--silent-at", "5", "--silent-seconds", "1") as sim:
        t = Recording(sim.reader)
        start = time.monotonic()
        with pytest.raises(CardRemovedError):
            read_card(t, _key())
        waited = time.monotonic() - start
        t.close()
    assert len(t.commands) == 5
    assert waited >= 1.0


def test_slow() -> None:
    with simulate("--slow", "40") as sim:
        t = Recording(sim.reader)
        start = time.monotonic()
        read_card(t, _key())
        spent = time.monotonic() - start
        t.close()
    assert spent >= 0.040 * len(t.commands)


def test_corrupt_at_breaks_secure_messaging() -> None:
    with simulate("--corrupt-at", "8") as sim:  # 1-4: access, then SM-protected reads
        t = Recording(sim.reader)
        with pytest.raises(SecureMessagingError):
            read_card(t, _key())
        t.close()
    assert len(t.commands) == 8


def test_clone_fails_active_authentication() -> None:
    from cccd_reader.pki.trust import TrustStore

    trust = TrustStore.from_paths([SAMPLES / "pki"], include_default=False)
    verdicts = {}
    for options in ((), ("--clone",)):
        with simulate(*options) as sim:
            t = Recording(sim.reader)
            outcome = read_and_verify(t, _key(), trust=trust)
            t.close()
        checks = {c.name: c.status for c in outcome.result.chip_checks}
        verdicts[options] = (checks.get("active_auth"), outcome.record.verification)
    assert verdicts[()][0] == "pass"
    assert verdicts[("--clone",)][0] == "fail"


@pytest.mark.parametrize(
    ("mode", "error"),
    [("wrong_mac", SecureMessagingError), ("silent", CardRemovedError)],
)
def test_hostile_modes(mode: str, error: type[Exception]) -> None:
    with simulate("--hostile", mode, "--silent-seconds", "0.5") as sim:
        t = Recording(sim.reader)
        with pytest.raises(error):
            read_card(t, _key())
        t.close()


def test_hostile_file_mode_is_a_typed_error_not_a_hang() -> None:
    from cccd_reader.errors import CccdError

    with simulate("--hostile", "huge_length", "--target", "DG2") as sim:
        t = Recording(sim.reader)
        start = time.monotonic()
        with pytest.raises(CccdError):
            read_card(t, _key())
        t.close()
    assert time.monotonic() - start < 30  # "never a hang", with room for a loaded machine
