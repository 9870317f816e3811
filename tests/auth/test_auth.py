"""Active Authentication and Chip Authentication v1: vectors, both sides in process, trust order."""

from __future__ import annotations

import dataclasses
import os

import pytest
from asn1crypto import core, keys
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from cccd_reader import dump as dumpmod
from cccd_reader.access import bac, pace
from cccd_reader.access.key import AccessKey
from cccd_reader.access.pace import MODP_1024_160, MODP_2048_224, DHGroup
from cccd_reader.auth import active
from cccd_reader.auth import chip as ca
from cccd_reader.auth.active import (
    ISO9796Error,
    iso9796_2_recover,
    iso9796_2_verify,
    verify_active_authentication,
)
from cccd_reader.checks import Check
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.apdu import CommandAPDU
from cccd_reader.iso7816.efreader import FileReader
from cccd_reader.iso7816.transport import ApduChannel, InProcessTransport
from cccd_reader.lds.files import FILES, LDS1_AID
from cccd_reader.lds.security_infos import (
    ID_AA,
    ID_PK_DH,
    ID_PK_ECDH,
    ActiveAuthenticationInfo,
    ChipAuthenticationInfo,
    ChipAuthenticationPublicKeyInfo,
    SecurityInfo,
)
from cccd_reader.pki import curves
from cccd_reader.pki.trust import TrustStore
from cccd_reader.read_flow import read_card
from cccd_reader.record import CardRecord
from cccd_reader.verify import verify
from cccd_sim import issuer
from cccd_sim.aa_signer import iso9796_2_sign, sign_challenge
from cccd_sim.auth_chip import ChipAuthChip, other_scalar
from cccd_sim.cards import chip_for_dump, config_for
from cccd_sim.chip import VirtualChip
from tests.conftest import SAMPLES
from tests.pki.test_pki import explicit_spki, spki

# --- ISO/IEC 9796-2 scheme 1 -------------------------------------------------------------------

# ISO/IEC 9796-2 (edition 1) example with partial recovery, RIPEMD-160 and the implicit trailer
# BC, as published with Bouncy Castle's ISO9796Test ("Test 5": mod3 / pub3 / pri3, msg5, sig5).
VEC_N = int(
    "ffffffff78f6c55506c59785e871211ee120b0b5dd644aa796d82413a47b24573f1be5745b5cd9950f6b389b"
    "52350d4e01e90009669a8720bf265a2865994190a661dea3c7828e2e7ca1b19651adc2d5", 16)
VEC_E = 3
VEC_D = int(
    "2aaaaaaa942920e38120ee965168302fd0301d73a4e60c7143ceb0adf0bf30b9352f50e8b9e4ceedd65343b2"
    "179005b2f099915e4b0c37e41314bb0821ad8330d23cba7f589e0f129b04c46b67dfce9d", 16)
VEC_MSG = bytes.fromhex("fedcba9876543210" * 14)
VEC_SIG = bytes.fromhex(
    "5cf9a01854dbacaec83aae8efc563d74538192e95466babacd361d7c86000fe42dcb4581e48e4feb862d0469"
    "8da9203b1803b262105104d510b365ee9c660857ba1c001aa57abfd1c8de92e47c275cae")


def test_iso9796_2_published_vector_recovers_verifies_and_reproduces() -> None:
    public = rsa.RSAPublicNumbers(VEC_E, VEC_N).public_key()
    rec = iso9796_2_recover(public, VEC_SIG, implicit_hash="ripemd160")
    assert rec.partial and not rec.explicit_trailer and rec.hash_name == "ripemd160"
    assert VEC_MSG.startswith(rec.m1) and 0 < len(rec.m1) < len(VEC_MSG)
    m2 = VEC_MSG[len(rec.m1):]
    iso9796_2_verify(public, VEC_SIG, m2, implicit_hash="ripemd160")
    with pytest.raises(ISO9796Error, match="does not match"):
        iso9796_2_verify(public, VEC_SIG, m2[:-1] + b"\x00", implicit_hash="ripemd160")
    # our signer over the same M1 || M2 gives the same signature (up to the min(s, n-s) choice)
    ours = int.from_bytes(
        iso9796_2_sign((VEC_N, VEC_D), rec.m1, m2, hash_name="ripemd160"), "big"
    )
    theirs = int.from_bytes(VEC_SIG, "big")
    assert ours == min(theirs, VEC_N - theirs)


@pytest.fixture(scope="module")
def rsa_1024() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


def test_iso9796_2_padding_and_full_recovery(rsa_1024: rsa.RSAPrivateKey) -> None:
    public = rsa_1024.public_key()
    sig = iso9796_2_sign(rsa_1024, b"short", b"")
    rec = iso9796_2_recover(public, sig)
    assert rec.m1 == b"short" and not rec.partial
    iso9796_2_verify(public, sig, b"")
    with pytest.raises(ISO9796Error, match="full recovery"):
        iso9796_2_verify(public, sig, b"challenge")
    sig = iso9796_2_sign(rsa_1024, b"m1", b"m2", hash_name="sha256", explicit_trailer=True)
    assert iso9796_2_verify(public, sig, b"m2").m1 == b"m1"


def test_iso9796_2_rejects_garbage(rsa_1024: rsa.RSAPrivateKey) -> None:
    public = rsa_1024.public_key()
    n = public.public_numbers().n
    for bad in (b"\x00" * 128, n.to_bytes(128, "big"), b"\x01" * 129, os.urandom(128)):
        with pytest.raises(ISO9796Error):
            iso9796_2_verify(public, bad, b"12345678")


def test_rsa_active_authentication_pass_and_fail(rsa_1024: rsa.RSAPrivateKey) -> None:
    challenge = os.urandom(8)
    key_spki = spki(rsa_1024.public_key())
    good = verify_active_authentication(key_spki, challenge, sign_challenge(rsa_1024, challenge))
    assert good.status == "pass", good.detail
    other = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    bad = verify_active_authentication(key_spki, challenge, sign_challenge(other, challenge))
    assert bad.status == "fail" and "private key" in bad.detail
    replay = verify_active_authentication(
        key_spki, os.urandom(8), sign_challenge(rsa_1024, challenge)
    )
    assert replay.status == "fail"


ECDSA_OIDS = [
    "0.4.0.127.0.7.1.1.4.1.3",  # ecdsa-plain-SHA256
    "0.4.0.127.0.7.1.1.4.1.4",  # ecdsa-plain-SHA384
    "1.2.840.10045.4.3.2",  # ecdsa-with-SHA256 (DER)
]


@pytest.mark.parametrize("oid", ECDSA_OIDS)
@pytest.mark.parametrize("curve", [ec.SECP256R1(), ec.BrainpoolP256R1(), ec.SECP384R1()],
                         ids=lambda c: c.name)
def test_ecdsa_active_authentication(oid: str, curve: ec.EllipticCurve) -> None:
    key = ec.generate_private_key(curve)
    info = ActiveAuthenticationInfo(ID_AA, 1, oid)
    challenge = os.urandom(8)
    signature = sign_challenge(key, challenge, signature_algorithm=oid)
    if "4.1." in oid:
        assert len(signature) == 2 * ((curve.key_size + 7) // 8)
    result = verify_active_authentication(spki(key.public_key()), challenge, signature, info)
    assert result.status == "pass", result.detail
    wrong = verify_active_authentication(spki(key.public_key()), os.urandom(8), signature, info)
    assert wrong.status == "fail"


def test_ecdsa_active_authentication_with_explicit_parameters_and_without_info() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    params = curves.curve_by_oid("1.2.840.10045.3.1.7")
    assert params is not None
    dg15_key = explicit_spki(key.public_key(), params)
    oid = ECDSA_OIDS[0]
    challenge = os.urandom(8)
    signature = sign_challenge(key, challenge, signature_algorithm=oid)
    info = ActiveAuthenticationInfo(ID_AA, 1, oid)
    result = verify_active_authentication(dg15_key, challenge, signature, info)
    assert result.status == "pass" and "explicit" in result.detail
    missing = verify_active_authentication(dg15_key, challenge, signature, None)
    assert missing.status == "unsupported" and "ActiveAuthenticationInfo" in missing.detail


# --- Chip Authentication, terminal against the virtual chip ------------------------------------

PASSPORT = SAMPLES / "passport-utopia-td3"


def _dh_spki(group: DHGroup, y: int) -> bytes:
    info = keys.PublicKeyInfo(
        {
            "algorithm": {
                "algorithm": "dh",
                "parameters": keys.DomainParameters({"p": group.p, "g": group.g, "q": group.q}),
            },
            "public_key": core.Integer(y),
        }
    )
    return bytes(info.dump())


def _key_info(kind: str, key_id: int | None = None) -> tuple[ChipAuthenticationPublicKeyInfo, int]:
    """A DG14 key entry and its private value: 'ecdh-<curve>' or 'dh-<group>'."""
    if kind.startswith("dh"):
        group = MODP_2048_224 if kind == "dh-2048" else MODP_1024_160
        x = pace.random_scalar(os.urandom, group.q)
        der = _dh_spki(group, pow(group.g, x, group.p))
        return ChipAuthenticationPublicKeyInfo(ID_PK_DH, der, key_id), x
    curve = {"ecdh-p256": ec.SECP256R1(), "ecdh-bp256": ec.BrainpoolP256R1(),
             "ecdh-p384": ec.SECP384R1()}[kind]
    key = ec.generate_private_key(curve)
    return (ChipAuthenticationPublicKeyInfo(ID_PK_ECDH, spki(key.public_key()), key_id),
            key.private_numbers().private_value)


def _ca_oid(key_agreement: str, cipher: str) -> str:
    return next(a.oid for a in ca.CA_ALGORITHMS.values()
                if a.key_agreement == key_agreement and a.cipher_label == cipher)


class Session:
    """The passport sample opened with BAC in process, with a CA chip of the test's choosing."""

    def __init__(self, chip_auth: ChipAuthChip) -> None:
        self.card = dumpmod.load(PASSPORT)
        self.chip = VirtualChip(self.card, config_for("passport"), chip_auth=chip_auth)
        self.commands: list[CommandAPDU] = []
        self.channel = ApduChannel(InProcessTransport(self.chip.process))
        FileReader(self.channel).select_application(LDS1_AID)
        assert self.card.access.mrz
        from cccd_reader.mrz import parse

        bac.perform_bac(self.channel, parse(self.card.access.mrz).mrz_information())
        send = self.channel.send

        def spy(cmd: CommandAPDU) -> object:
            self.commands.append(cmd)
            return send(cmd)

        self.channel.send = spy  # type: ignore[method-assign]

    def authenticate(self, infos: list[SecurityInfo]) -> active.AuthResult:
        return ca.perform_chip_authentication(
            self.channel, infos, proof=(FILES["EF.COM"].fid, self.card.files["EF.COM"])
        )

    def read(self, name: str) -> bytes:
        reader = FileReader(self.channel)
        return reader.read_file(FILES[name].fid)


CA_MATRIX = [
    (kind, cipher)
    for kind in ("ecdh-bp256", "ecdh-p256", "ecdh-p384", "dh-2048", "dh-1024")
    for cipher in ("3DES", "AES-128", "AES-192", "AES-256")
]


@pytest.mark.parametrize("kind,cipher", CA_MATRIX, ids=[f"{k}-{c}" for k, c in CA_MATRIX])
def test_chip_authentication_matrix(kind: str, cipher: str) -> None:
    key_info, private = _key_info(kind)
    key_agreement = "DH" if kind.startswith("dh") else "ECDH"
    infos: list[SecurityInfo] = [
        key_info, ChipAuthenticationInfo(_ca_oid(key_agreement, cipher), 1)
    ]
    session = Session(ChipAuthChip(infos, {None: private}))
    result = session.authenticate(infos)
    assert result.status == "pass", result.detail
    assert session.channel.sm is not None
    assert session.channel.sm.cipher.name == ("3DES" if cipher == "3DES" else "AES")
    # SSC restarted at 0, then one exchange: the proof READ BINARY by SFI
    assert session.channel.sm.ssc.strip(b"\x00") == b"\x02"
    mse = session.commands[0]
    assert (mse.ins, mse.p1, mse.p2) == ((0x22, 0x41, 0xA6) if cipher == "3DES"
                                         else (0x22, 0x41, 0xA4))
    if cipher != "3DES":
        assert session.commands[1].ins == 0x86
    # the session goes on under the new keys
    assert session.read("DG1") == session.card.files["DG1"]


@pytest.mark.parametrize("kind,cipher", [("ecdh-bp256", "AES-128"), ("dh-2048", "3DES")])
def test_chip_authentication_with_the_wrong_private_key_fails(kind: str, cipher: str) -> None:
    key_info, _ = _key_info(kind)
    key_agreement = "DH" if kind.startswith("dh") else "ECDH"
    infos: list[SecurityInfo] = [
        key_info, ChipAuthenticationInfo(_ca_oid(key_agreement, cipher), 1)
    ]
    group = ca.chip_key(key_info).group
    session = Session(ChipAuthChip(infos, {None: other_scalar(group.order)}))
    result = session.authenticate(infos)
    assert result.status == "fail"
    assert "does not hold that private key" in result.detail


def test_key_info_only_dg14_implies_3des() -> None:
    key_info, private = _key_info("ecdh-bp256")
    infos: list[SecurityInfo] = [key_info]
    choice = ca.choose_chip_authentication(infos)
    assert choice.algorithm.name == "id-CA-ECDH-3DES-CBC-CBC"
    session = Session(ChipAuthChip(infos, {None: private}))
    result = session.authenticate(infos)
    assert result.status == "pass", result.detail
    assert (session.commands[0].p1, session.commands[0].p2) == (0x41, 0xA6)
    # one key without keyId: no DO'84
    assert [o.tag for o in tlv.decode_all(session.commands[0].data)] == [0x91]


def test_several_keys_honour_key_ids() -> None:
    dh_info, dh_private = _key_info("dh-2048", key_id=1)
    ec_info, ec_private = _key_info("ecdh-p256", key_id=2)
    infos: list[SecurityInfo] = [
        dh_info,
        ec_info,
        ChipAuthenticationInfo(_ca_oid("DH", "AES-128"), 1, key_id=1),
        ChipAuthenticationInfo(_ca_oid("ECDH", "AES-256"), 1, key_id=2),
    ]
    choice = ca.choose_chip_authentication(infos)
    assert choice.key.key_id == 2 and choice.algorithm.cipher_label == "AES-256"
    # key 1's private key is wrong, but only key 2 is used
    session = Session(ChipAuthChip(infos, {1: other_scalar(MODP_2048_224.q), 2: ec_private}))
    result = session.authenticate(infos)
    assert result.status == "pass", result.detail
    assert "key 2" in result.detail
    assert session.commands[0].data.endswith(b"\x84\x01\x02")  # DO'84 names key 2
    # and a chip whose key 2 is wrong fails, even though key 1 is right
    session = Session(ChipAuthChip(infos, {1: dh_private,
                                           2: other_scalar(ec.SECP256R1().group_order)}))
    assert session.authenticate(infos).status == "fail"


def test_chip_side_refuses_what_dg14_does_not_offer() -> None:
    a_info, a_private = _key_info("ecdh-p256", key_id=1)
    b_info, b_private = _key_info("ecdh-bp256", key_id=2)
    infos: list[SecurityInfo] = [a_info, b_info,
                                 ChipAuthenticationInfo(_ca_oid("ECDH", "AES-128"), 1, key_id=1)]
    chip = ChipAuthChip(infos, {1: a_private, 2: b_private})
    public = ca.chip_key(a_info)
    wire = public.group.encode(public.group.standard_public_key(5))
    # several keys: the key must be named
    assert chip.handle(ca.mse_set_at(_ca_oid("ECDH", "AES-128"), None)).sw == 0x6A88
    assert chip.handle(ca.mse_set_at(_ca_oid("ECDH", "AES-128"), 7)).sw == 0x6A88
    # key 2 offers nothing but key 1's protocol; 3DES is not offered at all
    assert chip.handle(ca.mse_set_at(_ca_oid("ECDH", "AES-128"), 2)).sw == 0x6A80
    assert chip.handle(ca.mse_set_kat(wire, 1)).sw == 0x6985
    # GENERAL AUTHENTICATE without MSE:Set AT is out of sequence
    assert chip.handle(ca.general_authenticate(wire)).sw == 0x6985
    assert chip.handle(ca.mse_set_at(_ca_oid("ECDH", "AES-128"), 1)).sw == 0x9000
    assert chip.handle(ca.general_authenticate(b"\x04" + b"\x01" * 64)).sw == 0x6A80


def test_terminal_rejects_inconsistent_dg14() -> None:
    key_info, _ = _key_info("ecdh-p256", key_id=1)
    with pytest.raises(ca.ChipAuthenticationError, match="names key 3"):
        ca.choose_chip_authentication(
            [key_info, ChipAuthenticationInfo(_ca_oid("ECDH", "AES-128"), 1, key_id=3)]
        )
    with pytest.raises(ca.ChipAuthenticationError, match="no key"):
        ca.choose_chip_authentication([ChipAuthenticationInfo(_ca_oid("ECDH", "3DES"), 1)])
    weak = DHGroup("weak", 23, 5, 11)
    small = ChipAuthenticationPublicKeyInfo(ID_PK_DH, _dh_spki(weak, 8))
    with pytest.raises(ca.ChipAuthenticationUnsupported, match="too weak"):
        ca.chip_key(small)


# --- the read flow: AA, CA and PACE-CAM in process ---------------------------------------------

ANH = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"
TRUST_VN = [SAMPLES / "pki" / "csca-vn.der", SAMPLES / "pki" / "csca-vn.crl"]


def _read(card: dumpmod.CardDump, **config: object) -> tuple[list[Check], str]:
    cfg = dataclasses.replace(config_for(card.profile), **config)  # type: ignore[arg-type]
    assert card.access.can
    result = read_card(InProcessTransport(chip_for_dump(card, cfg).process),
                       AccessKey.from_can(card.access.can))
    trust = TrustStore.from_paths(TRUST_VN, include_default=False)
    record = CardRecord.build(result.files, trust=trust, extra_checks=result.chip_checks)
    assert record.verification is not None
    return result.chip_checks, record.verification.verdict


def _cam_card() -> dumpmod.CardDump:
    base = next(s for s in issuer.SAMPLES if s.name == ANH.name)
    return issuer.issue(dataclasses.replace(
        base, pace=(("id-PACE-ECDH-CAM-AES-CBC-CMAC-128", 13),)))


def test_pace_cam_counts_as_chip_authentication() -> None:
    card = _cam_card()
    checks, verdict = _read(card)
    by_name = {c.name: c for c in checks}
    assert by_name["chip_auth"].status == "pass" and "PACE-CAM" in by_name["chip_auth"].detail
    assert by_name["active_auth"].status == "pass"
    assert verdict == "genuine"
    checks, verdict = _read(card, wrong_chip_auth_key=True)
    assert {c.name: c.status for c in checks}["chip_auth"] == "fail"
    assert verdict == "not_genuine"


def test_chip_without_protocols_reports_clone_detection_unavailable() -> None:
    card = dumpmod.load(SAMPLES / "vn-cccd-2021-le-thi-thu-huong-lifetime")
    assert card.access.mrz
    result = read_card(InProcessTransport(chip_for_dump(card).process),
                       AccessKey.from_mrz(card.access.mrz))
    assert [(c.name, c.status, c.required) for c in result.chip_checks] == [
        ("clone_detection", "skipped", False)]
    assert "clone detection not available" in result.chip_checks[0].detail
    trust = TrustStore.from_paths(TRUST_VN, include_default=False)
    record = CardRecord.build(result.files, trust=trust, extra_checks=result.chip_checks)
    assert record.verification is not None
    # neither blocks a genuine verdict nor makes one by itself (PA decides)
    assert record.verification.verdict == "genuine"
    no_trust = CardRecord.build(result.files, trust=None, extra_checks=result.chip_checks)
    assert no_trust.verification is not None
    assert no_trust.verification.verdict == "unverified"


def test_authenticate_chip_false_skips_clone_detection() -> None:
    card = dumpmod.load(ANH)
    assert card.access.can
    result = read_card(InProcessTransport(chip_for_dump(card).process),
                       AccessKey.from_can(card.access.can), authenticate_chip=False)
    assert result.chip_checks == []


# --- order of trust in verify ------------------------------------------------------------------


def test_chip_checks_unproven_unless_their_key_files_pass() -> None:
    card = dumpmod.load(ANH)
    trust = TrustStore.from_paths(TRUST_VN, include_default=False)
    passed = [Check("active_auth", "pass", "ok"), Check("chip_auth", "pass", "ok")]
    good = verify(card.files, trust, extra_checks=passed)
    assert good.verdict == "genuine"
    tampered = issuer.tamper_file(card, "DG15")
    ver = verify(tampered.files, trust, extra_checks=passed)
    aa, ca_check = ver.check("active_auth"), ver.check("chip_auth")
    assert aa is not None and ca_check is not None
    assert aa.status == "skipped" and aa.required
    assert "unproven" in aa.detail and "DG15" in aa.detail
    assert ca_check.status == "pass"  # its key (DG14) is proven
    assert ver.verdict == "not_genuine"
    # a key file that was never read proves nothing either
    files = {n: d for n, d in card.files.items() if n != "DG14"}
    ver = verify(files, trust, extra_checks=[Check("chip_auth", "fail", "x")])
    check = ver.check("chip_auth")
    assert check is not None and check.status == "skipped"
