"""Inputs the fuzzers (fuzz/run.py) found crashing a parser, kept so the bugs stay fixed.

Each input is inline (zlib + base64 when large) so the test does not depend on fuzz/ output.
"""

from __future__ import annotations

import base64
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cccd_reader.errors import CccdError, LDSError
from cccd_reader.lds.sod import parse_sod
from cccd_reader.pki.trust import Cert, Crl, TrustError, TrustStore
from cccd_reader.verify import verify

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

#: fuzz target sod_verify: samples/negative/valid-rsa-pss/EF.SOD with 6 bytes changed; the
#: SignerInfo's issuer name holds a code point unassigned in Unicode 3.2, and the name
#: comparison in verify._find_dsc (asn1crypto's LDAP string preparation) raised ValueError.
SOD_SIGNER_NAME_UNASSIGNED = zlib.decompress(base64.b64decode(
    "eNqdVWtUU1cWzn3kQUwMjwIVFC4BRKOVk4QOko4VhocR1gIkROQpGMJLTFCSgo4ouQq2thRtY0EIGulIRnk5omAU"
    "KYoUUHkJFCgIVdQVBFREcRCVSfoYWM6fWT33x1l77++uvffZ3/lOGk7WApx8kWTEyuZnv6JDZFiNk0v0rmIYQtgM"
    "QCcZRWfzITGCwhCRABQzJFK8ggJBkFrxBFWMAYUOhqD/QTUAR70bxZY4+vck3R+9epU5bM5PZDbJaVZp5jy3MOtJ"
    "cbFErq0xwGAUk/oH5CXcuXApWzipcD/9qOvIlfh1kqc+xziebzvqKafcDbBFKPZl2+Bza+uCc5tD7mgF8dGHNZOB"
    "s7uud74pUTIkz0+PHDLAaChWEXyrKg51/fbJxxvEs/yp+5TzYyaZ0D+P3kHz+uqGSzcbYAwUOyt18pVw3GKHe5Kw"
    "yrCywDX7pt3HbMZbd9LpP1zmhBiDxWYoYANXMxJwAfqlxtFogKMRAIdvqBF93TAq9MLsDL3/fnbQIn3v4exFwIiE"
    "CFGSGSwMZjsBR4NBpdmIRKLYj3aJY2LFu7DU3RJZgliWKMJk4lQZFui3kW0P7AxAhGYl+G/QU+DpgQll0pTEGCzY"
    "WxAMbCzpHDYwfL+uMEs6d6EJtv/J5FzA/i05az65l1Qk3yGWyDBBYrxE/9vvdXAAh/1bMTjEXNi8fvAIDjEIej8V"
    "xiGI0Ck9YYvJ7VKg7QeVMtven20S9lUfHx+6lE7fkUndMt2OHyi5XySewO5O8u7pxpKy2CbUURNCowcxedfulClu"
    "Uv7myxrku9igT31Z/2j1ncK98qp+Wf4wxiRqt7Tw2VGhRVPhvj3D66utiG3xK9HjV7bSPE/09X5yO+RmkLbILNRc"
    "9SrL6avmczsngqNvxeYURCZ9Ke0+1koofUMz3b8+qaXb+HziDz+6kT/tnHl6ki2vdnAd4pkwLMOPeJa28321N31a"
    "y3efmQQrbrwsdKhOvh1WYSWkWCva/sJsteIOvHbO8TfO/1q84eWAA/O2Y4im+rHpu9nlw2ZXQ7o++0ypKze+W7sM"
    "RiAC9L0iDyiUYLH+eJcxIGgORRGYnAlsDbY9+iGwyPwg7YoLmDEN5TRmFJ2kKeoG3jLxx2CZAbAYtUA/GKio6cLO"
    "bGz1q0NHHJDZiria01NglSFsjDoAZibDMJEFJFAYHC4LWWFOIv96Z0kwSgUUGCKwETMo8D3i6menIHyf2pwF7QiY"
    "vCaYW8XgPHjHu9HHWhbg+yTk2VFq9M7cvxsToKc1qr7cVMYQUnngaIglNVgQEzfYa/4QTi6v8vd4nT99JLE7dmzF"
    "EmUr7WT/XjenbIfu+tVE/lqtKX0bg9a+Nyig/2ZLMjljfGVXxMjFgralhK3TuWnu1EjngznXgqKgsBnhqHupc0aF"
    "dGbP+Be4/McaUt/cnIr/+qd/yT9iZHulQIw1GUNQbpH/hLxftjrFsT9udstQI1V37ZmNZluUSHex3KhDMLNHtzpV"
    "1XVaYP9hZJN/sMM3JfsuVPJHwreT7Z1bNs2FTlb1Kx0bDrc/4LfwMrzcHML8V6+kbnr5tzL40LvkNZnOh1/9Qjw/"
    "fCsd8fbTqHPchMIiV/Turcprby+2xFsmhK2SOD2LmyjMiux2s5zIEtXmRKU8zFxroeB2p1u9UK1VR50hDiwtj7Xg"
    "WpC/ePX0+SFKKhxaluZaWUZvqzbB90afuFI8/ATpiTt/qam07oVI7JGSjDaywm+UsXGYpdeX5QZNFf1fUtL71Z+T"
    "knnxWiDc6jg9V/4ghRHCpvwh9mDpvJvIZuhViAtc2B8D/WYgmPN8FGUzUczkgAmhhy6N5uZSpuyLxv89EGsdNMuR"
    "+vSWlLtqkQcq4DFPPSpwUb//zJxaCqzmEZT3osV68cVQHCKoTo6NvX3k2DxSvyqvuEEyys87OxL4V0xTkCsYIA+l"
    "0iOEg/mmocq9QkKhux2Zt2gkwHTPiiMNvUsOdszu/5zukzCgYjyiFV7vJHawvknlpQeUKc897Gx+kcltVOqWH/BQ"
    "9uyvbeW9eZ5etVXTaNvr391wuXP/d6Itj0s31EtKkrLxHF1Hk98bWt1GfpluPNB4I61A0OVVsaHQOUr7c8z1e6e2"
    "5fpErCfK2+ZqZXbekW3vVrr85DLqXaDLTzAXXlCDcI3YaDAv3TY+N/vzArqfNa/+nCLiztkxjfc9xInczKm2j2AO"
    "XtWyrDapjn2CbJm9zWqfXtcUWFxLWfdCfDzl9X8A5gzpuQ=="
))


def test_sod_signer_name_with_unassigned_code_point_is_a_parse_error() -> None:
    assert len(SOD_SIGNER_NAME_UNASSIGNED) == 1981
    with pytest.raises(LDSError):
        parse_sod(SOD_SIGNER_NAME_UNASSIGNED)


@pytest.mark.parametrize("with_trust", [False, True])
def test_verify_reports_instead_of_raising(with_trust: bool) -> None:
    trust = TrustStore.from_paths([SAMPLES / "pki"], include_default=False) if with_trust else None
    dg1 = (SAMPLES / "passport-utopia-td3" / "DG1").read_bytes()
    result = verify({"EF.SOD": SOD_SIGNER_NAME_UNASSIGNED, "DG1": dg1}, trust)
    check = result.check("sod_parse")
    assert check is not None and check.status == "fail"
    assert result.verdict == "not_genuine"


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "UT"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


#: U+0378 is unassigned: RFC 4518 string preparation (asn1crypto) refuses it when comparing.
UNASSIGNED = "TEST \u0378"


def _cert_with_unassigned_issuer() -> bytes:
    key = ec.derive_private_key(4242, ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("subject"))
        .issuer_name(_name(UNASSIGNED))
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(datetime(2024, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2030, 1, 1, tzinfo=UTC))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def test_certificate_name_with_unassigned_code_point_is_refused_on_load() -> None:
    """Same defect on the certificate side: refused as a TrustError when loaded, instead of a
    ValueError later from a name comparison in the chain or DSC lookup."""
    der = _cert_with_unassigned_issuer()
    with pytest.raises(TrustError):
        Cert.load(der)
    with pytest.raises(CccdError):
        TrustStore().add_certificate(der)


def test_crl_issuer_with_unassigned_code_point_is_refused_on_load() -> None:
    key = ec.derive_private_key(4242, ec.SECP256R1())
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(_name(UNASSIGNED))
        .last_update(datetime(2025, 1, 1, tzinfo=UTC))
        .next_update(datetime(2030, 1, 1, tzinfo=UTC))
        .sign(key, hashes.SHA256())
    )
    with pytest.raises(TrustError):
        Crl.load(crl.public_bytes(serialization.Encoding.DER))
