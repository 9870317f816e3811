"""Webhook push (``cccd serve --webhook URL``): one POST per forwarded read, as the reader
device's companion app does for hospital software that listens on a local port.

Where a record may go is the operator's decision, made at start and checked again at every
connection:

* ``http://`` only to the loopback address: the name is resolved when connecting and every
  address must be loopback (a name that resolves elsewhere is refused then, not trusted from
  the start); the POST goes to that address with the original ``Host``;
* ``https://`` only to a host named with ``--webhook-allow-host`` (certificate checked);
* nothing else (no other scheme, no credentials in the URL, no proxy from the environment, no
  redirects followed).

Each read is offered from the event loop and returns at once; delivery runs in a task per
target with a timeout, so a receiver that hangs or answers 500 delays no read. Failed posts are
retried with exponential backoff from a bounded queue: personal data waits at most
:data:`MAX_QUEUED` items and :data:`MAX_AGE` seconds per target, then it is dropped and counted
in ``GET /v1/status`` (``webhooks``). The native format is the record JSON without the access
data (:func:`cccd_reader.redact.without_access_data`); the device format is the companion
app's object (:func:`.device_format.device_webhook`). A ``not_genuine`` read is not posted
unless ``--forward-not-genuine``. Nothing about a record is logged; the log says a target's
host, the status code or the error's type.
"""

from __future__ import annotations

import asyncio
import collections
import ipaddress
import json
import logging
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import httpx
from anyio import to_thread

from cccd_reader.agent import device_format as fmt
from cccd_reader.agent.reads import ReadDone

log = logging.getLogger("cccd_reader.agent")

#: Items waiting per target, and how long one may wait, before it is dropped.
MAX_QUEUED = 50
MAX_AGE = 600.0
#: One POST's time limit (connect, write, read), and the backoff between tries.
TIMEOUT = 5.0
FIRST_BACKOFF = 1.0
MAX_BACKOFF = 60.0

Format = Literal["native", "device"]


class WebhookRefused(ValueError):
    """A webhook URL the agent will not post to (said at start, before anything is read)."""


@dataclass(frozen=True)
class WebhookTarget:
    """A checked webhook URL. ``loopback``: plain http, each connection re-resolved and
    checked."""

    url: str
    scheme: str
    host: str
    port: int
    loopback: bool

    @property
    def label(self) -> str:
        """``scheme://host:port`` for the status and the log (the path may hold a secret)."""
        return f"{self.scheme}://{self.host}:{self.port}"


def _is_loopback_literal(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_target(url: str, allow_hosts: Sequence[str] = ()) -> WebhookTarget:
    """``url`` checked against the rules above; :class:`WebhookRefused` says why not."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookRefused(f"not an http:// or https:// URL: {url!r}")
    if parts.username or parts.password:
        raise WebhookRefused("a webhook URL must not carry credentials")
    if parts.fragment:
        raise WebhookRefused("a webhook URL has no #fragment")
    host = parts.hostname.lower()
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise WebhookRefused(f"bad port in {url!r}") from None
    if parts.scheme == "http":
        if host != "localhost" and not _is_loopback_literal(host):
            raise WebhookRefused(
                f"http:// only to the loopback address (127.0.0.1, ::1, localhost), not {host}: "
                "records are personal data; use https:// with --webhook-allow-host")
        return WebhookTarget(url.strip(), "http", host, port, loopback=True)
    allowed = {h.strip().lower() for h in allow_hosts}
    if host not in allowed:
        raise WebhookRefused(f"https:// to {host} needs --webhook-allow-host {host}")
    return WebhookTarget(url.strip(), "https", host, port, loopback=False)


def _loopback_address(host: str, port: int) -> str:
    """The address to connect to for a plain-http target, resolved now: every address the
    name has must be loopback (else :class:`WebhookRefused`)."""
    if _is_loopback_literal(host):
        return host
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [str(info[4][0]) for info in infos]
    if not addresses or not all(_is_loopback_literal(a) for a in addresses):
        raise WebhookRefused(f"{host} does not resolve to the loopback address only")
    return addresses[0]


@dataclass
class _Item:
    done: ReadDone | None = field(repr=False)
    created: float
    body: bytes | None = field(default=None, repr=False)


@dataclass
class _Queue:
    target: WebhookTarget
    items: collections.deque[_Item] = field(default_factory=collections.deque)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    delivered: int = 0
    failed_attempts: int = 0
    dropped: int = 0
    last_error: str | None = None
    #: Failures in a row, and when the next try may start: the backoff is the target's, so
    #: a full queue whose head is dropped does not restart it.
    failures: int = 0
    not_before: float = 0.0


class WebhookPusher:
    """The targets' queues and the tasks that empty them."""

    def __init__(
        self,
        targets: Sequence[WebhookTarget],
        fmt_name: Format = "native",
        *,
        forward_not_genuine: bool = False,
        max_queued: int = MAX_QUEUED,
        max_age: float = MAX_AGE,
        timeout: float = TIMEOUT,
        first_backoff: float = FIRST_BACKOFF,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if fmt_name not in ("native", "device"):
            raise ValueError(f"unknown webhook format {fmt_name!r}")
        self.format: Format = fmt_name
        self.forward_not_genuine = forward_not_genuine
        self.max_queued = max_queued
        self.max_age = max_age
        self.timeout = timeout
        self.first_backoff = first_backoff
        self.clock = clock
        self._queues = [_Queue(t) for t in targets]

    # --- the read side (event loop, returns at once) ------------------------------------------

    def offer(self, done: ReadDone) -> None:
        """Queue one read for every target (the payload is built later, off the loop)."""
        if done.outcome.record.verdict == "not_genuine" and not self.forward_not_genuine:
            return
        now = self.clock()
        for queue in self._queues:
            if len(queue.items) >= self.max_queued:
                queue.items.popleft()
                queue.dropped += 1
            queue.items.append(_Item(done, now))
            queue.wake.set()

    def status(self) -> list[dict[str, Any]]:
        """Per target: what waits, what was delivered, tried in vain and dropped (full queue
        or too old), and the last error's kind; never the URL's path or a payload."""
        for queue in self._queues:
            self._expire(queue)
        return [{"target": q.target.label, "format": self.format, "queued": len(q.items),
                 "delivered": q.delivered, "failed_attempts": q.failed_attempts,
                 "dropped": q.dropped, "last_error": q.last_error} for q in self._queues]

    # --- delivery -----------------------------------------------------------------------------

    async def run(self) -> None:
        """Deliver until cancelled (the agent's lifespan)."""
        async with httpx.AsyncClient(trust_env=False, follow_redirects=False,
                                     timeout=self.timeout) as client:
            await asyncio.gather(*(self._deliver(client, q) for q in self._queues))

    def payload(self, done: ReadDone) -> bytes:
        """The POST body for one read in this pusher's format (worker thread: the portrait may
        be transcoded)."""
        if self.format == "device":
            record = done.outcome.record
            doc: Any = fmt.device_webhook(record, fmt.portrait_jpeg(record.photo))
        else:
            from cccd_reader.redact import without_access_data

            doc = without_access_data(done.doc)
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")

    def _expire(self, queue: _Queue) -> None:
        now = self.clock()
        while queue.items and now - queue.items[0].created > self.max_age:
            queue.items.popleft()
            queue.dropped += 1

    async def _deliver(self, client: httpx.AsyncClient, queue: _Queue) -> None:
        while True:
            self._expire(queue)
            if not queue.items:
                queue.wake.clear()
                await queue.wake.wait()
                continue
            item = queue.items[0]
            wait = queue.not_before - self.clock()
            if wait > 0:
                queue.wake.clear()
                # a new item does not jump the queue, but expiry is checked again on waking
                try:
                    await asyncio.wait_for(queue.wake.wait(), timeout=wait)
                except TimeoutError:
                    pass
                continue
            if item.body is None:
                done = item.done
                assert done is not None
                item.body = await to_thread.run_sync(self.payload, done)
                item.done = None  # the payload is all that waits from now on
            ok = await self._post(client, queue, item.body)
            if ok:
                queue.failures, queue.not_before = 0, 0.0
                queue.delivered += 1
            else:
                queue.failures += 1
                queue.failed_attempts += 1
                queue.not_before = self.clock() + min(
                    MAX_BACKOFF, self.first_backoff * 2 ** min(queue.failures - 1, 16))
            if ok and queue.items and queue.items[0] is item:
                queue.items.popleft()

    async def _post(self, client: httpx.AsyncClient, queue: _Queue, body: bytes) -> bool:
        target = queue.target
        url = target.url
        headers = {"Content-Type": "application/json; charset=utf-8"}
        try:
            if target.loopback:
                address = await to_thread.run_sync(
                    lambda: _loopback_address(target.host, target.port))
                parts = urlsplit(target.url)
                literal = f"[{address}]" if ":" in address else address
                url = urlunsplit((parts.scheme, f"{literal}:{target.port}", parts.path or "/",
                                  parts.query, ""))
                headers["Host"] = parts.netloc
            response = await client.post(url, content=body, headers=headers)
        except (httpx.HTTPError, OSError, WebhookRefused) as exc:
            queue.last_error = type(exc).__name__
            log.info("webhook %s: %s", target.label, queue.last_error)
            return False
        if 200 <= response.status_code < 300:
            queue.last_error = None
            log.info("webhook %s: %d", target.label, response.status_code)
            return True
        queue.last_error = f"http_{response.status_code}"
        log.info("webhook %s: %d", target.label, response.status_code)
        return False
