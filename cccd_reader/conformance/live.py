"""Live conformance: protocol checks that only a chip can answer, then a full read.

The chip must refuse data before access control, refuse plain commands inside a
secure-messaging session and reject a wrong MAC with 6988. Each probe runs on a fresh
connection so one misbehaving answer cannot spoil the next, and opens its session with
:func:`cccd_reader.session.open_session`, as a read does: a finding is about the chip a counter
meets, not about a second way of opening it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cccd_reader.conformance.dump_checks import run_checks
from cccd_reader.conformance.results import Result, SuiteReport, complete
from cccd_reader.errors import AccessError, CccdError
from cccd_reader.iso7816.extended_length import ExtendedLength
from cccd_reader.lds.files import FILES

if TYPE_CHECKING:
    from cccd_reader.access.key import AccessKey
    from cccd_reader.iso7816.transport import ApduChannel, Transport
    from cccd_reader.pki.trust import TrustStore
    from cccd_reader.qr.payload import QRData

__all__ = ["check_live"]

_SELECT_EF_COM_FID = FILES["EF.COM"].fid.to_bytes(2, "big")
_DG1_FID = FILES["DG1"].fid.to_bytes(2, "big")


def _probe_unauthenticated(connect: Callable[[], Transport]) -> Result:
    """SELECT the application and DG1, then READ BINARY, all without access control."""
    from cccd_reader.iso7816.apdu import CommandAPDU, describe_sw
    from cccd_reader.iso7816.transport import ApduChannel
    from cccd_reader.lds.files import LDS1_AID

    transport = connect()
    try:
        channel = ApduChannel(transport)
        resp = channel.send_plain(CommandAPDU(0x00, 0xA4, 0x04, 0x0C, LDS1_AID))
        if resp.sw == 0x6982:
            return Result("PROTO-AUTH-001", "pass", "the LDS application itself is refused (6982)")
        resp = channel.send_plain(CommandAPDU(0x00, 0xA4, 0x02, 0x0C, _DG1_FID))
        if resp.sw == 0x6982:
            return Result("PROTO-AUTH-001", "pass", "SELECT DG1 refused with 6982")
        if not resp.ok:
            return Result("PROTO-AUTH-001", "fail",
                          f"SELECT DG1 answered {describe_sw(resp.sw)}; 6982 expected")
        resp = channel.send_plain(CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=4))
        if resp.sw == 0x6982:
            return Result("PROTO-AUTH-001", "pass", "READ BINARY of DG1 refused with 6982")
        if resp.ok or resp.data:
            return Result("PROTO-AUTH-001", "fail",
                          f"DG1 served without authentication ({len(resp.data)} bytes)")
        return Result("PROTO-AUTH-001", "fail",
                      f"READ BINARY of DG1 answered {describe_sw(resp.sw)}; 6982 expected")
    finally:
        transport.close()


def _session_channel(transport: Transport, key: AccessKey) -> ApduChannel:
    """The chip opened as the read flow opens it, the channel left in secure messaging."""
    from cccd_reader.readers import limits_for
    from cccd_reader.session import open_session

    return open_session(transport, key, limits=limits_for(transport)).channel


def _probe_plain_in_session(connect: Callable[[], Transport], key: AccessKey) -> list[Result]:
    from cccd_reader.iso7816.apdu import CommandAPDU, describe_sw

    transport = connect()
    try:
        channel = _session_channel(transport, key)
        select = CommandAPDU(0x00, 0xA4, 0x02, 0x0C, _SELECT_EF_COM_FID)
        resp = channel.send_plain(select)
        if resp.ok:
            refused = Result("PROTO-SM-001", "fail",
                             "a plain SELECT inside the session was answered 9000")
        else:
            refused = Result("PROTO-SM-001", "pass", f"refused with {describe_sw(resp.sw)}")
        try:
            after = channel.send(select)
        except CccdError as exc:
            ended = Result("PROTO-SM-002", "pass", f"the session is gone ({type(exc).__name__})")
        else:
            ended = (
                Result("PROTO-SM-002", "fail", "the session survived a plain command")
                if after.ok
                else Result("PROTO-SM-002", "pass", f"then refused {describe_sw(after.sw)}")
            )
        return [refused, ended]
    finally:
        transport.close()


def _probe_wrong_mac(connect: Callable[[], Transport], key: AccessKey) -> Result:
    from cccd_reader.iso7816.apdu import CommandAPDU, ResponseAPDU, describe_sw

    transport = connect()
    try:
        channel = _session_channel(transport, key)
        assert channel.sm is not None
        good = channel.sm.protect_command(CommandAPDU(0x00, 0xA4, 0x02, 0x0C, _SELECT_EF_COM_FID))
        data = bytearray(good.data)
        data[-1] ^= 0x01  # DO'8E (the MAC) is the last object of a protected command
        bad = CommandAPDU(good.cla, good.ins, good.p1, good.p2, bytes(data), good.le,
                          good.force_extended)
        resp = ResponseAPDU.from_bytes(transport.transmit(bad.to_bytes()))
        if resp.sw == 0x6988:
            return Result("PROTO-MAC-001", "pass", "refused with 6988")
        if resp.ok:
            return Result("PROTO-MAC-001", "fail", "a command with a wrong MAC was executed")
        return Result("PROTO-MAC-001", "fail",
                      f"refused with {describe_sw(resp.sw)}; 6988 expected")
    finally:
        transport.close()


def _extended_length_results(ext: ExtendedLength) -> list[Result]:
    """What the read learnt about extended length, as findings: a chip that says nothing, and
    one whose refusal cost the session (the read recovered by reopening it, short)."""
    said = ext.source in ("atr", "ef_atr_info") or (
        ext.source == "reader" and ext.chip != "unknown"
    )
    where = {"atr": "its ATR", "ef_atr_info": "EF.ATR/INFO", "reader": "its ATR"}.get(
        ext.source, "")
    if said:
        announced = Result("PROTO-EXT-001", "pass", f"{where} says {ext.chip}")
    elif ext.source == "reader":
        announced = Result("PROTO-EXT-001", "skip",
                           "the ATR says nothing and this reader carries short APDUs only")
    else:
        announced = Result("PROTO-EXT-001", "fail",
                           "neither the ATR nor EF.ATR/INFO says whether the chip takes "
                           "extended length: the reader had to try")
    if ext.recovered:
        refused = Result("PROTO-EXT-002", "fail",
                         "an extended-length READ BINARY ended the session (refused under "
                         "secure messaging, or not answered): the read reopened it with short "
                         f"APDUs, {ext.extra_apdus} APDUs spent")
    elif ext.source == "probe":
        refused = Result("PROTO-EXT-002", "pass",
                         "extended length taken" if ext.used else
                         "refused in the clear; the reads went on with short APDUs")
    else:
        refused = Result("PROTO-EXT-002", "skip", "no extended-length command was refused")
    return [announced, refused]


def _probe(results: list[Result], ids: Sequence[str], probe: Callable[[], Any]) -> None:
    """A probe that cannot even run (no session, card gone) is a skip, not a silent pass."""
    try:
        out = probe()
    except AccessError as exc:
        for check_id in ids:
            results.append(Result(check_id, "skip", f"no session: {exc}"))
        return
    except CccdError as exc:
        for check_id in ids:
            results.append(Result(check_id, "fail", f"{type(exc).__name__}: {exc}"))
        return
    results.extend(out if isinstance(out, list) else [out])


def check_live(
    connect: Callable[[], Transport],
    key: AccessKey,
    *,
    trust: TrustStore | None = None,
    name: str = "live chip",
    now: datetime | None = None,
    qr: QRData | None = None,
) -> SuiteReport:
    """The whole catalogue against a chip: protocol probes, then a full read and its files.

    ``connect`` returns a fresh transport (a new card session) each time: the
    transport of a PC/SC reader opened anew, or ``cccd_sim.open_sim`` for a virtual chip.
    """
    from cccd_reader.service import read_and_verify

    protocol: list[Result] = []
    _probe(protocol, ["PROTO-AUTH-001"], lambda: _probe_unauthenticated(connect))
    try:
        outcome = read_and_verify(connect(), key, trust=trust)
    except CccdError as exc:
        results = [*protocol, Result("LIVE-READ-001", "fail", f"{type(exc).__name__}: {exc}")]
        return complete(SuiteReport(name, name, "live", results))
    result = outcome.result
    suite = run_checks(
        result.files, trust=trust, name=name, source=name, note=None, now=now, qr=qr,
        extra_checks=result.chip_checks, protected=result.protected, missing=result.missing,
        access=result.access, kind="live",
    )
    offered = sorted(c.name for c in result.chip_checks if c.name in ("active_auth", "chip_auth"))
    suite.results.append(
        Result("CHIP-CLONE-001", "pass", f"offered: {', '.join(offered)}") if offered else
        Result("CHIP-CLONE-001", "fail", "neither Active nor Chip Authentication is offered: "
               "a copy of the files cannot be told from the original chip")
    )
    access = result.access
    protocol.extend(_extended_length_results(result.extended_length))
    suite.results.insert(0, Result(
        "LIVE-READ-001", "pass",
        f"{access.protocol} ({access.password}, {access.cipher}); {len(result.files)} files, "
        f"{result.stats.apdus} APDUs",
    ))
    _probe(protocol, ["PROTO-SM-001", "PROTO-SM-002"],
           lambda: _probe_plain_in_session(connect, key))
    _probe(protocol, ["PROTO-MAC-001"], lambda: _probe_wrong_mac(connect, key))
    suite.results[1:1] = protocol
    return complete(suite, "the chip does not offer it")
