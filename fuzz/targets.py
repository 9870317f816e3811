"""Fuzz targets: every parser that sees bytes or text from a card, a QR code or a trust file.

Each target takes one input and must either return or raise a :class:`CccdError`; any other
exception is a bug, because callers (CLI, desktop app, service) only catch the typed errors and
would otherwise show a traceback or, worse, abort a counter workflow half-way.

Seeds come from ``samples/**`` so the fuzzer starts from structurally valid files and spends its
time on the interesting edges rather than rediscovering the outer tag of each file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cccd_reader.errors import CccdError
from cccd_reader.image_headers import image_size
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.apdu import CommandAPDU, ResponseAPDU
from cccd_reader.iso7816.sm import SecureMessaging
from cccd_reader.lds.card_security import parse_card_security
from cccd_reader.lds.com import parse_com
from cccd_reader.lds.dg1 import parse_dg1
from cccd_reader.lds.dg2 import check_decodable, parse_dg2
from cccd_reader.lds.dg11 import parse_dg11
from cccd_reader.lds.dg12 import parse_dg12
from cccd_reader.lds.dg13 import parse_dg13
from cccd_reader.lds.dg14 import parse_dg14
from cccd_reader.lds.dg15 import parse_dg15
from cccd_reader.lds.security_infos import parse_security_infos
from cccd_reader.lds.sod import parse_sod
from cccd_reader.mrz import parse as parse_mrz
from cccd_reader.pki.trust import Cert, Crl, TrustStore
from cccd_reader.qr.payload import parse_payload
from cccd_reader.record import CardRecord
from cccd_reader.verify import verify

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"


@dataclass(frozen=True)
class Target:
    name: str
    run: Callable[[bytes], object]
    seeds: Callable[[], list[bytes]]
    #: libFuzzer -max_len: big enough for the largest seed, small enough to keep runs fast.
    max_len: int = 4096
    tags: tuple[str, ...] = field(default_factory=tuple)


def _files(*names: str) -> Callable[[], list[bytes]]:
    """Seeds: every sample file (negative samples included) with one of ``names``."""

    def load() -> list[bytes]:
        out: list[bytes] = []
        for name in names:
            for path in sorted(SAMPLES.rglob(name)):
                if path.is_file():
                    data = path.read_bytes()
                    if data not in out:
                        out.append(data)
        return out

    return load


def _mrz_seeds() -> list[bytes]:
    out: list[bytes] = []
    for card in sorted(SAMPLES.rglob("card.json")):
        mrz = json.loads(card.read_text("utf-8")).get("access", {}).get("mrz")
        if mrz and mrz.encode() not in out:
            out.append(mrz.encode())
    for dg1 in _files("DG1")():
        try:
            text = tlv.decode(dg1).require(0x5F1F).value
        except CccdError:
            continue
        if text not in out:
            out.append(text)
    return out


QR_SEEDS = [
    "001190012345|013579246|Nguyễn Thị Ngọc Ánh|12051990|Nữ|"
    "Số 18 Ngõ 72 Thái Hà, Trung Liệt, Đống Đa, Hà Nội|10042021",
    "079088004567||Đặng Hữu Phước|02111988|Nam|"
    "123/4 Nguyễn Đình Chiểu, Phường 5, Quận 3, TP. Hồ Chí Minh|20082024",
    "038155001234|172345678|Lê Thị Thu Hương|17021955|Nữ|"
    "Số 9 Lê Lai, Ngọc Trạo, TP. Thanh Hoá, Thanh Hoá|21062021",
]


def _qr_seeds() -> list[bytes]:
    return [s.encode("utf-8") for s in QR_SEEDS]


def _master_list_seeds() -> list[bytes]:
    """A real signed master list built with the test PKI (the samples ship none)."""
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        from tests.pki.test_pki import _ml_signer, build_master_list
    except Exception:  # tests not importable: fall back to the certificates alone
        return _files("csca-*.der")()
    pki = SAMPLES / "pki"
    csca_vn = x509.load_der_x509_certificate((pki / "csca-vn.der").read_bytes())
    csca_ut = x509.load_der_x509_certificate((pki / "csca-ut.der").read_bytes())
    key = load_pem_private_key((pki / "csca-vn.key.pem").read_bytes(), password=None)
    signer, signer_key = _ml_signer(csca_vn, key)
    return [build_master_list([csca_vn, csca_ut], signer, signer_key)]


def _all_files() -> list[bytes]:
    return [d for d in _files("DG*", "EF.*")() if len(d) <= 8192]


# --- the harnesses ---------------------------------------------------------------------------


def t_tlv(data: bytes) -> None:
    objs = tlv.decode_all(data)
    for obj in objs:
        for _, node in tlv.walk(obj):
            # what we decode must re-encode to the same bytes (strict DER-like lengths aside)
            again = tlv.decode(node.encode())
            assert again == node, "TLV re-encoding changed the object"
    if data:
        tlv.decode_header(data)


def t_dg1(data: bytes) -> None:
    parse_dg1(data)
    parse_dg1(data, strict=False)


def t_dg2(data: bytes) -> None:
    dg2 = parse_dg2(data)
    for face in dg2.faces:
        image_size(face.image)
        check_decodable(face.image)


def _card_security_seeds() -> list[bytes]:
    """EF.CardSecurity as the issuer writes it for a PACE-CAM chip (no sample carries one)."""
    import dataclasses

    from cccd_sim.issuer import SAMPLES as SPECS
    from cccd_sim.issuer import issue

    base = next(s for s in SPECS if s.chip_auth)
    card = issue(dataclasses.replace(base, pace=(("id-PACE-ECDH-CAM-AES-CBC-CMAC-128", 13),)))
    return [card.files["EF.CardSecurity"]]


def t_card_security(data: bytes) -> None:
    parse_card_security(data)
    # the verification check reports every defect as a check: nothing may escape it
    verify({"EF.CardSecurity": data, "DG1": _DG1_SEED}, _TRUST)


def t_sod(data: bytes) -> None:
    parse_sod(data)


def t_sod_verify(data: bytes) -> None:
    # verify() reports every defect as a check: not even a typed error may escape it
    files = {"EF.SOD": data, "DG1": _DG1_SEED}
    verify(files, None)
    verify(files, _TRUST)


def t_mrz(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    parse_mrz(text)
    parse_mrz(text, strict=False)


def t_qr(data: bytes) -> None:
    parse_payload(data)


def t_cert(data: bytes) -> None:
    cert = Cert.load(data)
    # the properties verify.py reads from an embedded DSC must not blow up either
    for attr in ("subject", "issuer", "serial", "country", "issuer_country", "ski", "aki",
                 "fingerprint", "not_before", "not_after", "is_ca", "key_usage",
                 "self_issued", "unknown_critical_extensions", "extended_key_usage",
                 "private_key_usage_period", "spki_der"):
        getattr(cert, attr)
    cert.describe()
    TrustStore().add_certificate(data)


def t_crl(data: bytes) -> None:
    crl = Crl.load(data)
    crl.issuer  # noqa: B018
    crl.this_update  # noqa: B018
    crl.next_update  # noqa: B018
    crl.revocation_of(1)


def t_master_list(data: bytes) -> None:
    TrustStore().add_master_list(data)


def t_apdu(data: bytes) -> None:
    CommandAPDU.from_bytes(data).to_bytes()
    ResponseAPDU.from_bytes(data)


_SM_KEYS = (bytes(range(16)), bytes(range(16, 32)))


def t_sm(data: bytes) -> None:
    if len(data) < 3:
        return
    name = "AES" if data[0] & 1 else "3DES"
    sm = SecureMessaging.from_keys(name, *_SM_KEYS, ssc=0)
    sm.unprotect_response(ResponseAPDU.from_bytes(data[1:]))


def t_record(data: bytes) -> None:
    """One file of a complete sample replaced by the input: the record layer end to end."""
    if not data:
        return
    names = sorted(_RECORD_FILES)
    files = dict(_RECORD_FILES)
    files[names[data[0] % len(names)]] = data[1:]
    CardRecord.build(files, trust=_TRUST, decode_photo=False)


_DG1_SEED = (SAMPLES / "passport-utopia-td3" / "DG1").read_bytes()
_RECORD_FILES = {
    p.name: p.read_bytes()
    for p in (SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh").iterdir()
    if p.name.startswith(("DG", "EF."))
}
_TRUST = TrustStore.from_paths([SAMPLES / "pki"], include_default=False)


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target("tlv", t_tlv, _all_files, 4096),
        Target("com", parse_com, _files("EF.COM")),
        Target("dg1", t_dg1, _files("DG1")),
        Target("dg2", t_dg2, _files("DG2"), 16384),
        Target("dg11", parse_dg11, _files("DG11")),
        Target("dg12", parse_dg12, _files("DG12")),
        Target("dg13", parse_dg13, _files("DG13")),
        Target("dg14", parse_dg14, _files("DG14")),
        Target("dg15", parse_dg15, _files("DG15")),
        Target("card_access", parse_security_infos, _files("EF.CardAccess", "DG14")),
        Target("sod", t_sod, _files("EF.SOD"), 8192),
        Target("card_security", t_card_security, _card_security_seeds, 8192),
        Target("sod_verify", t_sod_verify, _files("EF.SOD"), 8192),
        Target("mrz", t_mrz, _mrz_seeds, 512),
        Target("qr", t_qr, _qr_seeds, 4096),
        Target("cert", t_cert, _files("*.der"), 4096),
        Target("crl", t_crl, _files("*.crl"), 4096),
        Target("master_list", t_master_list, _master_list_seeds, 8192),
        Target("apdu", t_apdu, lambda: [b"\x00\xb0\x00\x00\x00", b"\x90\x00"], 512),
        Target("sm", t_sm, lambda: [b"\x00\x99\x02\x90\x00\x8e\x08" + bytes(8) + b"\x90\x00"],
               1024),
        Target("record", t_record, lambda: [b"\x00" + d for d in _RECORD_FILES.values()], 8192),
    )
}


def run_one(target: Target, data: bytes) -> None:
    """The contract: only typed errors escape."""
    try:
        target.run(data)
    except CccdError:
        pass
