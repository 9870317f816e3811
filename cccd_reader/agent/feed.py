"""Reads of the program that hosts the agent (the desktop app), handed to the agent.

Its own module, free of the agent's third-party packages, so the app can make one before it
knows whether the agent extra is installed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

from cccd_reader.agent.reads import ReadDone
from cccd_reader.service import ReadOutcome

__all__ = ["ReadFeed"]


class ReadFeed:
    """Reads made by the program that hosts the agent (the desktop app's clerk reads the
    tapped card), handed to the agent so that its Socket.IO clients and webhooks hear of them
    as of its own reads. :meth:`publish` may be called from any thread; before the agent runs
    (or after it stopped) a read is not announced."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sink: Callable[[ReadDone], Coroutine[Any, Any, None]] | None = None

    def attach(self, loop: asyncio.AbstractEventLoop | None,
               sink: Callable[[ReadDone], Coroutine[Any, Any, None]] | None) -> None:
        self._loop, self._sink = loop, sink

    def publish(self, reader: str, outcome: ReadOutcome) -> None:
        loop, sink = self._loop, self._sink
        if loop is None or sink is None or loop.is_closed():
            return
        done = ReadDone(reader, outcome, outcome.to_json())
        with contextlib.suppress(RuntimeError):  # the loop is shutting down
            loop.call_soon_threadsafe(lambda: loop.create_task(sink(done)))
