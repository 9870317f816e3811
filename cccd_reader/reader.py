"""The read flow: from a transport and an access key to every readable file, or an error.

Order (ICAO 9303 Part 10 §3, Part 11 §4): look for EF.CardAccess in the master file (present:
the chip speaks PACE), run PACE, or BAC after selecting the LDS1 application; then read EF.COM,
EF.SOD and every data group they list. The result is returned only when the read is complete:
a card pulled away, a broken MAC or a refused key raise, so nothing partial ever looks whole.

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

from cccd_reader.access import bac
from cccd_reader.checks import Check
from cccd_reader.errors import (
    AccessError,
    CardError,
    FileNotFoundOnCardError,
    LDSError,
    ParseError,
    ProtocolNotSupportedError,
    SecurityStatusNotSatisfiedError,
)
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.apdu import CommandAPDU
from cccd_reader.iso7816.efreader import FileReader, ReadLimits
from cccd_reader.iso7816.transport import ApduChannel, ChannelStats, Transport
from cccd_reader.lds.files import FILES, LDS1_AID, name_for_tag

if TYPE_CHECKING:
    from cccd_reader.access.pace import PaceResult
    from cccd_reader.lds.security_infos import SecurityInfo

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]
#: Called with (file name, bytes) as soon as each file is read, before the read is complete:
#: lets a counter screen show the name and number while the photo is still coming.
FileFn = Callable[[str, bytes], None]
Rng = Callable[[int], bytes]


def _check_yymmdd(value: str, label: str) -> None:
    """A date that no document can carry is refused before it costs one of the chip's
    attempts: six digits, month 01-12, a day the month has (29 February in years divisible
    by four, as either century could be meant)."""
    import calendar

    if len(value) != 6 or not value.isascii() or not value.isdigit():
        raise ParseError(f"date of {label} must be YYMMDD (6 digits)", params={"field": label})
    year, month, day = int(value[:2]), int(value[2:4]), int(value[4:])
    if not 1 <= month <= 12:
        raise ParseError(f"date of {label}: there is no month {value[2:4]}",
                         params={"field": label})
    last = calendar.monthrange(2000 + year, month)[1]  # 2000+YY: leap whenever YY % 4 == 0
    if not 1 <= day <= last:
        raise ParseError(f"date of {label}: month {value[2:4]} has no day {value[4:]}",
                         params={"field": label})


@dataclass(frozen=True)
class AccessKey:
    """What the holder or the staff gave us to open the chip.

    ``mrz_information`` is the BAC/PACE-MRZ key input (document number, birth and expiry with
    their check digits); ``can`` the 6-digit card access number. Either or both may be set.
    """

    mrz_information: str | None = None
    can: str | None = None

    def __repr__(self) -> str:  # keys never go to logs or tracebacks
        kinds = [k for k, v in (("mrz", self.mrz_information), ("can", self.can)) if v]
        return f"AccessKey({', '.join(kinds) or 'empty'})"

    @classmethod
    def from_mrz(cls, text: str) -> AccessKey:
        """From the whole MRZ text (2 or 3 lines, as printed or scanned); opens BAC and PACE.

        Check digits are verified: a mistyped MRZ is an ``MRZError`` here, not a refused key
        at the chip (chips count failed attempts).
        """
        from cccd_reader.mrz import parse

        return cls(mrz_information=parse(text).mrz_information())

    @classmethod
    def from_document(cls, document_number: str, birth: str, expiry: str) -> AccessKey:
        """From the three printed fields; dates as YYMMDD. Check digits are computed here.

        On a Vietnamese card the document number is the last 9 digits of the personal number;
        a lifetime card's MRZ expiry is what its MRZ prints (``991231`` on the samples).
        """
        from cccd_reader.mrz import check_digit

        doc = document_number.strip().upper().replace(" ", "")
        for label, value in (("birth", birth), ("expiry", expiry)):
            _check_yymmdd(value, label)
        if not doc or not all(c.isalnum() or c == "<" for c in doc) or len(doc) > 22:
            raise ParseError("document number must be letters and digits")
        padded = doc.ljust(9, "<")
        info = (
            padded + check_digit(padded) + birth + check_digit(birth) + expiry
            + check_digit(expiry)
        )
        return cls(mrz_information=info)

    @classmethod
    def from_can(cls, can: str) -> AccessKey:
        """From the 6-digit card access number printed on the card (PACE only)."""
        can = can.strip()
        if len(can) != 6 or not can.isascii() or not can.isdigit():
            raise ParseError("a CAN is 6 digits")
        return cls(can=can)

    @classmethod
    def from_personal_number(cls, number: str) -> AccessKey:
        """Vietnamese cards with PACE: the CAN is the last 6 digits of the personal number.

        A card whose chip offers only BAC (no EF.CardAccess) needs the MRZ data instead
        (:meth:`from_document`): the read then fails with ``ProtocolNotSupportedError``.
        """
        number = number.strip()
        if len(number) != 12 or not number.isascii() or not number.isdigit():
            raise ParseError("a Vietnamese personal number has 12 digits")
        return cls(can=number[-6:])


@dataclass(frozen=True)
class AccessInfo:
    protocol: str  # "BAC" or "PACE"
    cipher: str
    password: str  # "MRZ" or "CAN"
    mapping: str | None = None
    curve: str | None = None


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


def _try_read_card_access(reader: FileReader) -> bytes | None:
    """EF.CardAccess is readable without authentication; its absence means no PACE."""
    resp = reader.channel.send_plain(
        CommandAPDU(0x00, 0xA4, 0x02, 0x0C, FILES["EF.CardAccess"].fid.to_bytes(2, "big"))
    )
    if not resp.ok:
        return None
    try:
        return reader.read_selected(name="EF.CardAccess")
    except CardError as exc:
        log.debug("EF.CardAccess unreadable: %s", exc)
        return None


def _try_read_card_security(reader: FileReader, progress: ProgressFn | None) -> bytes | None:
    """EF.CardSecurity when the chip has it and lets us read it, else None."""
    try:
        return _read_ef(reader, "EF.CardSecurity", progress)
    except (FileNotFoundOnCardError, SecurityStatusNotSatisfiedError) as exc:
        log.debug("EF.CardSecurity not readable: %s", type(exc).__name__)
        return None


def _read_ef(reader: FileReader, name: str, progress: ProgressFn | None) -> bytes:
    info = FILES[name]
    return reader.read_file(info.fid, progress=progress, name=name, sfi=info.sfi)


def _select_application(reader: FileReader) -> None:
    reader.select_application(LDS1_AID)


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
) -> ReadResult:
    """Open the chip with ``key`` and read every file it lists. Raises on any failure.

    ``protocol``: "auto" (PACE when EF.CardAccess offers it, else BAC), "PACE" or "BAC".
    ``authenticate_chip``: run Active / Chip Authentication after the read (clone detection);
    a chip that answers them wrongly never raises (that is a ``fail`` in
    ``ReadResult.chip_checks``), a card that leaves the field does, as at any other step.
    ``on_file``: called with each file as it arrives (unverified bytes: show them as such).
    The text data groups (DG1, DG11, DG13) are read before the photo so they can be shown first.
    """
    if protocol not in ("auto", "PACE", "BAC"):
        raise ValueError(f"unknown access protocol {protocol!r}")
    if key.mrz_information is None and key.can is None:
        raise AccessError("an access key (MRZ data, CAN or personal number) is needed")
    channel = ApduChannel(transport)
    if limits is None:
        limits = ReadLimits(extended=bool(transport.supports_extended))
    reader = FileReader(channel, limits)

    def step(name: str) -> None:
        if progress:
            progress(name, 0, 0)

    step("access")
    card_access = _try_read_card_access(reader)
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
            reader.reset_for_session()
            if pace_result is not None and pace_result.mapping == "CAM":
                # PACE-CAM's key is vouched for by EF.CardSecurity, in the master file
                # (TR-03110-3 §A.1.2.5): read it before entering the application
                step("EF.CardSecurity")
                card_security = _try_read_card_security(reader, progress)
            _select_application(reader)
    if access is None:
        if key.mrz_information is None:
            raise ProtocolNotSupportedError(
                "this chip needs BAC, which uses the MRZ (document number, birth, expiry); "
                "a CAN is not enough"
                if card_access is None
                else "PACE with this key is not supported here and BAC needs the MRZ"
            )
        _select_application(reader)
        bac_kwargs = {"rng": rng} if rng is not None else {}
        result = bac.perform_bac(channel, key.mrz_information, **bac_kwargs)
        access = AccessInfo(protocol=result.protocol, cipher=result.cipher, password="MRZ")
        reader.reset_for_session()

    files: dict[str, bytes] = {}
    if card_access is not None:
        files["EF.CardAccess"] = card_access
    if card_security is not None:
        files["EF.CardSecurity"] = card_security
    step("EF.COM")
    files["EF.COM"] = _read_ef(reader, "EF.COM", progress)
    wanted = _com_file_names(files["EF.COM"])
    step("EF.SOD")
    protected: list[str] = []
    missing: list[str] = []
    try:
        files["EF.SOD"] = _read_ef(reader, "EF.SOD", progress)
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
            files[name] = _read_ef(reader, name, progress)
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
    if authenticate_chip:
        step("chip authentication")
        chip_checks = _chip_checks(channel, reader, files, pace_result, rng)
    return ReadResult(
        files=files,
        access=access,
        protected=protected,
        missing=missing,
        stats=channel.stats,
        card_access=card_access,
        chip_checks=chip_checks,
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


#: Names of the clone-detection checks (see :mod:`cccd_reader.verify`).
ACTIVE_AUTH = "active_auth"
CHIP_AUTH = "chip_auth"
CLONE_DETECTION = "clone_detection"


def _chip_checks(
    channel: ApduChannel,
    reader: FileReader,
    files: dict[str, bytes],
    pace_result: PaceResult | None,
    rng: Rng | None,
) -> list[Check]:
    """AA (DG15), then CA (DG14) or the PACE-CAM proof, as verify checks."""
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
            channel, files["DG15"], dg14.infos if dg14 else (), rng=random
        )
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
            use_sfi=reader.sfi_enabled,
        )
        if result.status == "pass":
            reader.reset_for_session()
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
