"""Events and totals on the seeds: one event per attack, order- and repeat-independent."""

from __future__ import annotations

import itertools
from datetime import date

from schemas import ExtractedArticle, RegionalTotal
from streams.events import EventState, apply_article, apply_watermark, interval
from streams.totals import window_bounds
from tests.conftest import BAMAKO, BOULKESSI, article


def run(copies: list[ExtractedArticle]) -> dict[str, RegionalTotal]:
    state = EventState()
    latest: dict[str, RegionalTotal] = {}
    for copy in copies:
        state, _, totals = apply_article(state, copy)
        latest.update((t.key, t) for t in totals)
    return latest


def killed(latest: dict[str, RegionalTotal]) -> dict[str, tuple[int, int]]:
    return {k: (t.killed_low, t.events) for k, t in latest.items()}


def test_seed_totals_match_the_seed_readme(seed_extracted: dict[str, list[ExtractedArticle]]) -> None:
    got = killed(run(seed_extracted[BOULKESSI] + seed_extracted[BAMAKO]))
    for window in ("all", "365d"):
        assert got[f"ML/Mopti/{window}"] == (30, 1)
        assert got[f"ML/Kidal/{window}"] == (50, 1)
        assert got[f"ML/Tombouctou/{window}"] == (0, 1)
        assert got[f"ML/Bamako/{window}"] == (0, 1)
        assert got[f"ML//{window}"] == (80, 4)
    assert got["ML/Mopti/30d"] == (30, 1)
    assert got["ML/Tombouctou/30d"] == (0, 1)
    assert got["ML/Kidal/30d"] == (0, 0) and got["ML/Bamako/30d"] == (0, 0)
    assert not any(k.startswith(("BF/", "NE/")) for k in got)


def test_order_and_repeats_change_nothing(seed_extracted: dict[str, list[ExtractedArticle]]) -> None:
    copies = seed_extracted[BOULKESSI] + seed_extracted[BAMAKO]
    reference = killed(run(copies))
    for order in itertools.permutations(copies + copies):
        assert killed(run(list(order))) == reference


def test_reapplying_an_article_emits_nothing(seed_extracted: dict[str, list[ExtractedArticle]]) -> None:
    state, revisions, totals = apply_article(EventState(), seed_extracted[BOULKESSI][0])
    assert revisions and totals
    _, revisions, totals = apply_article(state, seed_extracted[BOULKESSI][0])
    assert revisions == [] and totals == []


def test_a_second_outlet_joins_the_event_and_a_rising_toll_raises_it() -> None:
    first = article("Gunmen killed 12 soldiers in Boulkessi, Mali, on Sunday.", url="https://a.example/1")
    later = article("The toll of Sunday's attack on the army camp in Boulkessi, Mali, rose to 20 soldiers killed.",
                    published_at="2025-06-03T12:00:00Z", url="https://b.example/2")  # fmt: skip
    state = EventState()
    for copy in first + later:
        state, _, _ = apply_article(state, copy)
    (event,) = state.events.values()
    assert (event.killed_best, len(event.reports), event.revision) == (20, 2, 2)


def test_a_watermark_tick_moves_windows() -> None:
    state, _, _ = apply_article(
        EventState(), article("Gunmen killed 9 civilians in Djibo, Burkina Faso, on Sunday.")[0]
    )
    state, _, totals = apply_watermark(state, date(2025, 6, 20))
    moved = {t.key: t.killed_low for t in totals}
    assert (moved["BF/Sahel/7d"], moved["BF/Sahel/30d"], moved["BF/Sahel/all"]) == (0, 9, 9)
    assert apply_watermark(state, date(2025, 6, 1)) == (state, [], [])


def test_window_bounds_and_date_intervals() -> None:
    assert window_bounds("7d", date(2025, 6, 2)) == (date(2025, 5, 27), date(2025, 6, 2))
    assert window_bounds("all", date(2025, 6, 2)) == (None, date(2025, 6, 2))
    assert interval(date(2024, 7, 1), "month") == (date(2024, 7, 1), date(2024, 7, 31))


def _events_of(*bodies: str) -> list[tuple[str | None, int]]:
    state = EventState()
    for i, body in enumerate(bodies):
        (copy,) = article(body, published_at=f"2025-06-0{2 + i}T12:00:00Z")
        state, _, _ = apply_article(state, copy)
    return sorted((e.place, e.killed_best) for e in state.events.values() if e.reports)


def test_an_ied_and_an_air_strike_the_same_day_in_one_town_are_two_events() -> None:
    got = _events_of("On Sunday, an IED killed 4 soldiers near Douentza, Mali.",
                     "On Sunday, an air strike killed 12 militants near Douentza, Mali.")  # fmt: skip
    assert got == [("Douentza", 4), ("Douentza", 12)]


def test_rival_jihadist_families_the_same_day_in_one_town_are_two_events() -> None:
    got = _events_of("On Sunday, JNIM fighters killed 6 soldiers in Menaka, Mali.",
                     "On Sunday, IS Sahel fighters killed 9 civilians in Menaka, Mali.")  # fmt: skip
    assert len(got) == 2


def test_the_same_attack_told_twice_with_one_family_is_one_event() -> None:
    got = _events_of("On Sunday, JNIM fighters killed 6 soldiers in Menaka, Mali.",
                     "On Sunday, fighters of JNIM killed 6 soldiers in Menaka, Mali, the army said.")  # fmt: skip
    assert len(got) == 1
