"""Synthetic trust material at an organisation's scale: CSCA master lists of hundreds of CSCAs,
PEM bundles and directories of thousands of certificates.

No real master list may be used offline (and none is committed), so the tests and ``bench/``
generate lists shaped like the German (about 600 CSCAs and link certificates) and Dutch (about
400) ones: CSCAs of many countries with EC P-256 keys (cheap to make), a few link certificates,
and, like the real lists, the Vietnamese CSCA of the test PKI so a sample card verifies through
them. Deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cccd_sim import bends
from cccd_sim import pki as sim_pki

#: Countries cycled through for synthetic CSCAs (ISO 3166-1 alpha-2, all mapped to MRZ codes).
COUNTRIES = (
    "DE", "NL", "FR", "IT", "ES", "PT", "BE", "AT", "CH", "SE", "NO", "FI", "DK", "PL", "CZ",
    "SK", "HU", "RO", "BG", "GR", "IE", "GB", "US", "CA", "AU", "NZ", "JP", "KR", "SG", "MY",
    "TH", "ID", "PH", "IN", "CN", "BR", "AR", "MX", "ZA", "MA",
)


def _utc(year: int) -> datetime:
    return datetime(year, 1, 1, tzinfo=UTC)


def synthetic_csca(index: int, seed: str, country: str | None = None) -> sim_pki.Authority:
    """The ``index``-th synthetic CSCA of ``seed`` (EC P-256, self-signed)."""
    country = country or COUNTRIES[index % len(COUNTRIES)]
    spec = sim_pki.CscaSpec(
        label=f"{seed}-{index}",
        country=country,
        common_name=f"Synthetic CSCA {country} {seed} {index} TEST",
        key=ec.SECP256R1(),
        serial=0x10000 + index,
        not_before=_utc(2020),
        not_after=_utc(2036),
    )
    return sim_pki.make_csca(spec, seed=f"trust-lists/{seed}/{index}")


def link_certificate(old: sim_pki.Authority, seed: str) -> sim_pki.Authority:
    """A CSCA's new key (P-256) under the same name, certified by the old key."""
    new_key = sim_pki.ec_private_key(f"trust-lists/link/{seed}", ec.SECP256R1())
    old_ski = old.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(old.certificate.subject)
        .issuer_name(old.certificate.subject)
        .public_key(new_key.public_key())
        .serial_number(0x20000 + int(hashlib.sha256(seed.encode()).hexdigest()[:6], 16))
        .not_valid_before(_utc(2024))
        .not_valid_after(_utc(2036))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(new_key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(old_ski.value), False
        )
        .sign(old.key, hashes.SHA256(), ecdsa_deterministic=True)
    )
    return sim_pki.Authority(f"link-{seed}", new_key, certificate)


@dataclass(frozen=True)
class SyntheticList:
    """A signed master list and what it holds."""

    data: bytes
    #: The list's own CSCA, which issued its Master List Signer.
    signer_csca: sim_pki.Authority
    #: Every certificate in the list (CSCAs, link certificates, extras), DER.
    certificates: tuple[bytes, ...]


def synthetic_master_list(
    count: int,
    seed: str,
    *,
    country: str = "DE",
    extra: tuple[x509.Certificate, ...] = (),
    links: int = 3,
) -> SyntheticList:
    """A master list of ``count`` certificates signed by a ``country`` Master List Signer:
    its own CSCA, ``links`` link certificates, ``extra`` (e.g. a test PKI's CSCA) and
    synthetic CSCAs of many countries up to ``count``."""
    own = synthetic_csca(0, seed, country)
    cscas = [own.certificate, *extra]
    made = [own]
    index = 1
    while len(cscas) < count - links:
        authority = synthetic_csca(index, seed)
        made.append(authority)
        cscas.append(authority.certificate)
        index += 1
    for n in range(links):
        cscas.append(link_certificate(made[(n * 7) % len(made)], f"{seed}-{n}").certificate)
    signer, key = bends.ml_signer(own, f"{seed} {country}")
    data = bends.master_list(cscas, signer, key)
    return SyntheticList(data, own, tuple(bends.der(c) for c in cscas))


def pem_bundle(certificates: list[bytes], broken: dict[int, bytes] | None = None) -> bytes:
    """A PEM bundle of ``certificates``; ``broken`` puts these bytes in a CERTIFICATE block
    at the given indexes instead (unreadable entries)."""
    import base64

    blocks: list[bytes] = []
    for index, der in enumerate(certificates):
        body = (broken or {}).get(index, der)
        b64 = base64.encodebytes(body).replace(b"\n", b"")
        lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
        blocks.append(b"-----BEGIN CERTIFICATE-----\n" + b"\n".join(lines)
                      + b"\n-----END CERTIFICATE-----\n")
    return b"".join(blocks)


def write_directory(directory: Path, count: int, seed: str) -> list[Path]:
    """``count`` synthetic CSCAs as ``.der`` files in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = directory / f"csca-{index:05d}.der"
        if not path.exists():
            path.write_bytes(
                synthetic_csca(index, seed).certificate.public_bytes(serialization.Encoding.DER)
            )
        paths.append(path)
    return paths


__all__ = [
    "COUNTRIES",
    "NameOID",
    "SyntheticList",
    "bogus_master_list",
    "link_certificate",
    "pem_bundle",
    "synthetic_csca",
    "synthetic_master_list",
    "write_directory",
]


def _tlv(tag: int, value: bytes) -> bytes:
    n = len(value)
    if n < 0x80:
        return bytes([tag, n]) + value
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + value


def bogus_master_list(size: int, certificate: bytes, *, embedded_signer: bool = True) -> bytes:
    """A master list of about ``size`` bytes (``certificate`` repeated) whose messageDigest is
    right but whose signature is bogus: the costliest list to reject."""
    from asn1crypto import cms, core
    from asn1crypto import x509 as asn1_x509

    from cccd_reader.pki.trust import MASTER_LIST_OID

    count = max(1, (size - 4096) // len(certificate))
    econtent = _tlv(0x30, b"\x02\x01\x00" + _tlv(0x31, certificate * count))
    attrs = cms.CMSAttributes([
        {"type": "content_type", "values": [MASTER_LIST_OID]},
        {"type": "message_digest", "values": [hashlib.sha256(econtent).digest()]},
    ])
    signer = asn1_x509.Certificate.load(bends.der(synthetic_csca(0, "bogus", "DE").certificate))
    listed = asn1_x509.Certificate.load(certificate)
    sid = signer if embedded_signer else listed
    signed = cms.SignedData({
        "version": "v3",
        "digest_algorithms": [{"algorithm": "sha256"}],
        "encap_content_info": {"content_type": MASTER_LIST_OID,
                               "content": core.ParsableOctetString(econtent)},
        "certificates": [signer] if embedded_signer else [],
        "signer_infos": [{
            "version": "v1",
            "sid": cms.SignerIdentifier(name="issuer_and_serial_number", value={
                "issuer": sid.issuer, "serial_number": sid.serial_number}),
            "digest_algorithm": {"algorithm": "sha256"},
            "signed_attrs": attrs,
            "signature_algorithm": {"algorithm": "sha256_ecdsa"},
            "signature": b"\x30\x06\x02\x01\x01\x02\x01\x01",
        }],
    })
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump())
