"""The simulator's SecurityInfos encoder refuses what the parser would refuse."""

from __future__ import annotations

import pytest

from cccd_reader.errors import LDSError
from cccd_reader.lds.security_infos import (
    ID_PACE_ECDH_GM,
    ID_PK_ECDH,
    ID_TA,
    ChipAuthenticationPublicKeyInfo,
    PACEDomainParameterInfo,
    PACEInfo,
    TerminalAuthenticationInfo,
    UnknownSecurityInfo,
)
from cccd_sim.security_infos_builder import encode_security_infos


def test_encode_rejects_garbage() -> None:
    with pytest.raises(LDSError):
        encode_security_infos([PACEInfo("not an oid", 2)])
    with pytest.raises(LDSError):
        encode_security_infos([UnknownSecurityInfo("1.2", b"\x04\x00")])
    with pytest.raises(LDSError):
        encode_security_infos([ChipAuthenticationPublicKeyInfo(ID_PK_ECDH, b"\x30\x00")])
    with pytest.raises(LDSError):
        encode_security_infos([PACEDomainParameterInfo(ID_PACE_ECDH_GM, b"\x30\x00")])
    with pytest.raises(LDSError):
        encode_security_infos([TerminalAuthenticationInfo(ID_TA, 2, b"\x30\x03\x04\x01\x01")])

