"""The ``cccd`` command line.

Exit codes: 0 success, 1 other error (an output that cannot be written included), 2 usage (an
access key that cannot be right is refused here, before anything reaches the chip), 3 access
denied / protocol refused, 4 reader or card link problem (removed card, MAC failure, no reader),
5 malformed input (dump, trust file, data, image), 6 not genuine / not conformant / face
check refused.
Errors are one readable line on stderr, never a traceback.

Keys stay off the command line when asked: ``--mrz -``, ``--can -``, ``--id -`` (and ``--qr -``)
read the key from standard input, with a prompt that does not echo when it is a terminal; the
environment variables of :data:`KEY_ENV` are read when no key option is given; with neither,
an interactive session is prompted (no echo). ``/proc/PID/cmdline`` is readable by every local
user, the environment and standard input are not.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cccd_reader import dump as dumpmod
from cccd_reader import evidence_cli, face_cli, lodging_cli, trust_cli
from cccd_reader import samples as samplesmod
from cccd_reader.access.key import AccessKey
from cccd_reader.errors import (
    AccessError,
    CardError,
    CccdError,
    ParseError,
    ReadIncompleteError,
    SecureMessagingError,
    TransportError,
)
from cccd_reader.iso7816.transport import Transport
from cccd_reader.private_files import write_private
from cccd_reader.service import read_and_verify

log = logging.getLogger("cccd_reader")

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_ACCESS, EXIT_LINK, EXIT_INPUT = 0, 1, 2, 3, 4, 5
#: `cccd verify`: the dump was checked and the verdict is not "genuine".
EXIT_NOT_GENUINE = 6


#: Where keys are read from when no key option is given (first set wins, in this order). The
#: environment of a process is readable only by its owner, unlike its command line.
KEY_ENV: dict[str, str] = {"mrz": "CCCD_MRZ", "can": "CCCD_CAN", "id": "CCCD_ID", "qr": "CCCD_QR"}
_KEY_LABELS = {"mrz": "MRZ", "can": "CAN (6 digits)", "id": "personal number (12 digits)",
               "qr": "QR text"}
#: A key read from standard input is short; this bounds a hostile or mistaken pipe.
MAX_STDIN_KEY = 4096


class UsageError(CccdError):
    """The command line cannot be right (exit 2); nothing was sent to a card."""

    code = "usage"


# ---------------------------------------------------------------------- output


def _check_trust_paths(paths: Sequence[str]) -> None:
    """Refuse before loading what cannot be a trust path: "" would mean the current directory,
    and a device such as /dev/zero is neither a file nor a directory."""
    from cccd_reader.pki.trust import TrustError

    for raw in paths:
        if not raw.strip():
            raise UsageError("--trust needs a path (an empty one would trust the current "
                             "directory)")
        try:
            st = os.stat(raw)
        except FileNotFoundError:
            raise TrustError(f"trust path {raw} does not exist", params={"path": raw}) from None
        except OSError as exc:
            raise TrustError(f"cannot read trust path {raw}: {exc.strerror}",
                             params={"path": raw}) from None
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
            raise TrustError(f"trust path {raw} is not a regular file or a directory",
                             params={"path": raw})


def _trust_store(
    paths: Sequence[str] | None, *, include_default: bool = True, require_crl: bool = False
) -> Any:
    from cccd_reader.pki.trust import TrustStore

    _check_trust_paths(paths or ())
    store = TrustStore.from_paths(paths or (), include_default=include_default)
    store.require_crl = require_crl
    for note in store.notes:
        log.info("trust: %s", note)
    for warning in store.warnings:
        print(f"cccd: trust warning: {warning}", file=sys.stderr)
    return store


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


def _print_aa_key(key: dict[str, Any]) -> None:
    """DG15's key, with what had to be read leniently (a negative RSA modulus)."""
    size = f"{key['key_type'].upper()}-{key['key_size']}"
    print(f"  AA key      {size}{' ' + key['curve'] if key.get('curve') else ''} (DG15)")
    for warning in key.get("warnings") or ():
        print(f"              {warning}")


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
            elif key == "date_of_expiry" and holder.get("lifetime"):
                p(f"  {label:<30} Không thời hạn / no expiry (lifetime card)")
    mrz = doc.get("mrz")
    if mrz:
        p(f"  MRZ         {mrz['document_code']} {mrz['issuing_state']} {mrz['document_number']}"
          f"  {mrz['names']}")
        lifetime = bool(holder and holder.get("lifetime"))
        expires = mrz["date_of_expiry"] or ("never (lifetime card)" if lifetime else "unknown")
        p(f"              born {mrz['date_of_birth']}, sex {mrz['sex']}, "
          f"nationality {mrz['nationality']}, expires {expires}")
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
    aa_key = doc.get("active_authentication_key")
    if aa_key:
        _print_aa_key(aa_key)
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


def _read_key_from_stdin(label: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(f"{label} (not shown): ").strip()
    text = sys.stdin.read(MAX_STDIN_KEY + 1)
    if len(text) > MAX_STDIN_KEY:
        raise UsageError(f"the {label} on standard input is longer than {MAX_STDIN_KEY} "
                         "characters")
    return text.strip()


def resolve_keys(args: argparse.Namespace, *, qr_is_key: bool = False) -> None:
    """Fill the key options from standard input ("-") or the environment (:data:`KEY_ENV`),
    so a key need never appear in the process's command line."""
    names = [n for n in ("mrz", "can", "id") if getattr(args, n, None) is not None]
    qr = getattr(args, "qr", None)
    from_stdin = [n for n in names if getattr(args, n) == "-"] + (["qr"] if qr == "-" else [])
    if len(from_stdin) > 1:
        raise UsageError(f"only one key can come from standard input ({', '.join(from_stdin)})")
    for name in names:
        if getattr(args, name) == "-":
            setattr(args, name, _read_key_from_stdin(_KEY_LABELS[name]))
    given = names or any(getattr(args, n, None) for n in ("doc_number", "birth", "expiry"))
    if given or (qr_is_key and qr):
        return
    for name, variable in KEY_ENV.items():
        value = os.environ.get(variable, "").strip()
        if not value or (name == "qr" and not qr_is_key):
            continue
        setattr(args, name, value)
        log.info("access key read from $%s", variable)
        return


def _prompt_key() -> AccessKey | None:
    """Ask at the terminal, without echo: 6 digits are a CAN, 12 a personal number, else MRZ."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None
    text = getpass.getpass("CAN, 12-digit personal number or MRZ (not shown): ").strip()
    if text.isdigit() and len(text) == 6:
        return AccessKey.from_can(text)
    if text.isdigit() and len(text) == 12:
        return AccessKey.from_personal_number(text)
    return AccessKey.from_mrz(text)


def _access_key(args: argparse.Namespace, fallback: dumpmod.CardDump | None = None) -> AccessKey:
    """The key from the options, validated before any card is touched: a key that cannot be
    right (an impossible date, a bad check digit, a wrong length) is a usage error (exit 2)
    and must not spend one of the chip's attempts."""
    try:
        return _access_key_unchecked(args, fallback)
    except ParseError as exc:
        raise UsageError(str(exc), params=exc.params) from None


def _access_key_unchecked(
    args: argparse.Namespace, fallback: dumpmod.CardDump | None = None
) -> AccessKey:
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
    prompted = _prompt_key()
    if prompted is not None:
        return prompted
    raise ParseError("give the access key: --mrz, or --doc-number/--birth/--expiry, --can, --id "
                     f"(\"-\" reads it from standard input; or set {', '.join(KEY_ENV.values())})")


def _sim_transport(card: dumpmod.CardDump) -> Transport:
    """``--sim``/``demo``: the only places the CLI reaches for the virtual chip."""
    import cccd_sim

    return cccd_sim.open_sim(card)


def _pcsc_transport(reader_name: str | None) -> tuple[Transport, str]:
    """The named reader (or the one holding a card), with its profile's limits."""
    from cccd_reader.readers import open_card_reader

    t = open_card_reader(reader_name)
    return t, t.reader_name


def _do_read(transport: Transport, key: AccessKey, source: str, args: argparse.Namespace) -> int:
    trust = _trust_store(getattr(args, "trust", None),
                         include_default=not getattr(args, "no_default_trust", False),
                         require_crl=getattr(args, "require_crl", False))
    recorder = None
    if getattr(args, "record", None):
        from cccd_reader.iso7816.transcript import RecordingTransport

        transport = recorder = RecordingTransport(transport)
    challenge = _evidence_request(args)
    try:
        outcome = read_and_verify(transport, key, trust=trust, aa_challenge=challenge)
    finally:
        if recorder is not None:  # a failed session is what a bug report needs most
            write_private(args.record, recorder.transcript.dumps(), force=True)
            print(f"transcript written to {args.record} (every APDU of the session; personal "
                  "data: 0600)", file=sys.stderr)
    trust_cli.note_seen(outcome.record.verification)
    doc = outcome.to_json()
    _write_evidence(outcome, args, challenge)
    if args.out:
        out = dumpmod.save(dumpmod.CardDump(files=dict(outcome.result.files)), args.out,
                           force=getattr(args, "force", False))
        print(f"dump written to {out} (personal data: 0600 files in a 0700 directory)",
              file=sys.stderr)
    if args.json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_human(doc, source)
    return EXIT_OK


def _evidence_request(args: argparse.Namespace) -> bytes | None:
    """``--evidence FILE [--aa-challenge HEX]``, checked before the card is touched."""
    evidence_path = getattr(args, "evidence", None)
    text = getattr(args, "aa_challenge", None)
    if text is not None and not evidence_path:
        raise UsageError("--aa-challenge needs --evidence FILE (the chip's signature is kept "
                         "only in the evidence package)")
    if evidence_path and os.path.lexists(evidence_path) and not getattr(args, "force", False):
        raise UsageError(f"{evidence_path} exists: choose a new file for --evidence (or --force)")
    if text is None:
        return None
    try:
        return evidence_cli.parse_challenge(text)
    except evidence_cli.ChallengeSyntaxError as exc:
        raise UsageError(f"--aa-challenge: {exc}") from None


def _write_evidence(outcome: Any, args: argparse.Namespace, challenge: bytes | None) -> None:
    if getattr(args, "evidence", None):
        print(evidence_cli.write_package(outcome, args.evidence, aa_challenge=challenge,
                                         overwrite=getattr(args, "force", False)),
              file=sys.stderr)


def cmd_read(args: argparse.Namespace) -> int:
    resolve_keys(args, qr_is_key=True)
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

    challenge = _evidence_request(args)
    outcome, attempts = read_with_qr(
        qr, connect,
        lambda t, k: read_and_verify(t, k, trust=trust, cross_checks=lambda r: crosscheck(qr, r),
                                     aa_challenge=challenge),
    )
    doc = outcome.to_json()
    doc["qr"] = qr_report(qr, None, attempts, decoded)
    _write_evidence(outcome, args, challenge)
    if args.out:
        out = dumpmod.save(dumpmod.CardDump(files=dict(outcome.result.files)), args.out,
                           force=getattr(args, "force", False))
        print(f"dump written to {out} (personal data: 0600 files in a 0700 directory)",
              file=sys.stderr)
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
    """Passive authentication of a dump; exit 0 only for a genuine verdict. Several dumps or
    a tree of them are a batch (:mod:`cccd_reader.batch_cli`): exit code the worst dump's."""
    from cccd_reader import batch_cli
    from cccd_reader.record import CardRecord

    problem = batch_cli.usage_problem(args)
    if problem:
        raise UsageError(problem)
    if batch_cli.is_batch(args):
        return batch_cli.verify_batch(args, _trust_store(
            args.trust, include_default=not args.no_default_trust, require_crl=args.require_crl))
    args.dump = args.dumps[0]
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
        doc = record.to_json()
        _print_human({"files": record.files, "verification": ver,
                      "consistency": doc["consistency"],
                      "active_authentication_key": doc["active_authentication_key"]},
                     f"dump {args.dump}")
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
    """A virtual card in a vpcd reader, misbehaving on request, for integrators' own tests."""
    from cccd_sim.pcscd import ensure_pcscd, reader_for_port
    from cccd_sim.simulate import SimulatedCard, SimulateOptionError, SimulateOptions
    from cccd_sim.vpcd import VpcdBridge

    card = dumpmod.load(args.dump)
    options = SimulateOptions(
        profile=args.profile, short_apdus=args.short_apdus, max_response=args.max_response,
        remove_at=args.remove_at, silent_at=args.silent_at,
        silent_seconds=args.silent_seconds, slow_ms=args.slow,
        corrupt_at=args.corrupt_at, clone=args.clone, hostile=args.hostile, target=args.target,
        extended=args.extended,
    )
    try:
        simulated = SimulatedCard(card, options)
    except SimulateOptionError as exc:
        raise UsageError(str(exc)) from None
    except ValueError as exc:  # e.g. a hostile target the dump does not hold
        raise UsageError(f"cannot build this virtual card: {exc}") from None
    except KeyError as exc:
        raise UsageError(f"the dump has no {exc.args[0]} to attack (--target)") from None
    ensure_pcscd()
    bridge = VpcdBridge(simulated, port=args.port)
    bridge.connect()
    print(f"virtual card {Path(args.dump).name} inserted in {reader_for_port(args.port)}; "
          "Ctrl-C removes it", file=sys.stderr)
    try:
        bridge.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        bridge.stop()
    if simulated.removed.is_set():
        print(f"the virtual card left the field at APDU {simulated.count}", file=sys.stderr)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """The main job: a full read of the built-in virtual card, through pcscd when possible."""
    resolve_keys(args)
    sample = Path(args.dump) if args.dump else samplesmod.sample_path(samplesmod.DEMO_SAMPLE)
    card = dumpmod.load(sample)
    if not args.trust:
        # the samples are signed by the synthetic test PKI; trust its CSCAs for the demo only
        args.trust = [str(p) for p in samplesmod.demo_trust_paths()]
        print("demo: trusting the synthetic test CSCAs in samples/pki (never do this for real "
              "cards)", file=sys.stderr)
    key = _access_key(args, fallback=card)
    if not args.in_process:
        from cccd_sim.cards import chip_for_dump
        from cccd_sim.pcscd import VPCD_BASE_PORT, ensure_pcscd, reader_for_port
        from cccd_sim.vpcd import VpcdBridge

        try:
            ensure_pcscd()
        except TransportError as exc:
            print(f"note: {exc}; reading the virtual card in process instead", file=sys.stderr)
        else:
            chip = chip_for_dump(card)
            port = VPCD_BASE_PORT + 1  # slot 01: leaves slot 00 to `cccd simulate`
            with VpcdBridge(chip, port=port):
                name = reader_for_port(port)
                transport = _wait_for_virtual_card(name, extended=chip.config.extended_length)
                return _do_read(transport, key, f"{name} (virtual card {sample.name}, pcscd)",
                                args)
    return _do_read(_sim_transport(card), key, f"virtual card {sample.name} (in process)", args)


def cmd_samples(args: argparse.Namespace) -> int:
    """Where the synthetic samples are (a checkout's or the installed copy), so a script can
    name them: ``cccd verify "$(cccd samples NAME)" --trust "$(cccd samples pki)"``."""
    if args.name:
        print(samplesmod.sample_path(args.name))
        return EXIT_OK
    found = samplesmod.list_samples()
    if args.json:
        print(json.dumps({"directory": str(samplesmod.samples_dir()),
                          "pki": str(samplesmod.pki_dir()),
                          "samples": [{"name": s.name, "path": str(s.path)} for s in found]},
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    for s in found:
        print(f"{s.name}\t{s.path}")
    print(f"{samplesmod.PKI}\t{samplesmod.pki_dir()}")
    return EXIT_OK


def cmd_conformance(args: argparse.Namespace) -> int:
    """The conformance catalogue over dumps (or a live chip); exit 0 only without an error-
    severity failure, so CI can gate a card batch on it."""
    from cccd_reader import conformance
    from cccd_reader.conformance import passes, to_html, to_json, to_junit, to_text

    resolve_keys(args)
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
    from cccd_reader import batch_cli
    from cccd_reader.conformance.results import ConformanceReport

    keep = bool(args.json or args.junit or args.html or args.live)
    problem = batch_cli.usage_problem(args, keep=keep)
    if problem:
        raise UsageError(problem)
    suites, code = batch_cli.conformance_suites(args, trust, qr, keep=keep)
    if not keep:
        return code
    report = ConformanceReport(suites)
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
        write_private(args.junit, to_junit(report, strict=args.strict), force=True)
    if args.html:
        write_private(args.html, to_html(report), force=True)
    sys.stdout.write(to_json(report) if args.json else to_text(report, verbose=args.verbose > 0))
    if code == batch_cli.EXIT_INTERRUPTED:
        return code
    from cccd_reader.batch import worst

    return worst((code, EXIT_OK if passes(report, strict=args.strict) else EXIT_NOT_GENUINE))


def cmd_serve(args: argparse.Namespace) -> int:
    """The local agent for web pages (``cccd_reader.agent``); runs until interrupted."""
    try:
        from cccd_reader.agent import AgentConfig, serve
        from cccd_reader.agent.app import normalize_origin
        from cccd_reader.agent.backend import Backend, PcscBackend
    except ImportError as exc:
        print(f"error: the agent needs its extra: pip install 'cccd-reader[agent]' ({exc.name})",
              file=sys.stderr)
        return EXIT_ERROR
    try:
        origins = [normalize_origin(o) for o in args.allow_origin or ()]
    except ValueError as exc:
        print(f"error: --allow-origin: {exc}", file=sys.stderr)
        return EXIT_USAGE
    token = _read_token_file(args.token_file) if args.token_file else None
    backend: Backend
    if args.sim:
        from cccd_sim.agent import SimBackend

        backend = SimBackend(args.sim)
    else:
        backend = PcscBackend()
    from cccd_reader.agent.webhooks import WebhookRefused, parse_target

    try:
        webhooks = [parse_target(u, args.webhook_allow_host or ()) for u in args.webhook or ()]
    except WebhookRefused as exc:
        print(f"error: --webhook: {exc}", file=sys.stderr)
        return EXIT_USAGE
    trust = _trust_store(args.trust, include_default=not args.no_default_trust)
    config = AgentConfig(port=args.port, host=args.host, allow_origins=origins, token=token,
                         reader=args.reader, trust=trust, backend=backend,
                         socketio_port=args.socketio_port,
                         socketio_allow_local=args.socketio_allow_local,
                         forward_not_genuine=args.forward_not_genuine, webhooks=webhooks,
                         webhook_format=args.webhook_format)
    if args.socketio_port is not None and token is None and not args.socketio_allow_local:
        print("warning: Socket.IO clients without an Origin (desktop HIS) need --token-file or "
              "--socketio-allow-local to connect", file=sys.stderr)

    def announce(port: int, sio_port: int | None = None) -> None:
        print(f"cccd agent on http://{args.host}:{port} ("
              f"{'virtual card ' + args.sim if args.sim else 'PC/SC'}; allowed origins: "
              f"{', '.join(origins) or 'none (programs only)'}; token: "
              f"{'required' if token else 'off'}"
              f"{f'; Socket.IO on http://{args.host}:{sio_port}' if sio_port else ''}"
              f"{f'; webhooks: {len(webhooks)}' if webhooks else ''}); Ctrl-C stops it",
              file=sys.stderr, flush=True)

    serve(config, announce=announce)
    return EXIT_OK


def _read_token_file(path: str) -> str:
    """The token from a file (never the command line, where any local user can read it)."""
    import os
    import stat

    try:
        st = os.stat(path)
        token = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ParseError(f"cannot read the token file: {type(exc).__name__}") from None
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        print("warning: the token file is readable by other users (chmod 600 it)",
              file=sys.stderr)
    if len(token) < 16 or len(token) > 512 or not token.isprintable() or " " in token:
        raise ParseError("the token file must hold one token of 16 to 512 printable characters")
    return token


def _wait_for_virtual_card(reader_name: str, *, extended: bool,
                           timeout: float = 5.0) -> Transport:
    """The demo's virtual card, once pcscd sees it in its vpcd slot (the chip says whether it
    carries extended APDUs)."""
    from cccd_reader.errors import NoCardError
    from cccd_reader.readers import wait_for_card

    try:
        return wait_for_card(reader_name, timeout, extended=extended)
    except NoCardError:
        raise TransportError(f"the virtual card did not appear in {reader_name}") from None


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
    g.add_argument("--mrz", help="the MRZ text (lines separated by newlines or spaces); - reads "
                                 "it from standard input (or set CCCD_MRZ)")
    g.add_argument("--doc-number", help="document number (with --birth and --expiry)")
    g.add_argument("--birth", help="date of birth YYMMDD")
    g.add_argument("--expiry", help="date of expiry YYMMDD (a lifetime card: 99 + birth month "
                                   "and day, e.g. 990229, else 991231)")
    g.add_argument("--can", help="6-digit card access number (PACE); - reads it from standard "
                                 "input (or set CCCD_CAN)")
    g.add_argument(
        "--id", help="12-digit Vietnamese personal number (its last 6 digits are the CAN); - "
                     "reads it from standard input (or set CCCD_ID)"
    )


def _version() -> str:
    from cccd_reader import __version__

    return __version__


def build_parser() -> argparse.ArgumentParser:
    from cccd_reader import batch_cli

    parser = argparse.ArgumentParser(
        prog="cccd", description="Read and verify Vietnamese CCCD cards and ICAO eMRTDs."
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (-vv: debug)")
    parser.add_argument("--version", action="version", version=f"cccd {_version()}")
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
    p.add_argument("--record", metavar="FILE",
                   help="also write the session's APDUs as a cccd-transcript/1 (for a bug "
                        "report; see docs/integrator-guide.md)")
    p.add_argument("--out", metavar="DIR",
                   help="write the raw files as a cccd-dump/1 directory (new or empty; 0700, "
                        "files 0600: the dump is personal data)")
    p.add_argument("--force", action="store_true",
                   help="with --out: replace the dump files already in DIR (nothing else is "
                        "removed); with --evidence: replace FILE")
    p.add_argument("--evidence", metavar="FILE",
                   help="also write a cccd-evidence/1 package for a bank's server (personal "
                        "data: 0600; see docs/bank-integrator-guide.md)")
    p.add_argument("--aa-challenge", metavar="HEX_OR_BASE64",
                   help="with --evidence: the 8-byte challenge your server chose; the chip "
                        "signs it (Active Authentication) and the package carries the signature")
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

    p = sub.add_parser("verify", help="verify dumps offline (exit 0 only when every one is "
                                      "genuine)")
    p.add_argument("dumps", nargs="+", metavar="DUMP_OR_DIR",
                   help="a dump, or directories searched recursively for dumps (a batch)")
    batch_cli.add_batch_args(p)
    p.add_argument("--json", action="store_true")
    _add_trust_args(p)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("simulate", help="insert a virtual card into pcscd's vpcd reader")
    p.add_argument("dump")
    p.add_argument("--port", type=int, default=35963, help="vpcd port (35963: Virtual PCD 00 00)")
    p.add_argument("--profile", metavar="NAME",
                   help="card profile (vn-cccd-2021, vn-cancuoc-2024, passport) instead of the "
                        "dump's own")
    p.add_argument("--extended", metavar="MODE",
                   choices=("yes", "no", "ef", "unknown", "unknown-6700", "unknown-silent"),
                   help="extended length as other chips treat it: yes / no (said in the ATR), "
                        "ef (said in EF.ATR/INFO), unknown (says nothing, takes it), "
                        "unknown-6700 (says nothing; 6700 in the clear, 6988 under SM), "
                        "unknown-silent (says nothing; mute for --silent-seconds)")
    g = p.add_argument_group("reader limits")
    g.add_argument("--short-apdus", action="store_true",
                   help="short APDUs only: extended-length commands are refused (6700)")
    g.add_argument("--max-response", type=int, metavar="BYTES",
                   help="at most BYTES (data + SW, secure messaging included) per READ BINARY "
                        "answer, e.g. 261 for a reader with a 271-byte CCID buffer")
    g = p.add_argument_group("faults (APDUs counted from power-on, 1 = first; each fires once)")
    g.add_argument("--remove-at", type=int, metavar="N",
                   help="the card leaves the field at APDU N (no answer)")
    g.add_argument("--silent-at", type=int, metavar="N",
                   help="APDU N gets no answer; after --silent-seconds the card leaves the field")
    g.add_argument("--silent-seconds", type=float, default=3.0, metavar="S",
                   help="how long a silent card keeps the client waiting (default 3)")
    g.add_argument("--slow", type=float, default=0.0, metavar="MS",
                   help="delay every answer by MS milliseconds")
    g.add_argument("--corrupt-at", type=int, metavar="N",
                   help="flip one bit of answer N (a bad MAC under secure messaging)")
    g = p.add_argument_group("hostile cards")
    g.add_argument("--clone", action="store_true",
                   help="a clone: same files, but not the AA/CA private keys (clone detection "
                        "fails)")
    g.add_argument("--hostile", metavar="MODE",
                   help="a lying chip: huge_length, length_beyond_file, nesting_bomb, "
                        "endless_file, empty_ok, oversized, wrong_mac, replay, ok_no_sm, "
                        "truncated_sm, loop_61, loop_6c, silent")
    g.add_argument("--target", default="DG2", metavar="FILE",
                   help="the file the file-content hostile modes attack (default DG2)")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("demo", help="read the built-in virtual card end to end")
    p.add_argument("dump", nargs="?", help="another sample dump to use")
    _add_key_args(p)
    p.add_argument(
        "--in-process", action="store_true", help="skip pcscd; talk to the chip directly"
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--out", metavar="DIR", help=argparse.SUPPRESS)
    p.add_argument("--force", action="store_true", help=argparse.SUPPRESS)
    _add_trust_args(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("samples", help="list the synthetic sample dumps and their test PKI")
    p.add_argument("name", nargs="?",
                   help="print only this sample's path (a listed name, or pki for the test PKI)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_samples)

    p = sub.add_parser(
        "conformance", help="check dumps (or a live chip) against the conformance catalogue"
    )
    p.add_argument("paths", nargs="*", metavar="DUMP_OR_DIR",
                   help="dumps, or directories searched recursively for dumps")
    p.add_argument("--junit", metavar="FILE", help="write JUnit XML (one testsuite per card)")
    p.add_argument("--html", metavar="FILE", help="write a self-contained HTML report")
    p.add_argument("--strict", action="store_true",
                   help="warnings fail too, in the exit code and in the JUnit XML alike")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--qr", metavar="IMAGE_OR_TEXT", help="cross-check the card's QR as well")
    p.add_argument("--live", action="store_true",
                   help="also check a chip (--reader NAME or --sim DUMP), protocol probes included")
    live = p.add_mutually_exclusive_group()
    live.add_argument("--reader", help="with --live: PC/SC reader name")
    live.add_argument("--sim", metavar="DUMP",
                      help="with --live: a virtual chip serving DUMP (its access data is the "
                           "default key)")
    batch_cli.add_batch_args(p)
    _add_key_args(p)
    _add_trust_args(p)
    p.set_defaults(func=cmd_conformance)
    p = sub.add_parser("serve", help="the local HTTP/WebSocket agent for web pages")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--host", default="127.0.0.1",
                   help="listen address (default 127.0.0.1; anything else is reachable from "
                        "other machines)")
    p.add_argument("--reader", help="default PC/SC reader for reads that do not name one")
    p.add_argument("--allow-origin", action="append", metavar="ORIGIN",
                   help="a web origin (scheme://host[:port]) allowed to call the agent; "
                        "repeatable")
    p.add_argument("--token-file", metavar="FILE",
                   help="require Authorization: Bearer <the token in FILE>")
    p.add_argument("--sim", metavar="DUMP", help="serve an in-process virtual card (demos)")
    p.add_argument("--socketio-port", type=int, metavar="PORT",
                   help="also serve the reader device's Socket.IO events (/event) on PORT, for "
                        "hospital software written for it (off by default)")
    p.add_argument("--socketio-allow-local", action="store_true",
                   help="admit Socket.IO clients that send no Origin without the token")
    p.add_argument("--forward-not-genuine", action="store_true",
                   help="send a not_genuine card's data to Socket.IO clients and webhooks too")
    p.add_argument("--webhook", action="append", metavar="URL",
                   help="POST each read to URL (repeatable; http:// to loopback only)")
    p.add_argument("--webhook-format", choices=("native", "device"), default="native",
                   help="the record JSON without access data (native) or the device app's "
                        "fields (device)")
    p.add_argument("--webhook-allow-host", action="append", metavar="HOST",
                   help="allow https:// webhooks to HOST (repeatable)")
    _add_trust_args(p)
    p.set_defaults(func=cmd_serve)

    trust_cli.register(sub)
    lodging_cli.register(sub)
    face_cli.register(sub, add_trust_args=_add_trust_args, trust_store=_trust_store)
    evidence_cli.register(sub, add_trust_args=_add_trust_args, load_trust=_trust_store)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        code: int = args.func(args)
        sys.stdout.flush()  # a full disk or a closed pipe must fail here, not at exit
        return code
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
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
        return EXIT_INPUT if _is_trust_error(exc) else EXIT_ERROR
    except OSError as exc:  # standard output on a full device, a closed pipe, ...
        _silence_stdout()
        where = "standard output" if exc.filename is None else str(exc.filename)
        print(f"error: cannot write {where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _is_trust_error(exc: CccdError) -> bool:
    """A trust file or path that cannot be used is malformed input (exit 5)."""
    from cccd_reader.pki.trust import TrustError

    return isinstance(exc, TrustError)


def _silence_stdout() -> None:
    """After stdout failed, point it at /dev/null so the interpreter's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
