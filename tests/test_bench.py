"""bench/run.py in quick mode and the link model: the figures exist and are consistent with
each other (no timing thresholds: CI machines differ)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.iso7816.efreader import ReadLimits
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.read_flow import read_card
from cccd_sim.cards import chip_for_dump
from cccd_sim.linkmodel import (
    BIT_RATES,
)
from tests.conftest import REPO, SAMPLES

SAMPLE = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"


@pytest.fixture(scope="module")
def bench_doc() -> dict[str, dict[str, object]]:
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--json"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    doc: dict[str, dict[str, object]] = json.loads(proc.stdout)
    return doc


def test_bench_quick_json(bench_doc: dict[str, dict[str, object]]) -> None:
    doc: dict[str, dict[str, float]] = bench_doc  # type: ignore[assignment]
    samples = sorted(p.parent.name for p in SAMPLES.glob("*/card.json"))
    assert samples, "no samples to benchmark"
    for name in samples:
        ext, short = doc[name], doc[f"{name} (short APDUs)"]
        for row in (ext, short):
            assert row["apdus"] > 0 and row["bytes_received"] > row["payload_bytes"]
            assert row["host_cpu_ms"] >= 0
        # extended length can only save round trips
        assert ext["apdus"] <= short["apdus"]
        assert ext["payload_bytes"] == short["payload_bytes"]
        # other readers' fixed chunks and a SELECT per file cost more, never less
        for other in ("short Le 0xDF, SELECT", "short Le 0xA0, SELECT", "chip without SFI"):
            assert doc[f"{name} ({other})"]["apdus"] >= ext["apdus"], other
        assert doc[f"{name} (short Le 0xA0, SELECT)"]["apdus"] >= short["apdus"]
        assert ext["verify_dumps_per_s"] > 0


def test_bench_rows_respect_their_bounds(bench_doc: dict[str, dict[str, object]]) -> None:
    rows = {k: v for k, v in bench_doc.items() if "apdus" in v}
    assert rows
    for name, row in rows.items():
        r: dict[str, float] = row  # type: ignore[assignment]
        assert r["apdus"] >= r["apdus_min"] > 0, name
        previous = float("inf")
        for rate in BIT_RATES:
            modelled, bound = r[f"modeled_ms_{rate}"], r[f"bound_ms_{rate}"]
            assert modelled >= bound > 0, (name, rate)
            assert modelled <= previous, (name, rate)  # faster bit rate, shorter read
            previous = modelled
        phases = sum(r[f"cpu_{p}_ms"] for p in ("access", "files", "clone"))
        assert abs(phases - r["host_cpu_ms"]) <= 0.05 + 0.02 * r["host_cpu_ms"], name
        assert r["cpu_read_pa_ms"] >= r["host_cpu_ms"]


def test_bench_reports_qr_and_machine(bench_doc: dict[str, dict[str, object]]) -> None:
    qr = bench_doc["qr 1280x720"]
    if qr["available"]:
        assert qr["frames"] == 3 and 0 <= qr["decoded"] <= 3  # type: ignore[operator]
        per = qr["per_decoder"]
        assert set(per) == set(qr["decoders"])  # type: ignore[arg-type]
        for row in per.values():  # type: ignore[attr-defined]
            assert 0 <= row["decoded"] <= 3 and row["fps"] > 0
    assert bench_doc["machine"]["nproc"]


def test_sfi_reads_skip_the_select_and_fall_back_when_refused() -> None:
    card = dumpmod.load(SAMPLE)
    key = AccessKey.from_can("012345")
    with_sfi = read_card(InProcessTransport(chip_for_dump(card).process), key)
    chip = chip_for_dump(card)
    chip.config.sfi_supported = False
    without = read_card(InProcessTransport(chip.process), key)
    assert with_sfi.files == without.files == card.files
    # the refusal costs one APDU once; every other file then costs a SELECT more, and so does
    # the Chip Authentication proof read of EF.COM
    n_selected = len([n for n in card.files if n != "EF.CardAccess"]) + 1
    assert without.stats.apdus == with_sfi.stats.apdus + 1 + n_selected
    # and the reader can be told not to try at all
    plain = read_card(
        InProcessTransport(chip_for_dump(card).process),
        key,
        limits=ReadLimits(extended=True, sfi=False),
    )
    assert plain.stats.apdus == with_sfi.stats.apdus + n_selected


def test_bench_rows_of_other_chips_extended_length(
    bench_doc: dict[str, dict[str, object]],
) -> None:
    """Issue 26: chips that say no, say it in EF.ATR/INFO, or say nothing (and take extended
    length, refuse it, or go mute), read by a reader that carries it. The samples' own rows
    keep their figures: their chips say yes in the ATR, which costs no APDU."""
    doc: dict[str, dict[str, float]] = bench_doc  # type: ignore[assignment]
    for name in ("passport-utopia-td3", "vn-cccd-2021-nguyen-thi-ngoc-anh"):
        main, short = doc[name], doc[f"{name} (short APDUs)"]
        rows = {m: doc[f"{name} (chip: {m})"] for m in
                ("no", "ef", "unknown", "unknown-6700", "unknown-silent")}
        assert main["extended_used"] and not main["recovered"]
        assert rows["no"]["apdus"] == short["apdus"] and not rows["no"]["extended_used"]
        assert rows["ef"]["apdus"] == main["apdus"] + 2  # SELECT + READ of EF.ATR/INFO
        assert rows["unknown"]["apdus"] == main["apdus"] + 1  # SELECT of EF.ATR/INFO, refused
        for mode in ("unknown-6700", "unknown-silent"):
            row = rows[mode]
            assert not row["extended_used"]
            if row["recovered"]:
                assert row["extra_apdus"] > 0
                assert row["apdus"] == short["apdus"] + row["extra_apdus"]
            else:  # refused in the clear (EF.CardAccess): two APDUs more, no second session
                assert row["apdus"] == short["apdus"] + 2
        assert rows["unknown-silent"]["recovered"]
        # a mute chip costs the reader's timeout on top of a refusal
        assert (rows["unknown-silent"]["modeled_ms_424"]
                > rows["unknown-6700"]["modeled_ms_424"] + 500)

