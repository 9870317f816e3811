"""Every code the evidence check can emit has an English and a Vietnamese template with the
same parameters; the list is derived from the source of ``cccd_reader/evidence/check.py``
(each ``_check(NAME, status, reason)`` and ``Finding(code)``), never copied by hand."""

from __future__ import annotations

import ast
from pathlib import Path

from cccd_reader.evidence import check as check_module
from cccd_reader.evidence.messages import TEMPLATES, placeholders, render

SOURCE = Path(check_module.__file__)


def _emitted() -> set[str]:
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    codes: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        if node.func.id == "_check":
            name, reason = node.args[0], node.args[2]
            assert isinstance(name, ast.Name), ast.dump(name)
            assert isinstance(reason, ast.Constant) and isinstance(reason.value, str)
            codes.add(f"{getattr(check_module, name.id)}.{reason.value!s}")
        elif node.func.id == "Finding":
            code = node.args[0]
            assert isinstance(code, ast.Constant) and isinstance(code.value, str), ast.dump(code)
            codes.add(code.value)
    return codes


def test_every_emitted_code_has_both_templates() -> None:
    emitted = _emitted()
    assert len(emitted) >= 15
    assert emitted == set(TEMPLATES), (emitted ^ set(TEMPLATES))
    for code, (english, vietnamese) in TEMPLATES.items():
        assert english and vietnamese and english != vietnamese, code
        assert placeholders(english) == placeholders(vietnamese), code


def test_render() -> None:
    assert render("not_reproven.face", {"band": "likely_same"}, "vi").startswith(
        "Kết quả so khớp khuôn mặt (mức likely_same)")
    assert "(band ?)" in render("not_reproven.face")
