"""Hostile input cannot blow up metric cardinality: generated articles full of real and
invented place names and random numbers, through the real pipeline (bounded form of
`python -m bench.hostile_series 10000`, whose figures are in docs/BENCHMARKS.md)."""

from __future__ import annotations

import pytest

from bench.hostile_series import measure
from streams.metrics import known_regions

pytestmark = pytest.mark.integration


def test_hostile_articles_leave_every_metric_family_within_its_bound(bootstrap: str | None) -> None:
    report = measure(300, seed=11, bootstrap=bootstrap, timeout=240.0)
    accounting = report["accounting"]
    assert accounting["received"] == 300
    assert sum(v for k, v in accounting.items() if k != "received") == 300  # every input accounted for
    assert report["label_rejects"] == 0
    assert report["regions_in_totals"] > 20  # the input did reach many regions...
    assert report["regions_in_totals"] <= len(known_regions())
    for name, count in report["series"].items():  # ...yet no family outgrew its closed label set
        assert count <= report["bound"][name], (name, count, report["bound"][name])
    assert report["series"]["tollwatch_casualties"] == 5 * 4 * report["regions_in_totals"]
