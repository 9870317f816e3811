"""Build step: the wheel carries copies of top-level folders inside the package.

``samples/`` (synthetic dumps and their test PKI) and ``firmware_profiles/`` (reader and card
profiles) stay at the repository root, where docs, tests and people name them; the wheel carries
each as ``cccd_reader/data/<name>``, and :mod:`cccd_reader.repo_data` finds the checkout's or
the installed copy. A plain file copy at build time, not a symlink, so it works the same from a
clean clone and from the sdist (which carries both folders through MANIFEST.in). Everything
else is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: The folders copied, and a file each must hold (a build without it would ship nothing).
SHIPPED = {"samples": "pki", "firmware_profiles": "readers"}


class BuildPyWithData(build_py):
    """``build_py`` plus the copies of the top-level data folders into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install runs from the checkout, whose folders are used as is
        for name, needed in SHIPPED.items():
            if not (ROOT / name / needed).exists():
                raise SystemExit(f"cannot build cccd-reader: {ROOT / name / needed} is missing")
            target = Path(self.build_lib, "cccd_reader", "data", name)
            if target.exists():
                shutil.rmtree(target)  # never ship a stale file left by an earlier build
            shutil.copytree(ROOT / name, target,
                            ignore=shutil.ignore_patterns("__pycache__", ".*"))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs: list[str] = super().get_outputs(include_bytecode)
        for name in SHIPPED:
            target = Path(self.build_lib, "cccd_reader", "data", name)
            outputs += [str(p) for p in sorted(target.rglob("*")) if p.is_file()]
        return outputs


setup(cmdclass={"build_py": BuildPyWithData})
