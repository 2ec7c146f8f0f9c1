"""The real pipeline (broker, worker process, topics) on the seeds and on bad input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from schemas import RegionalTotal
from streams.demo import run_demo
from streams.explain import parse_region, render, select, watermark_of
from streams.inputs import load_inputs
from streams.metrics import parse_samples
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.integration


def by_key(totals: list[RegionalTotal]) -> dict[str, tuple[int, int, int, int]]:
    return {t.key: (t.killed_low, t.killed_best, t.killed_high, t.events) for t in totals}


def test_demo_json_gives_the_seed_totals(bootstrap: str | None) -> None:
    cmd = [sys.executable, "-m", "streams.cli", "demo", "--json"] + (["--broker", bootstrap] if bootstrap else [])
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=240, env=os.environ.copy())
    assert done.returncode == 0, done.stderr[-3000:]
    assert "casualty gauges equal the totals topic, article counters equal the accounting" in done.stderr
    lines = [orjson.loads(line) for line in done.stdout.splitlines()]
    totals = {(x["country"], x["admin1"], x["window"]): x for x in lines if x["kind"] == "total"}
    for window in ("all", "365d"):
        assert totals[("ML", "Mopti", window)]["killed_low"] == 30
        assert totals[("ML", "Kidal", window)]["killed_low"] == 50
        for admin1 in ("Tombouctou", "Bamako"):
            assert (totals[("ML", admin1, window)]["killed_low"], totals[("ML", admin1, window)]["events"]) == (0, 1)
        assert totals[("ML", None, window)]["killed_low"] == 80
    assert totals[("ML", "Mopti", "30d")]["killed_low"] == 30
    assert (totals[("ML", "Tombouctou", "30d")]["killed_low"], totals[("ML", "Tombouctou", "30d")]["events"]) == (0, 1)
    assert totals[("ML", "Kidal", "30d")]["events"] == 0 and totals[("ML", "Bamako", "30d")]["events"] == 0
    assert all(x["killed_high"] == 0 for key, x in totals.items() if key[0] in ("BF", "NE"))
    assert set(lines[0]) == {"kind", "country", "admin1", "window", "killed_low", "killed_best", "killed_high",
                             "wounded", "kidnapped", "events", "window_start", "window_end", "as_of"}  # fmt: skip
    assert lines[-1] == {"kind": "accounting", "received": 2, "cleaned": 2, "duplicate": 0, "skipped": 0,
                         "deadlettered": 0}  # fmt: skip


def test_seeds_twice_and_reversed_give_the_same_totals(bootstrap: str | None) -> None:
    files = sorted(SEEDS.glob("*.json"))
    twice = run_demo(load_inputs([SEEDS, SEEDS]), bootstrap=bootstrap)
    reversed_ = run_demo(load_inputs(files[::-1]), bootstrap=bootstrap)
    assert by_key(twice.totals) == by_key(reversed_.totals)
    assert by_key(twice.totals)["ML/Mopti/all"] == (30, 30, 30, 1)
    assert twice.accounting == {"received": 4, "cleaned": 2, "duplicate": 2, "skipped": 0, "deadlettered": 0}
    # explain, from the events topic of the real run: Boulikessi with both sentences that report it
    region = parse_region("ML/Mopti")
    (event,) = select(twice.events, region, "all", watermark_of(twice.totals))
    text = render([event], region, "all", watermark_of(twice.totals))
    assert "over 30 soldier deaths" in text and "more than 30 soldiers perished" in text


@pytest.mark.parametrize("processes", [0, 2], ids=["inline", "extract-pool"])
def test_many_outlets_one_attack_through_the_real_pipeline(bootstrap: str | None, processes: int) -> None:
    """The same totals whether the worker extracts itself or in a pool of two processes."""
    stream = ROOT / "tests" / "data" / "bankass_stream.jsonl"
    extra = {"TOLLWATCH_EXTRACT_PROCESSES": str(processes), "TOLLWATCH_EXTRACT_BATCH": "4"}
    result = run_demo(load_inputs([stream]), bootstrap=bootstrap, extra=extra)
    assert result.metrics_disagreements == []
    totals = by_key(result.totals)
    assert totals["ML/Mopti/all"] == (48, 48, 107, 2)  # Bankass 41 (claim 100) + Koro 7, each once
    assert totals["BF/Nord/all"] == (5, 5, 5, 1)
    assert result.accounting == {"received": 10, "cleaned": 9, "duplicate": 0, "skipped": 1, "deadlettered": 0}
    (bankass,) = [e for e in result.events if e.reports and e.place == "Bankass"]
    assert (bankass.killed_low, bankass.killed_best, bankass.killed_high, len(bankass.reports)) == (41, 41, 100, 6)


def test_bad_lines_are_dead_lettered_and_accounted(tmp_path: Path, bootstrap: str | None) -> None:
    good = {"id": "good-1", "published_at": "2025-06-02T12:00:00Z",
            "body": "Gunmen killed 7 civilians in Djibo, Burkina Faso, on Sunday."}  # fmt: skip
    feed = tmp_path / "mixed.jsonl"
    feed.write_bytes(b"{this is not json\n" + orjson.dumps({"published_at": "2025-06-02T12:00:00Z"}) + b"\n"
                     + orjson.dumps(good) + b"\n")  # fmt: skip
    result = run_demo(load_inputs([feed]), bootstrap=bootstrap)
    assert result.accounting == {"received": 3, "cleaned": 1, "duplicate": 0, "skipped": 0, "deadlettered": 2}
    reasons = sorted((d.stage, d.reason) for d in result.deadletters)
    assert reasons == [("clean", "invalid_json"), ("clean", "schema")]
    assert any("body" in d.detail for d in result.deadletters if d.reason == "schema")
    assert by_key(result.totals)["BF/Sahel/all"] == (7, 7, 7, 1)
    # the worker's metrics say the same as the topics (acceptance 1 of issue 5)
    assert result.metrics_disagreements == []
    samples = parse_samples(result.metrics)
    sahel = labels(admin1="Sahel", country="BF", kind="killed_best", window="all")
    assert samples[("tollwatch_casualties", sahel)] == 7
    assert samples[("tollwatch_deadletters_total", labels(reason="invalid_json", stage="clean"))] == 1
    assert samples[("tollwatch_deadletters_total", labels(reason="schema", stage="clean"))] == 1
    assert samples[("tollwatch_articles_total", labels(outcome="received", stage="clean"))] == 3
    assert samples[("tollwatch_label_rejects_total", ())] == 0
    # Faust's own sensor, on the same endpoint: offsets per topic partition give the lag
    committed = {k: v for k, v in samples.items() if k[0] == "tollwatch_faust_topic_partition_offset_commited"}
    assert any(dict(k[1])["topic"].startswith("articles.raw") for k in committed)


def labels(**names: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(names.items()))


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def test_sigterm_to_the_demo_stops_its_broker_and_worker(tmp_path: Path) -> None:
    """A demo stopped mid-run (Ctrl-C or SIGTERM) leaves nothing running behind it."""
    from bench.generate import chaos_articles

    inputs = tmp_path / "many.jsonl"
    inputs.write_bytes(b"\n".join(value for _, value in chaos_articles(3000, seed=9)))
    log = tmp_path / "demo.log"
    with log.open("wb") as out, subprocess.Popen([sys.executable, "-m", "streams.cli", "demo", "--input", str(inputs)],
                                                 cwd=ROOT, stdout=subprocess.DEVNULL, stderr=out) as demo:  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while "sent 3000 input(s)" not in log.read_text(errors="replace") and time.monotonic() < deadline:
                time.sleep(0.2)
            children = _children(demo.pid)
            assert len(children) == 2, log.read_text(errors="replace")  # the embedded broker and the worker
            demo.send_signal(signal.SIGTERM)
            assert demo.wait(60) == 128 + signal.SIGTERM
            assert not [child for child in children if Path(f"/proc/{child}").exists()]
        finally:
            if demo.poll() is None:
                demo.kill()
