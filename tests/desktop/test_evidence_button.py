""""Lưu bằng chứng" (Save evidence): the read's evidence package on the clerk's explicit action,
0600, never through a symbolic link, with the face check's result when one was made; nothing
for a forged chip, nothing after the card left."""

from __future__ import annotations

import logging
import stat
from pathlib import Path
from typing import Any

import pytest
from cccd_desktop.state import State

from cccd_reader import dump, evidence
from cccd_reader.pki.trust import TrustStore
from tests.conftest import SAMPLES
from tests.desktop.conftest import FakeSaveDialog, read_to_end
from tests.desktop.test_face_panel import _capture, _video
from tests.face.photos import VARIANTS, dump_with_portrait


@pytest.fixture
def card(tmp_path: Path) -> Path:
    """The demo card with a chip-like portrait of a credited photo (person_a_2), signed by the
    sample PKI."""
    portrait = VARIANTS["jpeg2000"]("person_a_2")
    return dump.save(dump_with_portrait(portrait, fmt="jp2"), tmp_path / "card",
                     include_access=True)


def _server_trust() -> TrustStore:
    return TrustStore.from_paths([SAMPLES / "pki" / "csca-vn.der"], include_default=False)


def test_saved_on_request_with_the_face_result(qtbot: Any, make_window: Any, card: Path,
                                               save_dialog: FakeSaveDialog, tmp_path: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    window = make_window(card)
    window.settings.camera_source = _video(tmp_path / "cam.avi", "person_a_1")
    read_to_end(qtbot, window)
    assert window.flow.state is State.RESULT
    button = window.evidence_button
    assert button.text() == "Lưu bằng chứng…" and button.isEnabled()
    assert "không phải là kiểm tra trực tuyến với Bộ Công an" in button.toolTip()
    assert not list(tmp_path.glob("*.json"))  # nothing written before the clerk asks
    _capture(qtbot, window.face_panel)
    band = window.face_panel.result.band
    assert band is not None

    save_dialog.answer = str(tmp_path / "evidence.json")
    button.click()
    target = tmp_path / "evidence.json"
    assert save_dialog.calls[-1][0] == "Lưu bằng chứng cho ngân hàng"
    assert save_dialog.calls[-1][2] == "Gói bằng chứng (*.json)"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    package = evidence.load(target)
    assert package.producer.component == "app"
    assert package.face is not None and package.face.band == band
    assert package.live_image is None  # the camera picture never leaves the app
    assert package.active_auth.reason == "no_challenge"  # the app chose no server challenge
    report = evidence.verify_package(package, _server_trust())
    assert report.data_verdict == "genuine", [(c.name, c.code) for c in report.checks]
    assert window.note_label.text() == "Đã lưu evidence.json"
    holder = window.result_view.record.holder.full_name
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "evidence package saved" in text and holder not in text and band not in text


def test_without_a_face_check_and_never_through_a_link(qtbot: Any, make_window: Any,
                                                      save_dialog: FakeSaveDialog,
                                                      tmp_path: Path) -> None:
    window = make_window()
    read_to_end(qtbot, window)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "link.json").symlink_to(victim)
    save_dialog.answer = str(tmp_path / "link.json")
    assert window.save_evidence() is None
    assert victim.read_text() == "precious"
    assert window.note_label.text() == "Không lưu được link.json"
    save_dialog.answer = str(tmp_path / "plain.json")
    path = window.save_evidence()
    assert path is not None and evidence.load(path).face is None
    save_dialog.answer = ""  # the clerk cancelled the dialog: nothing written
    assert window.save_evidence() is None


def test_nothing_after_removal_or_for_a_forged_chip(qtbot: Any, make_window: Any,
                                                   save_dialog: FakeSaveDialog,
                                                   tmp_path: Path) -> None:
    window = make_window()
    read_to_end(qtbot, window)
    window.remove_card()
    assert window.flow.state is State.WAITING_CARD
    save_dialog.answer = str(tmp_path / "late.json")
    assert not window.evidence_button.isEnabled() and window.save_evidence() is None
    assert not (tmp_path / "late.json").exists() and save_dialog.calls == []

    portrait = VARIANTS["jpeg2000"]("person_a_2")
    forged = dump.save(dump_with_portrait(portrait, fmt="jp2", sign=False), tmp_path / "forged",
                       include_access=True)
    other = make_window(forged)
    read_to_end(qtbot, other)
    assert other.result_view.record.verification.verdict == "not_genuine"
    assert not other.evidence_button.isEnabled() and other.save_evidence() is None
