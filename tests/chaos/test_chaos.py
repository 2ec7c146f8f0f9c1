"""Crash safety and scale-out (DESIGN.md §6, invariants 1, 3 and 4) on the real broker.

Runnable alone: `.venv/bin/pytest tests/chaos` (or `.venv/bin/python -m bench.chaos` for a
report). The CI form streams TOLLWATCH_CHAOS_ARTICLES generated articles (default 2,000)
with 5 SIGKILLs of the worker and a second worker killed; see bench/chaos.py.
"""

from __future__ import annotations

import os

import pytest

from bench.chaos import chunked, compare, reference_run, run_chaos
from bench.generate import chaos_articles

pytestmark = [pytest.mark.integration, pytest.mark.chaos]

COUNT = int(os.environ.get("TOLLWATCH_CHAOS_ARTICLES", "2000"))


@pytest.mark.timeout(1500)
def test_killed_workers_give_the_totals_of_an_uninterrupted_run(bootstrap: str | None) -> None:
    articles = chaos_articles(COUNT, seed=11)
    chaos = run_chaos(articles, kills=5, seed=3, store="rocksdb://", bootstrap=bootstrap)
    reference = reference_run(sum(chunked(articles, 5), []), bootstrap)  # same articles, same order
    assert chaos.kills == 5 and chaos.second_worker_killed, chaos.log
    assert compare(chaos.totals, reference.totals) == []
    assert len(reference.totals) > 100  # the stream reaches many regions: the comparison means something
    assert sum(t.killed_best for t in reference.totals if t.admin1 is None and t.window == "all") > 10_000
    counts = chaos.accounting
    assert counts["cleaned"] + counts["duplicate"] + counts["skipped"] + counts["deadlettered"] == counts["received"]
    assert counts == reference.accounting
    assert counts["received"] == COUNT and counts["duplicate"] > 0
