"""The synthetic issuer, its test PKI, EF.SOD and the committed samples.

The samples drive most other tests and the demo, so these tests prove two things: the committed
files are exactly what the issuer produces (regenerated and compared byte for byte), and what it
produces is a correct card (structure, hashes, signatures and chain checked with ``cryptography``
directly, independently of the project's own verification code).
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest
from asn1crypto import algos, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from cccd_reader import dump as dumpmod
from cccd_reader.errors import LDSError
from cccd_reader.iso7816 import tlv
from cccd_reader.lds.dg1 import mrz_text
from cccd_reader.lds.files import FILES, dg_number
from cccd_reader.lds.security_infos import (
    ActiveAuthenticationInfo,
    ChipAuthenticationInfo,
    ChipAuthenticationPublicKeyInfo,
    PACEInfo,
    parse_security_infos,
)
from cccd_reader.lds.sod import LDS_SECURITY_OBJECT_OID, SOD, parse_sod
from cccd_reader.mrz import parse as parse_mrz
from cccd_sim import issuer
from cccd_sim.issuer import SAMPLES, CardSpec
from cccd_sim.pki import default_pki, ec_private_key, rsa_private_key
from cccd_sim.sod_builder import SIGNATURE_SCHEMES, build_sod
from tests.conftest import SAMPLES as SAMPLES_DIR

TODAY = date(2025, 6, 1)
SPECS = {spec.name: spec for spec in SAMPLES}
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("samples")
    issuer.write_samples(root)
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _cert(der: bytes) -> x509.Certificate:
    return x509.load_der_x509_certificate(der)


def _pki_cert(label: str) -> x509.Certificate:
    return _cert((SAMPLES_DIR / "pki" / f"{label}.der").read_bytes())


def _verify_sod_signature(sod: SOD, certificate: x509.Certificate) -> None:
    """Check the SignerInfo signature with ``cryptography``; raises InvalidSignature."""
    signer = sod.signer
    digest = _HASHES[signer.digest_algorithm]()
    key = certificate.public_key()
    if signer.signature_algorithm.endswith("_ecdsa"):
        assert isinstance(key, ec.EllipticCurvePublicKey)
        key.verify(signer.signature, signer.signed_bytes, ec.ECDSA(digest))
    elif signer.signature_algorithm == "rsassa_pss":
        assert isinstance(key, rsa.RSAPublicKey)
        params = algos.SignedDigestAlgorithm.load(signer.signature_algorithm_der)["parameters"]
        assert params["hash_algorithm"]["algorithm"].native == signer.digest_algorithm
        salt = params["salt_length"].native
        key.verify(
            signer.signature, signer.signed_bytes, padding.PSS(padding.MGF1(digest), salt), digest
        )
    else:
        assert signer.signature_algorithm.endswith("_rsa")
        assert isinstance(key, rsa.RSAPublicKey)
        key.verify(signer.signature, signer.signed_bytes, padding.PKCS1v15(), digest)


def _dg13_fields(data: bytes) -> tuple[list[object], dict[int, list[tuple[str, object]]]]:
    """Decode DG13 independently of the issuer: (header values, field number -> typed values)."""
    outer = tlv.decode(data)
    assert outer.tag == 0x6D
    (body,) = outer.children()
    assert body.tag == 0x30
    version, oid, entries = body.children()
    header = [core.load(version.encode()).native, core.load(oid.encode()).dotted]
    assert entries.tag == 0x31
    fields: dict[int, list[tuple[str, object]]] = {}
    for entry in entries.children():
        assert entry.tag == 0x30
        number, *values = (core.load(child.encode(), strict=True) for child in entry.children())
        assert isinstance(number, core.Integer)
        assert number.native not in fields
        fields[number.native] = [(type(v).__name__, v.native) for v in values]
    return header, fields


# --- the committed samples are the issuer's output ---------------------------------------------


def test_regenerating_reproduces_the_committed_samples_byte_for_byte(regenerated: Path) -> None:
    generated = _files(regenerated)
    assert generated, "the issuer wrote nothing"
    for top in sorted({Path(name).parts[0] for name in generated}):
        committed = _files(SAMPLES_DIR / top)
        fresh = {k.split("/", 1)[1]: v for k, v in generated.items() if k.startswith(top + "/")}
        assert sorted(committed) == sorted(fresh), f"file set of samples/{top} differs"
        for name, data in fresh.items():
            assert committed[name] == data, f"samples/{top}/{name} is not the issuer's output"


def test_issuing_twice_gives_identical_dumps() -> None:
    spec = SPECS["vn-cccd-2021-nguyen-thi-ngoc-anh"]
    assert issuer.issue(spec) == issuer.issue(spec)


def test_every_sample_spec_has_a_directory() -> None:
    assert {p.parent.name for p in SAMPLES_DIR.glob("*/card.json")} >= set(SPECS)
    assert len(SPECS) == len(SAMPLES) >= 4


# --- each sample is a correct card -------------------------------------------------------------


@pytest.fixture(params=sorted(SPECS), scope="module")
def sample(request: pytest.FixtureRequest) -> tuple[CardSpec, dumpmod.CardDump]:
    name = request.param
    return SPECS[name], dumpmod.load(SAMPLES_DIR / name)


def test_sample_metadata(sample: tuple[CardSpec, dumpmod.CardDump]) -> None:
    spec, card = sample
    assert card.profile == spec.kind
    assert card.note == "synthetic sample — not a real person"
    assert card.access.mrz is not None
    if spec.is_vn:
        assert card.access.can == spec.personal_number[-6:]
    assert ("EF.CardAccess" in card.files) == bool(spec.pace)
    assert ("DG14" in card.files) == (spec.chip_auth or spec.active_auth == "ecdsa")
    assert ("DG15" in card.files) == (spec.active_auth is not None)
    assert ("DG13" in card.files) == spec.is_vn
    assert ("DG11" in card.files) == ("DG12" in card.files) == (not spec.is_vn)


def test_outer_tags_match_the_file_table(sample: tuple[CardSpec, dumpmod.CardDump]) -> None:
    _, card = sample
    for name, data in card.files.items():
        node = tlv.decode(data)  # exactly one TLV, no trailing bytes
        assert node.tag == FILES[name].tag, name


def test_ef_com_lists_exactly_the_data_groups(sample: tuple[CardSpec, dumpmod.CardDump]) -> None:
    _, card = sample
    com = tlv.decode(card.files["EF.COM"])
    assert com.require(0x5F01).value == b"0107"
    assert com.require(0x5F36).value == b"040000"
    listed = list(com.require(0x5C).value)
    present = sorted((n for n in card.files if dg_number(n)), key=lambda n: dg_number(n) or 0)
    assert listed == [FILES[n].tag for n in present]


def test_sod_hashes_every_data_group(sample: tuple[CardSpec, dumpmod.CardDump]) -> None:
    spec, card = sample
    sod = parse_sod(card.files["EF.SOD"])
    assert sod.hash_algorithm == spec.hash_algorithm == "sha256"
    assert sod.econtent_type == LDS_SECURITY_OBJECT_OID
    dgs = {number: data for n, data in card.files.items() if (number := dg_number(n))}
    assert set(sod.dg_hashes) == set(dgs)
    for number, data in dgs.items():
        assert sod.dg_hashes[number] == hashlib.sha256(data).digest(), f"DG{number}"
    if spec.lds_version_info:
        assert (sod.version, sod.lds_version, sod.unicode_version) == (1, "0107", "040000")
    else:
        assert (sod.version, sod.lds_version) == (0, None)


def test_sod_signature_and_chain(sample: tuple[CardSpec, dumpmod.CardDump]) -> None:
    spec, card = sample
    sod = parse_sod(card.files["EF.SOD"])
    assert sod.signed_data_version == 3
    assert len(sod.certificates) == 1
    dsc = _cert(sod.certificates[0])
    assert dsc == _pki_cert(spec.dsc)

    signer = sod.signer
    assert signer.content_type == LDS_SECURITY_OBJECT_OID
    assert signer.message_digest == hashlib.new(signer.digest_algorithm, sod.econtent).digest()
    if spec.sid == "ski":
        assert signer.version == 3
        ski = dsc.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
        assert signer.subject_key_identifier == ski
    else:
        assert signer.version == 1
        assert signer.issuer == dsc.issuer.public_bytes()
        assert signer.serial_number == dsc.serial_number
    _verify_sod_signature(sod, dsc)

    csca = _pki_cert(default_pki().issuers[spec.dsc])
    dsc.verify_directly_issued_by(csca)
    csca.verify_directly_issued_by(csca)
    crl = x509.load_der_x509_crl(
        (SAMPLES_DIR / "pki" / f"{default_pki().issuers[spec.dsc]}.crl").read_bytes()
    )
    csca_key = csca.public_key()
    assert isinstance(csca_key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey)
    assert crl.is_signature_valid(csca_key)
    assert len(list(crl)) == 0

    if spec.signing_time:
        assert signer.signing_time is not None
        assert dsc.not_valid_before_utc <= signer.signing_time <= dsc.not_valid_after_utc
        period = dsc.extensions.get_extension_for_class(x509.PrivateKeyUsagePeriod).value
        assert period.not_before is not None and period.not_after is not None
        assert period.not_before <= signer.signing_time.replace(tzinfo=None) <= period.not_after
    else:
        assert signer.signing_time is None


def test_dg1_mrz_parses_and_matches_the_access_data(
    sample: tuple[CardSpec, dumpmod.CardDump],
) -> None:
    spec, card = sample
    text = mrz_text(card.files["DG1"])
    assert text == card.access.mrz
    mrz = parse_mrz(text, today=TODAY)
    assert mrz.birth_yymmdd == f"{spec.date_of_birth:%y%m%d}"
    assert mrz.sex == spec.sex
    if spec.is_vn:
        assert mrz.format == "TD1"
        assert (mrz.document_code, mrz.issuing_state) == ("ID", "VNM")
        assert mrz.personal_number == spec.personal_number
        assert mrz.document_number == spec.personal_number[-9:]
    else:
        assert mrz.format == "TD3"
        assert mrz.document_number == spec.document_number
    if spec.date_of_expiry is None:
        # 99MMDD of the birth date, unless the spec keeps the far-date placeholder
        expected = spec.lifetime_mrz_expiry or f"99{spec.date_of_birth:%m%d}"
        assert mrz.expiry_yymmdd == expected
    else:
        assert mrz.date_of_expiry == spec.date_of_expiry


def test_dg2_is_a_decodable_iso19794_5_portrait(sample: tuple[CardSpec, dumpmod.CardDump]) -> None:
    spec, card = sample
    dg2 = card.files["DG2"]
    assert len(dg2) < 20 * 1024
    group = tlv.decode(dg2).require(0x7F61)
    assert group.require(0x02).value == b"\x01"
    template = group.require(0x7F60)
    header = template.require(0xA1)
    assert header.require(0x87).value == b"\x01\x01"
    assert header.require(0x88).value == b"\x00\x08"
    record = template.require(0x5F2E).value
    assert record[:8] == b"FAC\x00010\x00"
    assert int.from_bytes(record[8:12], "big") == len(record)
    assert int.from_bytes(record[12:14], "big") == 1
    assert int.from_bytes(record[14:18], "big") == len(record) - 14
    assert record[20] == {"M": 1, "F": 2}[spec.sex]
    info = record[34:46]
    assert info[1] == {"jpeg": 0, "jp2": 1}[spec.photo]
    width, height = int.from_bytes(info[2:4], "big"), int.from_bytes(info[4:6], "big")
    image = record[46:]
    assert image.startswith(b"\xff\xd8" if spec.photo == "jpeg" else b"\x00\x00\x00\x0cjP  ")
    pixels = cv2.imdecode(np.frombuffer(image, np.uint8), cv2.IMREAD_COLOR)
    assert pixels is not None and pixels.shape == (height, width, 3) == (320, 240, 3)


def test_security_infos_and_chip_keys(sample: tuple[CardSpec, dumpmod.CardDump]) -> None:
    spec, card = sample
    if spec.pace:
        infos = parse_security_infos(card.files["EF.CardAccess"])
        assert all(isinstance(i, PACEInfo) and i.version == 2 for i in infos)
        assert [
            (i.algorithm.name if i.algorithm else None, i.parameter_id)
            for i in infos
            if isinstance(i, PACEInfo)
        ] == list(spec.pace)
    dg14 = parse_security_infos(card.files["DG14"]) if "DG14" in card.files else []
    if spec.chip_auth:
        key = serialization.load_pem_private_key(
            card.secrets["chip_auth_private_key"].encode(), None
        )
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        assert key.curve.name == "brainpoolP256r1"
        (pk,) = [i for i in dg14 if isinstance(i, ChipAuthenticationPublicKeyInfo)]
        (ca,) = [i for i in dg14 if isinstance(i, ChipAuthenticationInfo)]
        assert ca.version == 1 and ca.protocol == "0.4.0.127.0.7.2.2.3.2.2"
        assert pk.subject_public_key_info == key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    else:
        assert "chip_auth_private_key" not in card.secrets
    if spec.active_auth is not None:
        key = serialization.load_pem_private_key(
            card.secrets["active_auth_private_key"].encode(), None
        )
        spki = tlv.decode(card.files["DG15"]).value
        assert (
            serialization.load_der_public_key(spki).public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            == spki
        )
        assert (
            key.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            == spki
        )
        if spec.active_auth == "rsa":
            assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 1024
        else:
            assert isinstance(key, ec.EllipticCurvePrivateKey)
            (aa,) = [i for i in dg14 if isinstance(i, ActiveAuthenticationInfo)]
            assert aa.signature_algorithm == "0.4.0.127.0.7.1.1.4.1.3"
    else:
        assert "active_auth_private_key" not in card.secrets


# --- DG13, compared with literal Vietnamese text -----------------------------------------------


ANH_DG13 = {
    1: [("PrintableString", "001190012345")],
    2: [("UTF8String", "Nguyễn Thị Ngọc Ánh")],
    3: [("PrintableString", "12/05/1990")],
    4: [("UTF8String", "Nữ")],
    5: [("UTF8String", "Việt Nam")],
    6: [("UTF8String", "Kinh")],
    7: [("UTF8String", "Không")],
    8: [("UTF8String", "Liên Hà, Đông Anh, Hà Nội")],
    9: [("UTF8String", "Số 18 Ngõ 72 Thái Hà, Trung Liệt, Đống Đa, Hà Nội")],
    10: [("UTF8String", "Nốt ruồi C:1cm trên trước đầu mày phải")],
    11: [("PrintableString", "10/04/2021")],
    12: [("UTF8String", "12/05/2030")],
    13: [("UTF8String", "Nguyễn Văn Hùng"), ("UTF8String", "Trần Thị Mai")],
    14: [],
    15: [("PrintableString", "013579246")],
}


def _nfc(fields: dict[int, list[tuple[str, object]]]) -> None:
    for values in fields.values():
        for _, value in values:
            assert isinstance(value, str) and unicodedata.is_normalized("NFC", value)


def test_dg13_of_nguyen_thi_ngoc_anh() -> None:
    card = dumpmod.load(SAMPLES_DIR / "vn-cccd-2021-nguyen-thi-ngoc-anh")
    header, fields = _dg13_fields(card.files["DG13"])
    assert header == [1, "1.0.10646.1.0.8"]
    assert list(fields) == list(range(1, 17))
    opaque = fields.pop(16)
    assert fields == {
        k: [(t, unicodedata.normalize("NFC", v)) for t, v in vs] for k, vs in ANH_DG13.items()
    }
    _nfc(fields)
    ((kind, value),) = opaque
    assert kind == "PrintableString" and isinstance(value, str) and len(value) == 16


def test_dg13_of_a_married_2024_card_without_old_id() -> None:
    card = dumpmod.load(SAMPLES_DIR / "vn-cancuoc-2024-dang-huu-phuoc")
    _, fields = _dg13_fields(card.files["DG13"])
    _nfc(fields)
    assert 15 not in fields
    assert fields[2] == [("UTF8String", "Đặng Hữu Phước")]
    assert fields[4] == [("UTF8String", "Nam")]
    assert fields[14] == [("UTF8String", "Lê Ngọc Quỳnh Như")]
    assert fields[13] == [("UTF8String", "Đặng Hữu Lộc"), ("UTF8String", "Võ Thị Mỹ Dung")]
    assert fields[12] == [("UTF8String", "02/11/2028")]


def test_dg13_of_a_lifetime_card() -> None:
    card = dumpmod.load(SAMPLES_DIR / "vn-cccd-2021-le-thi-thu-huong-lifetime")
    _, fields = _dg13_fields(card.files["DG13"])
    _nfc(fields)
    assert fields[12] == [("UTF8String", "Không thời hạn")]
    assert fields[7] == [("UTF8String", "Phật giáo")]
    assert fields[15] == [("PrintableString", "172345678")]


def test_vn_names_in_the_mrz_are_family_name_first() -> None:
    card = dumpmod.load(SAMPLES_DIR / "vn-cccd-2021-nguyen-thi-ngoc-anh")
    mrz = parse_mrz(card.access.mrz or "", today=TODAY)
    assert (mrz.primary_identifier, mrz.secondary_identifier) == ("NGUYEN", "THI NGOC ANH")
    assert mrz.lines[2] == "NGUYEN<<THI<NGOC<ANH<<<<<<<<<<"


def test_passport_dg11_dg12() -> None:
    card = dumpmod.load(SAMPLES_DIR / "passport-utopia-td3")
    dg11 = tlv.decode(card.files["DG11"])
    tags = dg11.require(0x5C).value
    assert [c.tag for c in dg11.children()[1:]] == [
        int.from_bytes(tags[i : i + 2], "big") for i in range(0, len(tags), 2)
    ]
    assert dg11.require(0x5F0E).value == b"ERIKSSON<<ANNA<MARIA"
    assert dg11.require(0x5F2B).value == b"19740812"
    dg12 = tlv.decode(card.files["DG12"])
    assert dg12.require(0x5F26).value == b"20230415"
    assert dg12.require(0x5C).value == bytes.fromhex("5F195F26")


# --- build_sod / parse_sod ---------------------------------------------------------------------


@pytest.mark.parametrize("scheme", SIGNATURE_SCHEMES)
@pytest.mark.parametrize("sid", ["issuer_serial", "ski"])
def test_build_sod_every_scheme_verifies(scheme: str, sid: str) -> None:
    pki = default_pki()
    dsc = pki.dsc("dsc-vn-2021" if scheme.startswith("ecdsa") else "dsc-ut-2021")
    dg_hashes = {1: hashlib.sha1(b"dg1").digest(), 2: hashlib.sha1(b"dg2").digest()}
    when = datetime(2022, 3, 4, 5, 6, 7, tzinfo=UTC)
    raw = build_sod(
        dg_hashes,
        private_key=dsc.key,
        certificate=dsc.certificate,
        hash_algorithm="sha1",
        signature=scheme,  # type: ignore[arg-type]
        sid=sid,  # type: ignore[arg-type]
        signing_time=when,
    )
    again = build_sod(
        dg_hashes,
        private_key=dsc.key,
        certificate=dsc.certificate,
        hash_algorithm="sha1",
        signature=scheme,  # type: ignore[arg-type]
        sid=sid,  # type: ignore[arg-type]
        signing_time=when,
    )
    assert raw == again, "build_sod must be deterministic"
    sod = parse_sod(raw)
    assert sod.dg_hashes == dg_hashes and sod.hash_algorithm == "sha1"
    assert sod.signer.digest_algorithm == scheme.rsplit("-", 1)[1]
    assert sod.signer.signing_time == when
    assert sod.signer.sid_kind == sid
    _verify_sod_signature(sod, dsc.certificate)


def test_build_sod_without_certificate_or_attributes_options() -> None:
    dsc = default_pki().dsc("dsc-vn-2021")
    raw = build_sod(
        {1: bytes(32), 2: bytes(32)},
        private_key=dsc.key,
        certificate=dsc.certificate,
        include_certificate=False,
        lds_version=None,
    )
    sod = parse_sod(raw)
    assert sod.certificates == () and sod.version == 0 and sod.signer.signing_time is None
    _verify_sod_signature(sod, dsc.certificate)


def test_parse_sod_exposes_the_asn1crypto_tree() -> None:
    card = dumpmod.load(SAMPLES_DIR / "passport-utopia-td3")
    sod = parse_sod(card.files["EF.SOD"])
    lso = sod.signed_data["encap_content_info"]["content"].parsed
    assert lso["data_group_hash_values"][0]["data_group_number"].native == 1
    assert sod.raw == card.files["EF.SOD"]


_GOOD_SOD = (SAMPLES_DIR / "vn-cccd-2021-nguyen-thi-ngoc-anh" / "EF.SOD").read_bytes()


@pytest.mark.parametrize("cut", [0, 1, 2, 4, 10, 100, len(_GOOD_SOD) // 2, len(_GOOD_SOD) - 1])
def test_parse_sod_truncated(cut: int) -> None:
    with pytest.raises(LDSError):
        parse_sod(_GOOD_SOD[:cut])


def test_parse_sod_rejects_wrong_content() -> None:
    with pytest.raises(LDSError):
        parse_sod(tlv.encode(0x77, tlv.encode(0x30, b"\x01" * 600)))
    with pytest.raises(LDSError):
        parse_sod(b"\x30" + _GOOD_SOD[1:])  # not tag 77
    with pytest.raises(LDSError):
        parse_sod(_GOOD_SOD + b"\x00")  # trailing bytes


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_parse_sod_garbage_raises_only_lds_error(data: bytes) -> None:
    with pytest.raises(LDSError):
        parse_sod(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_parse_sod_garbage_inside_a_valid_wrapper(data: bytes) -> None:
    with pytest.raises(LDSError):
        parse_sod(tlv.encode(0x77, data))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(_GOOD_SOD) - 1), st.integers(0, 255)), min_size=1, max_size=4
    )
)
def test_parse_sod_mutated_never_raises_anything_else(edits: list[tuple[int, int]]) -> None:
    data = bytearray(_GOOD_SOD)
    for at, value in edits:
        data[at] = value
    try:
        parse_sod(bytes(data))
    except LDSError:
        pass


# --- negative variants -------------------------------------------------------------------------


def test_tampered_dg_no_longer_matches_its_hash() -> None:
    card = dumpmod.load(SAMPLES_DIR / "vn-cccd-2021-nguyen-thi-ngoc-anh")
    bad = issuer.tamper_file(card, "DG13")
    assert card.files["DG13"] != bad.files["DG13"]
    tlv.decode(bad.files["DG13"])  # still well-formed
    sod = parse_sod(bad.files["EF.SOD"])
    assert sod.dg_hashes[13] != hashlib.sha256(bad.files["DG13"]).digest()


def test_corrupted_sod_signature_parses_but_does_not_verify() -> None:
    card = dumpmod.load(SAMPLES_DIR / "passport-utopia-td3")
    bad = issuer.corrupt_sod_signature(card)
    sod = parse_sod(bad.files["EF.SOD"])
    with pytest.raises(InvalidSignature):
        _verify_sod_signature(sod, _cert(sod.certificates[0]))


# --- the PKI ------------------------------------------------------------------------------------


def test_keys_are_derived_from_seeds() -> None:
    a = ec_private_key("x", ec.BrainpoolP256R1()).private_numbers().private_value
    assert a == ec_private_key("x", ec.BrainpoolP256R1()).private_numbers().private_value
    assert a != ec_private_key("y", ec.BrainpoolP256R1()).private_numbers().private_value
    assert (
        rsa_private_key("x", 1024).private_numbers() == rsa_private_key("x", 1024).private_numbers()
    )


def test_pki_profile() -> None:
    pki = default_pki()
    for csca in pki.cscas.values():
        cert = csca.certificate
        bc = cert.extensions.get_extension_for_class(x509.BasicConstraints)
        assert bc.critical and bc.value.ca and bc.value.path_length == 0
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage)
        assert ku.critical and ku.value.key_cert_sign and ku.value.crl_sign
        assert not ku.value.digital_signature
        assert cert.issuer == cert.subject
        assert cert.not_valid_before_utc == datetime(2020, 1, 1, tzinfo=UTC)
    for label, dsc in pki.dscs.items():
        cert = dsc.certificate
        issuer_cert = pki.csca_for(label).certificate
        assert cert.issuer == issuer_cert.subject
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage)
        assert ku.critical and ku.value.digital_signature and not ku.value.key_cert_sign
        aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
        ski = issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        assert aki.key_identifier == ski.digest
        country = cert.subject.get_attributes_for_oid(x509.NameOID.COUNTRY_NAME)[0].value
        assert (
            country
            == issuer_cert.subject.get_attributes_for_oid(x509.NameOID.COUNTRY_NAME)[0].value
        )
        assert issuer_cert.not_valid_before_utc <= cert.not_valid_before_utc
        assert cert.not_valid_after_utc <= issuer_cert.not_valid_after_utc
    readme = (SAMPLES_DIR / "pki" / "README.md").read_text(encoding="utf-8")
    assert "never trust in production" in readme


def test_issue_rejects_unknown_dsc() -> None:
    spec = replace(SPECS["passport-utopia-td3"], dsc="dsc-nowhere")
    with pytest.raises(KeyError):
        issuer.issue(spec)


def test_issue_refuses_a_spec_contradicting_its_chip_profile() -> None:
    spec = SPECS["vn-cancuoc-2024-dang-huu-phuoc"]
    with pytest.raises(ValueError, match="contradicts"):
        issuer.issue(replace(spec, bac=True))
    with pytest.raises(ValueError, match="needs PACE"):
        issuer.issue(replace(spec, pace=()))


# --- the negative samples ----------------------------------------------------------------------

NEGATIVE_DIR = SAMPLES_DIR / issuer.NEGATIVE_DIR
NEGATIVE = {sample.name: sample for sample in issuer.NEGATIVE_SAMPLES}
#: Files of each negative sample that differ from its base sample, and nothing else.
CHANGED_FILES = {
    "tampered-dg2": {"DG2"},
    "flipped-signature": {"EF.SOD"},
    "wrong-message-digest": {"DG2", "EF.SOD"},
    "dsc-untrusted-csca": {"EF.SOD"},
    "dsc-expired-at-signing": {"EF.SOD"},
    "dg15-not-in-sod": {"EF.SOD"},
    "truncated-sod": {"EF.SOD"},
    "dsc-country-mismatch": {"EF.SOD"},
    "valid-rsa-pss": {"EF.SOD"},
    "valid-ecdsa-explicit-curve": {"EF.SOD"},
    "valid-sha1": {"EF.SOD"},
}


def _negative(name: str) -> tuple[dumpmod.CardDump, dumpmod.CardDump]:
    """(the negative sample, the committed sample it was derived from)."""
    return dumpmod.load(NEGATIVE_DIR / name), dumpmod.load(SAMPLES_DIR / NEGATIVE[name].base)


def _extra_cert(directory: str, label: str) -> x509.Certificate:
    return _cert((NEGATIVE_DIR / directory / f"{label}.der").read_bytes())


def test_regeneration_covers_the_negative_samples(regenerated: Path) -> None:
    fresh = _files(regenerated / issuer.NEGATIVE_DIR)
    assert fresh == _files(NEGATIVE_DIR)
    assert {Path(name).parts[0] for name in fresh} == set(NEGATIVE) | {
        "pki-rogue",
        "pki-extra",
        "README.md",
    }
    readme = fresh["README.md"].decode("utf-8")
    assert all(f"`{name}`" in readme for name in NEGATIVE)
    for name in NEGATIVE:
        assert f"{name}/card.json" in fresh


def test_negative_samples_are_deterministic() -> None:
    sample = NEGATIVE["wrong-message-digest"]
    assert issuer.issue_negative(sample) == issuer.issue_negative(sample)


def test_every_negative_sample_is_tabled() -> None:
    assert set(CHANGED_FILES) == set(NEGATIVE)


@pytest.mark.parametrize("name", sorted(CHANGED_FILES))
def test_negative_sample_differs_from_its_base_only_where_claimed(name: str) -> None:
    bad, base = _negative(name)
    assert set(bad.files) == set(base.files)
    assert {n for n in base.files if bad.files[n] != base.files[n]} == CHANGED_FILES[name]
    assert bad.access == base.access and bad.profile == base.profile
    assert bad.note == NEGATIVE[name].note
    assert bad.note and bad.note.startswith(
        "valid: " if NEGATIVE[name].verdict == "genuine" else "negative: "
    )


def test_tampered_dg2_sample() -> None:
    bad, base = _negative("tampered-dg2")
    sod = parse_sod(bad.files["EF.SOD"])
    assert sod.dg_hashes[2] == hashlib.sha256(base.files["DG2"]).digest()
    assert sod.dg_hashes[2] != hashlib.sha256(bad.files["DG2"]).digest()
    tlv.decode(bad.files["DG2"])  # still well-formed: only the hash can tell


def test_flipped_signature_sample() -> None:
    bad, _ = _negative("flipped-signature")
    sod = parse_sod(bad.files["EF.SOD"])
    with pytest.raises(InvalidSignature):
        _verify_sod_signature(sod, _pki_cert("dsc-vn-2021"))


def test_wrong_message_digest_sample() -> None:
    bad, base = _negative("wrong-message-digest")
    sod, original = parse_sod(bad.files["EF.SOD"]), parse_sod(base.files["EF.SOD"])
    assert sod.signer == original.signer  # the SignerInfo is untouched ...
    _verify_sod_signature(sod, _pki_cert("dsc-vn-2021"))  # ... and its signature still holds
    assert sod.signer.message_digest != hashlib.sha256(sod.econtent).digest()
    for number, digest in sod.dg_hashes.items():  # the forged list matches the forged DG2
        assert digest == hashlib.sha256(bad.files[f"DG{number}"]).digest()


def test_untrusted_csca_sample() -> None:
    bad, _ = _negative("dsc-untrusted-csca")
    sod = parse_sod(bad.files["EF.SOD"])
    dsc = _cert(sod.certificates[0])
    genuine, rogue_csca = _pki_cert("dsc-vn-2021"), _extra_cert("pki-rogue", "csca-vn-rogue")
    assert dsc == _extra_cert("pki-rogue", "dsc-vn-rogue") != genuine
    assert (dsc.subject, dsc.issuer, dsc.serial_number) == (
        genuine.subject,
        genuine.issuer,
        genuine.serial_number,
    )
    assert rogue_csca.subject == _pki_cert("csca-vn").subject
    rogue_csca.verify_directly_issued_by(rogue_csca)
    dsc.verify_directly_issued_by(rogue_csca)
    with pytest.raises(InvalidSignature):
        dsc.verify_directly_issued_by(_pki_cert("csca-vn"))
    _verify_sod_signature(sod, dsc)


def test_expired_dsc_sample() -> None:
    bad, _ = _negative("dsc-expired-at-signing")
    sod = parse_sod(bad.files["EF.SOD"])
    dsc = _cert(sod.certificates[0])
    assert dsc == _extra_cert("pki-extra", "dsc-vn-2020-expired")
    dsc.verify_directly_issued_by(_pki_cert("csca-vn"))
    _verify_sod_signature(sod, dsc)
    assert sod.signer.signing_time is not None
    assert sod.signer.signing_time > dsc.not_valid_after_utc


def test_dg15_missing_from_the_sod_sample() -> None:
    bad, _ = _negative("dg15-not-in-sod")
    sod = parse_sod(bad.files["EF.SOD"])
    assert "DG15" in bad.files and 15 not in sod.dg_hashes
    for number, digest in sod.dg_hashes.items():
        assert digest == hashlib.sha256(bad.files[f"DG{number}"]).digest()
    _verify_sod_signature(sod, _pki_cert("dsc-vn-2021"))


def test_truncated_sod_sample() -> None:
    bad, base = _negative("truncated-sod")
    assert bad.files["EF.SOD"] == base.files["EF.SOD"][: issuer.TRUNCATED_SOD_BYTES]
    with pytest.raises(LDSError):
        parse_sod(bad.files["EF.SOD"])


def test_country_mismatch_sample() -> None:
    bad, _ = _negative("dsc-country-mismatch")
    sod = parse_sod(bad.files["EF.SOD"])
    assert _cert(sod.certificates[0]) == _pki_cert("dsc-vn-2021")
    assert parse_mrz(mrz_text(bad.files["DG1"]), today=TODAY).issuing_state == "UTO"
    _verify_sod_signature(sod, _pki_cert("dsc-vn-2021"))


def test_rsa_pss_sample() -> None:
    bad, _ = _negative("valid-rsa-pss")
    sod = parse_sod(bad.files["EF.SOD"])
    assert sod.signer.signature_algorithm == "rsassa_pss"
    assert _cert(sod.certificates[0]) == _pki_cert("dsc-ut-2021")
    _verify_sod_signature(sod, _pki_cert("dsc-ut-2021"))


def test_sha1_sample() -> None:
    bad, _ = _negative("valid-sha1")
    sod = parse_sod(bad.files["EF.SOD"])
    assert (sod.hash_algorithm, sod.signer.digest_algorithm) == ("sha1", "sha1")
    assert sod.signer.signature_algorithm == "sha1_ecdsa"
    for number, digest in sod.dg_hashes.items():
        assert digest == hashlib.sha1(bad.files[f"DG{number}"]).digest()
    _verify_sod_signature(sod, _pki_cert("dsc-vn-2021"))


def test_explicit_curve_sample() -> None:
    bad, _ = _negative("valid-ecdsa-explicit-curve")
    sod = parse_sod(bad.files["EF.SOD"])
    der = sod.certificates[0]
    dsc = _cert(der)
    assert dsc == _extra_cert("pki-extra", "dsc-vn-2021-explicit")
    dsc.verify_directly_issued_by(_pki_cert("csca-vn"))  # the CSCA really signed it
    spki = asn1_x509.Certificate.load(der)["tbs_certificate"]["subject_public_key_info"]
    params = spki["algorithm"]["parameters"]
    assert params.name == "specified"
    domain = params.chosen
    key = serialization.load_pem_private_key(
        (NEGATIVE_DIR / "pki-extra" / "dsc-vn-2021-explicit.key.pem").read_bytes(), None
    )
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    assert key.curve.name == "brainpoolP256r1"
    # the spelled-out curve is brainpoolP256r1: its generator is 1·G of the named curve
    generator = ec.derive_private_key(1, ec.BrainpoolP256R1()).public_key()
    assert domain["base"].native == generator.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert domain["order"].native == ec.BrainpoolP256R1().group_order
    point = bytes(spki["public_key"].native)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.BrainpoolP256R1(), point)
    assert public.public_numbers() == key.public_key().public_numbers()
    public.verify(sod.signer.signature, sod.signer.signed_bytes, ec.ECDSA(hashes.SHA256()))
