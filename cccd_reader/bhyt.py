"""The health-insurance (BHYT) check-in fields of a Vietnamese card: the part of the
reception's check the card supplies.

Since 2022 clinics check the patient's chipped card at reception for insurance visits
(Công văn 931/BYT-BH). The insurance gateway's card lookup and the check-in XML want the name,
the date of birth as ``dd/mm/yyyy`` (the year alone when only the year is known), the sex as
1 (male) or 2 (female), and the card's numbers. :func:`bhyt_fields` derives them from DG13,
so a hospital system fills its form from the record JSON's ``bhyt`` object without converting
anything; the software never calls the gateway itself (that needs the facility's account).

``ho_ten_khong_dau`` is the name without diacritics (what systems with ASCII-only fields and
keyboard-wedge scanners expect): Unicode decomposition drops the marks, and ``đ``/``Đ``, which
do not decompose, become ``d``/``D``.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from cccd_reader.lds.dg13 import SEX_CODES, HolderFields

__all__ = ["BHYT_SEX", "bhyt_fields", "without_diacritics"]

#: ICAO sex code -> the check-in XML's GIOI_TINH.
BHYT_SEX = {"M": 1, "F": 2}

_YEAR_ONLY = re.compile(r"(?:(?:00|xx|XX)/(?:00|xx|XX)/)?(\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def without_diacritics(text: str) -> str:
    """Vietnamese text in plain ASCII letters: "Nguyễn Thị Ngọc Ánh" -> "Nguyen Thi Ngoc Anh"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def birth_date_text(value: datetime.date | str | None) -> str | None:
    """``dd/mm/yyyy``, or ``yyyy`` when the card knows only the year, or None."""
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    text = value.strip()
    if _DAY_MONTH_YEAR.fullmatch(text) and not text.startswith("00/"):
        return text
    year = _YEAR_ONLY.fullmatch(text)
    return year.group(1) if year else None


def bhyt_fields(holder: HolderFields | None) -> dict[str, Any] | None:
    """``{ho_ten, ho_ten_khong_dau, ngay_sinh, gioi_tinh, so_cccd, so_cmnd}`` from DG13 (None
    for a document without DG13, such as a passport). A value the card does not give is
    None; ``gioi_tinh`` is None when the card's sex is neither "Nam" nor "Nữ"."""
    if holder is None:
        return None
    sex = SEX_CODES.get(unicodedata.normalize("NFC", holder.sex or "").strip().casefold())
    return {
        "ho_ten": holder.full_name,
        "ho_ten_khong_dau": without_diacritics(holder.full_name) if holder.full_name else None,
        "ngay_sinh": birth_date_text(holder.date_of_birth),
        "gioi_tinh": BHYT_SEX.get(sex) if sex else None,
        "so_cccd": holder.personal_number,
        "so_cmnd": holder.old_id_number,
    }
