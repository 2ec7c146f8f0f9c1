"""The facts the faster paths of the extract stage rest on, and that they find what the
plain ones do (cue words by their fold, actors by word starts, model building)."""

from __future__ import annotations

import random
import re
import sys

import pytest
from pydantic import BaseModel

from schemas import CasualtyMention, Place, Span
from streams.extract import actors, casualties, places
from streams.extract.models import construct
from streams.extract.scan import fold_case
from tests.extract.test_scan import CORPUS, TRICKY


def _every_character() -> str:
    return "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)


def test_ignorecase_matches_an_ascii_letter_where_fold_case_makes_it() -> None:
    """`casualties._CUE_HELD` finds `_CUE`'s words in `fold_case(text)`: exact because
    under IGNORECASE an ASCII letter matches exactly the characters folded to it, and `\\d`
    exactly those folded to a digit."""
    every = _every_character()
    folded = fold_case(every)
    assert len(folded) == len(every)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        matched = {m.start() for m in re.finditer(letter, every, re.I)}
        assert matched == {i for i, ch in enumerate(folded) if ch == letter}, letter
    digits = {m.start() for m in re.finditer(r"\d", every)}
    assert digits == {i for i, ch in enumerate(folded) if ch in "0123456789"}


def test_the_cue_is_held_where_it_is_found() -> None:
    rng = random.Random(11)
    words = ["kil", "KILLED", "dEaTh", "shot", "\u212aill", "\u017fhot", "\u0663", "5", "toll", "livestock", "beat"]
    texts = CORPUS + [
        "".join(rng.choice(words + TRICKY + ["a", " "]) for _ in range(rng.randint(0, 12))) for _ in range(3000)
    ]
    for text in texts:
        folded = fold_case(text)
        assert casualties._CUE_HELD.holds(folded, 0, len(folded)) == (casualties._CUE.search(text) is not None), text


def test_lower_casing_keeps_a_character_a_word_character_or_none() -> None:
    """What `actors._hits` finds by word starts rests on this."""
    for ch in _every_character():
        assert actors._is_word(ch) == actors._is_word(ch.lower()[:1]), hex(ord(ch))


def test_aliases_found_by_word_starts_are_those_selected() -> None:
    for text in CORPUS:
        for piece in (text, text.upper(), text.replace(" ", "-")):
            plain = actors._select(actors._hits(piece), piece, 0, len(piece))
            assert actors._select(actors._hits(piece, word_starts=True), piece, 0, len(piece)) == plain


def test_the_last_bracket_tells_whether_a_place_is_in_brackets() -> None:
    rng = random.Random(13)
    for _ in range(50_000):
        text = "".join(rng.choice("ab()\n ") for _ in range(rng.randint(0, 14)))
        lo = rng.randint(0, len(text))
        hi = rng.randint(lo, len(text))
        assert places._in_brackets(text, lo, hi) == (places._IN_BRACKETS.search(text, lo, hi) is not None)


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Span, {"start": 3, "end": 9, "sentence": "Gunmen killed 12."}),
        (Place, {"name": "Mopti", "country": "ML", "level": "admin1", "span": Span(start=0, end=5, sentence="Mopti")}),
        (
            CasualtyMention,
            {"kind": "killed", "low": 2, "best": 2, "high": 2, "qualifier": None, "victims": "soldier",
             "scope": "event", "additional": False, "span": Span(start=0, end=5, sentence="x")},
        ),
    ],
)  # fmt: skip
def test_construct_builds_what_model_construct_builds(model: type[BaseModel], values: dict[str, object]) -> None:
    built = construct(model)(**values)
    expected = model.model_construct(**values)
    assert type(built) is model
    assert built.__dict__ == expected.__dict__
    assert list(built.__dict__) == list(expected.__dict__)
    assert built.model_fields_set == expected.model_fields_set
    assert built.__pydantic_extra__ is None and built.__pydantic_private__ is None
    assert built == expected and built.model_dump(mode="json") == expected.model_dump(mode="json")


def test_names_found_by_capitals_are_those_found_in_the_whole_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """`places._matches` reads a text through `capital_view` and the gazetteer's
    `capital_automaton`; without it (`capital_view` gives None) it reads every name the
    plain automaton finds, and it finds the same."""
    from streams.extract.gazetteer import load_gazetteer
    from streams.extract.text import fold

    gaz = load_gazetteer()
    rng = random.Random(17)
    names = [gaz.entries[i].name for i in range(0, len(gaz.entries), 97)]
    odd = [
        "É",
        "é",
        "\u2019",
        "-",
        "'",
        ".",
        " ",
        "N'Djamena",
        "St. Louis",
        "\u2160",
        "\u01c5",
        "\u0130",
        "(",
        "1",
        "_",
    ]
    texts = list(CORPUS)
    for _ in range(3000):
        text = rng.choice(["", " ", "-", ", "]).join(rng.choice(names + odd) for _ in range(rng.randint(1, 6)))
        texts.append(text.upper() if rng.random() < 0.2 else text.lower() if rng.random() < 0.2 else text)
    by_capitals = [places._matches(text, fold(text), []) for text in texts]
    monkeypatch.setattr(places, "capital_view", lambda text, folded: None)
    assert by_capitals == [places._matches(text, fold(text), []) for text in texts]
