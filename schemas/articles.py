"""Article messages: what producers send (`RawArticle`) and what the clean stage emits."""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import Field, model_validator

from schemas.base import AwareDatetime, Message

__all__ = ["RawArticle", "CleanArticle", "RawRef", "Timing", "derive_article_id"]


def derive_article_id(url: str | None, body: str) -> str:
    """A stable id: from the URL when there is one, else from the body's content hash."""
    if url:
        return "u-" + hashlib.sha256(url.strip().encode("utf-8")).hexdigest()[:16]
    return "c-" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


class RawArticle(Message):
    """The producers' contract on `articles.raw`: `body` and `published_at` are required."""

    id: str | None = Field(default=None, min_length=1, max_length=200)
    url: str | None = Field(default=None, max_length=4096)
    source: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=2000)
    language: str | None = Field(default=None, max_length=20)
    body: str = Field(min_length=1)
    published_at: AwareDatetime

    @model_validator(mode="after")
    def _fill_id(self) -> RawArticle:
        if self.id is None:
            object.__setattr__(self, "id", derive_article_id(self.url, self.body))
        return self

    @property
    def article_id(self) -> str:
        """The id, always set after validation."""
        assert self.id is not None
        return self.id


class RawRef(Message):
    """Where an input came from on `articles.raw`: the key of its accounting record."""

    partition: int
    offset: int

    @property
    def key(self) -> str:
        return f"raw:{self.partition}:{self.offset}"


class Timing(Message):
    """Lineage timestamps (seconds since the epoch) for end-to-end latency."""

    ingested: float
    cleaned: float | None = None
    extracted: float | None = None


class CleanArticle(Message):
    """A cleaned, de-duplicated English article on `articles.clean`."""

    article_id: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published_at: AwareDatetime
    language: Literal["en"] = "en"
    paragraphs: list[str]
    content_hash: str
    raw: RawRef
    timing: Timing

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)
