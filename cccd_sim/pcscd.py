"""Bring up the real PC/SC stack for the virtual card: ``pcscd`` with the vsmartcard vpcd driver.

Used by the integration tests, ``cccd simulate`` and ``cccd demo``. It never installs anything;
it starts ``pcscd`` when it is not running (there is no systemd on CI machines) and waits until
the virtual readers are listed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from cccd_reader.errors import TransportError

VPCD_CONFIG = Path("/etc/reader.conf.d/vpcd")
VPCD_READER_PREFIX = "Virtual PCD"
#: vpcd slot N listens on 35963 + N (see /etc/reader.conf.d/vpcd).
VPCD_BASE_PORT = 35963


def vpcd_installed() -> bool:
    return VPCD_CONFIG.exists() and shutil.which("pcscd") is not None


def _pcscd_running() -> bool:
    proc = Path("/proc")
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if comm == "pcscd":
            return True
    return False


def vpcd_readers() -> list[str]:
    from cccd_reader.iso7816.pcsc import list_readers

    try:
        return [r for r in list_readers() if r.startswith(VPCD_READER_PREFIX)]
    except TransportError:
        return []


def reader_for_port(port: int) -> str:
    """PC/SC name of the vpcd reader whose card connects to ``port``."""
    slot = port - VPCD_BASE_PORT
    names = vpcd_readers()
    for name in names:
        if name.endswith(f" {slot:02d}"):
            return name
    raise TransportError(f"no vpcd reader for port {port} among {names}")


def ensure_pcscd(timeout: float = 15.0) -> list[str]:
    """Make sure pcscd runs with the vpcd readers; return their names.

    Raises TransportError when vpcd is not installed or pcscd cannot be started (e.g. not
    root): the caller decides whether that is a skip or a failure.
    """
    if not vpcd_installed():
        raise TransportError(
            "pcscd and the vsmartcard-vpcd driver are not installed "
            "(apt-get install pcscd vsmartcard-vpcd)"
        )
    if not _pcscd_running():
        pcscd = shutil.which("pcscd") or "/usr/sbin/pcscd"
        try:
            subprocess.Popen(
                [pcscd, "--foreground"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                close_fds=True,
                env={**os.environ},
            )
        except OSError as exc:
            raise TransportError(f"cannot start pcscd: {exc}") from exc
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        names = vpcd_readers()
        if names:
            return names
        time.sleep(0.2)
    raise TransportError("pcscd did not list the vpcd readers in time")
