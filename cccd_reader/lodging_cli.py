"""``cccd lodging DUMP... --out DIR``: the portal's lodging workbooks from dumps of reads.

Writes ``DIR/luu-tru-viet-nam.xlsx`` (Vietnamese citizens) and/or ``DIR/khai-bao-tam-tru.xlsx``
(foreigners), 0600, never through a symbolic link, an existing file only with ``--force``.
Exit 0 even when cells are flagged (the flags are printed, or listed in ``--json``), 2 on bad
usage, 5 when a dump cannot be read, 1 when a file cannot be written.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from typing import Any

EXIT_OK, EXIT_USAGE = 0, 2
#: A group never needs more; bounds the work a mistaken glob can cause.
MAX_DUMPS = 5000
MAX_TEXT = 255


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _text(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise argparse.ArgumentTypeError(f"longer than {MAX_TEXT} characters")
    return text


def register(sub: Any) -> None:
    """Add ``cccd lodging`` to the CLI's sub-parsers."""
    p = sub.add_parser("lodging", help="fill the police portal's lodging workbooks "
                                       "(thông báo lưu trú / khai báo tạm trú) from dumps")
    p.add_argument("dumps", nargs="+", metavar="DUMP")
    p.add_argument("--out", required=True, metavar="DIR", help="directory for the workbooks")
    p.add_argument("--arrival", required=True, type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--departure", required=True, type=_date, metavar="YYYY-MM-DD",
                   help="expected departure")
    p.add_argument("--checkout", type=_date, metavar="YYYY-MM-DD",
                   help="check-out date (foreigners' workbook)")
    p.add_argument("--permitted-until", type=_date, metavar="YYYY-MM-DD",
                   help="end of the permitted stay in Viet Nam (foreigners' workbook)")
    p.add_argument("--room", type=_text, default="", metavar="TEXT", help="room or ward")
    p.add_argument("--reason", default="", metavar="N",
                   help="reason for the stay: a code of the workbook's list (1 Du lịch, …)")
    p.add_argument("--reason-text", type=_text, default="", metavar="TEXT",
                   help="the reason in words (required with the 'other purpose' code)")
    p.add_argument("--force", action="store_true", help="replace existing workbooks")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_lodging)


def _usage(message: str) -> int:
    """Bad usage: one line on stderr, exit 2 (as ``cccd trust`` does: this module is also
    reached through ``python -m cccd_reader.cli``, where the CLI's own classes are another
    copy, so it reports rather than raising the CLI's ``UsageError``)."""
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE


def cmd_lodging(args: argparse.Namespace) -> int:
    from cccd_reader import dump as dumpmod
    from cccd_reader.lodging import VIETNAM, Stay, export, guest_row, load
    from cccd_reader.record import CardRecord

    if len(args.dumps) > MAX_DUMPS:
        return _usage(f"at most {MAX_DUMPS} dumps at once")
    if args.departure < args.arrival:
        return _usage("--departure is before --arrival")
    for name in ("checkout", "permitted_until"):
        value = getattr(args, name)
        if value is not None and value < args.arrival:
            return _usage(f"--{name.replace('_', '-')} is before --arrival")
    books = load()
    reasons = books[VIETNAM].list("reason")
    if args.reason and reasons.get(args.reason) is None:
        return _usage(f"--reason {args.reason!r} is not in the workbook's list (codes "
                      f"{reasons.entries[0].code}-{reasons.entries[-1].code})")
    other = books[VIETNAM].layout.other_reason  # "Mục đích khác" (other purpose)
    if other and args.reason == other and not args.reason_text.strip():
        return _usage(f"--reason {other} needs --reason-text")
    stay = Stay(arrival=args.arrival, departure=args.departure, checkout=args.checkout,
                permitted_until=args.permitted_until, room=args.room, reason=args.reason,
                reason_text=args.reason_text)
    guests = []
    for path in args.dumps:
        card = dumpmod.load(path)  # DumpError: exit 5
        record = CardRecord.from_files(card.files, decode_photo=False)
        guests.append(guest_row(record, stay, books))
    result = export(guests, args.out, force=args.force, books=books)
    if args.json:
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    for f in result.files:
        print(f"{f.path}: {f.rows} guest(s)")
    for rf in result.flags:
        cell = f"{rf.column}{rf.row}" if rf.column else f"row {rf.row}"
        where = f"{rf.file.name} {cell}"
        line = f"check {where} ({rf.header or rf.flag.field}): {rf.flag.message('vi')}"
        if rf.flag.candidates:
            line += " — " + "; ".join(rf.flag.candidates)
        print(line)
    return EXIT_OK
