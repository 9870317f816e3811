"""Request bodies of the agent's endpoints: JSON only, bounded while it streams in.

Its own module so every endpoint module (:mod:`.app`, :mod:`.bank`) parses bodies the same way
without importing each other. The bound is enforced on the declared length and again on the
bytes actually received, before anything is parsed; a body that is not JSON is one
``bad_request``, never a traceback.
"""

from __future__ import annotations

import json

from starlette.requests import Request

from cccd_reader.agent.reads import AgentError

#: The largest request body accepted by default (a key is a few hundred bytes; a QR ~300).
MAX_BODY = 16 * 1024


async def json_body(request: Request, limit: int = MAX_BODY) -> object:
    """The parsed body; 415 unless ``application/json``, 413 past ``limit`` bytes, 400 if the
    bytes are not JSON (or nest too deep for the parser)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise AgentError(415, "bad_request", "send the body as application/json")
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise AgentError(413, "bad_request", f"the body is larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise AgentError(413, "bad_request", f"the body is larger than {limit} bytes")
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise AgentError(400, "bad_request", "the body is not JSON") from None
