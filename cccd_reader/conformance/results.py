"""What a conformance run produces: one result per check and target, suites, the report.

These are the report's model, shared by the dump checks, the live probes, the runner and the
renderings (:mod:`.report`); its JSON layout is versioned (:data:`REPORT_FORMAT`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cccd_reader.conformance.catalogue import (
    BY_ID,
    CATALOGUE,
    CheckDef,
    Kind,
    Outcome,
    Severity,
)

__all__ = ["REPORT_FORMAT", "ConformanceReport", "Result", "SuiteReport", "complete"]

#: Version of the JSON layout of :meth:`ConformanceReport.to_json`.
REPORT_FORMAT = "cccd-conformance/1"


@dataclass(frozen=True, slots=True)
class Result:
    id: str
    outcome: Outcome
    detail: str
    #: What the check looked at when it runs more than once (``"DG2"``, ``"name"``...).
    target: str | None = None

    @property
    def check(self) -> CheckDef:
        return BY_ID[self.id]

    @property
    def severity(self) -> Severity:
        return self.check.severity

    @property
    def label(self) -> str:
        return f"{self.id} {self.target}" if self.target else self.id

    def to_json(self) -> dict[str, Any]:
        c = self.check
        return {
            "id": self.id,
            "target": self.target,
            "title": c.title,
            "reference": c.reference,
            "severity": c.severity,
            "result": self.outcome,
            "detail": self.detail,
        }


@dataclass
class SuiteReport:
    """Every catalogue check (of the scope) for one dump or one live chip."""

    name: str
    source: str
    kind: Kind
    results: list[Result]
    note: str | None = None
    #: The passive-authentication verdict of the same files, for context.
    verdict: str | None = None

    def failures(self, severity: Severity | None = None) -> list[Result]:
        return [
            r for r in self.results
            if r.outcome == "fail" and (severity is None or r.severity == severity)
        ]

    def failed_ids(self, severity: Severity | None = None) -> set[str]:
        return {r.id for r in self.failures(severity)}

    @property
    def conformant(self) -> bool:
        return not self.failures("error")

    def counts(self) -> dict[str, int]:
        out = {"total": len(self.results), "pass": 0, "fail": 0, "skip": 0, "errors": 0}
        for r in self.results:
            out[r.outcome] += 1
        out["errors"] = len(self.failures("error"))
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "kind": self.kind,
            "note": self.note,
            "verdict": self.verdict,
            "conformant": self.conformant,
            "counts": self.counts(),
            "results": [r.to_json() for r in self.results],
        }


@dataclass
class ConformanceReport:
    suites: list[SuiteReport]
    generated: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def conformant(self) -> bool:
        return all(s.conformant for s in self.suites)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": REPORT_FORMAT,
            "generated": self.generated.isoformat(timespec="seconds"),
            "conformant": self.conformant,
            "catalogue": [
                {"id": c.id, "title": c.title, "reference": c.reference,
                 "severity": c.severity, "scope": c.scope}
                for c in CATALOGUE
            ],
            "suites": [s.to_json() for s in self.suites],
        }


def complete(suite: SuiteReport, live_reason: str = "not run") -> SuiteReport:
    """Every check of the scope appears at least once, in catalogue order."""
    have = {r.id for r in suite.results}
    for check in CATALOGUE:
        if check.id in have or check.scope not in ("any", suite.kind):
            continue
        why = "not applicable to this card" if check.scope != "live" else live_reason
        suite.results.append(Result(check.id, "skip", why))
    rank = {c.id: i for i, c in enumerate(CATALOGUE)}
    suite.results.sort(key=lambda r: rank[r.id])  # stable: targets keep their order
    return suite
