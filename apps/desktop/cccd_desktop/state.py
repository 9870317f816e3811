"""The counter flow as an explicit state machine, kept free of Qt widgets.

Counter apps that let reader events and button handlers poke the UI directly end up showing
stale data after a fast remove/re-insert (a complaint users raised about the Belgian eID viewer).
Funnelling every event through one transition table makes such races impossible to express:
an event that does not fit the current state is simply refused.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable

log = logging.getLogger(__name__)


class State(enum.Enum):
    NO_READER = "no_reader"
    WAITING_CARD = "waiting_card"
    #: A card is on the reader but no usable access key has been given yet.
    NEED_KEY = "need_key"
    READING = "reading"
    RESULT = "result"
    ERROR = "error"
    #: The card left, but staff asked to keep the data until the next card or an explicit
    #: clear (they may be copying it into another program).
    KEPT = "kept"


class Event(enum.Enum):
    READER_READY = "reader_ready"
    READER_LOST = "reader_lost"
    CARD_PRESENT = "card_present"
    CARD_REMOVED = "card_removed"
    READ_STARTED = "read_started"
    READ_OK = "read_ok"
    READ_FAILED = "read_failed"
    #: Staff pressed "clear" or the idle timeout fired with the card still in the field.
    CLEARED = "cleared"
    #: The card left while a result is shown and the keep-after-removal setting is on.
    CARD_LEFT_KEPT = "card_left_kept"


_S, _E = State, Event
_TABLE: dict[tuple[State, Event], State] = {
    (_S.NO_READER, _E.READER_READY): _S.WAITING_CARD,
    (_S.WAITING_CARD, _E.CARD_PRESENT): _S.NEED_KEY,
    (_S.NEED_KEY, _E.READ_STARTED): _S.READING,
    (_S.NEED_KEY, _E.CARD_REMOVED): _S.WAITING_CARD,
    (_S.READING, _E.READ_OK): _S.RESULT,
    (_S.READING, _E.READ_FAILED): _S.ERROR,
    (_S.READING, _E.CARD_REMOVED): _S.WAITING_CARD,
    (_S.RESULT, _E.CARD_REMOVED): _S.WAITING_CARD,
    (_S.RESULT, _E.READ_STARTED): _S.READING,
    (_S.RESULT, _E.CLEARED): _S.NEED_KEY,
    (_S.ERROR, _E.CARD_REMOVED): _S.WAITING_CARD,
    (_S.ERROR, _E.READ_STARTED): _S.READING,
    (_S.ERROR, _E.CLEARED): _S.NEED_KEY,
    (_S.RESULT, _E.CARD_LEFT_KEPT): _S.KEPT,
    (_S.KEPT, _E.CARD_PRESENT): _S.NEED_KEY,
    (_S.KEPT, _E.CLEARED): _S.WAITING_CARD,
    (_S.KEPT, _E.CARD_REMOVED): _S.WAITING_CARD,
}


class CounterFlow:
    """Holds the current state and tells listeners about every accepted transition."""

    def __init__(self, on_change: Callable[[State, State], None] | None = None) -> None:
        self.state = State.NO_READER
        self._on_change = on_change

    def can(self, event: Event) -> bool:
        return event is Event.READER_LOST or (self.state, event) in _TABLE

    def fire(self, event: Event) -> bool:
        """Apply ``event``; False (and no change) when it does not fit the current state."""
        if event is Event.READER_LOST:
            target = State.NO_READER
        else:
            found = _TABLE.get((self.state, event))
            if found is None:
                log.debug("event %s ignored in state %s", event.value, self.state.value)
                return False
            target = found
        before, self.state = self.state, target
        log.info("state %s -> %s (%s)", before.value, target.value, event.value)
        if self._on_change is not None:
            self._on_change(before, target)
        return True
