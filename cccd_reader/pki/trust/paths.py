"""Path building: does a Document Signer chain to what the store trusts, and does it belong to
the state that issued the document?

ICAO 9303 Part 12 (§5, §7): one CSCA per country, no intermediate CAs except link
certificates, the DSC validated at the time the document was signed (the chain model), not
today. The DSC's country must be the document's issuing state: with many countries' CSCAs
trusted, a DSC key stolen from one state must not pass for another's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from cccd_reader.checks import Status
from cccd_reader.pki.countries import mrz_codes_for
from cccd_reader.pki.trust.certs import Cert, check_issued_by, signature_by, valid_at
from cccd_reader.pki.trust.store_index import IndexedStore

#: Why a chain passed or did not (the rule table of :mod:`cccd_reader.pki.trust`):
#: ``csca`` a trusted CSCA (or a link it signed) issued the DSC; ``link_anchor`` a link
#: certificate whose own issuer is not in trust did (it anchors its own key, with a note);
#: ``pinned`` the DSC itself is trusted; ``signature_invalid`` the DSC names a trusted key that
#: did not sign it (forged); ``invalid`` the DSC or its issuer break the profile;
#: ``unsupported_algorithm`` the signature cannot be checked; ``key_not_trusted`` the key the
#: DSC names is not in trust although CSCAs of its country are; ``link_refused`` its issuer is
#: a link certificate the store refused; ``no_anchor`` nothing of its country is trusted.
ChainReason = Literal["csca", "link_anchor", "pinned", "signature_invalid", "invalid",
                      "unsupported_algorithm", "key_not_trusted", "link_refused", "no_anchor",
                      "issuer_unusable"]


@dataclass
class ChainResult:
    """Outcome of validating a DSC against the store."""

    status: Status
    detail: str
    #: "csca": chained to a CSCA (possibly through a link certificate); "pinned"; None.
    mode: Literal["csca", "pinned"] | None = None
    #: The CSCA (or link certificate) that issued the DSC, when mode == "csca".
    issuer: Cert | None = None
    #: The self-issued CSCA at the root of the path (== issuer unless a link cert was used;
    #: a link certificate whose issuer is not in trust is its own anchor).
    anchor: Cert | None = None
    #: Stable reason code (``dsc_chain.<reason>``); see :data:`ChainReason`.
    reason: ChainReason = "no_anchor"
    #: Parameters of the reason's template (country, key identifier, issuer, file).
    params: dict[str, str] = field(default_factory=dict)



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


@dataclass(frozen=True)
class LinkState:
    """What the store makes of one link certificate (see the rule table of the module
    docstring of :mod:`cccd_reader.pki.trust`)."""

    #: "anchored": a trusted CSCA whose key the link names (or, without a key identifier,
    #: whose key verifies it) signed it; "own": its issuer's key is not in trust, so the link
    #: anchors its own key (the operator or a list's signer chose it); "refused": the key it
    #: names did not sign it (forged) or the signature cannot be checked.
    state: Literal["anchored", "own", "refused"]
    #: The CSCA that signed the link (state "anchored").
    csca: Cert | None
    detail: str


class PathBuilder(IndexedStore):
    """DSC -> (link certificate ->) CSCA, or a pinned DSC, by key identifiers first."""

    def link_anchor(self, link: Cert, when: datetime | None = None) -> Cert | None:
        """The CSCA of the store that issued link certificate ``link`` (None: none did)."""
        return self.link_state(link, when).csca

    def _link_refused(self, link: Cert) -> bool:
        return self.link_state(link).state == "refused"

    def link_state(self, link: Cert, when: datetime | None = None) -> LinkState:
        """How the store trusts ``link``: anchored by a trusted CSCA, its own anchor, or
        refused (a warning naming its file is given once)."""
        state = self._link_state(link, when)
        if state.state != "anchored" and link.fingerprint not in self._link_noted:
            self._link_noted.add(link.fingerprint)
            where = link.source or "link certificate"
            if state.state == "refused":
                self._warn(f"{where}: {state.detail}; refused")
            else:
                self.notes.append(f"{where}: {state.detail}")
        return state

    def _link_state(self, link: Cert, when: datetime | None) -> LinkState:
        if link.aki is not None and link.aki == link.ski:
            # it claims to be signed by its own key (a CSCA) and is not: nothing anchors it
            outcome, why = signature_by(link, link)
            if outcome == "unsupported":
                return LinkState("refused", None, "certificate naming its own key, whose "
                                 f"signature cannot be checked ({why})")
            return LinkState("refused", None, "self-issued certificate naming its own key, "
                             "whose signature does not verify with it (a damaged or forged "
                             "CSCA)")
        roots, _ = self._named(link.issuer)
        keyed, unkeyed = _by_key(roots, link.aki)
        verified = [csca for csca in keyed + unkeyed
                    if not check_issued_by(link, csca, issuer_may_lack_ca=self.bends(csca))]
        if verified:  # prefer a CSCA valid when the document was signed
            valid = [c for c in verified if when is None or valid_at(c, when)]
            csca = (valid or verified)[0]
            return LinkState("anchored", csca, f"link certificate issued by CSCA "
                             f"{csca.describe()}")
        for csca in keyed:  # it names a trusted key: that key must have signed it
            outcome, why = signature_by(link, csca)
            if outcome == "unsupported":
                return LinkState("refused", None, "link certificate signature cannot be "
                                 f"checked with the CSCA whose key it names ({why})")
            problems = "; ".join(check_issued_by(link, csca, issuer_may_lack_ca=self.bends(csca)))
            return LinkState("refused", None, "link certificate names the key of trusted CSCA "
                             f"{csca.describe()} but does not verify with it ({problems})")
        key = f"key {link.aki.hex().upper()}" if link.aki else "key"
        return LinkState("own", None, f"link certificate whose issuer ({key} of "
                         f"{link.issuer_country or '??'}) is not in trust: it anchors its own "
                         "key (the operator or the master list's signer chose it)")

    def validate_dsc(self, dsc: Cert, when: datetime | None = None) -> ChainResult:
        """Validate ``dsc`` against the store; ``when`` (signing time) only selects among
        several matching CSCAs and link certificates, validity itself is checked by the caller.

        Key identifiers decide first, signatures where they are absent, never names alone:
        a DSC naming a trusted key that did not sign it is forged (``fail``); a DSC naming a
        key the store does not hold is missing trust (``skipped``), whatever its issuer's name.
        """
        country = dsc.issuer_country
        problems = _dsc_problems(dsc, country)
        roots, links = self._named(dsc.issuer)
        usable: list[tuple[Cert, LinkState]] = []
        refused: list[Cert] = []
        for link in links:
            state = self.link_state(link, when)
            if state.state == "refused":
                refused.append(link)
            else:
                usable.append((link, state))
        states = {id(link): state for link, state in usable}
        keyed, unkeyed = _by_key(roots + [link for link, _ in usable], dsc.aki)
        failures: list[tuple[Cert, list[str]]] = []
        for issuer in keyed + unkeyed:
            issues = list(problems)
            if issuer.country != country:
                issues.append(f"CSCA country {issuer.country} differs from DSC issuer {country}")
            issues += check_issued_by(dsc, issuer, issuer_may_lack_ca=self.bends(issuer))
            if not issues:
                return _path(dsc, issuer, states.get(id(issuer)))
            failures.append((issuer, issues))
        if self.is_pinned(dsc):
            if problems:
                return ChainResult("fail", "pinned DSC is unusable: " + "; ".join(problems),
                                   reason="invalid")
            return ChainResult(
                "pass",
                "DSC pinned in the trust store (trusted directly; no CSCA path, CSCA validity "
                f"or CRL applies): {dsc.describe()}",
                "pinned",
                reason="pinned",
            )
        params = {"country": country or "", "key_id": dsc.aki.hex().upper() if dsc.aki else "",
                  "issuer": dsc.issuer.human_friendly}
        for issuer, issues in failures:
            if issuer not in keyed:
                continue  # no key identifier to hold it to: a signature that fails proves nothing
            outcome, why = signature_by(dsc, issuer)
            who = f"{_role(issuer, states)} {issuer.describe()}"
            if outcome == "unsupported":
                return ChainResult("unsupported", f"DSC signature cannot be checked with {who} "
                                   f"({why}): {dsc.describe()}", reason="unsupported_algorithm",
                                   params=params)
            if outcome == "invalid":  # the named trusted key did not sign it: forged
                return ChainResult("fail", f"DSC names the key of {who} but that key did not "
                                   f"sign it: {'; '.join(issues)}", reason="signature_invalid",
                                   params=params)
            if problems:  # the trusted key signed a certificate that is no DSC (a CA...)
                return ChainResult("fail", f"DSC names the key of {who} but is no valid "
                                   f"Document Signer: {'; '.join(issues)}", reason="invalid",
                                   params=params)
            # The trusted key did sign a proper DSC; what stands in the way is the trusted
            # certificate's own profile (no keyUsage, not a CA, an unknown critical extension,
            # names): a flaw of the trust material, not a proof against the document (issue 27:
            # not_genuine needs a proof). Unverified, saying what to fix.
            return ChainResult("skipped", f"DSC is signed by the key of {who}, but that "
                               f"certificate cannot issue it: {'; '.join(issues)}; "
                               f"DSC {dsc.describe()}", reason="issuer_unusable",
                               params={**params, "problems": "; ".join(issues)})
        if problems:
            return ChainResult("fail", "; ".join(problems), reason="invalid", params=params)
        named = [link for link in refused if dsc.aki is None or link.ski == dsc.aki]
        if named:
            return ChainResult(
                "skipped",
                f"the DSC's issuer is link certificate {named[0].source or named[0].describe()}, "
                f"which the store refused (see the trust warnings): {dsc.describe()}",
                reason="link_refused", params={**params, "file": named[0].source})
        key = f"CSCA key {params['key_id']}" if dsc.aki else "no CSCA key that verifies this DSC"
        if failures or self.cscas_for_country(country):
            return ChainResult(
                "skipped",
                f"{key} of {country or '??'} not in trust (issuer '{dsc.issuer.human_friendly}'"
                f"; the CSCAs of {country or '??'} in trust have other keys): add the CSCA "
                f"certificate{' with this key identifier' if dsc.aki else ''} or its link "
                f"certificate; DSC {dsc.describe()}",
                reason="key_not_trusted", params=params)
        return ChainResult(
            "skipped",
            f"no trust anchor for country {country or '??'}: add the CSCA of {country or '??'} "
            f"(issuer '{dsc.issuer.human_friendly}'"
            f"{', key ' + params['key_id'] if dsc.aki else ''}); DSC {dsc.describe()}",
            reason="no_anchor", params=params)


def _by_key(certs: list[Cert], aki: bytes | None) -> tuple[list[Cert], list[Cert]]:
    """(certificates whose subjectKeyIdentifier is ``aki``, certificates without one): the
    first are held to the key they hold, the second tried by signature. Without an ``aki``
    every certificate is tried by signature."""
    if aki is None:
        return [], list(certs)
    return [c for c in certs if c.ski == aki], [c for c in certs if c.ski is None]


def _dsc_problems(dsc: Cert, country: str | None) -> list[str]:
    """What makes a DSC unusable whoever issued it (ICAO 9303-12 profile)."""
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
    return problems


def _role(issuer: Cert, states: dict[int, LinkState]) -> str:
    return "link certificate" if id(issuer) in states else "CSCA"


def _path(dsc: Cert, issuer: Cert, link: LinkState | None) -> ChainResult:
    """The chain that passed: straight to a CSCA, through an anchored link, or to a link that
    anchors its own key."""
    if link is None:
        return ChainResult("pass", f"DSC issued by CSCA {issuer.describe()}", "csca", issuer,
                           issuer, reason="csca")
    if link.state == "anchored" and link.csca is not None:
        return ChainResult("pass", f"DSC issued by CSCA {link.csca.describe()} via link "
                           f"certificate {issuer.describe()}", "csca", issuer, link.csca,
                           reason="csca")
    return ChainResult(
        "pass",
        f"DSC issued by link certificate {issuer.describe()}; note: {link.detail}",
        "csca", issuer, issuer, reason="link_anchor",
        params={"country": dsc.issuer_country or "", "file": issuer.source})
