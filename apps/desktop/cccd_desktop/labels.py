"""Human names for what the library reports by identifier (fields, checks, steps, verdicts).

The tables hold English source strings marked with QT_TRANSLATE_NOOP, so pyside6-lupdate
extracts them while the lookup stays dynamic: the translation is fetched at render time, which
is what lets a language switch re-render everything without rebuilding the data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

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
    ("personal_number", QT_TRANSLATE_NOOP("Fields", "Personal number")),
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
VERDICT_SYMBOLS = {"genuine": "✔", "not_genuine": "✘", "unverified": "?", "inconsistent": "!"}
VERDICT_COLOURS = {"genuine": "#1b7f3b", "not_genuine": "#b3261e", "unverified": "#8a5a00",
                   "inconsistent": "#b35c00"}

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


def field_label(key: str) -> str:
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
