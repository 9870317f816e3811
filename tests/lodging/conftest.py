"""Shared helpers for the lodging tests: records built from real DG1/DG13 bytes."""

from __future__ import annotations

import datetime
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.lodging import Stay, load
from cccd_reader.lodging.catalogue import Workbook
from cccd_reader.record import CardRecord
from cccd_sim.issuer import encode_dg1
from cccd_sim.mrz_builder import compose_td3
from tests.conftest import SAMPLES

STAY = Stay(arrival=datetime.date(2026, 12, 1), departure=datetime.date(2026, 12, 3),
            room="0205", reason="1")
TODAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def _quiet_openpyxl() -> Iterator[None]:
    # openpyxl warns that it does not read x14 validations every time a test opens KBTT
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Data Validation extension",
                                category=UserWarning)
        yield


@pytest.fixture(scope="session")
def books() -> dict[str, Workbook]:
    return load()


def sample_record(name: str) -> CardRecord:
    return CardRecord.from_files(dumpmod.load(SAMPLES / name).files, decode_photo=False)


def passport(**fields: Any) -> CardRecord:
    """A passport read: DG1 holds the MRZ composed from ``fields``."""
    spec: dict[str, Any] = {
        "issuing_state": "D", "primary_identifier": "MUSTERMANN",
        "secondary_identifier": "ERIKA", "document_number": "C01X00T47", "nationality": "D",
        "date_of_birth": "640812", "sex": "F", "date_of_expiry": "301031",
    }
    spec.update(fields)
    mrz = compose_td3(**spec)
    return CardRecord.from_files({"DG1": encode_dg1(mrz)}, decode_photo=False)
