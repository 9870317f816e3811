"""On-disk cache of the index keys of large trust files (master lists, PEM bundles).

Reading a certificate's index keys from its DER headers costs ~70 µs; a cold ``cccd verify``
with the German and Dutch master lists spends most of its trust loading there. The keys depend
only on the file's bytes, so they are cached under the SHA-256 of the file, in the user cache
directory (platformdirs; ``CCCD_CACHE_DIR`` overrides it, ``CCCD_TRUST_CACHE=0`` disables it).

Only public data is stored (key identifiers, names, serial numbers, fingerprints of public
certificates), as JSON, never pickle. The cache is not trusted: a file is read only if it is a
regular file (not a symlink) under :data:`MAX_CACHE_BYTES`, of this format, for the same
content hash and number of certificates; each entry's fingerprint must be the SHA-256 of the
certificate bytes it describes (taken from the trust file itself, never from the cache) and
its names must occur in them. Anything else and the keys are recomputed and the cache file
rewritten. A forged cache can at worst hide a certificate (the chain is then not found); it
cannot make one trusted, because every trust decision is taken on the parsed certificate.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import platformdirs

from cccd_reader.pki.trust.index import CertKeys, IndexKeyError, cert_keys

FORMAT = "cccd-trust-index/1"
MAX_CACHE_BYTES = 32 * 1024 * 1024
#: Smaller files are indexed faster than a cache file is read.
MIN_CERTIFICATES = 50

#: (keys, None) or (None, why the certificate is unreadable), one per certificate.
Keyed = tuple[CertKeys | None, str | None]


def cache_dir() -> Path | None:
    if os.environ.get("CCCD_TRUST_CACHE") == "0":
        return None
    override = os.environ.get("CCCD_CACHE_DIR")
    base = Path(override) if override else Path(
        platformdirs.user_cache_dir("cccd-reader", appauthor=False)
    )
    return base / "trust-index"


def _compute(ders: list[bytes]) -> list[Keyed]:
    out: list[Keyed] = []
    for der in ders:
        try:
            out.append((cert_keys(der), None))
        except IndexKeyError as exc:
            out.append((None, str(exc)))
    return out


def keys_for(content_sha256: str, ders: list[bytes]) -> list[Keyed]:
    """Index keys of ``ders`` (the certificates of the file whose SHA-256 is given)."""
    directory = cache_dir()
    if directory is None or len(ders) < MIN_CERTIFICATES:
        return _compute(ders)
    path = directory / f"{content_sha256}.json"
    cached = _read(path, content_sha256, ders)
    if cached is not None:
        return cached
    keyed = _compute(ders)
    try:
        _write(directory, path, content_sha256, keyed)
    except OSError:
        pass  # a read-only or full cache directory only costs speed
    return keyed


def _read(path: Path, content_sha256: str, ders: list[bytes]) -> list[Keyed] | None:
    try:
        st = path.lstat()
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CACHE_BYTES:
            return None
        with path.open("rb") as handle:
            document = json.loads(handle.read(MAX_CACHE_BYTES + 1))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return None
    entries = document.get("entries")
    if document.get("sha256") != content_sha256 or not isinstance(entries, list):
        return None
    if len(entries) != len(ders):
        return None
    out: list[Keyed] = []
    for entry, der in zip(entries, ders, strict=True):
        keyed = _entry(entry, der)
        if keyed is None:
            return None
        out.append(keyed)
    return out


def _entry(entry: Any, der: bytes) -> Keyed | None:
    """One validated cache entry for ``der`` (None: invalid, recompute everything)."""
    if isinstance(entry, str):
        return (None, entry[:200])
    if not isinstance(entry, list) or len(entry) != 6:
        return None
    fingerprint, subject, issuer, countries, serial, ski = entry
    try:
        if fingerprint != hashlib.sha256(der).hexdigest():
            return None
        subject_der, issuer_der = bytes.fromhex(subject), bytes.fromhex(issuer)
        ski_der = None if ski is None else bytes.fromhex(ski)
    except (TypeError, ValueError):
        return None
    if subject_der not in der or issuer_der not in der or not isinstance(serial, int):
        return None
    if ski_der is not None and (ski_der not in der or len(ski_der) > 64):
        return None
    if not isinstance(countries, list) or len(countries) > 8 or not all(
        isinstance(c, str) and len(c) <= 8 for c in countries
    ):
        return None
    return (CertKeys(fingerprint, subject_der, issuer_der, tuple(countries), serial, ski_der),
            None)


def _write(directory: Path, path: Path, content_sha256: str, keyed: list[Keyed]) -> None:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    entries: list[Any] = []
    for keys, error in keyed:
        if keys is None:
            entries.append(error or "unreadable")
        else:
            entries.append([keys.fingerprint, keys.subject.hex(), keys.issuer.hex(),
                            list(keys.countries), keys.serial,
                            None if keys.ski is None else keys.ski.hex()])
    data = json.dumps({"format": FORMAT, "sha256": content_sha256, "entries": entries},
                      separators=(",", ":")).encode("ascii")
    if path.is_symlink():
        path.unlink()
    fd, tmp = tempfile.mkstemp(prefix=".index.", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
