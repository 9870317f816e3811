"""The docs' Python is typed and runs for real: every example block of docs/*.md and the
integrator program docs/examples/counter.py pass ``mypy --strict``; the blocks that need a
reader and the program run through pcscd with a virtual card; the program also runs from a
wheel installed in a fresh virtual environment outside the checkout.

mypy runs without the project's configuration, from a scratch directory, exactly as an
integrator's own project would: it must find ``cccd_reader`` (and its ``py.typed``) where it is
installed, which is also the check that ``./run``'s editable install is visible to mypy.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from cccd_reader import dump as dumpmod
from cccd_sim.cards import chip_for_dump
from tests.conftest import REPO, SAMPLES
from tests.test_docs import NEEDS_READER, PAGES, blocks

Insert = Callable[..., AbstractContextManager[str]]
EXAMPLE = REPO / "docs" / "examples" / "counter.py"
ANH = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"
READER = "Virtual PCD 00 00"


def _doc_blocks() -> list[tuple[str, str]]:
    """Each page's Python blocks as one program, as test_docs runs them (one namespace per
    page: a later block goes on with what an earlier one made); the blocks that need a reader
    stand alone, as they run alone through pcscd."""
    out = []
    for page in PAGES:
        stem = page.stem.replace("-", "_")
        together = []
        for number, code in enumerate(blocks(page, "python"), 1):
            if code.startswith(NEEDS_READER):
                out.append((f"{stem}_{number}", code))
            else:
                together.append(code)
        if together:
            out.append((stem, "\n".join(together)))
    return out


def _mypy(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` with no project configuration, from ``cwd``: an integrator's view.

    A subprocess, not ``mypy.api`` in this process: mypy's compiled extension has crashed
    pytest at interpreter exit when run in process.
    """
    pytest.importorskip("mypy")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--config-file",
         os.devnull, "--cache-dir", str(REPO / ".mypy_cache" / "docs-examples"), *args],
        capture_output=True, text=True, cwd=cwd, timeout=600,
        env={k: v for k, v in os.environ.items() if k not in ("MYPYPATH", "PYTHONPATH")},
    )


def test_every_docs_example_and_the_program_pass_mypy_strict(tmp_path: Path) -> None:
    files = []
    for name, code in _doc_blocks():
        path = tmp_path / f"doc_{name}.py"
        path.write_text(code, encoding="utf-8")
        files.append(str(path))
    assert len(files) >= 8
    files.append(str(EXAMPLE))
    proc = _mypy(*files, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_rejects_a_typo_in_an_event_payload(tmp_path: Path) -> None:
    """The types help: what was ``Any`` is now checked."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import cccd_reader\n"
        "def on_event(event: cccd_reader.ReaderEvent) -> str:\n"
        "    record = event.record\n"
        "    return record.verification.verdikt\n",
        encoding="utf-8",
    )
    proc = _mypy(str(bad), cwd=tmp_path)
    assert proc.returncode == 1
    assert "verdikt" in proc.stdout and 'Item "None"' in proc.stdout


def _counter() -> Any:
    spec = importlib.util.spec_from_file_location("docs_counter", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_program_runs_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    counter = _counter()
    assert counter.main(["--id", "001190012345", "--sim", str(ANH),
                         "--trust", str(SAMPLES / "pki")]) == 0
    out = capsys.readouterr().out
    assert "Nguyễn Thị Ngọc Ánh (001190012345, F)" in out and "verdict genuine" in out
    assert counter.main(["--id", "001190012399", "--sim", str(ANH)]) == 3
    assert "[access_denied]" in capsys.readouterr().err
    lifetime = SAMPLES / "vn-cccd-2021-le-thi-thu-huong-lifetime"
    assert counter.main(["--id", "038155001234", "--sim", str(lifetime)]) == 3  # BAC only
    assert "needs BAC" in capsys.readouterr().err


# --- through pcscd ------------------------------------------------------------------------------


class Program:
    """The example program as a process, with its output collected line by line."""

    def __init__(self, python: str | Path, script: Path, *args: str, cwd: Path) -> None:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        self.proc = subprocess.Popen([str(python), str(script), *args], cwd=cwd, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._err: list[str] = []
        self._reader = threading.Thread(target=self._pump, daemon=True)
        self._reader.start()
        self._err_reader = threading.Thread(target=self._pump_err, daemon=True)
        self._err_reader.start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def _pump_err(self) -> None:
        assert self.proc.stderr is not None
        self._err.append(self.proc.stderr.read())

    def wait_for(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in ln for ln in self.lines):
            if time.monotonic() > deadline or not self._reader.is_alive():
                raise AssertionError(f"no {text!r} in {self.lines}: {self._err}")
            time.sleep(0.05)

    def finish(self, timeout: float = 60) -> tuple[int, str]:
        """Wait for the exit; the pump threads own the pipes (no communicate())."""
        code = self.proc.wait(timeout=timeout)
        self._reader.join(10)
        self._err_reader.join(10)
        return code, "".join(self._err)


def _through_pcscd(python: str | Path, script: Path, cwd: Path, vpcd_card: Insert) -> None:
    card = chip_for_dump(dumpmod.load(ANH))
    trust = str(SAMPLES / "pki")
    # wait for a card, read it with the personal number, print holder and verdict
    waiting = Program(python, script, "--id", "001190012345", "--reader", READER,
                      "--trust", trust, "--timeout", "30", cwd=cwd)
    time.sleep(1.0)
    assert waiting.proc.poll() is None, "the program did not wait for the card"
    with vpcd_card(card):
        code, err = waiting.finish()
    assert code == 0, err
    assert any("Nguyễn Thị Ngọc Ánh" in ln and "verdict genuine" in ln for ln in waiting.lines)
    # the same as a service with events: one tap, then the card leaves
    service = Program(python, script, "--id", "001190012345", "--reader", "PCD 00 00",
                      "--service", "--trust", trust, cwd=cwd)
    service.wait_for("tap a card")
    with vpcd_card(card):
        service.wait_for("verdict genuine")
    code, err = service.finish()
    assert code == 0, err
    assert service.lines[-3:] == [service.lines[-3], service.lines[-2], "card removed"]
    assert "reading..." in service.lines


@pytest.mark.pcsc
def test_the_program_runs_through_pcscd(vpcd_card: Insert, tmp_path: Path) -> None:
    _through_pcscd(sys.executable, EXAMPLE, tmp_path, vpcd_card)


@pytest.mark.pcsc
def test_reader_examples_of_the_docs_run_through_pcscd(
    vpcd_card: Insert, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "samples").symlink_to(SAMPLES)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    ran = 0
    for name, code in _doc_blocks():
        if not code.startswith(NEEDS_READER):
            continue
        with vpcd_card(chip_for_dump(dumpmod.load(ANH))):
            exec(compile(code, f"{name} (needs a reader)", "exec"), {"__name__": name})
        ran += 1
        out = capsys.readouterr().out
        assert "Nguyễn Thị Ngọc Ánh genuine" in out, (name, out)
    assert ran >= 2


# --- from an installed wheel (the ``wheel_venv`` fixture of conftest.py) ------------------------


def _copy_example(root: Path) -> Path:
    script = root / "app" / "counter.py"
    script.parent.mkdir(exist_ok=True)
    script.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return script


def test_the_program_from_a_wheel_runs_and_passes_mypy(wheel_venv: Path) -> None:
    python = wheel_venv / "venv" / "bin" / "python"
    script = _copy_example(wheel_venv)
    where = subprocess.run([str(python), "-c", "import cccd_reader; print(cccd_reader.__file__)"],
                           capture_output=True, text=True, cwd=script.parent, check=True)
    assert str(REPO) not in where.stdout and "site-packages" in where.stdout
    run = subprocess.run([str(python), str(script), "--id", "001190012345", "--sim", str(ANH),
                          "--trust", str(SAMPLES / "pki")], capture_output=True, text=True,
                         cwd=script.parent, timeout=120,
                         env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert run.returncode == 0, run.stderr
    assert "verdict genuine" in run.stdout
    typed = subprocess.run([str(wheel_venv / "venv" / "bin" / "mypy"), "--strict",
                            str(script)], capture_output=True, text=True, cwd=script.parent,
                           timeout=300)
    assert typed.returncode == 0, typed.stdout + typed.stderr


@pytest.mark.pcsc
def test_the_program_from_a_wheel_runs_through_pcscd(
    wheel_venv: Path, vpcd_card: Insert
) -> None:
    script = _copy_example(wheel_venv)
    _through_pcscd(wheel_venv / "venv" / "bin" / "python", script, script.parent, vpcd_card)
