"""Running the catalogue over paths: find the dumps, check each, gather one report."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cccd_reader import dump as dumpmod
from cccd_reader.conformance.dump_checks import check_dump
from cccd_reader.conformance.results import ConformanceReport

if TYPE_CHECKING:
    from cccd_reader.pki.trust import TrustStore
    from cccd_reader.qr.payload import QRData

__all__ = ["find_dumps", "run"]


def find_dumps(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Dumps named directly, plus every directory holding a ``card.json`` below a directory.

    A directory argument that is itself a dump is taken as one; anything else is searched
    recursively, so ``samples/`` yields every sample, negative ones included.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if (path / dumpmod.CARD_JSON).is_file() or not path.is_dir():
            found.append(path)
            continue
        found.extend(sorted(p.parent for p in path.rglob(dumpmod.CARD_JSON)))
    return list(dict.fromkeys(found))


def run(
    paths: Iterable[str | os.PathLike[str]],
    *,
    trust: TrustStore | None = None,
    now: datetime | None = None,
    qr: QRData | None = None,
) -> ConformanceReport:
    """Every dump under ``paths``; a path that is no dump becomes a failed ``DUMP-LOAD-001``."""
    suites = [check_dump(p, trust=trust, now=now, qr=qr) for p in find_dumps(paths)]
    return ConformanceReport(suites)
