"""The ``cccd-dump/1`` card dump: a directory of raw EF bytes plus ``card.json``.

A dump holds each elementary file exactly as read from the chip (hashes are computed over these
bytes, never a re-encoding). ``card.json`` carries the format tag and optionally the access data,
the card profile and a note. Only synthetic samples may carry private keys, and only in a
separate ``secrets.json`` so a real dump can never leak them by accident.

Dumps are untrusted input: names are checked against the known file set, sizes are bounded, and
nothing else (sub-directories, links, stray files) is accepted.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cccd_reader.errors import DumpError, OutputError
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
    except RecursionError:
        # 256 KiB of "[" nests deeper than the interpreter's stack allows
        raise DumpError(f"{path.name} is nested too deeply") from None
    except ValueError as exc:
        # JSONDecodeError, UnicodeDecodeError, and int() refusing thousands of digits
        # (sys.set_int_max_str_digits): all mean the same to the user
        raise DumpError(f"{path.name} is not valid UTF-8 JSON: {exc}") from None


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


#: Names a dump may hold: the only entries ``save(..., force=True)`` ever removes.
DUMP_NAMES = ALLOWED_NAMES | {CARD_JSON, SECRETS_JSON}
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
)


def _open_dump_dir(root: Path) -> tuple[int, bool]:
    """A descriptor of ``root`` (created 0700 when absent), never through a symlink.

    Every later write is relative to this descriptor, so a link swapped in for the directory
    (or planted inside it) is never followed."""
    created = False
    try:
        root.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            os.mkdir(root, 0o700)
            created = True
        except FileExistsError:
            pass
        fd = os.open(root, _DIR_FLAGS)
    except NotADirectoryError:
        # O_DIRECTORY|O_NOFOLLOW on a symlink fails with ENOTDIR on Linux, ELOOP elsewhere
        what = "a symbolic link: refusing to write through it" if root.is_symlink() else (
            "not a directory")
        raise OutputError(f"{root} is {what}", params={"path": str(root)}) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(f"{root} is a symbolic link: refusing to write through it",
                              params={"path": str(root)}) from None
        raise OutputError(f"cannot create the dump directory {root}: {exc.strerror}",
                          params={"path": str(root)}) from None
    if created:
        os.fchmod(fd, 0o700)  # whatever the umask: a dump is personal data
    return fd, created


def _clear(fd: int, root: Path, *, force: bool) -> None:
    """Refuse a non-empty directory, or with ``force`` remove the dump files in it (only)."""
    existing = sorted(os.listdir(fd))
    if not existing:
        return
    if not force:
        raise OutputError(
            f"{root} is not empty: choose a new directory, or --force to replace the dump in it",
            params={"path": str(root)},
        )
    strays = [name for name in existing if name not in DUMP_NAMES]
    if strays:
        raise OutputError(
            f"{root} holds {len(strays)} entries that are not dump files: refusing to write "
            "into it", params={"path": str(root)},
        )
    for name in existing:
        try:
            os.unlink(name, dir_fd=fd)  # unlink removes a symlink itself, never its target
        except OSError as exc:
            raise OutputError(f"cannot remove {name} from {root}: {exc.strerror}",
                              params={"path": str(root)}) from None


def _write_new(fd: int, root: Path, name: str, data: bytes) -> None:
    try:
        out = os.open(name, _FILE_FLAGS, 0o600, dir_fd=fd)
    except OSError as exc:
        raise OutputError(f"cannot create {name} in {root}: {exc.strerror}",
                          params={"path": str(root)}) from None
    try:
        os.fchmod(out, 0o600)
        view = memoryview(data)
        while view:
            view = view[os.write(out, view):]
    except OSError as exc:
        raise OutputError(f"cannot write {name} in {root}: {exc.strerror}",
                          params={"path": str(root)}) from None
    finally:
        os.close(out)


def save(
    dump: CardDump,
    path: str | os.PathLike[str],
    *,
    include_access: bool = False,
    force: bool = False,
) -> Path:
    """Write a dump. Access data is written only when asked: a dump of a real card with its
    MRZ beside it would be a ready-made key to the holder's chip.

    The files are personal data (DG1 is the MRZ, DG13 the personal number whose last digits
    are the CAN), so the directory is created 0700, every file 0600 and exclusively (no
    existing file or symlink is ever written through). A non-empty directory is refused, so
    files of another card are never left beside this one; ``force`` first removes the dump
    files (and only those) found there. Raises :class:`OutputError`.
    """
    for name in dump.files:
        if name not in ALLOWED_NAMES:
            raise DumpError(f"cannot save unknown file {name!r}")
    root = Path(path)
    fd, _ = _open_dump_dir(root)
    try:
        _clear(fd, root, force=force)
        for name, data in dump.files.items():
            _write_new(fd, root, name, data)
        meta: dict[str, Any] = {"format": FORMAT}
        if include_access:
            acc = {k: v for k, v in (("mrz", dump.access.mrz), ("can", dump.access.can)) if v}
            if acc:
                meta["access"] = acc
        if dump.profile:
            meta["profile"] = dump.profile
        if dump.note:
            meta["note"] = dump.note
        text = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
        _write_new(fd, root, CARD_JSON, text.encode("utf-8"))
        if dump.secrets:
            secrets = json.dumps(dump.secrets, indent=2, sort_keys=True) + "\n"
            _write_new(fd, root, SECRETS_JSON, secrets.encode("utf-8"))
    finally:
        os.close(fd)
    return root
