"""DG14 (ICAO 9303 Part 10 §4.7.14): the SecurityInfos for Chip/Terminal/Active Authentication.

A thin wrapper: the parsing lives in :mod:`cccd_reader.lds.security_infos`, shared with
EF.CardAccess. This module only pins the outer tag and names DG14 in errors, so a record can
attribute a failure to the right file.
"""

from __future__ import annotations

from dataclasses import dataclass

from cccd_reader.errors import LDSError
from cccd_reader.lds._util import outer
from cccd_reader.lds.security_infos import (
    ActiveAuthenticationInfo,
    ChipAuthenticationInfo,
    ChipAuthenticationPublicKeyInfo,
    SecurityInfo,
    TerminalAuthenticationInfo,
    parse_security_infos,
)

DG14_TAG = 0x6E


@dataclass(frozen=True, slots=True)
class DG14:
    infos: tuple[SecurityInfo, ...]

    @property
    def chip_authentication(self) -> bool:
        return any(
            isinstance(i, ChipAuthenticationInfo | ChipAuthenticationPublicKeyInfo)
            for i in self.infos
        )

    @property
    def active_authentication(self) -> bool:
        return any(isinstance(i, ActiveAuthenticationInfo) for i in self.infos)

    @property
    def terminal_authentication(self) -> bool:
        return any(isinstance(i, TerminalAuthenticationInfo) for i in self.infos)


def parse_dg14(data: bytes) -> DG14:
    outer(data, DG14_TAG, "DG14")  # tag and framing first, with DG14 in the message
    try:
        return DG14(tuple(parse_security_infos(bytes(data))))
    except LDSError as exc:
        raise LDSError(f"DG14: {exc}") from exc
