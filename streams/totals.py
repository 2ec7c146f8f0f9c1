"""Totals: event-time windows (7d, 30d, 365d, all) per (country, admin1) and per country.

A window ends at the watermark (the latest `published_at` day seen) and holds the events
whose date falls in it (a month-precision event counts from the month's first day).
Totals are recomputed from the events, so they are idempotent and independent of
arrival order; only totals that changed since the last emission are published.

Events older than the state horizon (`streams.events.HORIZON_DAYS` before the low
watermark, longer than the longest finite window) leave the events state; what they
counted is kept per region as an `Archived` sum, which the `all` window adds to the live
events. Their last revisions (`archived`) are never counted again from the events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from schemas import WINDOWS, ConflictEvent, RegionalTotal
from schemas.events import Window

__all__ = [
    "Archived", "Sums", "WINDOW_DAYS", "compute_totals", "count_event", "digest", "empty_sums", "region_key",
    "region_totals", "totals_from", "window_bounds",
]  # fmt: skip

WINDOW_DAYS: dict[Window, int | None] = {"7d": 7, "30d": 30, "365d": 365, "all": None}


class Archived(BaseModel):
    """What the events evicted from a region's state counted (the `all` window keeps it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    killed_low: int = 0
    killed_best: int = 0
    killed_high: int = 0
    wounded: int = 0
    kidnapped: int = 0
    events: int = 0
    #: the last day the events state evicted at whose events this holds: an eviction
    #: replayed after a crash (the same input again) does not add them twice
    through: date | None = None

    def plus(self, event: ConflictEvent, through: date | None = None) -> Archived:
        return Archived(
            killed_low=self.killed_low + event.killed_low, killed_best=self.killed_best + event.killed_best,
            killed_high=self.killed_high + event.killed_high, wounded=self.wounded + event.wounded,
            kidnapped=self.kidnapped + event.kidnapped, events=self.events + 1, through=through or self.through,
        )  # fmt: skip


def region_key(country: str, admin1: str | None) -> str:
    """`CC/Admin1`, or `CC/` for the whole country (the totals' keys without the window)."""
    return f"{country}/{admin1 or ''}"


def window_bounds(window: Window, watermark: date) -> tuple[date | None, date]:
    """First and last day (inclusive) of a window ending at the watermark."""
    days = WINDOW_DAYS[window]
    return (None if days is None else watermark - timedelta(days=days - 1)), watermark


Sums = list[list[int]]  # per window (WINDOWS order): killed low, best, high, wounded, kidnapped, events


def empty_sums(archived: Archived | None = None) -> Sums:
    """Window sums with nothing counted but a region's archive (in the `all` window)."""
    sums = [[0] * 6 for _ in WINDOWS]
    if archived is not None:
        sums[WINDOWS.index("all")] = [archived.killed_low, archived.killed_best, archived.killed_high,
                                      archived.wounded, archived.kidnapped, archived.events]  # fmt: skip
    return sums


def count_event(sums: Sums, event: ConflictEvent, watermark: date, sign: int = 1) -> None:
    """Add a live event to the windows (ending at `watermark`) it falls in; sign -1 takes it away.
    An archived event (evicted: its last revision) counts only through its regions' archive."""
    if not event.reports or event.archived or event.day > watermark:
        return
    figures = (event.killed_low, event.killed_best, event.killed_high, event.wounded, event.kidnapped, 1)
    for window, acc in zip(WINDOWS, sums, strict=True):
        start = window_bounds(window, watermark)[0]
        if start is None or event.day >= start:
            for i, value in enumerate(figures):
                acc[i] += sign * value


def totals_from(country: str, admin1: str | None, sums: Sums, watermark: date) -> list[RegionalTotal]:
    """A region's totals for every window from its window sums."""
    rows = zip(WINDOWS, sums, strict=True)
    return [
        RegionalTotal.model_construct(
            country=country,
            admin1=admin1,
            window=window,
            killed_low=low,
            killed_best=best,
            killed_high=high,
            wounded=wounded,
            kidnapped=kidnapped,
            events=count,
            window_start=window_bounds(window, watermark)[0],
            window_end=watermark,
            as_of=watermark,
        )  # fmt: skip
        for window, (low, best, high, wounded, kidnapped, count) in rows
    ]


def region_totals(
    country: str, admin1: str | None, events: Iterable[ConflictEvent], watermark: date, archived: Archived | None
) -> list[RegionalTotal]:
    """One region's totals for every window, in one pass over its live events."""
    sums = empty_sums(archived)
    for event in events:
        count_event(sums, event, watermark)
    return totals_from(country, admin1, sums, watermark)


def compute_totals(
    events: list[ConflictEvent], watermark: date, archive: Mapping[str, Archived] | None = None
) -> list[RegionalTotal]:
    """Every region's and country's totals for every window, from scratch."""
    regions: dict[tuple[str, str | None], list[ConflictEvent]] = {}
    for e in events:
        regions.setdefault((e.country, None), []).append(e)
        if e.admin1:
            regions.setdefault((e.country, e.admin1), []).append(e)
    archive = archive or {}
    for key in archive:
        country, _, admin1 = key.partition("/")
        regions.setdefault((country, admin1 or None), [])
    return [
        total
        for (country, admin1), evs in sorted(regions.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
        for total in region_totals(country, admin1, evs, watermark, archive.get(region_key(country, admin1)))
    ]


def digest(total: RegionalTotal) -> str:
    """What a total says, compactly: equal digests, equal totals (the key aside)."""
    return (
        f"{total.killed_low},{total.killed_best},{total.killed_high},{total.wounded},{total.kidnapped},"
        f"{total.events},{total.window_start},{total.window_end},{total.as_of}"
    )
