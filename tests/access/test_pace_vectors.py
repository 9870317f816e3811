"""PACE against the worked examples of ICAO Doc 9303 Part 11 (Eighth Edition, 2021).

* Appendix G.1: PACE-ECDH Generic Mapping on brainpoolP256r1, AES-128, MRZ password
  (document number T220001293, birth 6408125, expiry 1010318).
* Appendix G.2: PACE-DH Generic Mapping on the RFC 5114 1024-bit MODP group with 160-bit
  prime-order subgroup, AES-128, same MRZ.
* Appendix H.1 / H.2: Integrated Mapping, ECDH (brainpoolP256r1) and DH (1024/160), AES-128;
  the appendix gives K_π only -- it is KDF("123456", 3), i.e. the CAN 123456.
* Appendix I.1: PACE-ECDH Chip Authentication Mapping on brainpoolP256r1, AES-128, MRZ
  (document number C11T002JM4, birth 9608122, expiry 2310314).

Every published intermediate value is checked (password key, nonce, mapping keys, H, mapped
generator, ephemeral keys, shared secret, KS_enc, KS_mac, token inputs, tokens, CA data), and
for G.1, G.2 and I.1 the published APDUs are replayed value for value against both our
terminal (with its randomness injected) and our virtual chip.
"""

from __future__ import annotations

from collections.abc import Callable

from cccd_reader.access import pace
from cccd_reader.access.ecc import BRAINPOOL_P256R1
from cccd_reader.access.kdf import session_keys
from cccd_reader.access.pace import MODP_1024_160, DHPaceGroup, ECDHGroup, perform_pace
from cccd_reader.access.passwords import Password
from cccd_reader.iso7816.apdu import CommandAPDU, ResponseAPDU
from cccd_reader.iso7816.sm import SecureMessaging
from cccd_reader.iso7816.transport import ApduChannel, InProcessTransport
from cccd_reader.lds.security_infos import (
    PACE_ALGORITHMS,
    ChipAuthenticationPublicKeyInfo,
    PACEInfo,
    parse_security_infos,
)
from cccd_sim import pace_chip
from cccd_sim.pace_chip import PaceChip


def h(text: str) -> bytes:
    return bytes.fromhex("".join(text.split()))


def seq_rng(*chunks: bytes) -> Callable[[int], bytes]:
    """Randomness injection: hands out the given values in order, each exactly as requested."""
    queue = list(chunks)

    def rng(n: int) -> bytes:
        assert queue, "protocol drew more randomness than the example provides"
        value = queue.pop(0)
        assert len(value) == n, f"protocol asked for {n} bytes, example value has {len(value)}"
        return value

    return rng


class Replay:
    """A card that answers with the published APDUs and checks each command byte for byte."""

    def __init__(self, transcript: list[tuple[bytes, bytes]]) -> None:
        self.transcript = list(transcript)

    def __call__(self, apdu: bytes) -> bytes:
        assert self.transcript, "terminal sent more commands than the example has"
        expected, response = self.transcript.pop(0)
        assert apdu.hex().upper() == expected.hex().upper()
        return response


def replay_chip(chip: PaceChip, transcript: list[tuple[bytes, bytes]]) -> None:
    for command, response in transcript:
        got = chip.handle(CommandAPDU.from_bytes(command)).to_bytes()
        assert got.hex().upper() == response.hex().upper()


def same_keys(sm: SecureMessaging, ks_enc: bytes, ks_mac: bytes, cipher: str = "AES") -> None:
    reference = SecureMessaging.from_keys("AES" if cipher == "AES" else "3DES", ks_enc, ks_mac)
    cmd = CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=4)
    assert sm.protect_command(cmd) == reference.protect_command(cmd)


# --- Appendix G: common password -----------------------------------------------------------

G_MRZ = "T22000129364081251010318"
G_K = h("7E2D2A41 C74EA0B3 8CD36F86 3939BFA8 E9032AAD")
G_KPI = h("89DED1B2 6624EC1E 634C1989 302849DD")


def test_g_password_encoding_and_key() -> None:
    pw = Password.from_mrz_information(G_MRZ)
    assert pw.kind == "MRZ"
    assert pw.key_input == G_K
    assert pw.k_pi("AES", 128) == G_KPI


# --- Appendix G.1: ECDH, Generic Mapping, brainpoolP256r1 ----------------------------------

G1_PACEINFO = h("3012060A 04007F00 07020204 02020201 0202010D")
G1_S = h("3F00C4D3 9D153F2B 2A214A07 8D899B22")
G1_Z = h("95A3A016 522EE98D 01E76CB6 B98B42C3")
G1_T_MAP_SK = h("7F4EF07B 9EA82FD7 8AD689B3 8D0BC78C F21F249D 953BC46F 4C6E1925 9C010F99")
G1_T_MAP_PK = (
    h("7ACF3EFC 982EC455 65A4B155 129EFBC7 4650DCBF A6362D89 6FC70262 E0C2CC5E"),
    h("544552DC B6725218 799115B5 5C9BAA6D 9F6BC3A9 618E70C2 5AF71777 A9C4922D"),
)
G1_C_MAP_SK = h("498FF497 56F2DC15 87840041 839A8598 2BE7761D 14715FB0 91EFA7BC E9058560")
G1_C_MAP_PK = (
    h("824FBA91 C9CBE26B EF53A0EB E7342A3B F178CEA9 F45DE0B7 0AA60165 1FBA3F57"),
    h("30D8C879 AAA9C9F7 3991E61B 58F4D52E B87A0A0C 709A49DC 63719363 CCD13C54"),
)
G1_H = (
    h("60332EF2 450B5D24 7EF6D386 8397D398 852ED6E8 CAF6FFEE F6BF85CA 57057FD5"),
    h("0840CA74 15BAF3E4 3BD414D3 5AA4608B 93A2CAF3 A4E3EA4E 82C9C13D 03EB7181"),
)
G1_GEN = (
    h("8CED63C9 1426D4F0 EB1435E7 CB1D74A4 6723A0AF 21C89634 F65A9AE8 7A9265E2"),
    h("8C879506 743F8611 AC33645C 5B985C80 B5F09A0B 83407C1B 6A4D857A E76FE522"),
)
G1_T_SK = h("A73FB703 AC1436A1 8E0CFA5A BB3F7BEC 7A070E7A 6788486B EE230C4A 22762595")
G1_T_PK = (
    h("2DB7A64C 0355044E C9DF1905 14C625CB A2CEA487 54887122 F3A5EF0D 5EDD301C"),
    h("3556F3B3 B186DF10 B857B58F 6A7EB80F 20BA5DC7 BE1D43D9 BF850149 FBB36462"),
)
G1_C_SK = h("107CF586 96EF6155 053340FD 633392BA 81909DF7 B9706F22 6F32086C 7AFF974A")
G1_C_PK = (
    h("9E880F84 2905B8B3 181F7AF7 CAA9F0EF B743847F 44A306D2 D28C1D9E C65DF6DB"),
    h("7764B222 77A2EDDC 3C265A9F 018F9CB8 52E111B7 68B32690 4B59A019 3776F094"),
)
G1_K = h("28768D20 701247DA E81804C9 E780EDE5 82A9996D B4A31502 0B273319 7DB84925")
G1_KS_ENC = h("F5F0E35C 0D7161EE 6724EE51 3A0D9A7F")
G1_KS_MAC = h("FE251C78 58B356B2 4514B3BD 5F4297D1")
G1_TOKEN_INPUT_T_IFD = h(
    "7F494F06 0A04007F 00070202 04020286 41049E88 0F842905 B8B3181F 7AF7CAA9"
    "F0EFB743 847F44A3 06D2D28C 1D9EC65D F6DB7764 B22277A2 EDDC3C26 5A9F018F"
    "9CB852E1 11B768B3 26904B59 A0193776 F094"
)
G1_TOKEN_INPUT_T_IC = h(
    "7F494F06 0A04007F 00070202 04020286 41042DB7 A64C0355 044EC9DF 190514C6"
    "25CBA2CE A4875488 7122F3A5 EF0D5EDD 301C3556 F3B3B186 DF10B857 B58F6A7E"
    "B80F20BA 5DC7BE1D 43D9BF85 0149FBB3 6462"
)
G1_T_IFD = h("C2B0BD78 D94BA866")
G1_T_IC = h("3ABB9674 BCE93C08")


def pt(xy: tuple[bytes, bytes]) -> tuple[int, int]:
    return int.from_bytes(xy[0], "big"), int.from_bytes(xy[1], "big")


def enc(xy: tuple[bytes, bytes]) -> bytes:
    return b"\x04" + xy[0] + xy[1]


G1_TRANSCRIPT = [
    (h("00 22 C1 A4 0F 80 0A 04 00 7F 00 07 02 02 04 02 02 83 01 01"), h("90 00")),
    (h("10 86 00 00 02 7C 00 00"), h("7C 12 80 10") + G1_Z + h("90 00")),
    (
        h("10 86 00 00 45 7C 43 81 41") + enc(G1_T_MAP_PK) + h("00"),
        h("7C 43 82 41") + enc(G1_C_MAP_PK) + h("90 00"),
    ),
    (
        h("10 86 00 00 45 7C 43 83 41") + enc(G1_T_PK) + h("00"),
        h("7C 43 84 41") + enc(G1_C_PK) + h("90 00"),
    ),
    (
        h("00 86 00 00 0C 7C 0A 85 08 C2 B0 BD 78 D9 4B A8 66 00"),
        h("7C 0A 86 08 3A BB 96 74 BC E9 3C 08 90 00"),
    ),
]


def test_g1_paceinfo() -> None:
    [info] = parse_security_infos(b"\x31\x14" + G1_PACEINFO)
    assert info == PACEInfo("0.4.0.127.0.7.2.2.4.2.2", 2, 13)
    assert info.algorithm is not None and info.algorithm.name == "id-PACE-ECDH-GM-AES-CBC-CMAC-128"


def test_g1_values() -> None:
    alg = PACE_ALGORITHMS["0.4.0.127.0.7.2.2.4.2.2"]
    group = ECDHGroup(BRAINPOOL_P256R1)
    assert pace_chip.encrypt_nonce(alg, G_KPI, G1_S) == G1_Z
    assert pace.decrypt_nonce(alg, G_KPI, G1_Z) == G1_S
    t_map_sk = int.from_bytes(G1_T_MAP_SK, "big")
    c_map_sk = int.from_bytes(G1_C_MAP_SK, "big")
    assert group.standard_public_key(t_map_sk) == pt(G1_T_MAP_PK)
    assert group.standard_public_key(c_map_sk) == pt(G1_C_MAP_PK)
    h_point = group.exp(t_map_sk, pt(G1_C_MAP_PK))
    assert h_point == pt(G1_H) == group.exp(c_map_sk, pt(G1_T_MAP_PK))
    generator = group.generic_map(int.from_bytes(G1_S, "big"), h_point)
    assert generator == pt(G1_GEN)
    t_sk, c_sk = int.from_bytes(G1_T_SK, "big"), int.from_bytes(G1_C_SK, "big")
    assert group.exp(t_sk, generator) == pt(G1_T_PK)
    assert group.exp(c_sk, generator) == pt(G1_C_PK)
    assert group.shared_secret(t_sk, pt(G1_C_PK)) == G1_K == group.shared_secret(c_sk, pt(G1_T_PK))
    assert session_keys(G1_K, cipher="AES", key_bits=128) == (G1_KS_ENC, G1_KS_MAC)
    oid = alg.oid
    assert group.public_key_object(oid, pt(G1_C_PK)) == G1_TOKEN_INPUT_T_IFD
    assert group.public_key_object(oid, pt(G1_T_PK)) == G1_TOKEN_INPUT_T_IC
    assert pace.authentication_token(alg, G1_KS_MAC, G1_TOKEN_INPUT_T_IFD) == G1_T_IFD
    assert pace.authentication_token(alg, G1_KS_MAC, G1_TOKEN_INPUT_T_IC) == G1_T_IC


def test_g1_terminal_replays_published_apdus() -> None:
    [info] = parse_security_infos(b"\x31\x14" + G1_PACEINFO)
    assert isinstance(info, PACEInfo)
    replay = Replay(G1_TRANSCRIPT)
    channel = ApduChannel(InProcessTransport(replay))
    result = perform_pace(
        channel, Password.from_mrz_information(G_MRZ), info,
        rng=seq_rng(G1_T_MAP_SK, G1_T_SK), send_parameter_id=False,
    )
    assert not replay.transcript
    assert channel.sm is result.sm
    assert (result.mapping, result.cipher, result.password) == ("GM", "AES-128", "MRZ")
    assert result.domain_name == "brainpoolP256r1"
    assert result.terminal_public_key == enc(G1_T_PK)
    assert result.chip_public_key == enc(G1_C_PK)
    same_keys(result.sm, G1_KS_ENC, G1_KS_MAC)


def test_g1_chip_replays_published_apdus() -> None:
    info = PACEInfo("0.4.0.127.0.7.2.2.4.2.2", 2, 13)
    chip = PaceChip([info], mrz_key=G_K, rng=seq_rng(G1_S, G1_C_MAP_SK, G1_C_SK))
    replay_chip(chip, G1_TRANSCRIPT)
    assert chip.established is not None
    same_keys(chip.established, G1_KS_ENC, G1_KS_MAC)


# --- Appendix G.2: DH, Generic Mapping, 1024-bit MODP group ---------------------------------

G2_PACEINFO = h("3012060A 04007F00 07020204 01020201 02020100")
G2_S = h("FA5B7E3E 49753A0D B9178B7B 9BD898C8")
G2_Z = h("854D8DF5 827FA685 2D1A4FA7 01CDDDCA")
G2_T_MAP_SK = h("5265030F 751F4AD1 8B08AC56 5FC7AC95 2E41618D")
G2_T_MAP_PK = h(
    "23FB3749 EA030D2A 25B278D2 A562047A DE3F01B7 4F17A154 02CB7352 CA7D2B3E"
    "B71C343D B13D1DEB CE9A3666 DBCFC920 B49174A6 02CB4796 5CAA73DC 702489A4"
    "4D41DB91 4DE9613D C5E98C94 160551C0 DF86274B 9359BC04 90D01B03 AD54022D"
    "CB4F57FA D6322497 D7A1E28D 46710F46 1AFE710F BBBC5F8B A166F431 1975EC6C"
)
G2_C_MAP_SK = h("66DDAFEA C1609CB5 B963BB0C B3FF8B3E 047F336C")
G2_C_MAP_PK = h(
    "78879F57 225AA808 0D52ED0F C890A4B2 5336F699 AA89A2D3 A189654A F70729E6"
    "23EA5738 B26381E4 DA19E004 706FACE7 B235C2DB F2F38748 312F3C98 C2DD4882"
    "A41947B3 24AA1259 AC22579D B93F7085 655AF308 89DBB845 D9E6783F E42C9F24"
    "49400306 254C8AE8 EE9DD812 A804C0B6 6E8CAFC1 4F84D825 8950A91B 44126EE6"
)
G2_H = h(
    "5BABEBEF 5B74E5BA 94B5C063 FDA15F1F 1CDE9487 3EE0A5D3 A2FCAB49 F258D07F"
    "544F13CB 66658C3A FEE9E727 389BE3F6 CBBBD321 28A8C21D D6EEA3CF 7091CDDF"
    "B08B8D00 7D40318D CCA4FFBF 51208790 FB4BD111 E5A968ED 6B6F08B2 6CA87C41"
    "0B3CE0C3 10CE104E ABD16629 AA48620C 1279270C B0750C0D 37C57FFF E302AE7F"
)
G2_GEN = h(
    "7C9CBFE9 8F9FBDDA 8D143506 FA7D9306 F4CB17E3 C71707AF F5E1C1A1 23702496"
    "84D64EE3 7AF44B8D BD9D45BF 6023919C BAA027AB 97ACC771 666C8E98 FF483301"
    "BFA4872D EDE9034E DFACB708 14166B7F 36067682 9B826BEA 57291B5A D69FBC84"
    "EF1E7790 32A30580 3F743417 93E86974 2D401325 B37EE856 5FFCDEE6 18342DC5"
)
G2_T_SK = h("89CCD99B 0E8D3B1F 11E1296D CA68EC53 411CF2CA")
# The appendix prints it with a leading 00 (a sign byte); the APDU carries these 128 bytes.
G2_T_PK = h(
    "907D89E2 D425A178 AA81AF4A 7774EC8E 388C115C AE67031E 85EECE52 0BD91155"
    "1B9AE4D0 4369F29A 02626C86 FBC6747C C7BC3526 45B6161A 2A42D44E DA80A08F"
    "A8D61B76 D3A154AD 8A5A5178 6B0BC071 47057871 A922212C 5F67F431 73172236"
    "B7747D16 71E6D692 A3C7D40A 0C3C5CE3 97545D01 5C175EB5 130551ED BC2EE5D4"
)
G2_C_SK = h("A5B78012 6B7C980E 9FCEA1D4 539DA1D2 7C342DFA")
G2_C_PK = h(
    "075693D9 AE941877 573E634B 6E644F8E 60AF17A0 076B8B12 3D920107 4D36152B"
    "D8B3A213 F53820C4 2ADC79AB 5D0AEEC3 AEFB9139 4DA476BD 97B9B14D 0A65C1FC"
    "71A0E019 CB08AF55 E1F72900 5FBA7E3F A5DC4189 9238A250 767A6D46 DB974064"
    "386CD456 743585F8 E5D90CC8 B4004B1F 6D866C79 CE0584E4 9687FF61 BC29AEA1"
)
G2_K = h(
    "6BABC7B3 A72BCD7E A385E4C6 2DB2625B D8613B24 149E146A 629311C4 CA6698E3"
    "8B834B6A 9E9CD718 4BA8834A FF5043D4 36950C4C 1E783236 7C10CB8C 314D40E5"
    "990B0DF7 013E64B4 549E2270 923D06F0 8CFF6BD3 E977DDE6 ABE4C31D 55C0FA2E"
    "465E553E 77BDF75E 3193D383 4FC26E8E B1EE2FA1 E4FC97C1 8C3F6CFF FE2607FD"
)
G2_KS_ENC = h("2F7F46AD CC9E7E52 1B45D192 FAFA9126")
G2_KS_MAC = h("805A1D27 D45A5116 F73C5446 9462B7D8")
G2_T_IFD = h("B46DD9BD 4D98381F")
G2_T_IC = h("917F37B5 C0E6D8D1")
G2_CAR = b"DETESTCVCA00003"

G2_TRANSCRIPT = [
    (h("00 22 C1 A4 0F 80 0A 04 00 7F 00 07 02 02 04 01 02 83 01 01"), h("90 00")),
    (h("10 86 00 00 02 7C 00 00"), h("7C 12 80 10") + G2_Z + h("90 00")),
    (
        h("10 86 00 00 86 7C 81 83 81 81 80") + G2_T_MAP_PK + h("00"),
        h("7C 81 83 82 81 80") + G2_C_MAP_PK + h("90 00"),
    ),
    (
        h("10 86 00 00 86 7C 81 83 83 81 80") + G2_T_PK + h("00"),
        h("7C 81 83 84 81 80") + G2_C_PK + h("90 00"),
    ),
    (
        h("00 86 00 00 0C 7C 0A 85 08 B4 6D D9 BD 4D 98 38 1F 00"),
        # The chip also returns a CA reference (DO'87) in the appendix.
        h("7C 1B 86 08 91 7F 37 B5 C0 E6 D8 D1 87 0F") + G2_CAR + h("90 00"),
    ),
]


def test_g2_values() -> None:
    [info] = parse_security_infos(b"\x31\x14" + G2_PACEINFO)
    assert info == PACEInfo("0.4.0.127.0.7.2.2.4.1.2", 2, 0)
    alg = PACE_ALGORITHMS[info.protocol]
    group = DHPaceGroup(MODP_1024_160)
    assert pace.decrypt_nonce(alg, G_KPI, G2_Z) == G2_S
    assert pace_chip.encrypt_nonce(alg, G_KPI, G2_S) == G2_Z
    t_map, c_map = int.from_bytes(G2_T_MAP_SK, "big"), int.from_bytes(G2_C_MAP_SK, "big")
    assert group.encode(group.standard_public_key(t_map)) == G2_T_MAP_PK
    assert group.encode(group.standard_public_key(c_map)) == G2_C_MAP_PK
    h_value = group.exp(t_map, group.decode(G2_C_MAP_PK))
    assert group.encode(h_value) == G2_H
    assert h_value == group.exp(c_map, group.decode(G2_T_MAP_PK))
    generator = group.generic_map(int.from_bytes(G2_S, "big"), h_value)
    assert group.encode(generator) == G2_GEN
    t_sk, c_sk = int.from_bytes(G2_T_SK, "big"), int.from_bytes(G2_C_SK, "big")
    assert group.encode(group.exp(t_sk, generator)) == G2_T_PK
    assert group.encode(group.exp(c_sk, generator)) == G2_C_PK
    assert group.shared_secret(t_sk, group.decode(G2_C_PK)) == G2_K
    assert group.shared_secret(c_sk, group.decode(G2_T_PK)) == G2_K
    assert session_keys(G2_K, cipher="AES", key_bits=128) == (G2_KS_ENC, G2_KS_MAC)
    t_ifd_input = group.public_key_object(alg.oid, group.decode(G2_C_PK))
    t_ic_input = group.public_key_object(alg.oid, group.decode(G2_T_PK))
    assert t_ifd_input == h("7F49818F 060A0400 7F000702 02040102 848180") + G2_C_PK
    assert t_ic_input == h("7F49818F 060A0400 7F000702 02040102 848180") + G2_T_PK
    assert pace.authentication_token(alg, G2_KS_MAC, t_ifd_input) == G2_T_IFD
    assert pace.authentication_token(alg, G2_KS_MAC, t_ic_input) == G2_T_IC


def test_g2_terminal_replays_published_apdus() -> None:
    info = PACEInfo("0.4.0.127.0.7.2.2.4.1.2", 2, 0)
    replay = Replay(G2_TRANSCRIPT)
    channel = ApduChannel(InProcessTransport(replay))
    result = perform_pace(
        channel, Password.from_mrz_information(G_MRZ), info,
        rng=seq_rng(G2_T_MAP_SK, G2_T_SK), send_parameter_id=False,
    )
    assert not replay.transcript
    assert result.domain_name == "1024-bit MODP Group with 160-bit Prime Order Subgroup"
    same_keys(result.sm, G2_KS_ENC, G2_KS_MAC)


def test_g2_chip_replays_published_apdus() -> None:
    info = PACEInfo("0.4.0.127.0.7.2.2.4.1.2", 2, 0)
    chip = PaceChip([info], mrz_key=G_K, rng=seq_rng(G2_S, G2_C_MAP_SK, G2_C_SK))
    replay_chip(chip, G2_TRANSCRIPT[:-1])
    # Our chip got no CHAT in MSE:Set AT, so it rightly returns no CA reference (DO'87).
    final = chip.handle(CommandAPDU.from_bytes(G2_TRANSCRIPT[-1][0]))
    assert final == ResponseAPDU(h("7C 0A 86 08") + G2_T_IC, 0x9000)
    assert chip.established is not None
    same_keys(chip.established, G2_KS_ENC, G2_KS_MAC)


# --- Appendix H.1: ECDH, Integrated Mapping, brainpoolP256r1 --------------------------------

H_KPI = h("591468CD A83D6521 9CCCB856 0233600F")
H1_S = h("2923BE84 E16CD6AE 529049F1 F1BBE9EB")
H1_Z = h("143DC40C 08C8E891 FBED7DED B92B64AD")
H1_T = h("5DD4CBFC 96F5453B 130D890A 1CDBAE32")
H1_R = h(
    "E4447E2D FB3586BA C05DDB00 156B57FB B2179A39 49294C97 25418980 0C517BAA"
    "8DA0FF39 7ED8C445 D3E421E4 FEB57322"
)
H1_RP = h("A2F8FF2D F50E52C6 599F386A DCB595D2 29F6A167 ADE2BE5F 2C3296AD D5B7430E")
H1_GEN = (
    h("8E82D315 59ED0FDE 92A4D049 8ADD3C23 BABA94FB 77691E31 E90AEA77 FB17D427"),
    h("4C1AE14B D0C3DBAC 0C871B7F 36081693 64437CA3 0AC243A0 89D3F266 C1E60FAD"),
)
H1_C_SK = h("107CF586 96EF6155 053340FD 633392BA 81909DF7 B9706F22 6F32086C 7AFF974A")
H1_C_PK = (
    h("67F78E5F 7F768608 2B293E8D 087E0569 16D0F74B C01A5F89 57D0DE45 691E51E8"),
    h("932B69A9 62B52A09 85AD2C0A 271EE6A1 3A8ADDDC D1A3A994 B9DED257 F4D22753"),
)
H1_T_SK = h("A73FB703 AC1436A1 8E0CFA5A BB3F7BEC 7A070E7A 6788486B EE230C4A 22762595")
H1_T_PK = (
    h("89CBA23F FE96AA18 D824627C 3E934E54 A9FD0B87 A95D1471 DC1C0ABF DCD640D4"),
    h("6755DE9B 7B778280 B6BEBD57 439ADFEB 0E21FD4E D6DF4257 8C13418A 59B34C37"),
)
H1_K = h("4F150FDE 1D4F0E38 E95017B8 91BAE171 33A0DF45 B0D3E18B 60BA7BEA FDC2C713")
H1_KS_ENC = h("0D3FEB33 251A6370 893D62AE 8DAAF51B")
H1_KS_MAC = h("B01E89E3 D9E8719E 586B50B4 A7506E0B")
H1_T_IC = h("75D4D96E 8D5B0308")
H1_T_IFD = h("450F02B8 6F6A0909")
H1_OID = "0.4.0.127.0.7.2.2.4.4.2"  # id-PACE-ECDH-IM-AES-CBC-CMAC-128


def test_h_password_key_is_can_123456() -> None:
    assert Password.from_can("123456").k_pi("AES", 128) == H_KPI


def test_h1_values() -> None:
    alg = PACE_ALGORITHMS[H1_OID]
    group = ECDHGroup(BRAINPOOL_P256R1)
    assert pace_chip.encrypt_nonce(alg, H_KPI, H1_S) == H1_Z
    assert pace.decrypt_nonce(alg, H_KPI, H1_Z) == H1_S
    p = BRAINPOOL_P256R1.p
    assert pace.integrated_mapping_prf_output(alg, H1_S, H1_T, p) == H1_R
    r_p = pace.integrated_mapping_prf(alg, H1_S, H1_T, p)
    assert r_p == int.from_bytes(H1_RP, "big")
    generator = group.integrated_map(r_p)
    assert generator == pt(H1_GEN)
    c_sk, t_sk = int.from_bytes(H1_C_SK, "big"), int.from_bytes(H1_T_SK, "big")
    assert group.exp(c_sk, generator) == pt(H1_C_PK)
    assert group.exp(t_sk, generator) == pt(H1_T_PK)
    assert group.shared_secret(t_sk, pt(H1_C_PK)) == H1_K == group.shared_secret(c_sk, pt(H1_T_PK))
    assert session_keys(H1_K, cipher="AES", key_bits=128) == (H1_KS_ENC, H1_KS_MAC)
    t_ic_input = group.public_key_object(H1_OID, pt(H1_T_PK))
    t_ifd_input = group.public_key_object(H1_OID, pt(H1_C_PK))
    assert t_ic_input == h("7F494F06 0A04007F 00070202 04040286 4104") + H1_T_PK[0] + H1_T_PK[1]
    assert t_ifd_input == h("7F494F06 0A04007F 00070202 04040286 4104") + H1_C_PK[0] + H1_C_PK[1]
    assert pace.authentication_token(alg, H1_KS_MAC, t_ic_input) == H1_T_IC
    assert pace.authentication_token(alg, H1_KS_MAC, t_ifd_input) == H1_T_IFD


def test_h1_full_run_between_our_terminal_and_chip() -> None:
    """The H.1 randomness injected into both halves reproduces the published tokens on the wire."""
    info = PACEInfo(H1_OID, 2, 13)
    password = Password.from_can("123456")
    chip = PaceChip([info], can_key=password.key_input, rng=seq_rng(H1_S, H1_C_SK))
    wire: list[tuple[bytes, bytes]] = []

    def process(apdu: bytes) -> bytes:
        resp = chip.handle(CommandAPDU.from_bytes(apdu)).to_bytes()
        wire.append((apdu, resp))
        return resp

    channel = ApduChannel(InProcessTransport(process))
    result = perform_pace(channel, password, info, rng=seq_rng(H1_T, H1_T_SK),
                          send_parameter_id=False)
    assert wire[1][1] == h("7C 12 80 10") + H1_Z + h("90 00")
    assert wire[2] == (h("10 86 00 00 14 7C 12 81 10") + H1_T + h("00"), h("7C 02 82 00 90 00"))
    assert wire[3][0] == h("10 86 00 00 45 7C 43 83 41") + enc(H1_T_PK) + h("00")
    assert wire[3][1] == h("7C 43 84 41") + enc(H1_C_PK) + h("90 00")
    assert wire[4] == (h("00 86 00 00 0C 7C 0A 85 08") + H1_T_IFD + h("00"),
                       h("7C 0A 86 08") + H1_T_IC + h("90 00"))
    assert result.mapping == "IM" and result.password == "CAN"
    same_keys(result.sm, H1_KS_ENC, H1_KS_MAC)


# --- Appendix H.2: DH, Integrated Mapping, 1024-bit MODP group -----------------------------

H2_S = h("FA5B7E3E 49753A0D B9178B7B 9BD898C8")
H2_Z = h("9ABB8864 CA0FF155 1E620D1E F4E13510")
H2_T = h("B3A6DB3C 870C3E99 245E0D1C 06B747DE")
H2_R = h(
    "EAB98D13 E0905295 2AA72990 7C3C9461 84DEA0FE 74AD2B3A F506F0A8 3018459C"
    "38099CD1 F7FF4EA0 A078DB1F AC136550 5E3DC855 00EF95E2 0B4EEF2E 88489233"
    "BEE0546B 472F994B 618D1687 02406791 DEEF3CB4 810932EC 278F3533 FDB860EB"
    "4835C36F A4F1BF3F A0B828A7 18C96BDE 88FBA38A 3E6C35AA A1095925 1EB5FC71"
    "0FC18725 8995944C 0F926E24 9373F485"
)
H2_RP = h(
    "A0C7C50C 002061A5 1CC87D25 4EF38068 607417B6 EE1B3647 3CFB800D 2D2E5FA2"
    "B6980F01 105D24FA B22ACD1B FA5C8A4C 093ECDFA FE6D7125 D42A843E 33860383"
    "5CF19AFA FF75EFE2 1DC5F6AA 1F9AE46C 25087E73 68166FB0 8C1E4627 AFED7D93"
    "570417B7 90FF7F74 7E57F432 B04E1236 819E0DFE F5B6E77C A4999925 328182D2"
)
H2_GEN = h(
    "1D7D767F 11E333BC D6DBAEF4 0E799E7A 926B9697 3550656F F3C83072 6D118D61"
    "C276CDCC 61D475CF 03A98E0C 0E79CAEB A5BE2557 8BD4551D 0B109032 36F0B0F9"
    "76852FA7 8EEA14EA 0ACA87D1 E91F688F E0DFF897 BBE35A47 2621D343 564B262F"
    "34223AE8 FC59B664 BFEDFA2B FE7516CA 5510A6BB B633D517 EC25D4E0 BBAA16C2"
)
H2_C_SK = h(
    "020F018C 7284B047 FA7721A3 37EFB7AC B1440BB3 0C5252BD 41C97C30 C994BB78"
    "E9F0C5B3 2744D840 17D21FFA 6878396A 6469CA28 3EF5C000 DAF7D261 A39AB886"
    "0ED4610A B5343390 897AAB5A 7787E4FA EFA0649C 6A94FDF8 2D991E8E 3FC332F5"
    "142729E7 040A3F7D 5A4D3CD7 5CBEE1F0 43C1CAD2 DD484FEB 4ED22B59 7D36688E"
)
H2_C_PK = h(
    "928D9A0F 9DBA450F 13FC859C 6F290D1D 36E42431 138A4378 500BEB4E 0401854C"
    "FF111F71 CB6DC1D0 335807A1 1388CC8E AA87B079 07AAD9FB A6B169AF 6D8C26AF"
    "8DDDC39A DC3AD2E3 FF882B84 D23E9768 E95A80E4 746FB07A 9767679F E92133B4"
    "D379935C 771BD7FB ED6C7BB4 B1708B27 5EA75679 524CDC9C 6A91370C C662A2F3"
)
H2_T_SK = h(
    "4BD0E547 40F9A028 E6A515BF DAF96784 8C4F5F5F FF65AA09 15947FFD 1A0DF2FA"
    "6981271B C905F355 1457B7E0 3AC3B806 6DE4AA40 6C1171FB 43DD939C 4BA16175"
    "103BA3DE E16419AA 248118F9 0CC36A3D 6F4C3736 52E0C3CC E7F0F1D0 C5425B36"
    "00F0F0D6 A67F004C 8BBA33F2 B4733C72 52445C1D FC4F1107 203F71D2 EFB28161"
)
H2_T_PK = h(
    "0F0CC629 45A80292 51FB7EF3 C094E12E C68E4EF0 7F27CB9D 9CD04C5C 4250FAE0"
    "E4F8A951 557E929A EB48E5C6 DD47F2F5 CD7C351A 9BD2CD72 2C07EDE1 66770F08"
    "FFCB3702 62CF308D D7B07F2E 0DA9CAAA 1492344C 85290691 9538C98A 4BA4187E"
    "76CE9D87 832386D3 19CE2E04 3C3343AE AE6EDBA1 A9894DC5 094D22F7 FE1351D5"
)
H2_K = h(
    "419410D6 C0A17A4C 07C54872 CE1CBCEB 0A2705C1 A434C8A8 9A4CFE41 F1D78124"
    "CA7EC52B DE7615E5 345E48AB 1ABB6E7D 1D59A57F 3174084D 3CA45703 97C1F622"
    "28BDFDB2 DA191EA2 239E2C06 0DBE3BBC 23C2FCD0 AF12E0F9 E0B99FCF 91FF1959"
    "011D5798 B2FCBC1F 14FCC24E 441F4C8F 9B08D977 E9498560 E63E7FFA B3134EA7"
)
H2_KS_ENC = h("01AFC10C F87BE36D 8179E873 70171F07")
H2_KS_MAC = h("23F0FBD0 5FD6C7B8 B88F4C83 09669061")
H2_T_IC = h("C2F04230 187E1525")
H2_T_IFD = h("55D61977 CBF5307E")
H2_OID = "0.4.0.127.0.7.2.2.4.3.2"  # id-PACE-DH-IM-AES-CBC-CMAC-128


def test_h2_values() -> None:
    alg = PACE_ALGORITHMS[H2_OID]
    group = DHPaceGroup(MODP_1024_160)
    assert pace_chip.encrypt_nonce(alg, H_KPI, H2_S) == H2_Z
    assert pace.decrypt_nonce(alg, H_KPI, H2_Z) == H2_S
    p = MODP_1024_160.p
    assert pace.integrated_mapping_prf_output(alg, H2_S, H2_T, p) == H2_R
    r_p = pace.integrated_mapping_prf(alg, H2_S, H2_T, p)
    assert r_p == int.from_bytes(H2_RP, "big")
    generator = group.integrated_map(r_p)
    assert group.encode(generator) == H2_GEN
    c_sk, t_sk = int.from_bytes(H2_C_SK, "big"), int.from_bytes(H2_T_SK, "big")
    assert group.encode(group.exp(c_sk, generator)) == H2_C_PK
    assert group.encode(group.exp(t_sk, generator)) == H2_T_PK
    assert group.shared_secret(t_sk, group.decode(H2_C_PK)) == H2_K
    assert group.shared_secret(c_sk, group.decode(H2_T_PK)) == H2_K
    assert session_keys(H2_K, cipher="AES", key_bits=128) == (H2_KS_ENC, H2_KS_MAC)
    t_ic_input = group.public_key_object(H2_OID, group.decode(H2_T_PK))
    t_ifd_input = group.public_key_object(H2_OID, group.decode(H2_C_PK))
    assert t_ic_input == h("7F49818F 060A0400 7F000702 02040302 848180") + H2_T_PK
    assert t_ifd_input == h("7F49818F 060A0400 7F000702 02040302 848180") + H2_C_PK
    assert pace.authentication_token(alg, H2_KS_MAC, t_ic_input) == H2_T_IC
    assert pace.authentication_token(alg, H2_KS_MAC, t_ifd_input) == H2_T_IFD


# --- Appendix I.1: ECDH, Chip Authentication Mapping, brainpoolP256r1 ----------------------

I_MRZ = "C11T002JM496081222310314"
I_K = h("894D03F1 48C6265E 89845B21 8856EA34 D00EF8E8")
I_KPI = h("4E6F6FBF 7BE748B9 32C7B741 61BBA9DF")
I1_PACEINFO = h("3012060A 04007F00 07020204 06020201 0202010D")
I1_S = h("658B860B C94DF6F0 44FCE6D5 C82CF8E5")
I1_Z = h("CB60E8E0 D85B76A9 BD304747 C2AD42E2")
I1_T_MAP_SK = h("5D8BB87B D74D985A 4B7D4325 B9F7B976 FE835122 77340079 8914AA22 738135CC")
I1_T_MAP_PK = (
    h("7F1D410A DB7DDB3B 84BF1030 800981A9 105D7457 B4A3ADE0 02384F30 86C67EDE"),
    h("1AB88910 4A27DB6D 842B0190 20FBF3CE ACB0DC62 7F7BDCAC 29969E19 D0E553C1"),
)
I1_C_MAP_SK = h("9E56A6B5 9C95D06E CE5CD10F 983BB2F4 F1943528 E577F238 81D89D8C 3BBEE0AA")
I1_C_MAP_PK = (
    h("A234236A A9B9621E 8EFB73B5 245C0E09 D2576E52 77183C12 08BDD552 80CAE8B3"),
    h("04F36571 3A356E65 A451E165 ECC9AC0A C46E3771 342C8FE5 AEDD0926 85338E23"),
)
I1_H = (
    h("2C1DCC17 73346492 C6636A36 EE4B965E 292E9AAE 7EE37736 EF58B9D0 A043F348"),
    h("403A8CF3 3CA7DC0D 9DF61D08 89CE2442 4FF97C1A AD48A5CA 2A554B07 1EF7638D"),
)
I1_GEN = (
    h("89F0B5EA BF3BE293 C75903A3 98613192 5C9F5B51 5CA95AF4 85DC7E88 6F03245D"),
    h("44BEFB2D D3A0DBD7 1CB5E618 971CF474 7F12B79E 548379A4 0E45963B AAF3E829"),
)
I1_T_SK = h("76ECFDAA 9841C323 A3F5FC5E 88B88DB3 EFF7E35E BF57A7E6 946CB630 006C2120")
I1_T_PK = (
    h("446C9340 84D9DAB8 63944F21 9520076C 29EE3F7A E6722B11 FF319EC1 C7728F95"),
    h("5483400B FF60BF0C 59292700 09277DC2 A515E125 75010AD9 BA916CF1 BF86FEFC"),
)
I1_C_SK = h("CD626EF3 C256E235 FE8912CA C28279E6 26008EDA 6B3A05C4 CF862A3B DAB79E78")
I1_C_PK = (
    h("02AD566F 3C6EC7F9 324509AD 50A51FA5 2030782A 4968FCFE DF737DAE A9933331"),
    h("11C3B9B4 C2287789 BD137E7F 8AA882E2 A3C633CC D6ECC2C6 3C57AD40 1A09C2E1"),
)
I1_K = h("67950559 D0C06B4D 4B86972D 14460837 461087F8 419FDBC3 6AAF6CEA AC462832")
I1_KS_ENC = h("0A9DA4DB 03BDDE39 FC5202BC 44B2E89E")
I1_KS_MAC = h("4B1C0649 1ED5140C A2B537D3 44C6C0B1")
I1_T_IFD = h("E86BD060 18A1CD3B")
I1_T_IC = h("8596CF05 5C67C1A3")
I1_A_IC = h(
    "1EEA964D AAE372AC 990E3EFD E6333353 BFC89A67 04D93DA8 798CF77F 5B7A54BD"
    "10CBA372 B42BE0B9 B5F28AA8 DE2F4F92"
)
I1_CA_IC = h("85DC3FA9 3D0952BF A82F5FD1 89EE75BD 82F11D1F 0B8ED4BF 5319AC9B 53C426B3")
I1_IV = h("F6A3B75A 1E933941 DD7A13E2 520779DF")
I1_CAPK_INFO = h(
    "30620609 04007F00 07020201 02305230 0C060704 007F0007 01020201 0D034200"
    "04187270 9494399E 7470A643 1BE25E83 EEE24FEA 568C2ED2 8DB48E05 DB3A610D"
    "C884D256 A40E35EF CB59BF67 53D3A489 D28C7A4D 973C2DA1 38A6E7A4 A08F68E1"
    "6F02010D"
)
I1_PK_IC = (
    h("18727094 94399E74 70A6431B E25E83EE E24FEA56 8C2ED28D B48E05DB 3A610DC8"),
    h("84D256A4 0E35EFCB 59BF6753 D3A489D2 8C7A4D97 3C2DA138 A6E7A4A0 8F68E16F"),
)

I1_TRANSCRIPT = [
    (h("00 22 C1 A4 0F 80 0A 04 00 7F 00 07 02 02 04 06 02 83 01 01"), h("90 00")),
    (h("10 86 00 00 02 7C 00 00"), h("7C 12 80 10") + I1_Z + h("90 00")),
    (
        h("10 86 00 00 45 7C 43 81 41") + enc(I1_T_MAP_PK) + h("00"),
        h("7C 43 82 41") + enc(I1_C_MAP_PK) + h("90 00"),
    ),
    (
        h("10 86 00 00 45 7C 43 83 41") + enc(I1_T_PK) + h("00"),
        h("7C 43 84 41") + enc(I1_C_PK) + h("90 00"),
    ),
    (
        h("00 86 00 00 0C 7C 0A 85 08 E8 6B D0 60 18 A1 CD 3B 00"),
        h(
            "7C 3C 86 08 85 96 CF 05 5C 67 C1 A3 8A 30 1E EA 96 4D AA E3 72 AC 99 0E 3E FD"
            "E6 33 33 53 BF C8 9A 67 04 D9 3D A8 79 8C F7 7F 5B 7A 54 BD 10 CB A3 72 B4 2B"
            "E0 B9 B5 F2 8A A8 DE 2F 4F 92 90 00"
        ),
    ),
]


def _i1_static_private_key() -> int:
    # The appendix does not print SK_IC; CA_IC = SK_IC^-1 * SK_Map,IC gives it back.
    n = BRAINPOOL_P256R1.n
    ca = int.from_bytes(I1_CA_IC, "big")
    return int.from_bytes(I1_C_MAP_SK, "big") * pow(ca, -1, n) % n


def test_i1_values() -> None:
    pw = Password.from_mrz_information(I_MRZ)
    assert pw.key_input == I_K
    assert pw.k_pi("AES", 128) == I_KPI
    [info, capk] = parse_security_infos(b"\x31\x78" + I1_PACEINFO + I1_CAPK_INFO)
    assert info == PACEInfo("0.4.0.127.0.7.2.2.4.6.2", 2, 13)
    assert isinstance(capk, ChipAuthenticationPublicKeyInfo)
    assert capk.key_id == 13 and capk.algorithm_oid == "0.4.0.127.0.7.1.2"
    assert capk.public_key == enc(I1_PK_IC)
    alg = PACE_ALGORITHMS[info.protocol]
    group = ECDHGroup(BRAINPOOL_P256R1)
    assert pace.decrypt_nonce(alg, I_KPI, I1_Z) == I1_S
    t_map, c_map = int.from_bytes(I1_T_MAP_SK, "big"), int.from_bytes(I1_C_MAP_SK, "big")
    assert group.standard_public_key(t_map) == pt(I1_T_MAP_PK)
    assert group.standard_public_key(c_map) == pt(I1_C_MAP_PK)
    h_point = group.exp(t_map, pt(I1_C_MAP_PK))
    assert h_point == pt(I1_H)
    generator = group.generic_map(int.from_bytes(I1_S, "big"), h_point)
    assert generator == pt(I1_GEN)
    t_sk, c_sk = int.from_bytes(I1_T_SK, "big"), int.from_bytes(I1_C_SK, "big")
    assert group.exp(t_sk, generator) == pt(I1_T_PK)
    assert group.exp(c_sk, generator) == pt(I1_C_PK)
    assert group.shared_secret(t_sk, pt(I1_C_PK)) == I1_K
    assert session_keys(I1_K, cipher="AES", key_bits=128) == (I1_KS_ENC, I1_KS_MAC)
    assert pace.cam_iv(I1_KS_ENC) == I1_IV
    assert pace.decrypt_chip_authentication_data(I1_KS_ENC, I1_A_IC) == I1_CA_IC
    sk_ic = _i1_static_private_key()
    assert group.standard_public_key(sk_ic) == pt(I1_PK_IC)
    assert pace_chip.chip_authentication_data(BRAINPOOL_P256R1, sk_ic, c_map) == I1_CA_IC
    assert pace_chip.encrypt_chip_authentication_data(I1_KS_ENC, I1_CA_IC) == I1_A_IC


def test_i1_terminal_replays_published_apdus_and_verifies_the_chip() -> None:
    info = PACEInfo("0.4.0.127.0.7.2.2.4.6.2", 2, 13)
    replay = Replay(I1_TRANSCRIPT)
    channel = ApduChannel(InProcessTransport(replay))
    result = perform_pace(
        channel, Password.from_mrz_information(I_MRZ), info,
        rng=seq_rng(I1_T_MAP_SK, I1_T_SK), send_parameter_id=False,
    )
    assert not replay.transcript
    assert result.mapping == "CAM"
    assert result.ca_data == I1_CA_IC
    assert result.chip_mapping_public_key == enc(I1_C_MAP_PK)
    same_keys(result.sm, I1_KS_ENC, I1_KS_MAC)
    [_, capk] = parse_security_infos(b"\x31\x78" + I1_PACEINFO + I1_CAPK_INFO)
    assert isinstance(capk, ChipAuthenticationPublicKeyInfo)
    assert pace.verify_cam(result, capk)
    assert pace.verify_cam(result, enc(I1_PK_IC))
    # Any other static key (here G.1's chip ephemeral point) must fail.
    assert not pace.verify_cam(result, enc(G1_C_PK))


def test_i1_chip_replays_published_apdus() -> None:
    info = PACEInfo("0.4.0.127.0.7.2.2.4.6.2", 2, 13)
    # The appendix's chip ephemeral key CD62... exceeds the group order n (A9FB...); our chip
    # draws keys in [1, n-1], so it is handed the same scalar reduced mod n.
    n = BRAINPOOL_P256R1.n
    c_sk = (int.from_bytes(I1_C_SK, "big") % n).to_bytes(32, "big")
    chip = PaceChip(
        [info], mrz_key=I_K, cam_private_key=_i1_static_private_key(),
        rng=seq_rng(I1_S, I1_C_MAP_SK, c_sk),
    )
    replay_chip(chip, I1_TRANSCRIPT)
    assert chip.established is not None
    same_keys(chip.established, I1_KS_ENC, I1_KS_MAC)
