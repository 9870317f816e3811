"""The evidence package (``cccd-evidence/1``): what a bank's server needs to check a card again.

A counter PC reads the chip; the bank's server decides. The server should not have to trust
the counter's verdict, so the package carries the chip's own proofs, byte for byte: EF.SOD,
the Document Signer certificate, every data group that was read (DG1, DG2, DG13, DG14, DG15,
…), and, when the server chose the Active Authentication challenge, that challenge and the
chip's signature over it. With them the server re-runs passive authentication and checks the
signature itself (:mod:`cccd_reader.evidence.check`).

Everything else in the package is the counter's word, labelled as such: the counter's verdict
and checks, the times (the counter's clock), the software's version, and an optional face
comparison (computed on the counter PC, not attested: nothing in it can be re-proven). The
live camera image goes in only with an explicit consent flag (Law 91/2025: biometric data).

The package is self-contained: no field names a file, a path or a URL, and loading refuses
any that tries (:mod:`cccd_reader.evidence.codec`). It holds personal data (DG1, DG13, the
portrait in DG2): it is written 0600 on explicit request only, and never logged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal

from cccd_reader.checks import STATUSES, Check
from cccd_reader.errors import ParseError
from cccd_reader.lds.files import FILES, dg_number

FORMAT: Final = "cccd-evidence/1"
#: The version number inside FORMAT; a package of a later version is refused, not guessed at.
VERSION: Final = 1

#: Files a package may carry: EF.SOD, EF.CardSecurity (it signs the keys of PACE-CAM and Chip
#: Authentication) and the data groups. EF.COM and EF.CardAccess prove nothing and stay out.
PACKAGE_FILES: Final = frozenset(
    name for name in FILES if name in ("EF.SOD", "EF.CardSecurity") or dg_number(name)
)
#: Data groups never read without Extended Access Control (fingerprints, iris): refused.
EAC_FILES: Final = frozenset({"DG3", "DG4"})

#: The face comparison's three bands (issue 30); anything else is refused.
FACE_BANDS: Final = ("likely_same", "check_by_eye", "likely_different")
#: Said in every face block: the score came from the counter, nothing in it is signed.
FACE_ATTESTATION: Final = "not_attested"
FACE_NOTE: Final = (
    "computed on the counter PC, not attested: the score, band, thresholds and model hashes "
    "are the counter software's word; no chip or server signature covers them"
)
LIVE_IMAGE_TYPES: Final = ("image/jpeg", "image/png")

#: How the package says Active Authentication is or is not in it.
AaReason = Literal["included", "no_dg15", "no_challenge", "not_run"]
AA_NOTES: Final[dict[str, str]] = {
    "included": "the chip signed the challenge the caller supplied; a server checks the "
                "signature with DG15's key against the challenge it chose",
    "no_dg15": "the chip has no DG15 (the 2024 card profile, thẻ căn cước, carries none): "
               "Active Authentication does not exist on this chip; its clone detection (Chip "
               "Authentication / PACE-CAM) is bound to the counter's session and cannot be "
               "re-proven by a server",
    "no_challenge": "no challenge was supplied by the caller: the counter's own Active "
                    "Authentication is not included (a server could not tell it from a replay)",
    "not_run": "Active Authentication gave no signature during this read (counter_status "
               "says whether it was not attempted or failed)",
}


class EvidenceError(ParseError):
    """An evidence package is malformed, hostile or cannot be built.

    ``reason`` (also ``params["reason"]``) is stable: ``too_large``, ``too_deep``,
    ``not_json``, ``duplicate_key``, ``format``, ``unknown_key``, ``file_reference``,
    ``field``, ``no_consent``, ``unreadable``.
    """

    code = "evidence"

    def __init__(self, reason: str, message: str, **params: str) -> None:
        super().__init__(message, params={"reason": reason, **params})
        self.reason = reason


@dataclass(frozen=True)
class Producer:
    """The software that made the package (the counter's word)."""

    software: str
    version: str
    #: ``cli``, ``agent``, ``app`` or ``library``.
    component: str


@dataclass(frozen=True, repr=False)
class ActiveAuthEvidence:
    """Active Authentication in the package: the caller's challenge and the chip's signature,
    or why there is none (``reason``; ``note`` says it in words)."""

    reason: AaReason
    challenge: bytes | None = None
    signature: bytes | None = None
    #: The counter's own outcome (``pass``/``fail``/...): the counter's word, re-checked by a
    #: server from ``challenge`` and ``signature``.
    counter_status: str | None = None

    def __post_init__(self) -> None:
        has = self.challenge is not None and self.signature is not None
        if has != (self.reason == "included"):
            raise EvidenceError("field", "active_authentication: a challenge and a signature "
                                "go with reason 'included', and only with it")

    def __repr__(self) -> str:
        return f"ActiveAuthEvidence(reason={self.reason!r})"

    @property
    def note(self) -> str:
        return AA_NOTES[self.reason]


@dataclass(frozen=True)
class FaceEvidence:
    """A face comparison made at the counter (the face module's result, as plain data).

    Nothing here is attested: the package marks it ``not_attested``. The shape follows
    ``cccd face-match --json``: ``score`` and ``band`` (None when the quality gate refused,
    then ``refused`` holds ``code`` and ``side``), ``thresholds`` (band edges), ``model``
    (names and hashes) and ``quality``; :meth:`from_mapping` takes that JSON as it is. Name
    models by name and SHA-256: a key such as ``file``, ``path`` or ``url`` anywhere makes the
    package refer outside itself, and it is refused when written or loaded.
    """

    score: float | None
    band: str | None
    #: The band edges, the model's names and hashes, the quality measures: plain JSON values
    #: of the face module's own shape (objects or lists of strings, numbers, booleans),
    #: bounded when the package is written and loaded.
    thresholds: Any = field(default_factory=dict)
    model: Any = field(default_factory=dict)
    quality: Any = field(default_factory=dict)
    refused: Mapping[str, str] | None = None
    computed_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.band is not None and self.band not in FACE_BANDS:
            raise EvidenceError("field", f"face.band must be one of {', '.join(FACE_BANDS)}")
        if self.score is not None and (
            isinstance(self.score, bool) or not isinstance(self.score, int | float)
            or not math.isfinite(self.score) or not -1.0 <= self.score <= 1.0
        ):
            raise EvidenceError("field", "face.score must be a number between -1 and 1")
        if (self.score is None) != (self.band is None):
            raise EvidenceError("field", "face: score and band are given together")
        if self.band is None and not self.refused:
            raise EvidenceError("field", "face: without a score, 'refused' says why")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any],
                     computed_at: datetime | None = None) -> FaceEvidence:
        """The face module's JSON (``score``, ``band``, ``thresholds``, ``model``, ``quality``,
        ``refused``); other keys (``chip_verdict``…) are the caller's and are left out, and each
        model is named by its name and hash (its ``file`` is left out)."""
        refused = data.get("refused")
        if refused is not None and not isinstance(refused, Mapping):
            raise EvidenceError("field", "face.refused must be an object (code, side)")
        return cls(
            score=data.get("score"),
            band=data.get("band"),
            thresholds=data.get("thresholds") or {},
            model=_models_by_name_and_hash(data.get("model") or {}),
            quality=data.get("quality") or {},
            refused={str(k): str(v) for k, v in refused.items()} if refused else None,
            computed_at=computed_at,
        )


def _models_by_name_and_hash(model: Any) -> Any:
    """The face module's ``model`` block without its ``file`` names: a package names a model
    by its name and SHA-256 (a file name would make it refer outside itself)."""
    if not isinstance(model, Mapping):
        return model
    return {role: ({k: v for k, v in entry.items() if k != "file"}
                   if isinstance(entry, Mapping) else entry)
            for role, entry in model.items()}


@dataclass(frozen=True, repr=False)
class LiveImage:
    """The camera image a face was compared with: only with the holder's explicit consent."""

    mime: str
    data: bytes
    consent: bool

    def __post_init__(self) -> None:
        if self.consent is not True:
            raise EvidenceError("no_consent", "the live camera image goes into an evidence "
                                "package only with explicit consent (include_live_image)")
        if self.mime not in LIVE_IMAGE_TYPES:
            raise EvidenceError("field", f"live_image.mime must be one of "
                                f"{', '.join(LIVE_IMAGE_TYPES)}")

    def __repr__(self) -> str:
        return f"LiveImage(mime={self.mime!r}, {len(self.data)} bytes)"


@dataclass(frozen=True, repr=False)
class EvidencePackage:
    """One ``cccd-evidence/1`` package. ``repr`` names files, never their bytes."""

    files: Mapping[str, bytes]
    #: The Document Signer certificate (DER) that signed EF.SOD, as the counter found it.
    dsc: bytes | None
    #: The counter's verdict and checks (its word; a server re-runs them).
    counter_verdict: str | None
    counter_checks: tuple[Check, ...]
    active_auth: ActiveAuthEvidence
    producer: Producer
    created_at: datetime
    #: When the read finished, by the counter's clock.
    read_at: datetime | None = None
    face: FaceEvidence | None = None
    live_image: LiveImage | None = None
    #: Files the chip lists that are not in the package, and why (``not_read``,
    #: ``eac_protected``, ``missing``).
    absent: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.files) - PACKAGE_FILES)
        if unknown:
            raise EvidenceError("field", f"files: {', '.join(unknown)} cannot be in a package")
        if "EF.SOD" not in self.files:
            raise EvidenceError("field", "files: EF.SOD is required (nothing is provable "
                                "without it)")
        if self.live_image is not None and self.face is None:
            raise EvidenceError("field", "live_image goes with the face comparison it was "
                                "used for")

    @property
    def absent_eac(self) -> tuple[str, ...]:
        """Files the chip guards with Extended Access Control (not read: not an error)."""
        return tuple(n for n, why in self.absent.items() if why == "eac_protected")

    @property
    def absent_missing(self) -> tuple[str, ...]:
        """Files the chip listed but did not have."""
        return tuple(n for n, why in self.absent.items() if why == "missing")

    def __repr__(self) -> str:
        return (f"EvidencePackage(files={sorted(self.files)}, "
                f"active_auth={self.active_auth.reason!r}, face={self.face is not None}, "
                f"live_image={self.live_image is not None}, personal data masked)")


def checks_from_json(items: Sequence[Mapping[str, Any]]) -> tuple[Check, ...]:
    """The counter's checks as :class:`Check` values (validated by the codec first)."""
    out = []
    for item in items:
        status = item["status"]
        assert status in STATUSES
        out.append(Check(item["name"], status, item["detail"], bool(item["required"]),
                         item["code"], dict(item["params"])))
    return tuple(out)
