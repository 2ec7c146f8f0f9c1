"""Event candidates within one article, on the seeds and on invented articles."""

from __future__ import annotations

from datetime import date

from schemas import EventCandidate, ExtractedArticle
from tests.conftest import BAMAKO, BOULKESSI, article


def candidates(copies: list[ExtractedArticle]) -> list[EventCandidate]:
    return [c for copy in copies for c in copy.candidates]


def summary(copies: list[ExtractedArticle]) -> list[tuple[str, str | None, date, str, int]]:
    return [(c.country, c.admin1, c.day, c.precision, c.killed_low) for c in candidates(copies)]


def test_seed_000_boulikessi_once_with_30_and_timbuktu_without_toll(
    seed_extracted: dict[str, list[ExtractedArticle]],
) -> None:  # noqa: E501
    assert summary(seed_extracted[BOULKESSI]) == [
        ("ML", "Mopti", date(2025, 6, 1), "day", 30),
        ("ML", "Tombouctou", date(2025, 6, 2), "day", 0),
    ]


def test_seed_001_bamako_school_and_tinzaouaten_background(seed_extracted: dict[str, list[ExtractedArticle]]) -> None:
    assert summary(seed_extracted[BAMAKO]) == [
        ("ML", "Bamako", date(2024, 9, 17), "day", 0),
        ("ML", "Kidal", date(2024, 7, 1), "month", 50),
    ]


def test_seed_cumulative_statistic_counted_nowhere(seed_extracted: dict[str, list[ExtractedArticle]]) -> None:
    every = [c for copies in seed_extracted.values() for c in candidates(copies)]
    assert all(c.killed_high < 400 for c in every)
    assert {copy.route for copies in seed_extracted.values() for copy in copies} == {"ML"}


def test_headline_and_body_are_one_event() -> None:
    copies = article("Gunmen kill 12 in Diafarabé\nGunmen killed 12 civilians in Diafarabé, Mali, on Sunday.")
    assert summary(copies) == [("ML", "Mopti", date(2025, 6, 1), "day", 12)]


def test_two_places_in_one_article_are_two_events() -> None:
    copies = article("Militants killed 5 soldiers in Djibo, Burkina Faso, on Saturday. "
                     "In a separate attack, 7 civilians were killed in Kaya on Sunday.")  # fmt: skip
    assert [(c.admin1, c.killed_low) for c in candidates(copies)] == [("Sahel", 5), ("Centre-Nord", 7)]


def test_victims_mentioned_twice_count_once_and_groups_add_up() -> None:
    copies = article("Gunmen killed 4 soldiers and 3 civilians in Bandiagara, Mali. "
                     "The 4 soldiers were killed at a checkpoint.")  # fmt: skip
    assert [c.killed_low for c in candidates(copies)] == [7]


def test_a_claim_widens_high_but_not_best() -> None:
    copies = article("JNIM attacked the army camp in Boulkessi, Mali, on Sunday. At least 10 soldiers were killed. "
                     "The group claimed it killed 60 soldiers.")  # fmt: skip
    (cand,) = candidates(copies)
    assert (cand.killed_low, cand.killed_best, cand.killed_high) == (10, 10, 60)


def test_generic_talk_of_attacks_is_no_event() -> None:
    assert (
        candidates(article("Attacks in Mali's capital are relatively rare. Mali has battled insurgents for years."))
        == []
    )


def test_a_toll_without_any_resolvable_place_is_kept_under_an_unknown_country() -> None:
    (cand,) = candidates(article("Three soldiers were killed by a landmine."))
    assert (cand.country, cand.admin1, cand.killed_best) == ("ZZ", None, 3)


def test_no_toll_and_no_place_is_no_event() -> None:
    assert candidates(article("Gunmen attacked a convoy.")) == []


def test_groups_named_in_different_sentences_add_up() -> None:
    copies = article("Troops repelled an attack on their camp in Bandiagara, Mali. They killed 9 assailants. "
                     "Two soldiers were also killed.")  # fmt: skip
    assert sum(c.killed_best for c in candidates(copies)) == 11


def test_a_generic_restatement_does_not_add() -> None:
    copies = article("Gunmen killed 3 soldiers and 2 civilians in Bandiagara, Mali. Five people died in the attack.")
    assert [c.killed_best for c in candidates(copies)] == [5]


def test_later_deaths_add_to_the_first_toll() -> None:
    copies = article("A mine hit an army truck near Bandiagara, Mali: 1 soldier was killed and 4 wounded. "
                     "Two of the wounded later died of their injuries.")  # fmt: skip
    assert [c.killed_best for c in candidates(copies)] == [3]


def test_a_coded_toll_replaces_vague_words() -> None:
    copies = article("Militants ambushed a patrol near Bandiagara, Mali, and several soldiers were killed. "
                     "Unknown fatalities coded as 10.")  # fmt: skip
    assert [c.killed_best for c in candidates(copies)] == [10]


def test_a_lone_claim_is_the_best_figure_and_flagged() -> None:
    (cand,) = candidates(article("The rebels claimed they killed 25 soldiers near Bandiagara, Mali, on Sunday."))
    assert (cand.killed_low, cand.killed_best, cand.claim) == (0, 25, True)


def test_an_event_with_no_place_takes_the_articles_only_region() -> None:
    copies = article("The army carried out an operation near Bandiagara, Mali. Several militants were killed.")
    assert [(c.country, c.admin1) for c in candidates(copies)] == [("ML", "Mopti")]


def test_also_in_the_same_place_is_a_second_event() -> None:
    copies = article("Gunmen attacked a bus near Bandiagara, Mali, killing 6 passengers. "
                     "On the same day, gunmen also attacked a camp near Bandiagara, killing 3 herders.")  # fmt: skip
    assert sorted(c.killed_best for c in candidates(copies)) == [3, 6]


def test_a_next_day_claim_about_the_same_clash_is_its_contested_figure() -> None:
    copies = article("On 3 May, militants and soldiers clashed near Bandiagara, Mali, and 4 soldiers were killed. "
                     "On 4 May, the militants claimed they killed 30 soldiers near Bandiagara.")  # fmt: skip
    (cand,) = candidates(copies)
    assert (cand.killed_best, cand.killed_high, cand.claim) == (4, 30, False)


def test_another_as_a_pronoun_opens_no_second_event() -> None:
    copies = article("Raiders attacked the market of Bandiagara, Mali, killing one trader and wounding another. "
                     "One trader was killed and another was wounded, residents said.")  # fmt: skip
    assert [c.killed_best for c in candidates(copies)] == [1]


def test_attackers_retreating_to_a_neighbour_stay_in_the_event_country() -> None:
    copies = article("Raiders attacked a market in Bandiagara, Mali, killing two traders. "
                     "After looting the market, the raiders retreated to Burkina Faso.")  # fmt: skip
    assert [(c.country, c.killed_best) for c in candidates(copies)] == [("ML", 2)]
