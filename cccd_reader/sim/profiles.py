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
    """Chip-side PACE for the options the dump's EF.CardAccess announces.

    The chip's passwords are its own MRZ and its CAN (card.json, else — Vietnamese cards — the
    last 6 digits of the personal number); PACE-CAM uses the chip-authentication key that
    synthetic samples keep in secrets.json.
    """
    if "EF.CardAccess" not in card.files:
        return None
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    from cccd_reader.access.passwords import Password
    from cccd_reader.lds.security_infos import PACEInfo, parse_security_infos
    from cccd_reader.sim.pace_chip import PaceChip

    infos = [
        i for i in parse_security_infos(card.files["EF.CardAccess"]) if isinstance(i, PACEInfo)
    ]
    if not infos:
        return None
    cam_key: int | None = None
    pem = card.secrets.get("chip_auth_private_key")
    if pem:
        key = load_pem_private_key(pem.encode("ascii"), password=None)
        if isinstance(key, ec.EllipticCurvePrivateKey):
            cam_key = key.private_numbers().private_value

    def factory(chip: VirtualChip) -> PaceChip:
        mrz = chip.mrz
        can = card.access.can
        if can is None and mrz is not None and mrz.personal_number and mrz.issuing_state == "VNM":
            can = mrz.personal_number[-6:]
        return PaceChip(
            infos,
            mrz_key=Password.from_mrz(mrz).key_input if mrz is not None else None,
            can_key=Password.from_can(can).key_input if can else None,
            cam_private_key=cam_key,
            rng=chip.rng,
        )

    return factory


def chip_for_dump(
    card: CardDump, config: ChipConfig | None = None, *, rng: Rng = os.urandom
) -> VirtualChip:
    cfg = config or config_for(card.profile)
    return VirtualChip(card, cfg, rng=rng, pace_factory=_pace_factory(card))
