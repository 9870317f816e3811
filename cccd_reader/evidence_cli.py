"""``cccd evidence verify`` and the evidence half of ``cccd read --evidence``.

The server's side (``verify``) runs where a bank's server runs: it needs only the package,
the bank's own trust anchors and the challenge the server chose. Exit codes as ``cccd
verify``: 0 genuine, 6 anything else (the report says what was and was not re-proven), 5 a
package or trust file that cannot be used, 2 a challenge that cannot be right.
"""

from __future__ import annotations

import argparse
import binascii
import json
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cccd_reader.evidence.check import EvidenceReport
    from cccd_reader.service import ReadOutcome

EXIT_OK, EXIT_USAGE, EXIT_NOT_GENUINE = 0, 2, 6
#: Active Authentication's challenge (ICAO 9303-11 §6.1: RND.IFD, 8 bytes).
CHALLENGE_BYTES = 8
_HEX = re.compile(r"^[0-9A-Fa-f]+$")


class ChallengeSyntaxError(ValueError):
    """A challenge given on the command line is neither hex nor base64 of the right length."""


def parse_challenge(text: str, *, length: int | None = CHALLENGE_BYTES) -> bytes:
    """Hex (``0011…``) or base64 text as bytes; ``length`` (8 for a read) when given."""
    value = text.strip()
    data: bytes | None = None
    if _HEX.match(value) and len(value) % 2 == 0:
        data = bytes.fromhex(value)
        if length is not None and len(data) != length:
            data = None
    if data is None:
        try:
            data = binascii.a2b_base64(value.encode("ascii"), strict_mode=True)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            data = None
    if not data or (length is not None and len(data) != length) or len(data) > 64:
        size = f"{length} bytes" if length is not None else "at most 64 bytes"
        raise ChallengeSyntaxError(f"the challenge must be {size} in hex or base64")
    return data


def write_package(outcome: ReadOutcome, path: str, *, aa_challenge: bytes | None,
                  overwrite: bool = False) -> str:
    """``cccd read --evidence``: the read's package, written 0600; returns a line for stderr."""
    from cccd_reader import evidence

    package = evidence.from_outcome(outcome, aa_challenge=aa_challenge, component="cli")
    evidence.save(package, path, overwrite=overwrite)
    aa = package.active_auth
    what = ("with the chip's signature over your challenge" if aa.reason == "included"
            else f"without Active Authentication: {aa.note}")
    return (f"evidence package written to {path} ({what}; personal data: 0600; no online check "
            "with the Ministry's service was made)")


def _symbol(status: str) -> str:
    return {"pass": "✔", "fail": "✘", "skipped": "–", "unsupported": "?"}.get(status, "?")


def _print_report(report: EvidenceReport, source: str) -> None:
    from cccd_reader.evidence.messages import TEMPLATES, render

    package = report.package
    producer = package.producer
    read_at = package.read_at.isoformat() if package.read_at else "unknown"
    print(f"Evidence package {source}: from {producer.software} {producer.version} "
          f"({producer.component}), read at {read_at} (counter clock)")
    print(f"Kết luận của máy chủ / Server verdict: {report.verdict} "
          f"(dữ liệu / data: {report.data_verdict}; tại quầy / counter: "
          f"{report.counter_verdict})")
    print("Checks:")
    for check in report.checks:
        line = f"  {_symbol(check.status)} {check.name}: {check.status}"
        if not check.required:
            line += " (note)"
        print(line)
        if check.code in TEMPLATES:
            print(f"      {render(check.code, check.params, 'vi')}")
        print(f"      {check.detail}")
    print("Không chứng minh lại được / Not re-proven:")
    for finding in report.not_reproven:
        print(f"  - {finding.detail('vi')}")
        print(f"    {finding.detail()}")


def cmd_verify(args: argparse.Namespace) -> int:
    from cccd_reader import evidence

    challenge: bytes | None = None
    if args.challenge is not None:
        try:
            challenge = parse_challenge(args.challenge, length=None)
        except ChallengeSyntaxError as exc:
            print(f"error: --challenge: {exc}", file=sys.stderr)
            return EXIT_USAGE
    package = evidence.load(args.file)
    trust = args.load_trust(args.trust, include_default=not args.no_default_trust,
                            require_crl=args.require_crl)
    report = evidence.verify_package(package, trust, challenge=challenge)
    if args.json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_report(report, args.file)
    return EXIT_OK if report.verdict == "genuine" else EXIT_NOT_GENUINE


def register(sub: Any, *, add_trust_args: Callable[[argparse.ArgumentParser], None],
             load_trust: Callable[..., Any]) -> None:
    """Add ``cccd evidence`` to the CLI's sub-parsers (trust options and loading are the
    CLI's own, passed in, so this module does not import the CLI)."""
    p = sub.add_parser("evidence", help="check an evidence package (a bank's server side)")
    cmds = p.add_subparsers(dest="evidence_command", required=True)
    q = cmds.add_parser(
        "verify", help="re-run passive authentication and Active Authentication on a package "
                       "(exit 0 only when genuine)")
    q.add_argument("file", metavar="FILE", help="a cccd-evidence/1 package")
    q.add_argument("--challenge", metavar="HEX_OR_BASE64",
                   help="the Active Authentication challenge your server chose for this "
                        "session (without it the chip's signature cannot count)")
    q.add_argument("--json", action="store_true", help="print the report as one JSON object")
    add_trust_args(q)
    q.set_defaults(func=cmd_verify, load_trust=load_trust)
