"""The app on a real X server: Xvfb with Qt's xcb platform, not offscreen.

Every other app test runs offscreen, which needs none of the system libraries Qt's xcb plugin
links against; a clerk's Linux desktop needs them all. Here: the xcb plugin of this venv
resolves every library; ``cccd-desktop --sim`` under Xvfb maps its window and shows the waiting
screen, then closes on Ctrl+Q; and the pre-flight check turns a missing library or display into
one line and exit 2 instead of Qt's abort.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cccd_desktop import app, qtplatform

CCCD_DESKTOP = Path(sys.executable).with_name("cccd-desktop")


def _needs(*tools: str) -> None:
    """./run installs these (xvfb, xdotool, gcc): one missing is a broken set-up, not a
    reason to skip what a clerk's desktop needs."""
    missing = [t for t in tools if shutil.which(t) is None]
    assert not missing, f"not installed: {', '.join(missing)} (run ./run)"


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private Xvfb at 1366x768; its display name (``:N``, picked by Xvfb itself)."""
    _needs("Xvfb")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        assert number.isdigit(), "Xvfb did not report its display"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _xdotool(display: str, *args: str, timeout: float = 30) -> str:
    run = subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": display},
                         capture_output=True, text=True, timeout=timeout, check=False)
    assert run.returncode == 0, f"xdotool {args}: {run.stderr}"
    return run.stdout.strip()


def test_the_xcb_plugin_of_this_venv_resolves_every_library() -> None:
    files = qtplatform.xcb_plugin_files()
    assert [f.name for f in files][:1] == ["libqxcb.so"]
    assert qtplatform.unresolved_libraries(files) == [], (
        "run ./run (it installs the Qt runtime packages of apps/desktop/README.md)")


def test_the_app_opens_its_window_on_a_real_x_server(xvfb: str, tmp_path: Path) -> None:
    _needs("xdotool")
    env = {**os.environ, "DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("WAYLAND_DISPLAY", None)
    log = tmp_path / "app.log"
    with log.open("w") as out:
        proc = subprocess.Popen([str(CCCD_DESKTOP), "--sim", "--lang", "en"], env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while "-> waiting" not in log.read_text() and time.monotonic() < deadline:
            assert proc.poll() is None, log.read_text()
            time.sleep(0.2)
        assert "-> waiting" in log.read_text(), log.read_text()
        # mapped (visible), found by the _NET_WM_PID Qt sets on its windows
        window = _xdotool(xvfb, "search", "--sync", "--onlyvisible", "--pid", str(proc.pid),
                          "--name", "CCCD reader").splitlines()[0]
        assert _xdotool(xvfb, "getwindowname", window) == "CCCD reader — counter"
        geometry = _xdotool(xvfb, "getwindowgeometry", window)
        width, height = (int(v) for v in geometry.split("Geometry: ")[1].split("x"))
        assert width >= 800 and height >= 500  # maximized on the 1366x768 screen
        _xdotool(xvfb, "windowfocus", "--sync", window)
        _xdotool(xvfb, "key", "--clearmodifiers", "ctrl+q")
        assert proc.wait(timeout=30) == 0, log.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "Could not load the Qt platform plugin" not in log.read_text()


def _library_with_a_missing_dependency(tmp_path: Path) -> Path:
    """A real shared object whose DT_NEEDED names a library that is gone (built with gcc)."""
    _needs("gcc")
    (tmp_path / "gone.c").write_text("int gone(void) { return 1; }\n")
    (tmp_path / "user.c").write_text("int gone(void);\nint user(void) { return gone(); }\n")
    for cmd in (["gcc", "-shared", "-fPIC", "-o", "libcccdgone.so.1", "-Wl,-soname,"
                 "libcccdgone.so.1", "gone.c"],
                ["ln", "-s", "libcccdgone.so.1", "libcccdgone.so"],
                ["gcc", "-shared", "-fPIC", "-o", "libuser.so", "user.c", "-L.", "-lcccdgone"]):
        subprocess.run(cmd, cwd=tmp_path, check=True, capture_output=True)
    (tmp_path / "libcccdgone.so.1").unlink()
    return tmp_path / "libuser.so"


def test_a_missing_library_is_named_with_its_package(tmp_path: Path) -> None:
    user = _library_with_a_missing_dependency(tmp_path)
    assert qtplatform.unresolved_libraries([user]) == ["libcccdgone.so.1"]
    message = qtplatform.missing_message(["libxcb-icccm.so.4", "libxcb-keysyms.so.1",
                                          "libcccdgone.so.1"])
    assert "\n" not in message
    assert message.endswith("apt-get install libcccdgone.so.1 libxcb-icccm4 libxcb-keysyms1")


def test_the_app_exits_2_with_one_line_instead_of_aborting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    user = _library_with_a_missing_dependency(tmp_path)
    monkeypatch.setattr(qtplatform, "xcb_plugin_files", lambda: [user])
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert app.main(["--sim"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "libcccdgone.so.1" in err


def test_no_display_is_one_line_too(monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setenv("DISPLAY", ":987")  # nothing listens there
    assert app.main(["--sim"]) == 2
    assert capsys.readouterr().err == (
        "cccd-desktop cannot open a window: no X server answers on display :987\n")
    monkeypatch.delenv("DISPLAY")
    assert qtplatform.check_xcb() == (
        "cccd-desktop cannot open a window: no X display (DISPLAY is not set)")


@pytest.mark.parametrize(("env", "platform", "xcb"), [
    ({}, "linux", True),
    ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({"QT_QPA_PLATFORM": "xcb:nograb;offscreen"}, "linux", True),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
    ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "linux", False),
    ({}, "win32", False),
    ({"QT_QPA_PLATFORM": "xcb"}, "darwin", False),
])
def test_when_the_platform_is_xcb(env: dict[str, str], platform: str, xcb: bool) -> None:
    assert qtplatform.platform_is_xcb(env, platform) is xcb
