"""The read flow: from a transport and an access key to every readable file, or an error.

The session is opened by :func:`cccd_reader.session.open_session` (EF.CardAccess, PACE or BAC,
the LDS1 application); then EF.COM, EF.SOD and every data group they list are read. The result
is returned only when the read is complete: a card pulled away, a broken MAC or a refused key
raise, so nothing partial ever looks whole. ("Reader" in this package means the device, the
PC/SC reader; this module is the flow of one read.)

Then, in the same session, clone detection: Active Authentication when DG15 is present, and
Chip Authentication when DG14 offers it and PACE-CAM did not already prove the chip key. AA runs
first because CA replaces the session keys and a failed CA ends the session, which would leave
AA unanswered. Their outcomes are :class:`~cccd_reader.checks.Check` values in
``ReadResult.chip_checks`` (``active_auth``, ``chip_auth``, or a non-required
``clone_detection`` when the chip offers neither); they only say something once passive
authentication has proven the DG14/DG15 keys, which :func:`cccd_reader.verify.verify` enforces.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cccd_reader.checks import Check
from cccd_reader.errors import (
    FileNotFoundOnCardError,
    LDSError,
    ParseError,
    SecurityStatusNotSatisfiedError,
)
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.efreader import FileReader, ProgressFn, ReadLimits
from cccd_reader.iso7816.extended_length import ExtendedLength
from cccd_reader.iso7816.transport import ApduChannel, ChannelStats, Transport
from cccd_reader.lds.files import FILES, name_for_tag
from cccd_reader.rng import Rng
from cccd_reader.session import AccessInfo, open_session, read_ef
from cccd_reader.verify import ACTIVE_AUTH, CHIP_AUTH

if TYPE_CHECKING:
    from cccd_reader.access.key import AccessKey
    from cccd_reader.access.pace import PaceResult
    from cccd_reader.auth.active import AuthResult
    from cccd_reader.lds.security_infos import SecurityInfo

__all__ = ["TEXT_FIRST", "FileFn", "ReadResult", "read_card"]

log = logging.getLogger(__name__)

#: Called with (file name, bytes) as soon as each file is read, before the read is complete:
#: lets a counter screen show the name and number while the photo is still coming.
FileFn = Callable[[str, bytes], None]


@dataclass
class ReadResult:
    """Every file of one complete read, as raw bytes, and how the chip was opened.

    The files hold personal data: they are left out of ``repr``.
    """

    files: dict[str, bytes] = field(repr=False)
    access: AccessInfo
    #: Files the chip lists but guards with terminal authentication (DG3/DG4): not errors.
    protected: list[str] = field(default_factory=list)
    #: Files listed in EF.COM but absent on the chip.
    missing: list[str] = field(default_factory=list)
    stats: ChannelStats = field(default_factory=ChannelStats)
    card_access: bytes | None = None
    #: Clone detection in this session: ``active_auth`` / ``chip_auth`` (pass, fail,
    #: unsupported, skipped) or ``clone_detection`` (skipped, not required) when the chip
    #: offers neither. Pass them to ``CardRecord.build(..., extra_checks=...)``.
    chip_checks: list[Check] = field(default_factory=list)
    #: Active Authentication's exchange (challenge, the chip's signature, the outcome), when
    #: it ran: what an evidence package carries for a server to check again.
    active_auth: AuthResult | None = field(default=None, repr=False)
    #: How extended length was settled: the chip's word, a probe, a recovery and its cost.
    extended_length: ExtendedLength = field(
        default_factory=lambda: ExtendedLength(False, "unknown", "none", False)
    )


#: Small data groups a clerk reads first (MRZ, personal data): read before the photo (DG2).
TEXT_FIRST = frozenset({"DG1", "DG11", "DG13"})


def _com_file_names(com: bytes) -> list[str]:
    """Data groups listed in EF.COM's tag list (5C)."""
    try:
        obj = tlv.decode(com)
        if obj.tag != 0x60:
            raise LDSError(f"EF.COM starts with tag {obj.tag:X}, expected 60")
        tag_list = obj.require(0x5C).value
    except ParseError as exc:
        raise LDSError(f"EF.COM is malformed: {exc}") from exc
    names: list[str] = []
    for tag in tag_list:
        name = name_for_tag(tag)
        if name is not None and name.startswith("DG") and name not in names:
            names.append(name)
    return names


def read_card(
    transport: Transport,
    key: AccessKey,
    *,
    limits: ReadLimits | None = None,
    progress: ProgressFn | None = None,
    rng: Rng | None = None,
    protocol: str = "auto",
    authenticate_chip: bool = True,
    on_file: FileFn | None = None,
    aa_challenge: bytes | None = None,
) -> ReadResult:
    """Open the chip with ``key`` and read every file it lists. Raises on any failure.

    ``protocol``: "auto" (PACE when EF.CardAccess offers it, else BAC), "PACE" or "BAC".
    ``authenticate_chip``: run Active / Chip Authentication after the read (clone detection);
    a chip that answers them wrongly never raises (that is a ``fail`` in
    ``ReadResult.chip_checks``), a card that leaves the field does, as at any other step.
    ``on_file``: called with each file as it arrives (unverified bytes: show them as such).
    The text data groups (DG1, DG11, DG13) are read before the photo so they can be shown first.
    ``aa_challenge``: the 8 bytes Active Authentication signs (a server's challenge, for an
    evidence package), instead of a random one; the exchange is in ``ReadResult.active_auth``.
    """
    session = open_session(
        transport, key, protocol=protocol, limits=limits, progress=progress, rng=rng
    )
    channel, file_reader = session.channel, session.file_reader
    card_access, card_security = session.card_access, session.card_security

    def step(name: str) -> None:
        if progress:
            progress(name, 0, 0)

    files: dict[str, bytes] = {}
    if card_access is not None:
        files["EF.CardAccess"] = card_access
    if card_security is not None:
        files["EF.CardSecurity"] = card_security
    step("EF.COM")
    files["EF.COM"] = (
        session.com if session.com is not None else read_ef(file_reader, "EF.COM", progress)
    )
    wanted = _com_file_names(files["EF.COM"])
    step("EF.SOD")
    protected: list[str] = []
    missing: list[str] = []
    try:
        files["EF.SOD"] = read_ef(file_reader, "EF.SOD", progress)
    except FileNotFoundOnCardError:
        # A chip without EF.SOD cannot prove anything, but what it holds is still shown: the
        # verdict (sod_parse fails) says not_genuine and why, instead of "card refused".
        log.info("the chip has no EF.SOD")
        missing.append("EF.SOD")
    if on_file is not None:
        on_file("EF.COM", files["EF.COM"])
        if "EF.SOD" in files:
            on_file("EF.SOD", files["EF.SOD"])
    for name in sorted(wanted, key=lambda n: n not in TEXT_FIRST):  # stable: else EF.COM order
        step(name)
        try:
            files[name] = read_ef(file_reader, name, progress)
        except SecurityStatusNotSatisfiedError:
            protected.append(name)
        except FileNotFoundOnCardError:
            missing.append(name)
        else:
            if on_file is not None:
                on_file(name, files[name])
    log.info(
        "read complete: %d files, %d APDUs, %d bytes received",
        len(files), channel.stats.apdus, channel.stats.bytes_received,
    )
    chip_checks: list[Check] = []
    exchange: list[AuthResult] = []
    if authenticate_chip:
        step("chip authentication")
        chip_checks = _chip_checks(channel, file_reader, files, session.pace, rng,
                                   aa_challenge, exchange)
    return ReadResult(
        files=files,
        access=session.access,
        protected=protected,
        missing=missing,
        stats=channel.stats,
        card_access=card_access,
        chip_checks=chip_checks,
        active_auth=exchange[0] if exchange else None,
        extended_length=session.extended_length,
    )


def _card_security_infos(files: dict[str, bytes]) -> tuple[SecurityInfo, ...]:
    """EF.CardSecurity's SecurityInfos, unverified (the verdict makes a check that used them
    count only once ``card_security`` passed); empty when absent or malformed."""
    from cccd_reader.lds.card_security import parse_card_security

    if "EF.CardSecurity" not in files:
        return ()
    try:
        return parse_card_security(files["EF.CardSecurity"]).infos
    except LDSError:
        return ()


#: The check reported when the chip offers no clone detection (``active_auth`` and
#: ``chip_auth`` are named in :mod:`cccd_reader.verify`, which weighs them).
CLONE_DETECTION = "clone_detection"


def _chip_checks(
    channel: ApduChannel,
    file_reader: FileReader,
    files: dict[str, bytes],
    pace_result: PaceResult | None,
    rng: Rng | None,
    aa_challenge: bytes | None = None,
    exchange: list[AuthResult] | None = None,
) -> list[Check]:
    """AA (DG15), then CA (DG14) or the PACE-CAM proof, as verify checks; AA's result (with
    its challenge and signature) is appended to ``exchange``."""
    import os

    from cccd_reader.auth import active, chip
    from cccd_reader.lds.dg14 import DG14, parse_dg14

    random = rng or os.urandom
    checks: list[Check] = []
    dg14: DG14 | None = None
    dg14_error: str | None = None
    if "DG14" in files:
        try:
            dg14 = parse_dg14(files["DG14"])
        except LDSError as exc:
            dg14_error = str(exc)
    if "DG15" in files:
        result = active.perform_active_authentication(
            channel, files["DG15"], dg14.infos if dg14 else (), rng=random,
            challenge=aa_challenge,
        )
        if exchange is not None:
            exchange.append(result)
        checks.append(Check(ACTIVE_AUTH, result.status, f"Active Authentication: {result.detail}"))
    if pace_result is not None and pace_result.mapping == "CAM":
        result = chip.verify_pace_cam_result(
            pace_result, dg14.infos if dg14 else (), _card_security_infos(files)
        )
        checks.append(Check(CHIP_AUTH, result.status, f"PACE-CAM: {result.detail}",
                            params={"key_file": result.key_file} if result.key_file else {}))
    elif dg14_error is not None:
        checks.append(
            Check(CHIP_AUTH, "unsupported", f"Chip Authentication: DG14 unusable: {dg14_error}")
        )
    elif dg14 is not None and dg14.chip_authentication:
        result = chip.perform_chip_authentication(
            channel, dg14.infos, proof=(FILES["EF.COM"].fid, files["EF.COM"]), rng=random,
            use_sfi=file_reader.sfi_enabled,
        )
        if result.status == "pass":
            file_reader.reset_for_session()
        checks.append(Check(CHIP_AUTH, result.status, f"Chip Authentication: {result.detail}"))
    if not checks:
        checks.append(
            Check(
                CLONE_DETECTION,
                "skipped",
                "clone detection not available: the chip offers neither Active Authentication "
                "(no DG15) nor Chip Authentication (no DG14 chip authentication key); passive "
                "authentication proves the data, not that this chip is the original",
                required=False,
            )
        )
    return checks
