"""Screenshots of the main states for docs/screenshots/, taken under Xvfb.

    .venv/bin/python apps/desktop/screenshots.py

Without a DISPLAY it re-runs itself under ``xvfb-run`` (Debian package ``xvfb``), so the PNGs
come from the real xcb platform with real fonts, not the offscreen plugin. The window is
1366x768, the smallest common counter-PC screen; one extra shot runs with QT_SCALE_FACTOR=2
to check that the layout scales on high-DPI screens. Settings go to a temporary INI file.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUT = REPO / "docs" / "screenshots"
SCREEN = "2880x1800x24"
SIZE = (1366, 768)


def _under_xvfb(argv: list[str]) -> int:
    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        raise SystemExit("no DISPLAY and no xvfb-run: apt-get install xvfb")
    cmd = [xvfb_run, "-a", "-s", f"-screen 0 {SCREEN}", sys.executable, __file__, *argv]
    return subprocess.call(cmd)


def _wait(app: object, predicate: object, timeout: float = 15.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the app")
        QApplication.processEvents()
        time.sleep(0.01)
    for _ in range(20):  # let layouts settle and newly added widgets show
        QApplication.processEvents()
        time.sleep(0.005)


def _tampered_copy(tmp: Path) -> Path:
    from cccd_desktop import backend

    from cccd_reader import dump as dumpmod

    card = dumpmod.load(backend.samples_dir() / backend.DEFAULT_SAMPLE)
    dg2 = bytearray(card.files["DG2"])
    dg2[-20] ^= 0x01
    card.files["DG2"] = bytes(dg2)
    return dumpmod.save(card, tmp / "tampered-dg2", include_access=True)


def _problem_trust(directory: Path) -> None:
    """Trust files with the problems an administrator meets (synthetic, from the simulator)."""
    from cccd_desktop import backend

    from cccd_sim import bends
    from cccd_sim import pki as sim_pki

    rogue = sim_pki.make_csca(sim_pki.ROGUE_CSCA)
    signer, key = bends.ml_signer(rogue, "unchained")
    csca = sim_pki.default_pki().cscas["csca-vn"]
    (directory / "danh-sach-la.ml").write_bytes(
        bends.master_list([csca.certificate], signer, key))
    (directory / "cu.crl").write_bytes(bends.crl(
        csca, this_update=datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC),
        next_update=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)))
    good = (backend.samples_dir() / "pki" / "csca-ut.pem").read_text()
    (directory / "bo-chung-chi.pem").write_text(
        good + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")


#: Set while a screenshot of a read in progress is taken: the slowed chip waits.
PAUSE = threading.Event()


class _SlowTransport:
    """Slows the virtual chip to field speed so the progress screen can be photographed."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def transmit(self, apdu: bytes) -> bytes:
        while PAUSE.is_set():
            time.sleep(0.01)
        time.sleep(0.03)
        return bytes(self._inner.transmit(apdu))

    def close(self) -> None:
        self._inner.close()

    @property
    def supports_extended(self) -> bool | None:
        return bool(self._inner.supports_extended)


def _pdf_page_png(pdf: Path, png: Path) -> bool:
    """First page of the PDF report as PNG, when poppler's pdftoppm is installed."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return False
    subprocess.run([tool, "-png", "-r", "60", "-singlefile", str(pdf), str(png.with_suffix(""))],
                   check=True)
    return True


def _face_card(tmp: Path) -> tuple[Path, str]:
    """The demo card with a public-domain photograph as its portrait (240x320 grey JPEG 2000,
    re-signed by the sample PKI) and a 640x480 "webcam" video of the same photograph, for the
    face-check shot: the panel is what is shown, not accuracy (photo credits:
    tests/face/photos/CREDITS.md, person_a_2.jpg, public domain)."""
    import cv2
    import numpy as np

    from cccd_reader import dump as dumpmod
    from tests.face.photos import VARIANTS, dump_with_portrait, pixels

    card = dumpmod.save(dump_with_portrait(VARIANTS["jpeg2000"]("person_a_2"), fmt="jp2"),
                        tmp / "face-card", include_access=True)
    frame = np.full((480, 640, 3), (200, 190, 180), np.uint8)
    frame[40:440, 170:470] = cv2.resize(pixels("person_a_2"), (300, 400))
    video = str(tmp / "webcam.avi")
    writer = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*"MJPG"), 15, (640, 480))
    for _ in range(6):
        writer.write(frame)
    writer.release()
    return card, video


def shoot(hidpi: bool, only_face: bool = False) -> None:
    from cccd_desktop import backend, resultview
    from cccd_desktop.i18n import Languages
    from cccd_desktop.settings import AppSettings
    from cccd_desktop.state import State
    from cccd_desktop.window import MainWindow
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QWidget

    from cccd_reader.service import ReaderEvent

    app = QApplication([sys.argv[0]])
    tmp = Path(tempfile.mkdtemp(prefix="cccd-shots-"))
    # the user's own trust directory stays out of the pictures (and is never written)
    os.environ["CCCD_TRUST_DIR"] = str(tmp / "user-trust")
    (tmp / "user-trust").mkdir()
    OUT.mkdir(parents=True, exist_ok=True)

    def window_for(dump: Path | None, lang: str = "vi", trusted: bool = True,
                   trust_paths: list[str] | None = None) -> MainWindow:
        # windows closed by earlier shots are freed here, on the UI thread: a collection
        # triggered on a worker thread (trust loading) would destroy their widgets there
        gc.collect()
        settings = AppSettings(QSettings(str(tmp / f"{lang}.ini"), QSettings.Format.IniFormat))
        settings.trust_paths = trust_paths or []
        languages = Languages()
        languages.set(lang)
        saved = backend.demo_trust_paths
        if not trusted:  # as on a counter PC with no trust anchors installed yet
            backend.demo_trust_paths = lambda: []
        try:
            w = MainWindow(settings, languages, sim_dump=dump)
        finally:
            backend.demo_trust_paths = saved
        w.resize(*SIZE)
        w.move(0, 0)
        w.show()
        _wait(app, lambda: w.trust_info is not None)  # loaded on its worker thread
        if dump is None:  # reader events are fed by hand: pcscd is never touched here
            return w
        w.start()
        _wait(app, lambda: w.flow.state is State.WAITING_CARD)
        _wait(app, lambda: w.warmed_up)
        return w

    def save(widget: QWidget, name: str) -> None:
        path = OUT / name
        widget.grab().save(str(path))
        print(f"wrote {path.relative_to(REPO)}")

    def read(w: MainWindow) -> None:
        w.tap_card()
        _wait(app, lambda: w.flow.state in (State.RESULT, State.ERROR))

    samples = backend.samples_dir()
    sample = samples / backend.DEFAULT_SAMPLE

    def face_check() -> None:
        card, video = _face_card(tmp)
        w = window_for(card)
        w.settings.camera_source = video
        read(w)
        w.result_view.tabs.setCurrentIndex(w.face_tab)
        panel = w.face_panel
        panel.start_camera()
        _wait(app, lambda: panel._latest is not None)
        panel.capture()
        _wait(app, lambda: panel.result is not None, timeout=60)
        save(w, "19-face-check.png")
        w.close()

    def guest_list(card_2024: Path) -> None:
        """Two guests added with their stay, the list exported: count and cells to check."""
        from PySide6.QtCore import QDate

        w = window_for(sample)
        bar = w.guest_bar
        bar.arrival_edit.setDate(QDate(2026, 12, 7))
        bar.departure_edit.setDate(QDate(2026, 12, 9))
        bar.room_edit.setText("0205")
        bar.reason_combo.setCurrentIndex(bar.reason_combo.findData("1"))
        read(w)
        bar.add_current()
        index = w.sample_combo.findData(str(card_2024.resolve()))
        w.sample_combo.setCurrentIndex(index)
        w._sample_picked(index)  # as the demo bar does: card out, the sample's key filled in
        _wait(app, lambda: w.flow.state is State.WAITING_CARD)
        read(w)
        bar.residence_combo.setCurrentIndex(bar.residence_combo.findData("2"))
        bar.add_current()
        out = tmp / "guests"
        out.mkdir()
        bar.dir_dialog = lambda *_args: str(out)
        bar.export_workbooks()
        _wait(app, lambda: True)
        save(w, "20-guest-list.png")
        w.close()

    if only_face:
        face_check()
        shutil.rmtree(tmp, ignore_errors=True)
        return
    if hidpi:
        w = window_for(sample)
        read(w)
        save(w, "hidpi-scale2-result.png")
        w.close()
        return

    w = window_for(sample)
    save(w, "01-waiting.png")
    plain = w.source.transport
    w.source.transport = lambda reader: _SlowTransport(plain(reader))  # type: ignore[method-assign]
    w.tap_card()
    # paused the moment the security object is being read: the chip is held before DG1
    # arrives, so the step list is on screen rather than the name (the next shot)
    _wait(app, lambda: "EF.SOD" in w._steps and (PAUSE.set() or True))
    save(w, "01b-reading.png")
    PAUSE.clear()
    _wait(app, lambda: w.result_view.partial is not None and "DG2" in w._steps)
    PAUSE.set()
    _wait(app, lambda: True)
    save(w, "01c-name-before-photo.png")
    PAUSE.clear()
    _wait(app, lambda: w.flow.state is State.RESULT)
    w.source.transport = plain  # type: ignore[method-assign]
    save(w, "02-result-genuine.png")
    w.save_dialog = lambda *_args: str(tmp / "report.pdf")
    w.export_pdf()
    if _pdf_page_png(tmp / "report.pdf", OUT / "09-pdf-report.png"):
        print("wrote docs/screenshots/09-pdf-report.png")
    w.result_view.show_checks()
    _wait(app, lambda: True)
    save(w, "03-checks.png")
    w.set_language("en")
    _wait(app, lambda: w.read_button.text() == "Read card")
    save(w, "06-english-checks.png")
    w.result_view.tabs.setCurrentIndex(0)
    _wait(app, lambda: True)
    save(w, "05-english-result.png")
    w.set_language("vi")
    w.remove_card()
    w.key_entry.can_edit.setText("999999")
    read(w)
    save(w, "07-error-wrong-key.png")
    w.remove_card()
    w.key_entry.clear()
    w.tap_card()
    _wait(app, lambda: w.flow.state is State.NEED_KEY)
    save(w, "07b-card-detected.png")
    w.close()

    w = window_for(_tampered_copy(tmp))
    read(w)
    save(w, "04-result-not-genuine.png")
    w.result_view.show_checks()
    _wait(app, lambda: True)
    save(w, "04b-checks-not-genuine.png")
    w.close()

    w = window_for(samples / "negative" / "dsc-untrusted-csca")
    read(w)
    save(w, "04c-unverified-csca-key-not-trusted.png")
    w.close()

    w = window_for(samples / "negative" / "truncated-sod")
    read(w)
    save(w, "04d-not-genuine-truncated-sod.png")
    w.close()

    w = window_for(samples / "vn-cancuoc-2024-dang-huu-phuoc")
    read(w)
    save(w, "08-result-2024-card-jpeg2000.png")
    w.remove_card()
    resultview.today = lambda: datetime.date(2029, 1, 15)  # past the sample's 02/11/2028
    read(w)
    save(w, "10-result-expired.png")
    resultview.today = datetime.date.today
    w.close()

    w = window_for(samples / "vn-cccd-2021-le-thi-thu-huong-lifetime")
    read(w)
    save(w, "11-result-no-clone-detection.png")
    w.close()

    w = window_for(sample, trusted=False)
    read(w)
    save(w, "12-result-unverified.png")
    w.close()

    # the CSCAs without their CRLs: "revocation not checked" is a note, not a problem
    saved_paths = backend.demo_trust_paths
    backend.demo_trust_paths = lambda: [p for p in saved_paths() if p.endswith(".der")]
    try:
        w = window_for(sample)
    finally:
        backend.demo_trust_paths = saved_paths
    read(w)
    w.result_view.show_checks()
    _wait(app, lambda: True)
    save(w, "12b-checks-no-current-crl-note.png")
    w.close()

    # trust with problems: a master list whose signer chains to nothing, a stale CRL and a
    # bundle with an unreadable certificate; the status bar warns, Settings names each file
    trust_dir = tmp / "trust-problems"
    trust_dir.mkdir()
    _problem_trust(trust_dir)
    w = window_for(sample, trust_paths=[str(trust_dir)])
    save(w, "17-status-trust-warnings.png")
    from cccd_desktop.settings import SettingsDialog

    gc.collect()
    dialog = SettingsDialog(w.settings, [], w)
    dialog.resize(900, 740)
    dialog.show()
    dialog.focus_trust()
    _wait(app, lambda: dialog.trust_summary.summary is not None)
    save(dialog, "18-settings-trust-summary.png")
    dialog.tabs.setCurrentIndex(dialog.agent_tab)
    dialog.agent_section.enabled_check.setChecked(True)
    dialog.agent_section.origins_edit.setText("https://his.example.vn")
    dialog.agent_section.socketio_check.setChecked(True)
    _wait(app, lambda: True)
    save(dialog, "18b-settings-local-agent.png")
    dialog.close()
    dialog.deleteLater()
    w.close()

    guest_list(samples / "vn-cancuoc-2024-dang-huu-phuoc")

    w = window_for(samples / "passport-utopia-td3")
    save(w, "13-key-mrz-dates.png")
    read(w)
    save(w, "14-result-passport.png")
    w.close()

    w = window_for(None)
    for name in ("Virtual PCD 00 00", "Virtual PCD 00 01"):
        w.bridge(ReaderEvent("reader_added", name))
    _wait(app, lambda: True)
    save(w, "15-choose-reader.png")
    w.close()
    w = window_for(None)
    w.bridge(ReaderEvent("error", detail="PC/SC is not available (is pcscd running?)"))
    _wait(app, lambda: True)
    save(w, "16-no-reader.png")
    w.close()
    face_check()
    shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hidpi", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--face", action="store_true",
                        help="only the face-check shot (19-face-check.png)")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        return _under_xvfb(sys.argv[1:])
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    if args.hidpi:
        shoot(hidpi=True)
        return 0
    if args.face:
        shoot(hidpi=False, only_face=True)
        return 0
    shoot(hidpi=False)
    env = dict(os.environ, QT_SCALE_FACTOR="2")
    return subprocess.call([sys.executable, __file__, "--hidpi"], env=env)


if __name__ == "__main__":
    sys.exit(main())
