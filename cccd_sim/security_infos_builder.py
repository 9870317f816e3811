"""Encoding SecurityInfos (EF.CardAccess, DG14, EF.CardSecurity's content) for issued cards.

The library only parses SecurityInfos (:mod:`cccd_reader.lds.security_infos`); the issuer and
the hostile cards of the simulator, and the tests, write them. The encoder uses the parser's
schemas and validators, so what it writes is what the parser accepts, and a parsed file
re-encodes to its own bytes.
"""

from __future__ import annotations

from collections.abc import Iterable

from cccd_reader.errors import ASN1_ERRORS, LDSError, ParseError
from cccd_reader.iso7816 import tlv
from cccd_reader.lds.security_infos import (
    DG14_TAG,
    SET_TAG,
    ActiveAuthenticationInfo,
    ActiveAuthenticationInfoSchema,
    AlgorithmIdentifierSchema,
    ChipAuthenticationInfo,
    ChipAuthenticationInfoSchema,
    ChipAuthenticationPublicKeyInfo,
    ChipAuthenticationPublicKeyInfoSchema,
    FileIDSchema,
    PACEDomainParameterInfo,
    PACEDomainParameterInfoSchema,
    PACEInfo,
    PACEInfoSchema,
    SecurityInfo,
    SubjectPublicKeyInfoSchema,
    TerminalAuthenticationInfoSchema,
    UnknownSecurityInfo,
    bounded_der,
    spki_parts,
    validate_algorithm_identifier,
)


def _encode_one(info: SecurityInfo) -> bytes:
    if isinstance(info, UnknownSecurityInfo):
        if bounded_der(info.raw, "SecurityInfo").tag != 0x30:
            raise LDSError("an unknown SecurityInfo must be a DER SEQUENCE")
        return info.raw
    if isinstance(info, PACEInfo):
        values: dict[str, object] = {"protocol": info.protocol, "version": info.version}
        if info.parameter_id is not None:
            values["parameter_id"] = info.parameter_id
        return bytes(PACEInfoSchema(values).dump())
    if isinstance(info, PACEDomainParameterInfo):
        bounded_der(info.domain_parameter, "AlgorithmIdentifier")
        alg = AlgorithmIdentifierSchema.load(info.domain_parameter, strict=True)
        validate_algorithm_identifier(alg, "PACE domain parameters")
        values = {"protocol": info.protocol, "domain_parameter": alg}
        if info.parameter_id is not None:
            values["parameter_id"] = info.parameter_id
        return bytes(PACEDomainParameterInfoSchema(values).dump())
    if isinstance(info, ChipAuthenticationInfo):
        values = {"protocol": info.protocol, "version": info.version}
        if info.key_id is not None:
            values["key_id"] = info.key_id
        return bytes(ChipAuthenticationInfoSchema(values).dump())
    if isinstance(info, ChipAuthenticationPublicKeyInfo):
        spki_parts(info.subject_public_key_info)  # validates before it is copied verbatim
        spki = SubjectPublicKeyInfoSchema.load(info.subject_public_key_info, strict=True)
        values = {"protocol": info.protocol, "public_key": spki}
        if info.key_id is not None:
            values["key_id"] = info.key_id
        return bytes(ChipAuthenticationPublicKeyInfoSchema(values).dump())
    if isinstance(info, ActiveAuthenticationInfo):
        return bytes(
            ActiveAuthenticationInfoSchema(
                {
                    "protocol": info.protocol,
                    "version": info.version,
                    "signature_algorithm": info.signature_algorithm,
                }
            ).dump()
        )
    values = {"protocol": info.protocol, "version": info.version}
    if info.ef_cvca is not None:
        bounded_der(info.ef_cvca, "FileID")
        ef = FileIDSchema.load(info.ef_cvca, strict=True)
        fid = ef["fid"].native
        if not isinstance(fid, bytes) or len(fid) != 2:
            raise LDSError("TerminalAuthenticationInfo efCVCA fid is not 2 bytes")
        values["ef_cvca"] = ef
    return bytes(TerminalAuthenticationInfoSchema(values).dump())


def encode_security_infos(infos: Iterable[SecurityInfo], *, dg14: bool = False) -> bytes:
    """DER of the SET, in the given order (so a parsed file re-encodes to its own bytes).

    ``dg14=True`` wraps the SET in tag ``6E`` as DG14 stores it. Raises :class:`LDSError` when
    an entry cannot be encoded (e.g. a malformed OID or stored DER).
    """
    try:
        body = b"".join(_encode_one(i) for i in infos)
        out = tlv.encode(SET_TAG, body)
        return tlv.encode(DG14_TAG, out) if dg14 else out
    except LDSError:
        raise
    except ParseError as exc:
        raise LDSError(f"cannot encode SecurityInfos: {exc}") from None
    except ASN1_ERRORS as exc:
        raise LDSError(f"cannot encode SecurityInfo: {exc}") from None
