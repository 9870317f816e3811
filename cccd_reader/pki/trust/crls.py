"""Certificate revocation lists: parsed, checked for currency, and verified against the CSCA
that issued them (:mod:`.revocation` decides what they prove)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from asn1crypto import crl as asn1_crl

from cccd_reader.errors import ASN1_ERRORS
from cccd_reader.pki.signatures import SignatureError, verify_signature
from cccd_reader.pki.trust.certs import Cert, TrustError, memoized

#: Critical CRL extensions understood (RFC 5280 §5.2: conforming CRLs mark none of these
#: critical, but a critical one we know is harmless).
UNDERSTOOD_CRITICAL_CRL = frozenset({"authority_key_identifier", "crl_number"})


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
        reason: str | None = memoized(
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
