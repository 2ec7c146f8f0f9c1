from __future__ import annotations

from streams.extract.actors import find_actors
from streams.extract.text import Sentence


def actors(text: str) -> list[tuple[str, str, str | None]]:
    return [(a.name, a.kind, country) for a, country in find_actors(Sentence(text, 0, 0))]


def test_canonical_names_kinds_and_home_countries() -> None:
    assert actors("JNIM fighters ambushed the Malian army near a VDP post.") == [
        ("JNIM", "jihadist", None), ("FAMa", "state", "ML"), ("VDP", "militia", "BF"),
    ]  # fmt: skip


def test_long_names_with_curly_apostrophes_resolve() -> None:
    assert actors("Jama\u2019a Nusrat ul-Islam wa al-Muslimin claimed it.")[0][0] == "JNIM"


def test_acronyms_are_case_sensitive() -> None:
    assert actors("The fans left; an ant crossed.") == []


def test_national_forces_rebels_and_militias_carry_their_country() -> None:
    assert actors("The MDJT clashed with the ANT while Dan Na Ambassagou and Koglweogo stood by.") == [
        ("Chadian rebels", "rebel", "TD"), ("Chad armed forces", "state", "TD"),
        ("Dan Na Ambassagou", "militia", "ML"), ("Koglweogo", "militia", "BF"),
    ]  # fmt: skip


def test_longest_alias_wins_across_cases() -> None:
    assert actors("Katiba Macina and MINUSMA.") == [("Katiba Macina", "jihadist", "ML"), ("MINUSMA", "foreign", "ML")]


def test_aliases_match_on_word_boundaries_only() -> None:
    assert actors("An anti-JNIM rally; JNIMs and FAMa-backed units.") == []
    assert actors("Islamic State in the Greater Sahara and jihadists.") == [
        ("IS Sahel", "jihadist", None), ("Islamist militants", "jihadist", None),
    ]  # fmt: skip
