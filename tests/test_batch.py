"""Issue 32: batches of dumps (``cccd verify`` / ``cccd conformance`` over trees, ``--jobs``).

A few hundred generated dumps (valid, forged, damaged, unloadable: ``cccd_sim.batch_dumps``)
must give the same results, in input order, with one worker and with two; a broken dump gives
its error and the batch goes on; the exit code is the worst dump's; Ctrl-C ends with 130 and a
summary; at most a bounded number of dumps is in flight.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cccd_reader import batch
from cccd_reader.conformance.runner import find_dumps
from cccd_reader.progress import Progress
from cccd_sim.batch_dumps import write_batch
from tests.conftest import REPO, SAMPLES

PKI = SAMPLES / "pki"
TRUST_FILES = ("csca-vn.der", "csca-ut.der", "csca-vn.crl", "csca-ut.crl")
NOW = datetime(2026, 1, 1, tzinfo=UTC)
COUNT = 240


def _trust_args() -> list[str]:
    out = ["--no-default-trust"]
    for name in TRUST_FILES:
        out += ["--trust", str(PKI / name)]
    return out


def _spec() -> batch.TrustSpec:
    return batch.TrustSpec(tuple(str(PKI / n) for n in TRUST_FILES), include_default=False)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("batch")
    write_batch(root, COUNT, per_directory=50)
    return root


def _cccd(*args: str, env_extra: dict[str, str] | None = None,
          ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "cccd_reader.cli", *args],
                          capture_output=True, text=True, timeout=600, env=env, cwd=REPO)


def test_generated_tree_has_every_kind(tree: Path) -> None:
    names = [p.name.split("-", 1)[1] for p in find_dumps([tree])]
    assert len(names) == COUNT
    for kind, _ in batch_kinds():
        assert kind in names, kind


def batch_kinds() -> tuple[tuple[str, int], ...]:
    from cccd_sim.batch_dumps import KINDS

    return KINDS


@pytest.mark.parametrize("mode", ["verify", "conformance"])
def test_one_and_two_jobs_give_identical_results_in_input_order(tree: Path, mode: str) -> None:
    paths = [str(p) for p in find_dumps([tree])]
    config = batch.BatchConfig(mode, _spec(), now=NOW)  # type: ignore[arg-type]
    one = [r.to_json() for r in batch.run_batch(paths, config, jobs=1)]
    two = [r.to_json() for r in batch.run_batch(paths, config, jobs=2, window=3, chunk=5)]
    assert [r["path"] for r in one] == paths
    assert one == two
    unloadable = [r for r, p in zip(one, paths, strict=True) if p.endswith("-unloadable")]
    assert unloadable
    if mode == "verify":
        assert all(r["error_code"] == "dump" and r["error"] for r in unloadable)
        genuine = {r["path"] for r in one if r.get("verdict") == "genuine"}
        assert genuine and all(not p.endswith(("-tampered-dg", "-flipped-signature",
                                               "-truncated-sod")) for p in genuine)
        assert all(p in genuine for p in paths if p.endswith("-valid"))
    else:
        assert all(not r["conformant"] for r in unloadable)


def test_codes_and_worst() -> None:
    assert batch.worst([]) == 0
    assert batch.worst([0, 6, 0]) == 6
    assert batch.worst([6, 5, 0]) == 5
    assert batch.worst([0, 1, 5]) == 1


def test_in_flight_work_is_bounded(tree: Path) -> None:
    """Paths are taken from the input only as results are handed on: memory stays flat."""
    paths = [str(p) for p in find_dumps([tree])][:80]
    taken = 0

    def source() -> Iterator[str]:
        nonlocal taken
        for path in paths:
            taken += 1
            yield path

    config = batch.BatchConfig("verify", _spec(), now=NOW)
    ahead = []
    for handed, _ in enumerate(batch.run_batch(source(), config, jobs=2, window=2, chunk=3),
                               start=1):
        ahead.append(taken - handed)
    assert max(ahead) <= 2 * 3  # window × chunk
    assert taken == len(paths)


def test_cli_jsonl_streams_every_dump_and_goes_on_after_a_broken_one(tree: Path) -> None:
    proc = _cccd("verify", str(tree), "--jsonl", "--jobs", "2", *_trust_args())
    assert proc.returncode == 5, proc.stderr  # unreadable dumps are the worst
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    expected = [str(p) for p in find_dumps([tree])]
    assert [line["path"] for line in lines] == expected
    broken = [i for i, line in enumerate(lines) if "error" in line]
    assert broken and broken[0] < len(lines) - 1  # results go on after it
    assert all(lines[i]["path"].endswith("-unloadable") for i in broken)
    assert f"error: {lines[broken[0]]['path']}: " in proc.stderr
    assert f"{COUNT} of {COUNT} dumps checked" in proc.stderr
    assert "Traceback" not in proc.stderr and "\r[" not in proc.stderr  # no bar when piped


def test_cli_exit_code_is_the_worst_dump(tree: Path) -> None:
    good = [p for p in find_dumps([tree]) if p.name.endswith("-valid")][:3]
    bad = next(p for p in find_dumps([tree]) if p.name.endswith("-flipped-signature"))
    proc = _cccd("verify", *map(str, good), "-j", "1", *_trust_args())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("genuine ") == 3
    proc = _cccd("verify", *map(str, good), str(bad), *_trust_args())
    assert proc.returncode == 6
    assert f"not_genuine  {bad}  (sod_signature: fail)" in proc.stdout


def test_cli_single_dump_keeps_its_report() -> None:
    proc = _cccd("verify", str(SAMPLES / "passport-utopia-td3"), *_trust_args())
    assert proc.returncode == 0 and "Verdict     GENUINE" in proc.stdout


def test_cli_json_array_and_usage(tree: Path) -> None:
    sub = next(iter(sorted(tree.iterdir())))
    proc = _cccd("verify", str(sub), "--json", *_trust_args())
    assert proc.returncode in (5, 6)
    doc = json.loads(proc.stdout)
    assert [d["path"] for d in doc] == [str(p) for p in find_dumps([sub])]
    assert _cccd("verify", str(sub), "--json", "--jsonl").returncode == 2
    assert _cccd("verify", str(sub), "--jobs", "0").returncode == 2


def test_cli_verify_of_a_tree_without_dumps_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty" / "deeper").mkdir(parents=True)
    proc = _cccd("verify", str(tmp_path / "empty"), *_trust_args())
    assert proc.returncode == 5 and "no cccd-dump/1 dump" in proc.stderr


def test_cli_conformance_batch_streams(tree: Path) -> None:
    sub = sorted(tree.iterdir())[1]
    expected = [str(p) for p in find_dumps([sub])]
    proc = _cccd("conformance", str(sub), "--jsonl", "-j", "2", *_trust_args())
    assert proc.returncode == 5, proc.stderr
    assert [json.loads(line)["path"] for line in proc.stdout.splitlines()] == expected
    text = _cccd("conformance", str(sub), "-j", "2", *_trust_args())
    assert text.returncode == 5
    assert text.stdout.splitlines()[-1].endswith(f"of {len(expected)} conformant")
    junit = _cccd("conformance", str(sub), "--jsonl", "--junit", "x.xml", *_trust_args())
    assert junit.returncode == 2


def test_ctrl_c_ends_with_130_and_a_summary(tmp_path: Path) -> None:
    root = tmp_path / "many"
    write_batch(root, 400, seed=7)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cccd_reader.cli", "verify", str(root), "--jsonl", "-j", "2",
         *_trust_args()],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        start_new_session=True,
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # the batch is running
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted:" in err and "of 400 dumps checked" in err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    done = 1 + len(out.splitlines())
    assert done < 400


def test_progress_bar_only_on_a_terminal() -> None:
    quiet = io.StringIO()
    bar = Progress(10, stream=quiet)  # StringIO is no terminal
    bar.update(5, force=True)
    bar.clear()
    assert quiet.getvalue() == ""
    loud = io.StringIO()
    bar = Progress(10, stream=loud, enabled=True)
    bar.update(5, force=True)
    assert "[##############--------------] 5/10 dumps 50%" in loud.getvalue()
    bar.clear()
    assert loud.getvalue().endswith("\r\x1b[K")


def test_cli_draws_the_bar_on_a_terminal_only(tree: Path) -> None:
    import pty

    sub = sorted(tree.iterdir())[2]
    primary, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "cccd_reader.cli", "verify", str(sub), "--jsonl", "-j", "2",
             *_trust_args()],
            stdout=subprocess.PIPE, stderr=secondary, cwd=REPO, timeout=300, check=False,
        )
        os.close(secondary)
        seen = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal's other side is closed: all read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(primary)
    assert proc.returncode in (5, 6)
    text = seen.decode("utf-8", "replace")
    assert "\r[" in text and " dumps " in text and "dumps checked" in text
    assert b"\r[" not in proc.stdout  # the results themselves carry no bar


def test_a_killed_worker_ends_the_batch_with_one_line(tmp_path: Path) -> None:
    root = tmp_path / "many"
    write_batch(root, 400, seed=9)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cccd_reader.cli", "verify", str(root), "--jsonl", "-j", "2",
         *_trust_args()],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # workers are running
    workers = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()
               and _parent(p) == proc.pid]
    assert workers
    os.kill(workers[0], signal.SIGKILL)  # what the kernel's OOM killer does
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    assert "a worker process ended abruptly" in err and "of 400 dumps checked" in err
    assert "Traceback" not in err


def _parent(proc_dir: Path) -> int | None:
    try:
        stat = (proc_dir / "stat").read_text(encoding="ascii", errors="replace")
        return int(stat.rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None
