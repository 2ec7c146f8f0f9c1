"""The scanning helpers find exactly what the plain patterns find (streams/extract/scan.py)."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import streams.extract as extract_module
from bench.longform import articles
from streams.extract import actors, casualties, dates, frames, numbers, places, text
from streams.extract.scan import (
    Anchored,
    AnyOf,
    Guarded,
    Opening,
    Scanner,
    Unanchored,
    Views,
    alternation,
    alternatives,
    always_spells,
    fold_case,
    fold_space,
    found_in_spans,
    necessary_words,
    openings,
    ordered_spellings,
    search_in,
    spellings,
)

# Characters that case folding, `\s` and `\d` treat specially, and the project's punctuation.
TRICKY = [
    "\u0130", "\u0131", "\u017f", "\u212a", "\u03a3", "\u00a0", "\u2003", "\t", "\n", "\x1c", "\u0663", "\uff13",
    "\u00e9", "\u00c9", "\u2019", "'", '"', "-", "\u2013", "#", ".", ",", ";", ":", "(", ")", "&", "_", "K", "S", "I",
]  # fmt: skip
WORDS = [
    "killed", "KILLED", "Killed", "at least", "12", "1990", "2021", "30", "soldiers", "civilians", "the", "The", "a",
    "an", "were", "was", "dead", "wounded", "in", "In", "Mali", "Niger", "Burkina Faso", "Monday", "last", "week",
    "March", "14", "May", "km", "years", "old", "toll", "rose", "to", "no", "one", "nobody", "claimed", "said",
    "JNIM", "Dogon", "capital", "Tillab\u00e9ri", "N'Djamena", "them", "executed", "found", "bodies", "of", "had",
    "since", "2019", "percent", "dozens", "two", "twenty-five", "another", "himself", "coded", "as", "Fatalities:",
]  # fmt: skip


def _all_anchored() -> list[Anchored]:
    found: dict[int, Anchored] = {}
    for module in (casualties, dates, places, frames, extract_module):
        for value in vars(module).values():
            values = value if isinstance(value, tuple | list) else [value]
            for v in values:
                v = v[1] if isinstance(v, tuple) and len(v) == 2 else v
                if isinstance(v, Anchored):
                    found[id(v)] = v
    return list(found.values())


ANCHORED = _all_anchored()


def _corpus() -> list[str]:
    rng = random.Random(7)
    out = [str(a["body"]) for a in articles(12, seed=21)]
    out += [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 30))) for _ in range(150)]
    mutated = []
    for t in out[:60]:
        chars = list(t)
        for _ in range(max(1, len(chars) // 12)):
            i = rng.randrange(len(chars) + 1)
            if rng.random() < 0.5:
                chars.insert(i, rng.choice(TRICKY))
            elif i < len(chars):
                chars[i] = chars[i].swapcase()
        mutated.append("".join(chars))
    return out + mutated


CORPUS = _corpus()
TEXTS = st.one_of(
    st.text(alphabet=st.sampled_from(TRICKY + list("aAkKsSiI05 ")), max_size=40),
    st.lists(st.sampled_from(WORDS + TRICKY), max_size=25).map(" ".join),
    st.lists(st.sampled_from(WORDS + TRICKY), max_size=25).map("".join),
)


def spans(found: Iterator[re.Match[str]]) -> list[tuple[int, int]]:
    return [m.span() for m in found]


def test_the_package_scans_many_patterns() -> None:
    assert len(ANCHORED) >= 30


@pytest.mark.parametrize("fold", [fold_case, fold_space])
@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_views_keep_offsets_and_fold_by_character(fold: object, value: str) -> None:
    assert callable(fold)
    folded = fold(value)
    assert len(folded) == len(value)
    for a in range(0, len(value) + 1, 3):
        assert fold(value[a : a + 7]) == folded[a : a + 7]


def test_fold_case_gives_each_character_what_a_pattern_matches_it_as() -> None:
    for code in [*range(0x250), *map(ord, TRICKY), 0x212A, 0x1E9E, 0x2028, 0x3000]:
        ch = chr(code)
        if re.fullmatch(r"\s", ch):
            assert fold_case(ch) == fold_space(ch) == " "
        if re.fullmatch(r"\d", ch):
            assert fold_case(ch) in "0123456789" and fold_space(ch) in "0123456789"
        for letter in "abcdefghijklmnopqrstuvwxyz":
            if re.fullmatch(letter, ch, re.I):
                assert fold_case(ch) == letter, (hex(code), letter)


def test_openings_of_simple_patterns() -> None:
    assert openings(re.compile(r"\bkill(?:ed|ing)\b", re.I)) == ({"kille": True, "killi": True}, True)
    assert openings(re.compile(r"a\s+b")) == ({"a b": False, "a  b": False, "a   b": False, "a    ": False}, False)
    assert openings(re.compile(r"(?<![\w'-])\d+"))[0] == {str(d): True for d in range(10)}
    assert openings(re.compile(r"Mali|Niger")) == ({"Mali": False, "Niger": False}, False)
    with pytest.raises(Unanchored):
        openings(re.compile(r"\w+ed"))
    with pytest.raises(Unanchored):
        openings(re.compile(r"x?"))


@pytest.mark.parametrize("scan", ANCHORED, ids=lambda s: s.pattern.pattern[:40])
def test_anchored_finds_what_the_pattern_finds_in_the_corpus(scan: Anchored) -> None:
    for value in CORPUS:
        views = Views(value)
        assert spans(scan.finditer(value, views)) == spans(scan.pattern.finditer(value)), value[:80]
        for pos, end in ((0, len(value) // 2), (len(value) // 3, len(value)), (5, 40)):
            got = scan.search(value, pos, end, views)
            want = scan.pattern.search(value, pos, end)
            assert (got and got.span()) == (want and want.span())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_anchored_finds_what_the_pattern_finds_in_any_text(value: str) -> None:
    views = Views(value)
    for scan in ANCHORED:
        assert spans(scan.finditer(value, views)) == spans(scan.pattern.finditer(value))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_a_scanner_finds_the_openings_each_scan_finds(value: str) -> None:
    scanner = Scanner(ANCHORED)
    for scan, starts in zip(ANCHORED, scanner.starts(value), strict=True):
        assert starts == scan.starts(value)
        assert spans(scan.finditer(value, starts=starts)) == spans(scan.pattern.finditer(value))


def test_found_in_spans_is_a_search_of_each_span() -> None:
    for scan in (casualties.CUMULATIVE_SCAN, casualties.PROTEST_SCAN, Anchored(frames.TRIGGER)):
        for value in CORPUS:
            cuts = sorted({0, len(value), *(m.end() for m in re.finditer(r"[.;] +", value))})
            parts = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if a < b]
            found = found_in_spans(scan, value, scan.starts(value), parts)
            assert found == [scan.pattern.search(value[a:b]) is not None for a, b in parts]
    with pytest.raises(ValueError):
        found_in_spans(Anchored(re.compile(r"(?<=x)y")), "xy", [1], [(0, 2)])


def test_any_of_says_whether_the_pattern_finds_something() -> None:
    for pattern in (casualties._CLAIM, casualties._BACKGROUND):
        any_of = AnyOf(pattern)
        for value in CORPUS:
            for a in range(0, len(value), 37):
                piece = value[a : a + 90]
                assert any_of.found(piece) == (pattern.search(piece) is not None), piece


def test_pieces_are_searched_as_strings_of_their_own() -> None:
    rng = random.Random(11)
    hypothetical = casualties._HYPOTHETICAL_SCAN
    for value in CORPUS:
        views = Views(value)
        starts = casualties._SCOPE_SCANNER.by_scan(value, views)
        for _ in range(12):  # pieces that may start inside a word ("...ttempted to kill")
            a = rng.randrange(len(value) + 1)
            b = rng.randrange(a, len(value) + 1)
            piece = value[a:b]
            found = search_in(hypothetical, value, starts.get(hypothetical, []), a, b, views)
            assert found == (hypothetical.pattern.search(piece) is not None), piece
            for any_of in (casualties._CLAIM_ANY, casualties._BACKGROUND_ANY):
                assert any_of.found_in(value, a, b, starts, views) == (any_of.pattern.search(piece) is not None)


def test_guarded_patterns_find_what_they_find() -> None:
    for guarded in (
        casualties._UNVERIFIED_AFTER_GUARDED,
        casualties._BACKGROUND_AFTER_GUARDED,
        casualties._SEP_GUARDED,
    ):
        for value in CORPUS:
            folded = fold_case(value)
            for pos in range(0, len(value), 5):
                got = guarded.match(value, pos, folded=folded)
                want = guarded.pattern.match(value, pos)
                assert (got and got.span()) == (want and want.span())
    assert Guarded(re.compile(r"\bno\b", re.I)).search("No way") is not None
    assert Guarded(re.compile(r"\bno\b", re.I)).search("Yes way") is None


def test_openings_tell_where_a_match_may_start() -> None:
    for pattern in (casualties._ITEM_NUM, casualties._SELF, casualties._ITEM_ONE):
        opening = Opening(pattern)
        for value in CORPUS[:80]:
            views = Views(value)
            for pos in range(len(value) + 1):
                got = opening.match(value, pos, views)
                want = pattern.match(value, pos)
                assert (got and got.span()) == (want and want.span())


def test_guard_words_are_spelled_by_every_match() -> None:
    assert always_spells(casualties._SEP.pattern, casualties.SEP_WORDS)
    assert not always_spells(casualties._SEP.pattern, frozenset({","}))
    assert necessary_words(r"\bkill(?:ed|ing)\b|dead") == frozenset({"killed", "killing", "dead"})
    for source in (r"(?:mass\s+)?graves?", casualties._TAIL_VERB, casualties._CLAIM.pattern, casualties._NEGATED_NOUN):
        assert always_spells(source, necessary_words(source))
    assert spellings(r"lost (?:his|her) life|died") == frozenset({"lost his life", "lost her life", "died"})
    with pytest.raises(ValueError):
        spellings(r"killed\s+")


def _tries(pattern: str, value: str, lengths: list[int]) -> int | None:
    """Which of `lengths` (of a match of `pattern` at the start of `value`) is tried first."""
    ends = "|".join(f"(?<=^.{{{n}}})" for n in lengths)
    m = re.match(f"(?:{pattern})(?:{ends})", value, re.I | re.S)
    return m.end() if m else None


@pytest.mark.parametrize(
    "source",
    [
        casualties._PERSON_PLURAL + "|" + casualties._PERSON_SINGULAR,
        casualties._STOP,
        casualties._THING,
        casualties._MEASURE_UNITS,
        casualties._AUX_LITERAL,
        casualties._ACTIVE_VERB,
        casualties._QUALIFIERS,
        numbers._WORD_NUM_SOURCE,
        numbers._VAGUE_SOURCE,
        casualties._SINGULAR_VERB,
        casualties._MONTH,
        f"{casualties._KILLED}|{casualties._WOUNDED}|{casualties._KIDNAPPED}|{casualties._MISSING}",
        r"a|an|and|are|as|at|anda|x-y|x",
    ],
    ids=lambda s: s[:30],
)
def test_alternation_tries_the_same_words_in_the_same_order(source: str) -> None:
    factored = alternation(source)
    words = list(dict.fromkeys(w.lower() for w in ordered_spellings(source)))
    plain = "|".join(re.escape(w) for w in words)
    assert re.compile(factored, re.I).pattern
    for word in words:
        for suffix in ("", " x", "s", "-", "ly", *[w for w in words if w.startswith(word[:1])][:40]):
            value = word + suffix
            viable = [n for n in range(1, len(value) + 1) if re.fullmatch(f"(?:{plain})", value[:n], re.I)]
            for i, a in enumerate(viable):
                for b in viable[i + 1 :]:
                    assert _tries(factored, value, [a, b]) == _tries(plain, value, [a, b]), (value, a, b)


def test_alternatives_split_at_top_level_bars_only() -> None:
    assert alternatives(r"a|[|]|b\|c|(x|y)|[]|]|[^]|]") == ["a", "[|]", r"b\|c", "(x|y)", "[]|]", "[^]|]"]
    for pattern in (casualties._CLAIM, casualties._BACKGROUND, dates._PATTERNS[0][1], places._CAPITAL):
        assert "|".join(alternatives(pattern.pattern)) == pattern.pattern


def test_sentence_boundaries_are_found_as_before() -> None:
    rng = random.Random(3)
    pieces = ["a", "A", ".", "!", "?", " ", "\n", '"', "'", ")", "]", "(", "[", "1", "\u00a0", "...", "Mr.", "U.S."]
    for value in CORPUS + ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(2000)]:
        marked = [(m.start() + 1, m.end()) for m in text._MARKED_BOUNDARY.finditer(value)]
        assert marked == spans(text._BOUNDARY.finditer(value))


def test_an_abbreviation_ends_with_an_ascii_letter_and_a_dot() -> None:
    rng = random.Random(5)
    pieces = ["a", "Z", "é", "É", "1", ".", " ", "Mr", "U.S", "i.e", "approx", "Sept", "(", "'", "_", "\u00a0"]
    for _ in range(20000):
        value = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) + "."
        if text._ABBREV.search(value):
            assert len(value) >= 2 and value[-2] in text._ASCII_LETTERS, value


def test_actors_of_an_article_are_those_of_its_sentences() -> None:
    for value in CORPUS:
        paragraphs = [p for p in value.split("\n") if p.strip()]
        joined = "\n".join(paragraphs)
        sents = text.sentences(paragraphs)
        per_sentence, found = actors.article_actors(joined, sents)
        assert per_sentence == [actors.find_actors(s) for s in sents]
        assert found == actors.actor_spans(joined)
