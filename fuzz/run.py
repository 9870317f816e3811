"""Run the fuzz targets: ``python fuzz/run.py [--seconds N | --runs N] [--jobs J] [target...]``.

Each target runs in its own child process, because libFuzzer (under atheris) owns the process:
it exits on the first crash and enforces the per-input timeout (``-timeout``, SIGALRM) and the
memory cap (``-rss_limit_mb`` / ``-malloc_limit_mb``) itself. The parent only schedules at most
``--jobs`` children at a time (the CI machine has two cores shared with other work) and sums the
executed inputs from libFuzzer's final statistics.

Without atheris (it is not in the ``dev`` extra) the child falls back to a plain mutation
fuzzer with the same contract: random and TLV-aware mutations of the seeds, a per-input
``SIGALRM`` timeout and an address-space limit, but no coverage feedback.

Crashing inputs land in ``fuzz/crashes/`` (``<target>-crash-<sha1>``); the corpus each target
grew is kept in ``fuzz/corpus/<target>/`` so later runs resume from it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = HERE / "corpus"
CRASHES = HERE / "crashes"
PER_INPUT_TIMEOUT = 2  # seconds
RSS_LIMIT_MB = 2048
MALLOC_LIMIT_MB = 512


def _import_targets(instrument: bool) -> dict[str, object]:
    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(HERE))
    if instrument:
        import atheris

        with atheris.instrument_imports(include=["cccd_reader", "asn1crypto", "targets"]):
            import targets
    else:
        import targets
    return targets.TARGETS  # type: ignore[no-any-return]


def _seed_corpus(name: str, target: object) -> Path:
    directory = CORPUS / name
    directory.mkdir(parents=True, exist_ok=True)
    for seed in target.seeds():  # type: ignore[attr-defined]
        (directory / f"seed-{hashlib.sha1(seed).hexdigest()}").write_bytes(seed)
    return directory


# --- child: atheris -----------------------------------------------------------------------------


def _child_atheris(name: str, runs: int | None, seconds: int | None) -> int:
    import atheris

    targets = _import_targets(instrument=True)
    target = targets[name]
    corpus = _seed_corpus(name, target)
    CRASHES.mkdir(exist_ok=True)
    from cccd_reader.errors import CccdError

    fn = target.run  # type: ignore[attr-defined]

    def one(data: bytes) -> None:
        try:
            fn(data)
        except CccdError:
            pass

    argv = [
        sys.argv[0],
        str(corpus),
        f"-timeout={PER_INPUT_TIMEOUT}",
        f"-rss_limit_mb={RSS_LIMIT_MB}",
        f"-malloc_limit_mb={MALLOC_LIMIT_MB}",
        f"-max_len={target.max_len}",  # type: ignore[attr-defined]
        # mutate whole seeds from the start: with length control libFuzzer first cuts inputs
        # to a few dozen bytes, and every LDS file then dies on its outer TLV header
        "-len_control=0",
        f"-artifact_prefix={CRASHES}/{name}-",
        "-print_final_stats=1",
        "-print_pcs=0",
    ]
    if runs is not None:
        argv.append(f"-runs={runs}")
    if seconds is not None:
        argv.append(f"-max_total_time={seconds}")
    atheris.Setup(argv, one)
    atheris.Fuzz()
    return 0


# --- child: plain mutation fuzzer (no atheris) --------------------------------------------------


class _Hang(Exception):
    pass


def _mutate(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(8)
        pos = rng.randrange(len(buf) + 1)
        if op == 0 and buf:
            buf[min(pos, len(buf) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1 and buf:
            buf[min(pos, len(buf) - 1)] = rng.choice((0, 0x7F, 0x80, 0x81, 0x82, 0x84, 0xFF))
        elif op == 2:
            buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 3 and buf:
            del buf[pos : pos + rng.randint(1, 16)]
        elif op == 4 and buf:  # duplicate a slice: nested / repeated TLVs
            end = min(len(buf), pos + rng.randint(1, 64))
            buf[pos:pos] = buf[pos:end]
        elif op == 5:  # splice with another seed
            other = rng.choice(pool)
            cut = rng.randrange(len(other) + 1)
            buf = buf[:pos] + bytearray(other[cut:])
        elif op == 6 and len(buf) > 1:  # a long-form length announcing too much
            buf[pos : pos + 1] = bytes([0x84]) + rng.randrange(1 << 32).to_bytes(4, "big")
        elif op == 7:
            buf = buf[:pos]
    return bytes(buf)


def _child_plain(name: str, runs: int | None, seconds: int | None) -> int:
    targets = _import_targets(instrument=False)
    target = targets[name]
    corpus = _seed_corpus(name, target)
    pool = [p.read_bytes() for p in sorted(corpus.iterdir())] or [b""]
    from cccd_reader.errors import CccdError

    fn = target.run  # type: ignore[attr-defined]
    limit = RSS_LIMIT_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def alarm(signum: int, frame: object) -> None:
        raise _Hang

    signal.signal(signal.SIGALRM, alarm)
    rng = random.Random(int.from_bytes(os.urandom(8), "big"))
    deadline = time.monotonic() + seconds if seconds is not None else None
    done = 0
    while (runs is None or done < runs) and (deadline is None or time.monotonic() < deadline):
        data = _mutate(rng, rng.choice(pool), pool)[: target.max_len]  # type: ignore[attr-defined]
        done += 1
        signal.setitimer(signal.ITIMER_REAL, PER_INPUT_TIMEOUT)
        try:
            fn(data)
        except CccdError:
            pass
        except BaseException as exc:
            signal.setitimer(signal.ITIMER_REAL, 0)
            kind = "timeout" if isinstance(exc, _Hang) else "crash"
            CRASHES.mkdir(exist_ok=True)
            out = CRASHES / f"{name}-{kind}-{hashlib.sha1(data).hexdigest()}"
            out.write_bytes(data)
            traceback.print_exc()
            print(f"==ERROR: {kind} in {name}; input written to {out}", file=sys.stderr)
            print(f"stat::number_of_executed_units: {done}", file=sys.stderr)
            return 1
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    print(f"stat::number_of_executed_units: {done}", file=sys.stderr)
    return 0


# --- parent -------------------------------------------------------------------------------------


def _have_atheris() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


_UNITS = re.compile(r"stat::number_of_executed_units:\s*(\d+)")
_DONE = re.compile(r"Done (\d+) runs in")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--seconds", type=int, help="time budget per target")
    group.add_argument("--runs", type=int, help="inputs per target")
    parser.add_argument("--jobs", type=int, default=2, help="targets fuzzed at once (default 2)")
    parser.add_argument("--engine", choices=("auto", "atheris", "plain"), default="auto")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--json", help="write per-target figures to this file")
    parser.add_argument("targets", nargs="*")
    args = parser.parse_args(argv)
    if args.seconds is None and args.runs is None:
        args.seconds = 60
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if _have_atheris() else "plain"

    if args.worker:
        child = _child_atheris if engine == "atheris" else _child_plain
        return child(args.worker, args.runs, args.seconds)

    known = list(_target_names())
    names = args.targets or known
    unknown = [n for n in names if n not in known]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; known: {', '.join(known)}")
    LOGS = HERE / "logs"
    LOGS.mkdir(exist_ok=True)
    budget = ["--runs", str(args.runs)] if args.runs is not None else [
        "--seconds", str(args.seconds)
    ]
    pending = list(names)
    running: dict[str, tuple[subprocess.Popen[bytes], float]] = {}
    results: dict[str, dict[str, object]] = {}
    print(f"engine: {engine}; {len(names)} target(s), {args.jobs} at a time", flush=True)
    while pending or running:
        while pending and len(running) < max(1, args.jobs):
            name = pending.pop(0)
            log = (LOGS / f"{name}.log").open("wb")
            cmd = [sys.executable, str(Path(__file__)), "--engine", engine, "--worker", name,
                   *budget]
            running[name] = (
                subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=REPO),
                time.monotonic(),
            )
        time.sleep(0.5)
        for name, (proc, started) in list(running.items()):
            if proc.poll() is None:
                continue
            del running[name]
            text = (LOGS / f"{name}.log").read_text("utf-8", errors="replace")
            units = [int(m) for m in _UNITS.findall(text)] or [int(m) for m in _DONE.findall(text)]
            crashed = proc.returncode != 0 or "==ERROR" in text or "ERROR: libFuzzer" in text
            results[name] = {
                "inputs": units[-1] if units else 0,
                "seconds": round(time.monotonic() - started, 1),
                "crash": crashed,
                "returncode": proc.returncode,
            }
            flag = f"CRASH (see fuzz/logs/{name}.log)" if crashed else "ok"
            print(f"{name:12s} {results[name]['inputs']:>9} inputs "
                  f"{results[name]['seconds']:>7}s  {flag}", flush=True)
    total = sum(int(r["inputs"]) for r in results.values())  # type: ignore[call-overload]
    print(f"total: {total} inputs", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 1 if any(r["crash"] for r in results.values()) else 0


def _target_names() -> list[str]:
    # importing the targets in the parent costs a second but gives the one true list
    return list(_import_targets(instrument=False))


if __name__ == "__main__":
    sys.exit(main())
