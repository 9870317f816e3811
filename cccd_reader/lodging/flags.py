"""Flags: cells a clerk must look at before uploading, with a stable code and candidates.

A flag never carries personal data in its parameters (only codes, list entries and counts),
so the CLI can print it and the app can show it. The messages are here in Vietnamese (shown
first) and English, by code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: code → (Vietnamese, English). ``{name}`` placeholders come from ``Flag.params``.
MESSAGES: dict[str, tuple[str, str]] = {
    "address_missing": ("Giấy tờ không có địa chỉ cư trú: nhập tỉnh/thành và phường/xã.",
                        "The document carries no address: enter province and ward."),
    "province_not_found": ("Không xác định được tỉnh/thành phố từ địa chỉ: chọn trong danh sách.",
                           "The province could not be found in the address: choose it."),
    "ward_not_found": ("Không tìm thấy phường/xã/đặc khu trong danh mục: chọn trong danh sách.",
                       "The ward was not found in the portal's list: choose it."),
    "ward_ambiguous": ("Tên phường/xã trùng với nhiều đơn vị: chọn một trong các gợi ý.",
                       "The ward name matches several units: choose one of the candidates."),
    "ward_split": ("Phường/xã cũ (trước sáp nhập 2025) nay thuộc nhiều đơn vị mới: "
                   "chọn một trong các gợi ý.",
                   "The pre-2025 ward was split between several new wards: choose one."),
    "residence_kind_choice": ("Thẻ căn cước ghi \"Nơi cư trú\": chọn thường trú hoặc tạm trú.",
                              "The 2024 card prints \"place of residence\": choose permanent "
                              "or temporary."),
    "birth_date_partial": ("Ngày sinh chỉ rõ đến {precision}: kiểm tra với giấy tờ.",
                           "The date of birth is known to the {precision} only: check it."),
    "nationality_not_in_list": ("Quốc tịch {code} không có trong danh mục: chọn trong danh sách.",
                                "Nationality {code} is not in the portal's list: choose it."),
    "reason_text_missing": ("Lý do \"Mục đích khác\" cần nhập lý do cụ thể.",
                            "The \"other purpose\" reason needs its text."),
    "name_missing": ("Không đọc được họ tên.", "No name could be read."),
    "birth_date_missing": ("Không đọc được ngày sinh.", "No date of birth could be read."),
    "sex_missing": ("Giới tính không có trong danh mục (F/M): chọn.",
                    "Sex is not F or M in the document: choose it."),
    "document_number_missing": ("Không đọc được số giấy tờ.", "No document number could be read."),
}


@dataclass(frozen=True)
class Flag:
    """A cell left for the clerk: ``field`` is the row field (the workbook column's)."""

    code: str
    field: str
    candidates: tuple[str, ...] = ()
    params: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def message(self, language: str = "vi") -> str:
        vi, en = MESSAGES.get(self.code, (self.code, self.code))
        text = vi if language == "vi" else en
        try:
            return text.format(**self.params)
        except (KeyError, IndexError):
            return text

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "field": self.field, "candidates": list(self.candidates),
                "params": dict(self.params)}
