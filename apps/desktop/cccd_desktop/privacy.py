"""Keeping personal data out of logs and off screen once it is no longer needed.

Vietnam's personal-data law (91/2025/QH15) counts ID-card data as sensitive and wants it kept
no longer than needed and out of logs; ID numbers and chip traffic also let a holder be tracked
over time. So the app masks numbers before logging and forgets a card after an idle period.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal


def mask(number: str | None, keep: int = 3) -> str:
    """``001190012345`` -> ``*********345``: enough for staff to match a log line to a desk
    event, not enough to identify anyone."""
    if not number:
        return "-"
    return "*" * max(len(number) - keep, 0) + number[-keep:]


class IdleWatcher(QObject):
    """Emits ``expired`` after ``seconds`` without a key press or click while armed."""

    expired = Signal()

    _ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                           QEvent.Type.Wheel, QEvent.Type.TouchBegin})

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # precise: a coarse timer may run up to 5% (6 s of 120) late, and its restarts are
        # rounded, so a poke could not be told from no poke
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.expired)
        self._seconds = 0
        #: time.monotonic() at which the data will be cleared while armed (for the status
        #: shown to staff and for tests; the QTimer is what acts).
        self.deadline: float | None = None

    def set_seconds(self, seconds: int) -> None:
        self._seconds = max(0, seconds)
        if self._timer.isActive():
            self.arm()

    @property
    def armed(self) -> bool:
        return self._timer.isActive()

    def _restart(self) -> None:
        self._timer.start(self._seconds * 1000)
        self.deadline = time.monotonic() + self._seconds

    def arm(self) -> None:
        if self._seconds > 0:
            self._restart()
        else:
            self.disarm()

    def poke(self) -> None:
        """Activity the event filter cannot see (a copy, a switch to another program):
        restart the period if armed."""
        if self._timer.isActive():
            self._restart()

    def disarm(self) -> None:
        self._timer.stop()
        self.deadline = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._timer.isActive() and event.type() in self._ACTIVITY:
            self._restart()
        return False
