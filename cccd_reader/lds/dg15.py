"""DG15 (ICAO 9303 Part 10 §4.7.15): the Active Authentication public key.

``6F { SubjectPublicKeyInfo }``. The key is only described here (type, size, curve); the AA
challenge-response that uses it belongs to the authentication layer. The key is read as real
documents encode it (:func:`cccd_reader.lds.spki.read_spki`): a negative RSA modulus is read
unsigned and the DG15 carries the warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from asn1crypto import keys

from cccd_reader.errors import LDSError
from cccd_reader.lds._util import outer
from cccd_reader.lds.spki import read_spki

DG15_TAG = 0x6F

KeyType = Literal["rsa", "ec", "dsa"]


@dataclass(frozen=True, slots=True)
class DG15:
    key_type: KeyType
    #: Modulus bits (RSA), field bits (EC), or p bits (DSA).
    key_size: int
    #: Named curve (``"secp256r1"``...), ``"explicit"`` for specified domain parameters, else None.
    curve: str | None
    #: The SubjectPublicKeyInfo exactly as stored: what AA verification loads.
    spki: bytes = field(repr=False)
    #: What had to be read leniently (a negative RSA modulus, read unsigned): shown with the
    #: key wherever it is shown (:mod:`cccd_reader.lds.spki`).
    warnings: tuple[str, ...] = ()


def parse_dg15(data: bytes) -> DG15:
    obj = outer(data, DG15_TAG, "DG15")
    der = obj.value
    read = read_spki(der)  # a negative RSA modulus is read unsigned, with a warning
    try:
        info = keys.PublicKeyInfo.load(read.der, strict=True)
        algorithm = info.algorithm
        if algorithm not in ("rsa", "ec", "dsa"):
            raise LDSError(f"DG15 holds an unsupported key algorithm ({algorithm})")
        curve: str | None = None
        if algorithm == "ec":
            kind, name = info.curve
            curve = name if kind == "named" else "explicit"
        # Parsing the key itself (not just its algorithm) rejects a garbage BIT STRING.
        if algorithm == "ec":
            point = bytes(info["public_key"].native or b"")
            if not point or point[0] not in (2, 3, 4):
                raise LDSError("DG15 EC public key is not an encoded curve point")
        else:
            _ = info["public_key"].parsed.native
        size = int(info.bit_size)
    except LDSError:
        raise
    except Exception as exc:  # asn1crypto raises ValueError, TypeError, KeyError... on junk
        raise LDSError(f"DG15 is not a valid SubjectPublicKeyInfo: {type(exc).__name__}") from exc
    if size <= 0:
        raise LDSError("DG15 public key has no size")
    key_type: KeyType = "rsa" if algorithm == "rsa" else "ec" if algorithm == "ec" else "dsa"
    return DG15(key_type=key_type, key_size=size, curve=curve, spki=bytes(der),
                warnings=read.warnings)
