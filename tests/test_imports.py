"""The library's imports say what a module offers others: no private name crosses a module.

A leading underscore means "only this module relies on it", so its author may change it
freely; a private name imported elsewhere breaks that promise silently (conformance used to
open sessions with three private helpers of the read flow). A private module (``_util``) may
be shared inside its own package only.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

LIBRARY = REPO / "cccd_reader"


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[tuple[int, str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, a.name, []) for a in node.names)
    return found


def _package_of(path: Path) -> str:
    return ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])


def test_no_private_name_is_imported_from_another_module() -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{line}: from {module} import {name}"
        for path in sorted(LIBRARY.rglob("*.py"))
        for line, module, names in _imports(path)
        if module.startswith("cccd")
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert offenders == []


def test_a_private_module_is_imported_only_inside_its_package() -> None:
    offenders = []
    for path in sorted(LIBRARY.rglob("*.py")):
        for line, module, _ in _imports(path):
            parts = module.split(".")
            private = [i for i, part in enumerate(parts) if part.startswith("_")
                       and not part.startswith("__")]
            if private and not _package_of(path).startswith(".".join(parts[: private[0]])):
                offenders.append(f"{path.relative_to(REPO)}:{line}: {module}")
    assert offenders == []
