"""One read request of the agent, shared by ``POST /v1/read`` and the WebSocket ``read`` message.

The request body comes from a web page: it is parsed strictly (one key, known fields, bounded
strings) into a :class:`ReadRequest` whose ``repr`` never shows the key. A read holds its
reader's lock for its whole duration; a second read on the same reader is answered ``busy`` at
once instead of queueing (a queued read would run against whatever card is in the field by
then). A refused key is never tried again: :func:`cccd_reader.service.read_with_recovery`
retries only transient link faults, and a QR's keys are each tried at most once, in the order
of :func:`cccd_reader.qr.access_keys_from_qr`.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cccd_reader.access.key import AccessKey
from cccd_reader.errors import (
    AccessError,
    CardError,
    CardRemovedError,
    CccdError,
    NoCardError,
    ParseError,
    ReaderNotFoundError,
    ReadIncompleteError,
    SecureMessagingError,
    TransportError,
)
from cccd_reader.iso7816.efreader import ProgressFn
from cccd_reader.readers import is_contactless
from cccd_reader.service import (
    ReadOutcome,
    read_and_verify,
    read_with_recovery,
)

if TYPE_CHECKING:
    from cccd_reader.active_auth import ActiveAuthAnswer
    from cccd_reader.agent.backend import Backend
    from cccd_reader.qr.payload import QRData

KEY_FIELDS: Mapping[str, int] = {"can": 16, "id": 32, "mrz": 256, "qr": 2048}
"""The key kinds a request may carry, with the longest string accepted for each."""
OTHER_FIELDS = frozenset({"reader", "photo"})
MAX_READER_NAME = 200


class AgentError(Exception):
    """An answer other than a record: HTTP status, stable code, a message without personal
    data. Rendered as ``{"error": {"code", "message"}}``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def to_json(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message}}


@dataclass(frozen=True)
class ReadRequest:
    key: AccessKey | None = field(default=None, repr=False)
    qr: QRData | None = field(default=None, repr=False)
    reader: str | None = None
    photo: bool = False


def parse_key(obj: object) -> tuple[AccessKey | None, QRData | None]:
    """Exactly one of ``can``, ``id``, ``mrz``, ``qr`` (a string), as an access key or a parsed
    QR. The QR is text only: the agent never opens a file a page names."""
    if not isinstance(obj, dict):
        raise AgentError(400, "bad_key", "the key must be a JSON object")
    given = [k for k in KEY_FIELDS if k in obj]
    if len(given) != 1:
        raise AgentError(400, "bad_key", "give exactly one key: can, id, mrz or qr")
    kind = given[0]
    value = obj[kind]
    if not isinstance(value, str) or not value or len(value) > KEY_FIELDS[kind]:
        raise AgentError(
            400, "bad_key", f"{kind} must be a non-empty string of at most "
            f"{KEY_FIELDS[kind]} characters"
        )
    try:
        if kind == "can":
            return AccessKey.from_can(value), None
        if kind == "id":
            return AccessKey.from_personal_number(value), None
        if kind == "mrz":
            return AccessKey.from_mrz(value), None
        from cccd_reader.qr.payload import parse_payload

        return None, parse_payload(value)
    except ParseError as exc:
        # library messages name the field and the rule, never the value
        raise AgentError(400, "bad_key", str(exc)) from None


def parse_request(obj: object, *, key_obj: object | None = None) -> ReadRequest:
    """``POST /v1/read``'s body (the key inline), or a WebSocket message (``key_obj`` given)."""
    if not isinstance(obj, dict):
        raise AgentError(400, "bad_request", "the body must be a JSON object")
    allowed = OTHER_FIELDS | (frozenset({"type", "key"}) if key_obj is not None
                              else frozenset(KEY_FIELDS))
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise AgentError(400, "bad_request", f"unknown fields: {', '.join(unknown[:5])}")
    key, qr = parse_key(key_obj if key_obj is not None else obj)
    reader = obj.get("reader")
    if reader is not None and (not isinstance(reader, str) or len(reader) > MAX_READER_NAME):
        raise AgentError(400, "bad_request", "reader must be a reader name")
    photo = obj.get("photo", False)
    if not isinstance(photo, bool):
        raise AgentError(400, "bad_request", "photo must be true or false")
    return ReadRequest(key=key, qr=qr, reader=reader or None, photo=photo)


def error_for(exc: CccdError) -> AgentError:
    """The HTTP answer for a library error, by its type; ``code`` is the error's stable code."""
    message = str(exc)
    if isinstance(exc, AccessError):
        return AgentError(422, exc.code, message)
    if isinstance(exc, CardRemovedError | NoCardError):
        return AgentError(404, exc.code, message)
    if isinstance(exc, ReaderNotFoundError):
        return AgentError(503, exc.code, message)
    if isinstance(exc, TransportError | SecureMessagingError | ReadIncompleteError):
        return AgentError(503, exc.code, f"{message}; nothing was read completely")
    if isinstance(exc, ParseError):
        return AgentError(502, exc.code, f"the card's data is malformed: {message}")
    if isinstance(exc, CardError):
        return AgentError(502, exc.code, f"the card refused: {message}")
    return AgentError(500, exc.code, message)


class ReaderLocks:
    """One lock per reader name; a read that finds its reader's lock taken is ``busy``."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def get(self, reader: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(reader, threading.Lock())

    def busy(self) -> set[str]:
        with self._guard:
            return {name for name, lock in self._locks.items() if lock.locked()}


def choose_reader(backend: Backend, wanted: str | None) -> str:
    """The reader a read goes to: the one named (exactly, or a unique part of its name), else
    the first contactless slot with a card, else any slot with a card."""
    try:
        readers = backend.readers()
    except TransportError as exc:
        raise AgentError(503, "pcsc_unavailable", str(exc)) from None
    if not readers:
        raise AgentError(503, "no_reader", "no card reader is attached (or PC/SC is not running)")
    names = [name for name, _ in readers]
    if wanted:
        if wanted in names:
            return wanted
        partial = [n for n in names if wanted.lower() in n.lower()]
        if len(partial) == 1:
            return partial[0]
        raise AgentError(503, "reader_not_found", "no reader by that name is attached")
    with_card = [name for name, present in readers if present]
    if not with_card:
        raise AgentError(404, "no_card", "no card on any reader: tap the card and try again")
    contactless = [n for n in with_card if is_contactless(n)]
    return (contactless or with_card)[0]


def photo_data_url(photo: Any) -> str | None:
    """The portrait as a data URL a browser can show: JPEG as stored; JPEG 2000 (which browsers
    do not decode) re-encoded as PNG when OpenCV is installed, else as stored."""
    if photo is None:
        return None
    data: bytes = photo.data
    mime = photo.mime or "application/octet-stream"
    if mime in ("image/jp2", "image/j2c"):
        from cccd_reader.lds.dg2 import decode_image

        decoded = decode_image(data)  # size- and dimension-capped, never raises
        if decoded.status == "ok" and decoded.pixels is not None:
            try:
                import cv2

                ok, png = cv2.imencode(".png", decoded.pixels)
            except ImportError:
                ok = False
            if ok:
                data, mime = bytes(png), "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def perform_read(
    request: ReadRequest,
    backend: Backend,
    locks: ReaderLocks,
    *,
    trust: Any = None,
    default_reader: str | None = None,
    progress: Callable[[str, str, int, int], None] | None = None,
) -> tuple[str, dict[str, Any]]:
    """Read and verify the card for one request; the reader used and the record JSON.

    Blocking (runs on a worker thread). Raises :class:`AgentError` for every failure.
    """
    done = read_outcome(request, backend, locks, trust=trust, default_reader=default_reader,
                        progress=progress)
    return done.reader, done.doc


@dataclass(frozen=True)
class ReadDone:
    """One finished read: the reader, the library's outcome (raw files and record) and the
    record JSON the endpoints answer. Personal data: nothing here is logged or kept."""

    reader: str
    outcome: ReadOutcome = field(repr=False)
    doc: dict[str, Any] = field(repr=False)


def read_outcome(
    request: ReadRequest,
    backend: Backend,
    locks: ReaderLocks,
    *,
    trust: Any = None,
    default_reader: str | None = None,
    progress: Callable[[str, str, int, int], None] | None = None,
) -> ReadDone:
    """:func:`perform_read` with the outcome too (the device endpoint sends the raw files,
    the webhooks build their own payloads)."""
    reader = choose_reader(backend, request.reader or default_reader)
    lock = locks.get(reader)
    if not lock.acquire(blocking=False):
        raise AgentError(409, "busy", "a read is already running on this reader")
    on_progress: ProgressFn | None = None
    if progress is not None:
        report = progress

        def on_progress(step: str, done: int, total: int) -> None:
            report(reader, step, done, total)

    try:
        if request.qr is not None:
            outcome, extra = _read_qr(request.qr, backend, reader, trust, on_progress)
        else:
            assert request.key is not None
            outcome = read_with_recovery(
                lambda: backend.connect(reader), request.key, trust=trust, progress=on_progress
            )
            extra = {}
    except CccdError as exc:
        raise error_for(exc) from None
    finally:
        lock.release()
    doc = {**outcome.to_json(), **extra}
    if request.photo and doc.get("photo") is not None:
        doc["photo"]["data_url"] = photo_data_url(outcome.record.photo)
    return ReadDone(reader, outcome, doc)


def _read_qr(
    qr: QRData, backend: Backend, reader: str, trust: Any, progress: ProgressFn | None
) -> tuple[ReadOutcome, dict[str, Any]]:
    """Each of the QR's keys at most once, a fresh connection per key, as ``cccd read --qr``."""
    from cccd_reader.qr import crosscheck, qr_report, read_with_qr

    outcome, attempts = read_with_qr(
        qr,
        lambda: backend.connect(reader),
        lambda t, k: read_and_verify(
            t, k, trust=trust, progress=progress, cross_checks=lambda r: crosscheck(qr, r)
        ),
    )
    return outcome, {"qr": qr_report(qr, None, attempts, None)}


def parse_challenge(value: object) -> bytes:
    """An Active Authentication challenge: base64 of exactly 8 bytes."""
    from cccd_reader.active_auth import CHALLENGE_LENGTH

    if not isinstance(value, str) or len(value) > 64:
        raise AgentError(400, "bad_request", "challenge must be base64 of 8 bytes")
    try:
        challenge = base64.b64decode(value.strip(), validate=True)
    except ValueError:
        raise AgentError(400, "bad_request", "challenge must be base64 of 8 bytes") from None
    if len(challenge) != CHALLENGE_LENGTH:
        raise AgentError(400, "bad_request", "challenge must be base64 of 8 bytes")
    return challenge


def perform_active_auth(
    key: AccessKey,
    challenge: bytes,
    backend: Backend,
    locks: ReaderLocks,
    *,
    reader: str | None = None,
    expected_dg15: bytes | None = None,
) -> tuple[str, ActiveAuthAnswer]:
    """Active Authentication with the caller's challenge on the card in ``reader`` (or the
    reader :func:`choose_reader` picks), under the reader's lock, the key tried once.

    Blocking (worker thread). Raises :class:`AgentError` for every failure.
    """
    from cccd_reader.active_auth import active_authenticate

    name = choose_reader(backend, reader)
    lock = locks.get(name)
    if not lock.acquire(blocking=False):
        raise AgentError(409, "busy", "a read is already running on this reader")
    try:
        return name, active_authenticate(backend.connect(name), key, challenge,
                                         expected_dg15=expected_dg15)
    except CccdError as exc:
        raise error_for(exc) from None
    finally:
        lock.release()
