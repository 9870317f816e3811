"""The access key: what the holder or the staff gave us to open a chip (MRZ data or a CAN).

It lives beside the access protocols, not in the read flow, because the QR code, the desktop
app's key entry, the agent and the CLI build keys without reading anything. Building a key
validates it (check digits, dates, digit counts): a mistyped key is refused here, before it
costs one of the chip's counted attempts.
"""

from __future__ import annotations

from dataclasses import dataclass

from cccd_reader.errors import ParseError

__all__ = ["AccessKey"]


def _check_yymmdd(value: str, label: str) -> None:
    """A date that no document can carry is refused before it costs one of the chip's
    attempts: six digits, month 01-12, a day the month has (29 February in years divisible
    by four, as either century could be meant). An expiry is six digits, not a calendar
    date: a lifetime card's ``99MMDD`` of a 29 February birth is ``990229``, so 29 February
    is accepted in expiry year 99."""
    import calendar

    if len(value) != 6 or not value.isascii() or not value.isdigit():
        raise ParseError(f"date of {label} must be YYMMDD (6 digits)", params={"field": label})
    year, month, day = int(value[:2]), int(value[2:4]), int(value[4:])
    if not 1 <= month <= 12:
        raise ParseError(f"date of {label}: there is no month {value[2:4]}",
                         params={"field": label})
    if label == "expiry" and year == 99:
        year = 0  # the lifetime convention 99MMDD: every month at its longest (990229)
    last = calendar.monthrange(2000 + year, month)[1]  # 2000+YY: leap whenever YY % 4 == 0
    if not 1 <= day <= last:
        raise ParseError(f"date of {label}: month {value[2:4]} has no day {value[4:]}",
                         params={"field": label})


@dataclass(frozen=True)
class AccessKey:
    """What the holder or the staff gave us to open the chip.

    ``mrz_information`` is the BAC/PACE-MRZ key input (document number, birth and expiry with
    their check digits); ``can`` the 6-digit card access number. Either or both may be set.
    """

    mrz_information: str | None = None
    can: str | None = None

    def __repr__(self) -> str:  # keys never go to logs or tracebacks
        kinds = [k for k, v in (("mrz", self.mrz_information), ("can", self.can)) if v]
        return f"AccessKey({', '.join(kinds) or 'empty'})"

    @classmethod
    def from_mrz(cls, text: str) -> AccessKey:
        """From the whole MRZ text (2 or 3 lines, as printed or scanned); opens BAC and PACE.

        Check digits are verified: a mistyped MRZ is an ``MRZError`` here, not a refused key
        at the chip (chips count failed attempts).
        """
        from cccd_reader.mrz import parse

        return cls(mrz_information=parse(text).mrz_information())

    @classmethod
    def from_document(cls, document_number: str, birth: str, expiry: str) -> AccessKey:
        """From the three printed fields; dates as YYMMDD. Check digits are computed here.

        On a Vietnamese card the document number is the last 9 digits of the personal number;
        a lifetime card's MRZ expiry is ``99MMDD`` of the birth date, or ``991231``
        (:func:`cccd_reader.access.lifetime.lifetime_access_keys` gives both, in order).
        """
        from cccd_reader.mrz import check_digit

        doc = document_number.strip().upper().replace(" ", "")
        for label, value in (("birth", birth), ("expiry", expiry)):
            _check_yymmdd(value, label)
        if not doc or not all(c.isalnum() or c == "<" for c in doc) or len(doc) > 22:
            raise ParseError("document number must be letters and digits")
        padded = doc.ljust(9, "<")
        info = (
            padded + check_digit(padded) + birth + check_digit(birth) + expiry
            + check_digit(expiry)
        )
        return cls(mrz_information=info)

    @classmethod
    def from_can(cls, can: str) -> AccessKey:
        """From the 6-digit card access number printed on the card (PACE only)."""
        can = can.strip()
        if len(can) != 6 or not can.isascii() or not can.isdigit():
            raise ParseError("a CAN is 6 digits")
        return cls(can=can)

    @classmethod
    def from_personal_number(cls, number: str) -> AccessKey:
        """Vietnamese cards with PACE: the CAN is the last 6 digits of the personal number.

        A card whose chip offers only BAC (no EF.CardAccess) needs the MRZ data instead
        (:meth:`from_document`): the read then fails with ``ProtocolNotSupportedError``.
        """
        number = number.strip()
        if len(number) != 12 or not number.isascii() or not number.isdigit():
            raise ParseError("a Vietnamese personal number has 12 digits")
        return cls(can=number[-6:])
