"""``cccd trust``: manage the default trust directory (list, import, pin, remove, check, seen).

The trust directory is :func:`cccd_reader.pki.trust.trust_dir` (per OS via platformdirs;
``--dir`` or ``CCCD_TRUST_DIR`` override it); the directory of earlier releases,
``~/.config/cccd-reader/trust``, is still read by ``cccd verify`` and listed here when it exists.

Exit codes (as the README): 0 success, 2 usage or confirmation refused, 5 a file refused as
malformed or useless (each named with the reason), 7 ``check``: something needs attention.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cccd_reader.errors import CccdError

if TYPE_CHECKING:  # the trust modules load only when a trust command runs (cli start-up time)
    from cccd_reader.pki.trust import Cert, Crl, TrustStore

EXIT_OK, EXIT_USAGE, EXIT_INPUT = 0, 2, 5
#: ``cccd trust check``: a CRL is stale, an anchor expires soon, or trust material is unusable.
EXIT_ATTENTION = 7


def _dir(args: argparse.Namespace) -> Path:
    from cccd_reader.pki.trust import trust_dir

    return Path(args.dir) if args.dir else trust_dir()


def _load(args: argparse.Namespace) -> TrustStore:
    from cccd_reader.pki.trust import TrustStore, default_trust_dirs

    store = TrustStore()
    directories = [Path(args.dir)] if args.dir else default_trust_dirs()
    for directory in directories:
        if directory.is_dir():
            store.add_directory(directory)
    store.cscas  # noqa: B018 - parse everything, so every unreadable entry is named
    return store


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "-"


def _cert_json(cert: Cert) -> dict[str, Any]:
    return {
        "country": cert.country or cert.issuer_country or "",
        "subject": cert.subject.human_friendly,
        "serial": f"{cert.serial:X}",
        "not_before": cert.not_before.isoformat(),
        "not_after": cert.not_after.isoformat(),
        "sha256": cert.fingerprint,
        "source": cert.source,
    }


def _crl_json(crl: Crl, now: datetime) -> dict[str, Any]:
    why = crl.not_current(now)
    return {
        "issuer": crl.issuer.human_friendly,
        "this_update": crl.this_update.isoformat(),
        "next_update": crl.next_update.isoformat() if crl.next_update else None,
        "stale": why is not None,
        "why": why,
        "source": crl.source,
    }


def summary(store: TrustStore, now: datetime | None = None) -> dict[str, Any]:
    """The store as JSON: what ``cccd trust list --json`` prints and the desktop renders."""
    now = now or datetime.now(UTC)
    usage = {r.source: store.master_list_usage(r) for r in store.master_lists}
    for link in store.links:
        store.link_state(link)  # names each refused link certificate in the warnings
    return {
        "anchors": [_cert_json(c) for c in store.cscas],
        "link_certificates": [_cert_json(c) for c in store.links],
        "pinned_signers": [_cert_json(c) for c in store.pinned_dscs],
        "master_lists": [
            {"source": r.source, "signer": r.signer, "listed": r.listed,
             "trusted_certificates": r.certificates, "verified": r.trusted,
             "signer_validity": r.signer_validity, "detail": r.detail,
             "used": usage[r.source][0], "skipped": usage[r.source][1]}
            for r in store.master_lists
        ],
        "crls": [_crl_json(c, now) for c in store.crls],
        "warnings": list(store.warnings),
    }


def cmd_list(args: argparse.Namespace) -> int:
    doc = summary(_load(args))
    if args.json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    p = print
    p(f"Trust directory {_dir(args)}")
    for title, key in (("Anchors (CSCA)", "anchors"), ("Link certificates", "link_certificates"),
                       ("Pinned document signers", "pinned_signers")):
        p(f"{title}: {len(doc[key])}")
        for c in doc[key]:
            p(f"  {c['country']:<3} {c['subject']}  {c['not_before'][:10]}..{c['not_after'][:10]}"
              f"  SHA-256 {c['sha256']}  ({c['source']})")
    p(f"Master lists: {len(doc['master_lists'])}")
    for m in doc["master_lists"]:
        state = "verified" if m["verified"] else "NOT trusted"
        p(f"  {m['source']}: {state}, {m['listed']} certificates: {m['used']} used, "
          f"{m['skipped']} skipped; signer {m['signer']}")
    p(f"CRLs: {len(doc['crls'])}")
    for c in doc["crls"]:
        state = f"STALE ({c['why']})" if c["stale"] else "current"
        p(f"  {c['issuer']}: this update {c['this_update'][:10]}, next update "
          f"{(c['next_update'] or '-')[:10]}, {state}  ({c['source']})")
    for warning in doc["warnings"]:
        p(f"warning: {warning}")
    return EXIT_OK


def _atomic_copy(data: bytes, target: Path) -> None:
    from cccd_reader.pki.trust import TrustError

    if target.is_symlink():
        raise TrustError(f"{target} is a symlink; refusing to write through it")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        os.fchmod(fd, 0o644)  # public certificates
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _refusal(path: Path, current: TrustStore) -> tuple[str | None, list[str]]:
    """Why ``path`` would be useless or harmful in the trust directory (None: import it),
    and the warnings it comes with.

    A master list is taken as it is: refused whole only when the list itself fails (its
    signature, its signer's chain, a size cap); each unusable certificate in it is a warning
    (file, index, subject, reason) and the others count."""
    from cccd_reader.pki.trust import TrustStore

    trial = TrustStore()
    for cert in current.cscas:
        trial.add_certificate(cert.der, source=cert.source, role="csca")
    before = len(trial.warnings)
    try:
        trial.add_file(path)
    except CccdError as exc:
        return str(exc), []
    if path.suffix.lower() == ".ml":
        report = trial.master_lists[-1]
        if not report.trusted:
            return f"master list would be ignored: {report.detail}", []
        used, _ = trial.master_list_usage(report)
        if not used:
            return "master list holds no usable certificate", trial.warnings[before:]
        return None, trial.warnings[before:]
    trial.cscas  # noqa: B018 - parse every certificate now
    new_warnings = trial.warnings[before:]
    if new_warnings:
        return "; ".join(new_warnings), []
    for crl in trial.crls:
        if not any(crl.verified_by(c) is None for c in trial.cscas + trial.links):
            return "CRL would be ignored: no CSCA of the trust store signed it", []
    def mine(certs: list[Cert]) -> list[Cert]:
        return [c for c in certs if c.source == str(path) or c.source.startswith(f"{path}#")]

    if mine(trial.pinned_dscs):
        return "a Document Signer certificate: pin it with `cccd trust pin` after confirming it", []
    notes: list[str] = []
    for link in mine(trial.links):
        state = trial.link_state(link)
        if state.state == "refused":
            return f"link certificate {link.describe()} would be refused: {state.detail}", []
        if state.state == "own":
            notes.append(f"{path}: {state.detail}")
    return None, notes


def import_file(path: Path, directory: Path, current: TrustStore) -> tuple[Path | None, str]:
    """Validate ``path`` against ``current`` (the store of ``directory``), then copy it in.

    Returns (where it was copied, "") or (None, why it was refused). ``current`` takes the new
    file in, so a CRL or link certificate later in a batch can rely on a CSCA before it. The
    desktop app's "import a file" uses this too."""
    target, reason, _ = import_checked(path, directory, current)
    return target, reason


def import_checked(
    path: Path, directory: Path, current: TrustStore
) -> tuple[Path | None, str, list[str]]:
    """:func:`import_file` with the warnings of an imported file (a master list's unusable
    certificates, a link certificate anchoring its own key)."""
    reason, warnings = _refusal(path, current)
    if reason is not None:
        return None, reason, warnings
    directory.mkdir(parents=True, exist_ok=True)
    data = path.read_bytes()
    target = directory / path.name
    if target.exists() and target.read_bytes() != data:
        target = directory / f"{target.stem}-{os.urandom(4).hex()}{target.suffix}"
    if not target.exists():
        _atomic_copy(data, target)
    current.add_file(target)
    return target, "", warnings


def cmd_import(args: argparse.Namespace) -> int:
    directory = _dir(args)
    current = _load(args)
    refused = 0
    for name in args.files:
        path = Path(name)
        target, reason, warnings = import_checked(path, directory, current)
        for warning in warnings:
            print(f"cccd: warning: {warning}", file=sys.stderr)
        if target is None:
            print(f"cccd: refused {path}: {reason}", file=sys.stderr)
            refused += 1
            continue
        print(f"imported {path} -> {target}")
        for report in current.master_lists:
            if report.source == str(target):
                # importing a list trusts whoever signed it: say who, to check out of band
                print(f"  master list signed by {report.signer} ({report.signer_chain}: "
                      f"{report.certificates} of {report.listed} certificates trusted)")
    return EXIT_INPUT if refused else EXIT_OK


def _pin_candidate(args: argparse.Namespace) -> Cert:
    from cccd_reader.pki.trust import Cert, TrustError
    from cccd_reader.pki.trust import seen as trust_seen

    source = args.source
    if Path(source).is_dir():
        from cccd_reader import dump as dumpmod
        from cccd_reader.verify import SOD_SIGNATURE, verify

        card = dumpmod.load(source)
        verification = verify(card.files, None)
        check = verification.check(SOD_SIGNATURE)
        if verification.dsc is None or check is None or check.status != "pass":
            detail = check.detail if check is not None else "no EF.SOD"
            raise TrustError(f"{source}: the document signer did not verify this card ({detail})")
        return verification.dsc
    wanted = source.lower()
    for seen in trust_seen.load_seen():
        if len(wanted) >= 8 and seen.fingerprint.startswith(wanted):
            return Cert.load(seen.certificate(), f"seen {seen.fingerprint[:16]}")
    raise TrustError(f"{source}: neither a dump directory nor a document signer seen")


def cmd_pin(args: argparse.Namespace) -> int:
    from cccd_reader.pki.trust import TrustError

    dsc = _pin_candidate(args)
    if dsc.is_ca:
        raise TrustError("that certificate is a CA, not a Document Signer; import it instead")
    print("Document signer to pin:")
    print(f"  subject  {dsc.subject.human_friendly}")
    print(f"  serial   {dsc.serial:X}")
    print(f"  validity {_when(dsc.not_before)} .. {_when(dsc.not_after)}")
    print(f"  SHA-256  {dsc.fingerprint}")
    if not args.yes:
        if not sys.stdin.isatty():
            print("cccd: not confirmed (use --yes in scripts)", file=sys.stderr)
            return EXIT_USAGE
        answer = input("Pin it? Confirm you checked the fingerprint out of band [y/N] ")
        if answer.strip().lower() not in ("y", "yes", "c", "có"):
            print("not pinned")
            return EXIT_USAGE
    directory = _dir(args)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"dsc-{dsc.fingerprint[:16]}.der"
    _atomic_copy(dsc.der, target)
    print(f"pinned -> {target}")
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    import hashlib

    from cccd_reader.pki.trust import TrustError, TrustStore

    wanted = args.fingerprint.lower().replace(":", "")
    if len(wanted) < 8:
        raise TrustError("give at least 8 hex digits of the SHA-256 fingerprint")
    directory = _dir(args)
    removed = 0
    for path in sorted(directory.iterdir()) if directory.is_dir() else []:
        if not path.is_file() or path.is_symlink():
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest().startswith(wanted):
            path.unlink()
            print(f"removed {path}")
            removed += 1
            continue
        single = TrustStore()
        try:
            single.add_file(path)
        except CccdError:
            continue
        certs = single.cscas + single.links + single.pinned_dscs
        hits = [c for c in certs if c.fingerprint.startswith(wanted)]
        if hits and len(certs) == 1 and not single.crls:
            path.unlink()
            print(f"removed {path} ({hits[0].describe()})")
            removed += 1
        elif hits:
            print(f"cccd: {path} holds {len(certs)} certificates including {hits[0].describe()}:"
                  " remove the whole file (its SHA-256) or edit it", file=sys.stderr)
            return EXIT_INPUT
    if not removed:
        print(f"cccd: nothing in {directory} has fingerprint {wanted}", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK


def attention(store: TrustStore, days: int, now: datetime | None = None) -> list[str]:
    """What a monitoring check reports: stale CRLs, anchors expiring within ``days``, expired
    anchors, and every warning of the store."""
    now = now or datetime.now(UTC)
    soon = now + timedelta(days=days)
    items = [f"warning: {w}" for w in store.warnings]
    for crl in store.crls:
        why = crl.not_current(now)
        if why is not None:
            items.append(f"CRL of '{crl.issuer.human_friendly}' ({crl.source}) is stale: {why}")
        elif crl.next_update is not None and crl.next_update < soon:
            items.append(f"CRL of '{crl.issuer.human_friendly}' ({crl.source}) is due for update "
                         f"on {_when(crl.next_update)}")
    for cert in store.cscas + store.links + store.pinned_dscs:
        if cert.not_after < soon:
            state = "expired" if cert.not_after < now else "expires"
            items.append(f"{cert.source}: {state} on {_when(cert.not_after)}: {cert.describe()}")
    return items


def cmd_check(args: argparse.Namespace) -> int:
    items = attention(_load(args), args.days)
    for item in items:
        print(item)
    if not items:
        print("trust store OK")
    return EXIT_ATTENTION if items else EXIT_OK


def cmd_seen(args: argparse.Namespace) -> int:
    from cccd_reader.pki.trust import seen as trust_seen

    if args.enable or args.disable:
        trust_seen.set_enabled(bool(args.enable))
        print("recording document signers seen: " + ("on" if args.enable else "off"))
        return EXIT_OK
    signers = trust_seen.load_seen()
    if args.json:
        json.dump({"enabled": trust_seen.enabled(),
                   "signers": [{k: v for k, v in vars(s).items() if k != "der_b64"}
                               for s in signers]},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    print(f"Recording: {'on' if trust_seen.enabled() else 'off'} "
          f"({trust_seen.data_dir() / trust_seen.SEEN_FILE})")
    for s in signers:
        print(f"  {s.country:<3} {s.subject}  serial {s.serial}  {s.not_before[:10]}.."
              f"{s.not_after[:10]}  seen {s.count}x {s.first_seen[:10]}..{s.last_seen[:10]}"
              f"  SHA-256 {s.fingerprint}")
    return EXIT_OK


def note_seen(verification: Any) -> None:
    """Record the read's document signer when recording is on and its signature verified.
    Never fails the read: a problem with the record is one line on stderr."""
    try:
        if verification is None:
            return
        from cccd_reader.pki.trust import seen as trust_seen

        if not trust_seen.enabled():
            return
        from cccd_reader.verify import SOD_SIGNATURE

        check = verification.check(SOD_SIGNATURE)
        if verification.dsc is not None and check is not None and check.status == "pass":
            trust_seen.record_seen(verification.dsc)
    except (CccdError, OSError) as exc:
        print(f"cccd: document signers seen not recorded: {exc}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Dispatch with this subcommand's exit codes: a refused input is 5 and names the file."""
    from cccd_reader.pki.trust import TrustError

    try:
        code: int = args.trust_func(args)
        return code
    except TrustError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return EXIT_INPUT


def register(sub: Any) -> None:
    """Add ``cccd trust`` to the CLI's sub-parsers."""
    p = sub.add_parser("trust", help="manage the trust directory (CSCAs, master lists, CRLs, "
                                     "pinned signers)")
    p.add_argument("--dir", help="trust directory (default: the per-user one; see docs/trust.md)")
    p.set_defaults(func=run)
    cmds = p.add_subparsers(dest="trust_command", required=True)
    q = cmds.add_parser("list", help="anchors, master lists, CRLs and pinned signers")
    q.add_argument("--json", action="store_true")
    q.set_defaults(trust_func=cmd_list)
    q = cmds.add_parser("import", help="validate, then copy trust files in")
    q.add_argument("files", nargs="+", metavar="FILE")
    q.set_defaults(trust_func=cmd_import)
    q = cmds.add_parser("pin", help="pin the document signer of a dump (or one seen)")
    q.add_argument("source", metavar="DUMP_OR_FINGERPRINT")
    q.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    q.set_defaults(trust_func=cmd_pin)
    q = cmds.add_parser("remove", help="remove the file holding a certificate (SHA-256)")
    q.add_argument("fingerprint")
    q.set_defaults(trust_func=cmd_remove)
    q = cmds.add_parser("check", help="exit 7 when a CRL is stale or an anchor expires soon")
    q.add_argument("--days", type=int, default=30)
    q.set_defaults(trust_func=cmd_check)
    q = cmds.add_parser("seen", help="document signers seen on verified cards")
    q.add_argument("--json", action="store_true")
    onoff = q.add_mutually_exclusive_group()
    onoff.add_argument("--enable", action="store_true", help="start recording")
    onoff.add_argument("--disable", action="store_true", help="stop recording")
    q.set_defaults(trust_func=cmd_seen)
