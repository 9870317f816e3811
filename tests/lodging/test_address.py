"""Printed addresses (before and after the 2025 merger) → the portal's province and ward codes.

Every region; wards, communes and special zones; "P.", "Q.", "TP.", "TT.", "H." abbreviations;
missing diacritics; ward names that exist in several provinces (decided by the province) or
twice in one (flagged with both); old wards split between new ones (flagged, never guessed).
The expected codes are the portal's (``PHUONG_XA``), checked against the published merger
(e.g. Bến Nghé, Quận 1 → Phường Sài Gòn; Phúc Xá, Ba Đình → Phường Hồng Hà).
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from typing import Any

import pytest

from cccd_reader.lodging import VIETNAM
from cccd_reader.lodging.address import accent_key, match_address, plain_key
from cccd_reader.lodging.catalogue import Workbook

# (address, province code, ward code, detail, flag code, candidate ward codes)
CASES: list[tuple[str, str | None, str | None, str, str | None, tuple[str, ...]]] = [
    # ---- after the merger: "detail, ward, province"
    ("Số 1 Tràng Thi, Phường Hoàn Kiếm, TP. Hà Nội", "101", "101900070", "Số 1 Tràng Thi",
     None, ()),
    ("12 Lê Lợi, Phường Việt Hưng, Hà Nội", "101", "101900127", "12 Lê Lợi", None, ()),
    # the same ward name in another province: the province decides
    ("Khu 3, Phường Việt Hưng, Tỉnh Quảng Ninh", "225", "225906661", "Khu 3", None, ()),
    ("Ngõ 3/6A, Xã Gia Lâm, TP. Hà Nội", "101", "101900565", "Ngõ 3/6A", None, ()),
    ("Thôn 1, Xã Gia Lâm, Ninh Bình", "117", "117914389", "Thôn 1", None, ()),
    ("Đặc khu Vân Đồn, Quảng Ninh", "225", "225906994", "", None, ()),
    ("Tổ 3, Phường Sa Pa, Lào Cai", "205", "205903006", "Tổ 3", None, ()),
    ("Phường Đông Tiến, Thanh Hóa", "401", "401915853", "", None, ()),
    ("Phường Thuận Hóa, TP. Huế", "411", "411919786", "", None, ()),
    ("Phuong Thuan Hoa, TP Hue", "411", "411919786", "", None, ()),
    ("Phường Hải Châu, TP. Đà Nẵng", "501", "501920242", "", None, ()),
    ("Phường Nha Trang, Khánh Hòa", "511", "511922366", "", None, ()),
    ("Phường Xuân Hương - Đà Lạt, Lâm Đồng", "703", "703924781", "", None, ()),
    ("Phường Pleiku, Gia Lai", "603", "603923575", "", None, ()),
    ("Phường Sài Gòn, TP. Hồ Chí Minh", "701", "701926740", "", None, ()),
    ("phuong sai gon, tp ho chi minh", "701", "701926740", "", None, ()),
    ("Phường Ninh Kiều, TP. Cần Thơ", "815", "815931135", "", None, ()),
    ("Đặc khu Phú Quốc, An Giang", "805", "805931078", "", None, ()),
    ("Đặc khu Phú Quý, Lâm Đồng", "703", "703923272", "", None, ()),
    ("Xã Cẩm Giàng, TP. Hải Phòng", "103", "103910903", "", None, ()),
    # two wards of one province differ only by diacritics or type: both offered
    ("Xa Cam Giang, Hai Phong", "103", None, "", "ward_ambiguous",
     ("103910888", "103910903")),
    ("Dong Tien, Thanh Hoa", "401", None, "", "ward_ambiguous", ("401915724", "401915853")),
    ("Tân Lập, Hà Nội", "101", None, "", "ward_not_found", ()),
    # ---- before the merger: "detail, ward, district, province", mapped to the new units
    ("Tổ 5, Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội", "101", "101900097", "Tổ 5",
     None, ()),
    ("123 Đ. Lạch Tray, P. Đằng Giang, Q. Ngô Quyền, TP. Hải Phòng", "103", "103911359",
     "123 Đ. Lạch Tray", None, ()),
    ("Xã Bạch Long Vĩ, Huyện Bạch Long Vĩ, Hải Phòng", "103", "103911948", "", None, ()),
    ("Thôn 2, Huyện Bạch Long Vĩ, TP Hải Phòng", "103", "103911948", "Thôn 2", None, ()),
    ("Khu 1, TT. Cô Tô, H. Cô Tô, Quảng Ninh", "225", "225907192", "Khu 1", None, ()),
    ("Bản Mường Phăng, Xã Mường Phăng, H. Điện Biên, Tỉnh Điện Biên", "302", "302903325",
     "Bản Mường Phăng", None, ()),
    ("Số 9 Lê Lai, P. Đông Sơn, TP. Thanh Hóa, Thanh Hóa", "401", "401914797", "Số 9 Lê Lai",
     None, ()),
    ("07 Lê Lợi, Phường Phú Hội, Thành phố Huế, Thừa Thiên Huế", "411", "411919786",
     "07 Lê Lợi", None, ()),
    ("Phường Minh An, TP. Hội An, Quảng Nam", "501", "501920410", "", None, ()),
    ("Thôn Tây, Huyện Lý Sơn, Tỉnh Quảng Ngãi", "505", "505921548", "Thôn Tây", None, ()),
    ("Thị trấn Trường Sa, Huyện Trường Sa, Khánh Hòa", "511", "511922736", "", None, ()),
    ("Phường Tân Lập, TP. Buôn Ma Thuột, Đắk Lắk", "605", "605924121", "", None, ()),
    ("Phường 1, TP. Đà Lạt, Lâm Đồng", "703", "703924781", "", None, ()),
    ("Phường Bến Nghé, Quận 1, TP HCM", "701", "701926740", "", None, ()),
    ("123/4 Nguyễn Đình Chiểu, Phường 5, Quận 3, TP. Hồ Chí Minh", "701", "701927154",
     "123/4 Nguyễn Đình Chiểu", None, ()),
    ("Phường Thảo Điền, Quận 2, TP. Hồ Chí Minh", "701", "701927094", "", None, ()),
    ("Phường Long Bình, TP. Thủ Đức, TP. Hồ Chí Minh", "701", "701926833", "", None, ()),
    ("Phường Phú Cường, TP. Thủ Dầu Một, Bình Dương", "701", "701925747", "", None, ()),
    ("Xã Côn Đảo, Huyện Côn Đảo, Bà Rịa - Vũng Tàu", "701", "701926732", "", None, ()),
    ("Phường 1, TP. Vũng Tàu, Tỉnh Bà Rịa-Vũng Tàu", "701", "701926506", "", None, ()),
    ("P. Cái Khế, Q. Ninh Kiều, TP. Cần Thơ", "815", "815931120", "", None, ()),
    ("Phường Dương Đông, TP. Phú Quốc, Kiên Giang", "805", "805931078", "", None, ()),
    ("Phường 7, TP. Bạc Liêu, Bạc Liêu", "823", "823931825", "", None, ()),
    # old wards split between several new ones: the candidates, never one of them
    ("Trung Liệt, Đống Đa, Hà Nội", "101", None, "", "ward_split",
     ("101900235", "101900226", "101900190")),
    ("Tràng Tiền, Hoàn Kiếm, Hà Nội", "101", None, "", "ward_split",
     ("101900073", "101900070")),
    ("59 Nguyễn Sỹ Sách, P.15, Q. Tân Bình, TP.HCM", "701", None, "59 Nguyễn Sỹ Sách",
     "ward_split", ("701927004", "701927007")),
    ("Thôn A, Xã Tân Lập, Huyện Đan Phượng, Hà Nội", "101", None, "Thôn A", "ward_split",
     ("101909832", "101909817")),
    # two old districts share a name (the town and the rural district of Kỳ Anh): the ward
    # exists in one of them only
    ("Xã Kỳ Tân, Kỳ Anh, Hà Tĩnh", "405", "405918814", "", None, ()),
    # an old district's name is also a new ward's: not taken for it, offered; the unknown
    # part stays in the detail
    ("Số 3 Hàng Bài, Hoàn Kiếm, Hà Nội", "101", None, "Số 3 Hàng Bài", "ward_not_found",
     ("101900070",)),
    # a ward the tables do not know (renamed before the card was printed): flagged
    ("TT. Dương Đông, H. Phú Quốc, Kiên Giang", "805", None, "TT. Dương Đông",
     "ward_not_found", ()),
    # nothing to go on
    ("Số 5, Atlantis", None, None, "Số 5", "province_not_found", ()),
    ("", None, None, "", "address_missing", ()),
]


@pytest.fixture(scope="module")
def lists(books: Mapping[str, Workbook]) -> tuple[Any, Any]:
    vn = books[VIETNAM]
    return vn.list("province"), vn.list("ward")


def test_the_table_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert sum(1 for c in CASES if c[2] is not None) >= 30


@pytest.mark.parametrize("address,province,ward,detail,flag,candidates", CASES,
                         ids=[c[0][:40] or "empty" for c in CASES])
def test_address(lists: tuple[Any, Any], address: str, province: str | None,
                 ward: str | None, detail: str, flag: str | None,
                 candidates: tuple[str, ...]) -> None:
    provinces, wards = lists
    got = match_address(address, provinces, wards)
    assert (got.province.code if got.province else None) == province
    assert (got.ward.code if got.ward else None) == ward
    assert got.detail == detail
    assert [f.code for f in got.flags] == ([flag] if flag else [])
    if flag:
        assert tuple(c.split(" - ")[0] for c in got.flags[0].candidates) == candidates
        assert got.ward is None  # never a guess
    if got.ward is not None:  # a ward always lies in the province found
        assert got.province is not None and got.ward.parent == got.province.code
        assert got.ward.display in wards.displays()


def test_no_network_is_touched(lists: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The library's converter geocodes split wards online; matching never calls it."""
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("address matching opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for address, *_ in CASES:
        match_address(address, *lists)


def test_keys() -> None:
    assert plain_key("Q. Đống Đa") == "qdongda"
    assert accent_key("Thuận Hoà") == accent_key("Thuận Hòa")
    assert accent_key("Cẩm Giàng") != accent_key("Cẩm Giang")


def test_hostile_address_is_bounded(lists: tuple[Any, Any]) -> None:
    got = match_address("," * 100000 + "Hà Nội" * 10000, *lists)
    assert got.ward is None and got.flags
