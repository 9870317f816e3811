"""A printed address → the portal's province and ward codes, and the detail left over.

Cards print "detail, ward, district, province" before the 2025 merger (63 provinces, with
districts) and "detail, ward, province" after it (34 provinces, no districts). The units of an
old address are found and mapped to the new ones with ``vietnamadminunits`` (its legacy
parser and its 2025 conversion table); the new units are then found in the portal's own lists
(the workbook's ``TINH_THANH`` and ``PHUONG_XA``), by name within the province, because the
portal's codes are its own. A ward name shared by several provinces is decided by the
province, never across provinces.

Nothing is guessed: when an old ward was split between several new wards, or a name matches
more than one ward, or nothing matches, the cell stays empty and a flag lists the candidates.
The library's ``convert_address`` is not used: for a split ward it either picks its "default"
new ward or geocodes the address over the network (ArcGIS), and both would be a guess (and the
second a leak of the address).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cccd_reader.lodging.catalogue import Code, CodeList
from cccd_reader.lodging.flags import Flag

#: Type words in front of a unit's name, longest first, with their abbreviations.
_WARD_TYPES = ("phường", "phuong", "p.", "p", "thị trấn", "thi tran", "tt.", "tt", "xã", "xa",
               "x.", "đặc khu", "dac khu", "đk.")
_DISTRICT_TYPES = ("quận", "quan", "q.", "q", "huyện", "huyen", "h.", "thị xã", "thi xa", "tx.",
                   "tx", "thành phố", "thanh pho", "tp.", "tp")
_PROVINCE_TYPES = ("thành phố", "thanh pho", "tp.", "tp", "tỉnh", "tinh", "t.")
_TONE_MOVES = {"òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "òe": "oè",
               "óe": "oé", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ", "ùy": "uỳ", "úy": "uý",
               "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ"}
_TONE_RE = re.compile("|".join(_TONE_MOVES))
MAX_ADDRESS_CHARS = 512


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def plain_key(text: str) -> str:
    """Lower case, no diacritics, letters and digits only: ``"Q. Đống Đa"`` → ``"qdongda"``."""
    text = nfc(text).lower().replace("đ", "d")
    text = "".join(ch for ch in unicodedata.normalize("NFD", text)
                   if unicodedata.category(ch) != "Mn")
    return re.sub(r"[^0-9a-z]", "", text)


def accent_key(text: str) -> str:
    """Lower case with diacritics, one tone placement (``hòa`` = ``hoà``), no spaces/punctuation."""
    text = _TONE_RE.sub(lambda m: _TONE_MOVES[m.group()], nfc(text).lower())
    return re.sub(r"[\s.,\-_'’]", "", text)


def _strip_type(text: str, types: Iterable[str]) -> tuple[str, str]:
    """(type word as written or "", the name after it)."""
    low = nfc(text).strip()
    for word in types:
        if low.lower().startswith(word):
            rest = low[len(word):]
            # "P.15", "P15", "Q1", "TP.HCM": an abbreviation may run into the name; a full
            # word must be followed by a space
            if word.endswith(".") or (rest[:1].isdigit() and len(word) <= 2) or \
                    rest[:1] in (" ", "\u00a0") or (word in ("tp", "tt", "tx") and rest[:1]
                                                     .isupper()):
                name = rest.lstrip(" .\u00a0")
                if name:
                    return word.rstrip("."), name
    return "", low


def _ward_type(word: str) -> str:
    """The portal's type word for an abbreviation: "Phường", "Xã", "Thị trấn", "Đặc khu"."""
    key = plain_key(word)
    return {"p": "phuong", "phuong": "phuong", "x": "xa", "xa": "xa", "tt": "thitran",
            "thitran": "thitran", "dk": "dackhu", "dackhu": "dackhu"}.get(key, "")


@dataclass(frozen=True)
class AddressMatch:
    """The address split for the workbook: coded cells are empty when not certain."""

    province: Code | None = None
    ward: Code | None = None
    detail: str = ""
    flags: tuple[Flag, ...] = ()
    #: True when the address named pre-2025 units (a district), mapped to the new ones.
    legacy: bool = False


@dataclass
class _Portal:
    """The portal's provinces and wards, indexed by name keys."""

    provinces: CodeList
    wards: CodeList
    province_by_key: dict[str, Code] = field(default_factory=dict)
    wards_of: dict[str, list[Code]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for p in self.provinces:
            self.province_by_key[plain_key(_strip_type(p.label, _PROVINCE_TYPES)[1])] = p
        for w in self.wards:
            self.wards_of.setdefault(w.parent, []).append(w)


@functools.lru_cache(maxsize=4)
def _portal(provinces: CodeList, wards: CodeList) -> _Portal:
    return _Portal(provinces, wards)


def _lib() -> Any:
    """vietnamadminunits' data (imported lazily: ~0.3 s and 4 MB of JSON)."""
    try:
        from vietnamadminunits.converter import converter_2025
        from vietnamadminunits.parser import parser_from_2025, parser_legacy
    except ImportError as exc:  # pragma: no cover - the lodging extra pulls it in
        from cccd_reader.lodging.catalogue import LodgingDataError

        raise LodgingDataError(
            "address matching needs vietnamadminunits (pip install 'cccd-reader[lodging]')"
        ) from exc
    return parser_legacy, parser_from_2025, converter_2025


@functools.lru_cache(maxsize=1)
def _conversion() -> tuple[dict[str, str], dict[str, list[str]], dict[str, str]]:
    """Old "province_district_ward" key → new ward key (kept whole) or new ward keys (split),
    and old province key → new province key."""
    _, _, conv = _lib()
    whole: dict[str, str] = {}
    split: dict[str, list[str]] = {}
    provinces: dict[str, str] = {}
    for new_province, olds in conv.DICT_PROVINCE.items():
        for old in olds:
            provinces[old] = new_province
    for wards in conv.DICT_PROVINCE_WARD_NO_DIVIDED.values():
        for new_ward, olds in wards.items():
            for old in olds:
                whole[old] = new_ward
    for divided in conv.DICT_PROVINCE_WARD_DIVIDED.values():
        for old, news in divided.items():
            split[old] = [n["newWardKey"] for n in news]
    return whole, split, provinces


#: Province names the library's keywords lack: Thừa Thiên Huế became Thành phố Huế in
#: January 2025, and cards printed before then say so.
_PROVINCE_ALIASES = {"thuathienhue": "hue"}


def _find_province(text: str, provinces: dict[str, Any]) -> str | None:
    """The library key of a province named by ``text`` (any of its keywords)."""
    _, name = _strip_type(text, _PROVINCE_TYPES)
    keys = {plain_key(text), plain_key(name)}
    keys |= {_PROVINCE_ALIASES[k] for k in keys if k in _PROVINCE_ALIASES}
    for pkey, info in provinces.items():
        if keys & set(info["provinceKeywords"]):
            return str(pkey)
    return None


def _new_ward_name(new_province: str, ward_key: str) -> str | None:
    _, p25, _ = _lib()
    for table in (p25.DICT_PROVINCE_WARD_NO_ACCENTED, p25.DICT_PROVINCE_WARD_ACCENTED,
                  p25.DICT_PROVINCE_WARD_SHORT_ACCENTED):
        info = table.get(new_province, {}).get(ward_key)
        if info:
            return str(info["ward"])
    return None


def _portal_wards_named(portal: _Portal, province: Code, name: str,
                        type_word: str = "") -> list[Code]:
    """Wards of ``province`` whose name (without its type word) is ``name``; with diacritics
    when the text has them; filtered by type ("Phường"/"Xã"…) when one is written."""
    wards = portal.wards_of.get(province.code, [])
    want_type = _ward_type(type_word)
    hits = []
    for w in wards:
        wtype, wname = _strip_type(w.label, _WARD_TYPES)
        if plain_key(wname) != plain_key(name):
            continue
        if want_type and _ward_type(wtype) != want_type:
            continue
        hits.append(w)
    if len(hits) > 1 and plain_key(name) != accent_key(name):
        exact = [w for w in hits
                 if accent_key(_strip_type(w.label, _WARD_TYPES)[1]) == accent_key(name)]
        if exact:
            hits = exact
    return hits


def _flag(code: str, candidates: Iterable[Code] = (), **params: str) -> Flag:
    return Flag(code=code, field="ward" if code.startswith("ward") else "province",
                candidates=tuple(c.display for c in candidates), params=params)


#: The library's keys of the old island districts that had no wards.
_ISLANDS = ("huyenbachlongvi", "huyenconco", "huyenhoangsa", "huyenlyson", "huyencondao")


def _island_district(text: str, old_province: str) -> str | None:
    legacy, _, _ = _lib()
    districts = legacy.DICT_PROVINCE_DISTRICT.get(old_province, {})
    keys = {plain_key(text), plain_key(_strip_type(text, _DISTRICT_TYPES)[1])}
    for name in _ISLANDS:
        if name in districts and keys & set(districts[name]["districtKeywords"]):
            return name
    return None


def _legacy_ward(parts: list[str], old_province: str) -> tuple[str, str] | None:
    """(district key, ward key) when ``parts[-3:-1]`` name a ward and its district of
    ``old_province`` exactly (the library parses, the written names must agree)."""
    legacy, _, _ = _lib()
    dtype, dname = _strip_type(parts[-2], _DISTRICT_TYPES)
    districts = legacy.DICT_PROVINCE_DISTRICT.get(old_province, {})
    dkeys = {plain_key(parts[-2]), plain_key(dname)}
    district = [k for k, v in districts.items() if dkeys & set(v["districtKeywords"])]
    if dtype and len(district) > 1:  # "Thành phố X" and "Huyện X": the written type decides
        district = [k for k in district if plain_key(districts[k]["districtType"])
                    == plain_key({"q": "quận", "h": "huyện", "tx": "thị xã",
                                  "tp": "thành phố"}.get(dtype, dtype))]
    wtype, wname = _strip_type(parts[-3], _WARD_TYPES)
    # A district split before 2025 (Huế's city, Điện Biên, parts of Nghệ An…): the ward
    # decides which of the districts it went to
    divided = legacy.DICT_PROVINCE_DISTRICT_DIVIDED.get(old_province, {})
    for dkey, info in divided.items():
        if dkeys & set(info["dividedDistrictKeywords"]) or dkey in district:
            wkeys = {plain_key(parts[-3]), plain_key(wname)}
            owners = [k for k, v in info["districts"].items() if wkeys & set(v["wardKeywords"])]
            if len(owners) == 1:
                district = owners
            break
    if not district:
        return None
    # Every district the text may mean (two can share a name: "Thị xã Kỳ Anh", "Huyện Kỳ
    # Anh"): the ward must be found in exactly one of them
    pairs = {(d, w) for d in district for w in _wards_named(legacy, old_province, d, wtype,
                                                            wname, parts[-3])}
    if len(pairs) != 1:
        return district[0], ""
    return pairs.pop()


def _wards_named(legacy: Any, old_province: str, district: str, wtype: str, wname: str,
                 written: str) -> set[str]:
    """Keys of the wards of an old district whose name (and type, when written) match."""
    found: set[str] = set()
    for table, keyer in ((legacy.DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED, plain_key),
                         (legacy.DICT_PROVINCE_DISTRICT_WARD_ACCENTED, accent_key),
                         (legacy.DICT_PROVINCE_DISTRICT_WARD_SHORT_ACCENTED, accent_key)):
        wards = table.get(old_province, {}).get(district) or {}
        keys = {keyer(written), keyer(wname)}
        if wname.isdigit():  # "P.15", "Phường 15"
            keys |= {keyer(f"phường {int(wname)}"), keyer(f"phường {int(wname):02d}")}
        for wkey, info in wards.items():
            if keys & {keyer(k) if keyer is accent_key else k for k in info["wardKeywords"]}:
                if wtype and _ward_type(wtype) and _ward_type(wtype) != plain_key(
                        info.get("wardType", "")):
                    continue
                found.add(str(wkey))
    return found


def match_address(text: str | None, provinces: CodeList, wards: CodeList) -> AddressMatch:
    """Split a printed address and find its province and ward in the portal's lists."""
    if not text or not text.strip():
        return AddressMatch(flags=(Flag("address_missing", "province"),))
    text = nfc(text)[:MAX_ADDRESS_CHARS]
    parts = [p.strip() for p in re.split(r"[,;\n]", text) if p.strip()]
    if not parts:
        return AddressMatch(flags=(Flag("address_missing", "province"),))
    portal = _portal(provinces, wards)
    legacy, p25, _ = _lib()
    whole, split, old_to_new = _conversion()

    new_pkey = _find_province(parts[-1], p25.DICT_PROVINCE)
    old_pkey = _find_province(parts[-1], legacy.DICT_PROVINCE)
    if new_pkey is None and old_pkey is not None:
        new_pkey = old_to_new.get(old_pkey)
    province = None
    if new_pkey is not None:
        short = p25.DICT_PROVINCE[new_pkey]["provinceShort"]
        province = portal.province_by_key.get(plain_key(short))
    if province is None:
        return AddressMatch(detail=", ".join(parts[:-1]) if len(parts) > 1 else "",
                            flags=(_flag("province_not_found"),))
    assert new_pkey is not None

    # Old island districts without wards (Côn Đảo, Lý Sơn, Cồn Cỏ, Bạch Long Vĩ): now
    # special zones, mapped whole
    if old_pkey is not None and len(parts) >= 2:
        zone = _island_district(parts[-2], old_pkey)
        if zone is not None and f"{old_pkey}_{zone}_" in whole:
            name = _new_ward_name(new_pkey, whole[f"{old_pkey}_{zone}_"]) or ""
            hits = _portal_wards_named(portal, province, *reversed(_strip_type(name, _WARD_TYPES)))
            detail = ", ".join(p for p in parts[:-2] if plain_key(_strip_type(
                p, _WARD_TYPES)[1]) != plain_key(_strip_type(parts[-2], _DISTRICT_TYPES)[1]))
            if len(hits) == 1:
                return AddressMatch(province, hits[0], detail, (), True)
            return AddressMatch(province, None, detail, (_flag("ward_not_found", hits),), True)

    # Old address: a district between ward and province, agreeing with the library's tables
    ward_word = _strip_type(parts[-2], _WARD_TYPES)[0] if len(parts) >= 2 else ""
    if old_pkey is not None and len(parts) >= 3 and not _ward_type(ward_word):
        found = _legacy_ward(parts, old_pkey)
        if found is not None:
            district, ward_key = found
            detail = ", ".join(parts[:-3])
            if not ward_key:
                # "…, Hoàn Kiếm, Hà Nội" may also be a new address naming the new ward
                # Hoàn Kiếm: offered, never chosen
                wtype2, wname2 = _strip_type(parts[-2], _WARD_TYPES)
                maybe = _portal_wards_named(portal, province, wname2, wtype2)
                return AddressMatch(province, None, ", ".join(parts[:-2]),
                                    (_flag("ward_not_found", maybe),), True)
            old = f"{old_pkey}_{district}_{ward_key}"
            if old in whole:
                names = [_new_ward_name(new_pkey, whole[old])]
                code = "ward_not_found"
            else:
                names = [_new_ward_name(new_pkey, k) for k in split.get(old, [])]
                code = "ward_split"
            hits = [w for n in names if n for w in _portal_wards_named(
                portal, province, _strip_type(n, _WARD_TYPES)[1],
                _strip_type(n, _WARD_TYPES)[0])]
            if code == "ward_not_found" and len(hits) == 1:
                return AddressMatch(province, hits[0], detail, (), True)
            if code == "ward_not_found" and len(hits) > 1:
                code = "ward_ambiguous"
            return AddressMatch(province, None, detail, (_flag(code, hits),), True)

    # New address: "detail, ward, province"
    if len(parts) < 2:
        return AddressMatch(province, None, "", (_flag("ward_not_found"),))
    wtype, wname = _strip_type(parts[-2], _WARD_TYPES)
    hits = _portal_wards_named(portal, province, wname, wtype)
    detail = ", ".join(parts[:-2])
    if len(hits) == 1:
        return AddressMatch(province, hits[0], detail)
    if hits:
        return AddressMatch(province, None, detail, (_flag("ward_ambiguous", hits),))
    return AddressMatch(province, None, detail, (_flag("ward_not_found"),))
