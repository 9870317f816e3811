"""bench/face.py in quick mode: every figure is there and consistent (no timing limits)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO


def test_bench_face_quick_json() -> None:
    run = subprocess.run([sys.executable, str(REPO / "bench" / "face.py"), "--quick", "--json"],
                         capture_output=True, text=True, timeout=300, cwd=REPO)
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    load = doc["load"]
    assert load["load_ms"]["n"] == 2
    assert 0 < load["load_ms"]["median"] <= load["import_and_load_ms"]["median"]
    assert load["first_compare_ms"]["median"] > 0
    cases = doc["compare"]
    assert cases["chip_240x320_jp2_vs_frame_640x480"]["band"] == "likely_same"
    assert cases["chip_240x320_jp2_vs_photo_747x900"]["band"] != "likely_same"
    for name in ("chip_240x320_jp2_vs_frame_640x480", "chip_240x320_jp2_vs_photo_747x900"):
        ms = cases[name]["compare_ms"]
        assert 0 < ms["median"] <= ms["p95"] and ms["n"] == 5
    assert cases["embed_ms"]["median"] > 0 and doc["machine"]["opencv"].startswith("5.")
