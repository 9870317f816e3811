"""The server's check of an evidence package: what is re-proven, and what is not.

A bank's server runs this on a package from a counter PC, with its own trust anchors and the
Active Authentication challenge it chose, and so needs to trust nothing the counter says:

* passive authentication is run again on the package's files by :mod:`cccd_reader.verify`
  (through :meth:`cccd_reader.record.CardRecord.build`, the same code as a read): the SOD
  signature, the Document Signer's chain to the server's trust, every data group's hash;
* the Document Signer certificate carried beside EF.SOD must be the one that signed it;
* Active Authentication is checked again by :mod:`cccd_reader.auth.active` with DG15's key,
  over the challenge the *server* gives, and counts only once DG15's hash passed (the verify
  module's order of trust);
* what cannot be re-proven is listed, with a stable code, never folded into the verdict: the
  counter's verdict, Chip Authentication (bound to the counter's session), the face
  comparison, the live image, the times, and the Ministry's online check (never made here).

``verdict`` follows the verify module's rule over everything re-proven (so a chip whose only
clone detection is Chip Authentication is at best ``unverified`` here); ``data_verdict`` is
the same rule without clone detection: whether the data are what the State signed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from cccd_reader.checks import Check, Status
from cccd_reader.errors import LDSError
from cccd_reader.evidence.messages import Language, render
from cccd_reader.evidence.model import EvidencePackage
from cccd_reader.lds.security_infos import SecurityInfo
from cccd_reader.pki.trust import TrustStore
from cccd_reader.verify import ACTIVE_AUTH, CHIP_AUTH, Verdict, verdict_for

REPORT_FORMAT: Final = "cccd-evidence-report/1"
PACKAGE_DSC: Final = "package_dsc"
CLONE_DETECTION: Final = "clone_detection"
#: The checks that say whether this chip is the original, not whether the data are genuine.
CLONE_CHECKS: Final = frozenset({ACTIVE_AUTH, CHIP_AUTH, CLONE_DETECTION})


@dataclass(frozen=True)
class Finding:
    """Something the package says that the server could not re-prove."""

    code: str
    params: Mapping[str, str] = field(default_factory=dict)

    def detail(self, language: Language = "en") -> str:
        return render(self.code, self.params, language)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params), "detail": self.detail(),
                "detail_vi": self.detail("vi")}


@dataclass(frozen=True)
class EvidenceReport:
    """The server's answer: a verdict over what it re-proved, and what it could not."""

    verdict: Verdict
    data_verdict: Verdict
    checks: tuple[Check, ...]
    not_reproven: tuple[Finding, ...]
    counter_verdict: str | None
    challenge_given: bool
    package: EvidencePackage = field(repr=False)

    @property
    def reproven(self) -> tuple[str, ...]:
        """Names of the checks that passed on the server."""
        return tuple(c.name for c in self.checks if c.status == "pass")

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    def to_json(self) -> dict[str, Any]:
        face = self.package.face
        return {
            "format": REPORT_FORMAT,
            "verdict": self.verdict,
            "data_verdict": self.data_verdict,
            "checks": [c.to_json() for c in self.checks],
            "reproven": list(self.reproven),
            "not_reproven": [f.to_json() for f in self.not_reproven],
            "challenge_given": self.challenge_given,
            "counter": {
                "verdict": self.counter_verdict,
                "producer": {"software": self.package.producer.software,
                             "version": self.package.producer.version,
                             "component": self.package.producer.component},
                "face_band": face.band if face is not None else None,
                "live_image": self.package.live_image is not None,
            },
        }


def _check(name: str, status: Status, reason: str, *, required: bool = True,
           params: Mapping[str, str] | None = None, extra: str = "") -> Check:
    code = f"{name}.{reason}"
    detail = render(code, params)
    return Check(name, status, f"{detail} {extra}".strip(), required, code, dict(params or {}))


def _active_auth_check(package: EvidencePackage, challenge: bytes | None) -> Check | None:
    """Active Authentication re-checked over the server's challenge (None: no DG15)."""
    from cccd_reader.auth.active import aa_info, verify_active_authentication
    from cccd_reader.lds.dg14 import parse_dg14
    from cccd_reader.lds.dg15 import parse_dg15

    files = package.files
    if "DG15" not in files:
        return None
    aa = package.active_auth
    if aa.challenge is None or aa.signature is None:
        return _check(ACTIVE_AUTH, "skipped", "not_in_package", extra=f"({aa.note})")
    if challenge is not None and challenge != aa.challenge:
        return _check(ACTIVE_AUTH, "fail", "challenge_mismatch")
    try:
        spki = parse_dg15(files["DG15"]).spki
    except LDSError as exc:
        return _check(ACTIVE_AUTH, "fail", "invalid", extra=f"(DG15 cannot be parsed: {exc})")
    infos: tuple[SecurityInfo, ...] = ()
    if "DG14" in files:
        try:
            infos = parse_dg14(files["DG14"]).infos
        except LDSError:
            infos = ()
    result = verify_active_authentication(spki, aa.challenge, aa.signature, aa_info(infos))
    if challenge is None:
        return _check(ACTIVE_AUTH, "skipped", "no_server_challenge",
                      extra=f"(over the package's own challenge: {result.status})")
    if result.status == "pass":
        return _check(ACTIVE_AUTH, "pass", "verified", extra=f"({result.detail})")
    if result.status == "unsupported":
        return _check(ACTIVE_AUTH, "unsupported", "unsupported", extra=f"({result.detail})")
    return _check(ACTIVE_AUTH, "fail", "invalid", extra=f"({result.detail})")


def _chip_offers_ca(package: EvidencePackage) -> bool:
    from cccd_reader.lds.dg14 import parse_dg14

    if any(c.name == CHIP_AUTH for c in package.counter_checks):
        return True
    if "DG14" in package.files:
        try:
            return bool(parse_dg14(package.files["DG14"]).chip_authentication)
        except LDSError:
            return False
    return False


def _dsc_check(package: EvidencePackage, signer_der: bytes | None) -> Check:
    if signer_der is None:
        return _check(PACKAGE_DSC, "skipped", "no_signer", required=False)
    if package.dsc is None:
        return _check(PACKAGE_DSC, "skipped", "absent", required=False)
    if package.dsc == signer_der:
        return _check(PACKAGE_DSC, "pass", "match")
    return _check(PACKAGE_DSC, "fail", "mismatch")


def verify_package(
    package: EvidencePackage,
    trust: TrustStore | None,
    *,
    challenge: bytes | None = None,
    now: datetime | None = None,
) -> EvidenceReport:
    """Re-prove what a package can prove, with the server's ``trust`` and ``challenge``.

    ``challenge``: the Active Authentication challenge the server chose for this session
    (None: the signature is checked but cannot count, a replay being possible). Never raises
    for a forged or inconsistent package: that is in the checks and the verdict. Revocation
    follows ``trust.require_crl``, as for a read.
    """
    from cccd_reader.record import CardRecord

    clone: list[Check] = []
    aa_check = _active_auth_check(package, challenge)
    if aa_check is not None:
        clone.append(aa_check)
    elif _chip_offers_ca(package):
        clone.append(_check(CHIP_AUTH, "skipped", "not_reprovable"))
    else:
        clone.append(_check(CLONE_DETECTION, "skipped", "not_offered", required=False))
    record = CardRecord.build(package.files, trust=trust, decode_photo=False, now=now,
                              extra_checks=clone, protected=package.absent_eac,
                              missing=package.absent_missing)
    verification = record.verification
    assert verification is not None
    signer = verification.dsc.der if verification.dsc is not None else None
    checks = (*verification.checks, _dsc_check(package, signer))
    data_checks = [c for c in checks if c.name not in CLONE_CHECKS]
    return EvidenceReport(
        verdict=verdict_for(checks),
        data_verdict=verdict_for(data_checks),
        checks=checks,
        not_reproven=_not_reproven(package, aa_check),
        counter_verdict=package.counter_verdict,
        challenge_given=challenge is not None,
        package=package,
    )


def _not_reproven(package: EvidencePackage, aa_check: Check | None) -> tuple[Finding, ...]:
    out = [Finding("not_reproven.counter_verdict",
                   {"verdict": package.counter_verdict or "none"})]
    counter_ca = next((c for c in package.counter_checks if c.name == CHIP_AUTH), None)
    if counter_ca is not None and aa_check is not None:
        out.append(Finding("not_reproven.chip_auth", {"status": counter_ca.status}))
    face = package.face
    if face is not None:
        if face.band is not None:
            out.append(Finding("not_reproven.face", {"band": face.band}))
        else:
            out.append(Finding("not_reproven.face_refused",
                               {"code": (face.refused or {}).get("code", "")}))
    if package.live_image is not None:
        out.append(Finding("not_reproven.live_image"))
    out.append(Finding("not_reproven.times"))
    out.append(Finding("not_reproven.online_check"))
    return tuple(out)
