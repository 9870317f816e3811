"""The local agent (``cccd serve``): an HTTP + WebSocket service on the counter PC that lets the
web software a counter already runs (hospital, hotel, bank front office) read a card.

A web page cannot reach a PC/SC reader; this agent can, and answers only the pages it was told
to trust (``--allow-origin``), on the loopback address, optionally behind a bearer token. It sits
above the service layer and holds no protocol logic: a read here is the same
:func:`cccd_reader.service.read_and_verify` (and the same record JSON) as ``cccd read --json``.

Modules: :mod:`.backend` (where readers and cards come from: PC/SC or an in-process virtual
chip), :mod:`.reads` (one read request: key parsing, reader choice, busy lock, error mapping),
:mod:`.hub` (reader state and the fan-out to subscribers), :mod:`.state` (the configuration
and the running state every endpoint shares), :mod:`.events` (the ``/v1/events`` WebSocket),
:mod:`.guard` (the Host/Origin/token guard and CORS), :mod:`.app` (the ASGI app),
:mod:`.server` (running it with uvicorn, in the foreground or a thread). For hospital software
written for the common CCCD reader device: :mod:`.device_io` (its Socket.IO endpoint),
:mod:`.taps` (taps and ``/input_data`` keys), :mod:`.device_format` (its payloads),
:mod:`.installation` (the random serial ``/info`` answers), :mod:`.webhooks` (its companion
app's POST), :mod:`.feed` (the hosting desktop app's own reads). For a bank's counter page:
:mod:`.read_ids` (a read held in memory for the steps that name it, five minutes at most),
:mod:`.bank` (``/v1/face-match``, ``/v1/evidence``, ``/v1/active-auth`` on a read),
:mod:`.bodies` (bounded JSON request bodies).
Needs the ``agent`` extra (Starlette, uvicorn, websockets, python-socketio, httpx).
"""

from __future__ import annotations

from cccd_reader.agent.app import create_app
from cccd_reader.agent.server import AgentServer, serve
from cccd_reader.agent.state import AgentConfig

__all__ = ["AgentConfig", "AgentServer", "create_app", "serve"]
