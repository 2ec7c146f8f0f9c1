"""A one-line progress bar on a terminal, and silence anywhere else.

`Progress(total, label)` draws `label [#####-----] 250/500 50% 310/s` on standard error,
rewritten in place (carriage return) at most ten times a second, only when standard error
is a terminal: piped or logged output stays clean. `close()` ends the line.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress", "bar"]

_WIDTH = 28


def bar(done: int, total: int, label: str, seconds: float) -> str:
    """The text of one frame (pure: tested on its own)."""
    share = done / total if total else 1.0
    filled = min(_WIDTH, int(share * _WIDTH))
    rate = f" {done / seconds:,.0f}/s" if seconds > 0 and done else ""
    return f"{label} [{'#' * filled}{'-' * (_WIDTH - filled)}] {done:,}/{total:,} {share:4.0%}{rate}"


class Progress:
    """Count work done and show it; `enabled=None` means "when `stream` is a terminal"."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.total = total
        self.label = label
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self.enabled = self._stream.isatty() if enabled is None else enabled
        self._started = time.monotonic()
        self._drawn = 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if self.enabled and (now - self._drawn >= 0.1 or self.done >= self.total):
            self._draw(now)

    def _draw(self, now: float) -> None:
        self._drawn = now
        self._stream.write("\r" + bar(self.done, self.total, self.label, now - self._started) + "\x1b[K")
        self._stream.flush()

    def close(self) -> None:
        """Draw the last frame and end its line (nothing when disabled)."""
        if self.enabled:
            self._draw(time.monotonic())
            self._stream.write("\n")
            self._stream.flush()
