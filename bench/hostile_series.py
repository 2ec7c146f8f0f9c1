"""Metric cardinality under hostile input: run the real pipeline (embedded broker + worker)
on generated articles full of real and invented place names and random numbers, then count
the distinct series the worker exposes, per family, against `streams.metrics.series_bound()`.

    .venv/bin/python -m bench.hostile_series 10000            # the figure in docs/BENCHMARKS.md
    .venv/bin/python -m bench.hostile_series 500 --json
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from typing import Any

import orjson

from bench.generate import hostile_articles
from streams.demo import drive, running_pipeline, stop_on_sigterm
from streams.metrics import parse_samples, series_bound

__all__ = ["measure"]


def measure(count: int, seed: int = 7, bootstrap: str | None = None, timeout: float = 1800.0) -> dict[str, Any]:
    """Series per metric family after `count` hostile articles went through the pipeline."""
    articles = hostile_articles(count, seed)
    started = time.perf_counter()
    with running_pipeline(bootstrap) as run:
        result = asyncio.run(drive(run, articles, timeout))
    elapsed = time.perf_counter() - started
    samples = parse_samples(result.metrics)
    series: Counter[str] = Counter()  # one per label set; a histogram's buckets count as one
    for name, _ in samples:
        if not name.endswith(("_bucket", "_created", "_sum")):
            series[name.removesuffix("_count")] += 1
    bound = series_bound()
    tollwatch = {name: series[name] for name in bound}
    return {
        "articles": count,
        "seconds": round(elapsed, 1),
        "accounting": result.accounting,
        "regions_in_totals": len({(t.country, t.admin1) for t in result.totals}),
        "series": tollwatch,
        "bound": bound,
        "within_bound": all(tollwatch[name] <= bound[name] for name in bound),
        "tollwatch_series": sum(tollwatch.values()),
        "faust_series": sum(v for k, v in series.items() if k.startswith("tollwatch_faust_")),
        "all_series": sum(series.values()),
        "label_rejects": samples.get(("tollwatch_label_rejects_total", ()), 0.0),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("count", type=int, nargs="?", default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--broker", help="an external broker HOST:PORT instead of the embedded one")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    stop_on_sigterm()
    report = measure(args.count, args.seed, args.broker)
    if args.json:
        print(orjson.dumps(report).decode())
    else:
        print(f"{report['articles']} hostile articles in {report['seconds']} s; accounting {report['accounting']}")
        print(f"regions in totals: {report['regions_in_totals']}; label rejects: {report['label_rejects']:.0f}")
        for name, value in report["series"].items():
            print(f"  {name:42} {value:6} of at most {report['bound'][name]}")
        print(f"TollWatch series {report['tollwatch_series']}, Faust sensor series {report['faust_series']}, "
              f"all series {report['all_series']}; within bound: {report['within_bound']}")  # fmt: skip
    return 0 if report["within_bound"] else 1


if __name__ == "__main__":
    sys.exit(main())
