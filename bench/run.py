"""Benchmarks: a full read of each sample on a modelled contactless link, host CPU by phase,
offline verification throughput and QR decoding at 1280x720.

The virtual chip runs in process behind :class:`~cccd_sim.linkmodel.LinkModelTransport`,
which records every APDU so the read can be costed on an ISO/IEC 14443-4 link at each bit rate
(model and sources: ``bench/LINKMODEL.md``). The chip's own CPU time is measured and subtracted,
so ``host_cpu_ms`` is what the reader side costs. Each sample is read with our chunking
(extended length; short APDUs only), with the fixed short chunks other eMRTD readers use
(Le 0xDF as JMRTD, 0xA0 as NFCPassportReader; a SELECT per file), for PACE cards with BAC,
and, for two samples, from chips that say no, say nothing or go mute about extended length.

    python bench/run.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cccd_reader import dump as dumpmod  # noqa: E402
from cccd_reader.access.key import AccessKey  # noqa: E402
from cccd_reader.iso7816 import sm as smmod  # noqa: E402
from cccd_reader.iso7816.efreader import ReadLimits, sm_plain_capacity  # noqa: E402
from cccd_reader.iso7816.transport import InProcessTransport  # noqa: E402
from cccd_reader.pki.trust import TrustStore  # noqa: E402
from cccd_reader.profiles import card_profiles  # noqa: E402
from cccd_reader.read_flow import ReadResult, read_card  # noqa: E402
from cccd_reader.record import CardRecord  # noqa: E402
from cccd_reader.verify import verify  # noqa: E402
from cccd_sim.cards import chip_for_dump  # noqa: E402
from cccd_sim.chip import EXTENDED_MODES  # noqa: E402
from cccd_sim.linkmodel import (  # noqa: E402
    BIT_RATES,
    LinkModel,
    LinkModelTransport,
    LinkParams,
)

#: INS of access and clone-detection commands: GET CHALLENGE, MUTUAL AUTHENTICATE, MSE,
#: GENERAL AUTHENTICATE, INTERNAL AUTHENTICATE. Their number is fixed by the protocol.
ACCESS_INS = frozenset({0x84, 0x82, 0x22, 0x86, 0x88})
READ_INS = frozenset({0xB0, 0xB1})
#: Samples also read as other manufacturers' chips treat extended length: one BAC chip (its
#: first extended read is under secure messaging) and one PACE chip (EF.CardAccess, in the
#: clear, is the first).
CHIP_MODE_SAMPLES = ("passport-utopia-td3", "vn-cccd-2021-nguyen-thi-ngoc-anh")


class TimedChip:
    """The chip's ``process`` with its CPU time counted, to subtract it from the reader's."""

    def __init__(self, process: Callable[[bytes], bytes]) -> None:
        self._process = process
        self.cpu = 0.0

    def __call__(self, apdu: bytes) -> bytes:
        t0 = time.process_time()
        try:
            return self._process(apdu)
        finally:
            self.cpu += time.process_time() - t0


class SMTimer:
    """CPU spent in the terminal half of secure messaging, measured from outside the class."""

    def __init__(self) -> None:
        self.cpu = 0.0

    @contextmanager
    def installed(self) -> Iterator[None]:
        cls = smmod.SecureMessaging
        originals = (cls.protect_command, cls.unprotect_response)
        timer = self

        def timed(fn: Callable[..., Any]) -> Callable[..., Any]:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                t0 = time.process_time()
                try:
                    return fn(*args, **kwargs)
                finally:
                    timer.cpu += time.process_time() - t0

            return wrapper

        cls.protect_command = timed(originals[0])  # type: ignore[method-assign]
        cls.unprotect_response = timed(originals[1])  # type: ignore[method-assign]
        try:
            yield
        finally:
            cls.protect_command, cls.unprotect_response = originals  # type: ignore[method-assign]


class StepClock:
    """Progress callback noting, at the first report of each step, the APDU count and the
    reader's CPU so far (the chip's subtracted): the phase boundaries, seen from outside."""

    def __init__(self, link: LinkModelTransport, chip: TimedChip) -> None:
        self._link, self._chip = link, chip
        self.marks: dict[str, int] = {}
        self.stamps: dict[str, float] = {}

    def __call__(self, step: str, done: int, total: int) -> None:
        if step not in self.marks:
            self.marks[step] = self._link.apdus
            self.stamps[step] = time.process_time() - self._chip.cpu


def _key(card: dumpmod.CardDump, protocol: str = "auto") -> AccessKey:
    if card.access.can and "EF.CardAccess" in card.files and protocol != "BAC":
        return AccessKey.from_can(card.access.can)
    if card.access.mrz:
        return AccessKey.from_mrz(card.access.mrz)
    raise SystemExit("sample without access data")


def _max_chunk(limits: ReadLimits, block: int | None, chip_max: int) -> int:
    """Largest plain READ BINARY the reader's limits leave (``block`` None: no SM)."""
    cap = limits.max_response if limits.extended else min(256, limits.max_response)
    best = sm_plain_capacity(cap, block) if block else cap
    if limits.max_chunk is not None:
        best = min(best, limits.max_chunk)
    return min(best, chip_max)


def apdus_min(
    result: ReadResult,
    exchanges: list[Any],
    marks: dict[str, int],
    limits: ReadLimits,
    chip_max: int,
    start: int = 0,
) -> int:
    """Fewest APDUs any reader needs for this read within ``limits`` (see bench/README.md).

    Access and clone-detection commands as the protocols fix them; one SELECT of the LDS1
    application (a DF cannot be reached by SFI); EF.CardAccess read by SFI, or one probe when
    the chip has none; ceil(size / largest chunk) READ BINARY per file, SFI selecting it; one
    refused READ per protected or missing file; one READ for the Chip Authentication proof.
    """
    # a session abandoned by a recovery (the first ``start`` exchanges) is not needed at all
    access = sum(1 for ex in exchanges[start:] if ex.ins in ACCESS_INS)
    block = 16 if result.access.cipher.startswith("AES") else 8
    n = access + 1
    ca = result.card_access
    n += math.ceil(len(ca) / _max_chunk(limits, None, chip_max)) if ca is not None else 1
    chunk = _max_chunk(limits, block, chip_max)
    for name, data in result.files.items():
        if name != "EF.CardAccess":
            n += math.ceil(len(data) / chunk)
    n += len(result.protected) + len(result.missing)
    clone = exchanges[marks.get("chip authentication", len(exchanges)) :]
    if any(ex.ins in READ_INS for ex in clone):
        n += 1
    return n


def bench_sample(
    path: Path,
    *,
    runs: int,
    limits: ReadLimits,
    protocol: str = "auto",
    trust: TrustStore | None = None,
    sfi_chip: bool = True,
    chip_mode: str | None = None,
) -> dict[str, Any]:
    """One row. ``chip_mode``: a chip that treats extended length as other manufacturers'
    do (:data:`cccd_sim.chip.EXTENDED_MODES`), read with the same reader limits."""
    card = dumpmod.load(path)
    profile = card_profiles().get(card.profile or "")
    model = LinkModel(LinkParams.from_profiles(card=profile))
    cpu: dict[str, list[float]] = {
        k: [] for k in ("read", "access", "sm", "files", "clone", "parse", "verify", "image")
    }
    result: ReadResult | None = None
    link: LinkModelTransport | None = None
    marks: dict[str, int] = {}
    chip_max = 65536
    for _ in range(runs):
        chip = chip_for_dump(card)
        chip.config.extended_length = limits.extended
        chip.config.sfi_supported = sfi_chip
        if chip_mode is not None:
            takes, announce, refusal = EXTENDED_MODES[chip_mode]
            chip.config.extended_length = takes
            chip.config.extended_announce = announce
            chip.config.extended_refusal = refusal
        chip_max = chip.config.max_read
        timed = TimedChip(chip.process)
        link = LinkModelTransport(
            InProcessTransport(timed, extended=limits.extended, atr=chip.atr), model
        )
        steps = StepClock(link, timed)
        marks = steps.marks
        sm_timer = SMTimer()
        with sm_timer.installed():
            t0 = time.process_time()
            result = read_card(
                link, _key(card, protocol), limits=limits, protocol=protocol, progress=steps
            )
            t_end = time.process_time() - timed.cpu
        t_files = steps.stamps.get("EF.COM", t_end)
        t_clone = steps.stamps.get("chip authentication", t_end)
        cpu["read"].append(t_end - t0)
        cpu["access"].append(t_files - t0)
        cpu["files"].append(t_clone - t_files)
        cpu["clone"].append(t_end - t_clone)
        cpu["sm"].append(sm_timer.cpu)
        t1 = time.process_time()
        record = CardRecord.from_files(result.files, decode_photo=False)
        t2 = time.process_time()
        verify(result.files, trust, extra_checks=tuple(result.chip_checks))
        t3 = time.process_time()
        CardRecord.from_files(result.files, decode_photo=True)
        t4 = time.process_time()
        cpu["parse"].append(t2 - t1)
        cpu["verify"].append(t3 - t2)
        cpu["image"].append(max(0.0, (t4 - t3) - (t2 - t1)))
        del record
    assert result is not None and link is not None
    payload = sum(len(v) for v in result.files.values())
    ext = result.extended_length
    effective = limits if ext.used or not limits.extended else ReadLimits(
        extended=False, max_response=limits.max_response, max_chunk=limits.max_chunk,
        sfi=limits.sfi)
    minimum = apdus_min(result, link.exchanges, marks, effective, chip_max,
                        start=ext.extra_apdus)
    ms = {k: statistics.median(v) * 1000 for k, v in cpu.items()}
    row: dict[str, Any] = {
        "protocol": result.access.protocol,
        "cipher": result.access.cipher,
        "extended": limits.extended,
        "apdus": result.stats.apdus,
        "apdus_min": minimum,
        "bytes_sent": result.stats.bytes_sent,
        "bytes_received": result.stats.bytes_received,
        "payload_bytes": payload,
        "extended_used": ext.used,
        "chip_says": f"{ext.chip} ({ext.source})",
        "recovered": ext.recovered,
        "extra_apdus": ext.extra_apdus,
    }
    for rate in BIT_RATES:
        row[f"modeled_ms_{rate}"] = round(link.modeled_ms(rate), 1)
        row[f"bound_ms_{rate}"] = round(model.bound_us(payload, minimum, rate) / 1000, 1)
    row["host_cpu_ms"] = round(ms["read"], 2)
    for phase in ("access", "sm", "files", "clone", "parse", "verify", "image"):
        row[f"cpu_{phase}_ms"] = round(ms[phase], 2)
    row["cpu_read_pa_ms"] = round(ms["read"] + ms["parse"] + ms["verify"], 2)
    return row


def verify_throughput(path: Path, trust: TrustStore | None, n: int) -> float:
    """Verified dumps per second on one core: CardRecord.build without the photo decode."""
    card = dumpmod.load(path)
    CardRecord.build(card.files, trust=trust, decode_photo=False)  # warm caches and imports
    t0 = time.process_time()
    for _ in range(n):
        CardRecord.build(card.files, trust=trust, decode_photo=False)
    return n / max(time.process_time() - t0, 1e-9)


def qr_rate(frames: int) -> dict[str, Any]:
    """cccd_reader.qr.decode on synthetic 1280x720 frames with a card's QR in them."""
    try:
        import cv2
        import numpy as np

        from cccd_reader.qr.decode import available_decoders, decode_image
    except ImportError as exc:
        return {"available": False, "reason": str(exc)}
    if not available_decoders():
        return {"available": False, "reason": "no QR decoder installed"}
    text = (
        "001190012345|123456789|Nguyễn Thị Ngọc Ánh|12051990|Nữ|"
        "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|12052021"
    )
    params = cv2.QRCodeEncoder.Params()
    params.mode = cv2.QRCODE_ENCODER_MODE_BYTE
    modules = cv2.QRCodeEncoder.create(params).encode(text.encode("utf-8"))
    rng = np.random.default_rng(11)
    images = []
    for _ in range(frames):
        side = int(rng.integers(180, 360))
        qr = cv2.resize(modules, (side, side), interpolation=cv2.INTER_NEAREST)
        frame = np.full((720, 1280, 3), (200, 215, 225), np.uint8)
        frame = cv2.add(frame, rng.integers(0, 12, frame.shape, dtype=np.uint8))
        x, y = int(rng.integers(40, 1280 - side - 40)), int(rng.integers(20, 720 - side - 20))
        frame[y : y + side, x : x + side] = cv2.cvtColor(qr, cv2.COLOR_GRAY2BGR)
        images.append(frame)
    def measure(decoders: tuple[str, ...] | None) -> dict[str, Any]:
        decoded = 0
        t0 = time.perf_counter()
        for frame in images:
            try:
                decoded += decode_image(frame, decoders=decoders).text == text
            except Exception:  # a miss counts against the rate, never stops the benchmark
                pass
        wall = time.perf_counter() - t0
        return {
            "decoded": decoded,
            "decode_rate": round(decoded / frames, 3),
            "fps": round(frames / wall, 1),
        }

    chain = measure(None)
    per_decoder = {name: measure((name,)) for name in available_decoders()}
    return {
        "available": True,
        "frames": frames,
        **chain,
        "decoders": available_decoders(),
        "per_decoder": per_decoder,
    }


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version()}


def run(quick: bool) -> dict[str, Any]:
    runs = 1 if quick else 15
    trust = TrustStore.from_paths([ROOT / "samples" / "pki"], include_default=False)
    out: dict[str, Any] = {}
    variants: list[tuple[str, ReadLimits, str, bool]] = [
        ("", ReadLimits(extended=True), "auto", True),
        (" (short APDUs)", ReadLimits(extended=False), "auto", True),
        (" (short Le 0xDF, SELECT)", ReadLimits(extended=False, max_chunk=0xDF, sfi=False),
         "auto", True),
        (" (short Le 0xA0, SELECT)", ReadLimits(extended=False, max_chunk=0xA0, sfi=False),
         "auto", True),
        (" (chip without SFI)", ReadLimits(extended=True), "auto", False),
    ]
    for card_json in sorted((ROOT / "samples").glob("*/card.json")):
        sample = card_json.parent
        card = dumpmod.load(sample)
        todo = list(variants)
        if "EF.CardAccess" in card.files and chip_for_dump(card).config.bac:
            # the same chip opened with BAC, beside its PACE read
            todo.append((" (BAC)", ReadLimits(extended=True), "BAC", True))
        for suffix, limits, protocol, sfi_chip in todo:
            out[f"{sample.name}{suffix}"] = bench_sample(
                sample, runs=runs, limits=limits, protocol=protocol, trust=trust,
                sfi_chip=sfi_chip,
            )
        if sample.name in CHIP_MODE_SAMPLES:
            # chips that say no, say it in EF.ATR/INFO, say nothing (and take it, refuse it
            # with 6700/6988, or go mute), read by a reader that carries extended length
            for mode in EXTENDED_MODES:
                if mode == "yes":
                    continue  # the main row: the samples' chips say yes in their ATR
                out[f"{sample.name} (chip: {mode})"] = bench_sample(
                    sample, runs=runs, limits=ReadLimits(extended=True), trust=trust,
                    chip_mode=mode,
                )
        out[sample.name]["verify_dumps_per_s"] = round(
            verify_throughput(sample, trust, 20 if quick else 300)
        )
    out["qr 1280x720"] = qr_rate(3 if quick else 40)
    out["machine"] = machine()
    return out


def print_table(out: dict[str, Any]) -> None:
    rows = {k: v for k, v in out.items() if isinstance(v, dict) and "apdus" in v}
    width = max(len(k) for k in rows) + 2
    head = (
        f"{'read':<{width}}{'access':<14}{'apdus':>6}{'min':>5}{'recv B':>8}{'payload':>8}"
        f"{'106 ms':>8}{'212 ms':>8}{'424 ms':>8}{'848 ms':>8}{'bound424':>9}{'x bound':>8}"
    )
    print(head)
    for name, r in rows.items():
        acc = f"{r['protocol']}/{r['cipher']}"
        ratio = r["modeled_ms_424"] / r["bound_ms_424"]
        print(
            f"{name:<{width}}{acc:<14}{r['apdus']:>6}{r['apdus_min']:>5}"
            f"{r['bytes_received']:>8}{r['payload_bytes']:>8}"
            + "".join(f"{r[f'modeled_ms_{b}']:>8.0f}" for b in BIT_RATES)
            + f"{r['bound_ms_424']:>9.0f}{ratio:>8.2f}"
        )
    print()
    phases = ("access", "sm", "files", "clone", "parse", "verify", "image")
    print(
        f"{'host CPU, ms (median)':<{width}}{'read':>7}"
        + "".join(f"{p:>8}" for p in phases) + f"{'read+PA':>9}{'dumps/s':>9}"
    )
    for name, r in rows.items():
        print(
            f"{name:<{width}}{r['host_cpu_ms']:>7.2f}"
            + "".join(f"{r[f'cpu_{p}_ms']:>8.2f}" for p in phases)
            + f"{r['cpu_read_pa_ms']:>9.2f}"
            + (f"{r['verify_dumps_per_s']:>9}" if "verify_dumps_per_s" in r else "")
        )
    print()
    qr = out.get("qr 1280x720", {})
    if qr.get("available"):
        print(
            f"QR 1280x720: {qr['decoded']}/{qr['frames']} frames decoded, {qr['fps']} fps "
            f"({', '.join(qr['decoders'])})"
        )
        for name, row in qr["per_decoder"].items():
            print(f"  {name:<8} {row['decoded']}/{qr['frames']} decoded, {row['fps']} fps")
    else:
        print(f"QR 1280x720: not measured ({qr.get('reason', '?')})")
    m = out["machine"]
    print(f"machine: {m['nproc']} CPUs, {m['cpu']}, Python {m['python']}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="one run per sample (CI)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out = run(args.quick)
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        print_table(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
