"""`tollwatch report --out DIR`: one static, self-contained HTML page of the totals.

A table of regions (each country, then its admin1 regions) with the four windows and a
weekly bar strip of killed (best), every figure linking to the region's events, each
event with its sources and the sentences its numbers were read from. No script and no
external resource; every text is escaped (article text is untrusted input).
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from schemas import WINDOWS, ConflictEvent, RegionalTotal
from schemas.events import SourceReport
from streams.inputs import InputError
from streams.totals import count_event, empty_sums, window_bounds

__all__ = ["WEEKS", "render_report", "write_report", "weekly_killed", "main"]

#: Weekly bars per region: half a year, the last one the week holding the watermark.
WEEKS = 26
WINDOW_TITLES = {"7d": "7 days", "30d": "30 days", "365d": "365 days", "all": "All time"}
Region = tuple[str, str | None]

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;
 margin:2rem auto;max-width:1240px;padding:0 1rem;background:#fff}
h1{font-size:1.6rem;margin:0 0 .3rem}h2{font-size:1.3rem;margin:2rem 0 .3rem}h3{font-size:1.15rem;margin:1.2rem 0 .3rem}
h4{font-size:1rem;margin:1.1rem 0 .3rem}.event .title{font-weight:600}
.meta,.note,.muted{color:#59636e}.meta{margin:0 0 1.4rem}.note{font-size:.85rem;margin:.6rem 0}
a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}
table{border-collapse:collapse;width:100%;font-size:13px;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid #d8dee4;padding:.3rem .35rem;vertical-align:top}.scroll{overflow-x:auto}
thead th{background:#f6f8fa;font-weight:600;text-align:right;font-size:.72rem;color:#393f46;white-space:nowrap}
thead th.win{text-align:center;font-size:.9rem;color:#1f2328}
thead th.win small{display:block;font-weight:400;color:#59636e}
thead th.l{text-align:left;white-space:normal}.w{border-left:1px solid #d8dee4}
td.n{text-align:right;white-space:nowrap}td.k{font-weight:600}
.range{display:block;font-size:.72rem;font-weight:400;color:#59636e}
.zero,.zero a{color:#a0a8b1;font-weight:400}
tr.country td{background:#f6f8fa;border-top:2px solid #d0d7de}tr.country td.region{font-weight:600}
td.region{min-width:8rem}tr.admin1 td.region{padding-left:1.4rem}
td.spark svg{display:block;margin-top:.15rem}.peak{display:block;font-size:.72rem;color:#59636e}
rect.bar{fill:#c4432b}rect.none{fill:#d8dee4}
section.events{margin-left:.2rem}
article.event{border:1px solid #d8dee4;border-radius:6px;padding:.6rem .9rem;margin:.6rem 0}
.figs{margin:.2rem 0}
ul.sources{margin:.4rem 0 0;padding-left:1.1rem}ul.sources li{margin:.35rem 0}
blockquote{margin:.25rem 0;padding:.1rem .7rem;border-left:3px solid #d8dee4;color:#424a53;font-style:italic}
.tag{font-size:.72rem;border:1px solid #d8dee4;border-radius:3px;padding:0 .3rem;margin-left:.3rem;color:#393f46}
.flag{background:#fff8c5;border-color:#d4a72c}
:target{outline:2px solid #0969da;outline-offset:4px}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _n(value: int) -> str:
    return f"{value:,}"


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from streams.extract.gazetteer import data_lines

    rows = (line.rstrip("\n").split("\t") for line in data_lines("countries.tsv"))
    return {row[0]: row[1].split(",")[0] for row in rows if len(row) == 2}


def _label(region: Region) -> str:
    country, admin1 = region
    return f"{country}/{admin1}" if admin1 else country


class _Ids:
    """Unique, ASCII, space-free element ids from arbitrary names."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def new(self, *parts: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", "-".join(parts)).encode("ascii", "ignore").decode()
        base = "".join(c if c.isalnum() else "-" for c in ascii_text).strip("-") or "x"
        name, n = base, 1
        while name in self.taken:
            n += 1
            name = f"{base}-{n}"
        self.taken.add(name)
        return name


def _windows_of(event: ConflictEvent, watermark: date) -> list[str]:
    """The windows whose totals count `event` (the pipeline's own rule, streams.totals)."""
    sums = empty_sums()
    count_event(sums, event, watermark)
    return [w for w, acc in zip(WINDOWS, sums, strict=True) if acc[5]]


def weekly_killed(events: Iterable[ConflictEvent], watermark: date, weeks: int = WEEKS) -> list[tuple[date, int, int]]:
    """(Monday, killed best, events) per ISO week, oldest first, for the `weeks` weeks
    ending with the one that holds the watermark; only events the totals count."""
    last = watermark - timedelta(days=watermark.weekday())
    first = last - timedelta(weeks=weeks - 1)
    bars = [[0, 0] for _ in range(weeks)]
    for e in events:
        if e.day >= first and _windows_of(e, watermark):
            bar = bars[(e.day - first).days // 7]
            bar[0] += e.killed_best
            bar[1] += 1
    return [(first + timedelta(weeks=i), killed, count) for i, (killed, count) in enumerate(bars)]


def _sparkline(bars: list[tuple[date, int, int]], label: str) -> str:
    peak = max((k for _, k, _ in bars), default=0)
    height, step = 24, 4
    rects = []
    for i, (monday, killed, count) in enumerate(bars):
        h = max(2, round(killed / peak * height)) if killed else 1
        year, week, _ = monday.isocalendar()
        tip = f"week of {monday} ({year}-W{week:02d}): {_n(killed)} killed (best), {count} event(s)"
        rects.append(f'<rect class="{"bar" if killed else "none"}" x="{i * step}" y="{height - h}" width="{step - 1}" '
                     f'height="{h}"><title>{_e(tip)}</title></rect>')  # fmt: skip
    busy = [f"week of {m}: {_n(k)}" for m, k, _ in bars if k]
    text = f"{label}, killed (best) per week since {bars[0][0]}: " + ("; ".join(busy) or "none")
    svg = (f'<svg role="img" aria-label="{_e(text)}" width="{len(bars) * step}" height="{height}" '
           f'viewBox="0 0 {len(bars) * step} {height}"><title>{_e(text)}</title>{"".join(rects)}</svg>')  # fmt: skip
    return svg + (f'<span class="peak" aria-hidden="true">peak {_n(peak)}</span>' if peak else "")


def _cells(total: RegionalTotal | None, href: str) -> str:
    if total is None:
        return '<td class="n w zero" colspan="4">–</td>'
    k, lo, hi = total.killed_best, total.killed_low, total.killed_high
    zero = " zero" if k == 0 and hi == 0 else ""
    span = f"{total.window_start} to {total.window_end}" if total.window_start else f"up to {total.window_end}"
    title = f"killed low/best/high {lo}/{k}/{hi}; {span}; {total.events} event(s): see them"
    killed = (f'<td class="n w k{zero}" data-window="{total.window}"><a href="#{href}" title="{_e(title)}" '
              f'data-fig="killed_best">{_n(k)}</a>' + (f'<span class="range" data-fig="killed_range">'
              f"{_n(lo)}–{_n(hi)}</span>" if lo != hi else "") + "</td>")  # fmt: skip
    rest = [(name, getattr(total, name)) for name in ("wounded", "kidnapped", "events")]
    return killed + "".join(
        f'<td class="n{" zero" if v == 0 else ""}" data-window="{total.window}" data-fig="{name}">{_n(v)}</td>'
        for name, v in rest
    )


def _table(rows: dict[Region, dict[str, RegionalTotal]], events: list[ConflictEvent], watermark: date,
           ids: dict[Region, str]) -> str:  # fmt: skip
    weeks = f'<small class="muted">{WEEKS} weeks<br>to {watermark}</small>'
    head = ['<th class="l" rowspan="2">Region</th>', f'<th class="l" rowspan="2">Killed per week<br>{weeks}</th>']
    for window in WINDOWS:
        start = window_bounds(window, watermark)[0]
        span = f"{start} – {watermark}" if start else f"up to {watermark}"
        head.append(f'<th class="win w" colspan="4">{WINDOW_TITLES[window]}<small>{_e(span)}</small></th>')
    sub = '<th class="w">killed</th><th>wounded</th><th>kidnap.</th><th>events</th>' * len(WINDOWS)
    body = []
    for region, by_window in rows.items():
        country, admin1 = region
        name = admin1 or f"{_country_names().get(country, country)} ({country})"
        stale = {t.as_of for t in by_window.values()} - {watermark}
        note = f' <span class="muted">as of {_e(max(stale))}</span>' if stale else ""
        mine = [e for e in events if e.country == country and (admin1 is None or e.admin1 == admin1)]
        body.append(
            f'<tr class="{"admin1" if admin1 else "country"}" data-region="{_e(_label(region))}">'
            f'<td class="region"><a href="#{ids[region]}">{_e(name)}</a>{note}</td>'
            f'<td class="spark">{_sparkline(weekly_killed(mine, watermark), _label(region))}</td>'
            + "".join(_cells(by_window.get(w), ids[region]) for w in WINDOWS) + "</tr>"
        )  # fmt: skip
    return (f'<div class="scroll"><table><thead><tr>{"".join(head)}</tr><tr>{sub}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')  # fmt: skip


def _figures(f: ConflictEvent | SourceReport) -> str:
    killed = f"killed <b>{_n(f.killed_best)}</b>" + (
        f" ({_n(f.killed_low)}–{_n(f.killed_high)})" if f.killed_low != f.killed_high else ""
    )
    return f"{killed} · wounded {_n(f.wounded)} · kidnapped {_n(f.kidnapped)}"


def _source(r: SourceReport) -> str:
    flags = [n for n in ("claim", "revision", "background", "superseded") if getattr(r, n)]
    flags += [] if r.toll_given else ["no toll"]
    link = ""
    if r.url and urlsplit(r.url).scheme in ("http", "https"):
        link = f' · <a href="{_e(r.url)}" rel="noopener noreferrer">{_e(r.url)}</a>'
    elif r.url:
        link = f" · {_e(r.url)}"  # not a web address: shown, never a link
    quotes = "".join(f"<blockquote>{_e(s)}</blockquote>" for s in r.evidence or r.sentences[:1])
    return (f'<li><b>{_e(r.source or "unknown outlet")}</b> · <code>{_e(r.article_id)}</code> · published '
            f"{_e(r.published_at.astimezone(UTC).strftime('%Y-%m-%d %H:%M UTC'))}{link}"
            + "".join(f'<span class="tag flag">{f}</span>' for f in flags)
            + f'<div class="figs">{_figures(r)}</div>{quotes}</li>')  # fmt: skip


def _event(e: ConflictEvent, watermark: date, ids: _Ids) -> str:
    where = ", ".join(_e(x) for x in (e.place, e.admin2, e.admin1, e.country) if x)
    windows = _windows_of(e, watermark)
    counted = "counted in " + " · ".join(windows) if windows else "after the watermark: not counted yet"
    if e.archived:  # evicted past the state horizon: the `all` totals keep it through the archive
        counted = "archived: counted in all"
    actors = f" · actors: {_e(', '.join(e.actors))}" if e.actors else ""
    return (f'<article class="event" id="{ids.new(e.event_id)}"><div class="title">{_e(e.day)} '
            f'<span class="tag">{_e(e.precision)}</span> · {where}<span class="tag">{counted}</span></div>'
            f'<div class="figs">{_figures(e)}{actors} <span class="muted">· {_e(e.event_id)} revision {e.revision}'
            "</span></div>"
            f'<ul class="sources">{"".join(_source(r) for r in e.reports)}</ul></article>')  # fmt: skip


def _sections(regions: list[Region], events: list[ConflictEvent], watermark: date, ids: dict[Region, str],
              anchors: _Ids) -> str:  # fmt: skip
    out = []
    for country in sorted({c for c, _ in regions}):
        mine = sorted((e for e in events if e.country == country), key=lambda e: (e.day, e.event_id), reverse=True)
        name = _country_names().get(country, country)
        out.append(f'<section class="country" id="{ids[(country, None)]}"><h3>{_e(name)} ({_e(country)}): '
                   f"{len(mine)} event(s)</h3>")  # fmt: skip
        for admin1 in sorted({a for c, a in regions if c == country and a} | {e.admin1 for e in mine if e.admin1}):
            here = [e for e in mine if e.admin1 == admin1]
            out.append(f'<section class="events" id="{ids[(country, admin1)]}"><h4>{_e(admin1)} ({_e(country)}): '
                       f"{len(here)} event(s)</h4>")  # fmt: skip
            out.append("".join(_event(e, watermark, anchors) for e in here) or _nothing())
            out.append("</section>")
        if unplaced := [e for e in mine if not e.admin1]:
            out.append(f"<h4>{_e(country)}, no admin1 region: {len(unplaced)} event(s)</h4>")
            out.append("".join(_event(e, watermark, anchors) for e in unplaced))
        out.append("</section>")
    return "".join(out)


def _nothing() -> str:
    return ('<p class="note">No live events: its figures count events older than the state keeps (archived), '
            "or its events were retracted.</p>")  # fmt: skip


def render_report(totals: list[RegionalTotal], events: list[ConflictEvent], watermark: date | None,
                  generated_at: datetime, *, source: str | None = None) -> str:  # fmt: skip
    """The whole report page: the totals as given, the events (latest revisions) behind them."""
    live = [e for e in events if e.reports]
    rows: dict[Region, dict[str, RegionalTotal]] = {}
    for t in sorted(totals, key=lambda t: (t.country, t.admin1 is not None, t.admin1 or "")):
        rows.setdefault((t.country, t.admin1), {})[t.window] = t
    regions = sorted(set(rows) | {(e.country, None) for e in live} | {(e.country, e.admin1) for e in live},
                     key=lambda r: (r[0], r[1] is not None, r[1] or ""))  # fmt: skip
    anchors = _Ids()
    ids = {r: anchors.new("region", r[0], r[1] or "") for r in regions}
    when = generated_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    meta = (f"As of <b>{_e(watermark or 'no data')}</b> (the watermark: the latest publication day seen) · "
            f"generated {_e(when)}" + (f" · from {_e(source)}" if source else "")
            + f" · {len(rows)} region(s), {len(live)} event(s), "
            f"{len({r.article_id for e in live for r in e.reports})} source article(s)")  # fmt: skip
    if watermark is None or not rows:
        body = '<p class="note">No totals yet.</p>'
    else:
        body = _table(rows, live, watermark, ids) + (
            '<p class="note">Killed: the best estimate, with the low–high range under it when they differ. Windows '
            "end at the watermark; an event dated only to a month counts from its first day. Each figure links to "
            "the events it sums; hover a figure or a weekly bar for its details."
            f"</p><h2>Events and sources</h2>{_sections(regions, live, watermark, ids, anchors)}"
        )
    title = f"TollWatch report, {watermark or 'no data'}"
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{CSS}</style></head><body><h1>TollWatch: casualty totals by region"
            f'</h1><p class="meta">{meta}</p>{body}</body></html>\n')  # fmt: skip


def write_report(out_dir: Path, totals: list[RegionalTotal], events: list[ConflictEvent], watermark: date | None,
                 generated_at: datetime, *, source: str | None = None) -> Path:  # fmt: skip
    """Write `out_dir`/index.html (the directory made if missing); its path."""
    page = render_report(totals, events, watermark, generated_at, source=source)
    path = out_dir / "index.html"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(".index.html.partial")
        partial.write_text(page, encoding="utf-8")
        partial.replace(path)  # a reader never sees half a page
    except OSError as exc:
        raise InputError(f"{out_dir}: cannot write the report: {exc.strerror or exc}") from None
    return path


def _offline(paths: list[Path], published_at: datetime | None) -> tuple[list[RegionalTotal], list[ConflictEvent],
                                                                         date | None]:  # fmt: skip
    from streams.explain import run_offline
    from streams.inputs import load_inputs
    from streams.totals import compute_totals

    messages = load_inputs(paths, published_at)
    if not messages:
        raise InputError("no inputs found in " + ", ".join(map(str, paths)))
    events, watermark, archive = run_offline(messages)
    return (compute_totals(events, watermark, archive) if watermark else []), events, watermark


def main(args: argparse.Namespace) -> int:
    """`tollwatch report`: write the page, print its path (stdout) and a summary (stderr)."""
    from streams.cli import DEFAULT_SEEDS
    from streams.explain import from_broker

    if args.out.exists() and not args.out.is_dir():
        raise InputError(f"{args.out}: not a directory")
    if args.broker:
        (totals, events, watermark), source = from_broker(args.broker), f"the topics at {args.broker}"
    else:
        paths = args.input or [DEFAULT_SEEDS]
        (totals, events, watermark), source = _offline(paths, args.published_at), "; ".join(map(str, paths))
    path = write_report(args.out, totals, events, watermark, datetime.now(UTC), source=source)
    print(path.resolve())
    live = [e for e in events if e.reports]
    regions = {(t.country, t.admin1) for t in totals}
    print(f"tollwatch report: {len(regions)} region(s) in {len({c for c, _ in regions})} country(ies), "
          f"{len(live)} event(s), as of {watermark or 'no data'}", file=sys.stderr)  # fmt: skip
    return 0
