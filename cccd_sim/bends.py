"""Documents that bend the rules as real ones do, and forgeries that try to pass for genuine.

The verdict must hold on both: a real passport that OpenSSL, pymrtd and gmrtd accept must not
be called forged, and no crafted document may reach ``genuine``. Each builder here makes one
such document (or the trust material around it) from the synthetic test PKI, so the verdict
tests can show the defect and the verdict it must get. Builder-only code: the library never
imports this module.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from asn1crypto import cms, core
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from cccd_reader.iso7816 import tlv
from cccd_reader.lds.dg1 import mrz_text
from cccd_reader.mrz import check_digit
from cccd_reader.pki.trust import MASTER_LIST_OID
from cccd_sim import pki as sim_pki
from cccd_sim.issuer import encode_dg1
from cccd_sim.sod_builder import SignatureScheme, build_sod, hash_data_groups

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
#: When the synthetic samples were signed (the default signingTime of a re-signed SOD).
class _CertificateSet(core.SetOf):  # type: ignore[misc]
    _child_spec = asn1_x509.Certificate


class CscaMasterList(core.Sequence):  # type: ignore[misc]
    """ICAO 9303 Part 12 §9: ``CscaMasterList ::= SEQUENCE { version, certList SET OF Cert }``
    (what a master list's eContent holds; the reader indexes it without this schema, see
    :mod:`cccd_reader.pki.trust.index`)."""

    _fields = [("version", core.Integer), ("cert_list", _CertificateSet)]  # noqa: RUF012


SIGNED = datetime(2023, 4, 15, tzinfo=UTC)


def utc(year: int, month: int = 1, day: int = 1) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def _scheme_for(key: PrivateKey) -> SignatureScheme:
    if isinstance(key, rsa.RSAPrivateKey):
        return "rsa-pkcs1-sha256"
    return "ecdsa-sha384" if key.curve.key_size > 256 else "ecdsa-sha256"


def resign(
    files: Mapping[str, bytes],
    dsc: sim_pki.Authority,
    *,
    signing_time: datetime | None = SIGNED,
    dg_hashes: Mapping[int, bytes] | None = None,
    **build: Any,
) -> dict[str, bytes]:
    """``files`` with a new EF.SOD over their data groups, signed by ``dsc``; ``build`` goes
    to :func:`~cccd_reader.lds.sod.build_sod` (``econtent_type``, ``sid_issuer``...)."""
    out = dict(files)
    out["EF.SOD"] = build_sod(
        dict(dg_hashes) if dg_hashes is not None else hash_data_groups(out),
        private_key=dsc.key,
        certificate=dsc.certificate,
        signature=build.pop("signature", _scheme_for(dsc.key)),
        signing_time=signing_time,
        **build,
    )
    return out


# --- certificates ----------------------------------------------------------------------------


def foreign_state(country: str, name: str) -> tuple[sim_pki.Authority, sim_pki.Authority]:
    """A CSCA of another state and a DSC it issued (P-256), e.g. Brazil's."""
    csca = sim_pki.make_csca(
        sim_pki.CscaSpec(f"csca-{country.lower()}", country, f"Synthetic CSCA {name} TEST",
                         ec.SECP256R1(), 0x4300 + ord(country[0]), utc(2020), utc(2035))
    )
    dsc = sim_pki.make_dsc(
        sim_pki.DscSpec(f"dsc-{country.lower()}", csca.label,
                        f"Synthetic Document Signer {name} TEST", ec.SECP256R1(),
                        0x4400 + ord(country[0]), utc(2021), utc(2031)),
        csca,
    )
    return csca, dsc


def dsc_that_is_a_ca(csca: sim_pki.Authority) -> sim_pki.Authority:
    """A Document Signer certificate with basicConstraints cA TRUE (ICAO 9303-12 forbids)."""
    return sim_pki.make_dsc(
        sim_pki.DscSpec("dsc-vn-ca", csca.label, "Synthetic DSC that is a CA TEST",
                        ec.BrainpoolP256R1(), 0x5644_CA01, utc(2021), utc(2031), ca=True),
        csca,
    )


def same_name_link(
    old: sim_pki.Authority, *, signed_by: PrivateKey, seed: str, serial: int = 0x5643_0099
) -> sim_pki.Authority:
    """A link certificate as most states make them: the CSCA's new key under the *same*
    subject name, issued by the old CSCA (``signed_by=old.key``). Signed by any other key it
    is a forgery that only copies the name."""
    new_key = sim_pki.ec_private_key(seed, ec.BrainpoolP384R1())
    old_ski = old.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(old.certificate.subject)
        .issuer_name(old.certificate.subject)
        .public_key(new_key.public_key())
        .serial_number(serial)
        .not_valid_before(utc(2024))
        .not_valid_after(utc(2035))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(new_key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(old_ski.value), False
        )
        .sign(signed_by, hashes.SHA384(), ecdsa_deterministic=True)
    )
    return sim_pki.Authority(f"link-{seed}", new_key, certificate)


def dsc_under(issuer: sim_pki.Authority, serial: int, label: str) -> sim_pki.Authority:
    return sim_pki.make_dsc(
        sim_pki.DscSpec(label, issuer.label, f"Synthetic DSC {label} TEST", ec.BrainpoolP256R1(),
                        serial, utc(2024), utc(2034), document_types=("ID",)),
        issuer,
    )


def reversed_issuer(certificate: x509.Certificate) -> Any:
    """The certificate's issuer Name with its RDNs in reverse order (asn1crypto Name)."""
    name = asn1_x509.Certificate.load(der(certificate)).issuer
    return asn1_x509.Name(name="", value=asn1_x509.RDNSequence(list(reversed(list(name.chosen)))))


def ml_signer(issuer: sim_pki.Authority, seed: str) -> tuple[x509.Certificate, PrivateKey]:
    """A Master List Signer certificate issued by ``issuer``."""
    key = sim_pki.ec_private_key(seed, ec.SECP256R1())
    subject = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.COMMON_NAME, f"Master List Signer {seed} TEST"),
    ])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject)
        .public_key(key.public_key())
        .serial_number(0x4D4C_0001)
        .not_valid_before(utc(2024))
        .not_valid_after(utc(2034))
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), True
        )
        .sign(issuer.key, hashes.SHA384(), ecdsa_deterministic=True)
    )
    return certificate, key


def master_list(
    certificates: Sequence[x509.Certificate], signer: x509.Certificate, signer_key: PrivateKey
) -> bytes:
    """A CSCA master list (ICAO 9303-12 §9) of ``certificates``, signed by ``signer``."""
    econtent = CscaMasterList(
        {"version": 0, "cert_list": [asn1_x509.Certificate.load(der(c)) for c in certificates]}
    ).dump()
    return signed_master_list(econtent, signer, signer_key)


def master_list_of_der(
    entries: Sequence[bytes], signer: x509.Certificate, signer_key: PrivateKey
) -> bytes:
    """A master list whose certList holds ``entries`` byte for byte, as untidy real lists do:
    damaged certificates, junk, anything a parser must survive. Properly signed."""

    def tlv(tag: int, value: bytes) -> bytes:
        size = len(value)
        if size < 0x80:
            return bytes([tag, size]) + value
        length = size.to_bytes((size.bit_length() + 7) // 8, "big")
        return bytes([tag, 0x80 | len(length)]) + length + value

    econtent = tlv(0x30, b"\x02\x01\x00" + tlv(0x31, b"".join(entries)))
    return signed_master_list(econtent, signer, signer_key)


def signed_master_list(
    econtent: bytes, signer: x509.Certificate, signer_key: PrivateKey
) -> bytes:
    """The CMS SignedData around a CscaMasterList's DER ``econtent``."""
    attrs = cms.CMSAttributes(
        [
            {"type": "content_type", "values": [MASTER_LIST_OID]},
            {"type": "message_digest", "values": [hashlib.sha256(econtent).digest()]},
        ]
    )
    if isinstance(signer_key, rsa.RSAPrivateKey):
        signature = signer_key.sign(attrs.dump(force=True), padding.PKCS1v15(), hashes.SHA256())
        algorithm = "sha256_rsa"
    else:
        signature = signer_key.sign(attrs.dump(force=True), ec.ECDSA(hashes.SHA256()))
        algorithm = "sha256_ecdsa"
    signer_asn1 = asn1_x509.Certificate.load(der(signer))
    signed_data = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {
                "content_type": MASTER_LIST_OID,
                "content": core.ParsableOctetString(econtent),
            },
            "certificates": [signer_asn1],
            "signer_infos": [
                {
                    "version": "v1",
                    "sid": cms.SignerIdentifier(
                        name="issuer_and_serial_number",
                        value={"issuer": signer_asn1.issuer,
                               "serial_number": signer_asn1.serial_number},
                    ),
                    "digest_algorithm": {"algorithm": "sha256"},
                    "signed_attrs": attrs,
                    "signature_algorithm": {"algorithm": algorithm},
                    "signature": signature,
                }
            ],
        }
    )
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump())


def crl(
    issuer: sim_pki.Authority,
    *,
    this_update: datetime,
    next_update: datetime | None,
    revoked: Sequence[int] = (),
    delta: bool = False,
) -> bytes:
    """A CRL signed by ``issuer``, built field by field so it can break the profile: no
    nextUpdate, or a (critical) delta CRL indicator."""
    extensions: list[dict[str, Any]] = [{"extn_id": "crl_number", "critical": False,
                                         "extn_value": 7}]
    if delta:
        extensions.append({"extn_id": "delta_crl_indicator", "critical": True, "extn_value": 6})
    key = issuer.key
    if isinstance(key, rsa.RSAPrivateKey):
        algorithm = "sha256_rsa"
    else:
        algorithm = "sha384_ecdsa"
    tbs: dict[str, Any] = {
        "version": "v2",
        "signature": {"algorithm": algorithm},
        "issuer": asn1_x509.Certificate.load(der(issuer.certificate)).subject,
        "this_update": asn1_x509.Time(name="utc_time", value=this_update),
        "revoked_certificates": [
            {"user_certificate": serial,
             "revocation_date": asn1_x509.Time(name="utc_time", value=this_update)}
            for serial in revoked
        ],
        "crl_extensions": extensions,
    }
    if next_update is not None:
        tbs["next_update"] = asn1_x509.Time(name="utc_time", value=next_update)
    tbs_list = asn1_crl.TbsCertList(tbs)
    data = tbs_list.dump()
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    else:
        signature = key.sign(data, ec.ECDSA(hashes.SHA384(), deterministic_signing=True))
    return bytes(
        asn1_crl.CertificateList(
            {"tbs_cert_list": tbs_list, "signature_algorithm": {"algorithm": algorithm},
             "signature": signature}
        ).dump()
    )


# --- data groups -----------------------------------------------------------------------------


def with_mrz(files: Mapping[str, bytes], mrz: str) -> dict[str, bytes]:
    out = dict(files)
    out["DG1"] = encode_dg1(mrz)
    return out


def mrz_of(files: Mapping[str, bytes]) -> str:
    return mrz_text(files["DG1"])


def td1_with_state(mrz: str, issuing_state: str, nationality: str | None = None) -> str:
    """A TD1 MRZ (30 characters a line) with another issuing state (and nationality),
    check digits recomputed so only the state differs."""
    chars = "".join(mrz.split())
    if len(chars) != 90:
        raise ValueError("a TD1 MRZ has 90 characters")
    line1, line2, line3 = chars[:30], chars[30:60], chars[60:]
    line1 = line1[:2] + issuing_state.ljust(3, "<") + line1[5:]
    if nationality is not None:
        line2 = line2[:15] + nationality.ljust(3, "<") + line2[18:]
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    line2 = line2[:29] + check_digit(composite)
    return line1 + line2 + line3


def break_check_digit(mrz: str) -> str:
    """The MRZ with its date-of-birth check digit changed (TD1 or TD3)."""
    chars = "".join(mrz.split())
    index = 36 if len(chars) == 90 else 44 + 19
    wrong = str((int(chars[index]) + 1) % 10)
    return chars[:index] + wrong + chars[index + 1 :]


def junk_dg1() -> bytes:
    """A DG1 that is well-formed TLV but holds no parsable MRZ."""
    return tlv.encode(0x61, tlv.encode(0x5F1F, b"NOT AN MRZ AT ALL"))
