"""Generated article streams for benchmarks and stress tests (seeded, so reproducible).

`hostile_articles` aims at metric cardinality: real place names from every corner of the
gazetteer mixed with invented place-like words, random and absurd numbers, random sources
and publication dates over seven years, so that every label a metric could take from the
text is tried.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import orjson

from streams.extract.gazetteer import load_gazetteer

__all__ = ["hostile_articles", "place_names"]

_SYLLABLES = ("ba", "ko", "di", "sa", "ma", "ga", "ti", "no", "ou", "ka", "la", "ye", "fo", "ré", "zi", "tem", "bou")
_VERBS = ("killed", "left dead", "wounded", "kidnapped", "abducted", "injured", "slaughtered", "executed")
_VICTIMS = ("civilians", "soldiers", "villagers", "gunmen", "herders", "people", "militants", "traders")
_NUMBERS = ("{n}", "{n}", "at least {n}", "more than {n}", "nearly {n}", "dozens of", "999999999999", "-{n}",
            "{n},{n}", "0", "one hundred thousand")  # fmt: skip


def place_names(limit: int = 5000, seed: int = 1) -> list[str]:
    """A seeded sample of the gazetteer's place names (every country, every feature kind)."""
    entries = load_gazetteer().entries
    rng = random.Random(seed)
    return [entries[i].name for i in rng.sample(range(len(entries)), min(limit, len(entries)))]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def hostile_articles(count: int, seed: int = 7) -> list[tuple[bytes | None, bytes]]:
    """`count` (key, JSON value) articles for `articles.raw`, each with its own id."""
    rng = random.Random(seed)
    places = place_names(seed=seed)
    start = datetime(2019, 1, 1, tzinfo=UTC)
    out: list[tuple[bytes | None, bytes]] = []
    for i in range(count):
        sentences = []
        for _ in range(rng.randint(1, 5)):
            number = rng.choice(_NUMBERS).format(n=rng.randint(1, 5000))
            where = rng.choice(places) if rng.random() < 0.7 else _word(rng)
            near = rng.choice(places) if rng.random() < 0.5 else _word(rng)
            sentences.append(f"{_word(rng)} {_word(rng)} {rng.choice(_VERBS)} {number} {rng.choice(_VICTIMS)} "
                             f"in {where} near {near} on {rng.choice(('Monday', 'Sunday', 'Friday'))}.")  # fmt: skip
        article = {
            "id": f"hostile-{seed}-{i}",
            "source": _word(rng) + " " + rng.choice(("Post", "Radio", "Times", "Info")),
            "published_at": (start + timedelta(minutes=rng.randint(0, 7 * 365 * 24 * 60))).isoformat(),
            "body": " ".join(sentences),
        }
        out.append((article["id"].encode(), orjson.dumps(article)))
    return out
