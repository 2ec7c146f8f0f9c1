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
