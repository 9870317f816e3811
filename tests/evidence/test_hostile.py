"""Hostile packages: each ends in one clean EvidenceError (and exit 5 from the CLI), within
bounded time, never a traceback or a read outside the package."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cccd_reader import evidence
from cccd_reader.cli import main
from cccd_reader.evidence import codec
from tests.evidence.support import PKI, package


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return evidence.to_json(package())


def _raw(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc).encode("utf-8")


def _refused(raw: bytes, reason: str) -> evidence.EvidenceError:
    start = time.perf_counter()
    with pytest.raises(evidence.EvidenceError) as info:
        evidence.loads(raw)
    assert time.perf_counter() - start < 2.0
    assert info.value.reason == reason, str(info.value)
    assert info.value.code == "evidence" and info.value.params["reason"] == reason
    return info.value


def _edit(doc: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> bytes:
    copy = json.loads(json.dumps(doc))
    change(copy)
    return _raw(copy)


def test_the_untouched_package_loads(doc: dict[str, Any]) -> None:
    assert evidence.loads(_raw(doc)).files


def test_deeply_nested_json_is_refused_before_parsing() -> None:
    _refused(b"[" * 100_000 + b"]" * 100_000, "too_deep")
    _refused(b'{"format": "cccd-evidence/1", "face": ' + b'{"a": ' * 9 + b"1" + b"}" * 10,
             "too_deep")


def test_nesting_inside_strings_does_not_count(doc: dict[str, Any]) -> None:
    def note(d: dict[str, Any]) -> None:
        d["notes"] = ["[[[[[[[[[[[[{{{{{{{{{{ \\\" ]]]"]
    assert evidence.loads(_edit(doc, note)).files


def test_huge_json_is_refused_by_size(tmp_path: Path) -> None:
    huge = b'{"format": "cccd-evidence/1", "notes": ["' + b"x" * codec.MAX_PACKAGE_BYTES + b'"]}'
    _refused(huge, "too_large")
    path = tmp_path / "huge.json"
    path.write_bytes(huge)
    with pytest.raises(evidence.EvidenceError) as info:
        evidence.load(path)
    assert info.value.reason == "too_large"


def test_too_many_containers_is_refused() -> None:
    _refused(b"[" + b"[]," * 5000 + b"[]]", "too_large")


def test_oversized_fields_are_refused(doc: dict[str, Any]) -> None:
    big = base64.b64encode(b"\x75" * (codec.MAX_FILE_BYTES + 1)).decode()
    error = _refused(_edit(doc, lambda d: d["files"].__setitem__("DG2", big)), "too_large")
    assert error.params["field"] == "files.DG2"
    sig = base64.b64encode(b"\x01" * 2048).decode()
    _refused(_edit(doc, lambda d: d["active_authentication"].__setitem__("signature", sig)),
             "too_large")
    _refused(_edit(doc, lambda d: d["counter_verification"]["checks"][0].__setitem__(
        "detail", "x" * 5000)), "field")


@pytest.mark.parametrize("value", [
    "/etc/passwd", "../DG13", "file:///etc/shadow", "https://example.invalid/DG13",
    "C:\\Users\\clerk\\DG13.bin", "~/dg13.bin", "\\\\server\\share\\DG13",
])
def test_a_file_reference_instead_of_bytes_is_refused(doc: dict[str, Any], value: str) -> None:
    error = _refused(_edit(doc, lambda d: d["files"].__setitem__("DG13", value)),
                     "file_reference")
    assert "self-contained" in str(error)


@pytest.mark.parametrize("change", [
    lambda d: d["files"].__setitem__("DG13", {"path": "/etc/passwd"}),
    lambda d: d.__setitem__("$ref", "other.json"),
    lambda d: d["files"].__setitem__("../DG13", "AAAA"),
    lambda d: d.__setitem__("url", "https://example.invalid/p.json"),
    lambda d: d["active_authentication"].__setitem__("file", "sig.bin"),
])
def test_keys_pointing_outside_the_package_are_refused(
        doc: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> None:
    _refused(_edit(doc, change), "file_reference")


def test_unknown_keys_duplicates_and_constants_are_refused(doc: dict[str, Any]) -> None:
    _refused(_edit(doc, lambda d: d.__setitem__("extra", 1)), "unknown_key")
    _refused(_edit(doc, lambda d: d["files"].__setitem__("EF.COM", "YA==")), "unknown_key")
    _refused(_edit(doc, lambda d: d["files"].__setitem__("DG3", "Yw==")), "unknown_key")
    raw = _raw(doc)
    dup = raw.replace(b'"format": "cccd-evidence/1"',
                      b'"format": "cccd-evidence/1", "format": "cccd-evidence/1"', 1)
    _refused(dup, "duplicate_key")
    _refused(raw.replace(b'"dsc": "', b'"dsc": NaN, "x": "', 1), "not_json")
    _refused(b"\xff\xfe not utf-8", "not_json")
    _refused(b"[1, 2", "not_json")


def test_format_version_and_types(doc: dict[str, Any]) -> None:
    error = _refused(_edit(doc, lambda d: d.__setitem__("format", "cccd-evidence/2")), "format")
    assert "cccd-evidence/2" in str(error)
    _refused(b"{}", "format")
    _refused(b"[]", "field")
    _refused(_edit(doc, lambda d: d["files"].__setitem__("DG13", "not base64!")), "field")
    _refused(_edit(doc, lambda d: d["files"].__setitem__("DG13", 12)), "field")
    _refused(_edit(doc, lambda d: d.__setitem__("created_at", "yesterday")), "field")
    _refused(_edit(doc, lambda d: d.__setitem__("created_at", "2026-12-07T10:00:00")), "field")
    _refused(_edit(doc, lambda d: d["files"].pop("EF.SOD")), "field")


def test_face_and_live_image_rules(doc: dict[str, Any]) -> None:
    face = {"attestation": "attested", "score": 0.9, "band": "likely_same"}
    _refused(_edit(doc, lambda d: d.__setitem__("face", face)), "field")
    face = {"attestation": "not_attested", "score": 0.9, "band": "same_person"}
    _refused(_edit(doc, lambda d: d.__setitem__("face", face)), "field")
    face = {"attestation": "not_attested", "score": 0.9, "band": "likely_same"}
    live = {"consent": False, "mime": "image/jpeg", "data": "/9j/4AAQ"}
    def both(d: dict[str, Any]) -> None:
        d["face"] = face
        d["live_image"] = live

    _refused(_edit(doc, both), "no_consent")


def test_the_cli_refuses_each_with_one_line(tmp_path: Path, doc: dict[str, Any],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    cases = {
        "nested.json": b"[" * 50_000 + b"]" * 50_000,
        "reference.json": _edit(doc, lambda d: d["files"].__setitem__("DG13", "/etc/passwd")),
        "unknown.json": _edit(doc, lambda d: d.__setitem__("extra", True)),
    }
    for name, raw in cases.items():
        path = tmp_path / name
        path.write_bytes(raw)
        code = main(["evidence", "verify", str(path), "--trust", str(PKI / "csca-vn.der"),
                     "--no-default-trust"])
        err = capsys.readouterr().err
        assert code == 5, (name, err)
        assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "unknown.json")
    assert main(["evidence", "verify", str(link), "--no-default-trust"]) == 5
    assert "not a regular file" in capsys.readouterr().err


def test_pathological_strings_stay_linear() -> None:
    """An unterminated string of escaped quotes made an earlier string pattern quadratic."""
    _refused(b'{"notes": ["' + b'\\"' * 2_000_000, "not_json")
    _refused(b'"' * 4_000_000, "not_json")
    _refused(b'["' + b"\\" * 4_000_000, "not_json")


def test_numbers_out_of_range_are_refused(doc: dict[str, Any]) -> None:
    face = {"attestation": "not_attested", "score": 0.5, "band": "check_by_eye",
            "quality": {"blur": 1.0}}
    raw = _edit(doc, lambda d: d.__setitem__("face", face))
    _refused(raw.replace(b'"blur": 1.0', b'"blur": 1e999'), "field")
    _refused(raw.replace(b'"score": 0.5', b'"score": 1e999'), "field")
    _refused(raw.replace(b'"score": 0.5', b'"score": 1' + b"0" * 5000), "not_json")
