"""Parsers of EF.COM and the data groups: the synthetic samples, hand-made edge cases, fuzzing."""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from asn1crypto import core
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cccd_reader.errors import LDSError
from cccd_reader.image_headers import image_size, jpeg_size
from cccd_reader.iso7816 import tlv
from cccd_reader.lds.card_security import parse_card_security
from cccd_reader.lds.com import parse_com
from cccd_reader.lds.dg2 import (
    MAX_IMAGE_BYTES,
    decode_image,
    parse_dg2,
)
from cccd_reader.lds.dg11 import parse_dg11
from cccd_reader.lds.dg12 import parse_dg12
from cccd_reader.lds.dg13 import parse_dg13
from cccd_reader.lds.dg15 import parse_dg15

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
ANH = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"
PHUOC = SAMPLES / "vn-cancuoc-2024-dang-huu-phuoc"
HUONG = SAMPLES / "vn-cccd-2021-le-thi-thu-huong-lifetime"
UTOPIA = SAMPLES / "passport-utopia-td3"


def sample_file(card: Path, name: str) -> bytes:
    path = card / name
    if not path.exists():
        pytest.fail(f"sample file {card.name}/{name} is missing from samples/")
    return path.read_bytes()


# --- hand-made builders ----------------------------------------------------------------------


def seq(*parts: bytes) -> bytes:
    return tlv.encode(0x30, b"".join(parts))


def integer(n: int) -> bytes:
    return bytes(core.Integer(n).dump())


def utf8(text: str) -> bytes:
    return bytes(core.UTF8String(text).dump())


def printable(text: str) -> bytes:
    return bytes(core.PrintableString(text).dump())


def dg13_entry(number: int, *values: bytes) -> bytes:
    return seq(integer(number), *values)


def build_dg13(entries: Sequence[bytes]) -> bytes:
    oid = bytes(core.ObjectIdentifier("1.0.10646.1.0.8").dump())
    return tlv.encode(0x6D, seq(integer(1), oid, tlv.encode(0x31, b"".join(entries))))


def vn_entries(**over: bytes | None) -> list[bytes]:
    """A complete DG13 (numbers as keys ``f1``...) with per-field overrides; None drops one."""
    base: dict[str, bytes | None] = {
        "f1": dg13_entry(1, printable("001190012345")),
        "f2": dg13_entry(2, utf8("Nguyễn Thị Ngọc Ánh")),
        "f3": dg13_entry(3, printable("12/05/1990")),
        "f4": dg13_entry(4, utf8("Nữ")),
        "f5": dg13_entry(5, utf8("Việt Nam")),
        "f6": dg13_entry(6, utf8("Kinh")),
        "f7": dg13_entry(7, utf8("Không")),
        "f8": dg13_entry(8, utf8("Liên Hà, Đông Anh, Hà Nội")),
        "f9": dg13_entry(9, utf8("Số 18 Ngõ 72 Thái Hà, Trung Liệt, Đống Đa, Hà Nội")),
        "f10": dg13_entry(10, utf8("")),
        "f11": dg13_entry(11, printable("10/04/2021")),
        "f12": dg13_entry(12, utf8("12/05/2030")),
        "f13": dg13_entry(13, utf8("Nguyễn Văn Hùng"), utf8("Trần Thị Mai")),
        "f14": dg13_entry(14),
        "f15": dg13_entry(15, printable("013579246")),
        "f16": dg13_entry(16, printable("D8339827CB06F03B")),
    }
    base.update(over)
    return [v for v in base.values() if v is not None]


def encode_image(fmt: str, width: int = 48, height: int = 64) -> bytes:
    img = np.full((height, width, 3), 128, np.uint8)
    cv2.rectangle(img, (4, 4), (width - 5, height - 5), (20, 90, 200), 2)
    ok, buf = cv2.imencode(".jpg" if fmt == "jpeg" else ".jp2", img)
    assert ok
    return bytes(buf.tobytes())


def facial_record(image: bytes, *, data_type: int = 0, width: int = 48, height: int = 64,
                  points: int = 0) -> bytes:
    info = bytes([1, data_type]) + width.to_bytes(2, "big") + height.to_bytes(2, "big")
    info += bytes([1, 2]) + bytes(4)
    block = 20 + 8 * points + len(info) + len(image)
    face = (block.to_bytes(4, "big") + points.to_bytes(2, "big") + bytes([2, 1, 2]) + bytes(3)
            + (1).to_bytes(2, "big") + bytes(6) + bytes(8 * points) + info + image)
    return b"FAC\x00010\x00" + (14 + len(face)).to_bytes(4, "big") + b"\x00\x01" + face


def build_dg2(record: bytes, *, count: int = 1, data_tag: int = 0x5F2E) -> bytes:
    header = tlv.encode(0xA1, tlv.encode(0x87, b"\x01\x01") + tlv.encode(0x88, b"\x00\x08"))
    template = tlv.encode(0x7F60, header + tlv.encode(data_tag, record))
    return tlv.encode(0x75, tlv.encode(0x7F61, tlv.encode(0x02, bytes([count])) + template))


# --- EF.COM ----------------------------------------------------------------------------------


def test_com_sample() -> None:
    com = parse_com(sample_file(UTOPIA, "EF.COM"))
    assert com.lds_version == "1.7"
    assert com.unicode_version == "4.0.0"
    assert com.data_groups == ("DG1", "DG2", "DG11", "DG12", "DG15")


def test_com_hand_made_unknown_tags_and_duplicates() -> None:
    data = tlv.encode(0x60, tlv.encode(0x5F01, b"0108") + tlv.encode(0x5C, b"\x61\x75\x63\x61\x99"))
    com = parse_com(data)
    assert com.lds_version == "1.8" and com.unicode_version is None
    assert com.data_groups == ("DG1", "DG2", "DG3")
    assert com.unknown_tags == (0x99,)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        tlv.encode(0x61, tlv.encode(0x5C, b"\x61")),  # wrong outer tag
        tlv.encode(0x60, tlv.encode(0x5F01, b"0107")),  # no tag list
        tlv.encode(0x60, tlv.encode(0x5F01, b"1.7") + tlv.encode(0x5C, b"\x61")),
        bytes.fromhex("6084ffffffff"),  # huge length
        tlv.encode(0x60, tlv.encode(0x5C, b"\x61"))[:-1],  # truncated
    ],
)
def test_com_malformed(data: bytes) -> None:
    with pytest.raises(LDSError, match=r"EF\.COM"):
        parse_com(data)


# --- DG13 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("card", "name", "spouse", "expiry"),
    [
        (ANH, "Nguyễn Thị Ngọc Ánh", None, datetime.date(2030, 5, 12)),
        (PHUOC, "Đặng Hữu Phước", "Lê Ngọc Quỳnh Như", datetime.date(2028, 11, 2)),
        (HUONG, "Lê Thị Thu Hương", "Hoàng Văn Bình", "Không thời hạn"),
    ],
)
def test_dg13_samples(card: Path, name: str, spouse: str | None, expiry: Any) -> None:
    dg = parse_dg13(sample_file(card, "DG13"))
    assert dg.full_name == name
    assert unicodedata.is_normalized("NFC", dg.full_name)
    assert dg.spouse_name == spouse
    assert dg.date_of_expiry == expiry
    assert dg.lifetime == isinstance(expiry, str)
    assert dg.nationality == "Việt Nam"
    assert dg.personal_number is not None and len(dg.personal_number) == 12
    assert dg.field_16 is not None and len(dg.field_16) == 16
    assert dg.version == 1 and dg.charset == "1.0.10646.1.0.8"


def test_dg13_sample_details() -> None:
    dg = parse_dg13(sample_file(ANH, "DG13"))
    assert dg.sex == "Nữ"
    assert dg.date_of_birth == datetime.date(1990, 5, 12)
    assert dg.date_of_issue == datetime.date(2021, 4, 10)
    assert dg.father_name == "Nguyễn Văn Hùng"
    assert dg.mother_name == "Trần Thị Mai"
    assert dg.old_id_number == "013579246"
    assert dg.place_of_residence == "Số 18 Ngõ 72 Thái Hà, Trung Liệt, Đống Đa, Hà Nội"
    phuoc = parse_dg13(sample_file(PHUOC, "DG13"))
    assert phuoc.sex == "Nam" and phuoc.old_id_number is None and 15 not in phuoc.numbers


def test_dg13_hand_made_full() -> None:
    dg = parse_dg13(build_dg13(vn_entries()))
    assert dg.personal_number == "001190012345"
    assert dg.identifying_features is None  # empty optional field
    assert dg.spouse_name is None  # single: field 14 holds only its number
    assert dg.father_name == "Nguyễn Văn Hùng" and dg.mother_name == "Trần Thị Mai"
    assert dg.numbers == tuple(range(1, 17))


def test_dg13_missing_entries_and_order() -> None:
    entries = list(reversed(vn_entries(f3=None, f13=None, f14=None, f15=None, f16=None)))
    dg = parse_dg13(build_dg13(entries))
    assert dg.date_of_birth is None and dg.father_name is None and dg.spouse_name is None
    assert dg.full_name == "Nguyễn Thị Ngọc Ánh"
    assert dg.numbers[0] == 12


@pytest.mark.parametrize("size", [130, 300, 1200])
def test_dg13_long_addresses(size: int) -> None:
    address = ("Thôn Đông, " * 200)[:size]
    assert len(address.encode()) > 127
    dg = parse_dg13(build_dg13(vn_entries(f9=dg13_entry(9, utf8(address)))))
    assert dg.place_of_residence == address


@pytest.mark.parametrize(
    "family",
    [
        dg13_entry(13, utf8("Đặng Hữu Lộc"), utf8("Võ Thị Mỹ Dung")),  # flat
        dg13_entry(13, seq(utf8("Đặng Hữu Lộc"), utf8("Võ Thị Mỹ Dung"))),  # one sequence
        dg13_entry(13, seq(utf8("Đặng Hữu Lộc")), seq(utf8("Võ Thị Mỹ Dung"))),  # one each
    ],
)
def test_dg13_parent_shapes(family: bytes) -> None:
    dg = parse_dg13(build_dg13(vn_entries(f13=family)))
    assert (dg.father_name, dg.mother_name) == ("Đặng Hữu Lộc", "Võ Thị Mỹ Dung")


def test_dg13_parent_unknown_father() -> None:
    family = dg13_entry(13, seq(), seq(utf8("Võ Thị Mỹ Dung")))
    dg = parse_dg13(build_dg13(vn_entries(f13=family)))
    assert dg.father_name is None and dg.mother_name == "Võ Thị Mỹ Dung"


@pytest.mark.parametrize(
    "spouse",
    [dg13_entry(14, utf8("Hoàng Văn Bình")), dg13_entry(14, seq(utf8("Hoàng Văn Bình")))],
)
def test_dg13_spouse(spouse: bytes) -> None:
    assert parse_dg13(build_dg13(vn_entries(f14=spouse))).spouse_name == "Hoàng Văn Bình"


def test_dg13_lifetime_and_text_dates() -> None:
    dg = parse_dg13(build_dg13(vn_entries(
        f12=dg13_entry(12, utf8("Không thời hạn")), f3=dg13_entry(3, printable("00/00/1950")),
    )))
    assert dg.lifetime and dg.date_of_expiry == "Không thời hạn"
    assert dg.date_of_birth == "00/00/1950"


def test_dg13_nfd_is_normalised() -> None:
    nfd = unicodedata.normalize("NFD", "Lê Thị Thu Hương")
    dg = parse_dg13(build_dg13(vn_entries(f2=dg13_entry(2, utf8(nfd)))))
    assert dg.full_name == "Lê Thị Thu Hương"


def test_dg13_printable_and_utf8_both_read_as_utf8() -> None:
    raw = tlv.encode(0x13, "Phước".encode())  # PrintableString tag with UTF-8 bytes
    dg = parse_dg13(build_dg13(vn_entries(f2=dg13_entry(2, raw), f1=dg13_entry(1, utf8("0011")))))
    assert dg.full_name == "Phước" and dg.personal_number == "0011"


def test_dg13_unknown_fields_kept() -> None:
    extra = [dg13_entry(17, utf8("mới")), dg13_entry(18, integer(5)), dg13_entry(19)]
    dg = parse_dg13(build_dg13(vn_entries() + extra))
    assert [(f.number, f.values) for f in dg.unknown] == [
        (17, ("mới",)), (18, (integer(5),)), (19, ()),
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        build_dg13(vn_entries())[:-3],  # truncated
        tlv.encode(0x6C, build_dg13(vn_entries())[2:]),  # wrong outer tag
        bytes.fromhex("6d84ffffffff30"),  # huge length
        build_dg13(vn_entries(f2=dg13_entry(2, tlv.encode(0x0C, b"Ng\xc3")))),  # invalid UTF-8
        build_dg13(vn_entries(f2=dg13_entry(2, integer(2)))),  # not text
        build_dg13([*vn_entries(), dg13_entry(2, utf8("again"))]),  # duplicate number
        build_dg13([seq(utf8("no number"))]),
        build_dg13(vn_entries(f13=dg13_entry(13, utf8("a"), utf8("b"), utf8("c")))),
        build_dg13(vn_entries(f14=dg13_entry(14, utf8("a"), utf8("b")))),
        tlv.encode(0x6D, seq(integer(1))),  # no OID, no SET
        tlv.encode(0x6D, seq(integer(1)) + b"\x00"),
    ],
)
def test_dg13_malformed(data: bytes) -> None:
    with pytest.raises(LDSError, match="DG13"):
        parse_dg13(data)


# --- DG2 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("card", "mime"), [(ANH, "image/jpeg"), (PHUOC, "image/jp2")])
def test_dg2_samples(card: Path, mime: str) -> None:
    dg = parse_dg2(sample_file(card, "DG2"))
    face = dg.face
    assert face is not None and dg.count == 1
    assert face.mime == mime
    assert face.image_data_type == (0 if mime == "image/jpeg" else 1)
    assert (face.width, face.height) == face.codec_size == (240, 320)
    assert face.header.format_owner == 0x0101 and face.header.format_type == 0x0008
    result = decode_image(face.image)
    assert result.status == "ok" and result.pixels is not None
    assert result.pixels.shape[:2] == (320, 240)


@pytest.mark.parametrize("fmt", ["jpeg", "jp2"])
def test_dg2_hand_made(fmt: str) -> None:
    image = encode_image(fmt)
    dg = parse_dg2(build_dg2(facial_record(image, data_type=int(fmt == "jp2"), points=2)))
    face = dg.face
    assert face is not None
    assert face.image == image  # kept raw, byte for byte
    assert face.feature_points == 2
    assert face.codec_size == (48, 64)
    assert decode_image(face.image).status == "ok"


def test_dg2_enciphered_block_is_opaque() -> None:
    dg = parse_dg2(build_dg2(tlv.encode(0x80, b"\x01"), data_tag=0x7F2E))
    assert dg.face is None and dg.opaque_blocks == 1


@pytest.mark.parametrize(
    "data",
    [
        b"",
        build_dg2(b"FAX\x00" + facial_record(b"\xff\xd8\xff")[4:]),  # bad magic
        build_dg2(facial_record(b"\xff\xd8\xff")[:-1]),  # record length mismatch
        build_dg2(b"FAC\x00030\x00" + facial_record(b"\xff\xd8\xff")[8:]),  # other version
        build_dg2(facial_record(b"")),  # no image
        build_dg2(b"FAC\x00010\x00\x00\x00\x00\x0e\x00\x00"),  # zero faces
        build_dg2(facial_record(b"\xff\xd8\xff"), count=2),  # count mismatch
        tlv.encode(0x75, tlv.encode(0x5F2E, b"\x00" * 40)),  # not a biometric group
        build_dg2(facial_record(b"\xff\xd8\xff"))[:-5],  # truncated TLV
        bytes.fromhex("7584ffffffff"),  # huge length
        tlv.encode(0x76, b""),
    ],
)
def test_dg2_malformed(data: bytes) -> None:
    with pytest.raises(LDSError, match="DG2"):
        parse_dg2(data)


def _jpeg_header(width: int, height: int) -> bytes:
    sof = b"\x08" + height.to_bytes(2, "big") + width.to_bytes(2, "big") + b"\x03" + bytes(9)
    return b"\xff\xd8" + b"\xff\xc0" + (len(sof) + 2).to_bytes(2, "big") + sof + b"\xff\xd9"


def test_decode_refuses_huge_dimensions_before_decoding() -> None:
    image = _jpeg_header(5000, 100)
    assert jpeg_size(image) == (5000, 100)
    result = decode_image(image)
    assert result.status == "refused" and "5000x100" in result.detail


def test_decode_refuses_huge_files() -> None:
    image = encode_image("jpeg")
    big = image[:-2] + bytes(MAX_IMAGE_BYTES) + image[-2:]
    assert decode_image(big).status == "refused"
    assert decode_image(image, max_bytes=100).status == "refused"


def test_jp2_siz_larger_than_ihdr_is_refused() -> None:
    image = bytearray(encode_image("jp2"))
    siz = image.index(b"\xff\x4f\xff\x51")
    image[siz + 8 : siz + 12] = (10000).to_bytes(4, "big")  # Xsiz
    assert image_size(bytes(image)) == (10000, 64)
    assert decode_image(bytes(image)).status == "refused"


@pytest.mark.parametrize(
    "image",
    [b"\xff\xd8\xff" + b"\x00" * 50, b"GIF89a" + bytes(20), b"\xff\xd8\xff\xda\x00\x02"],
)
def test_undecodable_images_are_results_not_errors(image: bytes) -> None:
    dg = parse_dg2(build_dg2(facial_record(image)))
    assert dg.face is not None
    assert decode_image(dg.face.image).status in ("refused", "failed")


def test_corrupt_jpeg_body_fails_decoding() -> None:
    image = _jpeg_header(48, 64)
    assert decode_image(image).status == "failed"


# --- DG11 / DG12 -----------------------------------------------------------------------------


def test_dg11_dg12_passport_sample() -> None:
    dg11 = parse_dg11(sample_file(UTOPIA, "DG11"))
    assert dg11.full_name == "ERIKSSON<<ANNA<MARIA"
    assert dg11.full_date_of_birth == datetime.date(1974, 8, 12)
    assert dg11.place_of_birth == "ZENITH<UTOPIA"
    assert dg11.address == "123 MAPLE ROAD<ZENITH<UTOPIA"
    assert dg11.tag_list == (0x5F0E, 0x5F10, 0x5F2B, 0x5F11, 0x5F42)
    dg12 = parse_dg12(sample_file(UTOPIA, "DG12"))
    assert dg12.issuing_authority == "UTOPIA PASSPORT OFFICE"
    assert dg12.date_of_issue == datetime.date(2023, 4, 15)


def test_dg11_hand_made() -> None:
    names = tlv.encode(0xA0, tlv.encode(0x02, b"\x02") + tlv.encode(0x5F0F, b"SMITH<<ANNA")
                       + tlv.encode(0x5F0F, "MÜLLER<<ANNA".encode()))
    data = tlv.encode(0x6B, tlv.encode(0x5C, b"\x5f\x0e\xa0\x5f\x2b") + names
                      + tlv.encode(0x5F2B, bytes.fromhex("19740812"))  # BCD
                      + tlv.encode(0x5F16, b"\x01\x02")
                      + tlv.encode(0x5F50, b"?"))
    dg = parse_dg11(data)
    assert dg.other_names == ("SMITH<<ANNA", "MÜLLER<<ANNA")
    assert dg.full_date_of_birth == datetime.date(1974, 8, 12)
    assert dg.proof_of_citizenship == b"\x01\x02"
    assert dg.unknown == ((0x5F50, b"?"),)


def test_dg12_hand_made() -> None:
    persons = tlv.encode(0xA0, tlv.encode(0x02, b"\x01") + tlv.encode(0x5F1A, b"DOE<<JOHN"))
    data = tlv.encode(0x6C, tlv.encode(0x5F26, b"20230415") + persons
                      + tlv.encode(0x5F55, b"20230415103000")
                      + tlv.encode(0x5F1D, b"\xff\xd8\xff")
                      + tlv.encode(0x5F1B, "Không".encode()))
    dg = parse_dg12(data)
    assert dg.other_persons == ("DOE<<JOHN",)
    assert dg.personalization_time == datetime.datetime(2023, 4, 15, 10, 30)
    assert dg.image_front == b"\xff\xd8\xff" and dg.endorsements == "Không"


@pytest.mark.parametrize(
    ("parser", "data"),
    [
        (parse_dg11, tlv.encode(0x6B, tlv.encode(0x5F0E, b"\xff\xfe"))),
        (parse_dg11, tlv.encode(0x6C, b"")),
        (parse_dg11, tlv.encode(0x6B, tlv.encode(0xA0, tlv.encode(0x02, b"\x02")
                                                 + tlv.encode(0x5F0F, b"A")))),
        (parse_dg11, tlv.encode(0x6B, tlv.encode(0x5F10, b"1") + tlv.encode(0x5F10, b"2"))),
        (parse_dg12, tlv.encode(0x6C, tlv.encode(0x5F19, b"\xc3"))),
        (parse_dg12, bytes.fromhex("6c84ffffffff")),
        (parse_dg12, tlv.encode(0x6C, tlv.encode(0x5F26, b"2023"))[:-1]),
    ],
)
def test_dg11_dg12_malformed(parser: Callable[[bytes], object], data: bytes) -> None:
    with pytest.raises(LDSError, match=r"DG1[12]"):
        parser(data)


# --- DG14 / DG15 -----------------------------------------------------------------------------


def test_dg14_sample() -> None:
    from cccd_reader.lds.dg14 import parse_dg14

    dg = parse_dg14(sample_file(ANH, "DG14"))
    assert dg.chip_authentication and dg.active_authentication
    with pytest.raises(LDSError, match="DG14"):
        parse_dg14(tlv.encode(0x6E, tlv.encode(0x30, b"")))
    with pytest.raises(LDSError, match="DG14"):
        parse_dg14(tlv.encode(0x6F, b""))


def test_dg15_samples() -> None:
    ec_key = parse_dg15(sample_file(ANH, "DG15"))
    assert (ec_key.key_type, ec_key.key_size, ec_key.curve) == ("ec", 256, "secp256r1")
    rsa_key = parse_dg15(sample_file(UTOPIA, "DG15"))
    assert rsa_key.key_type == "rsa" and rsa_key.key_size == 1024


def _spki(key: Any) -> bytes:
    return bytes(key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ))


def test_dg15_hand_made() -> None:
    spki = _spki(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    dg = parse_dg15(tlv.encode(0x6F, spki))
    assert (dg.key_type, dg.key_size, dg.spki) == ("rsa", 2048, spki)
    spki = _spki(ec.generate_private_key(ec.SECP384R1()))
    assert parse_dg15(tlv.encode(0x6F, spki)).curve == "secp384r1"


@pytest.mark.parametrize(
    "data",
    [
        tlv.encode(0x6F, b""),
        tlv.encode(0x6F, seq(seq(bytes(core.ObjectIdentifier("1.2.3").dump())),
                             b"\x03\x01\x00")),
        tlv.encode(0x6E, seq()),
        tlv.encode(0x6F, b"\x30\x03\x02\x01"),
    ],
)
def test_dg15_malformed(data: bytes) -> None:
    with pytest.raises(LDSError, match="DG15"):
        parse_dg15(data)


# --- fuzzing: only LDSError may escape -------------------------------------------------------


def _fuzz_inputs(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    """Random bytes, and valid files mutated (truncated, bytes flipped, bytes inserted)."""

    @st.composite
    def mutated(draw: st.DrawFn) -> bytes:
        data = bytearray(draw(st.sampled_from(seeds)))
        for _ in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(["flip", "cut", "insert"]))
            pos = draw(st.integers(0, max(len(data) - 1, 0)))
            if kind == "flip" and data:
                data[pos] = draw(st.integers(0, 255))
            elif kind == "cut":
                data = data[:pos]
            else:
                data[pos:pos] = draw(st.binary(min_size=1, max_size=4))
        return bytes(data)

    return st.one_of(st.binary(max_size=300), mutated())


def _image_record() -> bytes:
    return build_dg2(facial_record(encode_image("jpeg", 16, 16), width=16, height=16))


def _card_security_seeds() -> list[bytes]:
    import dataclasses

    from cccd_sim.issuer import SAMPLES as SPECS
    from cccd_sim.issuer import issue

    base = next(s for s in SPECS if s.chip_auth)
    card = issue(dataclasses.replace(base, pace=(("id-PACE-ECDH-CAM-AES-CBC-CMAC-128", 13),)))
    return [card.files["EF.CardSecurity"]]


FUZZ_TARGETS: list[tuple[str, Callable[[bytes], object], list[bytes]]] = [
    ("EF.COM", parse_com, [tlv.encode(0x60, tlv.encode(0x5F01, b"0107")
                                      + tlv.encode(0x5C, b"\x61\x75"))]),
    ("DG2", parse_dg2, [_image_record()]),
    ("DG11", parse_dg11, [tlv.encode(0x6B, tlv.encode(0x5C, b"\x5f\x0e")
                                     + tlv.encode(0x5F0E, b"A<<B")
                                     + tlv.encode(0x5F2B, b"19740812"))]),
    ("DG12", parse_dg12, [tlv.encode(0x6C, tlv.encode(0x5F26, b"20230415")
                                     + tlv.encode(0x5F55, b"20230415103000"))]),
    ("DG13", parse_dg13, [build_dg13(vn_entries()),
                          build_dg13(vn_entries(f13=dg13_entry(13, seq(utf8("a")), seq())))]),
    ("DG15", parse_dg15, [tlv.encode(0x6F, _spki(ec.generate_private_key(ec.SECP256R1())))]),
    ("EF.CardSecurity", parse_card_security, _card_security_seeds()),
]


@pytest.mark.parametrize(
    ("name", "parser", "seeds"), FUZZ_TARGETS, ids=[t[0] for t in FUZZ_TARGETS]
)
def test_fuzz_only_lds_errors(
    name: str, parser: Callable[[bytes], object], seeds: list[bytes]
) -> None:
    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_fuzz_inputs(seeds))
    def run(data: bytes) -> None:
        try:
            parser(data)
        except LDSError as exc:
            assert name in str(exc)

    run()


def test_fuzz_decode_image_never_raises() -> None:
    seeds = [encode_image("jpeg", 16, 16), encode_image("jp2", 40, 40)]

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_fuzz_inputs(seeds))
    def run(data: bytes) -> None:
        result = decode_image(data)
        assert result.status in ("ok", "refused", "failed")

    run()
