"""Crash safety and scale-out on the real broker: stream generated articles while killing
workers with SIGKILL, then compare the final totals with an uninterrupted run.

    .venv/bin/python -m bench.chaos                        # 2,000 articles, 5 kills + a second worker
    .venv/bin/python -m bench.chaos 5000 --kills 8 --store memory:// --json

One run, on one broker and one consumer group:
1. worker A starts; the articles are sent in chunks; after each of the first `kills`
   chunks, A is killed with SIGKILL at a random moment (0-3 s after the chunk was sent,
   so mid-batch) and restarted, alternately on its own data directory (as a restarted
   container keeps its volume) and on an empty one (a rescheduled container: every table
   is recovered from its changelog);
2. worker B joins the group, a chunk is sent, B is killed with SIGKILL mid-batch and not
   restarted: A takes its partitions over;
3. the last chunk is sent and A drains everything.
The reference is one worker, never interrupted, on the same articles in the same order.
Totals must be identical and every input accounted for (cleaned + duplicate + skipped +
dead-lettered = received).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from bench.generate import chaos_articles
from schemas import ConflictEvent, RegionalTotal
from streams.broker import EmbeddedBroker
from streams.demo import (
    drive,
    latest_totals,
    running_pipeline,
    settings_from,
    start_worker,
    stop_on_sigterm,
    stop_process,
    wait_accounted,
    worker_env,
)
from streams.explain import latest_events
from streams.kafka_io import create_topics, produce, read_topic

__all__ = ["ChaosResult", "Cluster", "chunked", "run_chaos", "reference_run", "compare", "main"]

Message = tuple[bytes | None, bytes]


@dataclass
class Worker:
    name: str
    process: Any  # subprocess.Popen[bytes]
    data_dir: Path


@dataclass
class Cluster:
    """One broker (embedded unless `bootstrap` is given), the pipeline's topics and any
    number of worker processes in one consumer group, each with its own data directory."""

    root: Path
    store: str
    bootstrap: str
    embedded: bool
    run: str = field(default_factory=lambda: f"chaos{random.randrange(1 << 30):x}")
    workers: list[Worker] = field(default_factory=list)

    def env(self, data_dir: Path) -> dict[str, str]:
        return worker_env(self.bootstrap, str(data_dir), self.embedded, self.store, self.run)

    @property
    def settings(self) -> Any:
        return settings_from(self.env(self.root))

    @property
    def log_path(self) -> Path:
        return self.root / "workers.log"

    def start(self, name: str, fresh: bool = False) -> Worker:
        """Start worker `name` on its data directory (a new, empty one if `fresh`)."""
        data_dir = self.root / (f"{name}-{time.monotonic_ns()}" if fresh else name)
        data_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            log.write(f"\n===== start {name} in {data_dir.name} =====\n".encode())
        worker = Worker(name, start_worker(self.env(data_dir), self.log_path), data_dir)
        self.workers.append(worker)
        return worker

    def kill(self, worker: Worker) -> None:
        """SIGKILL, as the kernel's OOM killer or a lost node would."""
        if worker.process.poll() is None:
            worker.process.send_signal(signal.SIGKILL)
        worker.process.wait(30)

    def stop_all(self) -> None:
        for worker in self.workers:
            stop_process(worker.process)


@contextlib.contextmanager
def cluster(store: str, bootstrap: str | None = None) -> Iterator[Cluster]:
    with tempfile.TemporaryDirectory(prefix="tollwatch-chaos-") as root, contextlib.ExitStack() as stack:
        embedded = bootstrap is None
        if bootstrap is None:
            bootstrap = stack.enter_context(EmbeddedBroker()).bootstrap
        group = Cluster(Path(root), store, bootstrap, embedded)
        asyncio.run(create_topics(bootstrap, group.settings))
        try:
            yield group
        except BaseException:
            sys.stderr.write(group.log_path.read_text(errors="replace")[-6000:] if group.log_path.exists() else "")
            raise
        finally:
            group.stop_all()


@dataclass(frozen=True)
class ChaosResult:
    totals: list[RegionalTotal]
    accounting: dict[str, int]
    kills: int  # SIGKILLs of worker A (each followed by a restart)
    second_worker_killed: bool
    seconds: float
    log: list[str]
    events: list[ConflictEvent] = field(default_factory=list)  # latest revision per event id


def _say(log: list[str], text: str) -> None:
    log.append(text)
    print(f"  chaos: {text}", file=sys.stderr)


def chunked(articles: list[Message], kills: int) -> list[list[Message]]:
    """The chunks `run_chaos` sends, in order (interleaved, so every chunk has every kind);
    `sum(chunked(...), [])` is the order the articles reach the broker in."""
    return [c for c in (articles[i :: kills + 2] for i in range(kills + 2)) if c]


def run_chaos(articles: list[Message], kills: int = 5, seed: int = 3, store: str = "rocksdb://",
              bootstrap: str | None = None, timeout: float = 900.0) -> ChaosResult:  # fmt: skip
    """Stream `articles` through one consumer group while killing its workers (module docstring)."""
    rng = random.Random(seed)
    chunks = chunked(articles, kills)
    log: list[str] = []
    started = time.perf_counter()
    with cluster(store, bootstrap) as group:
        settings = group.settings
        a = group.start("A")
        killed = 0
        for number, chunk in enumerate(chunks[:kills]):
            asyncio.run(produce(group.bootstrap, settings.topic_raw, chunk))
            pause = rng.uniform(0.0, 3.0)
            time.sleep(pause)
            group.kill(a)
            killed += 1
            fresh = number % 2 == 1
            _say(log, f"kill {killed}: SIGKILL worker A {pause:.1f}s after chunk {number + 1} "
                      f"({len(chunk)} articles); restart on {'an empty' if fresh else 'its'} data dir")  # fmt: skip
            a = group.start("A", fresh=fresh)
        second = False
        if len(chunks) > kills:
            b = group.start("B")
            time.sleep(rng.uniform(12.0, 16.0))  # B joins: the group rebalances, B gets partitions
            asyncio.run(produce(group.bootstrap, settings.topic_raw, chunks[kills]))
            time.sleep(rng.uniform(0.5, 3.0))
            group.kill(b)
            second = True
            _say(log, f"SIGKILL worker B mid-batch ({len(chunks[kills])} articles sent to the group); A takes over")
        for chunk in chunks[kills + 1 :]:
            asyncio.run(produce(group.bootstrap, settings.topic_raw, chunk))
        counts = asyncio.run(wait_accounted(group.bootstrap, settings, len(articles), timeout, a.process))
        totals = asyncio.run(latest_totals(group.bootstrap, settings))
        records = asyncio.run(read_topic(group.bootstrap, settings.topic_events))
        events = latest_events([(key, value) for key, value, _, _ in records])
    return ChaosResult(totals, counts, killed, second, time.perf_counter() - started, log, events)


def reference_run(articles: list[Message], bootstrap: str | None = None, timeout: float = 900.0) -> ChaosResult:
    """One worker, never interrupted, on the articles in this order (for the order of a chaos
    run: `sum(chunked(articles, kills), [])`)."""
    started = time.perf_counter()
    with running_pipeline(bootstrap) as run:
        result = asyncio.run(drive(run, articles, timeout))
    elapsed = time.perf_counter() - started
    return ChaosResult(result.totals, result.accounting, 0, False, elapsed, [], result.events)


def compare(got: list[RegionalTotal], want: list[RegionalTotal]) -> list[str]:
    """Where two sets of latest totals differ (empty: identical)."""
    a = {t.key: t.model_dump(mode="json") for t in got}
    b = {t.key: t.model_dump(mode="json") for t in want}
    problems = [f"{key}: missing" for key in sorted(b.keys() - a.keys())]
    problems += [f"{key}: not in the reference" for key in sorted(a.keys() - b.keys())]
    problems += [f"{key}: {a[key]} != {b[key]}" for key in sorted(a.keys() & b.keys()) if a[key] != b[key]]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.chaos", description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, nargs="?", default=2000, help="generated articles (default 2000)")
    parser.add_argument("--kills", type=int, default=5, help="SIGKILLs of worker A (default 5)")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--store", default="rocksdb://", help="table store (default rocksdb://)")
    parser.add_argument("--broker", default=None, help="external broker HOST:PORT (default: embedded)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    stop_on_sigterm()
    articles = chaos_articles(args.count, args.seed)
    chaos = run_chaos(articles, args.kills, args.seed, args.store, args.broker)
    reference = reference_run(sum(chunked(articles, args.kills), []), args.broker)
    problems = compare(chaos.totals, reference.totals)
    conserved = sum(v for k, v in chaos.accounting.items() if k != "received") == chaos.accounting["received"]
    report = {
        "articles": args.count, "store": args.store, "kills": chaos.kills,
        "second_worker_killed": chaos.second_worker_killed, "chaos_seconds": round(chaos.seconds, 1),
        "reference_seconds": round(reference.seconds, 1), "totals": len(chaos.totals),
        "identical": not problems, "accounting": chaos.accounting, "reference_accounting": reference.accounting,
        "conserved": conserved, "differences": problems[:20],
    }  # fmt: skip
    if args.json:
        print(orjson.dumps(report).decode())
    else:
        for key, value in report.items():
            print(f"{key:22} {value}")
    return 0 if not problems and conserved and chaos.accounting == reference.accounting else 1


if __name__ == "__main__":
    raise SystemExit(main())
