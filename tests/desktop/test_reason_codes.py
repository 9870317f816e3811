"""Issue 19 item 9: every check code the verify module can emit has a Vietnamese template.

The list is derived from the source of ``cccd_reader/verify.py`` (each ``_check(...)`` call:
its check family and reason, followed through local variables, loops, parameters and the
``(status, reason, detail)`` tuples the trust package hands back), never copied by hand: a new
reason in the library makes this test fail until the app can say it. An expression the
walker cannot follow fails too, so nothing drifts silently.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, get_args, get_type_hints

import pytest
from cccd_desktop import labels
from cccd_desktop.i18n import Languages

import cccd_reader.verify as verify_module
from cccd_reader.checks import Check
from cccd_reader.pki import trust as trust_module
from cccd_reader.pki.trust import ChainResult

VERIFY = Path(verify_module.__file__)
#: The trust package (its modules are read together: the store's methods live in several).
TRUST = Path(trust_module.__file__).parent


def _trust_tree() -> ast.Module:
    body = [node for path in sorted(TRUST.glob("*.py"))
            for node in ast.parse(path.read_text(encoding="utf-8")).body]
    return ast.Module(body=body, type_ignores=[])


class _Unresolved(AssertionError):
    pass


def _functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def _trust_reasons(tree: ast.Module) -> dict[str, set[str]]:
    """Per trust-store function: the reason codes of the ``(status, reason, detail)`` tuples
    it returns, itself or through the ``self.`` methods it calls."""
    functions = _functions(tree)
    own: dict[str, set[str]] = {}
    calls: dict[str, set[str]] = {}
    for name, fn in functions.items():
        own[name] = {
            node.value.elts[1].value
            for node in ast.walk(fn)
            if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple)
            and len(node.value.elts) == 3 and isinstance(node.value.elts[1], ast.Constant)
            and isinstance(node.value.elts[1].value, str)
        }
        calls[name] = {
            node.func.attr for node in ast.walk(fn)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "self"
        }

    def closure(name: str, seen: frozenset[str] = frozenset()) -> set[str]:
        out = set(own.get(name, ()))
        for callee in calls.get(name, ()) - seen:
            out |= closure(callee, seen | {name})
        return out

    return {name: closure(name) for name in functions}


class _Walker:
    def __init__(self) -> None:
        self.tree = ast.parse(VERIFY.read_text(encoding="utf-8"))
        self.functions = _functions(self.tree)
        self.constants = {
            t.id: n.value.value for n in self.tree.body if isinstance(n, ast.Assign)
            for t in n.targets if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)
            and isinstance(n.value.value, str)
        }
        self.trust = _trust_reasons(_trust_tree())
        self.parents: dict[ast.AST, ast.AST] = {
            child: parent for parent in ast.walk(self.tree)
            for child in ast.iter_child_nodes(parent)
        }
        chip = next(n for n in self.tree.body if isinstance(n, ast.AnnAssign | ast.Assign)
                    and "_CHIP_CHECK_KEY_FILES" in ast.unparse(n).split("=")[0])
        assert isinstance(chip.value, ast.Dict)
        self.chip_checks = {self.constants[k.id] for k in chip.value.keys
                            if isinstance(k, ast.Name)}

    def function_of(self, node: ast.AST) -> ast.FunctionDef:
        while not isinstance(node, ast.FunctionDef):
            node = self.parents[node]
        return node

    def values(self, node: ast.expr, fn: ast.FunctionDef, depth: int = 0) -> set[str]:
        """Every string ``node`` can be, inside ``fn``."""
        if depth > 8:
            raise _Unresolved(f"too deep: {ast.unparse(node)}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return self.values(node.body, fn, depth + 1) | self.values(node.orelse, fn, depth + 1)
        if isinstance(node, ast.BoolOp):
            return set().union(*(self.values(v, fn, depth + 1) for v in node.values))
        if isinstance(node, ast.Attribute) and ast.unparse(node) == "chain.mode":
            modes = get_args(get_type_hints(ChainResult)["mode"])
            return {m for arg in modes for m in get_args(arg) if isinstance(m, str)}
        if isinstance(node, ast.Attribute) and ast.unparse(node) == "chain.reason":
            return set(get_args(get_type_hints(ChainResult)["reason"]))
        if isinstance(node, ast.Attribute) and ast.unparse(node) == "check.name":
            return set(self.chip_checks)  # _order_of_trust rewrites the chip's own checks
        if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.FormattedValue):
            return self.values(node.values[0].value, fn, depth + 1)  # f"{DG_HASH_PREFIX}{dg}"
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get" and isinstance(node.func.value, ast.Dict)):
            out: set[str] = set()
            for value in [*node.func.value.values, *node.args[1:]]:
                out |= self.values(value, fn, depth + 1)
            return out
        if isinstance(node, ast.Name):
            if node.id in self.constants:
                return {self.constants[node.id]}
            return self._name(node.id, fn, depth, node.lineno)
        raise _Unresolved(f"cannot follow {ast.unparse(node)} (line {node.lineno})")

    def _name(self, name: str, fn: ast.FunctionDef, depth: int, used_at: int) -> set[str]:
        out: set[str] = set()
        found = False
        # the assignment that reaches the use: the nearest one above it (the functions of
        # verify.py assign a name again only in straight-line code)
        assignments = [
            (node.lineno, target, node.value) for node in ast.walk(fn)
            if isinstance(node, ast.Assign) and node.lineno < used_at for target in node.targets
            if (isinstance(target, ast.Name) and target.id == name) or (
                isinstance(target, ast.Tuple)
                and any(isinstance(e, ast.Name) and e.id == name for e in target.elts))
        ]
        if assignments:
            _line, target, value = max(assignments, key=lambda a: a[0])
            if isinstance(target, ast.Name):
                out |= self.values(value, fn, depth + 1)
            else:
                assert isinstance(target, ast.Tuple)
                out |= self._unpacked(value, name, target, fn)
            return out
        for node in ast.walk(fn):
            if (isinstance(node, ast.For | ast.comprehension)
                  and isinstance(node.target, ast.Name) and node.target.id == name):
                if not isinstance(node.iter, ast.Tuple | ast.List):
                    raise _Unresolved(f"loop over {ast.unparse(node.iter)}")
                for element in node.iter.elts:
                    out |= self.values(element, fn, depth + 1)
                found = True
        params = [a.arg for a in fn.args.args]
        if name in params:  # a parameter: what every caller passes
            index = params.index(name)
            for call in ast.walk(self.tree):
                if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                        and call.func.id == fn.name and len(call.args) > index):
                    out |= self.values(call.args[index], self.function_of(call), depth + 1)
                    found = True
        if not found:
            raise _Unresolved(f"{name} in {fn.name}")
        return out

    def _unpacked(self, value: ast.expr, name: str, target: ast.Tuple,
                  fn: ast.FunctionDef) -> set[str]:
        """``status, reason, detail = trust.something(...)``: the trust store's reasons."""
        index = next(i for i, e in enumerate(target.elts)
                     if isinstance(e, ast.Name) and e.id == name)
        if isinstance(value, ast.Call):
            callee = value.func.attr if isinstance(value.func, ast.Attribute) else (
                value.func.id if isinstance(value.func, ast.Name) else "")
            if index == 1 and len(target.elts) == 3 and callee in self.trust:
                return self.trust[callee]
            if index == 0 and len(target.elts) == 3:
                return set()  # a status, not a code part
        if index != 1:
            return set()
        raise _Unresolved(f"{ast.unparse(target)} = {ast.unparse(value)}")

    def codes(self) -> set[str]:
        codes: set[str] = set()
        for call in ast.walk(self.tree):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                    and call.func.id == "_check" and len(call.args) >= 3):
                continue
            fn = self.function_of(call)
            families = {v.split(":", 1)[0] for v in self.values(call.args[0], fn)}
            reasons = self.values(call.args[2], fn)
            codes |= {f"{family}.{reason}" for family in families for reason in reasons}
        return codes


@pytest.fixture(scope="module")
def emitted() -> set[str]:
    return _Walker().codes()


def test_the_walker_finds_the_codes_the_brief_names(emitted: set[str]) -> None:
    """The derivation itself works: known codes of every kind of source are found (literal,
    loop variable, trust-store tuple, chain mode, f-string family, chip checks)."""
    for code in ("country_binding.state_mismatch", "dsc_chain.no_anchor", "dsc_chain.csca",
                 "dsc_chain.pinned", "crl.no_current_crl", "crl.revoked", "crl.not_revoked",
                 "crl.pinned_no_csca", "dg_hash.mismatch", "dg_hash.not_read",
                 "mandatory_dgs.not_in_sod", "mrz_check_digits.wrong", "sod_signature.invalid",
                 "card_security.chain", "card_security.no_anchor", "dsc_validity.valid_now",
                 "csca_validity.expired_at_signing", "crl.no_sod", "active_auth.unproven_key",
                 "chip_auth.unproven_key", "dg1_dg13_consistency.disagree"):
        assert code in emitted, code
    assert len(emitted) > 60


def test_every_emitted_code_has_a_vietnamese_template(qtbot: Any, emitted: set[str]) -> None:
    missing = sorted(emitted - set(labels.REASONS_BY_CODE))
    assert not missing, f"no template for: {missing}"
    languages = Languages()
    languages.set("vi")
    try:
        from PySide6.QtCore import QCoreApplication

        untranslated = [code for code in sorted(emitted)
                        if QCoreApplication.translate("Reason", labels.REASONS_BY_CODE[code])
                        == labels.REASONS_BY_CODE[code]]
        assert not untranslated, f"no Vietnamese for: {untranslated}"
    finally:
        languages.set("en")


def _check_for(code: str, status: str = "fail", required: bool = True,
               **params: str) -> Check:
    family = code.split(".")[0]
    name = f"{family}:DG2" if family == "dg_hash" else family
    return Check(name, status, "English detail", required, code, params)  # type: ignore[arg-type]


def test_templates_fill_their_parameters_in_vietnamese(qtbot: Any) -> None:
    languages = Languages()
    languages.set("vi")
    try:
        text = labels.reason_for(_check_for("country_binding.state_mismatch",
                                            country="UT", issuing_state="VNM"))
        assert "UT" in text and "VNM" in text and "%" not in text
        text = labels.reason_for(_check_for("dg_hash.mismatch", dg="DG2"))
        assert "DG2" in text and "ảnh" in text
        text = labels.reason_for(_check_for("dsc_validity.expired_at_signing",
                                            not_before="2020-01-01", not_after="2021-01-01"))
        assert "01/01/2020" in text and "01/01/2021" in text
        # a parameter the library left out never shows as %1 or "{...}"
        text = labels.reason_for(_check_for("mandatory_dgs.not_in_sod"))
        assert "%" not in text and "{" not in text
    finally:
        languages.set("en")


def test_no_current_crl_not_required_is_a_plain_note(qtbot: Any) -> None:
    languages = Languages()
    languages.set("vi")
    try:
        note = _check_for("crl.no_current_crl", status="skipped", required=False)
        assert labels.reason_for(note) == "Chưa kiểm tra thu hồi: không có CRL hiện hành."
        assert labels.is_note(note)
        required = _check_for("crl.no_current_crl", status="skipped", required=True)
        assert not labels.is_note(required)
        assert labels.reason_for(required) != labels.reason_for(note)
    finally:
        languages.set("en")


def test_unknown_codes_fall_back_to_family_and_status(qtbot: Any) -> None:
    languages = Languages()
    languages.set("vi")
    try:
        text = labels.check_reason("dsc_chain", "fail", "dsc_chain.some_future_reason")
        assert text == labels.check_reason("dsc_chain", "fail")
        assert labels.check_reason("new_check", "skipped", "new_check.x").startswith("Kiểm tra")
    finally:
        languages.set("en")


def test_codes_seen_on_the_sample_documents_are_all_derived(emitted: set[str]) -> None:
    """The derivation checked against running the verifier: every code the sample and
    negative documents produce (with and without trust anchors) is in the derived set and
    has a template."""
    from cccd_reader import dump as dumpmod
    from cccd_reader.pki.trust import TrustStore
    from cccd_reader.verify import verify

    samples = Path(__file__).resolve().parents[2] / "samples"
    pki = samples / "pki"
    trusted = TrustStore.from_paths(
        [*sorted(pki.glob("csca-*.der")), *sorted(pki.glob("csca-*.crl"))],
        include_default=False)
    dumps = [p.parent for p in sorted(samples.glob("**/card.json"))]
    assert len(dumps) >= 10
    seen: set[str] = set()
    for path in dumps:
        files = dumpmod.load(path).files
        for trust in (trusted, None):
            seen |= {c.code for c in verify(files, trust).checks}
    assert seen - emitted == set()
    assert {"dg_hash.mismatch", "sod_signature.invalid", "dsc_chain.no_anchor"} <= seen
    assert seen <= set(labels.REASONS_BY_CODE)


def test_a_card_read_without_crl_shows_a_note_not_a_problem(
    qtbot: Any, make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cccd_desktop import backend

    from tests.desktop.conftest import read_to_end

    cscas = [p for p in backend.demo_trust_paths() if p.endswith(".der")]
    monkeypatch.setattr(backend, "demo_trust_paths", lambda: cscas)
    window = make_window(lang="vi")
    read_to_end(qtbot, window)
    verification = window.result_view.record.verification
    crl = verification.check("crl")
    assert crl is not None and (crl.code, crl.status, crl.required) == (
        "crl.no_current_crl", "skipped", False)
    assert verification.verdict == "genuine"
    checks = window.result_view.checks
    item = next(checks.topLevelItem(i) for i in range(checks.topLevelItemCount())
                if checks.topLevelItem(i).data(0, 256) == "crl")
    assert item.text(1) == "ℹ Ghi chú"
    assert item.text(2) == "Chưa kiểm tra thu hồi: không có CRL hiện hành."
    assert "thu hồi" not in window.result_view.badge.warning.text()
