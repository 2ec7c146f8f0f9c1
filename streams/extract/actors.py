"""Actors: a curated lexicon (data/actors.tsv) of canonical names, kinds and home countries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from schemas import Actor, Span
from streams.extract.gazetteer import data_lines
from streams.extract.text import Sentence

__all__ = ["ActorEntry", "find_actors", "lexicon"]


@dataclass(frozen=True, slots=True)
class ActorEntry:
    name: str
    kind: str
    country: str | None


@lru_cache(maxsize=1)
def lexicon() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, ActorEntry]]:
    """(case-sensitive acronym pattern, case-insensitive name pattern, lower-case alias -> entry).

    Aliases with two or more capitals (JNIM, FAMa, FDS) match case-sensitively so that
    ordinary words ("fan", "ant") are not taken for them.
    """
    by_alias: dict[str, ActorEntry] = {}
    acronyms: list[str] = []
    words: list[str] = []
    for line in data_lines("actors.tsv"):
        name, kind, country, aliases = line.rstrip("\n").split("\t")
        entry = ActorEntry(name, kind, None if country == "-" else country)
        for alias in aliases.split(","):
            by_alias[alias.lower()] = entry
            (acronyms if sum(c.isupper() for c in alias) >= 2 else words).append(alias)

    def alternation(items: list[str]) -> str:
        ordered = sorted(items, key=len, reverse=True)
        return "|".join(re.escape(a).replace("'", "['\u2019]") for a in ordered)

    return (
        re.compile(rf"(?<![\w-])(?:{alternation(acronyms)})(?![\w-])"),
        re.compile(rf"(?<![\w-])(?:{alternation(words)})(?![\w-])", re.I),
        by_alias,
    )


def find_actors(sentence: Sentence) -> list[tuple[Actor, str | None]]:
    """Actors in a sentence, each with the country its name implies (or None)."""
    acronyms, words, by_alias = lexicon()
    found: list[tuple[Actor, str | None]] = []
    taken: list[tuple[int, int]] = []
    for pattern in (acronyms, words):
        for m in pattern.finditer(sentence.text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            entry = by_alias[m.group(0).lower().replace("\u2019", "'")]
            span = Span(start=sentence.start + m.start(), end=sentence.start + m.end(), sentence=sentence.text)
            found.append((Actor(name=entry.name, kind=entry.kind, span=span), entry.country))
            taken.append(m.span())
    return sorted(found, key=lambda a: a[0].span.start)
