"""Speed of the extract stage on one core: full-length articles (and, optionally, dev notes).

Generates `bench.longform.articles(count, seed)`, cleans them (not timed), then times
`streams.extract.extract(article, time.time())` over all of them: a warm-up pass, then
three timed passes. Prints the median and the slowest pass in articles per second, the
mean words per article, the per-article latency (p50, p99 over the timed passes), the
Python version, the CPU model and the command. The process is pinned to one CPU.

With `--dev PATH` (the labelled dev notes, read in place), the notes are turned into
articles exactly as `tollwatch eval` does (`streams.evaluate.predict` is run once, not
timed, and the articles it hands to `extract` are kept), and extraction is timed on them
the same way.

    PYTHONPATH=. .venv/bin/python -m bench.extract_speed --count 1000 --seed 3 --dev ../shared/eval/dev.jsonl
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import shlex
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from unittest import mock

import orjson

import streams.evaluate
from bench.longform import articles
from schemas import CleanArticle, ExtractedArticle, RawRef
from streams.clean import clean, decode_raw
from streams.evaluate import predict, read_records
from streams.extract import extract
from streams.extract.gazetteer import load_gazetteer
from streams.limits import DEFAULT_LIMITS, Limits

PASSES = 3


def pin_to_one_cpu() -> int | None:
    """Pin this process to the first CPU it may run on; that CPU, or None if unsupported."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def longform(count: int, seed: int) -> list[CleanArticle]:
    """The generated articles, cleaned as the clean stage does."""
    out: list[CleanArticle] = []
    for i, raw in enumerate(articles(count, seed=seed)):
        now = time.time()
        cleaned = clean(decode_raw(orjson.dumps(raw)), RawRef(partition=0, offset=i), now, now)
        if isinstance(cleaned, CleanArticle):
            out.append(cleaned)
    return out


def dev_articles(path: Path) -> list[CleanArticle]:
    """The dev notes as the articles `tollwatch eval` extracts: `predict` is run on every
    note and the articles it passes to `extract` are kept (so no conversion is repeated here)."""
    kept: list[CleanArticle] = []

    def keep(article: CleanArticle, now: float, limits: Limits = DEFAULT_LIMITS) -> list[ExtractedArticle]:
        kept.append(article)
        return extract(article, now, limits)

    with mock.patch.object(streams.evaluate, "extract", keep):
        for rec in read_records(path):
            predict(str(rec["id"]), str(rec.get("text") or ""), str(rec["event_date"]))
    return kept


def time_passes(items: Sequence[CleanArticle]) -> tuple[list[float], list[float]]:
    """A warm-up pass, then `PASSES` timed ones: (items per second of each timed pass,
    seconds of every extraction of the timed passes)."""
    for article in items:
        extract(article, time.time())
    rates: list[float] = []
    each: list[float] = []
    clock = time.perf_counter
    for _ in range(PASSES):
        gc.collect()
        started = clock()
        for article in items:
            t0 = clock()
            extract(article, time.time())
            each.append(clock() - t0)
        rates.append(len(items) / (clock() - started))
    return rates, each


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(label: str, unit: str, items: Sequence[CleanArticle]) -> None:
    words = statistics.mean(len(a.text.split()) for a in items) if items else 0.0
    rates, each = time_passes(items)
    print(f"{label}: {len(items)} {unit}, {words:.0f} words/{unit[:-1]} (mean)")
    print(f"  {unit}/s      median {statistics.median(rates):,.0f}   min {min(rates):,.0f}   (passes: "
          + ", ".join(f"{r:,.0f}" for r in rates) + ")")  # fmt: skip
    print(f"  ms/{unit[:-1]:<8} p50 {1000 * _percentile(each, 0.5):.3f}   p99 {1000 * _percentile(each, 0.99):.3f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.extract_speed", description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="generated articles (default 1000)")
    parser.add_argument("--seed", type=int, default=3, help="generator seed (default 3)")
    parser.add_argument("--dev", type=Path, help="dev notes (JSONL) to time as well")
    args = parser.parse_args(argv)
    cpu = pin_to_one_cpu()
    load_gazetteer()  # once per process, as in a worker: not part of the timing
    env = f"PYTHONPATH={shlex.quote(os.environ['PYTHONPATH'])} " if "PYTHONPATH" in os.environ else ""
    command = shlex.join([sys.executable, "-m", "bench.extract_speed", *sys.argv[1:]])
    print(f"command: {env}{command} (in {os.getcwd()})")
    print(f"python {platform.python_version()} ({platform.python_implementation()}), cpu: {cpu_model()}")
    print(f"pinned to cpu {cpu} (os.sched_setaffinity), single process" if cpu is not None else "not pinned")
    print(f"timing: {PASSES} passes after a warm-up pass; cleaning is not timed")
    report(f"longform articles (count={args.count}, seed={args.seed})", "articles", longform(args.count, args.seed))
    if args.dev is not None:
        report(f"dev notes ({args.dev})", "notes", dev_articles(args.dev))


if __name__ == "__main__":
    main()
