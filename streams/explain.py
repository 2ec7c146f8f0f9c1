"""`tollwatch explain REGION`: the events behind a total, their sources and sentences.

The events come either from a running pipeline (the `events` topic: the latest revision
of each event id, and the watermark from `casualty.totals`) or from running the same
stage functions in process over input files (`--input`, default the seeds). Either way
they include the events evicted from the events state past its horizon, whose figures the
all-time totals keep through their regions' archive: their last revision, `archived`.
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
from streams.events import EventState, step_article, step_watermark
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
    """The events of `messages`, archived ones included, and the watermark (see `run_offline`)."""
    events, watermark, _ = run_offline(messages)
    return events, watermark


def source_partition(key: bytes | None, partitions: int) -> int:
    """The partition of articles.raw (and so of articles.clean, keyed alike) that `key` goes to
    with the producers' default partitioner (murmur2, as aiokafka's and Faust's)."""
    from aiokafka.partitioner import DefaultPartitioner

    every = list(range(partitions))
    return 0 if key is None else int(DefaultPartitioner()(key, every, every))


def run_offline(
    messages: list[tuple[bytes | None, bytes]], partitions: int | None = None
) -> tuple[list[ConflictEvent], date | None, dict[str, Archived]]:
    """Clean, extract and merge `messages` in process, as the workers would, into one state
    per country (the events partitions): every event (the live ones, then the last revision
    of each event evicted past the state horizon, `archived`), the watermark, and what the
    evicted events left in each region's archive (the `all` window counts it;
    `streams.totals.compute_totals` takes it and skips the archived events). Messages that
    fail are left out.

    Each message goes to the partition of articles.raw its key would (`partitions`, default
    the setting), and after each one every state gets the tick the extract stage would send:
    what the events state evicts follows the same low watermark as in the pipeline (a
    partition no message goes to holds nothing back: the pipeline's idle rule)."""
    if partitions is None:
        from streams.config import Settings

        partitions = Settings().partitions
    sources = [source_partition(key, partitions) for key, _ in messages]
    used = sorted(set(sources))
    states: dict[str, EventState] = {}
    marks: dict[int, date] = {}
    latest: date | None = None
    archived: list[ConflictEvent] = []
    for offset, ((_, value), source) in enumerate(zip(messages, sources, strict=True)):
        try:
            article = clean(decode(RawArticle, value), RawRef(partition=source, offset=offset), 0.0, 0.0)
        except (StageError, ValueError):
            continue
        if not isinstance(article, CleanArticle):
            continue
        for copy in extract(article, 0.0):
            state = states.get(copy.route)
            if state is None:  # a partition that got every tick so far
                state = states[copy.route] = EventState(latest, sources=used, marks=marks)
            archived += step_article(state, copy).archived_events
        day = article.published_at.date()
        marks[source] = max(day, marks.get(source, day))
        latest = max(day, latest or day)
        for state in states.values():
            archived += step_watermark(state, latest, {source: marks[source]}).archived_events
    archive = {key: sums for s in states.values() for key, sums in s.archive.items()}  # regions: one country each
    return [e for s in states.values() for e in s.events.values()] + archived, latest, archive


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
    """The events of `region` inside `window` (ending at the watermark), newest first:
    exactly the events its total sums. Archived events (evicted past the state horizon) are
    older than every finite window, and `all` has no start: they count in `all` only."""
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
        archived = " · archived (past the state horizon: counted in the all-time total)" if e.archived else ""
        lines.append(f"{e.event_id} (revision {e.revision}) · {e.day} ({e.precision}) · {where}{archived}")
        lines.append(f"  {_figures(e)}")
        if e.actors:
            lines.append(f"  actors: {', '.join(e.actors)}")
        for r in e.reports:
            flags = [n for n in ("claim", "revision", "background", "aside", "superseded") if getattr(r, n)]
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
    body = [_as_json(e) for e in events]
    return orjson.dumps({**head, "events": body}).decode()


def _as_json(e: ConflictEvent) -> dict[str, object]:
    """An event for consumers: `reports` are the articles whose news this attack is,
    `mentions` those that tell it beside their own (`aside`): an attack recalled, or one
    elsewhere the same day. Both sets count in its figures as the events stage says."""
    out = e.model_dump(mode="json", exclude={"schema_version"})
    out["mentions"] = [r for r in out["reports"] if r["aside"]]
    out["reports"] = [r for r in out["reports"] if not r["aside"]]
    return out
