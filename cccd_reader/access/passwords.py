"""PACE passwords (ICAO 9303 Part 11 §9.7.3): what the user types, turned into f(π) and K_π.

PACE accepts the MRZ or the Card Access Number. Only their encodings f(π) are kept here (the
SHA-1 of the MRZ information, or the CAN's ASCII digits); the key K_π = KDF(f(π), 3) depends on
the cipher the chip picks, so it is derived on demand by :meth:`Password.k_pi`.

Vietnamese CCCD chips use the last six digits of the 12-digit personal identification number
as their CAN, which is why :meth:`Password.from_personal_number` exists: the number is printed
in large type on the card and is what people know by heart.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Literal

from cccd_reader.access.kdf import KPI, Cipher, kdf
from cccd_reader.errors import MRZError, ParseError
from cccd_reader.mrz import MRZ, check_digit

PasswordKind = Literal["MRZ", "CAN"]

#: Password references of MSE:Set AT DO'83 (ICAO 9303-11 §4.4.4.1).
PASSWORD_REFERENCES: dict[PasswordKind, int] = {"MRZ": 0x01, "CAN": 0x02}

_MRZ_INFO = re.compile(r"[0-9A-Z<]{9,}[0-9][0-9]{6}[0-9][0-9]{6}[0-9]")
_CAN = re.compile(r"[0-9]{6}")
_PERSONAL_NUMBER = re.compile(r"[0-9]{12}")


class PasswordError(ParseError):
    """What the user typed cannot be a CAN or a personal number (wrong length, not digits)."""


@dataclass(frozen=True, slots=True)
class Password:
    """A PACE password: its kind and its encoding f(π) (the KDF input; secret, never shown)."""

    kind: PasswordKind
    key_input: bytes = field(repr=False)

    @property
    def reference(self) -> int:
        """The DO'83 value announcing this password to the chip."""
        return PASSWORD_REFERENCES[self.kind]

    @property
    def description(self) -> str:
        """How to name the password to the user, e.g. in an access-denied message."""
        if self.kind == "CAN":
            return "the CAN"
        return "the MRZ data (document number, date of birth, date of expiry)"

    def k_pi(self, cipher: Cipher, key_bits: int) -> bytes:
        """K_π = KDF(f(π), 3) for the session cipher the chip selected."""
        return kdf(self.key_input, KPI, cipher=cipher, key_bits=key_bits)

    @classmethod
    def from_mrz_information(cls, mrz_information: str) -> Password:
        """From the BAC/PACE "MRZ information" (document number, birth and expiry dates, each
        with its check digit). The check digits are verified so a typo is caught here rather
        than costing a failed attempt on the chip.
        """
        info = mrz_information.strip().upper()
        if not _MRZ_INFO.fullmatch(info):
            raise MRZError(
                "MRZ information must be the document number (9+ characters A-Z, 0-9, '<'), "
                "date of birth and date of expiry (YYMMDD), each followed by its check digit",
                field="mrz_information",
            )
        number, number_cd = info[:-15], info[-15]
        birth, birth_cd = info[-14:-8], info[-8]
        expiry, expiry_cd = info[-7:-1], info[-1]
        for name, value, cd in (
            ("document_number", number, number_cd),
            ("date_of_birth", birth, birth_cd),
            ("date_of_expiry", expiry, expiry_cd),
        ):
            if check_digit(value) != cd:
                raise MRZError(f"check digit of the {name.replace('_', ' ')} is wrong",
                               field=name)
        return cls("MRZ", hashlib.sha1(info.encode("ascii")).digest())

    @classmethod
    def from_mrz(cls, mrz: MRZ) -> Password:
        """From a parsed MRZ (check digits recomputed, as for BAC)."""
        return cls.from_mrz_information(mrz.mrz_information())

    @classmethod
    def from_can(cls, can: str) -> Password:
        """From the 6-digit Card Access Number printed on the card."""
        value = can.strip()
        if not _CAN.fullmatch(value):
            raise PasswordError("the CAN is 6 digits")
        return cls("CAN", value.encode("ascii"))

    @classmethod
    def from_personal_number(cls, personal_number: str) -> Password:
        """From a Vietnamese 12-digit personal identification number: its last 6 digits are the
        card's CAN."""
        value = personal_number.strip().replace(" ", "")
        if not _PERSONAL_NUMBER.fullmatch(value):
            raise PasswordError("the personal identification number is 12 digits")
        return cls.from_can(value[-6:])
