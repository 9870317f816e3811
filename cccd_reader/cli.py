"""The ``cccd`` command line.

Exit codes: 0 success, 1 other error, 2 usage, 3 access denied / protocol refused, 4 reader or
card link problem (removed card, MAC failure, no reader), 5 malformed input (dump, MRZ, data).
Errors are one readable line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cccd_reader import dump as dumpmod
from cccd_reader.errors import (
    AccessError,
    CardError,
    CccdError,
    ParseError,
    ReadIncompleteError,
    SecureMessagingError,
    TransportError,
)
from cccd_reader.iso7816.transport import InProcessTransport, Transport
from cccd_reader.reader import AccessKey, ReadResult, read_card

log = logging.getLogger("cccd_reader")

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_ACCESS, EXIT_LINK, EXIT_INPUT = 0, 1, 2, 3, 4, 5


def _samples_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "samples"


DEMO_SAMPLE = "vn-cccd-2021-nguyen-thi-ngoc-anh"


# ---------------------------------------------------------------------- output


def _mrz_json(result: ReadResult) -> dict[str, Any] | None:
    from cccd_reader.lds.dg1 import parse_dg1

    if "DG1" not in result.files:
        return None
    mrz = parse_dg1(result.files["DG1"], strict=False)
    return {
        "format": mrz.format,
        "document_code": mrz.document_code,
        "issuing_state": mrz.issuing_state,
        "document_number": mrz.document_number,
        "personal_number": mrz.personal_number,
        "date_of_birth": mrz.date_of_birth.isoformat() if mrz.date_of_birth else None,
        "date_of_expiry": mrz.date_of_expiry.isoformat() if mrz.date_of_expiry else None,
        "sex": mrz.sex,
        "nationality": mrz.nationality,
        "names": mrz.names,
        "primary_identifier": mrz.primary_identifier,
        "secondary_identifier": mrz.secondary_identifier,
        "raw": mrz.raw,
        "check_digits_valid": not mrz.errors,
    }


def _checks(result: ReadResult) -> list[dict[str, str]]:
    return [
        {
            "name": "secure_messaging",
            "status": "pass",
            "detail": f"{result.access.protocol} session; every response MAC verified",
        },
        {
            "name": "passive_authentication",
            "status": "skipped",
            "detail": "SOD signature and data-group hashes are not checked by this version",
        },
    ]


def result_json(result: ReadResult, elapsed: float | None = None) -> dict[str, Any]:
    access = {
        "protocol": result.access.protocol,
        "cipher": result.access.cipher,
        "password": result.access.password,
        "mapping": result.access.mapping,
        "curve": result.access.curve,
    }
    out: dict[str, Any] = {
        "access": access,
        "files": {name: len(data) for name, data in result.files.items()},
        "protected_files": result.protected,
        "missing_files": result.missing,
        "mrz": _mrz_json(result),
        "wire": {
            "apdus": result.stats.apdus,
            "bytes_sent": result.stats.bytes_sent,
            "bytes_received": result.stats.bytes_received,
        },
        "verification": {"verdict": "unverified", "checks": _checks(result)},
    }
    if elapsed is not None:
        out["wire"]["seconds"] = round(elapsed, 3)
    return out


def _print_human(doc: dict[str, Any], source: str) -> None:
    p = print
    p(f"Card read from {source}")
    acc = doc["access"]
    extra = ", ".join(x for x in (acc.get("mapping"), acc.get("curve")) if x)
    details = ", ".join(x for x in (acc["password"], acc["cipher"], extra) if x)
    p(f"  Access      {acc['protocol']} ({details})")
    mrz = doc.get("mrz")
    if mrz:
        p(f"  Name        {mrz['names']}")
        p(f"  Document    {mrz['document_code']} {mrz['issuing_state']} {mrz['document_number']}")
        if mrz.get("personal_number"):
            p(f"  Personal no {mrz['personal_number']}")
        p(f"  Born        {mrz['date_of_birth']}   Sex {mrz['sex']}")
        p(f"  Nationality {mrz['nationality']}")
        p(f"  Expires     {mrz['date_of_expiry']}")
    files = ", ".join(f"{k} ({v} B)" for k, v in doc["files"].items())
    p(f"  Files       {files}")
    if doc["protected_files"]:
        p(f"  Protected   {', '.join(doc['protected_files'])} (need terminal authentication)")
    w = doc["wire"]
    secs = f" in {w['seconds']} s" if "seconds" in w else ""
    p(f"  Wire        {w['apdus']} APDUs, {w['bytes_received']} bytes received{secs}")
    p("  Checks")
    for check in doc["verification"]["checks"]:
        p(f"    [{check['status']:^7}] {check['name']}: {check['detail']}")
    p(f"  Verdict     {doc['verification']['verdict'].upper()}")


# ---------------------------------------------------------------------- commands


def _access_key(args: argparse.Namespace, fallback: dumpmod.CardDump | None = None) -> AccessKey:
    if args.mrz:
        return AccessKey.from_mrz(args.mrz)
    if args.doc_number or args.birth or args.expiry:
        if not (args.doc_number and args.birth and args.expiry):
            raise ParseError("--doc-number, --birth and --expiry go together")
        return AccessKey.from_document(args.doc_number, args.birth, args.expiry)
    if getattr(args, "can", None):
        return AccessKey.from_can(args.can)
    if getattr(args, "id", None):
        return AccessKey.from_personal_number(args.id)
    if fallback is not None:
        if fallback.access.mrz:
            return AccessKey.from_mrz(fallback.access.mrz)
        if fallback.access.can:
            return AccessKey.from_can(fallback.access.can)
    raise ParseError("give the access key: --mrz, or --doc-number/--birth/--expiry, --can, --id")


def _sim_transport(card: dumpmod.CardDump) -> Transport:
    from cccd_reader.sim.chip import VirtualChip
    from cccd_reader.sim.profiles import chip_for_dump

    chip: VirtualChip = chip_for_dump(card)
    return InProcessTransport(chip.process, extended=chip.config.extended_length)


def _pcsc_transport(reader_name: str | None) -> tuple[Transport, str]:
    from cccd_reader.errors import ReaderNotFoundError
    from cccd_reader.iso7816.pcsc import PcscTransport, reader_status

    if reader_name:
        t = PcscTransport(reader_name)
        return t, t.reader_name
    with_card = [r for r in reader_status() if r.card_present]
    if not with_card:
        raise ReaderNotFoundError(
            "no card on any PC/SC reader; tap a card, pass --reader, or try --sim DUMP / cccd demo"
        )
    t = PcscTransport(with_card[0].name)
    return t, t.reader_name


def _do_read(transport: Transport, key: AccessKey, source: str, args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    try:
        result = read_card(transport, key)
    finally:
        transport.close()
    elapsed = time.perf_counter() - t0
    doc = result_json(result, elapsed)
    if args.out:
        out = dumpmod.save(dumpmod.CardDump(files=dict(result.files)), args.out)
        print(f"dump written to {out}", file=sys.stderr)
    if args.json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_human(doc, source)
    return EXIT_OK


def cmd_read(args: argparse.Namespace) -> int:
    if args.sim:
        card = dumpmod.load(args.sim)
        key = _access_key(args, fallback=card if args.sim_key else None)
        return _do_read(_sim_transport(card), key, f"virtual chip ({args.sim})", args)
    key = _access_key(args)
    transport, name = _pcsc_transport(args.reader)
    return _do_read(transport, key, name, args)


def cmd_readers(args: argparse.Namespace) -> int:
    from cccd_reader.iso7816.pcsc import reader_status

    status = reader_status()
    if args.json:
        print(json.dumps([{"name": r.name, "card_present": r.card_present} for r in status]))
    elif not status:
        print("no PC/SC readers (is pcscd running and a reader plugged in?)")
    for r in status if not args.json else []:
        print(f"{r.name}\t{'card present' if r.card_present else 'empty'}")
    return EXIT_OK


def cmd_simulate(args: argparse.Namespace) -> int:
    from cccd_reader.sim.pcscd import ensure_pcscd, reader_for_port
    from cccd_reader.sim.profiles import chip_for_dump
    from cccd_reader.sim.vpcd import VpcdBridge

    card = dumpmod.load(args.dump)
    chip = chip_for_dump(card)
    ensure_pcscd()
    bridge = VpcdBridge(chip, port=args.port)
    bridge.connect()
    print(f"virtual card {Path(args.dump).name} inserted in {reader_for_port(args.port)}; "
          "Ctrl-C removes it", file=sys.stderr)
    try:
        bridge.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        bridge.stop()
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """The main job: a full read of the built-in virtual card, through pcscd when possible."""
    sample = Path(args.dump) if args.dump else _samples_dir() / DEMO_SAMPLE
    card = dumpmod.load(sample)
    key = _access_key(args, fallback=card)
    if not args.in_process:
        from cccd_reader.sim.pcscd import VPCD_BASE_PORT, ensure_pcscd, reader_for_port
        from cccd_reader.sim.profiles import chip_for_dump
        from cccd_reader.sim.vpcd import VpcdBridge

        try:
            ensure_pcscd()
        except TransportError as exc:
            print(f"note: {exc}; reading the virtual card in process instead", file=sys.stderr)
        else:
            from cccd_reader.iso7816.pcsc import PcscTransport

            chip = chip_for_dump(card)
            port = VPCD_BASE_PORT + 1  # slot 01: leaves slot 00 to `cccd simulate`
            with VpcdBridge(chip, port=port):
                name = reader_for_port(port)
                _wait_for_card(name)
                transport = PcscTransport(name, extended=chip.config.extended_length)
                return _do_read(transport, key, f"{name} (virtual card {sample.name}, pcscd)",
                                args)
    return _do_read(_sim_transport(card), key, f"virtual card {sample.name} (in process)", args)


def _wait_for_card(reader_name: str, timeout: float = 5.0) -> None:
    from cccd_reader.iso7816.pcsc import reader_status

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(r.name == reader_name and r.card_present for r in reader_status()):
            return
        time.sleep(0.05)
    raise TransportError(f"the virtual card did not appear in {reader_name}")


# ---------------------------------------------------------------------- wiring


def _add_key_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("access key (one of)")
    g.add_argument("--mrz", help="the MRZ text (lines separated by newlines or spaces)")
    g.add_argument("--doc-number", help="document number (with --birth and --expiry)")
    g.add_argument("--birth", help="date of birth YYMMDD")
    g.add_argument("--expiry", help="date of expiry YYMMDD")
    g.add_argument("--can", help="6-digit card access number (PACE)")
    g.add_argument(
        "--id", help="12-digit Vietnamese personal number (its last 6 digits are the CAN)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cccd", description="Read and verify Vietnamese CCCD cards and ICAO eMRTDs."
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (-vv: debug)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("readers", help="list PC/SC readers")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_readers)

    p = sub.add_parser("read", help="read a card")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--reader", help="PC/SC reader name (or part of it)")
    src.add_argument("--sim", metavar="DUMP", help="read a virtual chip serving this dump")
    _add_key_args(p)
    p.add_argument("--sim-key", action="store_true",
                   help="with --sim: use the access data stored in the dump")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--out", metavar="DIR", help="write the raw files as a cccd-dump/1 directory")
    p.set_defaults(func=cmd_read)

    p = sub.add_parser("simulate", help="insert a virtual card into pcscd's vpcd reader")
    p.add_argument("dump")
    p.add_argument("--port", type=int, default=35963, help="vpcd port (35963: Virtual PCD 00 00)")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("demo", help="read the built-in virtual card end to end")
    p.add_argument("dump", nargs="?", help="another sample dump to use")
    _add_key_args(p)
    p.add_argument(
        "--in-process", action="store_true", help="skip pcscd; talk to the chip directly"
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--out", metavar="DIR", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        code: int = args.func(args)
        return code
    except AccessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ACCESS
    except (TransportError, SecureMessagingError, ReadIncompleteError) as exc:
        print(f"error: {exc}; nothing was read completely", file=sys.stderr)
        return EXIT_LINK
    except ParseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except CardError as exc:
        print(f"error: the card refused: {exc}", file=sys.stderr)
        return EXIT_LINK
    except CccdError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
