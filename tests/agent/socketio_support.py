"""A hospital-software client of the device-compatible Socket.IO endpoint, for the tests: one
connection helper and one event reader, for the in-process and the pcscd tests alike."""

from __future__ import annotations

from typing import Any

import socketio

from cccd_reader.agent import AgentServer


def client(agent: AgentServer, **kwargs: Any) -> socketio.SimpleClient:
    """A connected client. With forged headers (Origin, Host) it uses long-polling, whose HTTP
    library sends the headers given instead of adding its own beside them (the WebSocket
    library adds an Origin and a Host of its own)."""
    sio = socketio.SimpleClient()
    transport = "polling" if kwargs.get("headers") else "websocket"
    sio.connect(agent.socketio_url, transports=[transport], wait_timeout=10, **kwargs)
    return sio


def events(sio: socketio.SimpleClient, count: int, timeout: float = 15) -> list[dict[str, Any]]:
    """The next ``count`` ``/event`` payloads (anything else fails the test)."""
    out = []
    for _ in range(count):
        name, data = sio.receive(timeout=timeout)
        assert name == "/event"
        out.append(data)
    return out
