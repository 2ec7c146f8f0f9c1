"""Totals are a function of the input alone: the same articles, each source partition (of
articles.clean) in publication order, read in any interleaving of the partitions, with the
watermark ticks reaching the events partitions at any point, crashes and redeliveries
included, give the same totals and the same events, evicted ones too.

The stream is invented: about three years of articles in a small world (two countries, a
few regions and places), with background reports of attacks weeks or months old, some
dated more than `HORIZON_DAYS` before their article (refused), many near that boundary,
and month- and year-wide dates that bridge old and new reports.
"""

from __future__ import annotations

import random
from collections import deque
from datetime import UTC, date, datetime, timedelta

from schemas import ConflictEvent, EventCandidate, ExtractedArticle, RawRef, RegionalTotal, Timing
from streams.events import (
    HORIZON_DAYS,
    EventState,
    Reported,
    _event,
    cluster,
    horizon,
    interval,
    step_article,
    step_watermark,
)
from streams.state import changed_entries, load_state, writes
from streams.totals import digest

SOURCES = 4  # partitions of articles.clean
ROUTES = {"ML": 0, "BF": 1}  # country -> events partition
WORLD = {"ML": {"Mopti": ["Bankass", "Djenne"], "Segou": ["Niono"]}, "BF": {"Sahel": ["Djibo"], "Nord": ["Titao"]}}
START = datetime(2021, 1, 4, 7, tzinfo=UTC)

Message = list[ExtractedArticle]  # one article read from articles.clean: its copies, one per country
Item = ExtractedArticle | tuple[date, dict[int, date]]  # a copy, or a tick (its day and sources)


def _candidate(rng: random.Random, index: int, published: datetime) -> EventCandidate:
    roll = rng.random()
    if roll < 0.62:
        back = rng.randint(0, 6)  # news
    elif roll < 0.80:
        back = rng.randint(15, 300)  # an attack recalled
    elif roll < 0.94:
        back = rng.randint(HORIZON_DAYS - 12, HORIZON_DAYS + 8)  # about the boundary
    else:
        back = rng.randint(HORIZON_DAYS + 9, 700)  # too old for its article
    country = rng.choice(["ML", "ML", "BF"])
    admin1 = rng.choice([*WORLD[country], None])
    place = rng.choice([None, *WORLD[country][admin1]]) if admin1 else None
    kind = rng.choice(["day", "day", "day", "week", "month", "year", "undated"])
    killed = rng.randint(1, 30)
    return EventCandidate(
        index=index, country=country, admin1=admin1, place=place, day=(published - timedelta(days=back)).date(),
        precision="day" if kind == "undated" else kind, dated=kind != "undated", background=back > 14,
        actors=rng.sample(["JNIM", "IS Sahel", "FAMa"], rng.randint(0, 1)),
        modes=rng.sample(["ied"], rng.randint(0, 1)),
        toll_given=rng.random() < 0.9, killed_low=killed - rng.randint(0, 1), killed_best=killed,
        killed_high=killed + rng.randint(0, 3), revision=rng.random() < 0.1,
    )  # fmt: skip


def _copies(ident: str, published: datetime, source: int, candidates: list[EventCandidate]) -> Message:
    """The copies the extract stage sends for one article: one per country, in index order."""
    out = []
    for country in sorted({c.country for c in candidates}):
        out.append(ExtractedArticle(
            article_id=ident, route=country, url=f"https://news.example/{ident}", source=f"outlet {ident[-1]}",
            published_at=published, candidates=[c for c in candidates if c.country == country],
            raw=RawRef(partition=source, offset=0), timing=Timing(ingested=0.0),
        ))  # fmt: skip
    return out


def invented_stream(seed: int, articles: int = 420) -> list[list[Message]]:
    """Per source partition, its messages in publication order: articles over about three
    years, revised versions of some (later, same id, other candidates) and redeliveries of
    recent messages (as after a crash of the extract stage)."""
    rng = random.Random(seed)
    days = sorted(rng.randint(0, 1000) for _ in range(articles))
    timed: list[list[tuple[datetime, Message]]] = [[] for _ in range(SOURCES)]
    for number, day in enumerate(days):
        published = START + timedelta(days=day, hours=rng.randint(0, 12))
        ident = f"a{number:04d}"
        source = rng.randrange(SOURCES)
        cands = [_candidate(rng, index, published) for index in range(rng.randint(1, 3))]
        timed[source].append((published, _copies(ident, published, source, cands)))
        if rng.random() < 0.12:  # a revised version: a later published_at, candidates changed or dropped
            later = published + timedelta(days=rng.randint(0, 20), hours=1)
            revised = [c.model_copy(update={"killed_best": c.killed_best + 2, "killed_high": c.killed_high + 2})
                       for c in cands if rng.random() < 0.7]  # fmt: skip
            if revised:
                timed[source].append((later, _copies(ident, later, source, revised)))
    out: list[list[Message]] = []
    for part in timed:
        ordered = [message for _, message in sorted(part, key=lambda pm: pm[0])]
        with_replays: list[Message] = []
        for message in ordered:
            with_replays.append(message)
            if with_replays and rng.random() < 0.05:  # redelivered after a crash: a few recent messages again
                with_replays += with_replays[-rng.randint(2, 4) : -1]
        out.append(with_replays)
    return out


class Pipeline:
    """The extract stage's ticks and the events partitions' consumers, driven by `rng`: which
    source partition is read next, when each events partition takes its next messages, and
    when one crashes (its state rebuilt from its table, its uncommitted inputs redelivered)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.read: dict[int, date] = {}
        self.latest: date | None = None
        self.queues: list[deque[Item]] = [deque() for _ in ROUTES]
        self.states = [EventState(sources=SOURCES) for _ in ROUTES]
        self.tables: list[dict[bytes, bytes]] = [{} for _ in ROUTES]
        self.uncommitted: list[list[Item]] = [[] for _ in ROUTES]
        self.offsets = [0 for _ in ROUTES]
        self.totals: dict[str, RegionalTotal] = {}  # the totals topic: latest per key
        self.events: dict[str, ConflictEvent] = {}  # the events topic: highest revision per id
        self.late = 0
        self.crashes = 0

    def broadcast(self, sources: dict[int, date]) -> None:
        assert self.latest is not None
        for queue in self.queues:
            queue.append((self.latest, dict(sources)))

    def extract(self, source: int, message: Message) -> None:
        """What `Pipeline.extracted` and `tick` do in streams/agents.py."""
        for copy in message:
            self.queues[ROUTES[copy.route]].append(copy)
        day = message[0].published_at.date()
        earliest = min(self.read.values(), default=None)
        self.read[source] = max(day, self.read.get(source, day))
        advanced = self.latest is None or day > self.latest
        self.latest = day if advanced else self.latest
        if advanced or min(self.read.values()) != earliest:
            self.broadcast(self.read)

    def publish(self, events: list[ConflictEvent], totals: list[RegionalTotal]) -> None:
        for event in events:
            known = self.events.get(event.event_id)
            if known is None or event.revision >= known.revision:
                self.events[event.event_id] = event
        self.totals.update({t.key: t for t in totals})

    def consume(self, partition: int) -> None:
        """The events agent taking one message: step, send, save the changed entries."""
        item = self.queues[partition].popleft()
        state = self.states[partition]
        if isinstance(item, ExtractedArticle):
            step = step_article(state, item)
            self.late += step.late
        else:
            step = step_watermark(state, *item)
        self.publish(step.revisions, step.totals)
        puts, deletes = changed_entries(partition, state, step, self.offsets[partition])
        state.mark_written(step, self.offsets[partition])
        for key in deletes:
            self.tables[partition].pop(key, None)
        self.tables[partition].update(puts)
        self.offsets[partition] += 1
        self.uncommitted[partition].append(item)
        if self.rng.random() < 0.3:
            self.uncommitted[partition].clear()  # offsets committed

    def crash(self, partition: int) -> None:
        """The worker dies: the state is rebuilt from the table, sends again what its
        redelivered inputs wrote and every total (`resend`), and those inputs come again."""
        self.crashes += 1
        redelivered = self.uncommitted[partition]
        self.offsets[partition] -= len(redelivered)
        state = self.states[partition] = load_state(partition, self.tables[partition].items(), SOURCES)
        self.publish(*state.resend(self.offsets[partition]))
        self.queues[partition].extendleft(reversed(redelivered))
        self.uncommitted[partition] = []

    def run(self, stream: list[list[Message]], weights: list[float], order: list[int] | None = None) -> None:
        """Read the source partitions at random speeds (`weights`), or in `order`."""
        cursors = [0] * SOURCES
        order = list(order or [])
        while True:
            left = [s for s in range(SOURCES) if cursors[s] < len(stream[s])]
            busy = [p for p in range(len(ROUTES)) if self.queues[p]]
            if not left and not busy:
                break
            roll = self.rng.random()
            if left and (not busy or roll < 0.5):
                source = order.pop(0) if order else self.rng.choices(left, [weights[s] for s in left])[0]
                self.extract(source, stream[source][cursors[source]])
                cursors[source] += 1
            elif roll < 0.51 and self.latest is not None:
                self.broadcast(self.read)  # the retick timer
            elif roll < 0.515:
                self.crash(self.rng.choice(range(len(ROUTES))))
            else:
                partition = self.rng.choice(busy)
                for _ in range(self.rng.randint(1, 6)):
                    if self.queues[partition]:
                        self.consume(partition)
        self.broadcast(self.read)  # a last retick
        for partition in range(len(ROUTES)):
            while self.queues[partition]:
                self.consume(partition)


def _outcome(pipeline: Pipeline) -> tuple[dict[str, str], dict[str, ConflictEvent]]:
    totals = {key: digest(t) for key, t in pipeline.totals.items()}
    events = {eid: e.model_copy(update={"revision": 1}) for eid, e in pipeline.events.items() if e.reports}
    return totals, events


def _interleavings(stream: list[list[Message]], runs: int) -> list[Pipeline]:
    """The stream read in publication order, one partition after the other (the last first),
    then in `runs` random interleavings, some with one partition much faster or slower than
    the others."""
    published = sorted((m[0].published_at, s) for s in range(SOURCES) for m in stream[s])
    orders = [[s for _, s in published], [s for s in reversed(range(SOURCES)) for _ in stream[s]]]
    out = []
    for number, order in enumerate(orders):
        pipeline = Pipeline(random.Random(number))
        pipeline.run(stream, [1.0] * SOURCES, order)
        out.append(pipeline)
    for run in range(runs):
        rng = random.Random(100 + run)
        weights = [rng.choice([0.05, 1.0, 1.0, 20.0]) for _ in range(SOURCES)]
        pipeline = Pipeline(rng)
        pipeline.run(stream, weights)
        out.append(pipeline)
    return out


def test_any_interleaving_of_the_partitions_and_ticks_gives_the_same_totals_and_events() -> None:
    stream = invented_stream(seed=21)
    every = [copy for part in stream for message in part for copy in message]
    assert max(c.published_at for c in every) - min(c.published_at for c in every) > timedelta(days=2 * 365)
    runs = _interleavings(stream, runs=10)
    reference = _outcome(runs[0])
    for pipeline in runs:
        assert _outcome(pipeline) == reference
    totals, events = reference
    archived = [e for e in events.values() if e.archived]
    assert len(archived) > 30 and len(events) - len(archived) > 30  # old events left the state, recent ones not
    assert runs[0].late > 20  # refused: dated too long before their article
    assert sum(p.crashes for p in runs) > 10
    # every all-time total is the sum of the events it counts, archived ones included
    for key, value in totals.items():
        country, admin1, window = key.split("/")
        if window == "all":
            mine = [e for e in events.values() if e.country == country and (not admin1 or e.admin1 == admin1)]
            assert int(value.split(",")[1]) == sum(e.killed_best for e in mine), key


def span(r: Reported) -> tuple[date, date]:
    return interval(r.candidate.day, r.candidate.precision, r.candidate.dated)


def test_the_state_keeps_only_what_can_still_change() -> None:
    """After the stream: each events partition's floor is the horizon of its low watermark;
    no candidate it holds begins before it; its live events are those of clustering what it
    holds; windows end at the latest day, eviction follows the earliest partition."""
    stream = invented_stream(seed=22)
    pipeline = _interleavings(stream, runs=1)[-1]
    last_days = [max(m[0].published_at.date() for m in part) for part in stream]
    for state in pipeline.states:
        assert state.watermark == max(last_days) and state.low == min(last_days)
        assert state.floor == horizon(min(last_days))
        old = [r for r in state.candidates.values() if span(r)[0] < state.floor]
        assert old  # dates that reach past the floor from before it (a month, a year wide)
        for members in cluster(old):  # what could still be evicted: nothing, it all reaches the floor
            assert max(span(m)[1] for m in members) >= state.floor
        live = {e.event_id: e.model_copy(update={"revision": 1}) for e in state.events.values() if e.reports}
        assert live == {e.event_id: e for e in map(_event, cluster(list(state.candidates.values())))}


def test_an_idle_source_partition_holds_eviction_back_until_it_reports() -> None:
    """The low watermark waits for every source partition: with one silent, nothing is
    evicted however far the others go; once it reports (an article, or a tick naming it),
    what leaves the state is what would have left had it kept up all along (eviction is
    decided day by day, from the candidates that begin before each day)."""
    copies = [c for part in invented_stream(seed=23)[:3] for m in part for c in m if c.route == "ML"]
    copies.sort(key=lambda c: c.published_at)
    held, kept_up = EventState(sources=SOURCES), EventState(sources=SOURCES)
    for copy in copies:
        step_article(held, copy)
        step_article(kept_up, copy)
        step_watermark(kept_up, copy.published_at.date(), {3: copy.published_at.date()})
    assert held.low is None and held.floor is None and not held.archive
    assert held.watermark is not None and kept_up.archive
    step = step_watermark(held, held.watermark, {3: held.watermark})
    assert step.archived_events and held.floor == kept_up.floor == horizon(min(held.marks.values()))
    assert held.archive == kept_up.archive and set(held.candidates) == set(kept_up.candidates)
    assert {t.key: digest(t) for t in held.all_totals()} == {t.key: digest(t) for t in kept_up.all_totals()}


def test_a_crash_anywhere_in_an_eviction_s_writes_loses_and_doubles_nothing() -> None:
    """The table writes of a step that evicts many events (some of them differing from the
    live events: their members' live events are formed again), cut anywhere (a crash keeps
    a prefix of the changelog), then the same tick again on the state rebuilt from that
    prefix: the same archive, candidates, events and totals as without the crash."""
    copies = [c for part in invented_stream(seed=24)[:3] for m in part for c in m if c.route == "ML"]
    copies.sort(key=lambda c: c.published_at)
    state, table = EventState(sources=SOURCES), {}
    for offset, copy in enumerate(copies):
        step = step_article(state, copy)
        for key, value in writes(0, state, step, offset):
            table.pop(key, None) if value is None else table.__setitem__(key, value)
    assert state.watermark is not None and state.low is None
    tick = (state.watermark, {3: state.watermark})
    step = step_watermark(state, *tick)
    ops = writes(0, state, step, len(copies))
    regrouped = [r for r in step.revisions if not r.archived]  # the live events formed again
    assert len(step.archived_events) > 20 and regrouped

    def outcome(s: EventState) -> tuple[object, ...]:
        live = {eid: e.model_copy(update={"revision": 1}) for eid, e in s.events.items() if e.reports}
        return s.archive, set(s.candidates), live, {t.key: digest(t) for t in s.all_totals()}, s.floor

    expected = outcome(state)
    rng = random.Random(5)
    for cut in sorted({0, 1, len(ops) - 1, len(ops), *rng.sample(range(len(ops)), 12)}):
        crashed = dict(table)
        for key, value in ops[:cut]:
            crashed.pop(key, None) if value is None else crashed.__setitem__(key, value)
        again = load_state(0, crashed.items(), SOURCES)
        replay = step_watermark(again, *tick)
        for key, value in writes(0, again, replay, len(copies)):
            crashed.pop(key, None) if value is None else crashed.__setitem__(key, value)
        assert outcome(again) == expected, cut
        assert outcome(load_state(0, crashed.items(), SOURCES)) == expected, cut
