"""`cccd face-match`: JSON shape, exit codes 0/6/5/2, the chip's verdict, hostile images."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from cccd_reader import dump
from cccd_reader.cli import main
from cccd_reader.face import BANDS, REFUSAL_CODES
from cccd_reader.face.models import MODELS
from cccd_reader.face_cli import BAND_WORDS, REFUSAL_WORDS, SIDE_WORDS
from tests.conftest import REPO, SAMPLES
from tests.face.photos import PHOTOS, VARIANTS, dump_with_portrait
from tests.face.test_hostile_images import png_header

PKI = str(SAMPLES / "pki")
A1, A2, C = (str(PHOTOS / f"{n}.jpg") for n in ("person_a_1", "person_a_2", "impostor_1"))


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code = main(["face-match", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out) if "--json" in args else out, err


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A 2021 card whose DG2 is a chip-like copy (240x320 grey JPEG 2000) of person_a_2:
    re-signed (genuine with the sample PKI, unverified without it) and not re-signed (the
    DG2 hash fails: not genuine)."""
    root = tmp_path_factory.mktemp("face-dumps")
    portrait = VARIANTS["jpeg2000"]("person_a_2")
    out = {}
    for name, sign in (("signed", True), ("forged", False)):
        out[name] = dump.save(dump_with_portrait(portrait, fmt="jp2", sign=sign),
                              root / name)
    return out


def test_two_images_give_a_band_and_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc, err = _run(capsys, "--chip", A2, "--live", A1, "--json")
    assert code == 0 and err == ""
    assert set(doc) == {"score", "band", "thresholds", "model", "quality"}
    assert doc["band"] in BANDS and isinstance(doc["score"], float)
    assert doc["thresholds"]["likely_same"] > doc["thresholds"]["likely_different_below"]
    assert {m["sha256"] for m in doc["model"].values()} == {m.sha256 for m in MODELS}
    assert set(doc["quality"]) == {"chip", "live"} and doc["quality"]["live"]["faces"] == 1


def test_a_genuine_dump_shows_its_verdict(capsys: pytest.CaptureFixture[str],
                                          dumps: dict[str, Path]) -> None:
    code, doc, _ = _run(capsys, "--chip", str(dumps["signed"]), "--live", A1, "--json",
                        "--trust", PKI, "--no-default-trust")
    assert code == 0 and doc["chip_verdict"] == "genuine"
    assert doc["band"] != "likely_different" and doc["quality"]["chip"]["width"] == 240


def test_an_unverified_dump_is_compared_with_the_verdict_beside(
    capsys: pytest.CaptureFixture[str], dumps: dict[str, Path]
) -> None:
    code, doc, _ = _run(capsys, "--chip", str(dumps["signed"]), "--live", C, "--json",
                        "--no-default-trust")
    assert code == 0 and doc["chip_verdict"] == "unverified"
    assert doc["band"] != "likely_same" and doc["score"] is not None
    code, text, _ = _run(capsys, "--chip", str(dumps["signed"]), "--live", A1,
                         "--no-default-trust")
    assert code == 0 and "Chip: unverified" in text and "not biometric authentication" in text


def test_a_not_genuine_dump_is_refused(capsys: pytest.CaptureFixture[str],
                                       dumps: dict[str, Path]) -> None:
    """A forged chip with the impostor's photo is the attack: nothing is compared."""
    code, doc, _ = _run(capsys, "--chip", str(dumps["forged"]), "--live", A2, "--json",
                        "--trust", PKI, "--no-default-trust")
    assert code == 6
    assert doc["score"] is None and doc["band"] is None and doc["quality"] == {}
    assert doc["refused"]["code"] == "chip_not_genuine" and doc["refused"]["side"] == "chip"
    assert doc["chip_verdict"] == "not_genuine"


def test_a_refusal_by_the_gate_exits_6_with_code_and_side(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blank = tmp_path / "blank.png"
    assert cv2.imwrite(str(blank), np.full((480, 640, 3), 220, np.uint8))
    code, doc, _ = _run(capsys, "--chip", A1, "--live", str(blank), "--json")
    assert code == 6
    assert (doc["score"], doc["band"]) == (None, None)
    assert doc["refused"] == {"code": "no_face", "side": "live", "params": {}}
    code, text, _ = _run(capsys, "--chip", str(blank), "--live", A1)
    assert code == 6 and SIDE_WORDS["chip"] in text and REFUSAL_WORDS["no_face"] in text


def test_hostile_image_exits_5_with_one_line_in_bounded_time_and_memory(tmp_path: Path) -> None:
    """A 20000x20000 PNG header (1.2 GB of pixels if decoded): refused from its header. The
    command runs in a child whose peak memory its parent reads."""
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header(20000, 20000))
    probe = (
        "import resource, subprocess, sys\n"
        "run = subprocess.run([sys.executable, '-m', 'cccd_reader.cli', 'face-match', "
        f"'--chip', {A1!r}, '--live', {str(bomb)!r}], capture_output=True, text=True)\n"
        "print(run.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.stderr.write(run.stderr)\n"
    )
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=60, cwd=REPO)
    assert time.monotonic() - start < 30
    code, peak_kib = (int(x) for x in run.stdout.split())
    assert code == 5
    assert peak_kib < 400 * 1024  # the interpreter, OpenCV and the models; not 1.2 GB
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: live image: ")
    assert "20000x20000" in lines[0] and "Traceback" not in run.stderr


def test_truncated_jpeg2000_exits_5(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cut = tmp_path / "cut.jp2"
    data = VARIANTS["jpeg2000"]("person_a_2")
    cut.write_bytes(data[: len(data) // 2])
    code, out, err = _run(capsys, "--chip", str(cut), "--live", A1)
    assert code == 5 and out == "" and err.startswith("error: chip image: ")


@pytest.mark.parametrize("args", [[], ["--chip", A1], ["--live", A1], ["--chip", A1, "--live"]])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["face-match", *args])
    assert info.value.code == 2
    capsys.readouterr()


def test_every_band_and_refusal_has_words() -> None:
    assert set(BAND_WORDS) == set(BANDS)
    assert set(REFUSAL_WORDS) == set(REFUSAL_CODES)


def test_nothing_about_a_face_is_logged(capsys: pytest.CaptureFixture[str],
                                        caplog: pytest.LogCaptureFixture,
                                        dumps: dict[str, Path]) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    assert main(["-vv", "face-match", "--chip", str(dumps["signed"]), "--live", A1,
                 "--no-default-trust"]) == 0
    capsys.readouterr()
    words = ("face", "likely", "score", "band", "similar")
    leaked = [r.getMessage() for r in caplog.records
              if any(w in r.getMessage().lower() for w in words) or ".face" in r.name]
    assert not leaked
