"""Build a virtual chip for a dump, with the behaviour of its card generation.

The ``profile`` named in a dump's ``card.json`` selects the chip's behaviour: which access
protocols it accepts, extended length, how much it returns per READ BINARY, and quirks such as
the Vietnamese cards' 6D00 answer to SELECT MF.
"""

from __future__ import annotations

import os
from dataclasses import replace

from cccd_reader.dump import CardDump
from cccd_reader.sim.chip import ChipConfig, PaceFactory, Rng, VirtualChip

CHIP_CONFIGS: dict[str, ChipConfig] = {
    "vn-cccd-2021": ChipConfig(bac=True, pace=True, select_mf_supported=False),
    "vn-cancuoc-2024": ChipConfig(bac=False, pace=True, select_mf_supported=False),
    "passport": ChipConfig(bac=True, pace=True),
}


def config_for(profile: str | None) -> ChipConfig:
    return replace(CHIP_CONFIGS.get(profile or "", ChipConfig()))


def _pace_factory(card: CardDump) -> PaceFactory | None:
    if "EF.CardAccess" not in card.files:
        return None
    try:
        from cccd_reader.sim.pace_chip import make_pace_factory
    except ImportError:
        return None
    return make_pace_factory(card)


def chip_for_dump(
    card: CardDump, config: ChipConfig | None = None, *, rng: Rng = os.urandom
) -> VirtualChip:
    cfg = config or config_for(card.profile)
    return VirtualChip(card, cfg, rng=rng, pace_factory=_pace_factory(card))
