"""Issue 18: hostile input and the integrator surface (dumps, exit codes, keys, JUnit, EF.SOD).

The CLI runs as a real subprocess: what is checked is what a shell script sees (exit code,
one line on stderr, no traceback, the files left on disk).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.errors import OutputError, ParseError
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.read_flow import read_card
from cccd_sim.cards import chip_for_dump
from tests.conftest import SAMPLES, make_dump

ANH = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"
PASSPORT = SAMPLES / "passport-utopia-td3"
ANH_ID = "001190012345"
REPO = Path(__file__).resolve().parent.parent


def _cccd(*args: str, stdin: str | None = None, env: dict[str, str] | None = None,
          stdout: int | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    for name in ("CCCD_MRZ", "CCCD_CAN", "CCCD_ID", "CCCD_QR"):
        if name not in (env or {}):
            full_env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "cccd_reader.cli", *args],
        input=stdin if stdin is not None else "", text=True, timeout=120, env=full_env,
        stdout=stdout if stdout is not None else subprocess.PIPE, stderr=subprocess.PIPE,
    )


def _one_line_error(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


# --- 1. dumps: no symlink followed, no merge, 0700/0600 ---------------------------------------


def test_save_never_writes_through_a_planted_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    d = tmp_path / "d"
    d.mkdir()
    (d / "DG1").symlink_to(victim)
    with pytest.raises(OutputError, match="not empty"):
        dumpmod.save(make_dump(100), d)
    dumpmod.save(make_dump(100), d, force=True)
    assert victim.read_bytes() == b"precious"
    assert not (d / "DG1").is_symlink() and _mode(d / "DG1") == 0o600
    assert dumpmod.load(d).files["DG1"] == make_dump(100).files["DG1"]


def test_save_refuses_a_symlinked_directory(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    with pytest.raises(OutputError, match="symbolic link"):
        dumpmod.save(make_dump(100), tmp_path / "link")
    assert list(real.iterdir()) == []


def test_save_into_an_old_dump_leaves_nothing_of_the_other_card(tmp_path: Path) -> None:
    d = tmp_path / "d"
    old = make_dump(100)
    old.files["DG11"] = b"\x6b\x03\x5f\x0e\x00"
    old.files["DG12"] = b"\x6c\x03\x5f\x19\x00"
    old.secrets = {"active_auth_private_key": "x"}
    dumpmod.save(old, d, include_access=True)
    new = dumpmod.CardDump(files={"EF.COM": old.files["EF.COM"], "DG1": old.files["DG1"]})
    with pytest.raises(OutputError, match="not empty"):
        dumpmod.save(new, d)
    dumpmod.save(new, d, force=True)
    assert sorted(p.name for p in d.iterdir()) == ["DG1", "EF.COM", "card.json"]


def test_force_removes_only_dump_files(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="not dump files"):
        dumpmod.save(make_dump(100), d, force=True)
    assert (d / "notes.txt").read_text() == "mine" and len(list(d.iterdir())) == 1


def test_dump_directory_0700_files_0600_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        card = make_dump(100)
        card.secrets = {"k": "v"}
        out = dumpmod.save(card, tmp_path / "new" / "d")
    finally:
        os.umask(old)
    assert _mode(out) == 0o700
    assert {p.name: _mode(p) for p in out.iterdir()} == {p.name: 0o600 for p in out.iterdir()}


def test_cli_out_refuses_non_empty_then_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("read", "--sim", str(PASSPORT), "--sim-key", "--json", "--out", str(out))
    assert _cccd(*args).returncode == 0
    (out / "DG7").write_bytes(b"other card")  # a file this card does not have
    proc = _cccd(*args)
    assert proc.returncode == 1
    _one_line_error(proc)
    assert "--force" in proc.stderr
    proc = _cccd(*args, "--force")
    assert proc.returncode == 0, proc.stderr
    assert not (out / "DG7").exists()


# --- 2. one line on stderr, the documented exit code ------------------------------------------


def _broken_dump(tmp_path: Path, name: str, text: str) -> Path:
    d = tmp_path / "d"
    shutil.copytree(PASSPORT, d)
    (d / name).write_text(text, encoding="utf-8")
    return d


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("card.json", "[" * 100_000 + "]" * 100_000),
        ("secrets.json", '{"a":' * 50_000 + '"x"' + "}" * 50_000),
        ("card.json", '{"format": "cccd-dump/1", "note": ' + "7" * 5000 + "}"),
    ],
    ids=["card-nested", "secrets-nested", "5000-digit-int"],
)
def test_hostile_json_in_a_dump_exits_5(tmp_path: Path, name: str, text: str) -> None:
    proc = _cccd("show", str(_broken_dump(tmp_path, name, text)))
    assert proc.returncode == 5
    _one_line_error(proc)


def test_bad_pem_in_secrets_exits_5(tmp_path: Path) -> None:
    d = _broken_dump(tmp_path, "secrets.json",
                     json.dumps({"active_auth_private_key": "-----BEGIN PRIVATE KEY-----\nAAAA"}))
    proc = _cccd("read", "--sim", str(d), "--sim-key")
    assert proc.returncode == 5
    _one_line_error(proc)
    assert "secrets.json" in proc.stderr


def test_out_onto_a_file_or_an_unwritable_place_exits_1(tmp_path: Path) -> None:
    a_file = tmp_path / "f"
    a_file.write_text("x")
    for target in (a_file, a_file / "sub", Path("/proc/cccd-dump")):
        proc = _cccd("read", "--sim", str(PASSPORT), "--sim-key", "--out", str(target))
        assert proc.returncode == 1, (target, proc.stderr)
        _one_line_error(proc)
    assert a_file.read_text() == "x"


def test_report_paths_that_cannot_be_written_exit_1(tmp_path: Path) -> None:
    for option, target in (("--junit", tmp_path / "no" / "such" / "x.xml"),
                           ("--html", tmp_path)):
        proc = _cccd("conformance", str(PASSPORT), "--no-default-trust", option, str(target))
        assert proc.returncode == 1, proc.stderr
        _one_line_error(proc)


def test_stdout_on_a_full_device_exits_1() -> None:
    with open("/dev/full", "w") as full:
        proc = _cccd("show", str(PASSPORT), "--json", stdout=full.fileno())
    assert proc.returncode == 1
    _one_line_error(proc)
    assert "No space left" in proc.stderr


def test_trust_paths_are_input_exit_5(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    for path in (str(bad), str(tmp_path / "missing"), "/dev/zero"):
        proc = _cccd("verify", str(PASSPORT), "--no-default-trust", "--trust", path)
        assert proc.returncode == 5, (path, proc.stderr)
        _one_line_error(proc)


def test_empty_trust_path_is_a_usage_error() -> None:
    proc = _cccd("verify", str(PASSPORT), "--no-default-trust", "--trust", "")
    assert proc.returncode == 2
    _one_line_error(proc)


# --- 4. keys off the command line --------------------------------------------------------------


def test_key_from_standard_input() -> None:
    proc = _cccd("read", "--sim", str(ANH), "--id", "-", "--json", stdin=ANH_ID + "\n")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["access"]["password"] == "CAN"
    proc = _cccd("read", "--sim", str(ANH), "--can", "-", "--json", stdin="012345\n")
    assert proc.returncode == 0, proc.stderr
    proc = _cccd("read", "--sim", str(PASSPORT), "--mrz", "-", "--json",
                 stdin=dumpmod.load(PASSPORT).access.mrz)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["access"]["protocol"] == "BAC"


@pytest.mark.parametrize(("variable", "value"), [("CCCD_ID", ANH_ID), ("CCCD_CAN", "012345")])
def test_key_from_the_environment(variable: str, value: str) -> None:
    proc = _cccd("read", "--sim", str(ANH), "--json", env={variable: value})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["access"]["password"] == "CAN"


def test_key_options_beat_the_environment_and_stdin_is_read_once() -> None:
    proc = _cccd("read", "--sim", str(ANH), "--id", ANH_ID, "--json",
                 env={"CCCD_CAN": "999999"})
    assert proc.returncode == 0, proc.stderr
    proc = _cccd("read", "--sim", str(ANH), "--id", "-", "--can", "-", stdin="1\n")
    assert proc.returncode == 2
    _one_line_error(proc)


def test_desktop_app_never_starts_processes_with_keys() -> None:
    """The app reads in process through the library: nothing it runs could carry a key in
    argv. Any process launch in its sources would break this."""
    sources = sorted((REPO / "apps" / "desktop" / "cccd_desktop").glob("*.py"))
    assert sources
    launchers = ("subprocess", "QProcess", "os.system", "os.exec", "os.spawn", "Popen",
                 "startDetached")
    for path in sources:
        text = path.read_text(encoding="utf-8")
        found = [word for word in launchers if word in text]
        assert not found, f"{path.name} launches processes: {found}"


# --- 6. validate before the chip -------------------------------------------------------------


@pytest.mark.parametrize("birth", ["991399", "990230", "990931", "010229", "99123", "9912a1",
                                   "٩٩١٢٠١"])
def test_impossible_dates_are_refused(birth: str) -> None:
    with pytest.raises(ParseError):
        AccessKey.from_document("L898902C3", birth, "300101")


def test_possible_dates_pass() -> None:
    for birth in ("000229", "991231", "740812", "240229"):
        assert AccessKey.from_document("L898902C3", birth, "300101").mrz_information


def test_bad_birth_exits_2_before_any_reader_is_touched() -> None:
    """--reader names no reader: reaching it would be exit 4; exit 2 proves nothing was sent."""
    proc = _cccd("read", "--reader", "No Such Reader 99", "--doc-number", "L898902C3",
                 "--birth", "991399", "--expiry", "300101")
    assert proc.returncode == 2, proc.stderr
    _one_line_error(proc)
    for args in (("--can", "12345"), ("--id", "00119001234"), ("--can", "12345a")):
        proc = _cccd("read", "--reader", "No Such Reader 99", *args)
        assert proc.returncode == 2, (args, proc.stderr)


# --- 7. JUnit agrees with the exit code ------------------------------------------------------


def _junit(tmp_path: Path, *extra: str) -> tuple[int, ET.Element]:
    out = tmp_path / "report.xml"
    proc = _cccd("conformance", str(SAMPLES / "negative" / "valid-sha1"), "--no-default-trust",
                 "--trust", str(SAMPLES / "pki"), "--junit", str(out), *extra)
    assert "Traceback" not in proc.stderr
    assert _mode(out) == 0o600
    return proc.returncode, ET.fromstring(out.read_text(encoding="utf-8"))


def test_warning_is_a_passing_testcase_carrying_it(tmp_path: Path) -> None:
    code, root = _junit(tmp_path)
    assert code == 0
    assert root.get("failures") == "0"
    warned = [c for c in root.iter("testcase")
              if any(p.get("name") == "warning" for p in c.iter("property"))]
    assert warned and all(c.find("failure") is None for c in warned)
    assert any("SHA-1" in (c.findtext("system-out") or "") for c in warned)


def test_strict_fails_warnings_in_exit_code_and_junit_alike(tmp_path: Path) -> None:
    code, root = _junit(tmp_path, "--strict")
    assert code == 6
    failures = list(root.iter("failure"))
    assert failures and {f.get("type") for f in failures} == {"warning"}
    assert root.get("failures") == str(len(failures))


# --- 8. a chip without EF.SOD ------------------------------------------------------------------


def _without_sod(tmp_path: Path) -> Path:
    d = tmp_path / "no-sod"
    shutil.copytree(PASSPORT, d)
    (d / "EF.SOD").unlink()
    return d


def test_read_flow_tolerates_a_chip_without_sod(tmp_path: Path) -> None:
    card = dumpmod.load(_without_sod(tmp_path))
    chip = chip_for_dump(card)
    assert card.access.mrz
    result = read_card(InProcessTransport(chip.process), AccessKey.from_mrz(card.access.mrz))
    assert "EF.SOD" not in result.files and "EF.SOD" in result.missing
    assert result.files["DG1"] == card.files["DG1"]


def test_cli_shows_the_record_not_genuine_without_sod(tmp_path: Path) -> None:
    proc = _cccd("read", "--sim", str(_without_sod(tmp_path)), "--sim-key", "--json",
                 "--no-default-trust")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["mrz"]["document_number"] == "L898902C3"
    assert doc["verification"]["verdict"] == "not_genuine"
    failed = [c for c in doc["verification"]["checks"] if c["status"] == "fail"]
    assert any(c["name"] == "sod_parse" for c in failed), failed


# --- 9. cccd simulate: options are checked before pcscd is touched --------------------------


@pytest.mark.parametrize("options", [("--hostile", "nope"), ("--profile", "nope"),
                                     ("--remove-at", "0"), ("--max-response", "10"),
                                     ("--hostile", "nesting_bomb", "--target", "DG9")])
def test_simulate_refuses_bad_options(options: tuple[str, ...]) -> None:
    proc = _cccd("simulate", str(PASSPORT), *options)
    assert proc.returncode == 2, proc.stderr
    _one_line_error(proc)


def test_simulated_card_in_process() -> None:
    """The same card the vpcd bridge serves, read in process: limits and clone applied."""
    from cccd_reader.service import read_and_verify
    from cccd_sim.simulate import SimulatedCard, SimulateOptions

    card = dumpmod.load(PASSPORT)
    assert card.access.mrz
    key = AccessKey.from_mrz(card.access.mrz)
    sim = SimulatedCard(card, SimulateOptions(max_response=100, clone=True))
    sizes: list[int] = []

    def process(apdu: bytes) -> bytes:
        out = sim.process(apdu)
        if apdu[1] in (0xB0, 0xB1):
            sizes.append(len(out))
        return out

    outcome = read_and_verify(InProcessTransport(process, extended=False), key)
    assert outcome.result.files == card.files
    assert max(sizes) <= 100
    assert {c.name: c.status for c in outcome.result.chip_checks}["active_auth"] == "fail"


# --- 5. exports without what opens the chip ----------------------------------------------------


def test_record_json_without_access_data() -> None:
    from cccd_reader.record import CardRecord
    from cccd_reader.redact import without_access_data

    doc = CardRecord.build(dumpmod.load(ANH).files).to_json()
    text = json.dumps(doc, ensure_ascii=False)
    assert ANH_ID in text and "IDVNM" in text
    kept = without_access_data(doc)
    out = json.dumps(kept, ensure_ascii=False)
    assert ANH_ID not in out and ANH_ID[-6:] not in out and "IDVNM" not in out
    assert kept["holder"]["full_name"] == doc["holder"]["full_name"]
    assert kept["verification"] == without_access_data(doc["verification"])
    assert doc["mrz"] is not None  # the record itself is not changed


def _run_in_a_terminal(args: list[str], answer: str, timeout: float = 60.0) -> tuple[int, str]:
    """Run the CLI with a pseudo-terminal as its controlling terminal; type ``answer`` when
    it prompts. Returns (exit code, everything the terminal showed)."""
    import select
    import time

    env = {k: v for k, v in os.environ.items() if not k.startswith("CCCD_")}
    env["PYTHONIOENCODING"] = "utf-8"
    pid, fd = os.forkpty()
    if pid == 0:  # the child: its stdin, stdout, stderr and /dev/tty are the terminal
        os.execve(sys.executable, [sys.executable, "-m", "cccd_reader.cli", *args], env)
    shown = b""
    answered = False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        if not answered and b"(not shown)" in shown:
            os.write(fd, answer.encode() + b"\r")
            answered = True
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode("utf-8", "replace")


def test_interactive_prompt_does_not_echo_the_key() -> None:
    code, shown = _run_in_a_terminal(["read", "--sim", str(ANH)], ANH_ID)
    assert code == 0, shown
    assert "(not shown)" in shown and "Nguyễn Thị Ngọc Ánh" in shown
    assert ANH_ID not in shown.split("(not shown)")[1].split("Card read from")[0]
    code, shown = _run_in_a_terminal(["read", "--sim", str(ANH), "--can", "-"], "012345")
    assert code == 0, shown
    assert "012345" not in shown.split("(not shown)")[1].split("Card read from")[0]
