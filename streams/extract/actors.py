"""Actors: a curated lexicon (data/actors.tsv) of canonical names, kinds and home countries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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
def lexicon() -> tuple[re.Pattern[str], dict[str, ActorEntry]]:
    """(pattern over every alias, longest first; lower-case alias -> entry).

    Aliases with two or more capitals (JNIM, FAMa, FDS) match case-sensitively so that
    ordinary words ("fan", "ant") are not taken for them; the others match in any case.
    """
    by_alias: dict[str, ActorEntry] = {}
    aliases: list[str] = []
    for line in data_lines("actors.tsv"):
        name, kind, country, names = line.rstrip("\n").split("\t")
        entry = ActorEntry(name, kind, None if country == "-" else country)
        for alias in names.split(","):
            by_alias[alias.lower()] = entry
            aliases.append(alias)

    def alternative(alias: str) -> str:
        body = re.escape(alias).replace("'", "['\u2019]")
        return body if sum(c.isupper() for c in alias) >= 2 else f"(?i:{body})"

    body = "|".join(alternative(a) for a in sorted(set(aliases), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])"), by_alias


def find_actors(sentence: Sentence) -> list[tuple[Actor, str | None]]:
    """Actors in a sentence, each with the country its name implies (or None)."""
    pattern, by_alias = lexicon()
    found: list[tuple[Actor, str | None]] = []
    for m in pattern.finditer(sentence.text):
        entry = by_alias[m.group(0).lower().replace("\u2019", "'")]
        span = Span(start=sentence.start + m.start(), end=sentence.start + m.end(), sentence=sentence.text)
        found.append((Actor(name=entry.name, kind=entry.kind, span=span), entry.country))
    return found


def actor_spans(text: str) -> list[tuple[int, int]]:
    """Where actor names occur in `text` (so that "Katiba Macina" is not read as a place)."""
    pattern, _ = lexicon()
    return [m.span() for m in pattern.finditer(text)]
