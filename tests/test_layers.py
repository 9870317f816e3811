"""The import rule, checked on the source: layers run from the wire up, never back down.

Every module of cccd_reader/, cccd_sim/ and apps/desktop is parsed with ``ast``, and every
import in it is collected, at any depth: inside functions (lazy imports) and under
``TYPE_CHECKING`` too, because a lazy upward import is still an upward dependency. Then:

* no library module imports the simulator, except the CLI (``--sim``, ``simulate``, ``demo``,
  ``serve --sim``), and the CLI only inside functions, so ``import cccd_reader.cli`` does not
  load it;
* the simulator never imports the desktop app (nor the CLI, which is a front end like it);
* within the library, a module imports only modules of its own layer or lower ones, per
  :data:`LAYERS`; the agent never imports the CLI (both are front ends over the service).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

#: The library's layers, lowest first: a module may import its own layer and those below.
#: Matched by the longest dotted prefix; a module not named here fails the test, so a new
#: module gets a place on purpose.
LAYERS: dict[str, float] = {
    # 0: nothing but errors and facts that hold no protocol: the check type, OIDs, the named
    # curves' parameters, image header sizes, the randomness type
    "cccd_reader.errors": 0,
    "cccd_reader.checks": 0,
    "cccd_reader.oids": 0,
    "cccd_reader.named_curves": 0,
    "cccd_reader.image_headers": 0,
    "cccd_reader.image_decode": 0,
    "cccd_reader.rng": 0,
    "cccd_reader.redact": 0,
    "cccd_reader.private_files": 0,
    "cccd_reader.repo_data": 0,
    "cccd_reader.profiles": 0,
    "cccd_reader.samples": 0,
    "cccd_reader.progress": 0,
    # 1: the wire (transport, APDUs, secure messaging, reading a file) and opening a reader
    "cccd_reader.iso7816": 1,
    "cccd_reader.readers": 1,
    # 2: structures read before access: the MRZ (BAC's key), EF.CardAccess's SecurityInfos
    # (PACE's offer), the file table, and dumps of files
    "cccd_reader.mrz": 2,
    "cccd_reader.lds.files": 2,
    "cccd_reader.lds.security_infos": 2,
    "cccd_reader.dump": 2,
    # 3: access control, and opening a session (access, secure messaging, the file reader)
    "cccd_reader.access": 3,
    "cccd_reader.session": 3,
    # 4: the data groups and the SOD
    "cccd_reader.lds": 4,
    # 5: certificates, signatures, trust; inside the trust package, from the DER headers up
    # to the assembled store (5.1 .. 5.8)
    "cccd_reader.pki": 5,
    "cccd_reader.pki.trust.index": 5.1,
    "cccd_reader.pki.trust.cache": 5.1,
    "cccd_reader.pki.trust.certs": 5.2,
    "cccd_reader.pki.trust.files": 5.3,
    "cccd_reader.pki.trust.crls": 5.3,
    "cccd_reader.pki.trust.store_index": 5.4,
    "cccd_reader.pki.trust.paths": 5.5,
    "cccd_reader.pki.trust.master_lists": 5.5,
    "cccd_reader.pki.trust.revocation": 5.6,
    "cccd_reader.pki.trust.loading": 5.6,
    "cccd_reader.pki.trust.store": 5.7,
    "cccd_reader.pki.trust.seen": 5.7,
    "cccd_reader.pki.trust": 5.8,
    # 6: chip and active authentication: keys from DG14/DG15, signatures checked with pki
    "cccd_reader.auth": 6,
    # 7: passive authentication and the verdict
    "cccd_reader.verify": 7,
    "cccd_reader.signer_cache": 7,
    # 8: the record, and the read flow (whose checks join the verdict)
    "cccd_reader.record": 8,
    "cccd_reader.read_flow": 8,
    "cccd_reader.active_auth": 8,
    # the BHYT check-in fields the record carries (from DG13's fields)
    "cccd_reader.bhyt": 8,
    # 9: the printed QR, cross-checked against the chip's record; the face check, the chip's
    # portrait (from the record) against a live picture
    "cccd_reader.qr": 9,
    "cccd_reader.face": 9,
    # 10: what applications embed, and the conformance catalogue built on it
    "cccd_reader.service": 10,
    # evidence packages: built from a read (service), checked again with record/verify/auth
    "cccd_reader.evidence": 10,
    "cccd_reader.conformance": 10,
    # the portal's lodging workbooks, filled from records
    "cccd_reader.lodging": 10,
    # batches of dumps (verify or the conformance catalogue) on worker processes
    "cccd_reader.batch": 10,
    # 11: front ends, and the package's API (cccd_reader/__init__.py)
    "cccd_reader": 11,
    "cccd_reader.cli": 11,
    "cccd_reader.__main__": 11,
    "cccd_reader.agent": 11,
    "cccd_reader.trust_cli": 11,
    "cccd_reader.lodging_cli": 11,
    "cccd_reader.face_cli": 11,
    "cccd_reader.evidence_cli": 11,
    "cccd_reader.batch_cli": 11,
}

SOURCES = ("cccd_reader", "cccd_sim", "apps/desktop/cccd_desktop")


@dataclass(frozen=True)
class Import:
    importer: str
    target: str
    line: int
    #: Inside a function (a lazy import), rather than at module level or in a class body.
    lazy: bool


def module_name(path: Path) -> str:
    """Dotted name of a source file under the repository (apps/desktop is a source root)."""
    rel = path.relative_to(REPO).with_suffix("")
    parts = list(rel.parts)
    if parts[:2] == ["apps", "desktop"]:
        parts = parts[2:]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_module(dotted: str) -> bool:
    for root in (REPO, REPO / "apps" / "desktop"):
        base = root.joinpath(*dotted.split("."))
        if base.with_suffix(".py").is_file() or (base / "__init__.py").is_file():
            return True
    return False


def _resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = importer.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_in(source: str, importer: str, *, is_package: bool = False) -> Iterator[Import]:
    """Every import of ``source`` (as module ``importer``), with ``from pkg import mod`` taken
    as importing ``pkg.mod`` when that is a module."""
    tree = ast.parse(source)

    def walk(node: ast.AST, lazy: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            inner = lazy or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield Import(importer, alias.name, child.lineno, lazy)
            elif isinstance(child, ast.ImportFrom):
                module = _resolve(importer, is_package, child)
                for alias in child.names:
                    sub = f"{module}.{alias.name}"
                    target = sub if _is_module(sub) else module
                    yield Import(importer, target, child.lineno, lazy)
            yield from walk(child, inner)

    yield from walk(tree, False)


def all_imports() -> list[Import]:
    found: list[Import] = []
    for root in SOURCES:
        for path in sorted((REPO / root).rglob("*.py")):
            found.extend(imports_in(path.read_text(encoding="utf-8"), module_name(path),
                                    is_package=path.name == "__init__.py"))
    return found


def _top(dotted: str) -> str:
    return dotted.split(".")[0]


def _within(dotted: str, package: str) -> bool:
    return dotted == package or dotted.startswith(package + ".")


def layer_of(module: str) -> float:
    """The layer of a library module, by its longest prefix in :data:`LAYERS`."""
    best = max((p for p in LAYERS if _within(module, p)), key=len, default=None)
    if best is None:
        raise KeyError(module)
    return LAYERS[best]


def layer_violations(imports: list[Import]) -> list[str]:
    """Every library import of a higher layer, and every module the table does not place."""
    out: list[str] = []
    for imp in imports:
        if not (_within(imp.importer, "cccd_reader") and _within(imp.target, "cccd_reader")):
            continue
        try:
            own, other = layer_of(imp.importer), layer_of(imp.target)
        except KeyError as exc:
            out.append(f"{exc.args[0]} has no layer in LAYERS: give it one")
            continue
        if other > own:
            out.append(f"{imp.importer}:{imp.line} imports {imp.target} "
                       f"(layer {other} above its own {own})")
    return out


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    found = all_imports()
    assert len({i.importer for i in found}) > 100  # the whole tree was read
    return found


def test_the_library_never_imports_the_simulator_but_the_cli_lazily(
    imports: list[Import],
) -> None:
    bad = [f"{i.importer}:{i.line} imports {i.target}" for i in imports
           if _top(i.importer) == "cccd_reader" and _top(i.target) == "cccd_sim"
           and not (i.importer == "cccd_reader.cli" and i.lazy)]
    assert bad == []
    # the exception is used, and the scan sees imports inside functions
    assert any(i.importer == "cccd_reader.cli" and _top(i.target) == "cccd_sim" for i in imports)


def test_the_simulator_never_imports_the_app_or_the_cli(imports: list[Import]) -> None:
    bad = [f"{i.importer}:{i.line} imports {i.target}" for i in imports
           if _top(i.importer) == "cccd_sim"
           and (_top(i.target) == "cccd_desktop" or _within(i.target, "cccd_reader.cli"))]
    assert bad == []


def test_the_app_reaches_the_simulator_only_in_demo_mode(imports: list[Import]) -> None:
    eager = [f"{i.importer}:{i.line}" for i in imports
             if _top(i.importer) == "cccd_desktop" and _top(i.target) == "cccd_sim"
             and not i.lazy]
    assert eager == []


def test_lower_layers_never_import_upper_ones(imports: list[Import]) -> None:
    assert layer_violations(imports) == []


def test_the_agent_never_imports_the_cli(imports: list[Import]) -> None:
    bad = [f"{i.importer}:{i.line}" for i in imports
           if _within(i.importer, "cccd_reader.agent") and _within(i.target, "cccd_reader.cli")]
    assert bad == []


def import_cycles(imports: list[Import], package: str) -> list[list[str]]:
    """Cycles among the modules of ``package`` (a module importing itself is not one)."""
    graph: dict[str, set[str]] = {}
    for i in imports:
        if _within(i.importer, package) and _within(i.target, package) \
                and i.importer != i.target and i.importer != package:
            graph.setdefault(i.importer, set()).add(i.target)
    cycles: list[list[str]] = []

    def walk(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt == path[0]:
                cycles.append([*path, nxt])
            elif nxt not in path and nxt > path[0]:  # each cycle once, from its least module
                walk(nxt, [*path, nxt])

    for start in sorted(graph):
        walk(start, [start])
    return cycles


def test_the_agent_modules_import_no_cycle(imports: list[Import]) -> None:
    # the app builds the state, the endpoints use it: neither imports the other's module
    assert import_cycles(imports, "cccd_reader.agent") == []
    made_up = [Import("p.a", "p.b", 1, False), Import("p.b", "p.a", 2, True)]
    assert import_cycles(made_up, "p") == [["p.a", "p.b", "p.a"]]


def test_every_layer_entry_is_a_module() -> None:
    missing = [name for name in LAYERS if not _is_module(name)]
    assert missing == []


@pytest.mark.parametrize(
    ("importer", "source", "found"),
    [
        # an upward import at module level, inside a function, or under TYPE_CHECKING
        ("cccd_reader.iso7816.apdu", "from cccd_reader.service import read_and_verify\n",
         "cccd_reader.service"),
        ("cccd_reader.lds.dg1", "def f():\n    from cccd_reader import record\n",
         "cccd_reader.record"),
        ("cccd_reader.access.pace",
         "if TYPE_CHECKING:\n    import cccd_reader.verify\n", "cccd_reader.verify"),
        ("cccd_reader.pki.trust", "from ..auth import chip\n", "cccd_reader.auth.chip"),
        # inside the trust package: the certificates never reach up to the store
        ("cccd_reader.pki.trust.certs", "from cccd_reader.pki.trust.store import TrustStore\n",
         "cccd_reader.pki.trust.store"),
    ],
)
def test_the_check_catches_an_upward_import(importer: str, source: str, found: str) -> None:
    violations = layer_violations(list(imports_in(source, importer)))
    assert len(violations) == 1 and found in violations[0], violations


def test_the_check_lets_a_downward_import_through() -> None:
    source = "from cccd_reader.iso7816.apdu import CommandAPDU\nfrom cccd_reader import mrz\n"
    assert layer_violations(list(imports_in(source, "cccd_reader.verify"))) == []
