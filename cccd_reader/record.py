"""One typed view of a card: what the CLI, the desktop app and integrators show and export.

A :class:`CardRecord` is built from the raw files of a read (``ReadResult.files``) or of a dump
(``CardDump.files``). Building never fails because of one bad file: each data group is parsed
on its own and a malformed one becomes an entry in ``errors`` (file name -> error) while the
rest of the record is still filled in. That matters in the field, where a reader must still
show the MRZ data of a card whose DG13 uses an encoding nobody has seen yet.

``consistency`` compares the MRZ (DG1, ICAO-defined, Latin letters) with the Vietnamese DG13
(UTF-8, with diacritics). Both are covered by the same SOD, so a disagreement does not mean
forgery by itself, but it is exactly what a clerk must notice: a card personalised with
mismatched data, or a dump stitched together from two cards.

``verification`` is reserved for passive authentication (SOD signature and hashes); it stays
None until that layer fills it (:meth:`CardRecord.build` does).

Names: each concept has one name in Python and in JSON (``record.mrz`` is ``"mrz"``,
``record.additional_personal_details`` is ``"additional_personal_details"``...). The older
attribute names (``document``, ``dg11``, ``dg12``, ``dg14``, ``dg15``) remain as read-only
aliases for existing callers and are not documented.

``repr()`` of a record or a holder shows no personal data (names, numbers, dates, address), so
a stray ``logger.debug(record)`` cannot leak it; read the fields explicitly.
"""

from __future__ import annotations

import base64
import datetime
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from cccd_reader.bhyt import bhyt_fields
from cccd_reader.checks import Check, ConsistencyCheck
from cccd_reader.errors import MRZError, ParseError
from cccd_reader.lds.com import COM, parse_com
from cccd_reader.lds.dg1 import parse_dg1
from cccd_reader.lds.dg2 import DG2, DecodeStatus, check_decodable, decode_image, parse_dg2
from cccd_reader.lds.dg11 import DG11, parse_dg11
from cccd_reader.lds.dg12 import DG12, parse_dg12
from cccd_reader.lds.dg13 import DG13, SEX_CODES, DG13Field, HolderFields, parse_dg13
from cccd_reader.lds.dg15 import DG15, parse_dg15
from cccd_reader.mrz import MRZ, transliterate_name

if TYPE_CHECKING:
    from cccd_reader.lds.dg14 import DG14
    from cccd_reader.pki.trust import TrustStore
    from cccd_reader.verify import Verification

__all__ = [
    "RECORD_FORMAT", "CardRecord", "FileError", "Holder", "Photo", "mrz_json",
]

#: The ``format`` marker of :meth:`CardRecord.to_json`; the number changes only when a key
#: changes meaning or disappears (docs/integrator-guide.md lists the changes).
RECORD_FORMAT = "cccd-record/1"

#: Files that a chip lists in EF.COM but guards with terminal authentication (EAC).
_EAC_FILES = frozenset({"DG3", "DG4"})
_NAME_WIDTH = {"TD1": 30, "TD2": 31, "TD3": 39}

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that did not parse; the rest of the record is still filled in."""

    file: str
    #: Exception class name (``"LDSError"``, ``"MRZError"``...), for programs to branch on.
    type: str
    message: str


@dataclass(frozen=True, slots=True, repr=False)
class Holder(HolderFields):
    """DG13 (Vietnamese cards) under English names, text in NFC Vietnamese.

    The fields are DG13's (:class:`~cccd_reader.lds.dg13.HolderFields`, one list for both),
    plus what the record derives. ``sex`` is the card's text ("Nam" / "Nữ"), ``sex_code`` the
    ICAO code ("M" / "F", None when the text is neither). ``date_of_expiry`` is a date, or None
    with ``lifetime`` True on a lifetime card (DG13 says "Không thời hạn"): the text is not a
    date and is never exported as one. Dates of birth and issue are a date when the card holds
    a full one, else its text. ``unknown_fields`` keeps numbers whose meaning is not known
    (including 16, whose meaning is unconfirmed), keyed by field number. ``repr()`` masks
    everything (personal data).
    """

    #: Only a date: a text such as "Không thời hạn" becomes None with ``lifetime`` True.
    date_of_expiry: datetime.date | None = None
    sex_code: Literal["M", "F"] | None = None
    lifetime: bool = False
    unknown_fields: tuple[DG13Field, ...] = ()

    def __repr__(self) -> str:
        filled = sum(
            1 for f in fields(self)
            if f.name not in ("lifetime", "unknown_fields") and getattr(self, f.name) is not None
        )
        return f"Holder(<{filled} fields of personal data, masked>)"

    @classmethod
    def from_dg13(cls, dg13: DG13) -> Holder:
        unknown = list(dg13.unknown)
        if dg13.field_16 is not None:
            unknown.append(DG13Field(16, (dg13.field_16,)))
        shared = {f.name: getattr(dg13, f.name) for f in fields(HolderFields)}
        expiry = dg13.date_of_expiry
        shared["date_of_expiry"] = expiry if isinstance(expiry, datetime.date) else None
        return cls(
            **shared,
            sex_code=_sex_code(dg13.sex),
            lifetime=dg13.lifetime,
            unknown_fields=tuple(sorted(unknown, key=lambda f: f.number)),
        )


@dataclass(frozen=True, slots=True)
class Photo:
    """The portrait (DG2): its format, size, whether it decodes, and the bytes.

    ``decode_status`` ``"unavailable"`` means this installation cannot decode images; the
    detail then says what to install (``pip install "cccd-reader[qr]"``, OpenCV).
    """

    #: From the image bytes: ``image/jpeg``, ``image/jp2`` (or ``image/j2c`` for a bare
    #: codestream); None when they are neither.
    mime: str | None
    #: From the codec header when readable, else as declared in the facial record.
    width: int | None
    height: int | None
    decode_status: DecodeStatus | Literal["not_attempted"]
    decode_detail: str
    #: The image file as stored on the chip; only exported on request.
    data: bytes = field(repr=False)


@dataclass(frozen=True, repr=False)
class CardRecord:
    """The typed view of one card, from a read or a dump; ``to_json()`` is the JSON record.

    ``mrz`` (DG1) and ``holder`` (DG13) hold personal data; ``photo`` the portrait;
    ``verification`` the verdict and checks of passive authentication (None only for a
    record made with :meth:`from_files`); ``consistency`` the DG1-vs-DG13 comparison;
    ``errors`` the files that did not parse. :attr:`date_of_expiry` and :attr:`lifetime` give
    the one validity answer a backend needs. ``repr()`` masks personal data.
    """

    mrz: MRZ | None
    holder: Holder | None
    photo: Photo | None
    access: Mapping[str, Any] | None
    files: Mapping[str, int]
    errors: Mapping[str, FileError]
    protected_files: tuple[str, ...]
    missing_files: tuple[str, ...]
    consistency: tuple[ConsistencyCheck, ...]
    com: COM | None = None
    dg2: DG2 | None = field(default=None, repr=False)
    #: DG11 (passports mostly): JSON ``additional_personal_details``.
    additional_personal_details: DG11 | None = None
    #: DG12: JSON ``additional_document_details``.
    additional_document_details: DG12 | None = None
    #: DG13 as parsed (Vietnamese cards); ``holder`` is its view.
    dg13: DG13 | None = None
    #: DG14 (chip and terminal authentication options): JSON ``chip_security``.
    chip_security: DG14 | None = None
    #: DG15 (the Active Authentication public key): JSON ``active_authentication_key``.
    active_authentication_key: DG15 | None = None
    #: Passive authentication result; filled by :meth:`build` (None: not done).
    verification: Verification | None = None

    def __repr__(self) -> str:
        verdict = self.verification.verdict if self.verification is not None else None
        kind = self.mrz.document_code if self.mrz is not None else None
        return (
            f"CardRecord(document_code={kind!r}, verdict={verdict!r}, "
            f"files={sorted(self.files)}, errors={sorted(self.errors)}, "
            f"personal data masked)"
        )

    # ------------------------------------------------------------------ aliases (old names)

    @property
    def document(self) -> MRZ | None:
        """Former name of :attr:`mrz`."""
        return self.mrz

    @property
    def dg11(self) -> DG11 | None:
        """Former name of :attr:`additional_personal_details`."""
        return self.additional_personal_details

    @property
    def dg12(self) -> DG12 | None:
        """Former name of :attr:`additional_document_details`."""
        return self.additional_document_details

    @property
    def dg14(self) -> DG14 | None:
        """Former name of :attr:`chip_security`."""
        return self.chip_security

    @property
    def dg15(self) -> DG15 | None:
        """Former name of :attr:`active_authentication_key`."""
        return self.active_authentication_key

    # ------------------------------------------------------------------ validity

    @property
    def lifetime(self) -> bool:
        """True for a lifetime card (DG13 says it never expires)."""
        return self.holder is not None and self.holder.lifetime

    @property
    def date_of_expiry(self) -> datetime.date | None:
        """The document's expiry: DG13's date, else the MRZ's; None for a lifetime card.

        A lifetime card's MRZ still carries a placeholder (991231 on our samples, read as
        1999-12-31): it is never returned here nor exported as a date.
        """
        if self.lifetime:
            return None
        if self.holder is not None and self.holder.date_of_expiry is not None:
            return self.holder.date_of_expiry
        return self.mrz.date_of_expiry if self.mrz is not None else None

    @property
    def verdict(self) -> str | None:
        """``verification.verdict``, or None when verification was not run."""
        return self.verification.verdict if self.verification is not None else None

    # ------------------------------------------------------------------ building

    @classmethod
    def from_files(
        cls,
        files: Mapping[str, bytes],
        *,
        access: object = None,
        protected: Iterable[str] = (),
        missing: Iterable[str] = (),
        decode_photo: bool = True,
    ) -> CardRecord:
        """Build a record; never raises for malformed card data (see ``errors``).

        ``access`` is a :class:`~cccd_reader.session.AccessInfo` (or a mapping with the same
        keys) describing how the chip was opened; never pass MRZ or CAN text here, it would end
        up in exports. ``decode_photo=False`` skips the OpenCV decode (status
        ``not_attempted``) while still checking the image header.
        """
        errors: dict[str, FileError] = {}

        def attempt(name: str, parser: Callable[[bytes], T]) -> T | None:
            data = files.get(name)
            if data is None:
                return None
            try:
                return parser(data)
            except ParseError as exc:
                errors[name] = FileError(name, type(exc).__name__, str(exc))
                return None

        com = attempt("EF.COM", parse_com)
        document = attempt("DG1", lambda b: parse_dg1(b, strict=False))
        dg2 = attempt("DG2", parse_dg2)
        dg11 = attempt("DG11", parse_dg11)
        dg12 = attempt("DG12", parse_dg12)
        dg13 = attempt("DG13", parse_dg13)
        dg14 = attempt("DG14", _parse_dg14)
        dg15 = attempt("DG15", parse_dg15)

        photo = _photo(dg2, decode_photo) if dg2 is not None else None
        holder = Holder.from_dg13(dg13) if dg13 is not None else None
        checks = consistency_checks(document, dg13) if document and dg13 else ()
        prot, miss = _absent_files(com, files, protected, missing)
        return cls(
            mrz=document,
            holder=holder,
            photo=photo,
            access=_access(access),
            files={name: len(data) for name, data in files.items()},
            errors=errors,
            protected_files=prot,
            missing_files=miss,
            consistency=checks,
            com=com,
            dg2=dg2,
            additional_personal_details=dg11,
            additional_document_details=dg12,
            dg13=dg13,
            chip_security=dg14,
            active_authentication_key=dg15,
        )

    @classmethod
    def build(
        cls,
        files: Mapping[str, bytes],
        *,
        trust: TrustStore | None = None,
        access: object = None,
        protected: Iterable[str] = (),
        missing: Iterable[str] = (),
        decode_photo: bool = True,
        now: datetime.datetime | None = None,
        extra_checks: Iterable[Check] = (),
    ) -> CardRecord:
        """The record plus passive authentication of the same bytes, as the CLI and app show it.

        ``trust`` is a :class:`~cccd_reader.pki.trust.TrustStore` or None (then the verdict is
        at best ``unverified``). The document's issue date (DG13, else DG12) stands in for a
        SOD without signingTime; a DG1/DG13 disagreement turns the verdict ``inconsistent``.
        ``extra_checks`` (:class:`~cccd_reader.checks.Check`) join the verdict, e.g. the
        clone-detection checks of ``ReadResult.chip_checks``.
        """
        from cccd_reader.verify import ParsedFiles, verify

        record = cls.from_files(
            files, access=access, protected=protected, missing=missing, decode_photo=decode_photo
        )
        issue: Any = record.holder.date_of_issue if record.holder is not None else None
        if not isinstance(issue, datetime.date) and record.additional_document_details is not None:
            issue = record.additional_document_details.date_of_issue
        consistent = record.consistent
        verification = verify(
            files,
            trust,
            document_issue_date=issue if isinstance(issue, datetime.date) else None,
            now=now,
            consistency_failed=None if consistent is None else not consistent,
            extra_checks=tuple(extra_checks),
            parsed=ParsedFiles(record.document, record.dg2, record.dg13),
        )
        return replace(record, verification=verification)

    # ------------------------------------------------------------------ export

    @property
    def consistent(self) -> bool | None:
        """False if any check failed, True if some passed and none failed, None if none ran."""
        if any(c.status == "fail" for c in self.consistency):
            return False
        return True if any(c.status == "pass" for c in self.consistency) else None

    def to_json(self, include_photo: bool = False) -> dict[str, Any]:
        """A JSON-ready dict with a stable layout (every key always present, None when unknown).

        Personal data is included (this is the card's content); the portrait bytes only with
        ``include_photo``, base64-encoded.
        """
        photo: dict[str, Any] | None = None
        if self.photo is not None:
            photo = {
                "mime": self.photo.mime,
                "width": self.photo.width,
                "height": self.photo.height,
                "decode": {"status": self.photo.decode_status, "detail": self.photo.decode_detail},
                "size": len(self.photo.data),
            }
            if include_photo:
                photo["data_base64"] = base64.b64encode(self.photo.data).decode("ascii")
        mrz = mrz_json(self.mrz) if self.mrz else None
        if mrz is not None and self.lifetime:
            mrz["date_of_expiry"] = None  # a placeholder, not a date (see date_of_expiry)
        return {
            "format": RECORD_FORMAT,
            "mrz": mrz,
            "holder": _holder_json(self.holder) if self.holder else None,
            "bhyt": bhyt_fields(self.holder),
            "photo": photo,
            "consistency": [
                {"name": c.name, "status": c.status, "detail": c.detail, "values": dict(c.values)}
                for c in self.consistency
            ],
            "access": dict(self.access) if self.access is not None else None,
            "files": dict(self.files),
            "protected_files": list(self.protected_files),
            "missing_files": list(self.missing_files),
            "errors": {
                name: {"type": e.type, "message": e.message} for name, e in self.errors.items()
            },
            "lds": _com_json(self.com),
            "additional_personal_details": _dg11_json(self.additional_personal_details),
            "additional_document_details": _dg12_json(self.additional_document_details),
            "active_authentication_key": _dg15_json(self.active_authentication_key),
            "chip_security": _dg14_json(self.chip_security),
            "verification": (
                self.verification.to_json() if self.verification is not None else None
            ),
        }


# --- pieces ----------------------------------------------------------------------------------


def _parse_dg14(data: bytes) -> DG14:
    # Imported here: DG14 parsing depends on the SecurityInfos module, which a DG14-less card
    # (most passports) never needs.
    from cccd_reader.lds.dg14 import parse_dg14

    return parse_dg14(data)


def _access(access: object) -> Mapping[str, Any] | None:
    if access is None:
        return None
    if isinstance(access, Mapping):
        return dict(access)
    keys = ("protocol", "cipher", "password", "mapping", "curve")
    return {k: getattr(access, k, None) for k in keys}


def _absent_files(
    com: COM | None, files: Mapping[str, bytes], protected: Iterable[str], missing: Iterable[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Listed-but-absent files: DG3/DG4 are EAC-protected (not errors), others missing."""
    prot = list(dict.fromkeys(protected))
    miss = [m for m in dict.fromkeys(missing) if m not in prot]
    if com is not None:
        for name in com.data_groups:
            if name in files or name in prot or name in miss:
                continue
            (prot if name in _EAC_FILES else miss).append(name)
    return tuple(prot), tuple(miss)


def _photo(dg2: DG2, decode: bool) -> Photo | None:
    face = dg2.face
    if face is None:
        return None
    size = face.codec_size
    width, height = size if size else (face.width, face.height)
    if decode:
        result = decode_image(face.image)
        status: DecodeStatus | Literal["not_attempted"] = result.status
        detail = result.detail
    else:
        refusal = check_decodable(face.image)
        status = refusal.status if refusal else "not_attempted"
        detail = refusal.detail if refusal else "decode not requested"
    if status == "unavailable" and "pip install" not in detail:
        detail = f'{detail}; install it with: pip install "cccd-reader[qr]"'
    return Photo(face.mime, width, height, status, detail, face.image)


def _nfc_fold(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip().casefold()


def _sex_code(text: str | None) -> Literal["M", "F"] | None:
    return SEX_CODES.get(_nfc_fold(text)) if text is not None else None


def _yymmdd(value: datetime.date) -> str:
    return f"{value:%y%m%d}"


def _iso(value: datetime.date | str | None) -> str | None:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _date_check(
    name: str, mrz_yymmdd: str, mrz_date: datetime.date | None, dg13: datetime.date | str | None
) -> Check:
    """Compared on the printed YYMMDD: the MRZ's century is a guess, the digits are not."""
    values = {"dg1": _iso(mrz_date) or mrz_yymmdd, "dg13": _iso(dg13)}
    if dg13 is None:
        return Check(name, "skipped", "DG13 has no such field", values=values)
    if not isinstance(dg13, datetime.date):
        return Check(name, "skipped", "DG13 value is not a full date", values=values)
    if _yymmdd(dg13) == mrz_yymmdd:
        return Check(name, "pass", "same date", values=values)
    return Check(name, "fail", "DG1 and DG13 disagree", values=values)


def _personal_number_check(mrz: MRZ, dg13: DG13) -> Check:
    number = dg13.personal_number
    values = {
        "dg13": number,
        "dg1_document_number": mrz.document_number,
        "dg1_personal_number": mrz.personal_number,
    }
    if number is None:
        return Check("personal_number", "skipped", "DG13 has no personal number", values=values)
    problems: list[str] = []
    if number[-9:] != mrz.document_number:
        problems.append("the MRZ document number is not its last 9 digits")
    if mrz.personal_number is not None and mrz.personal_number != number:
        problems.append("the MRZ optional data holds another personal number")
    if problems:
        return Check("personal_number", "fail", "; ".join(problems), values=values)
    return Check("personal_number", "pass", "matches the MRZ", values=values)


def _sex_check(mrz: MRZ, dg13: DG13) -> Check:
    values = {"dg1": mrz.sex, "dg13": dg13.sex}
    if dg13.sex is None:
        return Check("sex", "skipped", "DG13 has no sex field", values=values)
    expected = SEX_CODES.get(_nfc_fold(dg13.sex))
    if expected is None:
        return Check("sex", "fail", "DG13 sex is neither 'Nam' nor 'Nữ'", values=values)
    if expected != mrz.sex:
        return Check("sex", "fail", f"DG13 means {expected}, the MRZ says {mrz.sex}", values=values)
    return Check("sex", "pass", "same sex", values=values)


def _expiry_check(mrz: MRZ, dg13: DG13) -> Check:
    if dg13.lifetime:
        # A lifetime card has no expiry, but the MRZ field cannot be empty. What real cards
        # print there is not public (our synthetic issuer writes 991231, which the MRZ's
        # century window reads as 1999-12-31), so the MRZ value is reported, not compared:
        # DG13's text is the authority on lifetime validity.
        values = {
            "dg1": _iso(mrz.date_of_expiry) or mrz.expiry_yymmdd,
            "dg1_yymmdd": mrz.expiry_yymmdd,
            "dg13": _iso(dg13.date_of_expiry),
        }
        return Check(
            "date_of_expiry",
            "pass",
            "lifetime card (DG13 says no expiry); the MRZ expiry is a placeholder, not compared",
            values=values,
        )
    return _date_check("date_of_expiry", mrz.expiry_yymmdd, mrz.date_of_expiry, dg13.date_of_expiry)


def _name_check(mrz: MRZ, dg13: DG13) -> Check:
    values: dict[str, str | None] = {"dg1": mrz.names, "dg13": dg13.full_name}
    if dg13.full_name is None:
        return Check("name", "skipped", "DG13 has no full name", values=values)
    try:
        folded = transliterate_name(dg13.full_name)
    except MRZError:
        return Check("name", "fail", "the DG13 name has letters with no MRZ form", values=values)
    values["dg13_folded"] = folded
    mrz_words = mrz.primary_identifier.split() + mrz.secondary_identifier.split()
    if folded.split("<") == mrz_words:
        return Check("name", "pass", "same name once diacritics are folded", values=values)
    # The MRZ name field may be cut (Doc 9303 Part 3 §4.6): then it is a prefix of the name.
    field_text = mrz.lines[-1] if mrz.format == "TD1" else mrz.lines[0][5:]
    used = field_text.rstrip("<")
    if len(used) >= _NAME_WIDTH[mrz.format] - 2:
        joined = "<".join(mrz_words)
        if joined and "<".join(folded.split("<")).startswith(joined):
            return Check("name", "pass", "the MRZ holds the name truncated", values=values)
    return Check("name", "fail", "the folded DG13 name differs from the MRZ name", values=values)


def consistency_checks(mrz: MRZ, dg13: DG13) -> tuple[ConsistencyCheck, ...]:
    """DG1 against DG13, one named check each, in a fixed order."""
    return (
        _personal_number_check(mrz, dg13),
        _date_check("date_of_birth", mrz.birth_yymmdd, mrz.date_of_birth, dg13.date_of_birth),
        _sex_check(mrz, dg13),
        _expiry_check(mrz, dg13),
        _name_check(mrz, dg13),
    )


# --- JSON ------------------------------------------------------------------------------------


def mrz_json(mrz: MRZ) -> dict[str, Any]:
    """The MRZ with the keys the CLI has always printed."""
    return {
        "format": mrz.format,
        "document_code": mrz.document_code,
        "issuing_state": mrz.issuing_state,
        "document_number": mrz.document_number,
        "personal_number": mrz.personal_number,
        "date_of_birth": _iso(mrz.date_of_birth),
        "date_of_expiry": _iso(mrz.date_of_expiry),
        "sex": mrz.sex,
        "nationality": mrz.nationality,
        "names": mrz.names,
        "primary_identifier": mrz.primary_identifier,
        "secondary_identifier": mrz.secondary_identifier,
        "raw": mrz.raw,
        "check_digits_valid": not mrz.errors,
    }


def _value_json(value: str | bytes) -> Any:
    return value if isinstance(value, str) else {"der": value.hex()}


def _holder_json(h: Holder) -> dict[str, Any]:
    return {
        "personal_number": h.personal_number,
        "full_name": h.full_name,
        "date_of_birth": _iso(h.date_of_birth),
        "sex": h.sex,
        "sex_code": h.sex_code,
        "nationality": h.nationality,
        "ethnicity": h.ethnicity,
        "religion": h.religion,
        "place_of_origin": h.place_of_origin,
        "place_of_residence": h.place_of_residence,
        "identifying_features": h.identifying_features,
        "date_of_issue": _iso(h.date_of_issue),
        "date_of_expiry": _iso(h.date_of_expiry),
        "lifetime": h.lifetime,
        "father_name": h.father_name,
        "mother_name": h.mother_name,
        "spouse_name": h.spouse_name,
        "old_id_number": h.old_id_number,
        "unknown_fields": {
            str(f.number): [_value_json(v) for v in f.values] for f in h.unknown_fields
        },
    }


def _com_json(com: COM | None) -> dict[str, Any] | None:
    if com is None:
        return None
    return {
        "lds_version": com.lds_version,
        "unicode_version": com.unicode_version,
        "data_groups": list(com.data_groups),
    }


def _unknown_json(unknown: tuple[tuple[int, bytes], ...]) -> dict[str, str]:
    return {f"{tag:X}": value.hex() for tag, value in unknown}


def _dg11_json(dg: DG11 | None) -> dict[str, Any] | None:
    if dg is None:
        return None
    return {
        "full_name": dg.full_name,
        "other_names": list(dg.other_names),
        "personal_number": dg.personal_number,
        "full_date_of_birth": _iso(dg.full_date_of_birth),
        "place_of_birth": dg.place_of_birth,
        "address": dg.address,
        "telephone": dg.telephone,
        "profession": dg.profession,
        "title": dg.title,
        "personal_summary": dg.personal_summary,
        "proof_of_citizenship_size": (
            len(dg.proof_of_citizenship) if dg.proof_of_citizenship is not None else None
        ),
        "other_valid_td_numbers": dg.other_valid_td_numbers,
        "custody_information": dg.custody_information,
        "unknown_tags": _unknown_json(dg.unknown),
    }


def _dg12_json(dg: DG12 | None) -> dict[str, Any] | None:
    if dg is None:
        return None
    t = dg.personalization_time
    return {
        "issuing_authority": dg.issuing_authority,
        "date_of_issue": _iso(dg.date_of_issue),
        "other_persons": list(dg.other_persons),
        "endorsements": dg.endorsements,
        "tax_exit_requirements": dg.tax_exit_requirements,
        "image_front_size": len(dg.image_front) if dg.image_front is not None else None,
        "image_rear_size": len(dg.image_rear) if dg.image_rear is not None else None,
        "personalization_time": t.isoformat() if isinstance(t, datetime.datetime) else t,
        "personalization_system_serial": dg.personalization_system_serial,
        "unknown_tags": _unknown_json(dg.unknown),
    }


def _dg15_json(dg: DG15 | None) -> dict[str, Any] | None:
    if dg is None:
        return None
    return {"key_type": dg.key_type, "key_size": dg.key_size, "curve": dg.curve,
            "warnings": list(dg.warnings)}


def _dg14_json(dg: DG14 | None) -> dict[str, Any] | None:
    if dg is None:
        return None
    return {
        "chip_authentication": bool(dg.chip_authentication),
        "active_authentication": bool(dg.active_authentication),
        "terminal_authentication": bool(dg.terminal_authentication),
        "entries": len(dg.infos),
    }
