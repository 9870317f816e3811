"""The desktop app on the real PC/SC stack: pcscd + vpcd with a virtual card, no demo mode."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from cccd_desktop.state import State

from cccd_reader import dump as dumpmod
from cccd_sim.cards import chip_for_dump
from tests.conftest import SAMPLES

pytestmark = pytest.mark.pcsc


def test_tap_on_a_real_reader_shows_the_genuine_record(
    qtbot: Any, settings: Any, vpcd_card: Callable[..., AbstractContextManager[str]]
) -> None:
    from cccd_desktop.i18n import Languages
    from cccd_desktop.window import MainWindow

    pki = SAMPLES / "pki"
    settings.reader = "Virtual PCD 00 00"  # vpcd shows two contactless slots: pick one
    languages = Languages()
    languages.set("vi")
    window = MainWindow(settings, languages,
                        extra_trust=[str(pki / "csca-vn.der"), str(pki / "csca-vn.crl")])
    qtbot.addWidget(window)
    window.show()
    window.start()
    try:
        # the staff type the key while the app waits for a card (entering the waiting state
        # clears any earlier key, so wait for it first)
        qtbot.waitUntil(lambda: window.flow.state is State.WAITING_CARD, timeout=20000)
        window.key_entry.prefill(can="012345")
        card = dumpmod.load(SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh")
        with vpcd_card(chip_for_dump(card)):
            try:
                qtbot.waitUntil(lambda: window.flow.state is State.RESULT, timeout=20000)
            except Exception:
                raise AssertionError(
                    f"state {window.flow.state}, reader {window.reader}, "
                    f"readers {window._readers}, cards {window._cards}, error {window._error!r}, "
                    f"pcsc {window._pcsc_problem}"
                ) from None
            assert window.result_view.value("full_name") == "Nguyễn Thị Ngọc Ánh"
            assert window.result_view.badge.verdict == "genuine"
        # the card leaves the field: everything is cleared
        qtbot.waitUntil(lambda: window.flow.state is not State.RESULT, timeout=20000)
        assert window.result_view.value("full_name") in (None, "")
    finally:
        window.close()
        languages.set("en")


def test_two_real_readers_make_the_app_ask(qtbot: Any, settings: Any,
                                           pcsc_readers: list[str]) -> None:
    """vpcd shows two contactless slots through pcscd: with no saved choice the app asks
    (it used to take whichever pcscd listed first)."""
    from cccd_desktop.i18n import Languages
    from cccd_desktop.window import MainWindow

    assert {"Virtual PCD 00 00", "Virtual PCD 00 01"} <= set(pcsc_readers)
    settings.reader = ""
    languages = Languages()
    languages.set("vi")
    window = MainWindow(settings, languages)
    qtbot.addWidget(window)
    window.show()
    window.start()
    try:
        qtbot.waitUntil(lambda: len(window._reader_buttons) >= 2, timeout=20000)
        assert window.reader is None
        assert window.flow.state is State.NO_READER
        assert window.message_title.text() == "Hãy chọn đầu đọc"
        window.pick_reader("Virtual PCD 00 01")
        qtbot.waitUntil(lambda: window.flow.state is State.WAITING_CARD, timeout=20000)
        assert settings.reader == "Virtual PCD 00 01"
    finally:
        window.close()
        languages.set("en")


def test_the_app_and_the_cli_open_a_reader_alike(
    settings: Any, vpcd_card: Callable[..., AbstractContextManager[str]]
) -> None:
    """One factory: the app's transport and ``cccd read --reader``'s carry the same limits,
    the reader profile's."""
    from cccd_desktop.backend import EventBridge, PcscSource

    from cccd_reader import cli
    from cccd_reader.profiles import reader_profile
    from cccd_reader.readers import limits_for

    source = PcscSource(EventBridge())
    card = dumpmod.load(SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh")
    with vpcd_card(chip_for_dump(card)) as reader:
        app = source.transport(reader)
        cli_transport, name = cli._pcsc_transport(reader)
        try:
            assert name == reader
            profile = reader_profile(reader)
            for transport in (app, cli_transport):
                assert transport.supports_extended is profile.extended_apdu is True
                assert limits_for(transport).max_response == profile.max_response_data
        finally:
            app.close()
            cli_transport.close()
