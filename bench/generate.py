"""Generated article streams for benchmarks and stress tests (seeded, so reproducible).

`hostile_articles` aims at metric cardinality: real place names from every corner of the
gazetteer mixed with invented place-like words, random and absurd numbers, random sources
and publication dates over seven years, so that every label a metric could take from the
text is tried.

`chaos_articles` aims at the invariants under crashes: a realistic stream of reports of
attacks on real gazetteer places, each attack reported by one to three outlets in their
own words, with exact re-sends (duplicates), syndicated copies under another id, and
revisions (same id, a later version with a risen toll).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import orjson

from streams.extract.gazetteer import FOCUS, Entry, load_gazetteer

__all__ = ["chaos_articles", "hostile_articles", "place_names", "steady_attacks", "towns"]

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


def towns(limit: int = 400, seed: int = 1) -> list[Entry]:
    """A seeded sample of populated places (with an admin1) in the focus countries."""
    entries = [
        e for e in load_gazetteer().entries
        if e.level == "place" and e.country in FOCUS and e.admin1 and e.feature.startswith("PPL") and e.population
        and len(e.name) > 4 and e.name.isascii()
    ]  # fmt: skip
    rng = random.Random(seed)
    return rng.sample(entries, min(limit, len(entries)))


_COUNTRY = {"ML": "Mali", "BF": "Burkina Faso", "NE": "Niger", "TD": "Chad", "MR": "Mauritania"}
_ACTORS = ("Gunmen", "Suspected jihadists", "JNIM fighters", "Islamic State militants", "Unidentified attackers",
           "Armed men on motorbikes")  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_OUTLETS = ("Sahel Wire", "Radio Kayira", "Niamey Post", "Ouaga Daily", "Bamako Tribune", "Desert Herald")
_REPORTS = (
    "{actor} attacked {place} in the {admin1} region of {country} on {weekday}, killing {n} {victims}, "
    "local sources said.",
    "At least {n} {victims} were killed when {actor_l} stormed the village of {place}, {admin1}, on {weekday}.",
    "{n} {victims} died in an attack on {place} in {country}'s {admin1} region on {weekday}, officials said.",
    "Residents of {place} buried {n} {victims} killed on {weekday} by {actor_l}, a local official told reporters.",
)
_REVISION = "The toll of {weekday}'s attack on {place} in the {admin1} region has risen to {m} dead, officials said."


def chaos_articles(count: int, seed: int = 11) -> list[tuple[bytes | None, bytes]]:
    """`count` (key, JSON value) articles for `articles.raw`: reports of generated attacks,
    with about 8% exact re-sends, 5% syndicated copies (new id, same text) and 6% revisions
    (same id and URL, later `published_at`, a higher toll); keyed by article id."""
    rng = random.Random(seed)
    places = towns(seed=seed)
    start = datetime(2025, 1, 1, 6, tzinfo=UTC)
    sent: list[tuple[bytes | None, bytes]] = []
    originals: list[dict[str, object]] = []
    while len(sent) < count:
        roll = rng.random()
        if originals and roll < 0.08:
            sent.append(rng.choice(sent))  # an exact re-send: same key, same bytes
            continue
        if originals and roll < 0.13:
            copy = {k: v for k, v in rng.choice(originals).items() if k not in ("n", "slots")}
            copy["id"] = f"chaos-{seed}-{len(sent)}"
            copy["url"] = f"https://syndicate.example/{copy['id']}"
            copy["source"] = "Syndicate"
            sent.append((str(copy["id"]).encode(), orjson.dumps(copy)))
            continue
        if originals and roll < 0.19:
            first = rng.choice(originals)
            revised = dict(first, published_at=(datetime.fromisoformat(str(first["published_at"]))
                                                + timedelta(hours=rng.randint(2, 30))).isoformat())  # fmt: skip
            m = int(str(first["n"])) + rng.randint(1, 20)
            revised["body"] = str(first["body"]) + " " + _REVISION.format(m=m, **first["slots"])  # type: ignore[arg-type]
            revised.pop("n"), revised.pop("slots")
            sent.append((str(first["id"]).encode(), orjson.dumps(revised)))
            continue
        place = rng.choice(places)
        day = start + timedelta(days=rng.randint(0, 150))
        n = rng.randint(1, 60)
        actor = rng.choice(_ACTORS)
        slots = {"place": place.name, "admin1": place.admin1, "country": _COUNTRY[place.country],
                 "weekday": _WEEKDAYS[day.weekday()]}  # fmt: skip
        for outlet in rng.sample(_OUTLETS, rng.randint(1, 3)):
            if len(sent) >= count:
                break
            ident = f"chaos-{seed}-{len(sent)}"
            body = rng.choice(_REPORTS).format(n=n, victims=rng.choice(_VICTIMS), actor=actor,
                                               actor_l=actor[0].lower() + actor[1:], **slots)  # fmt: skip
            published = day + timedelta(hours=rng.randint(4, 40))
            article = {"id": ident, "url": f"https://{outlet.lower().replace(' ', '')}.example/{ident}",
                       "source": outlet, "published_at": published.isoformat(), "title": f"Attack on {place.name}",
                       "body": body}  # fmt: skip
            originals.append({**article, "n": n, "slots": slots})
            sent.append((ident.encode(), orjson.dumps(article)))
    return sent[:count]


def steady_attacks(days: int = 800, every: int = 3, seed: int = 8) -> list[tuple[bytes | None, bytes]]:
    """One attack every `every` days for `days` days from 2023-01-01, in publication order,
    each reported by one or two outlets the same day: a stream long enough for the events
    state's horizon (395 days) to evict its first events."""
    rng = random.Random(seed)
    places = towns(seed=seed)
    start = datetime(2023, 1, 1, 8, tzinfo=UTC)
    out: list[tuple[bytes | None, bytes]] = []
    for day in range(0, days, every):
        when = start + timedelta(days=day)
        town = rng.choice(places)
        body = (f"Gunmen killed {rng.randint(2, 40)} civilians in {town.name}, in the {town.admin1} region of "
                f"{_COUNTRY[town.country]}, on {_WEEKDAYS[when.weekday()]}, local officials said.")  # fmt: skip
        for outlet in range(rng.randint(1, 2)):
            ident = f"steady-{seed}-{day}-{outlet}"
            article = {"id": ident, "body": body, "published_at": (when + timedelta(hours=6 + outlet)).isoformat()}
            out.append((ident.encode(), orjson.dumps(article)))
    return out
