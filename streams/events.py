"""Events stage: merge event candidates into events, keep every source report, revise.

State is one `EventState` per events partition: every candidate its articles reported
(keyed by article and index), the events they form, the watermark, the totals last sent
and what evicted events counted. `step_article` and `step_watermark` are synchronous and
deterministic, with no I/O: they update the state in place (copying a partition per
message made a message cost the partition's size) and return a `Step`: the event
revisions and totals to publish and what changed for the table. `apply_article` and
`apply_watermark` return the same as tuples.

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

Horizon. A candidate dated more than `HORIZON_DAYS` (395) days before its own article's
publication is refused as too late: a function of the article alone. What leaves the state
follows the low watermark, the earliest of the latest published days read from each source
partition (of `articles.clean`, whose partitions are each in publication order): an event
whose reports all end before the horizon of the low watermark can no longer change, so it
is evicted, its figures kept in its regions' all-time totals (`EventState`,
docs/ARCHITECTURE.md, "State horizon"). Windows end at the (high) watermark, the latest
published day seen.
"""

from __future__ import annotations

import hashlib
import operator
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from heapq import heappop, heappush
from typing import NamedTuple, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict

from schemas import ConflictEvent, EventCandidate, ExtractedArticle, RegionalTotal, SourceReport
from streams.extract.dates import interval
from streams.extract.frames import NEAR_KM
from streams.extract.gazetteer import distance_km, is_unit, unit_key
from streams.totals import Archived, Sums, compute_totals, count_event, digest, empty_sums, region_key, totals_from

__all__ = [
    "HORIZON_DAYS",
    "EventState",
    "Reported",
    "Step",
    "apply_article",
    "apply_watermark",
    "cluster",
    "figures",
    "horizon",
    "interval",
    "lean",
    "merge_article",
    "step_article",
    "step_watermark",
]

_M = TypeVar("_M", bound=BaseModel)
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


def _order(r: Reported) -> tuple[object, ...]:
    c = r.candidate
    return (
        c.admin1 is None, c.place is None or c.place == c.admin1, c.background, not c.dated,
        _RANK[c.precision], c.day, r.published_at, r.article_id, c.index,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Traits:
    """What merging reads of a candidate, computed once."""

    reported: Reported
    country: str
    admin1: str | None
    place: str | None  # specific place (not the admin1 itself)
    site: Site | None  # the specific place, its geonameid and admin2
    lo: date
    hi: date
    families: frozenset[str]
    modes: frozenset[str]

    @classmethod
    def of(cls, r: Reported) -> _Traits:
        c = r.candidate
        lo, hi = interval(c.day, c.precision, c.dated)
        families = frozenset(_FAMILY[a] for a in c.actors if a in _FAMILY)
        site = _site(c)
        return cls(r, c.country, c.admin1, site.name if site else None, site, lo, hi, families, frozenset(c.modes))


@dataclass(slots=True)
class _Cluster:
    """An event being assembled: its members and what they agree on."""

    order: int  # creation order: a candidate joins the first cluster that accepts it
    members: list[Reported]
    country: str
    admin1: str | None
    place: str | None
    site: Site | None
    lo: date
    hi: date
    articles: set[str] = field(default_factory=set)
    families: set[str] = field(default_factory=set)
    modes: set[str] = field(default_factory=set)

    @classmethod
    def start(cls, order: int, t: _Traits) -> _Cluster:
        out = cls(order, [], t.country, t.admin1, t.place, t.site, t.lo, t.hi)
        out.add(t)
        return out

    def accepts(self, t: _Traits) -> bool:
        if t.hi < self.lo or self.hi < t.lo:
            return False
        if t.country != self.country or t.reported.article_id in self.articles:
            return False
        if self.admin1 and t.admin1 and self.admin1 != t.admin1:
            return False
        if self.site and t.site and not sites_agree(self.site, t.site):
            return False  # two places in one region, far apart: separate attacks
        if self.families and t.families and not self.families & t.families:
            return False
        return not (self.modes and t.modes and not self.modes & t.modes)

    def add(self, t: _Traits) -> None:
        self.members.append(t.reported)
        self.articles.add(t.reported.article_id)
        self.admin1 = self.admin1 or t.admin1
        if self.place is None and t.place is not None:
            self.place, self.site = t.place, t.site
        self.lo, self.hi = max(self.lo, t.lo), min(self.hi, t.hi)
        self.families |= t.families
        self.modes |= t.modes


def _specific_place(c: EventCandidate) -> str | None:
    return c.place if c.place and c.place != c.admin1 else None


class Site(NamedTuple):
    """A candidate's specific place as merging compares it."""

    name: str
    geonameid: int | None
    admin2: str | None
    country: str = ""


def _site(c: EventCandidate) -> Site | None:
    """The site merging compares; none for a background mention: a recalled attack is
    placed loosely ("the raids on two villages in Tillabéri last month"), and its place
    keeps it apart from no attack of its region and dates."""
    place = _specific_place(c)
    return Site(place, c.geonameid, c.admin2, c.country) if place and not c.background else None


def sites_agree(a: Site, b: Site) -> bool:
    """Whether two specific places can be the site of one attack: the same name or place,
    places of one admin2 unit (a cercle, department or province), a place and the unit named
    after it ("Ouallam" and a village of Ouallam department), or gazetteer places within
    `NEAR_KM` (a village and the nearby town: outlets name one attack by any of them)."""
    if a.name == b.name or (a.geonameid is not None and a.geonameid == b.geonameid):
        return True
    if a.admin2 and b.admin2 and unit_key(a.admin2) == unit_key(b.admin2):
        return True
    if (a.admin2 and unit_key(a.admin2) == unit_key(b.name)) or (b.admin2 and unit_key(b.admin2) == unit_key(a.name)):
        return True
    km = distance_km(a.geonameid, b.geonameid)
    if km is None:
        return False
    return km <= NEAR_KM or (km <= UNIT_KM and (_stands_for_unit(a, b) or _stands_for_unit(b, a)))


#: How far from its seat a department named after it reaches, for `sites_agree`.
UNIT_KM = 60.0


def _stands_for_unit(seat: Site, other: Site) -> bool:
    """Whether `seat` may name its whole admin2 unit around `other` ("60 died in Tillia" of
    a raid on a village of Tillia department): its name is a unit's, and the gazetteer
    does not say which unit `other` is in (Niger's places have none), so neither it nor
    the seat tells them apart."""
    return other.admin2 is None and seat.admin2 in (None, seat.name) and is_unit(seat.country, seat.name)


class _Buckets:
    """Clusters by (country, admin1, place) ("" for none), each list in creation order: a
    candidate only looks at the clusters whose admin1 and place could agree with its own."""

    def __init__(self) -> None:
        self.lists: dict[tuple[str, str, str], list[_Cluster]] = {}
        self.places: dict[tuple[str, str], dict[str, Site | None]] = {}  # (country, admin1) -> places, sites
        self.admin1s: dict[str, set[str]] = {}

    def add(self, cl: _Cluster) -> None:
        admin1, place = cl.admin1 or "", cl.place or ""
        self.admin1s.setdefault(cl.country, set()).add(admin1)
        self.places.setdefault((cl.country, admin1), {})[place] = cl.site
        insort(self.lists.setdefault((cl.country, admin1, place), []), cl, key=lambda c: c.order)

    def remove(self, cl: _Cluster) -> None:
        self.lists[(cl.country, cl.admin1 or "", cl.place or "")].remove(cl)

    def first(self, t: _Traits) -> _Cluster | None:
        """The first cluster (in creation order) that accepts `t`."""
        best: _Cluster | None = None
        admin1s = (t.admin1, "") if t.admin1 else tuple(self.admin1s.get(t.country, ()))
        for admin1 in admin1s:
            known = self.places.get((t.country, admin1), {})
            if t.place:
                site = t.site
                assert site is not None
                places = tuple(p for p, other in known.items() if other is None or sites_agree(site, other))
            else:
                places = tuple(known)
            for place in places:
                for cl in self.lists.get((t.country, admin1, place), ()):
                    if best is not None and cl.order > best.order:
                        break
                    if cl.accepts(t):
                        best = cl
                        break
        return best


def cluster(reported: list[Reported]) -> list[list[Reported]]:
    """Candidates grouped into events, in canonical order (see the module docstring): each
    joins the first cluster, in creation order, that accepts it, or starts one."""
    clusters: list[_Cluster] = []
    buckets = _Buckets()
    for r in sorted(reported, key=_order):
        t = _Traits.of(r)
        target = buckets.first(t)
        if target is None:
            target = _Cluster.start(len(clusters), t)
            clusters.append(target)
            buckets.add(target)
        elif (target.admin1 is None and t.admin1) or (target.place is None and t.place):
            buckets.remove(target)  # it moves to the bucket of its new admin1 or place
            target.add(t)
            buckets.add(target)
        else:
            target.add(t)
    return [cl.members for cl in clusters]


def _report(r: Reported) -> SourceReport:
    c = r.candidate
    return SourceReport(
        article_id=r.article_id, candidate=c.index, url=r.url, source=r.source, published_at=r.published_at,
        killed_low=c.killed_low, killed_best=c.killed_best, killed_high=c.killed_high, wounded=c.wounded,
        kidnapped=c.kidnapped, claim=c.claim, toll_given=c.toll_given, revision=c.revision,
        background=c.background, aside=c.aside, sentences=c.sentences, evidence=c.evidence,
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


def _event_id(members: list[Reported]) -> str:
    first = members[0]
    seed = f"{first.candidate.country}|{first.article_id}|{first.candidate.index}"
    return "ev-" + hashlib.sha256(seed.encode()).hexdigest()[:16]


def _event(members: list[Reported]) -> ConflictEvent:
    first = members[0].candidate
    located = next((m.candidate for m in members if _specific_place(m.candidate)), None)
    located = located or next((m.candidate for m in members if m.candidate.admin1), first)
    dated = sorted((m for m in members if m.candidate.dated), key=lambda m: (_RANK[m.candidate.precision], _order(m)))
    when = dated[0].candidate if dated else first
    reports = sorted((_report(m) for m in members), key=lambda r: (r.published_at, r.article_id, r.candidate))
    values, reports = figures(reports)
    return ConflictEvent(
        event_id=_event_id(members), revision=1, country=first.country,
        admin1=located.admin1, admin2=located.admin2, place=located.place, geonameid=located.geonameid,
        day=when.day, precision=when.precision if dated else "week",
        actors=sorted({a for m in members for a in m.candidate.actors}), reports=reports, **values,
    )  # fmt: skip


_FIELD_SETS: dict[type[BaseModel], set[str]] = {}


def lean(model: _M) -> _M:
    """`model` sharing one fields-set with every instance of its class (all its field names).

    Pydantic keeps, per object, the set of the fields that were given: a hash table of
    1-2 KB, almost half of a partition's memory per event (bench/memory.py). The state
    never asks which fields were given (no `exclude_unset`), and a shared set holding every
    name is left unchanged by what pydantic adds to it, so one set per class will do."""
    cls = type(model)
    shared = _FIELD_SETS.get(cls)
    if shared is None:
        shared = _FIELD_SETS[cls] = set(cls.model_fields)
    object.__setattr__(model, "__pydantic_fields_set__", shared)
    return model


def _content(event: ConflictEvent) -> ConflictEvent:
    return event.model_copy(update={"revision": 1})


def _span(c: EventCandidate) -> tuple[date, date]:
    return interval(c.day, c.precision, c.dated)


def _linked(a: EventCandidate, b: EventCandidate) -> bool:
    """Whether `a` and `b` could ever share an event: the relation `EventState._neighbours`
    finds through its index (a cluster only takes candidates linked to its first member)."""
    if a.country != b.country or (a.admin1 and b.admin1 and a.admin1 != b.admin1):
        return False
    sa, sb = _site(a), _site(b)
    if sa and sb and not sites_agree(sa, sb):
        return False
    (alo, ahi), (blo, bhi) = _span(a), _span(b)
    return alo <= bhi and blo <= ahi


#: How far back a report reaches: the longest finite window (365 days) and a 30-day margin.
#: A candidate whose date interval begins more than this before its article's published day
#: is refused as too late; an event whose every report's interval ends more than this before
#: the low watermark is evicted (its figures stay in the region's archived `all` total);
#: docs/ARCHITECTURE.md, "State horizon".
HORIZON_DAYS = 365 + 30
#: Retracted event ids (no reports left) are remembered this much longer, so that an id
#: formed again by a late re-clustering never restarts at revision 1.
RETRACTED_DAYS = 2 * 366
#: The widest date interval of a candidate per kind (`interval`): bounds the index search.
_WIDTH = {"day": 4, "week": 9, "month": 30, "year": 365, "undated": 7}


def _kind(c: EventCandidate) -> str:
    return c.precision if c.dated else "undated"


def horizon(day: date) -> date:
    """`HORIZON_DAYS` before `day`: the earliest date a candidate of an article published on
    `day` may begin on; at the low watermark, the events state's floor."""
    return day - timedelta(days=HORIZON_DAYS)


@dataclass
class Step:
    """What one message changed: the outputs to publish and the entries to write."""

    revisions: list[ConflictEvent] = field(default_factory=list)
    totals: list[RegionalTotal] = field(default_factory=list)
    put: set[str] = field(default_factory=set)  # candidate keys added or replaced
    dropped: set[str] = field(default_factory=set)  # candidate keys removed (replaced or evicted)
    written: set[str] = field(default_factory=set)  # event ids whose record changed
    evicted: set[str] = field(default_factory=set)  # event ids removed from the state
    archived: set[str] = field(default_factory=set)  # region keys whose archive changed
    archived_events: list[ConflictEvent] = field(default_factory=list)  # the last revisions of the events evicted
    meta: bool = False  # the watermarks, source marks or floor moved
    touched_regions: set[tuple[str, str | None]] = field(default_factory=set)  # totals to recompute
    late: int = 0  # candidates refused: dated too long before their article, or before the floor


class EventState:
    """What one events partition holds, with the indexes that keep a message's work
    proportional to what it touches, not to the size of the partition.

    Persisted (streams/state.py): `candidates` (every candidate, keyed `article#index`),
    `events` (the latest revision of every event id sent, retracted ones included, with
    `written`: the input offset that wrote each), `archive` (per region, what evicted
    events counted), `watermark` (the latest published day seen: windows end there),
    `marks` (per source partition of `articles.clean`, the latest published day read from
    it) and `floor` (the horizon of the low watermark, `min(marks)`, up to which the state
    has evicted). Kept in memory only: `emitted` (digest of the last total sent per key;
    after a load every total is sent again, see `resend`). Derived on load: candidates by
    article, by (country, admin1, date kind) sorted by date and by the end of their dates,
    the event of each candidate and the live events of each region.

    Horizon and eviction (docs/ARCHITECTURE.md, "State horizon"). A candidate is refused
    when its date interval begins more than `HORIZON_DAYS` before its article's published
    day, or before `floor`. Each source partition is in publication order, so once every
    one has reached day L no candidate to come begins before `horizon(L)`: the candidates
    beginning before a day D <= horizon(L) are all known, and the clusters they form on
    their own (`cluster` of just those) whose members all end before D are final whatever
    comes later. Those are evicted, at every such D in turn (`_evict_at`), which makes what
    leaves the state, and so every total, a function of the input alone, not of the order
    the partitions were read in nor of when the ticks arrived.

    Replay. Two candidates are linked when they could share an event (same country, admin1
    and specific place agreeing or missing, date intervals overlapping). An article does not
    re-cluster everything: `_Sweep` replays the canonical clustering only where the change
    can reach (the clusters it changes and the candidates linked to their first members,
    found through the date index), which gives exactly the events of clustering everything.
    Re-clustering whole connected components was exact too, but month-wide background
    reports chain a region's whole history into one component.

    The stage functions update a state in place and return it (copying a partition per
    message made each message cost the partition's size): keep `state.copy()` to compare.
    """

    def __init__(
        self,
        watermark: date | None = None,
        candidates: Mapping[str, Reported] | None = None,
        events: Mapping[str, ConflictEvent] | None = None,
        emitted: Mapping[str, str] | None = None,
        archive: Mapping[str, Archived] | None = None,
        *,
        sources: int | Iterable[int] = 1,
        marks: Mapping[int, date] | None = None,
        floor: date | None = None,
    ) -> None:
        self.watermark = watermark
        #: the source partitions (of articles.clean) whose marks make the low watermark
        self.sources = frozenset(range(sources) if isinstance(sources, int) else sources)
        self.marks: dict[int, date] = {s: d for s, d in (marks or {}).items() if s in self.sources}
        self.floor = floor  # every event whose reports all end before it has been evicted
        self.candidates: dict[str, Reported] = {}
        self.events: dict[str, ConflictEvent] = {}
        self.emitted: dict[str, str] = dict(emitted or {})
        self.written: dict[str, int] = {}  # event id -> offset of the input whose step wrote it (the agent's)
        self.archive: dict[str, Archived] = dict(archive or {})
        self._by_article: dict[str, set[str]] = {}
        # (country, admin1, date kind) -> (lo, hi, key, place, site), sorted
        self._spans: dict[tuple[str, str, str], list[tuple[date, date, str, str, Site | None]]] = {}
        self._admin1s: dict[str, set[str]] = {}  # country -> admin1 names ("" for none) with candidates
        self._member_of: dict[str, str] = {}  # candidate key -> its live event
        self._regions: dict[tuple[str, str | None], set[str]] = {}  # live events per region and country
        self._ends: list[tuple[date, str]] = []  # every candidate by the end of its dates (hi, key), sorted
        self._retracted: list[tuple[date, str]] = []  # heap: retracted events by day
        self._sums: dict[tuple[str, str | None], Sums] = {}  # region -> window -> figures
        self._sums_at: date | None = None  # the watermark `_sums` are for (None: to recompute)
        self._formed: dict[str, list[Reported]] = {}  # live event id -> the reports it was last formed from
        for key, reported in (candidates or {}).items():
            self._add_candidate(key, reported)
        for event in (events or {}).values():
            self._set_event(event)
        for key in self.archive:
            country, _, admin1 = key.partition("/")
            self._regions.setdefault((country, admin1 or None), set())

    def copy(self) -> EventState:
        """An independent copy (the events and candidates themselves are immutable values)."""
        copy = EventState(self.watermark, self.candidates, self.events, self.emitted, self.archive,
                          sources=self.sources, marks=self.marks, floor=self.floor)  # fmt: skip
        copy.written = dict(self.written)
        return copy

    @property
    def low(self) -> date | None:
        """The low watermark: the earliest of the source partitions' marks (None until every
        source partition has been heard from)."""
        if not self.sources or any(s not in self.marks for s in self.sources):
            return None
        return min(self.marks[s] for s in self.sources)

    # -- indexes ---------------------------------------------------------------------
    def _add_candidate(self, key: str, reported: Reported) -> None:
        if key in self.candidates:
            self._remove_candidate(key)
        c = lean(reported.candidate)
        self.candidates[key] = lean(reported)
        self._by_article.setdefault(reported.article_id, set()).add(key)
        admin1 = c.admin1 or ""
        self._admin1s.setdefault(c.country, set()).add(admin1)
        lo, hi = _span(c)
        site = _site(c)
        entry = (lo, hi, key, site.name if site else "", site)
        insort(self._spans.setdefault((c.country, admin1, _kind(c)), []), entry)
        insort(self._ends, (hi, key))

    def _remove_candidate(self, key: str) -> None:
        reported = self.candidates.pop(key)
        c = reported.candidate
        keys = self._by_article[reported.article_id]
        keys.discard(key)
        if not keys:
            del self._by_article[reported.article_id]
        spans = self._spans[(c.country, c.admin1 or "", _kind(c))]
        lo, hi = _span(c)
        del spans[bisect_left(spans, (lo, hi, key))]  # (lo, hi, key) sorts just before (lo, hi, key, place)
        del self._ends[bisect_left(self._ends, (hi, key))]

    def _count(self, event: ConflictEvent, sign: int) -> None:
        """Add (or, with sign -1, take away) a live event to its regions' window sums."""
        if self._sums_at is None or self._sums_at != self.watermark:
            return  # to be recomputed at the new watermark
        for region in _regions_of(event):
            if region not in self._sums:
                self._sums[region] = empty_sums()
            count_event(self._sums[region], event, self._sums_at, sign)

    def _recount(self) -> None:
        """Every region's window sums from the live events and the archive, at the watermark."""
        assert self.watermark is not None
        self._sums_at = self.watermark
        self._sums = {region: empty_sums(self.archive.get(region_key(*region))) for region in self._regions}
        for event in self.events.values():
            self._count(event, 1)

    def _set_event(self, event: ConflictEvent) -> None:
        old = self.events.get(event.event_id)
        if old is not None:
            self._unlink_event(old)
        for report in event.reports:
            lean(report)
        self.events[event.event_id] = lean(event)
        for region in _regions_of(event):
            live = self._regions.setdefault(region, set())
            if event.reports:
                live.add(event.event_id)
        self._count(event, 1)
        if event.reports:
            for r in event.reports:
                self._member_of[f"{r.article_id}#{r.candidate}"] = event.event_id
        else:
            heappush(self._retracted, (event.day, event.event_id))

    @staticmethod
    def _keys(event: ConflictEvent) -> list[str]:
        return [f"{r.article_id}#{r.candidate}" for r in event.reports]

    def _unlink_event(self, event: ConflictEvent) -> None:
        self._formed.pop(event.event_id, None)
        for r in event.reports:
            key = f"{r.article_id}#{r.candidate}"
            if self._member_of.get(key) == event.event_id:
                del self._member_of[key]
        for region in [(event.country, None), (event.country, event.admin1)]:
            self._regions.get(region, set()).discard(event.event_id)
        self._count(event, -1)

    def _neighbours(self, c: EventCandidate, skip: set[str], before: date | None = None) -> list[str]:
        """Keys of the stored candidates linked to `c` (see the class docstring), but `skip`
        (and, with `before`, only those whose dates begin before it)."""
        lo, hi = _span(c)
        last = hi if before is None else min(hi, before - timedelta(days=1))  # the latest start wanted
        site = _site(c)
        # admin1 agreeing or missing: the candidate's own and none, or every one if it has none
        admin1s = ["", c.admin1] if c.admin1 else sorted(self._admin1s.get(c.country, ()))
        out = []
        for admin1 in admin1s:
            for kind, width in _WIDTH.items():
                spans = self._spans.get((c.country, admin1, kind))
                if not spans:
                    continue
                first = bisect_left(spans, (lo - timedelta(days=width),))
                for _, shi, key, _where, other in spans[first : bisect_right(spans, (last, date.max))]:
                    if shi < lo or key in skip:
                        continue
                    if site is None or other is None or sites_agree(site, other):
                        out.append(key)
        return out

    def _old_members(self, eid: str, gone: Mapping[str, Reported]) -> list[Reported]:
        """The members of live event `eid` before this step, in canonical order (`gone`:
        candidates this step removed, which the event may still hold)."""
        formed = self._formed.get(eid)
        if formed is not None:
            return formed
        keys = self._keys(self.events[eid])
        return sorted((gone[k] if k in gone else self.candidates[k] for k in keys), key=_order)

    # -- steps -----------------------------------------------------------------------
    def _regroup(self, groups: list[list[Reported]], before_ids: set[str], step: Step) -> None:
        """Write the events `groups` form (revisions for those whose content changed) and
        retract the ids of `before_ids` (events the step changed) no longer formed."""
        fresh: set[str] = set()
        for members in groups:
            eid = _event_id(members)
            fresh.add(eid)
            known = self._formed.get(eid)
            if known is not None and len(known) == len(members) and all(map(operator.is_, known, members)):
                continue  # the very same reports as when it was last formed: unchanged
            event = _event(members)
            before = self.events.get(eid)
            if before is None or _content(before) != _content(event):
                self._write(event.model_copy(update={"revision": before.revision + 1 if before else 1}), before, step)
            self._formed[eid] = members
        for eid in sorted(before_ids - fresh):
            before = self.events[eid]
            if before.reports:  # its candidates now belong to another event, or are gone
                retracted = ConflictEvent(
                    event_id=eid, revision=before.revision + 1, country=before.country, admin1=before.admin1,
                    admin2=before.admin2, place=before.place, geonameid=before.geonameid, day=before.day,
                    precision=before.precision, actors=before.actors, reports=[],
                )  # fmt: skip
                self._write(retracted, before, step)

    def _write(self, event: ConflictEvent, before: ConflictEvent | None, step: Step) -> None:
        self._set_event(event)
        step.revisions.append(event)
        step.written.add(event.event_id)
        step.evicted.discard(event.event_id)
        step.touched_regions.update(_regions_of(event))
        if before is not None:
            step.touched_regions.update(_regions_of(before))

    def merge(self, article: ExtractedArticle, step: Step) -> None:
        """Fold one article copy in: its candidates replace any earlier ones of the article.
        The copy also tells that its source partition has reached its published day: its raw
        partition is its partition of articles.clean, both keyed by the article id."""
        day = article.published_at.date()
        if self.watermark is None or day > self.watermark:
            self._advance(day, step)
        self.observe({article.raw.partition: day}, step)
        oldest = horizon(day)  # too old for its own article: the rule that decides, whatever the order
        if self.floor is not None and self.floor > oldest:
            oldest = self.floor  # the safety net: never form again an event evicted (see `observe`)
        # What an earlier version of the article brought that begins before `oldest` stays as
        # it is, whatever this copy says: had the low watermark moved sooner it could have been
        # evicted already, counted in the archive. So a copy, a redelivery or a revision of the
        # article removes nothing that old and replaces nothing under its key.
        frozen = {key: self.candidates[key] for key in self._by_article.get(article.article_id, ())
                  if _span(self.candidates[key].candidate)[0] < oldest}  # fmt: skip
        fresh: list[Reported] = list(frozen.values())
        for cand in article.candidates:
            if _span(cand)[0] < oldest or f"{article.article_id}#{cand.index}" in frozen:
                step.late += 1  # too late to enter the state
                continue
            fresh.append(Reported(
                article_id=article.article_id, url=article.url, source=article.source,
                published_at=article.published_at, candidate=cand,
            ))  # fmt: skip
        old = set(self._by_article.get(article.article_id, ()))
        if {r.key: r for r in fresh} == {k: self.candidates[k] for k in old}:
            return
        same = {r.key for r in fresh if self.candidates.get(r.key) is r}  # kept as they are
        gone = {key: self.candidates[key] for key in old - same}
        for key in gone:
            self._remove_candidate(key)
        added = [r for r in fresh if r.key not in same]
        for r in added:
            self._add_candidate(r.key, r)
        step.dropped |= old - {r.key for r in fresh}
        step.put |= {r.key for r in added}
        sweep = _Sweep(self, gone, [self.candidates[r.key] for r in added])
        self._regroup(*sweep.run(), step)

    def _advance(self, day: date, step: Step) -> None:
        """Move the watermark to `day`: every total's window moves."""
        self.watermark = day
        step.meta = True
        step.touched_regions.update(self._regions)

    def observe(self, marks: Mapping[int, date], step: Step) -> None:
        """Source partitions have reached these published days (a tick, or a copy): raise
        their marks, and evict what the low watermark makes final. A partition outside
        `sources` is ignored."""
        for source, day in marks.items():
            if source in self.sources and (source not in self.marks or day > self.marks[source]):
                self.marks[source] = day
                step.meta = True
        low = self.low
        if low is not None and (self.floor is None or horizon(low) > self.floor):
            self._evict_through(horizon(low), step)

    def _evict_through(self, floor: date, step: Step) -> None:
        """Evict at every day up to `floor` at which something can leave, in order (see
        `_next_day`), and make `floor` the state's floor."""
        done = self.floor
        held = {key: sums.through for key, sums in self.archive.items()}  # what the archive held before
        while (day := self._next_day(done)) is not None and day <= floor:
            self._evict_at(day, held, step)
            done = day
        self.floor = floor
        step.meta = True
        self._forget_retracted(step)

    def _next_day(self, done: date | None) -> date | None:
        """The first day after `done` (the last day evicted at) at which `_evict_at` may evict
        anything: some candidate must end before it, and since `done` some candidate must
        have begun or ended (what begins before a day and what ends before it are then as
        they were at `done`, less whole clusters evicted there, so nothing more could leave)."""
        if not self._ends:
            return None
        first = self._ends[0][0] + timedelta(days=1)  # the first day a candidate ends before
        if done is None:
            return first
        changes = []
        at = bisect_left(self._ends, (done,))
        if at < len(self._ends):
            changes.append(self._ends[at][0])
        for spans in self._spans.values():
            at = bisect_left(spans, (done,))
            if at < len(spans):
                changes.append(spans[at][0])
        if not changes:
            return None
        return max(first, min(changes) + timedelta(days=1))

    def _evict_at(self, day: date, held: Mapping[str, date | None], step: Step) -> None:
        """Evict what is final once no candidate can begin before `day`: `cluster` the
        candidates that begin before it (every one the stream will ever bring, those evicted
        at earlier days aside), and evict each of their clusters whose members all end before
        it. Only the link components (`_linked`) of the candidates ending before `day` need
        clustering: the others cannot join their clusters."""
        ended = [key for _, key in self._ends[: bisect_left(self._ends, (day,))]]
        reach = set(ended)
        todo = list(ended)
        while todo:
            for key in self._neighbours(self.candidates[todo.pop()].candidate, reach, before=day):
                reach.add(key)
                todo.append(key)
        for members in cluster([self.candidates[key] for key in reach]):
            if all(_span(m.candidate)[1] < day for m in members):
                self._evict(members, day, held, step)

    def _evict(self, members: list[Reported], day: date, held: Mapping[str, date | None], step: Step) -> None:
        """Take a final cluster out of the state at `day`: its candidates and its event leave,
        its figures go to its regions' archive (unless the archive `held` it already, when
        this input is replayed after a crash: `streams.state.writes`), and its last revision
        (`archived`) is sent. In
        general it is one of the live events as it stands; if later candidates made the live
        clustering differ from the final one, its members leave and the live events they
        were in are formed again from what stays (`_Sweep`)."""
        keys = {m.key for m in members}
        eid = _event_id(members)
        live = self.events.get(eid)
        if live is not None and live.reports and set(self._keys(live)) == keys:
            final = live
            self._unlink_event(live)
            for key in keys:
                self._remove_candidate(key)
        else:
            gone = {key: self.candidates[key] for key in keys}
            for key in keys:
                self._remove_candidate(key)
            self._regroup(*_Sweep(self, gone, []).run(), step)
            final = _event(members)
            live = self.events.get(eid)  # a live event of that id, or its retraction
            if live is not None:
                self._unlink_event(live)
        record = lean(final.model_copy(update={"revision": live.revision + 1 if live else 1, "archived": True}))
        if eid in self.events:
            del self.events[eid]
        self.written.pop(eid, None)
        step.evicted.add(eid)
        step.written.discard(eid)
        step.dropped |= keys
        step.put -= keys
        step.revisions.append(record)
        step.archived_events.append(record)
        for region in _regions_of(record):
            key = region_key(*region)
            through = held.get(key)
            if through is None or through < day:
                self.archive[key] = self.archive.get(key, Archived()).plus(record, through=day)
            self._regions.setdefault(region, set())
            step.archived.add(key)
            step.touched_regions.add(region)
        self._sums_at = None  # the `all` sums now hold it through the archive: recounted

    def _forget_retracted(self, step: Step) -> None:
        """Retracted event ids dated `RETRACTED_DAYS` before the floor leave the state."""
        assert self.floor is not None
        forget = self.floor - timedelta(days=RETRACTED_DAYS)
        while self._retracted and self._retracted[0][0] < forget:
            _, eid = heappop(self._retracted)
            event = self.events.get(eid)
            if event is not None and not event.reports and event.day < forget:
                del self.events[eid]
                self.written.pop(eid, None)
                step.evicted.add(eid)
                step.written.discard(eid)

    def publish(self, step: Step) -> None:
        """The totals of the regions the step touched that differ from what was last sent."""
        if self.watermark is None:
            return
        if self._sums_at != self.watermark:
            self._recount()
        for country, admin1 in sorted(step.touched_regions, key=lambda r: (r[0], r[1] or "")):
            sums = self._sums.get((country, admin1)) or empty_sums()
            for total in totals_from(country, admin1, sums, self.watermark):
                value = digest(total)
                if self.emitted.get(total.key) != value:
                    self.emitted[total.key] = value
                    step.totals.append(total)

    def mark_written(self, step: Step, offset: int) -> None:
        """Record that the input at `offset` wrote the events of `step` (see `resend`)."""
        for eid in step.written:
            self.written[eid] = offset

    def resend(self, offset: int) -> tuple[list[ConflictEvent], list[RegionalTotal]]:
        """What to send again when the partition's state was just loaded and its next input
        is at `offset`: the event revisions written by inputs from `offset` on (redelivered
        inputs the state already holds: their revisions may not have reached the broker
        before the crash), and every total, recorded as emitted."""
        events = [self.events[eid] for eid, at in sorted(self.written.items()) if at >= offset]
        totals = self.all_totals()
        self.emitted = {t.key: digest(t) for t in totals}
        return events, totals

    def current_totals(self) -> list[RegionalTotal]:
        """Every total of the partition as it stands, from the running sums (cheap)."""
        if self.watermark is None:
            return []
        if self._sums_at != self.watermark:
            self._recount()
        return [
            total
            for country, admin1 in sorted(self._regions, key=lambda r: (r[0], r[1] or ""))
            for total in totals_from(country, admin1, self._sums.get((country, admin1)) or empty_sums(), self.watermark)
        ]

    def all_totals(self) -> list[RegionalTotal]:
        """Every total of the partition as it stands, recomputed (one pass over the events)."""
        if self.watermark is None:
            return []
        return compute_totals(list(self.events.values()), self.watermark, self.archive)


_Cid = tuple[object, ...]  # a cluster's name: its starter's canonical order (`_order`)
_Position = tuple[_Cid, int]  # a candidate's canonical order; 0 for a removed candidate, 1 for a stored one


class _Sweep:
    """`cluster` of the state's candidates after one article changed them, from the
    clustering before it, replaying only what the change can reach. Exact: the groups it
    returns, with the clusters it leaves alone, are `cluster` of every stored candidate.

    `cluster` takes the candidates in canonical order (`_order`); each joins the first
    cluster, in creation order, that accepts it at that moment, or starts one. A cluster is
    named by the canonical order of its first member, its starter, which is also its place
    in creation order. The state holds that sweep over the old candidates. In the sweep over
    the new ones, call a cluster dirty from the first position where its members differ
    from the old sweep's. A candidate's decision can differ only if a cluster that could
    take it is dirty at its position, and a cluster only takes candidates linked to its
    starter (`_linked`: its dates, admin1 and place only narrow as members join). So the
    replay visits, in canonical order, only:
    - the removed candidates (their clusters become dirty there) and the new ones;
    - once a cluster is dirty, its later members and the later candidates linked to its
      starter; once a new cluster starts, the later candidates linked to it.
    Every other candidate keeps its decision. A visited candidate that was a starter was
    rejected by every clean cluster (as it still is), one that joined a clean cluster is
    still accepted by it and still rejected by the clean clusters before it; otherwise it
    tries the clean clusters of its linked starters (their members before it) as well.
    tests/test_state.py checks the result against clustering everything after every step.
    """

    def __init__(self, state: EventState, gone: Mapping[str, Reported], fresh: list[Reported]) -> None:
        self.state = state
        self.gone = gone  # removed candidates, which old events may still hold
        self.fresh = {r.key for r in fresh}  # new candidates (no old decision, even if the key is old)
        self.queue: list[tuple[_Position, str]] = []
        self.queued: set[tuple[int, str]] = set()
        self.dirty: dict[_Cid, _Cluster | None] = {}  # by starter order; None: no starter now
        self.old_ids: dict[_Cid, str] = {}  # dirty clusters that existed: their event ids
        self.members: dict[str, list[Reported]] = {}  # old events' members, as needed
        self.orders: dict[int, _Cid] = {}  # by id() of the Reported
        self.traits: dict[int, _Traits] = {}
        for key, r in gone.items():
            self._push((self._order(r), 0), key)
        for r in fresh:
            self._push((self._order(r), 1), r.key)

    def _order(self, r: Reported) -> _Cid:
        order = self.orders.get(id(r))
        if order is None:
            order = self.orders[id(r)] = _order(r)
        return order

    def _traits(self, r: Reported) -> _Traits:
        traits = self.traits.get(id(r))
        if traits is None:
            traits = self.traits[id(r)] = _Traits.of(r)
        return traits

    def _position(self, r: Reported) -> _Position:
        return self._order(r), 0 if self.gone.get(r.key) is r else 1

    def _push(self, at: _Position, key: str) -> None:
        if (at[1], key) not in self.queued:
            self.queued.add((at[1], key))
            heappush(self.queue, (at, key))

    def _old_members(self, eid: str) -> list[Reported]:
        members = self.members.get(eid)
        if members is None:
            members = self.members[eid] = self.state._old_members(eid, self.gone)
        return members

    def _prefix(self, members: list[Reported], at: _Position) -> _Cluster | None:
        """The cluster of `members` (in canonical order) as it stood at position `at`."""
        out: _Cluster | None = None
        for m in members:
            if self._position(m) >= at:
                break
            if out is None:
                out = _Cluster.start(0, self._traits(m))
            else:
                out.add(self._traits(m))
        return out

    def _dirty(self, eid: str, at: _Position) -> _Cid:
        """Mark the cluster of old event `eid` dirty from `at` (if it is not yet): its
        members before `at` kept, the later ones and its starter's linked candidates queued."""
        members = self._old_members(eid)
        cid = self._order(members[0])
        if cid not in self.dirty:
            self.old_ids[cid] = eid
            self.dirty[cid] = kept = self._prefix(members, at)
            for m in members:
                at_m = self._position(m)
                if at_m > at and at_m[1]:
                    self._push(at_m, m.key)
            if kept is not None:
                self._push_linked(members[0], at)
        return cid

    def _push_linked(self, r: Reported, at: _Position) -> None:
        """Queue the stored candidates after `at` linked to `r`."""
        for key in self.state._neighbours(r.candidate, set()):
            if (1, key) not in self.queued:
                at_k = (self._order(self.state.candidates[key]), 1)
                if at_k > at:
                    self._push(at_k, key)

    def _clean(self, r: Reported, at: _Position, after: _Cid | None) -> list[tuple[_Cid, str]]:
        """The clean old clusters, with their event ids, whose starters are linked to `r`
        and come before it (and after the cluster `after`), in creation order."""
        out = []
        for key in self.state._neighbours(r.candidate, set()):
            eid = None if key in self.fresh else self.state._member_of.get(key)
            if eid is None:
                continue
            members = self._old_members(eid)
            if members[0].key != key:
                continue  # not its starter
            cid = self._order(members[0])
            if cid < at[0] and (after is None or cid > after) and cid not in self.dirty:
                out.append((cid, eid))
        out.sort(key=operator.itemgetter(0))
        return out

    def _decide(self, r: Reported, at: _Position) -> None:
        """Replay the decision of stored candidate `r` at its position `at`."""
        t = self._traits(r)
        old_eid = None if r.key in self.fresh else self.state._member_of.get(r.key)
        old = self._order(self._old_members(old_eid)[0]) if old_eid is not None else None
        best: _Cid | None = None
        best_eid: str | None = None
        for cid, cl in self.dirty.items():
            if cl is not None and (best is None or cid < best) and cid < at[0] and cl.accepts(t):
                best = cid
        if old is not None and old != at[0] and old not in self.dirty:
            if best is None or old < best:  # its clean cluster takes it still; those before it still refuse
                best, best_eid = old, old_eid
        elif old != at[0]:  # new, or its cluster changed: the clean clusters after that one may take it
            for cid, eid in self._clean(r, at, old):
                if best is not None and cid > best:
                    break
                cl = self._prefix(self._old_members(eid), at)
                if cl is not None and cl.accepts(t):
                    best, best_eid = cid, eid
                    break
        chosen = best if best is not None else at[0]
        if chosen == old:  # the same decision
            if old in self.dirty:
                kept = self.dirty[old]
                if kept is None:
                    self.dirty[old] = _Cluster.start(0, t)
                else:
                    kept.add(t)
            return
        if old_eid is not None:
            self._dirty(old_eid, at)
        if best is None:
            self.dirty[chosen] = _Cluster.start(0, t)
            self._push_linked(r, at)
            return
        if best_eid is not None and best not in self.dirty:
            self._dirty(best_eid, at)
        target = self.dirty[best]
        assert target is not None
        target.add(t)

    def run(self) -> tuple[list[list[Reported]], set[str]]:
        """The members of every cluster that changed (in creation order), and the event ids
        the changed clusters had before."""
        while self.queue:
            at, key = heappop(self.queue)
            if at[1]:
                self._decide(self.state.candidates[key], at)
                continue
            eid = self.state._member_of.get(key)  # a removed candidate: its cluster changes here
            if eid is not None and eid in self.state.events:
                self._dirty(eid, at)
        changed = sorted(((cid, cl) for cid, cl in self.dirty.items() if cl is not None), key=operator.itemgetter(0))
        return [cl.members for _, cl in changed], set(self.old_ids.values())


def _regions_of(event: ConflictEvent) -> list[tuple[str, str | None]]:
    return [(event.country, None)] + ([(event.country, event.admin1)] if event.admin1 else [])


def step_article(state: EventState, article: ExtractedArticle) -> Step:
    """Fold one article copy into `state` (in place): the event revisions and changed totals
    to publish, and what changed for the table."""
    step = Step()
    state.merge(article, step)
    state.publish(step)
    return step


def step_watermark(state: EventState, day: date, sources: Mapping[int, date] | None = None) -> Step:
    """A watermark tick, in place: the watermark moves to `day` if later (totals re-emitted
    if their windows moved), the source partitions' marks to `sources`, and what the low
    watermark makes final is evicted."""
    step = Step()
    if state.watermark is None or day > state.watermark:
        state._advance(day, step)
    if sources:
        state.observe(sources, step)
    if step.meta:
        state.publish(step)
    return step


def merge_article(state: EventState, article: ExtractedArticle) -> tuple[EventState, list[ConflictEvent]]:
    """Fold one article copy into `state` (in place); totals are not computed."""
    step = Step()
    state.merge(article, step)
    return state, step.revisions


def apply_article(
    state: EventState, article: ExtractedArticle
) -> tuple[EventState, list[ConflictEvent], list[RegionalTotal]]:
    """Fold one article copy into `state` (in place): the event revisions and changed totals."""
    step = step_article(state, article)
    return state, step.revisions, step.totals


def apply_watermark(
    state: EventState, day: date, sources: Mapping[int, date] | None = None
) -> tuple[EventState, list[ConflictEvent], list[RegionalTotal]]:
    """A watermark tick (in place, see `step_watermark`); totals re-emitted if windows moved."""
    step = step_watermark(state, day, sources)
    return state, step.revisions, step.totals
