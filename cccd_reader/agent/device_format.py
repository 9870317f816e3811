"""The payloads of the reader device hospital software already speaks: pure functions from a
read to the Socket.IO ``/event`` messages and to the companion app's webhook object.

Hospital information systems (HIS) were written against a desktop CCCD reader device (a
Socket.IO server: ``/event`` with ``id`` 1 new card, 2 text fields, 3 error, 4 photo and raw
files, 5 verification material, 7 an Active Authentication answer) and its companion Windows
app (one JSON POST per card, snake_case fields). Field names here are theirs, exactly, so such
a HIS only changes a URL. Values are as the card holds them: DG13's text (``Nam``/``Nữ``,
``Việt Nam``), dates ``dd/mm/yyyy``, a lifetime card's expiry as DG13 says it.

What we add goes under keys old clients ignore: ``verification`` (verdict and check codes) on
the text and error events. No function here logs anything or keeps anything.
"""

from __future__ import annotations

import base64
import datetime
from collections.abc import Mapping
from typing import Any

from cccd_reader.record import CardRecord, Photo

#: The one event the device emits; everything is told apart by its ``id``.
EVENT = "/event"

NEW_CARD = 1
CARD_TEXT = 2
ERROR = 3
RAW_FILES = 4
VERIFICATION = 5
DEVICE_INFO = 6
ACTIVE_AUTH = 7

#: Raw files of the id 4 event: the device's key -> our file name.
RAW_FILE_KEYS: Mapping[str, str] = {
    "dg1": "DG1", "dg2": "DG2", "dg13": "DG13", "dg14": "DG14", "dg15": "DG15", "sod": "EF.SOD",
}
#: The portrait is transcoded only within these bounds (a chip portrait is ~ 480x640, < 30 KB):
#: a hostile DG2 cannot make the agent decode a huge image.
MAX_PORTRAIT_BYTES = 512 * 1024
MAX_PORTRAIT_DIMENSION = 2048
JPEG_QUALITY = 90

#: id 3 messages, by stable code: Vietnamese first (the HIS shows ``message`` to the clerk),
#: never personal data. ``code`` travels beside ``message`` for programs.
ERROR_MESSAGES: Mapping[str, str] = {
    "key_needed": "Cần số định danh cá nhân (12 số) để đọc thẻ: gửi /input_data",
    "not_genuine": "Thẻ không hợp lệ",
    "access_denied": "Khóa truy cập không đúng với thẻ: kiểm tra số định danh và đặt lại thẻ",
    "card_removed": "Thẻ đã rời đầu đọc trước khi đọc xong",
    "no_card": "Không có thẻ trên đầu đọc",
    "busy": "Đầu đọc đang bận đọc thẻ khác",
    "bad_request": "Yêu cầu không hợp lệ",
    "bad_key": "Số định danh hoặc ngày tháng không hợp lệ",
    "no_reader": "Không tìm thấy đầu đọc thẻ",
    "no_tap": "Chưa đọc thẻ nào trên đầu đọc: đặt thẻ và gửi /input_data trước",
    "read_failed": "Không đọc được thẻ",
}


def error_event(code: str, *, verification: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``{"id": 3, "message", "code"}`` (plus ``verification`` for a refused card)."""
    event: dict[str, Any] = {"id": ERROR, "message": ERROR_MESSAGES.get(code,
                                                                        ERROR_MESSAGES["read_failed"]),
                             "code": code}
    if verification is not None:
        event["verification"] = dict(verification)
    return event


def new_card_event() -> dict[str, Any]:
    return {"id": NEW_CARD, "message": "new card!"}


def verification_summary(record: CardRecord) -> dict[str, Any]:
    """The verdict and each check's name, status and stable code (no details, no values)."""
    v = record.verification
    if v is None:
        return {"verdict": None, "checks": []}
    return {"verdict": v.verdict,
            "checks": [{"name": c.name, "status": c.status, "code": c.code} for c in v.checks]}


def card_date(value: datetime.date | str | None) -> str:
    """``dd/mm/yyyy`` for a date, the card's own text otherwise (``Không thời hạn``)."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value


def _text(value: str | None) -> str:
    return value or ""


def card_text(record: CardRecord) -> dict[str, str]:
    """The id 2 ``data``: DG13's fields under the device's names, every value a string.

    A card without DG13 (a passport) fills what its MRZ gives (number, name, dates)."""
    dg13 = record.dg13
    if dg13 is None:
        mrz = record.mrz
        fields = dict.fromkeys(CARD_TEXT_KEYS, "")
        if mrz is not None:
            fields.update(idCode=mrz.document_number, personName=" ".join(
                p for p in (mrz.primary_identifier, mrz.secondary_identifier) if p),
                dateOfBirth=card_date(mrz.date_of_birth), expiryDate=card_date(
                    mrz.date_of_expiry), nationality=mrz.nationality)
        return fields
    fields = {
        "idCode": _text(dg13.personal_number),
        "oldIdCode": _text(dg13.old_id_number),
        "personName": _text(dg13.full_name),
        "dateOfBirth": card_date(dg13.date_of_birth),
        "gender": _text(dg13.sex),
        "nationality": _text(dg13.nationality),
        "race": _text(dg13.ethnicity),
        "religion": _text(dg13.religion),
        "originPlace": _text(dg13.place_of_origin),
        "residencePlace": _text(dg13.place_of_residence),
        "personalIdentification": _text(dg13.identifying_features),
        "issueDate": card_date(dg13.date_of_issue),
        "expiryDate": card_date(dg13.date_of_expiry),
        "fatherName": _text(dg13.father_name),
        "motherName": _text(dg13.mother_name),
        "wifeName": _text(dg13.spouse_name),
    }
    fields["qr"] = qr_text(fields)
    return fields


CARD_TEXT_KEYS = (
    "idCode", "oldIdCode", "personName", "dateOfBirth", "gender", "nationality", "race",
    "religion", "originPlace", "residencePlace", "personalIdentification", "issueDate",
    "expiryDate", "fatherName", "motherName", "wifeName", "qr",
)


def qr_text(fields: Mapping[str, str]) -> str:
    """The ``qr`` field: what the card's printed QR code holds (number|old number|name|
    ddmmyyyy|sex|address|issue ddmmyyyy), composed from the chip's DG13: the device scans the
    printed code, the agent has only the chip."""
    def compact(date: str) -> str:
        parts = date.split("/")
        return "".join(parts) if len(parts) == 3 and all(p.isdigit() for p in parts) else date

    return "|".join([fields["idCode"], fields["oldIdCode"], fields["personName"],
                     compact(fields["dateOfBirth"]), fields["gender"], fields["residencePlace"],
                     compact(fields["issueDate"])])


def portrait_jpeg(photo: Photo | None) -> bytes | None:
    """The portrait as JPEG: as stored when it is JPEG, JPEG 2000 re-encoded with OpenCV
    (within :data:`MAX_PORTRAIT_BYTES` and :data:`MAX_PORTRAIT_DIMENSION`); None when there is
    no portrait or it cannot be decoded here."""
    if photo is None:
        return None
    if photo.mime == "image/jpeg":
        return photo.data
    if photo.mime not in ("image/jp2", "image/j2c"):
        return None
    from cccd_reader.lds.dg2 import decode_image

    decoded = decode_image(photo.data, max_bytes=MAX_PORTRAIT_BYTES,
                           max_dimension=MAX_PORTRAIT_DIMENSION)
    if decoded.status != "ok" or decoded.pixels is None:
        return None
    try:
        import cv2

        ok, jpeg = cv2.imencode(".jpg", decoded.pixels, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    except Exception:  # ImportError, cv2.error: no JPEG rather than a crash
        return None
    return bytes(jpeg) if ok else None


def _b64(data: bytes | None) -> str:
    return base64.b64encode(data).decode("ascii") if data else ""


def raw_files(files: Mapping[str, bytes], jpeg: bytes | None) -> dict[str, str]:
    """The id 4 ``data``: ``img_data`` (the portrait as JPEG) and each raw file, base64
    (empty when the card has no such file)."""
    out = {"img_data": _b64(jpeg)}
    for key, name in RAW_FILE_KEYS.items():
        out[key] = _b64(files.get(name))
    return out


def verification_material(record: CardRecord, files: Mapping[str, bytes]) -> dict[str, Any]:
    """The id 5 ``data``: ``CA`` ("1" when chip authentication passed, else "0"), ``AA`` (our
    check of Active Authentication and DG15's key), ``PA`` (the SOD's hash of each data group,
    the document signer's certificate and the SOD, base64) for a backend that verifies again."""
    checks = {c.name: c.status for c in (record.verification.checks
                                          if record.verification else ())}
    pa: dict[str, str] = {}
    sod_bytes = files.get("EF.SOD")
    if sod_bytes:
        from cccd_reader.errors import ParseError
        from cccd_reader.lds.sod import parse_sod

        try:
            sod = parse_sod(sod_bytes)
        except ParseError:
            sod = None
        if sod is not None:
            for number, digest in sorted(sod.dg_hashes.items()):
                pa[f"hash_dg{number}"] = _b64(digest)
            pa["hash_algorithm"] = sod.hash_algorithm
            pa["cert"] = _b64(sod.certificates[0]) if sod.certificates else ""
        pa["sod"] = _b64(sod_bytes)
    dg15 = files.get("DG15")
    aa: dict[str, str] = {"status": checks.get("active_auth", "skipped")}
    if dg15:
        aa["dg15"] = _b64(dg15)
    return {"CA": "1" if checks.get("chip_auth") == "pass" else "0", "AA": aa, "PA": pa}


def device_webhook(record: CardRecord, jpeg: bytes | None) -> dict[str, Any]:
    """The companion app's webhook object (snake_case), plus ``verification``."""
    text = card_text(record)
    return {
        "id_card": text["idCode"],
        "full_name": text["personName"],
        "date_of_birth": text["dateOfBirth"],
        "gender": text["gender"],
        "nationality": text["nationality"],
        "race": text["race"],
        "religion": text["religion"],
        "place_of_origin": text["originPlace"],
        "place_of_residence": text["residencePlace"],
        "personal_identification": text["personalIdentification"],
        "date_of_issue": text["issueDate"],
        "date_of_expiry": text["expiryDate"],
        "father_name": text["fatherName"],
        "mother_name": text["motherName"],
        "wife_name": text["wifeName"],
        "old_id_card": text["oldIdCode"],
        "id_img": _b64(jpeg),
        "verification": verification_summary(record),
    }
