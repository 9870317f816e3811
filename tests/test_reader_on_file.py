"""read_card's on_file hook and read order (text before the photo), and the truncation
parameters a short file carries: what lets a counter app show the name first and call a cut-off
security object what it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.errors import ReadIncompleteError
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.read_flow import read_card
from cccd_sim.cards import chip_for_dump

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _transport(name: str) -> InProcessTransport:
    card = dumpmod.load(SAMPLES / name)
    return InProcessTransport(chip_for_dump(card).process, extended=True)


def test_files_arrive_in_order_text_before_photo() -> None:
    seen: list[tuple[str, bytes]] = []
    result = read_card(_transport("vn-cccd-2021-nguyen-thi-ngoc-anh"),
                       AccessKey.from_can("012345"), on_file=lambda n, b: seen.append((n, b)))
    names = [n for n, _ in seen]
    assert names[:2] == ["EF.COM", "EF.SOD"]
    assert names.index("DG1") < names.index("DG13") < names.index("DG2")
    assert dict(seen) == {k: v for k, v in result.files.items() if k != "EF.CardAccess"}


def test_a_cut_off_security_object_says_so() -> None:
    with pytest.raises(ReadIncompleteError) as info:
        read_card(_transport("negative/truncated-sod"), AccessKey.from_can("012345"))
    params = info.value.params
    assert params["file"] == "EF.SOD"
    assert params["truncated"] == "yes"
    assert int(params["offset"]) == 600 < int(params["announced"])


def test_read_and_verify_passes_on_file_through() -> None:
    """The service (which the desktop app calls) hands each file to ``on_file`` as it arrives,
    in the reader's order, and still returns the verified record of the very same bytes."""
    from cccd_reader.service import read_and_verify, read_with_recovery

    seen: list[tuple[str, bytes]] = []
    outcome = read_and_verify(_transport("vn-cccd-2021-nguyen-thi-ngoc-anh"),
                              AccessKey.from_can("012345"),
                              on_file=lambda n, b: seen.append((n, b)))
    names = [n for n, _ in seen]
    assert names.index("DG1") < names.index("DG13") < names.index("DG2")
    assert dict(seen) == {k: v for k, v in outcome.result.files.items()
                          if k != "EF.CardAccess"}
    assert outcome.record.verification is not None

    again: list[str] = []
    read_with_recovery(lambda: _transport("vn-cccd-2021-nguyen-thi-ngoc-anh"),
                       AccessKey.from_can("012345"), on_file=lambda n, _b: again.append(n))
    assert again == names
