"""Time to first data vs time to the full record, on the modelled contactless link.

A clerk waits for the name and number, not for the photo: the reader reads the text data
groups (DG1, DG13) before DG2 and reports each file as it arrives (``read_card(on_file=...)``),
and the desktop app shows them at once. This measures, per sample and bit rate, the modelled
link time until the name is readable and until the whole read is done, with the text groups
first (now) and in EF.COM order (before), side by side.

    python bench/first_data.py [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cccd_reader import dump as dumpmod  # noqa: E402
from cccd_reader import read_flow  # noqa: E402
from cccd_reader.access.key import AccessKey  # noqa: E402
from cccd_reader.iso7816.efreader import ReadLimits  # noqa: E402
from cccd_reader.iso7816.transport import InProcessTransport  # noqa: E402
from cccd_reader.mrz import parse as parse_mrz  # noqa: E402
from cccd_reader.profiles import card_profiles  # noqa: E402
from cccd_reader.read_flow import read_card  # noqa: E402
from cccd_sim.cards import chip_for_dump  # noqa: E402
from cccd_sim.linkmodel import (  # noqa: E402
    BIT_RATES,
    LinkModel,
    LinkModelTransport,
    LinkParams,
)

SAMPLES = ROOT / "samples"
NAMES = ("vn-cccd-2021-nguyen-thi-ngoc-anh", "vn-cancuoc-2024-dang-huu-phuoc",
         "vn-cccd-2021-le-thi-thu-huong-lifetime", "passport-utopia-td3")


def _key(card: Any) -> AccessKey:
    if card.access.can and "EF.CardAccess" in card.files:
        return AccessKey.from_can(card.access.can)
    return AccessKey(mrz_information=parse_mrz(card.access.mrz).mrz_information())


def measure(path: Path, *, text_first: bool) -> dict[str, Any]:
    card = dumpmod.load(path)
    model = LinkModel(LinkParams.from_profiles(card=card_profiles().get(card.profile or "")))
    chip = chip_for_dump(card)
    link = LinkModelTransport(InProcessTransport(chip.process, extended=True, atr=chip.atr),
                              model)
    first: dict[int, float] = {}
    wanted = "DG13" if "DG13" in card.files else "DG1"

    def on_file(name: str, _data: bytes) -> None:
        if name == wanted and not first:
            first.update({rate: link.modeled_ms(rate) for rate in BIT_RATES})

    saved = read_flow.TEXT_FIRST
    if not text_first:
        read_flow.TEXT_FIRST = frozenset()  # EF.COM order, as before the change
    try:
        read_card(link, _key(card), limits=ReadLimits(extended=True), on_file=on_file)
    finally:
        read_flow.TEXT_FIRST = saved
    row: dict[str, Any] = {"sample": path.name, "order": "text first" if text_first else
                           "EF.COM order", "first_file": wanted}
    for rate in BIT_RATES:
        row[f"first_data_ms_{rate}"] = round(first[rate], 1)
        row[f"full_read_ms_{rate}"] = round(link.modeled_ms(rate), 1)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = [measure(SAMPLES / name, text_first=order) for name in NAMES
            for order in (False, True) if (SAMPLES / name).is_dir()]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    rates = (106, 424)
    head = ["sample", "order", *[f"first {r}" for r in rates], *[f"full {r}" for r in rates]]
    print(" | ".join(head))
    print(" | ".join("---" for _ in head))
    for row in rows:
        print(" | ".join([row["sample"], row["order"],
                          *[f"{row[f'first_data_ms_{r}']:.0f} ms" for r in rates],
                          *[f"{row[f'full_read_ms_{r}']:.0f} ms" for r in rates]]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
