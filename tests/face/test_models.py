"""The vendored models: present, pinned by SHA-256, refused when altered, never downloaded."""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import re
from pathlib import Path

import pytest

from cccd_reader.face.errors import FaceModelError
from cccd_reader.face.models import DETECTOR, MODELS, RECOGNIZER, load_engine, verified_bytes

FACE = Path(__file__).resolve().parents[2] / "cccd_reader" / "face"
FILES = FACE / "model_files"


def test_each_model_file_has_its_pinned_digest() -> None:
    for model in MODELS:
        data = (FILES / model.filename).read_bytes()
        assert hashlib.sha256(data).hexdigest() == model.sha256
        assert verified_bytes(model) == data


def test_the_notice_gives_the_same_digests_and_both_licences() -> None:
    notice = (FILES / "NOTICE.md").read_text(encoding="utf-8")
    for model in MODELS:
        assert f"{model.sha256}  {model.filename}" in notice
    assert (FILES / "LICENSE-YuNet-MIT.txt").read_text().startswith("MIT License")
    assert "Apache License" in (FILES / "LICENSE-SFace-Apache-2.0.txt").read_text()
    assert DETECTOR.licence == "MIT" and RECOGNIZER.licence == "Apache-2.0"


def test_an_altered_or_missing_model_is_refused() -> None:
    wrong = dataclasses.replace(DETECTOR, sha256="0" * 64)
    with pytest.raises(FaceModelError, match="altered"):
        verified_bytes(wrong)
    missing = dataclasses.replace(DETECTOR, filename="no-such-model.onnx")
    with pytest.raises(FaceModelError, match="missing"):
        verified_bytes(missing)


def test_the_engine_loads_once() -> None:
    engine = load_engine()
    assert engine is load_engine()
    assert 0 < engine.load_seconds < 30


def test_nothing_in_the_face_package_can_reach_the_network() -> None:
    """No module of the package imports a network library or names a URL it could fetch:
    the models come from the package, never from a download."""
    network = {"socket", "urllib", "http", "requests", "httpx", "ftplib", "ssl", "aiohttp"}
    for path in FACE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not {n.split(".")[0] for n in names} & network, (path.name, names)
        code = re.sub(r'"""[\s\S]*?"""', "", path.read_text(encoding="utf-8"))
        urls = [u for u in re.findall(r"https?://\S+", code) if "docs.opencv.org" not in u]
        assert not urls, (path.name, urls)
