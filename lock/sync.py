"""Compare a virtual environment with the lock: remove what the lock no longer names, or report
how an environment of newest versions differs from it.

Run with the venv's own interpreter (``.venv/bin/python lock/sync.py ...``): it reads that
environment's installed distributions. Used by ``./run``; standard library only.

    --remove-unlocked LOCK...  uninstall every distribution no LOCK names (the project and
                               pip's own tools excepted), so a dependency dropped from the lock
                               does not linger in an old .venv
    --diff LOCK...             print each package whose installed version differs from LOCK,
                               and those only one side has; exit 1 when anything differs
"""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
_KEEP = {"cccd-reader"}
#: Pinned in tools.txt for ``./run lock`` only; never installed into a test environment.
_LOCK_ONLY = {"uv"}


def normalize(name: str) -> str:
    """PEP 503 normalized project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path: Path) -> dict[str, str]:
    """{normalized name: version} of a ``uv pip compile`` / pip-tools lock file."""
    pins: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        match = _PIN.match(line.strip())
        if match:
            pins[normalize(match.group(1))] = match.group(2)
    return pins


def installed() -> dict[str, str]:
    found: dict[str, str] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found[normalize(name)] = dist.version
    return found


def remove_unlocked(locks: list[Path]) -> int:
    wanted: dict[str, str] = {}
    for lock in locks:
        wanted.update(read_lock(lock))
    extra = sorted(set(installed()) - set(wanted) - _KEEP)
    if extra:
        print(f"removing packages the lock does not name: {', '.join(extra)}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "uninstall", "-q", "-y", *extra], check=True)
    return 0


def diff(locks: list[Path]) -> int:
    pinned: dict[str, str] = {}
    for lock in locks:
        pinned.update(read_lock(lock))
    have = installed()
    for name in _LOCK_ONLY - set(have):
        pinned.pop(name, None)
    rows = []
    for name in sorted((set(pinned) | set(have)) - _KEEP):
        old, new = pinned.get(name), have.get(name)
        if old != new:
            rows.append(f"  {name:32} {old or '-':>16} -> {new or '-'}")
    if not rows:
        print("no differences: every package is at the version the lock pins")
        return 0
    print(f"{len(rows)} package(s) differ from the lock (lock -> installed):")
    print("\n".join(rows))
    return 1


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "--remove-unlocked":
        return remove_unlocked([Path(a) for a in argv[1:]])
    if len(argv) >= 2 and argv[0] == "--diff":
        return diff([Path(a) for a in argv[1:]])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
