"""Errors a stage reports as data (a dead letter), never raises into the framework.

StageError           a message a stage rejects; `reason` is a short closed-set label
└── (stage modules raise it with their own reasons: body_too_large, empty_body, ...)
"""

from __future__ import annotations

from schemas.deadletter import DeadLetterReason

__all__ = ["StageError"]


class StageError(ValueError):
    """A message that cannot go on; `reason` becomes the dead letter's reason."""

    def __init__(self, reason: DeadLetterReason, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = detail or reason
