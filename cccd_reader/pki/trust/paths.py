"""Path building: does a Document Signer chain to what the store trusts, and does it belong to
the state that issued the document?

ICAO 9303 Part 12 (§5, §7): one CSCA per country, no intermediate CAs except link
certificates, the DSC validated at the time the document was signed (the chain model), not
today. The DSC's country must be the document's issuing state: with many countries' CSCAs
trusted, a DSC key stolen from one state must not pass for another's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from cccd_reader.checks import Status
from cccd_reader.pki.countries import mrz_codes_for
from cccd_reader.pki.trust.certs import Cert, check_issued_by, valid_at
from cccd_reader.pki.trust.store_index import IndexedStore


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


class PathBuilder(IndexedStore):
    """DSC -> (link certificate ->) CSCA, or a pinned DSC."""

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
