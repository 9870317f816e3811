"""Index keys of certificates read from DER headers only, without parsing them.

A trust store of master lists holds about a thousand certificates, of which a verification
needs two or three. Parsing each in full (asn1crypto's ``native``, LDAP string preparation of
names, a self-signature check) costs about a millisecond; walking the TLV headers to slice a
certificate out of its list and to find its subject, issuer, country, serial number and key
identifier costs some microseconds. The store indexes those keys and parses a certificate in
full only when a chain asks for it (:mod:`cccd_reader.pki.trust.store_index`).

Pure functions over untrusted bytes: every length is checked against its container, nesting
is fixed by the X.509 structure (no recursion on input), and any inconsistency raises
:class:`IndexKeyError` with the reason. The keys are hints to *find* candidates; every trust
decision is taken on the fully parsed certificate, so a wrong key can only hide a certificate,
never make one trusted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

#: DER of the OIDs looked for: id-at-countryName and id-ce-subjectKeyIdentifier.
_COUNTRY_OID = bytes.fromhex("0603550406")
_SKI_OID = bytes.fromhex("0603551d0e")
#: X.509 certificates of the ICAO PKI are a few KiB; refuse absurd ones early.
MAX_CERT_BYTES = 64 * 1024


#: DER to walk: bytes, or a view of a larger buffer (no copies of a 16 MiB list).
Buffer = bytes | memoryview


class IndexKeyError(ValueError):
    """The bytes are not the DER of a certificate (or of a list of them)."""


def read_tlv(data: Buffer, pos: int, end: int) -> tuple[int, int, int, int]:
    """(tag byte, start of the value, end of the value, end of the TLV) at ``pos``.

    Definite-length DER only (X.509 is DER), one-byte tags except high-tag-number forms,
    which X.509 never uses and are refused."""
    if pos + 2 > end:
        raise IndexKeyError("truncated TLV header")
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        raise IndexKeyError("high tag numbers are not used in X.509")
    first = data[pos + 1]
    pos += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4:
            raise IndexKeyError("indefinite or oversized length")
        if pos + count > end:
            raise IndexKeyError("truncated length")
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    if pos + length > end:
        raise IndexKeyError("length runs past its container")
    return tag, pos, pos + length, pos + length


def slice_sequence_items(data: Buffer, start: int, end: int) -> list[tuple[int, int]]:
    """(offset, length) of every TLV directly inside ``data[start:end]``."""
    items: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        _, _, _, after = read_tlv(data, pos, end)
        items.append((pos, after - pos))
        pos = after
    return items


def master_list_slices(econtent: Buffer) -> list[tuple[int, int]]:
    """(offset, length) of each certificate of ``CscaMasterList ::= SEQUENCE { version
    INTEGER, certList SET OF Certificate }`` (ICAO 9303-12 §9), by headers only."""
    tag, start, end, after = read_tlv(econtent, 0, len(econtent))
    if tag != 0x30 or after != len(econtent):
        raise IndexKeyError("a master list is one SEQUENCE")
    tag, _, _, pos = read_tlv(econtent, start, end)
    if tag != 0x02:
        raise IndexKeyError("master list version is not an INTEGER")
    tag, set_start, set_end, pos = read_tlv(econtent, pos, end)
    if tag != 0x31 or pos != end:
        raise IndexKeyError("master list certList is not a SET")
    return slice_sequence_items(econtent, set_start, set_end)


@dataclass(frozen=True, slots=True)
class CertKeys:
    """What the store indexes a certificate by; see the module docstring."""

    fingerprint: str
    subject: bytes
    issuer: bytes
    countries: tuple[str, ...]
    serial: int
    ski: bytes | None


def normal_country(value: str) -> str:
    """The form countries are indexed under: RFC 5280 compares PrintableString values
    case-insensitively with inner spaces collapsed."""
    return " ".join(value.split()).upper()


def _countries(data: Buffer, start: int, end: int) -> tuple[str, ...]:
    found: list[str] = []
    for rdn_pos, rdn_len in slice_sequence_items(data, start, end):
        tag, rs, re_, _ = read_tlv(data, rdn_pos, rdn_pos + rdn_len)
        if tag != 0x31:
            raise IndexKeyError("a name holds SETs of attributes")
        for attr_pos, attr_len in slice_sequence_items(data, rs, re_):
            tag, a_start, a_end, _ = read_tlv(data, attr_pos, attr_pos + attr_len)
            if tag != 0x30:
                raise IndexKeyError("an attribute is a SEQUENCE")
            oid_tag, _, _, value_pos = read_tlv(data, a_start, a_end)
            if oid_tag != 0x06:
                raise IndexKeyError("an attribute type is an OID")
            if bytes(data[a_start:value_pos]) == _COUNTRY_OID:
                _, v_start, v_end, _ = read_tlv(data, value_pos, a_end)
                try:
                    found.append(normal_country(bytes(data[v_start:v_end]).decode("utf-8")))
                except UnicodeDecodeError as exc:
                    raise IndexKeyError("country is not text") from exc
    return tuple(found)


def _ski(data: Buffer, start: int, end: int) -> bytes | None:
    """The subjectKeyIdentifier inside the ``[3] Extensions`` at ``data[start:end]``."""
    tag, seq_start, seq_end, _ = read_tlv(data, start, end)
    if tag != 0x30:
        raise IndexKeyError("extensions are a SEQUENCE")
    for ext_pos, ext_len in slice_sequence_items(data, seq_start, seq_end):
        tag, e_start, e_end, _ = read_tlv(data, ext_pos, ext_pos + ext_len)
        if tag != 0x30:
            raise IndexKeyError("an extension is a SEQUENCE")
        _, _, _, pos = read_tlv(data, e_start, e_end)
        if bytes(data[e_start:pos]) != _SKI_OID:
            continue
        tag, v_start, v_end, after = read_tlv(data, pos, e_end)
        if tag == 0x01:  # critical BOOLEAN
            tag, v_start, v_end, after = read_tlv(data, after, e_end)
        if tag != 0x04:
            raise IndexKeyError("extnValue is an OCTET STRING")
        tag, k_start, k_end, _ = read_tlv(data, v_start, v_end)
        if tag != 0x04:
            raise IndexKeyError("a subjectKeyIdentifier is an OCTET STRING")
        return bytes(data[k_start:k_end])
    return None


def cert_keys(der: bytes) -> CertKeys:
    """Index keys of one DER certificate (headers only; see the module docstring)."""
    if len(der) > MAX_CERT_BYTES:
        raise IndexKeyError(f"larger than {MAX_CERT_BYTES} bytes")
    tag, start, end, after = read_tlv(der, 0, len(der))
    if tag != 0x30 or after != len(der):
        raise IndexKeyError("a certificate is one SEQUENCE")
    tag, t_start, t_end, _ = read_tlv(der, start, end)
    if tag != 0x30:
        raise IndexKeyError("tbsCertificate is a SEQUENCE")
    fields = slice_sequence_items(der, t_start, t_end)
    if fields and der[fields[0][0]] == 0xA0:  # [0] version
        fields = fields[1:]
    if len(fields) < 6:
        raise IndexKeyError("tbsCertificate lacks fields")
    (serial_pos, serial_len), _, (issuer_pos, issuer_len), _, (subj_pos, subj_len) = fields[:5]
    tag, s_start, s_end, _ = read_tlv(der, serial_pos, serial_pos + serial_len)
    if tag != 0x02 or s_end == s_start or s_end - s_start > 40:
        raise IndexKeyError("serialNumber is not an INTEGER of at most 40 bytes")
    serial = int.from_bytes(der[s_start:s_end], "big", signed=True)
    for pos in (issuer_pos, subj_pos):
        if der[pos] != 0x30:
            raise IndexKeyError("a name is a SEQUENCE")
    tag, n_start, n_end, _ = read_tlv(der, subj_pos, subj_pos + subj_len)
    countries = _countries(der, n_start, n_end)
    ski = None
    for pos, length in fields[6:]:
        if der[pos] == 0xA3:
            _, x_start, x_end, _ = read_tlv(der, pos, pos + length)
            ski = _ski(der, x_start, x_end)
    return CertKeys(
        fingerprint=hashlib.sha256(der).hexdigest(),
        subject=bytes(der[subj_pos:subj_pos + subj_len]),
        issuer=bytes(der[issuer_pos:issuer_pos + issuer_len]),
        countries=countries,
        serial=serial,
        ski=ski,
    )


def name_countries(name_der: bytes) -> tuple[str, ...]:
    """Normalized countries of a DER Name (see :func:`normal_country`); () when unreadable."""
    try:
        tag, start, end, after = read_tlv(name_der, 0, len(name_der))
        if tag != 0x30 or after != len(name_der):
            return ()
        return _countries(name_der, start, end)
    except IndexKeyError:
        return ()


def cert_serial(der: bytes) -> int:
    """The serialNumber of a DER certificate, from four TLV headers (the signer search of a
    master list runs this on every listed certificate before the signature is checked)."""
    _, start, end, _ = read_tlv(der, 0, len(der))
    _, t_start, t_end, _ = read_tlv(der, start, end)
    tag, v_start, v_end, pos = read_tlv(der, t_start, t_end)
    if tag == 0xA0:
        tag, v_start, v_end, _ = read_tlv(der, pos, t_end)
    if tag != 0x02 or v_end == v_start or v_end - v_start > 40:
        raise IndexKeyError("serialNumber is not an INTEGER of at most 40 bytes")
    return int.from_bytes(der[v_start:v_end], "big", signed=True)
