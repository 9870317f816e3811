"""Passive authentication (ICAO 9303 Part 11 §5.1): is what we read what the state signed?

The answer is a list of named checks plus a verdict derived from them by one rule
(:func:`verdict_for`), so a user and a test can see exactly what was proven. The rule never
rounds up: ``genuine`` needs every required check to *pass*; a failure anywhere gives
``not_genuine``; anything skipped or unsupported gives ``unverified``.

Without a trust anchor the SOD signature and DG hashes are still checked against the DSC the SOD
embeds: that proves the files are intact and consistent with *some* key, which a forger can
produce too, so the verdict stays ``unverified``. A DSC pinned in the trust store is a trust
anchor in its own right: chain passes on exact equality, and the CSCA validity and CRL checks
become ``skipped`` and not required (there is no CSCA in that trust model).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal, get_args

from asn1crypto import x509 as asn1_x509

from cccd_reader.errors import LDSError
from cccd_reader.lds.dg1 import parse_dg1
from cccd_reader.lds.files import dg_number
from cccd_reader.lds.sod import LDS_SECURITY_OBJECT_OID, SOD, parse_sod
from cccd_reader.pki.signatures import (
    SHA1_WARNING,
    AlgorithmUnsupported,
    SignatureError,
    verify_signature,
)
from cccd_reader.pki.trust import (
    Cert,
    ChainResult,
    TrustError,
    TrustStore,
    compare_issuing_state,
    same_name,
    valid_at,
)

Status = Literal["pass", "fail", "skipped", "unsupported"]
Verdict = Literal["genuine", "not_genuine", "unverified", "inconsistent"]
STATUSES: tuple[Status, ...] = get_args(Status)

SOD_PARSE = "sod_parse"
SOD_SIGNATURE = "sod_signature"
DSC_CHAIN = "dsc_chain"
DSC_VALIDITY = "dsc_validity"
CSCA_VALIDITY = "csca_validity"
CRL = "crl"
CONSISTENCY = "dg1_dg13_consistency"
DG_HASH_PREFIX = "dg_hash:"
ACTIVE_AUTH = "active_auth"
CHIP_AUTH = "chip_auth"
#: Order of trust: the data groups whose keys a chip-genuineness check used. DG14 counts for
#: Active Authentication whenever it was read, since its ActiveAuthenticationInfo names the
#: ECDSA hash.
_CHIP_CHECK_KEY_FILES: dict[str, tuple[str, ...]] = {
    ACTIVE_AUTH: ("DG15", "DG14"),
    CHIP_AUTH: ("DG14",),
}
#: Checks without which no document is ``genuine``, even if every listed check passed.
CORE_CHECKS: tuple[str, ...] = (SOD_PARSE, SOD_SIGNATURE, DSC_CHAIN, DSC_VALIDITY)
#: Data groups readable only after Extended Access Control (fingerprints, iris).
EAC_PROTECTED = frozenset({3, 4})
#: A date has no time zone: it is taken as covering every instant that is that day somewhere.
_DAY_BEFORE = timedelta(hours=14)
_DAY_AFTER = timedelta(hours=12)


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    #: False only for checks that do not apply in the chosen trust model (pinned DSC) or for
    #: EAC-protected data groups that were not read; they never make a verdict ``genuine``.
    required: bool = True
    #: Stable reason code (``"<check>.<reason>"``, e.g. ``"dsc_chain.no_anchor"``) and the
    #: values its message template needs, so the CLI, the app and integrators can say the
    #: reason in their own language; ``detail`` is the English rendering. An empty code
    #: becomes ``"<check>.<status>"`` (the check's family without its ``:DGn`` suffix).
    code: str = ""
    params: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.code:
            object.__setattr__(self, "code", f"{self.name.split(':', 1)[0]}.{self.status}")

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "detail": self.detail,
            "required": self.required,
            "code": self.code,
            "params": dict(self.params),
        }


@dataclass
class Verification:
    checks: list[Check]
    verdict: Verdict
    #: The DSC that signed the SOD, when found (embedded or pinned).
    dsc: Cert | None = field(default=None, repr=False)

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    def to_json(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "checks": [c.to_json() for c in self.checks]}


# --- the verdict rule --------------------------------------------------------------------------


def verdict_for(checks: Sequence[Check]) -> Verdict:
    """The single rule turning checks into a verdict.

    * any ``fail`` -> ``not_genuine``, unless the only failures are the DG1/DG13 consistency
      check -> ``inconsistent``;
    * else any required check not ``pass``, or a core check / every DG hash missing ->
      ``unverified``;
    * else ``genuine``.
    """
    fails = [c for c in checks if c.status == "fail"]
    if any(c.name != CONSISTENCY for c in fails):
        return "not_genuine"
    if fails:
        return "inconsistent"
    names = {c.name for c in checks}
    if not set(CORE_CHECKS) <= names or not any(n.startswith(DG_HASH_PREFIX) for n in names):
        return "unverified"
    if any(c.required and c.status != "pass" for c in checks):
        return "unverified"
    return "genuine"


def enumerate_verdicts(names: Sequence[str]) -> Iterator[tuple[dict[str, Status], Verdict]]:
    """Every assignment of statuses to the required checks ``names`` with its verdict, so tests
    can prove that only the all-``pass`` assignment is ``genuine``."""
    for statuses in itertools.product(STATUSES, repeat=len(names)):
        assignment = dict(zip(names, statuses, strict=True))
        checks = [Check(name, status, "") for name, status in assignment.items()]
        yield assignment, verdict_for(checks)


# --- helpers -----------------------------------------------------------------------------------


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class _Reference:
    """The time the document was signed: an instant (signingTime) or a day (issue date)."""

    start: datetime
    end: datetime
    label: str

    def within(self, not_before: datetime | None, not_after: datetime | None) -> bool:
        return (not_before is None or not_before <= self.end) and (
            not_after is None or not_after >= self.start
        )


def _reference(sod: SOD, issue_date: date | None) -> _Reference | None:
    if sod.signer.signing_time is not None:
        when = _as_utc(sod.signer.signing_time)
        return _Reference(when, when, f"signing time {when:%Y-%m-%d %H:%M:%SZ}")
    if issue_date is not None:
        day = datetime.combine(issue_date, time(0), tzinfo=UTC)
        return _Reference(
            day - _DAY_BEFORE,
            day + timedelta(days=1) + _DAY_AFTER,
            f"document issue date {issue_date:%Y-%m-%d} (SOD has no signingTime)",
        )
    return None


def _validity(cert: Cert, what: str, ref: _Reference, now: datetime, pkup: bool) -> Check:
    today = "valid today" if valid_at(cert, now) else (
        f"not valid today ({now:%Y-%m-%d}; validity ends {cert.not_after:%Y-%m-%d})"
    )
    window = f"{cert.not_before:%Y-%m-%d}..{cert.not_after:%Y-%m-%d}"
    name = DSC_VALIDITY if what == "DSC" else CSCA_VALIDITY
    if not ref.within(cert.not_before, cert.not_after):
        return Check(name, "fail", f"{what} ({window}) was not valid at {ref.label}; {today}")
    period = cert.private_key_usage_period if pkup else None
    if period is not None and not ref.within(*period):
        start, end = (f"{v:%Y-%m-%d}" if v else "-" for v in period)
        return Check(
            name,
            "fail",
            f"{what} private key usage period {start}..{end} does not cover {ref.label}",
        )
    return Check(name, "pass", f"{what} ({window}) valid at {ref.label}; {today}")


def _find_dsc(sod: SOD, trust: TrustStore | None) -> tuple[Cert | None, str]:
    signer = sod.signer
    issuer = asn1_x509.Name.load(signer.issuer) if signer.issuer is not None else None
    problems: list[str] = []
    for i, der in enumerate(sod.certificates):
        try:
            cert = Cert.load(der, f"EF.SOD certificate {i}")
        except TrustError as exc:
            problems.append(str(exc))
            continue
        if signer.sid_kind == "ski":
            if cert.ski is not None and cert.ski == signer.subject_key_identifier:
                return cert, ""
        elif (
            cert.serial == signer.serial_number
            and issuer is not None
            and same_name(cert.issuer, issuer)
        ):
            return cert, ""
    if trust is not None:
        pinned = trust.find_dsc(
            issuer=issuer, serial=signer.serial_number, ski=signer.subject_key_identifier
        )
        if pinned is not None:
            return pinned, ""
    where = f"among the {len(sod.certificates)} SOD certificate(s)" if sod.certificates else (
        "(the SOD embeds none)"
    )
    return None, f"no certificate matching the SignerInfo {where} or pinned in the trust store" + (
        f"; {'; '.join(problems)}" if problems else ""
    )


def _sod_signature(sod: SOD, dsc: Cert | None, why_no_dsc: str) -> Check:
    signer = sod.signer
    if sod.econtent_type != LDS_SECURITY_OBJECT_OID:
        return Check(SOD_SIGNATURE, "fail", f"eContentType is {sod.econtent_type}")
    if not signer.has_signed_attrs:
        return Check(SOD_SIGNATURE, "fail", "SignerInfo has no signed attributes (ICAO requires)")
    if signer.content_type != LDS_SECURITY_OBJECT_OID:
        return Check(
            SOD_SIGNATURE,
            "fail",
            f"contentType attribute is {signer.content_type}, not ldsSecurityObject",
        )
    expected = hashlib.new(signer.digest_algorithm, sod.econtent).digest()
    if signer.message_digest is None or not hmac.compare_digest(signer.message_digest, expected):
        return Check(
            SOD_SIGNATURE,
            "fail",
            f"messageDigest attribute does not match the {signer.digest_algorithm} of eContent",
        )
    if dsc is None:
        status: Status = "fail" if sod.certificates else "skipped"
        return Check(SOD_SIGNATURE, status, why_no_dsc)
    try:
        result = verify_signature(
            dsc.spki_der,
            signer.signature_algorithm_der,
            signer.signed_bytes,
            signer.signature,
            digest_algorithm=signer.digest_algorithm,
        )
    except AlgorithmUnsupported as exc:
        return Check(SOD_SIGNATURE, "unsupported", f"{exc} (DSC {dsc.describe()})")
    except SignatureError as exc:
        return Check(SOD_SIGNATURE, "fail", f"{exc} (DSC {dsc.describe()})")
    warnings = list(result.warnings)
    if signer.digest_algorithm == "sha1" and SHA1_WARNING not in warnings:
        warnings.append(SHA1_WARNING)
    detail = f"{result.scheme} ({result.key}) by DSC {dsc.describe()}"
    if warnings:
        detail += "; warning: " + "; ".join(warnings)
    return Check(SOD_SIGNATURE, "pass", detail)


def _dg_checks(files: Mapping[str, bytes], sod: SOD) -> list[Check]:
    present = {n: data for name, data in files.items() if (n := dg_number(name)) is not None}
    warn = f"; warning: {SHA1_WARNING}" if sod.hash_algorithm == "sha1" else ""
    checks = []
    for number in sorted(set(present) | set(sod.dg_hashes)):
        name = f"{DG_HASH_PREFIX}DG{number}"
        if number not in sod.dg_hashes:
            checks.append(Check(name, "fail", f"DG{number} is on the chip but not in the SOD"))
        elif number not in present:
            if number in EAC_PROTECTED:
                checks.append(
                    Check(
                        name,
                        "skipped",
                        f"DG{number} is protected by Extended Access Control and was not read",
                        required=False,
                    )
                )
            else:
                checks.append(Check(name, "fail", f"DG{number} is listed in the SOD but missing"))
        else:
            digest = hashlib.new(sod.hash_algorithm, present[number]).digest()
            if hmac.compare_digest(digest, sod.dg_hashes[number]):
                checks.append(Check(name, "pass", f"{sod.hash_algorithm} matches the SOD{warn}"))
            else:
                checks.append(
                    Check(name, "fail", f"DG{number} {sod.hash_algorithm} differs from the SOD")
                )
    return checks


# --- the entry point ---------------------------------------------------------------------------


def verify(
    files: Mapping[str, bytes],
    trust: TrustStore | None,
    *,
    document_issue_date: date | None = None,
    now: datetime | None = None,
    consistency_failed: bool | None = None,
    extra_checks: Sequence[Check] = (),
) -> Verification:
    """Passively authenticate the files of one read (names as in ``cccd_reader.lds.files``).

    ``files`` must hold the bytes exactly as read; ``document_issue_date`` (DG12/DG13) stands in
    for a missing SOD signingTime; ``consistency_failed`` is the caller's DG1/DG13 comparison
    (None: not compared, no check emitted). ``extra_checks`` are checks made elsewhere (chip
    genuineness: ``active_auth``, ``chip_auth``; QR cross-checks) that join the same verdict.
    """
    now = _as_utc(now) if now is not None else datetime.now(UTC)
    checks: list[Check] = []
    sod: SOD | None = None
    raw = files.get("EF.SOD")
    if raw is None:
        checks.append(Check(SOD_PARSE, "fail", "EF.SOD was not read: nothing can be verified"))
    else:
        try:
            sod = parse_sod(raw)
            checks.append(
                Check(SOD_PARSE, "pass", f"LDSSecurityObject v{sod.version}, {sod.hash_algorithm}")
            )
        except LDSError as exc:
            checks.append(Check(SOD_PARSE, "fail", str(exc)))
    dsc: Cert | None = None
    if sod is None:
        for name in (SOD_SIGNATURE, DSC_CHAIN, DSC_VALIDITY, CSCA_VALIDITY, CRL):
            checks.append(Check(name, "skipped", "EF.SOD is missing or malformed"))
        for fname in sorted(files, key=lambda n: dg_number(n) or 0):
            if dg_number(fname) is not None:
                checks.append(
                    Check(f"{DG_HASH_PREFIX}{fname}", "skipped", "no SOD to compare with")
                )
    else:
        dsc, why = _find_dsc(sod, trust)
        checks.append(_sod_signature(sod, dsc, why))
        checks += _trust_checks(sod, dsc, trust, document_issue_date, now, _issuing_state(files))
        checks += _dg_checks(files, sod)
    if consistency_failed is not None:
        checks.append(
            Check(
                CONSISTENCY,
                "fail" if consistency_failed else "pass",
                "DG1 and DG13 disagree" if consistency_failed else "DG1 and DG13 agree",
            )
        )
    checks.extend(_order_of_trust(check, checks, files) for check in extra_checks)
    return Verification(checks, verdict_for(checks), dsc)


def _order_of_trust(check: Check, checks: Sequence[Check], files: Mapping[str, bytes]) -> Check:
    """Active/Chip Authentication prove nothing unless the key they used is the state's.

    A pass (or a fail) against a DG14/DG15 whose hash did not pass only shows the chip agrees
    (or not) with a key anyone could have written, so it becomes ``skipped`` and stays
    required: the verdict cannot be ``genuine``, and the dg_hash failure says why.
    """
    needed = _CHIP_CHECK_KEY_FILES.get(check.name)
    if needed is None or check.status == "skipped":
        return check
    status = {c.name: c.status for c in checks}
    for dg in needed:
        if dg == "DG14" and check.name == ACTIVE_AUTH and dg not in files:
            continue  # RSA Active Authentication needs no DG14
        got = status.get(f"{DG_HASH_PREFIX}{dg}")
        if got != "pass":
            why = "was not checked" if got is None else f"hash check: {got}"
            return Check(
                check.name,
                "skipped",
                f"unproven: the key comes from {dg}, which passive authentication did not "
                f"prove ({why}); the chip's answer ({check.status}: {check.detail}) counts "
                "for nothing",
                required=True,
            )
    return check


def _issuing_state(files: Mapping[str, bytes]) -> str | None:
    """DG1's issuing state, None when DG1 is absent or unreadable (its own check reports it)."""
    dg1 = files.get("DG1")
    if dg1 is None:
        return None
    try:
        return parse_dg1(dg1, strict=False).issuing_state
    except LDSError:
        return None


def _with_issuing_state(chain: ChainResult, dsc: Cert, issuing_state: str | None) -> ChainResult:
    """A DSC of another state than the document's makes the chain fail whatever the path: with
    many states' CSCAs trusted, a DSC key stolen from one must not sign another's documents."""
    if issuing_state is None:
        return chain
    status, detail = compare_issuing_state(dsc, issuing_state)
    if status == "fail":
        return replace(chain, status="fail", detail=f"{detail}; {chain.detail}")
    return replace(chain, detail=f"{chain.detail}; {detail}")


def _trust_checks(
    sod: SOD,
    dsc: Cert | None,
    trust: TrustStore | None,
    issue_date: date | None,
    now: datetime,
    issuing_state: str | None = None,
) -> list[Check]:
    if dsc is None:
        return [
            Check(name, "skipped", "no Document Signer certificate")
            for name in (DSC_CHAIN, DSC_VALIDITY, CSCA_VALIDITY, CRL)
        ]
    ref = _reference(sod, issue_date)
    checks: list[Check] = []
    if trust is None or trust.is_empty:
        chain = ChainResult(
            "skipped",
            f"no trust anchor for country {dsc.issuer_country or '??'} (empty trust store): "
            f"DSC {dsc.describe()}",
        )
    else:
        chain = trust.validate_dsc(dsc, ref.start if ref else None)
    chain = _with_issuing_state(chain, dsc, issuing_state)
    checks.append(Check(DSC_CHAIN, chain.status, chain.detail))
    if ref is None:
        today = "valid" if valid_at(dsc, now) else "not valid"
        checks.append(
            Check(
                DSC_VALIDITY,
                "skipped",
                "SOD has no signingTime and no document issue date was given: the DSC's "
                f"validity when signing is unknown ({today} today)",
            )
        )
    else:
        checks.append(_validity(dsc, "DSC", ref, now, pkup=True))
    if chain.mode == "pinned":
        not_applicable = "not applicable: the DSC is pinned, no CSCA is involved"
        checks.append(Check(CSCA_VALIDITY, "skipped", not_applicable, required=False))
        checks.append(Check(CRL, "skipped", not_applicable, required=False))
        return checks
    if trust is None or chain.mode != "csca" or chain.anchor is None or chain.issuer is None:
        reason = "no validated CSCA (see dsc_chain)"
        checks.append(Check(CSCA_VALIDITY, "skipped", reason))
        checks.append(Check(CRL, "skipped", reason))
        return checks
    if ref is None:
        checks.append(Check(CSCA_VALIDITY, "skipped", "no reference time (see dsc_validity)"))
    else:
        csca_check = _validity(chain.anchor, "CSCA", ref, now, pkup=False)
        if csca_check.status == "pass" and chain.issuer is not chain.anchor:
            link_check = _validity(chain.issuer, "link certificate", ref, now, pkup=False)
            if link_check.status != "pass":
                csca_check = Check(CSCA_VALIDITY, link_check.status, link_check.detail)
        checks.append(csca_check)
    status, detail = trust.path_revocation(dsc, chain, now)
    checks.append(Check(CRL, status, detail))
    return checks
