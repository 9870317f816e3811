"""EF.SOD, the Document Security Object (ICAO 9303 Part 10 §4.6.2, Part 12 §9).

EF.SOD is the only thing that makes the other files trustworthy: a CMS SignedData whose signed
content (an LDSSecurityObject) lists a hash of every data group, signed by the Document Signer.
asn1crypto knows CMS but not the ICAO content type, so this module teaches it the
LDSSecurityObject and registers OID 2.23.136.1.1.1 with its CMS content-type tables; after
importing it, ``cms.ContentInfo.load(...)`` parses SODs down to the data-group hashes.

:func:`parse_sod` only *decodes*: it checks the structure (one signer, known hash algorithm,
hash lengths, DG numbers) but verifies no signature and trusts no certificate; that belongs to
the verification layer, which gets every input it needs (the exact signed-attribute bytes, the
signature, the certificates) from the :class:`SOD` it returns.

The other direction, signing an SOD, is the simulator's (``cccd_sim.sod_builder``): the
library never builds one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509

from cccd_reader.errors import ASN1_ERRORS, LDSError, TLVError
from cccd_reader.iso7816 import tlv
from cccd_reader.lds import sod_der
from cccd_reader.lds.files import FILES

#: id-icao-mrtd-security-ldsSecurityObject (ICAO 9303 Part 10 §4.6.2.1).
LDS_SECURITY_OBJECT_OID = "2.23.136.1.1.1"
#: id-data (RFC 5652 §4): some real SODs (Chinese passports) announce their LDSSecurityObject
#: as plain data; the bytes inside are still an LDSSecurityObject.
ID_DATA_OID = "1.2.840.113549.1.7.1"
#: Name under which the OID is registered in asn1crypto's ``cms.ContentType`` map.
LDS_SECURITY_OBJECT = "lds_security_object"

SOD_TAG = FILES["EF.SOD"].tag or 0x77
#: Real SODs are a few KiB (the DSC is the biggest part); anything near this is an attack.
MAX_SOD_BYTES = 256 * 1024
#: A SignedData carrying more certificates than this is not an ICAO SOD.
MAX_CERTIFICATES = 8
#: ICAO 9303 has 16 data groups; at most one hash each.
MAX_DATA_GROUPS = 16

HashName = Literal["sha1", "sha224", "sha256", "sha384", "sha512"]
SignerIdKind = Literal["issuer_serial", "ski"]
#: Digest length of each hash an SOD may name (what the parser checks every DG hash against).
HASH_SIZES: dict[str, int] = {
    "sha1": 20,
    "sha224": 28,
    "sha256": 32,
    "sha384": 48,
    "sha512": 64,
}


# --- ASN.1 definitions (ICAO 9303 Part 10 §4.6.2.3) --------------------------------------------


class DataGroupHash(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012 - asn1crypto's schema convention
        ("data_group_number", core.Integer),
        ("data_group_hash_value", core.OctetString),
    ]


class DataGroupHashValues(core.SequenceOf):  # type: ignore[misc]
    _child_spec = DataGroupHash


class LDSVersionInfo(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012 - asn1crypto's schema convention
        ("lds_version", core.PrintableString),
        ("unicode_version", core.PrintableString),
    ]


class LDSSecurityObject(core.Sequence):  # type: ignore[misc]
    """``version`` is 0 (LDS 1.7) or 1 (LDS 1.8, with ``lds_version_info``)."""

    _fields = [  # noqa: RUF012 - asn1crypto's schema convention
        ("version", core.Integer),
        ("hash_algorithm", algos.DigestAlgorithm),
        ("data_group_hash_values", DataGroupHashValues),
        ("lds_version_info", LDSVersionInfo, {"optional": True}),
    ]


def _register_content_type() -> None:
    """Make asn1crypto's CMS classes parse the ICAO content type.

    ``ObjectIdentifier`` builds its reverse map lazily, once; if some other code already used
    ``cms.ContentType`` the cached reverse map must be completed by hand or building a SignedData
    with the name would fail.
    """
    content_type: Any = cms.ContentType
    content_type._map[LDS_SECURITY_OBJECT_OID] = LDS_SECURITY_OBJECT
    if content_type._reverse_map is not None:
        content_type._reverse_map[LDS_SECURITY_OBJECT] = LDS_SECURITY_OBJECT_OID
    cms.EncapsulatedContentInfo._oid_specs[LDS_SECURITY_OBJECT] = LDSSecurityObject
    cms.ContentInfo._oid_specs[LDS_SECURITY_OBJECT] = LDSSecurityObject


_register_content_type()


# --- parsed form -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SODSigner:
    """The single SignerInfo of an SOD, decoded but not verified."""

    version: int
    #: ``"issuer_serial"`` or ``"ski"``: how the signer names its certificate.
    sid_kind: SignerIdKind
    #: DER of the issuer Name (sid issuerAndSerialNumber), else None.
    issuer: bytes | None
    serial_number: int | None
    #: subjectKeyIdentifier (sid version 3), else None.
    subject_key_identifier: bytes | None
    #: Hash applied to the signed attributes, e.g. ``"sha256"``.
    digest_algorithm: str
    #: asn1crypto name of the signature algorithm: ``"sha256_ecdsa"``, ``"rsassa_pss"``, ...
    signature_algorithm: str
    #: DER of the whole signature AlgorithmIdentifier (carries the RSASSA-PSS parameters).
    signature_algorithm_der: bytes
    #: The exact bytes the signature covers: the signed attributes re-tagged as a SET (0x31), or
    #: the eContent itself when a (non-ICAO) SOD has no signed attributes.
    signed_bytes: bytes
    has_signed_attrs: bool
    #: Dotted OID of the contentType attribute (must equal the eContentType), if present.
    content_type: str | None
    message_digest: bytes | None
    signing_time: datetime | None
    signature: bytes


@dataclass(frozen=True, slots=True)
class SOD:
    """A decoded EF.SOD. Nothing in it has been verified yet."""

    #: LDSSecurityObject version: 0 (LDS 1.7) or 1 (LDS 1.8).
    version: int
    #: Hash of the data groups, e.g. ``"sha256"``.
    hash_algorithm: str
    #: Data group number -> hash of that DG file's full bytes (tag, length and value).
    dg_hashes: dict[int, bytes]
    lds_version: str | None
    unicode_version: str | None
    signed_data_version: int
    #: Dotted OID of the eContentType: the ldsSecurityObject OID, or id-data around one.
    econtent_type: str
    #: The DER LDSSecurityObject exactly as signed (messageDigest covers these bytes).
    econtent: bytes
    #: DER of every X.509 certificate in SignedData.certificates (normally just the DSC).
    certificates: tuple[bytes, ...]
    signer: SODSigner
    #: The asn1crypto ``cms.SignedData`` when asn1crypto parsed the SOD, else None
    #: (:attr:`signed_data` parses ``raw`` when first asked).
    parsed_signed_data: Any = field(repr=False, compare=False)
    #: The full EF.SOD bytes (tag 0x77 included) as parsed.
    raw: bytes = field(repr=False, default=b"")

    @property
    def signed_data(self) -> Any:
        """The parsed asn1crypto ``cms.SignedData``, for callers that need more than the
        fields above. The fast path (:mod:`.sod_der`) does not build it: it is parsed from
        ``raw`` when first asked for, and kept."""
        if self.parsed_signed_data is None:
            content_info = cms.ContentInfo.load(tlv.decode(self.raw).value)
            object.__setattr__(self, "parsed_signed_data", content_info["content"])
        return self.parsed_signed_data


# --- parsing -----------------------------------------------------------------------------------


def _version_int(value: Any) -> int:
    """asn1crypto maps CMS versions to ``"v3"``-style names but leaves unknown ones as ints."""
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.startswith("v") and value[1:].isdigit():
        return int(value[1:])
    raise LDSError(f"unexpected version value {value!r}")


def _hash_name(algorithm: Any, what: str) -> str:
    name = algorithm["algorithm"].native
    if name not in HASH_SIZES:
        raise LDSError(f"{what} uses unsupported hash algorithm {algorithm['algorithm'].dotted}")
    return str(name)


def _parse_lds_security_object(
    econtent: bytes,
) -> tuple[int, str, dict[int, bytes], str | None, str | None]:
    lso = LDSSecurityObject.load(econtent, strict=True)
    version = lso["version"].native
    if version not in (0, 1):
        raise LDSError(f"LDSSecurityObject version {version} is neither 0 nor 1")
    hash_algorithm = _hash_name(lso["hash_algorithm"], "LDSSecurityObject")
    size = HASH_SIZES[hash_algorithm]
    entries = lso["data_group_hash_values"]
    if len(entries) == 0 or len(entries) > MAX_DATA_GROUPS:
        raise LDSError(f"LDSSecurityObject lists {len(entries)} data groups (1..16 expected)")
    dg_hashes: dict[int, bytes] = {}
    for entry in entries:
        number = entry["data_group_number"].native
        value = entry["data_group_hash_value"].native
        if not isinstance(number, int) or not 1 <= number <= MAX_DATA_GROUPS:
            raise LDSError(f"data group number {number!r} is outside 1..16")
        if number in dg_hashes:
            raise LDSError(f"DG{number} is listed twice in the LDSSecurityObject")
        if len(value) != size:
            raise LDSError(f"DG{number} hash is {len(value)} bytes, {hash_algorithm} needs {size}")
        dg_hashes[number] = bytes(value)
    lds_version = unicode_version = None
    info = lso["lds_version_info"]
    if isinstance(info, LDSVersionInfo):
        lds_version = str(info["lds_version"].native)
        unicode_version = str(info["unicode_version"].native)
    if (version == 1) != (lds_version is not None):
        raise LDSError("LDSSecurityObject version and presence of LDSVersionInfo disagree")
    return version, hash_algorithm, dg_hashes, lds_version, unicode_version


@functools.lru_cache(maxsize=256)
def _check_name_preparation(name_der: bytes) -> None:
    """The LDAP string preparation that name comparisons run later raises on junk: run it
    here, inside the parser's error handling. A counter sees the same few issuer names (the
    CSCAs') on every card, so the outcome is kept by the name's bytes (failures, raised, are
    not kept); a CSCA name is no personal data."""
    asn1_x509.Name.load(name_der).hashable  # noqa: B018


def parse_signer_info(signer_info: Any, econtent: bytes) -> SODSigner:
    """Decode a CMS SignerInfo (ICAO and TR-03110 profile); raises asn1crypto errors."""
    # Only the fields read below are parsed (asn1crypto is lazy): a full ``.native`` of the
    # SignerInfo cost more than the rest of the SOD together, and what it would check beyond
    # these fields (unsigned attributes, algorithm parameters we do not use) proves nothing.
    version = _version_int(signer_info["version"].native)
    sid = signer_info["sid"]
    issuer = serial = ski = None
    sid_kind: SignerIdKind
    if sid.name == "issuer_and_serial_number":
        sid_kind = "issuer_serial"
        issuer = sid.chosen["issuer"].dump()
        _check_name_preparation(issuer)
        serial = int(sid.chosen["serial_number"].native)
    else:
        sid_kind = "ski"
        ski = bytes(sid.chosen.native)
    digest_algorithm = _hash_name(signer_info["digest_algorithm"], "SignerInfo")
    sig_alg = signer_info["signature_algorithm"]
    signature_algorithm = str(sig_alg["algorithm"].native)
    attrs = signer_info["signed_attrs"]
    content_type = message_digest = signing_time = None
    has_signed_attrs = isinstance(attrs, cms.CMSAttributes) and len(attrs) > 0
    if has_signed_attrs:
        encoded = attrs.dump()
        # The signature covers the attributes with their universal SET tag, not the [0] IMPLICIT
        # tag they carry inside SignerInfo (RFC 5652 §5.4); the rest of the bytes are unchanged.
        signed_bytes = b"\x31" + encoded[1:]
        seen: set[str] = set()
        for attr in attrs:
            kind = attr["type"].native
            if kind in seen:
                raise LDSError(f"signed attribute {kind} appears twice")
            seen.add(kind)
            values = attr["values"]
            if kind in ("content_type", "message_digest", "signing_time") and len(values) != 1:
                raise LDSError(f"signed attribute {kind} must have exactly one value")
            if kind == "content_type":
                content_type = str(values[0].dotted)
            elif kind == "message_digest":
                message_digest = bytes(values[0].native)
            elif kind == "signing_time":
                signing_time = values[0].native
                if not isinstance(signing_time, datetime):
                    raise LDSError("signingTime is not a valid time")
    else:
        signed_bytes = econtent
    return SODSigner(
        version=version,
        sid_kind=sid_kind,
        issuer=issuer,
        serial_number=serial,
        subject_key_identifier=ski,
        digest_algorithm=digest_algorithm,
        signature_algorithm=signature_algorithm,
        signature_algorithm_der=sig_alg.dump(),
        signed_bytes=signed_bytes,
        has_signed_attrs=has_signed_attrs,
        content_type=content_type,
        message_digest=message_digest,
        signing_time=signing_time,
        signature=bytes(signer_info["signature"].native),
    )


def _parse(data: bytes) -> SOD:
    try:
        outer = tlv.decode(data)
    except TLVError as exc:
        raise LDSError(f"EF.SOD is not a valid TLV: {exc}") from exc
    if outer.tag != SOD_TAG:
        raise LDSError(f"EF.SOD starts with tag {outer.tag:X}, expected {SOD_TAG:X}")
    content_info = cms.ContentInfo.load(outer.value, strict=True)
    if content_info["content_type"].native != "signed_data":
        raise LDSError(f"EF.SOD holds a {content_info['content_type'].dotted}, not a SignedData")
    signed_data = content_info["content"]
    if not isinstance(signed_data, cms.SignedData):
        raise LDSError("EF.SOD has no SignedData content")
    signed_data_version = _version_int(signed_data["version"].native)
    signed_data["digest_algorithms"].native  # noqa: B018 - full parse here
    encap = signed_data["encap_content_info"]
    econtent_type = str(encap["content_type"].dotted)
    if econtent_type not in (LDS_SECURITY_OBJECT_OID, ID_DATA_OID):
        raise LDSError(f"EF.SOD signs a {econtent_type}, not an LDSSecurityObject")
    content = encap["content"]
    if signed_data_version == 1:
        # asn1crypto reads a version-1 SignedData as PKCS #7 (content without the OCTET
        # STRING); the signature then covers other bytes than ICAO's layout defines.
        raise LDSError(
            "EF.SOD is a SignedData of version 1 (the PKCS #7 layout); ICAO 9303-10 requires "
            "version 3 with the LDSSecurityObject as eContent"
        )
    if not isinstance(content, core.OctetString | core.ParsableOctetString):
        raise LDSError("EF.SOD has no eContent (detached signatures are not ICAO)")
    econtent = bytes(content.contents)
    version, hash_algorithm, dg_hashes, lds_version, unicode_version = _parse_lds_security_object(
        econtent
    )
    certificates: list[bytes] = []
    certs = signed_data["certificates"]
    if isinstance(certs, cms.CertificateSet):
        if len(certs) > MAX_CERTIFICATES:
            raise LDSError(f"EF.SOD carries {len(certs)} certificates, at most 8 are accepted")
        for choice in certs:
            if choice.name == "certificate":
                # Kept as raw DER: the verification layer parses certificates with its own,
                # stricter X.509 code, and a strange extension must not make the SOD unreadable.
                certificates.append(choice.chosen.dump())
    signer_infos = signed_data["signer_infos"]
    if len(signer_infos) != 1:
        raise LDSError(f"EF.SOD has {len(signer_infos)} SignerInfos, ICAO requires exactly one")
    signer = parse_signer_info(signer_infos[0], econtent)
    return SOD(
        version=version,
        hash_algorithm=hash_algorithm,
        dg_hashes=dg_hashes,
        lds_version=lds_version,
        unicode_version=unicode_version,
        signed_data_version=signed_data_version,
        econtent_type=econtent_type,
        econtent=econtent,
        certificates=tuple(certificates),
        signer=signer,
        parsed_signed_data=signed_data,
        raw=data,
    )


def _parse_fast(data: bytes) -> SOD | None:
    """The SOD read by :mod:`.sod_der` (a strict subset of what :func:`_parse` accepts, with
    the same values), or None: then asn1crypto decides, with its error messages."""
    try:
        outer = tlv.decode(data)
    except TLVError:
        return None
    if outer.tag != SOD_TAG:
        return None
    try:
        fast = sod_der.parse(
            outer.value, allowed_types=(LDS_SECURITY_OBJECT_OID, ID_DATA_OID),
            max_certificates=MAX_CERTIFICATES, max_groups=MAX_DATA_GROUPS,
            hash_sizes=HASH_SIZES,
        )
        if fast.signer.issuer is not None:
            _check_name_preparation(fast.signer.issuer)
    except sod_der.Declined:
        return None
    except ASN1_ERRORS:
        return None
    signer = SODSigner(**fast.signer._asdict())
    return SOD(
        version=fast.version,
        hash_algorithm=fast.hash_algorithm,
        dg_hashes=fast.dg_hashes,
        lds_version=fast.lds_version,
        unicode_version=fast.unicode_version,
        signed_data_version=fast.signed_data_version,
        econtent_type=fast.econtent_type,
        econtent=fast.econtent,
        certificates=fast.certificates,
        signer=signer,
        parsed_signed_data=None,
        raw=data,
    )


def parse_sod(data: bytes) -> SOD:
    """Decode EF.SOD (tag 0x77). Any malformation raises :class:`LDSError`, never anything else.

    Nothing is verified here: callers must check the signature, the certificate chain and the
    DG hashes before trusting any field.
    """
    if len(data) > MAX_SOD_BYTES:
        raise LDSError(f"EF.SOD is {len(data)} bytes, more than the limit of {MAX_SOD_BYTES}")
    fast = _parse_fast(bytes(data))
    if fast is not None:
        return fast
    try:
        return _parse(bytes(data))
    except LDSError:
        raise
    except ASN1_ERRORS as exc:
        raise LDSError(f"EF.SOD is malformed: {type(exc).__name__}") from exc
