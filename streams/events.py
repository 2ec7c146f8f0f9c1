"""Events stage: merge event candidates into events, keep every source report, revise.

State is one `EventState` per events partition (its countries' events and watermark).
`apply_article` and `apply_watermark` are pure: old state in, new state and the
event revisions and totals to publish out. Re-applying an article (redelivery,
replay, a second copy) changes nothing: an article's reports are replaced, never added.

Figure policy (thin; see docs/ARCHITECTURE.md): `killed_best` and `killed_low` are the
largest figure any non-claim report gives (tolls rise as bodies are counted);
`killed_high` also takes perpetrators' claims; wounded and kidnapped take the largest.
An event reported only through claims takes the smallest claimed figure as `best`
(flagged by its reports' `claim`), with `low` 0.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from schemas import ConflictEvent, EventCandidate, ExtractedArticle, RegionalTotal, SourceReport
from streams.totals import changed_totals

__all__ = ["EventState", "apply_article", "apply_watermark", "matches", "interval"]


class EventState(BaseModel):
    """What one events partition holds: its events, watermark and last totals sent."""

    model_config = ConfigDict(extra="forbid")

    watermark: date | None = None
    events: dict[str, ConflictEvent] = {}
    emitted: dict[str, str] = {}


def interval(day: date, precision: str, dated: bool = True) -> tuple[date, date]:
    """The days an event date can mean, with a day's slack for time zones and reporting."""
    if not dated:
        return day - timedelta(days=7), day
    if precision == "day":
        return day - timedelta(days=1), day + timedelta(days=1)
    if precision == "week":
        return day - timedelta(days=1), day + timedelta(days=8)
    if precision == "month":
        nxt = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        return day, nxt - timedelta(days=1)
    return day.replace(month=1, day=1), day.replace(month=12, day=31)


def _event_interval(event: ConflictEvent) -> tuple[date, date]:
    return interval(event.day, event.precision)


def matches(event: ConflictEvent, cand: EventCandidate) -> bool:
    """Same country, compatible region and place, overlapping dates."""
    if event.country != cand.country:
        return False
    if event.admin1 and cand.admin1 and event.admin1 != cand.admin1:
        return False
    both_places = event.place and cand.place and event.admin1 and cand.admin1
    if both_places and event.place != cand.place and event.admin1 != event.place and cand.admin1 != cand.place:
        return False  # two places in one region: separate attacks
    lo1, hi1 = _event_interval(event)
    lo2, hi2 = interval(cand.day, cand.precision, cand.dated)
    return lo1 <= hi2 and lo2 <= hi1


def _report(article: ExtractedArticle, cand: EventCandidate) -> SourceReport:
    return SourceReport(
        article_id=article.article_id, candidate=cand.index, url=article.url, source=article.source,
        published_at=article.published_at, killed_low=cand.killed_low, killed_best=cand.killed_best,
        killed_high=cand.killed_high, wounded=cand.wounded, kidnapped=cand.kidnapped, claim=cand.claim,
        sentences=cand.sentences,
    )  # fmt: skip


def _figures(reports: list[SourceReport]) -> dict[str, int]:
    credible = [r for r in reports if not r.claim]
    claimed = [r.killed_best for r in reports if r.claim]
    # A claim never moves `best` past credible reports; a lone claim is all there is (ACLED codes it).
    best = max((r.killed_best for r in credible), default=0) if credible else min(claimed, default=0)
    return {
        "killed_low": max((r.killed_low for r in credible), default=0),
        "killed_best": best,
        "killed_high": max((r.killed_high for r in reports), default=0),
        "wounded": max((r.wounded for r in credible), default=0),
        "kidnapped": max((r.kidnapped for r in credible), default=0),
    }


def _revise(event: ConflictEvent, reports: list[SourceReport], cand: EventCandidate | None) -> ConflictEvent:
    update: dict[str, object] = {"reports": sorted(reports, key=lambda r: (r.published_at, r.article_id, r.candidate))}
    update.update(_figures(reports))
    if cand is not None:
        if cand.admin1 and not event.admin1:
            update.update(admin1=cand.admin1, admin2=cand.admin2, place=cand.place, geonameid=cand.geonameid)
        elif cand.place and cand.admin1 and event.place == event.admin1 and cand.place != cand.admin1:
            update.update(admin2=cand.admin2, place=cand.place, geonameid=cand.geonameid)
        if cand.dated and _narrower(cand, event):
            update.update(day=cand.day, precision=cand.precision)
        update["actors"] = sorted(set(event.actors) | set(cand.actors))
    return event.model_copy(update=update)


_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def _narrower(cand: EventCandidate, event: ConflictEvent) -> bool:
    return _RANK[cand.precision] < _RANK[event.precision]


def _new_event(article: ExtractedArticle, cand: EventCandidate) -> ConflictEvent:
    seed = f"{cand.country}|{article.article_id}|{cand.index}"
    return ConflictEvent(
        event_id="ev-" + hashlib.sha256(seed.encode()).hexdigest()[:16], revision=1,
        country=cand.country, admin1=cand.admin1, admin2=cand.admin2, place=cand.place,
        geonameid=cand.geonameid, day=cand.day, precision=cand.precision if cand.dated else "week",
        actors=sorted(set(cand.actors)), reports=[],
    )  # fmt: skip


def _content(event: ConflictEvent) -> ConflictEvent:
    return event.model_copy(update={"revision": 1})


def apply_article(
    state: EventState, article: ExtractedArticle
) -> tuple[EventState, list[ConflictEvent], list[RegionalTotal]]:
    """Fold one article copy in: its reports replace any earlier ones of the same article."""
    day = article.published_at.date()
    watermark = max(state.watermark, day) if state.watermark else day
    events = dict(state.events)
    touched: dict[str, ConflictEvent | None] = {}
    for eid, event in events.items():
        kept = [r for r in event.reports if r.article_id != article.article_id]
        if len(kept) != len(event.reports):
            events[eid] = _revise(event, kept, None)
            touched[eid] = event
    for cand in article.candidates:
        # Two candidates of one article are separate events by the article's own account.
        own = article.article_id
        target = next(
            (e for e in events.values() if matches(e, cand) and all(r.article_id != own for r in e.reports)), None
        )
        if target is None:
            target = _new_event(article, cand)
            touched.setdefault(target.event_id, None)
        events[target.event_id] = _revise(target, [*target.reports, _report(article, cand)], cand)
        touched.setdefault(target.event_id, target)
    revisions = []
    for eid, before in touched.items():
        after = events[eid]
        if before is not None and _content(before) == _content(after):
            events[eid] = before  # nothing new: keep the revision number
            continue
        revised = after.model_copy(update={"revision": (before.revision + 1) if before else 1})
        events[eid] = revised
        revisions.append(revised)
    return _finish(state, events, watermark, revisions)


def apply_watermark(state: EventState, day: date) -> tuple[EventState, list[ConflictEvent], list[RegionalTotal]]:
    """Move the watermark (a tick from another partition); totals re-emitted if windows moved."""
    if state.watermark is not None and day <= state.watermark:
        return state, [], []
    return _finish(state, dict(state.events), day, [])


def _finish(
    state: EventState, events: dict[str, ConflictEvent], watermark: date, revisions: list[ConflictEvent]
) -> tuple[EventState, list[ConflictEvent], list[RegionalTotal]]:
    totals, emitted = changed_totals(list(events.values()), watermark, state.emitted)
    return EventState(watermark=watermark, events=events, emitted=emitted), revisions, totals
