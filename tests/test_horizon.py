"""The events state's horizon: old events leave the state, the totals do not change, the
state stays bounded, and a candidate dated before the horizon is refused."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import orjson
import pytest

from bench.generate import steady_attacks
from schemas import ExtractedArticle, RawRef
from streams import events
from streams.clean import Skipped, clean, decode_raw
from streams.events import EventState, horizon, interval, step_article, step_watermark
from streams.extract import extract
from streams.state import changed_entries, load_state
from streams.totals import digest


def two_years(seed: int = 8) -> list[ExtractedArticle]:
    """Reports of attacks over 800 days, in publication order, one or two outlets each."""
    out: list[ExtractedArticle] = []
    for offset, (_, value) in enumerate(steady_attacks(800, seed=seed)):
        article = clean(decode_raw(value), RawRef(partition=0, offset=offset), time.time(), time.time())
        assert not isinstance(article, Skipped)
        out += extract(article, time.time())
    return out


def extracted(body: str, published: datetime, ident: str) -> list[ExtractedArticle]:
    value = orjson.dumps({"id": ident, "body": body, "published_at": published.isoformat()})
    article = clean(decode_raw(value), RawRef(partition=0, offset=0), time.time(), time.time())
    assert not isinstance(article, Skipped)
    return extract(article, time.time())


def run(stream: list[ExtractedArticle]) -> tuple[dict[str, EventState], dict[str, str], int]:
    states: dict[str, EventState] = {}
    latest: dict[str, str] = {}
    evicted = 0
    for copy in stream:
        state = states.setdefault(copy.route, EventState())
        step = step_article(state, copy)
        latest.update({t.key: digest(t) for t in step.totals})
        evicted += len(step.evicted)
    return states, latest, evicted


def test_evicting_old_events_changes_no_total_and_bounds_the_state(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = two_years()
    states, totals, evicted = run(stream)
    monkeypatch.setattr(events, "HORIZON_DAYS", 10_000)  # nothing ever leaves the state
    kept_states, kept_totals, kept_evicted = run(stream)
    assert kept_evicted == 0 and evicted > 50
    assert totals == kept_totals  # every window of every region, the all-time window included
    for route, state in states.items():
        assert state.watermark is not None
        floor = horizon(state.watermark)
        spans = [interval(r.candidate.day, r.candidate.precision, r.candidate.dated) for r in state.candidates.values()]
        assert min(lo for lo, _ in spans) >= floor - timedelta(days=3)  # only what a live event still holds
        assert len(state.candidates) < len(kept_states[route].candidates)
        assert state.archive  # the evicted events' figures, per region
        assert state.emitted == {t.key: digest(t) for t in state.all_totals()}


def test_the_state_stays_bounded_in_a_steady_stream() -> None:
    stream = two_years(seed=9)
    states: dict[str, EventState] = {}
    sizes: dict[date, int] = {}
    for copy in stream:
        state = states.setdefault(copy.route, EventState())
        step_article(state, copy)
        sizes[copy.published_at.date()] = sum(len(s.candidates) for s in states.values())
    days = sorted(sizes)
    at_one_horizon = sizes[next(d for d in days if d >= days[0] + timedelta(days=events.HORIZON_DAYS + 5))]
    assert sizes[days[-1]] <= 1.3 * at_one_horizon  # it stops growing once events start leaving


def test_a_candidate_dated_before_the_horizon_is_refused() -> None:
    state = EventState()
    now = datetime(2026, 6, 1, 9, tzinfo=UTC)
    step_article(state, extracted("Gunmen killed 7 civilians in Djibo, Burkina Faso, on Sunday.", now, "new")[0])
    old = extracted("Gunmen killed 12 civilians in Djibo, Burkina Faso, on 3 March 2024.", now, "old")[0]
    assert old.candidates and old.candidates[0].day == date(2024, 3, 3)
    step = step_article(state, old)
    assert step.late == 1 and step.revisions == []
    assert {r.article_id for r in state.candidates.values()} == {"new"}


def test_eviction_is_written_to_the_table_and_reloads() -> None:
    state = EventState()
    table: dict[bytes, bytes] = {}
    for copy in two_years(seed=10)[:60]:
        step = step_article(state, copy)
        puts, deletes = changed_entries(0, state, step)
        for key in deletes:
            table.pop(key)
        table.update(puts)
    assert state.watermark is not None
    later = state.watermark + timedelta(days=events.HORIZON_DAYS + 400)
    assert step_watermark(state, later).evicted == set()  # the windows move; what leaves follows the sources
    step = step_watermark(state, later, {0: later})  # the (only) source partition has reached that day
    assert step.evicted and not state.candidates
    assert {e.event_id for e in step.archived_events} <= step.evicted
    assert all(e.archived and e.reports for e in step.archived_events)
    puts, deletes = changed_entries(0, state, step)
    for key in deletes:
        table.pop(key)
    table.update(puts)
    assert not [k for k in table if k.startswith(b"p0:c:")]
    rebuilt = load_state(0, table.items())
    assert rebuilt.all_totals() == state.all_totals()
    assert rebuilt.archive == state.archive
    assert (rebuilt.marks, rebuilt.floor, rebuilt.watermark) == ({0: later}, horizon(later), later)


def test_a_copy_arriving_after_the_horizon_passed_its_start_removes_nothing() -> None:
    """A stored candidate stays until its whole interval is before the horizon; a copy of
    its article (a redelivery, a replay, a revision) arriving once the horizon has passed the
    interval's start keeps it: no revision, no total changes, nothing lost uncounted."""
    now = datetime(2026, 3, 1, 9, tzinfo=UTC)
    body = ("Gunmen killed 10 soldiers in Djibo, Burkina Faso, in February 2025. "
            "On Sunday gunmen killed 4 civilians in Djibo, Burkina Faso.")  # fmt: skip
    (copy,) = extracted(body, now, "a1")
    spans = [interval(c.day, c.precision, c.dated) for c in copy.candidates]
    assert len(spans) == 2 and spans[0][1] - spans[0][0] > timedelta(days=20), spans
    state = EventState()
    step_article(state, copy)
    # the horizon moves past the start of the month-wide candidate, not its end
    day = spans[0][0] + timedelta(days=events.HORIZON_DAYS + 10)
    assert horizon(day) > spans[0][0] and horizon(day) <= spans[0][1]
    step_watermark(state, day, {0: day})
    before = ({k: digest(t) for t in state.all_totals() for k in [t.key]}, dict(state.candidates))
    assert len(before[1]) == 2
    step = step_article(state, copy)
    assert step.late == 1 and step.revisions == [] and step.totals == [] and not step.put | step.dropped
    assert ({k: digest(t) for t in state.all_totals() for k in [t.key]}, dict(state.candidates)) == before
    # a revised copy (the recent attack's toll rose) keeps the late candidate it cannot replace
    revised = extracted(body.replace("killed 4", "killed 6"), now + timedelta(hours=2), "a1")[0]
    step = step_article(state, revised)
    assert step.late == 1 and "a1#0" in state.candidates and state.candidates["a1#0"] is before[1]["a1#0"]
    assert sum(t.killed_best for t in state.all_totals() if t.key == "BF//all") == 16


def test_a_meta_entry_of_the_first_layout_reads_as_a_floor_at_its_horizon() -> None:
    """An events partition saved before the source marks existed had evicted, and refused,
    everything before the horizon of its watermark: it still does after the upgrade, until
    every source partition has reported and the low watermark takes over."""
    old = date(2025, 6, 1)
    state = load_state(0, [(b"p0:meta", b'{"watermark": "2025-06-01", "emitted": {}}')], sources=4)
    assert (state.watermark, state.floor, state.marks, state.low) == (old, horizon(old), {}, None)
    step = step_article(state, extracted("Gunmen killed 12 civilians in Djibo, Burkina Faso, on 3 March 2024.",
                                         datetime(2025, 1, 10, 9, tzinfo=UTC), "late")[0])  # fmt: skip
    assert step.late == 1 and not state.candidates  # dated before the floor: refused
    puts, _ = changed_entries(0, state, step)
    again = load_state(0, puts.items(), sources=4)
    assert (again.watermark, again.floor, again.marks) == (old, horizon(old), {0: date(2025, 1, 10)})
    fresh = load_state(0, [(b"p0:meta", b'{"watermark": "2025-06-01", "sources": {}, "floor": null}')], sources=4)
    assert fresh.floor is None  # a floor written as none is none
