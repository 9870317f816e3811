"""Batch throughput (issue 32): ``cccd verify TREE --jsonl --jobs N`` over generated dumps.

Writes (once, kept in the temporary directory) ``--count`` dumps in the mix of
``cccd_sim.batch_dumps`` (valid, forged, damaged and unloadable), then runs ``cccd verify``
over the tree as a separate process with each ``--jobs`` value and reports, per run: wall
time, dumps per second, the peak resident memory of the whole process tree (the command, the
fork server and its workers, sampled from ``/proc`` every 50 ms) and of its largest process;
the speed-up of each job count over one; and whether every run printed exactly the same
results (it must). The machine is shared: the figures are noisy, the equality is not.

    python bench/batch.py [--count 2000] [--jobs 1,2] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cccd_sim.batch_dumps import write_batch  # noqa: E402

PKI = ROOT / "samples" / "pki"
TRUST = ("csca-vn.der", "csca-ut.der", "csca-vn.crl", "csca-ut.crl")


def prepare(count: int) -> Path:
    root = Path(tempfile.gettempdir()) / f"cccd-bench-batch-v1-{count}"
    marker = root / ".complete"
    if not marker.exists():
        if root.exists():
            subprocess.run(["rm", "-rf", str(root)], check=True)
        write_batch(root / "tree", count)
        marker.write_text("ok\n", encoding="utf-8")
    return root / "tree"


def _tree_rss_kib(pid: int) -> tuple[int, int]:
    """(sum, max) of VmRSS over ``pid`` and all its descendants, in KiB."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    tree = {pid}
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in tree and child not in tree:
                tree.add(child)
                grew = True
    sizes = []
    for member in tree:
        try:
            with open(f"/proc/{member}/status", encoding="ascii", errors="replace") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        sizes.append(int(line.split()[1]))
                        break
        except OSError:
            continue
    return sum(sizes), max(sizes, default=0)


def run_once(tree: Path, jobs: int) -> dict[str, Any]:
    args = [sys.executable, "-m", "cccd_reader.cli", "verify", str(tree), "--jsonl",
            "--jobs", str(jobs), "--no-default-trust"]
    for name in TRUST:
        args += ["--trust", str(PKI / name)]
    out_file = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=out_file, stderr=subprocess.PIPE, cwd=ROOT)
    peak = {"sum": 0, "max": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            total, largest = _tree_rss_kib(proc.pid)
            peak["sum"] = max(peak["sum"], total)
            peak["max"] = max(peak["max"], largest)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    out_file.seek(0)
    lines = out_file.read().decode("utf-8").splitlines()
    outcomes = Counter(
        json.loads(line).get("verdict") or "unreadable" for line in lines
    )
    return {
        "jobs": jobs,
        "exit": proc.returncode,
        "dumps": len(lines),
        "seconds": round(elapsed, 2),
        "dumps_per_s": round(len(lines) / elapsed, 1),
        "peak_rss_tree_mib": round(peak["sum"] / 1024, 1),
        "peak_rss_largest_mib": round(peak["max"] / 1024, 1),
        "outcomes": dict(sorted(outcomes.items())),
        "summary": err.decode("utf-8", "replace").strip().splitlines()[-1:],
        "_lines": lines,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--jobs", default="1,2", help="comma-separated job counts")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    tree = prepare(args.count)
    runs = [run_once(tree, int(j)) for j in args.jobs.split(",")]
    first = runs[0]
    report: dict[str, Any] = {
        "count": args.count,
        "cpus": os.cpu_count(),
        "identical_results": all(r["_lines"] == first["_lines"] for r in runs),
        "runs": [{k: v for k, v in r.items() if not k.startswith("_")} for r in runs],
    }
    for r in report["runs"][1:]:
        r["speedup_vs_first"] = round(first["seconds"] / r["seconds"], 2)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{args.count} dumps, {report['cpus']} CPUs; identical results across runs: "
          f"{report['identical_results']}")
    print(f"{'jobs':>4} {'exit':>4} {'seconds':>8} {'dumps/s':>8} {'x 1st':>6} "
          f"{'peak RSS tree MiB':>18} {'largest MiB':>12}")
    for r in report["runs"]:
        print(f"{r['jobs']:>4} {r['exit']:>4} {r['seconds']:>8} {r['dumps_per_s']:>8} "
              f"{r.get('speedup_vs_first', 1.0):>6} {r['peak_rss_tree_mib']:>18} "
              f"{r['peak_rss_largest_mib']:>12}")
    print("outcomes:", first["outcomes"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
