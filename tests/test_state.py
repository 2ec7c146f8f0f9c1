"""The events state: incremental re-clustering equals clustering everything, and the table
layout (one entry per candidate and event) round-trips with only changed entries written."""

from __future__ import annotations

import time

from bench.generate import hostile_articles
from schemas import ConflictEvent, ExtractedArticle, RawArticle, RawRef, decode
from streams.clean import Skipped, clean
from streams.events import EventState, _event, apply_article, cluster
from streams.extract import extract
from streams.state import changed_entries, load_state
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
    # the generated articles again, rewritten: a copy that replaces its earlier candidates
    return copies(bankass + generated + generated[:30])


def content(events: dict[str, ConflictEvent]) -> dict[str, ConflictEvent]:
    return {eid: e.model_copy(update={"revision": 1}) for eid, e in events.items() if e.reports}


def test_incremental_reclustering_gives_the_events_of_clustering_everything() -> None:
    states: dict[str, EventState] = {}
    for article in stream():
        state, _, _ = apply_article(states.get(article.route, EventState()), article)
        states[article.route] = state
        everything = {e.event_id: e for e in map(_event, cluster(list(state.candidates.values())))}
        assert content(state.events) == content(everything), article.article_id
    assert sum(len(content(s.events)) for s in states.values()) > 100


def test_the_table_entries_rebuild_the_state_and_only_changes_are_written() -> None:
    table: dict[bytes, bytes] = {}
    states: dict[str, EventState] = {}
    partition_of: dict[str, int] = {}
    written = 0
    for article in stream():
        partition = partition_of.setdefault(article.route, len(partition_of) % 3)
        before = states.get(article.route, EventState())
        after, revisions, _ = apply_article(before, article)
        puts, deletes = changed_entries(partition, before, after, revisions)
        for key in deletes:
            del table[key]
        table.update(puts)
        written += len(puts)
        assert len(puts) <= len(article.candidates) + len(revisions) + 1
        states[article.route] = after
    for partition in range(3):
        routes = [r for r, p in partition_of.items() if p == partition]
        rebuilt = load_state(partition, table.items())
        assert set(rebuilt.candidates) == {k for r in routes for k in states[r].candidates}
        assert rebuilt.events == {k: v for r in routes for k, v in states[r].events.items()}
        assert len(rebuilt.candidates) + len(rebuilt.events) + 1 == len(
            [k for k in table if k.startswith(f"p{partition}:".encode())]
        )
    assert written < 4 * len(table)  # writes track changes, not the size of the state
