"""The card's expiry date, derived from birth and issue dates by the renewal-age rules.

Why: a BAC-only chip needs the MRZ key (document number, birth, expiry), and the QR carries
no expiry. Vietnamese cards do not pick an expiry freely: the law fixes the ages at which a
card must be renewed, so the expiry follows from the birth and issue dates.

Rules (as we read them):

* Law on Citizen Identification 59/2014/QH13, Art. 21 (cards issued before 1 July 2024):
  renew at 25, 40 and 60. Law on Identification 26/2023/QH15, Art. 21 (in force 1 July 2024):
  renew at 14, 25, 40 and 60. Which law applies is decided by the issue date.
* Both: a card issued, renewed or replaced within the two years before a milestone age stays
  valid until the next milestone. A card issued less than two years before 60, or later, has
  no expiry (lifetime; DG13 says "Không thời hạn").
* The expiry is the holder's birthday in the milestone year.

For holders aged 14 or more at issue the two laws give the same answer (the 14 milestone only
matters for cards issued before 14, which the 2014 law did not allow), so the mid-2024
changeover does not create doubt by itself. What stays in doubt, and is returned as a second
candidate (never more than two, never brute force):

* a birth on 29 February, when the milestone year is not a leap year: we take 28 February
  first (the Civil Code 2015 rule that a period ending in a month without the corresponding
  day ends on that month's last day, as we read it), then 1 March;
* an issue date exactly two years before a milestone birthday, where "within two years
  before" could include the day or not: the grace reading first, then the other.

A lifetime card has no expiry, but the MRZ needs one: ``99MMDD`` of the birth date, as a
device vendor's integration guide says, then :data:`LIFETIME_MRZ_EXPIRY` (991231), the
far-date placeholder (:mod:`cccd_reader.access.lifetime`). A lifetime card gives those two
candidates, never more; when the grace boundary leaves a lifetime card and a dated one both
possible, the first two of the three are kept.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Literal

from cccd_reader.access.lifetime import LIFETIME_FALLBACK_EXPIRY, lifetime_expiries
from cccd_reader.errors import ParseError

__all__ = [
    "LAW_2023_START",
    "LIFETIME_MRZ_EXPIRY",
    "ExpiryCandidate",
    "expiry_candidates",
    "law_for",
]

Law = Literal["2014", "2023"]
LeapRule = Literal["feb28", "mar1"]

#: Law on Identification 26/2023/QH15 takes effect.
LAW_2023_START = datetime.date(2024, 7, 1)
MILESTONES: dict[Law, tuple[int, ...]] = {"2014": (25, 40, 60), "2023": (14, 25, 40, 60)}
GRACE_YEARS = 2
#: The far-date MRZ expiry a lifetime card is tried with second (see module docstring).
LIFETIME_MRZ_EXPIRY = LIFETIME_FALLBACK_EXPIRY


@dataclass(frozen=True)
class ExpiryCandidate:
    """One possible expiry; ``date_of_expiry`` None means a lifetime card."""

    date_of_expiry: datetime.date | None
    law: Law
    #: Why this candidate: shown to staff when the chip refuses the first key.
    reason: str
    #: A lifetime card's MRZ expiry (``99MMDD`` or ``991231``); None: from the date.
    mrz_expiry: str | None = None

    @property
    def lifetime(self) -> bool:
        return self.date_of_expiry is None

    @property
    def mrz_yymmdd(self) -> str:
        if self.mrz_expiry is not None:
            return self.mrz_expiry
        if self.date_of_expiry is None:
            return LIFETIME_MRZ_EXPIRY
        return f"{self.date_of_expiry:%y%m%d}"


def law_for(date_of_issue: datetime.date) -> Law:
    return "2023" if date_of_issue >= LAW_2023_START else "2014"


def anniversary(birth: datetime.date, years: int, leap: LeapRule = "feb28") -> datetime.date:
    """The ``years``-th birthday; a 29 February birth falls on ``leap`` in common years."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # 29 February in a common year
        year = birth.year + years
        return datetime.date(year, 2, 28) if leap == "feb28" else datetime.date(year, 3, 1)


def _expiry(
    birth: datetime.date, issue: datetime.date, law: Law, leap: LeapRule, inclusive: bool
) -> tuple[datetime.date | None, int | None]:
    """Expiry (None: lifetime) and the milestone age it falls on."""
    for age in MILESTONES[law]:
        milestone = anniversary(birth, age, leap)
        if issue >= milestone:
            continue  # already past this renewal age
        grace_start = anniversary(birth, age - GRACE_YEARS, leap)
        in_grace = issue > grace_start or (inclusive and issue == grace_start)
        if not in_grace:
            return milestone, age
        # Issued within two years before ``age``: valid until the next milestone.
    return None, None


def expiry_candidates(
    date_of_birth: datetime.date, date_of_issue: datetime.date
) -> list[ExpiryCandidate]:
    """One or two expiries, most likely first (see the module docstring for the doubts); a
    lifetime card's two are its MRZ expiries ``99MMDD`` and ``991231``."""
    if date_of_issue < date_of_birth:
        raise ParseError("date of issue is before date of birth")
    law = law_for(date_of_issue)
    out: list[ExpiryCandidate] = []
    leap_birth = date_of_birth.month == 2 and date_of_birth.day == 29
    for leap in ("feb28", "mar1") if leap_birth else ("feb28",):
        for inclusive in (True, False):
            expiry, age = _expiry(date_of_birth, date_of_issue, law, leap, inclusive)
            if any(c.date_of_expiry == expiry for c in out):
                continue
            if expiry is None:
                reason = f"issued from age {60 - GRACE_YEARS} on: no expiry ({law} law)"
                for mrz_expiry in lifetime_expiries(date_of_birth):
                    how = ("birth day and month in 2099" if mrz_expiry != LIFETIME_MRZ_EXPIRY
                           else "the far-date placeholder")
                    out.append(ExpiryCandidate(None, law, f"{reason}; MRZ expiry {how}",
                                               mrz_expiry))
                continue
            reason = f"birthday at age {age} ({law} law)"
            if leap_birth and not calendar.isleap(expiry.year):
                reason += ", 29 February birth taken as " + (
                    "28 February" if leap == "feb28" else "1 March"
                )
            if not inclusive:
                reason += ", issue date on the grace boundary read as outside it"
            out.append(ExpiryCandidate(expiry, law, reason))
    return out[:2]
