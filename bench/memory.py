"""Worker memory and state-store size of one events partition as its live events grow.

For each size N, in a fresh process (so that one size's memory does not pollute the next),
synthetic extracted articles are folded into one `EventState` with `step_article`, the way
the events agent does (each message decoded from JSON with orjson and validated as an
`ExtractedArticle`, then `changed_entries` computed for the table), and the script reports:

- the process's resident memory (VmRSS) before (after the imports) and after the build,
  and the difference per live event;
- the state's table entries (`streams.state` layout) written into a real RocksDB store
  (rocksdict, with Faust's own `RocksDBOptions`), compacted and closed: its size on disk,
  and the raw bytes of the entries (keys + values: what the compacted changelog topic holds);
- the time to build, and, in another fresh process, the time to reload the state from the
  store with `load_state(partition, store.items())` (what a worker does when it regains a
  partition) and the memory the reloaded state takes.

Then the eviction bound (events held at a steady rate), a run showing eviction keeping the
state flat (the watermark advancing day by day), and, for the smallest size, what the
memory is made of (object sizes by type).

    python -m bench.memory                                 # 10,000, 100,000 and 1,000,000 events
    python -m bench.memory --sizes 10000,100000 --json /tmp/memory.json

A size whose RSS, extrapolated from the previous size, would pass `--max-rss-gb` (12 by
default) with a 10% margin is replaced by the largest round size that fits, and larger
sizes are skipped (at ~12.9 kB per event, 1,000,000 events need ~12.1 GiB: 900,000 run);
a build also stops if its RSS passes the limit.

Synthetic data: 5 countries x 8-10 admin1 regions (48) x 200 places per region (9,600),
one candidate per article (day precision, 1-2 actors, figures, 1-2 sentences of 150-250
characters from templates), every event at another place or day (nothing merges by
accident), spread over the 365 days before a fixed watermark (2026-06-30), so none is
evicted; one event in ten is reported by a second outlet (same place and day: it joins the
event, which then holds two reports). Every article is published on the watermark's day.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import random
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel

from schemas import ExtractedArticle
from streams import events as events_module
from streams.events import EventState, Step, step_article
from streams.state import changed_entries, load_state
from streams.totals import digest

__all__ = ["article_messages", "final_entries", "main", "rss_bytes"]

PARTITION = 0
WATERMARK = date(2026, 6, 30)  # the fixed watermark of the size runs: every article is published that day
FLAT_START = date(2024, 1, 1)  # first day of the eviction run
SECOND_OUTLET_EVERY = 10  # one event in ten is reported by a second outlet
PLACES_PER_ADMIN1 = 200  # 9,600 places: room for 1,161,600 events (121 days each)
SPACING = 3  # days between two events at one place: day-precision intervals (day +- 1) never overlap
SLOTS = 365 // SPACING  # events per place within the 365 days before the watermark

_COUNTRIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "BF": ("Burkina Faso", ("Sahel", "Nord", "Est", "Centre-Nord", "Boucle du Mouhoun", "Centre-Est", "Hauts-Bassins",
                            "Cascades", "Centre-Ouest", "Sud-Ouest")),
    "ML": ("Mali", ("Mopti", "Ségou", "Tombouctou", "Gao", "Ménaka", "Kidal", "Koulikoro", "Sikasso", "Kayes",
                    "Taoudénit")),
    "NE": ("Niger", ("Tillabéri", "Tahoua", "Diffa", "Maradi", "Dosso", "Agadez", "Zinder", "Niamey")),
    "NG": ("Nigeria", ("Borno", "Yobe", "Adamawa", "Zamfara", "Katsina", "Kaduna", "Niger", "Benue", "Plateau",
                       "Sokoto")),
    "TD": ("Chad", ("Lac", "Kanem", "Hadjer-Lamis", "Ouaddaï", "Tibesti", "Borkou", "Logone Oriental", "Salamat",
                    "Mayo-Kebbi Est", "Batha")),
}  # fmt: skip
_SYLLABLES = ("ba", "ko", "di", "sa", "ma", "ga", "ti", "no", "ou", "ka", "la", "ye", "fo", "zi", "tem", "bou", "da",
              "ri", "gou", "mé", "to", "na", "bi", "kou", "sé", "wa")  # fmt: skip
_ACTORS = ("JNIM", "IS Sahel", "Islamist militants", "Civilians", "Soldiers", "VDP", "Boko Haram", "ISWAP", "Bandits",
           "Katiba Macina", "Ansarul Islam")  # fmt: skip
_VICTIMS = ("civilians", "soldiers", "villagers", "herders", "traders", "worshippers", "gendarmes", "farmers",
            "volunteers for the defence of the homeland", "miners")  # fmt: skip
_SAID = (
    "local officials said",
    "a security source told reporters",
    "residents reached by telephone said",
    "the regional governor said in a statement",
    "a local elected official said, asking not to be named",
)
_TARGETS = ("market", "mosque", "water point", "gold-mining site", "army post", "school", "convoy of traders")
_OUTLETS = ("sahel-daily.example", "wire-west-africa.example", "radio-niger-info.example", "lake-chad-news.example",
            "bamako-tribune.example", "the-northern-herald.example")  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_LEADS = (
    "Gunmen on motorbikes killed {k} {victims} and wounded {w} others in {place}, in the {admin1} region of "
    "{country}, on {weekday}, {said}.",
    "At least {k} {victims} were killed when suspected {actor} fighters attacked the {target} of {place}, in "
    "{admin2} ({admin1}), early on {weekday} morning, {said}.",
    "The toll of {weekday}'s attack on the {target} near {place} in {country}'s {admin1} region has risen to {k} "
    "dead and {w} wounded, {said}.",
    "{k} {victims} died and {w} were injured in an ambush blamed on {actor} between {place} and {other}, in "
    "{admin2}, on {weekday}, {said}.",
)
_CONTEXT = (
    "Residents said the assailants arrived at dawn, set fire to shops and granaries and stole cattle before "
    "withdrawing towards the border, and that {n} families had since fled to {other}.",
    "The {admin1} region has seen repeated attacks since {year}, and more than {n},000 people have been displaced "
    "from the surrounding villages, according to the United Nations humanitarian office.",
    "{actor} has not claimed the attack, the {ordinal} in the area this month, while reinforcements were sent from "
    "{other}, about {n} kilometres away, according to a military source.",
)
_ORDINALS = ("second", "third", "fourth", "fifth")


@dataclass(frozen=True, slots=True)
class _Place:
    country: str
    admin1: str
    admin2: str
    name: str
    geonameid: int


def _places() -> list[_Place]:
    """Every synthetic place, round-robin over countries and regions (consecutive indexes
    fall in different regions); names are unique."""
    rng = random.Random(11)
    seen: set[str] = set()
    by_region: list[list[_Place]] = []
    for country, (_, admin1s) in _COUNTRIES.items():
        for admin1 in admin1s:
            admin2s = [_word(rng, seen) + suffix for suffix in (" Department", " Province", " Cercle", " LGA")]
            by_region.append([
                _Place(country, admin1, admin2s[i % 4], _word(rng, seen), 2_000_000 + 1_000 * len(by_region) + i)
                for i in range(PLACES_PER_ADMIN1)
            ])  # fmt: skip
    return [region[i] for i in range(PLACES_PER_ADMIN1) for region in by_region]


def _word(rng: random.Random, seen: set[str]) -> str:
    while True:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        if word not in seen:
            seen.add(word)
            return word


PLACES = _places()


def _sentence(rng: random.Random, template: str, place: _Place, day: date, k: int, w: int, actor: str) -> str:
    return template.format(
        k=k, w=w, victims=rng.choice(_VICTIMS), place=place.name, admin1=place.admin1, admin2=place.admin2,
        country=_COUNTRIES[place.country][0], weekday=_WEEKDAYS[day.weekday()], said=rng.choice(_SAID),
        actor=actor, target=rng.choice(_TARGETS), other=rng.choice(PLACES).name, n=rng.randint(12, 480),
        year=rng.randint(2015, 2022), ordinal=rng.choice(_ORDINALS),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Attack:
    """What every outlet reporting one attack agrees on (so that their candidates merge)."""

    place: _Place
    day: date
    actors: list[str]
    modes: list[str]
    killed: int
    wounded: int
    kidnapped: int

    @classmethod
    def draw(cls, rng: random.Random, place: _Place, day: date) -> _Attack:
        actors = sorted(rng.sample(_ACTORS, rng.randint(1, 2)))
        modes = rng.choice(([], [], [], ["ied"], ["airstrike"], ["shelling"]))
        return cls(place, day, actors, modes, rng.randint(1, 60), rng.randint(0, 30), rng.choice((0, 0, 0, 0, 2, 7)))


def _candidate(rng: random.Random, attack: _Attack, outlet: int) -> dict[str, Any]:
    place, day = attack.place, attack.day
    group = next((a for a in attack.actors if a not in ("Civilians", "Soldiers", "VDP")), "armed men")
    best = attack.killed + (rng.choice((0, 0, 2)) if outlet else 0)  # a second outlet may count more dead
    lead = _sentence(rng, rng.choice(_LEADS), place, day, best, attack.wounded, group)
    sentences = [lead]
    evidence = [lead]
    if rng.random() < 0.6:
        sentences.append(_sentence(rng, rng.choice(_CONTEXT), place, day, best, attack.wounded, group))
        if rng.random() < 0.3:
            evidence.append(sentences[1])
    return {
        "killed_low": max(0, best - rng.choice((0, 0, 0, 2, 5))), "killed_best": best,
        "killed_high": best + rng.choice((0, 0, 3, 10)), "wounded": attack.wounded, "kidnapped": attack.kidnapped,
        "index": 0, "country": place.country, "admin1": place.admin1, "admin2": place.admin2, "place": place.name,
        "geonameid": place.geonameid, "day": day.isoformat(), "precision": "day", "dated": True,
        "actors": attack.actors, "toll_given": True, "modes": attack.modes, "sentences": sentences,
        "evidence": evidence,
    }  # fmt: skip


def _messages(rng: random.Random, i: int, attack: _Attack, published: datetime) -> Iterator[bytes]:
    """The `articles.extracted` values of event `i`: one outlet, or two for one event in ten."""
    for outlet in range(2 if i % SECOND_OUTLET_EVERY == SECOND_OUTLET_EVERY - 1 else 1):
        source = _OUTLETS[(i + 3 * outlet) % len(_OUTLETS)]
        slug = f"{attack.place.name.lower()}-attack-{attack.day.isoformat()}-{i}-{outlet}"
        country = _COUNTRIES[attack.place.country][0].lower().replace(" ", "-")
        url = f"https://{source}/{country}/{attack.day:%Y/%m}/{slug}"
        when = published + timedelta(hours=outlet)
        stamp = when.timestamp()
        body = {
            "kind": "article", "article_id": "u-" + hashlib.sha256(url.encode()).hexdigest()[:16],
            "route": attack.place.country, "url": url, "source": source,
            "published_at": when.isoformat().replace("+00:00", "Z"), "candidates": [_candidate(rng, attack, outlet)],
            "raw": {"partition": 0, "offset": 2 * i + outlet},
            "timing": {"ingested": stamp, "cleaned": stamp + 0.004, "extracted": stamp + 0.02},
        }  # fmt: skip
        yield orjson.dumps(body)


def article_messages(count: int, seed: int = 3) -> Iterator[bytes]:
    """The `articles.extracted` values (JSON) of `count` events within the 365 days before
    WATERMARK, every one published on WATERMARK's day; one event in ten twice (another outlet)."""
    if count > len(PLACES) * SLOTS:
        raise ValueError(f"at most {len(PLACES) * SLOTS:,} distinct events (places x {SLOTS} slots)")
    rng = random.Random(seed)
    midnight = datetime(WATERMARK.year, WATERMARK.month, WATERMARK.day, tzinfo=UTC)
    for i in range(count):
        p, k = i % len(PLACES), i // len(PLACES)
        day = WATERMARK - timedelta(days=(p * 37 + SPACING * k) % (SPACING * SLOTS))
        published = midnight + timedelta(seconds=(i * 7919) % 82_800)
        yield from _messages(rng, i, _Attack.draw(rng, PLACES[p], day), published)


def _steady_messages(day: int, rate: int, seed: int = 5) -> Iterator[bytes]:
    """The values of day `day` of a steady stream of `rate` events a day from FLAT_START,
    each published the day it happened (the watermark moves every day)."""
    rng = random.Random(seed * 1_000_003 + day)
    when = FLAT_START + timedelta(days=day)
    midnight = datetime(when.year, when.month, when.day, tzinfo=UTC)
    for j in range(rate):
        i = day * rate + j  # a place comes back every len(PLACES) / rate days (>= SPACING at rate <= 3,200)
        published = midnight + timedelta(seconds=21_600 + j * 40)
        yield from _messages(rng, i, _Attack.draw(rng, PLACES[i % len(PLACES)], when), published)


def decode(value: bytes) -> ExtractedArticle:
    """As the events agent decodes a message (it leaves out the entity lists, absent here)."""
    body = orjson.loads(value)
    return ExtractedArticle.model_validate({k: v for k, v in body.items() if k not in _ENTITIES})


_ENTITIES = frozenset({"places", "actors", "casualties", "dates"})  # as streams.agents._ENTITIES


def final_entries(partition: int, state: EventState, chunk: int = 10_000) -> Iterator[dict[bytes, bytes]]:
    """Every table entry of `state`, in chunks, through `changed_entries` (each event entry with
    the offset of the input that wrote it): what the table holds after every message's changed
    entries were written (checked by `_check_final_entries`)."""
    candidates = sorted(state.candidates)
    for start in range(0, len(candidates), chunk):
        yield changed_entries(partition, state, Step(put=set(candidates[start : start + chunk])))[0]
    by_offset: dict[int, list[str]] = {}
    for eid in state.events:
        by_offset.setdefault(state.written.get(eid, -1), []).append(eid)
    batch: dict[bytes, bytes] = {}
    for offset, eids in sorted(by_offset.items()):
        batch.update(changed_entries(partition, state, Step(written=set(eids)), offset)[0])
        if len(batch) >= chunk:
            yield batch
            batch = {}
    yield batch
    yield changed_entries(partition, state, Step(archived=set(state.archive), meta=True))[0]


def rss_bytes() -> int:
    """The process's resident memory (VmRSS), in bytes."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def _settled_rss() -> int:
    gc.collect()
    return rss_bytes()


def _summary(state: EventState) -> dict[str, Any]:
    """Counts and a digest of every total: equal for two states that count the same."""
    totals = sorted((t.key, digest(t)) for t in state.all_totals())
    live = [e for e in state.events.values() if e.reports]
    written = hashlib.sha256(orjson.dumps(sorted(state.written.items()))).hexdigest()[:16]
    return {
        "live_events": len(live), "events": len(state.events), "candidates": len(state.candidates),
        "written_digest": written,
        "two_report_events": sum(1 for e in live if len(e.reports) > 1), "archived_regions": len(state.archive),
        "totals_digest": hashlib.sha256(orjson.dumps(totals)).hexdigest()[:16],
    }  # fmt: skip


class _TooBig(Exception):
    pass


def _build(count: int, max_rss: int) -> tuple[EventState, dict[str, Any]]:
    state = EventState()
    articles = written = 0
    t_decode = t_step = t_entries = 0.0
    for offset, value in enumerate(article_messages(count)):
        t0 = time.perf_counter()
        article = decode(value)
        t1 = time.perf_counter()
        step = step_article(state, article)
        t2 = time.perf_counter()
        puts, deletes = changed_entries(PARTITION, state, step, offset)  # as the events agent's save_state
        state.mark_written(step, offset)
        t3 = time.perf_counter()
        written += sum(len(k) + len(v) for k, v in puts.items()) + sum(len(k) for k in deletes)
        t_decode, t_step, t_entries = t_decode + t1 - t0, t_step + t2 - t1, t_entries + t3 - t2
        articles += 1
        if articles % 10_000 == 0:
            rss = rss_bytes()
            if rss > max_rss:
                raise _TooBig(f"RSS {rss / 2**30:.1f} GiB > limit after {articles:,} articles")
            if articles % 100_000 == 0:
                print(f"  ... {articles:,} articles, {len(state.events):,} events, RSS {rss / 2**20:,.0f} MiB, "
                      f"{t_step / articles * 1e3:.3f} ms/article in step_article", file=sys.stderr,
                      flush=True)  # fmt: skip
    return state, {
        "articles": articles, "decode_s": t_decode, "step_s": t_step, "entries_s": t_entries,
        "changelog_written_bytes": written,
    }  # fmt: skip


def _open_store(path: Path) -> Any:
    """The store as Faust's rocksdb:// driver opens a table partition (rocksdict, raw bytes)."""
    from faust.stores.rocksdb import RocksDBOptions

    return RocksDBOptions(use_rocksdict=True).open(path)


def _dir_size(path: Path) -> tuple[int, int, int]:
    """Bytes of every file, of the SST files, and the number of SST files."""
    files = [p for p in path.rglob("*") if p.is_file()]
    ssts = [p for p in files if p.suffix == ".sst"]
    return sum(p.stat().st_size for p in files), sum(p.stat().st_size for p in ssts), len(ssts)


def _write_store(state: EventState, path: Path) -> dict[str, Any]:
    from rocksdict import WriteBatch

    db = _open_store(path)
    raw = entries = 0
    started = time.perf_counter()
    for chunk in final_entries(PARTITION, state):
        batch = WriteBatch(raw_mode=True)
        for key, value in chunk.items():
            batch.put(key, value)
            raw += len(key) + len(value)
        entries += len(chunk)
        db.write(batch)
    db.flush()
    wrote = time.perf_counter() - started
    db.compact_range(None, None)
    db.close()
    del db
    gc.collect()
    total, sst, files = _dir_size(path)
    return {
        "entries": entries, "changelog_bytes": raw, "store_bytes": total, "sst_bytes": sst, "sst_files": files,
        "store_write_s": wrote, "compact_s": time.perf_counter() - started - wrote,
    }  # fmt: skip


def _breakdown(state: EventState) -> dict[str, Any]:
    """Bytes of the objects reachable from the state, by the part of the state that reaches
    them first (candidates, then events, then the indexes) and by type; strings of 100
    characters or more (the sentences) counted apart."""
    seen: set[int] = set()
    fields_sets: set[int] = set()
    by_type: dict[str, tuple[int, int]] = {}
    by_part: dict[str, int] = {}
    skip = (type, type(sys), type(_breakdown))

    def walk(root: object) -> int:
        total = 0
        stack = [root]
        while stack:
            obj = stack.pop()
            if id(obj) in seen or isinstance(obj, skip) or obj is None or isinstance(obj, bool):
                continue
            seen.add(id(obj))
            size = sys.getsizeof(obj)
            name = type(obj).__name__
            if isinstance(obj, str) and len(obj) >= 100:
                name = "str (>= 100 chars: sentences)"
            elif id(obj) in fields_sets:
                name = "set (models' __pydantic_fields_set__)"
            elif isinstance(obj, BaseModel):
                name = f"{name} (model object)"
                fields_sets.add(id(obj.__pydantic_fields_set__))
            count, sized = by_type.get(name, (0, 0))
            by_type[name] = (count + 1, sized + size)
            total += size
            stack.extend(gc.get_referents(obj))
        return total

    by_part["candidates (Reported and what they hold)"] = walk(state.candidates)
    by_part["events (ConflictEvent and their reports)"] = walk(state.events)
    for name, value in vars(state).items():
        if name not in ("candidates", "events"):
            by_part.setdefault("indexes and the rest", 0)
            by_part["indexes and the rest"] += walk(value)
    return {
        "parts": by_part,
        "types": [[n, c, b] for n, (c, b) in sorted(by_type.items(), key=lambda item: -item[1][1])[:14]],
    }


def _one(count: int, store: Path, max_rss: int, breakdown: bool) -> dict[str, Any]:
    """Child process: build a state of `count` events, measure, write the store."""
    _open_store(store / "warmup").close()  # load RocksDB before the baseline, as a worker has it
    baseline = _settled_rss()
    started = time.perf_counter()
    try:
        state, timing = _build(count, max_rss)
    except _TooBig as exc:
        return {"events_wanted": count, "aborted": str(exc)}
    build_s = time.perf_counter() - started
    after = _settled_rss()
    out: dict[str, Any] = {
        "events_wanted": count, "path": "step_article", "rss_baseline": baseline, "rss_built": after,
        "build_s": build_s, **timing, **_summary(state),
    }  # fmt: skip
    out.update(_write_store(state, store / "events-state-0.db"))
    out["rss_after_store"] = rss_bytes()
    if breakdown:
        out["breakdown"] = _breakdown(state)
    return out


def _reload(store: Path) -> dict[str, Any]:
    """Child process: the state of partition 0 from the store, as a worker regaining it."""
    _open_store(store / "warmup").close()
    baseline = _settled_rss()
    db = _open_store(store / "events-state-0.db")
    started = time.perf_counter()
    raw = entries = 0
    for key, value in db.items():
        raw += len(key) + len(value)
        entries += 1
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    state = load_state(PARTITION, db.items())
    load_s = time.perf_counter() - started
    after = _settled_rss()
    cache = int(db.property_int_value("rocksdb.block-cache-usage") or 0)
    started = time.perf_counter()
    state.resend(max(state.written.values(), default=-1) + 1)  # the agent's next step: every total sent again
    resend_s = time.perf_counter() - started
    out = {
        "rss_baseline": baseline, "rss_reloaded": after, "block_cache_bytes": cache, "read_s": read_s,
        "reload_s": load_s, "resend_s": resend_s, "entries_read": entries, "bytes_read": raw, **_summary(state),
    }  # fmt: skip
    db.close()
    return out


def _flat(days: int, rate: int, every: int) -> dict[str, Any]:
    """Child process: a steady stream, the watermark moving every day; RSS and live events
    every `every` days."""
    baseline = _settled_rss()
    state = EventState()
    evicted = offset = 0
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for day in range(days):
        for value in _steady_messages(day, rate):
            step = step_article(state, decode(value))
            state.mark_written(step, offset)
            evicted += len(step.evicted)
            offset += 1
        if (day + 1) % every == 0 or day + 1 == days:
            live = sum(1 for e in state.events.values() if e.reports)
            rows.append({
                "day": day + 1, "watermark": str(state.watermark), "rss": _settled_rss(), "live_events": live,
                "events": len(state.events), "candidates": len(state.candidates), "evicted": evicted,
                "archived_regions": len(state.archive), "elapsed_s": time.perf_counter() - started,
            })  # fmt: skip
            print(f"  ... day {day + 1}: {live:,} live events, RSS {rows[-1]['rss'] / 2**20:,.0f} MiB",
                  file=sys.stderr, flush=True)  # fmt: skip
    return {"days": days, "rate": rate, "rss_baseline": baseline, "rows": rows}


def _child(args: list[str]) -> dict[str, Any]:
    """Run this script in a fresh process; its last stdout line is the JSON result."""
    proc = subprocess.run([sys.executable, "-m", "bench.memory", *args], stdout=subprocess.PIPE, text=True)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"child {args} exited {proc.returncode}: {proc.stdout[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def _mib(n: float) -> str:
    return f"{n / 2**20:,.1f}"


def _check_final_entries(count: int) -> int:
    """`final_entries` equals the table the per-message `changed_entries` leave (as the agent
    writes them): the store of the size runs is the worker's."""
    state = EventState()
    table: dict[bytes, bytes] = {}
    for offset, value in enumerate(article_messages(count, seed=17)):
        step = step_article(state, decode(value))
        puts, deletes = changed_entries(PARTITION, state, step, offset)
        state.mark_written(step, offset)
        for key in deletes:
            table.pop(key, None)
        table.update(puts)
    final = {k: v for chunk in final_entries(PARTITION, state, chunk=97) for k, v in chunk.items()}
    if final != table:
        raise AssertionError("final_entries differs from the per-message table")
    reloaded = load_state(PARTITION, table.items())
    if _summary(reloaded) != _summary(state):
        raise AssertionError("load_state does not give back the state")
    return len(table)


def _run(sizes: list[int], max_rss: int, flat_days: int, flat_rate: int) -> dict[str, Any]:
    checked = _check_final_entries(2_000)
    print(f"check: for 2,000 events the final-state entries equal the per-message changed_entries table "
          f"({checked:,} entries) and load_state gives back the same counts and totals\n", flush=True)  # fmt: skip
    results: list[dict[str, Any]] = []
    for n, wanted in enumerate(sizes):
        count, note = wanted, ""
        if results and "aborted" in results[-1]:
            results.append({"events_wanted": wanted, "aborted": "a smaller size did not fit"})
            continue
        if results:
            last = results[-1]
            per_event = _ram_per_event(last)
            predicted = last["rss_baseline"] + per_event * wanted
            if predicted * 1.1 > max_rss:
                fit = int((max_rss / 1.1 - last["rss_baseline"]) / per_event)
                fit -= fit % (100_000 if fit >= 200_000 else 10_000 if fit >= 20_000 else 1_000)
                note = (f"{wanted:,} events would need ~{predicted / 2**30:.1f} GiB of RSS ({per_event:,.0f} B/event "
                        f"at {last['live_events']:,} events), more than the {max_rss / 2**30:g} GiB limit with a 10% "
                        f"margin")  # fmt: skip
                if fit <= last["events_wanted"]:
                    results.append({"events_wanted": wanted, "aborted": note})
                    continue
                count, note = fit, f"{note}: ran {fit:,}, the largest round size that fits"
        print(f"size {count:,}: building in a fresh process ...", file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory(prefix="tollwatch-memory-") as tmp:
            one = ["--one", str(count), "--store", tmp, "--max-rss-gb", str(max_rss / 2**30)]
            built = _child(one + (["--breakdown"] if n == 0 else []))
            built["note"] = note
            if "aborted" not in built:
                print(f"size {count:,}: reloading in a fresh process ...", file=sys.stderr, flush=True)
                reloaded = _child(["--reload", tmp])
                for key in ("live_events", "events", "candidates", "totals_digest", "written_digest"):
                    if reloaded[key] != built[key]:
                        raise AssertionError(f"reloaded {key} {reloaded[key]} != built {built[key]}")
                built.update({f"reload_{k}": v for k, v in reloaded.items()})
        results.append(built)
        if note:
            results += [{"events_wanted": w, "aborted": "a smaller size did not fit"} for w in sizes[n + 1 :]]
            break
    print(f"eviction run: {flat_days} days at {flat_rate} events a day, in a fresh process ...", file=sys.stderr)
    flat = _child(["--flat", f"{flat_days},{flat_rate}"])
    return {"sizes": results, "flat": flat, "final_entries_checked": checked}


def _ram_per_event(r: dict[str, Any]) -> float:
    """RSS per live event: the larger of the built and the reloaded state's (without RocksDB's
    block cache, which is bounded per store, not per event)."""
    built = r["rss_built"] - r["rss_baseline"]
    reloaded = r["reload_rss_reloaded"] - r["reload_rss_baseline"] - r["reload_block_cache_bytes"]
    return float(max(built, reloaded) / r["live_events"])


def _report(out: dict[str, Any]) -> None:
    rows = [r for r in out["sizes"] if "aborted" not in r]
    print("Memory of one events partition (RSS from /proc/self/status; a fresh process per size and per reload)")
    print(f"{'events':>10} {'articles':>10} {'path':>12} {'base MiB':>9} {'built MiB':>10} {'Δ MiB':>9} "
          f"{'B/event':>8} | {'reloaded MiB':>12} {'Δ MiB':>9} {'block cache MiB':>15} {'B/event':>8}")  # fmt: skip
    print(f"{'':>63} | {'(B/event: Δ without the block cache)':>48}")
    for r in rows:
        built, reloaded = r["rss_built"] - r["rss_baseline"], r["reload_rss_reloaded"] - r["reload_rss_baseline"]
        cache = r["reload_block_cache_bytes"]
        print(f"{r['live_events']:>10,} {r['articles']:>10,} {r['path']:>12} {_mib(r['rss_baseline']):>9} "
              f"{_mib(r['rss_built']):>10} {_mib(built):>9} {built / r['live_events']:>8,.0f} | "
              f"{_mib(r['reload_rss_reloaded']):>12} {_mib(reloaded):>9} {_mib(cache):>15} "
              f"{(reloaded - cache) / r['live_events']:>8,.0f}")  # fmt: skip
    print("two-report events (a second outlet joined them): " + ", ".join(f"{r['two_report_events']:,}" for r in rows))
    print()
    print("Table entries and RocksDB store (Faust's RocksDBOptions, rocksdict; written, flushed, compacted, closed)")
    print(f"{'events':>10} {'entries':>10} {'changelog MiB':>13} {'B/event':>8} {'store MiB':>10} {'B/event':>8} "
          f"{'SSTs':>5} {'written in build MiB':>20}")  # fmt: skip
    for r in rows:
        n = r["live_events"]
        print(f"{n:>10,} {r['entries']:>10,} {_mib(r['changelog_bytes']):>13} {r['changelog_bytes'] / n:>8,.0f} "
              f"{_mib(r['store_bytes']):>10} {r['store_bytes'] / n:>8,.0f} {r['sst_files']:>5} "
              f"{_mib(r['changelog_written_bytes']):>20}")  # fmt: skip
    print()
    print("Time (one core)")
    print(f"{'events':>10} {'build s':>9} {'ms/article':>10} {'of which: decode':>16} {'step_article':>12} "
          f"{'changed_entries':>15} | {'reload s':>9} {'µs/entry':>8} {'store scan s':>12} {'resend s':>8} "
          f"{'store write s':>13}")  # fmt: skip
    for r in rows:
        a = r["articles"]
        print(f"{r['live_events']:>10,} {r['build_s']:>9.1f} {r['build_s'] / a * 1e3:>10.3f} "
              f"{r['decode_s'] / a * 1e3:>16.3f} {r['step_s'] / a * 1e3:>12.3f} {r['entries_s'] / a * 1e3:>15.3f} | "
              f"{r['reload_reload_s']:>9.1f} {r['reload_reload_s'] / r['entries'] * 1e6:>8.1f} "
              f"{r['reload_read_s']:>12.2f} {r['reload_resend_s']:>8.2f} "
              f"{r['store_write_s'] + r['compact_s']:>13.1f}")  # fmt: skip
    for r in out["sizes"]:
        if "aborted" in r:
            print(f"{r['events_wanted']:>10,} events: not run: {r['aborted']}")
        elif r.get("note"):
            print(f"{r['live_events']:>10,} events: {r['note']}")
    if rows:
        big = rows[-1]
        n = big["live_events"]
        ram = _ram_per_event(big)
        disk, log = big["store_bytes"] / n, big["changelog_bytes"] / n
        print()
        print(f"Eviction bound: the state keeps the events whose dates reach into the {events_module.HORIZON_DAYS} "
              f"days before the watermark, so a steady R events/day holds at most about R x "
              f"{events_module.HORIZON_DAYS} live events (retracted ids, if any, linger {events_module.RETRACTED_DAYS} "
              f"days more without reports). At the {n:,}-event figures ({ram:,.0f} B/event of RSS, the larger of "
              f"built and reloaded; {disk:,.0f} B/event on disk; {log:,.0f} B/event in the changelog):")  # fmt: skip
        print(f"{'events/day':>10} {'events held':>12} {'RSS GiB':>8} {'store GiB':>9} {'changelog GiB':>13}")
        for rate in (100, 1_000, 10_000):
            held = rate * events_module.HORIZON_DAYS
            print(f"{rate:>10,} {held:>12,} {held * ram / 2**30:>8.2f} {held * disk / 2**30:>9.2f} "
                  f"{held * log / 2**30:>13.2f}")  # fmt: skip
    flat = out["flat"]
    print()
    print(f"Eviction keeps it flat: {flat['days']} days at {flat['rate']} events a day (1 in "
          f"{SECOND_OUTLET_EVERY} reported twice), published the day they happen, the watermark moving "
          f"every day, from {FLAT_START}; baseline RSS {_mib(flat['rss_baseline'])} MiB")  # fmt: skip
    print(f"{'day':>5} {'watermark':>10} {'live events':>11} {'candidates':>10} {'evicted':>8} {'RSS MiB':>9} "
          f"{'elapsed s':>9}")  # fmt: skip
    for row in flat["rows"]:
        print(f"{row['day']:>5} {row['watermark']:>10} {row['live_events']:>11,} {row['candidates']:>10,} "
              f"{row['evicted']:>8,} {_mib(row['rss']):>9} {row['elapsed_s']:>9.1f}")  # fmt: skip
    for r in rows:
        if "breakdown" in r:
            n = r["live_events"]
            print()
            print(f"What the memory of {n:,} events is made of (sys.getsizeof of the objects reachable from the "
                  f"state; RSS adds allocator overhead):")  # fmt: skip
            for part, size in r["breakdown"]["parts"].items():
                print(f"  {part:<45} {_mib(size):>9} MiB {size / n:>7,.0f} B/event")
            print(f"  {'type':<45} {'objects':>9} {'B/event':>11}")
            for name, count, size in r["breakdown"]["types"]:
                print(f"  {name:<45} {count:>9,} {size / n:>11,.0f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="live events per run (comma-separated)")
    parser.add_argument("--json", type=Path, help="also write the results there")
    parser.add_argument("--max-rss-gb", type=float, default=12.0, help="stop a size whose RSS would pass this")
    parser.add_argument("--flat-days", type=int, default=800)
    parser.add_argument("--flat-rate", type=int, default=100, help="events a day in the eviction run")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--breakdown", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--reload", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--flat", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    max_rss = int(args.max_rss_gb * 2**30)
    if args.one is not None:
        print(json.dumps(_one(args.one, args.store, max_rss, args.breakdown)))
        return 0
    if args.reload is not None:
        print(json.dumps(_reload(args.reload)))
        return 0
    if args.flat is not None:
        days, rate = (int(x) for x in args.flat.split(","))
        print(json.dumps(_flat(days, rate, every=100)))
        return 0
    command = shlex.join([Path(sys.executable).name, "-m", "bench.memory", *(sys.argv[1:] if argv is None else argv)])
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"command: PYTHONPATH=. {command}")
    print(f"settings: sizes {', '.join(f'{s:,}' for s in sizes)} live events in one partition; watermark {WATERMARK}; "
          f"horizon {events_module.HORIZON_DAYS} days; {len(_COUNTRIES)} countries, "
          f"{sum(len(a) for _, a in _COUNTRIES.values())} admin1 regions, {len(PLACES):,} places; one event in "
          f"{SECOND_OUTLET_EVERY} reported by a second outlet (articles = events x 1.1); RSS limit "
          f"{args.max_rss_gb:g} GiB; eviction run {args.flat_days} days x {args.flat_rate} events/day")  # fmt: skip
    print(f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} "
          f"GiB; python {sys.version.split()[0]}; baseline = after importing schemas, streams.events/state, faust's "
          f"rocksdb store and opening one store (the gazetteer a real worker loads for extraction is not "
          f"loaded)")  # fmt: skip
    print(flush=True)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    out = _run(sizes, max_rss, args.flat_days, args.flat_rate)
    out["wall_s"] = time.perf_counter() - started
    out["command"] = command
    _report(out)
    print(f"\nwhole run: {out['wall_s']:.0f} s; load average at the end {os.getloadavg()[0]:.2f} (at the start "
          f"{load:.2f}; above 1 another process shared the 2 cores and times are inflated)")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
