"""Declarative profiles of readers and card generations (``firmware_profiles/{readers,cards}/``).

Hardware differs in what it carries (extended APDUs, CCID message size) and in its quirks;
those facts live in data files with their sources, not in code. The reader path asks
:func:`reader_profile` for the limits of a PC/SC reader by name; unknown readers get safe
defaults (short APDUs). Files are validated strictly: a typo in a profile is an error, not a
silently ignored key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from cccd_reader import repo_data
from cccd_reader.errors import ParseError

#: ``firmware_profiles/`` of the checkout, or its copy the wheel carries in the package
#: (``cccd_reader/data/firmware_profiles``): :mod:`cccd_reader.repo_data` decides.
PROFILES_DIR = repo_data.data_path("firmware_profiles")
#: A CCID message carries a 10-byte header before the APDU.
CCID_HEADER = 10


class ProfileError(ParseError):
    """A profile file is malformed, or the profile directory is missing."""

    code: ClassVar[str] = "profile"


@dataclass(frozen=True)
class ReaderProfile:
    id: str
    name: str
    vendor: str
    match: tuple[str, ...]
    interface: str  # "contactless", "contact" or "dual"
    extended_apdu: bool
    max_ccid_message: int
    default_bitrate_kbps: int
    quirks: tuple[str, ...]
    sources: tuple[str, ...]
    contact_slot_pattern: str | None = None
    escape: dict[str, Any] = field(default_factory=dict)

    @property
    def max_apdu(self) -> int:
        """Largest command or response APDU (with SW) one CCID message holds."""
        return self.max_ccid_message - CCID_HEADER

    @property
    def max_response_data(self) -> int:
        return min(65536, self.max_apdu - 2)

    def matches(self, reader_name: str) -> bool:
        return any(re.search(p, reader_name, re.I) for p in self.match)

    def is_contact_slot(self, reader_name: str) -> bool:
        if self.interface == "contact":
            return True
        if self.interface == "contactless" or not self.contact_slot_pattern:
            return False
        return re.search(self.contact_slot_pattern, reader_name, re.I) is not None


@dataclass(frozen=True)
class CardProfile:
    id: str
    name: str
    country: str
    document: str
    protocols: tuple[str, ...]
    extended_length: bool
    max_read: int
    select_mf_supported: bool
    eof_sw: int
    files: tuple[str, ...]
    turnaround_ms: float
    per_byte_us: float
    sources: tuple[str, ...]
    chip_authentication: bool = False
    pace: tuple[str, ...] = ()
    typical_sizes: dict[str, int] = field(default_factory=dict)


#: What an unknown reader is assumed to do: short APDUs in a 271-byte message, as the most
#: limited common readers (ACR122U, Feitian R502) have.
DEFAULT_READER = ReaderProfile(
    id="unknown", name="unknown reader", vendor="", match=(), interface="contactless",
    extended_apdu=False, max_ccid_message=271, default_bitrate_kbps=106,
    quirks=("no profile: short APDUs only",), sources=(),
)

_READER_KEYS = {
    "name": str, "vendor": str, "match": list, "interface": str, "extended_apdu": bool,
    "max_ccid_message": int, "default_bitrate_kbps": int, "quirks": list, "sources": list,
    "contact_slot_pattern": str, "escape": dict,
}
_READER_REQUIRED = set(_READER_KEYS) - {"contact_slot_pattern", "escape"}
_CARD_KEYS = {
    "name": str, "country": str, "document": str, "protocols": list, "pace": list,
    "chip_authentication": bool, "extended_length": bool, "max_read": int,
    "select_mf_supported": bool, "eof_sw": str, "files": list, "typical_sizes": dict,
    "turnaround_ms": (int, float), "per_byte_us": (int, float), "sources": list,
}
_CARD_REQUIRED = set(_CARD_KEYS) - {"pace", "chip_authentication", "typical_sizes"}
_FILE_NAMES = {"EF.CardAccess", "EF.CardSecurity", "EF.COM", "EF.SOD"} | {
    f"DG{n}" for n in range(1, 17)
}


def _load(path: Path, keys: dict[str, Any], required: set[str]) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{path.name}: {exc}") from exc
    unknown = set(data) - set(keys)
    if unknown:
        raise ProfileError(f"{path.name}: unknown keys {sorted(unknown)}")
    missing = required - set(data)
    if missing:
        raise ProfileError(f"{path.name}: missing keys {sorted(missing)}")
    for key, typ in keys.items():
        if key in data and (not isinstance(data[key], typ) or (isinstance(data[key], bool)
                            and typ is not bool)):
            raise ProfileError(f"{path.name}: '{key}' has the wrong type")
    return data


def _strings(path: Path, key: str, values: list[Any]) -> tuple[str, ...]:
    if not all(isinstance(v, str) for v in values):
        raise ProfileError(f"{path.name}: '{key}' must be a list of strings")
    return tuple(values)


def load_reader_profile(path: Path) -> ReaderProfile:
    d = _load(path, _READER_KEYS, _READER_REQUIRED)
    if d["interface"] not in ("contactless", "contact", "dual"):
        raise ProfileError(f"{path.name}: interface must be contactless, contact or dual")
    if not 64 <= d["max_ccid_message"] <= 65550:
        raise ProfileError(f"{path.name}: max_ccid_message out of range")
    if d["default_bitrate_kbps"] not in (106, 212, 424, 848):
        raise ProfileError(f"{path.name}: bit rate must be 106, 212, 424 or 848")
    match = _strings(path, "match", d["match"])
    if not match:
        raise ProfileError(f"{path.name}: 'match' needs at least one pattern")
    for pattern in (*match, d.get("contact_slot_pattern") or ""):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ProfileError(f"{path.name}: bad pattern {pattern!r}: {exc}") from exc
    escape = dict(d.get("escape", {}))
    for k, v in escape.items():
        if k == "enabled":
            if not isinstance(v, bool):
                raise ProfileError(f"{path.name}: escape.enabled must be true/false")
        elif not (isinstance(v, str) and re.fullmatch(r"(?:[0-9A-Fa-f]{2})+", v)):
            raise ProfileError(f"{path.name}: escape.{k} must be hex bytes")
    return ReaderProfile(
        id=path.stem, name=d["name"], vendor=d["vendor"], match=match,
        interface=d["interface"], extended_apdu=d["extended_apdu"],
        max_ccid_message=d["max_ccid_message"],
        default_bitrate_kbps=d["default_bitrate_kbps"],
        quirks=_strings(path, "quirks", d["quirks"]),
        sources=_strings(path, "sources", d["sources"]),
        contact_slot_pattern=d.get("contact_slot_pattern"), escape=escape,
    )


def load_card_profile(path: Path) -> CardProfile:
    d = _load(path, _CARD_KEYS, _CARD_REQUIRED)
    protocols = _strings(path, "protocols", d["protocols"])
    if not protocols or not set(protocols) <= {"PACE", "BAC"}:
        raise ProfileError(f"{path.name}: protocols must be a non-empty subset of PACE, BAC")
    files = _strings(path, "files", d["files"])
    if not set(files) <= _FILE_NAMES:
        raise ProfileError(f"{path.name}: unknown files {sorted(set(files) - _FILE_NAMES)}")
    if not re.fullmatch(r"[0-9A-Fa-f]{4}", d["eof_sw"]):
        raise ProfileError(f"{path.name}: eof_sw must be 4 hex digits")
    if not 1 <= d["max_read"] <= 65536:
        raise ProfileError(f"{path.name}: max_read out of range")
    sizes = d.get("typical_sizes", {})
    if not all(k in _FILE_NAMES and isinstance(v, int) and v > 0 for k, v in sizes.items()):
        raise ProfileError(f"{path.name}: typical_sizes maps file names to sizes")
    return CardProfile(
        id=path.stem, name=d["name"], country=d["country"], document=d["document"],
        protocols=protocols, extended_length=d["extended_length"], max_read=d["max_read"],
        select_mf_supported=d["select_mf_supported"], eof_sw=int(d["eof_sw"], 16),
        files=files, turnaround_ms=float(d["turnaround_ms"]),
        per_byte_us=float(d["per_byte_us"]), sources=_strings(path, "sources", d["sources"]),
        chip_authentication=d.get("chip_authentication", False),
        pace=_strings(path, "pace", d.get("pace", [])), typical_sizes=dict(sizes),
    )


def _profile_files(directory: Path, kind: str) -> list[Path]:
    """The ``*.toml`` of ``directory``; a missing directory is an error naming it.

    Returning nothing would quietly give every reader short APDUs and every virtual chip the
    permissive default: the symptom of a package installed without its data, which must be
    loud.
    """
    if not directory.is_dir():
        raise ProfileError(f"the {kind} profile directory {directory} is missing",
                           params={"path": str(directory)})
    return sorted(directory.glob("*.toml"))


@cache
def reader_profiles(directory: Path = PROFILES_DIR / "readers") -> tuple[ReaderProfile, ...]:
    return tuple(load_reader_profile(p) for p in _profile_files(directory, "reader"))


@cache
def card_profiles(directory: Path = PROFILES_DIR / "cards") -> dict[str, CardProfile]:
    return {p.stem: load_card_profile(p) for p in _profile_files(directory, "card")}


def reader_profile(reader_name: str) -> ReaderProfile:
    """The profile whose pattern matches the PC/SC name, else :data:`DEFAULT_READER`."""
    for profile in reader_profiles():
        if profile.matches(reader_name):
            return profile
    return DEFAULT_READER
