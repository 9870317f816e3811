"""The store's index: every certificate given, keyed by its DER headers, parsed and filed (CSCA,
link certificate, pinned DSC) only when a chain asks for it.

A trust store of master lists holds about a thousand certificates, of which a verification
needs two or three: :class:`IndexedStore` finds candidates by subject country and name, key
identifier, serial number and fingerprint (:mod:`.index`, cached on disk by :mod:`.cache`),
and classifies each the first time it is looked at. Path building, revocation, master lists
and loading build on it (:class:`~cccd_reader.pki.trust.store.TrustStore`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asn1crypto import x509 as asn1_x509

from cccd_reader.errors import ASN1_ERRORS
from cccd_reader.pki.trust import cache as trust_cache
from cccd_reader.pki.trust.certs import Cert, TrustError, same_name
from cccd_reader.pki.trust.crls import Crl
from cccd_reader.pki.trust.index import (
    CertKeys,
    IndexKeyError,
    cert_keys,
    name_countries,
    normal_country,
)


@dataclass
class StoreEntry:
    """A certificate of the store, indexed by its DER headers and parsed when first needed."""

    der: bytes
    source: str
    keys: CertKeys
    #: Taken from a master list: only CA certificates count, anything else is ignored.
    ca_only: bool = False
    #: None until classified; then "csca", "link", "dsc", "ignored" or "broken".
    role: str | None = None
    cert: Cert | None = None


ROLES = ("csca", "link", "dsc")


class IndexedStore:
    """The certificates and CRLs of a store, indexed; see the module docstring."""

    def __init__(self, *, require_crl: bool = False) -> None:
        self._cscas: list[Cert] = []
        self._links: list[Cert] = []
        self._pinned: list[Cert] = []
        self.crls: list[Crl] = []
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
        self._entries: list[StoreEntry] = []
        self._by_fingerprint: dict[str, list[StoreEntry]] = {}
        self._by_country: dict[str, list[StoreEntry]] = {}
        self._by_ski: dict[bytes, list[StoreEntry]] = {}
        self._by_serial: dict[int, list[StoreEntry]] = {}
        self._synced = {"csca": 0, "link": 0, "dsc": 0}
        #: Fingerprints of CSCAs accepted from master lists although they bend the profile
        #: (no basicConstraints, or cA false), as real lists carry.
        self._bent: set[str] = set()
        #: :meth:`_named` by name (DER), valid while no certificate is added (every
        #: certificate of that name is classified when the entry is made; a list of many
        #: certificates of one name must not cost a scan per certificate).
        self._named_cache: dict[bytes, tuple[int, list[Cert], list[Cert]]] = {}
        #: Link certificates already reported (refused, or anchoring their own key).
        self._link_noted: set[str] = set()

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

    def _index(self, entry: StoreEntry) -> None:
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
        for role in ROLES:
            target = self._list(role)
            for cert in target[self._synced[role]:]:
                self._index(StoreEntry(cert.der, cert.source, keys_of(cert), role=role, cert=cert))
            self._synced[role] = len(target)

    def _place(self, entry: StoreEntry, cert: Cert, role: str) -> Cert:
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

    def _classify(self, entry: StoreEntry) -> None:
        if entry.role is not None:
            return
        try:
            cert = Cert.load(entry.der, entry.source)
        except TrustError as exc:
            entry.role = "broken"
            self._warn(f"{exc}; skipped")
            return
        subject = cert.subject.human_friendly
        if cert.is_ca:
            self._place(entry, cert, "csca" if cert.self_signed else "link")
        elif bent_ca(cert, entry.ca_only):
            # real master lists (and the link certificates states publish) carry CSCAs and
            # link certificates without basicConstraints or with cA false: the list's signer
            # or the operator vouches for them, as for the others
            self._bent.add(cert.fingerprint)
            role = "csca" if cert.self_signed else "link"
            bend = ("no basicConstraints" if cert.asn1.basic_constraints_value is None
                    else "basicConstraints cA false")
            what = "CSCA" if role == "csca" else "link certificate"
            self.notes.append(f"{entry.source}: {what} '{subject}' bends the profile ({bend}); "
                              f"accepted as a {what}")
            self._place(entry, cert, role)
        elif entry.ca_only:
            entry.role = "ignored"
            self._warn(f"{entry.source}: '{subject}': not a CA certificate and its keyUsage "
                       "lacks keyCertSign, so neither a CSCA nor a link certificate; skipped")
        else:
            self._place(entry, cert, "dsc")

    def _link_refused(self, link: Cert) -> bool:
        """The rule table refuses ``link`` (path building decides; see :mod:`.paths`)."""
        return False

    def bends(self, cert: Cert) -> bool:
        """``cert`` is a CSCA or link certificate of a master list accepted although it lacks
        the CA flag (see :meth:`_classify`)."""
        return cert.fingerprint in self._bent

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
            self._index(StoreEntry(bytes(der), source, keys, ca_only=ca_only))
        return True

    # --- loading ---
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
        return not any(e.role in (None, *ROLES) for e in self._entries)

    # --- lookups ---

    def _named(self, name: Any) -> tuple[list[Cert], list[Cert]]:
        """(CSCAs, link certificates) whose subject is ``name``, parsing only those."""
        self._sync()
        try:
            name_der = name.dump()
        except ASN1_ERRORS:
            return [], []
        cached = self._named_cache.get(name_der)
        if cached is not None and cached[0] == len(self._entries):
            return list(cached[1]), list(cached[2])
        roots: list[Cert] = []
        links: list[Cert] = []
        seen: set[int] = set()
        for country in name_countries(name_der) or ("",):
            for entry in list(self._by_country.get(country, ())):
                if id(entry) in seen or entry.role in ("broken", "ignored", "dsc", "duplicate"):
                    continue
                seen.add(id(entry))
                if entry.keys.subject != name_der and not same_name_der(entry.keys.subject, name):
                    continue
                self._classify(entry)
                if entry.role == "csca" and entry.cert is not None:
                    roots.append(entry.cert)
                elif entry.role == "link" and entry.cert is not None:
                    links.append(entry.cert)
        if len(self._named_cache) >= 4096:
            self._named_cache.clear()
        self._named_cache[name_der] = (len(self._entries), roots, links)
        return list(roots), list(links)

    def find_dsc(
        self, *, issuer: Any = None, serial: int | None = None, ski: bytes | None = None
    ) -> Cert | None:
        """A pinned DSC named by a SignerInfo's issuerAndSerialNumber or subjectKeyIdentifier."""
        self._sync()
        candidates: list[StoreEntry] = []
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


def bent_ca(cert: Cert, ca_only: bool) -> bool:
    """A certificate without the CA flag that is a CSCA or link certificate all the same: its
    keyUsage allows signing certificates. From a master list that is enough; from any other
    trust file it must also lack digitalSignature, so a pinned Document Signer (ICAO:
    digitalSignature only) never becomes a CA."""
    usage = cert.key_usage
    if usage is None or "key_cert_sign" not in usage:
        return False
    return ca_only or "digital_signature" not in usage


def keys_of(cert: Cert) -> CertKeys:
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


def same_name_der(subject_der: bytes, name: Any) -> bool:
    """RFC 5280 name equality of an indexed subject (DER) and a parsed name."""
    try:
        return same_name(asn1_x509.Name.load(subject_der), name)
    except ASN1_ERRORS:
        return False

