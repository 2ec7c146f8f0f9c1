"""One attack reported by many outlets over a month (tests/data/bankass_stream.jsonl).

The stream is invented: a headline-only wire copy ("over 30"), a daily ("more than 30"),
a radio report of a revised toll (41), an agency confirming 41, a perpetrator's claim
(100), a memorial a month later recalling 45 dead, a cumulative round-up, a second
attack the same day elsewhere in the same region (Koro, 7), a same-name village in
Burkina Faso (Madougou, 5) and a French copy (skipped).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from schemas import CleanArticle, ConflictEvent, ExtractedArticle, RawArticle, RawRef, RegionalTotal
from streams.clean import Skipped, clean
from streams.events import EventState, apply_article
from streams.extract import extract

STREAM = Path(__file__).resolve().parent / "data" / "bankass_stream.jsonl"


def _raw() -> list[RawArticle]:
    return [RawArticle.model_validate_json(line) for line in STREAM.read_text(encoding="utf-8").splitlines()]


def _extracted() -> dict[str, list[ExtractedArticle]]:
    out: dict[str, list[ExtractedArticle]] = {}
    for i, raw in enumerate(_raw()):
        result = clean(raw, RawRef(partition=0, offset=i), 0.0, 0.0)
        if isinstance(result, CleanArticle):
            out[raw.article_id] = extract(result, 0.0)
    return out


EXTRACTED = _extracted()


def run(order: list[str]) -> tuple[EventState, dict[str, RegionalTotal], dict[str, ConflictEvent]]:
    """Feed the articles in `order` through one events state, as one partition would."""
    state = EventState()
    totals: dict[str, RegionalTotal] = {}
    events: dict[str, ConflictEvent] = {}
    for article_id in order:
        for copy in EXTRACTED[article_id]:
            state, revisions, changed = apply_article(state, copy)
            totals.update((t.key, t) for t in changed)
            for event in revisions:
                assert event.revision > events[event.event_id].revision if event.event_id in events else True
                events[event.event_id] = event
    return state, totals, events


def live(events: dict[str, ConflictEvent]) -> list[ConflictEvent]:
    return sorted((e for e in events.values() if e.reports), key=lambda e: (e.country, e.place or ""))


def test_the_french_copy_is_skipped_never_read_as_english() -> None:
    raw = next(r for r in _raw() if r.article_id == "bk-fr-1")
    result = clean(raw, RawRef(partition=0, offset=0), 0.0, 0.0)
    assert isinstance(result, Skipped) and "fr" in result.reason
    assert "bk-fr-1" not in EXTRACTED


def test_every_attack_is_one_event_with_the_policy_figures() -> None:
    _, _, events = run(list(EXTRACTED))
    got = [(e.country, e.admin1, e.place, e.killed_low, e.killed_best, e.killed_high) for e in live(events)]
    assert got == [
        ("BF", "Nord", "Madougou", 5, 5, 5),
        ("ML", "Mopti", "Bankass", 41, 41, 100),  # revised toll 41; the claim widens high only
        ("ML", "Mopti", "Koro", 7, 7, 7),  # same region, same day, another place: separate
    ]


def test_the_bankass_event_keeps_every_report_and_marks_what_the_revision_replaced() -> None:
    _, _, events = run(list(EXTRACTED))
    (bankass,) = [e for e in live(events) if e.place == "Bankass"]
    reports = {r.article_id: r for r in bankass.reports}
    assert set(reports) == {"bk-wire-1", "bk-daily-1", "bk-radio-1", "bk-agency-1", "bk-claim-1", "bk-memorial-1"}
    assert reports["bk-wire-1"].superseded and reports["bk-daily-1"].superseded
    assert reports["bk-radio-1"].revision and not reports["bk-agency-1"].superseded
    assert reports["bk-claim-1"].claim and reports["bk-memorial-1"].background
    assert bankass.killed_best == 41  # neither the claim (100) nor the memorial's 45 moves it


def test_totals_count_each_event_once_and_the_round_up_adds_nothing() -> None:
    _, totals, _ = run(list(EXTRACTED))
    assert (totals["ML/Mopti/all"].killed_best, totals["ML/Mopti/all"].events) == (48, 2)
    assert (totals["ML//all"].killed_best, totals["BF//all"].killed_best) == (48, 5)
    assert totals["ML/Mopti/all"].killed_high == 107
    assert not [k for k in totals if k.startswith("ML/Koulikoro")]


def _final(order: list[str]) -> tuple[dict[str, tuple[int, int, int, int]], list[tuple[str, int, int, int]]]:
    state, totals, _ = run(order)
    kept = {k: (t.killed_low, t.killed_best, t.killed_high, t.events) for k, t in totals.items()}
    live_events = [e for e in state.events.values() if e.reports]
    events = sorted((e.event_id, e.killed_low, e.killed_best, e.killed_high) for e in live_events)
    return kept, events


def test_twenty_random_orders_and_the_stream_sent_twice_give_the_same_totals_and_events() -> None:
    ids = list(EXTRACTED)
    reference = _final(ids)
    rng = random.Random(20250608)
    for _ in range(20):
        order = ids[:]
        rng.shuffle(order)
        assert _final(order) == reference, order
    assert _final(ids + ids) == reference
    twice = ids + ids
    rng.shuffle(twice)
    assert _final(twice) == reference


@pytest.mark.parametrize("dropped", ["bk-radio-1", "bk-agency-1"])
def test_one_report_of_the_revised_toll_is_enough(dropped: str) -> None:
    _, _, events = run([a for a in EXTRACTED if a != dropped])
    (bankass,) = [e for e in live(events) if e.place == "Bankass"]
    assert bankass.killed_best == 41


def test_a_claim_alone_is_the_best_we_have_until_a_credible_report_arrives() -> None:
    _, _, events = run(["bk-claim-1"])
    (only,) = live(events)
    assert (only.killed_low, only.killed_best, only.killed_high) == (0, 100, 100)
    _, _, events = run(["bk-claim-1", "bk-daily-1"])
    (both,) = live(events)
    assert (both.killed_low, both.killed_best, both.killed_high) == (30, 30, 100)


def test_a_memorial_alone_creates_the_event_and_later_reports_take_it_over() -> None:
    _, _, events = run(["bk-memorial-1"])
    (only,) = live(events)
    assert (only.place, only.killed_best) == ("Bankass", 45)
    _, _, events = run(["bk-memorial-1", "bk-agency-1"])
    (both,) = live(events)
    assert both.killed_best == 41
