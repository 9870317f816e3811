"""lds._util.template_fields: the one loop of DG11 and DG12."""

from __future__ import annotations

import pytest

from cccd_reader.errors import LDSError
from cccd_reader.iso7816 import tlv
from cccd_reader.lds._util import template_fields

_NAME_TAG = 0x5F0F


_Found = tuple[dict[str, object], tuple[str, ...], tuple[tuple[int, bytes], ...]]


def _fields(*children: bytes) -> _Found:
    obj = tlv.decode(tlv.encode(0x6B, b"".join(children)))
    found = template_fields(
        obj, "DG11", text_fields={0x5F0E: "full_name"},
        decoded={0x5F16: ("proof", lambda raw: raw[::-1])},
        name_tag=_NAME_TAG, name_what="other name",
    )
    return found.values, found.names, found.unknown


def test_fields_names_and_unknown_tags() -> None:
    values, names, unknown = _fields(
        tlv.encode(0x5C, b"\x5f\x0e"),
        tlv.encode(0x5F0E, "NGUYỄN".encode()),
        tlv.encode(0xA0, tlv.encode(0x02, b"\x02") + tlv.encode(_NAME_TAG, b"A")
                   + tlv.encode(_NAME_TAG, b"B")),
        tlv.encode(_NAME_TAG, b"C"),  # pre-2006: bare, outside the template
        tlv.encode(0x5F16, b"\x01\x02"),
        tlv.encode(0x5F50, b"\xaa"),
    )
    assert values == {"tag_list": (0x5F0E,), "full_name": "NGUYỄN", "proof": b"\x02\x01"}
    assert names == ("A", "B", "C")
    assert unknown == ((0x5F50, b"\xaa"),)


def test_a_repeated_field_is_refused_but_names_may_repeat() -> None:
    with pytest.raises(LDSError, match="5F0E appears twice"):
        _fields(tlv.encode(0x5F0E, b"A"), tlv.encode(0x5F0E, b"B"))
    assert _fields(tlv.encode(_NAME_TAG, b"A"), tlv.encode(_NAME_TAG, b"B"))[1] == ("A", "B")


def test_a_name_template_with_the_wrong_count_is_refused() -> None:
    with pytest.raises(LDSError, match="announces 3 names"):
        _fields(tlv.encode(0xA0, tlv.encode(0x02, b"\x03") + tlv.encode(_NAME_TAG, b"A")))
