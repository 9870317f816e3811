"""Recording and replaying transports: a whole read session as a transcript of APDUs.

A :class:`RecordingTransport` wraps any transport and keeps every command and response; a
:class:`ReplayTransport` answers from such a transcript, so a session replays byte for byte,
without a card, as gmrtd's tests do. A replay only matches while the terminal sends exactly
the recorded commands: its randomness (nonces, ephemeral keys, challenges) must be the same,
so the read flow's ``rng`` is injectable and a test records with a seeded generator
(:func:`seeded_rng`) and replays with the same seed. A command that differs from the
recording raises :class:`TranscriptMismatch`, naming the exchange.

What a transcript contains (say so when one is sent with a bug report): every APDU as it went
over the wire. The plain SELECTs, EF.CardAccess and the access protocol's messages are in
clear; after access control the traffic is secure-messaging ciphertext. Under BAC anyone who
knows the card's MRZ can derive the session keys and decrypt it; under PACE the ephemeral keys
are needed too, and they are not recorded (the seed only is, and only when a test asked for
it). Treat a transcript as personal data: ``cccd read --record`` writes it 0600.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from cccd_reader.errors import ParseError, TransportError
from cccd_reader.iso7816.transport import Transport
from cccd_reader.rng import Rng

FORMAT = "cccd-transcript/1"
#: A full read of any document is a few hundred APDUs; a transcript beyond this is not one.
MAX_EXCHANGES = 20_000
MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024
_APDU_MAX = 70_000


class TranscriptError(ParseError):
    """A transcript file is malformed or out of bounds."""

    code = "transcript"


class TranscriptMismatch(TransportError):
    """A replayed session sent another command than the recording at this point."""

    code = "transcript_mismatch"


@dataclass
class Transcript:
    """The exchanges of one session, in order, and how to repeat the terminal's side."""

    exchanges: list[tuple[bytes, bytes]] = field(default_factory=list)
    #: Whether the transport carried extended APDUs (the read flow chooses sizes from it).
    extended: bool | None = None
    #: The seed of :func:`seeded_rng` the terminal used, when a test recorded with one.
    terminal_seed: str | None = None
    note: str = ""
    #: The card's ATR, whose historical bytes say whether it takes extended length (absent in
    #: older recordings: a chip that said nothing).
    atr: bytes | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "extended": self.extended,
            "terminal_seed": self.terminal_seed,
            "note": self.note,
            "atr": self.atr.hex() if self.atr is not None else None,
            "exchanges": [{"c": c.hex(), "r": r.hex()} for c, r in self.exchanges],
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=1) + "\n"

    @classmethod
    def loads(cls, text: str | bytes) -> Transcript:
        """Parse a transcript; anything malformed or too large is a :class:`TranscriptError`."""
        if len(text) > MAX_TRANSCRIPT_BYTES:
            raise TranscriptError(f"transcript is larger than {MAX_TRANSCRIPT_BYTES} bytes")
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise TranscriptError(f"transcript is not JSON: {type(exc).__name__}") from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise TranscriptError(f"not a {FORMAT} transcript")
        raw = doc.get("exchanges")
        if not isinstance(raw, list) or len(raw) > MAX_EXCHANGES:
            raise TranscriptError("transcript exchanges missing or too many")
        exchanges: list[tuple[bytes, bytes]] = []
        for i, item in enumerate(raw):
            if not isinstance(item, dict):
                raise TranscriptError(f"exchange {i} is not an object")
            try:
                command, response = bytes.fromhex(item["c"]), bytes.fromhex(item["r"])
            except (KeyError, TypeError, ValueError):
                raise TranscriptError(f"exchange {i} is not a pair of hex strings") from None
            if not command or len(command) > _APDU_MAX or len(response) > _APDU_MAX:
                raise TranscriptError(f"exchange {i} has an impossible APDU length")
            if len(response) < 2:
                raise TranscriptError(f"exchange {i} has no status word")
            exchanges.append((command, response))
        extended = doc.get("extended")
        seed = doc.get("terminal_seed")
        note = doc.get("note", "")
        atr_hex = doc.get("atr")
        if extended not in (None, True, False) or not isinstance(seed, str | None) or not (
            isinstance(note, str)
        ) or not isinstance(atr_hex, str | None):
            raise TranscriptError("transcript header fields have the wrong types")
        try:
            atr = bytes.fromhex(atr_hex) if atr_hex is not None else None
        except ValueError:
            raise TranscriptError("transcript ATR is not hex") from None
        if atr is not None and len(atr) > 33:
            raise TranscriptError("transcript ATR is longer than 33 bytes")
        return cls(exchanges, extended, seed, note, atr)


class RecordingTransport:
    """A transport that passes everything to ``inner`` and keeps every exchange."""

    def __init__(self, inner: Transport, *, terminal_seed: str | None = None) -> None:
        self._inner = inner
        self.transcript = Transcript(extended=inner.supports_extended,
                                     terminal_seed=terminal_seed,
                                     atr=getattr(inner, "atr", None))

    def transmit(self, apdu: bytes) -> bytes:
        response = self._inner.transmit(apdu)
        if len(self.transcript.exchanges) < MAX_EXCHANGES:
            self.transcript.exchanges.append((bytes(apdu), bytes(response)))
        return response

    def close(self) -> None:
        self._inner.close()

    @property
    def supports_extended(self) -> bool | None:
        return self._inner.supports_extended

    def __getattr__(self, name: str) -> Any:
        # reader_name, profile... of the wrapped transport stay visible to the read flow
        return getattr(self._inner, name)


class ReplayTransport:
    """Answers from a transcript; the commands must be the recorded ones, in order."""

    def __init__(self, transcript: Transcript) -> None:
        self._transcript = transcript
        self._next = 0
        self._closed = False

    def transmit(self, apdu: bytes) -> bytes:
        if self._closed:
            raise TransportError("transport is closed")
        if self._next >= len(self._transcript.exchanges):
            raise TranscriptMismatch(
                f"the session sent more commands than the {len(self._transcript.exchanges)} "
                "recorded", params={"exchange": str(self._next)},
            )
        command, response = self._transcript.exchanges[self._next]
        if bytes(apdu) != command:
            raise TranscriptMismatch(
                f"exchange {self._next}: the command differs from the recording (INS "
                f"{apdu[1]:02X} sent, {command[1]:02X} recorded)" if len(apdu) > 1 else
                f"exchange {self._next}: the command differs from the recording",
                params={"exchange": str(self._next)},
            )
        self._next += 1
        return response

    @property
    def finished(self) -> bool:
        """Every recorded exchange was replayed."""
        return self._next == len(self._transcript.exchanges)

    def close(self) -> None:
        self._closed = True

    @property
    def supports_extended(self) -> bool | None:
        return self._transcript.extended

    @property
    def atr(self) -> bytes | None:
        return self._transcript.atr


def seeded_rng(seed: str) -> Rng:
    """A deterministic byte source for the terminal (SHAKE-256 of the seed): record and replay
    with the same seed and the terminal sends the same commands. Tests only: it is no
    substitute for ``os.urandom`` at a counter."""
    counter = 0

    def draw(n: int) -> bytes:
        nonlocal counter
        out = b""
        while len(out) < n:
            block = hashlib.shake_256(f"{seed}/{counter}".encode()).digest(max(n - len(out), 1))
            counter += 1
            out += block
        return out[:n]

    return draw
