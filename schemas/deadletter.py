"""Dead letters and the per-input accounting record."""

from __future__ import annotations

from typing import Literal

from schemas.base import AwareDatetime, Message

__all__ = ["DeadLetter", "DeadLetterReason", "Outcome", "OutcomeKind", "Stage"]

Stage = Literal["clean", "extract", "events"]
OutcomeKind = Literal["cleaned", "duplicate", "skipped", "deadlettered"]
#: Why a stage gave up on a message: a closed set, so it can be a metric label.
DeadLetterReason = Literal[
    "invalid_utf8",
    "invalid_json",
    "schema",
    "message_too_large",
    "body_too_large",
    "date_out_of_range",
    "empty_body",
    "internal_error",
]


class DeadLetter(Message):
    """A message a stage could not handle: its original bytes (base64), stage and reason."""

    stage: Stage
    reason: DeadLetterReason
    detail: str
    original_key: str | None = None
    original_value_b64: str
    original_size: int
    truncated: bool = False
    topic: str
    partition: int
    offset: int
    at: AwareDatetime


class Outcome(Message):
    """The fate of one input on `articles.raw`, keyed `raw:<partition>:<offset>` (compacted)."""

    outcome: OutcomeKind
    stage: Stage
    article_id: str | None = None
    reason: str | None = None
    partition: int
    offset: int
