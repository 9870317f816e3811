"""Data kept at the repository root that an installed wheel carries inside the package.

``samples/`` (synthetic dumps and their test PKI) and ``firmware_profiles/`` (reader and card
profiles) live at the top of the repository, where docs, tests and people look for them; the
build (setup.py) copies each into the wheel as ``cccd_reader/data/<name>``. :func:`data_path`
is the one place that decides which copy is used: the checkout's own folder when the package
runs from a checkout (an editable install: a ``pyproject.toml`` beside the package), else the
installed copy. No other module builds these paths.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
#: The top-level folders the build copies into the package (setup.py's list; a test keeps the
#: two equal).
SHIPPED: tuple[str, ...] = ("samples", "firmware_profiles")


def installed_copy(name: str) -> Path:
    """Where the build puts the copy of the top-level folder ``name``."""
    return _PACKAGE / "data" / name


def checkout_copy(name: str) -> Path | None:
    """The top-level folder ``name`` of the checkout this package runs from, if it is one."""
    root = _PACKAGE.parent
    if (root / "pyproject.toml").is_file() and (root / name).is_dir():
        return root / name
    return None


def data_path(name: str) -> Path:
    """The folder to read ``name`` from: the checkout's first, else the installed copy (which
    may be missing: the caller reports that in its own words)."""
    if name not in SHIPPED:
        raise ValueError(f"{name} is not a folder the package ships")
    return checkout_copy(name) or installed_copy(name)
