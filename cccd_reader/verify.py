"""Passive authentication (ICAO 9303 Part 11 §5.1): is what we read what the state signed?

The answer is a list of named checks plus a verdict derived from them by one rule
(:func:`verdict_for`), so a user and a test can see exactly what was proven. The rule never
rounds up: ``genuine`` needs every required check to *pass*; a failure anywhere gives
``not_genuine``; anything skipped or unsupported gives ``unverified``.

Without a trust anchor the SOD signature and DG hashes are still checked against the DSC the SOD
embeds: that proves the files are intact and consistent with *some* key, which a forger can
produce too, so the verdict stays ``unverified``. A DSC pinned in the trust store is a trust
anchor in its own right: chain passes on exact equality, and the CSCA validity and CRL checks
become ``skipped`` and not required (there is no CSCA in that trust model); CRLs still apply
to it when the store can verify one.

The verdict policy, in one table (README and docs/verdict-policy.md say the same):

============== ==============================================================================
verdict        requires
============== ==============================================================================
genuine        every required check ``pass``: SOD parsed and signed, DSC chained to a trusted
               CSCA (or pinned) and valid, CSCA valid, the DSC's country is the MRZ issuing
               state, DG1 and DG2 signed, read and parsed, MRZ check digits right, every read
               DG's hash right, clone detection passed where the chip offers it. Revocation:
               a current CRL is used when present; without one ``crl`` is ``skipped`` with a
               visible note and is required only with ``require_crl``.
not_genuine    any check ``fail`` other than the DG1/DG13 comparison (forged, mis-bound,
               revoked, badly signed, a clone).
inconsistent   the only failure is the DG1/DG13 comparison.
unverified     nothing failed, but a required check could not be made (no trust anchor, a
               file listed in the SOD not read, an unsupported algorithm, no reference time).
============== ==============================================================================
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from asn1crypto import x509 as asn1_x509

from cccd_reader.checks import STATUSES, Check, Status
from cccd_reader.errors import LDSError
from cccd_reader.lds.card_security import parse_card_security
from cccd_reader.lds.dg1 import parse_dg1
from cccd_reader.lds.dg2 import parse_dg2
from cccd_reader.lds.dg13 import DG13, parse_dg13
from cccd_reader.lds.files import dg_number
from cccd_reader.lds.sod import ID_DATA_OID, LDS_SECURITY_OBJECT_OID, SOD, SODSigner, parse_sod
from cccd_reader.mrz import MRZ
from cccd_reader.pki.countries import mrz_codes_for
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
    country_binding,
    same_name,
    same_name_as_rdn_set,
    valid_at,
)
from cccd_reader.signer_cache import signer_key

Verdict = Literal["genuine", "not_genuine", "unverified", "inconsistent"]

SOD_PARSE = "sod_parse"
SOD_SIGNATURE = "sod_signature"
DSC_CHAIN = "dsc_chain"
DSC_VALIDITY = "dsc_validity"
CSCA_VALIDITY = "csca_validity"
CRL = "crl"
CONSISTENCY = "dg1_dg13_consistency"
COUNTRY_BINDING = "country_binding"
MANDATORY_DGS = "mandatory_dgs"
MRZ_CHECK_DIGITS = "mrz_check_digits"
CARD_SECURITY = "card_security"
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
CORE_CHECKS: tuple[str, ...] = (
    SOD_PARSE,
    SOD_SIGNATURE,
    DSC_CHAIN,
    DSC_VALIDITY,
    COUNTRY_BINDING,
    MANDATORY_DGS,
    MRZ_CHECK_DIGITS,
)
#: Doc 9303-10 §4: every eMRTD carries DG1 (the MRZ) and DG2 (the face), both in the SOD.
MANDATORY_DATA_GROUPS = (1, 2)
#: How DG13 (Vietnamese cards) spells the only nationality a CCCD holder can have.
_VN_NATIONALITY = frozenset({"việt nam", "viet nam", "vietnam", "vnm"})
#: Data groups readable only after Extended Access Control (fingerprints, iris).
EAC_PROTECTED = frozenset({3, 4})
#: A date has no time zone: it is taken as covering every instant that is that day somewhere.
_DAY_BEFORE = timedelta(hours=14)
_DAY_AFTER = timedelta(hours=12)


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


@dataclass(frozen=True)
class ParsedFiles:
    """DG1, DG2 and DG13 as the caller already parsed them from the *same* bytes (the record
    does), so verification does not parse them again; ``None`` for a file absent or
    unparsable (``files`` tells which)."""

    dg1: MRZ | None = None
    dg2: object | None = None
    dg13: DG13 | None = None

    @classmethod
    def parse(cls, files: Mapping[str, bytes]) -> ParsedFiles:
        def attempt(name: str, parser: Callable[[bytes], Any]) -> Any:
            data = files.get(name)
            if data is None:
                return None
            try:
                return parser(data)
            except LDSError:
                return None

        return cls(attempt("DG1", parse_dg1_lenient), attempt("DG2", parse_dg2),
                   attempt("DG13", parse_dg13))


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


def enumerate_verdicts(
    names: Sequence[str], passing: Sequence[str] = ()
) -> Iterator[tuple[dict[str, Status], Verdict]]:
    """Every assignment of statuses to the required checks ``names`` (with the checks
    ``passing`` fixed at ``pass``) and its verdict, so tests can prove that only the
    all-``pass`` assignment is ``genuine``."""
    fixed = [Check(name, "pass", "") for name in passing]
    for statuses in itertools.product(STATUSES, repeat=len(names)):
        assignment = dict(zip(names, statuses, strict=True))
        checks = [Check(name, status, "") for name, status in assignment.items()]
        yield assignment, verdict_for([*fixed, *checks])


# --- helpers -----------------------------------------------------------------------------------


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _check(
    name: str,
    status: Status,
    reason: str,
    detail: str,
    *,
    required: bool = True,
    params: Mapping[str, str] | None = None,
    **more: str,
) -> Check:
    """A check whose code is ``<family>.<reason>``, with its template's parameters."""
    family = name.split(":", 1)[0]
    return Check(name, status, detail, required, f"{family}.{reason}", {**(params or {}), **more})


@dataclass(frozen=True)
class _Reference:
    """The time the document was signed: an instant (signingTime), a day (issue date), or,
    when the document gives neither, the current time (the DSC must then be valid now)."""

    start: datetime
    end: datetime
    label: str
    kind: Literal["signing_time", "issue_date", "now"]

    def within(self, not_before: datetime | None, not_after: datetime | None) -> bool:
        return (not_before is None or not_before <= self.end) and (
            not_after is None or not_after >= self.start
        )


def _reference(sod: SOD, issue_date: date | None, now: datetime) -> _Reference:
    if sod.signer.signing_time is not None:
        when = _as_utc(sod.signer.signing_time)
        return _Reference(when, when, f"signing time {when:%Y-%m-%d %H:%M:%SZ}", "signing_time")
    if issue_date is not None:
        day = datetime.combine(issue_date, time(0), tzinfo=UTC)
        return _Reference(
            day - _DAY_BEFORE,
            day + timedelta(days=1) + _DAY_AFTER,
            f"document issue date {issue_date:%Y-%m-%d} (SOD has no signingTime)",
            "issue_date",
        )
    # Many real SODs (UK, DE, FI, SG passports) carry no signingTime, and passports have no
    # issue date in the chip unless DG12 gives one: a DSC valid now was valid when it signed
    # (a DSC's validity covers the documents it signs), so "now" is the reference.
    return _Reference(
        now,
        now,
        f"the current time {now:%Y-%m-%d} (the SOD has no signingTime and the document no "
        "issue date)",
        "now",
    )


def _validity(cert: Cert, what: str, ref: _Reference, now: datetime, pkup: bool) -> Check:
    today = "valid today" if valid_at(cert, now) else (
        f"not valid today ({now:%Y-%m-%d}; validity ends {cert.not_after:%Y-%m-%d})"
    )
    window = f"{cert.not_before:%Y-%m-%d}..{cert.not_after:%Y-%m-%d}"
    name = DSC_VALIDITY if what == "DSC" else CSCA_VALIDITY
    params = {"certificate": what, "not_before": f"{cert.not_before:%Y-%m-%d}",
              "not_after": f"{cert.not_after:%Y-%m-%d}", "reference": ref.kind}
    if not ref.within(cert.not_before, cert.not_after):
        if ref.kind == "now":
            return _check(
                name,
                "skipped",
                "no_reference_time",
                f"{what} ({window}) is not valid today and the document says neither when it "
                "was signed nor when it was issued: its validity when signing is unknown",
                params=params,
            )
        return _check(
            name, "fail", "expired_at_signing",
            f"{what} ({window}) was not valid at {ref.label}; {today}", params=params,
        )
    period = cert.private_key_usage_period if pkup and ref.kind != "now" else None
    if period is not None and not ref.within(*period):
        start, end = (f"{v:%Y-%m-%d}" if v else "-" for v in period)
        return _check(
            name,
            "fail",
            "key_usage_period",
            f"{what} private key usage period {start}..{end} does not cover {ref.label}",
            params=params,
        )
    reason = "valid_now" if ref.kind == "now" else "valid"
    return _check(name, "pass", reason, f"{what} ({window}) valid at {ref.label}; {today}",
                  params=params)


def _find_dsc(
    signer: SODSigner, certificates: Sequence[bytes], trust: TrustStore | None
) -> tuple[Cert | None, str, str]:
    """(the DSC, why none was found, a note about how it was matched)."""
    issuer = asn1_x509.Name.load(signer.issuer) if signer.issuer is not None else None
    problems: list[str] = []
    reordered: Cert | None = None
    for i, der in enumerate(certificates):
        try:
            cert = Cert.load(der, f"EF.SOD certificate {i}")
        except TrustError as exc:
            problems.append(str(exc))
            continue
        if signer.sid_kind == "ski":
            if cert.ski is not None and cert.ski == signer.subject_key_identifier:
                return cert, "", ""
        elif cert.serial == signer.serial_number and issuer is not None:
            if same_name(cert.issuer, issuer):
                return cert, "", ""
            if reordered is None and same_name_as_rdn_set(cert.issuer, issuer):
                reordered = cert
    if reordered is not None:
        # Real Malaysian passports: the SignerInfo lists the issuer's RDNs in another order
        # than the DSC. RFC 5280 names are sequences, but the same set of RDNs names the same
        # issuer (gmrtd compares them as sets); the signature check below still decides.
        return reordered, "", (
            "note: the SignerInfo names the DSC's issuer with its RDNs in another order "
            "(matched as a set of RDNs)"
        )
    if trust is not None:
        pinned = trust.find_dsc(
            issuer=issuer, serial=signer.serial_number, ski=signer.subject_key_identifier
        )
        if pinned is not None:
            return pinned, "", ""
    where = f"among the {len(certificates)} SOD certificate(s)" if certificates else (
        "(the SOD embeds none)"
    )
    why = f"no certificate matching the SignerInfo {where} or pinned in the trust store"
    return None, why + (f"; {'; '.join(problems)}" if problems else ""), ""


def _sod_signature(sod: SOD, dsc: Cert | None, why_no_dsc: str, match_note: str) -> Check:
    signer = sod.signer
    warnings: list[str] = []
    if sod.econtent_type == ID_DATA_OID:
        # Real Chinese passports wrap the LDSSecurityObject in id-data; the bytes are still
        # an LDSSecurityObject and the signature still covers them (OpenSSL, pymrtd agree).
        warnings.append(
            "eContentType is id-data (1.2.840.113549.1.7.1), not ldsSecurityObject; "
            "its content parsed as an LDSSecurityObject"
        )
    elif sod.econtent_type != LDS_SECURITY_OBJECT_OID:
        return _check(SOD_SIGNATURE, "fail", "econtent_type",
                      f"eContentType is {sod.econtent_type}", oid=sod.econtent_type)
    if sod.signed_data_version != 3:
        warnings.append(f"SignedData version is {sod.signed_data_version}; ICAO 9303-10 "
                        "requires 3")
    if not signer.has_signed_attrs:
        return _check(SOD_SIGNATURE, "fail", "no_signed_attributes",
                      "SignerInfo has no signed attributes (ICAO requires)")
    if signer.content_type != sod.econtent_type:
        return _check(
            SOD_SIGNATURE,
            "fail",
            "content_type_attribute",
            f"contentType attribute is {signer.content_type}, not the eContentType "
            f"{sod.econtent_type}",
        )
    expected = hashlib.new(signer.digest_algorithm, sod.econtent).digest()
    if signer.message_digest is None or not hmac.compare_digest(signer.message_digest, expected):
        return _check(
            SOD_SIGNATURE,
            "fail",
            "message_digest",
            f"messageDigest attribute does not match the {signer.digest_algorithm} of eContent",
            hash=signer.digest_algorithm,
        )
    if dsc is None:
        if sod.certificates:
            return _check(SOD_SIGNATURE, "fail", "no_matching_dsc", why_no_dsc)
        return _check(SOD_SIGNATURE, "skipped", "no_dsc", why_no_dsc)
    kept = signer_key(dsc.spki_der)
    try:
        result = verify_signature(
            kept[0] if kept is not None else dsc.spki_der,
            signer.signature_algorithm_der,
            signer.signed_bytes,
            signer.signature,
            digest_algorithm=signer.digest_algorithm,
            key_description=kept[1] if kept is not None else None,
        )
    except AlgorithmUnsupported as exc:
        return _check(SOD_SIGNATURE, "unsupported", "unsupported_algorithm",
                      f"{exc} (DSC {dsc.describe()})")
    except SignatureError as exc:
        return _check(SOD_SIGNATURE, "fail", "invalid", f"{exc} (DSC {dsc.describe()})")
    warnings += result.warnings
    if signer.digest_algorithm == "sha1" and SHA1_WARNING not in warnings:
        warnings.append(SHA1_WARNING)
    detail = f"{result.scheme} ({result.key}) by DSC {dsc.describe()}"
    if match_note:
        detail += f"; {match_note}"
    if warnings:
        detail += "; warning: " + "; ".join(warnings)
    return _check(SOD_SIGNATURE, "pass", "valid", detail, scheme=result.scheme,
                  warnings=str(len(warnings)))


def _dg_checks(files: Mapping[str, bytes], sod: SOD) -> list[Check]:
    present = {n: data for name, data in files.items() if (n := dg_number(name)) is not None}
    warn = f"; warning: {SHA1_WARNING}" if sod.hash_algorithm == "sha1" else ""
    checks = []
    for number in sorted(set(present) | set(sod.dg_hashes)):
        name = f"{DG_HASH_PREFIX}DG{number}"
        dg = f"DG{number}"
        if number not in sod.dg_hashes:
            checks.append(_check(name, "fail", "not_in_sod",
                                 f"{dg} is on the chip but not in the SOD", dg=dg))
        elif number not in present:
            if number in EAC_PROTECTED:
                checks.append(
                    _check(
                        name,
                        "skipped",
                        "eac_protected",
                        f"{dg} is protected by Extended Access Control and was not read",
                        required=False,
                        dg=dg,
                    )
                )
            else:
                # Absent is not forged: a dump without the file, or a chip that would not
                # give it, proves nothing either way, so the verdict stays at most unverified.
                checks.append(
                    _check(name, "skipped", "not_read",
                           f"{dg} is listed in the SOD but was not read", dg=dg)
                )
        else:
            digest = hashlib.new(sod.hash_algorithm, present[number]).digest()
            if hmac.compare_digest(digest, sod.dg_hashes[number]):
                checks.append(_check(name, "pass", "match",
                                     f"{sod.hash_algorithm} matches the SOD{warn}", dg=dg,
                                     hash=sod.hash_algorithm))
            else:
                checks.append(
                    _check(name, "fail", "mismatch",
                           f"{dg} {sod.hash_algorithm} differs from the SOD", dg=dg,
                           hash=sod.hash_algorithm)
                )
    return checks


def _mandatory_check(files: Mapping[str, bytes], sod: SOD | None, parsed: ParsedFiles) -> Check:
    """DG1 and DG2 are mandatory (Doc 9303-10 §4): a document is genuine only when both are
    covered by the SOD, were read and parse; their hashes are checked by ``dg_hash:``."""
    if sod is None:
        return _check(MANDATORY_DGS, "skipped", "no_sod", "no SOD to compare with")
    unsigned = [f"DG{n}" for n in MANDATORY_DATA_GROUPS if n not in sod.dg_hashes]
    if unsigned:
        return _check(
            MANDATORY_DGS,
            "fail",
            "not_in_sod",
            f"the SOD does not cover {' and '.join(unsigned)}, which every eMRTD must carry "
            "(ICAO 9303-10)",
            dgs=",".join(unsigned),
        )
    missing = [f"DG{n}" for n in MANDATORY_DATA_GROUPS if f"DG{n}" not in files]
    if missing:
        return _check(MANDATORY_DGS, "skipped", "not_read",
                      f"{' and '.join(missing)} not read: the document cannot be verified",
                      dgs=",".join(missing))
    unreadable = [name for name, value in (("DG1", parsed.dg1), ("DG2", parsed.dg2))
                  if value is None]
    if unreadable:
        return _check(MANDATORY_DGS, "skipped", "unparsed",
                      f"{' and '.join(unreadable)} could not be parsed: nothing in it is proven",
                      dgs=",".join(unreadable))
    return _check(MANDATORY_DGS, "pass", "present", "DG1 and DG2 are signed, read and parsed")


def parse_dg1_lenient(data: bytes) -> MRZ:
    """DG1 with check-digit failures collected (``MRZ.errors``) instead of raised."""
    return parse_dg1(data, strict=False)


def _mrz_check(files: Mapping[str, bytes], mrz: MRZ | None) -> tuple[Check, MRZ | None]:
    if "DG1" not in files:
        return _check(MRZ_CHECK_DIGITS, "skipped", "no_dg1", "DG1 was not read"), None
    if mrz is None:
        return _check(MRZ_CHECK_DIGITS, "skipped", "unparsed", "DG1 could not be parsed"), None
    if mrz.errors:
        return _check(
            MRZ_CHECK_DIGITS,
            "fail",
            "wrong",
            "the signed MRZ has wrong check digits: " + "; ".join(mrz.errors),
            count=str(len(mrz.errors)),
        ), mrz
    return _check(MRZ_CHECK_DIGITS, "pass", "valid", "every MRZ check digit is right"), mrz


def _is_vietnamese(nationality: str | None) -> bool:
    return nationality is not None and (
        unicodedata.normalize("NFC", nationality).strip().casefold() in _VN_NATIONALITY)


def _country_check(dsc: Cert | None, mrz: MRZ | None, dg13: DG13 | None,
                   bound_by_dg13: bool = False) -> Check:
    """The DSC's state is the document's issuing state, and on a Vietnamese card DG1's issuing
    state and nationality agree with DG13's nationality. Never "not compared": whatever cannot
    be compared keeps the verdict from ``genuine``.

    ``bound_by_dg13``: DG1 was read and its hash verified (signed, yet unparsable) and so was
    DG13's. Then a Vietnamese DG13 binds the card to Việt Nam without the MRZ: a signer of
    another state is a proof of mis-binding (``dg13_foreign_signer``), not a gap. A DG1 not
    read stays a gap (absent is not forged)."""
    if dsc is None:
        return _check(COUNTRY_BINDING, "skipped", "no_dsc", "no Document Signer certificate")
    if mrz is None:
        country = dsc.country or dsc.issuer_country
        if dg13 is not None and bound_by_dg13 and _is_vietnamese(dg13.nationality) and (
                "VNM" not in mrz_codes_for(country or "")):
            return _check(
                COUNTRY_BINDING, "fail", "dg13_foreign_signer",
                f"DG1 could not be parsed, but DG13 (Vietnamese card data, its hash verified) "
                f"names the nationality Việt Nam and the DSC's country is {country or 'none'}: "
                "a signer of another state cannot sign a Vietnamese card",
                params={"country": country or "", "issuing_state": "VNM"})
        return _check(COUNTRY_BINDING, "skipped", "no_mrz",
                      "DG1 was not read or could not be parsed: the issuing state is unknown")
    status, reason, detail = country_binding(dsc, mrz.issuing_state)
    params = {"country": dsc.country or dsc.issuer_country or "",
              "issuing_state": mrz.issuing_state}
    if status != "pass":
        return _check(COUNTRY_BINDING, status, reason, detail, params=params)
    if dg13 is not None:  # an unparsable DG13 has its own error in the record
        nationality = dg13.nationality
        if nationality is not None:
            if not _is_vietnamese(nationality):
                return _check(COUNTRY_BINDING, "fail", "dg13_nationality",
                              "DG13 (Vietnamese card data) names a nationality other than "
                              "Việt Nam", params=params)
            wrong = [
                f"{what} {code}"
                for what, code in (("issuing state", mrz.issuing_state),
                                   ("nationality", mrz.nationality))
                if code != "VNM"
            ]
            if wrong:
                return _check(
                    COUNTRY_BINDING,
                    "fail",
                    "dg1_dg13_state",
                    f"DG1 {' and '.join(wrong)} disagree with DG13's nationality Việt Nam",
                    params=params,
                )
            detail += "; DG1 issuing state and nationality agree with DG13 (Việt Nam)"
    return _check(COUNTRY_BINDING, "pass", "match", detail, params=params)


# --- the entry point ---------------------------------------------------------------------------


def verify(
    files: Mapping[str, bytes],
    trust: TrustStore | None,
    *,
    document_issue_date: date | None = None,
    now: datetime | None = None,
    consistency_failed: bool | None = None,
    extra_checks: Sequence[Check] = (),
    require_crl: bool | None = None,
    parsed: ParsedFiles | None = None,
) -> Verification:
    """Passively authenticate the files of one read (names as in ``cccd_reader.lds.files``).

    ``files`` must hold the bytes exactly as read; ``document_issue_date`` (DG12/DG13) stands in
    for a missing SOD signingTime; ``consistency_failed`` is the caller's DG1/DG13 comparison
    (None: not compared, no check emitted). ``extra_checks`` are checks made elsewhere (chip
    genuineness: ``active_auth``, ``chip_auth``; QR cross-checks) that join the same verdict.
    ``require_crl`` makes a current CRL from the CSCA a condition of ``genuine``; by default
    (None) the trust store's :attr:`~cccd_reader.pki.trust.TrustStore.require_crl` decides,
    and without it the absence of a CRL is a visible ``skipped`` note. ``parsed``: DG1, DG2
    and DG13 already parsed by the caller from these very bytes (else parsed here).
    """
    now = _as_utc(now) if now is not None else datetime.now(UTC)
    if require_crl is None:
        require_crl = bool(trust is not None and trust.require_crl)
    checks: list[Check] = []
    sod: SOD | None = None
    raw = files.get("EF.SOD")
    if raw is None:
        checks.append(_check(SOD_PARSE, "fail", "missing",
                             "EF.SOD was not read: nothing can be verified"))
    else:
        try:
            sod = parse_sod(raw)
            checks.append(
                _check(SOD_PARSE, "pass", "parsed",
                       f"LDSSecurityObject v{sod.version}, {sod.hash_algorithm}")
            )
        except LDSError as exc:
            checks.append(_check(SOD_PARSE, "fail", "malformed", str(exc)))
    dsc: Cert | None = None
    if parsed is None:
        parsed = ParsedFiles.parse(files)
    mrz_check, mrz = _mrz_check(files, parsed.dg1)
    if sod is None:
        for name in (SOD_SIGNATURE, DSC_CHAIN, DSC_VALIDITY, CSCA_VALIDITY, CRL, COUNTRY_BINDING):
            checks.append(_check(name, "skipped", "no_sod", "EF.SOD is missing or malformed"))
        for fname in sorted(files, key=lambda n: dg_number(n) or 0):
            if dg_number(fname) is not None:
                checks.append(
                    _check(f"{DG_HASH_PREFIX}{fname}", "skipped", "no_sod",
                           "no SOD to compare with", dg=fname)
                )
    else:
        dsc, why, note = _find_dsc(sod.signer, sod.certificates, trust)
        checks.append(_sod_signature(sod, dsc, why, note))
        checks += _trust_checks(sod, dsc, trust, document_issue_date, now, require_crl)
        dg_checks = _dg_checks(files, sod)
        signed = {c.name for c in dg_checks if c.status == "pass"}
        # DG1 read and signed yet unparsable, DG13 signed: DG13 alone can bind the card
        bound_by_dg13 = {f"{DG_HASH_PREFIX}DG1", f"{DG_HASH_PREFIX}DG13"} <= signed
        checks.append(_country_check(dsc, mrz, parsed.dg13, bound_by_dg13))
        checks += dg_checks
    checks.append(_mandatory_check(files, sod, parsed))
    checks.append(mrz_check)
    if "EF.CardSecurity" in files:
        checks.append(_card_security_check(files["EF.CardSecurity"], trust, now, mrz))
    if consistency_failed is not None:
        checks.append(
            _check(
                CONSISTENCY,
                "fail" if consistency_failed else "pass",
                "disagree" if consistency_failed else "agree",
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
    if check.params.get("key_file") == "EF.CardSecurity":
        got = status.get(CARD_SECURITY)
        if got == "pass":
            return check
        return _check(
            check.name,
            "skipped",
            "unproven_key",
            "unproven: the key comes from EF.CardSecurity, which was not verified "
            f"({CARD_SECURITY}: {got or 'not checked'}); the chip's answer ({check.status}: "
            f"{check.detail}) counts for nothing",
            dg="EF.CardSecurity",
        )
    for dg in needed:
        if dg == "DG14" and check.name == ACTIVE_AUTH and dg not in files:
            continue  # RSA Active Authentication needs no DG14
        got = status.get(f"{DG_HASH_PREFIX}{dg}")
        if got != "pass":
            why = "was not checked" if got is None else f"hash check: {got}"
            return _check(
                check.name,
                "skipped",
                "unproven_key",
                f"unproven: the key comes from {dg}, which passive authentication did not "
                f"prove ({why}); the chip's answer ({check.status}: {check.detail}) counts "
                "for nothing",
                dg=dg,
            )
    return check


def _trust_checks(
    sod: SOD,
    dsc: Cert | None,
    trust: TrustStore | None,
    issue_date: date | None,
    now: datetime,
    require_crl: bool = False,
) -> list[Check]:
    if dsc is None:
        return [
            _check(name, "skipped", "no_dsc", "no Document Signer certificate")
            for name in (DSC_CHAIN, DSC_VALIDITY, CSCA_VALIDITY, CRL)
        ]
    ref = _reference(sod, issue_date, now)
    checks: list[Check] = []
    if trust is None or trust.is_empty:
        chain = ChainResult(
            "skipped",
            f"no trust anchor for country {dsc.issuer_country or '??'} (empty trust store): "
            f"DSC {dsc.describe()}",
        )
    else:
        chain = trust.validate_dsc(dsc, ref.start if ref.kind != "now" else None)
    checks.append(_check(DSC_CHAIN, chain.status, chain.reason, chain.detail,
                         params={"country": dsc.issuer_country or "", **chain.params}))
    checks.append(_validity(dsc, "DSC", ref, now, pkup=True))
    if chain.mode == "pinned":
        assert trust is not None
        not_applicable = "not applicable: the DSC is pinned, no CSCA is involved"
        checks.append(_check(CSCA_VALIDITY, "skipped", "pinned", not_applicable, required=False))
        status, reason, detail = trust.pinned_revocation(dsc, now)
        checks.append(_crl_check(status, reason, detail, require_crl))
        return checks
    if trust is None or chain.mode != "csca" or chain.anchor is None or chain.issuer is None:
        reason = "no validated CSCA (see dsc_chain)"
        checks.append(_check(CSCA_VALIDITY, "skipped", "no_csca", reason))
        checks.append(_check(CRL, "skipped", "no_csca", reason, required=require_crl))
        return checks
    csca_check = _validity(chain.anchor, "CSCA", ref, now, pkup=False)
    if csca_check.status == "pass" and chain.issuer is not chain.anchor:
        link_check = _validity(chain.issuer, "link certificate", ref, now, pkup=False)
        if link_check.status != "pass":
            csca_check = link_check
    checks.append(csca_check)
    status, reason, detail = trust.path_revocation_check(dsc, chain, now)
    checks.append(_crl_check(status, reason, detail, require_crl))
    return checks


def _crl_check(status: Status, reason: str, detail: str, require_crl: bool) -> Check:
    """A revoked certificate always fails; an unknown revocation status is a visible note,
    required only when the operator asked for CRLs (``--require-crl``)."""
    required = True if status in ("fail", "pass") else require_crl
    if status == "skipped" and require_crl:
        detail += " (a current CRL is required by the settings)"
    return _check(CRL, status, reason, detail, required=required)


def _card_security_check(
    data: bytes, trust: TrustStore | None, now: datetime, mrz: MRZ | None
) -> Check:
    """EF.CardSecurity under the same rules as EF.SOD: the signed attributes, the signature
    of a DSC found the same way, that DSC's chain to a trusted CSCA (or pin), its validity
    when signing (else now) and its country. It vouches for the keys PACE-CAM and Chip
    Authentication use; a corrupted one fails."""
    try:
        card_security = parse_card_security(data)
    except LDSError as exc:
        return _check(CARD_SECURITY, "fail", "malformed", str(exc))
    signer = card_security.signer
    if not signer.has_signed_attrs or signer.content_type != card_security.econtent_type:
        return _check(CARD_SECURITY, "fail", "attributes",
                      "EF.CardSecurity's signed attributes are missing or name another content")
    expected = hashlib.new(signer.digest_algorithm, card_security.econtent).digest()
    if signer.message_digest is None or not hmac.compare_digest(signer.message_digest, expected):
        return _check(CARD_SECURITY, "fail", "message_digest",
                      "EF.CardSecurity's messageDigest does not match its SecurityInfos")
    dsc, why, _ = _find_dsc(signer, card_security.certificates, trust)
    if dsc is None:
        return _check(CARD_SECURITY, "skipped" if not card_security.certificates else "fail",
                      "no_dsc", f"EF.CardSecurity: {why}")
    try:
        verify_signature(dsc.spki_der, signer.signature_algorithm_der, signer.signed_bytes,
                         signer.signature, digest_algorithm=signer.digest_algorithm)
    except AlgorithmUnsupported as exc:
        return _check(CARD_SECURITY, "unsupported", "unsupported_algorithm",
                      f"EF.CardSecurity: {exc}")
    except SignatureError as exc:
        return _check(CARD_SECURITY, "fail", "invalid", f"EF.CardSecurity signature: {exc}")
    when = _as_utc(signer.signing_time) if signer.signing_time is not None else now
    if not valid_at(dsc, when):
        return _check(CARD_SECURITY, "fail", "dsc_validity",
                      f"EF.CardSecurity's DSC ({dsc.not_before:%Y-%m-%d}.."
                      f"{dsc.not_after:%Y-%m-%d}) was not valid at {when:%Y-%m-%d}")
    if mrz is not None:
        bound, _, detail = country_binding(dsc, mrz.issuing_state)
        if bound != "pass":
            return _check(CARD_SECURITY, "fail", "country", f"EF.CardSecurity: {detail}")
    if trust is None or trust.is_empty:
        return _check(CARD_SECURITY, "skipped", "no_anchor",
                      f"EF.CardSecurity signature verifies with DSC {dsc.describe()}, but no "
                      "trust anchor is loaded")
    chain = trust.validate_dsc(dsc, when)
    if chain.status != "pass":
        return _check(CARD_SECURITY, chain.status,
                      "chain" if chain.status == "fail" else "no_anchor",
                      f"EF.CardSecurity: {chain.detail}")
    revoked = (
        trust.path_revocation_check(dsc, chain, now) if chain.mode == "csca"
        else trust.pinned_revocation(dsc, now)
    )
    if revoked[0] == "fail":
        return _check(CARD_SECURITY, "fail", "revoked", f"EF.CardSecurity: {revoked[2]}")
    return _check(CARD_SECURITY, "pass", "valid",
                  f"EF.CardSecurity ({len(card_security.infos)} SecurityInfos) signed by DSC "
                  f"{dsc.describe()}; {chain.detail}")
