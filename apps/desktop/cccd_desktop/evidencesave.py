"""The "Lưu bằng chứng" (Save evidence) button: the read's evidence package, on the clerk's
explicit action only.

The package (``cccd-evidence/1``, :mod:`cccd_reader.evidence`) carries the chip's own files
(EF.SOD, DG1, DG2 with the portrait, DG13, DG14, DG15…), the Document Signer certificate, the
app's verdict and checks, and, when the clerk made a face check for this read, its result
marked *computed on the counter PC, not attested*. The app chooses no challenge for a server,
so the package says Active Authentication is not included for a server (``no_challenge``);
a bank that needs the chip's signature over its own challenge uses the agent
(``POST /v1/active-auth`` then ``POST /v1/evidence``). The camera image never goes in from the
app. The file is written 0600, never through a symbolic link, and nothing of it is logged.
Kept out of ``window`` so the window stays a window.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cccd_reader import evidence


def package_for(outcome: Any, face_result: Any = None) -> evidence.EvidencePackage:
    """The package of a finished read (:class:`~cccd_reader.service.ReadOutcome`) with the
    face panel's result (:class:`~cccd_reader.face.FaceMatch`) when the clerk made one."""
    face = face_result.to_json() if face_result is not None else None
    return evidence.from_outcome(outcome, face=face, component="app")


def save_package(outcome: Any, face_result: Any, path: str | Path) -> Path:
    """Write the package to ``path`` (the save dialog already asked before replacing a file);
    raises :class:`~cccd_reader.errors.OutputError` for a path that cannot be written and
    :class:`~cccd_reader.evidence.EvidenceError` for a read no package can be made of."""
    return evidence.save(package_for(outcome, face_result), path, overwrite=True)


__all__ = ["package_for", "save_package"]
