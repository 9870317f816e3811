"""Trust anchors for passive authentication, and DSC -> CSCA path validation.

A TrustStore holds what an organisation decided to trust:

* CSCA certificates (self-issued CA certificates), from files, directories or ICAO/CSCA master
  lists; link certificates (a CSCA's new key certified by its old one) are kept apart and are
  trusted only once their own signature verifies with a CSCA of the store;
* CRLs, used only after their signature verified with the CSCA that issued them;
* pinned Document Signer certificates. Vietnam's CSCA certificate is not public, so an
  organisation that verified a DSC out of band can pin it: a pinned DSC is then a trust anchor
  of its own (the chain check passes on exact certificate equality; no CSCA, CSCA validity or
  CRL applies to it). Any non-CA certificate found in a trust file or directory is pinned.

Path validation follows ICAO 9303 Part 12 (§5, §7): one CSCA per country, no intermediate CAs
except link certificates, the DSC validated at the time the document was signed (the chain
model), not today. Unknown critical extensions make a certificate unusable, as RFC 5280 says.
A link certificate is checked against its CSCA's CRLs like a DSC: revoking the new key must
cut every path through it. The DSC's country must be the document's issuing state: with many
countries' CSCAs trusted, a DSC key stolen from one state must not pass for another's.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, Literal

import platformdirs
from asn1crypto import cms
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509

from cccd_reader.checks import Status
from cccd_reader.errors import ASN1_ERRORS, CccdError
from cccd_reader.pki import trust_cache
from cccd_reader.pki.countries import mrz_codes_for
from cccd_reader.pki.countries import mrz_state_code as mrz_state_code  # re-export
from cccd_reader.pki.signatures import SignatureError, verify_signature
from cccd_reader.pki.trust_index import (
    CertKeys,
    IndexKeyError,
    cert_keys,
    cert_serial,
    master_list_slices,
    name_countries,
    normal_country,
    read_tlv,
    slice_sequence_items,
)

#: The trust directory of earlier releases, still read when it exists (expanded at load time).
DEFAULT_TRUST_DIR = Path("~/.config/cccd-reader/trust")
#: A master list or PEM bundle holds at most this many certificates (the German list, the
#: largest, about 600; the whole ICAO PKD a few thousand).
MAX_CERTS_PER_FILE = 20_000
#: A trust directory holds at most this many entries.
MAX_DIRECTORY_FILES = 20_000
#: id-icao-cscaMasterList (ICAO 9303 Part 12 §9): eContentType of a CSCA master list.
MASTER_LIST_OID = "2.23.136.1.1.2"
#: Master lists of all ICAO PKD members stay below a few MiB.
MAX_TRUST_FILE_BYTES = 16 * 1024 * 1024
#: Critical extensions whose meaning this module enforces; any other critical one is rejected.
UNDERSTOOD_CRITICAL = frozenset(
    {
        "basic_constraints",
        "key_usage",
        "key_identifier",
        "authority_key_identifier",
        "private_key_usage_period",
    }
)
#: Critical CRL extensions understood (RFC 5280 §5.2: conforming CRLs mark none of these
#: critical, but a critical one we know is harmless).
UNDERSTOOD_CRITICAL_CRL = frozenset({"authority_key_identifier", "crl_number"})
CERT_EXTENSIONS = (".der", ".cer", ".crt", ".cert")
#: id-icao-mrtd-security-cscaMasterListSigningKey (ICAO 9303 Part 12 §9): the extended key usage
#: a Master List Signer certificate may carry.
ML_SIGNING_EKU_OID = "2.23.136.1.1.3"


class TrustError(CccdError):
    """A trust file (certificate, CRL, master list) cannot be used."""

    code: ClassVar[str] = "trust"


class MasterListError(TrustError):
    """A master list is malformed or its signature does not verify: nothing of it is loaded."""

    code: ClassVar[str] = "trust.master_list"


def trust_dir() -> Path:
    """The per-user trust directory of this OS (platformdirs: ``~/.local/share/cccd-reader/
    trust`` on Linux, ``%LOCALAPPDATA%\\cccd-reader\\trust`` on Windows, ``~/Library/
    Application Support/cccd-reader/trust`` on macOS); ``CCCD_TRUST_DIR`` overrides it."""
    override = os.environ.get("CCCD_TRUST_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir("cccd-reader", appauthor=False)) / "trust"


def default_trust_dirs() -> list[Path]:
    """Where anchors are read from when no ``--trust`` is given: :func:`trust_dir` and, when
    it exists, the directory of earlier releases (``~/.config/cccd-reader/trust``)."""
    dirs = [trust_dir()]
    legacy = DEFAULT_TRUST_DIR.expanduser()
    if "CCCD_TRUST_DIR" not in os.environ and legacy not in dirs:
        dirs.append(legacy)
    return dirs


# --- certificates ------------------------------------------------------------------------------


#: A counter verifies many cards from the same few Document Signers, and parsing a DSC, comparing
#: names (LDAP string preparation) and checking the CSCA's signature on a DSC or CRL cost more
#: than the rest of passive authentication. Those results depend only on the DER bytes
#: involved, which are the whole key, so a changed byte anywhere is a new entry. Failures (an
#: exception) are not kept. Bounded: cleared when full.
_MEMO_LIMIT = 4096
_memo: dict[tuple[Any, ...], Any] = {}


def _memoized(key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    try:
        return _memo[key]
    except KeyError:
        pass
    value = compute()
    if len(_memo) >= _MEMO_LIMIT:
        _memo.clear()
    _memo[key] = value
    return value


def same_name(a: Any, b: Any) -> bool:
    """X.509 name equality (RFC 5280 comparison rules, as asn1crypto applies them), memoized."""
    return bool(_memoized(("name", a.dump(), b.dump()), lambda: a == b))


def same_name_as_rdn_set(a: Any, b: Any) -> bool:
    """The two names hold the same RDNs, in any order (RFC 5280 comparison of each RDN).

    Names are ordered, so this is looser than :func:`same_name`; it serves only to find the
    certificate a SignerInfo means when an issuer lists the issuer's RDNs in another order
    (seen on real passports). Every RDN must match exactly once.
    """

    def rdns(name: Any) -> list[Any]:
        return sorted((rdn.hashable for rdn in name.chosen), key=repr)

    try:
        return bool(_memoized(("rdn_set", a.dump(), b.dump()), lambda: rdns(a) == rdns(b)))
    except ASN1_ERRORS:
        return False


@dataclass(frozen=True)
class Cert:
    """An X.509 certificate parsed with asn1crypto (which, unlike ``cryptography``, accepts the
    explicit EC parameters and lax encodings found in real ICAO certificates)."""

    der: bytes
    asn1: Any = field(repr=False, compare=False)
    source: str = field(default="", compare=False)

    @classmethod
    def load(cls, der: bytes, source: str = "") -> Cert:
        cert: Cert = _memoized(("cert", bytes(der)), lambda: cls._parse(der, source))
        return cert if cert.source == source else replace(cert, source=source)

    @classmethod
    def _parse(cls, der: bytes, source: str) -> Cert:
        try:
            cert = asn1_x509.Certificate.load(der, strict=True)
            cert.native  # noqa: B018 - parse everything now, where errors are caught
            cert.critical_extensions  # noqa: B018
            # name comparisons run LDAP string preparation, which raises on junk: run it here
            cert.subject.hashable  # noqa: B018
            cert.issuer.hashable  # noqa: B018
        except ASN1_ERRORS as exc:
            reason = (str(exc) or type(exc).__name__).splitlines()[0][:160]
            raise TrustError(
                f"{source or 'certificate'}: not a valid X.509 certificate ({reason})"
            ) from exc
        return cls(bytes(der), cert, source)

    @property
    def subject(self) -> Any:
        return self.asn1.subject

    @property
    def issuer(self) -> Any:
        return self.asn1.issuer

    @property
    def serial(self) -> int:
        return int(self.asn1.serial_number)

    @property
    def country(self) -> str | None:
        value = self.subject.native.get("country_name")
        return str(value).upper() if value else None

    @property
    def issuer_country(self) -> str | None:
        value = self.issuer.native.get("country_name")
        return str(value).upper() if value else None

    @property
    def ski(self) -> bytes | None:
        value = self.asn1.key_identifier
        return bytes(value) if value else None

    @property
    def aki(self) -> bytes | None:
        value = self.asn1.authority_key_identifier
        return bytes(value) if value else None

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.der).hexdigest()

    @property
    def not_before(self) -> datetime:
        value: datetime = self.asn1.not_valid_before
        return value

    @property
    def not_after(self) -> datetime:
        value: datetime = self.asn1.not_valid_after
        return value

    @property
    def is_ca(self) -> bool:
        constraints = self.asn1.basic_constraints_value
        return bool(constraints is not None and constraints["ca"].native)

    @property
    def key_usage(self) -> frozenset[str] | None:
        usage = self.asn1.key_usage_value
        return None if usage is None else frozenset(usage.native)

    @property
    def self_issued(self) -> bool:
        return bool(self.asn1.self_issued)

    @property
    def unknown_critical_extensions(self) -> list[str]:
        return sorted(set(self.asn1.critical_extensions) - UNDERSTOOD_CRITICAL)

    @property
    def self_signed(self) -> bool:
        """Self-issued *and* its signature verifies with its own key: only such a certificate
        can be a root (a CSCA). A link certificate has the same subject and issuer name as its
        CSCA but is signed by the old key, so it is self-issued without being self-signed."""
        return bool(_memoized(("self_signed", self.der), self._self_signed))

    def _self_signed(self) -> bool:
        if not self.self_issued:
            return False
        try:
            verify_signature(
                self.spki_der,
                self.asn1["signature_algorithm"].dump(),
                self.asn1["tbs_certificate"].dump(),
                bytes(self.asn1["signature_value"].native),
            )
        except SignatureError:
            return False
        return True

    @property
    def extended_key_usage(self) -> frozenset[str] | None:
        """Dotted OIDs of the extendedKeyUsage extension, None when the extension is absent."""
        value = self.asn1.extended_key_usage_value
        return None if value is None else frozenset(purpose.dotted for purpose in value)

    @property
    def private_key_usage_period(self) -> tuple[datetime | None, datetime | None] | None:
        value = self.asn1.private_key_usage_period_value
        if value is None:
            return None
        native = value.native
        return native.get("not_before"), native.get("not_after")

    @property
    def spki_der(self) -> bytes:
        return bytes(self.asn1["tbs_certificate"]["subject_public_key_info"].dump())

    def describe(self) -> str:
        """Subject, serial and SHA-256 fingerprint: enough to find the certificate elsewhere."""
        return (
            f"subject '{self.subject.human_friendly}', serial {self.serial:X}, "
            f"SHA-256 {self.fingerprint}"
        )


def check_issued_by(
    child: Cert,
    issuer: Cert,
    *,
    role: str = "CSCA",
    child_understands: frozenset[str] = frozenset(),
) -> list[str]:
    """Every reason why ``issuer`` did not issue ``child``; empty when it did.

    The checks: names and key identifiers match, the issuer is a CA allowed to sign
    certificates, neither has critical extensions we do not understand, and the signature
    verifies. Validity periods are the caller's business (they depend on the reference time).
    ``child_understands`` names critical extensions of ``child`` that the caller enforces itself
    (the master list signer's extendedKeyUsage).
    """
    key = ("issued_by", child.der, issuer.der, role, child_understands)
    return list(_memoized(key, lambda: tuple(_issued_by(child, issuer, role, child_understands))))


def _issued_by(
    child: Cert, issuer: Cert, role: str, child_understands: frozenset[str]
) -> list[str]:
    problems: list[str] = []
    if child.issuer != issuer.subject:
        problems.append(f"issuer name differs from the {role} subject")
    if child.aki is not None and issuer.ski is not None and child.aki != issuer.ski:
        problems.append(f"authorityKeyIdentifier does not match the {role} subjectKeyIdentifier")
    if not issuer.is_ca:
        problems.append(f"{role} is not a CA (basicConstraints)")
    usage = issuer.key_usage
    if usage is not None and "key_cert_sign" not in usage:
        problems.append(f"{role} keyUsage lacks keyCertSign")
    if usage is None:
        problems.append(f"{role} has no keyUsage extension (ICAO requires keyCertSign)")
    for cert, what, understood in (
        (issuer, role, frozenset[str]()),
        (child, "certificate", child_understands),
    ):
        unknown = [name for name in cert.unknown_critical_extensions if name not in understood]
        if unknown:
            problems.append(f"{what} has unknown critical extension(s) {', '.join(unknown)}")
    if problems:
        return problems
    try:
        tbs = child.asn1["tbs_certificate"].dump()
        verify_signature(
            issuer.spki_der,
            child.asn1["signature_algorithm"].dump(),
            tbs,
            bytes(child.asn1["signature_value"].native),
        )
    except SignatureError as exc:
        problems.append(f"certificate signature: {exc}")
    return problems


def valid_at(cert: Cert, when: datetime) -> bool:
    return cert.not_before <= when <= cert.not_after


def country_binding(dsc: Cert, issuing_state: str) -> tuple[Status, str, str]:
    """Does the DSC belong to the state that, per DG1, issued the document?

    Returns (status, reason code, detail). Always a comparison: a DSC that names no country,
    or a country whose MRZ codes are unknown, fails; with many states' CSCAs trusted, a DSC
    key of one state must never pass for another's documents.
    """
    country = dsc.country or dsc.issuer_country
    state = issuing_state.strip("<").upper()
    if country is None:
        return "fail", "dsc_no_country", (
            f"DSC names no country: the MRZ issuing state {state} cannot be bound to it"
        )
    codes = mrz_codes_for(country)
    if not codes:
        return "fail", "unmapped_country", (
            f"DSC country {country} has no ICAO 9303 MRZ code: it cannot sign for {state}"
        )
    if state not in codes:
        return "fail", "state_mismatch", (
            f"DSC country {country} ({'/'.join(sorted(codes))}) is not the MRZ issuing state "
            f"{state}: the document claims another state than the one that signed it"
        )
    return "pass", "match", f"DSC country {country} matches the MRZ issuing state {state}"


def compare_issuing_state(dsc: Cert, issuing_state: str) -> tuple[Status, str]:
    """:func:`country_binding` without the reason code."""
    status, _, detail = country_binding(dsc, issuing_state)
    return status, detail


# --- CRLs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Crl:
    der: bytes
    asn1: Any = field(repr=False, compare=False)
    source: str = field(default="", compare=False)

    @classmethod
    def load(cls, der: bytes, source: str = "") -> Crl:
        try:
            crl = asn1_crl.CertificateList.load(der, strict=True)
            crl.native  # noqa: B018
            crl.issuer.hashable  # noqa: B018 - as in Cert.load
        except ASN1_ERRORS as exc:
            raise TrustError(f"{source or 'CRL'}: not a valid CRL") from exc
        return cls(bytes(der), crl, source)

    @property
    def issuer(self) -> Any:
        return self.asn1.issuer

    @property
    def this_update(self) -> datetime:
        value: datetime = self.asn1["tbs_cert_list"]["this_update"].native
        return value

    @property
    def next_update(self) -> datetime | None:
        value: datetime | None = self.asn1["tbs_cert_list"]["next_update"].native
        return value

    @property
    def unknown_critical_extensions(self) -> list[str]:
        """Critical CRL extensions we do not enforce (a delta CRL indicator, an issuing
        distribution point...): such a CRL is not a complete list, RFC 5280 §5.2."""
        return sorted(set(self.asn1.critical_extensions) - UNDERSTOOD_CRITICAL_CRL)

    def not_current(self, now: datetime) -> str | None:
        """Why this CRL does not prove non-revocation at ``now`` (None: it does)."""
        if self.unknown_critical_extensions:
            return (
                f"unknown critical extension(s) {', '.join(self.unknown_critical_extensions)} "
                "(not a complete CRL)"
            )
        if self.this_update > now:
            return f"thisUpdate {self.this_update:%Y-%m-%d} is in the future"
        if self.next_update is None:
            return "no nextUpdate (ICAO 9303-12 requires it)"
        if self.next_update < now:
            return (
                f"expired on {self.next_update:%Y-%m-%d} "
                f"(thisUpdate {self.this_update:%Y-%m-%d})"
            )
        return None

    def revocation_of(self, serial: int) -> datetime | None:
        """Revocation date of ``serial`` if this CRL lists it."""
        for entry in self.asn1["tbs_cert_list"]["revoked_certificates"]:
            if int(entry["user_certificate"].native) == serial:
                when: datetime = entry["revocation_date"].native
                return when
        return None

    def verified_by(self, issuer: Cert) -> str | None:
        """None when ``issuer`` signed this CRL, else the reason it did not."""
        reason: str | None = _memoized(
            ("crl_by", self.der, issuer.der), lambda: self._verified_by(issuer)
        )
        return reason

    def _verified_by(self, issuer: Cert) -> str | None:
        if self.issuer != issuer.subject:
            return "CRL issuer differs from the CSCA subject"
        usage = issuer.key_usage
        if usage is not None and "crl_sign" not in usage:
            return "CSCA keyUsage lacks cRLSign"
        try:
            verify_signature(
                issuer.spki_der,
                self.asn1["signature_algorithm"].dump(),
                self.asn1["tbs_cert_list"].dump(),
                bytes(self.asn1["signature"].native),
            )
        except SignatureError as exc:
            return f"CRL signature: {exc}"
        return None


# --- master lists ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MasterListReport:
    source: str
    #: CSCA and link certificates taken from the list.
    certificates: int
    #: The Master List Signer certificate, described.
    signer: str
    #: "pass": the signer chains to a CSCA in the list or the store; "fail": it does not.
    signer_chain: Status
    detail: str
    #: "pass": the signer certificate was valid when the list was loaded; "fail": it was not.
    signer_validity: Status = "skipped"
    #: "pass": its extendedKeyUsage names cscaMasterListSigningKey; "fail": it names other
    #: purposes only; "skipped": the certificate has no extendedKeyUsage (ICAO allows that).
    signer_usage: Status = "skipped"
    #: Certificates the list holds (``certificates`` counts those trusted: 0 unless chained).
    listed: int = 0

    @property
    def ok(self) -> bool:
        """No check about the signer failed."""
        return "fail" not in (self.signer_chain, self.signer_validity, self.signer_usage)

    @property
    def trusted(self) -> bool:
        """The list's CSCAs were added: its signer chains to a CSCA."""
        return self.signer_chain == "pass"


def _signer_matches(sid: Any, cert: Cert) -> bool:
    if sid.name == "issuer_and_serial_number":
        return bool(
            sid.chosen["issuer"] == cert.issuer
            and int(sid.chosen["serial_number"].native) == cert.serial
        )
    return cert.ski is not None and bytes(sid.chosen.native) == cert.ski


#: DER of id-signedData (1.2.840.113549.1.7.2) and id-icao-cscaMasterList (2.23.136.1.1.2).
_SIGNED_DATA_OID = bytes.fromhex("06092a864886f70d010702")
_MASTER_LIST_OID_DER = bytes.fromhex("0606678108010102")


def _envelope(data: bytes, source: str) -> tuple[memoryview, list[bytes], bytes]:
    """(eContent as a view of ``data``, SignedData certificates (DER), SignerInfos (DER)).

    Walked by TLV headers without copying: a 16 MiB list must not cost six copies of itself
    (as a generic parser's nested slices do) before its signature is even looked at."""
    view = memoryview(data)
    end = len(data)
    try:
        tag, start, stop, after = read_tlv(view, 0, end)
        if tag != 0x30 or after != end:
            raise MasterListError(f"{source}: not a CMS ContentInfo")
        _, _, _, pos = read_tlv(view, start, stop)
        if bytes(view[start:pos]) != _SIGNED_DATA_OID:
            raise MasterListError(f"{source}: not a CMS SignedData")
        tag, c_start, c_end, _ = read_tlv(view, pos, stop)
        if tag != 0xA0:
            raise MasterListError(f"{source}: not a CMS SignedData")
        tag, s_start, s_end, _ = read_tlv(view, c_start, c_end)
        if tag != 0x30:
            raise MasterListError(f"{source}: not a CMS SignedData")
        fields = slice_sequence_items(view, s_start, s_end)
        if len(fields) < 4:
            raise MasterListError(f"{source}: SignedData lacks fields")
        (e_pos, e_len) = fields[2]
        tag, e_start, e_end, _ = read_tlv(view, e_pos, e_pos + e_len)
        if tag != 0x30:
            raise MasterListError(f"{source}: encapContentInfo is not a SEQUENCE")
        tag, _, _, pos = read_tlv(view, e_start, e_end)
        oid = bytes(view[e_start:pos])
        if oid != _MASTER_LIST_OID_DER:
            from asn1crypto import core as _core

            dotted = _core.ObjectIdentifier.load(oid).dotted if tag == 0x06 else "?"
            raise MasterListError(f"{source}: signs a {dotted}, not a CSCA master list")
        tag, x_start, x_end, _ = read_tlv(view, pos, e_end)
        if tag != 0xA0:
            raise MasterListError(f"{source}: the master list content is missing")
        tag, content_start, content_end, _ = read_tlv(view, x_start, x_end)
        if tag != 0x04:
            raise MasterListError(f"{source}: eContent is not a (DER) OCTET STRING")
        certificates: list[bytes] = []
        signer_infos: bytes | None = None
        for pos, length in fields[3:]:
            tag = view[pos]
            if tag == 0xA0:
                _, i_start, i_end, _ = read_tlv(view, pos, pos + length)
                certificates = [bytes(view[p:p + n])
                                for p, n in slice_sequence_items(view, i_start, i_end)
                                if view[p] == 0x30][:64]
            elif tag == 0x31:
                signer_infos = bytes(view[pos:pos + length])
        if signer_infos is None:
            raise MasterListError(f"{source}: no SignerInfos")
    except IndexKeyError as exc:
        raise MasterListError(f"{source}: malformed master list ({exc})") from exc
    return view[content_start:content_end], certificates, signer_infos


def _parse_master_list(data: bytes, source: str) -> tuple[memoryview, list[tuple[int, int]], Cert]:
    """(eContent, (offset, length) of each listed certificate, signer certificate), once the
    signature verified.

    Order matters on hostile input (a 16 MiB list with a bogus signature must cost
    milliseconds and no copies of itself): the envelope is walked by headers; the signed
    attributes and the messageDigest are checked first (one hash); the signer is looked for
    among the SignedData certificates and, only if absent there, among the listed ones by
    their serial number or key identifier, parsing in full only the one that matches; the
    list's certificates are not parsed at all here.
    """
    econtent, embedded_der, signer_infos_der = _envelope(data, source)
    signer_infos = cms.SignerInfos.load(signer_infos_der, strict=True)
    if len(signer_infos) != 1:
        raise MasterListError(f"{source}: {len(signer_infos)} SignerInfos, expected 1")
    signer_info = signer_infos[0]
    attrs = signer_info["signed_attrs"]
    digest_name = signer_info["digest_algorithm"]["algorithm"].native
    if not isinstance(attrs, cms.CMSAttributes) or len(attrs) == 0:
        raise MasterListError(f"{source}: no signed attributes")
    found = {attr["type"].native: attr["values"] for attr in attrs}
    content_type = found.get("content_type")
    if content_type is None or content_type[0].dotted != MASTER_LIST_OID:
        raise MasterListError(f"{source}: contentType attribute is not the master list OID")
    digest = found.get("message_digest")
    if digest_name not in ("sha1", "sha224", "sha256", "sha384", "sha512"):
        raise MasterListError(f"{source}: unsupported digest algorithm {digest_name}")
    expected = hashlib.new(digest_name, econtent).digest()
    if digest is None or not hmac.compare_digest(bytes(digest[0].native), expected):
        raise MasterListError(f"{source}: messageDigest does not match the list content")
    embedded = [Cert.load(der, f"{source} signer") for der in embedded_der]
    sid = signer_info["sid"]
    signers = [c for c in embedded if _signer_matches(sid, c)]
    slices: list[tuple[int, int]] | None = None
    if not signers:  # the signer may sit in the list itself: find it by its DER headers
        slices = _slices(econtent, source)
        signers = _signer_in_list(econtent, slices, sid, source)
    if not signers:
        raise MasterListError(f"{source}: the master list signer certificate is missing")
    signer = signers[0]
    try:
        verify_signature(
            signer.spki_der,
            signer_info["signature_algorithm"].dump(),
            b"\x31" + attrs.dump()[1:],
            bytes(signer_info["signature"].native),
            digest_algorithm=digest_name,
        )
    except SignatureError as exc:
        raise MasterListError(f"{source}: master list signature rejected: {exc}") from exc
    # only now, with the signature verified, is the content worth slicing
    if slices is None:
        slices = _slices(econtent, source)
    return econtent, slices, signer


def _slices(econtent: memoryview, source: str) -> list[tuple[int, int]]:
    try:
        slices = master_list_slices(econtent)
    except IndexKeyError as exc:
        raise MasterListError(f"{source}: malformed certificate list ({exc})") from exc
    if len(slices) > MAX_CERTS_PER_FILE:
        raise MasterListError(
            f"{source}: {len(slices)} certificates, more than the {MAX_CERTS_PER_FILE} allowed"
        )
    return slices


def _signer_in_list(
    econtent: memoryview, slices: list[tuple[int, int]], sid: Any, source: str
) -> list[Cert]:
    if sid.name == "issuer_and_serial_number":
        serial: int | None = int(sid.chosen["serial_number"].native)
        ski: bytes | None = None
    else:
        serial, ski = None, bytes(sid.chosen.native)
    for index, (offset, length) in enumerate(slices):
        der = bytes(econtent[offset:offset + length])
        try:
            if serial is not None:
                found = cert_serial(der) == serial
            else:
                found = cert_keys(der).ski == ski
        except IndexKeyError:
            continue
        if found:
            try:
                cert = Cert.load(der, f"{source}#{index}")
            except TrustError:
                continue
            if _signer_matches(sid, cert):
                return [cert]
    return []


# --- the store ---------------------------------------------------------------------------------


@dataclass
class ChainResult:
    """Outcome of validating a DSC against the store."""

    status: Status
    detail: str
    #: "csca": chained to a CSCA (possibly through a link certificate); "pinned"; None.
    mode: Literal["csca", "pinned"] | None = None
    #: The CSCA (or link certificate) that issued the DSC, when mode == "csca".
    issuer: Cert | None = None
    #: The self-issued CSCA at the root of the path (== issuer unless a link cert was used).
    anchor: Cert | None = None


@dataclass
class _Entry:
    """A certificate of the store, indexed by its DER headers and parsed when first needed."""

    der: bytes
    source: str
    keys: CertKeys
    #: Taken from a master list: only CA certificates count, anything else is ignored.
    ca_only: bool = False
    #: None until classified; then "csca", "link", "dsc", "ignored" or "broken".
    role: str | None = None
    cert: Cert | None = None


_ROLES = ("csca", "link", "dsc")


class TrustStore:
    """What an organisation trusts; see the module docstring.

    Certificates from master lists, bundles and directories are *indexed* (by subject
    country and name, serial number, key identifier and fingerprint, read from their DER
    headers) and parsed in full, and filed as CSCA, link certificate or pinned DSC, only when
    a chain needs them, so a verification against a thousand CSCAs parses the two or three
    it uses. :attr:`cscas`, :attr:`links` and :attr:`pinned_dscs` classify everything first.
    """

    def __init__(self, *, require_crl: bool = False) -> None:
        self._cscas: list[Cert] = []
        self._links: list[Cert] = []
        self._pinned: list[Cert] = []
        self.crls: list[Crl] = []
        self.master_lists: list[MasterListReport] = []
        #: Files skipped, lists whose signer did not chain, ...: show them to the user.
        self.notes: list[str] = []
        #: The notes a user must see (stderr, ``cccd trust list``, the app's settings): trust
        #: material that was given but is not trusted or not readable (a master list whose
        #: signer chains to nothing, an unreadable certificate of a bundle: file, index and
        #: reason). Each names its file.
        self.warnings: list[str] = []
        #: Revocation policy of this trust configuration: when True a current CRL from the
        #: CSCA is a condition of ``genuine`` (``--require-crl``, the app's setting); by
        #: default its absence is a visible note, since most counters cannot fetch CRLs.
        self.require_crl = require_crl
        self._entries: list[_Entry] = []
        self._by_fingerprint: dict[str, list[_Entry]] = {}
        self._by_country: dict[str, list[_Entry]] = {}
        self._by_ski: dict[bytes, list[_Entry]] = {}
        self._by_serial: dict[int, list[_Entry]] = {}
        self._synced = {"csca": 0, "link": 0, "dsc": 0}

    # --- the classified lists ---

    @property
    def cscas(self) -> list[Cert]:
        self._classify_all()
        return self._cscas

    @property
    def links(self) -> list[Cert]:
        self._classify_all()
        return self._links

    @property
    def pinned_dscs(self) -> list[Cert]:
        self._classify_all()
        return self._pinned

    def _list(self, role: str) -> list[Cert]:
        return {"csca": self._cscas, "link": self._links, "dsc": self._pinned}[role]

    def _warn(self, message: str) -> None:
        self.notes.append(message)
        self.warnings.append(message)

    def _index(self, entry: _Entry) -> None:
        self._entries.append(entry)
        keys = entry.keys
        self._by_fingerprint.setdefault(keys.fingerprint, []).append(entry)
        for country in keys.countries or ("",):
            self._by_country.setdefault(country, []).append(entry)
        if keys.ski is not None:
            self._by_ski.setdefault(keys.ski, []).append(entry)
        self._by_serial.setdefault(keys.serial, []).append(entry)

    def _sync(self) -> None:
        """Index certificates appended to the public lists directly (tests, integrators)."""
        for role in _ROLES:
            target = self._list(role)
            for cert in target[self._synced[role]:]:
                self._index(_Entry(cert.der, cert.source, _keys_of(cert), role=role, cert=cert))
            self._synced[role] = len(target)

    def _place(self, entry: _Entry, cert: Cert, role: str) -> Cert:
        self._sync()
        for other in self._by_fingerprint.get(entry.keys.fingerprint, ()):
            if other.role == role and other.cert is not None:
                if other is not entry:
                    entry.role, entry.cert = "duplicate", other.cert
                return other.cert
        entry.role, entry.cert = role, cert
        self._list(role).append(cert)
        self._synced[role] += 1
        return cert

    def _classify(self, entry: _Entry) -> None:
        if entry.role is not None:
            return
        try:
            cert = Cert.load(entry.der, entry.source)
        except TrustError as exc:
            entry.role = "broken"
            self._warn(f"{exc}; skipped")
            return
        if cert.is_ca:
            self._place(entry, cert, "csca" if cert.self_signed else "link")
        elif entry.ca_only:
            entry.role = "ignored"
            self.notes.append(f"{entry.source}: not a CA certificate; ignored")
        else:
            self._place(entry, cert, "dsc")

    def _classify_all(self) -> None:
        for entry in list(self._entries):
            self._classify(entry)

    def _add_lazy(
        self, der: bytes, source: str, *, ca_only: bool = False,
        keyed: trust_cache.Keyed | None = None,
    ) -> bool:
        """Index a certificate for later; False (and a warning) if its headers are unreadable."""
        keys, error = keyed if keyed is not None else trust_cache.keys_for("", [der])[0]
        if keys is None:
            self._warn(f"{source}: not a valid X.509 certificate ({error}); skipped")
            return False
        self._sync()
        if keys.fingerprint not in self._by_fingerprint:
            self._index(_Entry(bytes(der), source, keys, ca_only=ca_only))
        return True

    # --- loading ---

    @classmethod
    def from_paths(
        cls, paths: Iterable[str | os.PathLike[str]] = (), *, include_default: bool = True
    ) -> TrustStore:
        """The default trust directories (when they exist) plus every ``--trust`` path."""
        store = cls()
        if include_default:
            for default in default_trust_dirs():
                if default.is_dir():
                    store.add_path(default)
        for path in paths:
            store.add_path(path)
        return store

    def stats(self) -> dict[str, int]:
        """Certificates indexed, and how many of them were parsed in full so far."""
        self._sync()
        return {
            "indexed": len(self._entries),
            "parsed": sum(1 for e in self._entries if e.role is not None),
        }

    @property
    def is_empty(self) -> bool:
        """No anchor at all (certificates not parsed yet count: they may be anchors)."""
        self._sync()
        return not any(e.role in (None, *_ROLES) for e in self._entries)

    def add_path(self, path: str | os.PathLike[str]) -> None:
        target = Path(path)
        if target.is_dir():
            self.add_directory(target)
        elif target.exists():
            self.add_file(target)
        else:
            raise TrustError(f"trust path {target} does not exist")

    def add_directory(self, directory: Path) -> None:
        """Load every trust file directly in ``directory`` (sub-directories are not searched).

        An unreadable file is named in :attr:`warnings` and the others still load. More than
        :data:`MAX_DIRECTORY_FILES` entries is refused (named) before any is read."""
        entries: list[Path] = []
        try:
            with os.scandir(directory) as scan:
                for item in scan:
                    entries.append(Path(item.path))
                    if len(entries) > MAX_DIRECTORY_FILES:
                        raise TrustError(
                            f"{directory}: more than {MAX_DIRECTORY_FILES} entries; split the "
                            "trust directory or use master lists"
                        )
        except OSError as exc:
            raise TrustError(f"cannot list {directory}: {exc.strerror}") from exc
        for entry in sorted(entries):
            if entry.is_dir():
                self.notes.append(f"{entry}: sub-directory ignored")
                continue
            suffixes = "".join(entry.suffixes).lower()
            if suffixes.endswith(".key.pem") or entry.suffix.lower() not in (
                *CERT_EXTENSIONS, ".pem", ".crl", ".ml"
            ):
                self.notes.append(f"{entry.name}: not a certificate, CRL or master list; ignored")
                continue
            try:
                self.add_file(entry)
            except TrustError as exc:
                self._warn(f"{exc}; skipped")

    def add_file(self, path: Path) -> None:
        data = _read_bounded(path)
        suffix = path.suffix.lower()
        source = str(path)
        if suffix == ".ml":
            self.add_master_list(data, source=source)
        elif data.lstrip().startswith(b"-----BEGIN"):
            self._add_pem(data, source)
        elif suffix == ".crl":
            self.add_crl(data, source=source)
        elif not self._add_lazy(data, source):
            self.warnings.pop()
            self.notes.pop()
            raise TrustError(f"{source}: not a valid X.509 certificate")

    def _add_pem(self, data: bytes, source: str) -> None:
        """Every readable block of a PEM bundle; each unreadable one is named (file, index,
        reason) in :attr:`warnings`. A file with nothing readable is an error."""
        blocks = pem_blocks(data)
        usable = broken = 0
        many = len(blocks) > 1
        if len(blocks) > MAX_CERTS_PER_FILE:
            raise TrustError(
                f"{source}: {len(blocks)} PEM blocks, more than the {MAX_CERTS_PER_FILE} allowed"
            )
        certs = [der for kind, der, _ in blocks
                 if der is not None and kind in ("CERTIFICATE", "TRUSTED CERTIFICATE")]
        keyed = iter(trust_cache.keys_for(hashlib.sha256(data).hexdigest(), certs))
        for index, (kind, der, error) in enumerate(blocks):
            where = f"{source}#{index}" if many else source
            if der is None:
                self._warn(f"{where}: unreadable PEM block ({error}); skipped")
                broken += 1
            elif kind in ("CERTIFICATE", "TRUSTED CERTIFICATE"):
                if not self._add_lazy(der, where, keyed=next(keyed)):
                    broken += 1
                else:
                    usable += 1
            elif kind == "X509 CRL":
                try:
                    self.add_crl(der, source=where)
                    usable += 1
                except TrustError as exc:
                    self._warn(f"{exc}; skipped")
                    broken += 1
            else:
                self.notes.append(f"{where}: PEM block '{kind}' ignored")
        if broken and not usable:
            for _ in range(broken):
                self.warnings.pop()
                self.notes.pop()
            raise TrustError(f"{source}: no readable certificate or CRL ({broken} unreadable)")

    def add_certificate(
        self,
        der: bytes,
        *,
        source: str = "",
        role: Literal["auto", "csca", "link", "dsc"] = "auto",
    ) -> Cert:
        """Add a certificate, parsed now; ``auto`` files self-signed CAs as CSCAs, other CAs
        as link certificates and everything else as pinned DSCs.

        A CSCA (a root) must be self-signed: self-issued with a signature that verifies with
        its own key. A CA certificate that merely carries its CSCA's name (a link certificate,
        or a forgery) is filed as a link certificate, which counts only once it verifies
        against a CSCA of the store, and that CSCA's CRLs apply to it.
        """
        _check_size(der, source)
        cert = Cert.load(der, source)
        if role == "auto":
            role = ("csca" if cert.self_signed else "link") if cert.is_ca else "dsc"
        elif role == "csca" and not cert.self_signed:
            self.notes.append(
                f"{source or 'certificate'}: not self-signed, so not a root CSCA; "
                "kept as a link certificate (trusted only if a CSCA of the store issued it)"
            )
            role = "link"
        self._sync()
        for entry in self._by_fingerprint.get(cert.fingerprint, ()):
            self._classify(entry)
        entry = _Entry(cert.der, source, _keys_of(cert))
        placed = self._place(entry, cert, role)
        if entry.role == role:
            self._index(entry)
        return placed

    def pin_dsc(self, der: bytes, *, source: str = "") -> Cert:
        return self.add_certificate(der, source=source, role="dsc")

    def add_crl(self, der: bytes, *, source: str = "") -> Crl:
        _check_size(der, source)
        crl = Crl.load(der, source)
        if crl not in self.crls:
            self.crls.append(crl)
        return crl

    def add_master_list(
        self, data: bytes, *, source: str = "master list", now: datetime | None = None
    ) -> MasterListReport:
        """Verify a CSCA master list and, if its signer chains, add its certificates.

        The list's signature must verify (else :class:`MasterListError`, nothing loaded),
        checked before its certificates are even sliced out. Its signer must chain to a
        self-signed CSCA of the signer's country, carried in the list itself or already in
        the store; otherwise none of its certificates is trusted and a warning naming the file
        goes to :attr:`warnings` (a list anyone could have signed is no trust decision). The
        signer's validity ``now`` (load time) and, when present, its extendedKeyUsage
        (cscaMasterListSigningKey) are reported as warnings. The listed certificates are
        indexed, not parsed: one that turns out unreadable is named in :attr:`warnings` when
        it is first needed (``cccd trust list`` parses them all), a non-CA one is ignored.
        """
        now = now if now is not None else datetime.now(UTC)
        _check_size(data, source)
        try:
            econtent, slices, signer = _parse_master_list(data, source)
        except MasterListError:
            raise
        except (TrustError, *ASN1_ERRORS) as exc:
            raise MasterListError(f"{source}: malformed master list ({exc})") from exc
        entries: list[_Entry] = []
        unreadable: list[str] = []
        ders = [bytes(econtent[offset:offset + length]) for offset, length in slices]
        keyed = trust_cache.keys_for(hashlib.sha256(data).hexdigest(), ders)
        for index, (der, (keys, error)) in enumerate(zip(ders, keyed, strict=True)):
            if keys is None:
                unreadable.append(f"{source}#{index}: not a valid X.509 certificate ({error})")
                continue
            entries.append(_Entry(der, f"{source}#{index}", keys, ca_only=True))
        country = signer.issuer_country
        own = self._own_cscas(entries, signer, country)
        problems: list[str] = []
        chained: Cert | None = None
        trusted_cscas, _ = self._named(signer.issuer)
        for candidate in own + trusted_cscas:
            issues = check_issued_by(
                signer, candidate, child_understands=frozenset({"extended_key_usage"})
            )
            if not issues:
                chained = candidate
                break
            problems += issues
        details: list[str] = []
        chain: Status
        added = 0
        if chained is not None:
            chain = "pass"
            where = "already trusted" if chained in trusted_cscas else "carried in the list"
            details.append(
                f"signer chains to CSCA '{chained.subject.human_friendly}' ({where})"
            )
            for message in unreadable:
                self._warn(f"{message}; skipped")
            self._sync()
            for entry in entries:
                if entry.keys.fingerprint not in self._by_fingerprint:
                    self._index(entry)
                added += 1
        else:
            chain = "fail"
            why = "; ".join(problems) if problems else (
                f"no self-signed CSCA of country {country or '??'} with the signer's issuer name"
            )
            details.append(
                f"master list signer does not chain to a CSCA in the list or the store ({why}): "
                f"its {len(slices)} certificate(s) are NOT trusted"
            )
        window = f"{signer.not_before:%Y-%m-%d}..{signer.not_after:%Y-%m-%d}"
        validity: Status = "pass" if valid_at(signer, now) else "fail"
        if validity == "fail":
            details.append(f"master list signer ({window}) is not valid at {now:%Y-%m-%d}")
        usage: Status = "skipped"
        purposes = signer.extended_key_usage
        if purposes is not None:
            usage = "pass" if ML_SIGNING_EKU_OID in purposes else "fail"
            if usage == "fail":
                details.append(
                    "master list signer extendedKeyUsage lacks cscaMasterListSigningKey "
                    f"({ML_SIGNING_EKU_OID}): {', '.join(sorted(purposes))}"
                )
        report = MasterListReport(
            source, added, signer.describe(), chain, "; ".join(details), validity, usage,
            listed=len(slices),
        )
        if not report.ok:
            self._warn(f"{source}: {report.detail}")
        self.master_lists.append(report)
        return report

    @staticmethod
    def _own_cscas(entries: list[_Entry], signer: Cert, country: str | None) -> list[Cert]:
        """Self-signed CSCAs of ``country`` in the list named as the signer's issuer (only
        those are parsed)."""
        if country is None:
            return []
        wanted = normal_country(country)
        issuer_der = signer.issuer.dump()
        found: list[Cert] = []
        for entry in entries:
            if wanted not in entry.keys.countries:
                continue
            if entry.keys.subject != issuer_der and not _same_name_der(
                entry.keys.subject, signer.issuer
            ):
                continue
            try:
                cert = Cert.load(entry.der, entry.source)
            except TrustError:
                continue
            if cert.is_ca and cert.country == country and cert.self_signed:
                found.append(cert)
        return found

    # --- lookups ---

    def _named(self, name: Any) -> tuple[list[Cert], list[Cert]]:
        """(CSCAs, link certificates) whose subject is ``name``, parsing only those."""
        self._sync()
        try:
            name_der = name.dump()
        except ASN1_ERRORS:
            return [], []
        roots: list[Cert] = []
        links: list[Cert] = []
        seen: set[int] = set()
        for country in name_countries(name_der) or ("",):
            for entry in list(self._by_country.get(country, ())):
                if id(entry) in seen or entry.role in ("broken", "ignored", "dsc", "duplicate"):
                    continue
                seen.add(id(entry))
                if entry.keys.subject != name_der and not _same_name_der(entry.keys.subject, name):
                    continue
                self._classify(entry)
                if entry.role == "csca" and entry.cert is not None:
                    roots.append(entry.cert)
                elif entry.role == "link" and entry.cert is not None:
                    links.append(entry.cert)
        return roots, links

    def find_dsc(
        self, *, issuer: Any = None, serial: int | None = None, ski: bytes | None = None
    ) -> Cert | None:
        """A pinned DSC named by a SignerInfo's issuerAndSerialNumber or subjectKeyIdentifier."""
        self._sync()
        candidates: list[_Entry] = []
        if ski is not None:
            candidates += self._by_ski.get(ski, [])
        if issuer is not None and serial is not None:
            candidates += self._by_serial.get(serial, [])
        for entry in candidates:
            self._classify(entry)
            cert = entry.cert
            if entry.role != "dsc" or cert is None:
                continue
            if ski is not None and cert.ski == ski:
                return cert
            if issuer is not None and serial == cert.serial and cert.issuer == issuer:
                return cert
        return None

    def is_pinned(self, cert: Cert) -> bool:
        self._sync()
        for entry in list(self._by_fingerprint.get(cert.fingerprint, ())):
            self._classify(entry)
            if entry.role == "dsc" and entry.cert is not None and entry.cert.der == cert.der:
                return True
        return False

    def cscas_for_country(self, country: str | None) -> list[Cert]:
        if not country:
            return []
        self._sync()
        found: list[Cert] = []
        for entry in list(self._by_country.get(normal_country(country), ())):
            self._classify(entry)
            if entry.role in ("csca", "link") and entry.cert is not None:
                if entry.cert.country == country:
                    found.append(entry.cert)
        return found

    # --- validation ---

    def link_anchor(self, link: Cert, when: datetime | None = None) -> Cert | None:
        """The CSCA of the store that issued link certificate ``link`` (None: none did)."""
        return self._link_anchor(link, when)[0]

    def _link_anchor(self, link: Cert, when: datetime | None) -> tuple[Cert | None, str]:
        roots, _ = self._named(link.issuer)
        for csca in roots:
            if check_issued_by(link, csca):
                continue
            if when is not None and not valid_at(csca, when):
                continue
            return csca, ""
        return None, "link certificate does not verify with any CSCA of the store"

    def validate_dsc(self, dsc: Cert, when: datetime | None = None) -> ChainResult:
        """Validate ``dsc`` against the store; ``when`` (signing time) only selects among
        several matching CSCAs and link certificates, validity itself is checked by the caller.
        """
        country = dsc.issuer_country
        problems: list[str] = []
        if dsc.country is not None and country is not None and dsc.country != country:
            problems.append(f"DSC subject country {dsc.country} differs from issuer {country}")
        usage = dsc.key_usage
        if usage is None or "digital_signature" not in usage:
            problems.append("DSC keyUsage lacks digitalSignature")
        if dsc.is_ca:
            problems.append(
                "DSC is a CA certificate (basicConstraints cA TRUE), which ICAO 9303-12 "
                "forbids for a Document Signer"
            )
        if dsc.unknown_critical_extensions:
            unknown = ", ".join(dsc.unknown_critical_extensions)
            problems.append(f"DSC has unknown critical extension(s) {unknown}")
        roots, links = self._named(dsc.issuer)
        candidates = roots + links
        last_failure = ""
        for issuer in candidates:
            issues = list(problems)
            if issuer.country != country:
                issues.append(f"CSCA country {issuer.country} differs from DSC issuer {country}")
            issues += check_issued_by(dsc, issuer)
            anchor: Cert | None = issuer
            if not issues and not any(issuer is root for root in roots):
                anchor, why = self._link_anchor(issuer, when)
                if anchor is None:
                    issues.append(why)
            if not issues:
                via = "" if anchor is issuer else f" via link certificate {issuer.describe()}"
                return ChainResult(
                    "pass",
                    f"DSC issued by CSCA {(anchor or issuer).describe()}{via}",
                    "csca",
                    issuer,
                    anchor,
                )
            problems_for = "; ".join(issues)
            last_failure = f"against CSCA {issuer.describe()}: {problems_for}"
        if self.is_pinned(dsc):
            if problems:
                return ChainResult("fail", "pinned DSC is unusable: " + "; ".join(problems))
            return ChainResult(
                "pass",
                "DSC pinned in the trust store (trusted directly; no CSCA path, CSCA validity "
                f"or CRL applies): {dsc.describe()}",
                "pinned",
            )
        if candidates:
            return ChainResult("fail", f"DSC does not chain {last_failure}")
        if self.cscas_for_country(country):
            return ChainResult(
                "fail",
                f"no CSCA of country {country} in the trust store issued this DSC "
                f"(issuer '{dsc.issuer.human_friendly}'): {dsc.describe()}",
            )
        if problems:
            return ChainResult("fail", "; ".join(problems))
        return ChainResult(
            "skipped", f"no trust anchor for country {country or '??'}: DSC {dsc.describe()}"
        )

    def revocation(
        self,
        dsc: Cert,
        csca: Cert,
        now: datetime,
        *,
        what: str = "DSC",
        also_signed_by: Iterable[Cert] = (),
    ) -> tuple[Status, str]:
        """:meth:`revocation_check` without the reason code."""
        status, _, detail = self.revocation_check(
            dsc, csca, now, what=what, also_signed_by=also_signed_by
        )
        return status, detail

    def revocation_check(
        self,
        dsc: Cert,
        csca: Cert,
        now: datetime,
        *,
        what: str = "DSC",
        also_signed_by: Iterable[Cert] = (),
    ) -> tuple[Status, str, str]:
        """(status, reason code, detail) of ``dsc`` against the CRLs of ``csca``.

        Only a CRL whose signature verifies with ``csca`` (or one of ``also_signed_by``: after
        a key rollover the CSCA signs its CRLs with the new key, certified by a link
        certificate) counts at all. Listed in *any* such CRL, however old, or a delta CRL:
        ``fail`` (revoked). Proof of non-revocation needs a *current* complete one
        (:meth:`Crl.not_current`); without it the status is ``skipped`` (unknown), with the
        reason of every CRL that did not count.
        """
        verified: list[Crl] = []
        rejected: list[str] = []
        signers = [csca, *(c for c in also_signed_by if same_name(c.subject, csca.subject))]
        for crl in self.crls:
            if not same_name(crl.issuer, csca.subject):
                continue
            reasons = [crl.verified_by(signer) for signer in signers]
            if None in reasons:
                verified.append(crl)
            else:
                rejected.append(f"{crl.source or 'CRL'}: {reasons[0]}")
        for crl in verified:
            revoked = crl.revocation_of(dsc.serial)
            if revoked is not None:
                return "fail", "revoked", (
                    f"{what} serial {dsc.serial:X} revoked on {revoked:%Y-%m-%d} "
                    f"(CRL of {crl.this_update:%Y-%m-%d}, signature verified with the CSCA)"
                )
        current = []
        for crl in verified:
            why = crl.not_current(now)
            if why is None:
                current.append(crl)
            else:
                rejected.append(f"{crl.source or 'CRL'}: {why}")
        name = csca.subject.human_friendly
        if not current:
            reason = f"revocation not checked: no current CRL from CSCA '{name}'"
            if rejected:
                reason += f" ({'; '.join(rejected)})"
            return "skipped", "no_current_crl", reason
        newest = max(current, key=lambda c: c.this_update)
        return "pass", "not_revoked", (
            f"not revoked per CRL of {newest.this_update:%Y-%m-%d} (next update "
            f"{newest.next_update:%Y-%m-%d}; signature verified with the CSCA)"
        )

    def pinned_revocation(self, dsc: Cert, now: datetime) -> tuple[Status, str, str]:
        """CRLs apply to a pinned DSC too, whenever the store holds a CSCA (or link
        certificate) of its issuer that can verify them; with none, nothing can be checked."""
        roots, links = self._named(dsc.issuer)
        issuers = roots + links
        if not issuers:
            return "skipped", "pinned_no_csca", (
                "revocation not checked: the DSC is pinned and no CSCA of its issuer is in "
                "the trust store to verify a CRL"
            )
        outcomes = [
            self.revocation_check(dsc, issuer, now, also_signed_by=issuers) for issuer in issuers
        ]
        for outcome in ("fail", "pass"):
            for result in outcomes:
                if result[0] == outcome:
                    return result
        return outcomes[0]

    def path_revocation(self, dsc: Cert, chain: ChainResult, now: datetime) -> tuple[Status, str]:
        """:meth:`path_revocation_check` without the reason code."""
        status, _, detail = self.path_revocation_check(dsc, chain, now)
        return status, detail

    def path_revocation_check(
        self, dsc: Cert, chain: ChainResult, now: datetime
    ) -> tuple[Status, str, str]:
        """Revocation of every certificate on a validated path: the DSC against its issuer's
        CRLs and, when the path runs through a link certificate, the link certificate against
        the CRLs of the CSCA that issued it. A failure anywhere fails; an unknown status
        anywhere leaves the whole path unknown."""
        if chain.issuer is None:
            return "skipped", "no_csca", "no validated CSCA"
        first = self.revocation_check(dsc, chain.issuer, now)
        if chain.anchor is None or chain.anchor is chain.issuer:
            return first
        link_status, link_code, link_detail = self.revocation_check(
            chain.issuer, chain.anchor, now, what="link certificate", also_signed_by=[chain.issuer]
        )
        link = (link_status, link_code, f"link certificate: {link_detail}")
        for outcome in ("fail", "unsupported", "skipped"):
            if first[0] == outcome:
                return first
            if link_status == outcome:
                return link
        return "pass", "not_revoked", f"DSC {first[2]}; {link[2]}"


def _keys_of(cert: Cert) -> CertKeys:
    """Index keys of an already parsed certificate (it may not survive the header walk if
    its DER is lax, so they are taken from the parse)."""
    try:
        return cert_keys(cert.der)
    except IndexKeyError:
        country = cert.country
        return CertKeys(
            cert.fingerprint, cert.subject.dump(), cert.issuer.dump(),
            (normal_country(country),) if country else (), cert.serial, cert.ski,
        )


def _same_name_der(subject_der: bytes, name: Any) -> bool:
    """RFC 5280 name equality of an indexed subject (DER) and a parsed name."""
    try:
        return same_name(asn1_x509.Name.load(subject_der), name)
    except ASN1_ERRORS:
        return False


_PEM_BLOCK = re.compile(
    rb"-----BEGIN ([A-Z0-9 ]{1,40})-----(.*?)(?:-----END \1-----|(?=-----BEGIN )|\Z)", re.S
)


def pem_blocks(data: bytes) -> list[tuple[str, bytes | None, str]]:
    """(kind, DER or None, reason when None) of every PEM block, each decoded on its own so a
    damaged block never hides the ones after it."""
    blocks: list[tuple[str, bytes | None, str]] = []
    for match in _PEM_BLOCK.finditer(data):
        kind = match.group(1).decode("ascii")
        if not match.group(0).rstrip().endswith(b"-----END " + match.group(1) + b"-----"):
            blocks.append((kind, None, "no END line"))
            continue
        lines = [line.strip() for line in match.group(2).splitlines()]
        body = b"".join(line for line in lines if line and b":" not in line)
        try:
            der = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            blocks.append((kind, None, "invalid base64"))
            continue
        if not der:
            blocks.append((kind, None, "empty"))
            continue
        blocks.append((kind, der, ""))
    return blocks


def _check_size(data: bytes, source: str) -> None:
    """Bytes handed over directly get the same bound as files read from disk."""
    if len(data) > MAX_TRUST_FILE_BYTES:
        raise TrustError(f"{source or 'trust data'} is larger than {MAX_TRUST_FILE_BYTES} bytes")


def _read_bounded(path: Path) -> bytes:
    try:
        st = path.stat()
    except OSError as exc:
        raise TrustError(f"cannot read {path}: {exc.strerror}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise TrustError(f"{path} is not a regular file")
    if st.st_size > MAX_TRUST_FILE_BYTES:
        raise TrustError(f"{path} is larger than {MAX_TRUST_FILE_BYTES} bytes")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_TRUST_FILE_BYTES + 1)
    except OSError as exc:
        raise TrustError(f"cannot read {path}: {exc.strerror}") from exc
    if len(data) > MAX_TRUST_FILE_BYTES:  # it grew after stat()
        raise TrustError(f"{path} is larger than {MAX_TRUST_FILE_BYTES} bytes")
    return data

