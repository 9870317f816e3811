"""The contactless link model the benchmarks charge APDU exchanges with (cccd_sim.linkmodel)."""

from __future__ import annotations

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.read_flow import read_card
from cccd_sim.cards import chip_for_dump
from cccd_sim.linkmodel import (
    BIT_RATES,
    FDT_MIN_US,
    Exchange,
    LinkModel,
    LinkModelTransport,
    LinkParams,
    bit_time_us,
)
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"


def test_link_model_single_frame_exchange() -> None:
    model = LinkModel(LinkParams(turnaround_ms=0, per_byte_us=0, host_overhead_ms=0))
    ex = Exchange(command=5, response=2, ins=0xB0)
    # two I-blocks (PCB + INF + CRC_A), 9 bits per byte plus SOF/EOF, two frame delays
    bits = (5 + 3) * 9 + 2 + (2 + 3) * 9 + 2
    assert model.exchange_us(ex, 106) == pytest.approx(bits * 128 / 13.56 + 2 * FDT_MIN_US)
    assert bit_time_us(848) == pytest.approx(bit_time_us(106) / 8)
    assert FDT_MIN_US == pytest.approx(86.43, abs=0.01)


def test_link_model_chains_long_apdus() -> None:
    model = LinkModel(LinkParams(fsd=64, fsc=32, cid=True))
    assert model.blocks(0, 64) == 1
    assert model.blocks(60, 64) == 1 and model.blocks(61, 64) == 2  # 64 - PCB, CID, CRC
    one = model.exchange_us(Exchange(20, 60, 0xB0), 424)
    chained = model.exchange_us(Exchange(20, 61, 0xB0), 424)
    # one more byte costs a whole I-block and an R(ACK) round
    assert chained - one > 2 * FDT_MIN_US
    with pytest.raises(ValueError):
        LinkParams(fsd=100)


def test_link_model_transport_and_bound() -> None:
    card = dumpmod.load(SAMPLE)
    chip = chip_for_dump(card)
    link = LinkModelTransport(InProcessTransport(chip.process))
    result = read_card(link, AccessKey.from_can("012345"))
    assert link.apdus == result.stats.apdus
    assert link.bytes_received == result.stats.bytes_received
    report = link.report()
    payload = sum(len(v) for v in result.files.values())
    for rate in BIT_RATES:
        assert report[f"modeled_ms_{rate}"] * 1000 >= link.model.bound_us(
            payload, link.apdus, rate
        )

