"""Trust in the counter app (issue 16 item 6, issue 15 item 4, the demo status-bar nit): the
store loads once on a worker thread and is kept; the status bar shows its freshness; the
settings' summary names each master-list problem and unreadable entry, in Vietnamese, with
its file; "demo: test CSCAs" only when they are loaded."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cccd_desktop import backend, trust_summary
from cccd_desktop.i18n import Languages
from cccd_desktop.settings import AppSettings, SettingsDialog
from cccd_desktop.state import State
from cccd_desktop.trust_summary import TrustSummary
from cccd_desktop.window import MainWindow
from pytestqt.qtbot import QtBot

from cccd_sim import bends
from cccd_sim import pki as sim_pki
from tests.desktop.conftest import SAMPLE, read_to_end

PKI = backend.samples_dir() / "pki"


@pytest.fixture(autouse=True)
def _own_trust_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Imports go to a temporary trust directory, never the user's."""
    directory = tmp_path / "user-trust"
    directory.mkdir()
    monkeypatch.setenv("CCCD_TRUST_DIR", str(directory))
    return directory


def _spy_loads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[str, ...]]]:
    """Every store load: (thread name, paths)."""
    seen: list[tuple[str, tuple[str, ...]]] = []
    real = trust_summary.load_store

    def spy(paths: Any, **kwargs: Any) -> Any:
        seen.append((threading.current_thread().name, tuple(paths)))
        return real(paths, **kwargs)

    monkeypatch.setattr(trust_summary, "load_store", spy)
    return seen


def test_trust_loads_once_off_the_ui_thread_and_only_again_when_it_changes(
    qtbot: QtBot, make_window: Callable[..., MainWindow], settings: AppSettings,
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    loads = _spy_loads(monkeypatch)
    window = make_window(lang="en")
    assert [name for name, _ in loads] == ["trust-load"]
    assert threading.current_thread().name != "trust-load"
    # "Trust: 2 CSCA, newest CRL dd/mm/yyyy": the demo's test CSCAs and their CRLs
    text = window.trust_label.text()
    assert text.startswith("Trust: 2 CSCA, newest CRL ")
    newest = max(c.this_update for c in window.trust.crls)
    assert f"{newest:%d/%m/%Y}" in text

    # reads, idle clears and settings applied without a change of paths reuse the store
    store = window.trust
    read_to_end(qtbot, window)
    assert window.result_view.record.verification.verdict == "genuine"
    window._idle_expired()
    assert window.flow.state is not State.RESULT
    window.apply_settings()
    window.remove_card()
    read_to_end(qtbot, window)
    assert window.result_view.record.verification.verdict == "genuine"
    assert len(loads) == 1 and window.trust is store

    # a new trust path loads again (on the worker), and so does an import
    extra = tmp_path / "extra"
    extra.mkdir()
    settings.trust_paths = [str(extra)]
    window.apply_settings()
    qtbot.waitUntil(lambda: len(loads) == 2 and window.trust is not store, timeout=20000)
    assert loads[1] == ("trust-load", (str(extra), *backend.demo_trust_paths()))
    dialog = SettingsDialog(settings, [], window)
    qtbot.addWidget(dialog)
    dialog.trust_summary.imported.connect(lambda _p: window.reload_trust())
    message = dialog.trust_summary.import_path(PKI / "csca-vn.der")
    assert message.startswith("Imported"), message
    qtbot.waitUntil(lambda: len(loads) == 3, timeout=20000)
    assert all(name == "trust-load" for name, _ in loads)


def test_a_read_started_while_trust_loads_waits_for_it(
    qtbot: QtBot, settings: AppSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A card tapped before the store is there is verified with it (not as unverified), and
    the UI thread never waits: the worker does."""
    release = threading.Event()
    real = trust_summary.load_store

    def slow(paths: Any, **kwargs: Any) -> Any:
        assert release.wait(20)
        return real(paths, **kwargs)

    monkeypatch.setattr(trust_summary, "load_store", slow)
    languages = Languages()
    languages.set("en")
    window = MainWindow(settings, languages, sim_dump=SAMPLE)
    qtbot.addWidget(window)
    window.show()
    window.start()
    try:
        assert window.trust_label.text() == "Loading the trust store…"
        window.tap_card()
        qtbot.waitUntil(lambda: window.flow.state is State.READING, timeout=5000)
        qtbot.wait(300)
        assert window.flow.state is State.READING  # held by the store, not finished
        release.set()
        qtbot.waitUntil(lambda: window.flow.state is State.RESULT, timeout=20000)
        assert window.result_view.record.verification.verdict == "genuine"
        assert window.trust_label.text().startswith("Trust: 2 CSCA")
    finally:
        release.set()
        window.close()


def test_status_bar_warns_of_stale_crl_and_expiring_anchor(
    qtbot: QtBot, make_window: Callable[..., MainWindow], settings: AppSettings,
    tmp_path: Path,
) -> None:
    csca = sim_pki.default_pki().cscas["csca-vn"]
    stale = tmp_path / "old.crl"
    stale.write_bytes(bends.crl(csca, this_update=datetime(2023, 1, 1, tzinfo=UTC),
                                next_update=datetime(2024, 1, 1, tzinfo=UTC)))
    settings.trust_paths = [str(stale), str(PKI / "csca-vn.der")]
    window = make_window(dump=None, lang="en")
    text = window.trust_label.text()
    assert "1 CRL out of date" in text, text
    assert "demo" not in text

    info = trust_summary.inspect(window.trust, now=datetime.now(UTC) + timedelta(days=3650))
    assert info.expiring >= 1
    assert "expired or expiring within 30 days" in trust_summary.freshness_text(info)


def test_demo_note_only_when_test_cscas_are_loaded(
    qtbot: QtBot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(lang="vi")
    assert window.trust_label.text().startswith("Tin cậy: 2 CSCA, CRL mới nhất ")
    assert "samples/pki" in window.demo_label.text()
    assert "demo: CSCA thử nghiệm tổng hợp" in window.trust_label.text()
    window.close()
    monkeypatch.setattr(backend, "demo_trust_paths", lambda: [])
    bare = make_window(lang="vi")  # demo mode, but no test CSCA in the store
    assert bare.demo and bare.trust_info is not None and bare.trust_info.demo_cscas == 0
    assert "demo" not in bare.trust_label.text()
    assert bare.trust_label.text().startswith("Tin cậy: 0 CSCA")
    # the yellow demo bar does not claim the test CSCAs are trusted either
    assert "samples/pki" not in bare.demo_label.text()
    assert "Không có CSCA thử nghiệm nào được nạp" in bare.demo_label.text()


def _unchained_list() -> bytes:
    rogue = sim_pki.make_csca(sim_pki.ROGUE_CSCA)
    signer, key = bends.ml_signer(rogue, "unchained")
    authority = sim_pki.default_pki().cscas["csca-vn"]
    return bends.master_list([authority.certificate], signer, key)


def test_settings_summary_lists_master_list_and_bundle_warnings_in_vietnamese(
    qtbot: QtBot, tmp_path: Path
) -> None:
    directory = tmp_path / "trust"
    directory.mkdir()
    (directory / "lạ.ml").write_bytes(_unchained_list())
    good = (PKI / "csca-vn.pem").read_text()
    (directory / "bundle.pem").write_text(
        good + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    languages = Languages()
    languages.set("vi")
    try:
        widget = TrustSummary(directory=directory)
        qtbot.addWidget(widget)
        with qtbot.waitSignal(widget.loaded, timeout=20000):
            pass
        text = widget.label.text()
        assert ("Danh sách CSCA lạ.ml: chữ ký của danh sách không dẫn về CSCA tin cậy nào, "
                "nên không chứng thư nào trong 1 chứng thư của nó được tin cậy.") in text, text
        assert "bundle.pem#1: đã bỏ qua một chứng thư không đọc được." in text, text
        # the master-list warning is said once, from its report, not again in English
        assert "NOT trusted" not in text and "skipped" not in text
        assert "Cần chú ý (2):" in text
        assert widget.summary is not None and len(widget.summary["anchors"]) == 1
        # the English originals stay as the technical tooltip
        assert "NOT trusted" in widget.label.toolTip()
    finally:
        languages.set("en")


def test_every_store_warning_has_words_and_the_file() -> None:
    """Each warning form the store writes maps to a sentence naming the file."""
    cases = {
        "/a/b/x.pem#3: not a valid X.509 certificate (bad tag); skipped": "x.pem#3",
        "/a/b/x.pem#0: unreadable PEM block (bad base64); skipped": "x.pem#0",
        "/a/c.crl: malformed CRL (truncated); skipped": "c.crl",
        "/a/d.ml: malformed master list (eof); skipped": "d.ml",
        "/a/e.der: too large; skipped": "e.der",
    }
    texts = {trust_summary.warning_text(w) for w in cases}
    assert len(texts) == len(cases)  # one sentence per kind
    for warning, name in cases.items():
        assert trust_summary.warning_text(warning).startswith(f"{name}: ")
