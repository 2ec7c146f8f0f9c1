"""Places: country mentions, gazetteer matches, and disambiguation by context.

A name is resolved to the candidate with the best score: feature type and population,
the countries the article names, and the admin1 units it names or implies. When two
candidates in different admin1 units score alike, the place falls back to the level
that is certain (its country), never to a guessed region.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from schemas import Place, Span
from streams.extract.gazetteer import Entry, data_lines, load_gazetteer
from streams.extract.text import Sentence, fold

__all__ = ["CountryMention", "find_countries", "find_places", "country_patterns"]

_COUNTRY_BONUS = 3.0
_ADMIN1_BONUS = 3.0
_FOREIGN_PENALTY = 4.0
_AMBIGUITY_MARGIN = 0.75
_LOCATIVE = re.compile(r"\b(in|near|at|of|from|on|around|outside|between|to|towards)\s+$")


@dataclass(frozen=True, slots=True)
class CountryMention:
    country: str
    start: int
    end: int


@lru_cache(maxsize=1)
def country_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """One case-sensitive pattern per country over its names and demonyms."""
    out = []
    for line in data_lines("countries.tsv"):
        code, names = line.rstrip("\n").split("\t")
        alts = sorted(names.split(","), key=len, reverse=True)
        body = "|".join(re.escape(n).replace("'", "['\u2019]") for n in alts)
        out.append((code, re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")))
    return out


def find_countries(text: str) -> list[CountryMention]:
    """Every country name or demonym in `text`, in order."""
    found = [
        CountryMention(code, m.start(), m.end()) for code, pattern in country_patterns() for m in pattern.finditer(text)
    ]
    return sorted(found, key=lambda c: c.start)


def _matches(text: str, folded: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Leftmost-longest gazetteer matches on word boundaries that start with a capital."""
    gaz = load_gazetteer()
    raw: list[tuple[int, int, str]] = []
    for end, key in gaz.automaton.iter(folded):
        start = end - len(key) + 1
        if start > 0 and folded[start - 1].isalnum():
            continue
        if end + 1 < len(folded) and folded[end + 1].isalnum():
            continue
        if not text[start].isupper():
            continue
        raw.append((start, end + 1, key))
    raw.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    out: list[tuple[int, int, str]] = []
    last_end = -1
    for start, end, key in raw:
        if start < last_end or any(s < end and start < e for s, e in taken):
            continue
        out.append((start, end, key))
        last_end = end
    return out


def _score(entry: Entry, countries: Counter[str], admin1s: set[tuple[str, str]]) -> float:
    score = entry.weight + math.log10(entry.population + 1) / 2
    if countries:
        score += _COUNTRY_BONUS if entry.country in countries else -_FOREIGN_PENALTY
    if entry.admin1 and (entry.country, entry.admin1) in admin1s:
        score += _ADMIN1_BONUS
    return score


def _plausible(entry: Entry, countries: Counter[str], locative: bool) -> bool:
    """Small places count only with their country in context, or after 'in', 'near'..."""
    if entry.weight >= 3.0 or entry.population >= 5000:
        return not countries or entry.country in countries or entry.weight >= 4.0
    return entry.country in countries or (not countries and locative)


def _resolve(
    cands: list[Entry], countries: Counter[str], admin1s: set[tuple[str, str]], locative: bool
) -> Entry | str | None:
    """The best entry, a country code when only the country is certain, or None."""
    ranked = sorted(
        ((_score(e, countries, admin1s), e) for e in cands if _plausible(e, countries, locative)),
        key=lambda pair: -pair[0],
    )
    if not ranked:
        return None
    best_score, best = ranked[0]
    for score, other in ranked[1:]:
        if best_score - score > _AMBIGUITY_MARGIN:
            break
        if (other.country, other.admin1) != (best.country, best.admin1):
            return best.country if other.country == best.country else None
    return best


def _place(entry: Entry | str, text: str, start: int, end: int, sentence: Sentence) -> Place:
    span = Span(start=start, end=end, sentence=sentence.text)
    if isinstance(entry, str):
        return Place(name=text[start:end], country=entry, level="country", span=span)
    return Place(
        name=entry.name,
        geonameid=entry.geonameid,
        country=entry.country,
        admin1=entry.admin1,
        admin2=entry.admin2 if entry.level != "admin1" else None,
        level=entry.level if entry.level != "place" or entry.admin1 else "country",
        span=span,
    )


def _sentence_at(sents: list[Sentence], pos: int) -> Sentence:
    for sentence in reversed(sents):
        if sentence.start <= pos:
            return sentence
    return sents[0]


def _implied_countries(matches: list[tuple[int, int, str]]) -> Counter[str]:
    """With no country named, the countries of names that can only be in one country.

    Notes often name a village, its district and region but never the country; a name
    all of whose gazetteer entries share one country votes for it (admin units count double).
    """
    gaz = load_gazetteer()
    votes: Counter[str] = Counter()
    for _, _, key in matches:
        entries = [gaz.entries[i] for i in gaz.by_key[key]]
        if len({e.country for e in entries}) == 1:
            votes[entries[0].country] += 2 if any(e.level != "place" or e.weight >= 4.0 for e in entries) else 1
    top = votes.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return Counter()
    return Counter({top[0][0]: 1})


def find_places(
    text: str, sents: list[Sentence], extra_countries: Counter[str] | None = None
) -> tuple[list[Place], Counter[str]]:
    """Resolved places in `text` (country mentions included), and the country context."""
    gaz = load_gazetteer()
    mentions = find_countries(text)
    countries: Counter[str] = Counter(m.country for m in mentions)
    if extra_countries:
        countries.update(extra_countries)
    matches = _matches(text, fold(text), [(m.start, m.end) for m in mentions])
    if not countries:
        countries = _implied_countries(matches)
    # Pass 1: admin1 names and strong places give admin1 context for pass 2.
    admin1s: set[tuple[str, str]] = set()
    for _, _, key in matches:
        for entry in (gaz.entries[i] for i in gaz.by_key[key]):
            strong = entry.level == "admin1" or entry.weight >= 4.0
            if strong and entry.admin1 and (not countries or entry.country in countries):
                admin1s.add((entry.country, entry.admin1))
    places: list[Place] = []
    for start, end, key in matches:
        locative = bool(_LOCATIVE.search(text, max(0, start - 12), start))
        resolved = _resolve([gaz.entries[i] for i in gaz.by_key[key]], countries, admin1s, locative)
        if resolved is not None:
            places.append(_place(resolved, text, start, end, _sentence_at(sents, start)))
    for m in mentions:
        places.append(_place(m.country, text, m.start, m.end, _sentence_at(sents, m.start)))
    places.sort(key=lambda p: p.span.start)
    return places, countries
