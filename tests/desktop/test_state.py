"""The counter flow's transition table, without any widget."""

from __future__ import annotations

from cccd_desktop.state import CounterFlow, Event, State


def test_happy_path_and_removal() -> None:
    seen: list[tuple[State, State]] = []
    flow = CounterFlow(lambda a, b: seen.append((a, b)))
    for event in (Event.READER_READY, Event.CARD_PRESENT, Event.READ_STARTED, Event.READ_OK):
        assert flow.fire(event)
    assert flow.state is State.RESULT
    assert flow.fire(Event.CARD_REMOVED)
    assert flow.state is State.WAITING_CARD
    assert [b for _, b in seen] == [State.WAITING_CARD, State.NEED_KEY, State.READING,
                                    State.RESULT, State.WAITING_CARD]


def test_events_that_do_not_fit_are_refused() -> None:
    flow = CounterFlow()
    assert not flow.fire(Event.READ_OK)  # no reader: a stray result is dropped
    assert not flow.fire(Event.CARD_PRESENT)
    assert flow.state is State.NO_READER
    flow.fire(Event.READER_READY)
    assert not flow.fire(Event.READ_STARTED)  # no card yet
    assert flow.state is State.WAITING_CARD


def test_removal_during_read_and_reader_loss() -> None:
    flow = CounterFlow()
    for event in (Event.READER_READY, Event.CARD_PRESENT, Event.READ_STARTED):
        flow.fire(event)
    assert flow.fire(Event.CARD_REMOVED)
    assert not flow.fire(Event.READ_OK)  # the overtaken read cannot show anything
    assert flow.state is State.WAITING_CARD
    assert flow.fire(Event.READER_LOST)
    assert flow.state is State.NO_READER


def test_error_retry_and_clear() -> None:
    flow = CounterFlow()
    for event in (Event.READER_READY, Event.CARD_PRESENT, Event.READ_STARTED, Event.READ_FAILED):
        flow.fire(event)
    assert flow.state is State.ERROR
    assert flow.fire(Event.READ_STARTED)
    assert flow.fire(Event.READ_OK)
    assert flow.fire(Event.CLEARED)
    assert flow.state is State.NEED_KEY
