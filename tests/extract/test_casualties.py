from __future__ import annotations

import pytest

from streams.extract.casualties import find_casualties
from streams.extract.text import Sentence


def figures(text: str) -> list[tuple[str, int, int, int, str | None, str]]:
    return [(m.kind, m.low, m.best, m.high, m.qualifier, m.scope) for m in find_casualties(Sentence(text, 0, 0))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("More than 30 soldiers perished during the ambush.", ("killed", 30, 30, 30, "more than", "event")),
        ("The raid resulted in over 30 soldier deaths.", ("killed", 30, 30, 30, "over", "event")),
        ("About 50 Russian mercenaries working with the army were killed.", ("killed", 50, 50, 50, "about", "event")),
        ("Gunmen killed at least twelve villagers.", ("killed", 12, 12, 12, "at least", "event")),
        ("Between 10 and 15 herders were abducted.", ("kidnapped", 10, 10, 15, "between", "event")),
        ("Dozens of civilians were killed.", ("killed", 12, 12, 12, "dozens of", "event")),
        ("The death toll rose to 60.", ("killed", 60, 60, 60, None, "event")),
        ("The blast left 7 dead.", ("killed", 7, 7, 7, None, "event")),
        ("A soldier was killed at the checkpoint.", ("killed", 1, 1, 1, None, "event")),
        ("Twenty-five people were injured.", ("wounded", 25, 25, 25, None, "event")),
        ("No one was killed in the attack.", ("killed", 0, 0, 0, None, "negated")),
        ("The group claimed it killed 200 soldiers.", ("killed", 200, 200, 200, None, "claim")),
        ("Militants threatened to kill 10 hostages.", ("killed", 10, 10, 10, None, "hypothetical")),
    ],
)  # fmt: skip
def test_first_figure(text: str, expected: tuple[str, int, int, int, str | None, str]) -> None:
    assert figures(text)[0] == expected


def test_cumulative_statistic_is_never_an_event() -> None:
    text = ("Recent estimates suggest that over 400 soldiers have been killed in attacks in Mali, "
            "Burkina Faso, and Niger since the beginning of the previous month.")  # fmt: skip
    assert [scope for *_, scope in figures(text)] == ["cumulative"]


def test_several_kinds_in_one_sentence() -> None:
    assert [(k, b) for k, _, b, *_ in figures("Gunmen killed 4 civilians and wounded 6 others.")] == [
        ("killed", 4),
        ("wounded", 6),
    ]


def test_casualties_without_a_number_give_no_figure() -> None:
    assert figures("The militants left a significant number of casualties in their wake.") == []


def test_absurd_numbers_are_dropped() -> None:
    assert figures("999999999999 people were killed.") == []


@pytest.mark.parametrize(
    ("text", "kind", "best"),
    [
        ("Armed men killed a herder near the well.", "killed", 1),
        ("Gunmen assassinated a village chief at dawn.", "killed", 1),
        ("Soldiers shot dead two traders at a checkpoint.", "killed", 2),
        ("Police fired on the crowd, shooting one dead.", "killed", 1),
        ("Militants abducted a teacher on the road.", "kidnapped", 1),
        ("Attackers gunned down 4 miners.", "killed", 4),
    ],
)
def test_object_forms_with_articles_and_more_verbs(text: str, kind: str, best: int) -> None:
    assert [(k, b) for k, _, b, *_ in figures(text)][:1] == [(kind, best)]


def test_a_total_of_is_not_one_victim() -> None:
    assert [b for _, _, b, *_ in figures("The army killed a total of 9 militants.")] == [9]


def killed(text: str) -> list[tuple[int, str | None, str, bool]]:
    """(best, victims, scope, additional) of each killed figure."""
    return [
        (m.best, m.victims, m.scope, m.additional) for m in find_casualties(Sentence(text, 0, 0)) if m.kind == "killed"
    ]


def total(text: str) -> int:
    return sum(m.best for m in find_casualties(Sentence(text, 0, 0)) if m.kind == "killed" and m.scope == "event")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # lists add up, whatever joins them
        ("Three herders and a trader were killed near the pond.", 4),
        ("4 guards, 2 drivers, 1 nurse & 3 gunmen killed, 2 guards wounded.", 10),
        ("Raiders killed a shepherd and six of his relatives at the camp.", 7),
        ("Fighters killed the headman, his wife, his son and his two nephews.", 5),
        ("At least one trader - the market chief - and one gendarme were killed, along with three raiders.", 5),
        ("Eleven raiders were killed and one gendarme.", 12),
        # a bare number borrows the nearest person noun
        ("One raider was arrested and two killed.", 2),
        # numbers that are not head counts
        ("On 14 March 2021, gunmen killed a herder near the well.", 1),
        ("Around 3 May, raiders shot dead two traders 12 km from the town.", 2),
        ("Soldiers beat a 15-year-old boy to death.", 1),
        ("Bandits killed two sheep and a goat.", 0),
        # singular persons
        ("A district official was killed by unknown men.", 1),
        ("Nurse abducted and executed by gunmen near the clinic.", 1),
        ("The cattle owner was shot down at the checkpoint.", 1),
        ("Gunmen assassinated a well-known storyteller in the market.", 1),
        ("A pupil was shot by guards and later died in hospital.", 1),
        # ACLED's field and coded forms
        ("Fatalities: 12 soldiers, 3 rebels", 15),
        ("Fatalities: ABC 9", 9),
        ("Many fighters were killed (coded as 10) in the strikes.", 10),
        ("The bodies of 8 herders were found in a dry riverbed.", 8),
        ("A mass grave containing 40 bodies was discovered.", 40),
        # pronouns and references
        ("Militia members arrested five traders and executed them.", 5),
        ("A bomber killed himself and four guards at the gate.", 5),
        ("Two suicide bombers detonated their belts at the market.", 2),
        ("The army admits losing 12 men in the ambush.", 12),
        ("Raiders slit the throats of four herders.", 4),
        ("Two 'bandits' were reported killed.", 2),
        # session 3 rules
        ("Three dozen raiders were killed in the air strike.", 36),
        ("More than 40 fighters of the northern faction were killed, six others captured.", 40),
        ("A herder was shot dead after killing a raider, and three others wounded.", 2),
        ("Gunmen raided the camp, kiling two herders.", 2),
        ("Two traders were detained by gunmen near the market and were found dead the next day.", 2),
        ("At least 9 herders from the Peul (Fulbe) community reportedly killed by raiders.", 9),
        ("Gunmen killed a trader, then burned the car carrying the corpse of the victim.", 1),
        ("Troops killed 12 raiders and two were taken prisoner.", 12),
    ],
)
def test_event_totals_of_one_sentence(text: str, expected: int) -> None:
    assert total(text) == expected


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("The chief, whose brother had been killed five days earlier, was absent.", None),
        ("Troops killed 3 raiders who had killed a herder the week before.", "background"),
        ("Students protested over the attack, which killed 20 people.", "background"),
        ("Troops shot dead 4 herders to avenge the killing of two comrades.", "background"),
        ("The rebels claimed they killed 40 soldiers.", "claim"),
        ("The IS said that 30 fighters of the rival group were killed.", "claim"),
        ("The militants attempted to assassinate two elders.", "hypothetical"),
        ("Over 300 civilians have been killed in the region since January.", "cumulative"),
    ],
)
def test_scopes(text: str, scope: str | None) -> None:
    scopes = [s for *_, s, _ in killed(text)]
    if scope is None:
        assert "event" not in scopes
    else:
        assert scope in scopes


def test_claim_of_responsibility_is_not_a_claimed_toll() -> None:
    assert [s for *_, s, _ in killed("The group claimed responsibility for the attack that killed 5 soldiers.")] == [
        "event"
    ]


def test_apposition_is_not_a_list() -> None:
    assert total("Gunmen attacked the home of the mayor, a retired teacher, the mayor was killed in the attack.") == 1


def test_later_deaths_and_another_are_additional() -> None:
    assert killed("Two more soldiers later died of their wounds.") == [(2, "soldier", "event", True)]
    assert killed("Another soldier was killed by a mine.")[0][3] is True
    assert killed("One guard died of his injuries on Monday.")[0][3] is True


def test_comma_after_active_list_opens_a_new_clause() -> None:
    text = "Raiders attacked the camp, killing four elders, three others were abducted."
    assert total(text) == 4


def test_negated_forms() -> None:
    assert [s for *_, s, _ in killed("No soldiers were killed in the exchange of fire.")] == ["negated"]
    assert killed("The convoy passed without casualties.")[0][2] == "negated"


def test_killing_and_wounding_without_split_gives_no_death_count() -> None:
    assert total("The blast hit a truck, killing and wounding the occupants.") == 0


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Between 5 and 9 villagers were killed.", 5, 9),
        ("Two to three soldiers were killed.", 2, 3),
        ("Twenty-five people were killed.", 25, 25),
    ],
)
def test_ranges_and_word_numbers(text: str, low: int, high: int) -> None:
    m = find_casualties(Sentence(text, 0, 0))[0]
    assert (m.low, m.high) == (low, high)


def test_unconfirmed_and_unverified_figures_are_claims() -> None:
    assert [scope for *_, scope in figures("Unconfirmed reports say hunters killed 20 raiders.")] == ["claim"]
    text = "The governor said 40 raiders were killed, a figure that could not be independently verified."
    assert [scope for *_, scope in figures(text)] == ["claim"]


def test_a_definite_plural_counts_the_group_an_earlier_sentence_counted() -> None:
    first = Sentence("Gunmen seized three teachers on the road to the school.", 0, 0)
    second = Sentence("The teachers were executed the same night.", 56, 0)
    assert [(m.kind, m.best) for m in find_casualties(second, [first])] == [("killed", 3)]
    assert find_casualties(second) == []  # nobody counted before: no figure


def test_a_definite_plural_does_not_count_people_in_general() -> None:
    first = Sentence("Gunmen seized three people on the road.", 0, 0)
    second = Sentence("The people were executed.", 40, 0)
    assert find_casualties(second, [first]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A couple of soldiers were killed in the ambush.", [("killed", 2)]),
        ("Gunmen killed a couple of herders near the well.", [("killed", 2)]),
        ("Both soldiers were killed when their truck hit a mine.", [("killed", 2)]),
        ("Gunmen shot dead both men at the market.", [("killed", 2)]),
        ("A couple of days later, gunmen killed 4 people.", [("killed", 4)]),  # a time, not two victims
        ("Gunmen killed both soldiers and civilians in the town.", []),  # "both ... and": no count
        ("The raid killed 5 people; both gunmen fled on motorbikes.", [("killed", 5)]),
    ],
)  # fmt: skip
def test_words_for_two(text: str, expected: list[tuple[str, int]]) -> None:
    assert [(kind, best) for kind, _, best, *_ in figures(text)] == expected


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("Two victims were found shot dead near the road.", 2),
        ("A trader was found murdered in his shop.", 1),
        ("Both men were found shot dead at dawn.", 2),
    ],
)
def test_found_shot_dead_and_found_murdered_are_killings(text: str, best: int) -> None:
    assert [(kind, b) for kind, _, b, *_ in figures(text)] == [("killed", best)]


@pytest.mark.parametrize(
    ("text", "bests"),
    [
        ("The driver and his assistant were killed near the bridge.", [1, 1]),
        ("Gunmen killed a herder and two of his companions.", [1, 2]),
        ("A motorist was shot dead at a checkpoint.", [1]),
        ("Gunmen killed a trader and his bodyguard.", [1, 1]),
    ],
)
def test_more_people_by_their_role(text: str, bests: list[int]) -> None:
    assert [(kind, b) for kind, _, b, *_ in figures(text)] == [("killed", b) for b in bests]
