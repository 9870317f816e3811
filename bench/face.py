"""The face check's cost: model load time, and time per comparison at the counter.

A clerk compares once per customer, so what matters is the first comparison after start-up
(model load) and the time from "capture" to the band. Measured:

* ``load_ms``: verifying both models' SHA-256 and loading them into OpenCV, in a fresh
  process each time (the engine is loaded once per process), median of ``--loads`` runs;
  ``first_compare_ms``: in those same processes, the first comparison (its warm-up included);
* ``compare_ms`` per case (median and p95 of ``--runs`` comparisons): a chip-like portrait
  (240x320 grey JPEG 2000) against a 640x480 webcam-sized frame, and against a full photo;
* ``detect_ms`` and ``embed_ms``: the two stages of one side, on the 640x480 frame.

    python bench/face.py [--quick] [--json]

Photos: tests/face/photos (credited there). Timing is never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from cccd_reader.face import compare, load_engine  # noqa: E402
from cccd_reader.face.match import embed, examine_side  # noqa: E402
from cccd_reader.face.quality import Face  # noqa: E402
from tests.face.photos import VARIANTS, photo, pixels  # noqa: E402

_CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
start = time.perf_counter()
from cccd_reader.face import compare, load_engine
from tests.face.photos import VARIANTS, photo
engine = load_engine()
loaded = time.perf_counter()
compare(VARIANTS["jpeg2000"]("person_a_2"), photo("person_a_1"), engine=engine)
done = time.perf_counter()
print(json.dumps({{"load_ms": engine.load_seconds * 1000,
                   "import_and_load_ms": (loaded - start) * 1000,
                   "first_compare_ms": (done - loaded) * 1000}}))
"""


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": round(statistics.median(ordered), 2), "p95": round(p95, 2),
            "n": len(ordered)}


def loads(count: int) -> dict[str, Any]:
    rows = []
    for _ in range(count):
        run = subprocess.run([sys.executable, "-c", _CHILD.format(root=str(ROOT))],
                             capture_output=True, text=True, timeout=120, check=True)
        rows.append(json.loads(run.stdout))
    return {key: _ms([r[key] for r in rows]) for key in rows[0]}


def compares(runs: int) -> dict[str, Any]:
    engine = load_engine()
    chip = VARIANTS["jpeg2000"]("person_a_2")
    # a webcam-sized frame: the live photo, 360 px tall, on a grey background
    frame = np.full((480, 640, 3), 128, np.uint8)
    frame[60:420, 176:464] = cv2.resize(pixels("person_a_1"), (288, 360))
    cases = {"chip_240x320_jp2_vs_frame_640x480": (chip, frame),
             "chip_240x320_jp2_vs_photo_747x900": (chip, photo("impostor_2"))}
    out: dict[str, Any] = {}
    for name, (a, b) in cases.items():
        compare(a, b, engine=engine)  # warm
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            result = compare(a, b, engine=engine)
            times.append((time.perf_counter() - start) * 1000)
        out[name] = {"compare_ms": _ms(times), "band": result.band}
    detect, embed_times = [], []
    for _ in range(runs):
        start = time.perf_counter()
        found = examine_side(frame, "live", engine)
        detect.append((time.perf_counter() - start) * 1000)
        assert isinstance(found, Face)
        start = time.perf_counter()
        embed(engine, found)
        embed_times.append((time.perf_counter() - start) * 1000)
    out["frame_640x480_detect_and_gate_ms"] = _ms(detect)
    out["embed_ms"] = _ms(embed_times)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 loads, 5 comparisons")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args(argv)
    n_loads, n_runs = (2, 5) if args.quick else (args.loads, args.runs)
    doc = {
        "load": loads(n_loads),
        "compare": compares(n_runs),
        "machine": {"cpus": os.cpu_count(), "cpu": platform.processor() or platform.machine(),
                    "python": platform.python_version(), "opencv": cv2.__version__,
                    "opencv_threads": cv2.getNumThreads()},
    }
    if args.json:
        print(json.dumps(doc, indent=2))
    else:
        load = doc["load"]
        print(f"model load      {load['load_ms']['median']:8.1f} ms (median of "
              f"{load['load_ms']['n']}; import + load {load['import_and_load_ms']['median']:.0f}"
              f" ms, first comparison {load['first_compare_ms']['median']:.0f} ms)")
        for name, row in doc["compare"].items():
            ms = row.get("compare_ms", row)
            print(f"{name:42s} median {ms['median']:7.1f} ms  p95 {ms['p95']:7.1f} ms")
        print(f"machine         {doc['machine']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
