"""What `tollwatch tail` shows, as pure functions of the records read (no Kafka, no terminal).

`Filter` (--region, --window), `View` (the latest total per key and the latest event
revisions), and the texts: `render_table`, `render_events`, `render_frame` (a whole
screen), `json_line` (--json) and `log_line` (a pipe or a file). `streams.tail` reads the
topics and writes these out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import orjson

from schemas import WINDOWS, ConflictEvent, RegionalTotal
from schemas.events import Window
from streams.explain import Region, parse_region
from streams.inputs import InputError

__all__ = ["EVENT_LINES", "Filter", "Model", "View", "make_filter", "render_table", "render_events", "render_frame",
           "json_line", "log_line"]  # fmt: skip

EVENT_LINES = 8  # event changes listed under the table
Model = RegionalTotal | ConflictEvent


@dataclass(frozen=True)
class Filter:
    """--region and --window: a country matches its own total and those of its admin1 regions;
    admin1 names match whatever their case (a typo would show an empty table, not an error)."""

    region: Region | None = None
    window: Window | None = None

    def __call__(self, item: Model) -> bool:
        r = self.region
        if r is not None and item.country != r.country:
            return False
        if r is not None and r.admin1 is not None and r.admin1.casefold() != (item.admin1 or "").casefold():
            return False
        return self.window is None or not isinstance(item, RegionalTotal) or item.window == self.window


def make_filter(region: str | None, window: Window | None) -> Filter:
    try:
        return Filter(parse_region(region) if region else None, window)
    except ValueError as exc:
        raise InputError(str(exc)) from None


@dataclass
class View:
    """The latest total per key and the latest revisions of events, in the order they changed."""

    totals: dict[str, RegionalTotal] = field(default_factory=dict)
    events: dict[str, ConflictEvent] = field(default_factory=dict)  # oldest change first
    records: int = 0  # every record read, shown or not
    skipped: int = 0  # records that did not decode
    last_update: datetime | None = None

    def add(self, item: Model) -> bool:
        """Keep `item`; False when it changes nothing (sent again, or an older event revision)."""
        if isinstance(item, RegionalTotal):
            changed = self.totals.get(item.key) != item
            self.totals[item.key] = item
            return changed
        known = self.events.get(item.event_id)
        if known is not None and known.revision >= item.revision:
            return False
        self.events.pop(item.event_id, None)
        self.events[item.event_id] = item
        while len(self.events) > 64 * EVENT_LINES:  # bounded: only the latest few are shown
            del self.events[next(iter(self.events))]
        return True


def _region(country: str, admin1: str | None) -> str:
    return f"{country}/{admin1}" if admin1 else f"{country} (country)"


def _killed(item: Model) -> str:
    return f"{item.killed_low}/{item.killed_best}/{item.killed_high}"


def _aligned(rows: Sequence[tuple[str, ...]], rule: bool = False) -> list[str]:
    """Rows as left-aligned columns; `rule`: a line of dashes under the first row (the head)."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return [lines[0], "  ".join("-" * w for w in widths), *lines[1:]] if rule else lines


def render_table(totals: Iterable[RegionalTotal]) -> str:
    """The totals as an aligned table, sorted by region (the country first), then window."""
    head = ("region", "window", "killed (low/best/high)", "wounded", "kidnapped", "events", "from", "to")
    rows = [
        (_region(t.country, t.admin1), t.window, _killed(t), str(t.wounded), str(t.kidnapped), str(t.events),
         str(t.window_start or "-"), str(t.window_end))
        for t in sorted(totals, key=lambda t: (t.country, t.admin1 or "", WINDOWS.index(t.window)))
    ]  # fmt: skip
    return "\n".join(_aligned([head, *rows], rule=True))


def render_events(events: Iterable[ConflictEvent]) -> str:
    """Event revisions, one line each, in the order given."""
    rows = [
        (e.event_id, _region(e.country, e.admin1), str(e.day),
         f"killed best {e.killed_best}" if e.reports else "retracted", f"revision {e.revision}")
        for e in events
    ]  # fmt: skip
    return "\n".join(_aligned(rows)) if rows else "(none yet)"


def render_frame(view: View, title: str, status: str, events: bool, size: tuple[int, int]) -> list[str]:
    """The screen: header, table and (with `events`) the latest event changes, cut to `size`
    (columns, lines) with a line saying what did not fit."""
    columns, lines = size
    last = view.last_update.astimezone().strftime("%H:%M:%S") if view.last_update else "-"
    counts = f"{view.records} record(s) read · last update {last}"
    counts += f" · {view.skipped} undecodable (skipped)" if view.skipped else ""
    table = render_table(view.totals.values()).splitlines()
    if not view.totals:
        table.append("(no totals yet)")
    below = []
    if events:
        latest = list(view.events.values())[: -EVENT_LINES - 1 : -1]
        below = ["", "latest event changes (newest first):", *render_events(latest).splitlines()]
    room = max(2, lines - 1 - 4 - len(below))  # the last line stays free: the cursor rests there
    if len(table) > room:
        more = len(table) - room + 1
        table = [*table[: room - 1], f"… {more} more row(s): narrow with --region or --window, or enlarge the terminal"]
    return [line[:columns] for line in [title, counts, status, "", *table, *below]]


def json_line(item: Model, key: bytes | None, partition: int, offset: int) -> str:
    kind = "total" if isinstance(item, RegionalTotal) else "event"
    where = {"key": key.decode(errors="replace") if key is not None else None, "partition": partition, "offset": offset}
    return orjson.dumps({"kind": kind, **item.model_dump(mode="json"), **where}).decode()


def log_line(item: Model, at: datetime) -> str:
    stamp = at.astimezone().isoformat(timespec="seconds")
    if isinstance(item, RegionalTotal):
        return (f"{stamp} total {_region(item.country, item.admin1)} {item.window}: killed {_killed(item)}, "
                f"wounded {item.wounded}, kidnapped {item.kidnapped}, events {item.events} "
                f"({item.window_start or '-'} to {item.window_end})")  # fmt: skip
    what = f"killed {_killed(item)}" if item.reports else "retracted"
    where = _region(item.country, item.admin1)
    return f"{stamp} event {item.event_id} revision {item.revision} {where} {item.day}: {what}"
