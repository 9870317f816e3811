"""Evidence packages to and from JSON: bounded, strict, self-contained, written 0600.

A package reaches a bank's server from a counter PC the server does not control, so loading
treats it as hostile: the size is capped before parsing, the JSON nesting is measured before
``json`` recurses into it, duplicate keys and non-finite numbers are refused, every binary
field is strict base64 with its own cap, and any key this version does not define is refused
(a later version of the format is refused as such, not half-read). Nothing in a package may
name a file, a path or a URL: a package that points outside itself is refused with
``reason="file_reference"``. Each refusal is one :class:`EvidenceError`, never a traceback.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import re
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from cccd_reader.checks import STATUSES
from cccd_reader.evidence.model import (
    AA_NOTES,
    EAC_FILES,
    FACE_ATTESTATION,
    FACE_BANDS,
    FACE_NOTE,
    FORMAT,
    LIVE_IMAGE_TYPES,
    PACKAGE_FILES,
    ActiveAuthEvidence,
    EvidenceError,
    EvidencePackage,
    FaceEvidence,
    LiveImage,
    Producer,
    checks_from_json,
)
from cccd_reader.private_files import write_private

#: A whole package: the files of a chip are tens of KiB; a live image up to 4 MiB, in base64.
MAX_PACKAGE_BYTES: Final = 8 * 1024 * 1024
#: Nesting of objects and arrays; the deepest the format needs is 5 (face.model's values).
MAX_DEPTH: Final = 8
#: Objects and arrays in the whole document (a package has a few hundred).
MAX_CONTAINERS: Final = 4096
MAX_FILE_BYTES: Final = 1024 * 1024
MAX_DSC_BYTES: Final = 16 * 1024
MAX_CHALLENGE_BYTES: Final = 64
MAX_SIGNATURE_BYTES: Final = 1024
MAX_LIVE_IMAGE_BYTES: Final = 4 * 1024 * 1024
MAX_CHECKS: Final = 256
MAX_TEXT: Final = 4096
MAX_ENTRIES: Final = 64

_TOP_KEYS: Final = frozenset({
    "format", "created_at", "read_at", "producer", "files", "dsc", "absent",
    "counter_verification", "active_authentication", "face", "live_image", "notes",
})
#: Keys that would make a package refer to something outside itself, wherever they appear.
_REFERENCE_KEYS: Final = frozenset({
    "path", "file", "filename", "files_dir", "dir", "directory", "href", "uri", "url", "$ref",
    "src", "location", "include",
})
_REFERENCE_TEXT = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://|file:|[A-Za-z]:[\\/]|\\\\|~[\\/]|\.{1,2}[\\/])|[\\/]\.\.(?:[\\/]|$)"
    r"|^/[\w.-]+/", re.IGNORECASE)
#: A JSON string, or an unterminated one up to the end: it always matches from an opening quote,
#: so the scan never restarts inside a string (linear, even on hostile input), and the two
#: inner alternatives share no character (no backtracking).
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_ABSENT_REASONS: Final = frozenset({"not_read", "eac_protected", "missing"})
_PRODUCER_COMPONENTS: Final = frozenset({"cli", "agent", "app", "library"})

#: Said in every package, so a reader of the JSON alone knows what it is and is not.
NOTES: Final = (
    "The files are the chip's bytes as read; a server re-proves them with passive "
    "authentication (cccd evidence verify) against its own trust anchors.",
    "The chip portrait travels inside DG2, which passive authentication needs.",
    "Everything outside 'files', 'dsc' and the Active Authentication signature is the "
    "counter software's word (verdict, times, face comparison), not attested.",
    "No online check with the Ministry of Public Security's service was made by this "
    "software; a bank makes its own.",
)


# --- writing ---------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def to_json(package: EvidencePackage) -> dict[str, Any]:
    """The package as a JSON-ready dict (the layout ``docs/evidence.schema.json`` describes)."""
    aa = package.active_auth
    face = package.face
    return {
        "format": FORMAT,
        "created_at": _iso(package.created_at),
        "read_at": _iso(package.read_at),
        "producer": {"software": package.producer.software, "version": package.producer.version,
                     "component": package.producer.component},
        "files": {name: _b64(data) for name, data in sorted(package.files.items())},
        "dsc": _b64(package.dsc) if package.dsc is not None else None,
        "absent": dict(sorted(package.absent.items())),
        "counter_verification": {
            "verdict": package.counter_verdict,
            "checks": [c.to_json() for c in package.counter_checks],
        },
        "active_authentication": {
            "reason": aa.reason,
            "note": aa.note,
            "challenge": _b64(aa.challenge) if aa.challenge is not None else None,
            "signature": _b64(aa.signature) if aa.signature is not None else None,
            "counter_status": aa.counter_status,
        },
        "face": None if face is None else {
            "attestation": FACE_ATTESTATION,
            "note": FACE_NOTE,
            "score": face.score,
            "band": face.band,
            "thresholds": face.thresholds,
            "model": face.model,
            "quality": face.quality,
            "refused": dict(face.refused) if face.refused is not None else None,
            "computed_at": _iso(face.computed_at),
        },
        "live_image": None if package.live_image is None else {
            "consent": True,
            "mime": package.live_image.mime,
            "data": _b64(package.live_image.data),
        },
        "notes": list(NOTES),
    }


def dumps(package: EvidencePackage) -> bytes:
    """The package as UTF-8 JSON; refused when it would not load again (over a cap)."""
    text = json.dumps(to_json(package), ensure_ascii=False, indent=2) + "\n"
    data = text.encode("utf-8")
    loads(data)  # the same bounds a server applies: never write what cannot be read back
    return data


def save(package: EvidencePackage, path: str | os.PathLike[str], *,
         overwrite: bool = False) -> Path:
    """Write the package 0600, never through a symbolic link; an existing file is refused
    unless ``overwrite``. Raises :class:`OutputError`."""
    return write_private(path, dumps(package), force=overwrite)


# --- reading ---------------------------------------------------------------------------------


def load(path: str | os.PathLike[str]) -> EvidencePackage:
    """Read a package file (a regular file, not a link, at most MAX_PACKAGE_BYTES)."""
    source = Path(path)
    try:
        st = source.lstat()
    except OSError as exc:
        raise EvidenceError("unreadable", f"cannot read {source.name}: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise EvidenceError("unreadable", f"{source.name} is not a regular file")
    if st.st_size > MAX_PACKAGE_BYTES:
        raise EvidenceError("too_large", f"the package is {st.st_size} bytes, more than "
                            f"{MAX_PACKAGE_BYTES}", limit=str(MAX_PACKAGE_BYTES))
    try:
        with source.open("rb") as fh:
            raw = fh.read(MAX_PACKAGE_BYTES + 1)
    except OSError as exc:
        raise EvidenceError("unreadable", f"cannot read {source.name}: {exc.strerror}") from None
    return loads(raw)


def loads(raw: bytes) -> EvidencePackage:
    """Parse and validate a package from bytes (what a server receives over HTTP)."""
    if len(raw) > MAX_PACKAGE_BYTES:
        raise EvidenceError("too_large", f"the package is more than {MAX_PACKAGE_BYTES} bytes",
                            limit=str(MAX_PACKAGE_BYTES))
    _check_nesting(raw)
    try:
        doc = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates,
                         parse_constant=_no_constant)
    except EvidenceError:
        raise
    except RecursionError:
        raise EvidenceError("too_deep", "the package is nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, oversized integers
        raise EvidenceError("not_json", f"the package is not UTF-8 JSON: {exc}") from None
    _refuse_references(doc, "")
    return _package(doc)


def _check_nesting(raw: bytes) -> None:
    """Measure the nesting before ``json`` recurses: strings are blanked, then brackets
    counted; stops at the first level past MAX_DEPTH."""
    brackets = _JSON_STRING.sub(b'""', raw).translate(None, _NOT_BRACKETS)
    depth = 0
    for byte in brackets[: 2 * MAX_CONTAINERS + 1]:
        if byte in b"[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise EvidenceError("too_deep", f"the package nests JSON deeper than "
                                    f"{MAX_DEPTH} levels", limit=str(MAX_DEPTH))
        else:
            depth -= 1
    if len(brackets) > 2 * MAX_CONTAINERS:
        raise EvidenceError("too_large", f"the package holds more than {MAX_CONTAINERS} JSON "
                            "objects and arrays", limit=str(MAX_CONTAINERS))


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise EvidenceError("duplicate_key", f"the key {key[:64]!r} appears twice in one "
                                "object: the package is ambiguous", key=key[:64])
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise EvidenceError("not_json", f"{name} is not a JSON number")


def _refuse_references(node: Any, where: str) -> None:
    """No key anywhere may name a file or a URL (depth is already bounded)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.lower() in _REFERENCE_KEYS or _REFERENCE_TEXT.search(key):
                raise EvidenceError("file_reference", f"{where or 'the package'} refers to "
                                    f"something outside it ({key[:64]!r}): a package must be "
                                    "self-contained", field=f"{where}{key}"[:128])
            _refuse_references(value, f"{where}{key}.")
    elif isinstance(node, list):
        for item in node:
            _refuse_references(item, where)


# --- validation ------------------------------------------------------------------------------


def _obj(value: Any, where: str, keys: frozenset[str] | None = None,
         required: frozenset[str] = frozenset()) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise EvidenceError("field", f"{where} must be an object", field=where)
    if keys is not None:
        unknown = sorted(set(value) - keys)
        if unknown:
            raise EvidenceError("unknown_key", f"{where}: unknown key {unknown[0][:64]!r} (this "
                                f"program reads {FORMAT})", field=where)
    missing = sorted(required - set(value))
    if missing:
        raise EvidenceError("field", f"{where}: '{missing[0]}' is required", field=where)
    return value


def _text(value: Any, where: str, *, optional: bool = False, limit: int = MAX_TEXT) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise EvidenceError("field", f"{where} must be a string of at most {limit} characters",
                            field=where)
    return value


def _binary(value: Any, where: str, limit: int, *, optional: bool = False) -> bytes | None:
    """Strict base64 of at most ``limit`` bytes; a path or URL instead is a file reference."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise EvidenceError("field", f"{where} must be base64 text", field=where)
    if len(value) > 4 * ((limit + 2) // 3):
        raise EvidenceError("too_large", f"{where} is more than {limit} bytes", field=where,
                            limit=str(limit))
    try:
        data = binascii.a2b_base64(value.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        if _REFERENCE_TEXT.search(value) or value.startswith("/"):
            raise EvidenceError("file_reference", f"{where} names a file or URL instead of "
                                "holding the bytes: a package must be self-contained",
                                field=where) from None
        raise EvidenceError("field", f"{where} is not strict base64", field=where) from None
    if len(data) > limit:
        raise EvidenceError("too_large", f"{where} is more than {limit} bytes", field=where,
                            limit=str(limit))
    if not data and not optional:
        raise EvidenceError("field", f"{where} is empty", field=where)
    return data


def _time(value: Any, where: str, *, optional: bool = False) -> datetime | None:
    if value is None and optional:
        return None
    text = _text(value, where, limit=64)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise EvidenceError("field", f"{where} must be an ISO 8601 time", field=where) from None
    if parsed.tzinfo is None:
        raise EvidenceError("field", f"{where} must carry its time zone (Z)", field=where)
    return parsed


def _plain(value: Any, where: str) -> Any:
    """A bounded JSON value of the face module's own (model ids, quality measures)."""
    if isinstance(value, dict):
        if len(value) > MAX_ENTRIES:
            raise EvidenceError("too_large", f"{where} has more than {MAX_ENTRIES} entries",
                                field=where)
        return {_text(k, where, limit=128): _plain(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        if len(value) > MAX_ENTRIES:
            raise EvidenceError("too_large", f"{where} has more than {MAX_ENTRIES} items",
                                field=where)
        return [_plain(v, where) for v in value]
    if isinstance(value, str):
        return _text(value, where, limit=512)
    if isinstance(value, float) and not math.isfinite(value):
        raise EvidenceError("field", f"{where} holds a number out of range", field=where)
    if value is None or isinstance(value, bool | int | float):
        return value
    raise EvidenceError("field", f"{where} holds an unexpected value", field=where)


def _number(value: Any, where: str, *, optional: bool = False) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise EvidenceError("field", f"{where} must be a finite number", field=where)
    return float(value)


def _package(doc: Any) -> EvidencePackage:
    top = _obj(doc, "the package")
    fmt = top.get("format")
    if fmt != FORMAT:
        if isinstance(fmt, str) and fmt.startswith("cccd-evidence/"):
            raise EvidenceError("format", f"the package is {fmt[:40]}; this program reads "
                                f"{FORMAT} only", format=fmt[:40])
        raise EvidenceError("format", f"not an evidence package (format must be {FORMAT})")
    top = _obj(doc, "the package", _TOP_KEYS, frozenset(
        {"created_at", "producer", "files", "active_authentication", "counter_verification"}))
    producer = _obj(top["producer"], "producer", frozenset({"software", "version", "component"}),
                    frozenset({"software", "version", "component"}))
    component = _text(producer["component"], "producer.component", limit=16)
    if component not in _PRODUCER_COMPONENTS:
        raise EvidenceError("field", f"producer.component must be one of "
                            f"{', '.join(sorted(_PRODUCER_COMPONENTS))}", field="producer")
    files_obj = _obj(top["files"], "files")
    files: dict[str, bytes] = {}
    total = 0
    for name, value in files_obj.items():
        if name not in PACKAGE_FILES or name in EAC_FILES:
            raise EvidenceError("unknown_key", f"files: {name[:32]!r} is not a file a package "
                                "carries", field="files")
        data = _binary(value, f"files.{name}", MAX_FILE_BYTES)
        assert data is not None
        total += len(data)
        files[name] = data
    if total > 4 * MAX_FILE_BYTES:
        raise EvidenceError("too_large", "the files exceed 4 MiB together", field="files")
    absent_obj = _obj(top.get("absent") or {}, "absent")
    absent: dict[str, str] = {}
    for name, why in absent_obj.items():
        if name not in PACKAGE_FILES or why not in _ABSENT_REASONS:
            raise EvidenceError("field", "absent maps file names to not_read, eac_protected "
                                "or missing", field="absent")
        absent[name] = why
    counter = _obj(top["counter_verification"], "counter_verification",
                   frozenset({"verdict", "checks"}), frozenset({"verdict", "checks"}))
    verdict = _text(counter["verdict"], "counter_verification.verdict", optional=True,
                    limit=32)
    checks_raw = counter["checks"]
    if not isinstance(checks_raw, list) or len(checks_raw) > MAX_CHECKS:
        raise EvidenceError("field", f"counter_verification.checks must be a list of at most "
                            f"{MAX_CHECKS}", field="counter_verification")
    keys = frozenset({"name", "status", "detail", "required", "code", "params"})
    for item in checks_raw:
        check = _obj(item, "counter_verification.checks[]", keys, keys)
        for key in ("name", "detail", "code"):
            _text(check[key], f"counter_verification.checks[].{key}")
        if check["status"] not in STATUSES or not isinstance(check["required"], bool):
            raise EvidenceError("field", "counter_verification.checks[]: bad status or "
                                "required", field="counter_verification")
        params = _obj(check["params"], "counter_verification.checks[].params")
        if len(params) > MAX_ENTRIES:
            raise EvidenceError("too_large", "a counter check has too many params",
                                field="counter_verification")
        for value in params.values():
            _text(value, "counter_verification.checks[].params")
    aa_obj = _obj(top["active_authentication"], "active_authentication",
                  frozenset({"reason", "note", "challenge", "signature", "counter_status"}),
                  frozenset({"reason"}))
    reason = aa_obj["reason"]
    if reason not in AA_NOTES:
        raise EvidenceError("field", "active_authentication.reason is not one this version "
                            "knows", field="active_authentication")
    _text(aa_obj.get("note"), "active_authentication.note", optional=True)
    active_auth = ActiveAuthEvidence(
        reason=reason,
        challenge=_binary(aa_obj.get("challenge"), "active_authentication.challenge",
                          MAX_CHALLENGE_BYTES, optional=True),
        signature=_binary(aa_obj.get("signature"), "active_authentication.signature",
                          MAX_SIGNATURE_BYTES, optional=True),
        counter_status=_text(aa_obj.get("counter_status"), "active_authentication."
                             "counter_status", optional=True, limit=16),
    )
    face = _face(top.get("face"))
    live = _live_image(top.get("live_image"))
    notes = top.get("notes") or []
    if not isinstance(notes, list) or len(notes) > 16:
        raise EvidenceError("field", "notes must be a short list of strings", field="notes")
    for note in notes:  # explanations for a human reader: checked for shape, then ignored
        _text(note, "notes[]")
    return EvidencePackage(
        files=files,
        dsc=_binary(top.get("dsc"), "dsc", MAX_DSC_BYTES, optional=True),
        counter_verdict=verdict,
        counter_checks=checks_from_json(checks_raw),
        active_auth=active_auth,
        producer=Producer(_text(producer["software"], "producer.software", limit=64),
                          _text(producer["version"], "producer.version", limit=64), component),
        created_at=_created(top["created_at"]),
        read_at=_time(top.get("read_at"), "read_at", optional=True),
        face=face,
        live_image=live,
        absent=absent,
    )


def _created(value: Any) -> datetime:
    parsed = _time(value, "created_at")
    assert parsed is not None
    return parsed


def _face(value: Any) -> FaceEvidence | None:
    if value is None:
        return None
    keys = frozenset({"attestation", "note", "score", "band", "thresholds", "model", "quality",
                      "refused", "computed_at"})
    face = _obj(value, "face", keys, frozenset({"attestation", "score", "band"}))
    if face["attestation"] != FACE_ATTESTATION:
        raise EvidenceError("field", f"face.attestation must be {FACE_ATTESTATION!r}: nothing "
                            "computed on a counter PC is attested", field="face")
    _text(face.get("note"), "face.note", optional=True)
    band = face["band"]
    if band is not None and band not in FACE_BANDS:
        raise EvidenceError("field", f"face.band must be one of {', '.join(FACE_BANDS)}",
                            field="face")
    refused_raw = face.get("refused")
    refused: dict[str, str] | None = None
    if refused_raw is not None:
        refused_obj = _obj(refused_raw, "face.refused", frozenset({"code", "side"}),
                           frozenset({"code"}))
        refused = {k: _text(v, f"face.refused.{k}", limit=64) for k, v in refused_obj.items()}
    return FaceEvidence(
        score=_number(face["score"], "face.score", optional=True),
        band=band,
        thresholds=_plain(face.get("thresholds") or {}, "face.thresholds"),
        model=_plain(face.get("model") or {}, "face.model"),
        quality=_plain(face.get("quality") or {}, "face.quality"),
        refused=refused,
        computed_at=_time(face.get("computed_at"), "face.computed_at", optional=True),
    )


def _live_image(value: Any) -> LiveImage | None:
    if value is None:
        return None
    live = _obj(value, "live_image", frozenset({"consent", "mime", "data"}),
                frozenset({"consent", "mime", "data"}))
    if live["consent"] is not True:
        raise EvidenceError("no_consent", "live_image without consent: true is refused",
                            field="live_image")
    mime = _text(live["mime"], "live_image.mime", limit=32)
    if mime not in LIVE_IMAGE_TYPES:
        raise EvidenceError("field", "live_image.mime must be image/jpeg or image/png",
                            field="live_image")
    data = _binary(live["data"], "live_image.data", MAX_LIVE_IMAGE_BYTES)
    assert data is not None
    return LiveImage(mime, data, True)


__all__ = ["MAX_DEPTH", "MAX_PACKAGE_BYTES", "NOTES", "dumps", "load", "loads", "save",
           "to_json"]
