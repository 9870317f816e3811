"""Conformance testing: named, referenced checks of a card (dump or live chip) against the specs.

Passive authentication (:mod:`cccd_reader.verify`) answers "can this document be trusted?". A
QA lab, an issuer qualifying a personalisation line or an integrator testing a new card batch
needs a different answer: "which clause does this card break?". That is why every check here
has a stable id (``LDS-TLV-001``), the clause it comes from and a severity, and why every check
of the catalogue appears in every report (``skip`` with a reason when it could not run): a CI
job can then track one testcase across card batches, and a missing result is never silent.

The verification results are reused, not recomputed: :data:`VERIFY_CHECK_IDS` maps each
``verify`` check name to its catalogue id, so the conformance report and ``cccd verify`` can
never disagree on a signature or a hash.

Only ``error`` failures make a card non-conformant; ``warning`` and ``info`` failures are
reported (a SHA-1 SOD, a small portrait) without failing the run.

``--live`` adds protocol checks that only a chip can answer: it must refuse data before access
control, refuse plain commands inside a secure-messaging session and reject a wrong MAC with
6988. Each probe runs on a fresh connection so one misbehaving answer cannot spoil the next.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from cccd_reader import dump as dumpmod
from cccd_reader.errors import AccessError, CccdError, ParseError, ProtocolNotSupportedError
from cccd_reader.iso7816 import tlv
from cccd_reader.lds.files import FILES, READ_ORDER, dg_number

if TYPE_CHECKING:
    from cccd_reader.iso7816.transport import ApduChannel, Transport
    from cccd_reader.pki.trust import Cert, TrustStore
    from cccd_reader.qr.payload import QRData
    from cccd_reader.reader import AccessKey
    from cccd_reader.record import CardRecord
    from cccd_reader.verify import Check, Verification

__all__ = [
    "CATALOGUE",
    "VERIFY_CHECK_IDS",
    "CheckDef",
    "ConformanceReport",
    "Result",
    "SuiteReport",
    "catalogue_id_for",
    "catalogue_markdown",
    "check_dump",
    "check_files",
    "check_live",
    "find_dumps",
    "run",
]

Severity = Literal["error", "warning", "info"]
Outcome = Literal["pass", "fail", "skip"]
Scope = Literal["any", "dump", "live"]
Kind = Literal["dump", "live"]

#: Version of the JSON layout of :meth:`ConformanceReport.to_json`.
REPORT_FORMAT = "cccd-conformance/1"


@dataclass(frozen=True, slots=True)
class CheckDef:
    id: str
    title: str
    #: The clause the requirement comes from, e.g. ``"ICAO 9303-10 §4.6.1"``.
    reference: str
    severity: Severity
    #: ``any``: runs on the files, of a dump or of a live read; ``dump``: dumps only;
    #: ``live``: needs a chip.
    scope: Scope = "any"


_P10 = "ICAO 9303-10"
_P11 = "ICAO 9303-11"
_P12 = "ICAO 9303-12"

CATALOGUE: tuple[CheckDef, ...] = (
    CheckDef("DUMP-LOAD-001", "The dump is a valid cccd-dump/1 directory",
             "cccd-reader docs/dump-format.md", "error", "dump"),
    # --- LDS structure
    CheckDef("LDS-TLV-001", "Every file is one well-formed BER-TLV, nothing after it",
             "ISO/IEC 7816-4 §5.2; ICAO 9303-10 §4.6", "error"),
    CheckDef("LDS-TAG-001", "The outer tag is the one ICAO assigns to the file",
             "ICAO 9303-10 §3.6 (tables 37-40)", "error"),
    CheckDef("LDS-MAND-001", "Mandatory files present: EF.COM, EF.SOD, DG1, DG2",
             "ICAO 9303-10 §3.6; 9303-10 §4.7", "error"),
    CheckDef("LDS-PARSE-001", "The file parses with its LDS structure and mandatory elements",
             "ICAO 9303-10 §4.6-4.7", "error"),
    CheckDef("LDS-COM-001", "EF.COM holds the LDS version (5F01) and Unicode version (5F36)",
             "ICAO 9303-10 §4.6.1", "error"),
    CheckDef("LDS-COM-002", "EF.COM tag list names exactly the data groups present",
             "ICAO 9303-10 §4.6.1", "error"),
    CheckDef("LDS-COM-003", "EF.COM tag list names only known data-group tags",
             "ICAO 9303-10 §4.6.1", "warning"),
    CheckDef("LDS-COM-004", "EF.COM LDS version agrees with the SOD's LDSVersionInfo",
             "ICAO 9303-10 §4.6.2", "warning"),
    # --- MRZ
    CheckDef("MRZ-CD-001", "DG1 MRZ check digits are correct",
             "ICAO 9303-3 §4.9; 9303-4/5/6", "error"),
    CheckDef("MRZ-DATE-001", "DG1 birth and expiry fields are calendar dates",
             "ICAO 9303-3 §4.2", "warning"),
    CheckDef("LDS-KEY-001", "DG15's public key is DER-conformant (an RSA modulus is a positive "
             "INTEGER)", "ITU-T X.690 §8.3; RFC 8017 §A.1.1", "warning"),
    CheckDef("SOD-CSEC-001", "EF.CardSecurity, when present, is signed like EF.SOD and chains",
             "BSI TR-03110-3 §A.1.2.5; " + f"{_P11} §9.2", "error"),
    # --- SOD
    CheckDef("SOD-STRUCT-001", "EF.SOD is a CMS SignedData holding an LDSSecurityObject",
             f"{_P10} §4.6.2; RFC 5652 §5", "error"),
    CheckDef("SOD-VER-001",
             "SignedData v3, LDSSecurityObject v0 (no LDSVersionInfo) or v1 (with it), "
             "SignerInfo version matching its sid",
             f"{_P10} §4.6.2; RFC 5652 §5.1, §5.3", "error"),
    CheckDef("SOD-ATTR-001", "Signed attributes: contentType ldsSecurityObject, messageDigest "
             "of the eContent", f"{_P10} §4.6.2; RFC 5652 §5.3, §11", "error"),
    CheckDef("SOD-CERT-001", "EF.SOD embeds the Document Signer certificate (exactly one)",
             f"{_P10} §4.6.2; {_P12} §7", "warning"),
    CheckDef("SOD-ALG-001", "SOD hash and signature digest are not SHA-1",
             f"{_P12} (cryptographic algorithms)", "warning"),
    CheckDef("SOD-SIG-001", "The SOD signature verifies with the Document Signer key",
             f"{_P11} §5.1", "error"),
    CheckDef("SOD-HASH-001", "Each data group's hash equals the one in the SOD",
             f"{_P11} §5.1; {_P10} §4.6.2", "error"),
    # --- PKI
    CheckDef("PKI-CHAIN-001", "The DSC chains to a trusted CSCA (or is pinned)",
             f"{_P11} §5.1; {_P12} §5, §7", "error"),
    CheckDef("PKI-STATE-001", "The DSC's country is the MRZ issuing state",
             f"{_P12} §5", "error"),
    CheckDef("PKI-DSC-VALID-001", "The DSC (and its private key usage period) covers the "
             "signing time", f"{_P12} §5; RFC 5280 §4.1.2.5", "error"),
    CheckDef("PKI-CSCA-VALID-001", "The CSCA was valid when the document was signed",
             f"{_P12} §5", "error"),
    CheckDef("PKI-CRL-001", "The DSC is not revoked by a verified CRL of its CSCA",
             f"{_P12} §7.1.4; RFC 5280 §6.3", "error"),
    CheckDef("PKI-DSC-VER-001", "DSC is an X.509 v3 certificate with no unknown critical "
             "extension", f"{_P12} §7.1; RFC 5280 §4.2", "error"),
    CheckDef("PKI-DSC-KU-001", "DSC keyUsage is present, critical, digitalSignature only",
             f"{_P12} §7.1 (certificate profile)", "error"),
    CheckDef("PKI-DSC-BC-001", "DSC is not a CA (basicConstraints absent or cA false)",
             f"{_P12} §7.1 (certificate profile)", "error"),
    CheckDef("PKI-DSC-AKI-001", "DSC carries authorityKeyIdentifier matching the CSCA's key",
             f"{_P12} §7.1 (certificate profile); RFC 5280 §4.2.1.1", "error"),
    CheckDef("PKI-DSC-SKI-001", "DSC carries subjectKeyIdentifier",
             f"{_P12} §7.1 (certificate profile); RFC 5280 §4.2.1.2", "warning"),
    CheckDef("PKI-DSC-PKUP-001", "DSC privateKeyUsagePeriod (optional) lies within its validity",
             f"{_P12} §7.1 (certificate profile); RFC 3280 §4.2.1.4", "info"),
    CheckDef("PKI-DSC-CNTRY-001", "DSC subject and issuer name the same country",
             f"{_P12} §7.1", "error"),
    CheckDef("PKI-CSCA-KU-001", "CSCA keyUsage is critical with keyCertSign and cRLSign",
             f"{_P12} §7.1 (certificate profile)", "error"),
    CheckDef("PKI-CSCA-BC-001", "CSCA basicConstraints is critical, cA true, pathLen 0",
             f"{_P12} §7.1 (certificate profile)", "error"),
    CheckDef("PKI-CSCA-SKI-001", "CSCA carries subjectKeyIdentifier",
             f"{_P12} §7.1 (certificate profile); RFC 5280 §4.2.1.2", "error"),
    CheckDef("PKI-CSCA-CNTRY-001", "CSCA subject and issuer name the DSC's country",
             f"{_P12} §5, §7.1", "error"),
    # --- content
    CheckDef("CONS-DG13-001", "DG1 (MRZ) and DG13 (Vietnamese data) agree",
             "cccd-reader record.consistency (Vietnamese eID profile)", "error"),
    CheckDef("QR-XCHK-001", "The printed QR agrees with the chip",
             "cccd-reader qr.crosscheck (Vietnamese eID QR)", "error"),
    CheckDef("IMG-DG2-001", "DG2 holds a facial record with a JPEG or JPEG 2000 image",
             f"{_P10} §4.7.2; ISO/IEC 19794-5", "error"),
    CheckDef("IMG-DEC-001", "The portrait decodes", "ISO/IEC 19794-5; ISO/IEC 10918 / 15444",
             "error"),
    CheckDef("IMG-DIM-001", "Declared image size equals the codec's size",
             "ISO/IEC 19794-5 (image information block)", "warning"),
    CheckDef("IMG-SIZE-001", "Portrait is at least 240x320 pixels",
             "ISO/IEC 19794-5 (token face image)", "warning"),
    # --- live chip
    CheckDef("LIVE-READ-001", "The chip opens with the access key and every listed file reads",
             f"{_P11} §4; {_P10} §3", "error", "live"),
    CheckDef("PROTO-AUTH-001", "DG1 is refused with 6982 before BAC/PACE",
             f"{_P11} §4; ISO/IEC 7816-4 §5.6", "error", "live"),
    CheckDef("PROTO-SM-001", "A plain command inside a secure-messaging session is refused",
             f"{_P11} §9.8.7; ISO/IEC 7816-4 §10", "error", "live"),
    CheckDef("PROTO-SM-002", "A plain command ends the secure-messaging session",
             f"{_P11} §9.8.7", "warning", "live"),
    CheckDef("PROTO-MAC-001", "A command with a wrong MAC is refused with 6988",
             f"{_P11} §9.8; ISO/IEC 7816-4 §10", "error", "live"),
    CheckDef("CHIP-AA-001", "Active Authentication proves the DG15 key",
             f"{_P11} §6.1", "error", "live"),
    CheckDef("CHIP-CA-001", "Chip Authentication (or PACE-CAM) proves the DG14 key",
             f"{_P11} §6.2; BSI TR-03110", "error", "live"),
    CheckDef("CHIP-CLONE-001", "The chip offers clone detection (AA or CA)",
             f"{_P11} §6", "info", "live"),
)

BY_ID: dict[str, CheckDef] = {c.id: c for c in CATALOGUE}

#: ``cccd_reader.verify`` check name -> catalogue id (``dg_hash:DGn`` and ``qr:*`` by prefix).
VERIFY_CHECK_IDS: dict[str, str] = {
    "sod_parse": "SOD-STRUCT-001",
    "sod_signature": "SOD-SIG-001",
    "dsc_chain": "PKI-CHAIN-001",
    "country_binding": "PKI-STATE-001",
    "dsc_validity": "PKI-DSC-VALID-001",
    "csca_validity": "PKI-CSCA-VALID-001",
    "crl": "PKI-CRL-001",
    "dg1_dg13_consistency": "CONS-DG13-001",
    "card_security": "SOD-CSEC-001",
    "active_auth": "CHIP-AA-001",
    "chip_auth": "CHIP-CA-001",
    "clone_detection": "CHIP-CLONE-001",
    "dg_hash:": "SOD-HASH-001",
    "qr:": "QR-XCHK-001",
}


def catalogue_id_for(verify_check: str) -> str | None:
    """The catalogue id that reports a :mod:`cccd_reader.verify` check, None when none does."""
    if verify_check in VERIFY_CHECK_IDS:
        return VERIFY_CHECK_IDS[verify_check]
    for prefix in ("dg_hash:", "qr:"):
        if verify_check.startswith(prefix):
            return VERIFY_CHECK_IDS[prefix]
    return None


# --- results -----------------------------------------------------------------------------------


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


# --- the dump checks ---------------------------------------------------------------------------

_MANDATORY = ("EF.COM", "EF.SOD", "DG1", "DG2")
_EAC = frozenset({"DG3", "DG4"})
_STATUS: dict[str, Outcome] = {
    "pass": "pass", "fail": "fail", "skipped": "skip", "unsupported": "skip",
}


def _file_order(files: Iterable[str]) -> list[str]:
    order = {name: i for i, name in enumerate(("EF.CardAccess", *READ_ORDER))}
    return sorted(files, key=lambda n: (order.get(n, 99), n))


class _Run:
    """Accumulates the results of one suite; checks append, nothing raises out."""

    def __init__(self) -> None:
        self.results: list[Result] = []

    def add(self, check_id: str, outcome: Outcome, detail: str, target: str | None = None) -> None:
        assert check_id in BY_ID, check_id
        self.results.append(Result(check_id, outcome, detail, target))

    def ok(self, check_id: str, condition: bool, passed: str, failed: str,
           target: str | None = None) -> None:
        self.add(check_id, "pass" if condition else "fail", passed if condition else failed,
                 target)


def _lds(run: _Run, files: Mapping[str, bytes], protected: Iterable[str]) -> None:
    for name in _file_order(files):
        data = files[name]
        try:
            obj = tlv.decode(data)
            for _ in tlv.walk(obj):
                pass
        except ParseError as exc:
            run.add("LDS-TLV-001", "fail", str(exc), name)
            run.add("LDS-TAG-001", "skip", "not a TLV (see LDS-TLV-001)", name)
            continue
        run.add("LDS-TLV-001", "pass", f"{len(data)} bytes, tag {obj.tag:X}", name)
        expected = FILES[name].tag if name in FILES else None
        if expected is None:
            run.add("LDS-TAG-001", "skip", "no tag is assigned to this file", name)
        else:
            run.ok("LDS-TAG-001", obj.tag == expected, f"tag {obj.tag:X}",
                   f"starts with tag {obj.tag:X}; ICAO assigns {expected:X}", name)
    absent = [n for n in _MANDATORY if n not in files]
    run.ok("LDS-MAND-001", not absent, "all present", f"missing: {', '.join(absent)}")
    _com(run, files, protected)


def _com(run: _Run, files: Mapping[str, bytes], protected: Iterable[str]) -> None:
    from cccd_reader.lds.com import parse_com

    raw = files.get("EF.COM")
    com = None
    if raw is not None:
        try:
            com = parse_com(raw)
        except ParseError:
            com = None  # LDS-PARSE-001 reports why
    if com is None:
        why = "no EF.COM" if raw is None else "EF.COM does not parse (see LDS-PARSE-001)"
        for check_id in ("LDS-COM-001", "LDS-COM-002", "LDS-COM-003", "LDS-COM-004"):
            run.add(check_id, "skip", why)
        return
    missing = [w for w, v in (("5F01", com.lds_version), ("5F36", com.unicode_version)) if not v]
    run.ok("LDS-COM-001", not missing,
           f"LDS {com.lds_version}, Unicode {com.unicode_version}",
           f"EF.COM lacks {', '.join(missing)}")
    present = {n for n in files if dg_number(n) is not None}
    guarded = set(protected) | _EAC
    listed = set(com.data_groups)
    absent = sorted(listed - present - guarded, key=lambda n: dg_number(n) or 0)
    unlisted = sorted(present - listed, key=lambda n: dg_number(n) or 0)
    problems = []
    if absent:
        problems.append(f"listed but absent: {', '.join(absent)}")
    if unlisted:
        problems.append(f"present but not listed: {', '.join(unlisted)}")
    eac = sorted(listed & guarded - present)
    note = f"; {', '.join(eac)} listed, guarded by EAC" if eac else ""
    run.ok("LDS-COM-002", not problems, f"{', '.join(com.data_groups)}{note}", "; ".join(problems))
    run.ok("LDS-COM-003", not com.unknown_tags, "every tag names a data group",
           "unknown tags " + ", ".join(f"{t:02X}" for t in com.unknown_tags))
    _com_vs_sod(run, files, com.lds_version)


def _com_vs_sod(run: _Run, files: Mapping[str, bytes], com_version: str | None) -> None:
    from cccd_reader.lds.sod import parse_sod

    try:
        sod = parse_sod(files["EF.SOD"]) if "EF.SOD" in files else None
    except ParseError:
        sod = None
    if sod is None or sod.lds_version is None:
        run.add("LDS-COM-004", "skip", "the SOD carries no LDSVersionInfo (v0) or is unusable")
        return
    digits = sod.lds_version
    sod_version = f"{int(digits[:2])}.{int(digits[2:4])}" if digits.isdigit() else digits
    run.ok("LDS-COM-004", sod_version == com_version, f"both say LDS {sod_version}",
           f"EF.COM says LDS {com_version}, the SOD says {sod_version}")


def _parses(run: _Run, files: Mapping[str, bytes], record: CardRecord) -> None:
    parsed = ("EF.COM", "DG1", "DG2", "DG11", "DG12", "DG13", "DG14", "DG15")
    for name in _file_order(files):
        if name == "EF.SOD":
            continue  # SOD-STRUCT-001
        error = record.errors.get(name)
        if error is not None:
            run.add("LDS-PARSE-001", "fail", f"{error.type}: {error.message}", name)
        elif name == "EF.CardAccess":
            from cccd_reader.lds.security_infos import parse_security_infos

            try:
                infos = parse_security_infos(files[name])
                run.add("LDS-PARSE-001", "pass", f"{len(infos)} SecurityInfo(s)", name)
            except ParseError as exc:
                run.add("LDS-PARSE-001", "fail", str(exc), name)
        elif name in parsed:
            run.add("LDS-PARSE-001", "pass", "parsed", name)
        else:
            run.add("LDS-PARSE-001", "skip", "no parser for this file", name)


def _dg15_key(run: _Run, files: Mapping[str, bytes]) -> None:
    from cccd_reader.lds.dg15 import parse_dg15
    from cccd_reader.pki.signatures import (
        NEGATIVE_MODULUS_WARNING,
        SignatureError,
        load_public_key,
    )

    if "DG15" not in files:
        run.add("LDS-KEY-001", "skip", "no DG15")
        return
    try:
        _, description = load_public_key(parse_dg15(files["DG15"]).spki)
    except (ParseError, SignatureError) as exc:
        run.add("LDS-KEY-001", "skip", f"DG15 key not loaded: {exc}")
        return
    run.ok("LDS-KEY-001", NEGATIVE_MODULUS_WARNING not in description, description,
           NEGATIVE_MODULUS_WARNING.removeprefix("warning: "))


def _mrz(run: _Run, record: CardRecord) -> None:
    mrz = record.document
    if mrz is None:
        for check_id in ("MRZ-CD-001", "MRZ-DATE-001"):
            run.add(check_id, "skip", "no parsable DG1")
        return
    run.ok("MRZ-CD-001", not mrz.errors, f"{mrz.format}: every check digit is right",
           "; ".join(mrz.errors))
    dates = (("birth", mrz.date_of_birth), ("expiry", mrz.date_of_expiry))
    bad = [what for what, value in dates if value is None]
    run.ok("MRZ-DATE-001", not bad, "both are dates",
           f"not a calendar date: {', '.join(bad)}")


def _sod(run: _Run, files: Mapping[str, bytes]) -> Any:
    """Structure checks of EF.SOD beyond what verify needs; returns the SOD or None."""
    from cccd_reader.lds.sod import LDS_SECURITY_OBJECT_OID, parse_sod

    ids = ("SOD-VER-001", "SOD-ATTR-001", "SOD-CERT-001", "SOD-ALG-001")
    try:
        sod = parse_sod(files["EF.SOD"]) if "EF.SOD" in files else None
    except ParseError:
        sod = None
    if sod is None:
        for check_id in ids:
            run.add(check_id, "skip", "EF.SOD is missing or malformed (see SOD-STRUCT-001)")
        return None
    signer = sod.signer
    problems = []
    if sod.signed_data_version != 3:
        problems.append(f"SignedData version {sod.signed_data_version}, expected 3")
    if sod.version not in (0, 1):
        problems.append(f"LDSSecurityObject version {sod.version}")
    elif (sod.version == 1) != (sod.lds_version is not None):
        problems.append(f"LDSSecurityObject v{sod.version} "
                        f"{'lacks' if sod.version == 1 else 'carries'} LDSVersionInfo")
    expected_signer = 3 if signer.sid_kind == "ski" else 1
    if signer.version != expected_signer:
        problems.append(f"SignerInfo version {signer.version} with a {signer.sid_kind} sid "
                        f"(expected {expected_signer})")
    run.ok("SOD-VER-001", not problems,
           f"SignedData v3, LDSSecurityObject v{sod.version}, SignerInfo v{signer.version}",
           "; ".join(problems))
    problems = []
    if not signer.has_signed_attrs:
        problems.append("no signed attributes")
    else:
        if signer.content_type != LDS_SECURITY_OBJECT_OID:
            problems.append(f"contentType is {signer.content_type}")
        expected = hashlib.new(signer.digest_algorithm, sod.econtent).digest()
        if signer.message_digest is None:
            problems.append("no messageDigest")
        elif not hmac.compare_digest(signer.message_digest, expected):
            problems.append(f"messageDigest is not the {signer.digest_algorithm} of the eContent")
    timing = "with signingTime" if signer.signing_time else "without signingTime (optional)"
    run.ok("SOD-ATTR-001", not problems, f"contentType and messageDigest right; {timing}",
           "; ".join(problems))
    count = len(sod.certificates)
    run.ok("SOD-CERT-001", count == 1, "one certificate",
           f"{count} certificates (the DSC must then be pinned or found elsewhere)"
           if count == 0 else f"{count} certificates")
    weak = sorted({a for a in (sod.hash_algorithm, signer.digest_algorithm) if a == "sha1"})
    run.ok("SOD-ALG-001", not weak,
           f"{sod.hash_algorithm} / {signer.signature_algorithm}",
           "SHA-1 is deprecated for new documents")
    return sod


def _verification(run: _Run, verification: Verification) -> None:
    seen: set[str] = set()
    for check in verification.checks:
        check_id = catalogue_id_for(check.name)
        if check_id is None:
            continue
        seen.add(check_id)
        target = None
        if check.name.startswith("dg_hash:"):
            target = check.name.split(":", 1)[1]
        elif check.name.startswith("qr:"):
            target = check.name.split(":", 1)[1]
        if check_id in ("CONS-DG13-001", "CHIP-CLONE-001"):
            continue  # reported per field by _consistency; clone detection by check_live
        run.add(check_id, _STATUS[check.status], check.detail, target)


def _consistency(run: _Run, record: CardRecord) -> None:
    if not record.consistency:
        why = "no DG13" if record.dg13 is None else "DG1 unusable"
        run.add("CONS-DG13-001", "skip", why)
        return
    for c in record.consistency:
        run.add("CONS-DG13-001", _STATUS[c.status], c.detail, c.name)


def _pki(run: _Run, files: Mapping[str, bytes], sod: Any, verification: Verification,
         trust: TrustStore | None) -> None:
    dsc = verification.dsc
    dsc_ids = ("PKI-DSC-VER-001", "PKI-DSC-KU-001", "PKI-DSC-BC-001",
               "PKI-DSC-AKI-001", "PKI-DSC-SKI-001", "PKI-DSC-PKUP-001", "PKI-DSC-CNTRY-001")
    csca_ids = ("PKI-CSCA-KU-001", "PKI-CSCA-BC-001", "PKI-CSCA-SKI-001", "PKI-CSCA-CNTRY-001")
    if dsc is None:
        for check_id in (*dsc_ids, *csca_ids):
            run.add(check_id, "skip", "no Document Signer certificate")
        return
    csca = _issuing_csca(dsc, sod, trust)
    _dsc_profile(run, dsc, csca)
    if csca is None:
        for check_id in csca_ids:
            run.add(check_id, "skip", "no trusted CSCA issued this DSC (see PKI-CHAIN-001)")
    else:
        _csca_profile(run, csca, dsc)


def _issuing_csca(dsc: Cert, sod: Any, trust: TrustStore | None) -> Cert | None:
    if trust is None or trust.is_empty:
        return None
    when = sod.signer.signing_time if sod is not None else None
    chain = trust.validate_dsc(dsc, when)
    return chain.anchor if chain.status == "pass" and chain.mode == "csca" else None


def _critical(cert: Cert, name: str) -> bool:
    return name in cert.asn1.critical_extensions


def _dsc_profile(run: _Run, dsc: Cert, csca: Cert | None) -> None:
    version = dsc.asn1["tbs_certificate"]["version"].native
    unknown = dsc.unknown_critical_extensions
    run.ok("PKI-DSC-VER-001", version == "v3" and not unknown, f"{version}",
           f"{version}; unknown critical: {', '.join(unknown) or 'none'}")
    usage = dsc.key_usage
    if usage is None:
        run.add("PKI-DSC-KU-001", "fail", "no keyUsage extension")
    else:
        problems = []
        if not _critical(dsc, "key_usage"):
            problems.append("keyUsage is not critical")
        if usage != {"digital_signature"}:
            problems.append(f"keyUsage is {', '.join(sorted(usage))}")
        run.ok("PKI-DSC-KU-001", not problems, "critical, digitalSignature", "; ".join(problems))
    run.ok("PKI-DSC-BC-001", not dsc.is_ca,
           "basicConstraints absent" if dsc.asn1.basic_constraints_value is None
           else "basicConstraints cA false", "the DSC is a CA certificate")
    if dsc.aki is None:
        run.add("PKI-DSC-AKI-001", "fail", "no authorityKeyIdentifier")
    elif csca is None or csca.ski is None:
        run.add("PKI-DSC-AKI-001", "pass", "present (no CSCA key identifier to compare)")
    else:
        run.ok("PKI-DSC-AKI-001", dsc.aki == csca.ski, "matches the CSCA's subjectKeyIdentifier",
               "differs from the CSCA's subjectKeyIdentifier")
    run.ok("PKI-DSC-SKI-001", dsc.ski is not None, "present", "no subjectKeyIdentifier")
    period = dsc.private_key_usage_period
    if period is None:
        run.add("PKI-DSC-PKUP-001", "skip", "optional extension not present")
    else:
        start, end = period
        inside = (start is None or start >= dsc.not_before) and (
            end is None or end <= dsc.not_after
        )
        shown = "..".join(f"{v:%Y-%m-%d}" if v else "-" for v in period)
        run.ok("PKI-DSC-PKUP-001", inside, f"{shown} within the validity",
               f"{shown} exceeds the validity {dsc.not_before:%Y-%m-%d}..{dsc.not_after:%Y-%m-%d}")
    subject, issuer = dsc.country, dsc.issuer_country
    run.ok("PKI-DSC-CNTRY-001", subject is not None and subject == issuer, f"both {subject}",
           f"subject C={subject or 'absent'}, issuer C={issuer or 'absent'}")


def _csca_profile(run: _Run, csca: Cert, dsc: Cert) -> None:
    usage = csca.key_usage or frozenset()
    problems = []
    if csca.key_usage is None:
        problems.append("no keyUsage")
    else:
        if not _critical(csca, "key_usage"):
            problems.append("keyUsage is not critical")
        lacking = {"key_cert_sign", "crl_sign"} - usage
        if lacking:
            problems.append(f"keyUsage lacks {', '.join(sorted(lacking))}")
    run.ok("PKI-CSCA-KU-001", not problems, "critical, keyCertSign and cRLSign",
           "; ".join(problems))
    constraints = csca.asn1.basic_constraints_value
    problems = []
    if constraints is None:
        problems.append("no basicConstraints")
    else:
        native = constraints.native
        if not _critical(csca, "basic_constraints"):
            problems.append("basicConstraints is not critical")
        if not native.get("ca"):
            problems.append("cA is false")
        if native.get("path_len_constraint") != 0:
            problems.append(f"pathLenConstraint is {native.get('path_len_constraint')}")
    run.ok("PKI-CSCA-BC-001", not problems, "critical, cA, pathLen 0", "; ".join(problems))
    run.ok("PKI-CSCA-SKI-001", csca.ski is not None, "present", "no subjectKeyIdentifier")
    countries = {csca.country, csca.issuer_country, dsc.issuer_country}
    run.ok("PKI-CSCA-CNTRY-001", len(countries) == 1 and None not in countries,
           f"all {csca.country}",
           f"CSCA subject C={csca.country}, issuer C={csca.issuer_country}, "
           f"DSC issuer C={dsc.issuer_country}")


def _image(run: _Run, files: Mapping[str, bytes], record: CardRecord) -> None:
    ids = ("IMG-DEC-001", "IMG-DIM-001", "IMG-SIZE-001")
    if "DG2" not in files:
        for check_id in ("IMG-DG2-001", *ids):
            run.add(check_id, "skip", "no DG2")
        return
    face = record.dg2.face if record.dg2 is not None else None
    photo = record.photo
    if face is None or photo is None:
        why = "DG2 does not parse (see LDS-PARSE-001)" if record.dg2 is None else (
            "DG2 holds no readable facial record"
        )
        run.add("IMG-DG2-001", "fail", why)
        for check_id in ids:
            run.add(check_id, "skip", "no portrait")
        return
    run.ok("IMG-DG2-001", photo.mime is not None, f"{photo.mime}, {len(photo.data)} bytes",
           "the image is neither JPEG nor JPEG 2000")
    status = photo.decode_status
    if status == "ok":
        run.add("IMG-DEC-001", "pass", photo.decode_detail)
    elif status in ("unavailable", "not_attempted"):
        run.add("IMG-DEC-001", "skip", photo.decode_detail)
    else:
        run.add("IMG-DEC-001", "fail", f"{status}: {photo.decode_detail}")
    codec = face.codec_size
    declared = (face.width, face.height)
    if codec is None:
        run.add("IMG-DIM-001", "skip", "the codec header gives no size")
    else:
        run.ok("IMG-DIM-001", codec == declared, f"{codec[0]}x{codec[1]}",
               f"declared {declared[0]}x{declared[1]}, image is {codec[0]}x{codec[1]}")
    width, height = codec or declared
    run.ok("IMG-SIZE-001", width >= 240 and height >= 320, f"{width}x{height}",
           f"{width}x{height} is below 240x320")


def check_files(
    files: Mapping[str, bytes],
    *,
    trust: TrustStore | None = None,
    name: str = "card",
    source: str = "",
    note: str | None = None,
    now: datetime | None = None,
    qr: QRData | None = None,
    extra_checks: Sequence[Check] = (),
    protected: Iterable[str] = (),
    missing: Iterable[str] = (),
    access: Any = None,
) -> SuiteReport:
    """Run the catalogue on the files of one read or dump; never raises for bad card data."""
    return _complete(_check_files(
        files, trust=trust, name=name, source=source, note=note, now=now, qr=qr,
        extra_checks=extra_checks, protected=protected, missing=missing, access=access,
        kind="dump",
    ))


def _check_files(
    files: Mapping[str, bytes],
    *,
    trust: TrustStore | None,
    name: str,
    source: str,
    note: str | None,
    now: datetime | None,
    qr: QRData | None,
    extra_checks: Sequence[Check],
    protected: Iterable[str],
    missing: Iterable[str],
    access: Any,
    kind: Kind,
) -> SuiteReport:
    from cccd_reader.record import CardRecord

    record = CardRecord.build(
        files, trust=trust, now=now, extra_checks=extra_checks, protected=protected,
        missing=missing, access=access,
    )
    if qr is not None:
        from cccd_reader.qr.crosscheck import crosscheck

        record = CardRecord.build(
            files, trust=trust, now=now, extra_checks=[*extra_checks, *crosscheck(qr, record)],
            protected=protected, missing=missing, access=access,
        )
    run = _Run()
    _lds(run, files, record.protected_files)
    _parses(run, files, record)
    _mrz(run, record)
    _dg15_key(run, files)
    sod = _sod(run, files)
    verification = record.verification
    assert verification is not None  # build() always verifies
    _verification(run, verification)
    _pki(run, files, sod, verification, trust)
    _consistency(run, record)
    _image(run, files, record)
    if qr is None:
        run.add("QR-XCHK-001", "skip", "no QR given (--qr)")
    return SuiteReport(name, source or name, kind, run.results, note, verification.verdict)


def _complete(suite: SuiteReport, live_reason: str = "not run") -> SuiteReport:
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


def _dump_failure(path: Path, detail: str) -> SuiteReport:
    return _complete(SuiteReport(path.name, str(path), "dump",
                                 [Result("DUMP-LOAD-001", "fail", detail)]))


def check_dump(
    path: str | os.PathLike[str],
    *,
    trust: TrustStore | None = None,
    now: datetime | None = None,
    qr: QRData | None = None,
) -> SuiteReport:
    """The catalogue for one ``cccd-dump/1`` directory; an unloadable dump is a failed suite."""
    root = Path(path)
    try:
        card = dumpmod.load(root)
    except CccdError as exc:
        return _dump_failure(root, str(exc))
    suite = _check_files(card.files, trust=trust, name=root.name, source=str(root),
                         note=card.note, now=now, qr=qr, extra_checks=(), protected=(),
                         missing=(), access=None, kind="dump")
    suite.results.insert(0, Result("DUMP-LOAD-001", "pass", f"{len(card.files)} files"))
    return _complete(suite)


def find_dumps(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Dumps named directly, plus every directory holding a ``card.json`` below a directory.

    A directory argument that is itself a dump is taken as one; anything else is searched
    recursively, so ``samples/`` yields every sample, negative ones included.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if (path / dumpmod.CARD_JSON).is_file() or not path.is_dir():
            found.append(path)
            continue
        found.extend(sorted(p.parent for p in path.rglob(dumpmod.CARD_JSON)))
    return list(dict.fromkeys(found))


def run(
    paths: Iterable[str | os.PathLike[str]],
    *,
    trust: TrustStore | None = None,
    now: datetime | None = None,
    qr: QRData | None = None,
) -> ConformanceReport:
    """Every dump under ``paths``; a path that is no dump becomes a failed ``DUMP-LOAD-001``."""
    suites = [check_dump(p, trust=trust, now=now, qr=qr) for p in find_dumps(paths)]
    return ConformanceReport(suites)


# --- live --------------------------------------------------------------------------------------

_SELECT_EF_COM_FID = FILES["EF.COM"].fid.to_bytes(2, "big")
_DG1_FID = FILES["DG1"].fid.to_bytes(2, "big")


def _probe_unauthenticated(connect: Callable[[], Transport]) -> Result:
    """SELECT the application and DG1, then READ BINARY, all without access control."""
    from cccd_reader.iso7816.apdu import CommandAPDU, describe_sw
    from cccd_reader.iso7816.transport import ApduChannel
    from cccd_reader.lds.files import LDS1_AID

    transport = connect()
    try:
        channel = ApduChannel(transport)
        resp = channel.send_plain(CommandAPDU(0x00, 0xA4, 0x04, 0x0C, LDS1_AID))
        if resp.sw == 0x6982:
            return Result("PROTO-AUTH-001", "pass", "the LDS application itself is refused (6982)")
        resp = channel.send_plain(CommandAPDU(0x00, 0xA4, 0x02, 0x0C, _DG1_FID))
        if resp.sw == 0x6982:
            return Result("PROTO-AUTH-001", "pass", "SELECT DG1 refused with 6982")
        if not resp.ok:
            return Result("PROTO-AUTH-001", "fail",
                          f"SELECT DG1 answered {describe_sw(resp.sw)}; 6982 expected")
        resp = channel.send_plain(CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=4))
        if resp.sw == 0x6982:
            return Result("PROTO-AUTH-001", "pass", "READ BINARY of DG1 refused with 6982")
        if resp.ok or resp.data:
            return Result("PROTO-AUTH-001", "fail",
                          f"DG1 served without authentication ({len(resp.data)} bytes)")
        return Result("PROTO-AUTH-001", "fail",
                      f"READ BINARY of DG1 answered {describe_sw(resp.sw)}; 6982 expected")
    finally:
        transport.close()


def _open_session(transport: Transport, key: AccessKey) -> ApduChannel:
    """BAC or PACE exactly as the reader chooses, leaving the channel in secure messaging."""
    from cccd_reader.access import bac
    from cccd_reader.iso7816.efreader import FileReader
    from cccd_reader.iso7816.transport import ApduChannel
    from cccd_reader.reader import _open_with_pace, _select_application, _try_read_card_access
    from cccd_reader.readers import limits_for

    channel = ApduChannel(transport)
    reader = FileReader(channel, limits_for(transport))
    card_access = _try_read_card_access(reader)
    opened = _open_with_pace(channel, card_access, key, None) if card_access else None
    if opened is not None:
        _select_application(reader)
        return channel
    if key.mrz_information is None:
        raise ProtocolNotSupportedError("BAC needs the MRZ data; the key holds only a CAN")
    _select_application(reader)
    bac.perform_bac(channel, key.mrz_information)
    return channel


def _probe_plain_in_session(connect: Callable[[], Transport], key: AccessKey) -> list[Result]:
    from cccd_reader.iso7816.apdu import CommandAPDU, describe_sw

    transport = connect()
    try:
        channel = _open_session(transport, key)
        select = CommandAPDU(0x00, 0xA4, 0x02, 0x0C, _SELECT_EF_COM_FID)
        resp = channel.send_plain(select)
        if resp.ok:
            refused = Result("PROTO-SM-001", "fail",
                             "a plain SELECT inside the session was answered 9000")
        else:
            refused = Result("PROTO-SM-001", "pass", f"refused with {describe_sw(resp.sw)}")
        try:
            after = channel.send(select)
        except CccdError as exc:
            ended = Result("PROTO-SM-002", "pass", f"the session is gone ({type(exc).__name__})")
        else:
            ended = (
                Result("PROTO-SM-002", "fail", "the session survived a plain command")
                if after.ok
                else Result("PROTO-SM-002", "pass", f"then refused {describe_sw(after.sw)}")
            )
        return [refused, ended]
    finally:
        transport.close()


def _probe_wrong_mac(connect: Callable[[], Transport], key: AccessKey) -> Result:
    from cccd_reader.iso7816.apdu import CommandAPDU, ResponseAPDU, describe_sw

    transport = connect()
    try:
        channel = _open_session(transport, key)
        assert channel.sm is not None
        good = channel.sm.protect_command(CommandAPDU(0x00, 0xA4, 0x02, 0x0C, _SELECT_EF_COM_FID))
        data = bytearray(good.data)
        data[-1] ^= 0x01  # DO'8E (the MAC) is the last object of a protected command
        bad = CommandAPDU(good.cla, good.ins, good.p1, good.p2, bytes(data), good.le,
                          good.force_extended)
        resp = ResponseAPDU.from_bytes(transport.transmit(bad.to_bytes()))
        if resp.sw == 0x6988:
            return Result("PROTO-MAC-001", "pass", "refused with 6988")
        if resp.ok:
            return Result("PROTO-MAC-001", "fail", "a command with a wrong MAC was executed")
        return Result("PROTO-MAC-001", "fail",
                      f"refused with {describe_sw(resp.sw)}; 6988 expected")
    finally:
        transport.close()


def _probe(results: list[Result], ids: Sequence[str], probe: Callable[[], Any]) -> None:
    """A probe that cannot even run (no session, card gone) is a skip, not a silent pass."""
    try:
        out = probe()
    except AccessError as exc:
        for check_id in ids:
            results.append(Result(check_id, "skip", f"no session: {exc}"))
        return
    except CccdError as exc:
        for check_id in ids:
            results.append(Result(check_id, "fail", f"{type(exc).__name__}: {exc}"))
        return
    results.extend(out if isinstance(out, list) else [out])


def check_live(
    connect: Callable[[], Transport],
    key: AccessKey,
    *,
    trust: TrustStore | None = None,
    name: str = "live chip",
    now: datetime | None = None,
    qr: QRData | None = None,
) -> SuiteReport:
    """The whole catalogue against a chip: protocol probes, then a full read and its files.

    ``connect`` returns a fresh transport (a new card session) each time: the reader's
    :func:`cccd_reader.readers.open_transport`, or :func:`cccd_reader.service.sim_transport`.
    """
    from cccd_reader.service import read_and_verify

    protocol: list[Result] = []
    _probe(protocol, ["PROTO-AUTH-001"], lambda: _probe_unauthenticated(connect))
    try:
        outcome = read_and_verify(connect(), key, trust=trust)
    except CccdError as exc:
        results = [*protocol, Result("LIVE-READ-001", "fail", f"{type(exc).__name__}: {exc}")]
        return _complete(SuiteReport(name, name, "live", results))
    result = outcome.result
    suite = _check_files(
        result.files, trust=trust, name=name, source=name, note=None, now=now, qr=qr,
        extra_checks=result.chip_checks, protected=result.protected, missing=result.missing,
        access=result.access, kind="live",
    )
    offered = sorted(c.name for c in result.chip_checks if c.name in ("active_auth", "chip_auth"))
    suite.results.append(
        Result("CHIP-CLONE-001", "pass", f"offered: {', '.join(offered)}") if offered else
        Result("CHIP-CLONE-001", "fail", "neither Active nor Chip Authentication is offered: "
               "a copy of the files cannot be told from the original chip")
    )
    access = result.access
    suite.results.insert(0, Result(
        "LIVE-READ-001", "pass",
        f"{access.protocol} ({access.password}, {access.cipher}); {len(result.files)} files, "
        f"{result.stats.apdus} APDUs",
    ))
    _probe(protocol, ["PROTO-SM-001", "PROTO-SM-002"],
           lambda: _probe_plain_in_session(connect, key))
    _probe(protocol, ["PROTO-MAC-001"], lambda: _probe_wrong_mac(connect, key))
    suite.results[1:1] = protocol
    return _complete(suite, "the chip does not offer it")


# --- the catalogue as documentation ------------------------------------------------------------


def catalogue_markdown() -> str:
    """The catalogue table of docs/qa-guide.md, generated so the guide cannot drift."""
    lines = [
        "| id | check | reference | severity | scope |",
        "| --- | --- | --- | --- | --- |",
    ]
    for c in CATALOGUE:
        lines.append(f"| `{c.id}` | {c.title} | {c.reference} | {c.severity} | {c.scope} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - regenerates the table for docs/qa-guide.md
    print(catalogue_markdown(), end="")
