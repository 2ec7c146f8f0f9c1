"""The events stage alone: cost per article as a partition's state grows.

Cleans and extracts a generated stream first (not timed), then folds the copies into one
`EventState` per events partition (country route -> partition as the worker's default of
4 partitions would spread them, by CRC32) with `step_article`, the stage's own function,
and prints the time per article for each tenth of the stream with the state's size then.

    python -m bench.events_speed --count 20000          # chaos generator: 20,000 articles in 150 days
    python -m bench.events_speed --hostile 10000        # the hostile messages of bench/fuzz.py
    python -m bench.events_speed --longform 5000        # bench/longform.py articles (the e2e input)

The chaos generator packs its attacks into 150 days (130 articles a day at 20,000): dense
chains of overlapping dates in one region. Long articles carry month-wide background
candidates, which link a region's whole history (what the events stage's replay bounds).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import zlib
from collections import defaultdict

import orjson

from schemas import ExtractedArticle, RawRef
from streams.clean import Skipped, clean, decode_raw
from streams.demo import stop_on_sigterm
from streams.errors import StageError
from streams.events import EventState, step_article
from streams.extract import extract

__all__ = ["copies_of", "main"]


def copies_of(messages: list[bytes]) -> list[ExtractedArticle]:
    """Extracted copies of raw message values (those that fail or are skipped left out)."""
    now = time.time()
    out: list[ExtractedArticle] = []
    for offset, value in enumerate(messages):
        try:
            article = clean(decode_raw(value), RawRef(partition=0, offset=offset), now, now)
        except (StageError, ValueError):
            continue
        if not isinstance(article, Skipped):
            out += extract(article, now)
    return out


def main(argv: list[str] | None = None) -> int:
    stop_on_sigterm()
    parser = argparse.ArgumentParser(prog="python -m bench.events_speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20000, help="chaos-generator articles (default 20,000)")
    parser.add_argument("--hostile", type=int, default=0, help="use this many bench.fuzz hostile messages instead")
    parser.add_argument("--longform", type=int, default=0, help="use this many bench.longform articles instead")
    parser.add_argument("--partitions", type=int, default=4)
    args = parser.parse_args(argv)
    if args.longform:
        from bench.longform import articles

        values = [orjson.dumps(a) for a in articles(args.longform, 1)]
        source = f"bench.longform.articles({args.longform}, 1)"
    elif args.hostile:
        from bench.fuzz import hostile_messages

        values = [value for _, _, value in hostile_messages(args.hostile, 2026, huge=0)]
        source = f"bench.fuzz.hostile_messages({args.hostile}, 2026, huge=0)"
    else:
        from bench.generate import chaos_articles

        values = [value for _, value in chaos_articles(args.count, seed=5)]
        source = f"bench.generate.chaos_articles({args.count}, seed=5)"
    copies = copies_of(values)
    print(f"input: {source} -> {len(copies)} extracted copies; {args.partitions} partitions; "
          f"cpu: {os.cpu_count()} cores; python {sys.version.split()[0]}")  # fmt: skip
    states: dict[int, EventState] = defaultdict(EventState)
    chunk = max(1, len(copies) // 10)
    started = total = time.perf_counter()
    print(f"{'articles':>9}  {'ms/article':>10}  {'candidates':>10}  {'live events':>11}  {'evicted':>7}")
    evicted = in_chunk = 0
    for i, copy in enumerate(copies, 1):
        step = step_article(states[zlib.crc32(copy.route.encode()) % args.partitions], copy)
        evicted += len(step.evicted)
        in_chunk += 1
        if i % chunk == 0 or i == len(copies):
            took = time.perf_counter() - started
            size = sum(len(s.candidates) for s in states.values())
            live = sum(1 for s in states.values() for e in s.events.values() if e.reports)
            print(f"{i:>9}  {took / in_chunk * 1e3:>10.3f}  {size:>10}  {live:>11}  {evicted:>7}")
            started, in_chunk = time.perf_counter(), 0
    elapsed = time.perf_counter() - total
    print(f"all: {len(copies)} copies in {elapsed:.1f} s ({elapsed / max(1, len(copies)) * 1e3:.3f} ms/article)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
