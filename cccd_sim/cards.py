"""Build a virtual chip for a dump, with the behaviour of its card generation.

The ``profile`` named in a dump's ``card.json`` selects the chip's behaviour: which access
protocols it accepts, extended length, how much it returns per READ BINARY, and quirks such as
the Vietnamese cards' 6D00 answer to SELECT MF.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING

from cccd_reader.dump import CardDump
from cccd_reader.errors import DumpError
from cccd_reader.profiles import CardProfile, card_profiles
from cccd_reader.rng import Rng
from cccd_sim.chip import ChipConfig, PaceFactory, VirtualChip

if TYPE_CHECKING:
    from cccd_reader.lds.security_infos import SecurityInfo
    from cccd_sim.auth_chip import ActiveAuthChip, ChipAuthChip

def _private_key(card: CardDump, name: str) -> object | None:
    """A private key of secrets.json, or a DumpError: a sample's secrets are input too."""
    pem = card.secrets.get(name)
    if not pem:
        return None
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        return load_pem_private_key(pem.encode("utf-8"), password=None)
    except (ValueError, TypeError, UnicodeError) as exc:
        raise DumpError(f"secrets.json: {name} is not a usable PEM private key ({exc})",
                        params={"name": name}) from None


def chip_config(profile: CardProfile) -> ChipConfig:
    """The chip behaviour a card profile (cccd_reader/data/cards/*.toml) describes."""
    return ChipConfig(
        bac="BAC" in profile.protocols,
        pace="PACE" in profile.protocols,
        extended_length=profile.extended_length,
        max_read=profile.max_read,
        select_mf_supported=profile.select_mf_supported,
        eof_sw=profile.eof_sw,
    )


def config_for(profile: str | None) -> ChipConfig:
    """Config of the named card profile; an unknown or absent profile gets a permissive chip."""
    found = card_profiles().get(profile or "")
    return chip_config(found) if found is not None else replace(ChipConfig())


def _pace_factory(card: CardDump, cfg: ChipConfig | None = None) -> PaceFactory | None:
    """Chip-side PACE for the options the dump's EF.CardAccess announces.

    The chip's passwords are its own MRZ and its CAN (card.json, else — Vietnamese cards — the
    last 6 digits of the personal number); PACE-CAM uses the chip-authentication key that
    synthetic samples keep in secrets.json.
    """
    if "EF.CardAccess" not in card.files:
        return None
    from cryptography.hazmat.primitives.asymmetric import ec

    from cccd_reader.access.passwords import Password
    from cccd_reader.lds.security_infos import PACEInfo, parse_security_infos
    from cccd_sim.pace_chip import PaceChip

    infos = [
        i for i in parse_security_infos(card.files["EF.CardAccess"]) if isinstance(i, PACEInfo)
    ]
    if not infos:
        return None
    cam_key: int | None = None
    key = _private_key(card, "chip_auth_private_key")
    if key is not None:
        if isinstance(key, ec.EllipticCurvePrivateKey):
            cam_key = key.private_numbers().private_value
            if cfg is not None and (cfg.clone or cfg.wrong_chip_auth_key):
                from cccd_sim.auth_chip import other_scalar

                cam_key = other_scalar(key.curve.group_order)  # PACE-CAM proves the CA key too

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


def _dg14_infos(card: CardDump) -> list[SecurityInfo]:
    from cccd_reader.lds.security_infos import parse_security_infos

    return parse_security_infos(card.files["DG14"]) if "DG14" in card.files else []


def _active_auth(card: CardDump, cfg: ChipConfig, rng: Rng) -> ActiveAuthChip | None:
    """INTERNAL AUTHENTICATE with secrets.json's AA key (or another one, for a clone)."""
    if "DG15" not in card.files:
        return None
    key = _private_key(card, "active_auth_private_key")
    if key is None:
        return None
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    from cccd_reader.lds.security_infos import ActiveAuthenticationInfo
    from cccd_sim.auth_chip import ActiveAuthChip, other_key_like

    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        return None
    if cfg.clone or cfg.wrong_active_auth_key:
        key = other_key_like(key)
    info = next(
        (i for i in _dg14_infos(card) if isinstance(i, ActiveAuthenticationInfo)), None
    )
    if isinstance(key, ec.EllipticCurvePrivateKey) and info is None:
        return None  # an ECDSA chip cannot know its hash without DG14's announcement
    return ActiveAuthChip(
        key, signature_algorithm=info.signature_algorithm if info else None, rng=rng
    )


def _chip_auth(card: CardDump, cfg: ChipConfig, rng: Rng) -> ChipAuthChip | None:
    """Chip Authentication with secrets.json's CA key for DG14's (single) key."""
    infos = _dg14_infos(card)
    if not infos:
        return None
    key = _private_key(card, "chip_auth_private_key")
    if key is None:
        return None
    from cryptography.hazmat.primitives.asymmetric import ec

    from cccd_reader.lds.security_infos import ChipAuthenticationPublicKeyInfo
    from cccd_sim.auth_chip import ChipAuthChip, other_scalar

    key_ids = [i.key_id for i in infos if isinstance(i, ChipAuthenticationPublicKeyInfo)]
    if not isinstance(key, ec.EllipticCurvePrivateKey) or len(key_ids) != 1:
        return None
    scalar = key.private_numbers().private_value
    if cfg.clone or cfg.wrong_chip_auth_key:
        scalar = other_scalar(key.curve.group_order, rng)
    return ChipAuthChip(infos, {key_ids[0]: scalar})


def chip_for_dump(
    card: CardDump, config: ChipConfig | None = None, *, rng: Rng = os.urandom
) -> VirtualChip:
    """The virtual chip of ``card``, with AA and CA when secrets.json holds their keys.

    ``config.clone`` (or ``wrong_active_auth_key`` / ``wrong_chip_auth_key``) gives the chip
    keys other than those DG15/DG14 advertise: the files still pass passive authentication,
    and only Active / Chip Authentication can tell.
    """
    cfg = config or config_for(card.profile)
    return VirtualChip(
        card,
        cfg,
        rng=rng,
        pace_factory=_pace_factory(card, cfg),
        active_auth=_active_auth(card, cfg, rng),
        chip_auth=_chip_auth(card, cfg, rng),
    )
