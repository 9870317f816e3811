"""Batches of dumps: ``cccd verify`` and ``cccd conformance`` over trees of dumps, on every core.

A QA lab verifies folders of thousands of dumps. This module runs one job per dump (passive
authentication, or the conformance catalogue) in worker processes and hands the results back
**in input order**, one at a time, so a caller can stream them (``--jsonl``) and memory stays
flat however many dumps there are:

* at most ``window`` chunks of dumps are in flight; the next is submitted only when the
  oldest result has been handed on, so neither paths nor results pile up;
* each worker builds the trust store once (:class:`TrustSpec` is the recipe, not the store:
  a store does not pickle cheaply, and re-reading it from the paths is what the CLI does);
* every dump is verified against the same instant (:attr:`BatchConfig.now`, fixed when the
  batch starts), so the results do not depend on how many workers ran or how long it took;
* a dump that cannot be loaded, or whose check raised something unexpected, is one result with
  its error; the batch goes on;
* workers ignore SIGINT: Ctrl-C reaches the parent alone, which stops submitting, cancels what
  is queued and reports what was done.

The exit code of a batch is the worst of its dumps (:func:`worst`): 5 unreadable, then 6 not
genuine / not conformant, then 0.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from cccd_reader import dump as dumpmod
from cccd_reader.errors import CccdError

if TYPE_CHECKING:
    from cccd_reader.conformance.results import SuiteReport
    from cccd_reader.pki.trust import TrustStore
    from cccd_reader.qr.payload import QRData

__all__ = [
    "EXIT_ERROR",
    "EXIT_INPUT",
    "EXIT_NOT_GENUINE",
    "EXIT_OK",
    "BatchConfig",
    "DumpResult",
    "Tally",
    "TrustSpec",
    "default_jobs",
    "process_dump",
    "run_batch",
    "worst",
]

Mode = Literal["verify", "conformance"]

EXIT_OK, EXIT_ERROR, EXIT_INPUT, EXIT_NOT_GENUINE = 0, 1, 5, 6
#: Worst first: an internal error, an unreadable dump, a dump that is not genuine (or not
#: conformant), a good one.
_SEVERITY = {EXIT_OK: 0, EXIT_NOT_GENUINE: 1, EXIT_INPUT: 2, EXIT_ERROR: 3}
#: Dumps per task sent to a worker: enough to make the executor's round trip (a few hundred
#: microseconds) small beside the verifications (about a millisecond each), few enough that
#: results still arrive smoothly and little is in flight.
CHUNK = 16
#: How a result travels back already written out: ``jsonl`` one line, ``json`` indented.
Render = Literal["jsonl", "json"]


def worst(codes: Iterable[int]) -> int:
    """The batch's exit code: the most severe of the per-dump codes (0 for none)."""
    return max(codes, key=lambda code: _SEVERITY.get(code, 3), default=EXIT_OK)


def default_jobs() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class TrustSpec:
    """How to build the trust store: what each worker process needs to load it once."""

    paths: tuple[str, ...] = ()
    include_default: bool = True
    require_crl: bool = False

    def load(self) -> TrustStore:
        from cccd_reader.pki.trust import TrustStore

        store = TrustStore.from_paths(self.paths, include_default=self.include_default)
        store.require_crl = self.require_crl
        return store


@dataclass(frozen=True)
class BatchConfig:
    """What every dump of a batch is checked with (picklable: it travels to the workers)."""

    mode: Mode = "verify"
    #: None: no trust store at all (every verdict is at best ``unverified``).
    trust: TrustSpec | None = None
    #: The instant every dump is verified at, fixed once for the batch.
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    #: ``conformance --qr``: the printed QR every card is cross-checked with.
    qr: QRData | None = None
    #: ``conformance --strict``: warnings fail a dump too.
    strict: bool = False
    #: Return the DSC of each verified signature (``cccd trust seen`` recording is on).
    want_dsc: bool = False
    #: Write each result out in the worker (:attr:`DumpResult.rendered`), so the parent,
    #: the one part that does not run in parallel, only copies text (verify only).
    render: Render | None = None


@dataclass(frozen=True)
class DumpResult:
    """One dump's outcome; ``code`` is its exit code (0, 5, 6, or 1 for an internal error)."""

    path: str
    code: int
    #: verify: the verdict; conformance: the verdict of the same files, for context.
    verdict: str | None = None
    #: verify: the checks as ``Check.to_json()`` gives them.
    checks: tuple[dict[str, Any], ...] = ()
    #: conformance: the suite of this dump.
    suite: SuiteReport | None = None
    #: Why the dump could not be checked (one line), and the error's stable code.
    error: str | None = None
    error_code: str | None = None
    #: The DER of the DSC whose SOD signature verified (only with ``want_dsc``).
    dsc: bytes | None = field(default=None, repr=False)
    #: :meth:`to_json` already encoded (``BatchConfig.render``); ``checks`` is then left
    #: out of the result, which travels between processes.
    rendered: str | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The ``--jsonl`` object: path and verdict and checks (verify), the suite
        (conformance), or the error."""
        if self.error is not None:
            return {"path": self.path, "error": self.error, "error_code": self.error_code}
        if self.suite is not None:
            return {"path": self.path, **self.suite.to_json()}
        return {"path": self.path, "verdict": self.verdict, "checks": list(self.checks)}


def process_dump(path: str, config: BatchConfig, trust: TrustStore | None) -> DumpResult:
    """Check one dump; never raises (a broken dump is a result with its error)."""
    try:
        if config.mode == "conformance":
            result = _conformance(path, config, trust)
        else:
            result = _verify(path, config, trust)
    except CccdError as exc:
        result = DumpResult(path, EXIT_INPUT, error=str(exc), error_code=exc.code)
    except Exception as exc:  # one dump's bug must not end the batch
        # Not expected: every parser raises CccdError on bad input. Only the type is kept
        # (a message could quote card data).
        result = DumpResult(path, EXIT_ERROR, error=f"internal error ({type(exc).__name__})",
                            error_code="internal")
    if config.render is None or result.suite is not None:
        return result
    text = json.dumps(result.to_json(), ensure_ascii=False,
                      indent=2 if config.render == "json" else None)
    return replace(result, checks=(), rendered=text)


def _verify(path: str, config: BatchConfig, trust: TrustStore | None) -> DumpResult:
    from cccd_reader.record import CardRecord
    from cccd_reader.verify import SOD_SIGNATURE

    card = dumpmod.load(path)
    record = CardRecord.build(card.files, trust=trust, decode_photo=False, now=config.now)
    verification = record.verification
    assert verification is not None  # build() always verifies
    dsc = None
    if config.want_dsc and verification.dsc is not None:
        signed = verification.check(SOD_SIGNATURE)
        if signed is not None and signed.status == "pass":
            dsc = verification.dsc.der
    code = EXIT_OK if verification.verdict == "genuine" else EXIT_NOT_GENUINE
    return DumpResult(path, code, verification.verdict,
                      tuple(c.to_json() for c in verification.checks), dsc=dsc)


def _conformance(path: str, config: BatchConfig, trust: TrustStore | None) -> DumpResult:
    from cccd_reader.conformance.dump_checks import check_dump
    from cccd_reader.conformance.report import suite_passes

    suite = check_dump(path, trust=trust, now=config.now, qr=config.qr)
    # An unloadable dump stays a suite (a failed DUMP-LOAD-001, as JUnit and HTML show it)
    # with the exit code of unreadable input.
    if "DUMP-LOAD-001" in suite.failed_ids():
        code = EXIT_INPUT
    else:
        code = EXIT_OK if suite_passes(suite, strict=config.strict) else EXIT_NOT_GENUINE
    return DumpResult(path, code, suite.verdict, suite=suite)


# --- the workers -------------------------------------------------------------------------------

_worker: tuple[BatchConfig, TrustStore | None] | None = None


def _init_worker(config: BatchConfig) -> None:
    """Runs once in each worker: Ctrl-C is the parent's business, then the trust store."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = (config, config.trust.load() if config.trust is not None else None)


def _run_chunk(paths: Sequence[str]) -> list[DumpResult]:
    assert _worker is not None, "worker not initialised"
    config, trust = _worker
    return [process_dump(path, config, trust) for path in paths]


def _context() -> Any:
    """How workers start. ``fork`` on Linux when this process runs a single thread: the
    workers begin with everything already imported (a fork server or ``spawn`` costs a new
    interpreter and its imports first, most of a second on a small machine), and without
    other threads there is no lock a fork could copy in a held state. Otherwise the fork
    server (a clean process that forks the workers), else ``spawn`` (Windows, macOS)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods and sys.platform != "darwin":
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([__name__, "cccd_reader.record", "cccd_reader.conformance"])
        return ctx
    return multiprocessing.get_context("spawn")


def _chunks(paths: Iterable[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for path in paths:
        chunk.append(path)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_batch(
    paths: Iterable[str],
    config: BatchConfig,
    *,
    jobs: int = 1,
    trust: TrustStore | None = None,
    window: int | None = None,
    chunk: int = CHUNK,
) -> Iterator[DumpResult]:
    """The results of every dump of ``paths``, in the same order, as they become ready.

    ``jobs`` 1 runs in this process with ``trust`` (else loaded from ``config.trust``); more
    runs that many worker processes, each loading the trust once. ``window`` bounds the chunks
    in flight (default: 4 per worker). Closing the iterator (or an exception in the caller,
    Ctrl-C included) cancels what was not started yet.
    """
    if jobs <= 1:
        if trust is None and config.trust is not None:
            trust = config.trust.load()
        for path in paths:
            yield process_dump(path, config, trust)
        return
    in_flight = max(1, window if window is not None else 4 * jobs)
    pending: deque[Future[list[DumpResult]]] = deque()
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(),
                                   initializer=_init_worker, initargs=(config,))
    try:
        chunks = _chunks(paths, max(1, chunk))
        for part in chunks:
            pending.append(executor.submit(_run_chunk, part))
            if len(pending) >= in_flight:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
        executor.shutdown(wait=True, cancel_futures=True)


# --- what a batch did --------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts of a batch so far, for the closing summary (also after Ctrl-C)."""

    total: int = 0
    done: int = 0
    by_outcome: dict[str, int] = field(default_factory=dict)
    code: int = EXIT_OK

    def add(self, result: DumpResult) -> None:
        self.done += 1
        if result.code == EXIT_INPUT:
            outcome = "unreadable"
        elif result.error is not None:
            outcome = "failed"
        elif result.suite is not None:
            outcome = "conformant" if result.code == EXIT_OK else "not conformant"
        else:
            outcome = result.verdict or "unknown"
        self.by_outcome[outcome] = self.by_outcome.get(outcome, 0) + 1
        self.code = worst((self.code, result.code))

    def summary(self) -> str:
        counts = ", ".join(f"{n} {what}" for what, n in sorted(self.by_outcome.items()))
        return f"{self.done} of {self.total} dumps checked" + (f": {counts}" if counts else "")


def stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
