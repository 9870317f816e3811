"""PACE between our terminal and our virtual chip, SecurityInfos, passwords and the EC module.

The terminal (:func:`cccd_reader.access.pace.perform_pace`) and the chip
(:class:`cccd_sim.pace_chip.PaceChip`) are wired through an in-process transport for
every mapping, domain and cipher; each run ends with one protected command and response to
prove both sides hold the same keys. Published values are checked in test_pace_vectors.py.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from asn1crypto import core as asn1
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cccd_reader import named_curves
from cccd_reader.access import ecc, pace
from cccd_reader.access.pace import (
    DHPaceGroup,
    ECDHGroup,
    PaceError,
    PaceResult,
    choose_pace_info,
    perform_pace,
    verify_cam,
)
from cccd_reader.access.passwords import Password, PasswordError
from cccd_reader.errors import (
    AccessDeniedError,
    CardError,
    LDSError,
    MRZError,
    ProtocolNotSupportedError,
)
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.apdu import CommandAPDU, ResponseAPDU
from cccd_reader.iso7816.transport import ApduChannel, InProcessTransport
from cccd_reader.lds.security_infos import (
    ID_AA,
    ID_PACE_DH_GM,
    ID_PACE_DH_IM,
    ID_PACE_ECDH_CAM,
    ID_PACE_ECDH_GM,
    ID_PACE_ECDH_IM,
    ID_PK_ECDH,
    ID_STANDARDIZED_DOMAIN_PARAMETERS,
    ID_TA,
    PACE_ALGORITHMS,
    STANDARD_DOMAIN_PARAMETERS,
    ActiveAuthenticationInfo,
    ChipAuthenticationInfo,
    ChipAuthenticationPublicKeyInfo,
    PACEDomainParameterInfo,
    PACEInfo,
    SecurityInfo,
    TerminalAuthenticationInfo,
    UnknownSecurityInfo,
    parse_security_infos,
)
from cccd_sim.pace_chip import PaceChip
from cccd_sim.security_infos_builder import encode_security_infos

MRZ_INFO = "T22000129364081251010318"
CAN = "123456"
SUITE = {"3DES": 1, "AES-128": 2, "AES-192": 3, "AES-256": 4}


def seeded(seed: int) -> Callable[[int], bytes]:
    r = random.Random(seed)
    return lambda n: r.randbytes(n)


def cam_key(curve: ecc.Curve) -> int:
    return 0x1234567890ABCDEF1234567890ABCDEF % curve.n


class Wiring:
    """Terminal <-> chip through InProcessTransport; after PACE the chip speaks SM, echoing the
    command data back so a round trip proves both directions."""

    def __init__(self, chip: PaceChip) -> None:
        self.chip = chip
        self.wire: list[tuple[bytes, bytes]] = []
        self.channel = ApduChannel(InProcessTransport(self.process))

    def process(self, raw: bytes) -> bytes:
        cmd = CommandAPDU.from_bytes(raw)
        sm = self.chip.established
        if sm is not None and cmd.cla & 0x0C:
            plain = sm.unprotect_command(cmd)
            body = plain.data or bytes([plain.ins, plain.p1, plain.p2])
            resp = sm.protect_response(ResponseAPDU(b"echo:" + body, 0x9000))
        else:
            resp = self.chip.handle(cmd)
        self.wire.append((raw, resp.to_bytes()))
        return resp.to_bytes()


def run(
    info: PACEInfo,
    password: Password,
    *,
    chip_password: Password | None = None,
    seed: int = 1,
    terminal_rng: Callable[[int], bytes] | None = None,
    chip_rng: Callable[[int], bytes] | None = None,
    cam_private_key: int | None = None,
) -> tuple[PaceResult, Wiring]:
    cp = chip_password or password
    chip = PaceChip(
        [info],
        mrz_key=cp.key_input if cp.kind == "MRZ" else None,
        can_key=cp.key_input if cp.kind == "CAN" else None,
        cam_private_key=cam_private_key,
        rng=chip_rng or seeded(seed),
    )
    wiring = Wiring(chip)
    result = perform_pace(
        wiring.channel, password, info, rng=terminal_rng or seeded(seed + 1000),
        send_parameter_id=False,
    )
    return result, wiring


def assert_secure_channel(wiring: Wiring, result: PaceResult) -> None:
    assert wiring.channel.sm is result.sm
    assert wiring.chip.established is not None
    resp = wiring.channel.send(CommandAPDU(0x00, 0xD6, 0x00, 0x00, b"\x01\x02\x03" * 7, le=256))
    assert resp == ResponseAPDU(b"echo:" + b"\x01\x02\x03" * 7, 0x9000)
    resp = wiring.channel.send(CommandAPDU(0x00, 0xB0, 0x00, 0x04, le=4))
    assert resp == ResponseAPDU(b"echo:\xb0\x00\x04", 0x9000)


# --- terminal vs chip, every mapping / domain / cipher ------------------------------------

GM_ECDH = [(12, c) for c in SUITE] + [(13, c) for c in SUITE] + [
    (15, "AES-192"), (16, "AES-256"), (17, "AES-128"), (18, "3DES"), (18, "AES-256"),
    (8, "AES-128"), (10, "AES-128"),
]
GM_DH = [(0, c) for c in SUITE] + [(1, "AES-128"), (2, "AES-256"), (2, "3DES")]
IM_ECDH = [(12, c) for c in SUITE] + [(13, c) for c in SUITE] + [
    (16, "AES-192"), (17, "AES-256"), (18, "AES-128"), (8, "3DES"),
]
IM_DH = [(0, c) for c in SUITE] + [(2, "AES-128")]
CAM_ECDH = [(13, c) for c in ("AES-128", "AES-192", "AES-256")] + [
    (12, "AES-128"), (15, "AES-256"), (17, "AES-192"), (18, "AES-128"),
]

CASES = (
    [(ID_PACE_ECDH_GM, pid, c) for pid, c in GM_ECDH]
    + [(ID_PACE_DH_GM, pid, c) for pid, c in GM_DH]
    + [(ID_PACE_ECDH_IM, pid, c) for pid, c in IM_ECDH]
    + [(ID_PACE_DH_IM, pid, c) for pid, c in IM_DH]
    + [(ID_PACE_ECDH_CAM, pid, c) for pid, c in CAM_ECDH]
)


@pytest.mark.parametrize(("family", "parameter_id", "cipher"), CASES)
def test_terminal_and_chip_agree(family: str, parameter_id: int, cipher: str) -> None:
    info = PACEInfo(f"{family}.{SUITE[cipher]}", 2, parameter_id)
    algorithm = info.algorithm
    assert algorithm is not None
    domain = pace.standard_domain(parameter_id)
    static = cam_key(domain) if isinstance(domain, ecc.Curve) else None
    password = Password.from_can(CAN) if parameter_id % 2 else Password.from_mrz_information(
        MRZ_INFO
    )
    result, wiring = run(info, password, seed=parameter_id * 10 + SUITE[cipher],
                         cam_private_key=static if algorithm.mapping == "CAM" else None)
    assert result.protocol_oid == info.protocol
    assert result.mapping == algorithm.mapping
    assert result.cipher == cipher
    assert result.password == password.kind
    assert result.domain_name == domain.name
    session = wiring.chip.session
    assert session is not None
    assert session.terminal_public_key == result.terminal_public_key
    assert session.chip_public_key == result.chip_public_key
    assert session.password == password.kind
    # chaining: CLA 10 on the first three GENERAL AUTHENTICATEs, 00 on the last
    assert [raw[0] for raw, _ in wiring.wire[1:5]] == [0x10, 0x10, 0x10, 0x00]
    if algorithm.mapping == "CAM":
        assert isinstance(domain, ecc.Curve)
        assert result.ca_data is not None and len(result.ca_data) == domain.order_size
        pk_ic = ECDHGroup(domain).standard_public_key(cam_key(domain))
        assert verify_cam(result, ecc.encode_point(domain, pk_ic))
        wrong = ECDHGroup(domain).standard_public_key(cam_key(domain) + 1)
        assert not verify_cam(result, ecc.encode_point(domain, wrong))
    else:
        assert result.ca_data is None
        assert not verify_cam(result, b"\x04")
    assert_secure_channel(wiring, result)


def test_chip_offers_what_this_reader_cannot_compute() -> None:
    with pytest.raises(ProtocolNotSupportedError, match="brainpoolP192r1"):
        pace.standard_domain(9)  # in ICAO's table, not in any backend's
    if named_curves.BRAINPOOL_P320R1.crypto_curve is None:
        with pytest.raises(ProtocolNotSupportedError, match="brainpoolP320r1"):
            pace.standard_domain(14)
    else:  # cryptography >= 51 has it: PACE runs on it
        domain = pace.standard_domain(14)
        assert isinstance(domain, ecc.Curve) and domain.p == named_curves.BRAINPOOL_P320R1.p
    with pytest.raises(ProtocolNotSupportedError):
        pace.standard_domain(5)
    with pytest.raises(ProtocolNotSupportedError, match="Integrated Mapping"):
        perform_pace(
            ApduChannel(InProcessTransport(lambda b: b"\x90\x00")),
            Password.from_can(CAN), PACEInfo(f"{ID_PACE_ECDH_IM}.2", 2, 10),
            send_parameter_id=False,
        )
    with pytest.raises(ProtocolNotSupportedError):  # DH protocol on a curve
        perform_pace(
            ApduChannel(InProcessTransport(lambda b: b"\x90\x00")),
            Password.from_can(CAN), PACEInfo(f"{ID_PACE_DH_GM}.2", 2, 13),
            send_parameter_id=False,
        )


# --- wrong password ------------------------------------------------------------------------


def test_wrong_can_is_denied_by_name_and_chip_resets() -> None:
    info = PACEInfo(f"{ID_PACE_ECDH_GM}.2", 2, 13)
    with pytest.raises(AccessDeniedError) as excinfo:
        run(info, Password.from_can("654321"), chip_password=Password.from_can(CAN))
    assert str(excinfo.value) == "access denied: the CAN does not match this card"
    assert excinfo.value.password_type == "CAN"


def test_wrong_mrz_is_denied_once_without_retry() -> None:
    info = PACEInfo(f"{ID_PACE_ECDH_GM}.2", 2, 12)
    chip = PaceChip([info], mrz_key=Password.from_mrz_information(MRZ_INFO).key_input,
                    rng=seeded(3))
    wiring = Wiring(chip)
    wrong = Password.from_mrz_information("L898902C<369080619406236")
    with pytest.raises(AccessDeniedError, match="MRZ") as excinfo:
        perform_pace(wiring.channel, wrong, info, rng=seeded(4), send_parameter_id=False)
    assert excinfo.value.password_type == "MRZ"
    assert len(wiring.wire) == 5  # MSE + 4 GA, no second attempt
    assert wiring.wire[-1][1] == b"\x63\x00"
    assert chip.established is None
    # the run was reset: another GENERAL AUTHENTICATE is out of sequence
    resp = chip.handle(CommandAPDU(0x00, 0x86, 0, 0, b"\x7c\x00", 256))
    assert resp.sw == 0x6985
    # and a fresh run with the right password succeeds
    result = perform_pace(wiring.channel, Password.from_mrz_information(MRZ_INFO), info,
                          rng=seeded(5), send_parameter_id=False)
    assert_secure_channel(wiring, result)


def test_retry_counter_warning_names_tries_left() -> None:
    info = PACEInfo(f"{ID_PACE_ECDH_GM}.2", 2, 12)
    chip = PaceChip([info], can_key=b"000000", rng=seeded(6))

    def process(raw: bytes) -> bytes:
        resp = chip.handle(CommandAPDU.from_bytes(raw))
        return b"\x63\xc2" if resp.sw == 0x6300 else resp.to_bytes()

    with pytest.raises(AccessDeniedError, match=r"the CAN does not match this card \(2 tries"):
        perform_pace(ApduChannel(InProcessTransport(process)), Password.from_can(CAN), info,
                     rng=seeded(7), send_parameter_id=False)


def test_forged_chip_token_is_rejected() -> None:
    info = PACEInfo(f"{ID_PACE_ECDH_GM}.2", 2, 12)
    chip = PaceChip([info], can_key=CAN.encode(), rng=seeded(8))

    def process(raw: bytes) -> bytes:
        out = chip.handle(CommandAPDU.from_bytes(raw)).to_bytes()
        if raw[:2] == b"\x00\x86":  # flip a bit of the chip's token
            out = out[:-3] + bytes([out[-3] ^ 1]) + out[-2:]
        return out

    channel = ApduChannel(InProcessTransport(process))
    with pytest.raises(PaceError, match="token does not verify"):
        perform_pace(channel, Password.from_can(CAN), info, rng=seeded(9),
                     send_parameter_id=False)
    assert channel.sm is None


# --- full-length encodings with leading zero bytes -------------------------------------------


def _first_multiple(group: pace.PaceGroup[object], base: object, limit: int) -> int:
    """Smallest k >= 1 whose k-th power/multiple of ``base`` starts with a zero byte."""
    size = group.element_size if isinstance(group, DHPaceGroup) else group.element_size // 2
    bound = 1 << (8 * (size - 1))
    value = base
    for k in range(1, 20000):
        x = value if isinstance(value, int) else value[0]  # type: ignore[index]
        if x < bound and k < group.order:
            return k
        value = group.op(value, base)
    raise AssertionError("no leading-zero value found")


@pytest.mark.parametrize(
    ("oid", "parameter_id"),
    [(f"{ID_PACE_ECDH_GM}.2", 13), (f"{ID_PACE_ECDH_GM}.4", 12), (f"{ID_PACE_DH_GM}.2", 0)],
)
def test_leading_zero_public_key_and_shared_secret(oid: str, parameter_id: int) -> None:
    """Injected randomness makes the terminal's ephemeral public value, and separately the
    shared secret, start with a zero byte; the protocol still completes and keys agree."""
    info = PACEInfo(oid, 2, parameter_id)
    group = pace.make_group(pace.standard_domain(parameter_id))
    order_len = (group.order.bit_length() + 7) // 8
    s = bytes(range(1, 17))
    c_map, t_map, c_eph = 0x1111, 0x2222, 0x3333
    h_value = group.exp(t_map, group.standard_public_key(c_map))
    generator = group.generic_map(int.from_bytes(s, "big"), h_value)

    def scalar(k: int) -> bytes:
        return k.to_bytes(order_len, "big")

    # 1. terminal public value with a leading zero byte
    k_pub = _first_multiple(group, generator, 20000)
    public = group.exp(k_pub, generator)
    encoded = group.encode(public)
    result, wiring = run(
        info, Password.from_can(CAN),
        chip_rng=iter_rng(s, scalar(c_map), scalar(c_eph)),
        terminal_rng=iter_rng(scalar(t_map), scalar(k_pub)),
    )
    assert result.terminal_public_key == encoded
    sent = pace.parse_dynamic_authentication_data(CommandAPDU.from_bytes(wiring.wire[3][0]).data)
    if isinstance(group, ECDHGroup):
        curve = group.curve
        assert encoded[1] == 0 and len(encoded) == 1 + 2 * curve.size  # full length kept
        assert sent[0x83] == encoded
    else:
        assert len(encoded) < group.element_size  # §9.4.1: minimal unsigned integer
        assert sent[0x83] == encoded
    assert_secure_channel(wiring, result)

    # 2. shared secret with a leading zero byte (still KDF input at full length)
    chip_public = group.exp(c_eph, generator)
    k_secret = _first_multiple(group, chip_public, 20000)
    secret = group.shared_secret(k_secret, chip_public)
    size = group.element_size if isinstance(group, DHPaceGroup) else group.element_size // 2
    assert secret[0] == 0 and len(secret) == size
    result, wiring = run(
        info, Password.from_can(CAN),
        chip_rng=iter_rng(s, scalar(c_map), scalar(c_eph)),
        terminal_rng=iter_rng(scalar(t_map), scalar(k_secret)),
    )
    assert_secure_channel(wiring, result)


def test_leading_zero_cam_data() -> None:
    curve = ecc.BRAINPOOL_P256R1
    info = PACEInfo(f"{ID_PACE_ECDH_CAM}.2", 2, 13)
    static = cam_key(curve)
    ca_target = 0x00ABCDEF << 200  # CA_IC whose FE2OS starts with a zero byte
    c_map = static * ca_target % curve.n
    result, wiring = run(
        info, Password.from_can(CAN), cam_private_key=static,
        chip_rng=iter_rng(bytes(15) + b"\x01", c_map.to_bytes(32, "big"), (7).to_bytes(32, "big")),
    )
    assert result.ca_data == ca_target.to_bytes(32, "big") and result.ca_data[0] == 0
    pk_ic = ECDHGroup(curve).standard_public_key(static)
    assert verify_cam(result, ecc.encode_point(curve, pk_ic))
    assert_secure_channel(wiring, result)


def iter_rng(*values: bytes) -> Callable[[int], bytes]:
    queue = list(values)

    def rng(n: int) -> bytes:
        value = queue.pop(0)
        assert len(value) == n
        return value

    return rng


# --- MSE:Set AT and the parameter ID -------------------------------------------------------


def test_parameter_id_disambiguates_several_paceinfos() -> None:
    infos = [PACEInfo(f"{ID_PACE_ECDH_GM}.2", 2, 12), PACEInfo(f"{ID_PACE_ECDH_GM}.2", 2, 13)]
    assert pace.parameter_id_needed(infos)
    assert not pace.parameter_id_needed(infos[:1])
    chip = PaceChip(infos, can_key=CAN.encode(), rng=seeded(11))
    wiring = Wiring(chip)
    with pytest.raises(ProtocolNotSupportedError):
        perform_pace(wiring.channel, Password.from_can(CAN), infos[1], rng=seeded(12),
                     send_parameter_id=False)
    assert wiring.wire[0][1] == b"\x6a\x80"
    result = perform_pace(wiring.channel, Password.from_can(CAN), infos[1], rng=seeded(12),
                          send_parameter_id=True)
    assert wiring.wire[1][0].endswith(b"\x83\x01\x02\x84\x01\x0d")
    assert result.domain_name == "brainpoolP256r1" and result.parameter_id == 13
    assert_secure_channel(wiring, result)


def test_unavailable_password_is_refused_at_set_at() -> None:
    info = PACEInfo(f"{ID_PACE_ECDH_GM}.2", 2, 12)
    chip = PaceChip([info], can_key=CAN.encode(), rng=seeded(13))
    wiring = Wiring(chip)
    with pytest.raises(ProtocolNotSupportedError, match="MRZ"):
        perform_pace(wiring.channel, Password.from_mrz_information(MRZ_INFO), info,
                     send_parameter_id=False)
    assert wiring.wire[0][1] == b"\x6a\x88"


# --- chip strictness -----------------------------------------------------------------------

SET_AT = CommandAPDU(0x00, 0x22, 0xC1, 0xA4, bytes.fromhex("800a04007f00070202040202830102"))
GA1 = CommandAPDU(0x10, 0x86, 0x00, 0x00, b"\x7c\x00", 256)


def strict_chip() -> PaceChip:
    return PaceChip([PACEInfo(f"{ID_PACE_ECDH_GM}.2", 2, 12)], can_key=CAN.encode(),
                    rng=seeded(14))


def test_chip_rejects_out_of_sequence_and_bad_chaining() -> None:
    chip = strict_chip()
    assert chip.handle(GA1).sw == 0x6985  # no MSE:Set AT yet
    assert chip.handle(SET_AT).sw == 0x9000
    unchained = CommandAPDU(0x00, 0x86, 0x00, 0x00, b"\x7c\x00", 256)
    assert chip.handle(unchained).sw == 0x6985  # step 1 must be chained
    assert chip.handle(GA1).sw == 0x6985  # ... and the run was aborted
    assert chip.handle(SET_AT).sw == 0x9000
    assert chip.handle(GA1).sw == 0x9000
    # step 3 data at step 2
    point = ecc.encode_point(ecc.P256, ecc.P256.generator)
    step3 = CommandAPDU(0x10, 0x86, 0, 0, pace.dynamic_authentication_data([(0x83, point)]), 256)
    assert chip.handle(step3).sw == 0x6A80


@pytest.mark.parametrize(
    ("data", "sw"),
    [
        (b"\x7c\x02\x80\x00", 0x6A80),  # step 1 carries nothing
        (b"\x7c\x05\x80", 0x6A80),  # broken TLV
        (b"\x30\x00", 0x6A80),  # not dynamic authentication data
    ],
)
def test_chip_rejects_malformed_step_one(data: bytes, sw: int) -> None:
    chip = strict_chip()
    assert chip.handle(SET_AT).sw == 0x9000
    assert chip.handle(CommandAPDU(0x10, 0x86, 0, 0, data, 256)).sw == sw


def test_chip_rejects_invalid_mapping_point() -> None:
    chip = strict_chip()
    chip.handle(SET_AT)
    chip.handle(GA1)
    off_curve = b"\x04" + (1).to_bytes(32, "big") + (2).to_bytes(32, "big")
    cmd = CommandAPDU(0x10, 0x86, 0, 0, pace.dynamic_authentication_data([(0x81, off_curve)]),
                      256)
    assert chip.handle(cmd).sw == 0x6A80


@pytest.mark.parametrize(
    ("cmd", "sw"),
    [
        (CommandAPDU(0x00, 0x22, 0xC1, 0xA4, bytes.fromhex("800a04007f00070202040402830102")),
         0x6A80),  # OID not offered
        (CommandAPDU(0x00, 0x22, 0xC1, 0xA4, bytes.fromhex("800a04007f00070202040202830101")),
         0x6A88),  # MRZ not available
        (CommandAPDU(0x00, 0x22, 0xC1, 0xA4, bytes.fromhex("800a04007f00070202040202")),
         0x6A80),  # no password reference
        (CommandAPDU(0x00, 0x22, 0xC1, 0xA4,
                     bytes.fromhex("800a04007f00070202040202830102840111")), 0x6A88),
        (CommandAPDU(0x00, 0x22, 0x81, 0xB6, b""), 0x6A86),
        (CommandAPDU(0x00, 0x86, 0x01, 0x00, b"\x7c\x00"), 0x6985),
        (CommandAPDU(0x00, 0x84, 0x00, 0x00, le=8), 0x6D00),
    ],
)
def test_chip_set_at_errors(cmd: CommandAPDU, sw: int) -> None:
    assert strict_chip().handle(cmd).sw == sw


def test_chip_ignores_unknown_set_at_objects() -> None:
    data = SET_AT.data + bytes.fromhex("7f4c0706052a03040506")
    assert strict_chip().handle(CommandAPDU(0x00, 0x22, 0xC1, 0xA4, data)).sw == 0x9000


def test_chip_construction_checks() -> None:
    with pytest.raises(ValueError, match="CAM"):
        PaceChip([PACEInfo(f"{ID_PACE_ECDH_CAM}.2", 2, 13)], can_key=b"123456")
    with pytest.raises(ValueError):
        PaceChip([])


# --- choosing a PACEInfo -------------------------------------------------------------------


def test_choose_prefers_ecdh_then_cam_then_strength() -> None:
    infos: list[SecurityInfo] = [
        PACEInfo(f"{ID_PACE_DH_GM}.4", 2, 2),
        PACEInfo(f"{ID_PACE_ECDH_IM}.4", 2, 13),
        PACEInfo(f"{ID_PACE_ECDH_GM}.2", 2, 13),
        PACEInfo(f"{ID_PACE_ECDH_GM}.4", 2, 12),
        TerminalAuthenticationInfo(ID_TA, 1),
    ]
    assert choose_pace_info(infos) == PACEInfo(f"{ID_PACE_ECDH_GM}.4", 2, 12)
    infos.append(PACEInfo(f"{ID_PACE_ECDH_CAM}.2", 2, 13))
    assert choose_pace_info(infos) == PACEInfo(f"{ID_PACE_ECDH_CAM}.2", 2, 13)
    # unsupported curve, wrong version, unknown OID and explicit-only parameters are skipped
    assert choose_pace_info(
        [
            PACEInfo(f"{ID_PACE_ECDH_CAM}.4", 2, 14),
            PACEInfo(f"{ID_PACE_ECDH_GM}.4", 1, 13),
            PACEInfo("0.4.0.127.0.7.2.2.4.9.9", 2, 13),
            PACEInfo(f"{ID_PACE_ECDH_GM}.4", 2, None),
            PACEInfo(f"{ID_PACE_ECDH_IM}.2", 2, 10),
            PACEInfo(f"{ID_PACE_DH_GM}.1", 2, 0),
        ]
    ) == PACEInfo(f"{ID_PACE_DH_GM}.1", 2, 0)
    with pytest.raises(ProtocolNotSupportedError, match="no PACE"):
        choose_pace_info([TerminalAuthenticationInfo(ID_TA, 1)])
    with pytest.raises(ProtocolNotSupportedError, match="none"):
        choose_pace_info([PACEInfo(f"{ID_PACE_ECDH_GM}.2", 2, 9)])


def test_tables() -> None:
    assert len(PACE_ALGORITHMS) == 19
    assert PACE_ALGORITHMS["0.4.0.127.0.7.2.2.4.1.1"].name == "id-PACE-DH-GM-3DES-CBC-CBC"
    last = PACE_ALGORITHMS["0.4.0.127.0.7.2.2.4.6.4"]
    assert last.name == "id-PACE-ECDH-CAM-AES-CBC-CMAC-256"
    assert (last.key_agreement, last.mapping, last.cipher, last.key_bits) == (
        "ECDH", "CAM", "AES", 256)
    assert sorted(STANDARD_DOMAIN_PARAMETERS) == [0, 1, 2, *range(8, 19)]
    unsupported = {i for i, d in STANDARD_DOMAIN_PARAMETERS.items() if not d.supported}
    assert unsupported == {9, 11, 14}
    for pid, d in STANDARD_DOMAIN_PARAMETERS.items():
        if d.supported:
            dom = pace.standard_domain(pid)
            if isinstance(dom, ecc.Curve):
                assert ecc.supports_point_encoding(dom) == d.integrated_mapping


def test_dh_groups_are_consistent() -> None:
    for group in pace.STANDARD_DH_GROUPS.values():
        assert pow(group.g, group.q, group.p) == 1
        assert (group.p - 1) % group.q == 0
        assert group.p.bit_length() in (1024, 2048)


def test_explicit_domain_parameters_only_when_standard() -> None:
    # The brainpoolP256r1 AlgorithmIdentifier printed in Appendix G.1.
    explicit = bytes.fromhex(
        "3081EC06072A8648CE3D02013081E0020101302C06072A8648CE3D0101022100A9FB57DBA1EEA9BC"
        "3E660A909D838D726E3BF623D52620282013481D1F6E5377304404207D5A0975FC2C3057EEF6753041"
        "7AFFE7FB8055C126DC5C6CE94A4B44F330B5D9042026DC5C6CE94A4B44F330B5D9BBD77CBF9584162"
        "95CF7E1CE6BCCDC18FF8C07B60441048BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A"
        "4453BD9ACE3262547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F0469970221"
        "00A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7020101"
    )
    info = PACEDomainParameterInfo(ID_PACE_ECDH_GM, explicit, 31)
    assert pace.domain_from_info(info) is ecc.BRAINPOOL_P256R1
    # the same structure with a different b is refused
    tampered = explicit.replace(bytes.fromhex("26DC5C6C"), bytes.fromhex("26DC5C6D"), 1)
    with pytest.raises(ProtocolNotSupportedError):
        pace.domain_from_info(PACEDomainParameterInfo(ID_PACE_ECDH_GM, tampered, 31))
    ref = bytes.fromhex("300C060704007F00070102020112")
    assert pace.domain_from_info(PACEDomainParameterInfo(ID_PACE_ECDH_GM, ref)) is ecc.P521
    with pytest.raises(PaceError):
        pace.domain_from_info(PACEDomainParameterInfo(ID_PACE_ECDH_GM, b"\x30\x00"))
    assert ID_STANDARDIZED_DOMAIN_PARAMETERS == "0.4.0.127.0.7.1.2"


# --- passwords -----------------------------------------------------------------------------


def test_passwords() -> None:
    assert Password.from_personal_number("001090012345") == Password("CAN", b"012345")
    assert Password.from_personal_number(" 001 090 012 345 ").key_input == b"012345"
    assert Password.from_can("123456").reference == 2
    assert Password.from_mrz_information(MRZ_INFO).reference == 1
    assert "key_input" not in repr(Password.from_can("123456"))
    for bad in ("12345", "1234567", "12a456", ""):
        with pytest.raises(PasswordError):
            Password.from_can(bad)
    for bad in ("00109001234", "0010900123456", "00109001234x"):
        with pytest.raises(PasswordError):
            Password.from_personal_number(bad)
    with pytest.raises(MRZError) as excinfo:
        Password.from_mrz_information("T22000129464081251010318")
    assert excinfo.value.field == "document_number"
    with pytest.raises(MRZError) as excinfo:
        Password.from_mrz_information("T22000129364081261010318")
    assert excinfo.value.field == "date_of_birth"
    with pytest.raises(MRZError):
        Password.from_mrz_information("T2200012936408125101031")
    # long TD1 document number (Appendix D.2 style)
    assert Password.from_mrz_information("D23145890734934071279507122").kind == "MRZ"
    assert len(Password.from_can("123456").k_pi("3DES", 112)) == 16
    assert len(Password.from_can("123456").k_pi("AES", 256)) == 32


# --- SecurityInfos -------------------------------------------------------------------------

SPKI = bytes.fromhex(
    "3052300C060704007F0007010202010D034200041872709494399E7470A6431BE25E83EEE24FEA568C2E"
    "D28DB48E05DB3A610DC884D256A40E35EFCB59BF6753D3A489D28C7A4D973C2DA138A6E7A4A08F68E16F"
)
ALL_KINDS: list[SecurityInfo] = [
    PACEInfo(f"{ID_PACE_ECDH_GM}.2", 2, 13),
    PACEInfo(f"{ID_PACE_DH_GM}.1", 2),
    PACEDomainParameterInfo(ID_PACE_ECDH_GM, bytes.fromhex("300C060704007F0007010202010D"), 32),
    ChipAuthenticationInfo("0.4.0.127.0.7.2.2.3.2.4", 1, 13),
    ChipAuthenticationInfo("0.4.0.127.0.7.2.2.3.1.1", 1),
    ChipAuthenticationPublicKeyInfo(ID_PK_ECDH, SPKI, 13),
    ActiveAuthenticationInfo(ID_AA, 1, "0.4.0.127.0.7.1.1.4.1.3"),
    TerminalAuthenticationInfo(ID_TA, 1),
    TerminalAuthenticationInfo(ID_TA, 2, bytes.fromhex("300704020111040111")),
    UnknownSecurityInfo("2.23.136.1.1.13", bytes.fromhex("300C 0606 67810801010D 0402 0102")),
]


def test_security_infos_round_trip() -> None:
    der = encode_security_infos(ALL_KINDS)
    assert der[0] == 0x31
    assert parse_security_infos(der) == ALL_KINDS
    dg14 = encode_security_infos(ALL_KINDS, dg14=True)
    assert dg14[0] == 0x6E and tlv.decode(dg14).value == der
    assert parse_security_infos(dg14) == ALL_KINDS
    assert encode_security_infos(parse_security_infos(der)) == der
    capk = ALL_KINDS[5]
    assert isinstance(capk, ChipAuthenticationPublicKeyInfo)
    assert capk.algorithm_parameters == b"\x02\x01\x0d"
    assert encode_security_infos([]) == b"\x31\x00" and parse_security_infos(b"\x31\x00") == []


def _nested(depth: int) -> bytes:
    inner = b"\x05\x00"
    for _ in range(depth):
        inner = tlv.encode(0x30, inner)
    return tlv.encode(0x31, tlv.encode(0x30, b"\x06\x01\x2a" + inner))


@pytest.mark.parametrize(
    "der",
    [
        b"",
        b"\x31",
        b"\x31\x00\x00",  # trailing byte
        b"\x30\x00",  # SEQUENCE instead of SET
        b"\x6e\x04\x31\x00\x31\x00",  # DG14 with two SETs
        b"\x31\x80\x00\x00",  # indefinite length
        b"\x31\x03\x02\x01\x01",  # SET of INTEGER
        b"\x31\x05\x30\x03\x06\x01\x2a",  # only an OID
        b"\x31\x08\x30\x06\x02\x01\x01\x02\x01\x01",  # no OID first
        bytes.fromhex("3111 300F 060A04007F00070202040202 040102"),  # version: OCTET STRING
        bytes.fromhex("3113 3011 060A04007F00070202040202 020102 0500"),  # parameterId: NULL
        bytes.fromhex("3111 300F 060A04007F00070202040202 0201FF"),  # negative version
        bytes.fromhex("3114 3012 060A04007F00070202040202 020102 020181"),  # negative id
        bytes.fromhex("310E 300C 060804007F0007020202 0400"),  # TA version: OCTET STRING
        bytes.fromhex("310F 300D 060904007F000702020102 0500"),  # CAPK without SPKI
        bytes.fromhex("3111 300F 060804007F0007020202 020101 3003 040100"),  # FileID 1 byte
        b"\x31\x84\xff\xff\xff\xff" + b"\x00" * 8,
        b"\x31" + b"\x30\x80" * 40,
        _nested(40),  # nesting deeper than any SecurityInfo
    ],
)
def test_malformed_security_infos(der: bytes) -> None:
    with pytest.raises(LDSError):
        parse_security_infos(der)


def test_oversized_security_infos() -> None:
    assert _nested(3)  # the helper builds well-formed nesting
    big = tlv.encode(0x31, tlv.encode(0x30, b"\x06\x01\x2a" + tlv.encode(0x04, bytes(70000))))
    with pytest.raises(LDSError, match="exceeds"):
        parse_security_infos(big)
    too_many = tlv.encode(0x31, bytes.fromhex("3008 060467810801 0500") * 200)
    with pytest.raises(LDSError, match="more than"):
        parse_security_infos(too_many)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_fuzz_random_bytes(data: bytes) -> None:
    for candidate in (data, b"\x31" + bytes([len(data) & 0x7F]) + data[:0x7F]):
        try:
            infos = parse_security_infos(candidate)
        except LDSError:
            continue
        assert encode_security_infos(infos) is not None


_VALID = encode_security_infos(ALL_KINDS)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_VALID) - 1), st.integers(0, 255)), max_size=4),
       st.integers(0, len(_VALID)))
def test_fuzz_mutated_valid_encoding(edits: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(_VALID)
    for pos, value in edits:
        data[pos] = value
    try:
        parse_security_infos(bytes(data[:cut]) if cut else bytes(data))
    except LDSError:
        pass


def _der(tag: int, body: bytes) -> bytes:
    return tlv.encode(tag, body)


_PRIMITIVE = st.builds(
    _der,
    st.sampled_from([0x02, 0x03, 0x04, 0x05, 0x06, 0x09, 0x0C, 0x80, 0x81]),
    st.binary(max_size=12),
)
_TREE = st.recursive(
    _PRIMITIVE,
    lambda children: st.builds(
        lambda tag, kids: _der(tag, b"".join(kids)),
        st.sampled_from([0x30, 0x31, 0xA0]),
        st.lists(children, max_size=3),
    ),
    max_leaves=12,
)
_PROTOCOLS = st.sampled_from(
    [*sorted(PACE_ALGORITHMS)[:4], ID_PACE_ECDH_GM, "0.4.0.127.0.7.2.2.3.2.2", ID_PK_ECDH, ID_TA,
     ID_AA, "1.2.3"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_PROTOCOLS, st.lists(_TREE, max_size=3)), max_size=3))
def test_fuzz_structured(entries: list[tuple[str, list[bytes]]]) -> None:
    body = b"".join(
        _der(0x30, asn1.ObjectIdentifier(oid).dump() + b"".join(rest)) for oid, rest in entries
    )
    try:
        infos = parse_security_infos(_der(0x31, body))
    except LDSError:
        return
    assert parse_security_infos(encode_security_infos(infos)) == infos


_OID = st.lists(st.integers(0, 2**32), min_size=1, max_size=8).map(
    lambda arcs: "1.3." + ".".join(map(str, arcs))
)
_SMALL = st.integers(0, 2**40)
_INFOS = st.one_of(
    st.builds(PACEInfo, st.sampled_from(sorted(PACE_ALGORITHMS)), _SMALL,
              st.one_of(st.none(), _SMALL)),
    st.builds(ChipAuthenticationInfo, st.sampled_from(["0.4.0.127.0.7.2.2.3.2.2",
                                                       "0.4.0.127.0.7.2.2.3.1.4"]),
              _SMALL, st.one_of(st.none(), _SMALL)),
    st.builds(ActiveAuthenticationInfo, st.just(ID_AA), _SMALL, _OID),
    st.builds(TerminalAuthenticationInfo, st.just(ID_TA), _SMALL),
    st.builds(ChipAuthenticationPublicKeyInfo, st.just(ID_PK_ECDH), st.just(SPKI),
              st.one_of(st.none(), _SMALL)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_INFOS, max_size=8), st.booleans())
def test_property_round_trip(infos: list[SecurityInfo], dg14: bool) -> None:
    assert parse_security_infos(encode_security_infos(infos, dg14=dg14)) == infos


# --- EC arithmetic against cryptography ----------------------------------------------------


@pytest.mark.parametrize("parameter_id", sorted(ecc.STANDARD_CURVES))
def test_ecc_matches_cryptography(parameter_id: int) -> None:
    curve = ecc.STANDARD_CURVES[parameter_id]
    r = random.Random(parameter_id)
    assert ecc.is_on_curve(curve, curve.generator)
    assert ecc.multiply(curve, curve.n, curve.generator) is None
    for _ in range(3):
        d1, d2 = r.randrange(1, curve.n), r.randrange(1, curve.n)
        k1 = ec.derive_private_key(d1, curve.backend)
        k2 = ec.derive_private_key(d2, curve.backend)
        n1 = k1.public_key().public_numbers()
        p1 = ecc.multiply(curve, d1, curve.generator)
        assert p1 == (n1.x, n1.y)
        n2 = k2.public_key().public_numbers()
        p2 = (n2.x, n2.y)
        shared = ecc.multiply(curve, d1, p2)
        assert shared is not None
        assert shared[0].to_bytes(curve.size, "big") == k1.exchange(ec.ECDH(), k2.public_key())
        assert ecc.add(curve, p1, p2) == ecc.multiply(curve, (d1 + d2) % curve.n, curve.generator)
        assert ecc.add(curve, p1, p1) == ecc.multiply(curve, 2 * d1, curve.generator)
        assert p1 is not None and ecc.add(curve, p1, (p1[0], -p1[1] % curve.p)) is None
        # the Jacobian code agrees on every curve, not only where it is the one used
        assert ecc._j_multiply(curve, d1, p2) == shared
        assert ecc.decode_point(curve, ecc.encode_point(curve, p2)) == p2
    if ecc.supports_point_encoding(curve):
        for _ in range(5):
            assert ecc.is_on_curve(curve, ecc.point_encoding(curve, r.randrange(1, curve.p)))


def test_ecc_rejects_bad_points() -> None:
    curve = ecc.BRAINPOOL_P256R1
    good = ecc.encode_point(curve, curve.generator)
    for bad in (good[:-1], b"\x02" + good[1:], good[:-1] + bytes([good[-1] ^ 1]),
                b"\x04" + curve.p.to_bytes(32, "big") + bytes(32)):
        with pytest.raises(ecc.PointError):
            ecc.decode_point(curve, bad)
    with pytest.raises(ecc.PointError):
        ecc.multiply(curve, 3, (1, 2))
    with pytest.raises(ecc.PointError):
        ecc.multiply(ecc.P256, 3, (1, 2))
    with pytest.raises(ecc.PointError):
        ecc.point_encoding(ecc.P224, 5)
    with pytest.raises(ecc.PointError):
        ecc.point_encoding(curve, 0)


def test_dh_public_value_validation() -> None:
    group = DHPaceGroup(pace.MODP_1024_160)
    p = pace.MODP_1024_160.p
    for bad in (b"", b"\x01", (p - 1).to_bytes(128, "big"), b"\x02", bytes(129)):
        with pytest.raises(PaceError):
            group.decode(bad)
    y = group.standard_public_key(12345)
    assert group.decode(group.encode(y)) == y
    assert group.decode(y.to_bytes(128, "big")) == y  # leading zeros are tolerated


def test_card_error_on_unexpected_status() -> None:
    info = PACEInfo(f"{ID_PACE_ECDH_GM}.2", 2, 12)

    def process(raw: bytes) -> bytes:
        return b"\x90\x00" if raw[1] == 0x22 else b"\x6f\x00"

    with pytest.raises(CardError):
        perform_pace(ApduChannel(InProcessTransport(process)), Password.from_can(CAN), info,
                     send_parameter_id=False)
