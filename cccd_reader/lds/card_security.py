"""EF.CardSecurity (BSI TR-03110-3 §A.1.2.5, ICAO 9303-11 §9.2.4): the signed SecurityInfos.

A chip that offers PACE-CAM (and chips that keep their Chip Authentication key outside DG14)
publish the key in EF.CardSecurity, in the master file: a CMS SignedData whose eContent
(type id-SecurityObject) is a SET of SecurityInfos, signed by the Document Signer like EF.SOD.
Until that signature and its chain are verified, nothing in it is trusted; this module only
decodes (the verification layer checks it, exactly as it checks EF.SOD).
"""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import cms, core

from cccd_reader.errors import ASN1_ERRORS, LDSError
from cccd_reader.lds.security_infos import SecurityInfo, parse_security_infos
from cccd_reader.lds.sod import MAX_CERTIFICATES, SODSigner, parse_signer_info

#: id-SecurityObject (BSI TR-03110-3 §A.1.2.5): the eContentType of EF.CardSecurity.
SECURITY_OBJECT_OID = "0.4.0.127.0.7.3.2.1"
#: EF.CardSecurity holds the SecurityInfos and usually one DSC: a few KiB.
MAX_CARD_SECURITY_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class CardSecurity:
    """A decoded EF.CardSecurity. Nothing in it has been verified yet."""

    infos: tuple[SecurityInfo, ...]
    econtent_type: str
    #: The DER SecurityInfos exactly as signed (messageDigest covers these bytes).
    econtent: bytes
    signed_data_version: int
    certificates: tuple[bytes, ...]
    signer: SODSigner


def parse_card_security(data: bytes) -> CardSecurity:
    """Decode EF.CardSecurity; any malformation raises :class:`LDSError`."""
    if len(data) > MAX_CARD_SECURITY_BYTES:
        raise LDSError(f"EF.CardSecurity is {len(data)} bytes, more than the limit of "
                       f"{MAX_CARD_SECURITY_BYTES}")
    try:
        content_info = cms.ContentInfo.load(bytes(data), strict=True)
        if content_info["content_type"].native != "signed_data":
            raise LDSError("EF.CardSecurity does not hold a SignedData")
        signed_data = content_info["content"]
        version = signed_data["version"].native
        signed_data_version = int(version[1:]) if isinstance(version, str) else int(version)
        encap = signed_data["encap_content_info"]
        econtent_type = str(encap["content_type"].dotted)
        content = encap["content"]
        if not isinstance(content, core.OctetString | core.ParsableOctetString):
            raise LDSError("EF.CardSecurity has no eContent")
        econtent = bytes(content.contents)
        certificates: list[bytes] = []
        certs = signed_data["certificates"]
        if isinstance(certs, cms.CertificateSet):
            if len(certs) > MAX_CERTIFICATES:
                raise LDSError(f"EF.CardSecurity carries {len(certs)} certificates")
            certificates = [c.chosen.dump() for c in certs if c.name == "certificate"]
        signer_infos = signed_data["signer_infos"]
        if len(signer_infos) != 1:
            raise LDSError(f"EF.CardSecurity has {len(signer_infos)} SignerInfos, expected 1")
        signer = parse_signer_info(signer_infos[0], econtent)
    except LDSError as exc:
        if str(exc).startswith("EF.CardSecurity"):
            raise
        raise LDSError(f"EF.CardSecurity: {exc}") from exc
    except ASN1_ERRORS as exc:
        raise LDSError(f"EF.CardSecurity is malformed: {type(exc).__name__}") from exc
    if econtent_type != SECURITY_OBJECT_OID:
        raise LDSError(f"EF.CardSecurity signs a {econtent_type}, not SecurityInfos")
    try:
        infos = parse_security_infos(econtent)
    except LDSError as exc:
        raise LDSError(f"EF.CardSecurity: {exc}") from exc
    return CardSecurity(
        infos=tuple(infos),
        econtent_type=econtent_type,
        econtent=econtent,
        signed_data_version=signed_data_version,
        certificates=tuple(certificates),
        signer=signer,
    )
