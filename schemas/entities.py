"""Entities found by the extract stage, and the `ExtractedArticle` that carries them."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from schemas.articles import RawRef, Timing
from schemas.base import AwareDatetime, Figures, Message

__all__ = [
    "Span",
    "Place",
    "Actor",
    "CasualtyMention",
    "DateMention",
    "EventCandidate",
    "ExtractedArticle",
    "WatermarkTick",
    "CasualtyKind",
    "Scope",
    "Precision",
]

CasualtyKind = Literal["killed", "wounded", "kidnapped", "missing"]
Scope = Literal["event", "cumulative", "claim", "negated", "hypothetical", "background"]
Precision = Literal["day", "week", "month", "year"]


class Span(Message):
    """Provenance: the character span in the cleaned text, and its sentence."""

    start: int
    end: int
    sentence: str


class Place(Message):
    """A resolved place; `admin1` is None when only the country is certain."""

    name: str
    geonameid: int | None = None
    country: str = Field(min_length=2, max_length=2)
    admin1: str | None = None
    admin2: str | None = None
    level: Literal["country", "admin1", "admin2", "place"]
    span: Span


class Actor(Message):
    """An armed actor or victim group from the curated lexicon."""

    name: str
    kind: Literal["state", "foreign", "jihadist", "militia", "rebel", "civilian", "other"]
    span: Span


class CasualtyMention(Message):
    """A casualty figure with its qualifier, kind, victim group and scope."""

    kind: CasualtyKind
    low: int = Field(ge=0)
    best: int = Field(ge=0)
    high: int = Field(ge=0)
    qualifier: str | None = None
    victims: str | None = None
    scope: Scope = "event"
    additional: bool = Field(
        default=False, description="adds to earlier figures of its kind ('another', 'later died', 'others')"
    )
    alternative: bool = Field(
        default=False,
        description="another count of the victims of the figure before it in its sentence "
        "('officials gave 10 dead, while witnesses spoke of 30')",
    )
    span: Span


class DateMention(Message):
    """An event date resolved against `published_at`, with ACLED-like precision."""

    day: date
    precision: Precision
    text: str


class EventCandidate(Figures):
    """One attack as reported by one article: the unit the events stage merges."""

    index: int
    country: str
    admin1: str | None = None
    admin2: str | None = None
    place: str | None = None
    geonameid: int | None = None
    day: date
    precision: Precision
    dated: bool
    actors: list[str] = []
    claim: bool = False
    toll_given: bool = Field(default=False, description="the article gives a killed figure (0 included) for it")
    revision: bool = Field(default=False, description="the article revises a toll ('the toll rose to 41')")
    background: bool = Field(default=False, description="recalled in passing, weeks after it happened")
    aside: bool = Field(
        default=False,
        description="another attack than the one the article reports (its first violent sentence's): "
        "recalled, or told beside it",
    )
    modes: list[str] = Field(default=[], description="means of attack named: ied, airstrike, suicide, shelling")
    sentences: list[str] = []
    evidence: list[str] = Field(default=[], description="the sentences its casualty figures were read from")


class ExtractedArticle(Message):
    """An article with its entities, routed to the events stage keyed by `route`."""

    kind: Literal["article"] = "article"
    article_id: str
    route: str = Field(description="country code whose candidates this copy carries")
    url: str | None = None
    source: str | None = None
    published_at: AwareDatetime
    places: list[Place] = []
    actors: list[Actor] = []
    casualties: list[CasualtyMention] = []
    dates: list[DateMention] = []
    candidates: list[EventCandidate] = []
    raw: RawRef
    timing: Timing


class WatermarkTick(Message):
    """Broadcast to every events partition when an extractor's latest day, or the earliest
    of the latest days of its input partitions, advances (docs/ARCHITECTURE.md, "Watermark")."""

    kind: Literal["watermark"] = "watermark"
    day: date = Field(description="the latest published day the extractor has read")
    sources: dict[int, date] = Field(
        default={},
        description="per partition of articles.clean it read: the latest published day read from it (or, for a "
        "partition idle long enough with nothing left to read, `day`)",
    )
