"""Issue 16 item 6: the settings' trust summary loads off the UI thread once and imports a file."""

from __future__ import annotations

import threading
from pathlib import Path

from cccd_desktop.trust_summary import TrustSummary
from pytestqt.qtbot import QtBot

from cccd_sim import bends, trust_lists
from cccd_sim import pki as sim_pki

PKI = Path(__file__).resolve().parents[2] / "samples" / "pki"


def test_summary_loads_off_thread_and_imports(qtbot: QtBot, tmp_path: Path) -> None:
    directory = tmp_path / "trust"
    directory.mkdir()
    (directory / "csca-vn.der").write_bytes((PKI / "csca-vn.der").read_bytes())
    threads: list[str] = []
    import cccd_desktop.trust_summary as module

    real = module.compute

    def spy(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    module.compute = spy  # type: ignore[assignment]
    try:
        widget = TrustSummary(directory=directory)
        qtbot.addWidget(widget)
        with qtbot.waitSignal(widget.loaded, timeout=20000):
            pass
    finally:
        module.compute = real
    assert threads == ["trust-summary"]
    assert widget.summary is not None and len(widget.summary["anchors"]) == 1
    assert "1 CSCA" in widget.label.text()

    with qtbot.waitSignal(widget.loaded, timeout=20000):
        message = widget.import_path(PKI / "csca-vn.crl")
    assert message.startswith("Imported")
    assert widget.summary["newest_crl"] is not None and len(widget.summary["crls"]) == 1

    csca = sim_pki.default_pki().cscas["csca-vn"]
    from datetime import UTC, datetime

    stale = tmp_path / "old.crl"
    stale.write_bytes(bends.crl(csca, this_update=datetime(2023, 1, 1, tzinfo=UTC),
                                next_update=datetime(2024, 1, 1, tzinfo=UTC)))
    with qtbot.waitSignal(widget.loaded, timeout=20000):
        widget.import_path(stale)
    assert any("old.crl" in item and "stale" in item for item in widget.summary["attention"])
    assert "Needs attention" in widget.label.text()
    assert widget.import_path(PKI / "dsc-vn-2021.der").startswith("Refused dsc-vn-2021.der")
    # a master list with an unusable certificate is imported, the skipped one counted
    own = trust_lists.synthetic_csca(0, "app", "DE")
    signer, key = bends.ml_signer(own, "app")
    untidy = tmp_path / "untidy.ml"
    untidy.write_bytes(bends.master_list_of_der(
        [bends.der(own.certificate), b"\x30\x03\x02\x01\x00"], signer, key))
    with qtbot.waitSignal(widget.loaded, timeout=20000):
        message = widget.import_path(untidy)
    assert message.startswith("Imported") and "1 certificate(s) skipped" in message, message
