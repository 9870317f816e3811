"""BER-TLV codec and APDU model: exact encodings, bounds, and hostile input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cccd_reader.errors import ParseError, TLVError
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.apdu import CommandAPDU, ResponseAPDU, describe_sw

H = bytes.fromhex


class TestTLV:
    def test_multibyte_tags_and_long_lengths(self) -> None:
        value = bytes(300)
        enc = tlv.encode(0x5F1F, value)
        assert enc[:5] == H("5F1F82012C")
        obj = tlv.decode(enc)
        assert (obj.tag, obj.value) == (0x5F1F, value)
        assert tlv.encode(0x7F61, b"") == H("7F6100")
        assert tlv.encode_length(0x7F) == H("7F")
        assert tlv.encode_length(0x80) == H("8180")
        assert tlv.encode_length(0x10000) == H("83010000")

    def test_nested_find(self) -> None:
        data = tlv.encode(0x60, tlv.encode(0x5F01, b"0107") + tlv.encode(0x5C, H("6175")))
        obj = tlv.decode(data)
        assert obj.constructed
        assert obj.require(0x5C).value == H("6175")
        assert obj.find(0x99) is None
        with pytest.raises(TLVError, match="missing"):
            obj.require(0x99)

    def test_header(self) -> None:
        assert tlv.decode_header(H("7582ABCD00")) == (0x75, 0xABCD, 4)

    @pytest.mark.parametrize(
        "data,match",
        [
            (H("6180"), "indefinite"),
            (H("6185FFFFFFFFFF"), "too long"),
            (H("6184FFFFFFFF"), "exceeds"),
            (H("61820100") + bytes(10), "truncated"),
            (H("5F"), "truncated"),
            (H("5FFFFFFFFF0100"), "longer than"),
            (H("00"), "invalid tag"),
            (H("610100FF"), "trailing"),
        ],
    )
    def test_malformed(self, data: bytes, match: str) -> None:
        with pytest.raises(TLVError, match=match):
            tlv.decode(data)

    def test_nesting_bomb_is_bounded(self) -> None:
        data = b""
        for _ in range(200):
            data = tlv.encode(0x30, data)
        with pytest.raises(TLVError, match="deeper"):
            list(tlv.walk(tlv.decode(data)))

    @settings(max_examples=400)
    @given(st.binary(max_size=300))
    def test_fuzz_only_typed_errors(self, data: bytes) -> None:
        try:
            for obj in tlv.decode_all(data):
                list(tlv.walk(obj))
        except TLVError:
            pass

    @given(st.integers(min_value=1, max_value=0x1E), st.binary(max_size=1000))
    def test_roundtrip(self, tag: int, value: bytes) -> None:
        assert tlv.decode(tlv.encode(tag, value)) == tlv.TLV(tag, value)


class TestAPDU:
    @pytest.mark.parametrize(
        "cmd,raw",
        [
            (CommandAPDU(0, 0xA4, 4, 0x0C, H("A0000002471001")), "00A4040C07A0000002471001"),
            (CommandAPDU(0, 0x84, 0, 0, le=8), "0084000008"),
            (CommandAPDU(0, 0xB0, 0, 0, le=256), "00B0000000"),
            (CommandAPDU(0, 0xB0, 0, 0, le=65536), "00B00000000000"),
            (CommandAPDU(0, 0xB0, 0, 0, le=1000), "00B000000003E8"),
            (CommandAPDU(0, 0x82, 0, 0, bytes(2), le=40), "00820000020000" + "28"),
            (CommandAPDU(0, 0x2A, 0, 0, bytes(300), le=256),
             "002A0000" + "00012C" + "00" * 300 + "0100"),
            (CommandAPDU(0, 0x2A, 0, 0, bytes(300)), "002A0000" + "00012C" + "00" * 300),
        ],
    )
    def test_encodings_roundtrip(self, cmd: CommandAPDU, raw: str) -> None:
        assert cmd.to_bytes() == H(raw)
        back = CommandAPDU.from_bytes(H(raw))
        assert (back.ins, back.data, back.le) == (cmd.ins, cmd.data, cmd.le)

    @pytest.mark.parametrize("raw", ["00B000", "00B0000003AA", "00B000000000", "00B00000000002AA"])
    def test_malformed_commands(self, raw: str) -> None:
        with pytest.raises(ParseError):
            CommandAPDU.from_bytes(H(raw))

    def test_bounds(self) -> None:
        with pytest.raises(ParseError):
            CommandAPDU(0x100, 0, 0, 0)
        with pytest.raises(ParseError):
            CommandAPDU(0, 0, 0, 0, le=65537)
        with pytest.raises(ParseError):
            ResponseAPDU.from_bytes(H("90"))

    def test_status_names(self) -> None:
        assert describe_sw(0x6982) == "6982 (security status not satisfied)"
        assert "exact length is 223" in describe_sw(0x6CDF)
        assert "3 tries left" in describe_sw(0x63C3)
        assert ResponseAPDU.from_bytes(H("01029000")).ok

    @given(st.binary(max_size=600))
    def test_fuzz_parse(self, raw: bytes) -> None:
        try:
            cmd = CommandAPDU.from_bytes(raw)
        except ParseError:
            return
        assert CommandAPDU.from_bytes(cmd.to_bytes()) == cmd or len(raw) >= 4
