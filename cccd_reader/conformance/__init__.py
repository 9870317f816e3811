"""Conformance testing: named, referenced checks of a card (dump or live chip) against the specs.

Passive authentication (:mod:`cccd_reader.verify`) answers "can this document be trusted?". A
QA lab, an issuer qualifying a personalisation line or an integrator testing a new card batch
needs a different answer: "which clause does this card break?". That is why every check has a
stable id (``LDS-TLV-001``), the clause it comes from and a severity, and why every check of
the catalogue appears in every report (``skip`` with a reason when it could not run): a CI job
can then track one testcase across card batches, and a missing result is never silent.

The package, one module per part:

* :mod:`.catalogue`: the checks' ids, titles, references, severities and scopes;
* :mod:`.results`: results, suites and the report (its JSON layout);
* :mod:`.dump_checks`: the checks over the files of a dump (or of a live read);
* :mod:`.live`: protocol probes against a chip, then a full read (``--live``);
* :mod:`.runner`: the catalogue over paths, gathered in one report;
* :mod:`.report`: text, JSON, JUnit XML and HTML renderings, and the exit-code rule.

Here are only the entry points ``cccd conformance`` uses.
"""

from __future__ import annotations

from cccd_reader.conformance.live import check_live
from cccd_reader.conformance.report import passes, to_html, to_json, to_junit, to_text
from cccd_reader.conformance.runner import run

__all__ = ["check_live", "passes", "run", "to_html", "to_json", "to_junit", "to_text"]
