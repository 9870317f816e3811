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

:func:`build_sod` is the other direction, for the synthetic issuer and for tests. Its output
is byte-stable: ECDSA uses deterministic nonces (RFC 6979), RSA-PSS draws its salt from a
stream seeded by the key and the message.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from Crypto.Hash import SHA1, SHA224, SHA256, SHA384, SHA512, SHAKE256
from Crypto.PublicKey import RSA
from Crypto.Signature import pss
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from cccd_reader.errors import ASN1_ERRORS, LDSError, TLVError
from cccd_reader.iso7816 import tlv
from cccd_reader.lds.files import FILES, dg_number

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
SignatureScheme = Literal[
    "ecdsa-sha1",
    "ecdsa-sha224",
    "ecdsa-sha256",
    "ecdsa-sha384",
    "ecdsa-sha512",
    "rsa-pkcs1-sha1",
    "rsa-pkcs1-sha224",
    "rsa-pkcs1-sha256",
    "rsa-pkcs1-sha384",
    "rsa-pkcs1-sha512",
    "rsa-pss-sha1",
    "rsa-pss-sha224",
    "rsa-pss-sha256",
    "rsa-pss-sha384",
    "rsa-pss-sha512",
]
SIGNATURE_SCHEMES: tuple[SignatureScheme, ...] = get_args(SignatureScheme)
SignerIdKind = Literal["issuer_serial", "ski"]
SignerPrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

_HASH_SIZES: dict[str, int] = {
    "sha1": 20,
    "sha224": 28,
    "sha256": 32,
    "sha384": 48,
    "sha512": 64,
}
_CRYPTO_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}
_PYCRYPTODOME_HASHES: dict[str, Any] = {
    "sha1": SHA1,
    "sha224": SHA224,
    "sha256": SHA256,
    "sha384": SHA384,
    "sha512": SHA512,
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
    #: The parsed asn1crypto ``cms.SignedData`` for callers that need more than the above.
    signed_data: Any = field(repr=False, compare=False)
    #: The full EF.SOD bytes (tag 0x77 included) as parsed.
    raw: bytes = field(repr=False, default=b"")


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
    if name not in _HASH_SIZES:
        raise LDSError(f"{what} uses unsupported hash algorithm {algorithm['algorithm'].dotted}")
    return str(name)


def _parse_lds_security_object(
    econtent: bytes,
) -> tuple[int, str, dict[int, bytes], str | None, str | None]:
    lso = LDSSecurityObject.load(econtent, strict=True)
    lso.native  # noqa: B018 - forces asn1crypto to parse everything now, inside the caller's try
    version = lso["version"].native
    if version not in (0, 1):
        raise LDSError(f"LDSSecurityObject version {version} is neither 0 nor 1")
    hash_algorithm = _hash_name(lso["hash_algorithm"], "LDSSecurityObject")
    size = _HASH_SIZES[hash_algorithm]
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
    signer_info.native  # noqa: B018 - full parse inside the caller's try
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
        signed_data=signed_data,
        raw=data,
    )


def parse_sod(data: bytes) -> SOD:
    """Decode EF.SOD (tag 0x77). Any malformation raises :class:`LDSError`, never anything else.

    Nothing is verified here: callers must check the signature, the certificate chain and the
    DG hashes before trusting any field.
    """
    if len(data) > MAX_SOD_BYTES:
        raise LDSError(f"EF.SOD is {len(data)} bytes, more than the limit of {MAX_SOD_BYTES}")
    try:
        return _parse(bytes(data))
    except LDSError:
        raise
    except ASN1_ERRORS as exc:
        raise LDSError(f"EF.SOD is malformed: {type(exc).__name__}") from exc


# --- building ----------------------------------------------------------------------------------


def hash_data_groups(
    files: Mapping[str, bytes], hash_algorithm: HashName = "sha256"
) -> dict[int, bytes]:
    """Hash every DG file among ``files`` (EF.COM, EF.CardAccess etc. are never in an SOD)."""
    out: dict[int, bytes] = {}
    for name, data in files.items():
        number = dg_number(name)
        if number is not None:
            out[number] = hashlib.new(hash_algorithm, data).digest()
    return dict(sorted(out.items()))


def _split_scheme(scheme: SignatureScheme) -> tuple[str, HashName]:
    family, _, hash_name = scheme.rpartition("-")
    if hash_name not in _HASH_SIZES:
        raise ValueError(f"unknown signature scheme {scheme!r}")
    return family, hash_name  # type: ignore[return-value]


def _signature_algorithm(scheme: SignatureScheme) -> Any:
    family, hash_name = _split_scheme(scheme)
    if family == "ecdsa":
        return algos.SignedDigestAlgorithm({"algorithm": f"{hash_name}_ecdsa"})
    if family == "rsa-pkcs1":
        return algos.SignedDigestAlgorithm({"algorithm": f"{hash_name}_rsa"})
    if family == "rsa-pss":
        params = algos.RSASSAPSSParams(
            {
                "hash_algorithm": {"algorithm": hash_name},
                "mask_gen_algorithm": {
                    "algorithm": "mgf1",
                    "parameters": {"algorithm": hash_name},
                },
                "salt_length": _HASH_SIZES[hash_name],
            }
        )
        return algos.SignedDigestAlgorithm({"algorithm": "rsassa_pss", "parameters": params})
    raise ValueError(f"unknown signature scheme {scheme!r}")


def _sign(private_key: SignerPrivateKey, scheme: SignatureScheme, message: bytes) -> bytes:
    family, hash_name = _split_scheme(scheme)
    hash_algorithm = _CRYPTO_HASHES[hash_name]()
    if family == "ecdsa":
        if not isinstance(private_key, ec.EllipticCurvePrivateKey):
            raise ValueError(f"{scheme} needs an EC key")
        return private_key.sign(message, ec.ECDSA(hash_algorithm, deterministic_signing=True))
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise ValueError(f"{scheme} needs an RSA key")
    if family == "rsa-pkcs1":
        return private_key.sign(message, padding.PKCS1v15(), hash_algorithm)
    # RSASSA-PSS: cryptography always draws a random salt, which would make every issued SOD
    # different; pycryptodome takes the salt source as a parameter, seeded here with the key and
    # the message (secret, unique per message, reproducible).
    key_der = private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    salt_stream = SHAKE256.new(b"cccd-reader/pss-salt\x00" + key_der + message)
    signer = pss.new(
        RSA.import_key(key_der), salt_bytes=_HASH_SIZES[hash_name], rand_func=salt_stream.read
    )
    return bytes(signer.sign(_PYCRYPTODOME_HASHES[hash_name].new(message)))


def build_lds_security_object(
    dg_hashes: Mapping[int, bytes],
    *,
    hash_algorithm: HashName = "sha256",
    lds_version: tuple[str, str] | None = ("0107", "040000"),
) -> bytes:
    """DER LDSSecurityObject; ``lds_version`` = (LDS version, Unicode version) selects v1."""
    if not dg_hashes:
        raise ValueError("an LDSSecurityObject needs at least one data group hash")
    value: dict[str, Any] = {
        "version": 0 if lds_version is None else 1,
        "hash_algorithm": {"algorithm": hash_algorithm},
        "data_group_hash_values": [
            {"data_group_number": number, "data_group_hash_value": digest}
            for number, digest in sorted(dg_hashes.items())
        ],
    }
    if lds_version is not None:
        value["lds_version_info"] = {
            "lds_version": lds_version[0],
            "unicode_version": lds_version[1],
        }
    return bytes(LDSSecurityObject(value).dump(force=True))


def build_sod(
    dg_hashes: Mapping[int, bytes],
    *,
    private_key: SignerPrivateKey,
    certificate: x509.Certificate,
    hash_algorithm: HashName = "sha256",
    signature: SignatureScheme = "ecdsa-sha256",
    sid: SignerIdKind = "issuer_serial",
    signing_time: datetime | None = None,
    lds_version: tuple[str, str] | None = ("0107", "040000"),
    include_certificate: bool = True,
    econtent_type: Literal["lds", "data"] = "lds",
    signed_data_version: int = 3,
    sid_issuer: Any = None,
) -> bytes:
    """Sign the DG hashes as a Document Signer would; return the full EF.SOD (tag 0x77).

    ``certificate`` is the DSC matching ``private_key``; it names the signer (``sid``) and is
    embedded unless ``include_certificate`` is False (some states distribute DSCs separately).
    The signer digest is the scheme's hash; ``hash_algorithm`` is the one of the DG hashes.
    ``econtent_type``, ``signed_data_version`` and ``sid_issuer`` (an asn1crypto Name naming
    the issuer in the SignerInfo) reproduce what some real documents do differently.
    """
    econtent = build_lds_security_object(
        dg_hashes, hash_algorithm=hash_algorithm, lds_version=lds_version
    )
    content_type = LDS_SECURITY_OBJECT if econtent_type == "lds" else "data"
    content_info = build_signed_data(
        econtent,
        content_type,
        private_key=private_key,
        certificate=certificate,
        signature=signature,
        sid=sid,
        signing_time=signing_time,
        include_certificate=include_certificate,
        signed_data_version=signed_data_version,
        sid_issuer=sid_issuer,
        typed_content=LDSSecurityObject.load(econtent) if signed_data_version == 1 else None,
    )
    return tlv.encode(SOD_TAG, content_info)


def build_signed_data(
    econtent: bytes,
    content_type: str,
    *,
    private_key: SignerPrivateKey,
    certificate: x509.Certificate,
    signature: SignatureScheme = "ecdsa-sha256",
    sid: SignerIdKind = "issuer_serial",
    signing_time: datetime | None = None,
    include_certificate: bool = True,
    signed_data_version: int = 3,
    sid_issuer: Any = None,
    typed_content: Any = None,
) -> bytes:
    """DER ContentInfo of a SignedData over ``econtent`` (EF.SOD's content, or the
    SecurityInfos of EF.CardSecurity), signed as a Document Signer signs: signed attributes
    contentType, messageDigest and optionally signingTime. ``typed_content`` replaces the
    OCTET STRING for the PKCS #7 (version 1) layout."""
    _, digest_name = _split_scheme(signature)
    attributes: list[dict[str, Any]] = [
        {"type": "content_type", "values": [content_type]},
        {"type": "message_digest", "values": [hashlib.new(digest_name, econtent).digest()]},
    ]
    if signing_time is not None:
        when = (
            signing_time.astimezone(UTC)
            if signing_time.tzinfo
            else signing_time.replace(tzinfo=UTC)
        )
        attributes.append(
            {"type": "signing_time", "values": [cms.Time(name="utc_time", value=when)]}
        )
    signed_attrs = cms.CMSAttributes(attributes)
    to_sign = signed_attrs.dump(force=True)  # DER: asn1crypto sorts SET OF members
    signature_value = _sign(private_key, signature, to_sign)

    cert = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    if sid == "issuer_serial":
        signer_id = cms.SignerIdentifier(
            name="issuer_and_serial_number",
            value=cms.IssuerAndSerialNumber(
                {
                    "issuer": cert.issuer if sid_issuer is None else sid_issuer,
                    "serial_number": cert.serial_number,
                }
            ),
        )
        signer_version = "v1"
    else:
        try:
            ski = certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
        except x509.ExtensionNotFound as exc:
            raise ValueError("sid='ski' needs a DSC with a SubjectKeyIdentifier") from exc
        signer_id = cms.SignerIdentifier(name="subject_key_identifier", value=ski.value.digest)
        signer_version = "v3"
    signer_info = cms.SignerInfo(
        {
            "version": signer_version,
            "sid": signer_id,
            "digest_algorithm": {"algorithm": digest_name},
            "signed_attrs": signed_attrs,
            "signature_algorithm": _signature_algorithm(signature),
            "signature": signature_value,
        }
    )
    signed_data_value: dict[str, Any] = {
        "version": f"v{signed_data_version}",
        "digest_algorithms": [{"algorithm": digest_name}],
        "encap_content_info": {
            "content_type": content_type,
            # version 1 is the PKCS #7 layout, whose content is the structure itself
            "content": typed_content
            if typed_content is not None
            else cms.ParsableOctetString(econtent),
        },
        "signer_infos": [signer_info],
    }
    if include_certificate:
        signed_data_value["certificates"] = [cert]
    content_info = cms.ContentInfo(
        {"content_type": "signed_data", "content": cms.SignedData(signed_data_value)}
    )
    return bytes(content_info.dump())
