"""Human names for what the library reports by identifier (fields, checks, steps, verdicts).

The tables hold English source strings marked with QT_TRANSLATE_NOOP, so pyside6-lupdate
extracts them while the lookup stays dynamic: the translation is fetched at render time, which
is what lets a language switch re-render everything without rebuilding the data.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from typing import Any, cast

from PySide6.QtCore import QT_TRANSLATE_NOOP as _QT_TRANSLATE_NOOP
from PySide6.QtCore import QCoreApplication

#: Same marker under the same name (lupdate matches it textually), typed as returning str.
QT_TRANSLATE_NOOP = cast(Callable[[str, str], str], _QT_TRANSLATE_NOOP)

CTX_FIELDS = "Fields"
CTX_CHECKS = "Checks"
CTX_STEPS = "Steps"
CTX_STATUS = "Status"
CTX_VERDICT = "Verdict"

#: Holder fields in the order a Vietnamese card prints them.
FIELD_LABELS: tuple[tuple[str, str], ...] = (
    ("full_name", QT_TRANSLATE_NOOP("Fields", "Full name")),
    ("document_kind", QT_TRANSLATE_NOOP("Fields", "Document type")),
    ("personal_number", QT_TRANSLATE_NOOP("Fields", "Personal ID number")),
    ("date_of_birth", QT_TRANSLATE_NOOP("Fields", "Date of birth")),
    ("sex", QT_TRANSLATE_NOOP("Fields", "Sex")),
    ("nationality", QT_TRANSLATE_NOOP("Fields", "Nationality")),
    ("ethnicity", QT_TRANSLATE_NOOP("Fields", "Ethnicity")),
    ("religion", QT_TRANSLATE_NOOP("Fields", "Religion")),
    ("place_of_origin", QT_TRANSLATE_NOOP("Fields", "Place of origin")),
    ("place_of_residence", QT_TRANSLATE_NOOP("Fields", "Place of residence")),
    ("identifying_features", QT_TRANSLATE_NOOP("Fields", "Identifying features")),
    ("date_of_issue", QT_TRANSLATE_NOOP("Fields", "Date of issue")),
    ("date_of_expiry", QT_TRANSLATE_NOOP("Fields", "Date of expiry")),
    ("father_name", QT_TRANSLATE_NOOP("Fields", "Father")),
    ("mother_name", QT_TRANSLATE_NOOP("Fields", "Mother")),
    ("spouse_name", QT_TRANSLATE_NOOP("Fields", "Spouse")),
    ("old_id_number", QT_TRANSLATE_NOOP("Fields", "Old ID number")),
    ("document_number", QT_TRANSLATE_NOOP("Fields", "Document number")),
    ("issuing_state", QT_TRANSLATE_NOOP("Fields", "Issuing state")),
)

_CHECKS: dict[str, str] = {
    "sod_parse": QT_TRANSLATE_NOOP("Checks", "Security object (SOD) readable"),
    "sod_signature": QT_TRANSLATE_NOOP("Checks", "SOD signature"),
    "dsc_chain": QT_TRANSLATE_NOOP("Checks", "Certificate chain (signer to CSCA)"),
    "dsc_validity": QT_TRANSLATE_NOOP("Checks", "Document signer validity"),
    "csca_validity": QT_TRANSLATE_NOOP("Checks", "CSCA validity"),
    "crl": QT_TRANSLATE_NOOP("Checks", "Revocation list (CRL)"),
    "dg1_dg13_consistency": QT_TRANSLATE_NOOP("Checks", "Chip data consistent (DG1 vs DG13)"),
    "active_auth": QT_TRANSLATE_NOOP("Checks", "Active authentication (anti-cloning)"),
    "chip_auth": QT_TRANSLATE_NOOP("Checks", "Chip authentication (anti-cloning)"),
    "country_binding": QT_TRANSLATE_NOOP("Checks", "Signer's country is the issuing state"),
    "mandatory_dgs": QT_TRANSLATE_NOOP("Checks", "Mandatory data (MRZ and photo) signed"),
    "mrz_check_digits": QT_TRANSLATE_NOOP("Checks", "MRZ check digits"),
    "card_security": QT_TRANSLATE_NOOP("Checks", "Signed chip security data (CardSecurity)"),
    # DG1/DG13 comparisons, shown under the consistency check
    "personal_number": QT_TRANSLATE_NOOP("Checks", "Personal number"),
    "date_of_birth": QT_TRANSLATE_NOOP("Checks", "Date of birth"),
    "sex": QT_TRANSLATE_NOOP("Checks", "Sex"),
    "date_of_expiry": QT_TRANSLATE_NOOP("Checks", "Date of expiry"),
    "name": QT_TRANSLATE_NOOP("Checks", "Name"),
    "clone_detection": QT_TRANSLATE_NOOP("Checks", "Clone detection"),
    # the printed QR compared with the chip
    "qr:personal_number": QT_TRANSLATE_NOOP("Checks", "QR vs chip: personal number"),
    "qr:full_name": QT_TRANSLATE_NOOP("Checks", "QR vs chip: name"),
    "qr:date_of_birth": QT_TRANSLATE_NOOP("Checks", "QR vs chip: date of birth"),
    "qr:sex": QT_TRANSLATE_NOOP("Checks", "QR vs chip: sex"),
    "qr:date_of_issue": QT_TRANSLATE_NOOP("Checks", "QR vs chip: date of issue"),
    "qr:place_of_residence": QT_TRANSLATE_NOOP("Checks", "QR vs chip: residence"),
    "qr:old_id_number": QT_TRANSLATE_NOOP("Checks", "QR vs chip: old ID number"),
    "qr:date_of_expiry": QT_TRANSLATE_NOOP("Checks", "QR vs chip: date of expiry"),
}

_DG_NAMES: dict[str, str] = {
    "DG1": QT_TRANSLATE_NOOP("Checks", "machine-readable zone"),
    "DG2": QT_TRANSLATE_NOOP("Checks", "photo"),
    "DG11": QT_TRANSLATE_NOOP("Checks", "additional personal details"),
    "DG12": QT_TRANSLATE_NOOP("Checks", "additional document details"),
    "DG13": QT_TRANSLATE_NOOP("Checks", "personal data"),
    "DG14": QT_TRANSLATE_NOOP("Checks", "chip security keys"),
    "DG15": QT_TRANSLATE_NOOP("Checks", "active authentication key"),
}

_STATUSES: dict[str, str] = {
    "pass": QT_TRANSLATE_NOOP("Status", "Passed"),
    "fail": QT_TRANSLATE_NOOP("Status", "FAILED"),
    "skipped": QT_TRANSLATE_NOOP("Status", "Not checked"),
    "unsupported": QT_TRANSLATE_NOOP("Status", "Not supported"),
}
#: A symbol next to every status so meaning never rests on colour alone.
STATUS_SYMBOLS = {"pass": "✔", "fail": "✘", "skipped": "–", "unsupported": "?"}
STATUS_COLOURS = {"pass": "#1b7f3b", "fail": "#b3261e", "skipped": "#6b6b6b",
                  "unsupported": "#8a5a00"}

_VERDICTS: dict[str, tuple[str, str]] = {
    "genuine": (
        QT_TRANSLATE_NOOP("Verdict", "GENUINE"),
        QT_TRANSLATE_NOOP("Verdict", "Signature, certificate chain and every data hash verified."),
    ),
    "not_genuine": (
        QT_TRANSLATE_NOOP("Verdict", "NOT GENUINE"),
        QT_TRANSLATE_NOOP("Verdict", "The chip data does not match its signature. Failed:"),
    ),
    "unverified": (
        QT_TRANSLATE_NOOP("Verdict", "UNVERIFIED"),
        QT_TRANSLATE_NOOP(
            "Verdict", "Data intact, but no trusted certificate confirms the issuer. Not checked:"
        ),
    ),
    "inconsistent": (
        QT_TRANSLATE_NOOP("Verdict", "INCONSISTENT"),
        QT_TRANSLATE_NOOP("Verdict", "Signed correctly, but the chip's data groups disagree:"),
    ),
}
VERDICT_SYMBOLS = {"genuine": "✔", "not_genuine": "✘", "unverified": "?", "inconsistent": "!",
                   "expired": "⚠", "genuine_no_clone": "✔", "reading": "…"}
#: Badge grounds by what the badge shows (the verdict, or "expired" / "genuine_no_clone" /
#: "reading" on top of it): each look is also told apart by its symbol and words.
VERDICT_COLOURS = {"genuine": "#1b7f3b", "not_genuine": "#b3261e", "unverified": "#8a5a00",
                   "inconsistent": "#b35c00", "expired": "#9a3412", "genuine_no_clone": "#3f6e1f",
                   "reading": "#555555"}

_STEPS: dict[str, str] = {
    "access": QT_TRANSLATE_NOOP("Steps", "Opening the chip (access control)"),
    "EF.COM": QT_TRANSLATE_NOOP("Steps", "Reading the file list (EF.COM)"),
    "EF.SOD": QT_TRANSLATE_NOOP("Steps", "Reading the security object (EF.SOD)"),
    "chip authentication": QT_TRANSLATE_NOOP("Steps", "Checking the chip is not a clone"),
    "active authentication": QT_TRANSLATE_NOOP("Steps", "Checking the chip is not a clone"),
    "verification": QT_TRANSLATE_NOOP("Steps", "Verifying signatures and hashes"),
}


def _tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


#: Labels that differ by document, as each prints them: the 2024 card (Law on Identification
#: 2023) prints "Nơi cư trú" and "Nơi đăng ký khai sinh"; the 2021 card "Nơi thường trú" and
#: "Quê quán"; a passport's personal number is not the citizen ID number.
_KIND_FIELDS: dict[tuple[str, str], str] = {
    ("cccd2021", "place_of_residence"): QT_TRANSLATE_NOOP("Fields", "Permanent residence"),
    ("cancuoc2024", "place_of_origin"): QT_TRANSLATE_NOOP("Fields", "Place of birth registration"),
    ("passport", "personal_number"): QT_TRANSLATE_NOOP("Fields", "Personal number"),
    ("passport", "full_name"): QT_TRANSLATE_NOOP("Fields", "Name (as in the MRZ)"),
}


def field_label(key: str, kind: str = "") -> str:
    special = _KIND_FIELDS.get((kind, key))
    if special:
        return _tr(CTX_FIELDS, special)
    return next((_tr(CTX_FIELDS, label) for k, label in FIELD_LABELS if k == key), key)


def dg_description(dg: str) -> str:
    text = _DG_NAMES.get(dg)
    return _tr(CTX_CHECKS, text) if text else ""


def check_label(name: str) -> str:
    """A readable name; unknown checks keep their identifier so nothing is hidden."""
    if name.startswith("dg_hash:"):
        dg = name.split(":", 1)[1]
        desc = dg_description(dg)
        base = _tr(CTX_CHECKS, "Hash of %1").replace("%1", dg)
        return f"{base} ({desc})" if desc else base
    text = _CHECKS.get(name)
    return _tr(CTX_CHECKS, text) if text else name


# Marked here so lupdate sees the template used by check_label.
_HASH_TEMPLATE = QT_TRANSLATE_NOOP("Checks", "Hash of %1")


def status_label(status: str) -> str:
    text = _STATUSES.get(status)
    return f"{STATUS_SYMBOLS.get(status, '?')} {_tr(CTX_STATUS, text) if text else status}"


def verdict_texts(verdict: str) -> tuple[str, str]:
    title, explanation = _VERDICTS.get(verdict, (verdict, ""))
    return _tr(CTX_VERDICT, title), _tr(CTX_VERDICT, explanation) if explanation else ""


def step_label(step: str) -> str:
    text = _STEPS.get(step)
    if text:
        return _tr(CTX_STEPS, text)
    desc = dg_description(step)
    base = _tr(CTX_STEPS, "Reading %1").replace("%1", step)
    return f"{base} ({desc})" if desc else base


_READING_TEMPLATE = QT_TRANSLATE_NOOP("Steps", "Reading %1")


#: Marker for "no expiry date": rendered (and re-rendered on a language switch) as text.
LIFETIME = "\x00lifetime"
_LIFETIME_TEXT = QT_TRANSLATE_NOOP("Fields", "No expiry (lifetime card)")


def lifetime_text() -> str:
    return _tr(CTX_FIELDS, _LIFETIME_TEXT)


# ============================================================ document kinds, MRZ codes

CTX_DOC = "Document"
#: Cards issued from this day follow the Law on Identification 2023 (the 2024 "thẻ căn cước").
CANCUOC_SINCE = datetime.date(2024, 7, 1)

_KINDS: dict[str, str] = {
    "cccd2021": QT_TRANSLATE_NOOP("Document", "Citizen ID card (CCCD, 2021)"),
    "cancuoc2024": QT_TRANSLATE_NOOP("Document", "Identity card (thẻ căn cước, 2024)"),
    "passport": QT_TRANSLATE_NOOP("Document", "Passport"),
    "id": QT_TRANSLATE_NOOP("Document", "Identity document"),
}


def document_kind(record: Any) -> str:
    """Which document this is, as staff name it: decides how fields are labelled.

    A Vietnamese card carries DG13; its generation follows from the issue date (the 2023 law
    took effect on 1 July 2024). Without DG13 the MRZ document code decides (P: passport).
    """
    holder = getattr(record, "holder", None)
    if holder is not None:
        issue = holder.date_of_issue
        if isinstance(issue, datetime.date) and issue >= CANCUOC_SINCE:
            return "cancuoc2024"
        return "cccd2021"
    doc = getattr(record, "document", None)
    code = str(getattr(doc, "document_code", "") or "")
    if code.startswith("P"):
        return "passport"
    return "id"


def kind_label(kind: str) -> str:
    text = _KINDS.get(kind)
    return _tr(CTX_DOC, text) if text else kind


_SEX_CODES: dict[str, str] = {
    "F": QT_TRANSLATE_NOOP("Document", "Female"),
    "M": QT_TRANSLATE_NOOP("Document", "Male"),
    "X": QT_TRANSLATE_NOOP("Document", "Unspecified"),
    "<": QT_TRANSLATE_NOOP("Document", "Unspecified"),
}


def sex_text(code: str) -> str:
    """An MRZ sex code (F, M, X or <) in words; DG13 text ("Nam", "Nữ") is kept as printed."""
    text = _SEX_CODES.get(code.strip().upper() or "<")
    return _tr(CTX_DOC, text) if text else code


#: ICAO 9303-3 codes staff meet most; others are shown as the code itself.
_COUNTRIES: dict[str, str] = {
    "VNM": QT_TRANSLATE_NOOP("Document", "Viet Nam"),
    "UTO": QT_TRANSLATE_NOOP("Document", "Utopia, ICAO specimen"),
    "CHN": QT_TRANSLATE_NOOP("Document", "China"),
    "KOR": QT_TRANSLATE_NOOP("Document", "Republic of Korea"),
    "JPN": QT_TRANSLATE_NOOP("Document", "Japan"),
    "USA": QT_TRANSLATE_NOOP("Document", "United States"),
    "FRA": QT_TRANSLATE_NOOP("Document", "France"),
    "D": QT_TRANSLATE_NOOP("Document", "Germany"),
    "GBR": QT_TRANSLATE_NOOP("Document", "United Kingdom"),
    "AUS": QT_TRANSLATE_NOOP("Document", "Australia"),
    "LAO": QT_TRANSLATE_NOOP("Document", "Laos"),
    "KHM": QT_TRANSLATE_NOOP("Document", "Cambodia"),
    "THA": QT_TRANSLATE_NOOP("Document", "Thailand"),
    "SGP": QT_TRANSLATE_NOOP("Document", "Singapore"),
    "RUS": QT_TRANSLATE_NOOP("Document", "Russian Federation"),
}


def country_text(code: str) -> str:
    key = code.strip().strip("<")
    text = _COUNTRIES.get(key)
    return f"{_tr(CTX_DOC, text)} ({key})" if text else code


# ============================================================ check reasons in words

CTX_REASON = "Reason"

#: Reasons by the library's stable code (``Check.code`` = "<check>.<reason>"), one template per
#: code ``cccd_reader.verify`` can emit (tests/desktop/test_reason_codes.py derives that list
#: from its source). ``{name}`` is filled from ``Check.params``; a template whose parameter is
#: missing, and a code added later, fall back to the check family + status table below, and
#: that to a generic sentence: never to English.
REASONS_BY_CODE: dict[str, str] = {
    "sod_parse.parsed": QT_TRANSLATE_NOOP(
        "Reason", "The chip's security object (EF.SOD) is readable."),
    "sod_parse.missing": QT_TRANSLATE_NOOP(
        "Reason", "The chip's security object (EF.SOD) was not read: nothing on the "
        "chip can be proven."),
    "sod_parse.malformed": QT_TRANSLATE_NOOP(
        "Reason", "The chip's security object (EF.SOD) is damaged or cut short: "
        "nothing on the chip can be proven."),
    "sod_signature.valid": QT_TRANSLATE_NOOP(
        "Reason", "The digital signature over the chip's data is correct."),
    "sod_signature.invalid": QT_TRANSLATE_NOOP(
        "Reason", "The digital signature does not match the chip's data: the data or "
        "the signature was altered."),
    "sod_signature.no_dsc": QT_TRANSLATE_NOOP(
        "Reason", "The signature could not be checked: the chip carries no signer "
        "certificate and none is pinned."),
    "sod_signature.no_matching_dsc": QT_TRANSLATE_NOOP(
        "Reason", "The signer certificate on the chip is not the one that signed: the "
        "security object is inconsistent."),
    "sod_signature.unsupported_algorithm": QT_TRANSLATE_NOOP(
        "Reason", "The signature uses an algorithm this program cannot check."),
    "sod_signature.econtent_type": QT_TRANSLATE_NOOP(
        "Reason", "The security object holds content of an unknown type ({oid})."),
    "sod_signature.no_signed_attributes": QT_TRANSLATE_NOOP(
        "Reason", "The signature lacks the signed attributes ICAO requires."),
    "sod_signature.content_type_attribute": QT_TRANSLATE_NOOP(
        "Reason", "The signed attributes name content other than what was signed."),
    "sod_signature.message_digest": QT_TRANSLATE_NOOP(
        "Reason", "The signed digest ({hash}) does not match the security object's "
        "content: it was altered."),
    "sod_signature.no_sod": QT_TRANSLATE_NOOP(
        "Reason", "Not checked: the security object is missing or damaged."),
    "dsc_chain.csca": QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate was issued by a trusted authority (CSCA "
        "of {country})."),
    "dsc_chain.chained": QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate chains to a trusted authority."),
    "dsc_chain.pinned": QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate is pinned in this computer's trust "
        "settings (confirmed by your organisation)."),
    "dsc_chain.invalid": QT_TRANSLATE_NOOP(
        "Reason", "The signer is not trusted: its certificate does not chain to a "
        "trusted CSCA of {country}."),
    "dsc_chain.no_anchor": QT_TRANSLATE_NOOP(
        "Reason", "No trusted root certificate (CSCA) of the issuing country is "
        "installed."),
    "dsc_chain.link_anchor": QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate was issued by a link certificate of "
        "{country} that this computer trusts on its own ({file}); the older root it "
        "names is not installed."),
    "dsc_chain.signature_invalid": QT_TRANSLATE_NOOP(
        "Reason", "Forged signer certificate: it names the key of a trusted CSCA of "
        "{country}, but that key did not sign it."),
    "dsc_chain.unsupported_algorithm": QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate uses a signature algorithm this program "
        "cannot check."),
    "dsc_chain.key_not_trusted": QT_TRANSLATE_NOOP(
        "Reason", "The CSCA key {key_id} of {country} that issued the signer is not "
        "installed: add that CSCA (or its link certificate) to the trust settings."),
    "dsc_chain.issuer_unusable": QT_TRANSLATE_NOOP(
        "Reason", "The signer was signed by a trusted CSCA key of {country}, but that "
        "CSCA certificate cannot issue signers ({problems}): the trust material needs "
        "fixing; the card is not shown to be forged."),
    "dsc_chain.link_refused": QT_TRANSLATE_NOOP(
        "Reason", "The signer was issued by a link certificate that was refused "
        "({file}): it does not verify with the CSCA it names."),
    "dsc_chain.no_dsc": QT_TRANSLATE_NOOP(
        "Reason", "Not checked: no signer certificate."),
    "dsc_chain.no_sod": QT_TRANSLATE_NOOP(
        "Reason", "Not checked: the security object is missing or damaged."),
    "dsc_validity.valid": QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate ({not_before} – {not_after}) was valid at "
        "signing."),
    "dsc_validity.valid_now": QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate ({not_before} – {not_after}) is valid "
        "today (the chip does not say when it was signed)."),
    "dsc_validity.expired_at_signing": QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate ({not_before} – {not_after}) was not "
        "valid when the document was signed."),
    "dsc_validity.key_usage_period": QT_TRANSLATE_NOOP(
        "Reason", "The signer's key was outside its permitted signing period when the "
        "document was signed."),
    "dsc_validity.no_reference_time": QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate ({not_before} – {not_after}) is not valid "
        "today and the chip does not say when it was signed: not proven."),
    "dsc_validity.no_dsc": QT_TRANSLATE_NOOP(
        "Reason", "Not checked: no signer certificate."),
    "dsc_validity.no_sod": QT_TRANSLATE_NOOP(
        "Reason", "Not checked: the security object is missing or damaged."),
    "csca_validity.valid": QT_TRANSLATE_NOOP(
        "Reason", "The root certificate (CSCA, {not_before} – {not_after}) was valid at "
        "signing."),
    "csca_validity.valid_now": QT_TRANSLATE_NOOP(
        "Reason", "The root certificate (CSCA, {not_before} – {not_after}) is valid "
        "today."),
    "csca_validity.expired_at_signing": QT_TRANSLATE_NOOP(
        "Reason", "The root certificate (CSCA, {not_before} – {not_after}) was not "
        "valid when the document was signed."),
    "csca_validity.key_usage_period": QT_TRANSLATE_NOOP(
        "Reason", "The root certificate's key was outside its permitted signing "
        "period."),
    "csca_validity.no_reference_time": QT_TRANSLATE_NOOP(
        "Reason", "The root certificate (CSCA, {not_before} – {not_after}) is not "
        "valid today and the chip does not say when it was signed: not "
        "proven."),
    "csca_validity.pinned": QT_TRANSLATE_NOOP(
        "Reason", "Not applicable: the signer is pinned, no root certificate is "
        "involved."),
    "csca_validity.no_csca": QT_TRANSLATE_NOOP(
        "Reason", "Not checked: no trusted root certificate (CSCA)."),
    "csca_validity.no_dsc": QT_TRANSLATE_NOOP(
        "Reason", "Not checked: no signer certificate."),
    "csca_validity.no_sod": QT_TRANSLATE_NOOP(
        "Reason", "Not checked: the security object is missing or damaged."),
    "crl.not_revoked": QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate is not on the authority's current "
        "revocation list (CRL)."),
    "crl.revoked": QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate has been revoked by the issuing "
        "authority."),
    "crl.no_current_crl": QT_TRANSLATE_NOOP(
        "Reason", "Revocation not checked: no current CRL."),
    "crl.no_csca": QT_TRANSLATE_NOOP(
        "Reason", "Revocation not checked: no trusted root certificate (CSCA) to "
        "verify a CRL with."),
    "crl.pinned_no_csca": QT_TRANSLATE_NOOP(
        "Reason", "Revocation not checked: the signer is pinned and no CSCA of its "
        "issuer is installed to verify a CRL."),
    "crl.no_dsc": QT_TRANSLATE_NOOP(
        "Reason", "Revocation not checked: no signer certificate."),
    "crl.no_sod": QT_TRANSLATE_NOOP(
        "Reason", "Revocation not checked: the security object is missing or damaged."),
    "country_binding.match": QT_TRANSLATE_NOOP(
        "Reason", "The signer's country ({country}) is the document's issuing state "
        "({issuing_state})."),
    "country_binding.state_mismatch": QT_TRANSLATE_NOOP(
        "Reason", "The signer's country ({country}) is not the document's issuing "
        "state ({issuing_state}): signed by another country's authority."),
    "country_binding.dsc_no_country": QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate names no country."),
    "country_binding.unmapped_country": QT_TRANSLATE_NOOP(
        "Reason", "The issuing state {issuing_state} cannot be matched with the "
        "country of a certificate."),
    "country_binding.dg13_nationality": QT_TRANSLATE_NOOP(
        "Reason", "The Vietnamese card data (DG13) names a nationality other than "
        "Việt Nam."),
    "country_binding.dg13_foreign_signer": QT_TRANSLATE_NOOP(
        "Reason", "The MRZ cannot be read, but the signed Vietnamese card data says "
        "Việt Nam while the signer is of {country}: another state cannot sign a Vietnamese "
        "card."),
    "country_binding.dg1_dg13_state": QT_TRANSLATE_NOOP(
        "Reason", "The machine-readable zone's state or nationality ({issuing_state}) "
        "disagrees with the card's nationality Việt Nam."),
    "country_binding.no_dsc": QT_TRANSLATE_NOOP(
        "Reason", "Not checked: no signer certificate."),
    "country_binding.no_mrz": QT_TRANSLATE_NOOP(
        "Reason", "Not checked: the machine-readable zone (DG1) was not read or "
        "cannot be read."),
    "country_binding.no_sod": QT_TRANSLATE_NOOP(
        "Reason", "Not checked: the security object is missing or damaged."),
    "dg_hash.match": QT_TRANSLATE_NOOP(
        "Reason", "{dg} matches what the issuer signed."),
    "dg_hash.mismatch": QT_TRANSLATE_NOOP(
        "Reason", "{dg} was changed after the issuer signed it."),
    "dg_hash.not_in_sod": QT_TRANSLATE_NOOP(
        "Reason", "{dg} is on the chip but the issuer did not sign it."),
    "dg_hash.not_read": QT_TRANSLATE_NOOP(
        "Reason", "{dg} is signed but was not read: not compared."),
    "dg_hash.eac_protected": QT_TRANSLATE_NOOP(
        "Reason", "{dg} is protected (for authorities only) and was not read: not "
        "needed."),
    "dg_hash.no_sod": QT_TRANSLATE_NOOP(
        "Reason", "{dg}: not compared, the security object is missing or damaged."),
    "mandatory_dgs.present": QT_TRANSLATE_NOOP(
        "Reason", "The required data (DG1 and the photo DG2) is signed, read and "
        "readable."),
    "mandatory_dgs.not_in_sod": QT_TRANSLATE_NOOP(
        "Reason", "The issuer did not sign {dgs}, which every chip must carry."),
    "mandatory_dgs.not_read": QT_TRANSLATE_NOOP(
        "Reason", "{dgs} was not read: the document cannot be verified."),
    "mandatory_dgs.unparsed": QT_TRANSLATE_NOOP(
        "Reason", "{dgs} cannot be read: nothing in it is proven."),
    "mandatory_dgs.no_sod": QT_TRANSLATE_NOOP(
        "Reason", "Not checked: the security object is missing or damaged."),
    "mrz_check_digits.valid": QT_TRANSLATE_NOOP(
        "Reason", "Every check digit of the machine-readable zone is right."),
    "mrz_check_digits.wrong": QT_TRANSLATE_NOOP(
        "Reason", "The signed machine-readable zone has {count} wrong check digit(s)."),
    "mrz_check_digits.no_dg1": QT_TRANSLATE_NOOP(
        "Reason", "Not checked: the machine-readable zone (DG1) was not read."),
    "mrz_check_digits.unparsed": QT_TRANSLATE_NOOP(
        "Reason", "Not checked: the machine-readable zone (DG1) cannot be read."),
    "card_security.valid": QT_TRANSLATE_NOOP(
        "Reason", "The chip's security file (EF.CardSecurity) is signed by a trusted "
        "signer."),
    "card_security.malformed": QT_TRANSLATE_NOOP(
        "Reason", "The chip's security file (EF.CardSecurity) is damaged."),
    "card_security.attributes": QT_TRANSLATE_NOOP(
        "Reason", "The chip's security file (EF.CardSecurity) lacks its signed "
        "attributes."),
    "card_security.message_digest": QT_TRANSLATE_NOOP(
        "Reason", "The chip's security file (EF.CardSecurity) was altered after it "
        "was signed."),
    "card_security.no_dsc": QT_TRANSLATE_NOOP(
        "Reason", "The chip's security file (EF.CardSecurity): its signer certificate "
        "is missing."),
    "card_security.invalid": QT_TRANSLATE_NOOP(
        "Reason", "The signature of the chip's security file (EF.CardSecurity) is "
        "wrong."),
    "card_security.unsupported_algorithm": QT_TRANSLATE_NOOP(
        "Reason", "The chip's security file (EF.CardSecurity) uses an algorithm this "
        "program cannot check."),
    "card_security.dsc_validity": QT_TRANSLATE_NOOP(
        "Reason", "The signer of the chip's security file (EF.CardSecurity) was not "
        "valid when it signed."),
    "card_security.country": QT_TRANSLATE_NOOP(
        "Reason", "The signer of the chip's security file (EF.CardSecurity) is from "
        "another country than the document."),
    "card_security.no_anchor": QT_TRANSLATE_NOOP(
        "Reason", "The chip's security file (EF.CardSecurity): who signed it is not "
        "proven, no trusted root certificate (CSCA) is installed."),
    "card_security.chain": QT_TRANSLATE_NOOP(
        "Reason", "The signer of the chip's security file (EF.CardSecurity) is not "
        "trusted."),
    "card_security.revoked": QT_TRANSLATE_NOOP(
        "Reason", "The signer of the chip's security file (EF.CardSecurity) has been "
        "revoked."),
    "dg1_dg13_consistency.agree": QT_TRANSLATE_NOOP(
        "Reason", "The machine-readable zone and the personal data agree."),
    "dg1_dg13_consistency.disagree": QT_TRANSLATE_NOOP(
        "Reason", "The machine-readable zone and the personal data disagree."),
    "active_auth.unproven_key": QT_TRANSLATE_NOOP(
        "Reason", "The anti-copy check proves nothing: its key ({dg}) is not proven "
        "to be the issuer's."),
    "chip_auth.unproven_key": QT_TRANSLATE_NOOP(
        "Reason", "The anti-copy check proves nothing: its key ({dg}) is not proven "
        "to be the issuer's."),
}

_REASONS: dict[tuple[str, str], str] = {
    ("sod_parse", "pass"): QT_TRANSLATE_NOOP("Reason", "The chip's security object is readable."),
    ("sod_parse", "fail"): QT_TRANSLATE_NOOP(
        "Reason", "The chip's security object (EF.SOD) is damaged or cut short: nothing on the "
        "chip can be proven."),
    ("sod_signature", "pass"): QT_TRANSLATE_NOOP(
        "Reason", "The digital signature over the chip's data is correct."),
    ("sod_signature", "fail"): QT_TRANSLATE_NOOP(
        "Reason", "The digital signature does not match the chip's data."),
    ("sod_signature", "skipped"): QT_TRANSLATE_NOOP(
        "Reason", "The signature could not be checked (no signer certificate on the chip)."),
    ("sod_signature", "unsupported"): QT_TRANSLATE_NOOP(
        "Reason", "The signature uses an algorithm this program cannot check."),
    ("dsc_chain", "pass"): QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate comes from a trusted issuing authority (CSCA)."),
    ("dsc_chain", "fail"): QT_TRANSLATE_NOOP(
        "Reason", "The signer is not trusted: its certificate does not chain to a trusted CSCA."),
    ("dsc_chain", "skipped"): QT_TRANSLATE_NOOP(
        "Reason", "Who signed is not proven: no trusted root certificate (CSCA) for this "
        "country is installed."),
    ("dsc_chain", "unsupported"): QT_TRANSLATE_NOOP(
        "Reason", "The certificate chain uses features this program cannot check."),
    ("dsc_validity", "pass"): QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate was valid when the card was signed."),
    ("dsc_validity", "fail"): QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate was expired or not yet valid when the card was "
        "signed."),
    ("dsc_validity", "skipped"): QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate dates could not be checked."),
    ("csca_validity", "pass"): QT_TRANSLATE_NOOP(
        "Reason", "The root certificate (CSCA) was valid at signing time."),
    ("csca_validity", "fail"): QT_TRANSLATE_NOOP(
        "Reason", "The root certificate (CSCA) was expired or not yet valid at signing time."),
    ("csca_validity", "skipped"): QT_TRANSLATE_NOOP(
        "Reason", "Not checked: no trusted root certificate (CSCA)."),
    ("crl", "pass"): QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate is not on the revocation list."),
    ("crl", "fail"): QT_TRANSLATE_NOOP(
        "Reason", "The signer's certificate has been revoked by the issuing authority."),
    ("crl", "skipped"): QT_TRANSLATE_NOOP(
        "Reason", "Revocation not checked: no revocation list (CRL) for this issuer."),
    ("dg_hash", "pass"): QT_TRANSLATE_NOOP(
        "Reason", "This data matches what the issuer signed."),
    ("dg_hash", "fail"): QT_TRANSLATE_NOOP(
        "Reason", "This data was changed after the issuer signed it."),
    ("dg_hash", "skipped"): QT_TRANSLATE_NOOP(
        "Reason", "Not compared: the chip's security object is missing or unreadable."),
    ("dg1_dg13_consistency", "pass"): QT_TRANSLATE_NOOP(
        "Reason", "The machine-readable zone and the personal data agree."),
    ("dg1_dg13_consistency", "fail"): QT_TRANSLATE_NOOP(
        "Reason", "The machine-readable zone and the personal data disagree."),
    ("dg1_dg13_consistency", "skipped"): QT_TRANSLATE_NOOP(
        "Reason", "Not compared: one of the two is missing."),
    ("active_auth", "pass"): QT_TRANSLATE_NOOP(
        "Reason", "The chip proved it holds its secret key: it is not a copy."),
    ("active_auth", "fail"): QT_TRANSLATE_NOOP(
        "Reason", "The chip failed to prove its secret key: it may be a copy."),
    ("active_auth", "skipped"): QT_TRANSLATE_NOOP("Reason", "Not run on this chip."),
    ("active_auth", "unsupported"): QT_TRANSLATE_NOOP(
        "Reason", "This chip's anti-copy method is not supported here."),
    ("chip_auth", "pass"): QT_TRANSLATE_NOOP(
        "Reason", "The chip proved it holds its secret key: it is not a copy."),
    ("chip_auth", "fail"): QT_TRANSLATE_NOOP(
        "Reason", "The chip failed to prove its secret key: it may be a copy."),
    ("chip_auth", "skipped"): QT_TRANSLATE_NOOP("Reason", "Not run on this chip."),
    ("chip_auth", "unsupported"): QT_TRANSLATE_NOOP(
        "Reason", "This chip's anti-copy method is not supported here."),
    ("clone_detection", "skipped"): QT_TRANSLATE_NOOP(
        "Reason", "This chip offers no anti-copy check: a copied chip cannot be told apart."),
    ("qr", "pass"): QT_TRANSLATE_NOOP("Reason", "The printed QR code and the chip agree."),
    ("qr", "fail"): QT_TRANSLATE_NOOP("Reason", "The printed QR code and the chip disagree."),
    ("qr", "skipped"): QT_TRANSLATE_NOOP("Reason", "Not compared."),
}
#: DG1/DG13 field comparisons shown under the consistency check.
_SUB_REASONS: dict[str, str] = {
    "pass": QT_TRANSLATE_NOOP("Reason", "Same value in both."),
    "fail": QT_TRANSLATE_NOOP("Reason", "Different values."),
    "skipped": QT_TRANSLATE_NOOP("Reason", "Not compared."),
    "unsupported": QT_TRANSLATE_NOOP("Reason", "Cannot be compared."),
}
_GENERIC_REASON = QT_TRANSLATE_NOOP("Reason", "Check “%1”: %2.")


def check_family(name: str) -> str:
    return name.split(":", 1)[0]


#: Appended when a CRL check that is normally a note is made a condition by the settings.
_CRL_REQUIRED = QT_TRANSLATE_NOOP("Reason", "A current CRL is required by the settings.")
#: The revocation outcomes that are a note unless the settings require a current CRL.
_CRL_OPTIONAL = frozenset({"crl.no_current_crl", "crl.no_csca", "crl.pinned_no_csca"})
#: "Note" for a check that was not run and does not count (e.g. no current CRL while CRLs are
#: not required): a fact for staff, not a problem.
_NOTE = QT_TRANSLATE_NOOP("Status", "Note")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _param_text(key: str, value: str) -> str:
    """A parameter as staff read it: dates dd/mm/yyyy, a data group with what it holds."""
    day = _ISO_DAY.match(value)
    if day:
        return f"{day[3]}/{day[2]}/{day[1]}"
    if key == "dg" and value.startswith("DG"):
        desc = dg_description(value)
        return f"{value} ({desc})" if desc else value
    return value


def _fill(template: str, params: Mapping[str, str]) -> str | None:
    """``template`` with its ``{name}`` parameters filled; None when one is missing."""
    missing = False

    def one(match: re.Match[str]) -> str:
        nonlocal missing
        value = params.get(match[1], "")
        if not value:
            missing = True
        return _param_text(match[1], value)

    text = _PLACEHOLDER.sub(one, template)
    return None if missing else text


def is_note(check: Any) -> bool:
    """A check that was not run and does not count towards the verdict: shown as a note."""
    return check.status == "skipped" and not getattr(check, "required", True)


def check_reason(name: str, status: str, code: str = "", sub: bool = False,
                 params: Mapping[str, str] | None = None, required: bool = True) -> str:
    """The reason for one check in the interface language, from its stable code and
    parameters; falls back to the check family + status, then to a generic sentence."""
    text: str | None = None
    template = REASONS_BY_CODE.get(code) if code else None
    if template is not None:
        text = _fill(_tr(CTX_REASON, template), params or {})
    if text is None:
        fallback = _REASONS.get((check_family(name), status))
        if fallback is None and sub:
            fallback = _SUB_REASONS.get(status)
        if fallback is not None:
            text = _tr(CTX_REASON, fallback)
    if text is None:
        status_word = _tr(CTX_STATUS, _STATUSES[status]) if status in _STATUSES else status
        text = _tr(CTX_REASON, _GENERIC_REASON).replace("%1", check_label(name)).replace(
            "%2", status_word)
    if code in _CRL_OPTIONAL and status == "skipped" and required:
        text += " " + _tr(CTX_REASON, _CRL_REQUIRED)
    return text


def reason_for(check: Any, sub: bool = False) -> str:
    """:func:`check_reason` of a ``Check`` (or a consistency sub-check)."""
    return check_reason(check.name, check.status, getattr(check, "code", ""), sub=sub,
                        params=getattr(check, "params", None),
                        required=getattr(check, "required", True))


def note_label() -> str:
    return f"ℹ {_tr(CTX_STATUS, _NOTE)}"


# ============================================================ errors in words

CTX_ERROR = "Error"

#: What the app says about a library error, by ``CccdError.code`` (and then by class family
#: in the window); the English ``str(exc)`` stays available as the technical detail.
_ERROR_DETAILS: dict[str, str] = {
    "access_denied": QT_TRANSLATE_NOOP("Error", "The chip refused the access key."),
    "protocol_not_supported": QT_TRANSLATE_NOOP(
        "Error", "The chip does not accept this kind of key."),
    "card_removed": QT_TRANSLATE_NOOP("Error", "The card left the reader."),
    "reader_not_found": QT_TRANSLATE_NOOP("Error", "The reader is no longer connected."),
    "timeout": QT_TRANSLATE_NOOP("Error", "The card stopped answering."),
    "transport": QT_TRANSLATE_NOOP("Error", "Communication with the reader failed."),
    "secure_messaging": QT_TRANSLATE_NOOP(
        "Error", "The encrypted channel with the chip was broken."),
    "read_incomplete": QT_TRANSLATE_NOOP("Error", "The chip stopped sending a file part-way."),
    "card_status": QT_TRANSLATE_NOOP("Error", "The chip refused a command."),
    "file_not_found": QT_TRANSLATE_NOOP("Error", "A file the chip lists is missing."),
    "security_status": QT_TRANSLATE_NOOP("Error", "The chip requires rights we do not have."),
    "parse": QT_TRANSLATE_NOOP("Error", "The chip returned data that cannot be read."),
    "tlv": QT_TRANSLATE_NOOP("Error", "The chip returned data that cannot be read."),
    "lds": QT_TRANSLATE_NOOP("Error", "The chip returned data that cannot be read."),
    "mrz": QT_TRANSLATE_NOOP("Error", "The machine-readable zone is not valid."),
    "pcsc_unavailable": QT_TRANSLATE_NOOP(
        "Error", "The card reader service (pcscd) is not running or cannot be reached."),
    "reader_status": QT_TRANSLATE_NOOP("Error", "The reader service reported a problem."),
}
_ERROR_GENERIC = QT_TRANSLATE_NOOP("Error", "Unexpected error (code %1).")


def error_detail(code: str) -> str:
    text = _ERROR_DETAILS.get(code)
    return _tr(CTX_ERROR, text) if text else _tr(CTX_ERROR, _ERROR_GENERIC).replace("%1", code)


def monitor_problem_code(detail: str) -> str:
    """The reader monitor reports English text only (its events carry no code): map the
    messages it is known to send to codes, so the no-reader screen is in the UI language."""
    if "pcscd" in detail or "PC/SC is not available" in detail:
        return "pcsc_unavailable"
    return "reader_status"
