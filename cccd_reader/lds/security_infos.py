"""SecurityInfos (ICAO 9303 Part 11 §9.2, BSI TR-03110-3 §A.1): EF.CardAccess, DG14, CardSecurity.

The same ``SET OF SecurityInfo`` announces PACE in EF.CardAccess (bare, unauthenticated), and
Chip/Terminal/Active Authentication in DG14 (wrapped in application tag ``6E``) and in the
content of EF.CardSecurity. Everything here is hostile input: EF.CardAccess is read before any
authentication, so sizes and nesting are bounded before asn1crypto sees a byte, and every
defect surfaces as :class:`~cccd_reader.errors.LDSError`.

Entries are decoded into frozen dataclasses when their protocol OID is one this toolkit acts
on; anything else is kept verbatim as :class:`UnknownSecurityInfo`, because DG14 is hashed in
the SOD and other readers may need entries we do not understand. Public keys and algorithm
identifiers are kept as DER for the same reason: their encodings vary between issuers
(standardized-parameter references, explicit curves, X9.42 DH keys) and interpreting them is
the job of the protocol that uses them.

Also here, because the terminal and the virtual chip must agree on them: the table of PACE
protocol OIDs (:data:`PACE_ALGORITHMS`) and of standardized domain parameter IDs
(:data:`STANDARD_DOMAIN_PARAMETERS`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

from asn1crypto import core

from cccd_reader.errors import ASN1_ERRORS, LDSError, ParseError
from cccd_reader.iso7816 import tlv

#: EF.CardAccess and DG14 hold a handful of entries; a few KiB at most on real cards.
MAX_SECURITY_INFOS_LENGTH = 64 * 1024
MAX_SECURITY_INFOS = 128
#: Nesting of a SecurityInfo: SET / SEQUENCE / SubjectPublicKeyInfo / AlgorithmIdentifier /
#: explicit ECParameters / curve / field -- well under this.
MAX_NESTING = 12
#: Integers we interpret (version, parameterId, keyId) are small on every real chip.
MAX_SMALL_INT = 2**63 - 1

DG14_TAG = 0x6E
SET_TAG = 0x31

# --- object identifiers (ICAO 9303-11 §9.2.3, §9.2.7, §9.2.9; TR-03110-3 §A.1) ---------------

BSI_DE = "0.4.0.127.0.7"
ID_PACE = f"{BSI_DE}.2.2.4"
ID_PK = f"{BSI_DE}.2.2.1"
ID_TA = f"{BSI_DE}.2.2.2"
ID_CA = f"{BSI_DE}.2.2.3"
ID_PK_DH = f"{ID_PK}.1"
ID_PK_ECDH = f"{ID_PK}.2"
ID_CA_DH = f"{ID_CA}.1"
ID_CA_ECDH = f"{ID_CA}.2"
#: ``standardizedDomainParameters`` (§9.5.1): AlgorithmIdentifier whose parameter is an ID.
ID_STANDARDIZED_DOMAIN_PARAMETERS = f"{BSI_DE}.1.2"
#: ``id-icao-mrtd-security-aaProtocolObject`` (§9.2.4).
ID_AA = "2.23.136.1.1.5"

ID_PACE_DH_GM = f"{ID_PACE}.1"
ID_PACE_ECDH_GM = f"{ID_PACE}.2"
ID_PACE_DH_IM = f"{ID_PACE}.3"
ID_PACE_ECDH_IM = f"{ID_PACE}.4"
ID_PACE_ECDH_CAM = f"{ID_PACE}.6"
#: Protocol OIDs of PACEDomainParameterInfo (§9.2.2): the key agreement + mapping, no cipher.
PACE_DOMAIN_PARAMETER_OIDS = frozenset(
    {ID_PACE_DH_GM, ID_PACE_ECDH_GM, ID_PACE_DH_IM, ID_PACE_ECDH_IM, ID_PACE_ECDH_CAM}
)

KeyAgreement = Literal["DH", "ECDH"]
Mapping = Literal["GM", "IM", "CAM"]
CipherName = Literal["3DES", "AES"]


@dataclass(frozen=True, slots=True)
class PaceAlgorithm:
    """What one PACE protocol OID selects (ICAO 9303-11 Tables 2 and 3)."""

    oid: str
    name: str
    key_agreement: KeyAgreement
    mapping: Mapping
    cipher: CipherName
    key_bits: int  # 112 for two-key 3DES, as the standard's tables say

    @property
    def cipher_label(self) -> str:
        """``"3DES"``, ``"AES-128"`` ...: what users and logs call the session cipher."""
        return "3DES" if self.cipher == "3DES" else f"AES-{self.key_bits}"


def _pace_table() -> dict[str, PaceAlgorithm]:
    suites: list[tuple[int, CipherName, int, str]] = [
        (1, "3DES", 112, "3DES-CBC-CBC"),
        (2, "AES", 128, "AES-CBC-CMAC-128"),
        (3, "AES", 192, "AES-CBC-CMAC-192"),
        (4, "AES", 256, "AES-CBC-CMAC-256"),
    ]
    families: list[tuple[str, KeyAgreement, Mapping]] = [
        (ID_PACE_DH_GM, "DH", "GM"),
        (ID_PACE_ECDH_GM, "ECDH", "GM"),
        (ID_PACE_DH_IM, "DH", "IM"),
        (ID_PACE_ECDH_IM, "ECDH", "IM"),
        (ID_PACE_ECDH_CAM, "ECDH", "CAM"),
    ]
    table: dict[str, PaceAlgorithm] = {}
    for base, ka, mapping in families:
        for arc, cipher, bits, suffix in suites:
            if mapping == "CAM" and cipher == "3DES":
                continue  # no id-PACE-ECDH-CAM-3DES: CAM is AES only (§4.4.3, note 1)
            oid = f"{base}.{arc}"
            name = f"id-PACE-{ka}-{mapping}-{suffix}"
            table[oid] = PaceAlgorithm(oid, name, ka, mapping, cipher, bits)
    return table


#: Every PACE protocol OID of ICAO 9303-11 §9.2.3, from id-PACE-DH-GM-3DES-CBC-CBC to
#: id-PACE-ECDH-CAM-AES-CBC-CMAC-256.
PACE_ALGORITHMS: dict[str, PaceAlgorithm] = _pace_table()


@dataclass(frozen=True, slots=True)
class StandardDomainParameters:
    """One row of ICAO 9303-11 Table 12.

    ``supported`` is False where the ``cryptography`` package (OpenSSL) offers no such curve,
    so this toolkit cannot run PACE on it. ``integrated_mapping`` is False where the point
    encoding of Appendix B cannot work (it needs p = 3 mod 4; NIST P-224 has p = 1 mod 4).
    """

    parameter_id: int
    name: str
    kind: KeyAgreement
    bits: int
    supported: bool
    integrated_mapping: bool = True


#: ICAO 9303-11 §9.5.1, Table 12 (IDs 3-7 and 19-31 are reserved).
STANDARD_DOMAIN_PARAMETERS: dict[int, StandardDomainParameters] = {
    d.parameter_id: d
    for d in (
        StandardDomainParameters(0, "1024-bit MODP Group with 160-bit Prime Order Subgroup",
                                 "DH", 1024, True),
        StandardDomainParameters(1, "2048-bit MODP Group with 224-bit Prime Order Subgroup",
                                 "DH", 2048, True),
        StandardDomainParameters(2, "2048-bit MODP Group with 256-bit Prime Order Subgroup",
                                 "DH", 2048, True),
        StandardDomainParameters(8, "NIST P-192", "ECDH", 192, True),
        StandardDomainParameters(9, "brainpoolP192r1", "ECDH", 192, False),
        StandardDomainParameters(10, "NIST P-224", "ECDH", 224, True, integrated_mapping=False),
        StandardDomainParameters(11, "brainpoolP224r1", "ECDH", 224, False),
        StandardDomainParameters(12, "NIST P-256", "ECDH", 256, True),
        StandardDomainParameters(13, "brainpoolP256r1", "ECDH", 256, True),
        StandardDomainParameters(14, "brainpoolP320r1", "ECDH", 320, False),
        StandardDomainParameters(15, "NIST P-384", "ECDH", 384, True),
        StandardDomainParameters(16, "brainpoolP384r1", "ECDH", 384, True),
        StandardDomainParameters(17, "brainpoolP512r1", "ECDH", 512, True),
        StandardDomainParameters(18, "NIST P-521", "ECDH", 521, True),
    )
}


# --- the SecurityInfo kinds -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PACEInfo:
    """One PACE configuration the chip offers (§9.2.1)."""

    protocol: str
    version: int
    parameter_id: int | None = None

    @property
    def algorithm(self) -> PaceAlgorithm | None:
        """The algorithm suite of ``protocol``, or None for an OID this toolkit does not know."""
        return PACE_ALGORITHMS.get(self.protocol)

    @property
    def standard_domain(self) -> StandardDomainParameters | None:
        if self.parameter_id is None:
            return None
        return STANDARD_DOMAIN_PARAMETERS.get(self.parameter_id)


@dataclass(frozen=True, slots=True)
class PACEDomainParameterInfo:
    """Explicit PACE domain parameters (§9.2.2); ``domain_parameter`` is the AlgorithmIdentifier
    as DER. Unauthenticated input: terminals must not trust these blindly (§9.2.2)."""

    protocol: str
    domain_parameter: bytes
    parameter_id: int | None = None


@dataclass(frozen=True, slots=True)
class ChipAuthenticationInfo:
    """Chip Authentication offer (§9.2.5)."""

    protocol: str
    version: int
    key_id: int | None = None


@dataclass(frozen=True, slots=True)
class ChipAuthenticationPublicKeyInfo:
    """Static Chip Authentication / PACE-CAM key (§9.2.6); SubjectPublicKeyInfo kept as DER."""

    protocol: str
    subject_public_key_info: bytes
    key_id: int | None = None

    @property
    def algorithm_oid(self) -> str:
        return spki_parts(self.subject_public_key_info)[0]

    @property
    def algorithm_parameters(self) -> bytes | None:
        """DER of the AlgorithmIdentifier parameters (e.g. INTEGER 13 for brainpoolP256r1)."""
        return spki_parts(self.subject_public_key_info)[1]

    @property
    def public_key(self) -> bytes:
        """Contents of the subjectPublicKey BIT STRING (an EC point, or a DER DH INTEGER)."""
        return spki_parts(self.subject_public_key_info)[2]


@dataclass(frozen=True, slots=True)
class ActiveAuthenticationInfo:
    """ECDSA Active Authentication announcement (§9.2.4)."""

    protocol: str
    version: int
    signature_algorithm: str


@dataclass(frozen=True, slots=True)
class TerminalAuthenticationInfo:
    """Terminal Authentication offer (§9.2.8); ``ef_cvca`` is TR-03110's optional FileID (DER)."""

    protocol: str
    version: int
    ef_cvca: bytes | None = None


@dataclass(frozen=True, slots=True)
class UnknownSecurityInfo:
    """An entry this toolkit does not interpret, kept byte for byte (the whole SEQUENCE)."""

    protocol: str
    raw: bytes


SecurityInfo = (
    PACEInfo
    | PACEDomainParameterInfo
    | ChipAuthenticationInfo
    | ChipAuthenticationPublicKeyInfo
    | ActiveAuthenticationInfo
    | TerminalAuthenticationInfo
    | UnknownSecurityInfo
)


# --- asn1crypto schemas -----------------------------------------------------------------------
# Public because the simulator's encoder (``cccd_sim.security_infos_builder``) writes the same
# structures the parser reads: one definition of each for both directions.


class AlgorithmIdentifierSchema(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012 - asn1crypto's schema convention
        ("algorithm", core.ObjectIdentifier),
        ("parameters", core.Any, {"optional": True}),
    ]


class SubjectPublicKeyInfoSchema(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012
        ("algorithm", AlgorithmIdentifierSchema),
        ("subject_public_key", core.BitString),
    ]


class PACEInfoSchema(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012
        ("protocol", core.ObjectIdentifier),
        ("version", core.Integer),
        ("parameter_id", core.Integer, {"optional": True}),
    ]


class PACEDomainParameterInfoSchema(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012
        ("protocol", core.ObjectIdentifier),
        ("domain_parameter", AlgorithmIdentifierSchema),
        ("parameter_id", core.Integer, {"optional": True}),
    ]


class ChipAuthenticationInfoSchema(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012
        ("protocol", core.ObjectIdentifier),
        ("version", core.Integer),
        ("key_id", core.Integer, {"optional": True}),
    ]


class ChipAuthenticationPublicKeyInfoSchema(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012
        ("protocol", core.ObjectIdentifier),
        ("public_key", SubjectPublicKeyInfoSchema),
        ("key_id", core.Integer, {"optional": True}),
    ]


class ActiveAuthenticationInfoSchema(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012
        ("protocol", core.ObjectIdentifier),
        ("version", core.Integer),
        ("signature_algorithm", core.ObjectIdentifier),
    ]


class FileIDSchema(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012
        ("fid", core.OctetString),
        ("sfid", core.OctetString, {"optional": True}),
    ]


class TerminalAuthenticationInfoSchema(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012
        ("protocol", core.ObjectIdentifier),
        ("version", core.Integer),
        ("ef_cvca", FileIDSchema, {"optional": True}),
    ]


def _small_int(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise LDSError(f"{what} is not an INTEGER")
    if not 0 <= value <= MAX_SMALL_INT:
        raise LDSError(f"{what} {value} is out of range")
    return value


def _opt_small_int(value: object, what: str) -> int | None:
    return None if value is None else _small_int(value, what)


def _oid(value: object, what: str) -> str:
    if not isinstance(value, core.ObjectIdentifier):
        raise LDSError(f"{what} is not an OBJECT IDENTIFIER")
    dotted = value.dotted
    if not isinstance(dotted, str) or not dotted:
        raise LDSError(f"{what} is not a valid OBJECT IDENTIFIER")
    return dotted


def validate_algorithm_identifier(alg: AlgorithmIdentifierSchema, what: str) -> None:
    """Refuse a malformed OID or parameters that are not one bounded DER element."""
    _oid(alg["algorithm"], f"{what} algorithm")
    params = alg["parameters"]
    if params is not None and not isinstance(params, core.Void):
        params.parse()  # parsed as its universal type: fails on malformed content


def spki_parts(der: bytes) -> tuple[str, bytes | None, bytes]:
    """(algorithm OID, parameters DER or None, public key bytes) of a SubjectPublicKeyInfo."""
    try:
        bounded_der(der, "SubjectPublicKeyInfo")
        spki = SubjectPublicKeyInfoSchema.load(der, strict=True)
        alg = spki["algorithm"]
        oid = _oid(alg["algorithm"], "public key algorithm")
        params = alg["parameters"]
        params_der = None if params is None or isinstance(params, core.Void) else params.dump()
        bits = spki["subject_public_key"]
        if bits.contents is None or not bits.contents or bits.contents[0] != 0:
            raise LDSError("subjectPublicKey BIT STRING has unused bits or no content")
        return oid, params_der, bytes(bits.contents[1:])
    except LDSError:
        raise
    except ASN1_ERRORS as exc:
        raise LDSError(f"malformed SubjectPublicKeyInfo: {exc}") from None


def bounded_der(der: bytes, what: str) -> tlv.TLV:
    """Decode with the project's strict TLV reader first: bounded length, depth, no BER tricks."""
    if len(der) > MAX_SECURITY_INFOS_LENGTH:
        raise LDSError(f"{what} of {len(der)} bytes exceeds {MAX_SECURITY_INFOS_LENGTH}")
    try:
        top = tlv.decode(der)
        for depth, _ in tlv.walk(top):
            if depth > MAX_NESTING:
                raise LDSError(f"{what} nested deeper than {MAX_NESTING} levels")
    except ParseError as exc:
        if isinstance(exc, LDSError):
            raise
        raise LDSError(f"malformed {what}: {exc}") from None
    return top


def _classify(oid: str) -> str:
    if oid in PACE_ALGORITHMS:
        return "PACEInfo"
    if oid in PACE_DOMAIN_PARAMETER_OIDS:
        return "PACEDomainParameterInfo"
    ca_suite = oid.count(".") == ID_CA.count(".") + 2
    if ca_suite and oid.startswith((ID_CA_DH + ".", ID_CA_ECDH + ".")):
        return "ChipAuthenticationInfo"
    if oid in (ID_PK_DH, ID_PK_ECDH):
        return "ChipAuthenticationPublicKeyInfo"
    if oid == ID_TA:
        return "TerminalAuthenticationInfo"
    if oid == ID_AA:
        return "ActiveAuthenticationInfo"
    return "Unknown"


def _parse_one(raw: bytes, node: tlv.TLV) -> SecurityInfo:
    info = _decode_one(raw, node)
    if not isinstance(info, UnknownSecurityInfo):
        # asn1crypto skips an optional field whose tag does not match and keeps the element
        # as an anonymous extra; counting catches that (e.g. NULL where parameterId belongs).
        present = sum(getattr(info, f.name) is not None for f in fields(info))
        if present != len(node.children()):
            raise LDSError(f"{type(info).__name__} has unexpected or misplaced elements")
    return info


def _decode_one(raw: bytes, node: tlv.TLV) -> SecurityInfo:
    if node.tag != 0x30:
        raise LDSError(f"SecurityInfo must be a SEQUENCE, found tag {node.tag:X}")
    children = node.children()
    if not 2 <= len(children) <= 3:
        raise LDSError(f"SecurityInfo has {len(children)} elements instead of 2 or 3")
    if children[0].tag != 0x06:
        raise LDSError("SecurityInfo does not start with its protocol OBJECT IDENTIFIER")
    oid = _oid(core.ObjectIdentifier.load(children[0].encode(), strict=True), "protocol")
    kind = _classify(oid)
    if kind == "PACEInfo":
        p = PACEInfoSchema.load(raw, strict=True)
        return PACEInfo(
            oid,
            _small_int(p["version"].native, "PACEInfo version"),
            _opt_small_int(p["parameter_id"].native, "PACEInfo parameterId"),
        )
    if kind == "PACEDomainParameterInfo":
        d = PACEDomainParameterInfoSchema.load(raw, strict=True)
        validate_algorithm_identifier(d["domain_parameter"], "PACE domain parameters")
        return PACEDomainParameterInfo(
            oid,
            d["domain_parameter"].dump(),
            _opt_small_int(d["parameter_id"].native, "PACEDomainParameterInfo parameterId"),
        )
    if kind == "ChipAuthenticationInfo":
        c = ChipAuthenticationInfoSchema.load(raw, strict=True)
        return ChipAuthenticationInfo(
            oid,
            _small_int(c["version"].native, "ChipAuthenticationInfo version"),
            _opt_small_int(c["key_id"].native, "ChipAuthenticationInfo keyId"),
        )
    if kind == "ChipAuthenticationPublicKeyInfo":
        k = ChipAuthenticationPublicKeyInfoSchema.load(raw, strict=True)
        spki = k["public_key"].dump()
        spki_parts(spki)
        return ChipAuthenticationPublicKeyInfo(
            oid, spki, _opt_small_int(k["key_id"].native, "ChipAuthenticationPublicKeyInfo keyId")
        )
    if kind == "ActiveAuthenticationInfo":
        a = ActiveAuthenticationInfoSchema.load(raw, strict=True)
        return ActiveAuthenticationInfo(
            oid,
            _small_int(a["version"].native, "ActiveAuthenticationInfo version"),
            _oid(a["signature_algorithm"], "signatureAlgorithm"),
        )
    if kind == "TerminalAuthenticationInfo":
        t = TerminalAuthenticationInfoSchema.load(raw, strict=True)
        ef = t["ef_cvca"]
        ef_der = None
        if ef is not None and not isinstance(ef, core.Void):
            fid = ef["fid"].native
            if not isinstance(fid, bytes) or len(fid) != 2:
                raise LDSError("TerminalAuthenticationInfo efCVCA fid is not 2 bytes")
            ef_der = ef.dump()
        return TerminalAuthenticationInfo(
            oid, _small_int(t["version"].native, "TerminalAuthenticationInfo version"), ef_der
        )
    return UnknownSecurityInfo(oid, raw)


def parse_security_infos(der: bytes) -> list[SecurityInfo]:
    """Parse SecurityInfos: the bare SET (EF.CardAccess, CardSecurity content) or DG14 (``6E``).

    Entries come back in file order. Raises :class:`LDSError` on any defect, including trailing
    bytes, over-long input and a SET that does not hold SEQUENCEs.
    """
    data = bytes(der)
    top = bounded_der(data, "SecurityInfos")
    if top.tag == DG14_TAG:
        inner = top.children()
        if len(inner) != 1:
            raise LDSError("DG14 must hold exactly one SecurityInfos SET")
        top = inner[0]
    if top.tag != SET_TAG:
        raise LDSError(f"SecurityInfos must be a SET (31), found tag {top.tag:X}")
    try:
        pos = 0
        out: list[SecurityInfo] = []
        content = top.value
        while pos < len(content):
            node, end = tlv.decode_one(content, pos)
            if len(out) >= MAX_SECURITY_INFOS:
                raise LDSError(f"more than {MAX_SECURITY_INFOS} SecurityInfo entries")
            out.append(_parse_one(content[pos:end], node))
            pos = end
        return out
    except LDSError:
        raise
    except ParseError as exc:
        raise LDSError(f"malformed SecurityInfos: {exc}") from None
    except ASN1_ERRORS as exc:
        raise LDSError(f"malformed SecurityInfo: {exc}") from None
