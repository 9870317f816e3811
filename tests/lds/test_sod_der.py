"""Issue 32: the fast EF.SOD reader (``lds/sod_der``) accepts a strict subset of what the
asn1crypto parser accepts, and reads the same values from it."""

from __future__ import annotations

import random

import pytest

from cccd_reader.errors import LDSError
from cccd_reader.lds import sod as sodmod
from tests.conftest import SAMPLES

SODS = sorted(SAMPLES.rglob("EF.SOD"))


def _authoritative(raw: bytes) -> sodmod.SOD | None:
    try:
        return sodmod._parse(raw)
    except LDSError:
        return None
    except Exception:  # parse_sod turns these into LDSError
        return None


@pytest.mark.parametrize("path", SODS, ids=lambda p: p.parent.name)
def test_every_sample_takes_the_fast_path_with_the_same_values(path: object) -> None:
    raw = path.read_bytes()  # type: ignore[attr-defined]
    fast = sodmod._parse_fast(raw)
    slow = _authoritative(raw)
    if slow is None:  # the truncated negative sample: nobody accepts it
        assert fast is None
        with pytest.raises(LDSError):
            sodmod.parse_sod(raw)
        return
    assert fast is not None and fast == slow
    assert fast.signer == slow.signer and fast.certificates == slow.certificates
    assert sodmod.parse_sod(raw) == slow
    # the asn1crypto tree is still there for callers that ask for it (parsed then)
    assert fast.parsed_signed_data is None
    assert fast.signed_data["version"].native == slow.signed_data["version"].native


def _mutations(count: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    bases = [p.read_bytes() for p in SODS]
    out = []
    for _ in range(count):
        data = bytearray(rng.choice(bases))
        at = rng.randrange(len(data))
        how = rng.randrange(4)
        if how == 0:
            data[at] ^= 1 << rng.randrange(8)
        elif how == 1:
            data[at] = rng.randrange(256)
        elif how == 2:
            del data[at:at + rng.randrange(1, 5)]
        else:
            data[at:at] = bytes([rng.randrange(256)])
        out.append(bytes(data))
    return out


def test_mutated_sods_never_read_differently() -> None:
    accepted = 0
    for raw in _mutations(3000, seed=32):
        fast = sodmod._parse_fast(raw)
        if fast is None:
            continue
        accepted += 1
        slow = _authoritative(raw)
        assert slow is not None, raw.hex()
        assert fast == slow and fast.signer == slow.signer, raw.hex()
    assert accepted > 300  # mutations of signatures and certificates still parse


def test_declined_input_gets_the_authoritative_error() -> None:
    raw = (SAMPLES / "passport-utopia-td3" / "EF.SOD").read_bytes()
    wrong_tag = b"\x30" + raw[1:]
    assert sodmod._parse_fast(wrong_tag) is None
    with pytest.raises(LDSError, match="starts with tag 30"):
        sodmod.parse_sod(wrong_tag)
    pkcs7 = raw.replace(b"\x02\x01\x03", b"\x02\x01\x01", 1)  # a version byte changed
    assert sodmod._parse_fast(pkcs7) is None
    with pytest.raises(LDSError):
        sodmod.parse_sod(pkcs7)
