"""`tollwatch explain REGION`: the events behind a total, their sources and sentences.

The events come either from a running pipeline (the `events` topic: the latest revision
of each event id, and the watermark from `casualty.totals`) or from running the same
stage functions in process over input files (`--input`, default the seeds).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import orjson

from schemas import CleanArticle, ConflictEvent, RawArticle, RawRef, RegionalTotal, decode
from schemas.base import Figures
from schemas.events import Window
from streams.clean import clean
from streams.errors import StageError
from streams.events import EventState, apply_article
from streams.extract import extract
from streams.totals import Archived, window_bounds

__all__ = [
    "Region", "parse_region", "events_offline", "run_offline", "from_broker", "select", "render", "render_json",
    "latest_events",
]  # fmt: skip


@dataclass(frozen=True)
class Region:
    country: str
    admin1: str | None

    def __str__(self) -> str:
        return f"{self.country}/{self.admin1}" if self.admin1 else self.country


def parse_region(text: str) -> Region:
    """'ML/Mopti' or 'ML' (a whole country); raises ValueError on anything else."""
    country, _, admin1 = text.strip().partition("/")
    if len(country) != 2 or not country.isalpha():
        raise ValueError(f"region must be CC or CC/Admin1 (e.g. ML/Mopti), not {text!r}")
    return Region(country.upper(), admin1.strip() or None)


def events_offline(messages: list[tuple[bytes | None, bytes]]) -> tuple[list[ConflictEvent], date | None]:
    """The live events of `messages` and the watermark (see `run_offline`)."""
    events, watermark, _ = run_offline(messages)
    return events, watermark


def run_offline(
    messages: list[tuple[bytes | None, bytes]],
) -> tuple[list[ConflictEvent], date | None, dict[str, Archived]]:
    """Clean, extract and merge `messages` in process, as the workers would, into one state
    per country (the events partitions): the live events, the watermark, and what events
    past the state horizon left in each region's archive (the `all` window counts it;
    `streams.totals.compute_totals` takes it). Messages that fail are left out."""
    states: dict[str, EventState] = {}
    for offset, (_, value) in enumerate(messages):
        try:
            article = clean(decode(RawArticle, value), RawRef(partition=0, offset=offset), 0.0, 0.0)
        except (StageError, ValueError):
            continue
        if not isinstance(article, CleanArticle):
            continue
        for copy in extract(article, 0.0):
            states[copy.route], _, _ = apply_article(states.get(copy.route, EventState()), copy)
    marks = [s.watermark for s in states.values() if s.watermark]
    archive = {key: sums for s in states.values() for key, sums in s.archive.items()}  # regions: one country each
    return [e for s in states.values() for e in s.events.values()], max(marks, default=None), archive


def latest_events(records: list[tuple[bytes | None, bytes]]) -> list[ConflictEvent]:
    """The latest revision of each event id among `events` topic records."""
    latest: dict[str, ConflictEvent] = {}
    for _, value in records:
        event = decode(ConflictEvent, value)
        if event.event_id not in latest or event.revision > latest[event.event_id].revision:
            latest[event.event_id] = event
    return list(latest.values())


def from_broker(bootstrap: str) -> tuple[list[RegionalTotal], list[ConflictEvent], date | None]:
    """A running pipeline's latest totals (one per key), the latest revision of each event,
    and the watermark, read from its topics (settings and security from TOLLWATCH_*)."""
    import asyncio

    from streams.config import Settings
    from streams.demo import latest_totals
    from streams.kafka_io import read_topic

    settings = Settings()  # TOLLWATCH_SECURITY_PROTOCOL, _SASL_*, _SSL_* apply to the connection
    records = asyncio.run(read_topic(bootstrap, settings.topic_events, settings=settings))
    events = latest_events([(key, value) for key, value, _, _ in records])
    totals = asyncio.run(latest_totals(bootstrap, settings))
    return totals, events, watermark_of(totals)


def watermark_of(totals: list[RegionalTotal]) -> date | None:
    return max((t.as_of for t in totals), default=None)


def select(events: list[ConflictEvent], region: Region, window: Window, watermark: date | None) -> list[ConflictEvent]:
    """The live events of `region` inside `window` (ending at the watermark), newest first:
    exactly the events its total sums."""
    if watermark is None:
        return []
    start, end = window_bounds(window, watermark)
    chosen = [
        e for e in events
        if e.reports and e.country == region.country and (region.admin1 is None or e.admin1 == region.admin1)
        and (start is None or e.day >= start) and e.day <= end
    ]  # fmt: skip
    return sorted(chosen, key=lambda e: (e.day, e.event_id), reverse=True)


def _figures(f: Figures) -> str:
    killed = f"killed {f.killed_low}/{f.killed_best}/{f.killed_high} (low/best/high)"
    return f"{killed}, wounded {f.wounded}, kidnapped {f.kidnapped}"


def render(events: list[ConflictEvent], region: Region, window: Window, watermark: date | None) -> str:
    """The events as text: figures, then each source with its figures and sentences."""
    total = sum(e.killed_best for e in events)
    lines = [f"{region} · window {window} ending {watermark or '-'} · {len(events)} event(s), killed (best) {total}"]
    for e in events:
        where = ", ".join(x for x in (e.place, e.admin2, e.admin1, e.country) if x)
        lines.append("")
        lines.append(f"{e.event_id} (revision {e.revision}) · {e.day} ({e.precision}) · {where}")
        lines.append(f"  {_figures(e)}")
        if e.actors:
            lines.append(f"  actors: {', '.join(e.actors)}")
        for r in e.reports:
            flags = [n for n in ("claim", "revision", "background", "superseded") if getattr(r, n)]
            if not r.toll_given:
                flags.append("no toll")
            lines.append(f"  - {r.article_id} · {r.source or 'unknown outlet'} · {r.published_at.isoformat()}"
                         + (f" · {r.url}" if r.url else ""))  # fmt: skip
            lines.append(f"    {_figures(r)}" + (f" [{', '.join(flags)}]" if flags else ""))
            for sentence in r.evidence or r.sentences[:1]:
                lines.append(f'    "{sentence}"')
    return "\n".join(lines)


def render_json(events: list[ConflictEvent], region: Region, window: Window, watermark: date | None) -> str:
    head = {"region": str(region), "window": window, "watermark": watermark.isoformat() if watermark else None}
    body = [e.model_dump(mode="json", exclude={"schema_version"}) for e in events]
    return orjson.dumps({**head, "events": body}).decode()
