"""Dead letters and the per-input accounting record."""

from __future__ import annotations

from typing import Literal

from schemas.base import AwareDatetime, Message

__all__ = ["DeadLetter", "Outcome", "OutcomeKind", "Stage"]

Stage = Literal["clean", "extract", "events"]
OutcomeKind = Literal["cleaned", "duplicate", "skipped", "deadlettered"]


class DeadLetter(Message):
    """A message a stage could not handle: its original bytes (base64), stage and reason."""

    stage: Stage
    reason: str
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
