"""First benchmark: APDUs, bytes on the wire and host CPU per full read of each sample.

The virtual chip runs in process; its own CPU time is measured separately and subtracted, so
``host_cpu_ms`` is what the reader side (access protocol, secure messaging, file reading)
costs. Each sample is read with extended-length APDUs and with short APDUs only.

    python bench/run.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cccd_reader import dump as dumpmod  # noqa: E402
from cccd_reader.iso7816.efreader import ReadLimits  # noqa: E402
from cccd_reader.iso7816.transport import InProcessTransport  # noqa: E402
from cccd_reader.reader import AccessKey, read_card  # noqa: E402
from cccd_reader.sim.profiles import chip_for_dump  # noqa: E402


class TimedChip:
    def __init__(self, process: Any) -> None:
        self._process = process
        self.cpu = 0.0

    def __call__(self, apdu: bytes) -> bytes:
        t0 = time.process_time()
        try:
            return self._process(apdu)  # type: ignore[no-any-return]
        finally:
            self.cpu += time.process_time() - t0


def _key(card: dumpmod.CardDump, protocol: str = "auto") -> AccessKey:
    if card.access.can and "EF.CardAccess" in card.files and protocol != "BAC":
        return AccessKey.from_can(card.access.can)
    if card.access.mrz:
        return AccessKey.from_mrz(card.access.mrz)
    raise SystemExit("sample without access data")


def bench_sample(
    path: Path, *, extended: bool, runs: int, protocol: str = "auto"
) -> dict[str, Any]:
    card = dumpmod.load(path)
    cpu: list[float] = []
    result = None
    for _ in range(runs):
        chip = chip_for_dump(card)
        chip.config.extended_length = extended
        timed = TimedChip(chip.process)
        transport = InProcessTransport(timed, extended=extended)
        t0 = time.process_time()
        result = read_card(
            transport, _key(card, protocol), limits=ReadLimits(extended=extended),
            protocol=protocol,
        )
        cpu.append(time.process_time() - t0 - timed.cpu)
    assert result is not None
    payload = sum(len(v) for v in result.files.values())
    return {
        "protocol": result.access.protocol,
        "cipher": result.access.cipher,
        "extended": extended,
        "apdus": result.stats.apdus,
        "bytes_sent": result.stats.bytes_sent,
        "bytes_received": result.stats.bytes_received,
        "payload_bytes": payload,
        "host_cpu_ms": round(statistics.median(cpu) * 1000, 2),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="one run per sample (CI)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    runs = 1 if args.quick else 15
    out: dict[str, Any] = {}
    for card_json in sorted((ROOT / "samples").glob("*/card.json")):
        sample = card_json.parent
        for extended in (True, False):
            key = f"{sample.name}{'' if extended else ' (short APDUs)'}"
            out[key] = bench_sample(sample, extended=extended, runs=runs)
        card = dumpmod.load(sample)
        if "EF.CardAccess" in card.files and chip_for_dump(card).config.bac:
            # the same chip opened with BAC, beside its PACE read
            out[f"{sample.name} (BAC)"] = bench_sample(
                sample, extended=True, runs=runs, protocol="BAC"
            )
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    cols = ("apdus", "bytes_sent", "bytes_received", "payload_bytes", "host_cpu_ms")
    width = max(len(k) for k in out) + 2
    print(f"{'sample':<{width}}{'access':<14}" + "".join(f"{c:>16}" for c in cols))
    for name, row in out.items():
        acc = f"{row['protocol']}/{row['cipher']}"
        print(f"{name:<{width}}{acc:<14}" + "".join(f"{row[c]:>16}" for c in cols))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
