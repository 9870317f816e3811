"""Clone detection through the real pcscd + vpcd stack: genuine chips pass Active and Chip
Authentication, clones and chips with the wrong key fail, and a DG15 altered after signing leaves
AA unproven (the verdict fails on the DG hash)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.iso7816.pcsc import PcscTransport
from cccd_reader.pki.trust import TrustStore
from cccd_reader.read_flow import ReadResult, read_card
from cccd_reader.record import CardRecord
from cccd_reader.verify import Verification
from cccd_sim import issuer
from cccd_sim.cards import chip_for_dump, config_for
from tests.conftest import SAMPLES

Insert = Callable[..., AbstractContextManager[str]]
PKI = SAMPLES / "pki"
TRUST = {
    "vn": [PKI / "csca-vn.der", PKI / "csca-vn.crl"],
    "ut": [PKI / "csca-ut.der", PKI / "csca-ut.crl"],
}
#: sample -> (trust, checks expected)
SAMPLE_CHECKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "vn-cccd-2021-nguyen-thi-ngoc-anh": ("vn", ("active_auth", "chip_auth")),
    "vn-cancuoc-2024-dang-huu-phuoc": ("vn", ("chip_auth",)),
    "passport-utopia-td3": ("ut", ("active_auth",)),
    "vn-cccd-2021-le-thi-thu-huong-lifetime": ("vn", ("clone_detection",)),
    "vn-cccd-2021-tran-van-minh-lifetime": ("vn", ("clone_detection",)),
}


def _key(card: dumpmod.CardDump) -> AccessKey:
    if "EF.CardAccess" in card.files and card.access.can:
        return AccessKey.from_can(card.access.can)
    assert card.access.mrz
    return AccessKey.from_mrz(card.access.mrz)


def _read(
    vpcd_card: Insert, card: dumpmod.CardDump, trust: str, **config: object
) -> tuple[ReadResult, Verification]:
    cfg = dataclasses.replace(config_for(card.profile), **config)  # type: ignore[arg-type]
    with vpcd_card(chip_for_dump(card, cfg)) as reader:
        transport = PcscTransport(reader, extended=True)
        try:
            result = read_card(transport, _key(card))
        finally:
            transport.close()
    store = TrustStore.from_paths(TRUST[trust], include_default=False)
    record = CardRecord.build(result.files, trust=store, extra_checks=result.chip_checks)
    assert record.verification is not None
    return result, record.verification


@pytest.mark.pcsc
@pytest.mark.parametrize("name", list(SAMPLE_CHECKS))
def test_genuine_samples_pass_clone_detection(vpcd_card: Insert, name: str) -> None:
    card = dumpmod.load(SAMPLES / name)
    trust, expected = SAMPLE_CHECKS[name]
    result, verification = _read(vpcd_card, card, trust)
    assert result.files == card.files
    assert tuple(c.name for c in result.chip_checks) == expected
    for check in result.chip_checks:
        if check.name == "clone_detection":
            assert check.status == "skipped" and not check.required
            assert "clone detection not available" in check.detail
        else:
            assert check.status == "pass", check.detail
    assert verification.verdict == "genuine", [
        (c.name, c.status, c.detail) for c in verification.checks if c.status != "pass"
    ]


@pytest.mark.pcsc
@pytest.mark.parametrize("name", [n for n, (_, c) in SAMPLE_CHECKS.items()
                                  if c != ("clone_detection",)])
def test_cloned_chips_are_not_genuine(vpcd_card: Insert, name: str) -> None:
    card = dumpmod.load(SAMPLES / name)
    trust, expected = SAMPLE_CHECKS[name]
    result, verification = _read(vpcd_card, card, trust, clone=True)
    assert result.files == card.files  # a clone copies the data perfectly ...
    assert all(c.status == "pass" for c in verification.checks
               if c.name.startswith("dg_hash:"))  # ... so passive authentication passes
    failed = {c.name: c.detail for c in verification.checks if c.status == "fail"}
    assert set(failed) == set(expected)
    for detail in failed.values():
        assert "does not hold" in detail
    assert verification.verdict == "not_genuine"


@pytest.mark.pcsc
def test_wrong_active_auth_key_alone_fails_active_auth(vpcd_card: Insert) -> None:
    card = dumpmod.load(SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh")
    result, verification = _read(vpcd_card, card, "vn", wrong_active_auth_key=True)
    statuses = {c.name: c.status for c in result.chip_checks}
    assert statuses == {"active_auth": "fail", "chip_auth": "pass"}
    assert verification.verdict == "not_genuine"


@pytest.mark.pcsc
def test_wrong_rsa_active_auth_key_fails(vpcd_card: Insert) -> None:
    card = dumpmod.load(SAMPLES / "passport-utopia-td3")
    _, verification = _read(vpcd_card, card, "ut", wrong_active_auth_key=True)
    aa = verification.check("active_auth")
    assert aa is not None and aa.status == "fail"
    assert "ISO 9796-2" in aa.detail
    assert verification.verdict == "not_genuine"


@pytest.mark.pcsc
def test_tampered_dg15_leaves_active_auth_unproven(vpcd_card: Insert) -> None:
    """A DG15 swapped after signing: whatever the chip answers proves nothing; dg_hash fails."""
    card = issuer.tamper_file(dumpmod.load(SAMPLES / "passport-utopia-td3"), "DG15", offset=-10)
    _, verification = _read(vpcd_card, card, "ut")
    aa = verification.check("active_auth")
    assert aa is not None
    assert aa.status == "skipped" and aa.required and aa.detail.startswith("unproven")
    dg15 = verification.check("dg_hash:DG15")
    assert dg15 is not None and dg15.status == "fail"
    assert verification.verdict == "not_genuine"


@pytest.mark.pcsc
def test_chip_auth_on_pace_cam_chip_through_pcscd(vpcd_card: Insert) -> None:
    base = next(s for s in issuer.SAMPLES if s.name == "vn-cccd-2021-nguyen-thi-ngoc-anh")
    card = issuer.issue(dataclasses.replace(
        base, pace=(("id-PACE-ECDH-CAM-AES-CBC-CMAC-128", 13),)))
    _, verification = _read(vpcd_card, card, "vn")
    ca = verification.check("chip_auth")
    assert ca is not None and ca.status == "pass" and "PACE-CAM" in ca.detail
    assert verification.verdict == "genuine"
    _, verification = _read(vpcd_card, card, "vn", clone=True)
    assert verification.verdict == "not_genuine"
    assert {c.name for c in verification.checks if c.status == "fail"} == {
        "active_auth", "chip_auth"}
