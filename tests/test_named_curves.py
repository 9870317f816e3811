"""The one table of named curves: its numbers against the backends, its PACE rows against
ICAO 9303-11 Table 12, and the views that access and PKI take of it."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

from cccd_reader import named_curves
from cccd_reader.access import ecc
from cccd_reader.lds.security_infos import STANDARD_DOMAIN_PARAMETERS
from cccd_reader.named_curves import NamedCurve
from cccd_reader.pki import curves


@pytest.mark.parametrize("curve", named_curves.CURVES, ids=lambda c: c.name)
def test_the_backend_takes_the_generator_and_agrees_on_sizes(curve: NamedCurve) -> None:
    assert curve.byte_length == (curve.p.bit_length() + 7) // 8
    if curve.crypto_curve is None:
        assert (curve.gy**2 - curve.gx**3 - curve.a * curve.gx - curve.b) % curve.p == 0
        return
    backend = curve.crypto_curve()
    # OpenSSL validates the point: G must lie on the backend's curve.
    ec.EllipticCurvePublicNumbers(curve.gx, curve.gy, backend).public_key()
    assert (backend.key_size, backend.group_order) == (curve.p.bit_length(), curve.n)


def test_oids_and_names_are_unique() -> None:
    assert len({c.oid for c in named_curves.CURVES}) == len(named_curves.CURVES)
    assert len({c.name for c in named_curves.CURVES}) == len(named_curves.CURVES)
    for curve in named_curves.CURVES:
        assert named_curves.by_oid(curve.oid) is curve
    assert named_curves.by_oid("1.2.3.4") is None


@pytest.mark.parametrize("curve", [c for c in named_curves.CURVES if c.pace_id is not None],
                         ids=lambda c: c.name)
def test_pace_rows_match_icao_table_12(curve: NamedCurve) -> None:
    assert curve.pace_id is not None
    row = STANDARD_DOMAIN_PARAMETERS[curve.pace_id]
    assert (row.name, row.bits, row.kind) == (curve.pace_name, curve.p.bit_length(), "ECDH")


#: PACE curves every ``cryptography`` release the project allows (>= 50) has.
ALWAYS_IN_BACKEND = {8, 10, 12, 13, 15, 16, 17, 18}


def test_ecc_runs_the_table_curves_with_a_key_agreement_backend() -> None:
    runnable = {c.pace_id for c in named_curves.CURVES
                if c.pace_id is not None and c.crypto_curve is not None}
    # brainpoolP224r1 (11) and brainpoolP320r1 (14) are here exactly when the backend has them.
    assert set(ecc.STANDARD_CURVES) == runnable
    assert ALWAYS_IN_BACKEND <= runnable <= ALWAYS_IN_BACKEND | {11, 14}
    for pace_id, group in ecc.STANDARD_CURVES.items():
        (named,) = [c for c in named_curves.CURVES if c.pace_id == pace_id]
        assert (group.p, group.a, group.b, group.gx, group.gy, group.n, group.h) == (
            named.p, named.a, named.b, named.gx, named.gy, named.n, named.h)
        assert group.name == named.pace_name
        assert type(group.backend) is named.crypto_curve
        # the key agreement the backend is kept for works on it
        one, two = (ec.generate_private_key(group.backend) for _ in range(2))
        assert one.exchange(ec.ECDH(), two.public_key()) == two.exchange(
            ec.ECDH(), one.public_key())


@pytest.mark.parametrize("curve", named_curves.CURVES, ids=lambda c: c.name)
def test_the_probe_answers_what_the_backend_does(curve: NamedCurve) -> None:
    """The probe's answer is checked against the backend doing the whole job: a key on the
    curve signs and verifies, and a tampered message fails. Where the probe says no, the backend
    must really refuse the curve (the generator as a named key, or ECDSA with it)."""
    backend = curve.crypto_curve
    if backend is not None:
        assert backend().group_order == curve.n
        key = ec.generate_private_key(backend())
        signature = key.sign(b"message", ec.ECDSA(hashes.SHA256()))
        key.public_key().verify(signature, b"message", ec.ECDSA(hashes.SHA256()))
        with pytest.raises(InvalidSignature):
            key.public_key().verify(signature, b"massage", ec.ECDSA(hashes.SHA256()))
        return
    with pytest.raises((ValueError, UnsupportedAlgorithm)):
        loaded = serialization.load_der_public_key(named_curves.generator_spki(curve))
        assert isinstance(loaded, ec.EllipticCurvePublicKey)
        loaded.verify(utils.encode_dss_signature(1, 1), b"x", ec.ECDSA(hashes.SHA256()))


def test_the_probe_runs_once_per_curve_and_names_every_table_curve() -> None:
    named_curves.backend_curve.cache_clear()
    report = named_curves.backend_report()
    assert list(report) == [c.name for c in named_curves.CURVES]
    assert named_curves.backend_curve.cache_info().misses == len(named_curves.CURVES)
    named_curves.backend_report()
    assert named_curves.backend_curve.cache_info().misses == len(named_curves.CURVES)
    assert named_curves.backend_curve("1.2.3.4") is None


def test_pki_matches_explicit_parameters_against_the_table_but_p192() -> None:
    assert named_curves.P192 not in curves.KNOWN_CURVES
    assert set(curves.KNOWN_CURVES) == set(named_curves.CURVES) - {named_curves.P192}
    assert curves.curve_by_oid(named_curves.P192.oid) is None
    assert curves.curve_by_oid(named_curves.BRAINPOOL_P256R1.oid) is named_curves.BRAINPOOL_P256R1
