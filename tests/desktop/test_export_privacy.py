"""Exports are personal data (issue 18 item 5): 0600, no symlink followed, and the JSON export
can leave out the MRZ and the numbers that would open the chip again."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from cccd_desktop import export
from cccd_desktop.settings import SettingsDialog

from tests.desktop.conftest import SAMPLE, FakeSaveDialog, read_to_end

ANH_ID = "001190012345"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _record() -> Any:
    from cccd_reader import dump as dumpmod
    from cccd_reader.record import CardRecord

    return CardRecord.build(dumpmod.load(SAMPLE).files)


def test_exports_are_0600_whatever_the_umask(qtbot: Any, tmp_path: Path) -> None:
    record = _record()
    old = os.umask(0)
    try:
        json_path = export.write_json(record, tmp_path / "card.json")
        pdf_path = export.write_pdf(record, tmp_path / "card.pdf", None)
    finally:
        os.umask(old)
    assert _mode(json_path) == 0o600 and _mode(pdf_path) == 0o600
    assert pdf_path.read_bytes().startswith(b"%PDF")
    assert ANH_ID in json_path.read_text(encoding="utf-8")  # the full record by default


def test_export_never_writes_through_a_symlink(qtbot: Any, tmp_path: Path) -> None:
    record = _record()
    victim = tmp_path / "victim"
    victim.write_text("precious")
    for name in ("out.json", "out.pdf"):
        (tmp_path / name).symlink_to(victim)
    # a typed error naming the file (a CccdError), never a write through the link
    with pytest.raises(export.ExportError, match=r"out\.json"):
        export.write_json(record, tmp_path / "out.json")
    with pytest.raises(export.ExportError, match=r"out\.pdf"):
        export.write_pdf(record, tmp_path / "out.pdf", None)
    assert victim.read_text() == "precious"


def test_json_export_without_mrz_and_numbers_on_request(
    qtbot: Any, make_window: Any, save_dialog: FakeSaveDialog, settings: Any, tmp_path: Path
) -> None:
    window = make_window()
    dialog = SettingsDialog(settings, [])
    qtbot.addWidget(dialog)
    assert dialog.redact_check.text() == "Không ghi MRZ và các số giấy tờ vào tệp JSON xuất ra"
    dialog.redact_check.setChecked(True)
    dialog.apply()
    assert settings.export_without_access_data
    read_to_end(qtbot, window)
    save_dialog.answer = str(tmp_path / "card.json")
    path = window.export_json()
    assert path is not None
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert "mrz" not in doc and "personal_number" not in doc["holder"]
    assert ANH_ID not in text and ANH_ID[-6:] not in text  # neither the number nor the CAN
    assert doc["holder"]["full_name"] == "Nguyễn Thị Ngọc Ánh"
    assert doc["verification"]["verdict"] == "genuine"
