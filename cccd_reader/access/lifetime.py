"""The BAC key of a Vietnamese card without expiry (a "lifetime" card, issued from age 58).

The MRZ has no way to say "never", so a lifetime card prints *something* in its six expiry
digits, and the BAC key is built from those digits. A device vendor's public integration
guide for Vietnamese cards says what that is: the holder's birth day and month in 2099
(``99MMDD``). Our synthetic issuer used to write ``991231``, the usual far-date convention,
and other software may have personalised test cards that way. So a lifetime card is tried
with exactly two keys, in this order, never more and never in a loop:

1. ``99`` + birth month + birth day (on 29 February too: ``990229``, which is no calendar
   date in 2099: an MRZ expiry is six digits, not a date);
2. ``991231``.

Both are BAC keys, which chips do not count as PIN tries; still, a refused key is never sent
again (see :mod:`cccd_reader.qr.workflow` and the desktop app's key entry).
"""

from __future__ import annotations

import datetime

from cccd_reader.access.key import AccessKey
from cccd_reader.errors import ParseError

__all__ = [
    "LIFETIME_FALLBACK_EXPIRY",
    "is_lifetime_expiry",
    "lifetime_access_keys",
    "lifetime_expiries",
]

#: The far-date placeholder, tried second.
LIFETIME_FALLBACK_EXPIRY = "991231"


def _birth_yymmdd(date_of_birth: datetime.date | str) -> str:
    if isinstance(date_of_birth, datetime.date):
        return f"{date_of_birth:%y%m%d}"
    value = date_of_birth.strip()
    if len(value) != 6 or not value.isascii() or not value.isdigit():
        raise ParseError("date of birth must be YYMMDD (6 digits)", params={"field": "birth"})
    return value


def lifetime_expiries(date_of_birth: datetime.date | str) -> tuple[str, ...]:
    """The MRZ expiries a lifetime card may carry, most likely first: ``99MMDD`` of the
    birth date, then ``991231`` (one value when the holder was born on 31 December)."""
    birth = _birth_yymmdd(date_of_birth)
    first = f"99{birth[2:]}"
    return (first,) if first == LIFETIME_FALLBACK_EXPIRY else (first, LIFETIME_FALLBACK_EXPIRY)


def is_lifetime_expiry(expiry: str, date_of_birth: datetime.date | str | None = None) -> bool:
    """Whether an MRZ expiry is one a lifetime card carries (``991231``, or ``99MMDD`` of the
    given birth date). Without a birth date only the fallback is recognised."""
    if expiry == LIFETIME_FALLBACK_EXPIRY:
        return True
    if date_of_birth is None:
        return False
    try:
        return expiry in lifetime_expiries(date_of_birth)
    except ParseError:
        return False


def lifetime_access_keys(
    document_number: str, date_of_birth: datetime.date | str
) -> list[AccessKey]:
    """The BAC keys of a lifetime card, in the order to try them (at most two).

    ``document_number``: on Vietnamese cards the last 9 digits of the 12-digit personal
    number (a 12-digit number is cut here).
    """
    number = document_number.strip()
    if len(number) == 12 and number.isdigit():
        number = number[-9:]
    birth = _birth_yymmdd(date_of_birth)
    return [AccessKey.from_document(number, birth, expiry) for expiry in lifetime_expiries(birth)]
