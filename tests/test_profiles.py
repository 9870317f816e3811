"""Reader and card profiles: schema validation, matching, and their effect on the read path."""

from __future__ import annotations

from pathlib import Path

import pytest

from cccd_reader import dump as dumpmod
from cccd_reader.access.key import AccessKey
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_reader.profiles import (
    DEFAULT_READER,
    PROFILES_DIR,
    ProfileError,
    card_profiles,
    load_card_profile,
    load_reader_profile,
    reader_profile,
    reader_profiles,
)
from cccd_reader.service import read_and_verify
from cccd_sim.cards import chip_for_dump
from tests.conftest import SAMPLES

READERS = sorted((PROFILES_DIR / "readers").glob("*.toml"))
CARDS = sorted((PROFILES_DIR / "cards").glob("*.toml"))


@pytest.mark.parametrize("path", READERS, ids=lambda p: p.stem)
def test_every_reader_profile_validates(path: Path) -> None:
    profile = load_reader_profile(path)
    assert profile.sources, "every profile cites where its facts come from"
    assert profile.max_apdu >= 64


@pytest.mark.parametrize("path", CARDS, ids=lambda p: p.stem)
def test_every_card_profile_validates(path: Path) -> None:
    profile = load_card_profile(path)
    assert profile.sources and profile.files


def test_required_profiles_exist() -> None:
    ids = {p.id for p in reader_profiles()}
    for needed in ("acs-acr122u", "acs-acr1252u", "acs-acr1281u", "hid-omnikey-5022",
                   "hid-omnikey-5422", "hid-omnikey-5427", "identiv-utrust-3700f",
                   "feitian-r502"):
        assert needed in ids
    assert {"vn-cccd-2021", "vn-cancuoc-2024", "passport"} <= set(card_profiles())


def test_the_profiles_live_at_the_top_of_the_checkout() -> None:
    """``firmware_profiles/`` as the design names it; the build copies it into the package
    (tests/test_wheel.py compares the copy with it), and the checkout holds no second copy."""
    import cccd_reader

    package = Path(cccd_reader.__file__).resolve().parent
    assert PROFILES_DIR == package.parent / "firmware_profiles"
    assert not (package / "data" / "firmware_profiles").exists()
    assert not (package / "data" / "readers").exists()
    assert len(READERS) >= 8 and len(CARDS) >= 3


def test_setup_copies_what_repo_data_looks_for() -> None:
    """One list of shipped folders in two places that cannot import each other (setup.py runs
    before the package is importable): they must agree."""
    import ast

    from cccd_reader import repo_data

    tree = ast.parse((Path(__file__).resolve().parents[1] / "setup.py").read_text("utf-8"))
    shipped = next(ast.literal_eval(node.value) for node in ast.walk(tree)
                   if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "")
                   == "SHIPPED")
    assert tuple(shipped) == repo_data.SHIPPED


def test_a_missing_profile_directory_is_an_error_naming_it(tmp_path: Path) -> None:
    """Never an empty answer: that would silently give every reader short APDUs."""
    gone = tmp_path / "readers"
    with pytest.raises(ProfileError, match=str(gone)) as info:
        reader_profiles(gone)
    assert info.value.code == "profile" and info.value.params == {"path": str(gone)}
    with pytest.raises(ProfileError, match=str(tmp_path / "cards")):
        card_profiles(tmp_path / "cards")


@pytest.mark.parametrize(
    "text,match",
    [
        ('name = "x"', "missing keys"),
        ('bogus = 1\n', "unknown keys"),
    ],
)
def test_bad_reader_profiles_are_refused(tmp_path: Path, text: str, match: str) -> None:
    p = tmp_path / "bad.toml"
    p.write_text(text)
    with pytest.raises(ProfileError, match=match):
        load_reader_profile(p)


def test_bad_values_are_refused(tmp_path: Path) -> None:
    good = (PROFILES_DIR / "readers" / "acs-acr122u.toml").read_text()
    for old, new, match in [
        ("max_ccid_message = 271", "max_ccid_message = 5", "out of range"),
        ("extended_apdu = false", 'extended_apdu = "no"', "wrong type"),
        ('interface = "contactless"', 'interface = "usb"', "interface"),
        ('match = ["ACR122"]', 'match = ["(ACR"]', "bad pattern"),
        ("default_bitrate_kbps = 424", "default_bitrate_kbps = 400", "bit rate"),
        ("not-toml", "", ""),
    ]:
        if not match:
            continue
        p = tmp_path / "r.toml"
        p.write_text(good.replace(old, new))
        with pytest.raises(ProfileError, match=match):
            load_reader_profile(p)
    p = tmp_path / "c.toml"
    p.write_text((PROFILES_DIR / "cards" / "passport.toml").read_text().replace(
        '"DG2"]', '"DG2", "DG99"]'))
    with pytest.raises(ProfileError, match="unknown files"):
        load_card_profile(p)


@pytest.mark.parametrize(
    "name,profile_id,contact",
    [
        ("ACS ACR122U PICC Interface 00 00", "acs-acr122u", False),
        ("ACS ACR1252 Dual Reader SAM 00 01", "acs-acr1252u", True),
        ("ACS ACR1252 Dual Reader PICC 00 00", "acs-acr1252u", False),
        ("HID Global OMNIKEY 5422CL Smartcard Reader 01 00", "hid-omnikey-5422", False),
        ("HID Global OMNIKEY 5422 Smartcard Reader 00 00", "hid-omnikey-5422", True),
        ("Virtual PCD 00 01", "vsmartcard-vpcd", False),
        ("Some Unknown Reader 00 00", "unknown", False),
    ],
)
def test_matching(name: str, profile_id: str, contact: bool) -> None:
    profile = reader_profile(name)
    assert profile.id == profile_id
    assert profile.is_contact_slot(name) is contact


class LimitedTransport(InProcessTransport):
    """An in-process link that enforces a reader profile's limits like the reader would."""

    def __init__(self, process, profile) -> None:  # type: ignore[no-untyped-def]
        super().__init__(process, extended=profile.extended_apdu)
        self.max_response = profile.max_response_data
        self.profile = profile
        self.largest_response = 0

    def transmit(self, apdu: bytes) -> bytes:
        assert len(apdu) <= self.profile.max_apdu, "command too large for this reader"
        resp = super().transmit(apdu)
        assert len(resp) <= self.profile.max_apdu, "response too large for this reader"
        self.largest_response = max(self.largest_response, len(resp))
        return resp


@pytest.mark.parametrize("reader", ["acs-acr122u", "hid-omnikey-5422", "identiv-utrust-3700f",
                                    "identiv-utrust-3720", "vsmartcard-vpcd"])
def test_read_path_uses_the_reader_limits(reader: str) -> None:
    profile = next(p for p in reader_profiles() if p.id == reader)
    card = dumpmod.load(SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh")
    transport = LimitedTransport(chip_for_dump(card).process, profile)
    outcome = read_and_verify(transport, AccessKey.from_can("012345"))
    assert outcome.result.files == card.files
    if profile.extended_apdu and profile.max_apdu > 1000:
        assert transport.largest_response > 500  # large reads were used
    apdus = outcome.result.stats.apdus
    # fewer round trips the more the reader carries
    ceiling = {"acs-acr122u": 75, "identiv-utrust-3720": 80, "hid-omnikey-5422": 50}
    assert apdus <= ceiling.get(reader, 35)  # incl. AA + CA (5 APDUs)


def test_unknown_reader_is_short_only() -> None:
    assert DEFAULT_READER.extended_apdu is False


def test_virtual_chip_takes_its_behaviour_from_the_card_profile(tmp_path: Path) -> None:
    from cccd_sim.cards import chip_config, config_for
    from cccd_sim.chip import VirtualChip

    assert config_for("vn-cancuoc-2024").bac is False  # PACE only, as the TOML says
    assert config_for("vn-cccd-2021").select_mf_supported is False
    card = dumpmod.load(SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh")
    chip = chip_for_dump(card)
    assert chip.process(bytes.fromhex("00A4000C023F00"))[-2:] == b"\x6d\x00"
    # a profile edit changes the chip: a short-APDU-only generation with 6282 at EOF
    text = (PROFILES_DIR / "cards" / "passport.toml").read_text()
    text = text.replace("extended_length = true", "extended_length = false")
    text = text.replace('eof_sw = "9000"', 'eof_sw = "6282"').replace(
        'protocols = ["PACE", "BAC"]', 'protocols = ["BAC"]')
    p = tmp_path / "short.toml"
    p.write_text(text)
    cfg = chip_config(load_card_profile(p))
    assert (cfg.extended_length, cfg.eof_sw, cfg.bac, cfg.pace) == (False, 0x6282, True, False)
    passport = dumpmod.load(SAMPLES / "passport-utopia-td3")
    chip = VirtualChip(passport, cfg)
    assert chip.process(bytes.fromhex("00B00000000100"))[-2:] == b"\x67\x00"  # no extended
