"""Active Authentication with the caller's challenge (``cccd_reader.active_auth``), against the
virtual chips of the samples: the signature verifies with DG15 over *that* challenge (ECDSA on
the Vietnamese sample, ISO 9796-2 RSA on the passport), a chip without DG15 says so, and a card
that is not the one read (another DG15) is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.active_auth import active_authenticate
from cccd_reader.auth.active import aa_info, verify_active_authentication
from cccd_reader.errors import AccessDeniedError, CardRemovedError
from cccd_reader.iso7816.transport import Transport
from cccd_reader.lds.dg14 import parse_dg14
from cccd_reader.lds.dg15 import parse_dg15
from cccd_sim.agent import SimBackend
from tests.conftest import SAMPLES

VN = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"
VN_KEY = AccessKey.from_personal_number("001190012345")


def _transport(sample: Path) -> Transport:
    backend = SimBackend(sample)
    return backend.connect(backend.name)


def test_ecdsa_signature_over_the_callers_challenge() -> None:
    files = dumpmod.load(VN).files
    challenge = os.urandom(8)
    answer = active_authenticate(_transport(VN), VN_KEY, challenge,
                                 expected_dg15=files["DG15"])
    assert answer.result.status == "pass", answer.result.detail
    assert answer.challenge == challenge and answer.dg15 == files["DG15"]
    assert answer.signature is not None
    infos = aa_info(parse_dg14(files["DG14"]).infos)
    spki = parse_dg15(files["DG15"]).spki
    assert verify_active_authentication(spki, challenge, answer.signature, infos).status == "pass"
    # over another challenge it does not verify: the chip signed what we sent
    other = bytes(b ^ 0xFF for b in challenge)
    assert verify_active_authentication(spki, other, answer.signature, infos).status == "fail"


def test_rsa_iso9796_2_on_the_passport() -> None:
    sample = SAMPLES / "passport-utopia-td3"
    card = dumpmod.load(sample)
    assert card.access.mrz is not None
    key = AccessKey.from_mrz(card.access.mrz)
    challenge = os.urandom(8)
    answer = active_authenticate(_transport(sample), key, challenge)
    assert answer.result.status == "pass", answer.result.detail
    assert answer.signature is not None
    assert verify_active_authentication(parse_dg15(card.files["DG15"]).spki, challenge,
                                        answer.signature).status == "pass"


def test_a_chip_without_dg15_says_so() -> None:
    sample = SAMPLES / "vn-cancuoc-2024-dang-huu-phuoc"
    key = AccessKey.from_can("004567")
    answer = active_authenticate(_transport(sample), key, os.urandom(8))
    assert answer.signature is None and answer.result.status == "skipped"
    with pytest.raises(CardRemovedError):
        active_authenticate(_transport(sample), key, os.urandom(8),
                            expected_dg15=b"\x6f\x00")


def test_another_card_is_refused_and_a_wrong_key_raises() -> None:
    with pytest.raises(CardRemovedError):
        active_authenticate(_transport(VN), VN_KEY, os.urandom(8),
                            expected_dg15=dumpmod.load(
                                SAMPLES / "passport-utopia-td3").files["DG15"])
    with pytest.raises(AccessDeniedError):
        active_authenticate(_transport(VN), AccessKey.from_can("999999"),
                            os.urandom(8))
    with pytest.raises(ValueError):
        active_authenticate(_transport(VN), VN_KEY, b"1234567")
