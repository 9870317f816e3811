"""The WebSocket bridge (``/v1/events``) over the :class:`~cccd_reader.agent.hub.EventHub`.

Each client gets a bounded queue from the hub; a client whose queue overflows is
disconnected. Reader and card events (``reader_added``,
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

from starlette.websockets import WebSocket, WebSocketDisconnect

from cccd_reader.agent.hub import Message, Subscriber
from cccd_reader.agent.reads import AgentError, parse_request
from cccd_reader.agent.state import AgentState

log = logging.getLogger(__name__)

#: WebSocket clients at once; more are refused (close code 1013, "try again later").
MAX_CLIENTS = 64
#: Largest message a client may send (uvicorn refuses bigger frames before we see them).
MAX_CLIENT_MESSAGE = 16 * 1024


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
        done = await state.read(request, progress=progress)
    except AgentError as err:
        log.info("ws read: %s", err.code)
        sub.put(_error_message(err))
        return
    log.info("ws read: ok")
    # the same read_id as POST /v1/read: a page reading over the WebSocket names this read in
    # /v1/active-auth, /v1/face-match and /v1/evidence (held until it expires: read_ids)
    sub.put({"type": "record", "reader": done.reader, "record": done.doc,
             "read_id": state.read_ids.add(done)})
