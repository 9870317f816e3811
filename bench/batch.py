"""Batch throughput (issue 32): ``cccd verify TREE --jsonl --jobs N`` over generated dumps.

Writes (once, kept in the temporary directory) ``--count`` dumps in the mix of
``cccd_sim.batch_dumps`` (valid, forged, damaged and unloadable), then runs ``cccd verify``
over the tree as a separate process with each ``--jobs`` value and reports, per run: wall
time, dumps per second, the peak resident memory of the whole process tree (the command, the
fork server and its workers, sampled from ``/proc`` every 50 ms) and of its largest process;
the speed-up of each job count over one (end to end, and in the steady state from the first
result to the last); the machine's own ceiling at that moment (two independent one-job runs
at once against one alone); and whether every run printed exactly the same results (it
must). The machine is shared: the figures are noisy, the equality is not.

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
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    peak = {"sum": 0, "max": 0}
    done = threading.Event()
    lines: list[str] = []
    stamps: list[float] = []

    def read() -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            stamps.append(time.perf_counter())
            lines.append(raw.decode("utf-8").rstrip("\n"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()

    def sample() -> None:
        while not done.is_set():
            total, largest = _tree_rss_kib(proc.pid)
            peak["sum"] = max(peak["sum"], total)
            peak["max"] = max(peak["max"], largest)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stderr is not None
    err = proc.stderr.read()
    proc.wait()
    reader.join()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    # Steady state: from the first result to the last, without the start-up (interpreter,
    # imports, trust) that one and N jobs pay alike.
    steady = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else 0.0
    outcomes = Counter(
        json.loads(line).get("verdict") or "unreadable" for line in lines
    )
    return {
        "jobs": jobs,
        "exit": proc.returncode,
        "dumps": len(lines),
        "seconds": round(elapsed, 2),
        "dumps_per_s": round(len(lines) / elapsed, 1),
        "steady_dumps_per_s": round(steady, 1),
        "first_result_s": round(stamps[0] - start, 2) if stamps else None,
        "peak_rss_tree_mib": round(peak["sum"] / 1024, 1),
        "peak_rss_largest_mib": round(peak["max"] / 1024, 1),
        "outcomes": dict(sorted(outcomes.items())),
        "summary": err.decode("utf-8", "replace").strip().splitlines()[-1:],
        "_lines": lines,
    }


def ceiling(tree: Path, count: int, alone_s: float) -> float:
    """What this machine gives two processes at this moment: two independent one-job runs
    over the tree at once, their combined throughput over one alone's (2.0 on two idle
    cores; less when the cores are shared or are one core's hyperthreads)."""
    args = [sys.executable, "-m", "cccd_reader.cli", "verify", str(tree), "--jsonl",
            "--jobs", "1", "--no-default-trust"]
    for name in TRUST:
        args += ["--trust", str(PKI / name)]
    start = time.perf_counter()
    procs = [subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              cwd=ROOT) for _ in range(2)]
    for proc in procs:
        proc.wait()
    both = time.perf_counter() - start
    return round((2 * count / both) / (count / alone_s), 2)


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
    ones = [r["seconds"] for r in runs if r["jobs"] == 1]
    if ones:
        report["two_independent_processes_vs_one"] = ceiling(tree, args.count, ones[-1])
    for r in report["runs"][1:]:
        r["speedup_vs_first"] = round(first["seconds"] / r["seconds"], 2)
        r["steady_speedup_vs_first"] = round(r["steady_dumps_per_s"]
                                             / first["steady_dumps_per_s"], 2)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{args.count} dumps, {report['cpus']} CPUs; identical results across runs: "
          f"{report['identical_results']}")
    print(f"{'jobs':>4} {'exit':>4} {'seconds':>8} {'dumps/s':>8} {'x 1st':>6} "
          f"{'1st result s':>12} {'steady/s':>9} {'x 1st':>6} "
          f"{'peak RSS tree MiB':>18} {'largest MiB':>12}")
    for r in report["runs"]:
        print(f"{r['jobs']:>4} {r['exit']:>4} {r['seconds']:>8} {r['dumps_per_s']:>8} "
              f"{r.get('speedup_vs_first', 1.0):>6} {r['first_result_s']:>12} "
              f"{r['steady_dumps_per_s']:>9} {r.get('steady_speedup_vs_first', 1.0):>6} "
              f"{r['peak_rss_tree_mib']:>18} {r['peak_rss_largest_mib']:>12}")
    print("outcomes:", first["outcomes"])
    if "two_independent_processes_vs_one" in report:
        print("this machine now: two independent one-job runs at once give "
              f"{report['two_independent_processes_vs_one']}x the throughput of one "
              "(the ceiling for any N=2 figure above)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
