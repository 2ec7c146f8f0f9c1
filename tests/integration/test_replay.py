"""Replays change no total (DESIGN.md §6, invariant 2): `articles.raw` sent again from
offset 0 into the running pipeline."""

from __future__ import annotations

import asyncio

import pytest

from bench.generate import chaos_articles
from streams.demo import drive, latest_totals, running_pipeline, wait_accounted
from streams.kafka_io import produce, read_topic

pytestmark = pytest.mark.integration


def test_replaying_the_raw_topic_changes_no_total(bootstrap: str | None) -> None:
    articles = chaos_articles(600, seed=21)
    with running_pipeline(bootstrap) as run:
        first = asyncio.run(drive(run, articles, 300))
        settings, broker = run.settings, run.bootstrap
        totals_records = len(asyncio.run(read_topic(broker, settings.topic_totals)))
        raw = asyncio.run(read_topic(broker, settings.topic_raw))
        assert len(raw) == 600

        # a producer sends the whole topic again, from offset 0, into the running system
        asyncio.run(produce(broker, settings.topic_raw, [(key, value) for key, value, _, _ in raw]))
        again = asyncio.run(wait_accounted(broker, settings, 1200, 300, run.worker))
        assert again["duplicate"] == first.accounting["duplicate"] + 600  # every input is known
        assert asyncio.run(latest_totals(broker, settings)) == first.totals
        assert len(asyncio.run(read_topic(broker, settings.topic_totals))) == totals_records  # not one re-sent
