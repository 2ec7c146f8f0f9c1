"""Events stage: merge event candidates into events, keep every source report, revise.

State is one `EventState` per events partition: every candidate its articles reported
(keyed by article and index), the events they form, the watermark and the totals last
sent. `apply_article` and `apply_watermark` are pure: old state in, new state and the
event revisions and totals to publish out.

Order independence. Events are not grown greedily in arrival order: after each article
the candidates are clustered again, in one canonical order (specific places and narrow
dates first, then published_at, article id and index), so the events, their ids and
their figures depend only on the set of candidates, never on the order they arrived in.
Re-applying an article (redelivery, replay, a second copy) replaces its candidates and
changes nothing. An event whose candidates moved to another event is retracted: a new
revision with no reports and zero figures.

Merging. A candidate joins an event of the same country when: no other candidate of its
article is in it (an article's candidates are separate attacks by its own account),
admin1 agrees (or one side has none), places agree (two named places in one region are
two attacks), dates overlap within their precisions, the jihadist families named agree
(JNIM and IS Sahel are rivals) and the means of attack agree (an IED is not an air
strike).

Figure policy (docs/ARCHITECTURE.md):
- a report that revises a toll ("the toll rose to 41") supersedes the credible reports
  published before it;
- `killed_best` is the largest current credible figure (tolls rise as bodies are found);
  a party's claim never moves it, unless nothing else reports the event (then the
  smallest claim, flagged);
- `killed_low` is the most conservative current credible figure (ACLED's rule);
- `killed_high` is the largest figure of any current report or claim;
- a background report (an attack recalled weeks later) never moves the figures of an
  event that other reports describe; an event known only from background reports takes
  their figures;
- reports that give no toll count for nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict

from schemas import ConflictEvent, EventCandidate, ExtractedArticle, RegionalTotal, SourceReport
from streams.extract.dates import interval
from streams.totals import changed_totals, compute_totals

__all__ = [
    "EventState",
    "Reported",
    "apply_article",
    "apply_watermark",
    "cluster",
    "current_totals",
    "figures",
    "interval",
    "merge_article",
]

_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
#: Jihadist families: groups of one family may share an attack, rival families do not.
_FAMILY = {
    "JNIM": "al-Qaeda", "Katiba Macina": "al-Qaeda", "Ansar Dine": "al-Qaeda", "AQIM": "al-Qaeda",
    "Ansarul Islam": "al-Qaeda", "MUJAO": "al-Qaeda", "IS Sahel": "Islamic State", "ISWAP": "Islamic State",
    "Boko Haram": "JAS",
}  # fmt: skip


class Reported(BaseModel):
    """One candidate as one article reported it: what the events stage keeps."""

    model_config = ConfigDict(extra="forbid")

    article_id: str
    url: str | None = None
    source: str | None = None
    published_at: AwareDatetime
    candidate: EventCandidate

    @property
    def key(self) -> str:
        return f"{self.article_id}#{self.candidate.index}"


class EventState(BaseModel):
    """What one events partition holds: its candidates, events, watermark and last totals."""

    model_config = ConfigDict(extra="forbid")

    watermark: date | None = None
    candidates: dict[str, Reported] = {}
    events: dict[str, ConflictEvent] = {}  # latest revision of every event id ever sent
    emitted: dict[str, str] = {}


def _order(r: Reported) -> tuple[object, ...]:
    c = r.candidate
    return (
        c.admin1 is None, c.place is None or c.place == c.admin1, c.background, not c.dated,
        _RANK[c.precision], c.day, r.published_at, r.article_id, c.index,
    )  # fmt: skip


@dataclass
class _Cluster:
    """An event being assembled: its members and what they agree on."""

    members: list[Reported]
    country: str
    admin1: str | None
    place: str | None
    lo: date
    hi: date
    articles: set[str] = field(default_factory=set)
    families: set[str] = field(default_factory=set)
    modes: set[str] = field(default_factory=set)

    @classmethod
    def start(cls, r: Reported) -> _Cluster:
        c = r.candidate
        lo, hi = interval(c.day, c.precision, c.dated)
        out = cls([], c.country, c.admin1, _specific_place(c), lo, hi)
        out.add(r)
        return out

    def accepts(self, r: Reported) -> bool:
        c = r.candidate
        if c.country != self.country or r.article_id in self.articles:
            return False
        if self.admin1 and c.admin1 and self.admin1 != c.admin1:
            return False
        place = _specific_place(c)
        if self.place and place and self.place != place:
            return False  # two places in one region: separate attacks
        lo, hi = interval(c.day, c.precision, c.dated)
        if hi < self.lo or self.hi < lo:
            return False
        families = {_FAMILY[a] for a in c.actors if a in _FAMILY}
        if self.families and families and not self.families & families:
            return False
        return not (self.modes and c.modes and not self.modes & set(c.modes))

    def add(self, r: Reported) -> None:
        c = r.candidate
        self.members.append(r)
        self.articles.add(r.article_id)
        self.admin1 = self.admin1 or c.admin1
        self.place = self.place or _specific_place(c)
        lo, hi = interval(c.day, c.precision, c.dated)
        self.lo, self.hi = max(self.lo, lo), min(self.hi, hi)
        self.families |= {_FAMILY[a] for a in c.actors if a in _FAMILY}
        self.modes |= set(c.modes)


def _specific_place(c: EventCandidate) -> str | None:
    return c.place if c.place and c.place != c.admin1 else None


def cluster(reported: list[Reported]) -> list[list[Reported]]:
    """Candidates grouped into events, in canonical order (see the module docstring)."""
    clusters: list[_Cluster] = []
    for r in sorted(reported, key=_order):
        target = next((cl for cl in clusters if cl.accepts(r)), None)
        if target is None:
            clusters.append(_Cluster.start(r))
        else:
            target.add(r)
    return [cl.members for cl in clusters]


def _report(r: Reported) -> SourceReport:
    c = r.candidate
    return SourceReport(
        article_id=r.article_id, candidate=c.index, url=r.url, source=r.source, published_at=r.published_at,
        killed_low=c.killed_low, killed_best=c.killed_best, killed_high=c.killed_high, wounded=c.wounded,
        kidnapped=c.kidnapped, claim=c.claim, toll_given=c.toll_given, revision=c.revision,
        background=c.background, sentences=c.sentences, evidence=c.evidence,
    )  # fmt: skip


def figures(reports: list[SourceReport]) -> tuple[dict[str, int], list[SourceReport]]:
    """An event's figures from its reports (policy in the module docstring), and the
    reports with `superseded` set on those a later revision replaced."""
    told = [r for r in reports if r.toll_given]
    credible = [r for r in told if not r.claim and not r.background] or [
        r for r in told if not r.claim and r.background
    ]
    revisions = [r for r in credible if r.revision]
    cutoff: datetime | None = max(r.published_at for r in revisions) if revisions else None
    current = [r for r in credible if cutoff is None or r.published_at >= cutoff]
    claims = [r for r in told if r.claim]
    if current:
        best = max(r.killed_best for r in current)
        low = min(r.killed_low for r in current)
    else:
        best = min((r.killed_best for r in claims), default=0)
        low = 0
    high = max([best, *(r.killed_high for r in current), *(r.killed_high for r in claims)])
    stale = {(r.article_id, r.candidate) for r in credible if cutoff is not None and r.published_at < cutoff}
    marked = [r.model_copy(update={"superseded": (r.article_id, r.candidate) in stale}) for r in reports]
    return {
        "killed_low": min(low, best),
        "killed_best": best,
        "killed_high": high,
        "wounded": max((r.wounded for r in current), default=0),
        "kidnapped": max((r.kidnapped for r in current), default=0),
    }, marked


def _event(members: list[Reported]) -> ConflictEvent:
    first = members[0].candidate
    seed = f"{first.country}|{members[0].article_id}|{first.index}"
    located = next((m.candidate for m in members if _specific_place(m.candidate)), None)
    located = located or next((m.candidate for m in members if m.candidate.admin1), first)
    dated = sorted((m for m in members if m.candidate.dated), key=lambda m: (_RANK[m.candidate.precision], _order(m)))
    when = dated[0].candidate if dated else first
    reports = sorted((_report(m) for m in members), key=lambda r: (r.published_at, r.article_id, r.candidate))
    values, reports = figures(reports)
    return ConflictEvent(
        event_id="ev-" + hashlib.sha256(seed.encode()).hexdigest()[:16], revision=1, country=first.country,
        admin1=located.admin1, admin2=located.admin2, place=located.place, geonameid=located.geonameid,
        day=when.day, precision=when.precision if dated else "week",
        actors=sorted({a for m in members for a in m.candidate.actors}), reports=reports, **values,
    )  # fmt: skip


def _content(event: ConflictEvent) -> ConflictEvent:
    return event.model_copy(update={"revision": 1})


def _components(candidates: dict[str, Reported]) -> dict[str, int]:
    """Candidate key -> its component: candidates of one country whose date intervals
    chain by overlap. An event never spans two components (a cluster's interval lies inside
    every member's), so clustering each component alone gives the same events as
    clustering everything: an article only re-clusters the components it touches."""
    spans = sorted(
        (r.candidate.country, *interval(r.candidate.day, r.candidate.precision, r.candidate.dated), key)
        for key, r in candidates.items()
    )
    out: dict[str, int] = {}
    component, country, reach = -1, None, date.min
    for cc, lo, hi, key in spans:
        if cc != country or lo > reach:
            component, country, reach = component + 1, cc, hi
        else:
            reach = max(reach, hi)
        out[key] = component
    return out


def _rebuild(
    state: EventState, candidates: dict[str, Reported], touched: set[str]
) -> tuple[dict[str, ConflictEvent], list[ConflictEvent]]:
    """Events after the candidates `touched` (added, replaced or removed) changed: the
    components they touch are re-clustered, each event revised only if its content changed."""
    member_of = {f"{r.article_id}#{r.candidate}": eid for eid, e in state.events.items() for r in e.reports}
    stale = {member_of[k] for k in touched if k in member_of}  # events that held a touched candidate
    component = _components(candidates)
    seeds = {k for k in touched if k in candidates}
    seeds |= {f"{r.article_id}#{r.candidate}" for eid in stale for r in state.events[eid].reports}
    affected = {component[k] for k in seeds if k in component}
    scope = [r for k, r in candidates.items() if component[k] in affected]
    before_ids = stale | {member_of[r.key] for r in scope if r.key in member_of}
    events = dict(state.events)
    revisions: list[ConflictEvent] = []
    fresh = {e.event_id: e for e in map(_event, cluster(scope))}
    for eid, event in fresh.items():
        before = events.get(eid)
        if before is not None and _content(before) == _content(event):
            continue
        revised = event.model_copy(update={"revision": before.revision + 1 if before else 1})
        events[eid] = revised
        revisions.append(revised)
    for eid in sorted(before_ids - fresh.keys()):
        before = state.events[eid]
        if before.reports:  # its candidates now belong to another event, or are gone
            retracted = ConflictEvent(
                event_id=eid, revision=before.revision + 1, country=before.country, admin1=before.admin1,
                admin2=before.admin2, place=before.place, geonameid=before.geonameid, day=before.day,
                precision=before.precision, actors=before.actors, reports=[],
            )  # fmt: skip
            events[eid] = retracted
            revisions.append(retracted)
    return events, revisions


def merge_article(state: EventState, article: ExtractedArticle) -> tuple[EventState, list[ConflictEvent]]:
    """Fold one article copy into the events (its candidates replace any earlier ones of
    the same article); totals are left as they were (`apply_article` computes them)."""
    day = article.published_at.date()
    watermark = max(state.watermark, day) if state.watermark else day
    replaced = {k for k, r in state.candidates.items() if r.article_id == article.article_id}
    candidates = {k: r for k, r in state.candidates.items() if k not in replaced}
    for cand in article.candidates:
        reported = Reported(
            article_id=article.article_id, url=article.url, source=article.source,
            published_at=article.published_at, candidate=cand,
        )  # fmt: skip
        candidates[reported.key] = reported
    if candidates == state.candidates:
        return state.model_copy(update={"watermark": watermark}), []
    touched = replaced | {f"{article.article_id}#{c.index}" for c in article.candidates}
    events, revisions = _rebuild(state, candidates, touched)
    new = EventState(watermark=watermark, candidates=candidates, events=events, emitted=state.emitted)
    return new, revisions


def apply_article(
    state: EventState, article: ExtractedArticle
) -> tuple[EventState, list[ConflictEvent], list[RegionalTotal]]:
    """Fold one article copy in: the event revisions and changed totals to publish."""
    merged, revisions = merge_article(state, article)
    assert merged.watermark is not None
    return _finish(merged, merged.candidates, dict(merged.events), merged.watermark, revisions)


def apply_watermark(state: EventState, day: date) -> tuple[EventState, list[ConflictEvent], list[RegionalTotal]]:
    """Move the watermark (a tick from another partition); totals re-emitted if windows moved."""
    if state.watermark is not None and day <= state.watermark:
        return state, [], []
    return _finish(state, state.candidates, dict(state.events), day, [])


def _finish(
    state: EventState,
    candidates: dict[str, Reported],
    events: dict[str, ConflictEvent],
    watermark: date,
    revisions: list[ConflictEvent],
) -> tuple[EventState, list[ConflictEvent], list[RegionalTotal]]:
    totals, emitted = changed_totals(list(events.values()), watermark, state.emitted)
    new = EventState(watermark=watermark, candidates=candidates, events=events, emitted=emitted)
    return new, revisions, totals


def current_totals(state: EventState) -> list[RegionalTotal]:
    """Every total of the partition as it stands (what has been emitted), for re-syncing
    gauges after a rebalance; recomputed, so it costs one pass over the events."""
    return compute_totals(list(state.events.values()), state.watermark) if state.watermark else []
