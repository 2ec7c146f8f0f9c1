"""Totals: event-time windows (7d, 30d, 365d, all) per (country, admin1) and per country.

A window ends at the watermark (the latest `published_at` day seen) and holds the events
whose date falls in it (a month-precision event counts from the month's first day).
Totals are recomputed from the events, so they are idempotent and independent of
arrival order; only totals that changed since the last emission are returned.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, timedelta

from schemas import WINDOWS, ConflictEvent, RegionalTotal
from schemas.events import Window

__all__ = ["window_bounds", "compute_totals", "changed_totals", "WINDOW_DAYS"]

WINDOW_DAYS: dict[Window, int | None] = {"7d": 7, "30d": 30, "365d": 365, "all": None}


def window_bounds(window: Window, watermark: date) -> tuple[date | None, date]:
    """First and last day (inclusive) of a window ending at the watermark."""
    days = WINDOW_DAYS[window]
    return (None if days is None else watermark - timedelta(days=days - 1)), watermark


def _total(country: str, admin1: str | None, window: Window, watermark: date,
           events: Iterable[ConflictEvent]) -> RegionalTotal:  # fmt: skip
    start, end = window_bounds(window, watermark)
    inside = [e for e in events if e.reports and (start is None or e.day >= start) and e.day <= end]
    return RegionalTotal(
        country=country, admin1=admin1, window=window,
        killed_low=sum(e.killed_low for e in inside), killed_best=sum(e.killed_best for e in inside),
        killed_high=sum(e.killed_high for e in inside), wounded=sum(e.wounded for e in inside),
        kidnapped=sum(e.kidnapped for e in inside), events=len(inside),
        window_start=start, window_end=end, as_of=watermark,
    )  # fmt: skip


def compute_totals(events: list[ConflictEvent], watermark: date) -> list[RegionalTotal]:
    """Every region's and country's totals for every window."""
    regions: dict[tuple[str, str | None], list[ConflictEvent]] = {}
    for e in events:
        regions.setdefault((e.country, None), []).append(e)
        if e.admin1:
            regions.setdefault((e.country, e.admin1), []).append(e)
    return [
        _total(country, admin1, window, watermark, evs)
        for (country, admin1), evs in sorted(regions.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
        for window in WINDOWS
    ]


def _digest(total: RegionalTotal) -> str:
    return hashlib.sha256(total.model_dump_json().encode()).hexdigest()[:16]


def changed_totals(
    events: list[ConflictEvent], watermark: date, emitted: dict[str, str]
) -> tuple[list[RegionalTotal], dict[str, str]]:
    """Totals that differ from what was last emitted, and the new emitted digests."""
    out = []
    new = dict(emitted)
    for total in compute_totals(events, watermark):
        digest = _digest(total)
        if emitted.get(total.key) != digest:
            out.append(total)
            new[total.key] = digest
    return out, new
