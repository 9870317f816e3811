"""The documentation is executable: every example in docs/*.md runs, the record schema matches
real output, and the QA guide's catalogue table is the code's.

Python blocks of one page run in order in one namespace (a page reads like a session). Shell
blocks run each ``cccd ...`` line as ``python -m cccd_reader.cli ...``; a trailing
``# exit N`` states the expected exit code, and a block starting with ``# needs a PC/SC reader``
is not run here (the PC/SC tests cover those paths). Both run in a scratch directory where
``samples`` points at the repository's samples (and ``master-lists`` at the public master
lists of the test data), with HOME there too, so the examples neither
write into the tree nor depend on the user's trust directory.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.conformance import catalogue
from cccd_reader.pki.trust import TrustStore
from cccd_reader.record import CardRecord
from tests.conftest import REPO, SAMPLES

DOCS = REPO / "docs"
PAGES = sorted(DOCS.glob("*.md"))
FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<body>.*?)^```$", re.M | re.S)
NEEDS_READER = "# needs a PC/SC reader"
EXIT = re.compile(r"\s+#\s*exit (\d+)\s*$")
SCHEMA = json.loads((DOCS / "record.schema.json").read_text(encoding="utf-8"))


def blocks(page: Path, lang: str) -> list[str]:
    return [m["body"] for m in FENCE.finditer(page.read_text(encoding="utf-8"))
            if m["lang"] == lang]


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "samples").symlink_to(SAMPLES)
    # docs/trust.md imports the public master lists "downloaded into master-lists/"
    (tmp_path / "master-lists").symlink_to(REPO / "tests" / "pki" / "data" / "master-lists")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


def test_there_are_docs_with_examples() -> None:
    names = {p.name for p in PAGES}
    assert {"quickstart.md", "integrator-guide.md", "qa-guide.md", "dump-format.md"} <= names
    assert sum(len(blocks(p, "python")) for p in PAGES) >= 8


@pytest.mark.parametrize("page", [p for p in PAGES if blocks(p, "python")], ids=lambda p: p.name)
def test_python_examples_run(page: Path, scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
    for number, code in enumerate(blocks(page, "python"), 1):
        if code.startswith(NEEDS_READER):
            continue  # run through pcscd in test_docs_typed.py
        exec(compile(code, f"{page.name}[python block {number}]", "exec"), namespace)
    assert capsys.readouterr().out  # every page's examples show something


def _shell_commands() -> list[tuple[str, str, int]]:
    out = []
    for page in PAGES:
        for body in blocks(page, "sh"):
            if body.startswith(NEEDS_READER):
                continue
            for line in body.splitlines():
                if not line.startswith("cccd "):
                    continue
                match = EXIT.search(line)
                code = int(match[1]) if match else 0
                command = EXIT.sub("", line).split("  #")[0].strip()
                out.append((page.name, command, code))
    return out


@pytest.mark.parametrize("page,command,code", _shell_commands(),
                         ids=lambda v: v if isinstance(v, str) else None)
def test_shell_examples_run(page: str, command: str, code: int, scratch: Path) -> None:
    args = shlex.split(command)[1:]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "HOME": str(scratch),
           "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "cccd_reader.cli", *args], cwd=scratch,
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == code, f"{page}: {command}\n{proc.stdout}\n{proc.stderr}"
    assert proc.stdout or proc.stderr


def test_every_shell_block_is_run_or_marked() -> None:
    for page in PAGES:
        for body in blocks(page, "sh"):
            lines = [ln for ln in body.splitlines() if ln and not ln.startswith("#")]
            if body.startswith(NEEDS_READER):
                continue
            assert all(ln.startswith("cccd ") for ln in lines), (page.name, body)


# --- the QA guide's catalogue --------------------------------------------------------------------


def test_qa_guide_catalogue_is_generated_from_the_code() -> None:
    text = (DOCS / "qa-guide.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- catalogue:begin -->\n(.*?)<!-- catalogue:end -->", text, re.S)
    assert match, "qa-guide.md lost its catalogue markers"
    assert match[1] == catalogue.catalogue_markdown(), (
        "the catalogue changed: regenerate the table with `python -m cccd_reader.conformance`"
    )


# --- the record schema ---------------------------------------------------------------------------


def _types(value: Any) -> set[str]:
    if value is None:
        return {"null"}
    if isinstance(value, bool):
        return {"boolean"}
    if isinstance(value, int):
        return {"integer", "number"}
    if isinstance(value, float):
        return {"number"}
    if isinstance(value, str):
        return {"string"}
    if isinstance(value, list):
        return {"array"}
    return {"object"}


def check_schema(value: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
    """The subset of JSON Schema the record schema uses (type, enum, required, properties,
    additionalProperties, items, oneOf, $ref): enough to validate when jsonschema is absent."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return check_schema(value, SCHEMA["$defs"][name], path)
    if "oneOf" in schema:
        matches = [s for s in schema["oneOf"] if not check_schema(value, s, path)]
        return [] if len(matches) == 1 else [f"{path}: {len(matches)} oneOf branches match"]
    errors: list[str] = []
    if "type" in schema:
        allowed = {schema["type"]} if isinstance(schema["type"], str) else set(schema["type"])
        if not _types(value) & allowed:
            return [f"{path}: {type(value).__name__} is not {sorted(allowed)}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        errors += [f"{path}: missing {k}" for k in schema.get("required", []) if k not in value]
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                errors += check_schema(item, props[key], f"{path}.{key}")
            elif extra is False:
                errors.append(f"{path}: unexpected key {key}")
            elif isinstance(extra, dict):
                errors += check_schema(item, extra, f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += check_schema(item, schema["items"], f"{path}[{i}]")
    return errors


def _outputs() -> list[tuple[str, dict[str, Any]]]:
    """Real outputs: `cccd read --json` of every valid sample, CardRecord.to_json of all."""
    trust = TrustStore.from_paths([SAMPLES / "pki"], include_default=False)
    docs = []
    for card_json in sorted(SAMPLES.rglob("card.json")):
        directory = card_json.parent
        card = dumpmod.load(directory)
        docs.append((f"to_json {directory.name}",
                     CardRecord.build(card.files, trust=trust).to_json(include_photo=True)))
    for card_json in sorted(SAMPLES.glob("*/card.json")):
        proc = subprocess.run(
            [sys.executable, "-m", "cccd_reader.cli", "read", "--sim", str(card_json.parent),
             "--sim-key", "--json", "--no-default-trust", "--trust", str(SAMPLES / "pki")],
            capture_output=True, text=True, timeout=120, cwd=REPO,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
        assert proc.returncode == 0, proc.stderr
        docs.append((f"read {card_json.parent.name}", json.loads(proc.stdout)))
    return docs


@pytest.fixture(scope="module")
def outputs() -> list[tuple[str, dict[str, Any]]]:
    return _outputs()


def test_schema_is_a_2020_12_schema() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(SCHEMA["required"]) == set(CardRecord.from_files({}).to_json())


def test_record_outputs_match_the_schema(outputs: list[tuple[str, dict[str, Any]]]) -> None:
    assert len(outputs) >= 10
    for name, doc in outputs:
        assert check_schema(doc, SCHEMA) == [], name
    # a hand check of what an integrator relies on, independent of the validator
    read = dict(outputs)["read vn-cccd-2021-nguyen-thi-ngoc-anh"]
    assert read["verification"]["verdict"] == "genuine"
    assert read["holder"]["personal_number"] == "001190012345"
    assert read["access"]["protocol"] == "PACE" and read["wire"]["apdus"] > 0


def test_the_validator_rejects_drift(outputs: list[tuple[str, dict[str, Any]]]) -> None:
    doc = json.loads(json.dumps(outputs[0][1]))
    doc["surprise"] = 1
    del doc["files"]
    doc["verification"] = {"verdict": "probably", "checks": []}
    errors = check_schema(doc, SCHEMA)
    assert any("surprise" in e for e in errors) and any("files" in e for e in errors)
    assert any("verification" in e for e in errors)


def test_record_outputs_with_jsonschema(outputs: list[tuple[str, dict[str, Any]]]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(SCHEMA)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    for name, doc in outputs:
        assert not list(validator.iter_errors(doc)), name


def test_package_docstring_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """The examples in ``cccd_reader``'s and ``cccd_sim``'s docstrings are what they print."""
    import doctest

    import cccd_reader
    import cccd_sim

    monkeypatch.chdir(REPO)  # cccd_reader's example names samples/ relative to the checkout
    for module in (cccd_reader, cccd_sim):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
