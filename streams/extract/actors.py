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
    """(case-sensitive acronym pattern, case-insensitive name pattern, alias -> entry)."""
    by_alias: dict[str, ActorEntry] = {}
    for line in data_lines("actors.tsv"):
        name, kind, country, aliases = line.rstrip("\n").split("\t")
        entry = ActorEntry(name, kind, None if country == "-" else country)
        for alias in aliases.split(","):
            by_alias[alias.lower()] = entry
    acronyms = [a for a in by_alias if sum(c.isupper() for c in _original(a)) >= 2]
    words = [a for a in by_alias if a not in acronyms]

    def alternation(items: list[str]) -> str:
        return "|".join(re.escape(_original(a)).replace("'", "['\u2019]") for a in sorted(items, key=len, reverse=True))

    return (
        re.compile(rf"(?<![\w-])(?:{alternation(acronyms)})(?![\w-])"),
        re.compile(rf"(?<![\w-])(?:{alternation(words)})(?![\w-])", re.I),
        by_alias,
    )


_ORIGINAL: dict[str, str] = {}


def _original(alias_lower: str) -> str:
    if not _ORIGINAL:
        for line in data_lines("actors.tsv"):
            for alias in line.rstrip("\n").split("\t")[3].split(","):
                _ORIGINAL[alias.lower()] = alias
    return _ORIGINAL.get(alias_lower, alias_lower)


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
