"""The lock in lock/ covers pyproject.toml: every requirement of the package and of each extra
is pinned, within its range, with hashes, at one version across the lock files; the installers
and the build backend are pinned too. A dependency added to pyproject.toml without refreshing
the lock (``./run lock``) fails here."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO

LOCK = REPO / "lock"
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
EXTRAS = sorted(PROJECT["project"]["optional-dependencies"])
#: The machines the lock is for: Linux x86_64, CPython 3.11 (Debian 12).
TARGET = {**default_environment(), "python_version": "3.11", "python_full_version": "3.11.2",
          "sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64",
          "os_name": "posix", "implementation_name": "cpython",
          "platform_python_implementation": "CPython"}
_ENTRY = re.compile(
    r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s*\\\n\s*--hash=sha256:[0-9a-f]{64})+)",
    re.MULTILINE)


def pins(path: Path) -> dict[str, str]:
    text = path.read_text("utf-8")
    found = {canonicalize_name(m.group(1)): m.group(2) for m in _ENTRY.finditer(text)}
    # every pinned line carries its hashes (the regex only matches hashed entries)
    assert len(found) == len(re.findall(r"^[A-Za-z0-9][A-Za-z0-9._-]*==", text, re.MULTILINE))
    return found


def requirements(extra: str | None) -> list[Requirement]:
    listed = PROJECT["project"]["dependencies"] + (
        PROJECT["project"]["optional-dependencies"][extra] if extra else [])
    reqs = [Requirement(r) for r in listed]
    return [r for r in reqs if r.marker is None or r.marker.evaluate(TARGET)]


def _check(lock: Path, reqs: list[Requirement]) -> None:
    pinned = pins(lock)
    for req in reqs:
        name = canonicalize_name(req.name)
        assert name in pinned, f"{req} is missing from {lock.name}: run ./run lock"
        assert req.specifier.contains(pinned[name], prereleases=True), (
            f"{lock.name} pins {name}=={pinned[name]}, outside {req}: run ./run lock")


def test_the_base_lock_covers_the_package() -> None:
    _check(LOCK / "base.txt", requirements(None))


@pytest.mark.parametrize("extra", EXTRAS)
def test_each_extra_has_its_lock(extra: str) -> None:
    _check(LOCK / f"{extra}.txt", requirements(extra))


@pytest.mark.parametrize("extra", EXTRAS)
def test_the_full_lock_covers_every_extra(extra: str) -> None:
    _check(LOCK / "all.txt", requirements(extra))


def test_one_version_per_package_across_the_lock_files() -> None:
    everything = pins(LOCK / "all.txt")
    for path in sorted(LOCK.glob("*.txt")):
        if path.name == "tools.txt":
            continue
        for name, version in pins(path).items():
            assert everything.get(name) == version, f"{path.name}: {name}=={version}"


def test_no_lock_file_for_an_extra_that_is_gone() -> None:
    expected = {"all.txt", "base.txt", "tools.txt"} | {f"{e}.txt" for e in EXTRAS}
    assert {p.name for p in LOCK.glob("*.txt")} == expected


def test_the_installers_and_the_build_backend_are_pinned() -> None:
    tools = pins(LOCK / "tools.txt")
    assert {"pip", "setuptools", "wheel", "uv"} <= set(tools)
    for spec in PROJECT["build-system"]["requires"]:
        req = Requirement(spec)
        assert req.specifier.contains(tools[canonicalize_name(req.name)]), spec
