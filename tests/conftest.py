"""Shared fixtures: synthetic dumps, and the real PC/SC stack (pcscd + vsmartcard vpcd).

The PC/SC fixtures start ``pcscd`` when it is not running. pcscd and the vpcd driver are
software that ``./run tests`` installs, so their absence is a failure, not a skip; set
CCCD_ALLOW_NO_PCSC=1 to turn it into a skip on a machine where they cannot be installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from cccd_reader.dump import AccessData, CardDump
from cccd_reader.errors import TransportError
from cccd_reader.iso7816 import tlv
from cccd_sim.issuer import encode_dg1

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"

#: ICAO Doc 9303 Part 4 TD3 specimen (Anna Maria Eriksson, Utopia).
SPECIMEN_TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
)


def make_dump(dg2_size: int = 40000, *, mrz: str = SPECIMEN_TD3) -> CardDump:
    """A small synthetic passport: enough structure for the read flow, no PKI needed."""
    dg2_body = bytes((i * 7 + 3) & 0xFF for i in range(dg2_size))
    files = {
        "EF.COM": tlv.encode(0x60, tlv.encode(0x5F01, b"0107") + tlv.encode(0x5F36, b"040000")
                             + tlv.encode(0x5C, bytes([0x61, 0x75, 0x63]))),
        "DG1": encode_dg1(mrz),
        "DG2": tlv.encode(0x75, tlv.encode(0x5F2E, dg2_body)),
        "DG3": tlv.encode(0x63, b"\x00" * 40),
        "EF.SOD": tlv.encode(0x77, tlv.encode(0x30, b"\x01" * 600)),
    }
    return CardDump(files=files, access=AccessData(mrz=mrz), profile="passport")


@pytest.fixture
def synthetic_dump() -> CardDump:
    return make_dump()


@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh venv outside the checkout with the wheel built from it (and mypy), for
    test_wheel.py and test_docs_typed.py: ``dist/`` (sdist and wheel) and ``venv/`` in it.

    ``python -m build`` makes the sdist, then the wheel from the unpacked sdist, so the wheel
    test also proves the sdist carries what the wheel needs (samples/ for setup.py's copy).
    Built from a copy: a build in the checkout leaves build/ behind, whose stale files a later
    wheel would carry. Dependencies come from pip's (warm) cache.
    """
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"))
    # --no-isolation: the build backend is this venv's, pinned by lock/tools.txt, not the
    # newest setuptools an isolated build would fetch.
    _succeeds([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(root / "dist"),
               str(source)], cwd=root, timeout=600)
    wheel = next((root / "dist").glob("cccd_reader-*.whl"))
    venv = root / "venv"
    python = str(venv / "bin" / "python")
    _succeeds([sys.executable, "-m", "venv", str(venv)], cwd=root, timeout=300)
    # The locked dependencies (the base package's and mypy's: lock/dev.txt holds both; the
    # face extra's, so the face check is tried from the wheel too), then the wheel without
    # dependencies; `pip check` proves the lock satisfies what it declares.
    _succeeds([python, "-m", "pip", "install", "-q", "--require-hashes", "-r",
               str(REPO / "lock" / "dev.txt"), "-r", str(REPO / "lock" / "face.txt")],
              cwd=root, timeout=900)
    _succeeds([python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], cwd=root,
              timeout=300)
    _succeeds([python, "-m", "pip", "check"], cwd=root, timeout=120)
    yield root


def _succeeds(cmd: list[str], *, cwd: Path, timeout: float) -> None:
    """Run a set-up step; a failure shows its output (the reason), not only the exit code."""
    run = subprocess.run(cmd, cwd=cwd, timeout=timeout, capture_output=True, text=True)
    assert run.returncode == 0, f"{cmd[:3]} failed:\n{run.stdout[-4000:]}\n{run.stderr[-4000:]}"


@pytest.fixture(scope="session")
def pcsc_readers() -> list[str]:
    from cccd_sim.pcscd import ensure_pcscd

    try:
        return ensure_pcscd()
    except TransportError as exc:
        if os.environ.get("CCCD_ALLOW_NO_PCSC") == "1":
            pytest.skip(f"PC/SC stack unavailable on this machine: {exc}")
        pytest.fail(f"PC/SC stack unavailable ({exc}); run the tests through ./run tests")


@pytest.fixture
def vpcd_card(pcsc_readers: list[str]) -> Callable[..., AbstractContextManager[str]]:
    """Context manager: insert a virtual card into 'Virtual PCD 00 00', yield the reader name."""
    from cccd_reader.iso7816.pcsc import reader_status
    from cccd_sim.pcscd import VPCD_BASE_PORT, reader_for_port
    from cccd_sim.vpcd import SimCard, VpcdBridge

    @contextmanager
    def insert(card: SimCard, port: int = VPCD_BASE_PORT) -> Iterator[str]:
        bridge = VpcdBridge(card, port=port).start()
        name = reader_for_port(port)
        try:
            deadline = time.monotonic() + 10
            while not any(r.name == name and r.card_present for r in reader_status()):
                if time.monotonic() > deadline:
                    raise AssertionError(f"virtual card never appeared in {name}")
                time.sleep(0.05)
            yield name
        finally:
            bridge.stop()
            # wait until pcscd has seen the removal so the next test starts clean
            deadline = time.monotonic() + 10
            while any(r.name == name and r.card_present for r in reader_status()):
                if time.monotonic() > deadline:
                    break
                time.sleep(0.05)

    return insert
