"""Shared base for every message model: frozen, strict about unknown fields, versioned."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

__all__ = ["SCHEMA_VERSION", "Message", "Figures", "AwareDatetime"]

#: Bumped on any breaking change of a topic's contract (the rules: docs/CONSUMERS.md, "Versioning").
SCHEMA_VERSION = 1


def _require_tz(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetime must carry a timezone (ISO 8601 with Z or an offset)")
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_require_tz)]


class Message(BaseModel):
    """Base of all topic values: immutable, no unknown fields, a schema version."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = SCHEMA_VERSION


class Figures(Message):
    """Casualty figures: killed as low/best/high, wounded and kidnapped as best estimates."""

    killed_low: int = Field(default=0, ge=0)
    killed_best: int = Field(default=0, ge=0)
    killed_high: int = Field(default=0, ge=0)
    wounded: int = Field(default=0, ge=0)
    kidnapped: int = Field(default=0, ge=0)
