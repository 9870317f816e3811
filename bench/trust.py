"""Trust benchmark (issue 16), side by side in one run:

* ``cccd verify`` of the sample Vietnamese card with one CSCA against the German + Dutch sized
  master lists (600 + 400 certificates, synthetic, each holding the card's CSCA): a cold
  process (new interpreter, empty index cache), a cold process with the cache warm, and warm
  (in process, store loaded once);
* trust stores of 1, 100, 1000 and 5000 anchors (a directory of DER files): a cold
  ``cccd verify`` process, and the store's load time in process, on one chart (SVG);
* a 16 MiB master list with a bogus signature: time and peak RSS until it is rejected;
* the real German and Dutch master lists (committed test data, ``tests/pki/data/master-lists``,
  issue 27) with the card's CSCA beside them, against one CSCA: cold, warm and load time.

Nothing is fetched; the synthetic lists are generated once into a temporary directory and
reused. Goals: DE+NL cold <= 1.5x one CSCA, warm <= 1.1x.

    python bench/trust.py [--quick] [--json] [--svg FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography import x509  # noqa: E402

from cccd_reader import dump as dumpmod  # noqa: E402
from cccd_reader.pki.trust import MAX_TRUST_FILE_BYTES, TrustStore  # noqa: E402
from cccd_reader.verify import verify  # noqa: E402
from cccd_sim import trust_lists  # noqa: E402

SAMPLE = ROOT / "samples" / "vn-cccd-2021-nguyen-thi-ngoc-anh"
VN_CSCA = ROOT / "samples" / "pki" / "csca-vn.der"
DATA = Path(tempfile.gettempdir()) / "cccd-bench-trust-v1"
#: The public master lists, as their publishers sign them (see the README beside them).
REAL_LISTS = sorted((ROOT / "tests" / "pki" / "data" / "master-lists").glob("*.ml"))


def prepare(sizes: list[int]) -> dict[str, Any]:
    """Generate (once) the lists, the anchor directories and the bogus list."""
    DATA.mkdir(exist_ok=True)
    vn = x509.load_der_x509_certificate(VN_CSCA.read_bytes())
    out: dict[str, Any] = {}
    for name, count, country in (("de", 600, "DE"), ("nl", 400, "NL")):
        path = DATA / f"{name}.ml"
        if not path.exists():
            path.write_bytes(
                trust_lists.synthetic_master_list(count, name, country=country, extra=(vn,)).data
            )
        out[name] = path
    for size in sizes:
        directory = DATA / f"anchors-{size}"
        if not (directory / "csca-vn.der").exists():
            trust_lists.write_directory(directory, size - 1, "anchors")
            (directory / "csca-vn.der").write_bytes(VN_CSCA.read_bytes())
        out[f"dir{size}"] = directory
    bogus = DATA / "bogus-16mib.ml"
    if not bogus.exists():
        bogus.write_bytes(trust_lists.bogus_master_list(MAX_TRUST_FILE_BYTES, VN_CSCA.read_bytes()))
    out["bogus"] = bogus
    return out


def cold_verify(trust: list[Path], cache: Path, repeats: int) -> float:
    """Median wall time of ``cccd verify`` in a new interpreter."""
    args = [sys.executable, "-m", "cccd_reader.cli", "verify", str(SAMPLE), "--no-default-trust"]
    for path in trust:
        args += ["--trust", str(path)]
    env = {**os.environ, "CCCD_CACHE_DIR": str(cache), "CCCD_DATA_DIR": str(cache / "data")}
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, env=env, check=False)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"verify failed: {proc.stderr.decode()[-400:]}")
    return statistics.median(times)


def warm_verify(trust: list[Path], n: int) -> float:
    store = TrustStore.from_paths(trust, include_default=False)
    files = dict(dumpmod.load(SAMPLE).files)
    assert verify(files, store).verdict == "genuine"
    times = []
    for _ in range(n):
        start = time.perf_counter()
        verify(files, store)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load_time(trust: list[Path], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        TrustStore.from_paths(trust, include_default=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bogus(path: Path) -> dict[str, Any]:
    script = textwrap.dedent(f"""
        import json, time
        from pathlib import Path
        from cccd_reader.pki.trust import TrustError, TrustStore
        start = time.perf_counter()
        try:
            TrustStore().add_path(Path({str(path)!r}))
            error = ""
        except TrustError as exc:
            error = str(exc)
        seconds = time.perf_counter() - start
        hwm = next(int(l.split()[1]) for l in Path("/proc/self/status").read_text().splitlines()
                   if l.startswith("VmHWM:"))
        print(json.dumps({{"seconds": seconds, "peak_rss_mb": hwm / 1024, "error": error}}))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    doc: dict[str, Any] = json.loads(proc.stdout)
    doc["size_mb"] = path.stat().st_size / 2**20
    return doc


def svg_chart(points: dict[str, list[tuple[int, float]]], path: Path) -> None:
    """Time against store size (log x), one polyline per series, no plotting library."""
    width, height, left, bottom, top, right = 640, 360, 70, 50, 30, 150
    sizes = sorted({x for series in points.values() for x, _ in series})
    peak = max(y for series in points.values() for _, y in series) * 1.15
    import math

    def px(x: int) -> float:
        lo, hi = math.log10(sizes[0]), math.log10(sizes[-1])
        return left + (math.log10(x) - lo) / ((hi - lo) or 1) * (width - left - right)

    def py(y: float) -> float:
        return height - bottom - y / peak * (height - bottom - top)

    colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             'font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="{left}" y="18" font-size="14">cccd verify: time against trust store '
             'size (anchors)</text>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" '
             f'y2="{height - bottom}" stroke="black"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="black"/>']
    for x in sizes:
        parts.append(f'<text x="{px(x):.1f}" y="{height - bottom + 18}" '
                     f'text-anchor="middle">{x}</text>')
    for i in range(5):
        y = peak * i / 4
        parts.append(f'<text x="{left - 6}" y="{py(y) + 4:.1f}" text-anchor="end">'
                     f'{y * 1000:.0f} ms</text>')
        parts.append(f'<line x1="{left}" y1="{py(y):.1f}" x2="{width - right}" y2="{py(y):.1f}" '
                     'stroke="#ddd"/>')
    for n, (name, series) in enumerate(points.items()):
        colour = colours[n % len(colours)]
        line = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in series)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" '
                     'stroke-width="2"/>')
        for x, y in series:
            parts.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>')
        parts.append(f'<text x="{width - right + 10}" y="{top + 20 + 18 * n}" '
                     f'fill="{colour}">{name}</text>')
    parts.append(f'<text x="{(left + width - right) / 2}" y="{height - 12}" '
                 'text-anchor="middle">anchors in the trust directory (log scale)</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, sizes up to 1000")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--svg", default=str(ROOT / "bench" / "trust.svg"))
    args = parser.parse_args()
    sizes = [1, 100, 1000] if args.quick else [1, 100, 1000, 5000]
    repeats = 3 if args.quick else 7
    data = prepare(sizes)
    one, lists = [VN_CSCA], [data["de"], data["nl"]]
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        result: dict[str, Any] = {"sizes": sizes}
        cold_one = cold_verify(one, cache / "a", repeats)
        # first process with an empty index cache, then processes that find it warm
        cold_lists_empty = cold_verify(lists, cache / "b", 1)
        cold_lists = cold_verify(lists, cache / "b", repeats)
        warm_one = warm_verify(one, 30 if args.quick else 100)
        warm_lists = warm_verify(lists, 30 if args.quick else 100)
        result["verify"] = {
            "cold_1_csca_s": cold_one,
            "cold_de_nl_empty_cache_s": cold_lists_empty,
            "cold_de_nl_s": cold_lists,
            "cold_ratio": cold_lists / cold_one,
            "cold_ratio_empty_cache": cold_lists_empty / cold_one,
            "warm_1_csca_ms": warm_one * 1000,
            "warm_de_nl_ms": warm_lists * 1000,
            "warm_ratio": warm_lists / warm_one,
            "load_de_nl_ms": load_time(lists, repeats) * 1000,
        }
        real = [*REAL_LISTS, VN_CSCA]
        cold_real_empty = cold_verify(real, cache / "r", 1)
        cold_real = cold_verify(real, cache / "r", repeats)
        warm_real = warm_verify(real, 30 if args.quick else 100)
        result["verify_real_lists"] = {
            "lists": [p.name for p in REAL_LISTS],
            "cold_de_nl_empty_cache_s": cold_real_empty,
            "cold_de_nl_s": cold_real,
            "cold_ratio": cold_real / cold_one,
            "warm_de_nl_ms": warm_real * 1000,
            "warm_ratio": warm_real / warm_one,
            "load_de_nl_ms": load_time(real, repeats) * 1000,
        }
        stores = []
        for size in sizes:
            directory = data[f"dir{size}"]
            stores.append({
                "anchors": size,
                "cold_verify_s": cold_verify([directory], cache / f"d{size}", repeats),
                "load_ms": load_time([directory], repeats) * 1000,
            })
        result["stores"] = stores
        result["bogus_16mib"] = bogus(data["bogus"])
    svg_chart({
        "cold cccd verify": [(int(s["anchors"]), float(s["cold_verify_s"])) for s in stores],
        "store load (in process)": [(int(s["anchors"]), float(s["load_ms"]) / 1000)
                                    for s in stores],
    }, Path(args.svg))
    result["chart"] = args.svg
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    v = result["verify"]
    print("cccd verify, sample VN card        1 CSCA     DE+NL (1000 certs)   ratio  goal")
    print(f"  cold process (empty cache)     {v['cold_1_csca_s'] * 1000:7.0f} ms  "
          f"{v['cold_de_nl_empty_cache_s'] * 1000:9.0f} ms        "
          f"{v['cold_ratio_empty_cache']:5.2f}x")
    print(f"  cold process (cache warm)      {v['cold_1_csca_s'] * 1000:7.0f} ms  "
          f"{v['cold_de_nl_s'] * 1000:9.0f} ms        {v['cold_ratio']:5.2f}x  <= 1.5x")
    print(f"  warm (in process)              {v['warm_1_csca_ms']:7.2f} ms  "
          f"{v['warm_de_nl_ms']:9.2f} ms        {v['warm_ratio']:5.2f}x  <= 1.1x")
    print(f"  DE+NL store load in process    {v['load_de_nl_ms']:.0f} ms")
    r = result["verify_real_lists"]
    print("real DE + NL lists (+ the card's CSCA)  1 CSCA     DE+NL real   ratio")
    print(f"  cold process (empty cache)     {v['cold_1_csca_s'] * 1000:7.0f} ms  "
          f"{r['cold_de_nl_empty_cache_s'] * 1000:9.0f} ms        "
          f"{r['cold_de_nl_empty_cache_s'] / v['cold_1_csca_s']:5.2f}x")
    print(f"  cold process (cache warm)      {v['cold_1_csca_s'] * 1000:7.0f} ms  "
          f"{r['cold_de_nl_s'] * 1000:9.0f} ms        {r['cold_ratio']:5.2f}x")
    print(f"  warm (in process)              {v['warm_1_csca_ms']:7.2f} ms  "
          f"{r['warm_de_nl_ms']:9.2f} ms        {r['warm_ratio']:5.2f}x")
    print(f"  real DE+NL store load          {r['load_de_nl_ms']:.0f} ms")
    print("anchors   cold verify   store load")
    for s in stores:
        print(f"  {s['anchors']:5d}   {s['cold_verify_s'] * 1000:8.0f} ms  {s['load_ms']:8.1f} ms")
    b = result["bogus_16mib"]
    print(f"bogus {b['size_mb']:.1f} MiB master list: rejected in {b['seconds'] * 1000:.0f} ms, "
          f"peak RSS {b['peak_rss_mb']:.0f} MB ({b['error'][-60:]})")
    print(f"chart: {args.svg}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
