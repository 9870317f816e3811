"""Document signers seen: an opt-in record of the DSCs that signed the cards a counter verified.

Vietnam's CSCA for the CCCD is not public, so an organisation reaches ``genuine`` for
Vietnamese cards by pinning Document Signer certificates it confirmed out of band. This record
tells the administrator which signers its counters actually meet: for each DSC whose signature
over a card's EF.SOD verified, its subject, serial number, SHA-256 fingerprint, validity, first
and last time seen and how many reads. No personal data: a DSC is a public certificate of the
issuing authority, shared by hundreds of thousands of cards, and nothing of the card is kept.

Off unless enabled (``cccd trust seen --enable``: a marker file, or ``CCCD_RECORD_SEEN=1``).
The file lives in the user data directory, is written 0600 and atomically (a temporary file
renamed over it), never through a symlink, bounded in size and entries; a damaged file is set
aside (``.damaged``), not trusted and not fatal to a read.
"""

from __future__ import annotations

import base64
import json
import os
import stat
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from cccd_reader.pki.trust.certs import Cert, TrustError

SEEN_FILE = "seen-signers.json"
ENABLED_MARKER = "seen-signers.enabled"
MAX_SEEN_BYTES = 4 * 1024 * 1024
MAX_SEEN_ENTRIES = 2000


def data_dir() -> Path:
    """The per-user data directory (``CCCD_DATA_DIR`` overrides platformdirs' choice)."""
    override = os.environ.get("CCCD_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir("cccd-reader", appauthor=False))


@dataclass(frozen=True)
class SeenSigner:
    fingerprint: str
    subject: str
    serial: str
    country: str
    not_before: str
    not_after: str
    first_seen: str
    last_seen: str
    count: int
    #: The DSC itself (public), so ``cccd trust pin FINGERPRINT`` can pin it.
    der_b64: str

    def certificate(self) -> bytes:
        return base64.b64decode(self.der_b64, validate=True)


def enabled() -> bool:
    if os.environ.get("CCCD_RECORD_SEEN") == "1":
        return True
    return (data_dir() / ENABLED_MARKER).is_file()


def set_enabled(on: bool) -> None:
    directory = _private_dir()
    marker = directory / ENABLED_MARKER
    if on:
        _atomic_write(marker, b"recording document signers seen (no personal data)\n")
    elif marker.exists() or marker.is_symlink():
        marker.unlink()


def _private_dir() -> Path:
    directory = data_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if directory.is_symlink() or not directory.is_dir():
        raise TrustError(f"{directory} is not a directory (a symlink is refused)")
    return directory


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` 0600 via a temporary file renamed over it: a reader never
    sees half a file, and a symlink planted at ``path`` is replaced, never written through."""
    if path.is_symlink():
        raise TrustError(f"{path} is a symlink; refusing to write through it")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_FIELDS = {
    "fingerprint": str, "subject": str, "serial": str, "country": str, "not_before": str,
    "not_after": str, "first_seen": str, "last_seen": str, "count": int, "der_b64": str,
}


def _valid(item: Any) -> bool:
    if not isinstance(item, dict) or set(item) != set(_FIELDS):
        return False
    for key, kind in _FIELDS.items():
        if not isinstance(item[key], kind) or isinstance(item[key], bool):
            return False
    return len(item["fingerprint"]) == 64 and all(len(str(v)) <= 70_000 for v in item.values())


def load_seen(path: Path | None = None) -> list[SeenSigner]:
    """The record, newest first; empty when absent. Raises :class:`TrustError` (naming the
    file) when it is a symlink, too large or not a record of this format."""
    path = path or data_dir() / SEEN_FILE
    try:
        st = path.lstat()
    except FileNotFoundError:
        return []
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
        raise TrustError(f"{path} is not a regular file (a symlink is refused)")
    if st.st_size > MAX_SEEN_BYTES:
        raise TrustError(f"{path} is larger than {MAX_SEEN_BYTES} bytes")
    try:
        document = json.loads(path.read_bytes()[: MAX_SEEN_BYTES + 1])
    except (OSError, ValueError) as exc:
        raise TrustError(f"{path}: not a record of document signers seen ({exc})") from exc
    items = document.get("signers") if isinstance(document, dict) else None
    if document.get("format") != "cccd-seen-signers/1" or not isinstance(items, list) or not all(
        _valid(item) for item in items
    ):
        raise TrustError(f"{path}: not a record of document signers seen (cccd-seen-signers/1)")
    signers = [SeenSigner(**item) for item in items[:MAX_SEEN_ENTRIES]]
    return sorted(signers, key=lambda s: s.last_seen, reverse=True)


def record_seen(dsc: Cert, now: datetime | None = None) -> SeenSigner:
    """Count one read signed by ``dsc`` (the caller checked that its signature verified)."""
    now = now or datetime.now(UTC)
    directory = _private_dir()
    path = directory / SEEN_FILE
    try:
        signers = load_seen(path)
    except TrustError:
        if path.is_symlink():
            raise
        path.replace(path.with_suffix(".damaged"))  # keep it for the administrator
        signers = []
    stamp = now.isoformat(timespec="seconds")
    by_fp = {s.fingerprint: s for s in signers}
    old = by_fp.get(dsc.fingerprint)
    entry = SeenSigner(
        fingerprint=dsc.fingerprint,
        subject=dsc.subject.human_friendly,
        serial=f"{dsc.serial:X}",
        country=dsc.country or dsc.issuer_country or "",
        not_before=dsc.not_before.isoformat(),
        not_after=dsc.not_after.isoformat(),
        first_seen=old.first_seen if old else stamp,
        last_seen=stamp,
        count=(old.count if old else 0) + 1,
        der_b64=base64.b64encode(dsc.der).decode("ascii"),
    )
    by_fp[dsc.fingerprint] = entry
    kept = sorted(by_fp.values(), key=lambda s: s.last_seen, reverse=True)[:MAX_SEEN_ENTRIES]
    document = {"format": "cccd-seen-signers/1", "signers": [asdict(s) for s in kept]}
    _atomic_write(path, json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"))
    return entry
