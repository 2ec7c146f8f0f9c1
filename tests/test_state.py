"""The events state: incremental re-clustering equals clustering everything, and the table
layout (one entry per candidate and event) round-trips with only changed entries written."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.generate import chaos_articles, hostile_articles
from schemas import ConflictEvent, EventCandidate, ExtractedArticle, RawArticle, RawRef, Timing, decode
from streams.clean import Skipped, clean
from streams.events import (
    _FAMILY,
    EventState,
    Reported,
    Site,
    _event,
    _order,
    apply_article,
    cluster,
    interval,
    sites_agree,
    step_article,
)  # fmt: skip
from streams.extract import extract
from streams.state import changed_entries, load_state
from streams.totals import digest
from tests.conftest import ROOT


def copies(values: list[bytes]) -> list[ExtractedArticle]:
    out = []
    for offset, value in enumerate(values):
        result = clean(decode(RawArticle, value), RawRef(partition=0, offset=offset), time.time(), time.time())
        if not isinstance(result, Skipped):
            out.extend(extract(result, time.time()))
    return out


def stream() -> list[ExtractedArticle]:
    bankass = (ROOT / "tests" / "data" / "bankass_stream.jsonl").read_bytes().splitlines()
    generated = [value for _, value in hostile_articles(120, seed=3)]
    chaos = [value for _, value in chaos_articles(300, seed=5)]  # five months, copies and revisions
    # the generated articles again, rewritten: a copy that replaces its earlier candidates
    return copies(bankass + generated + generated[:30] + chaos)


def content(events: dict[str, ConflictEvent]) -> dict[str, ConflictEvent]:
    return {eid: e.model_copy(update={"revision": 1}) for eid, e in events.items() if e.reports}


def test_incremental_reclustering_gives_the_events_of_clustering_everything() -> None:
    states: dict[str, EventState] = {}
    formed: set[str] = set()
    for article in stream():
        state, revisions, _ = apply_article(states.get(article.route, EventState()), article)
        states[article.route] = state
        everything = {e.event_id: e for e in map(_event, cluster(list(state.candidates.values())))}
        assert content(state.events) == content(everything), article.article_id
        formed |= {e.event_id for e in revisions if e.reports}
        # the totals kept up by deltas are the totals recomputed from scratch
        assert state.emitted == {t.key: digest(t) for t in state.all_totals()}, article.article_id
        assert [digest(t) for t in state.current_totals()] == [digest(t) for t in state.all_totals()]
    assert len(formed) > 150


def _reference_cluster(reported: list[Reported]) -> list[list[Reported]]:
    """The merge rule written plainly (every cluster tried in creation order), against which
    the indexed `cluster` is checked."""
    clusters: list[dict[str, Any]] = []
    for r in sorted(reported, key=_order):
        c = r.candidate
        lo, hi = interval(c.day, c.precision, c.dated)
        place = c.place if c.place and c.place != c.admin1 else None
        site = Site(place, c.geonameid, c.admin2, c.country) if place and not c.background else None
        place = site.name if site else None
        families = {_FAMILY[a] for a in c.actors if a in _FAMILY}
        for cl in clusters:
            if (c.country != cl["country"] or r.article_id in cl["articles"]
                    or (cl["admin1"] and c.admin1 and cl["admin1"] != c.admin1)
                    or (cl["place"] and place and not sites_agree(cl["site"], site))
                    or hi < cl["lo"] or cl["hi"] < lo
                    or (cl["families"] and families and not cl["families"] & families)
                    or (cl["modes"] and c.modes and not cl["modes"] & set(c.modes))):  # fmt: skip
                continue
            cl["members"].append(r)
            cl["articles"].add(r.article_id)
            if cl["place"] is None and place is not None:
                cl["place"], cl["site"] = place, site
            cl["admin1"] = cl["admin1"] or c.admin1
            cl["lo"], cl["hi"] = max(cl["lo"], lo), min(cl["hi"], hi)
            cl["families"] |= families
            cl["modes"] |= set(c.modes)
            break
        else:
            clusters.append({"members": [r], "country": c.country, "articles": {r.article_id},
                             "admin1": c.admin1, "place": place, "site": site, "lo": lo, "hi": hi, "families": families,
                             "modes": set(c.modes)})  # fmt: skip
    return [cl["members"] for cl in clusters]


def test_the_indexed_clustering_is_the_plain_merge_rule() -> None:
    every: list[Reported] = []
    for article in stream():
        every += [Reported(article_id=article.article_id, published_at=article.published_at, candidate=c)
                  for c in article.candidates]  # fmt: skip
    rng = random.Random(4)
    for size in (5, 50, 400, len(every)):
        sample = rng.sample(every, min(size, len(every)))
        assert [[r.key for r in cl] for cl in cluster(sample)] == [
            [r.key for r in cl] for cl in _reference_cluster(sample)
        ]
    assert len(cluster(every)) > 150


def test_the_table_entries_rebuild_the_state_and_only_changes_are_written() -> None:
    table: dict[bytes, bytes] = {}
    states: dict[str, EventState] = {}
    partition_of: dict[str, int] = {}
    written = 0
    for offset, article in enumerate(stream()):
        partition = partition_of.setdefault(article.route, len(partition_of) % 3)
        state = states.setdefault(article.route, EventState())
        step = step_article(state, article)
        puts, deletes = changed_entries(partition, state, step, offset)
        state.mark_written(step, offset)
        for key in deletes:
            del table[key]
        table.update(puts)
        written += len(puts)
        assert len(puts) <= len(article.candidates) + len(step.revisions) + len(step.archived) + 1
    for partition in range(3):
        routes = [r for r, p in partition_of.items() if p == partition]
        rebuilt = load_state(partition, table.items())
        assert set(rebuilt.candidates) == {k for r in routes for k in states[r].candidates}
        assert rebuilt.events == {k: v for r in routes for k, v in states[r].events.items()}
        assert rebuilt.written == {k: v for r in routes for k, v in states[r].written.items()}
        assert rebuilt.archive == {k: v for r in routes for k, v in states[r].archive.items()}
        sizes = len(rebuilt.candidates) + len(rebuilt.events) + len(rebuilt.archive)
        assert sizes + 1 == len([k for k in table if k.startswith(f"p{partition}:".encode())])
    assert written < 4 * len(table)  # writes track changes, not the size of the state


def test_a_reloaded_state_sends_again_what_the_redelivered_inputs_wrote_and_every_total() -> None:
    state = EventState()
    table: dict[bytes, bytes] = {}
    copies = [c for c in stream() if c.route == "ML"]
    wrote: dict[int, set[str]] = {}
    for offset, article in enumerate(copies):
        step = step_article(state, article)
        puts, deletes = changed_entries(0, state, step, offset)
        state.mark_written(step, offset)
        for key in deletes:
            del table[key]
        table.update(puts)
        wrote[offset] = {e.event_id for e in step.revisions}
    committed = len(copies) - 5  # the last five inputs come again after a crash
    rebuilt = load_state(0, table.items())
    assert rebuilt.emitted == {}
    events, totals = rebuilt.resend(committed)
    last_writer = {eid: at for at in sorted(wrote) for eid in wrote[at]}
    assert {e.event_id for e in events} == {eid for eid, at in last_writer.items() if at >= committed}
    assert all(e == state.events[e.event_id] for e in events)  # their latest revisions
    assert {t.key: digest(t) for t in totals} == {t.key: digest(t) for t in state.all_totals()}
    assert rebuilt.emitted == state.emitted
    for article in copies[committed:]:  # the redelivered inputs change nothing
        step = step_article(rebuilt, article)
        assert (step.revisions, step.totals) == ([], [])


def _random_article(rng: random.Random, number: int, base: datetime) -> ExtractedArticle:
    """An article of 1-4 candidates drawn from a small world (two countries, three regions,
    places, overlapping dates of every precision, families and means that may clash), so
    that most candidates could share an event with many others."""
    candidates = []
    for index in range(rng.randint(1, 4)):
        admin1 = rng.choice(["Mopti", "Segou", "Kidal", None])
        kind = rng.choice(["day", "day", "week", "month", "year", "undated"])
        candidates.append(EventCandidate(
            index=index, country=rng.choice(["ML", "ML", "ML", "BF"]), admin1=admin1,
            place=rng.choice([None, None, admin1, "Bankass", "Djenne"]) if admin1 else rng.choice([None, "Bankass"]),
            day=(base + timedelta(days=rng.randint(0, 40))).date(),
            precision="day" if kind == "undated" else kind, dated=kind != "undated",
            actors=rng.sample(["JNIM", "IS Sahel", "FAMa", "Dozo"], rng.randint(0, 2)),
            background=rng.random() < 0.3, modes=rng.sample(["ied", "airstrike"], rng.randint(0, 1)),
            toll_given=True, killed_low=rng.randint(0, 9), killed_best=9, killed_high=12,
        ))  # fmt: skip
    return ExtractedArticle(
        article_id=f"a{number}", route="ML", published_at=base + timedelta(days=rng.randint(0, 45), hours=number % 24),
        candidates=candidates, raw=RawRef(partition=0, offset=number), timing=Timing(ingested=0.0),
    )  # fmt: skip


def test_the_replayed_sweep_is_clustering_everything_under_random_changes() -> None:
    """New articles, copies that replace an article's candidates (some with fewer, some
    with only figures changed), and reloads (no cached members): after every step the
    live events are exactly those of clustering every stored candidate."""
    rng = random.Random(11)
    base = datetime(2026, 3, 1, tzinfo=UTC)
    state = EventState()
    sent: list[ExtractedArticle] = []
    replaced = 0
    for number in range(700):
        roll = rng.random()
        if sent and roll < 0.25:  # a copy of an earlier article, rewritten
            earlier = rng.choice(sent)
            fresh = _random_article(rng, number, base)
            cands = fresh.candidates[: rng.randint(0, len(fresh.candidates))]
            if rng.random() < 0.5:
                cands = [c.model_copy(update={"killed_best": c.killed_best + 1}) for c in earlier.candidates]
            article = earlier.model_copy(update={"candidates": cands})
            replaced += 1
        else:
            article = _random_article(rng, number, base)
            sent.append(article)
        step_article(state, article)
        if roll > 0.97:  # reloaded from what a table keeps
            state = EventState(state.watermark, state.candidates, state.events, state.emitted, state.archive)
        live = {eid: sorted(f"{r.article_id}#{r.candidate}" for r in e.reports) for eid, e in state.events.items()}
        expected = {e.event_id: sorted(f"{r.article_id}#{r.candidate}" for r in e.reports)
                    for e in map(_event, cluster(list(state.candidates.values())))}  # fmt: skip
        assert {k: v for k, v in live.items() if v} == expected, number
        assert state.emitted == {t.key: digest(t) for t in state.all_totals()}, number
    assert replaced > 100 and len(state.candidates) > 1000
