"""What the evidence check says, by stable code: English and Vietnamese templates.

A bank's server shows these to its own staff, without Qt or the desktop app's translations,
so the templates live with the library. ``{name}`` is filled from the check's ``params``.
Every code :mod:`cccd_reader.evidence.check` emits is here in both languages with the same
parameters (``tests/evidence/test_messages.py`` derives the list from the source).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final, Literal

Language = Literal["en", "vi"]

#: code -> (English, Vietnamese)
TEMPLATES: Final[dict[str, tuple[str, str]]] = {
    # the Document Signer certificate carried beside EF.SOD
    "package_dsc.match": (
        "The package's Document Signer certificate is the one that signed EF.SOD.",
        "Chứng thư ký số của bên ký (DSC) trong gói là chứng thư đã ký EF.SOD.",
    ),
    "package_dsc.mismatch": (
        "The package's Document Signer certificate is not the one that signed EF.SOD: it "
        "was swapped.",
        "Chứng thư ký số (DSC) trong gói không phải chứng thư đã ký EF.SOD: nó đã bị thay.",
    ),
    "package_dsc.absent": (
        "The package carries no separate Document Signer certificate; the one in EF.SOD "
        "was used.",
        "Gói không kèm chứng thư ký số (DSC) riêng; đã dùng chứng thư nằm trong EF.SOD.",
    ),
    "package_dsc.no_signer": (
        "No Document Signer certificate could be matched to EF.SOD's signature.",
        "Không tìm được chứng thư ký số (DSC) khớp với chữ ký của EF.SOD.",
    ),
    # Active Authentication, re-checked against the server's challenge
    "active_auth.verified": (
        "The chip's Active Authentication signature over the server's challenge verifies "
        "with the DG15 key.",
        "Chữ ký xác thực chủ động (AA) của chip trên thử thách do máy chủ chọn là hợp lệ "
        "với khóa trong DG15.",
    ),
    "active_auth.invalid": (
        "The chip's Active Authentication signature does not verify with the DG15 key over "
        "the server's challenge.",
        "Chữ ký xác thực chủ động (AA) không hợp lệ với khóa DG15 trên thử thách của máy chủ.",
    ),
    "active_auth.unsupported": (
        "The Active Authentication key or algorithm cannot be checked by this program.",
        "Chương trình này không kiểm tra được khóa hoặc thuật toán xác thực chủ động (AA).",
    ),
    "active_auth.challenge_mismatch": (
        "The package answers another challenge than the one the server chose: a replay or "
        "another session.",
        "Gói trả lời một thử thách khác với thử thách máy chủ đã chọn: có thể là phát lại "
        "hoặc phiên khác.",
    ),
    "active_auth.no_server_challenge": (
        "No server challenge was given: the signature cannot prove the chip answered now "
        "(a replayed package cannot be excluded).",
        "Không có thử thách của máy chủ: chữ ký không chứng minh được chip trả lời lúc này "
        "(không loại trừ được gói bị phát lại).",
    ),
    "active_auth.not_in_package": (
        "The chip offers Active Authentication, but the package holds no signature over a "
        "server's challenge.",
        "Chip có xác thực chủ động (AA) nhưng gói không có chữ ký trên thử thách của máy chủ.",
    ),
    "chip_auth.not_reprovable": (
        "This chip's clone detection (Chip Authentication / PACE-CAM) is bound to the "
        "counter's session and cannot be re-proven from a package.",
        "Chống sao chép của chip này (Chip Authentication / PACE-CAM) gắn với phiên đọc tại "
        "quầy, không thể chứng minh lại từ gói.",
    ),
    "clone_detection.not_offered": (
        "The chip offers no clone detection: a copied chip cannot be told apart.",
        "Chip không có cơ chế chống sao chép: không phân biệt được chip bị sao chép.",
    ),
    # what the package says that no server can re-prove
    "not_reproven.counter_verdict": (
        "The counter's verdict ({verdict}) is its own; the verdict above is the server's.",
        "Kết luận tại quầy ({verdict}) là của máy tại quầy; kết luận ở trên là của máy chủ.",
    ),
    "not_reproven.chip_auth": (
        "Chip Authentication at the counter ({status}) was bound to that session: not "
        "re-provable.",
        "Xác thực chip tại quầy ({status}) gắn với phiên đó: không chứng minh lại được.",
    ),
    "not_reproven.face": (
        "The face comparison (band {band}) was computed on the counter PC and is not "
        "attested.",
        "Kết quả so khớp khuôn mặt (mức {band}) được tính trên máy tại quầy, không được "
        "chứng thực.",
    ),
    "not_reproven.face_refused": (
        "The face comparison was refused at the counter ({code}); computed there, not "
        "attested.",
        "So khớp khuôn mặt bị từ chối tại quầy ({code}); tính tại quầy, không được chứng thực.",
    ),
    "not_reproven.live_image": (
        "The live image is the counter's; nothing binds it to the moment of the read.",
        "Ảnh chụp trực tiếp là của máy tại quầy; không có gì gắn nó với thời điểm đọc thẻ.",
    ),
    "not_reproven.times": (
        "The times in the package come from the counter PC's clock.",
        "Thời gian trong gói lấy từ đồng hồ của máy tại quầy.",
    ),
    "not_reproven.online_check": (
        "No online check with the Ministry of Public Security's service was made by this "
        "software: the bank makes its own.",
        "Phần mềm này không kiểm tra trực tuyến với hệ thống của Bộ Công an: ngân hàng tự "
        "thực hiện việc đó.",
    ),
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def placeholders(template: str) -> frozenset[str]:
    return frozenset(_PLACEHOLDER.findall(template))


def render(code: str, params: Mapping[str, str] | None = None, language: Language = "en") -> str:
    """The sentence for ``code`` in ``language``; a missing parameter shows as ``?``."""
    english, vietnamese = TEMPLATES[code]
    template = vietnamese if language == "vi" else english
    values = params or {}
    return _PLACEHOLDER.sub(lambda m: values.get(m[1]) or "?", template)
