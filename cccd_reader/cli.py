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
from cccd_reader import trust_cli
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
from cccd_reader.reader import AccessKey
from cccd_reader.service import ReadOutcome, read_and_verify

log = logging.getLogger("cccd_reader")

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_ACCESS, EXIT_LINK, EXIT_INPUT = 0, 1, 2, 3, 4, 5
#: `cccd verify`: the dump was checked and the verdict is not "genuine".
EXIT_NOT_GENUINE = 6


def _samples_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "samples"


DEMO_SAMPLE = "vn-cccd-2021-nguyen-thi-ngoc-anh"


# ---------------------------------------------------------------------- output


def _trust_store(
    paths: Sequence[str] | None, *, include_default: bool = True, require_crl: bool = False
) -> Any:
    from cccd_reader.pki.trust import TrustStore

    store = TrustStore.from_paths(paths or (), include_default=include_default)
    store.require_crl = require_crl
    for note in store.notes:
        log.info("trust: %s", note)
    for warning in store.warnings:
        print(f"cccd: trust warning: {warning}", file=sys.stderr)
    return store


def outcome_json(outcome: ReadOutcome, *, include_photo: bool = False) -> dict[str, Any]:
    """The record's JSON plus how the read went on the wire."""
    result = outcome.result
    out = outcome.record.to_json(include_photo=include_photo)
    out["access"]["secure_messaging"] = "every response MAC verified"
    out["wire"] = {
        "apdus": result.stats.apdus,
        "bytes_sent": result.stats.bytes_sent,
        "bytes_received": result.stats.bytes_received,
        "seconds": round(outcome.seconds, 3),
    }
    return out


_HOLDER_LABELS = (
    ("full_name", "Họ và tên / Name"),
    ("personal_number", "Số định danh / ID no."),
    ("date_of_birth", "Ngày sinh / Born"),
    ("sex", "Giới tính / Sex"),
    ("nationality", "Quốc tịch / Nationality"),
    ("ethnicity", "Dân tộc / Ethnicity"),
    ("religion", "Tôn giáo / Religion"),
    ("place_of_origin", "Quê quán / Origin"),
    ("place_of_residence", "Nơi thường trú / Residence"),
    ("identifying_features", "Đặc điểm nhận dạng / Features"),
    ("date_of_issue", "Ngày cấp / Issued"),
    ("date_of_expiry", "Có giá trị đến / Expires"),
    ("father_name", "Cha / Father"),
    ("mother_name", "Mẹ / Mother"),
    ("spouse_name", "Vợ/chồng / Spouse"),
    ("old_id_number", "CMND cũ / Old ID"),
)


def _print_human(doc: dict[str, Any], source: str) -> None:
    p = print
    p(f"Card read from {source}")
    acc = doc.get("access") or {}
    if acc:
        extra = ", ".join(x for x in (acc.get("mapping"), acc.get("curve")) if x)
        details = ", ".join(x for x in (acc.get("password"), acc.get("cipher"), extra) if x)
        p(f"  Access      {acc.get('protocol')} ({details})")
    holder = doc.get("holder")
    if holder:
        for key, label in _HOLDER_LABELS:
            if holder.get(key):
                p(f"  {label:<30} {holder[key]}")
    mrz = doc.get("mrz")
    if mrz:
        p(f"  MRZ         {mrz['document_code']} {mrz['issuing_state']} {mrz['document_number']}"
          f"  {mrz['names']}")
        p(f"              born {mrz['date_of_birth']}, sex {mrz['sex']}, "
          f"nationality {mrz['nationality']}, expires {mrz['date_of_expiry']}")
    photo = doc.get("photo")
    if photo:
        p(f"  Photo       {photo['mime']} {photo['width']}x{photo['height']} "
          f"({photo['size']} B, decode {photo['decode']['status']})")
    files = ", ".join(f"{k} ({v} B)" for k, v in doc["files"].items())
    p(f"  Files       {files}")
    if doc.get("protected_files"):
        p(f"  Protected   {', '.join(doc['protected_files'])} (need terminal authentication)")
    for name, err in (doc.get("errors") or {}).items():
        p(f"  Error       {name}: {err['message']}")
    w = doc.get("wire")
    if w:
        secs = f" in {w['seconds']} s" if "seconds" in w else ""
        p(f"  Wire        {w['apdus']} APDUs, {w['bytes_received']} bytes received{secs}")
    if doc.get("consistency"):
        p("  Consistency (chip DG1 vs DG13)")
        for c in doc["consistency"]:
            p(f"    [{c['status']:^7}] {c['name']}: {c['detail']}")
    ver = doc.get("verification")
    if ver:
        p("  Checks")
        for check in ver["checks"]:
            p(f"    [{check['status']:^11}] {check['name']}: {check['detail']}")
        p(f"  Verdict     {ver['verdict'].upper().replace('_', ' ')}")


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
        # a PACE chip is opened with its CAN when the sample has one, as at a counter
        if fallback.access.can and "EF.CardAccess" in fallback.files:
            return AccessKey.from_can(fallback.access.can)
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
    trust = _trust_store(getattr(args, "trust", None),
                         include_default=not getattr(args, "no_default_trust", False),
                         require_crl=getattr(args, "require_crl", False))
    outcome = read_and_verify(transport, key, trust=trust)
    trust_cli.note_seen(outcome.record.verification)
    doc = outcome_json(outcome)
    if args.out:
        out = dumpmod.save(dumpmod.CardDump(files=dict(outcome.result.files)), args.out)
        print(f"dump written to {out}", file=sys.stderr)
    if args.json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_human(doc, source)
    return EXIT_OK


def cmd_read(args: argparse.Namespace) -> int:
    if args.qr:
        return _read_with_qr(args)
    if args.sim:
        card = dumpmod.load(args.sim)
        key = _access_key(args, fallback=card if args.sim_key else None)
        return _do_read(_sim_transport(card), key, f"virtual chip ({args.sim})", args)
    key = _access_key(args)
    transport, name = _pcsc_transport(args.reader)
    return _do_read(transport, key, name, args)


def _read_with_qr(args: argparse.Namespace) -> int:
    """Open the chip with the keys the card's QR gives (CAN first, then at most two MRZ
    candidates), and cross-check the QR against the chip in the verdict."""
    from cccd_reader.qr import crosscheck, qr_from_argument, qr_report, read_with_qr

    qr, decoded = qr_from_argument(args.qr)
    trust = _trust_store(args.trust, include_default=not args.no_default_trust,
                         require_crl=args.require_crl)
    if args.sim:
        card = dumpmod.load(args.sim)
        source = f"virtual chip ({args.sim})"

        def connect() -> Transport:
            return _sim_transport(card)
    else:
        first, source = _pcsc_transport(args.reader)
        first.close()

        def connect() -> Transport:
            return _pcsc_transport(source)[0]

    outcome, attempts = read_with_qr(
        qr, connect,
        lambda t, k: read_and_verify(t, k, trust=trust, cross_checks=lambda r: crosscheck(qr, r)),
    )
    doc = outcome_json(outcome)
    doc["qr"] = qr_report(qr, None, attempts, decoded)
    if args.out:
        out = dumpmod.save(dumpmod.CardDump(files=dict(outcome.result.files)), args.out)
        print(f"dump written to {out}", file=sys.stderr)
    if args.json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for attempt in doc["qr"]["keys"]:
            print(f"QR key {attempt['key']}: {attempt['status']}")
        _print_human(doc, source)
    return EXIT_OK


def cmd_qr(args: argparse.Namespace) -> int:
    """Decode and parse a card's QR (image file, scanner text, or - for stdin)."""
    from cccd_reader.qr import qr_from_argument, qr_report

    qr, decoded = qr_from_argument(args.source)
    doc = qr_report(qr, decoded=decoded)
    if args.json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for key, value in doc["qr"].items():
            if value not in (None, "", [], {}):
                print(f"{key}: {value}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    """Show a dump as a record (offline; the dump's access data is never exported)."""
    from cccd_reader.record import CardRecord

    card = dumpmod.load(args.dump)
    trust = _trust_store(args.trust, include_default=not args.no_default_trust,
                         require_crl=args.require_crl)
    doc = CardRecord.build(card.files, trust=trust).to_json(include_photo=args.photo)
    if args.json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_human(doc, f"dump {args.dump}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    """Passive authentication of a dump; exit 0 only for a genuine verdict."""
    from cccd_reader.record import CardRecord

    card = dumpmod.load(args.dump)
    trust = _trust_store(args.trust, include_default=not args.no_default_trust,
                         require_crl=args.require_crl)
    record = CardRecord.build(card.files, trust=trust, decode_photo=False)
    assert record.verification is not None
    trust_cli.note_seen(record.verification)
    ver = record.verification.to_json()
    if args.json:
        json.dump(ver, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_human({"files": record.files, "verification": ver,
                      "consistency": record.to_json()["consistency"]}, f"dump {args.dump}")
    return EXIT_OK if ver["verdict"] == "genuine" else EXIT_NOT_GENUINE


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
    if not args.trust:
        # the samples are signed by the synthetic test PKI; trust its CSCAs for the demo only
        pki = _samples_dir() / "pki"
        args.trust = [str(p) for p in sorted([*pki.glob("csca-*.der"), *pki.glob("csca-*.crl")])]
        print("demo: trusting the synthetic test CSCAs in samples/pki (never do this for real "
              "cards)", file=sys.stderr)
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


def cmd_conformance(args: argparse.Namespace) -> int:
    """The conformance catalogue over dumps (or a live chip); exit 0 only without an error-
    severity failure, so CI can gate a card batch on it."""
    from cccd_reader import conformance
    from cccd_reader.conformance_report import to_html, to_json, to_junit, to_text

    trust = _trust_store(args.trust, include_default=not args.no_default_trust,
                         require_crl=args.require_crl)
    qr = None
    if args.qr:
        from cccd_reader.qr import qr_from_argument

        qr = qr_from_argument(args.qr)[0]
    if not args.live and not args.paths:
        print("error: give dumps or directories to check, or --live with --reader or --sim",
              file=sys.stderr)
        return EXIT_USAGE
    report = conformance.run(args.paths, trust=trust, qr=qr)
    if args.live:
        if args.sim:
            card = dumpmod.load(args.sim)
            key = _access_key(args, fallback=card)
            name = f"virtual chip ({args.sim})"

            def connect() -> Transport:
                return _sim_transport(card)
        else:
            key = _access_key(args)
            first, name = _pcsc_transport(args.reader)
            first.close()

            def connect() -> Transport:
                return _pcsc_transport(name)[0]
        report.suites.append(conformance.check_live(connect, key, trust=trust, name=name, qr=qr))
    if args.junit:
        Path(args.junit).write_text(to_junit(report), encoding="utf-8")
    if args.html:
        Path(args.html).write_text(to_html(report), encoding="utf-8")
    sys.stdout.write(to_json(report) if args.json else to_text(report, verbose=args.verbose > 0))
    return EXIT_OK if report.conformant else EXIT_NOT_GENUINE


def _wait_for_card(reader_name: str, timeout: float = 5.0) -> None:
    from cccd_reader.iso7816.pcsc import reader_status

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(r.name == reader_name and r.card_present for r in reader_status()):
            return
        time.sleep(0.05)
    raise TransportError(f"the virtual card did not appear in {reader_name}")


# ---------------------------------------------------------------------- wiring


def _add_trust_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--trust", action="append", metavar="PATH",
                   help="CSCA/DSC certificates, master lists or CRLs (file or directory; "
                        "repeatable); the default trust directory (`cccd trust list`) is "
                        "always read")
    p.add_argument("--no-default-trust", action="store_true",
                   help="do not read the default trust directory")
    p.add_argument("--require-crl", action="store_true",
                   help="genuine only with a current CRL from the CSCA (default: a missing "
                        "CRL is reported as 'revocation not checked')")


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
    p.add_argument("--qr", metavar="IMAGE_OR_TEXT",
                   help="open the chip with the keys from the card's QR (image, text or -) "
                        "and cross-check the QR against the chip")
    p.add_argument("--sim-key", action="store_true",
                   help="with --sim: use the access data stored in the dump")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--out", metavar="DIR", help="write the raw files as a cccd-dump/1 directory")
    _add_trust_args(p)
    p.set_defaults(func=cmd_read)

    p = sub.add_parser("qr", help="decode and parse a card's QR code")
    p.add_argument("source", metavar="IMAGE_OR_TEXT", help="image file, QR text, or - (stdin)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_qr)

    p = sub.add_parser("show", help="show a dump's content and checks")
    p.add_argument("dump")
    p.add_argument("--json", action="store_true")
    p.add_argument("--photo", action="store_true", help="include the photo bytes (base64)")
    _add_trust_args(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("verify", help="verify a dump offline (exit 0 only when genuine)")
    p.add_argument("dump")
    p.add_argument("--json", action="store_true")
    _add_trust_args(p)
    p.set_defaults(func=cmd_verify)

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
    _add_trust_args(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "conformance", help="check dumps (or a live chip) against the conformance catalogue"
    )
    p.add_argument("paths", nargs="*", metavar="DUMP_OR_DIR",
                   help="dumps, or directories searched recursively for dumps")
    p.add_argument("--junit", metavar="FILE", help="write JUnit XML (one testsuite per card)")
    p.add_argument("--html", metavar="FILE", help="write a self-contained HTML report")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--qr", metavar="IMAGE_OR_TEXT", help="cross-check the card's QR as well")
    p.add_argument("--live", action="store_true",
                   help="also check a chip (--reader NAME or --sim DUMP), protocol probes included")
    live = p.add_mutually_exclusive_group()
    live.add_argument("--reader", help="with --live: PC/SC reader name")
    live.add_argument("--sim", metavar="DUMP",
                      help="with --live: a virtual chip serving DUMP (its access data is the "
                           "default key)")
    _add_key_args(p)
    _add_trust_args(p)
    p.set_defaults(func=cmd_conformance)

    trust_cli.register(sub)
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
