"""Two years of news through a real worker: old events leave the state, no total changes."""

from __future__ import annotations

import asyncio
import time
import urllib.request

import pytest

from bench.generate import steady_attacks
from schemas import RawRef
from streams.clean import Skipped, clean, decode_raw
from streams.demo import drive, latest_totals, running_pipeline, wait_accounted
from streams.events import EventState, step_article, step_watermark
from streams.extract import extract
from streams.kafka_io import produce
from streams.metrics import parse_samples

pytestmark = pytest.mark.integration


def offline_totals(messages: list[tuple[bytes | None, bytes]]) -> dict[str, tuple[object, ...]]:
    """The totals the pure stages give, one state per country, all at the final watermark."""
    states: dict[str, EventState] = {}
    for offset, (_, value) in enumerate(messages):
        article = clean(decode_raw(value), RawRef(partition=0, offset=offset), time.time(), time.time())
        assert not isinstance(article, Skipped)
        for copy in extract(article, time.time()):
            step_article(states.setdefault(copy.route, EventState()), copy)
    last = max(s.watermark for s in states.values() if s.watermark)
    for state in states.values():
        step_watermark(state, last)
    return {t.key: (t.killed_low, t.killed_best, t.events, t.window_start) for s in states.values()
            for t in s.all_totals()}  # fmt: skip


@pytest.mark.timeout(240)
def test_old_events_are_evicted_and_the_totals_are_those_of_the_pure_stages(bootstrap: str | None) -> None:
    messages = steady_attacks(800, seed=12)
    with running_pipeline(bootstrap, extra={"TOLLWATCH_SEEN_SWEEP_INTERVAL": "3"}) as run:
        result = asyncio.run(drive(run, messages, timeout=180))
        time.sleep(3.5)  # clean-seen is swept as the clean agent takes a message, 3 s after the last sweep
        # the first weeks again: their ids were forgotten, so they are cleaned again (not
        # duplicates), and their candidates, 800 days old, are refused as too late
        asyncio.run(produce(run.bootstrap, run.settings.topic_raw, messages[:30], settings=run.settings))
        counts = asyncio.run(wait_accounted(run.bootstrap, run.settings, len(messages) + 30, 120, run.worker))
        again = asyncio.run(latest_totals(run.bootstrap, run.settings))
        with urllib.request.urlopen(run.metrics_url, timeout=5) as response:  # noqa: S310 - loopback
            samples = parse_samples(response.read().decode())
    got = {t.key: (t.killed_low, t.killed_best, t.events, t.window_start) for t in result.totals}
    assert got == offline_totals(messages)
    assert {t.key: (t.killed_low, t.killed_best, t.events, t.window_start) for t in again} == got
    assert result.accounting["cleaned"] == len(messages)
    assert (counts["cleaned"], counts["duplicate"]) == (len(messages) + 30, 0)
    assert samples[("tollwatch_evicted_events_total", ())] > 50
    assert samples[("tollwatch_late_candidates_total", ())] >= 30
