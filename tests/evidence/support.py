"""Reads of the virtual chip with a server's challenge, and what a test does to a package."""

from __future__ import annotations

import dataclasses
import importlib.util
from collections.abc import Mapping
from types import ModuleType

from asn1crypto import cms

from cccd_reader import dump as dumpmod
from cccd_reader import evidence
from cccd_reader.access.key import AccessKey
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.transport import Transport
from cccd_reader.pki.trust import TrustStore
from cccd_reader.service import ReadOutcome, read_and_verify
from tests.conftest import REPO, SAMPLES

PKI = SAMPLES / "pki"
VN_2021 = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"
VN_2024 = SAMPLES / "vn-cancuoc-2024-dang-huu-phuoc"
VN_LIFETIME = SAMPLES / "vn-cccd-2021-le-thi-thu-huong-lifetime"
PASSPORT = SAMPLES / "passport-utopia-td3"
#: The challenge "the bank's server" chose for the session.
CHALLENGE = bytes.fromhex("5EC0DE2026A1B2C3")


def trust() -> TrustStore:
    return TrustStore.from_paths([PKI / "csca-vn.der", PKI / "csca-ut.der"],
                                 include_default=False)


def key_for(card: dumpmod.CardDump) -> AccessKey:
    if "EF.CardAccess" in card.files and card.access.can:
        return AccessKey.from_can(card.access.can)
    assert card.access.mrz
    return AccessKey.from_mrz(card.access.mrz)


def sim_read(sample: object = VN_2021, challenge: bytes | None = CHALLENGE,
             transport: Transport | None = None) -> ReadOutcome:
    """A real read of the virtual chip (in process unless a transport is given)."""
    import cccd_sim

    card = dumpmod.load(sample)  # type: ignore[arg-type]
    if transport is None:
        transport = cccd_sim.open_sim(card)
    return read_and_verify(transport, key_for(card), trust=trust(), aa_challenge=challenge)


def package(sample: object = VN_2021, challenge: bytes | None = CHALLENGE,
            **kwargs: object) -> evidence.EvidencePackage:
    return evidence.from_outcome(sim_read(sample, challenge), aa_challenge=challenge,
                                 **kwargs)  # type: ignore[arg-type]


def with_files(pkg: evidence.EvidencePackage,
               files: Mapping[str, bytes]) -> evidence.EvidencePackage:
    return dataclasses.replace(pkg, files={**pkg.files, **files})


def flip_byte(data: bytes, index: int) -> bytes:
    out = bytearray(data)
    out[index] ^= 0x01
    return bytes(out)


def sod_with_certificates(sod: bytes, certificates: list[bytes]) -> bytes:
    """EF.SOD with its embedded certificate set replaced (signature and signer untouched)."""
    inner = tlv.decode(sod).value
    info = cms.ContentInfo.load(inner)
    signed = info["content"]
    signed["certificates"] = [cms.CertificateChoices.load(bytes(
        cms.CertificateChoices({"certificate": cms.Certificate.load(c)}).dump()))
        for c in certificates]
    return tlv.encode(0x77, info.dump(force=True))


def bank_server_module() -> ModuleType:
    """docs/examples/bank_server.py (an example script, not a package module), loaded."""
    spec = importlib.util.spec_from_file_location(
        "bank_server_example", REPO / "docs" / "examples" / "bank_server.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
