"""The agent's ASGI app: ``/v1/status``, ``/v1/read``, ``/v1/active-auth``, ``/v1/face-match``,
``/v1/evidence`` (:mod:`.bank`), ``/v1/events``,
behind the browser guard (:mod:`.guard`); with ``socketio_port``, the device-compatible
Socket.IO endpoint (:mod:`.device_io`) answers on that port of the same server.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from anyio import to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from cccd_reader import __version__
from cccd_reader.agent import bank
from cccd_reader.agent.backend import Monitor, PcscBackend
from cccd_reader.agent.bodies import MAX_BODY, json_body
from cccd_reader.agent.events import events_endpoint
from cccd_reader.agent.guard import BrowserGuard, normalize_origin
from cccd_reader.agent.reads import (
    AgentError,
    parse_challenge,
    parse_request,
    perform_active_auth,
)
from cccd_reader.agent.state import AgentConfig, AgentState
from cccd_reader.errors import TransportError

__all__ = ["API_VERSION", "MAX_BODY", "create_app", "normalize_origin"]

log = logging.getLogger("cccd_reader.agent")

API_VERSION = 1


# ------------------------------------------------------------------------------ endpoints


def _error(err: AgentError) -> JSONResponse:
    return JSONResponse(err.to_json(), status_code=err.status)


async def status(request: Request) -> Response:
    state: AgentState = request.app.state.agent
    readers, ok = state.hub.snapshot()
    busy = state.locks.busy()
    body = {
        "version": __version__,
        "api": API_VERSION,
        "readers": [{"name": n, "card_present": p, "busy": n in busy} for n, p in readers],
        "pcsc": "ok" if ok else "unavailable",
    }
    for key, part in state.status_parts.items():
        body[key] = part()
    return JSONResponse(body)


async def read(request: Request) -> Response:
    state: AgentState = request.app.state.agent
    try:
        req = parse_request(await json_body(request))
        done = await state.read(req)
    except AgentError as err:
        log.info("read: %s", err.code)
        return _error(err)
    log.info("read: ok")
    # held for /v1/active-auth, /v1/face-match and /v1/evidence until it expires (read_ids)
    return JSONResponse({**done.doc, "read_id": state.read_ids.add(done)})


async def active_auth(request: Request) -> Response:
    """``POST /v1/active-auth``: ``{"challenge": base64 of 8 bytes, <one key>, "reader"?}``:
    the chip's signature over the caller's challenge and our check of it against DG15. With
    ``"read_id"``: on that read's card only, and kept with the read for its evidence."""
    state: AgentState = request.app.state.agent
    try:
        body = await json_body(request)
        if not isinstance(body, dict):
            raise AgentError(400, "bad_request", "the body must be a JSON object")
        challenge = parse_challenge(body.get("challenge"))
        if "read_id" in body:
            reader, answer = await bank.active_auth_for_read(state, body, challenge)
        else:
            req = parse_request({k: v for k, v in body.items() if k != "challenge"})
            if req.key is None:
                raise AgentError(400, "bad_key", "active authentication needs can, id or mrz")
            key = req.key
            reader, answer = await to_thread.run_sync(
                lambda: perform_active_auth(key, challenge, state.backend, state.locks,
                                            reader=req.reader or state.config.reader),
                limiter=state.read_limiter,
            )
    except AgentError as err:
        log.info("active-auth: %s", err.code)
        return _error(err)
    log.info("active-auth: %s", answer.result.status)

    def b64(data: bytes | None) -> str | None:
        return base64.b64encode(data).decode("ascii") if data is not None else None

    return JSONResponse({
        "reader": reader,
        "challenge": b64(answer.challenge),
        "signature": b64(answer.signature),
        "dg15": b64(answer.dg15),
        "active_auth": {"status": answer.result.status, "detail": answer.result.detail},
    })


async def not_found(request: Request, exc: Exception) -> Response:
    return _error(AgentError(404, "not_found", "no such endpoint"))


async def internal_error(request: Request, exc: Exception) -> Response:
    return _error(AgentError(500, "internal", "internal error"))


async def method_not_allowed(request: Request, exc: Exception) -> Response:
    return _error(AgentError(405, "method_not_allowed", "method not allowed"))


# ------------------------------------------------------------------------------ the app


class PortDispatch:
    """One server, two ports: requests that arrived on ``socketio_port`` go to the Socket.IO
    app, everything else (and the lifespan) to the main app."""

    def __init__(self, main: ASGIApp, device: ASGIApp, socketio_port: int) -> None:
        self.main = main
        self.device = device
        self.socketio_port = socketio_port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        server = scope.get("server")
        if scope["type"] in ("http", "websocket") and server and server[1] == self.socketio_port:
            await self.device(scope, receive, send)
        else:
            await self.main(scope, receive, send)


def create_app(config: AgentConfig, *, port: int | None = None,
               socketio_port: int | None = None) -> ASGIApp:
    """The guarded ASGI app; ``port`` (and ``socketio_port``) are the ports actually bound
    (for the Host check and the dispatch)."""
    backend = config.backend or PcscBackend()
    state = AgentState(config=config, backend=backend)
    if config.locks is not None:
        state.locks = config.locks
    origins = frozenset(normalize_origin(o) for o in config.allow_origins)
    device: ASGIApp | None = None
    sio_port = config.socketio_port if socketio_port is None else socketio_port
    if sio_port is not None:
        from cccd_reader.agent.device_io import OwnOriginIsProgram, create_device_app

        sio_hosts = config.allowed_hosts(sio_port)
        device = OwnOriginIsProgram(BrowserGuard(create_device_app(state),
                                                 allowed_hosts=sio_hosts,
                                                 allowed_origins=origins, token=None), sio_hosts)
    bank.watch_removals(state)
    state.background.append(lambda: bank.purge_expired_reads(state))
    if config.webhooks:
        from cccd_reader.agent.webhooks import WebhookPusher

        pusher = WebhookPusher(config.webhooks, config.webhook_format,
                               forward_not_genuine=config.forward_not_genuine)
        state.read_listeners.append(pusher.offer)
        state.background.append(pusher.run)
        state.status_parts["webhooks"] = pusher.status

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        import asyncio

        state.hub.attach(asyncio.get_running_loop())
        try:
            state.hub.seed(await to_thread.run_sync(backend.readers))
        except TransportError:
            state.hub.seed([], ok=False)
        monitor: Monitor | None = backend.monitor(state.hub.on_reader_event)
        if monitor is not None:
            monitor.start()
        if config.read_feed is not None:
            config.read_feed.attach(asyncio.get_running_loop(), state.announce_external)
        try:
            async with anyio.create_task_group() as tasks:
                for job in state.background:
                    tasks.start_soon(job)
                try:
                    yield
                finally:
                    tasks.cancel_scope.cancel()
        finally:
            if config.read_feed is not None:
                config.read_feed.attach(None, None)
            if monitor is not None:
                await to_thread.run_sync(monitor.stop)

    app = Starlette(
        routes=[
            Route("/v1/status", status, methods=["GET"]),
            Route("/v1/read", read, methods=["POST"]),
            Route("/v1/active-auth", active_auth, methods=["POST"]),
            Route("/v1/face-match", bank.face_match, methods=["POST"]),
            Route("/v1/evidence", bank.evidence, methods=["POST"]),
            WebSocketRoute("/v1/events", events_endpoint),
        ],
        exception_handlers={404: not_found, 405: method_not_allowed, Exception: internal_error},
        lifespan=lifespan,
    )
    app.state.agent = state
    main = BrowserGuard(app, allowed_hosts=config.allowed_hosts(port),
                        allowed_origins=origins, token=config.token)
    if device is None or sio_port is None:
        return main
    return PortDispatch(main, device, sio_port)
