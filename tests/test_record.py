"""CardRecord: built from samples and hand-made files; per-file errors; DG1-vs-DG13 checks."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cccd_reader import dump as dumpmod
from cccd_reader.iso7816 import tlv
from cccd_reader.record import CardRecord
from cccd_reader.session import AccessInfo
from cccd_sim.issuer import encode_dg1
from cccd_sim.mrz_builder import compose_vn_td1
from tests.lds.test_lds import (
    build_dg2,
    build_dg13,
    dg13_entry,
    encode_image,
    facial_record,
    printable,
    utf8,
    vn_entries,
)

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE_NAMES = [
    "vn-cccd-2021-nguyen-thi-ngoc-anh",
    "vn-cancuoc-2024-dang-huu-phuoc",
    "vn-cccd-2021-le-thi-thu-huong-lifetime",
    "passport-utopia-td3",
]
TOP_KEYS = {
    "format", "mrz", "holder", "bhyt", "photo", "consistency", "access", "files", "protected_files",
    "missing_files", "errors", "lds", "additional_personal_details",
    "additional_document_details", "active_authentication_key", "chip_security", "verification",
}
CHECKS = ["personal_number", "date_of_birth", "sex", "date_of_expiry", "name"]

ANH_MRZ = compose_vn_td1(
    personal_number="001190012345", date_of_birth="900512", sex="F", date_of_expiry="300512",
    primary_identifier="NGUYEN", secondary_identifier="THI NGOC ANH",
)


def load_sample(name: str) -> dumpmod.CardDump:
    if not (SAMPLES / name).is_dir():
        pytest.fail(f"sample {name} is missing from samples/")
    return dumpmod.load(SAMPLES / name)


def com(*tags: int) -> bytes:
    return tlv.encode(0x60, tlv.encode(0x5F01, b"0107") + tlv.encode(0x5F36, b"040000")
                      + tlv.encode(0x5C, bytes(tags)))


def vn_files(**dg13_over: bytes | None) -> dict[str, bytes]:
    return {
        "EF.COM": com(0x61, 0x75, 0x63, 0x6D),
        "DG1": encode_dg1(ANH_MRZ),
        "DG2": build_dg2(facial_record(encode_image("jpeg"))),
        "DG13": build_dg13(vn_entries(**dg13_over)),
    }


def statuses(record: CardRecord) -> dict[str, str]:
    return {c.name: c.status for c in record.consistency}


# --- samples ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_samples_build_clean_records(name: str) -> None:
    card = load_sample(name)
    record = CardRecord.from_files(card.files)
    assert record.errors == {}
    doc = record.to_json()
    assert set(doc) == TOP_KEYS
    json.dumps(doc, ensure_ascii=False)  # JSON-ready
    assert doc["files"] == {k: len(v) for k, v in card.files.items()}
    assert doc["photo"]["width"] == 240 and doc["photo"]["height"] == 320
    assert doc["photo"]["decode"]["status"] == "ok"
    assert "data_base64" not in doc["photo"]
    assert doc["verification"] is None
    if name.startswith("vn-"):
        assert [c["name"] for c in doc["consistency"]] == CHECKS
        assert all(c["status"] == "pass" for c in doc["consistency"]), doc["consistency"]
        assert record.consistent is True
    else:
        assert doc["consistency"] == [] and doc["holder"] is None


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_mrz_json_has_the_cli_contract(name: str) -> None:
    """`cccd read --json` promises these MRZ keys (ISO dates) since the foundation issue."""
    card = load_sample(name)
    mrz = CardRecord.from_files(card.files).to_json()["mrz"]
    for key in ("document_number", "date_of_birth", "date_of_expiry", "sex", "nationality",
                "names", "raw"):
        assert key in mrz
    assert len(mrz["date_of_birth"]) == 10 and mrz["date_of_birth"][4] == "-"
    assert "\n" in mrz["raw"]


@pytest.mark.parametrize(
    ("name", "full_name", "mime"),
    [
        ("vn-cccd-2021-nguyen-thi-ngoc-anh", "Nguyễn Thị Ngọc Ánh", "image/jpeg"),
        ("vn-cancuoc-2024-dang-huu-phuoc", "Đặng Hữu Phước", "image/jp2"),
        ("vn-cccd-2021-le-thi-thu-huong-lifetime", "Lê Thị Thu Hương", "image/jpeg"),
    ],
)
def test_sample_holders(name: str, full_name: str, mime: str) -> None:
    record = CardRecord.from_files(load_sample(name).files)
    holder = record.to_json()["holder"]
    assert holder["full_name"] == full_name
    assert holder["nationality"] == "Việt Nam"
    assert set(holder["unknown_fields"]) == {"16"}
    assert record.photo is not None and record.photo.mime == mime


def test_lifetime_card_expiry_check() -> None:
    record = CardRecord.from_files(load_sample("vn-cccd-2021-le-thi-thu-huong-lifetime").files)
    doc = record.to_json()
    holder = doc["holder"]
    # one typed form: no date, lifetime true; the MRZ placeholder (991231) is not exported
    assert holder["date_of_expiry"] is None and holder["lifetime"] is True
    assert doc["mrz"]["date_of_expiry"] is None and "991231" in doc["mrz"]["raw"]
    assert record.lifetime is True and record.date_of_expiry is None
    assert record.holder is not None and record.holder.date_of_expiry is None
    check = next(c for c in record.consistency if c.name == "date_of_expiry")
    assert check.status == "pass" and "lifetime" in check.detail
    assert check.values["dg1_yymmdd"] == "991231"


def test_expiry_and_sex_code_of_a_dated_card() -> None:
    import datetime

    record = CardRecord.from_files(load_sample("vn-cccd-2021-nguyen-thi-ngoc-anh").files)
    doc = record.to_json()
    assert doc["format"] == "cccd-record/1"
    assert record.lifetime is False and isinstance(record.date_of_expiry, datetime.date)
    assert doc["holder"]["date_of_expiry"] == record.date_of_expiry.isoformat()
    assert doc["mrz"]["date_of_expiry"] == record.date_of_expiry.isoformat()
    assert (doc["holder"]["sex"], doc["holder"]["sex_code"]) == ("Nữ", "F")
    passport = CardRecord.from_files(load_sample("passport-utopia-td3").files)
    assert passport.date_of_expiry == passport.mrz.date_of_expiry if passport.mrz else False


def test_repr_masks_personal_data() -> None:
    import logging

    record = CardRecord.from_files(load_sample("vn-cccd-2021-nguyen-thi-ngoc-anh").files)
    assert record.holder is not None and record.mrz is not None
    text = repr(record) + str(record) + repr(record.holder) + f"{record!r}" + repr(record.mrz)
    logging.getLogger("t").debug("%s", record)
    for secret in (record.holder.full_name, record.holder.personal_number,
                   record.mrz.document_number, record.holder.place_of_residence,
                   str(record.holder.date_of_birth), "1990", "NGUYEN"):
        assert secret and secret not in text, secret
    assert "masked" in repr(record) and "masked" in repr(record.holder)


def test_old_attribute_names_are_aliases() -> None:
    record = CardRecord.from_files(load_sample("passport-utopia-td3").files)
    assert record.document is record.mrz and record.dg11 is record.additional_personal_details
    assert record.dg12 is record.additional_document_details
    assert record.dg15 is record.active_authentication_key and record.dg14 is record.chip_security


def test_passport_details() -> None:
    record = CardRecord.from_files(load_sample("passport-utopia-td3").files)
    doc = record.to_json()
    assert doc["mrz"]["format"] == "TD3"
    assert doc["additional_personal_details"]["place_of_birth"] == "ZENITH<UTOPIA"
    assert doc["additional_document_details"]["date_of_issue"] == "2023-04-15"
    assert doc["active_authentication_key"] == {"key_type": "rsa", "key_size": 1024, "curve": None,
                                             "warnings": []}


def test_include_photo_and_access() -> None:
    card = load_sample("vn-cancuoc-2024-dang-huu-phuoc")
    access = AccessInfo(protocol="PACE", cipher="AES-128", password="CAN", mapping="GM",
                        curve="brainpoolP256r1")
    record = CardRecord.from_files(card.files, access=access)
    doc = record.to_json(include_photo=True)
    assert base64.b64decode(doc["photo"]["data_base64"]) == record.photo.data  # type: ignore[union-attr]
    assert doc["access"] == {"protocol": "PACE", "cipher": "AES-128", "password": "CAN",
                             "mapping": "GM", "curve": "brainpoolP256r1"}
    assert doc["chip_security"]["chip_authentication"] is True


# --- hand-made -------------------------------------------------------------------------------


def test_hand_made_record_and_protected_dg3() -> None:
    record = CardRecord.from_files(vn_files(), missing=["DG5"])
    assert record.errors == {}
    assert record.protected_files == ("DG3",)  # listed in EF.COM, guarded by EAC: not an error
    assert record.missing_files == ("DG5",)
    assert all(s == "pass" for s in statuses(record).values())
    holder = record.holder
    assert holder is not None and holder.spouse_name is None
    assert holder.full_name == "Nguyễn Thị Ngọc Ánh"


def test_listed_but_absent_other_dg_is_missing() -> None:
    files = vn_files()
    files["EF.COM"] = com(0x61, 0x75, 0x6D, 0x6B)
    record = CardRecord.from_files(files, protected=["DG3"])
    assert record.protected_files == ("DG3",) and record.missing_files == ("DG11",)


@pytest.mark.parametrize(
    ("over", "failing", "values"),
    [
        ({"f3": dg13_entry(3, printable("13/05/1990"))}, "date_of_birth",
         {"dg1": "1990-05-12", "dg13": "1990-05-13"}),
        ({"f4": dg13_entry(4, utf8("Nam"))}, "sex", {"dg1": "F", "dg13": "Nam"}),
        ({"f2": dg13_entry(2, utf8("Nguyễn Thị Ngọc Anh Thư"))}, "name",
         {"dg13": "Nguyễn Thị Ngọc Anh Thư"}),
        ({"f1": dg13_entry(1, printable("001190012346"))}, "personal_number",
         {"dg13": "001190012346", "dg1_document_number": "190012345"}),
        ({"f12": dg13_entry(12, utf8("12/05/2031"))}, "date_of_expiry",
         {"dg1": "2030-05-12", "dg13": "2031-05-12"}),
    ],
)
def test_disagreement_names_the_failing_check(
    over: dict[str, Any], failing: str, values: dict[str, str]
) -> None:
    record = CardRecord.from_files(vn_files(**over))
    result = statuses(record)
    assert result.pop(failing) == "fail"
    assert set(result.values()) == {"pass"}
    check = next(c for c in record.consistency if c.name == failing)
    assert values.items() <= dict(check.values).items()
    assert record.consistent is False
    assert record.to_json()["consistency"][CHECKS.index(failing)]["status"] == "fail"


def test_text_birth_date_is_skipped_not_failed() -> None:
    record = CardRecord.from_files(vn_files(f3=dg13_entry(3, printable("00/00/1990"))))
    assert statuses(record)["date_of_birth"] == "skipped"


def test_truncated_mrz_name_still_passes() -> None:
    long_name = "Nguyễn Thị Ngọc Ánh Phương Hoàng Minh"
    mrz = compose_vn_td1(
        personal_number="001190012345", date_of_birth="900512", sex="F",
        date_of_expiry="300512", primary_identifier="NGUYEN",
        secondary_identifier="THI NGOC ANH PHUONG HOANG MINH",
    )
    files = vn_files(f2=dg13_entry(2, utf8(long_name)))
    files["DG1"] = encode_dg1(mrz)
    check = next(c for c in CardRecord.from_files(files).consistency if c.name == "name")
    assert check.status == "pass" and "truncated" in check.detail


# --- malformed files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("DG13", build_dg13(vn_entries())[:-4]),  # truncated
        ("DG13", tlv.encode(0x6C, b"\x30\x00")),  # wrong tag
        ("DG13", bytes.fromhex("6d84ffffffff")),  # huge length
        ("DG13", build_dg13(vn_entries(f2=dg13_entry(2, tlv.encode(0x0C, b"\xc3\x28"))))),
        ("DG2", build_dg2(b"JPG\x00" + bytes(40))),  # bad image header
        ("DG2", build_dg2(facial_record(b"\xff\xd8\xff"), count=3)),
        ("DG11", tlv.encode(0x6B, tlv.encode(0x5F0E, b"\xff"))),
        ("DG12", tlv.encode(0x6C, b"\x5f")),
        ("DG15", tlv.encode(0x6F, b"\x30\x00")),
        ("DG14", tlv.encode(0x6E, b"\x31\x02\x02\x00")),
        ("EF.COM", tlv.encode(0x60, b"")),
        ("DG1", tlv.encode(0x61, tlv.encode(0x5F1F, b"TOO SHORT"))),
    ],
)
def test_malformed_file_gives_typed_error_rest_still_built(name: str, data: bytes) -> None:
    files = vn_files()
    files[name] = data
    record = CardRecord.from_files(files)
    assert set(record.errors) == {name}
    error = record.errors[name]
    assert error.type == "LDSError" and name in error.message
    doc = record.to_json()
    assert doc["errors"][name]["type"] == "LDSError"
    assert doc["files"][name] == len(data)
    if name != "DG1":
        assert doc["mrz"]["document_number"] == "190012345"
    if name != "DG13":
        assert doc["holder"]["full_name"] == "Nguyễn Thị Ngọc Ánh"
    if name != "DG2":
        assert doc["photo"]["mime"] == "image/jpeg"
    if name in ("DG1", "DG13"):
        assert doc["consistency"] == []


def test_bad_image_bytes_are_a_photo_status_not_an_error() -> None:
    files = vn_files()
    files["DG2"] = build_dg2(facial_record(b"\xff\xd8\xff" + bytes(60)))
    record = CardRecord.from_files(files)
    assert record.errors == {}
    assert record.photo is not None and record.photo.decode_status in ("refused", "failed")
    assert record.to_json()["photo"]["decode"]["status"] == record.photo.decode_status


def test_decode_photo_false_skips_opencv() -> None:
    record = CardRecord.from_files(vn_files(), decode_photo=False)
    assert record.photo is not None and record.photo.decode_status == "not_attempted"
    assert (record.photo.width, record.photo.height) == (48, 64)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(["EF.COM", "DG1", "DG2", "DG11", "DG12", "DG13", "DG14", "DG15"]),
    st.binary(max_size=200),
)
def test_fuzz_record_never_raises(name: str, data: bytes) -> None:
    files = vn_files()
    files[name] = data
    record = CardRecord.from_files(files)
    json.dumps(record.to_json(include_photo=True), ensure_ascii=False)


@pytest.mark.parametrize("name", SAMPLE_NAMES[:3])
def test_holder_carries_every_dg13_holder_field(name: str) -> None:
    import dataclasses

    from cccd_reader.lds.dg13 import HolderFields, parse_dg13
    from cccd_reader.record import Holder

    dump = dumpmod.load(SAMPLES / name)
    dg13 = parse_dg13(dump.files["DG13"])
    holder = Holder.from_dg13(dg13)
    shared = [f.name for f in dataclasses.fields(HolderFields)]
    assert len(shared) == 16
    for field_name in shared:
        value = getattr(dg13, field_name)
        if field_name == "date_of_expiry" and isinstance(value, str):
            assert holder.date_of_expiry is None and holder.lifetime == dg13.lifetime
        else:
            assert getattr(holder, field_name) == value, field_name
    assert holder.lifetime == dg13.lifetime
