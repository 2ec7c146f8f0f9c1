"""Actors: a curated lexicon (data/actors.tsv) of canonical names, kinds and home countries."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from schemas import Actor, Span
from streams.extract.gazetteer import data_lines
from streams.extract.text import Sentence

__all__ = ["ActorEntry", "actor_spans", "find_actors", "lexicon"]


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


def _scan(text: str) -> list[tuple[int, int, str]]:
    """Leftmost-longest alias matches on word boundaries: (start, end, lower-case alias)."""
    automaton, _ = lexicon()
    norm = text.replace("\u2019", "'")
    low = norm.lower()
    if len(low) != len(text):  # a few characters grow when lower-cased; keep offsets exact
        low = "".join(c.lower()[:1] for c in norm)
    raw: list[tuple[int, int, str]] = []
    for last, (key, any_case, spellings) in automaton.iter(low):
        start, end = last - len(key) + 1, last + 1
        if (start > 0 and _is_word(text[start - 1])) or (end < len(text) and _is_word(text[end])):
            continue
        if not any_case and norm[start:end] not in spellings:
            continue
        raw.append((start, end, key))
    raw.sort(key=lambda m: (m[0], -m[1]))
    out: list[tuple[int, int, str]] = []
    last_end = -1
    for start, end, key in raw:
        if start >= last_end:
            out.append((start, end, key))
            last_end = end
    return out


def find_actors(sentence: Sentence) -> list[tuple[Actor, str | None]]:
    """Actors in a sentence, each with the country its name implies (or None)."""
    _, by_alias = lexicon()
    found: list[tuple[Actor, str | None]] = []
    for start, end, key in _scan(sentence.text):
        entry = by_alias[key]
        span = Span(start=sentence.start + start, end=sentence.start + end, sentence=sentence.text)
        found.append((Actor(name=entry.name, kind=entry.kind, span=span), entry.country))
    return found


def actor_spans(text: str) -> list[tuple[int, int]]:
    """Where actor names occur in `text` (so that "Katiba Macina" is not read as a place)."""
    return [(start, end) for start, end, _ in _scan(text)]
