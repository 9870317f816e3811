"""No combination of missing trust, unsupported algorithms, skipped files or failed steps is
``genuine``: only a complete, untouched read against a real trust anchor is.

The variations are real: cards read in process from the samples (clones and refusing chips
built with ``sim.profiles.chip_for_dump``), files dropped or patched after the read, and trust
stores that are empty, rogue or pinned. The verdict rule itself is then checked exhaustively
with ``verify.enumerate_verdicts``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.dump import CardDump
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.lds.files import dg_number
from cccd_reader.mrz import parse as parse_mrz
from cccd_reader.pki.trust import TrustStore
from cccd_reader.read_flow import ReadResult, read_card
from cccd_reader.record import CardRecord
from cccd_reader.verify import CORE_CHECKS, Check, enumerate_verdicts, verdict_for
from cccd_sim.cards import chip_for_dump, config_for
from cccd_sim.hostile import wrong_sod_dump

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
PKI = SAMPLES / "pki"
#: sample -> the DSC that signed it, and another state's DSC
SAMPLE_DSC = {
    "vn-cccd-2021-nguyen-thi-ngoc-anh": ("dsc-vn-2021", "dsc-ut-2021"),
    "passport-utopia-td3": ("dsc-ut-2021", "dsc-vn-2021"),
    "vn-cancuoc-2024-dang-huu-phuoc": ("dsc-vn-2024", "dsc-ut-2021"),
}
#: Signature algorithm OIDs (DER content) whose last arc the "unsupported" variant changes.
_SIG_OIDS = (
    bytes.fromhex("2a8648ce3d040302"),  # ecdsa-with-SHA256
    bytes.fromhex("2a8648ce3d040303"),  # ecdsa-with-SHA384
    bytes.fromhex("2a864886f70d01010b"),  # sha256WithRSAEncryption
)


def _card(name: str) -> CardDump:
    if not (SAMPLES / name).is_dir():
        pytest.fail(f"sample {name} is missing from samples/")
    return dumpmod.load(SAMPLES / name)


def _key(card: CardDump) -> AccessKey:
    if card.access.can:
        return AccessKey.from_can(card.access.can)
    assert card.access.mrz is not None
    return AccessKey(mrz_information=parse_mrz(card.access.mrz).mrz_information())


def _read(card: CardDump, **config: object) -> ReadResult:
    cfg = replace(config_for(card.profile), **config)  # type: ignore[arg-type]
    chip = chip_for_dump(card, cfg)
    transport = InProcessTransport(chip.process, extended=chip.config.extended_length)
    return read_card(transport, _key(card))


def _verdict(
    files: dict[str, bytes],
    trust: TrustStore | None,
    *,
    result: ReadResult,
    missing: tuple[str, ...] = (),
) -> tuple[str, CardRecord]:
    record = CardRecord.build(
        files,
        trust=trust,
        access=None,
        protected=result.protected,
        missing=[*result.missing, *missing],
        decode_photo=False,
        extra_checks=result.chip_checks,
    )
    return record.verification.verdict, record


# --- trust stores --------------------------------------------------------------------------------


def _trusts(sample: str) -> dict[str, Callable[[], TrustStore | None]]:
    own, other = SAMPLE_DSC[sample]

    def pinned(name: str) -> TrustStore:
        store = TrustStore()
        store.pin_dsc((PKI / f"{name}.der").read_bytes(), source=name)
        return store

    return {
        "full": lambda: TrustStore.from_paths([PKI], include_default=False),
        "none": lambda: None,
        "empty": TrustStore,
        "rogue_csca": lambda: TrustStore.from_paths(
            [SAMPLES / "negative" / "pki-rogue"], include_default=False
        ),
        "other_state_only": lambda: TrustStore.from_paths(
            [PKI / ("csca-ut.der" if "vn" in sample else "csca-vn.der")], include_default=False
        ),
        "pinned_dsc": lambda: pinned(own),
        "pinned_wrong_dsc": lambda: pinned(other),
    }


#: Trust models under which an untouched read may be genuine (a pinned DSC is an anchor).
TRUSTED = {"full", "pinned_dsc"}


# --- file variations ---------------------------------------------------------------------------


def _patch_sig_oid(sod: bytes) -> bytes:
    """Change the last arc of the SignerInfo's signature algorithm (the last such OID: the
    certificates come before the SignerInfo) to one nobody implements."""
    for oid in _SIG_OIDS:
        der = bytes([0x06, len(oid)]) + oid
        at = sod.rfind(der)
        if at >= 0:
            end = at + len(der) - 1
            return sod[:end] + b"\x7f" + sod[end + 1 :]
    raise AssertionError("no known signature algorithm OID in EF.SOD")


def _patch_digest_oid(sod: bytes) -> bytes:
    """An unknown SignerInfo digest algorithm (sha256/384 -> arc 127): the last such OID,
    since the SignerInfo ends the SignedData (the first one, in the unsigned digestAlgorithms
    SET, is never used)."""
    for last in (0x01, 0x02):
        der = bytes.fromhex("0609608648016503040201")[:-1] + bytes([last])
        at = sod.rfind(der)
        if at >= 0:
            end = at + len(der) - 1
            return sod[:end] + b"\x7f" + sod[end + 1 :]
    raise AssertionError("no sha256/sha384 OID in EF.SOD")


def _file_variants(files: dict[str, bytes]) -> dict[str, tuple[dict[str, bytes], tuple[str, ...]]]:
    """name -> (files, extra 'missing' names)."""
    out: dict[str, tuple[dict[str, bytes], tuple[str, ...]]] = {"untouched": (dict(files), ())}
    for name in files:
        if dg_number(name) is not None:
            out[f"drop_{name}"] = ({k: v for k, v in files.items() if k != name}, (name,))
            flipped = bytearray(files[name])
            flipped[-1] ^= 0x01
            out[f"flip_{name}"] = ({**files, name: bytes(flipped)}, ())
    out["drop_EF.SOD"] = ({k: v for k, v in files.items() if k != "EF.SOD"}, ())
    out["sig_alg_unsupported"] = ({**files, "EF.SOD": _patch_sig_oid(files["EF.SOD"])}, ())
    out["digest_alg_unknown"] = ({**files, "EF.SOD": _patch_digest_oid(files["EF.SOD"])}, ())
    sod = tlv.decode(files["EF.SOD"])
    out["sod_truncated"] = ({**files, "EF.SOD": sod.encode()[: len(files["EF.SOD"]) // 2]}, ())
    return out


# --- the matrix --------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=sorted(SAMPLE_DSC))
def sample(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def base_read(sample: str) -> ReadResult:
    return _read(_card(sample))


def test_only_full_trust_untouched_is_genuine(sample: str, base_read: ReadResult) -> None:
    trusts = _trusts(sample)
    variants = _file_variants(base_read.files)
    genuine: list[tuple[str, str]] = []
    for (tname, make), (vname, (files, missing)) in itertools.product(
        trusts.items(), variants.items()
    ):
        verdict, record = _verdict(files, make(), result=base_read, missing=missing)
        if verdict == "genuine":
            genuine.append((tname, vname))
        if vname != "untouched" or tname not in TRUSTED:
            assert verdict != "genuine", (tname, vname, record.verification.checks)
        if vname == "sig_alg_unsupported":
            check = record.verification.check("sod_signature")
            assert check is not None and check.status != "pass", check
    assert sorted(genuine) == sorted((t, "untouched") for t in TRUSTED)


CHIP_VARIANTS: dict[str, dict[str, object]] = {
    "clone": {"clone": True},
    "wrong_aa_key": {"wrong_active_auth_key": True},
    "wrong_ca_key": {"wrong_chip_auth_key": True},
    "aa_not_answered": {"active_auth": False},
    "ca_not_answered": {"chip_auth": False},
    "dg2_protected": {"eac_protected": frozenset({"DG2", "DG3", "DG4"})},
    "dg1_protected": {"eac_protected": frozenset({"DG1", "DG3", "DG4"})},
}


def _applicable(sample: str, variant: str) -> bool:
    """AA/CA variants only for samples whose chip offers that protocol (DG15 / DG14)."""
    files = {p.name for p in (SAMPLES / sample).iterdir()}
    needs = {"wrong_aa_key": "DG15", "aa_not_answered": "DG15",
             "wrong_ca_key": "DG14", "ca_not_answered": "DG14"}.get(variant)
    return needs is None or needs in files


CHIP_CASES = [(s, v) for s in sorted(SAMPLE_DSC) for v in sorted(CHIP_VARIANTS)
              if _applicable(s, v)]


@pytest.mark.parametrize("sample_name,variant", CHIP_CASES)
def test_failed_or_skipped_chip_steps_are_never_genuine(sample_name: str, variant: str) -> None:
    sample = sample_name
    card = _card(sample)
    config = CHIP_VARIANTS[variant]
    result = _read(card, **config)
    for tname, make in _trusts(sample).items():
        verdict, record = _verdict(dict(result.files), make(), result=result)
        assert verdict != "genuine", (variant, tname, record.verification.checks)
        # and combined with any file defect, still not
        for vname, (files, missing) in _file_variants(result.files).items():
            if tname != "full" or vname == "untouched":
                continue
            assert _verdict(files, make(), result=result, missing=missing)[0] != "genuine"


def _signer(name: str) -> tuple[ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey, x509.Certificate]:
    key = load_pem_private_key((PKI / f"{name}.key.pem").read_bytes(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey)
    return key, x509.load_der_x509_certificate((PKI / f"{name}.der").read_bytes())


def test_eac_protected_dg3_is_the_only_unread_file_allowed() -> None:
    """DG3 (fingerprints) needs terminal authentication: not reading it is by design (the check
    is skipped and not required), so that alone leaves a full-trust read genuine; every other
    gap or trust defect still does not."""
    name = "vn-cccd-2021-nguyen-thi-ngoc-anh"
    card = _card(name)
    with_dg3 = replace(card, files={**card.files, "DG3": tlv.encode(0x63, b"\x02\x01\x00")})
    key, cert = _signer(SAMPLE_DSC[name][0])
    signed = wrong_sod_dump(
        with_dg3, private_key=key, certificate=cert, other={},
        signing_time=datetime(2022, 1, 1, tzinfo=UTC),
    )
    config = replace(config_for(signed.profile), eac_protected=frozenset({"DG3"}))
    chip = chip_for_dump(signed, config)
    result = read_card(InProcessTransport(chip.process), _key(signed))
    assert result.protected == ["DG3"] or "DG3" not in result.files
    trusts = _trusts(name)
    verdict, record = _verdict(dict(result.files), trusts["full"](), result=result)
    dg3 = record.verification.check("dg_hash:DG3")
    assert dg3 is not None and dg3.status == "skipped" and not dg3.required
    assert verdict == "genuine", record.verification.checks
    for tname, make in trusts.items():
        if tname not in TRUSTED:
            assert _verdict(dict(result.files), make(), result=result)[0] != "genuine"
    files = {k: v for k, v in result.files.items() if k != "DG2"}
    assert _verdict(files, trusts["full"](), result=result, missing=("DG2",))[0] != "genuine"


# --- the rule itself -----------------------------------------------------------------------------


def test_enumerate_verdicts_core_and_hashes() -> None:
    # the core checks with one hash (4^8 assignments), then the others with a window of the
    # core: every check is enumerated against its neighbours without 4^11 combinations
    groups = [
        ([*CORE_CHECKS, "dg_hash:DG1"], ["dg_hash:DG2", "active_auth", "crl"]),
        ([*CORE_CHECKS[-4:], "dg_hash:DG2", "active_auth", "crl"],
         [*CORE_CHECKS[:-4], "dg_hash:DG1"]),
    ]
    for names, passing in groups:
        seen = 0
        for assignment, verdict in enumerate_verdicts(names, passing):
            seen += 1
            if verdict == "genuine":
                assert set(assignment.values()) == {"pass"}, assignment
            if any(s == "fail" for s in assignment.values()):
                assert verdict == "not_genuine"
        assert seen == 4 ** len(names)


def test_enumerate_verdicts_of_a_real_read(base_read: ReadResult, sample: str) -> None:
    """Every status assignment to the checks a real genuine read produced (required ones):
    only all-pass is genuine."""
    record = CardRecord.build(
        base_read.files, trust=_trusts(sample)["full"](), decode_photo=False,
        extra_checks=base_read.chip_checks,
    )
    assert record.verification.verdict == "genuine"
    required = [c.name for c in record.verification.checks if c.required]
    width = min(6, len(required))
    # windows of six consecutive checks (4096 assignments each) cover every check and its
    # neighbours without the cost of every combination
    for start in range(len(required) - width + 1):
        names = required[start : start + width]
        for assignment, verdict in enumerate_verdicts(names):
            if verdict == "genuine":
                assert set(assignment.values()) == {"pass"}
    # and one deviation at a time, on the full real check list
    for i, check in enumerate(record.verification.checks):
        if not check.required:
            continue
        for status in ("fail", "skipped", "unsupported"):
            checks = list(record.verification.checks)
            checks[i] = Check(check.name, status, "")  # type: ignore[arg-type]
            assert verdict_for(checks) != "genuine", (check.name, status)


def test_missing_core_checks_are_never_genuine() -> None:
    passing = [Check(name, "pass", "") for name in (*CORE_CHECKS, "dg_hash:DG1")]
    assert verdict_for(passing) == "genuine"
    for n in range(len(passing)):
        for subset in itertools.combinations(passing, n):
            assert verdict_for(list(subset)) != "genuine", [c.name for c in subset]


# --- issue 15: forgeries with trusted material --------------------------------------------------


@pytest.mark.parametrize("sample", sorted(SAMPLE_DSC))
def test_a_trusted_foreign_signer_never_makes_a_sample_genuine(sample: str) -> None:
    from cccd_sim import bends

    csca, dsc = bends.foreign_state("BR", "Brazil")
    trust = TrustStore.from_paths([PKI], include_default=False)
    trust.add_certificate(bends.der(csca.certificate))
    forged = bends.resign(_card(sample).files, dsc)
    record = CardRecord.build(forged, trust=trust, decode_photo=False)
    assert record.verification.verdict == "not_genuine"
    binding = record.verification.check("country_binding")
    assert binding is not None and binding.status == "fail"
    without_dg1 = {k: v for k, v in forged.items() if k != "DG1"}
    record = CardRecord.build(without_dg1, trust=trust, decode_photo=False)
    assert record.verification.verdict != "genuine"
