"""Certificates of the trust store: parsing (lax, as real ICAO certificates need), name
comparison, and the one question a path is built from: did this CA issue that certificate?

Results depend only on the DER bytes involved, so they are memoized (:func:`memoized`): a
counter verifies many cards from the same few Document Signers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, ClassVar, Literal

from asn1crypto import x509 as asn1_x509

from cccd_reader.errors import ASN1_ERRORS, CccdError
from cccd_reader.pki.signatures import AlgorithmUnsupported, SignatureError, verify_signature

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


class TrustError(CccdError):
    """A trust file (certificate, CRL, master list) cannot be used."""

    code: ClassVar[str] = "trust"


class MasterListError(TrustError):
    """A master list is malformed or its signature does not verify: nothing of it is loaded."""

    code: ClassVar[str] = "trust.master_list"



#: A counter verifies many cards from the same few Document Signers, and parsing a DSC, comparing
#: names (LDAP string preparation) and checking the CSCA's signature on a DSC or CRL cost more
#: than the rest of passive authentication. Those results depend only on the DER bytes
#: involved, which are the whole key, so a changed byte anywhere is a new entry. Failures (an
#: exception) are not kept. Bounded: cleared when full.
_MEMO_LIMIT = 4096
_memo: dict[tuple[Any, ...], Any] = {}


def memoized(key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
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
    return bool(memoized(("name", a.dump(), b.dump()), lambda: a == b))


def same_name_as_rdn_set(a: Any, b: Any) -> bool:
    """The two names hold the same RDNs, in any order (RFC 5280 comparison of each RDN).

    Names are ordered, so this is looser than :func:`same_name`; it serves only to find the
    certificate a SignerInfo means when an issuer lists the issuer's RDNs in another order
    (seen on real passports). Every RDN must match exactly once.
    """

    def rdns(name: Any) -> list[Any]:
        return sorted((rdn.hashable for rdn in name.chosen), key=repr)

    try:
        return bool(memoized(("rdn_set", a.dump(), b.dump()), lambda: rdns(a) == rdns(b)))
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
        cert: Cert = memoized(("cert", bytes(der)), lambda: cls._parse(der, source))
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
        return bool(memoized(("self_signed", self.der), self._self_signed))

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
    issuer_may_lack_ca: bool = False,
) -> list[str]:
    """Every reason why ``issuer`` did not issue ``child``; empty when it did.

    The checks: names and key identifiers match, the issuer is a CA allowed to sign
    certificates, neither has critical extensions we do not understand, and the signature
    verifies. Validity periods are the caller's business (they depend on the reference time).
    ``child_understands`` names critical extensions of ``child`` that the caller enforces itself
    (the master list signer's extendedKeyUsage). ``issuer_may_lack_ca``: the issuer is a CSCA
    the store accepted although it bends the profile (no basicConstraints, or cA false), as
    real master lists carry.
    """
    key = ("issued_by", child.der, issuer.der, role, child_understands, issuer_may_lack_ca)
    return list(memoized(key, lambda: tuple(
        _issued_by(child, issuer, role, child_understands, issuer_may_lack_ca))))


def _issued_by(
    child: Cert, issuer: Cert, role: str, child_understands: frozenset[str],
    issuer_may_lack_ca: bool,
) -> list[str]:
    problems: list[str] = []
    if child.issuer != issuer.subject:
        problems.append(f"issuer name differs from the {role} subject")
    if child.aki is not None and issuer.ski is not None and child.aki != issuer.ski:
        problems.append(f"authorityKeyIdentifier does not match the {role} subjectKeyIdentifier")
    if not issuer.is_ca and not issuer_may_lack_ca:
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


#: What checking a certificate's signature with a key gave: it verifies, it does not, or it
#: could not be checked (an algorithm, parameters or curve we do not support).
SignatureOutcome = Literal["valid", "invalid", "unsupported"]


def signature_by(child: Cert, issuer: Cert) -> tuple[SignatureOutcome, str]:
    """Does ``issuer``'s key verify ``child``'s signature? (outcome, reason when not valid).

    The signature alone, without names or profile: path building decides by key identifiers
    and signatures, so "this key did not sign it" is a fact of its own (a forged certificate
    when the child names that key), apart from "this issuer may not issue it"."""
    outcome: tuple[SignatureOutcome, str] = memoized(
        ("signature_by", child.der, issuer.der), lambda: _signature_by(child, issuer))
    return outcome


def _signature_by(child: Cert, issuer: Cert) -> tuple[SignatureOutcome, str]:
    try:
        verify_signature(
            issuer.spki_der,
            child.asn1["signature_algorithm"].dump(),
            child.asn1["tbs_certificate"].dump(),
            bytes(child.asn1["signature_value"].native),
        )
    except AlgorithmUnsupported as exc:
        return "unsupported", str(exc)
    except SignatureError as exc:
        return "invalid", str(exc)
    return "valid", ""


def valid_at(cert: Cert, when: datetime) -> bool:
    return cert.not_before <= when <= cert.not_after

