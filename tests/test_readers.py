"""The one transport factory: a PC/SC reader opened with its profile's limits, by everybody."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.errors import ReaderNotFoundError
from cccd_reader.iso7816.transcript import Transcript
from cccd_reader.profiles import reader_profile
from cccd_reader.readers import (
    NO_CARD_ANYWHERE,
    is_contactless,
    limits_for,
    open_card_reader,
    open_transport,
    wait_for_card,
)
from cccd_sim.cards import chip_for_dump
from tests.conftest import SAMPLES

Insert = Callable[..., AbstractContextManager[str]]
ANH = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"


@pytest.mark.parametrize(
    "name,expected",
    [
        ("ACS ACR1252 Dual Reader PICC 00 00", True),
        ("ACS ACR1252 Dual Reader SAM 00 01", False),
        ("HID Global OMNIKEY 5422CL Smartcard Reader 01 00", True),
        ("HID Global OMNIKEY 5422 Smartcard Reader 00 00", False),
        ("Identiv uTrust 3700 F CL Reader 00 00", True),
        ("Virtual PCD 00 00", True),
        ("ACS ACR122U PICC Interface 00 00", True),
        ("ACS ACR1252 1S CL Reader [ACR1252 Dual Reader SAM] 00 01", False),
        ("ACS ACR1252 1S CL Reader [ACR1252 Dual Reader PICC] 00 00", True),
    ],
)
def test_contactless_slot_is_told_apart(name: str, expected: bool) -> None:
    assert is_contactless(name) is expected


def test_limits_follow_what_the_transport_says() -> None:
    class Short:
        supports_extended = None
        max_response = 259

        def transmit(self, apdu: bytes) -> bytes:
            raise AssertionError("not used")

        def close(self) -> None:
            pass

    limits = limits_for(Short())
    assert limits.extended is False and limits.max_response == 259


@pytest.mark.pcsc
def test_a_named_reader_gets_its_profile_limits(vpcd_card: Insert) -> None:
    vpcd = reader_profile("Virtual PCD 00 00")
    assert vpcd.id == "vsmartcard-vpcd" and vpcd.extended_apdu
    with vpcd_card(chip_for_dump(dumpmod.load(ANH))) as reader:
        for transport in (open_transport("PCD 00 00"), open_card_reader(reader),
                          open_card_reader(None), wait_for_card(reader, 5)):
            with transport:
                assert transport.reader_name == reader
                assert transport.supports_extended is True
                assert transport.max_response == vpcd.max_response_data
        # the explicit override is kept (the demo knows what its chip carries)
        with open_transport(reader, extended=False) as transport:
            assert transport.supports_extended is False
            assert limits_for(transport).max_response == vpcd.max_response_data


@pytest.mark.pcsc
def test_no_card_anywhere_names_the_ways_out(pcsc_readers: list[str]) -> None:
    from cccd_reader.iso7816.pcsc import reader_status

    # pcsc tests run one at a time under the lock and each removes its card: a card still in a
    # reader here is a leak from another test, not a reason to skip
    assert not [r.name for r in reader_status() if r.card_present]
    with pytest.raises(ReaderNotFoundError) as err:
        open_card_reader(None)
    assert str(err.value) == NO_CARD_ANYWHERE


@pytest.mark.pcsc
def test_cli_read_with_reader_uses_the_vpcd_profile(vpcd_card: Insert, tmp_path: Path) -> None:
    """``cccd read --reader`` once built a bare PcscTransport: short APDUs on a reader whose
    profile carries extended ones. Through pcscd + vpcd its recorded session now shows the
    profile's limits: extended length, and responses longer than a short APDU can carry."""
    record = tmp_path / "session.json"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    with vpcd_card(chip_for_dump(dumpmod.load(ANH))) as reader:
        proc = subprocess.run(
            [sys.executable, "-m", "cccd_reader.cli", "read", "--reader", reader,
             "--can", "012345", "--record", str(record), "--json", "--no-default-trust",
             "--trust", str(SAMPLES / "pki" / "csca-vn.der"),
             "--trust", str(SAMPLES / "pki" / "csca-vn.crl")],
            capture_output=True, text=True, timeout=120, env=env,
        )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["holder"]["full_name"] == "Nguyễn Thị Ngọc Ánh"
    assert doc["verification"]["verdict"] == "genuine"
    transcript = Transcript.loads(record.read_bytes())
    assert transcript.extended is True
    assert max(len(response) for _, response in transcript.exchanges) > 258
