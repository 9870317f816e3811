"""Revocation: what the store's CRLs say about a certificate on a validated path.

Only a CRL whose signature verified with the CSCA that issued it counts. A certificate listed
in any such CRL, however old, is revoked; proof of non-revocation needs a current complete
one. A link certificate is checked against its CSCA's CRLs like a DSC: revoking the new key
must cut every path through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from cccd_reader.checks import Status
from cccd_reader.pki.trust.certs import Cert, same_name
from cccd_reader.pki.trust.crls import Crl
from cccd_reader.pki.trust.paths import ChainResult
from cccd_reader.pki.trust.store_index import IndexedStore


class Revocation(IndexedStore):
    """The revocation checks of the store."""

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

