"""Building an evidence package from a read, a record with its files, or a dump.

Only on explicit request (``cccd read --evidence``, the agent's ``POST /v1/evidence``, the
app's "Lưu bằng chứng"): a package is personal data. What goes in is chosen here once, so
every front end writes the same package for the same read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cccd_reader.evidence.model import (
    EAC_FILES,
    PACKAGE_FILES,
    ActiveAuthEvidence,
    EvidencePackage,
    FaceEvidence,
    LiveImage,
    Producer,
)

if TYPE_CHECKING:
    from cccd_reader.auth.active import AuthResult
    from cccd_reader.dump import CardDump
    from cccd_reader.pki.trust import TrustStore
    from cccd_reader.record import CardRecord
    from cccd_reader.service import ReadOutcome
    from cccd_reader.verify import Verification

SOFTWARE = "cccd-reader"


def software_version() -> str:
    """The installed distribution's version (pyproject's ``version``)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(SOFTWARE)
    except PackageNotFoundError:  # a source tree on sys.path, not installed
        return "0+unknown"


def _active_auth(files: Mapping[str, bytes], result: AuthResult | None,
                 caller_challenge: bytes | None) -> ActiveAuthEvidence:
    if "DG15" not in files:
        return ActiveAuthEvidence("no_dg15")
    if result is None or result.challenge is None or result.signature is None:
        return ActiveAuthEvidence("not_run",
                                  counter_status=result.status if result is not None else None)
    if caller_challenge is None or result.challenge != caller_challenge:
        return ActiveAuthEvidence("no_challenge")
    return ActiveAuthEvidence("included", result.challenge, result.signature, result.status)


def build_package(
    files: Mapping[str, bytes],
    verification: Verification | None,
    *,
    active_auth: AuthResult | None = None,
    caller_challenge: bytes | None = None,
    face: FaceEvidence | Mapping[str, object] | None = None,
    live_image: LiveImage | None = None,
    read_at: datetime | None = None,
    protected: Iterable[str] = (),
    missing: Iterable[str] = (),
    component: str = "library",
    now: datetime | None = None,
) -> EvidencePackage:
    """The package for one read's ``files`` and the counter's ``verification`` of them.

    ``active_auth`` is the read's Active Authentication (``ReadResult.active_auth``); its
    challenge and signature go in only when the challenge is ``caller_challenge`` (the one a
    server chose): a challenge the counter picked itself proves nothing to a server.
    ``face``: the face module's result (a :class:`FaceEvidence` or its JSON mapping), marked
    not attested. ``live_image``: only a :class:`LiveImage` made with ``consent=True``.
    """
    carried = {name: bytes(data) for name, data in files.items()
               if name in PACKAGE_FILES and name not in EAC_FILES}
    absent = {name: "eac_protected" for name in protected if name in PACKAGE_FILES}
    absent.update({name: "missing" for name in missing if name in PACKAGE_FILES})
    if face is not None and not isinstance(face, FaceEvidence):
        face = FaceEvidence.from_mapping(face)
    dsc = verification.dsc.der if verification is not None and verification.dsc else None
    return EvidencePackage(
        files=carried,
        dsc=dsc,
        counter_verdict=verification.verdict if verification is not None else None,
        counter_checks=tuple(verification.checks) if verification is not None else (),
        active_auth=_active_auth(carried, active_auth, caller_challenge),
        producer=Producer(SOFTWARE, software_version(), component),
        created_at=now or datetime.now(UTC),
        read_at=read_at,
        face=face,
        live_image=live_image,
        absent=absent,
    )


def from_outcome(
    outcome: ReadOutcome,
    *,
    aa_challenge: bytes | None = None,
    face: FaceEvidence | Mapping[str, object] | None = None,
    live_image: LiveImage | None = None,
    component: str = "library",
) -> EvidencePackage:
    """The package of a read (``read_and_verify(..., aa_challenge=...)``)."""
    return build_package(
        outcome.result.files,
        outcome.record.verification,
        active_auth=outcome.result.active_auth,
        caller_challenge=aa_challenge,
        face=face,
        live_image=live_image,
        read_at=outcome.finished_at,
        protected=outcome.result.protected,
        missing=outcome.result.missing,
        component=component,
    )


def from_record(record: CardRecord, files: Mapping[str, bytes], *,
                component: str = "library") -> EvidencePackage:
    """The package of a record built from ``files`` (no Active Authentication exchange)."""
    return build_package(files, record.verification, protected=record.protected_files,
                         missing=record.missing_files, component=component)


def from_dump(dump: CardDump, trust: TrustStore | None, *,
              component: str = "library") -> EvidencePackage:
    """The package of a ``cccd-dump/1`` (verified now with ``trust``)."""
    from cccd_reader.record import CardRecord

    record = CardRecord.build(dump.files, trust=trust, decode_photo=False)
    return from_record(record, dump.files, component=component)
