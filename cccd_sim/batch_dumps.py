"""Trees of many dumps, valid and broken, for batch tests and the batch benchmark.

A QA batch mixes good cards, forged or damaged ones, and dumps that cannot even be loaded.
:func:`write_batch` writes ``count`` dumps in that mix, deterministically for a seed, from the
synthetic samples (valid ones and the negative samples) and the issuer's forgeries
(:func:`~cccd_sim.issuer.tamper_file`, :func:`~cccd_sim.issuer.corrupt_sod_signature`,
:func:`~cccd_sim.issuer.truncate_sod`), spread over nested directories.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from cccd_reader import dump as dumpmod
from cccd_reader.dump import CardDump
from cccd_reader.samples import samples_dir
from cccd_sim.issuer import corrupt_sod_signature, tamper_file, truncate_sod

__all__ = ["KINDS", "write_batch"]

VALID = (
    "passport-utopia-td3",
    "vn-cancuoc-2024-dang-huu-phuoc",
    "vn-cccd-2021-le-thi-thu-huong-lifetime",
    "vn-cccd-2021-nguyen-thi-ngoc-anh",
)

#: (kind, weight): most of a batch is genuine cards, as on a real personalisation line.
KINDS: tuple[tuple[str, int], ...] = (
    ("valid", 10),
    ("negative-sample", 3),
    ("tampered-dg", 2),
    ("flipped-signature", 1),
    ("truncated-sod", 1),
    ("unloadable", 1),
)


def _bases() -> tuple[list[CardDump], list[CardDump]]:
    root = samples_dir()
    valid = [dumpmod.load(root / name) for name in VALID]
    negative = [
        dumpmod.load(path.parent)
        for path in sorted((root / "negative").glob(f"*/{dumpmod.CARD_JSON}"))
    ]
    return valid, negative


def _broken(target: Path, rng: random.Random, base: CardDump) -> None:
    """A dump ``cccd_reader.dump.load`` refuses, each in its own way."""
    dumpmod.save(base, target)
    how = rng.randrange(4)
    if how == 0:
        (target / dumpmod.CARD_JSON).write_text("{not json", encoding="utf-8")
    elif how == 1:
        (target / "DG99").write_bytes(b"\x00")
    elif how == 2:
        (target / "DG1").write_bytes(b"")
    else:
        (target / dumpmod.CARD_JSON).write_text('{"format": "cccd-dump/0"}', encoding="utf-8")


def write_batch(directory: str | Path, count: int, *, seed: int = 32,
                per_directory: int = 100) -> list[Path]:
    """Write ``count`` dumps under ``directory`` (``NNN/NNNNNN-kind``); return their paths in
    the order ``cccd verify`` finds them."""
    rng = random.Random(seed)
    valid, negative = _bases()
    kinds = [kind for kind, _ in KINDS]
    weights = [weight for _, weight in KINDS]
    makers: dict[str, Callable[[CardDump], CardDump]] = {
        "valid": lambda d: d,
        "tampered-dg": lambda d: tamper_file(
            d, rng.choice(sorted(n for n in d.files if n.startswith("DG")))),
        "flipped-signature": corrupt_sod_signature,
        "truncated-sod": lambda d: truncate_sod(d, keep=rng.randrange(8, len(d.files["EF.SOD"]))),
    }
    paths = []
    root = Path(directory)
    for i in range(count):
        kind = rng.choices(kinds, weights)[0]
        target = root / f"{i // per_directory:03d}" / f"{i:06d}-{kind}"
        target.parent.mkdir(parents=True, exist_ok=True)
        base = rng.choice(valid)
        if kind == "unloadable":
            _broken(target, rng, base)
        elif kind == "negative-sample":
            dumpmod.save(rng.choice(negative), target)
        else:
            dumpmod.save(makers[kind](base), target)
        paths.append(target)
    return paths
