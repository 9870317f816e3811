"""The catalogue's checks over the files of one card: a dump's, or those of a live read.

Every code path emits a result (a ``skip`` with its reason when a check cannot run), so each
catalogue id appears in every report. The checks never raise for bad card data: a dump is
untrusted input, and what is wrong with it is the report.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cccd_reader import dump as dumpmod
from cccd_reader.conformance.catalogue import BY_ID, Kind, Outcome, catalogue_id_for
from cccd_reader.conformance.results import Result, SuiteReport, complete
from cccd_reader.errors import CccdError, ParseError
from cccd_reader.iso7816 import tlv
from cccd_reader.lds.files import FILES, READ_ORDER, dg_number

if TYPE_CHECKING:
    from cccd_reader.checks import Check
    from cccd_reader.pki.trust import Cert, TrustStore
    from cccd_reader.qr.payload import QRData
    from cccd_reader.record import CardRecord
    from cccd_reader.verify import Verification

__all__ = ["check_dump", "check_files", "run_checks"]

_MANDATORY = ("EF.COM", "EF.SOD", "DG1", "DG2")
#: Chain outcomes that are missing trust for the verdict but a failure for conformance.
_NOT_CHAINED = frozenset({"dsc_chain.key_not_trusted", "dsc_chain.link_refused"})
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
    from cccd_reader.lds.spki import NEGATIVE_MODULUS_WARNING
    from cccd_reader.pki.signatures import SignatureError, load_public_key

    if "DG15" not in files:
        run.add("LDS-KEY-001", "skip", "no DG15")
        return
    try:
        dg15 = parse_dg15(files["DG15"])
        _, description = load_public_key(dg15.spki)
    except (ParseError, SignatureError) as exc:
        run.add("LDS-KEY-001", "skip", f"DG15 key not loaded: {exc}")
        return
    run.ok("LDS-KEY-001", not dg15.warnings, description,
           "; ".join(w.removeprefix("warning: ") for w in dg15.warnings)
           or NEGATIVE_MODULUS_WARNING.removeprefix("warning: "))


def _mrz(run: _Run, record: CardRecord) -> None:
    mrz = record.document
    if mrz is None:
        for check_id in ("MRZ-CD-001", "MRZ-DATE-001"):
            run.add(check_id, "skip", "no parsable DG1")
        return
    run.ok("MRZ-CD-001", not mrz.errors, f"{mrz.format}: every check digit is right",
           "; ".join(mrz.errors))
    from cccd_reader.access.lifetime import is_lifetime_expiry

    lifetime = mrz.date_of_expiry is None and is_lifetime_expiry(
        mrz.expiry_yymmdd, mrz.birth_yymmdd)
    dates = (("birth", mrz.date_of_birth), ("expiry", mrz.date_of_expiry))
    bad = [what for what, value in dates if value is None and not (what == "expiry" and lifetime)]
    run.ok("MRZ-DATE-001", not bad,
           f"both are dates (expiry {mrz.expiry_yymmdd}: a lifetime card's 99MMDD)"
           if lifetime else "both are dates",
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
        outcome = _STATUS[check.status]
        if check.code in _NOT_CHAINED:
            # conformance asks "does this dump verify against the trust I gave?": a DSC that
            # does not chain to it fails, although the verdict only calls it unverified
            outcome = "fail"
        run.add(check_id, outcome, check.detail, target)


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
    return complete(run_checks(
        files, trust=trust, name=name, source=source, note=note, now=now, qr=qr,
        extra_checks=extra_checks, protected=protected, missing=missing, access=access,
        kind="dump",
    ))


def run_checks(
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
    """The checks of one card's files as a suite of ``kind``, not yet :func:`complete`: the
    live suite adds its probes first. The verdict of the same files is kept for context."""
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


def _dump_failure(path: Path, detail: str) -> SuiteReport:
    return complete(SuiteReport(path.name, str(path), "dump",
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
    suite = run_checks(card.files, trust=trust, name=root.name, source=str(root),
                       note=card.note, now=now, qr=qr, extra_checks=(), protected=(),
                       missing=(), access=None, kind="dump")
    suite.results.insert(0, Result("DUMP-LOAD-001", "pass", f"{len(card.files)} files"))
    return complete(suite)
