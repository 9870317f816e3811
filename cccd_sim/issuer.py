"""The synthetic card issuer: personalises ``cccd-dump/1`` dumps the way a state would.

Most tests and the demo run on cards issued here, so the output must be realistic (the same
file layout, encodings and PKI as real Vietnamese CCCDs and ICAO passports), reproducible (the
committed ``samples/`` are regenerated and compared byte for byte) and obviously fake (every
holder is invented, every portrait is drawn, every key is public).

``python -m cccd_sim.issuer samples/`` rewrites all samples and the test PKI.

Negative samples (a data group altered after signing, a broken SOD signature, ...) are
functions from a good :class:`CardDump` to a bad one; see :func:`tamper_file` and
:func:`corrupt_sod_signature`. :data:`NEGATIVE_SAMPLES` turns them, plus a few unusual but valid
encodings, into ``samples/negative/<name>/`` dumps whose ``card.json`` note states the defect and
the verdict a verifier must reach, so the samples document themselves and tests read the
expectation from the sample rather than from a second copy.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Literal

import cv2
import numpy as np
from asn1crypto import cms, core
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from cccd_reader.access.lifetime import LIFETIME_FALLBACK_EXPIRY, lifetime_expiries
from cccd_reader.dump import ALLOWED_NAMES, AccessData, CardDump, save
from cccd_reader.iso7816 import tlv
from cccd_reader.lds.card_security import SECURITY_OBJECT_OID
from cccd_reader.lds.dg13 import UTF8_OID
from cccd_reader.lds.files import FILES, dg_number
from cccd_reader.lds.security_infos import (
    ID_AA,
    ID_CA_ECDH,
    ID_PK_ECDH,
    PACE_ALGORITHMS,
    ActiveAuthenticationInfo,
    ChipAuthenticationInfo,
    ChipAuthenticationPublicKeyInfo,
    PACEInfo,
    SecurityInfo,
    parse_security_infos,
)
from cccd_reader.lds.sod import SOD_TAG, HashName, SignerIdKind, parse_sod
from cccd_reader.mrz import transliterate_name
from cccd_sim.cards import config_for
from cccd_sim.mrz_builder import compose_td3, compose_vn_td1
from cccd_sim.pki import (
    Authority,
    PrivateKey,
    TestPKI,
    active_auth_key,
    chip_auth_key,
    default_pki,
    negative_pki,
    private_key_pem,
    seed_stream,
)
from cccd_sim.security_infos_builder import encode_security_infos
from cccd_sim.sod_builder import (
    SignatureScheme,
    build_lds_security_object,
    build_signed_data,
    build_sod,
    hash_data_groups,
)

CardKind = Literal["vn-cccd-2021", "vn-cancuoc-2024", "passport"]
PhotoFormat = Literal["jpeg", "jp2"]
Sex = Literal["M", "F"]

NOTE = "synthetic sample — not a real person"
#: DG13 "date of expiry" of cards issued after the holder's 60th birthday.
NO_EXPIRY = "Không thời hạn"
#: The far-date MRZ expiry our first lifetime sample keeps (``CardSpec.lifetime_mrz_expiry``),
#: so the reader's second lifetime key stays tested. Lifetime cards are otherwise written
#: ``99MMDD`` (birth day and month in 2099), as a device vendor's guide says real cards are
#: (:mod:`cccd_reader.access.lifetime`). A YYMMDD reader with a ±50-year window reads either
#: as a 1999 date: the DG13 text is the authority on lifetime validity.
LIFETIME_MRZ_EXPIRY = LIFETIME_FALLBACK_EXPIRY
#: ICAO 9303 Part 10 §4.6.1: LDS version 1.7, Unicode 4.0.0 (EF.COM and LDSVersionInfo).
LDS_VERSION = "0107"
UNICODE_VERSION = "040000"
#: Cards are personalised in Viet Nam's time zone; SOD signing times are in UTC.
_VN_TZ = timezone(timedelta(hours=7))

PHOTO_WIDTH = 240
PHOTO_HEIGHT = 320
JPEG_QUALITY = 80
#: OpenCV's JPEG 2000 rate: 1000 = lossless; 25 keeps DG2 near the size of a real card's.
JP2_COMPRESSION_X1000 = 25


@dataclass(frozen=True)
class CardSpec:
    """Everything printed on and personalised into one synthetic card.

    Text fields are Vietnamese as printed (NFC); ``issue`` derives the MRZ forms itself.
    ``name`` names the sample directory and seeds every key and the portrait of the card.
    """

    name: str
    kind: CardKind
    full_name: str
    personal_number: str
    date_of_birth: date
    sex: Sex
    date_of_issue: date
    #: None: valid for life (VN cards issued at 60 or later).
    date_of_expiry: date | None
    nationality: str = "Việt Nam"
    ethnicity: str = "Kinh"
    religion: str = "Không"
    place_of_origin: str = ""
    place_of_residence: str = ""
    identifying_features: str = ""
    old_id_number: str | None = None
    father: str | None = None
    mother: str | None = None
    spouse: str | None = None
    # --- passports (ICAO TD3) ---
    document_number: str | None = None
    issuing_state: str = "VNM"
    nationality_code: str = "VNM"
    surname: str | None = None  # default: first word of full_name
    given_names: str | None = None  # default: the remaining words
    place_of_birth: str | None = None
    address: str | None = None
    issuing_authority: str | None = None
    # --- chip ---
    photo: PhotoFormat = "jpeg"
    #: A dump cannot say "BAC disabled": the virtual chip takes that from the profile
    #: (:mod:`cccd_sim.cards`), so :func:`issue` refuses a spec that disagrees with it.
    bac: bool = True
    #: (PACE protocol OID name, standardized domain parameter id), in preference order.
    pace: tuple[tuple[str, int], ...] = ()
    #: CAN of a passport with PACE; VN cards use the last 6 digits of the personal number.
    can: str | None = None
    chip_auth: bool = False
    #: A PACE-CAM chip publishes its Chip Authentication key in EF.CardSecurity (always, as
    #: TR-03110 requires); True keeps it out of DG14, as some chips do.
    ca_key_only_in_card_security: bool = False
    active_auth: Literal["rsa", "ecdsa"] | None = None
    #: DG15's RSA modulus encoded as a negative INTEGER (no leading zero byte), as the BSI's
    #: 2008 reference passport has it: a real document's DER bend the reader must take.
    dg15_negative_modulus: bool = False
    #: A lifetime card's MRZ expiry; None: ``99MMDD`` of the birth date.
    lifetime_mrz_expiry: str | None = None
    # --- Document Security Object ---
    dsc: str = "dsc-vn-2021"
    signature: SignatureScheme = "ecdsa-sha256"
    hash_algorithm: HashName = "sha256"
    sid: SignerIdKind = "issuer_serial"
    #: True: LDSSecurityObject v1 with LDSVersionInfo (LDS 1.8); False: v0 as older chips.
    lds_version_info: bool = True
    signing_time: bool = True

    @property
    def is_vn(self) -> bool:
        return self.kind != "passport"


# --- small encoders ----------------------------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _dmy(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _yymmdd(day: date) -> str:
    return f"{day:%y%m%d}"


def _seq(*parts: bytes) -> bytes:
    return tlv.encode(0x30, b"".join(parts))


def _int(value: int) -> bytes:
    return bytes(core.Integer(value).dump())


def _printable(text: str) -> bytes:
    return bytes(core.PrintableString(text).dump())


def _utf8(text: str) -> bytes:
    return bytes(core.UTF8String(_nfc(text)).dump())


def _names(spec: CardSpec) -> tuple[str, str]:
    """Primary and secondary identifiers in the MRZ alphabet (Vietnamese: family name first)."""
    if spec.surname is not None:
        return transliterate_name(spec.surname), transliterate_name(spec.given_names or "")
    words = transliterate_name(spec.full_name).split("<")
    return words[0], "<".join(words[1:])


# --- EF.COM, DG1, DG11, DG12, DG13 -------------------------------------------------------------


def encode_ef_com(dg_names: Sequence[str]) -> bytes:
    """``60 { 5F01 LDS version, 5F36 Unicode version, 5C tag list }``."""
    tags = bytes(FILES[name].tag or 0 for name in sorted(dg_names, key=_dg_sort_key))
    return tlv.encode(
        0x60,
        tlv.encode(0x5F01, LDS_VERSION.encode("ascii"))
        + tlv.encode(0x5F36, UNICODE_VERSION.encode("ascii"))
        + tlv.encode(0x5C, tags),
    )


def _dg_sort_key(name: str) -> int:
    return dg_number(name) or 0


def compose_mrz(spec: CardSpec) -> str:
    """The card's MRZ, lines joined with ``\\n``."""
    primary, secondary = _names(spec)
    expiry = (
        _yymmdd(spec.date_of_expiry) if spec.date_of_expiry
        else spec.lifetime_mrz_expiry or lifetime_expiries(spec.date_of_birth)[0]
    )
    if spec.is_vn:
        return compose_vn_td1(
            personal_number=spec.personal_number,
            date_of_birth=_yymmdd(spec.date_of_birth),
            sex=spec.sex,
            date_of_expiry=expiry,
            primary_identifier=primary,
            secondary_identifier=secondary,
        )
    if spec.document_number is None:
        raise ValueError("a passport needs a document_number")
    return compose_td3(
        issuing_state=spec.issuing_state,
        primary_identifier=primary,
        secondary_identifier=secondary,
        document_number=spec.document_number,
        nationality=spec.nationality_code,
        date_of_birth=_yymmdd(spec.date_of_birth),
        sex=spec.sex,
        date_of_expiry=expiry,
        personal_number=spec.personal_number,
    )


def _tagged_fields(outer: int, fields: Sequence[tuple[int, str | None]]) -> bytes:
    """DG11/DG12 shape: a 5C tag list naming the present fields, then the fields in order."""
    present = [(tag, value) for tag, value in fields if value]
    tag_list = b"".join(tlv.encode_tag(tag) for tag, _ in present)
    body = b"".join(tlv.encode(tag, (value or "").encode("utf-8")) for tag, value in present)
    return tlv.encode(outer, tlv.encode(0x5C, tag_list) + body)


def encode_dg1(mrz: str) -> bytes:
    """DG1 bytes for an MRZ given as lines (newlines are dropped)."""
    chars = "".join(mrz.split())
    return tlv.encode(0x61, tlv.encode(0x5F1F, chars.encode("ascii")))


def encode_dg11(spec: CardSpec) -> bytes:
    """Additional personal details (ICAO 9303 Part 10 §4.7.11), fields in the table's order."""
    primary, secondary = _names(spec)
    return _tagged_fields(
        0x6B,
        [
            (0x5F0E, f"{primary}<<{secondary}"),
            (0x5F10, spec.personal_number),
            (0x5F2B, f"{spec.date_of_birth:%Y%m%d}"),
            (0x5F11, spec.place_of_birth),
            (0x5F42, spec.address),
        ],
    )


def encode_dg12(spec: CardSpec) -> bytes:
    """Additional document details (ICAO 9303 Part 10 §4.7.12)."""
    return _tagged_fields(
        0x6C,
        [(0x5F19, spec.issuing_authority), (0x5F26, f"{spec.date_of_issue:%Y%m%d}")],
    )


def card_serial(spec: CardSpec) -> str:
    """DG13 field 16: a 16-character value whose meaning is not public; random-looking here."""
    return seed_stream(f"card/{spec.name}/dg13-16").read(8).hex().upper()


def encode_dg13(spec: CardSpec) -> bytes:
    """The Vietnamese DG13 (personal data in Vietnamese, not defined by ICAO).

    ``6D { SEQUENCE { INTEGER 1, OID 1.0.10646.1.0.8, SET { SEQUENCE { INTEGER n, value }... }}}``
    Entries appear in field-number order as on real cards rather than in DER SET OF order:
    parsers must key on the number inside each entry, never on position.
    """
    expiry = _dmy(spec.date_of_expiry) if spec.date_of_expiry else NO_EXPIRY
    entries = [
        _seq(_int(1), _printable(spec.personal_number)),
        _seq(_int(2), _utf8(spec.full_name)),
        _seq(_int(3), _printable(_dmy(spec.date_of_birth))),
        _seq(_int(4), _utf8("Nam" if spec.sex == "M" else "Nữ")),
        _seq(_int(5), _utf8(spec.nationality)),
        _seq(_int(6), _utf8(spec.ethnicity)),
        _seq(_int(7), _utf8(spec.religion)),
        _seq(_int(8), _utf8(spec.place_of_origin)),
        _seq(_int(9), _utf8(spec.place_of_residence)),
        _seq(_int(10), _utf8(spec.identifying_features)),
        _seq(_int(11), _printable(_dmy(spec.date_of_issue))),
        _seq(_int(12), _utf8(expiry)),
    ]
    if spec.father is not None or spec.mother is not None:
        entries.append(_seq(_int(13), _utf8(spec.father or ""), _utf8(spec.mother or "")))
    entries.append(_seq(_int(14), *([_utf8(spec.spouse)] if spec.spouse else [])))
    if spec.old_id_number:
        entries.append(_seq(_int(15), _printable(spec.old_id_number)))
    entries.append(_seq(_int(16), _printable(card_serial(spec))))
    oid = bytes(core.ObjectIdentifier(UTF8_OID).dump())
    return tlv.encode(0x6D, _seq(_int(1), oid, tlv.encode(0x31, b"".join(entries))))


# --- DG2: the portrait -------------------------------------------------------------------------


#: ISO/IEC 19794-5:2005 codes used below.
_GENDER = {"M": 1, "F": 2}
_EYE_BLACK = 1
_HAIR_BLACK, _HAIR_GREY, _HAIR_BROWN = 2, 5, 4
_EXPRESSION_NEUTRAL = 1
_FACE_FULL_FRONTAL = 1
_IMAGE_DATA_TYPE = {"jpeg": 0, "jp2": 1}
_COLOUR_SPACE_RGB24 = 1
_SOURCE_DIGITAL_CAMERA = 2


def draw_portrait(seed: str, sex: Sex, hair_colour: int) -> np.ndarray:
    """A 240x320 cartoon head-and-shoulders picture (BGR); colours vary with ``seed``.

    Drawn, not photographed: no sample may ever show a real face. Only integer, non
    anti-aliased primitives are used so the pixels do not depend on OpenCV's rasteriser tweaks.
    ``hair_colour`` is the ISO/IEC 19794-5 code also written in the facial record, so the
    picture agrees with its metadata.
    """
    rnd = seed_stream(f"{seed}/portrait").read(16)
    w, h = PHOTO_WIDTH, PHOTO_HEIGHT
    shade = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    top = np.array([250, 246, 240], np.float32)
    bottom = np.array([226, 214, 204], np.float32) - rnd[0] % 24
    gradient = (top * (1 - shade) + bottom * shade)[:, None, :]
    img = np.ascontiguousarray(np.broadcast_to(gradient, (h, w, 3)).astype(np.uint8))
    skin = (150 + rnd[1] % 40, 178 + rnd[2] % 32, 212 + rnd[3] % 34)
    shadow = (skin[0] - 45, skin[1] - 50, skin[2] - 45)
    if hair_colour == _HAIR_GREY:
        hair = (150 + rnd[4] % 20, 150 + rnd[4] % 20, 155 + rnd[4] % 20)
    elif hair_colour == _HAIR_BROWN:
        hair = (30 + rnd[4] % 20, 60 + rnd[5] % 25, 100 + rnd[6] % 40)
    else:
        hair = (18 + rnd[4] % 30, 20 + rnd[5] % 25, 24 + rnd[6] % 40)
    cloth = (40 + rnd[7] % 160, 40 + rnd[8] % 140, 30 + rnd[9] % 150)
    cx = w // 2 + rnd[10] % 9 - 4
    if sex == "F":  # long hair behind the head and shoulders
        cv2.ellipse(img, (cx, 150), (80, 106), 0, 0, 360, hair, -1)
        cv2.rectangle(img, (cx - 80, 150), (cx + 80, 252), hair, -1)
    else:  # short hair: a cap over the skull, down to the ears
        cv2.ellipse(img, (cx, 128), (66, 70), 0, 180, 360, hair, -1)
        cv2.rectangle(img, (cx - 66, 126), (cx + 66, 146), hair, -1)
    cv2.ellipse(img, (cx, h + 12), (122, 92), 0, 180, 360, cloth, -1)
    cv2.rectangle(img, (cx - 22, 186), (cx + 22, 244), shadow, -1)
    cv2.ellipse(img, (cx, 142), (58 + rnd[11] % 6, 78), 0, 0, 360, skin, -1)
    cv2.ellipse(img, (cx, 104), (62, 42 + rnd[12] % 10), 0, 180, 360, hair, -1)
    for dx in (-24, 24):
        cv2.ellipse(img, (cx + dx, 134), (11, 6), 0, 0, 360, (242, 242, 242), -1)
        cv2.circle(img, (cx + dx, 134), 4, (35, 30, 28), -1)
        cv2.line(img, (cx + dx - 12, 119), (cx + dx + 12, 117 + rnd[13] % 3), hair, 3)
    cv2.line(img, (cx, 140), (cx - 5, 166), shadow, 2)
    cv2.ellipse(img, (cx, 186), (17, 6), 0, 0, 180, (92, 92, 168), 2)
    return img


def encode_photo(image: np.ndarray, fmt: PhotoFormat) -> bytes:
    if fmt == "jpeg":
        ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    else:
        ok, buf = cv2.imencode(
            ".jp2", image, [cv2.IMWRITE_JPEG2000_COMPRESSION_X1000, JP2_COMPRESSION_X1000]
        )
    if not ok:  # pragma: no cover - depends on the OpenCV build
        raise RuntimeError(f"this OpenCV build cannot encode {fmt}")
    return bytes(buf.tobytes())


def facial_record(
    image: bytes,
    *,
    fmt: PhotoFormat,
    sex: Sex,
    hair_colour: int,
    width: int = PHOTO_WIDTH,
    height: int = PHOTO_HEIGHT,
) -> bytes:
    """An ISO/IEC 19794-5:2005 facial record with one full-frontal image and no landmarks."""
    info = (
        bytes([_FACE_FULL_FRONTAL, _IMAGE_DATA_TYPE[fmt]])
        + width.to_bytes(2, "big")
        + height.to_bytes(2, "big")
        + bytes([_COLOUR_SPACE_RGB24, _SOURCE_DIGITAL_CAMERA])
        + (0).to_bytes(2, "big")  # device type: unspecified
        + (0).to_bytes(2, "big")  # quality: unspecified
    )
    face_length = 20 + len(info) + len(image)
    face = (
        face_length.to_bytes(4, "big")
        + (0).to_bytes(2, "big")  # feature points
        + bytes([_GENDER[sex], _EYE_BLACK, hair_colour])
        + (0).to_bytes(3, "big")  # feature mask: none specified
        + _EXPRESSION_NEUTRAL.to_bytes(2, "big")
        + bytes(3)  # pose angles: unspecified
        + bytes(3)  # pose angle uncertainties
        + info
        + image
    )
    record_length = 14 + len(face)
    return b"FAC\x00" + b"010\x00" + record_length.to_bytes(4, "big") + b"\x00\x01" + face


def encode_dg2(record: bytes) -> bytes:
    """``75 { 7F61 { 02 count, 7F60 { A1 BHT, 5F2E facial record } } }``."""
    header = (
        tlv.encode(0x80, b"\x01\x01")  # ICAO patron header version 1.1
        + tlv.encode(0x81, b"\x02")  # biometric type: facial features
        + tlv.encode(0x87, b"\x01\x01")  # format owner: ISO/IEC JTC 1/SC 37
        + tlv.encode(0x88, b"\x00\x08")  # format type: face image
    )
    template = tlv.encode(0x7F60, tlv.encode(0xA1, header) + tlv.encode(0x5F2E, record))
    return tlv.encode(0x75, tlv.encode(0x7F61, tlv.encode(0x02, b"\x01") + template))


# --- DG14, DG15, EF.CardAccess -----------------------------------------------------------------


#: id-CA-ECDH-AES-CBC-CMAC-128 (ICAO 9303 Part 11 §9.2.5).
ID_CA_ECDH_AES_CBC_CMAC_128 = f"{ID_CA_ECDH}.2"
#: ecdsa-plain-SHA256 (BSI TR-03111 §5.2.1), the AA signature of ECDSA chips.
ECDSA_PLAIN_SHA256 = "0.4.0.127.0.7.1.1.4.1.3"
_PACE_OIDS = {algorithm.name: oid for oid, algorithm in PACE_ALGORITHMS.items()}


def _spki(key: PrivateKey) -> bytes:
    """SubjectPublicKeyInfo with a named curve: every reader's X.509 code can load it as is."""
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


#: AlgorithmIdentifier rsaEncryption with NULL parameters (RFC 8017 appendix A.1).
_RSA_ALGORITHM = bytes.fromhex("300d06092a864886f70d0101010500")


def _spki_negative_modulus(key: PrivateKey) -> bytes:
    """An RSA SubjectPublicKeyInfo whose modulus INTEGER lacks the zero byte DER puts before a
    set top bit, so it reads as negative (the 2008 BSI reference DG15)."""
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("a negative modulus needs an RSA Active Authentication key")
    numbers = key.public_key().public_numbers()
    modulus = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
    exponent = numbers.e.to_bytes((numbers.e.bit_length() + 8) // 8, "big")
    body = tlv.encode(0x30, tlv.encode(0x02, modulus) + tlv.encode(0x02, exponent))
    return tlv.encode(0x30, _RSA_ALGORITHM + tlv.encode(0x03, b"\x00" + body))


def chip_auth_infos(key: ec.EllipticCurvePrivateKey) -> list[SecurityInfo]:
    """DG14 entries announcing ECDH Chip Authentication (version 1, one key, so no keyId)."""
    return [
        ChipAuthenticationPublicKeyInfo(protocol=ID_PK_ECDH, subject_public_key_info=_spki(key)),
        ChipAuthenticationInfo(protocol=ID_CA_ECDH_AES_CBC_CMAC_128, version=1),
    ]


def active_auth_info() -> ActiveAuthenticationInfo:
    """Announces ECDSA Active Authentication; RSA chips need no entry (ISO 9796-2 is implied)."""
    return ActiveAuthenticationInfo(
        protocol=ID_AA, version=1, signature_algorithm=ECDSA_PLAIN_SHA256
    )


def encode_card_access(pace: Sequence[tuple[str, int]]) -> bytes:
    """EF.CardAccess: a bare SET of PACEInfo (version 2), one per (protocol name, parameter id)."""
    infos: list[SecurityInfo] = []
    for name, parameter_id in pace:
        if name not in _PACE_OIDS:
            raise ValueError(f"unknown PACE protocol {name!r}")
        infos.append(PACEInfo(protocol=_PACE_OIDS[name], version=2, parameter_id=parameter_id))
    return encode_security_infos(infos)


# --- issuing -----------------------------------------------------------------------------------


def _signing_time(spec: CardSpec) -> datetime:
    """Personalisation at 09:30 local time on the day of issue."""
    return datetime.combine(spec.date_of_issue, time(9, 30), tzinfo=_VN_TZ).astimezone(UTC)


def _can(spec: CardSpec) -> str | None:
    if spec.is_vn:
        return spec.personal_number[-6:]
    return spec.can


def _hair_colour(spec: CardSpec) -> int:
    if not spec.is_vn:
        return _HAIR_BROWN
    return _HAIR_GREY if spec.date_of_expiry is None else _HAIR_BLACK


def _check(spec: CardSpec) -> None:
    if not spec.bac and not spec.pace:
        raise ValueError(f"{spec.name}: a card without BAC needs PACE")
    if config_for(spec.kind).bac != spec.bac:
        raise ValueError(f"{spec.name}: bac={spec.bac} contradicts the chip profile {spec.kind}")
    if spec.is_vn and not (len(spec.personal_number) == 12 and spec.personal_number.isdigit()):
        raise ValueError(f"{spec.name}: a Vietnamese personal number has 12 digits")


def issue(spec: CardSpec, pki: TestPKI | None = None) -> CardDump:
    """Personalise a card: every EF's bytes, signed by the DSC ``spec.dsc`` of ``pki``."""
    _check(spec)
    pki = pki or default_pki()
    seed = f"card/{spec.name}"
    mrz = compose_mrz(spec)
    secrets: dict[str, str] = {}
    files: dict[str, bytes] = {"DG1": encode_dg1(mrz)}

    portrait = draw_portrait(seed, spec.sex, _hair_colour(spec))
    files["DG2"] = encode_dg2(
        facial_record(
            encode_photo(portrait, spec.photo),
            fmt=spec.photo,
            sex=spec.sex,
            hair_colour=_hair_colour(spec),
        )
    )
    if not spec.is_vn:
        files["DG11"] = encode_dg11(spec)
        files["DG12"] = encode_dg12(spec)
    else:
        files["DG13"] = encode_dg13(spec)

    dg14_infos: list[SecurityInfo] = []
    card_security_infos: list[SecurityInfo] = []
    if spec.chip_auth:
        ca_key = chip_auth_key(f"{seed}/chip-auth")
        secrets["chip_auth_private_key"] = private_key_pem(ca_key)
        card_security_infos = chip_auth_infos(ca_key)
        dg14_infos += [
            info for info in card_security_infos
            if not (spec.ca_key_only_in_card_security
                    and isinstance(info, ChipAuthenticationPublicKeyInfo))
        ]
    if spec.active_auth is not None:
        aa_key = active_auth_key(f"{seed}/active-auth", spec.active_auth)
        secrets["active_auth_private_key"] = private_key_pem(aa_key)
        spki = _spki(aa_key)
        if spec.dg15_negative_modulus:
            spki = _spki_negative_modulus(aa_key)
        files["DG15"] = tlv.encode(0x6F, spki)
        if spec.active_auth == "ecdsa":
            dg14_infos.append(active_auth_info())
    if dg14_infos:
        files["DG14"] = encode_security_infos(dg14_infos, dg14=True)

    files["EF.SOD"] = sign_sod(spec, hash_data_groups(files, spec.hash_algorithm), pki)
    files["EF.COM"] = encode_ef_com([name for name in files if dg_number(name) is not None])
    if spec.pace:
        files["EF.CardAccess"] = encode_card_access(spec.pace)
        if card_security_infos and any("-CAM-" in name for name, _ in spec.pace):
            files["EF.CardSecurity"] = build_card_security(
                [*parse_security_infos(files["EF.CardAccess"]), *card_security_infos],
                pki.dsc(spec.dsc),
                signing_time=_signing_time(spec) if spec.signing_time else None,
            )
    return CardDump(
        files=dict(sorted(files.items())),
        access=_access(spec, mrz),
        profile=spec.kind,
        note=NOTE,
        secrets=secrets,
    )


def build_card_security(
    infos: Sequence[SecurityInfo], dsc: Authority, *, signing_time: datetime | None = None
) -> bytes:
    """EF.CardSecurity: the SecurityInfos as id-SecurityObject, signed by the Document Signer
    (BSI TR-03110-3 §A.1.2.5)."""
    key = dsc.key
    scheme: SignatureScheme = (
        "rsa-pkcs1-sha256" if isinstance(key, rsa.RSAPrivateKey)
        else "ecdsa-sha384" if key.curve.key_size > 256 else "ecdsa-sha256"
    )
    return build_signed_data(
        encode_security_infos(infos),
        SECURITY_OBJECT_OID,
        private_key=key,
        certificate=dsc.certificate,
        signature=scheme,
        signing_time=signing_time,
    )


def sign_sod(spec: CardSpec, dg_hashes: dict[int, bytes], pki: TestPKI) -> bytes:
    """EF.SOD over ``dg_hashes`` exactly as :func:`issue` signs it for ``spec``."""
    dsc = pki.dsc(spec.dsc)
    return build_sod(
        dg_hashes,
        private_key=dsc.key,
        certificate=dsc.certificate,
        hash_algorithm=spec.hash_algorithm,
        signature=spec.signature,
        sid=spec.sid,
        signing_time=_signing_time(spec) if spec.signing_time else None,
        lds_version=(LDS_VERSION, UNICODE_VERSION) if spec.lds_version_info else None,
    )


def _access(spec: CardSpec, mrz: str) -> AccessData:
    return AccessData(mrz=mrz, can=_can(spec))


# --- negative variants -------------------------------------------------------------------------


def with_file(dump: CardDump, name: str, data: bytes) -> CardDump:
    """A copy of ``dump`` with one file replaced (the original is left untouched)."""
    return replace(dump, files={**dump.files, name: data})


def tamper_file(dump: CardDump, name: str, *, offset: int = -1) -> CardDump:
    """Flip the low bit of one byte of ``name`` after signing: its SOD hash no longer matches.

    The default offset (last byte) sits in the value, so the TLV structure still parses and only
    hash verification can notice.
    """
    data = bytearray(dump.files[name])
    data[offset] ^= 0x01
    return with_file(dump, name, bytes(data))


def corrupt_sod_signature(dump: CardDump) -> CardDump:
    """Flip the last byte of the SignerInfo signature: EF.SOD still parses, no longer verifies."""
    raw = dump.files["EF.SOD"]
    signature = parse_sod(raw).signer.signature
    at = raw.rindex(signature) + len(signature) - 1
    data = bytearray(raw)
    data[at] ^= 0x01
    return with_file(dump, "EF.SOD", bytes(data))


def truncate_sod(dump: CardDump, *, keep: int) -> CardDump:
    """EF.SOD cut after ``keep`` bytes, as a read aborted mid-file leaves it."""
    return with_file(dump, "EF.SOD", dump.files["EF.SOD"][:keep])


def swap_security_object(dump: CardDump, files: dict[str, bytes], spec: CardSpec) -> CardDump:
    """Put an LDSSecurityObject hashing ``files`` into the signed EF.SOD of ``dump``, keeping
    the SignerInfo: the forger's move when the DSC key is out of reach.

    Every DG hash then matches ``files``, but the signed messageDigest attribute still covers
    the original LDSSecurityObject, so only that comparison can catch the substitution.
    """
    econtent = build_lds_security_object(
        hash_data_groups(files, spec.hash_algorithm),
        hash_algorithm=spec.hash_algorithm,
        lds_version=(LDS_VERSION, UNICODE_VERSION) if spec.lds_version_info else None,
    )
    content_info = cms.ContentInfo.load(tlv.decode(dump.files["EF.SOD"]).value)
    signed = content_info["content"]
    swapped = cms.SignedData(
        {
            "version": signed["version"],
            "digest_algorithms": signed["digest_algorithms"],
            "encap_content_info": {
                "content_type": signed["encap_content_info"]["content_type"],
                "content": cms.ParsableOctetString(econtent),
            },
            "certificates": signed["certificates"],
            "signer_infos": signed["signer_infos"],
        }
    )
    raw = cms.ContentInfo({"content_type": "signed_data", "content": swapped}).dump()
    return replace(dump, files={**files, "EF.SOD": tlv.encode(SOD_TAG, raw)})


# --- the committed samples ---------------------------------------------------------------------

SAMPLES: tuple[CardSpec, ...] = (
    # A 2021 CCCD as most people carry: BAC and PACE, chip and active authentication.
    CardSpec(
        name="vn-cccd-2021-nguyen-thi-ngoc-anh",
        kind="vn-cccd-2021",
        full_name="Nguyễn Thị Ngọc Ánh",
        # 001 Hà Nội, 1 = woman born in the 20th century, 90 = 1990.
        personal_number="001190012345",
        old_id_number="013579246",
        date_of_birth=date(1990, 5, 12),
        sex="F",
        place_of_origin="Liên Hà, Đông Anh, Hà Nội",
        place_of_residence="Số 18 Ngõ 72 Thái Hà, Trung Liệt, Đống Đa, Hà Nội",
        identifying_features="Nốt ruồi C:1cm trên trước đầu mày phải",
        father="Nguyễn Văn Hùng",
        mother="Trần Thị Mai",
        date_of_issue=date(2021, 4, 10),
        date_of_expiry=date(2030, 5, 12),  # 40th birthday: issued between 25 and 40
        photo="jpeg",
        bac=True,
        pace=(("id-PACE-ECDH-GM-AES-CBC-CMAC-128", 13),),
        chip_auth=True,
        active_auth="ecdsa",
        dsc="dsc-vn-2021",
        signature="ecdsa-sha256",
        sid="issuer_serial",
    ),
    # A 2024 Căn cước: PACE only, JPEG 2000 portrait, married, no old 9-digit ID.
    CardSpec(
        name="vn-cancuoc-2024-dang-huu-phuoc",
        kind="vn-cancuoc-2024",
        full_name="Đặng Hữu Phước",
        # 079 TP. Hồ Chí Minh, 0 = man born in the 20th century, 88 = 1988.
        personal_number="079088004567",
        date_of_birth=date(1988, 11, 2),
        sex="M",
        place_of_origin="Phường 7, Quận 3, TP. Hồ Chí Minh",
        place_of_residence="123/4 Nguyễn Đình Chiểu, Phường 5, Quận 3, TP. Hồ Chí Minh",
        identifying_features="Sẹo chấm C:2cm dưới sau đuôi mắt trái",
        father="Đặng Hữu Lộc",
        mother="Võ Thị Mỹ Dung",
        spouse="Lê Ngọc Quỳnh Như",
        date_of_issue=date(2024, 8, 20),
        date_of_expiry=date(2028, 11, 2),  # 40th birthday
        photo="jp2",
        bac=False,
        pace=(("id-PACE-ECDH-GM-AES-CBC-CMAC-128", 12),),
        chip_auth=True,
        dsc="dsc-vn-2024",
        signature="ecdsa-sha384",
        sid="ski",
    ),
    # Issued after the 60th birthday: no expiry. An older chip: BAC only, LDS 1.7 SOD.
    CardSpec(
        name="vn-cccd-2021-le-thi-thu-huong-lifetime",
        kind="vn-cccd-2021",
        full_name="Lê Thị Thu Hương",
        # 038 Thanh Hoá, 1 = woman born in the 20th century, 55 = 1955.
        personal_number="038155001234",
        old_id_number="172345678",
        date_of_birth=date(1955, 2, 17),
        sex="F",
        religion="Phật giáo",
        place_of_origin="Hoằng Lộc, Hoằng Hoá, Thanh Hoá",
        place_of_residence="Số 9 Lê Lai, Ngọc Trạo, TP. Thanh Hoá, Thanh Hoá",
        identifying_features="Sẹo C:3cm trên sau cánh mũi phải",
        father="Lê Văn Tư",
        mother="Phạm Thị Năm",
        spouse="Hoàng Văn Bình",
        date_of_issue=date(2021, 6, 21),
        date_of_expiry=None,
        # personalised before the 99MMDD convention was known: the second lifetime key
        lifetime_mrz_expiry=LIFETIME_MRZ_EXPIRY,
        photo="jpeg",
        bac=True,
        dsc="dsc-vn-2021",
        signature="ecdsa-sha256",
        sid="ski",
        lds_version_info=False,
        signing_time=False,
    ),
    # A lifetime card as real ones are personalised: MRZ expiry 99MMDD of the birth date,
    # here a 29 February birth (990229, which is no date in 2099). BAC only.
    CardSpec(
        name="vn-cccd-2021-tran-van-minh-lifetime",
        kind="vn-cccd-2021",
        full_name="Trần Văn Minh",
        # 001 Hà Nội, 0 = man born in the 20th century, 56 = 1956.
        personal_number="001056004321",
        old_id_number="011223344",
        date_of_birth=date(1956, 2, 29),
        sex="M",
        place_of_origin="Yên Viên, Gia Lâm, Hà Nội",
        place_of_residence="Số 5 Phố Huế, Hàng Bài, Hoàn Kiếm, Hà Nội",
        identifying_features="Sẹo C:2cm dưới cằm trái",
        father="Trần Văn Lộc",
        mother="Ngô Thị Hoa",
        spouse="Phạm Thị Lan",
        date_of_issue=date(2021, 7, 15),
        date_of_expiry=None,
        photo="jpeg",
        bac=True,
        dsc="dsc-vn-2021",
        signature="ecdsa-sha256",
        sid="ski",
    ),
    # An ICAO-style passport of the fictional state Utopia: RSA everywhere, DG11/DG12.
    CardSpec(
        name="passport-utopia-td3",
        kind="passport",
        full_name="Anna Maria Eriksson",
        surname="Eriksson",
        given_names="Anna Maria",
        document_number="L898902C3",
        personal_number="ZE184226B",
        issuing_state="UTO",
        nationality_code="UTO",
        nationality="Utopian",
        date_of_birth=date(1974, 8, 12),
        sex="F",
        place_of_birth="ZENITH<UTOPIA",
        address="123 MAPLE ROAD<ZENITH<UTOPIA",
        issuing_authority="UTOPIA PASSPORT OFFICE",
        date_of_issue=date(2023, 4, 15),
        date_of_expiry=date(2033, 4, 14),
        photo="jpeg",
        bac=True,
        active_auth="rsa",
        dsc="dsc-ut-2021",
        signature="rsa-pkcs1-sha256",
        sid="issuer_serial",
    ),
)


# --- the negative (and unusual but valid) samples ----------------------------------------------

#: Where :func:`write_samples` puts them, relative to the samples directory.
NEGATIVE_DIR = "negative"
_VN_BASE = "vn-cccd-2021-nguyen-thi-ngoc-anh"
_PASSPORT_BASE = "passport-utopia-td3"
#: Bytes of EF.SOD kept by ``truncated-sod``: the SignerInfo and part of the DSC are lost.
TRUNCATED_SOD_BYTES = 600

Builder = Callable[[CardSpec, TestPKI], CardDump]


@dataclass(frozen=True)
class NegativeSample:
    """One defect (or one valid variant) applied to a committed sample.

    ``verdict`` and ``failing_check`` are what :func:`cccd_reader.verify.verify` must report
    with the test CSCAs and CRLs trusted; the note written to ``card.json`` spells them out.
    """

    name: str
    base: str
    defect: str
    verdict: Literal["genuine", "not_genuine", "unverified"]
    #: The one check that fails (None for valid variants; for ``unverified`` the one required
    #: check left unproven: missing trust is not forgery).
    failing_check: str | None
    build: Builder = field(repr=False, compare=False)

    @property
    def note(self) -> str:
        if self.verdict == "genuine":
            return f"valid: {self.defect}; expect genuine"
        return f"negative: {self.defect}; expect {self.verdict}, {self.failing_check}"


def _resigned(**changes: str) -> Builder:
    """Issue the base spec again with other SOD parameters (DSC, hash, signature scheme)."""

    def build(spec: CardSpec, pki: TestPKI) -> CardDump:
        return issue(replace(spec, **changes), pki)  # type: ignore[arg-type]

    return build


def _without_dg_in_sod(number: int) -> Builder:
    def build(spec: CardSpec, pki: TestPKI) -> CardDump:
        card = issue(spec, pki)
        hashes = hash_data_groups(card.files, spec.hash_algorithm)
        del hashes[number]
        return with_file(card, "EF.SOD", sign_sod(spec, hashes, pki))

    return build


def _swapped_security_object(spec: CardSpec, pki: TestPKI) -> CardDump:
    card = issue(spec, pki)
    forged = tamper_file(card, "DG2").files
    return swap_security_object(card, forged, spec)


NEGATIVE_SAMPLES: tuple[NegativeSample, ...] = (
    NegativeSample(
        "tampered-dg2",
        _VN_BASE,
        "tampered DG2 after signing",
        "not_genuine",
        "dg_hash:DG2",
        lambda spec, pki: tamper_file(issue(spec, pki), "DG2"),
    ),
    NegativeSample(
        "flipped-signature",
        _VN_BASE,
        "last byte of the SOD signature flipped",
        "not_genuine",
        "sod_signature",
        lambda spec, pki: corrupt_sod_signature(issue(spec, pki)),
    ),
    NegativeSample(
        "wrong-message-digest",
        _VN_BASE,
        "DG2 tampered and the LDSSecurityObject replaced to match it; the signed messageDigest "
        "attribute no longer matches the eContent",
        "not_genuine",
        "sod_signature",
        _swapped_security_object,
    ),
    NegativeSample(
        "dsc-untrusted-csca",
        _VN_BASE,
        "signed by a DSC of a rogue CSCA with the trusted CSCA's name but another key "
        "(samples/negative/pki-rogue)",
        "unverified",
        "dsc_chain",
        _resigned(dsc="dsc-vn-rogue"),
    ),
    NegativeSample(
        "dsc-expired-at-signing",
        _VN_BASE,
        "signing time 2021-04-10 after the DSC notAfter 2021-01-01 (dsc-vn-2020-expired)",
        "not_genuine",
        "dsc_validity",
        _resigned(dsc="dsc-vn-2020-expired"),
    ),
    NegativeSample(
        "dg15-not-in-sod",
        _VN_BASE,
        "DG15 on the chip but missing from the SOD hash list",
        "not_genuine",
        "dg_hash:DG15",
        _without_dg_in_sod(15),
    ),
    NegativeSample(
        "truncated-sod",
        _VN_BASE,
        f"EF.SOD truncated to its first {TRUNCATED_SOD_BYTES} bytes",
        "not_genuine",
        "sod_parse",
        lambda spec, pki: truncate_sod(issue(spec, pki), keep=TRUNCATED_SOD_BYTES),
    ),
    NegativeSample(
        "dsc-country-mismatch",
        _PASSPORT_BASE,
        "Utopian passport (MRZ issuing state UTO) signed by a Viet Nam DSC (C=VN)",
        "not_genuine",
        "country_binding",
        _resigned(dsc="dsc-vn-2021", signature="ecdsa-sha256"),
    ),
    NegativeSample(
        "valid-rsa-pss",
        _PASSPORT_BASE,
        "SOD signed with RSASSA-PSS (SHA-256, MGF1-SHA-256, 32-byte salt) by an RSA DSC",
        "genuine",
        None,
        _resigned(signature="rsa-pss-sha256"),
    ),
    NegativeSample(
        "valid-ecdsa-explicit-curve",
        _VN_BASE,
        "ECDSA SOD whose DSC key carries explicit brainpoolP256r1 domain parameters",
        "genuine",
        None,
        _resigned(dsc="dsc-vn-2021-explicit"),
    ),
    NegativeSample(
        "valid-sha1",
        _VN_BASE,
        "SOD hashed and signed with SHA-1 (legacy; sod_signature passes with a warning)",
        "genuine",
        None,
        _resigned(hash_algorithm="sha1", signature="ecdsa-sha1"),
    ),
)


def issue_negative(sample: NegativeSample, pki: TestPKI | None = None) -> CardDump:
    """The dump of ``sample``, with its note; ``pki`` must hold the rogue and extra DSCs."""
    pki = pki or negative_pki().pki
    spec = next(s for s in SAMPLES if s.name == sample.base)
    return replace(sample.build(spec, pki), note=sample.note)


# --- writing -----------------------------------------------------------------------------------


def _clear_dump_dir(target: Path) -> None:
    """Remove what a previous run wrote (and nothing else) so stale files cannot survive."""
    if target.is_dir():
        for entry in target.iterdir():
            if entry.name in ALLOWED_NAMES | {"card.json", "secrets.json"} and entry.is_file():
                entry.unlink()


def _clear_pki_dir(target: Path) -> None:
    if target.is_dir():
        for entry in target.iterdir():
            if entry.is_file() and entry.suffix in (".der", ".pem", ".crl", ".md"):
                entry.unlink()


def write_sample(spec: CardSpec, directory: str | Path, pki: TestPKI | None = None) -> Path:
    """Issue ``spec`` into ``directory/spec.name``, removing files a previous run left there."""
    target = Path(directory) / spec.name
    _clear_dump_dir(target)
    return save(issue(spec, pki), target, include_access=True)


def write_negative_samples(directory: str | Path) -> list[Path]:
    """Write ``pki-rogue/``, ``pki-extra/`` and every :data:`NEGATIVE_SAMPLES` dump into
    ``directory`` (normally ``samples/negative``)."""
    root = Path(directory)
    negative = negative_pki()
    for name in ("pki-rogue", "pki-extra"):
        _clear_pki_dir(root / name)
    written = negative.write(root)
    for sample in NEGATIVE_SAMPLES:
        target = root / sample.name
        _clear_dump_dir(target)
        written.append(save(issue_negative(sample, negative.pki), target, include_access=True))
    (root / "README.md").write_text(_negative_readme(), encoding="utf-8")
    return written


def _negative_readme() -> str:
    lines = [
        "# Negative and edge-case samples — synthetic, never real people",
        "",
        "Generated by `python -m cccd_sim.issuer samples/`. Each directory is a",
        "`cccd-dump/1` derived from a sample one level up, with exactly one defect (or one",
        "unusual but valid encoding). Verified with `samples/pki/csca-*.der` and `csca-*.crl`",
        "trusted, each must reach the verdict below, with the named check as the only failure",
        "(for `unverified`, the only check left unproven).",
        "`pki-rogue/` holds the look-alike CSCA of `dsc-untrusted-csca` (never trust it);",
        "`pki-extra/` holds extra genuine DSCs the samples embed.",
        "",
        "| sample | derived from | defect | verdict | failing check |",
        "| --- | --- | --- | --- | --- |",
    ]
    for sample in NEGATIVE_SAMPLES:
        lines.append(
            f"| `{sample.name}` | `{sample.base}` | {sample.defect} | {sample.verdict} "
            f"| {f'`{sample.failing_check}`' if sample.failing_check else '-'} |"
        )
    return "\n".join(lines) + "\n"


def write_samples(directory: str | Path, pki: TestPKI | None = None) -> list[Path]:
    """Regenerate every sample, ``pki/`` and ``negative/`` under ``directory``; output is
    byte-identical."""
    pki = pki or default_pki()
    root = Path(directory)
    pki_dir = root / "pki"
    _clear_pki_dir(pki_dir)
    written = [pki.write(pki_dir)]
    written += [write_sample(spec, root, pki) for spec in SAMPLES]
    written += write_negative_samples(root / NEGATIVE_DIR)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m cccd_sim.issuer SAMPLES_DIR", file=sys.stderr)
        return 2
    for path in write_samples(args[0]):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
