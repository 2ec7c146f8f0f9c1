"""Event revisions (`events`) and regional totals (`casualty.totals`)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from schemas.base import AwareDatetime, Figures
from schemas.entities import Precision

__all__ = ["SourceReport", "ConflictEvent", "RegionalTotal", "Window", "WINDOWS"]

Window = Literal["7d", "30d", "365d", "all"]
WINDOWS: tuple[Window, ...] = ("7d", "30d", "365d", "all")


class SourceReport(Figures):
    """One article's account of an event: what it said, and where it said it."""

    article_id: str
    candidate: int
    url: str | None = None
    source: str | None = None
    published_at: AwareDatetime
    claim: bool = False
    toll_given: bool = False
    revision: bool = False
    background: bool = False
    aside: bool = Field(default=False, description="the article tells this attack beside the one it reports")
    superseded: bool = Field(default=False, description="a later revision of the toll replaced this figure")
    sentences: list[str] = []
    evidence: list[str] = Field(default=[], description="the sentences its casualty figures were read from")


class ConflictEvent(Figures):
    """One revision of one event; the latest revision of an `event_id` is the truth."""

    event_id: str
    revision: int = Field(ge=1)
    country: str
    admin1: str | None = None
    admin2: str | None = None
    place: str | None = None
    geonameid: int | None = None
    day: date
    precision: Precision
    actors: list[str] = []
    reports: list[SourceReport]
    archived: bool = Field(
        default=False,
        description="the event left the events state (past its horizon): this revision is its last, and it "
        "counts in the all-time totals only, through its regions' archive",
    )


class RegionalTotal(Figures):
    """The latest totals of one region and window; keyed `CC/Admin1/window` (`CC//window`)."""

    country: str
    admin1: str | None = None
    window: Window
    events: int = Field(default=0, ge=0)
    window_start: date | None
    window_end: date
    as_of: date

    @property
    def key(self) -> str:
        return f"{self.country}/{self.admin1 or ''}/{self.window}"
