"""ICAO CSCA master lists (ICAO 9303 Part 12 §9): the signed envelope, its signer, and adding
the listed certificates to the store.

A list is walked by TLV headers (a 16 MiB list must not cost copies of itself), its signature
checked before its certificates are even sliced out, and its certificates indexed, not parsed.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asn1crypto import cms

from cccd_reader.checks import Status
from cccd_reader.errors import ASN1_ERRORS
from cccd_reader.pki.signatures import SignatureError, verify_signature
from cccd_reader.pki.trust import cache as trust_cache
from cccd_reader.pki.trust import files as trust_files
from cccd_reader.pki.trust.certs import Cert, MasterListError, TrustError, check_issued_by, valid_at
from cccd_reader.pki.trust.files import check_size
from cccd_reader.pki.trust.index import (
    IndexKeyError,
    cert_keys,
    cert_serial,
    master_list_slices,
    normal_country,
    read_tlv,
    slice_sequence_items,
)
from cccd_reader.pki.trust.store_index import IndexedStore, StoreEntry, same_name_der

#: id-icao-cscaMasterList (ICAO 9303 Part 12 §9): eContentType of a CSCA master list.
MASTER_LIST_OID = "2.23.136.1.1.2"
#: id-icao-mrtd-security-cscaMasterListSigningKey (ICAO 9303 Part 12 §9): the extended key usage
#: a Master List Signer certificate may carry.
ML_SIGNING_EKU_OID = "2.23.136.1.1.3"


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
    cap = trust_files.MAX_CERTS_PER_FILE
    if len(slices) > cap:
        raise MasterListError(f"{source}: {len(slices)} certificates, more than the {cap} allowed")
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

class MasterLists(IndexedStore):
    """Adding a verified master list's certificates to the store."""

    def __init__(self, *, require_crl: bool = False) -> None:
        super().__init__(require_crl=require_crl)
        #: One report per master list given, in order.
        self.master_lists: list[MasterListReport] = []
        #: Per trusted list: the store's entry for each readable listed certificate (a
        #: certificate another file gave first is that file's entry).
        self._members: dict[str, list[StoreEntry]] = {}

    def master_list_usage(self, report: MasterListReport) -> tuple[int, int]:
        """(used, skipped) certificates of the list ``report`` describes.

        Classifies them all now, so each skipped one is named in :attr:`warnings` (file,
        index, subject, reason). Used: CSCAs and usable link certificates (anchored by a
        trusted CSCA or anchoring their own key); skipped: unreadable ones, certificates that
        are neither, and link certificates refused by the rule table. A list whose signer
        does not chain uses nothing."""
        if report.source not in self._members:
            return 0, report.listed
        members = self._members[report.source]
        for entry in members:
            self._classify(entry)
        links = {cert.fingerprint for cert in self._links}
        used = 0
        for entry in members:
            if entry.cert is None or entry.role not in ("csca", "link", "duplicate"):
                continue
            if entry.cert.fingerprint in links and self._link_refused(entry.cert):
                continue
            used += 1
        return used, report.listed - used

    def add_master_list(
        self, data: bytes, *, source: str = "master list", now: datetime | None = None
    ) -> MasterListReport:
        """Verify a CSCA master list and, if its signer chains, add its certificates.

        The list's signature must verify (else :class:`MasterListError`, nothing loaded),
        checked before its certificates are even sliced out. Its signer must chain to a
        self-signed CSCA of the signer's country, carried in the list itself or already in
        the store; otherwise none of its certificates is trusted and a warning naming the file
        goes to :attr:`warnings`. A list that carries its own signer's CSCA vouches for itself:
        importing it is the operator's trust decision in whoever signed it (as with any CSCA
        file), so ``cccd trust import`` and ``trust list`` name the signer. The
        signer's validity ``now`` (load time) and, when present, its extendedKeyUsage
        (cscaMasterListSigningKey) are reported as warnings. The listed certificates are
        indexed, not parsed: one that turns out unreadable is named in :attr:`warnings` when
        it is first needed (``cccd trust list`` parses them all), a non-CA one is ignored.
        """
        now = now if now is not None else datetime.now(UTC)
        check_size(data, source)
        try:
            econtent, slices, signer = _parse_master_list(data, source)
        except MasterListError:
            raise
        except (TrustError, *ASN1_ERRORS) as exc:
            raise MasterListError(f"{source}: malformed master list ({exc})") from exc
        entries: list[StoreEntry] = []
        unreadable: list[str] = []
        ders = [bytes(econtent[offset:offset + length]) for offset, length in slices]
        keyed = trust_cache.keys_for(hashlib.sha256(data).hexdigest(), ders)
        for index, (der, (keys, error)) in enumerate(zip(ders, keyed, strict=True)):
            if keys is None:
                unreadable.append(f"{source}#{index}: not a valid X.509 certificate ({error})")
                continue
            entries.append(StoreEntry(der, f"{source}#{index}", keys, ca_only=True))
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
            members: list[StoreEntry] = []
            for entry in entries:
                if entry.keys.fingerprint not in self._by_fingerprint:
                    self._index(entry)
                members.append(self._by_fingerprint[entry.keys.fingerprint][0])
                added += 1
            self._members[source] = members
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
    def _own_cscas(entries: list[StoreEntry], signer: Cert, country: str | None) -> list[Cert]:
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
            if entry.keys.subject != issuer_der and not same_name_der(
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
