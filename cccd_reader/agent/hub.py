"""Reader state and the fan-out to connected clients.

The :class:`EventHub` keeps the last known state of every reader (fed by the backend's monitor
on its own thread) and fans changes out to subscribers (the ``/v1/events`` WebSocket clients,
the device-compatible Socket.IO endpoint, the webhook pusher) through bounded per-subscriber
queues, so a slow or stalled client can never make the agent's memory grow: a subscriber whose
queue overflows is ended. It is its own module so the endpoints that use it and the state that
holds it do not import each other.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import Any

from cccd_reader.service import ReaderEvent

#: Messages waiting for one client before it is dropped as too slow.
QUEUE_SIZE = 256

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
        #: Called with every published message on the event loop, before the subscribers'
        #: queues (the agent's own bookkeeping, such as dropping a removed card's reads);
        #: must return at once and never raise. Not clients: they do not count against caps.
        self.watchers: list[Callable[[Message], None]] = []

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
        for watch in list(self.watchers):
            watch(message)
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
