"""Before a QApplication exists: will Qt's xcb platform plugin load on this machine?

PySide6's wheels carry Qt but not the system libraries its xcb plugin links against
(libxcb-icccm4, libxcb-keysyms1, ...) nor libxcb-cursor0, which Qt 6.5+ loads at start. When
one is missing, Qt prints "Could not load the Qt platform plugin xcb" and aborts the process: a
clerk on a fresh Linux desktop gets a crash and no window. This module asks the dynamic linker
first, so the app can say in one line which Debian packages to install and exit with code 2
(as it does when PySide6 itself is missing). No Qt is imported here.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import socket
import sys
from collections.abc import Mapping
from pathlib import Path

#: The system libraries Qt's xcb platform needs (the DT_NEEDED entries of libqxcb.so,
#: libQt6XcbQpa, libQt6Gui, libQt6Core and libQt6DBus outside what PySide6 bundles), by soname,
#: with the Debian 12 package providing each. apps/desktop/README.md lists the packages and
#: ./run installs them.
DEBIAN_PACKAGES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
}
#: What the dynamic linker says of a library it cannot find.
_CANNOT_OPEN = re.compile(r"(\S+\.so[.\d]*): cannot open shared object file")


def _loads(name: str) -> str | None:
    """None when the dynamic linker loads ``name`` (a soname or a path) with everything it
    needs; else the soname it could not find (or the whole message)."""
    try:
        ctypes.CDLL(name, mode=ctypes.RTLD_LOCAL)
    except OSError as exc:
        found = _CANNOT_OPEN.search(str(exc))
        return found.group(1) if found else str(exc)
    return None


def platform_is_xcb(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """Whether Qt will pick its xcb plugin: QT_QPA_PLATFORM names it first (``xcb``,
    ``xcb:args``, ``xcb;offscreen``), or is unset on Linux outside a Wayland session."""
    env = os.environ if environ is None else environ
    system = sys.platform if platform is None else platform
    if not system.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen.split(";")[0].split(":")[0].strip() == "xcb"
    return not (env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland")


def xcb_plugin_files() -> list[Path]:
    """The xcb platform plugin and Qt's xcb integration library inside the PySide6 install."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return []
    qt = Path(spec.origin).parent / "Qt"
    candidates = [qt / "plugins" / "platforms" / "libqxcb.so",
                  *sorted((qt / "lib").glob("libQt6XcbQpa.so*"))]
    return [p for p in candidates if p.is_file()][:2]


def unresolved_libraries(files: list[Path]) -> list[str]:
    """Sonames the dynamic linker cannot find for ``files``, asked of the linker in this
    process (no ``ldd``: the app starts no process). The first failure of each file names one
    library; the known list finds the others a package would also have to bring."""
    missing: list[str] = []
    for path in files:
        first = _loads(str(path))
        if first is None:
            continue
        missing.append(first)
        missing += [name for name in DEBIAN_PACKAGES if _loads(name) is not None]
    return list(dict.fromkeys(missing))


def missing_message(missing: list[str]) -> str:
    """One line for the clerk's administrator: the Debian packages to install."""
    packages = sorted({DEBIAN_PACKAGES.get(name, name) for name in missing})
    return ("cccd-desktop cannot open a window: the Qt xcb platform needs "
            f"{', '.join(missing)}; install: apt-get install {' '.join(packages)}")


def display_problem(environ: Mapping[str, str]) -> str | None:
    """Why the X display cannot be reached, for a local display; None when it answers or is
    remote (Qt says then). Qt aborts the process without a display, too."""
    display = environ.get("DISPLAY", "")
    if not display:
        return "cccd-desktop cannot open a window: no X display (DISPLAY is not set)"
    match = re.fullmatch(r"(?:unix)?:(\d+)(?:\.\d+)?", display)
    if match is None:
        return None
    path = f"/tmp/.X11-unix/X{match.group(1)}"
    for address in (path, "\0" + path):  # the socket file, then Linux's abstract namespace
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(2)
            try:
                probe.connect(address)
                return None
            except OSError:
                continue
    return f"cccd-desktop cannot open a window: no X server answers on display {display}"


def check_xcb(environ: Mapping[str, str] | None = None) -> str | None:
    """None when Qt's xcb platform will load (or is not the platform); else the message."""
    env = os.environ if environ is None else environ
    if not platform_is_xcb(env):
        return None
    missing = unresolved_libraries(xcb_plugin_files())
    if missing:
        return missing_message(missing)
    return display_problem(env)
