"""Where the synthetic demo samples and their test PKI are, from a checkout or an installed wheel.

The repository keeps them in ``samples/`` at its root (docs and tests name ``samples/...``);
the wheel carries a copy as ``cccd_reader/data/samples`` (setup.py copies it at build time,
from a clean clone as from an sdist); :mod:`cccd_reader.repo_data` decides which one is used.
Every key and certificate here is synthetic and public: the PKI is
trusted by ``cccd demo`` only, never by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from cccd_reader import repo_data
from cccd_reader.errors import CccdError

#: The sample ``cccd demo`` (and the desktop's demo mode) reads when given none.
DEMO_SAMPLE = "vn-cccd-2021-nguyen-thi-ngoc-anh"
#: The synthetic test PKI's directory, as a name :func:`sample_path` accepts.
PKI = "pki"
_DUMP_MARKER = "card.json"


class SamplesNotFoundError(CccdError):
    """Neither a checkout's ``samples/`` nor the installed copy exists, or a name is unknown."""

    code: ClassVar[str] = "samples_not_found"


@dataclass(frozen=True)
class Sample:
    """One sample dump: its name relative to the samples directory and its path."""

    name: str  # e.g. "vn-cccd-2021-nguyen-thi-ngoc-anh" or "negative/tampered-dg2"
    path: Path


def installed_samples() -> Path:
    """Where the wheel's build step puts the copy: ``cccd_reader/data/samples``."""
    return repo_data.installed_copy("samples")


def samples_dir() -> Path:
    """The samples directory: the checkout's first, else the copy inside the installed package.

    Raises :class:`SamplesNotFoundError` naming both places when neither exists (a wheel built
    without its data), rather than letting a later step fail on a path that is not there.
    """
    found = repo_data.data_path("samples")
    if found.is_dir():
        return found
    installed = installed_samples()
    raise SamplesNotFoundError(
        f"no demo samples: neither {installed.parents[2] / 'samples'} (a checkout) nor "
        f"{installed} (the installed package) is a directory",
        params={"path": str(installed)},
    )


def pki_dir() -> Path:
    """The synthetic test PKI (CSCAs, CRLs, DSCs) that signs the samples."""
    return samples_dir() / PKI


def demo_trust_paths() -> list[Path]:
    """The test CSCAs and their CRLs: what ``cccd demo`` trusts (never trust them for real)."""
    pki = pki_dir()
    return sorted([*pki.glob("csca-*.der"), *pki.glob("csca-*.crl")])


def list_samples() -> list[Sample]:
    """Every sample dump (a directory with a card.json), negative ones included, by name."""
    root = samples_dir()
    dumps = sorted(p.parent for p in root.rglob(_DUMP_MARKER))
    return [Sample(p.relative_to(root).as_posix(), p) for p in dumps]


def sample_path(name: str) -> Path:
    """The path of the sample called ``name`` (as :func:`list_samples` names it), or ``pki``.

    Only the listed names are accepted, so a name can never reach outside the samples
    directory (``../x``, an absolute path).
    """
    if name == PKI:
        return pki_dir()
    for sample in list_samples():
        if sample.name == name:
            return sample.path
    raise SamplesNotFoundError(f"no sample called {name!r} (cccd samples lists them)",
                               params={"name": name})
