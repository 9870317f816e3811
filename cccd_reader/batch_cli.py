"""``cccd verify`` and ``cccd conformance`` over trees of dumps: the command-line side of
:mod:`cccd_reader.batch` (output, progress bar, Ctrl-C, exit code).

Output streams as results arrive, in input order: ``--jsonl`` one JSON object per dump
(``path`` with ``verdict`` and ``checks``, the conformance suite, or ``error``); the default
one line per dump. Errors of single dumps are one line on stderr and the batch goes on. The
closing summary goes to stderr, so standard output holds only the per-dump data. Reports that
need every result at once (``conformance --json``, ``--junit``, ``--html``; ``verify --json``
streams a JSON array instead) keep the suites in memory until the end.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cccd_reader import batch
from cccd_reader import dump as dumpmod
from cccd_reader.errors import CccdError
from cccd_reader.progress import Progress

if TYPE_CHECKING:
    from cccd_reader.conformance.results import SuiteReport
    from cccd_reader.pki.trust import TrustStore
    from cccd_reader.qr.payload import QRData

__all__ = [
    "add_batch_args",
    "conformance_suites",
    "is_batch",
    "jobs_for",
    "usage_problem",
    "verify_batch",
]

EXIT_INTERRUPTED = 130


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of workers of 1 or more")
    return value


def add_batch_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jobs", "-j", type=_positive, metavar="N",
                   help="worker processes (default: the machine's cores, at most 64; 1 runs in "
                        "process)")
    p.add_argument("--jsonl", action="store_true",
                   help="one JSON object per dump, in input order, as results arrive")


#: More workers than this only costs memory: a batch is CPU-bound.
MAX_JOBS = 64


def jobs_for(args: argparse.Namespace, count: int) -> int:
    """Workers for ``count`` dumps: as asked (default: the cores), never more than there are
    dumps, nor than :data:`MAX_JOBS`."""
    jobs = args.jobs if args.jobs is not None else batch.default_jobs()
    return max(1, min(jobs, count, MAX_JOBS))


def is_batch(args: argparse.Namespace) -> bool:
    """More than one path, a directory that is not itself a dump, or ``--jsonl``."""
    from cccd_reader.conformance.runner import find_dumps

    if args.jsonl or len(args.dumps) != 1:
        return True
    path = Path(args.dumps[0])
    return path.is_dir() and find_dumps([path]) != [path]


def _trust_spec(args: argparse.Namespace) -> batch.TrustSpec:
    return batch.TrustSpec(tuple(args.trust or ()), not args.no_default_trust,
                           bool(args.require_crl))


def _results(
    paths: list[str], config: batch.BatchConfig, jobs: int, trust: TrustStore | None,
    tally: batch.Tally, progress: Progress,
) -> Iterator[batch.DumpResult]:
    for result in batch.run_batch(paths, config, jobs=jobs, trust=trust):
        tally.add(result)
        progress.update(tally.done)
        yield result


def _emit(progress: Progress, text: str, stream: Any = None) -> None:
    progress.clear()
    (stream or sys.stdout).write(text)
    progress.redraw()


def _closing(progress: Progress, tally: batch.Tally, *, interrupted: bool,
             broken: bool = False) -> int:
    progress.clear()
    sys.stdout.flush()
    if interrupted:
        print(f"cccd: interrupted: {tally.summary()}", file=sys.stderr)
        return EXIT_INTERRUPTED
    if broken:  # a worker was killed (out of memory, a signal): the rest cannot be checked
        print(f"error: a worker process ended abruptly; {tally.summary()}", file=sys.stderr)
        return batch.EXIT_ERROR
    print(f"cccd: {tally.summary()}", file=sys.stderr)
    return tally.code


def _dump_paths(args: argparse.Namespace) -> list[str]:
    from cccd_reader.conformance.runner import find_dumps

    return [str(p) for p in find_dumps(args.dumps)]


def usage_problem(args: argparse.Namespace, *, keep: bool = False) -> str | None:
    """What makes the batch options contradict each other (the CLI exits 2), or None."""
    if args.jsonl and getattr(args, "json", False):
        return "--json and --jsonl exclude each other"
    if args.jsonl and keep:
        return "--jsonl streams results; it excludes --junit, --html and --live"
    return None


def verify_batch(args: argparse.Namespace, trust: TrustStore | None) -> int:
    """``cccd verify`` over dumps and trees: exit code the worst of the dumps'."""
    from cccd_reader.pki.trust import seen as trust_seen

    paths = _dump_paths(args)
    if not paths:  # verifying nothing is no success (a mistyped directory, most likely)
        where = ", ".join(args.dumps)
        print(f"error: no {dumpmod.FORMAT} dump (a directory with {dumpmod.CARD_JSON}) "
              f"under {where}", file=sys.stderr)
        return batch.EXIT_INPUT
    recording = trust_seen.enabled()
    render: batch.Render | None = "json" if args.json else "jsonl" if args.jsonl else None
    config = batch.BatchConfig("verify", _trust_spec(args), want_dsc=recording, render=render)
    tally = batch.Tally(total=len(paths))
    progress = Progress(len(paths))
    first = True
    try:
        if args.json:
            sys.stdout.write("[")
        for result in _results(paths, config, jobs_for(args, len(paths)), trust, tally,
                               progress):
            if result.dsc is not None:
                _note_seen(result.dsc)
            if args.json:
                _emit(progress, ("\n" if first else ",\n") + _text(result, indent=2))
            elif args.jsonl:
                _emit(progress, _text(result) + "\n")
            if result.error is not None:
                _emit(progress, f"error: {result.path}: {result.error}\n", sys.stderr)
            elif not (args.json or args.jsonl):
                _emit(progress, _verdict_line(result))
            first = False
        if args.json:
            sys.stdout.write("\n]\n")
    except KeyboardInterrupt:
        return _closing(progress, tally, interrupted=True)
    except BrokenProcessPool:
        return _closing(progress, tally, interrupted=False, broken=True)
    return _closing(progress, tally, interrupted=False)


def _text(result: batch.DumpResult, indent: int | None = None) -> str:
    """The result's JSON, as the worker wrote it (or written here)."""
    if result.rendered is not None:
        return result.rendered
    return json.dumps(result.to_json(), ensure_ascii=False, indent=indent)


def _verdict_line(result: batch.DumpResult) -> str:
    """``verdict  path  (what kept it from genuine)``."""
    verdict = result.verdict or "?"
    why = [f"{c['name']}: fail" for c in result.checks if c["status"] == "fail"] or [
        f"{c['name']}: {c['status']}" for c in result.checks
        if c.get("required", True) and c["status"] != "pass"
    ]
    tail = f"  ({', '.join(why)})" if why and verdict != "genuine" else ""
    return f"{verdict:<13}{result.path}{tail}\n"


def _note_seen(der: bytes) -> None:
    """Record the signer of a verified dump (``cccd trust seen``), as ``cccd verify`` does."""
    from cccd_reader.pki.trust import Cert
    from cccd_reader.pki.trust import seen as trust_seen

    try:
        trust_seen.record_seen(Cert.load(der, "EF.SOD"))
    except (CccdError, OSError) as exc:
        print(f"cccd: document signers seen not recorded: {exc}", file=sys.stderr)


def conformance_suites(
    args: argparse.Namespace, trust: TrustStore | None, qr: QRData | None,
    *, keep: bool,
) -> tuple[list[SuiteReport], int]:
    """Run the catalogue over ``args.paths``; stream text or JSONL lines unless ``keep``
    (a report that needs every suite: they are returned). Returns (suites kept, exit code)."""
    from cccd_reader.conformance.report import suite_lines
    from cccd_reader.conformance.runner import find_dumps

    paths = [str(p) for p in find_dumps(args.paths)]
    config = batch.BatchConfig("conformance", _trust_spec(args), qr=qr, strict=args.strict)
    tally = batch.Tally(total=len(paths))
    progress = Progress(len(paths))
    kept: list[SuiteReport] = []
    conformant = 0
    try:
        for result in _results(paths, config, jobs_for(args, len(paths)), trust, tally,
                               progress):
            suite = result.suite
            if suite is None:  # an internal error: no suite could be made
                _emit(progress, f"error: {result.path}: {result.error}\n", sys.stderr)
                continue
            conformant += suite.conformant
            if keep:
                kept.append(suite)
            elif args.jsonl:
                _emit(progress, json.dumps({"path": result.path, **suite.to_json()},
                                           ensure_ascii=False) + "\n")
            else:
                _emit(progress, "\n".join(suite_lines(suite, verbose=args.verbose > 0)) + "\n")
        if not keep and not args.jsonl and paths:
            _emit(progress, f"{conformant} of {tally.done} conformant\n")
    except KeyboardInterrupt:
        return kept, _closing(progress, tally, interrupted=True)
    except BrokenProcessPool:
        return kept, _closing(progress, tally, interrupted=False, broken=True)
    progress.clear()
    if len(paths) > 1:
        print(f"cccd: {tally.summary()}", file=sys.stderr)
    return kept, tally.code
