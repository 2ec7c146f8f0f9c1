"""The same input gives the same totals, run after run: three years of invented news, in
publication order, pushed into four partitions that the worker reads at its own pace, with
background reports of old attacks (some more than 395 days before their article, many
about that boundary), through `tollwatch demo --json` three times. And `tollwatch explain
CC --input` (offline) lists every event the all-time totals count, archived ones included."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from schemas.articles import derive_article_id
from streams.events import HORIZON_DAYS
from streams.explain import source_partition
from tests.conftest import ROOT

pytestmark = pytest.mark.integration

TOWNS = [("Bankass", "Mali"), ("Djenne", "Mali"), ("Niono", "Mali"), ("Tessit", "Mali"), ("Djibo", "Burkina Faso"),
         ("Dori", "Burkina Faso"), ("Titao", "Burkina Faso"), ("Arbinda", "Burkina Faso")]  # fmt: skip
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _on(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def invented_news(seed: int = 31, count: int = 150) -> list[dict[str, str]]:
    """Articles over three years, sorted by published_at: an attack each (the day before,
    by weekday), sometimes a second outlet or a revised toll the next day, and often an
    older attack recalled: a month ("In March 2022, ..."), or a day about `HORIZON_DAYS`
    before the article, either side of it."""
    rng = random.Random(seed)
    start = datetime(2021, 2, 1, 8, tzinfo=UTC)
    out = []
    for number, offset in enumerate(sorted(rng.randint(0, 3 * 365) for _ in range(count))):
        when = start + timedelta(days=offset, hours=rng.randint(0, 9))
        town, country = rng.choice(TOWNS)
        killed = rng.randint(2, 40)
        attack = when.date() - timedelta(days=1)
        body = [f"Gunmen killed {killed} civilians in {town}, {country}, on {WEEKDAYS[attack.weekday()]}, "
                "local officials said."]  # fmt: skip
        roll = rng.random()
        older, recalled = rng.choice([t for t, c in TOWNS if c == country]), rng.randint(3, 25)
        if roll < 0.3:
            month = (when.date().replace(day=1) - timedelta(days=rng.randint(40, 520))).replace(day=1)
            body.append(f"In {MONTHS[month.month - 1]} {month.year}, an attack on {older} killed {recalled} people.")
        elif roll < 0.65:
            then = when.date() - timedelta(days=rng.randint(HORIZON_DAYS - 10, HORIZON_DAYS + 6))
            body.append(f"The town of {older} was also attacked on {_on(then)}, when {recalled} people were killed.")
        article = {"url": f"https://news.example/{number}", "source": rng.choice(["Sahel Wire", "Bamako Daily"]),
                   "published_at": when.isoformat(), "body": " ".join(body)}  # fmt: skip
        out.append(article)
        if rng.random() < 0.25:  # another outlet, later the same day
            again = {**article, "url": f"https://other.example/{number}", "source": "Radio Niger Bend",
                     "published_at": (when + timedelta(hours=3)).isoformat()}  # fmt: skip
            out.append(again)
        if rng.random() < 0.15:  # the toll revised the next day
            body = (f"The death toll of the attack on {town}, {country}, on {WEEKDAYS[attack.weekday()]} has risen "
                    f"to {killed + rng.randint(1, 9)}, officials said.")  # fmt: skip
            out.append({"url": f"https://news.example/{number}-update", "source": "Sahel Wire",
                        "published_at": (when + timedelta(days=1)).isoformat(), "body": body})  # fmt: skip
    return sorted(out, key=lambda a: (a["published_at"], a["url"]))


def _tollwatch(*args: str, timeout: float = 300) -> str:
    done = subprocess.run([sys.executable, "-m", "streams.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=os.environ.copy())  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.timeout(900)
def test_three_demo_runs_give_the_same_total_lines_and_explain_adds_up_to_them(tmp_path: Path) -> None:
    news = invented_news()
    assert len({source_partition(derive_article_id(a["url"], a["body"]).encode(), 4) for a in news}) == 4
    feed = tmp_path / "news.jsonl"
    feed.write_text("".join(orjson.dumps(a).decode() + "\n" for a in news), encoding="utf-8")
    outputs, explained = [], []
    for run in range(3):  # the first run also explains Mali from the events topic (--broker's path)
        explain = ["--explain", "ML"] if run == 0 else []
        lines = _tollwatch("demo", "--input", str(feed), "--json", *explain).splitlines()
        outputs.append([line for line in lines if line.startswith('{"kind":"total"')])
        explained += [line for line in lines if line.startswith("ML · window all")]
    assert outputs[0] and outputs[1] == outputs[0] and outputs[2] == outputs[0]
    totals = [orjson.loads(line) for line in outputs[0]]
    all_time = {t["country"]: t["killed_best"] for t in totals if t["window"] == "all" and t["admin1"] is None}
    assert set(all_time) == {"ML", "BF"}
    (header,) = explained  # the latest revision of every event on the topic, archived ones included, adds up
    assert header.endswith(f"killed (best) {all_time['ML']}"), header
    archived = 0
    for country, total in all_time.items():
        body = orjson.loads(_tollwatch("explain", country, "--input", str(feed), "--json"))
        assert sum(e["killed_best"] for e in body["events"]) == total, country
        archived += sum(1 for e in body["events"] if e["archived"])
        told = [e["reports"] + e["mentions"] for e in body["events"]]  # an attack only recalled has mentions only
        assert all(t and t[0]["url"] for t in told)
    assert archived > 10  # old events left the state; explain still lists them
