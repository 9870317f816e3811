"""Opening a session with a chip: access control, then the secure channel and a file reader.

One function does it, :func:`open_session`, for every caller that talks to a chip after access
control: the read flow (:mod:`cccd_reader.read_flow`) and the conformance probes
(:mod:`cccd_reader.conformance.live`). Having one opener means a probe meets the chip exactly
as a read does (same APDUs, same order, same read sizes once secure messaging starts), so a
conformance finding is a finding about the read a counter does.

Order (ICAO 9303 Part 10 §3, Part 11 §4): look for EF.CardAccess in the master file (present:
the chip speaks PACE), run PACE, or BAC after selecting the LDS1 application. With PACE-CAM,
EF.CardSecurity, which vouches for the chip's key, is read from the master file before the
application is selected (BSI TR-03110-3 §A.1.2.5). The session carries what was read there,
because once the application is selected the master file's files are out of reach.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from cccd_reader.access import bac
from cccd_reader.errors import (
    AccessError,
    CardError,
    FileNotFoundOnCardError,
    ProtocolNotSupportedError,
    SecurityStatusNotSatisfiedError,
)
from cccd_reader.iso7816.apdu import CommandAPDU
from cccd_reader.iso7816.efreader import FileReader, ProgressFn, ReadLimits
from cccd_reader.iso7816.extended_length import (
    EF_ATR_INFO_FID,
    ChipWord,
    ExtendedLength,
    ExtendedLengthInfo,
    ExtendedLengthRefusedError,
    Source,
    atr_word,
    parse_atr_info,
    remember_short,
    remembered_short,
)
from cccd_reader.iso7816.transport import ApduChannel, ChannelStats, Transport
from cccd_reader.lds.files import FILES, LDS1_AID
from cccd_reader.rng import Rng

if TYPE_CHECKING:
    from cccd_reader.access.key import AccessKey
    from cccd_reader.access.pace import PaceResult

__all__ = ["PROTOCOLS", "AccessInfo", "Rng", "Session", "open_session", "read_ef"]

log = logging.getLogger(__name__)


#: What ``protocol=`` accepts: "auto" (PACE when EF.CardAccess offers it, else BAC).
PROTOCOLS = ("auto", "PACE", "BAC")


@dataclass(frozen=True)
class AccessInfo:
    """How the chip was opened: shown to the clerk and kept in the record."""

    protocol: str  # "BAC" or "PACE"
    cipher: str
    password: str  # "MRZ" or "CAN"
    mapping: str | None = None
    curve: str | None = None


@dataclass
class Session:
    """A chip opened with an access key, the LDS1 application selected, secure messaging on.

    ``file_reader`` reads through ``channel`` with sizes fitted to the session's cipher.
    ``card_access`` and ``card_security`` are what the master file gave before the application
    was selected (None when absent or unreadable); ``pace`` is the PACE outcome (None after
    BAC), which clone detection needs when the mapping is CAM.
    """

    channel: ApduChannel
    file_reader: FileReader
    access: AccessInfo
    card_access: bytes | None = None
    card_security: bytes | None = None
    pace: PaceResult | None = None
    #: EF.COM when the session read it as its extended-length probe (None: not read yet).
    com: bytes | None = None
    #: How extended length was settled (the chip's word, a probe, a recovery).
    extended_length: ExtendedLength = field(
        default_factory=lambda: ExtendedLength(False, "unknown", "none", False)
    )


def read_ef(file_reader: FileReader, name: str, progress: ProgressFn | None) -> bytes:
    """An LDS file by its name (``"EF.COM"``, ``"DG2"``...), with its short file identifier."""
    info = FILES[name]
    return file_reader.read_file(info.fid, progress=progress, name=name, sfi=info.sfi)


def _try_read_card_access(file_reader: FileReader) -> bytes | None:
    """EF.CardAccess is readable without authentication; its absence means no PACE."""
    resp = file_reader.channel.send_plain(
        CommandAPDU(0x00, 0xA4, 0x02, 0x0C, FILES["EF.CardAccess"].fid.to_bytes(2, "big"))
    )
    if not resp.ok:
        return None
    try:
        return file_reader.read_selected(name="EF.CardAccess")
    except ExtendedLengthRefusedError:
        raise  # the chip went mute on the probe: the opener gets the card back
    except CardError as exc:
        log.debug("EF.CardAccess unreadable: %s", exc)
        return None


def _try_read_card_security(
    file_reader: FileReader, progress: ProgressFn | None
) -> bytes | None:
    """EF.CardSecurity when the chip has it and lets us read it, else None."""
    try:
        return read_ef(file_reader, "EF.CardSecurity", progress)
    except (FileNotFoundOnCardError, SecurityStatusNotSatisfiedError) as exc:
        log.debug("EF.CardSecurity not readable: %s", type(exc).__name__)
        return None


def _open_with_pace(
    channel: ApduChannel, card_access: bytes, key: AccessKey, rng: Rng | None
) -> tuple[AccessInfo, PaceResult] | None:
    """Run PACE if this build supports the chip's offer; None means 'use BAC instead'."""
    try:
        from cccd_reader.access import pace
        from cccd_reader.access.passwords import Password
        from cccd_reader.lds.security_infos import PACEInfo, parse_security_infos
    except ImportError:  # PACE not built into this version
        return None
    infos = parse_security_infos(card_access)
    if not any(isinstance(i, PACEInfo) for i in infos):
        return None
    try:
        chosen = pace.choose_pace_info(infos)
    except AccessError:
        return None
    if key.can:
        password = Password.from_can(key.can)
    elif key.mrz_information:
        password = Password.from_mrz_information(key.mrz_information)
    else:  # pragma: no cover - AccessKey always has one
        raise AccessError("no access key given")
    result = pace.perform_pace(
        channel, password, chosen, rng=rng, send_parameter_id=pace.parameter_id_needed(infos)
    )
    return AccessInfo(
        protocol="PACE",
        cipher=result.cipher,
        password=result.password,
        mapping=result.mapping,
        curve=result.domain_name,
    ), result


def open_session(
    transport: Transport,
    key: AccessKey,
    *,
    protocol: str = "auto",
    limits: ReadLimits | None = None,
    progress: ProgressFn | None = None,
    rng: Rng | None = None,
) -> Session:
    """Open the chip on ``transport`` with ``key``; raises when access control fails.

    ``protocol``: "auto" (PACE when EF.CardAccess offers it, else BAC), "PACE" or "BAC".
    ``limits``: what the reader carries (default: extended length when the transport says it
    carries it); extended length is used only when the chip also takes it
    (:mod:`cccd_reader.iso7816.extended_length`). When the chip said nothing and refuses the
    first extended read under secure messaging (or does not answer it), the session is opened
    once more with the same key and short APDUs; that happens only after the key was accepted,
    so a wrong key is never tried twice. The abandoned attempt's APDUs stay in the channel's
    counters and in ``extended_length.extra_apdus``.
    ``progress`` is told ``("access", 0, 0)`` first, and about EF.CardSecurity as it is read.
    ``rng``: the terminal's randomness (default ``os.urandom``; a seeded one replays a
    transcript).
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown access protocol {protocol!r}")
    if key.mrz_information is None and key.can is None:
        raise AccessError("an access key (MRZ data, CAN or personal number) is needed")
    if limits is None:
        limits = ReadLimits(extended=bool(transport.supports_extended))
    stats = ChannelStats()
    try:
        return _open_once(transport, key, protocol, limits, progress, rng, stats)
    except ExtendedLengthRefusedError as exc:
        extra = stats.apdus
        log.info("extended length refused (%s); reopening the session with short APDUs",
                 "no answer" if exc.card_lost else "refused")
        remember_short(transport)
        if exc.card_lost:
            _reconnect(transport)
        short = replace(limits, extended=False)
        session = _open_once(transport, key, protocol, short, progress, rng, stats)
        session.extended_length = replace(
            session.extended_length, reader=limits.extended, chip="no", source="probe",
            recovered=True, extra_apdus=extra,
        )
        return session


def _reconnect(transport: Transport) -> None:
    """A chip that went mute on the probe: get the card back on this tap, or give up as a
    lost card (the original error), never loop."""
    again = getattr(transport, "reconnect", None)
    if not callable(again):
        return  # in process: the chip is still there
    again()  # raises CardRemovedError when the card does not come back


def _chip_word(
    transport: Transport, limits: ReadLimits, channel: ApduChannel
) -> tuple[ChipWord, Source, ReadLimits]:
    """What the chip says about extended length, and the limits that follow.

    Cheapest first: the ATR (no APDU), then EF.ATR/INFO (only when the reader could use a
    yes and the chip's ATR is known), else unknown: the first extended read will be the
    probe. A transport that shows no ATR (a replay, an integrator's own link) goes straight
    to the probe, which costs nothing when the chip takes extended length.
    """
    atr = getattr(transport, "atr", None)
    from_atr = atr_word(atr if isinstance(atr, bytes) else None)
    if not limits.extended:
        return from_atr.word, "reader", limits
    if remembered_short(transport):
        return "no", "remembered", replace(limits, extended=False)
    if from_atr.word == "no":
        return "no", "atr", replace(limits, extended=False)
    if from_atr.word == "yes" and not from_atr.info_in_ef:
        return "yes", "atr", limits
    info = _read_atr_info(channel) if isinstance(atr, bytes) else None
    if info is not None:
        cap = min(limits.max_response, max(0, info.max_response - 2))
        if cap > 256:
            return "yes", "ef_atr_info", replace(limits, max_response=cap)
        return "no", "ef_atr_info", replace(limits, extended=False)
    if from_atr.word == "yes":
        return "yes", "atr", limits
    return "unknown", "none", limits


def _read_atr_info(channel: ApduChannel) -> ExtendedLengthInfo | None:
    """EF.ATR/INFO's extended length information, read in the clear with short APDUs."""
    resp = channel.send_plain(
        CommandAPDU(0x00, 0xA4, 0x02, 0x0C, EF_ATR_INFO_FID.to_bytes(2, "big"))
    )
    if not resp.ok:
        return None
    resp = channel.send_plain(CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=256))
    if not (resp.ok or resp.sw == 0x6282) or not resp.data:
        return None
    return parse_atr_info(resp.data)


def _open_once(
    transport: Transport,
    key: AccessKey,
    protocol: str,
    limits: ReadLimits,
    progress: ProgressFn | None,
    rng: Rng | None,
    stats: ChannelStats,
) -> Session:
    """One attempt of :func:`open_session`, counting into ``stats``."""
    channel = ApduChannel(transport)
    channel.stats = stats
    reader_extended = limits.extended
    word, source, limits = _chip_word(transport, limits, channel)
    file_reader = FileReader(channel, limits, probing=word == "unknown")

    def step(name: str) -> None:
        if progress:
            progress(name, 0, 0)

    step("access")
    card_access = _try_read_card_access(file_reader)
    card_security: bytes | None = None
    access: AccessInfo | None = None
    pace_result: PaceResult | None = None
    if protocol == "PACE" and card_access is None:
        raise ProtocolNotSupportedError("the chip has no EF.CardAccess: it does not offer PACE")
    if card_access is not None and protocol != "BAC":
        opened = _open_with_pace(channel, card_access, key, rng)
        if opened is not None:
            access, pace_result = opened
        if access is None and protocol == "PACE":
            raise ProtocolNotSupportedError("the chip's PACE options are not supported here")
        if access is not None:
            file_reader.reset_for_session()
            if pace_result is not None and pace_result.mapping == "CAM":
                # PACE-CAM's key is vouched for by EF.CardSecurity, in the master file
                # (TR-03110-3 §A.1.2.5): read it before entering the application
                step("EF.CardSecurity")
                card_security = _try_read_card_security(file_reader, progress)
            file_reader.select_application(LDS1_AID)
    if access is None:
        if key.mrz_information is None:
            raise ProtocolNotSupportedError(
                "this chip needs BAC, which uses the MRZ (document number, birth, expiry); "
                "a CAN is not enough"
                if card_access is None
                else "PACE with this key is not supported here and BAC needs the MRZ"
            )
        file_reader.select_application(LDS1_AID)
        bac_kwargs = {"rng": rng} if rng is not None else {}
        result = bac.perform_bac(channel, key.mrz_information, **bac_kwargs)
        access = AccessInfo(protocol=result.protocol, cipher=result.cipher, password="MRZ")
        file_reader.reset_for_session()
    com: bytes | None = None
    if file_reader.probing:
        # the chip has not said whether it takes extended length: EF.COM, which every read
        # needs first, is the probe, read while the session can still be reopened
        step("EF.COM")
        try:
            com = read_ef(file_reader, "EF.COM", progress)
        except (FileNotFoundOnCardError, SecurityStatusNotSatisfiedError) as exc:
            log.debug("EF.COM not readable as the probe: %s", type(exc).__name__)
    if file_reader.refused_in_clear:
        word, source = "no", "probe"
    elif word == "unknown" and not file_reader.probing and file_reader.limits.extended:
        word, source = "yes", "probe"
    return Session(
        channel=channel,
        file_reader=file_reader,
        access=access,
        card_access=card_access,
        card_security=card_security,
        pace=pace_result,
        com=com,
        extended_length=ExtendedLength(
            reader=reader_extended, chip=word, source=source, used=file_reader.limits.extended,
        ),
    )
