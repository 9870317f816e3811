"""Evidence packages for a bank's own systems (``cccd-evidence/1``).

:func:`from_outcome` builds a package from a read (with the Active Authentication challenge a
server chose), :func:`save` writes it 0600, :func:`load` / :func:`loads` read one back under
hostile-input bounds, and :func:`verify_package` is the server's check: passive
authentication again, the AA signature over the server's challenge, and a list of what could
not be re-proven. See ``docs/bank-integrator-guide.md``.
"""

from __future__ import annotations

from cccd_reader.evidence.build import build_package, from_dump, from_outcome, from_record
from cccd_reader.evidence.check import EvidenceReport, Finding, verify_package
from cccd_reader.evidence.codec import dumps, load, loads, save, to_json
from cccd_reader.evidence.model import (
    FORMAT,
    ActiveAuthEvidence,
    EvidenceError,
    EvidencePackage,
    FaceEvidence,
    LiveImage,
    Producer,
)

__all__ = [
    "FORMAT",
    "ActiveAuthEvidence",
    "EvidenceError",
    "EvidencePackage",
    "EvidenceReport",
    "FaceEvidence",
    "Finding",
    "LiveImage",
    "Producer",
    "build_package",
    "dumps",
    "from_dump",
    "from_outcome",
    "from_record",
    "load",
    "loads",
    "save",
    "to_json",
    "verify_package",
]
