"""Reading trust files: where they live, their size bounds, PEM blocks.

Everything here runs on untrusted bytes before any parsing: a file is read only if it is a
regular file below :data:`MAX_TRUST_FILE_BYTES`; a PEM bundle is split block by block so a
damaged block never hides the ones after it.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import stat
from pathlib import Path

import platformdirs

from cccd_reader.pki.trust.certs import TrustError

#: The trust directory of earlier releases, still read when it exists (expanded at load time).
DEFAULT_TRUST_DIR = Path("~/.config/cccd-reader/trust")
#: A master list or PEM bundle holds at most this many certificates (the German list, the
#: largest, about 600; the whole ICAO PKD a few thousand).
MAX_CERTS_PER_FILE = 20_000
#: A trust directory holds at most this many entries.
MAX_DIRECTORY_FILES = 20_000
#: Master lists of all ICAO PKD members stay below a few MiB.
MAX_TRUST_FILE_BYTES = 16 * 1024 * 1024
CERT_EXTENSIONS = (".der", ".cer", ".crt", ".cert")


def trust_dir() -> Path:
    """The per-user trust directory of this OS (platformdirs: ``~/.local/share/cccd-reader/
    trust`` on Linux, ``%LOCALAPPDATA%\\cccd-reader\\trust`` on Windows, ``~/Library/
    Application Support/cccd-reader/trust`` on macOS); ``CCCD_TRUST_DIR`` overrides it."""
    override = os.environ.get("CCCD_TRUST_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir("cccd-reader", appauthor=False)) / "trust"


def default_trust_dirs() -> list[Path]:
    """Where anchors are read from when no ``--trust`` is given: :func:`trust_dir` and, when
    it exists, the directory of earlier releases (``~/.config/cccd-reader/trust``)."""
    dirs = [trust_dir()]
    legacy = DEFAULT_TRUST_DIR.expanduser()
    if "CCCD_TRUST_DIR" not in os.environ and legacy not in dirs:
        dirs.append(legacy)
    return dirs


PEM_BLOCK = re.compile(
    rb"-----BEGIN ([A-Z0-9 ]{1,40})-----(.*?)(?:-----END \1-----|(?=-----BEGIN )|\Z)", re.S
)


def pem_blocks(data: bytes) -> list[tuple[str, bytes | None, str]]:
    """(kind, DER or None, reason when None) of every PEM block, each decoded on its own so a
    damaged block never hides the ones after it."""
    blocks: list[tuple[str, bytes | None, str]] = []
    for match in PEM_BLOCK.finditer(data):
        kind = match.group(1).decode("ascii")
        if not match.group(0).rstrip().endswith(b"-----END " + match.group(1) + b"-----"):
            blocks.append((kind, None, "no END line"))
            continue
        lines = [line.strip() for line in match.group(2).splitlines()]
        body = b"".join(line for line in lines if line and b":" not in line)
        try:
            der = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            blocks.append((kind, None, "invalid base64"))
            continue
        if not der:
            blocks.append((kind, None, "empty"))
            continue
        blocks.append((kind, der, ""))
    return blocks


def check_size(data: bytes, source: str) -> None:
    """Bytes handed over directly get the same bound as files read from disk."""
    if len(data) > MAX_TRUST_FILE_BYTES:
        raise TrustError(f"{source or 'trust data'} is larger than {MAX_TRUST_FILE_BYTES} bytes")


def read_bounded(path: Path) -> bytes:
    try:
        st = path.stat()
    except OSError as exc:
        raise TrustError(f"cannot read {path}: {exc.strerror}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise TrustError(f"{path} is not a regular file")
    if st.st_size > MAX_TRUST_FILE_BYTES:
        raise TrustError(f"{path} is larger than {MAX_TRUST_FILE_BYTES} bytes")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_TRUST_FILE_BYTES + 1)
    except OSError as exc:
        raise TrustError(f"cannot read {path}: {exc.strerror}") from exc
    if len(data) > MAX_TRUST_FILE_BYTES:  # it grew after stat()
        raise TrustError(f"{path} is larger than {MAX_TRUST_FILE_BYTES} bytes")
    return data

