"""DG15 as real documents encode it (issue 26 item 2): an RSA modulus stored as a negative
INTEGER (the BSI's 2008 reference passport) is read unsigned, with the warning, by DG15's
parser, Active Authentication, signature verification and conformance alike; ``cccd show``,
``cccd verify`` and a live read (in process and through pcscd) show the key with the warning,
and Active Authentication verifies."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from contextlib import AbstractContextManager, redirect_stdout
from pathlib import Path

import pytest
from asn1crypto import keys
from cryptography.hazmat.primitives import serialization

from cccd_reader import cli
from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.conformance import live
from cccd_reader.conformance.dump_checks import run_checks
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.lds.dg15 import parse_dg15
from cccd_reader.lds.spki import NEGATIVE_MODULUS_WARNING, read_spki
from cccd_reader.pki.signatures import load_public_key
from cccd_reader.pki.trust import TrustStore
from cccd_reader.record import CardRecord
from cccd_reader.service import read_and_verify
from cccd_sim import issuer
from cccd_sim.cards import chip_for_dump
from tests.conftest import SAMPLES

PKI = SAMPLES / "pki"
Insert = Callable[..., AbstractContextManager[str]]


@pytest.fixture(scope="module")
def card() -> dumpmod.CardDump:
    """The sample passport (RSA Active Authentication), its DG15 encoded as the BSI did."""
    base = next(s for s in issuer.SAMPLES if s.name == "passport-utopia-td3")
    return issuer.issue(dataclasses.replace(base, dg15_negative_modulus=True))


@pytest.fixture(scope="module")
def dump_dir(card: dumpmod.CardDump, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("negative-modulus") / "card"
    dumpmod.save(card, path, include_access=True)
    return path


def _spki(card: dumpmod.CardDump) -> bytes:
    from cccd_reader.iso7816 import tlv

    return tlv.decode(card.files["DG15"]).value


def test_the_modulus_really_is_negative_and_the_backend_alone_refuses_it(
    card: dumpmod.CardDump,
) -> None:
    spki = _spki(card)
    modulus = keys.PublicKeyInfo.load(spki)["public_key"].parsed["modulus"].native
    assert modulus < 0
    with pytest.raises(ValueError):
        serialization.load_der_public_key(spki)


def test_one_reader_for_dg15_signatures_and_conformance(card: dumpmod.CardDump) -> None:
    spki = _spki(card)
    read = read_spki(spki)
    assert read.negative_modulus and read.der != spki
    dg15 = parse_dg15(card.files["DG15"])
    assert (dg15.key_type, dg15.key_size) == ("rsa", 1024)
    assert dg15.warnings == (NEGATIVE_MODULUS_WARNING,)
    assert dg15.spki == spki  # kept as stored: the hash and AA use the chip's own bytes
    key, description = load_public_key(spki)
    assert key.key_size == 1024 and NEGATIVE_MODULUS_WARNING in description
    # the same key as the repaired DER gives, and an ordinary DG15 has no warning
    assert load_public_key(read.der)[0].public_numbers() == key.public_numbers()  # type: ignore[union-attr]
    plain = dumpmod.load(SAMPLES / "passport-utopia-td3")
    assert parse_dg15(plain.files["DG15"]).warnings == ()


def test_conformance_lds_key_001_fires(card: dumpmod.CardDump) -> None:
    suite = run_checks(
        card.files, trust=None, name="n", source="n", note=None, now=None, qr=None,
        extra_checks=(), protected=(), missing=(), access=None, kind="dump",
    )
    (result,) = [r for r in suite.results if r.id == "LDS-KEY-001"]
    assert result.outcome == "fail" and "negative INTEGER" in result.detail
    plain = dumpmod.load(SAMPLES / "passport-utopia-td3")
    suite = run_checks(
        plain.files, trust=None, name="n", source="n", note=None, now=None, qr=None,
        extra_checks=(), protected=(), missing=(), access=None, kind="dump",
    )
    assert [r.outcome for r in suite.results if r.id == "LDS-KEY-001"] == ["pass"]


def _cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = cli.main(list(args))
    return code, out.getvalue()


def test_cccd_show_and_verify_show_the_key_with_the_warning(dump_dir: Path) -> None:
    code, text = _cli("show", str(dump_dir))
    assert code == 0
    assert "AA key      RSA-1024 (DG15)" in text and "negative INTEGER" in text
    assert "not a valid SubjectPublicKeyInfo" not in text
    code, text = _cli("show", str(dump_dir), "--json")
    import json

    key = json.loads(text)["active_authentication_key"]
    assert key["key_size"] == 1024 and key["warnings"] == [NEGATIVE_MODULUS_WARNING]
    assert "DG15" not in (json.loads(text).get("errors") or {})
    code, text = _cli("verify", str(dump_dir), "--trust", str(PKI), "--no-default-trust")
    assert code == 0, text  # genuine: the bend is a warning, not a forgery
    assert "negative INTEGER" in text and "GENUINE" in text


def test_live_read_active_authentication_verifies(card: dumpmod.CardDump) -> None:
    chip = chip_for_dump(card)
    transport = InProcessTransport(chip.process, extended=True, atr=chip.atr)
    assert card.access.mrz is not None
    outcome = read_and_verify(transport, AccessKey.from_mrz(card.access.mrz), trust=PKI)
    verification = outcome.record.verification
    assert verification is not None and verification.verdict == "genuine"
    aa = verification.check("active_auth")
    assert aa is not None and aa.status == "pass" and "negative INTEGER" in aa.detail
    doc = outcome.to_json()
    assert doc["active_authentication_key"]["warnings"] == [NEGATIVE_MODULUS_WARNING]
    # conformance's live run: AA passes, LDS-KEY-001 reports the bend
    trust = TrustStore.from_paths([PKI], include_default=False)

    def connect() -> InProcessTransport:
        c = chip_for_dump(card)
        return InProcessTransport(c.process, extended=True, atr=c.atr)

    suite = live.check_live(connect, AccessKey.from_mrz(card.access.mrz), trust=trust)
    outcome_of = {r.id: r.outcome for r in suite.results}
    assert outcome_of["CHIP-AA-001"] == "pass" and outcome_of["LDS-KEY-001"] == "fail"


@pytest.mark.pcsc
def test_live_read_through_pcscd(card: dumpmod.CardDump, vpcd_card: Insert) -> None:
    from cccd_reader.readers import open_transport

    assert card.access.mrz is not None
    with vpcd_card(chip_for_dump(card)) as name:
        outcome = read_and_verify(open_transport(name), AccessKey.from_mrz(card.access.mrz),
                                  trust=PKI)
    verification = outcome.record.verification
    assert verification is not None and verification.verdict == "genuine"
    aa = verification.check("active_auth")
    assert aa is not None and aa.status == "pass" and "negative INTEGER" in aa.detail
    record = CardRecord.build(outcome.result.files, trust=None, decode_photo=False)
    assert record.to_json()["active_authentication_key"]["warnings"] == [NEGATIVE_MODULUS_WARNING]
