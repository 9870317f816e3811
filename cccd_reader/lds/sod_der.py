"""EF.SOD read straight from its DER: the fast path of :func:`cccd_reader.lds.sod.parse_sod`.

asn1crypto builds an object per element and cost more than the rest of passive authentication
for an RSA passport (issue 32). An ICAO SOD has one fixed shape, so this module walks it with
the project's strict TLV decoder (:mod:`cccd_reader.iso7816.tlv`: bounded lengths and depth,
no indefinite length) and reads the handful of fields verification needs, keeping every
certificate, name and signed-attribute block as the exact bytes found.

It is a fast path only, never the judge: on anything it does not expect (another shape, a
non-minimal integer, an unknown algorithm, a version to refuse, a limit exceeded, any
exception) it raises :class:`Declined` and :func:`~cccd_reader.lds.sod.parse_sod` parses with
asn1crypto, which accepts or rejects with its own message. It accepts a strict subset of what
that parser accepts and returns the same :class:`~cccd_reader.lds.sod.SODSigner` values
(``tests/lds/test_sod_der.py`` compares both on mutated SODs).
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import NamedTuple

from asn1crypto import algos, cms

from cccd_reader import oids
from cccd_reader.iso7816 import tlv

__all__ = ["Declined", "FastSOD", "parse"]

SIGNED_DATA_OID = "1.2.840.113549.1.7.2"
_CONTENT_TYPE = "1.2.840.113549.1.9.3"
_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
_SIGNING_TIME = "1.2.840.113549.1.9.5"

_SEQUENCE, _SET, _INTEGER, _OCTETS, _OID, _PRINTABLE = 0x30, 0x31, 0x02, 0x04, 0x06, 0x13


class Declined(Exception):
    """The fast path does not decide this input; the asn1crypto parser will."""


class _Item(NamedTuple):
    tag: int
    start: int
    value_start: int
    end: int


class FastSigner(NamedTuple):
    version: int
    sid_kind: str
    issuer: bytes | None
    serial_number: int | None
    subject_key_identifier: bytes | None
    digest_algorithm: str
    signature_algorithm: str
    signature_algorithm_der: bytes
    signed_bytes: bytes
    has_signed_attrs: bool
    content_type: str | None
    message_digest: bytes | None
    signing_time: datetime | None
    signature: bytes


class FastSOD(NamedTuple):
    version: int
    hash_algorithm: str
    dg_hashes: dict[int, bytes]
    lds_version: str | None
    unicode_version: str | None
    signed_data_version: int
    econtent_type: str
    econtent: bytes
    certificates: tuple[bytes, ...]
    signer: FastSigner


def _items(data: bytes, start: int, end: int, depth: int) -> list[_Item]:
    if depth > tlv.MAX_DEPTH:
        raise Declined("too deep")
    out = []
    pos = start
    while pos < end:
        # One-byte tags and lengths below 64 KiB inline (every SOD element); anything else,
        # and every check on it, is the TLV decoder's.
        tag = data[pos]
        if tag & 0x1F == 0x1F or tag in (0x00, 0xFF):
            tag, at = tlv.decode_tag(data, pos)
        else:
            at = pos + 1
        first = data[at]
        if first < 0x80:
            length, at = first, at + 1
        elif first == 0x81:
            length, at = data[at + 1], at + 2
        elif first == 0x82:
            length, at = (data[at + 1] << 8) | data[at + 2], at + 3
        else:
            length, at = tlv.decode_length(data, at)
        if at > end or at + length > end:
            raise Declined("truncated")
        out.append(_Item(tag, pos, at, at + length))
        pos = at + length
    return out


def _children(data: bytes, item: _Item, depth: int, *tags: int, optional: int = 0
              ) -> list[_Item]:
    """The children of ``item``, which must have exactly ``tags`` (the last ``optional`` of
    them may be absent, in order)."""
    found = _items(data, item.value_start, item.end, depth + 1)
    if not len(tags) - optional <= len(found) <= len(tags):
        raise Declined("shape")
    for child, tag in zip(found, tags, strict=False):
        if child.tag != tag:
            raise Declined("shape")
    return found


def _value(data: bytes, item: _Item) -> bytes:
    return data[item.value_start:item.end]


def _der(data: bytes, item: _Item) -> bytes:
    return data[item.start:item.end]


def _int(data: bytes, item: _Item) -> int:
    if item.tag != _INTEGER:
        raise Declined("not an INTEGER")
    raw = _value(data, item)
    if not raw or (len(raw) > 1 and ((raw[0] == 0 and raw[1] < 0x80)
                                     or (raw[0] == 0xFF and raw[1] >= 0x80))):
        raise Declined("INTEGER not minimal")
    return int.from_bytes(raw, "big", signed=True)


def _oid(data: bytes, item: _Item) -> str:
    if item.tag != _OID:
        raise Declined("not an OID")
    return _dotted(_value(data, item))


@functools.lru_cache(maxsize=512)
def _dotted(raw: bytes) -> str:
    """An OID's dotted form (a SOD repeats a few dozen OIDs; public data, kept by bytes)."""
    if not raw or raw[-1] & 0x80:
        raise Declined("bad OID")
    arcs: list[int] = []
    value = 0
    for i, byte in enumerate(raw):
        if value == 0 and byte == 0x80 and (i == 0 or not raw[i - 1] & 0x80):
            raise Declined("OID arc not minimal")
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = arcs[0]
    head = [0, first] if first < 40 else [1, first - 40] if first < 80 else [2, first - 80]
    return ".".join(str(arc) for arc in head + arcs[1:])


def _algorithm(data: bytes, item: _Item, depth: int) -> str:
    """The OID of an AlgorithmIdentifier (parameters, if any, are kept in its bytes)."""
    if item.tag != _SEQUENCE:
        raise Declined("shape")
    parts = _items(data, item.value_start, item.end, depth + 1)
    if not 1 <= len(parts) <= 2:
        raise Declined("shape")
    return _oid(data, parts[0])


def _digest_algorithm(data: bytes, item: _Item) -> None:
    """One of SignedData's digestAlgorithms, which asn1crypto parses in full: a known hash
    with absent or NULL parameters (anything else is for asn1crypto to judge)."""
    if item.tag != _SEQUENCE:
        raise Declined("shape")
    parts = _items(data, item.value_start, item.end, 4)
    if not 1 <= len(parts) <= 2 or _oid(data, parts[0]) not in oids.HASH_OIDS:
        raise Declined("digest algorithm")
    if len(parts) == 2 and _der(data, parts[1]) != b"\x05\x00":
        raise Declined("digest algorithm parameters")


def _hash(data: bytes, item: _Item, depth: int) -> str:
    name = oids.HASH_OIDS.get(_algorithm(data, item, depth))
    if name is None:
        raise Declined("hash")
    return name


def _one_value(data: bytes, values: _Item, depth: int) -> _Item:
    found = _items(data, values.value_start, values.end, depth + 1)
    if len(found) != 1:
        raise Declined("attribute values")
    return found[0]


def _signer(data: bytes, item: _Item, econtent: bytes) -> FastSigner:
    d = 4
    found = _items(data, item.value_start, item.end, d)
    if not 5 <= len(found) <= 7:
        raise Declined("shape")
    version = _int(data, found[0])
    sid = found[1]
    issuer = serial = ski = None
    if sid.tag == _SEQUENCE:
        name, number = _children(data, sid, d, _SEQUENCE, _INTEGER)
        issuer = _der(data, name)
        serial = _int(data, number)
        sid_kind = "issuer_serial"
    elif sid.tag == 0x80:
        ski = _value(data, sid)
        sid_kind = "ski"
    else:
        raise Declined("sid")
    digest_algorithm = _hash(data, found[2], d)
    rest = found[3:]
    attrs = rest[0] if rest[0].tag == 0xA0 else None
    if attrs is not None:
        rest = rest[1:]
    if len(rest) not in (2, 3) or rest[1].tag != _OCTETS or (len(rest) == 3
                                                              and rest[2].tag != 0xA1):
        raise Declined("shape")
    sig_alg = rest[0]
    sig_oid = _algorithm(data, sig_alg, d)
    content_type = message_digest = signing_time = None
    entries = _items(data, attrs.value_start, attrs.end, d + 1) if attrs is not None else []
    if entries:
        assert attrs is not None
        signed_bytes = b"\x31" + _der(data, attrs)[1:]
        seen: set[str] = set()
        for entry in entries:
            if entry.tag != _SEQUENCE:
                raise Declined("attribute")
            kind_item, values = _children(data, entry, d + 1, _OID, _SET)
            kind = _oid(data, kind_item)
            if kind in seen:
                raise Declined("attribute twice")
            seen.add(kind)
            if kind == _CONTENT_TYPE:
                content_type = _oid(data, _one_value(data, values, d + 2))
            elif kind == _MESSAGE_DIGEST:
                value = _one_value(data, values, d + 2)
                if value.tag != _OCTETS:
                    raise Declined("messageDigest")
                message_digest = _value(data, value)
            elif kind == _SIGNING_TIME:
                value = _one_value(data, values, d + 2)
                if value.tag not in (0x17, 0x18):
                    raise Declined("signingTime")
                when = cms.Time.load(_der(data, value)).native
                if not isinstance(when, datetime):
                    raise Declined("signingTime")
                signing_time = when
    else:
        signed_bytes = econtent
    return FastSigner(
        version=version,
        sid_kind=sid_kind,
        issuer=issuer,
        serial_number=serial,
        subject_key_identifier=ski,
        digest_algorithm=digest_algorithm,
        signature_algorithm=str(algos.SignedDigestAlgorithmId.map(sig_oid)),
        signature_algorithm_der=_der(data, sig_alg),
        signed_bytes=signed_bytes,
        has_signed_attrs=bool(entries),
        content_type=content_type,
        message_digest=message_digest,
        signing_time=signing_time,
        signature=_value(data, rest[1]),
    )


def _lds_security_object(
    econtent: bytes, max_groups: int, sizes: dict[str, int],
) -> tuple[int, str, dict[int, bytes], str | None, str | None]:
    top = _items(econtent, 0, len(econtent), 1)
    if len(top) != 1 or top[0].tag != _SEQUENCE:
        raise Declined("shape")
    found = _children(econtent, top[0], 1, _INTEGER, _SEQUENCE, _SEQUENCE, _SEQUENCE,
                      optional=1)
    version = _int(econtent, found[0])
    hash_algorithm = _hash(econtent, found[1], 2)
    size = sizes[hash_algorithm]
    entries = _items(econtent, found[2].value_start, found[2].end, 3)
    if not 1 <= len(entries) <= max_groups:
        raise Declined("count")
    dg_hashes: dict[int, bytes] = {}
    for entry in entries:
        if entry.tag != _SEQUENCE:
            raise Declined("shape")
        number_item, value_item = _children(econtent, entry, 3, _INTEGER, _OCTETS)
        number = _int(econtent, number_item)
        value = _value(econtent, value_item)
        if not 1 <= number <= max_groups or number in dg_hashes or len(value) != size:
            raise Declined("entry")
        dg_hashes[number] = value
    lds_version = unicode_version = None
    if len(found) == 4:
        lds, uni = _children(econtent, found[3], 2, _PRINTABLE, _PRINTABLE)
        try:
            lds_version = _value(econtent, lds).decode("ascii")
            unicode_version = _value(econtent, uni).decode("ascii")
        except UnicodeDecodeError:
            raise Declined("string") from None
    if version not in (0, 1) or (version == 1) != (lds_version is not None):
        raise Declined("version")
    return version, hash_algorithm, dg_hashes, lds_version, unicode_version


def parse(
    content_info: bytes, *, allowed_types: tuple[str, ...], max_certificates: int,
    max_groups: int, hash_sizes: dict[str, int],
) -> FastSOD:
    """The SOD's fields from the DER ContentInfo (the value of tag 0x77); raises
    :class:`Declined` for whatever the asn1crypto parser must decide."""
    try:
        return _parse(content_info, allowed_types, max_certificates, max_groups, hash_sizes)
    except Declined:
        raise
    except Exception as exc:  # any surprise: let the authoritative parser judge
        raise Declined(type(exc).__name__) from exc


def _parse(data: bytes, allowed_types: tuple[str, ...], max_certificates: int,
           max_groups: int, hash_sizes: dict[str, int]) -> FastSOD:
    top = _items(data, 0, len(data), 0)
    if len(top) != 1 or top[0].tag != _SEQUENCE:
        raise Declined("shape")
    content_type, wrapper = _children(data, top[0], 0, _OID, 0xA0)
    if _oid(data, content_type) != SIGNED_DATA_OID:
        raise Declined("not SignedData")
    (signed,) = _children(data, wrapper, 1, _SEQUENCE)
    found = _items(data, signed.value_start, signed.end, 2)
    if not 4 <= len(found) <= 6 or found[-1].tag != _SET:
        raise Declined("shape")
    version = _int(data, found[0])
    if version == 1 or found[1].tag != _SET or found[2].tag != _SEQUENCE:
        raise Declined("version or shape")
    for algorithm in _items(data, found[1].value_start, found[1].end, 3):
        _digest_algorithm(data, algorithm)
    encap = _children(data, found[2], 2, _OID, 0xA0)
    econtent_type = _oid(data, encap[0])
    if econtent_type not in allowed_types:
        raise Declined("eContentType")
    (octets,) = _children(data, encap[1], 3, _OCTETS)
    econtent = _value(data, octets)
    middle = found[3:-1]
    certificates: list[bytes] = []
    if middle and middle[0].tag == 0xA0:
        for cert in _items(data, middle[0].value_start, middle[0].end, 3):
            if cert.tag != _SEQUENCE:
                raise Declined("certificate choice")
            certificates.append(_der(data, cert))
        if len(certificates) > max_certificates:
            raise Declined("certificates")
        middle = middle[1:]
    if middle and middle[0].tag == 0xA1:
        middle = middle[1:]
    if middle:
        raise Declined("shape")
    signers = _items(data, found[-1].value_start, found[-1].end, 3)
    if len(signers) != 1 or signers[0].tag != _SEQUENCE:
        raise Declined("signers")
    lso = _lds_security_object(econtent, max_groups, hash_sizes)
    return FastSOD(*lso, signed_data_version=version, econtent_type=econtent_type,
                   econtent=econtent, certificates=tuple(certificates),
                   signer=_signer(data, signers[0], econtent))
