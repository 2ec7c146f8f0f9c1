"""Actors: a curated lexicon (data/actors.tsv) of canonical names, kinds and home countries."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from schemas import Actor, Span
from streams.extract.gazetteer import data_lines
from streams.extract.models import construct
from streams.extract.text import Sentence

__all__ = ["ActorEntry", "actor_spans", "article_actors", "find_actors", "lexicon"]


@dataclass(frozen=True, slots=True)
class ActorEntry:
    name: str
    kind: str
    country: str | None


@lru_cache(maxsize=1)
def lexicon() -> tuple[ahocorasick.Automaton, dict[str, ActorEntry]]:
    """(automaton over every lower-cased alias; lower-case alias -> entry).

    Aliases with two or more capitals (JNIM, FAMa, FDS) match case-sensitively so that
    ordinary words ("fan", "ant") are not taken for them; the others match in any case.
    One automaton pass is much faster than a regular expression with an alternative
    per alias.
    """
    by_alias: dict[str, ActorEntry] = {}
    exact: dict[str, set[str]] = {}  # lower-case alias -> its case-sensitive spellings
    loose: set[str] = set()  # lower-case aliases that match in any case
    for line in data_lines("actors.tsv"):
        name, kind, country, names = line.rstrip("\n").split("\t")
        entry = ActorEntry(name, kind, None if country == "-" else country)
        for alias in names.split(","):
            by_alias[alias.lower()] = entry
            if sum(c.isupper() for c in alias) >= 2:
                exact.setdefault(alias.lower(), set()).add(alias)
            else:
                loose.add(alias.lower())
    automaton = ahocorasick.Automaton()
    for key in by_alias:
        automaton.add_word(key, (key, key in loose, frozenset(exact.get(key, ()))))
    automaton.make_automaton()
    return automaton, by_alias


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch in "_-"


#: Every ASCII character that is no word character (`_is_word`), as a space.
_NON_WORD_ASCII = bytes(c if chr(c).isalnum() or chr(c) in "_-" or c > 127 else 32 for c in range(256))


def _word_view(low: str) -> str:
    """`low` with a space before it and every character that is no word character
    (`_is_word`) a space: an alias starts a word of `low` where its view follows a space."""
    if low.isascii():
        return " " + low.encode("ascii").translate(_NON_WORD_ASCII).decode("ascii")
    return " " + low.translate({ord(ch): " " for ch in set(low) if not _is_word(ch)})


@lru_cache(maxsize=1)
def _word_automaton() -> ahocorasick.Automaton:
    """The aliases as `_word_view` shows them, each after a space (found only where a word
    starts), each with the aliases shown alike: (alias, matches in any case, spellings)."""
    automaton, by_alias = lexicon()
    shown: dict[str, list[tuple[str, bool, frozenset[str]]]] = {}
    for key in by_alias:
        shown.setdefault(_word_view(key), []).append(automaton.get(key))
    words = ahocorasick.Automaton()
    for view, values in shown.items():
        words.add_word(view, tuple(values))
    words.make_automaton()
    return words


def _hits(text: str, word_starts: bool = False) -> list[tuple[int, int, str]]:
    """Every alias in `text` spelled as it must be (case-sensitive ones in their case),
    wherever it is (word boundaries not checked): (start, end, lower-case alias), in order
    of end. With `word_starts`, only those at the start of `text` or after a character
    that is no word character (`_is_word`): the others are on no boundary of any span
    starting with such a character (`_select`)."""
    automaton, _ = lexicon()
    norm = text.replace("\u2019", "'")
    low = norm.lower()
    if len(low) != len(text):  # a few characters grow when lower-cased; keep offsets exact
        low = "".join(c.lower()[:1] for c in norm)
    hits: list[tuple[int, int, str]] = []
    if word_starts:
        # Lower-casing keeps a character a word character or none (checked by the tests for
        # every character), so the view tells where words of `text` start.
        for last, values in _word_automaton().iter(_word_view(low)):
            for key, any_case, spellings in values:
                start = last - len(key)  # the view has one character more, in front
                if low.startswith(key, start) and (any_case or norm[start:last] in spellings):
                    hits.append((start, last, key))
        return hits
    for last, (key, any_case, spellings) in automaton.iter(low):
        start, end = last - len(key) + 1, last + 1
        if not any_case and norm[start:end] not in spellings:
            continue
        hits.append((start, end, key))
    return hits


def _select(hits: list[tuple[int, int, str]], text: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    """Leftmost-longest of `hits` on word boundaries of `text[lo:hi]` (those inside it)."""
    raw = [
        (start, end, key)
        for start, end, key in hits
        if lo <= start
        and end <= hi
        and not (start > lo and _is_word(text[start - 1]))
        and not (end < hi and _is_word(text[end]))
    ]
    raw.sort(key=lambda m: (m[0], -m[1]))
    out: list[tuple[int, int, str]] = []
    last_end = -1
    for start, end, key in raw:
        if start >= last_end:
            out.append((start, end, key))
            last_end = end
    return out


def _scan(text: str) -> list[tuple[int, int, str]]:
    """Leftmost-longest alias matches on word boundaries: (start, end, lower-case alias)."""
    return _select(_hits(text, word_starts=True), text, 0, len(text))


_new_span = construct(Span)
_new_actor = construct(Actor)


def find_actors(sentence: Sentence) -> list[tuple[Actor, str | None]]:
    """Actors in a sentence, each with the country its name implies (or None)."""
    return _actors(
        sentence, [(start + sentence.start, end + sentence.start, key) for start, end, key in _scan(sentence.text)]
    )


def _actors(sentence: Sentence, found: list[tuple[int, int, str]]) -> list[tuple[Actor, str | None]]:
    """The actors of `sentence` at spans `found` (offsets in the article)."""
    _, by_alias = lexicon()
    out: list[tuple[Actor, str | None]] = []
    for start, end, key in found:
        entry = by_alias[key]
        span = _new_span(start=start, end=end, sentence=sentence.text)
        out.append((_new_actor(name=entry.name, kind=entry.kind, span=span), entry.country))
    return out


def article_actors(
    text: str, sents: list[Sentence], placed: bool | None = None
) -> tuple[list[list[tuple[Actor, str | None]]], list[tuple[int, int]]]:
    """`find_actors` of each of an article's sentences (as `text.sentences` makes them from
    `text`) and `actor_spans(text)`, by one pass over the article: an alias is found
    where it is, and only its word boundaries differ (in its sentence or in the text).
    `placed`: whether `text` holds every sentence at its offset, if known."""
    # A sentence at its offset after a character that is no word character (a space, as
    # `text.sentences` makes them) takes no alias starting after a word character: such
    # hits are on no boundary of any sentence, nor of the text, and need not be found.
    if placed is None:
        placed = all(text.startswith(s.text, s.start) for s in sents)
    hits = _hits(text, word_starts=placed and all(s.start == 0 or not _is_word(text[s.start - 1]) for s in sents))
    if not placed:  # not at their offsets: read alone
        return [find_actors(s) for s in sents], [(start, end) for start, end, _ in _select(hits, text, 0, len(text))]
    firsts = [s.start for s in sents]
    inside: dict[int, list[tuple[int, int, str]]] = {}  # the hits within each sentence
    for hit in hits:
        i = bisect_right(firsts, hit[0]) - 1
        if i >= 0 and hit[1] <= firsts[i] + len(sents[i].text):
            inside.setdefault(i, []).append(hit)
    per_sentence: list[list[tuple[Actor, str | None]]] = [[] for _ in sents]
    for i, found in inside.items():
        s = sents[i]
        per_sentence[i] = _actors(s, _select(found, text, s.start, s.start + len(s.text)))
    return per_sentence, [(start, end) for start, end, _ in _select(hits, text, 0, len(text))]


def actor_spans(text: str) -> list[tuple[int, int]]:
    """Where actor names occur in `text` (so that "Katiba Macina" is not read as a place)."""
    return [(start, end) for start, end, _ in _scan(text)]
