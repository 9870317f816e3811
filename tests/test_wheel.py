"""The installed wheel carries what it needs and its commands run outside the checkout.

The ``wheel_venv`` fixture (conftest.py) builds the sdist and, from it, the wheel, then installs
the wheel into a fresh virtual environment in a temporary directory. Here: the wheel's content
against the checkout's, then ``cccd demo --in-process``, ``cccd verify`` on a packaged sample
with the packaged test PKI, ``cccd-desktop --help``, ``python -m cccd_reader`` and the version,
all run from a directory outside the checkout with nothing of it on the path.
"""

from __future__ import annotations

import json
import os
import subprocess
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLES

VERSION = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["version"]
ANH = "vn-cccd-2021-nguyen-thi-ngoc-anh"
FIRMWARE_PROFILES = REPO / "firmware_profiles"


def _files(directory: Path) -> set[str]:
    return {p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file()
            and "__pycache__" not in p.parts}


def _wheel(root: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(next((root / "dist").glob("cccd_reader-*.whl")))


def test_the_wheel_carries_profiles_samples_pki_and_translations(wheel_venv: Path) -> None:
    wheel = _wheel(wheel_venv)
    names = set(wheel.namelist())
    profiles = {n.removeprefix("cccd_reader/data/firmware_profiles/") for n in names
                if n.startswith("cccd_reader/data/firmware_profiles/")}
    # the copy is the source: the same files, byte for byte
    assert profiles == _files(FIRMWARE_PROFILES)
    assert {"readers/acs-acr122u.toml", "cards/vn-cccd-2021.toml"} <= profiles
    for name in profiles:
        assert wheel.read(f"cccd_reader/data/firmware_profiles/{name}") == (
            FIRMWARE_PROFILES / name).read_bytes()
    samples = {n.removeprefix("cccd_reader/data/samples/") for n in names
               if n.startswith("cccd_reader/data/samples/")}
    assert samples == _files(SAMPLES)  # every sample, negative ones and the test PKI included
    assert {"pki/csca-vn.der", "pki/csca-vn.crl", f"{ANH}/card.json"} <= samples
    qm = {p.name for p in (REPO / "apps/desktop/cccd_desktop/translations").glob("*.qm")}
    assert qm and {f"cccd_desktop/translations/{q}" for q in qm} <= names
    assert {"cccd_reader/py.typed", "cccd_reader/__main__.py"} <= names
    # the vendored socket.io browser client the agent serves, with its licence
    assert {"cccd_reader/agent/static/socket.io.min.js",
            "cccd_reader/agent/static/socket.io-client.LICENSE"} <= names
    assert not any(n.startswith(("samples/", "tests/", "build/", "firmware_profiles/"))
                   for n in names)


def test_the_sdist_carries_the_samples_the_wheel_is_built_from(wheel_venv: Path) -> None:
    sdist = next((wheel_venv / "dist").glob("cccd_reader-*.tar.gz"))
    with tarfile.open(sdist) as tar:
        top = f"cccd_reader-{VERSION}/"
        names = {m.name.removeprefix(top) for m in tar.getmembers() if m.isfile()}
    assert {f"samples/{f}" for f in _files(SAMPLES)} <= names
    assert {f"firmware_profiles/{f}" for f in _files(FIRMWARE_PROFILES)} <= names
    assert {"setup.py", "CHANGELOG.md", "MANIFEST.in"} <= names


def _run(wheel_venv: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A command of the installed venv, from a directory outside the checkout."""
    where = wheel_venv / "elsewhere"
    where.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PYTHONIOENCODING="utf-8", PATH=f"{wheel_venv / 'venv' / 'bin'}:{env['PATH']}")
    return subprocess.run([str(wheel_venv / "venv" / "bin" / args[0]), *args[1:]], cwd=where,
                          capture_output=True, text=True, timeout=120, env=env)


def test_cccd_demo_in_process_from_the_wheel(wheel_venv: Path) -> None:
    run = _run(wheel_venv, "cccd", "demo", "--in-process", "--json")
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["verification"]["verdict"] == "genuine"
    assert "samples/pki" in run.stderr  # it says it trusts the test CSCAs


def test_cccd_verify_a_packaged_sample_with_the_packaged_pki(wheel_venv: Path) -> None:
    site = str(wheel_venv / "venv")
    dump = _run(wheel_venv, "cccd", "samples", ANH).stdout.strip()
    pki = _run(wheel_venv, "cccd", "samples", "pki").stdout.strip()
    assert dump.startswith(site) and "site-packages/cccd_reader/data/samples/" in dump
    assert pki.startswith(site) and Path(pki, "csca-vn.der").is_file()
    run = _run(wheel_venv, "cccd", "verify", dump, "--no-default-trust", "--trust", pki)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "GENUINE" in run.stdout
    # the packaged negative samples fail as their notes say: verify is not a rubber stamp
    bad = _run(wheel_venv, "cccd", "samples", "negative/tampered-dg2").stdout.strip()
    run = _run(wheel_venv, "cccd", "verify", bad, "--no-default-trust", "--trust", pki, "--json")
    assert run.returncode == 6 and json.loads(run.stdout)["verdict"] == "not_genuine"


def test_cccd_desktop_help_from_the_wheel(wheel_venv: Path) -> None:
    run = _run(wheel_venv, "cccd-desktop", "--help")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("usage: cccd-desktop") and "--sim" in run.stdout


@pytest.mark.parametrize("command", [["cccd"], ["python", "-m", "cccd_reader"]])
def test_the_version_comes_from_pyproject(wheel_venv: Path, command: list[str]) -> None:
    run = _run(wheel_venv, *command, "--version")
    assert (run.returncode, run.stdout) == (0, f"cccd {VERSION}\n"), run.stderr


def test_the_installed_profiles_load(wheel_venv: Path) -> None:
    code = ("from cccd_reader.profiles import PROFILES_DIR, card_profiles, reader_profiles\n"
            "print(PROFILES_DIR, len(reader_profiles()), len(card_profiles()))")
    run = _run(wheel_venv, "python", "-c", code)
    assert run.returncode == 0, run.stderr
    where, readers, cards = run.stdout.split()
    assert where.startswith(str(wheel_venv / "venv")) and str(REPO) not in where
    assert where.endswith("cccd_reader/data/firmware_profiles")
    assert (int(readers), int(cards)) == (
        len(list((FIRMWARE_PROFILES / "readers").glob("*.toml"))),
        len(list((FIRMWARE_PROFILES / "cards").glob("*.toml"))))


def test_the_wheel_carries_the_face_models_and_compares_with_the_network_off(
    wheel_venv: Path,
) -> None:
    """Both models and their licence notices ship; ``cccd face-match`` runs from the wheel
    with every socket refused, so nothing is fetched at run time."""
    names = set(_wheel(wheel_venv).namelist())
    files = REPO / "cccd_reader" / "face" / "model_files"
    assert {f"cccd_reader/face/model_files/{f}" for f in _files(files)} <= names
    assert any(n.endswith("_int8bq.onnx") for n in names)
    photos = REPO / "tests" / "face" / "photos"
    offline = (
        "import socket, sys\n"
        "def refuse(*args, **kwargs):\n"
        "    raise OSError('network disabled for this test')\n"
        "socket.socket = socket.create_connection = socket.getaddrinfo = refuse\n"
        "from cccd_reader.cli import main\n"
        f"sys.exit(main(['face-match', '--chip', {str(photos / 'person_b_1.jpg')!r}, "
        f"'--live', {str(photos / 'person_b_2.jpg')!r}, '--json']))\n"
    )
    run = _run(wheel_venv, "python", "-c", offline)
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["band"] == "likely_same" and "refused" not in doc
    assert doc["model"]["recognizer"]["file"] == "face_recognition_sface_2021dec_int8bq.onnx"
