"""The conformance catalogue: every check's stable id, title, clause and severity.

A QA lab tracks one testcase across card batches by its id (``LDS-TLV-001``), so ids never
change meaning; a check is added, never renumbered. The catalogue is data, kept apart from the
code that runs the checks (:mod:`.dump_checks`, :mod:`.live`), so the QA guide's table can be
generated from it (:func:`catalogue_markdown`) and cannot drift.

The verification results are reused, not recomputed: :data:`VERIFY_CHECK_IDS` maps each
``verify`` check name to its catalogue id, so the conformance report and ``cccd verify`` can
never disagree on a signature or a hash.

Only ``error`` failures make a card non-conformant; ``warning`` and ``info`` failures are
reported (a SHA-1 SOD, a small portrait) without failing the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "BY_ID",
    "CATALOGUE",
    "VERIFY_CHECK_IDS",
    "CheckDef",
    "Kind",
    "Outcome",
    "Scope",
    "Severity",
    "catalogue_id_for",
    "catalogue_markdown",
]

Severity = Literal["error", "warning", "info"]
Outcome = Literal["pass", "fail", "skip"]
Scope = Literal["any", "dump", "live"]
Kind = Literal["dump", "live"]


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
    CheckDef("PROTO-EXT-001", "The chip says whether it takes extended length (ATR card "
             "capabilities or EF.ATR/INFO)", "ISO/IEC 7816-4 §8.1.1.2.7, §12.7.1; "
             f"{_P10} §3", "warning", "live"),
    CheckDef("PROTO-EXT-002", "An extended-length command the chip does not take is refused "
             "without ending the session", "ISO/IEC 7816-4 §5.1; "
             f"{_P11} §9.8", "warning", "live"),
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


def catalogue_markdown() -> str:
    """The catalogue table of docs/qa-guide.md, generated so the guide cannot drift."""
    lines = [
        "| id | check | reference | severity | scope |",
        "| --- | --- | --- | --- | --- |",
    ]
    for c in CATALOGUE:
        lines.append(f"| `{c.id}` | {c.title} | {c.reference} | {c.severity} | {c.scope} |")
    return "\n".join(lines) + "\n"
