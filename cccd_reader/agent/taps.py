"""Taps and keys for the device-compatible endpoint: which card is in which reader, which key
may open it, and when a read starts.

The device hospital software knows reads a card as soon as it is tapped. A Vietnamese chip
needs a key first (the personal number gives the CAN), so here a tap is read as soon as it has
one: a key sent with ``/input_data`` before the tap waits for the next tap; sent while a card
lies on the reader, it starts the read at once. Either way the key is **tried once**: a refused
key is dropped (the clerk sends the right one), a pending key is dropped when a tap uses it or
after :data:`PENDING_KEY_SECONDS`. A card tapped with no key gets ``id 3`` asking for the
personal number.

After a successful read the tap keeps the key that opened it, and that read's DG15, only for
``/get_aa`` on the same tap: Active Authentication re-runs access with this tap's key on the
card still in the reader, and a different card (another DG15) is refused. Both go when the card
leaves the reader; nothing else of a read stays here.

In the desktop app the clerk reads the tapped card too (key typed or QR scanned): that read is
announced as the tap's (:meth:`TapDesk.external_read`), and a read of ours that finds the
reader busy waits for it rather than opening the card a second time.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from anyio import to_thread

from cccd_reader.access.key import AccessKey
from cccd_reader.agent import device_format as fmt
from cccd_reader.agent.hub import Message
from cccd_reader.agent.reads import (
    AgentError,
    ReadDone,
    ReadRequest,
    parse_challenge,
    perform_active_auth,
)
from cccd_reader.agent.state import AgentState
from cccd_reader.errors import ParseError
from cccd_reader.readers import is_contactless

log = logging.getLogger("cccd_reader.agent")

#: How long a key sent before any tap waits for one.
PENDING_KEY_SECONDS = 120.0
#: How long a read waits for a reader another read holds (the hosting app's, typically).
BUSY_WAIT_SECONDS = 30.0
#: Longest string accepted in a command's fields, and most fields in one command.
MAX_FIELD = 128
MAX_FIELDS = 16

#: Sends one ``/event`` payload: to one client (its sid) or, with None, to every admitted one.
Emit = Callable[[dict[str, Any], str | None], Awaitable[None]]


@dataclass
class Tap:
    """One card lying on one reader, from its arrival to its removal."""

    reader: str
    reading: bool = False
    #: Read already (by the desk, or by the program hosting the agent): a read of ours that
    #: waited for the reader's lock is not needed any more.
    read: bool = False
    #: The key that opened this card, for ``/get_aa`` on this tap only.
    key: AccessKey | None = field(default=None, repr=False)
    dg15: bytes | None = field(default=None, repr=False)


def _ddmmyyyy_to_yymmdd(value: object, label: str) -> str:
    if not isinstance(value, str) or len(value) != 8 or not value.isascii() \
            or not value.isdigit():
        raise AgentError(400, "bad_key", f"{label} must be ddmmyyyy")
    return value[6:8] + value[2:4] + value[0:2]


def key_from_input_data(data: object) -> AccessKey:
    """``/input_data``'s ``{"idCode", "dateOfBirth": "ddmmyyyy", "expiryDate": "ddmmyyyy",
    "clientId"}`` as an access key: the CAN (last 6 digits of the personal number) for PACE,
    plus the MRZ key (document number = last 9 digits, birth, expiry) when both dates are given,
    for chips that offer only BAC. One access attempt either way."""
    if not isinstance(data, dict) or len(data) > MAX_FIELDS:
        raise AgentError(400, "bad_request", "send {\"idCode\": \"<12 digits>\", ...}")
    for value in data.values():
        if isinstance(value, str) and len(value) > MAX_FIELD:
            raise AgentError(400, "bad_request", "a field is too long")
    id_code = data.get("idCode")
    if not isinstance(id_code, str):
        raise AgentError(400, "bad_key", "idCode (the 12-digit personal number) is needed")
    try:
        can = AccessKey.from_personal_number(id_code)
        birth, expiry = data.get("dateOfBirth"), data.get("expiryDate")
        if birth and expiry:
            mrz = AccessKey.from_document(id_code.strip()[-9:],
                                          _ddmmyyyy_to_yymmdd(birth, "dateOfBirth"),
                                          _ddmmyyyy_to_yymmdd(expiry, "expiryDate"))
            return AccessKey(mrz_information=mrz.mrz_information, can=can.can)
        return can
    except ParseError as exc:
        raise AgentError(400, "bad_key", str(exc)) from None


class TapDesk:
    """The taps of every reader, the pending key, and the reads they start."""

    def __init__(self, state: AgentState, emit: Emit, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.state = state
        self.emit = emit
        self.clock = clock
        self.taps: dict[str, Tap] = {}
        #: The key waiting for the next tap, when it came, and the client that sent it.
        self._pending: tuple[AccessKey, float, str | None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        state.external_sinks.append(self.external_read)

    # --- reader events -----------------------------------------------------------------------

    async def run(self) -> None:
        """Follow the hub's reader events for as long as the agent runs."""
        hub = self.state.hub
        while True:
            sub = hub.subscribe()
            try:
                readers, _ok = hub.snapshot()
                for name, present in readers:
                    if present and name not in self.taps:
                        self.taps[name] = Tap(name)  # already there when we started: no id 1
                while True:
                    message = await sub.queue.get()
                    if message is None:  # overflowed (cannot happen at our pace): start over
                        break
                    await self.on_message(message)
            finally:
                hub.unsubscribe(sub)

    async def on_message(self, message: Message) -> None:
        kind, reader = message.get("type"), message.get("reader")
        if not isinstance(reader, str):
            return
        if kind == "card_present":
            await self.card_present(reader)
        elif kind in ("card_removed", "reader_removed"):
            self.card_removed(reader)

    async def card_present(self, reader: str) -> None:
        tap = Tap(reader)
        self.taps[reader] = tap
        await self.emit(fmt.new_card_event(), None)
        key = self._take_pending()
        if key is None:
            await self.emit(fmt.error_event("key_needed"), None)
            return
        self._start(tap, key)

    def card_removed(self, reader: str) -> None:
        self.taps.pop(reader, None)  # the tap's key and DG15 go with it

    # --- commands ----------------------------------------------------------------------------

    async def input_data(self, data: object, sid: str | None) -> None:
        """``/input_data``: read the card on the reader now, or keep the key for the next tap."""
        try:
            key = key_from_input_data(data)
        except AgentError as err:
            await self.emit(fmt.error_event(err.code), sid)
            return
        tap = self._current_tap()
        if tap is None:
            pending = (key, self.clock(), sid)
            self._pending = pending
            # gone from memory when it can no longer be used, not only at the next tap
            asyncio.get_running_loop().call_later(PENDING_KEY_SECONDS, self._drop_pending,
                                                  pending)
            return
        if tap.reading:
            await self.emit(fmt.error_event("busy"), sid)
            return
        self._pending = None
        self._start(tap, key)

    async def get_aa(self, data: object, sid: str | None) -> dict[str, Any]:
        """``/get_aa``: ``{"id": 7, "data": {"aa_signature", "aa_challege"}}`` (sic), signed by
        the card of the current tap with the caller's challenge; ``id 3`` otherwise."""
        if not isinstance(data, dict):
            return fmt.error_event("bad_request")
        try:
            challenge = parse_challenge(data.get("challenge"))
        except AgentError as err:
            return fmt.error_event(err.code)
        tap = self._current_tap()
        if tap is None or tap.key is None:
            return fmt.error_event("no_tap")
        if tap.reading:
            return fmt.error_event("busy")
        key, dg15, reader = tap.key, tap.dg15, tap.reader
        tap.reading = True
        try:
            _name, answer = await to_thread.run_sync(
                lambda: perform_active_auth(key, challenge, self.state.backend, self.state.locks,
                                            reader=reader, expected_dg15=dg15),
                limiter=self.state.read_limiter,
            )
        except AgentError as err:
            log.info("socket.io get_aa: %s", err.code)
            return fmt.error_event(err.code)
        finally:
            tap.reading = False
        log.info("socket.io get_aa: %s", answer.result.status)
        if answer.signature is None:
            return fmt.error_event("read_failed", verification={
                "active_auth": {"status": answer.result.status}})
        return {"id": fmt.ACTIVE_AUTH, "data": {
            "aa_signature": base64.b64encode(answer.signature).decode("ascii"),
            "aa_challege": base64.b64encode(challenge).decode("ascii"),
        }, "verification": {"active_auth": {"status": answer.result.status}}}

    # --- reads -------------------------------------------------------------------------------

    def client_gone(self, sid: str) -> None:
        """A Socket.IO client left: the key it sent for the next tap goes with it (the next
        card may be another customer's)."""
        if self._pending is not None and self._pending[2] == sid:
            self._pending = None

    def _drop_pending(self, pending: tuple[AccessKey, float, str | None]) -> None:
        if self._pending is pending:
            self._pending = None

    def _take_pending(self) -> AccessKey | None:
        pending, self._pending = self._pending, None
        if pending is None or self.clock() - pending[1] > PENDING_KEY_SECONDS:
            return None
        return pending[0]

    def _current_tap(self) -> Tap | None:
        """The tap a command is for: the default reader's, else a contactless reader's."""
        if not self.taps:
            return None
        wanted = self.state.config.reader
        if wanted:
            for name, tap in self.taps.items():
                if wanted == name or wanted.lower() in name.lower():
                    return tap
        contactless = [t for n, t in self.taps.items() if is_contactless(n)]
        return (contactless or list(self.taps.values()))[0]

    def _start(self, tap: Tap, key: AccessKey) -> None:
        tap.reading = True
        task = asyncio.create_task(self._read(tap, key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _read(self, tap: Tap, key: AccessKey) -> None:
        try:
            done = await self._read_when_free(tap, key)
        except AgentError as err:
            log.info("socket.io read: %s", err.code)
            tap.reading = False
            await self.emit(fmt.error_event(err.code), None)
            return
        tap.reading = False
        if done is None:  # the hosting program read this tap meanwhile: already announced
            return
        tap.read = True
        if self.taps.get(tap.reader) is tap:
            tap.key, tap.dg15 = key, done.outcome.result.files.get("DG15")
        await self.announce(done)

    async def _read_when_free(self, tap: Tap, key: AccessKey) -> ReadDone | None:
        """Our read; when the reader is busy (the program hosting the agent is reading the
        same tap), wait for it, and read only if that read did not happen (None then)."""
        deadline = self.clock() + BUSY_WAIT_SECONDS
        while True:
            try:
                return await self.state.read(ReadRequest(key=key, reader=tap.reader))
            except AgentError as err:
                if err.code != "busy" or self.clock() > deadline:
                    raise
            await asyncio.sleep(0.05)
            if tap.read or self.taps.get(tap.reader) is not tap:
                return None

    async def announce(self, done: ReadDone) -> None:
        """id 2, 4 and 5 to every admitted client (id 3 for a refused card)."""
        verdict = done.outcome.record.verdict
        log.info("socket.io read: %s", verdict)
        if verdict == "not_genuine" and not self.state.config.forward_not_genuine:
            await self.emit(fmt.error_event(
                "not_genuine", verification=fmt.verification_summary(done.outcome.record)), None)
            return
        for event in await to_thread.run_sync(lambda: device_events(done)):
            await self.emit(event, None)

    async def external_read(self, done: ReadDone) -> None:
        """The hosting program read a card (the clerk's key or QR scan): it is this tap's read."""
        tap = self.taps.get(done.reader)
        if tap is not None:
            tap.read = True
        await self.announce(done)


def device_events(done: ReadDone) -> list[dict[str, Any]]:
    """id 2, id 4 and id 5 for one read (the portrait transcoded here: a worker thread)."""
    record, files = done.outcome.record, done.outcome.result.files
    return [
        {"id": fmt.CARD_TEXT, "message": "read card successfully!",
         "data": fmt.card_text(record), "verification": fmt.verification_summary(record)},
        {"id": fmt.RAW_FILES, "message": "Read raw data successfully!",
         "data": fmt.raw_files(files, fmt.portrait_jpeg(record.photo))},
        {"id": fmt.VERIFICATION, "data": fmt.verification_material(record, files)},
    ]


__all__ = ["PENDING_KEY_SECONDS", "Tap", "TapDesk", "device_events", "key_from_input_data"]
