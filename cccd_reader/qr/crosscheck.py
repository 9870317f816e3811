"""Compare the card's QR with what its chip holds.

Why: the QR is printed, unsigned and easy to replace; the chip's data is signed (passive
authentication). A QR sticker on a genuine card, or a genuine QR copied onto a forged card,
shows up as a disagreement here. The chip side is DG13 (Vietnamese, NFC, with diacritics) when
it was read, else the MRZ (DG1, folded to Latin letters).

Each check is a :class:`cccd_reader.checks.Check` named ``qr:<field>`` with ``required=False``:
a card read without its QR can still be ``genuine``, but any ``fail`` here makes the verdict
``not_genuine`` (:func:`cccd_reader.verify.verdict_for`). Names are compared NFC-exact: QR and
DG13 come from the same registry record, so "Ánh" and "Anh" are different people here.
Details are short and meant for counter staff; long values (addresses) are not repeated.
"""

from __future__ import annotations

import datetime
import unicodedata
from typing import TYPE_CHECKING, Any

from cccd_reader.checks import Check
from cccd_reader.errors import MRZError
from cccd_reader.lds.dg13 import SEX_CODES
from cccd_reader.mrz import transliterate_name
from cccd_reader.qr.expiry import expiry_candidates
from cccd_reader.qr.payload import QRData

if TYPE_CHECKING:
    from cccd_reader.record import CardRecord

__all__ = ["crosscheck"]

def _nfc(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


def _dmy(value: datetime.date) -> str:
    return f"{value:%d/%m/%Y}"


def _check(field: str, status: Any, detail: str) -> Check:
    return Check(f"qr:{field}", status, detail, required=False)


def _personal_number(qr: QRData, holder: Any, mrz: Any) -> Check:
    chip = getattr(holder, "personal_number", None)
    if chip:
        if chip == qr.personal_number:
            return _check("personal_number", "pass", "QR and DG13 agree")
        return _check("personal_number", "fail", "QR and DG13 personal numbers differ")
    if mrz is not None:
        if mrz.personal_number and mrz.personal_number != qr.personal_number:
            return _check("personal_number", "fail", "QR and MRZ personal numbers differ")
        if mrz.document_number != qr.document_number:
            return _check(
                "personal_number", "fail", "MRZ document number is not the QR number's last 9"
            )
        return _check("personal_number", "pass", "QR agrees with the MRZ")
    return _check("personal_number", "skipped", "chip data has no personal number")


def _full_name(qr: QRData, holder: Any, mrz: Any) -> Check:
    if qr.full_name is None:
        return _check("full_name", "skipped", "QR has no name")
    chip = getattr(holder, "full_name", None)
    if chip:
        if _nfc(chip) == _nfc(qr.full_name):
            return _check("full_name", "pass", "QR and DG13 agree")
        if _nfc(chip).casefold() == _nfc(qr.full_name).casefold():
            return _check("full_name", "fail", "QR and DG13 names differ in letter case")
        return _check("full_name", "fail", f"QR '{qr.full_name}', DG13 '{chip}'")
    if mrz is not None:
        try:
            folded = transliterate_name(qr.full_name).split("<")
        except MRZError:
            return _check("full_name", "fail", "QR name has letters with no MRZ form")
        words = mrz.primary_identifier.split() + mrz.secondary_identifier.split()
        joined = "<".join(words)
        if folded == words or (joined and "<".join(folded).startswith(joined)):
            return _check("full_name", "pass", "QR agrees with the MRZ once diacritics are folded")
        return _check("full_name", "fail", f"QR '{qr.full_name}', MRZ '{mrz.names}'")
    return _check("full_name", "skipped", "chip data has no name")


def _date(name: str, value: datetime.date | None, chip: Any, mrz_yymmdd: str | None) -> Check:
    if value is None:
        return _check(name, "skipped", "QR has no such date")
    if isinstance(chip, datetime.date):
        if chip == value:
            return _check(name, "pass", "QR and DG13 agree")
        return _check(name, "fail", f"QR {_dmy(value)}, DG13 {_dmy(chip)}")
    if mrz_yymmdd:
        if f"{value:%y%m%d}" == mrz_yymmdd:
            return _check(name, "pass", "QR agrees with the MRZ")
        return _check(name, "fail", f"QR {_dmy(value)}, MRZ {mrz_yymmdd} (YYMMDD)")
    return _check(name, "skipped", "chip data has no such date")


def _sex(qr: QRData, holder: Any, mrz: Any) -> Check:
    if qr.sex_code is None:
        return _check("sex", "skipped", "QR has no sex field")
    chip_text = getattr(holder, "sex", None)
    if chip_text:
        chip = SEX_CODES.get(_nfc(chip_text).casefold())
        source = "DG13"
    elif mrz is not None and mrz.sex in ("M", "F"):
        chip, source = mrz.sex, "MRZ"
    else:
        return _check("sex", "skipped", "chip data has no sex field")
    if chip == qr.sex_code:
        return _check("sex", "pass", f"QR and {source} agree")
    return _check("sex", "fail", f"QR says {qr.sex}, {source} says {chip_text or chip}")


def _residence(qr: QRData, holder: Any) -> Check:
    chip = getattr(holder, "place_of_residence", None)
    if qr.place_of_residence is None or not chip:
        return _check("place_of_residence", "skipped", "QR or DG13 has no residence")
    a, b = _nfc(qr.place_of_residence), _nfc(chip)
    if a == b:
        return _check("place_of_residence", "pass", "QR and DG13 agree")
    at = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return _check("place_of_residence", "fail", f"QR and DG13 differ from character {at + 1}")


def _old_id(qr: QRData, holder: Any) -> Check:
    chip = getattr(holder, "old_id_number", None)
    if not qr.old_id_number and not chip:
        return _check("old_id_number", "skipped", "neither holds an old ID number")
    if not qr.old_id_number or not chip:
        where = "DG13" if chip else "the QR"
        return _check("old_id_number", "skipped", f"only {where} holds an old ID number")
    if qr.old_id_number == chip:
        return _check("old_id_number", "pass", "QR and DG13 agree")
    return _check("old_id_number", "fail", f"QR {qr.old_id_number}, DG13 {chip}")


def _expiry(qr: QRData, holder: Any, mrz: Any) -> Check:
    """The chip's expiry against the renewal-age rules applied to the QR's dates.

    Never ``fail``: our reading of the rules is the weaker evidence; a mismatch is reported
    as ``skipped`` with the reason so staff can look at the printed expiry.
    """
    if qr.date_of_birth is None or qr.date_of_issue is None:
        return _check("date_of_expiry", "skipped", "QR lacks birth or issue date")
    candidates = expiry_candidates(qr.date_of_birth, qr.date_of_issue)
    lifetime = bool(getattr(holder, "lifetime", False))
    chip = getattr(holder, "date_of_expiry", None)
    if lifetime or isinstance(chip, datetime.date):
        if any(
            c.lifetime == lifetime and (lifetime or c.date_of_expiry == chip) for c in candidates
        ):
            return _check("date_of_expiry", "pass", "DG13 expiry follows the renewal ages")
    elif mrz is not None:
        if any(c.mrz_yymmdd == mrz.expiry_yymmdd for c in candidates):
            return _check("date_of_expiry", "pass", "MRZ expiry follows the renewal ages")
    else:
        return _check("date_of_expiry", "skipped", "chip data has no expiry")
    return _check(
        "date_of_expiry", "skipped", "chip expiry does not follow the renewal ages we know"
    )


def crosscheck(qr: QRData, record: CardRecord) -> list[Check]:
    """QR against a :class:`~cccd_reader.record.CardRecord`, one check per field, fixed order."""
    holder = getattr(record, "holder", None)
    mrz = getattr(record, "document", None)
    issue_chip = getattr(holder, "date_of_issue", None)
    if not isinstance(issue_chip, datetime.date):
        issue_chip = getattr(getattr(record, "dg12", None), "date_of_issue", None)
    return [
        _personal_number(qr, holder, mrz),
        _full_name(qr, holder, mrz),
        _date(
            "date_of_birth",
            qr.date_of_birth,
            getattr(holder, "date_of_birth", None),
            getattr(mrz, "birth_yymmdd", None),
        ),
        _sex(qr, holder, mrz),
        _date("date_of_issue", qr.date_of_issue, issue_chip, None),
        _residence(qr, holder),
        _old_id(qr, holder),
        _expiry(qr, holder, mrz),
    ]
