"""A small integrator program: a registration counter that reads Vietnamese ID cards.

It uses only the package root (``import cccd_reader``), passes ``mypy --strict``, and is run
by the tests in process, through pcscd and from an installed wheel.

    python counter.py --id 001190012345 --reader "Virtual PCD 00 00"     # wait for a tap, read
    python counter.py --id 001190012345 --reader PICC --service --taps 2 # a service with events
    python counter.py --id 001190012345 --sim DUMP                       # the virtual chip

Exit status: 0 the card was read and is genuine, 1 read but not genuine, 3 the card refused
the number, 4 no card / reader trouble, 5 anything else the library raised.
"""

from __future__ import annotations

import argparse
import queue
import sys
from collections.abc import Sequence

import cccd_reader
import cccd_sim
from cccd_reader import AccessKey, CardRecord, CardService, ReaderEvent


def describe(record: CardRecord) -> str:
    """One line for the clerk: who, until when, and whether the chip proved it."""
    holder = record.holder
    if holder is not None:
        who = f"{holder.full_name} ({holder.personal_number}, {holder.sex_code or '?'})"
    elif record.mrz is not None:
        who = f"{record.mrz.names} ({record.mrz.document_number})"
    else:
        who = "unknown holder"
    expiry = record.date_of_expiry
    valid = "no expiry (lifetime)" if record.lifetime else (
        f"valid until {expiry.isoformat()}" if expiry is not None else "expiry unknown")
    return f"{who}; {valid}; verdict {record.verdict}"


def exit_code(error: Exception) -> int:
    if isinstance(error, cccd_reader.AccessDeniedError | cccd_reader.ProtocolNotSupportedError):
        return 3
    if isinstance(error, cccd_reader.TransportError):
        return 4
    return 5


def read_once(transport: cccd_reader.Transport, key: AccessKey, trust: list[str]) -> int:
    """Read one card and print it; errors are one line, never a traceback."""
    try:
        record = cccd_reader.read(transport, key, trust=trust)
    except cccd_reader.CccdError as exc:
        print(f"error [{exc.code}]: {exc}", file=sys.stderr)
        return exit_code(exc)
    print(describe(record))
    return 0 if record.verdict == "genuine" else 1


def run_service(reader: str, key: AccessKey, trust: list[str], taps: int) -> int:
    """Counter mode: read every tap on ``reader`` until ``taps`` cards have been shown."""
    events: queue.Queue[ReaderEvent] = queue.Queue()   # hand-over from the service thread
    status = 0
    done = 0

    def ours(name: str) -> bool:                       # events carry full reader names
        return reader.lower() in name.lower()

    def key_provider(name: str) -> AccessKey | None:   # runs on the tap's worker thread
        return key if ours(name) else None

    with CardService(events.put, key_provider, trust=trust):
        print(f"tap a card on {reader}", flush=True)
        while done < taps:
            event = events.get()                       # this (main) thread plays the UI
            if not ours(event.reader):
                continue
            match event:                               # one class per kind: typed payloads
                case cccd_reader.CardPresentEvent():
                    print("reading...", flush=True)
                case cccd_reader.RecordReadyEvent(record=record):
                    print(describe(record), flush=True)
                    status = max(status, 0 if record.verdict == "genuine" else 1)
                case cccd_reader.ErrorEvent(error=error):
                    print(f"error: {error}", file=sys.stderr, flush=True)
                    status = max(status, exit_code(error))
                case cccd_reader.CardRemovedEvent():
                    done += 1
                    print("card removed", flush=True)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--id", required=True, help="the 12-digit personal number")
    parser.add_argument("--reader", help="PC/SC reader name, or a unique part of it")
    parser.add_argument("--sim", metavar="DUMP", help="read a virtual chip serving DUMP")
    parser.add_argument("--trust", action="append", default=[], metavar="PATH")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a card")
    parser.add_argument("--service", action="store_true", help="run as a service with events")
    parser.add_argument("--taps", type=int, default=1, help="service: cards to read, then stop")
    args = parser.parse_args(argv)
    try:
        key = AccessKey.from_personal_number(args.id)
    except cccd_reader.ParseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.sim:
        return read_once(cccd_sim.open_sim(args.sim), key, args.trust)
    if not args.reader:
        parser.error("give --reader (see `cccd readers`) or --sim DUMP")
    if args.service:
        return run_service(args.reader, key, args.trust, args.taps)
    try:
        transport = cccd_reader.wait_for_card(args.reader, timeout=args.timeout)
    except cccd_reader.CccdError as exc:
        print(f"error [{exc.code}]: {exc}", file=sys.stderr)
        return exit_code(exc)
    with transport:
        return read_once(transport, key, args.trust)


if __name__ == "__main__":
    sys.exit(main())
