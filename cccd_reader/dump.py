"""The ``cccd-dump/1`` card dump: a directory of raw EF bytes plus ``card.json``.

A dump holds each elementary file exactly as read from the chip (hashes are computed over these
bytes, never a re-encoding). ``card.json`` carries the format tag and optionally the access data,
the card profile and a note. Only synthetic samples may carry private keys, and only in a
separate ``secrets.json`` so a real dump can never leak them by accident.

Dumps are untrusted input: names are checked against the known file set, sizes are bounded, and
nothing else (sub-directories, links, stray files) is accepted.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cccd_reader.errors import DumpError
from cccd_reader.lds.files import FILES

FORMAT = "cccd-dump/1"
CARD_JSON = "card.json"
SECRETS_JSON = "secrets.json"
MAX_FILE_BYTES = 1024 * 1024
MAX_JSON_BYTES = 256 * 1024
MAX_TOTAL_BYTES = 16 * 1024 * 1024
ALLOWED_NAMES = frozenset(FILES)
_CARD_KEYS = frozenset({"format", "access", "profile", "note"})
_ACCESS_KEYS = frozenset({"mrz", "can"})


@dataclass
class AccessData:
    """The access key a dump may carry (synthetic samples); masked in ``repr``."""

    mrz: str | None = field(default=None, repr=False)
    can: str | None = field(default=None, repr=False)


@dataclass
class CardDump:
    """The raw files of a ``cccd-dump/1``; ``repr`` shows file names, never their bytes."""

    files: dict[str, bytes] = field(repr=False)
    access: AccessData = field(default_factory=AccessData, repr=False)
    profile: str | None = None
    note: str | None = None
    #: Private keys of synthetic samples (e.g. ``active_auth_private_key`` as PEM); never real.
    secrets: dict[str, str] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return f"CardDump(files={sorted(self.files)}, profile={self.profile!r}, note={self.note!r})"


def _read_bounded(path: Path, limit: int) -> bytes:
    try:
        st = path.lstat()
    except OSError as exc:
        raise DumpError(f"cannot read {path.name}: {exc.strerror}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise DumpError(f"{path.name} is not a regular file")
    if st.st_size > limit:
        raise DumpError(f"{path.name} is {st.st_size} bytes, more than the limit of {limit}")
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise DumpError(f"{path.name} grew beyond the limit of {limit} bytes")
    return data


def _load_json(path: Path) -> Any:
    raw = _read_bounded(path, MAX_JSON_BYTES)
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DumpError(f"{path.name} is not valid UTF-8 JSON: {exc}") from exc


def _opt_str(obj: dict[str, Any], key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise DumpError(f"{where}: '{key}' must be a string")
    return value


def load(path: str | os.PathLike[str]) -> CardDump:
    """Load and validate a dump directory."""
    root = Path(path)
    if not root.is_dir():
        raise DumpError(f"{root} is not a directory")
    card_path = root / CARD_JSON
    if not card_path.exists():
        raise DumpError(f"{root} has no {CARD_JSON}: not a {FORMAT} dump")
    meta = _load_json(card_path)
    if not isinstance(meta, dict):
        raise DumpError(f"{CARD_JSON} must hold a JSON object")
    if meta.get("format") != FORMAT:
        raise DumpError(f"{CARD_JSON}: format is {meta.get('format')!r}, expected {FORMAT!r}")
    unknown = set(meta) - _CARD_KEYS
    if unknown:
        raise DumpError(f"{CARD_JSON}: unknown keys {sorted(unknown)}")
    access_obj = meta.get("access") or {}
    if not isinstance(access_obj, dict) or set(access_obj) - _ACCESS_KEYS:
        raise DumpError(f"{CARD_JSON}: 'access' must be an object with 'mrz' and/or 'can'")
    access = AccessData(
        mrz=_opt_str(access_obj, "mrz", "access"), can=_opt_str(access_obj, "can", "access")
    )
    files: dict[str, bytes] = {}
    total = 0
    secrets: dict[str, str] = {}
    for entry in sorted(root.iterdir()):
        name = entry.name
        if name == CARD_JSON:
            continue
        if name == SECRETS_JSON:
            obj = _load_json(entry)
            if not isinstance(obj, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in obj.items()
            ):
                raise DumpError(f"{SECRETS_JSON} must map names to strings")
            secrets = obj
            continue
        if name not in ALLOWED_NAMES:
            raise DumpError(f"unexpected entry {name!r} in the dump (allowed: EF.COM, DG1..DG16 …)")
        data = _read_bounded(entry, MAX_FILE_BYTES)
        if not data:
            raise DumpError(f"{name} is empty")
        total += len(data)
        if total > MAX_TOTAL_BYTES:
            raise DumpError(f"the dump exceeds {MAX_TOTAL_BYTES} bytes in total")
        files[name] = data
    if not files:
        raise DumpError(f"{root} holds no card files")
    return CardDump(
        files=files,
        access=access,
        profile=_opt_str(meta, "profile", CARD_JSON),
        note=_opt_str(meta, "note", CARD_JSON),
        secrets=secrets,
    )


def save(dump: CardDump, path: str | os.PathLike[str], *, include_access: bool = False) -> Path:
    """Write a dump. Access data is written only when asked: a dump of a real card with its
    MRZ beside it would be a ready-made key to the holder's chip."""
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        existing = {p.name for p in root.iterdir()}
        if not existing <= ALLOWED_NAMES | {CARD_JSON, SECRETS_JSON}:
            raise DumpError(f"{root} is not empty and not a dump: refusing to write into it")
    for name, data in dump.files.items():
        if name not in ALLOWED_NAMES:
            raise DumpError(f"cannot save unknown file {name!r}")
        (root / name).write_bytes(data)
    meta: dict[str, Any] = {"format": FORMAT}
    if include_access:
        acc = {k: v for k, v in (("mrz", dump.access.mrz), ("can", dump.access.can)) if v}
        if acc:
            meta["access"] = acc
    if dump.profile:
        meta["profile"] = dump.profile
    if dump.note:
        meta["note"] = dump.note
    (root / CARD_JSON).write_text(
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    if dump.secrets:
        (root / SECRETS_JSON).write_text(
            json.dumps(dump.secrets, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
    return root
