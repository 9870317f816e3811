"""The steps after a read, for a bank's counter page: ``POST /v1/face-match`` and
``POST /v1/evidence``, both naming the read by its ``read_id`` (:mod:`.read_ids`), and the
``read_id`` form of ``POST /v1/active-auth``.

* **Face match**: the page sends a camera image (JPEG or PNG, at most :data:`MAX_LIVE_BYTES`
  and 4096x4096, both checked from the bytes and the image header before any decoder runs) and
  the read's id; the agent compares it with that read's portrait (:mod:`cccd_reader.face`) and
  answers score, band, thresholds, model ids and quality, or a refusal with its reason. A read
  proven ``not_genuine`` is refused (``chip_not_genuine``) without looking at the image: its
  portrait may be the impostor's own. The result is kept with the read for the evidence
  package; the camera image only when the page says the customer consented
  (``keep_live_image``).
* **Evidence**: the ``cccd-evidence/1`` package of the read (:mod:`cccd_reader.evidence`), with
  the Active Authentication answer obtained for this read over the server's challenge
  (``aa_challenge``), the face result (``face``) and the camera image (``include_live_image``)
  only when asked for.

Nothing of a face, an image or a package is logged: the log says the endpoint and a code.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import anyio
from anyio import to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from cccd_reader.agent.bodies import json_body
from cccd_reader.agent.read_ids import FaceHeld, ReadEntry
from cccd_reader.agent.reads import AgentError, parse_challenge, parse_request, perform_active_auth
from cccd_reader.image_headers import photo_mime, photo_size

if TYPE_CHECKING:
    from cccd_reader.active_auth import ActiveAuthAnswer
    from cccd_reader.agent.state import AgentState

log = logging.getLogger("cccd_reader.agent")

#: Largest camera image accepted (a webcam JPEG is ~100 KB; a phone photo a few MB).
MAX_LIVE_BYTES = 4 * 1024 * 1024
#: Largest side of the camera image, in pixels (from its header, before decoding).
MAX_LIVE_SIDE = 4096
#: Its base64 text, and the body around it (the read id, a data-URL prefix, the flags).
MAX_LIVE_BASE64 = 4 * ((MAX_LIVE_BYTES + 2) // 3)
MAX_FACE_BODY = MAX_LIVE_BASE64 + 1024
LIVE_TYPES = ("image/jpeg", "image/png")

FACE_FIELDS = frozenset({"read_id", "image", "keep_live_image"})
EVIDENCE_FIELDS = frozenset({"read_id", "aa_challenge", "face", "include_live_image"})

__all__ = [
    "MAX_FACE_BODY",
    "MAX_LIVE_BYTES",
    "MAX_LIVE_SIDE",
    "active_auth_for_read",
    "evidence",
    "face_match",
    "purge_expired_reads",
    "watch_removals",
]


def _error(err: AgentError) -> JSONResponse:
    return JSONResponse(err.to_json(), status_code=err.status)


def _object(body: object, fields: frozenset[str]) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise AgentError(400, "bad_request", "the body must be a JSON object")
    unknown = sorted(set(body) - fields)
    if unknown:
        raise AgentError(400, "bad_request", f"unknown field {unknown[0][:40]!r}")
    return body


def _flag(body: dict[str, Any], name: str) -> bool:
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise AgentError(400, "bad_request", f"{name} must be true or false")
    return value


def held_read(state: AgentState, read_id: object) -> ReadEntry:
    """The read a request names, still bound to the card in its reader."""
    reader = state.read_ids.reader_of(read_id)
    present: bool | None = None
    if reader is not None:
        readers, _ok = state.hub.snapshot()
        present = dict(readers).get(reader, False)
    return state.read_ids.get(read_id, card_present=present)


# ------------------------------------------------------------------------------ the image


def live_image(value: object) -> tuple[str, bytes]:
    """The camera image of a request: base64 or a ``data:image/...;base64,`` URL of a JPEG or
    PNG; its size and its header's dimensions checked before anything decodes it."""
    if not isinstance(value, str) or not value:
        raise AgentError(400, "bad_image", "image must be a JPEG or PNG in base64 (or a data "
                         "URL)")
    text = value
    if text.startswith("data:"):
        head, sep, text = text.partition(",")
        if not sep or head.lower() not in ("data:image/jpeg;base64", "data:image/png;base64"):
            raise AgentError(400, "bad_image", "image must be a data:image/jpeg or "
                             "data:image/png base64 URL")
    if len(text) > MAX_LIVE_BASE64:
        raise AgentError(413, "image_too_large", f"the image is larger than {MAX_LIVE_BYTES} "
                         "bytes")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise AgentError(400, "bad_image", "image is not valid base64") from None
    if len(data) > MAX_LIVE_BYTES:
        raise AgentError(413, "image_too_large", f"the image is larger than {MAX_LIVE_BYTES} "
                         "bytes")
    mime = photo_mime(data)
    if mime not in LIVE_TYPES:
        raise AgentError(400, "bad_image", "the image is not a JPEG or PNG")
    size = photo_size(data)
    if size is None:
        raise AgentError(400, "bad_image", "the image header is truncated or malformed")
    if size[0] > MAX_LIVE_SIDE or size[1] > MAX_LIVE_SIDE:
        raise AgentError(413, "image_too_large", f"the image is {size[0]}x{size[1]} pixels, "
                         f"over {MAX_LIVE_SIDE}x{MAX_LIVE_SIDE}")
    assert mime is not None
    return mime, data


# ------------------------------------------------------------------------------ face match


def _compare(portrait: bytes, live: bytes) -> dict[str, Any]:
    """The face module's comparison (worker thread); its JSON."""
    try:
        from cccd_reader.face import FaceImageError, FaceModelError, compare
    except ImportError:
        raise AgentError(503, "face_unavailable", "the face check needs the face extra "
                         "(OpenCV 5)") from None
    try:
        return compare(portrait, live).to_json()
    except FaceImageError as exc:
        if exc.side == "chip":
            raise AgentError(422, "bad_portrait", str(exc)) from None
        raise AgentError(400, "bad_image", str(exc)) from None
    except FaceModelError:
        raise AgentError(503, "face_unavailable", "the face models cannot run on this "
                         "PC") from None


def _not_genuine_refusal() -> dict[str, Any]:
    try:
        from cccd_reader.face import FaceMatch, refusal_for_verdict
    except ImportError:
        raise AgentError(503, "face_unavailable", "the face check needs the face extra "
                         "(OpenCV 5)") from None
    refused = refusal_for_verdict("not_genuine")
    return FaceMatch(None, None, {}, refused).to_json()


async def face_match(request: Request) -> Response:
    """``POST /v1/face-match``: ``{"read_id", "image", "keep_live_image"?}`` -> the face
    module's JSON with ``chip_verdict``, or an error."""
    state: AgentState = request.app.state.agent
    try:
        body = _object(await json_body(request, MAX_FACE_BODY), FACE_FIELDS)
        keep = _flag(body, "keep_live_image")
        entry = held_read(state, body.get("read_id"))
        record = entry.done.outcome.record
        verdict = record.verification.verdict if record.verification is not None else None
        if verdict == "not_genuine":
            # a forged chip's portrait may be the impostor's: the image is not even decoded
            mime, live = None, None
            doc = _not_genuine_refusal()
        else:
            mime, live = live_image(body.get("image"))
            if record.photo is None or not record.photo.data:
                raise AgentError(422, "bad_portrait", "this read holds no portrait (DG2)")
            portrait = record.photo.data
            doc = await to_thread.run_sync(lambda: _compare(portrait, live),
                                           limiter=state.face_limiter)
        doc["chip_verdict"] = verdict
        # the read may have gone while the faces were compared (expiry, removal)
        entry = held_read(state, entry.read_id)
        entry.face = FaceHeld(doc, datetime.now(UTC), mime if keep else None,
                              live if keep else None)
    except AgentError as err:
        log.info("face-match: %s", err.code)
        return _error(err)
    refused = doc.get("refused")
    log.info("face-match: %s", refused["code"] if refused else "scored")
    return JSONResponse(doc)


# ------------------------------------------------------------------------------ active auth


async def active_auth_for_read(state: AgentState, body: dict[str, Any],
                               challenge: bytes) -> tuple[str, ActiveAuthAnswer]:
    """``POST /v1/active-auth`` with a ``read_id``: on that read's reader, refused unless the
    card there is the card that was read (its DG15), and the answer kept with the read for
    ``POST /v1/evidence``. The key is given again (the agent does not keep keys)."""
    entry = held_read(state, body.get("read_id"))
    req = parse_request({k: v for k, v in body.items() if k not in ("challenge", "read_id")})
    if req.key is None:
        raise AgentError(400, "bad_key", "active authentication needs can, id or mrz")
    if req.reader is not None and req.reader != entry.reader:
        raise AgentError(400, "bad_request", "reader is not the reader of this read")
    key, reader = req.key, entry.reader
    dg15 = entry.done.outcome.result.files.get("DG15")
    name, answer = await to_thread.run_sync(
        lambda: perform_active_auth(key, challenge, state.backend, state.locks, reader=reader,
                                    expected_dg15=dg15),
        limiter=state.read_limiter,
    )
    held_read(state, entry.read_id).add_active_auth(challenge, answer)
    return name, answer


# ------------------------------------------------------------------------------ evidence


def build_evidence(entry: ReadEntry, *, challenge: bytes | None, face: bool,
                   include_live_image: bool) -> dict[str, Any]:
    """The package JSON of a held read with what the request asked for."""
    from cccd_reader import evidence as ev

    outcome = entry.done.outcome
    active_auth = outcome.result.active_auth
    if challenge is not None:
        answer = entry.active_auth.get(challenge)
        if answer is None:
            raise AgentError(409, "active_auth_not_obtained", "no Active Authentication with "
                             "this challenge was obtained for this read: POST /v1/active-auth "
                             "with the read_id first")
        # the answer's check, carrying the exchange a server re-checks
        active_auth = dataclasses.replace(answer.result, challenge=answer.challenge,
                                          signature=answer.signature)
    held = entry.face
    if face and held is None:
        raise AgentError(409, "no_face_result", "no face comparison was made for this read")
    if include_live_image and (not face or held is None or held.live_image is None):
        raise AgentError(409, "live_image_not_kept", "include_live_image needs face: true and "
                         "a face-match made with keep_live_image: true")
    try:
        face_block = (ev.FaceEvidence.from_mapping(held.result, held.computed_at)
                      if face and held is not None else None)
        live = (ev.LiveImage(held.live_mime or "", held.live_image, consent=True)
                if include_live_image and held is not None and held.live_image is not None
                else None)
        package = ev.build_package(
            outcome.result.files, outcome.record.verification, active_auth=active_auth,
            caller_challenge=challenge, face=face_block, live_image=live,
            read_at=outcome.finished_at, protected=outcome.result.protected,
            missing=outcome.result.missing, component="agent")
        ev.loads(ev.dumps(package))  # the bounds a server applies: never answer what fails them
    except ev.EvidenceError as exc:
        raise AgentError(422, "evidence_unavailable", f"no package can be made from this "
                         f"read: {exc.reason}") from None
    return ev.to_json(package)


async def evidence(request: Request) -> Response:
    """``POST /v1/evidence``: ``{"read_id", "aa_challenge"?, "face"?, "include_live_image"?}``
    -> the ``cccd-evidence/1`` package JSON."""
    state: AgentState = request.app.state.agent
    try:
        body = _object(await json_body(request), EVIDENCE_FIELDS)
        face = _flag(body, "face")
        include_live = _flag(body, "include_live_image")
        raw_challenge = body.get("aa_challenge")
        challenge = parse_challenge(raw_challenge) if raw_challenge is not None else None
        entry = held_read(state, body.get("read_id"))
        doc = await to_thread.run_sync(lambda: build_evidence(
            entry, challenge=challenge, face=face, include_live_image=include_live))
    except AgentError as err:
        log.info("evidence: %s", err.code)
        return _error(err)
    log.info("evidence: ok")
    return JSONResponse(doc)


# ------------------------------------------------------------------------------ background


def watch_removals(state: AgentState) -> None:
    """Drop held reads when their card leaves the reader (the hub's events, on the loop)."""

    def on_message(message: dict[str, Any]) -> None:
        reader = message.get("reader")
        if message.get("type") in ("card_removed", "reader_removed") and isinstance(reader, str):
            state.read_ids.card_removed(reader)

    state.hub.watchers.append(on_message)


async def purge_expired_reads(state: AgentState) -> None:
    """For as long as the agent runs: drop held reads once they expire (checked every
    second, so a portrait is gone at most a second after its 5 minutes)."""
    while True:
        state.read_ids.purge()
        await anyio.sleep(1.0)
