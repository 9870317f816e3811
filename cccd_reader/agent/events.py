"""Reader state and the WebSocket bridge (``/v1/events``).

The :class:`EventHub` keeps the last known state of every reader (fed by the backend's monitor
on its own thread) and fans changes out to the connected WebSocket clients through bounded
per-client queues, so a slow or stalled page can never make the agent's memory grow: a client
whose queue overflows is disconnected. Reader and card events (``reader_added``,
``reader_removed``, ``card_present``, ``card_removed``, PC/SC ``error``) carry only reader names
and go to every client that passed the guard; ``read_progress``, ``record`` and a read's
``error`` go only to the client that asked for that read, and nothing of a record stays in the
hub once it has been handed to that client's socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from anyio import to_thread
from starlette.websockets import WebSocket, WebSocketDisconnect

from cccd_reader.agent.reads import AgentError, parse_request, perform_read
from cccd_reader.service import ReaderEvent

if TYPE_CHECKING:
    from cccd_reader.agent.app import AgentState

log = logging.getLogger(__name__)

#: Messages waiting for one client before it is dropped as too slow.
QUEUE_SIZE = 256
#: WebSocket clients at once; more are refused (close code 1013, "try again later").
MAX_CLIENTS = 64
#: Largest message a client may send (uvicorn refuses bigger frames before we see them).
MAX_CLIENT_MESSAGE = 16 * 1024

Message = dict[str, Any]


class Subscriber:
    """One WebSocket client's outgoing queue."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Message | None] = asyncio.Queue(QUEUE_SIZE)
        self.overflowed = False

    def put(self, message: Message) -> None:
        """Queue a message (event-loop thread only); on overflow, end the client."""
        if self.overflowed:
            return
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed = True
            with contextlib.suppress(asyncio.QueueFull):
                self.queue.get_nowait()
                self.queue.put_nowait(None)


class EventHub:
    """Last known reader state, and the set of clients to tell about changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._readers: dict[str, bool] = {}
        self._pcsc_ok = True
        self._loop: asyncio.AbstractEventLoop | None = None
        self._subscribers: set[Subscriber] = set()

    # --- state -------------------------------------------------------------------------------

    def seed(self, readers: list[tuple[str, bool]], *, ok: bool = True) -> None:
        with self._lock:
            self._readers = dict(readers)
            self._pcsc_ok = ok

    def snapshot(self) -> tuple[list[tuple[str, bool]], bool]:
        with self._lock:
            return list(self._readers.items()), self._pcsc_ok

    def on_reader_event(self, event: ReaderEvent) -> None:
        """The monitor's callback (monitor thread): update the state, publish real changes."""
        message: Message | None = None
        with self._lock:
            if event.kind == "error":
                if self._pcsc_ok:
                    self._pcsc_ok = False
                    message = {"type": "error", "error": {
                        "code": "pcsc_unavailable", "message": event.detail}}
            else:
                self._pcsc_ok = True
                name = event.reader
                known = name in self._readers
                if event.kind == "reader_added" and not known:
                    self._readers[name] = False
                    message = {"type": "reader_added", "reader": name}
                elif event.kind == "reader_removed" and known:
                    del self._readers[name]
                    message = {"type": "reader_removed", "reader": name}
                elif event.kind == "card_present" and not self._readers.get(name, False):
                    self._readers[name] = True
                    message = {"type": "card_present", "reader": name}
                elif event.kind == "card_removed" and self._readers.get(name, False):
                    self._readers[name] = False
                    message = {"type": "card_removed", "reader": name}
        if message is not None:
            self.publish_threadsafe(message)

    # --- fan-out -----------------------------------------------------------------------------

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    @property
    def clients(self) -> int:
        return len(self._subscribers)

    def subscribe(self) -> Subscriber:
        sub = Subscriber()
        self._subscribers.add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        self._subscribers.discard(sub)

    def publish(self, message: Message) -> None:
        for sub in list(self._subscribers):
            sub.put(message)

    def publish_threadsafe(self, message: Message) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # loop shutting down
            loop.call_soon_threadsafe(self.publish, message)

    def to_client_threadsafe(self, sub: Subscriber) -> Callable[[Message], None]:
        """A sender other threads (a read's worker) use to reach one client."""
        loop = self._loop

        def send(message: Message) -> None:
            if loop is not None and not loop.is_closed():
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(sub.put, message)

        return send


def _error_message(err: AgentError) -> Message:
    return {"type": "error", "status": err.status, **err.to_json()}


async def events_endpoint(websocket: WebSocket) -> None:
    """``/v1/events``: state on connect, then events; ``{"type": "read", "key": {...}}`` reads."""
    state: AgentState = websocket.app.state.agent
    hub = state.hub
    if hub.clients >= MAX_CLIENTS:
        await websocket.close(code=1013)
        return
    await websocket.accept()
    sub = hub.subscribe()
    readers, ok = hub.snapshot()
    for name, present in readers:
        sub.put({"type": "reader_added", "reader": name})
        if present:
            sub.put({"type": "card_present", "reader": name})
    if not ok:
        sub.put({"type": "error", "error": {"code": "pcsc_unavailable",
                                            "message": "PC/SC is not available"}})
    sender = asyncio.create_task(_send_loop(websocket, sub))
    reading: asyncio.Task[None] | None = None
    try:
        while True:
            incoming = await websocket.receive()
            if incoming["type"] == "websocket.disconnect":
                break
            text = incoming.get("text")
            try:
                message = json.loads(text) if isinstance(text, str) else None
            except ValueError:
                message = None
            if not isinstance(message, dict) or message.get("type") != "read":
                sub.put(_error_message(AgentError(
                    400, "bad_request", 'send {"type": "read", "key": {...}}')))
                continue
            if reading is not None and not reading.done():
                sub.put(_error_message(AgentError(
                    409, "busy", "this connection already has a read running")))
                continue
            reading = asyncio.create_task(_read(state, sub, message))
    except WebSocketDisconnect:
        pass
    finally:
        hub.unsubscribe(sub)
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await sender
        if reading is not None:
            # the worker thread finishes its read (it cannot be interrupted mid-APDU) and its
            # result is dropped with the subscriber
            await asyncio.wait({reading})


async def _send_loop(websocket: WebSocket, sub: Subscriber) -> None:
    while True:
        message = await sub.queue.get()
        if message is None:  # overflowed: the client is too slow to follow
            await websocket.close(code=1008)
            return
        await websocket.send_text(json.dumps(message, ensure_ascii=False))


async def _read(state: AgentState, sub: Subscriber, message: Message) -> None:
    send = state.hub.to_client_threadsafe(sub)

    def progress(reader: str, step: str, done: int, total: int) -> None:
        send({"type": "read_progress", "reader": reader, "step": step,
              "done": done, "total": total})

    try:
        request = parse_request(message, key_obj=message.get("key", {}))
        reader, record = await to_thread.run_sync(
            lambda: perform_read(request, state.backend, state.locks, trust=state.trust,
                                 default_reader=state.config.reader, progress=progress),
            limiter=state.read_limiter,
        )
    except AgentError as err:
        log.info("ws read: %s", err.code)
        sub.put(_error_message(err))
        return
    log.info("ws read: ok")
    sub.put({"type": "record", "reader": reader, "record": record})
