"""Read ids: a read of ``POST /v1/read`` kept in memory, briefly, for the steps that follow it.

A bank's counter page reads the card, then asks for Active Authentication with its server's
challenge, a face comparison with the chip's portrait, and an evidence package, each naming the
read by the ``read_id`` the read answered. So the agent keeps that read's files and record (the
portrait inside DG2 included) in memory, and nothing else, until the first of:

* :data:`READ_ID_SECONDS` (5 minutes) after the read;
* the card leaving the reader (or the reader going away): the id is bound to the card that was
  read, and a different card in the same reader is a different customer;
* a newer read on the same reader (the page holds the newest id);
* more than :data:`MAX_READS` reads held at once (the oldest goes).

Then the entry is dropped: its files, record, Active Authentication answers and face result go
with it. What stays is the bare random id and why it went (:data:`MAX_TOMBSTONES` of them, no
personal data), so a late request is told ``read_expired`` or ``read_card_removed`` rather than
``read_unknown``. Nothing here is written to disk or logged. The registry lives on the event
loop's thread; the lock only makes the purge task and the endpoints safe against each other.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from time import monotonic
from typing import Any, Literal

from cccd_reader.agent.reads import AgentError, ReadDone

__all__ = [
    "MAX_READS",
    "READ_ID_SECONDS",
    "FaceHeld",
    "ReadEntry",
    "ReadRegistry",
]

#: How long a read stays usable after it finished (the issue's 5 minutes).
READ_ID_SECONDS = 300.0
#: Reads held at once, across readers (one per reader in practice; a counter has one or two).
MAX_READS = 4
#: Active Authentication answers kept per read (a page may retry with a new challenge).
MAX_AA_PER_READ = 4
#: Ids remembered after their read was dropped, only to say why a late request is refused.
MAX_TOMBSTONES = 64

DropReason = Literal["expired", "card_removed", "replaced", "evicted"]

#: Why an id no longer works -> (HTTP status, stable code, message). A read replaced by a newer
#: one on the same reader or evicted for room is told apart from an expired one.
REFUSALS: dict[str, tuple[int, str, str]] = {
    "expired": (410, "read_expired",
                "this read is older than 5 minutes and was dropped: read the card again"),
    "card_removed": (410, "read_card_removed",
                     "the card of this read left the reader and the read was dropped: "
                     "read the card again"),
    "replaced": (410, "read_replaced",
                 "a newer read on the same reader replaced this one: use its read_id"),
    "evicted": (410, "read_expired",
                "this read was dropped to make room for newer reads: read the card again"),
    "unknown": (404, "read_unknown", "no read has this read_id"),
}


def refusal(reason: str) -> AgentError:
    status, code, message = REFUSALS[reason]
    return AgentError(status, code, message)


@dataclass(frozen=True, repr=False)
class FaceHeld:
    """The face comparison made for a read: its JSON (the face module's shape, with the chip's
    verdict), when, and the camera image only if the page asked to keep it for the evidence
    package (``keep_live_image``: the customer's consent)."""

    result: dict[str, Any]
    computed_at: datetime
    live_mime: str | None = None
    live_image: bytes | None = None

    def __repr__(self) -> str:
        return f"FaceHeld(band={self.result.get('band')!r}, live={self.live_image is not None})"


@dataclass(repr=False)
class ReadEntry:
    """One held read. ``repr`` shows the reader and the age, never card data."""

    read_id: str
    reader: str
    done: ReadDone
    created: float
    #: Active Authentication answers obtained for this read, by challenge (insertion order).
    active_auth: OrderedDict[bytes, Any] = field(default_factory=OrderedDict)
    face: FaceHeld | None = None

    def __repr__(self) -> str:
        return f"ReadEntry(reader={self.reader!r}, personal data masked)"

    def add_active_auth(self, challenge: bytes, answer: Any) -> None:
        self.active_auth[challenge] = answer
        self.active_auth.move_to_end(challenge)
        while len(self.active_auth) > MAX_AA_PER_READ:
            self.active_auth.popitem(last=False)


class ReadRegistry:
    """The held reads, bounded in number and in time."""

    def __init__(self, *, seconds: float = READ_ID_SECONDS, max_reads: int = MAX_READS) -> None:
        self.seconds = seconds
        self.max_reads = max_reads
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, ReadEntry] = OrderedDict()
        self._gone: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def _drop(self, read_id: str, reason: DropReason) -> None:
        """Under the lock: forget the entry (its data go with it), remember why."""
        self._entries.pop(read_id, None)
        self._gone[read_id] = reason
        while len(self._gone) > MAX_TOMBSTONES:
            self._gone.popitem(last=False)

    def add(self, done: ReadDone) -> str:
        """Hold a finished read; its new id (unguessable: 128 random bits)."""
        read_id = secrets.token_urlsafe(16)
        now = monotonic()
        with self._lock:
            self._purge_locked(now)
            for old in [i for i, e in self._entries.items() if e.reader == done.reader]:
                self._drop(old, "replaced")
            self._entries[read_id] = ReadEntry(read_id, done.reader, done, now)
            while len(self._entries) > self.max_reads:
                self._drop(next(iter(self._entries)), "evicted")
        return read_id

    def get(self, read_id: object, *, card_present: bool | None = None) -> ReadEntry:
        """The held read, or the :class:`AgentError` saying why there is none.

        ``card_present``: the hub's current view of the entry's reader; False drops the read
        (removal seen before the removal event reached the purge task).
        """
        if not isinstance(read_id, str) or not 16 <= len(read_id) <= 64:
            raise AgentError(400, "bad_request", "read_id must be the string /v1/read answered")
        with self._lock:
            self._purge_locked(monotonic())
            entry = self._entries.get(read_id)
            if entry is None:
                raise refusal(self._gone.get(read_id, "unknown"))
            if card_present is False:
                self._drop(read_id, "card_removed")
                raise refusal("card_removed")
            return entry

    def reader_of(self, read_id: object) -> str | None:
        with self._lock:
            entry = self._entries.get(read_id) if isinstance(read_id, str) else None
            return entry.reader if entry is not None else None

    def card_removed(self, reader: str) -> None:
        """The card left ``reader`` (or the reader went): its reads are dropped."""
        with self._lock:
            for read_id in [i for i, e in self._entries.items() if e.reader == reader]:
                self._drop(read_id, "card_removed")

    def purge(self) -> None:
        """Drop every read older than :attr:`seconds` (called every second by the agent)."""
        with self._lock:
            self._purge_locked(monotonic())

    def _purge_locked(self, now: float) -> None:
        for read_id in [i for i, e in self._entries.items() if now - e.created >= self.seconds]:
            self._drop(read_id, "expired")
