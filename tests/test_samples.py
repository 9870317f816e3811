"""Finding the synthetic samples (checkout first, else the installed copy), ``cccd samples``,
``cccd --version`` and ``python -m cccd_reader``. The installed copy for real: test_wheel.py."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from cccd_reader import cli, repo_data
from cccd_reader import samples as samplesmod
from tests.conftest import REPO, SAMPLES


def test_a_checkout_uses_its_own_samples() -> None:
    assert samplesmod.samples_dir() == SAMPLES
    assert samplesmod.pki_dir() == SAMPLES / "pki"
    assert samplesmod.sample_path(samplesmod.DEMO_SAMPLE) == SAMPLES / samplesmod.DEMO_SAMPLE


def test_every_dump_is_listed_by_its_relative_name() -> None:
    found = samplesmod.list_samples()
    expected = sorted(p.parent.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("card.json"))
    assert [s.name for s in found] == expected
    names = {s.name for s in found}
    assert {samplesmod.DEMO_SAMPLE, "passport-utopia-td3", "negative/tampered-dg2"} <= names
    assert all((s.path / "card.json").is_file() for s in found)


def test_the_demo_trusts_exactly_the_test_cscas_and_their_crls() -> None:
    names = [p.name for p in samplesmod.demo_trust_paths()]
    assert names == sorted(["csca-ut.der", "csca-vn.der", "csca-ut.crl", "csca-vn.crl"])


@pytest.mark.parametrize("name", ["../samples/pki", "/etc", "negative", "pki/../pki", ""])
def test_only_listed_names_are_accepted(name: str) -> None:
    with pytest.raises(samplesmod.SamplesNotFoundError, match="no sample called"):
        samplesmod.sample_path(name)


def test_without_a_checkout_the_installed_copy_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "cccd_reader"
    copy = package / "data" / "samples"
    shutil.copytree(SAMPLES / "pki", copy / "pki")
    shutil.copytree(SAMPLES / samplesmod.DEMO_SAMPLE, copy / samplesmod.DEMO_SAMPLE)
    # a stray samples/ beside site-packages (no pyproject.toml) is not a checkout
    (tmp_path / "site-packages" / "samples").mkdir()
    monkeypatch.setattr(repo_data, "_PACKAGE", package)
    assert samplesmod.samples_dir() == copy
    assert [s.name for s in samplesmod.list_samples()] == [samplesmod.DEMO_SAMPLE]


def test_no_samples_anywhere_is_an_error_naming_the_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    package = tmp_path / "cccd_reader"
    package.mkdir()
    monkeypatch.setattr(repo_data, "_PACKAGE", package)
    with pytest.raises(samplesmod.SamplesNotFoundError) as info:
        samplesmod.samples_dir()
    assert str(package / "data" / "samples") in str(info.value)
    assert str(tmp_path / "samples") in str(info.value)
    assert info.value.code == "samples_not_found"
    assert cli.main(["demo", "--in-process"]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert err.startswith("error: no demo samples") and "Traceback" not in err


def test_cccd_samples_lists_and_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["samples"]) == cli.EXIT_OK
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [n for n, _ in lines] == [s.name for s in samplesmod.list_samples()] + ["pki"]
    assert all(Path(p).is_dir() for _, p in lines)
    assert cli.main(["samples", "negative/tampered-dg2"]) == cli.EXIT_OK
    assert capsys.readouterr().out == f"{SAMPLES / 'negative' / 'tampered-dg2'}\n"
    assert cli.main(["samples", "--json"]) == cli.EXIT_OK
    doc = json.loads(capsys.readouterr().out)
    assert doc["directory"] == str(SAMPLES) and doc["pki"] == str(SAMPLES / "pki")
    assert len(doc["samples"]) == len(lines) - 1
    assert cli.main(["samples", "nobody"]) == cli.EXIT_ERROR
    assert "no sample called 'nobody'" in capsys.readouterr().err


def test_cccd_verify_takes_what_cccd_samples_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["samples", "passport-utopia-td3"]) == cli.EXIT_OK
    dump = capsys.readouterr().out.strip()
    assert cli.main(["verify", dump, "--no-default-trust", "--trust",
                     str(samplesmod.pki_dir()), "--json"]) == cli.EXIT_OK
    assert json.loads(capsys.readouterr().out)["verdict"] == "genuine"


def test_one_version_source_and_python_m(tmp_path: Path) -> None:
    """pyproject.toml's version is what ``cccd --version`` and ``__version__`` say."""
    import cccd_reader

    version = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert cccd_reader.__version__ == version
    cccd_desktop = pytest.importorskip("cccd_desktop")  # the desktop extra is optional
    assert cccd_desktop.__version__ == version  # not a second literal
    run = subprocess.run([sys.executable, "-m", "cccd_reader", "--version"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout) == (0, f"cccd {version}\n"), run.stderr
    run = subprocess.run([sys.executable, "-m", "cccd_reader", "samples", "pki"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout) == (0, f"{SAMPLES / 'pki'}\n"), run.stderr


def test_the_virtual_chip_is_not_part_of_the_library() -> None:
    """``open_sim`` moved to cccd_sim with the virtual chip; the old name says where it went."""
    import cccd_reader
    import cccd_sim

    with pytest.raises(AttributeError, match=r"cccd_sim\.open_sim"):
        cccd_reader.open_sim  # noqa: B018
    assert "open_sim" not in cccd_reader.__all__
    with cccd_sim.open_sim(samplesmod.sample_path("passport-utopia-td3")) as transport:
        record = cccd_reader.read(transport, cccd_reader.AccessKey.from_mrz(
            cccd_reader.open_dump(samplesmod.sample_path("passport-utopia-td3")).access.mrz or ""))
    assert record.mrz is not None and record.mrz.document_number == "L898902C3"
