"""A chip that lies must never get a record past the reader as genuine, nor hang or crash it.

Each case reads a hostile virtual chip (:mod:`cccd_sim.hostile`) in process through
``service.read_and_verify``, the path the CLI and the desktop app use, and holds it to the
contract: a :class:`CccdError` (never another exception) within a time bound, or a completed
read whose verdict is not ``genuine`` unless every signed file is byte for byte the real one.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.dump import CardDump
from cccd_reader.errors import (
    CardError,
    CccdError,
    LDSError,
    ParseError,
    ReadIncompleteError,
    SecureMessagingError,
)
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.lds.files import dg_number
from cccd_reader.mrz import parse as parse_mrz
from cccd_reader.pki.trust import TrustStore
from cccd_reader.service import ReadOutcome, read_and_verify, read_with_recovery
from cccd_sim.cards import chip_for_dump
from cccd_sim.hostile import HOSTILE_MODES, HostileChip, HostileMode, wrong_sod_dump

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
PASSPORT = "passport-utopia-td3"  # BAC, 3DES secure messaging
VN = "vn-cccd-2021-nguyen-thi-ngoc-anh"  # PACE, AES secure messaging, AA + CA
#: Generous on purpose: the point is "never a hang", and CI machines are shared.
TIME_BOUND = 20.0

#: What each mode must end in: an error of these types, or (None) a completed read that the
#: verdict rejects.
EXPECTED: dict[HostileMode, tuple[type[CccdError], ...] | None] = {
    "huge_length": (CardError,),
    "length_beyond_file": (ReadIncompleteError, CardError),
    "nesting_bomb": None,  # overridden per target below
    "endless_file": None,
    "empty_ok": (ReadIncompleteError,),
    "oversized": None,
    "wrong_mac": (SecureMessagingError,),
    "replay": (SecureMessagingError,),
    "ok_no_sm": (SecureMessagingError,),
    "truncated_sm": (SecureMessagingError,),
    "loop_61": (CardError,),
    "loop_6c": (CardError,),
    "silent": (ParseError,),
}
#: Files whose contents are attacked, per mode (the wire modes hit the first READ BINARY).
TARGETS: dict[HostileMode, tuple[str, ...]] = {
    "huge_length": ("EF.COM", "EF.SOD", "DG1", "DG2"),
    "length_beyond_file": ("EF.SOD", "DG2"),
    "nesting_bomb": ("EF.COM", "EF.SOD", "DG1", "DG2"),
    "endless_file": ("EF.SOD", "DG2"),
    "empty_ok": ("EF.COM", "DG2"),
    "oversized": ("EF.SOD", "DG2"),
}
CASES = [
    pytest.param(sample, mode, target, id=f"{sample.split('-')[0]}-{mode}-{target}")
    for sample in (PASSPORT, VN)
    for mode in HOSTILE_MODES
    for target in TARGETS.get(mode, ("DG2",))
] + [
    pytest.param(VN, "nesting_bomb", name, id=f"vn-nesting_bomb-{name}")
    for name in ("DG13", "DG14", "DG15")
] + [
    pytest.param(VN, mode, "EF.CardAccess", id=f"vn-{mode}-EF.CardAccess")
    for mode in ("huge_length", "nesting_bomb", "empty_ok", "endless_file")
]


def _card(name: str) -> CardDump:
    if not (SAMPLES / name).is_dir():
        pytest.fail(f"sample {name} is missing from samples/")
    return dumpmod.load(SAMPLES / name)


def _key(card: CardDump) -> AccessKey:
    if card.access.can:
        return AccessKey.from_can(card.access.can)
    assert card.access.mrz is not None
    return AccessKey(mrz_information=parse_mrz(card.access.mrz).mrz_information())


@pytest.fixture(scope="module")
def trust() -> TrustStore:
    return TrustStore.from_paths([SAMPLES / "pki"], include_default=False)


def _read(
    process: object, card: CardDump, trust: TrustStore, *, extended: bool
) -> tuple[ReadOutcome | CccdError, float]:
    transport = InProcessTransport(process, extended=extended)  # type: ignore[arg-type]
    t0 = time.perf_counter()
    try:
        outcome: ReadOutcome | CccdError = read_and_verify(transport, _key(card), trust=trust)
    except CccdError as exc:
        outcome = exc
    # any other exception propagates and fails the test with its traceback
    return outcome, time.perf_counter() - t0


def _signed_files_intact(outcome: ReadOutcome, card: CardDump) -> bool:
    """True when EF.SOD and every data group read are the card's real bytes."""
    files = outcome.result.files
    return all(
        files[name] == card.files.get(name)
        for name in files
        if name == "EF.SOD" or dg_number(name) is not None
    )


def assert_not_passed_off(outcome: ReadOutcome, card: CardDump) -> None:
    """A completed read of altered data must not be genuine."""
    if not _signed_files_intact(outcome, card):
        assert outcome.record.verification.verdict != "genuine", outcome.record.verification


def _expected(mode: HostileMode, target: str) -> tuple[type[CccdError], ...] | None:
    if target == "EF.CardAccess":
        # unreadable before access control: the reader falls back to BAC, which a CAN cannot
        # open (or PACE setup fails): any typed error, or a read that stays honest
        return None
    if mode == "nesting_bomb" and target == "EF.COM":
        return (LDSError,)  # the reader itself needs EF.COM's tag list
    return EXPECTED[mode]


@pytest.mark.parametrize("extended", [True, False], ids=["extended", "short"])
@pytest.mark.parametrize(("sample", "mode", "target"), CASES)
def test_hostile_chip_fails_cleanly(
    sample: str, mode: HostileMode, target: str, extended: bool, trust: TrustStore
) -> None:
    card = _card(sample)
    assert target in card.files, f"{sample} has no {target}"
    chip = HostileChip(card, mode, target=target)
    outcome, elapsed = _read(chip.process, card, trust, extended=extended)
    assert elapsed < TIME_BOUND, f"{mode} took {elapsed:.1f}s"
    expected = _expected(mode, target)
    if isinstance(outcome, CccdError):
        if expected is not None:
            assert isinstance(outcome, expected), repr(outcome)
        # messages reach logs and the UI: one line, no traceback material
        assert "\n" not in str(outcome)
        return
    if expected is not None:
        pytest.fail(f"{mode} on {target}: read completed, expected {expected}")
    assert_not_passed_off(outcome, card)
    if mode in ("nesting_bomb", "endless_file") and target != "EF.CardAccess":
        assert outcome.record.verification.verdict == "not_genuine"


def test_oversized_answers_never_become_genuine_data(trust: TrustStore) -> None:
    """More bytes than Le is a protocol violation; at the least the bytes must not verify."""
    card = _card(VN)
    outcome, _ = _read(HostileChip(card, "oversized").process, card, trust, extended=False)
    if not isinstance(outcome, CccdError):
        assert_not_passed_off(outcome, card)


def test_oversized_answers_are_refused(trust: TrustStore) -> None:
    card = _card(VN)
    outcome, _ = _read(HostileChip(card, "oversized").process, card, trust, extended=False)
    assert isinstance(outcome, CardError)


def test_silent_card_still_has_an_atr() -> None:
    chip = HostileChip(_card(PASSPORT), "silent")
    assert chip.atr.startswith(b"\x3b") and chip.process(b"\x00\xa4\x00\x0c") == b""


@pytest.mark.parametrize("mode", ["wrong_mac", "replay", "empty_ok"])
def test_recovery_retries_are_bounded(mode: HostileMode, trust: TrustStore) -> None:
    """The service retries transient errors with a fresh session, a fixed number of times."""
    card = _card(VN)
    chips: list[HostileChip] = []

    def connect() -> InProcessTransport:
        chips.append(HostileChip(card, mode))
        return InProcessTransport(chips[-1].process)

    t0 = time.perf_counter()
    with pytest.raises(CccdError):
        read_with_recovery(connect, _key(card), trust=trust, attempts=2)
    assert time.perf_counter() - t0 < TIME_BOUND
    assert len(chips) <= 2


# --- a SOD signed by the real Document Signer over other data ---------------------------------


def _signer(name: str) -> tuple[ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey, x509.Certificate]:
    pki = SAMPLES / "pki"
    key = load_pem_private_key((pki / f"{name}.key.pem").read_bytes(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey)
    return key, x509.load_der_x509_certificate((pki / f"{name}.der").read_bytes())


@pytest.mark.parametrize(
    ("sample", "dsc", "donor", "swapped"),
    [
        (VN, "dsc-vn-2021", "vn-cccd-2021-le-thi-thu-huong-lifetime", ("DG1", "DG2")),
        (VN, "dsc-vn-2021", "vn-cccd-2021-le-thi-thu-huong-lifetime", ("DG13",)),
        (PASSPORT, "dsc-ut-2021", VN, ("DG2",)),
    ],
)
def test_sod_over_other_data_is_not_genuine(
    sample: str, dsc: str, donor: str, swapped: tuple[str, ...], trust: TrustStore
) -> None:
    card, other = _card(sample), _card(donor)
    key, cert = _signer(dsc)
    forged = wrong_sod_dump(
        card,
        private_key=key,
        certificate=cert,
        other={name: other.files[name] for name in swapped},
        signing_time=datetime(2022, 1, 1, tzinfo=UTC),
    )
    chip = chip_for_dump(forged)
    outcome, elapsed = _read(chip.process, forged, trust, extended=True)
    assert elapsed < TIME_BOUND
    assert not isinstance(outcome, CccdError), outcome
    verification = outcome.record.verification
    assert verification.verdict == "not_genuine"
    # the signature and chain are fine: only the hashes catch it, and they must
    assert verification.check("sod_signature").status == "pass"  # type: ignore[union-attr]
    assert verification.check("dsc_chain").status == "pass"  # type: ignore[union-attr]
    for name in swapped:
        assert verification.check(f"dg_hash:{name}").status == "fail"  # type: ignore[union-attr]
