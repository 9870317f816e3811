"""A one-line progress bar for long batches, drawn on a terminal only.

Piped or redirected output gets nothing extra (the bar is for a person watching, and escape
codes in a log file are noise), so :class:`Progress` draws only when its stream is a TTY. It
redraws at most ten times a second: a batch of ten thousand dumps must not spend its time on
the terminal.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]

_WIDTH = 28
_INTERVAL_S = 0.1


class Progress:
    """``[#####-----]  523/2000  26%  180/s  ETA 0:08`` on ``stream`` (stderr by default)."""

    def __init__(self, total: int, *, stream: TextIO | None = None,
                 enabled: bool | None = None, unit: str = "dumps") -> None:
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            try:
                enabled = self.stream.isatty()
            except (AttributeError, ValueError):
                enabled = False
        self.enabled = enabled
        self.total = total
        self.unit = unit
        self.done = 0
        self._start = time.monotonic()
        self._drawn = 0.0
        self._visible = False

    def update(self, done: int, *, force: bool = False) -> None:
        self.done = done
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._drawn < _INTERVAL_S and done < self.total:
            return
        self._drawn = now
        self.stream.write("\r" + self.render(now - self._start) + "\x1b[K")
        self.stream.flush()
        self._visible = True

    def render(self, elapsed: float) -> str:
        """The bar's text (no escape codes) after ``elapsed`` seconds."""
        total = max(self.total, 1)
        filled = min(_WIDTH, _WIDTH * self.done // total)
        rate = self.done / elapsed if elapsed > 0 else 0.0
        text = (f"[{'#' * filled}{'-' * (_WIDTH - filled)}] {self.done}/{self.total} "
                f"{self.unit} {100 * self.done // total}%")
        if rate > 0:
            left = int((self.total - self.done) / rate)
            text += f" {rate:.0f}/s ETA {left // 60}:{left % 60:02d}"
        return text

    def clear(self) -> None:
        """Erase the bar (before other output is written to the same terminal)."""
        if self._visible:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._visible = False

    def redraw(self) -> None:
        """Draw the bar again after other output, at most at the usual rate."""
        if self.enabled:
            self.update(self.done)
