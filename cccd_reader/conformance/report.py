"""Renderings of a :class:`~cccd_reader.conformance.results.ConformanceReport`.

JUnit XML is what CI servers already display (one testsuite per card, one testcase per check
result), HTML is for the person who has to fix the card (one self-contained page, no scripts,
no external assets, so it can be attached to a ticket), JSON is for tools. Every string that
came from a card or a dump (notes, names, details) is escaped: a dump is untrusted input and a
report is opened in browsers.
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from typing import Any

from cccd_reader.conformance.catalogue import CATALOGUE
from cccd_reader.conformance.results import ConformanceReport, Result, SuiteReport

__all__ = [
    "failing",
    "passes",
    "suite_lines",
    "suite_passes",
    "to_html",
    "to_json",
    "to_junit",
    "to_text",
]


def to_json(report: ConformanceReport) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"


# --- JUnit -------------------------------------------------------------------------------------


def _xml_text(value: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped; a detail must not break CI."""
    return "".join(ch if ch in "\t\n\r" or ord(ch) >= 0x20 else "\ufffd" for ch in value)


def failing(result: Result, *, strict: bool = False) -> bool:
    """Whether a result fails the build: an error-severity failure always, a warning only
    with ``strict``. One home for the rule, so the exit code and the JUnit XML agree."""
    if result.outcome != "fail":
        return False
    return result.severity == "error" or (strict and result.severity == "warning")


def suite_passes(suite: SuiteReport, *, strict: bool = False) -> bool:
    return not any(failing(r, strict=strict) for r in suite.results)


def passes(report: ConformanceReport, *, strict: bool = False) -> bool:
    """The exit status of ``cccd conformance``: True means exit 0."""
    return all(suite_passes(s, strict=strict) for s in report.suites)


def _testcase(suite: SuiteReport, result: Result, *, strict: bool) -> ET.Element:
    case = ET.Element("testcase", {
        "classname": _xml_text(f"conformance.{suite.name}"),
        "name": _xml_text(f"{result.label}: {result.check.title}"),
        "time": "0",
    })
    message = _xml_text(f"[{result.severity}] {result.detail}")
    if failing(result, strict=strict):
        failure = ET.SubElement(case, "failure", {"message": message, "type": result.severity})
        failure.text = _xml_text(f"{result.check.reference}\n{result.detail}")
    elif result.outcome == "fail":
        # a warning (or info) that does not fail the build: a passing testcase carrying it
        props = ET.SubElement(case, "properties")
        ET.SubElement(props, "property", {"name": result.severity, "value": message})
        out = ET.SubElement(case, "system-out")
        out.text = _xml_text(f"{result.severity.upper()}: {result.detail}\n"
                             f"{result.check.reference}")
    elif result.outcome == "skip":
        ET.SubElement(case, "skipped", {"message": message})
    else:
        out = ET.SubElement(case, "system-out")
        out.text = _xml_text(result.detail)
    return case


def to_junit(report: ConformanceReport, *, strict: bool = False) -> str:
    """JUnit XML that agrees with the exit code of ``cccd conformance``: error-severity
    failures are ``<failure>``; warnings are passing testcases carrying the warning (a
    ``<property>`` and ``<system-out>``) unless ``strict``, which makes them fail in both."""
    root = ET.Element("testsuites", {"name": "cccd conformance"})
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    stamp = report.generated.isoformat(timespec="seconds")
    for suite in report.suites:
        counts = suite.counts()
        failures = sum(failing(r, strict=strict) for r in suite.results)
        warnings = sum(r.outcome == "fail" and not failing(r, strict=strict)
                       for r in suite.results)
        element = ET.SubElement(root, "testsuite", {
            "name": _xml_text(suite.name),
            "tests": str(counts["total"]),
            "failures": str(failures),
            "errors": "0",
            "skipped": str(counts["skip"]),
            "timestamp": stamp,
            "time": "0",
        })
        props = ET.SubElement(element, "properties")
        for key, value in (("source", suite.source), ("kind", suite.kind),
                           ("note", suite.note), ("verdict", suite.verdict),
                           ("conformant", str(suite_passes(suite, strict=strict)).lower()),
                           ("strict", str(strict).lower()), ("warnings", str(warnings))):
            if value is not None:
                ET.SubElement(props, "property", {"name": key, "value": _xml_text(value)})
        for result in suite.results:
            element.append(_testcase(suite, result, strict=strict))
        totals["tests"] += counts["total"]
        totals["failures"] += failures
        totals["skipped"] += counts["skip"]
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    root.set("skipped", str(totals["skipped"]))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --- HTML --------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%;margin-bottom:2em}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top;font-size:.9em}
th{background:#f3f3f3}
.pass{color:#176f2c}.fail{color:#b00020;font-weight:bold}.skip{color:#777}
.badge{display:inline-block;padding:.1em .6em;border-radius:.8em;color:#fff}
.ok{background:#176f2c}.nok{background:#b00020}
code{font-size:.95em}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _suite_html(suite: SuiteReport) -> str:
    c = suite.counts()
    badge = ('<span class="badge ok">conformant</span>' if suite.conformant
             else '<span class="badge nok">not conformant</span>')
    rows = []
    for r in suite.results:
        rows.append(
            f'<tr class="{_e(r.outcome)}"><td><code>{_e(r.id)}</code></td><td>{_e(r.target)}</td>'
            f"<td>{_e(r.check.title)}</td><td>{_e(r.severity)}</td>"
            f'<td class="{_e(r.outcome)}">{_e(r.outcome)}</td><td>{_e(r.detail)}</td>'
            f"<td>{_e(r.check.reference)}</td></tr>"
        )
    note = f"<p>Note: {_e(suite.note)}</p>" if suite.note else ""
    return (
        f"<section><h2>{_e(suite.name)} {badge}</h2>"
        f"<p>Source: <code>{_e(suite.source)}</code> ({_e(suite.kind)}); verdict "
        f"{_e(suite.verdict)}; {c['pass']} passed, {c['fail']} failed "
        f"({c['errors']} errors), {c['skip']} skipped</p>{note}"
        "<table><tr><th>id</th><th>target</th><th>check</th><th>severity</th><th>result</th>"
        "<th>detail</th><th>reference</th></tr>" + "".join(rows) + "</table></section>"
    )


def to_html(report: ConformanceReport) -> str:
    """One page, inline CSS only, every card-derived string escaped."""
    total = len(report.suites)
    bad = sum(not s.conformant for s in report.suites)
    summary = f"{total - bad} of {total} conformant" if total else "no cards checked"
    index = "".join(
        f"<li>{'✔' if s.conformant else '✘'} {_e(s.name)} "
        f"({len(s.failures('error'))} errors)</li>"
        for s in report.suites
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>cccd conformance report</title>"
        f"<style>{_CSS}</style></head><body>"
        f"<h1>Conformance report</h1><p>{_e(summary)}; generated "
        f"{_e(report.generated.isoformat(timespec='seconds'))}; catalogue of {len(CATALOGUE)} "
        f"checks.</p><ul>{index}</ul>"
        + "".join(_suite_html(s) for s in report.suites)
        + "</body></html>\n"
    )


# --- terminal ----------------------------------------------------------------------------------


def suite_lines(suite: SuiteReport, *, verbose: bool = False) -> list[str]:
    """One suite's lines of :func:`to_text` (a batch streams them as suites arrive)."""
    c = suite.counts()
    mark = "PASS" if suite.conformant else "FAIL"
    lines = [
        f"{mark} {suite.name}: {c['pass']} passed, {c['fail']} failed ({c['errors']} "
        f"errors), {c['skip']} skipped"
    ]
    for r in suite.results if verbose else suite.failures():
        lines.append(f"  [{r.outcome:^4}] {r.label} ({r.severity}): {r.detail}")
    return lines


def to_text(report: ConformanceReport, *, verbose: bool = False) -> str:
    """One line per card, then its failures (every result with ``verbose``)."""
    lines = []
    for suite in report.suites:
        lines += suite_lines(suite, verbose=verbose)
    bad = sum(not s.conformant for s in report.suites)
    lines.append(f"{len(report.suites) - bad} of {len(report.suites)} conformant")
    return "\n".join(lines) + "\n"
