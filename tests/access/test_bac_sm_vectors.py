"""BAC and secure messaging against the worked example of ICAO Doc 9303 Part 11, Appendix D.

Document number L898902C<, date of birth 690806, date of expiry 940623. Every intermediate
value of D.2 (keys), D.3 (authentication and session keys) and D.4 (secure messaging: SELECT
EF.COM and two READ BINARY) is checked.
"""

from __future__ import annotations

import pytest

from cccd_reader.access import bac
from cccd_reader.errors import SecureMessagingError
from cccd_reader.iso7816.apdu import CommandAPDU, ResponseAPDU
from cccd_reader.iso7816.sm import SecureMessaging
from cccd_sim.chip import chip_mutual_authenticate

H = bytes.fromhex
MRZ_INFO = "L898902C<369080619406236"
RND_IC = H("4608F91988702212")
RND_IFD = H("781723860C06C226")
K_IFD = H("0B795240CB7049B01C19B33E32804F0B")
K_IC = H("0B4F80323EB3191CB04970CB4052790B")
KS_ENC = H("979EC13B1CBFE9DCD01AB0FED307EAE5")
KS_MAC = H("F1CB1F1FB5ADF208806B89DC579DC1F8")


def test_d2_document_keys() -> None:
    assert bac.key_seed(MRZ_INFO) == H("239AB9CB282DAF66231DC5A4DF6BFBAE")
    kenc, kmac = bac.document_keys(MRZ_INFO)
    assert kenc == H("AB94FDECF2674FDFB9B391F85D7F76F2")
    assert kmac == H("7962D9ECE03D1ACD4C76089DCE131543")


def test_d3_mutual_authentication_both_sides() -> None:
    kenc, kmac = bac.document_keys(MRZ_INFO)
    cmd = bac.terminal_cryptogram(RND_IC, RND_IFD, K_IFD, kenc, kmac)
    assert cmd == H(
        "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2" "5F1448EEA8AD90A7"
    )
    chip = chip_mutual_authenticate(cmd, RND_IC, K_IC, kenc, kmac)
    assert chip is not None
    resp, chip_keys = chip
    assert resp == H(
        "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F" "2F2D235D074D7449"
    )
    keys = bac.terminal_finish(resp, RND_IC, RND_IFD, K_IFD, kenc, kmac)
    assert keys == chip_keys
    assert keys.ks_enc == KS_ENC
    assert keys.ks_mac == KS_MAC
    assert keys.ssc == H("887022120C06C226")


def test_d3_wrong_key_is_refused_by_both_sides() -> None:
    kenc, kmac = bac.document_keys(MRZ_INFO)
    wrong_enc, wrong_mac = bac.document_keys("L898902C<369080619406237")
    cmd = bac.terminal_cryptogram(RND_IC, RND_IFD, K_IFD, wrong_enc, wrong_mac)
    assert chip_mutual_authenticate(cmd, RND_IC, K_IC, kenc, kmac) is None
    chip = chip_mutual_authenticate(
        bac.terminal_cryptogram(RND_IC, RND_IFD, K_IFD, kenc, kmac), RND_IC, K_IC, kenc, kmac
    )
    assert chip is not None
    with pytest.raises(bac.AccessDeniedError):
        bac.terminal_finish(chip[0], RND_IC, RND_IFD, K_IFD, wrong_enc, wrong_mac)


def _pair() -> tuple[SecureMessaging, SecureMessaging]:
    ssc = H("887022120C06C226")
    return (
        SecureMessaging.from_keys("3DES", KS_ENC, KS_MAC, ssc),
        SecureMessaging.from_keys("3DES", KS_ENC, KS_MAC, ssc),
    )


def test_d4_secure_messaging_transcript() -> None:
    term, chip = _pair()
    # SELECT EF.COM
    select = CommandAPDU(0x00, 0xA4, 0x02, 0x0C, H("011E"))
    prot = term.protect_command(select)
    assert prot.to_bytes() == H("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")
    assert chip.unprotect_command(CommandAPDU.from_bytes(prot.to_bytes())).data == H("011E")
    rapdu = ResponseAPDU.from_bytes(H("990290008E08FA855A5D4C50A8ED9000"))
    assert chip.protect_response(ResponseAPDU(b"", 0x9000)) == rapdu
    assert term.unprotect_response(rapdu) == ResponseAPDU(b"", 0x9000)

    # READ BINARY, 4 bytes
    rb = CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=4)
    prot = term.protect_command(rb)
    assert prot.to_bytes() == H("0CB000000D9701048E08ED6705417E96BA5500")
    assert chip.unprotect_command(CommandAPDU.from_bytes(prot.to_bytes())).le == 4
    rapdu = ResponseAPDU.from_bytes(H("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"))
    assert chip.protect_response(ResponseAPDU(H("60145F01"), 0x9000)) == rapdu
    assert term.unprotect_response(rapdu).data == H("60145F01")

    # READ BINARY, 18 bytes from offset 4
    rb = CommandAPDU(0x00, 0xB0, 0x00, 0x04, le=0x12)
    prot = term.protect_command(rb)
    assert prot.to_bytes() == H("0CB000040D9701128E082EA28A70F3C7B53500")
    chip.unprotect_command(prot)
    rapdu = ResponseAPDU.from_bytes(
        H("871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000")
    )
    plain = H("04303130365F36063034303030305C026175")
    assert chip.protect_response(ResponseAPDU(plain, 0x9000)) == rapdu
    assert term.unprotect_response(rapdu).data == plain


def test_tampered_response_fails_loudly() -> None:
    term2, _ = _pair()
    term2.protect_command(CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=4))
    # skip SELECT step: the SSC of the transcript's READ BINARY answer differs -> MAC fails
    rapdu = ResponseAPDU.from_bytes(H("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"))
    with pytest.raises(SecureMessagingError):
        term2.unprotect_response(rapdu)
    # flipping a ciphertext bit breaks the MAC too
    term3, _ = _pair()
    term3.protect_command(CommandAPDU(0x00, 0xA4, 0x02, 0x0C, H("011E")))
    term3.unprotect_response(ResponseAPDU.from_bytes(H("990290008E08FA855A5D4C50A8ED9000")))
    term3.protect_command(CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=4))
    bad = bytearray(rapdu.data)
    bad[4] ^= 0x01
    with pytest.raises(SecureMessagingError, match="MAC"):
        term3.unprotect_response(ResponseAPDU(bytes(bad), 0x9000))


def test_plain_sm_error_status_ends_session() -> None:
    term, _ = _pair()
    term.protect_command(CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=4))
    with pytest.raises(SecureMessagingError, match="6988"):
        term.unprotect_response(ResponseAPDU(b"", 0x6988))
    term.protect_command(CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=4))
    with pytest.raises(SecureMessagingError):
        term.unprotect_response(ResponseAPDU(b"", 0x9000))


@pytest.mark.parametrize("cipher,key_len", [("3DES", 16), ("AES", 16), ("AES", 24), ("AES", 32)])
@pytest.mark.parametrize(
    "cmd",
    [
        CommandAPDU(0x00, 0xA4, 0x02, 0x0C, H("0101")),
        CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=256),
        CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=4096),
        CommandAPDU(0x00, 0xB1, 0x00, 0x00, H("54028001"), le=0xE0),
        CommandAPDU(0x00, 0x22, 0x41, 0xA6, bytes(range(200))),
    ],
)
def test_roundtrip_every_cipher(cipher: str, key_len: int, cmd: CommandAPDU) -> None:
    kenc, kmac = bytes(range(1, key_len + 1)), bytes(range(100, 100 + key_len))
    term = SecureMessaging.from_keys(cipher, kenc, kmac, 7)  # type: ignore[arg-type]
    chip = SecureMessaging.from_keys(cipher, kenc, kmac, 7)  # type: ignore[arg-type]
    wire = term.protect_command(cmd).to_bytes()
    got = chip.unprotect_command(CommandAPDU.from_bytes(wire))
    fields = ("ins", "p1", "p2", "data", "le")
    assert [getattr(got, f) for f in fields] == [getattr(cmd, f) for f in fields]
    payload = bytes(range(256)) * 3
    resp = chip.protect_response(ResponseAPDU(payload, 0x9000), odd_ins=bool(cmd.ins & 1))
    assert term.unprotect_response(ResponseAPDU.from_bytes(resp.to_bytes())).data == payload
