"""`tollwatch eval`: run extract + events on labelled notes and score them.

Input: JSONL records with `id`, `text`, `event_date` (and, for scoring, `fatalities`,
`country`, `admin1`, `text_group`, `text_group_size`, `text_group_fatalities`). Each
text is processed as an article published on `event_date` at 12:00 UTC. Records sharing
a text group are scored once against the group's fatalities (eval/README.md).
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from schemas import CleanArticle, ConflictEvent, RawArticle, RawRef
from streams.clean import clean
from streams.errors import StageError
from streams.events import EventState, merge_article
from streams.extract import NO_COUNTRY, extract
from streams.extract.gazetteer import data_lines, load_gazetteer
from streams.extract.text import fold_key

__all__ = ["Prediction", "predict", "score", "read_records", "Scores"]

_COUNTRY_CODES = {"mali": "ML", "burkina faso": "BF", "niger": "NE", "chad": "TD", "mauritania": "MR",
                  "senegal": "SN", "guinea": "GN", "ivory coast": "CI", "cote d ivoire": "CI", "ghana": "GH",
                  "togo": "TG", "benin": "BJ", "nigeria": "NG"}  # fmt: skip
#: ACLED spellings of admin1 units (eval/README.md) -> the gazetteer's names.
_ACLED_ADMIN1 = {"timbuktu": "tombouctou", "tillabery": "tillaberi", "menaka": "menaka", "taoudeni": "taoudenit",
                 "ville de ndjamena": "n djamena", "barh el ghazel": "barh el gazel"}  # fmt: skip
_NOISE = re.compile(r"\b(region|region de|province|wilaya|district|department|prefecture)\b")


@dataclass(frozen=True)
class Prediction:
    id: str
    fatalities: int
    country: str | None
    admin1: str | None
    event_date: str | None


def predict(record_id: str, text: str, event_date: str) -> Prediction:
    """What the pipeline would add to totals for one note published on `event_date`."""
    raw = RawArticle(id=record_id, body=text or " ", published_at=f"{event_date}T12:00:00Z")
    try:
        article = clean(raw, RawRef(partition=0, offset=0), 0.0, 0.0)
    except StageError:
        return Prediction(record_id, 0, None, None, None)
    if not isinstance(article, CleanArticle):
        return Prediction(record_id, 0, None, None, None)
    copies = extract(article, 0.0)
    events: list[ConflictEvent] = []
    for copy in copies:  # each copy goes to its own events partition, as in the pipeline
        state, _ = merge_article(EventState(), copy)
        events.extend(e for e in state.events.values() if e.reports)
    killed = sum(e.killed_best for e in events)
    main = max(events, key=lambda e: (e.country != NO_COUNTRY, e.killed_best, e.admin1 is not None), default=None)
    if main is not None and main.country != NO_COUNTRY:
        return Prediction(record_id, killed, main.country, main.admin1, main.day.isoformat())
    # No event could be placed: the note's first place, if any, stands for it.
    places = copies[0].places
    admin1 = next((p.admin1 for p in places if p.admin1), None)
    day = main.day.isoformat() if main else None
    route = copies[0].route if copies[0].route != NO_COUNTRY else None  # actors' countries, when no place
    return Prediction(record_id, killed, places[0].country if places else route, admin1, day)


def _admin1_key(name: str) -> str:
    key = " ".join(_NOISE.sub(" ", fold_key(name)).split())
    key = _ACLED_ADMIN1.get(key, key)
    return "nouakchott" if key.startswith("nouakchott") else key


def _admin1_aliases() -> dict[str, set[str]]:
    """Gazetteer admin1 name -> every folded name and alternate name of the unit."""
    out: dict[str, set[str]] = {}
    for line in data_lines("admin_regions.tsv.xz"):
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 8 or cols[1] != "1":
            continue
        names = {cols[3], cols[4], *(a for a in cols[7].split(",") if a)}
        out.setdefault(cols[3], set()).update(_admin1_key(n) for n in names)
    return out


@dataclass
class Scores:
    texts: int = 0
    exact: int = 0
    with_deaths: int = 0
    exact_with_deaths: int = 0
    within_one: int = 0
    abs_error: int = 0
    records: int = 0
    country_ok: int = 0
    admin1_ok: int = 0
    seconds: float = 0.0
    load_seconds: float = 0.0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        t, r = max(self.texts, 1), max(self.records, 1)
        return {
            "texts": self.texts, "records": self.records,
            "fatality_exact": round(self.exact / t, 4),
            "fatality_exact_with_deaths": round(self.exact_with_deaths / max(self.with_deaths, 1), 4),
            "fatality_within_1": round(self.within_one / t, 4),
            "fatality_mae": round(self.abs_error / t, 3),
            "country_accuracy": round(self.country_ok / r, 4),
            "admin1_accuracy": round(self.admin1_ok / r, 4),
            "records_per_second": round(self.records / max(self.seconds, 1e-9), 1),
            "gazetteer_load_seconds": round(self.load_seconds, 2),
        }  # fmt: skip


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a JSONL file; a bad line is an error naming its line number."""
    with path.open("rb") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{number}: invalid JSON ({exc})") from None


def score(records: Iterable[dict[str, Any]], out: Any = None, progress: bool = False) -> Scores:
    """Predict every record, write predictions to `out` (a binary file) and score them."""
    aliases = _admin1_aliases()
    scores = Scores()
    seen_groups: set[str] = set()
    loading = time.perf_counter()
    load_gazetteer()  # once per process: timed apart from the notes
    scores.load_seconds = time.perf_counter() - loading
    started = time.perf_counter()
    for rec in records:
        pred = predict(str(rec["id"]), str(rec.get("text") or ""), str(rec["event_date"]))
        if out is not None:
            out.write(orjson.dumps(pred.__dict__) + b"\n")
        scores.records += 1
        gold_cc = _COUNTRY_CODES.get(fold_key(str(rec.get("country", ""))))
        scores.country_ok += pred.country == gold_cc
        gold_a1 = _admin1_key(str(rec.get("admin1") or ""))
        scores.admin1_ok += bool(pred.admin1) and gold_a1 in aliases.get(
            pred.admin1 or "", {_admin1_key(pred.admin1 or "")}
        )
        group = str(rec.get("text_group") or rec["id"])
        if group in seen_groups:
            continue
        seen_groups.add(group)
        gold = int(rec.get("text_group_fatalities", rec.get("fatalities", 0)) or 0)
        scores.texts += 1
        scores.exact += pred.fatalities == gold
        scores.within_one += abs(pred.fatalities - gold) <= 1
        scores.abs_error += abs(pred.fatalities - gold)
        if gold > 0:
            scores.with_deaths += 1
            scores.exact_with_deaths += pred.fatalities == gold
        if pred.fatalities != gold:
            scores.errors.append({"id": rec["id"], "gold": gold, "predicted": pred.fatalities})
        if progress and scores.records % 500 == 0:
            print(f"  {scores.records} records", file=sys.stderr)
    scores.seconds = time.perf_counter() - started
    return scores
