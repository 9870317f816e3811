"""Build step: the wheel carries a copy of ``samples/`` as ``cccd_reader/data/samples``.

The samples stay at the repository root (docs and tests name ``samples/...``); an installed
package finds the copy through :func:`cccd_reader.samples.samples_dir`. A plain file copy at
build time, not a symlink, so it works the same from a clean clone and from the sdist (which
carries ``samples/`` through MANIFEST.in). Everything else is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SAMPLES = Path(__file__).resolve().parent / "samples"
TARGET = ("cccd_reader", "data", "samples")


class BuildPyWithSamples(build_py):
    """``build_py`` plus the copy of samples/ into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install runs from the checkout, whose samples/ is used as is
        if not (SAMPLES / "pki").is_dir():
            raise SystemExit(f"cannot build cccd-reader: {SAMPLES} (with pki/) is missing")
        target = Path(self.build_lib, *TARGET)
        if target.exists():
            shutil.rmtree(target)  # never ship a stale sample left by an earlier build
        shutil.copytree(SAMPLES, target, ignore=shutil.ignore_patterns("__pycache__", ".*"))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs: list[str] = super().get_outputs(include_bytecode)
        target = Path(self.build_lib, *TARGET)
        return outputs + [str(p) for p in sorted(target.rglob("*")) if p.is_file()]


setup(cmdclass={"build_py": BuildPyWithSamples})
