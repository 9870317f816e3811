"""This installation's random id: the ``serial_nfc`` / ``serial_device`` the device-compatible
endpoint's ``/info`` answers.

Hospital software may log or display those serials. A chip UID or a reader's hardware serial
would identify a card holder or a counter across systems (ICAO 9303 and the tracking studies:
never expose chip identifiers), so the agent answers with a random id made once per
installation and kept in the user's data directory (``agent-installation-id``, 0600, never
written through a symbolic link). When that file cannot be read or written the id is random
for this run only, and the agent still starts.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

import platformdirs

log = logging.getLogger("cccd_reader.agent")

FILE_NAME = "agent-installation-id"
#: Hex digits of a new id (64 bits).
ID_LENGTH = 16


def _valid(text: str) -> bool:
    return 8 <= len(text) <= 64 and all(c in "0123456789abcdef" for c in text)


def default_path() -> Path:
    return Path(platformdirs.user_data_dir("cccd-reader", appauthor=False)) / FILE_NAME


def installation_id(override: str | None = None, *, path: Path | None = None) -> str:
    """``override`` when given (tests, a fleet that assigns ids), else the stored id, made and
    stored on first use."""
    if override is not None:
        return override
    where = path or default_path()
    try:
        fd = os.open(where, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "r", encoding="ascii") as fh:
            stored = fh.read(128).strip()
        if _valid(stored):
            return stored
    except (OSError, UnicodeDecodeError):
        pass
    new = secrets.token_hex(ID_LENGTH // 2)
    try:
        where.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(where, flags, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(new + "\n")
    except OSError as exc:
        log.warning("installation id not stored (%s): a new one each run", exc.strerror)
    return new
