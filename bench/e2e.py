"""End-to-end speed of one worker on a broker: saturating rate, latency under paced load, and
the same for a pass-through reference (bench/passthrough.py) on the same broker in the same run.

    PYTHONPATH=. .venv/bin/python -m bench.e2e                  # 2,000 articles, 30 s per level, both
    PYTHONPATH=. .venv/bin/python -m bench.e2e --count 500 --duration 10 --only pipeline --json e2e.json

Inputs: `bench.longform.articles(n, seed)` (full-length generated articles, about a third
without an attack), key = id, value = orjson of the dict, as `articles.raw` takes them. Every
phase uses its own seed, hence its own article ids (`long-<seed>-<i>`): nothing is a duplicate.

For each system (the real pipeline, `python -m streams.cli worker`; the reference,
`python -m bench.passthrough worker`), one after the other, never both at once:
1. fresh topics and consumer group (app id `tollwatch-e2e-<system>-<run>`, every topic name
   suffixed `.e2e-<system>-<run>`), created with the pipeline's own configs; one worker
   process (memory store; watermark re-tick every hour, so no timer fires during a phase);
2. warm-up: `--warmup` articles (other ids) sent at once; wait until drained. This covers the
   worker's start, group join and gazetteer load, and the slow first articles;
3. saturating rate: the `--count` articles are pre-encoded, then sent as fast as the
   producer goes (one batched producer, well under a second for 2,000) while the idle, warm
   worker is already consuming. What is timed: from the Kafka CreateTime of the first input
   record to the largest CreateTime of any record the worker wrote for the phase (clean,
   extracted, events, totals and outcomes topics); articles/s = count / that span. All
   timestamps are set by the producers at send() on this machine's clock, so no clock is
   compared across machines. The last record an input causes is its events/totals record,
   or for an article without an event its extracted record: the span can miss at most the
   events-hop time of the trailing messages that write nothing (milliseconds). Also printed:
   when each output topic got its last record (which hop finished last), and the rate in each
   quarter of the run, from the times the articles with an event got their first events
   record (a falling rate: the worker slows down as its state grows; the first quarter
   includes the pipeline's fill), and the steady rate, between 10% and 90% of those articles
   done: for a short run (the reference takes ~2-3 s) the fill, up to ~0.75 s per hop while an
   idle consumer's fetch waits on the embedded broker, is a large part of the span;
4. latency at 25%, 50% and 90% of the pipeline's saturating rate: a producer (linger 0)
   paced on an absolute schedule (article i is due at t0 + i / rate; a late send is not
   carried over into the next interval) for `--duration` seconds. Latency of an article =
   CreateTime of the first `events` record whose `reports` name the article - CreateTime of
   its raw record. The raw record is tied to its article id by the outcome the clean stage
   writes for it (keyed by raw partition and offset). The events agent sends an article's
   event revisions in its step and the totals they change once it has no input waiting,
   or at most `TOLLWATCH_TOTALS_FLUSH_INTERVAL` (0.1 s) later (totals are coalesced): the
   first events record's time is when its totals are computed, and at most that much
   before they are published.
   Articles without an event (no attack reported) have no events record and are not
   measured; the count measured is printed. Also printed: the clean hop's latency (to the
   outcome record, every article), the rate achieved by the producer and its largest slip
   behind schedule, the committed lag right after the last send, and the drain time (last
   output - last input); "kept up" means the latency did not grow over the level (`kept_up`:
   p50 of the last quarter's articles at most 2 s + 5% of the duration above the first's).
   The reference is measured at the same absolute rates as the pipeline (at its own 25/50/90%
   with `--only passthrough`).
Percentiles are nearest-rank (p99 of 150 values is the 149th smallest).

The embedded broker (Tansu, memory storage) is started unless `--bootstrap` names one; the
end offsets that delimit a phase come from Fetch responses (streams.broker.fetch_end_offsets),
which Tansu reports correctly (its ListOffsets is wrong, see docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import math
import os
import platform
import random
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from bench.longform import articles
from streams.broker import EmbeddedBroker, fetch_end_offsets
from streams.config import Settings
from streams.demo import settings_from, start_worker, stop_on_sigterm, stop_process, worker_env
from streams.kafka_io import create_topics, produce
from streams.security import client_kwargs

__all__ = [
    "percentile", "schedule", "paced", "first_events", "quarter_rates", "steady_rate", "match_latencies",
    "outcome_latencies", "kept_up", "summary", "inputs", "Record", "Target", "target", "measure", "Saturation", "Level",
    "SystemResult", "report", "machine", "main",
]  # fmt: skip

ROOT = Path(__file__).resolve().parent.parent
FRACTIONS = (0.25, 0.5, 0.9)
System = Literal["pipeline", "passthrough"]
Message = tuple[bytes | None, bytes]
Record = tuple[int, int, int, bytes | None, bytes]  # partition, offset, CreateTime (ms), key, value
WARMUP_SEED, LEVEL_SEED = 100_000, 200_000  # seed offsets of the warm-up and latency phases' articles


# -- pure parts (tests/test_bench_e2e.py)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: the smallest value with at least q% of `values` at or below it."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 < q <= 100:
        raise ValueError(f"q must be in (0, 100], not {q}")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summary(values: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99 and max of `values` (seconds), rounded to the millisecond; empty if none."""
    if not values:
        return {}
    return {name: round(percentile(values, q), 3) for name, q in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100))}


def schedule(start: float, rate: float, count: int) -> list[float]:
    """When each of `count` sends is due at `rate` per second from `start` (absolute times)."""
    if rate <= 0:
        raise ValueError(f"rate must be positive, not {rate}")
    return [start + i / rate for i in range(count)]


async def paced(items: Sequence[Message], rate: float, send: Callable[[Message], Awaitable[None]],
                clock: Callable[[], float] = time.monotonic,
                sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> float:  # fmt: skip
    """Call `send` on each item at its due time on an absolute schedule (a slow send delays only
    itself; the next is still due at its own time); returns the largest lateness in seconds."""
    slip = 0.0
    for item, due in zip(items, schedule(clock(), rate, len(items)), strict=True):
        wait = due - clock()
        if wait > 0:
            await sleep(wait)
        else:
            slip = max(slip, -wait)
        await send(item)
    return slip


def first_events(events: Iterable[Record]) -> dict[str, int]:
    """The CreateTime (ms) of the first events record whose `reports` name each article id."""
    first: dict[str, int] = {}
    for _, _, stamp, _, value in events:
        for report in orjson.loads(value).get("reports", []):
            article_id = report.get("article_id")
            if article_id is not None and stamp < first.get(article_id, stamp + 1):
                first[article_id] = stamp
    return first


def quarter_rates(done: Sequence[int], total: int, start: int) -> list[float]:
    """Articles/s in each quarter of a saturation run: `done` are the times (ms) the sampled
    articles were finished (their first events record), `total` the articles sent at `start`
    (ms); each quarter of the sample counts for `total / len(done)` articles each. Fewer than
    four samples: []. A falling rate means the worker slows down as its state grows."""
    ordered = sorted(done)
    n = len(ordered)
    if n < 4:
        return []
    cuts = [round(n * k / 4) for k in range(5)]
    bounds = [start, *(ordered[cut - 1] for cut in cuts[1:])]
    return [round((cuts[k + 1] - cuts[k]) * total / n / max(0.001, (bounds[k + 1] - bounds[k]) / 1000), 2)
            for k in range(4)]  # fmt: skip


def steady_rate(done: Sequence[int], total: int) -> float | None:
    """Articles/s between the times 10% and 90% of the sampled articles were finished (`done`,
    ms; each sample counts for `total / len(done)` articles): the rate without the pipeline's
    fill at the start (on the embedded broker an idle consumer's fetch can hold the first
    record up to ~0.75 s per hop) and its tail. Fewer than ten samples: None."""
    ordered = sorted(done)
    n = len(ordered)
    if n < 10:
        return None
    low, high = math.ceil(0.1 * n) - 1, math.ceil(0.9 * n) - 1
    return round((high - low) * total / n / max(0.001, (ordered[high] - ordered[low]) / 1000), 2)


def match_latencies(raw: Iterable[Record], outcomes: Iterable[Record], events: Iterable[Record]) -> dict[str, float]:
    """Seconds from each raw record's CreateTime to the CreateTime of the first events record
    whose `reports` name its article; raw records are tied to article ids by the outcome value's
    `partition`, `offset` and `article_id`. Articles without an events record are left out."""
    sent = {(partition, offset): stamp for partition, offset, stamp, _, _ in raw}
    first = first_events(events)
    out: dict[str, float] = {}
    for _, _, _, _, value in outcomes:
        body = orjson.loads(value)
        article_id, ref = body.get("article_id"), (body.get("partition"), body.get("offset"))
        if article_id in first and ref in sent and article_id not in out:
            out[article_id] = (first[article_id] - sent[ref]) / 1000
    return out


def kept_up(first_quarter: float | None, last_quarter: float | None, duration: float) -> bool:
    """Whether a worker kept up with a paced level: the p50 latency of the articles sent in the
    last quarter of the level exceeds that of the first quarter by at most 2 s + 5% of the
    duration. A worker that cannot keep up builds a backlog all along, so its latency grows by
    (offered / capacity - 1) x duration; 2 s covers the jitter of the embedded broker's fetch
    wait (up to ~0.75 s per hop with Faust's fetch_max_wait_ms of 1,500, three hops). No
    latency measured (no article with an event): True."""
    if first_quarter is None or last_quarter is None:
        return True
    return last_quarter - first_quarter <= 2.0 + 0.05 * duration


def outcome_latencies(raw: Iterable[Record], outcomes: Iterable[Record]) -> list[float]:
    """Seconds from each raw record to its (first) outcome record: the clean hop, every input."""
    sent = {(partition, offset): stamp for partition, offset, stamp, _, _ in raw}
    first: dict[tuple[int, int], int] = {}
    for _, _, stamp, _, value in outcomes:
        body = orjson.loads(value)
        ref = (body.get("partition"), body.get("offset"))
        if ref in sent and ref not in first:
            first[ref] = stamp
    return [(stamp - sent[ref]) / 1000 for ref, stamp in first.items()]


def inputs(count: int, seed: int) -> list[Message]:
    """`count` longform articles for `articles.raw` (ids `long-<seed>-<i>`)."""
    return [(str(a["id"]).encode(), orjson.dumps(a)) for a in articles(count, seed)]


# -- one system on a broker


@dataclass(frozen=True)
class Target:
    """One worker process of one system, on its own topics and consumer group."""

    name: System
    bootstrap: str
    settings: Settings
    worker: subprocess.Popen[bytes]
    log_path: Path

    def partitions(self, topics: Iterable[str]) -> list[TopicPartition]:
        return [TopicPartition(t, p) for t in topics for p in range(self.settings.partitions)]

    @property
    def outputs(self) -> list[str]:
        s = self.settings
        return [s.topic_clean, s.topic_extracted, s.topic_events, s.topic_totals, s.topic_outcomes]

    async def offsets(self) -> dict[TopicPartition, int]:
        """The end offsets of the raw topic and every output topic: where a phase starts."""
        return await fetch_end_offsets(self.bootstrap, self.partitions([self.settings.topic_raw, *self.outputs]))

    async def lag(self) -> int:
        """Records of the consumed topics (raw, clean, extracted) the group has not committed yet.
        Not `streams.kafka_io.group_lag`, which gives up (None) on an end it does not learn
        within 2 s, as it often does not on the embedded broker with a backlog of large
        records (it used to count such a partition as no lag, and returned 0 while the events
        hop was still a minute behind). Here the ends come from Fetch responses."""
        tps = self.partitions([self.settings.topic_raw, self.settings.topic_clean, self.settings.topic_extracted])
        probe = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, group_id=self.settings.app_id,
                                 enable_auto_commit=False, **client_kwargs(self.settings))  # fmt: skip
        await probe.start()
        try:
            committed = {tp: (await probe.committed(tp)) or 0 for tp in tps}
        finally:
            await probe.stop()
        ends = await fetch_end_offsets(self.bootstrap, tps, committed)
        return sum(max(0, ends[tp] - committed[tp]) for tp in tps)

    async def drained(self, start: Mapping[TopicPartition, int], expected: int, timeout: float) -> float:
        """Wait until `expected` inputs since `start` have an outcome and the group has committed
        everything it consumes; returns the seconds waited."""
        began = time.monotonic()
        outcomes = self.partitions([self.settings.topic_outcomes])
        while True:
            if self.worker.poll() is not None:
                raise RuntimeError(f"{self.name} worker exited with {self.worker.returncode}")
            ends = await fetch_end_offsets(self.bootstrap, outcomes, start)
            done = sum(ends[tp] - start[tp] for tp in outcomes)
            lag = await self.lag()
            if done >= expected and lag == 0:
                return time.monotonic() - began
            if time.monotonic() - began > timeout:
                raise TimeoutError(f"{self.name}: {done}/{expected} outcomes, lag {lag}, after {timeout:.0f}s")
            await asyncio.sleep(0.5)

    async def read(self, start: Mapping[TopicPartition, int], timeout: float = 300.0) -> dict[str, list[Record]]:
        """Every record written since `start` (up to the current ends), by topic, with CreateTime."""
        ends = await fetch_end_offsets(self.bootstrap, start, start)
        wanted = [tp for tp in start if ends[tp] > start[tp]]
        out: dict[str, list[Record]] = {tp.topic: [] for tp in start}
        if not wanted:
            return out
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False, fetch_max_wait_ms=100,
                                    **client_kwargs(self.settings))  # fmt: skip
        await consumer.start()
        try:
            consumer.assign(wanted)
            for tp in wanted:
                consumer.seek(tp, start[tp])
            deadline = time.monotonic() + timeout
            left = set(wanted)
            while left:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"could not read {sorted(left)} to their ends within {timeout:.0f}s")
                for tp, records in (await consumer.getmany(*left, timeout_ms=200)).items():
                    out[tp.topic] += [(r.partition, r.offset, r.timestamp, r.key, r.value or b"")
                                      for r in records if r.offset < ends[tp]]  # fmt: skip
                    if records and records[-1].offset >= ends[tp] - 1:
                        left.discard(tp)
                        consumer.pause(tp)
            return out
        finally:
            await consumer.stop()


def start_reference(env: dict[str, str], log_path: Path, await_acks: bool = False) -> subprocess.Popen[bytes]:
    """A `python -m bench.passthrough worker` process (bench is not installed: run from the repository)."""
    path = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    command = [sys.executable, "-m", "bench.passthrough", "worker", *(["--await-acks"] if await_acks else [])]
    with log_path.open("ab") as log:
        return subprocess.Popen(command, env={**env, "PYTHONPATH": path}, cwd=ROOT, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)  # fmt: skip


@contextlib.contextmanager
def target(name: System, bootstrap: str, embedded: bool, data_dir: Path, await_acks: bool = False,
           extract_processes: int = 0) -> Iterator[Target]:  # fmt: skip
    """Fresh topics and group for `name` on `bootstrap`, and its worker (stopped on exit; its
    log's tail printed if the body raised); the pipeline's with `extract_processes` children."""
    run = f"e2e-{name}-{random.randrange(1 << 32):08x}"
    env = worker_env(bootstrap, str(data_dir), embedded=False, run=run)  # external: fresh topic names and group
    env.update({"TOLLWATCH_EMBEDDED_BROKER": "true" if embedded else "false", "TOLLWATCH_TICK_INTERVAL": "3600",
                "TOLLWATCH_APP_ID": f"tollwatch-{run}",
                "TOLLWATCH_EXTRACT_PROCESSES": str(extract_processes)})  # fmt: skip
    settings = settings_from(env)
    asyncio.run(create_topics(bootstrap, settings))
    log_path = data_dir / f"{name}.log"
    worker = start_worker(env, log_path) if name == "pipeline" else start_reference(env, log_path, await_acks)
    try:
        yield Target(name, bootstrap, settings, worker, log_path)
    except BaseException:
        sys.stderr.write(log_path.read_text(errors="replace")[-4000:] if log_path.exists() else "")
        raise
    finally:
        stop_process(worker)


@dataclass(frozen=True)
class Saturation:
    articles: int
    seconds: float  # first input's CreateTime -> last output's CreateTime
    rate: float  # articles / seconds
    preload_seconds: float  # first -> last input CreateTime
    done_after: dict[str, float]  # per output topic: its last record's CreateTime - first input's
    records: dict[str, int]  # records written per output topic
    quarter_rates: list[float]  # articles/s in each quarter of the run (see quarter_rates())
    steady_rate: float | None  # articles/s from 10% to 90% of the articles done (see steady_rate())


@dataclass(frozen=True)
class Level:
    fraction: float  # of the pipeline's saturating rate (the reference's own with --only passthrough)
    target_rate: float
    sent: int
    achieved_rate: float  # (sent - 1) / (last input CreateTime - first)
    max_slip: float  # the producer's largest lateness behind its schedule, seconds
    measured: int  # articles with an events record (the others reported no attack)
    latency: dict[str, float]  # raw CreateTime -> first events record naming the article: p50/p95/p99/max
    first_quarter_p50: float | None  # p50 latency of the articles sent in the first / last quarter of the level
    last_quarter_p50: float | None
    clean_latency: dict[str, float]  # raw CreateTime -> its outcome record (the clean hop), every article
    lag_after_send: int  # committed lag (raw, clean, extracted) right after the last send
    drain_seconds: float  # last output CreateTime - last input CreateTime
    kept_up: bool  # see kept_up()


@dataclass
class SystemResult:
    name: System
    warmup_seconds: float  # from the worker's start to the warm-up articles drained
    saturation: Saturation | None = None
    levels: list[Level] = field(default_factory=list)


async def _send_all(t: Target, messages: list[Message]) -> dict[TopicPartition, int]:
    start = await t.offsets()
    await produce(t.bootstrap, t.settings.topic_raw, messages, settings=t.settings)
    return start


def _span(records: dict[str, list[Record]], raw_topic: str) -> tuple[int, int, int]:
    """First and last input CreateTime, last output CreateTime (ms)."""
    raw = [r[2] for r in records[raw_topic]]
    outputs = [r[2] for topic, rs in records.items() if topic != raw_topic for r in rs]
    return min(raw), max(raw), max(outputs, default=max(raw))


async def saturate(t: Target, messages: list[Message], timeout: float) -> Saturation:
    start = await _send_all(t, messages)
    await t.drained(start, len(messages), timeout)
    records = await t.read(start)
    first, last_in, last_out = _span(records, t.settings.topic_raw)
    seconds = max(1, last_out - first) / 1000
    ids = {orjson.loads(value).get("article_id") for *_, value in records[t.settings.topic_outcomes]}
    done = [stamp for article_id, stamp in first_events(records[t.settings.topic_events]).items() if article_id in ids]
    return Saturation(
        articles=len(messages), seconds=round(seconds, 3), rate=round(len(messages) / seconds, 2),
        preload_seconds=round((last_in - first) / 1000, 3),
        done_after={topic: round((max(r[2] for r in rs) - first) / 1000, 3) for topic, rs in records.items()
                    if rs and topic != t.settings.topic_raw},
        records={topic: len(rs) for topic, rs in records.items() if topic != t.settings.topic_raw},
        quarter_rates=quarter_rates(done, len(messages), first), steady_rate=steady_rate(done, len(messages)),
    )  # fmt: skip


async def latency_level(t: Target, messages: list[Message], fraction: float, rate: float, duration: float,
                        timeout: float) -> Level:  # fmt: skip
    start = await t.offsets()
    producer = AIOKafkaProducer(bootstrap_servers=t.bootstrap, linger_ms=0, max_request_size=33_554_432,
                                **client_kwargs(t.settings))  # fmt: skip
    await producer.start()
    try:
        futures: list[asyncio.Future[Any]] = []

        async def send(message: Message) -> None:
            futures.append(await producer.send(t.settings.topic_raw, key=message[0], value=message[1]))

        slip = await paced(messages, rate, send)
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    lag = await t.lag()
    await t.drained(start, len(messages), timeout)
    records = await t.read(start)
    raw, outcomes = records[t.settings.topic_raw], records[t.settings.topic_outcomes]
    latencies = match_latencies(raw, outcomes, records[t.settings.topic_events])
    first, last_in, last_out = _span(records, t.settings.topic_raw)
    drain = max(0, last_out - last_in) / 1000
    ids = {(p, o): key.decode() if key else "" for p, o, _, key, _ in raw}
    order = [ids[(p, o)] for p, o, _, _, _ in sorted(raw, key=lambda r: r[2])]
    quarter = max(1, len(order) // 4)

    def p50(part: list[str]) -> float | None:
        values = [latencies[a] for a in part if a in latencies]
        return round(percentile(values, 50), 3) if values else None

    first_quarter, last_quarter = p50(order[:quarter]), p50(order[-quarter:])
    return Level(
        fraction=fraction, target_rate=round(rate, 2), sent=len(raw),
        achieved_rate=round((len(raw) - 1) / max(0.001, (last_in - first) / 1000), 2), max_slip=round(slip, 3),
        measured=len(latencies), latency=summary(list(latencies.values())), first_quarter_p50=first_quarter,
        last_quarter_p50=last_quarter, clean_latency=summary(outcome_latencies(raw, outcomes)),
        lag_after_send=lag, drain_seconds=round(drain, 3), kept_up=kept_up(first_quarter, last_quarter, duration),
    )  # fmt: skip


def measure(name: System, bootstrap: str, embedded: bool, data_dir: Path, *, count: int, seed: int, warmup: int,
            duration: float, rates: Sequence[tuple[float, float]] | None, timeout: float,
            await_acks: bool = False, extract_processes: int = 0) -> SystemResult:  # fmt: skip
    """Warm-up, saturating rate, then latency at `rates` ((fraction, articles/s) pairs; default:
    FRACTIONS of this system's own saturating rate), on a fresh topic set and worker."""
    saturating, warming = inputs(count, seed), inputs(warmup, seed + WARMUP_SEED)
    with target(name, bootstrap, embedded, data_dir, await_acks, extract_processes) as t:
        began = time.monotonic()
        start = asyncio.run(_send_all(t, warming))
        asyncio.run(t.drained(start, len(warming), timeout))
        result = SystemResult(name, round(time.monotonic() - began, 1))
        _say(name, f"worker started and {warmup} warm-up articles drained in {result.warmup_seconds:.1f}s")
        result.saturation = asyncio.run(saturate(t, saturating, timeout))
        _say(name, _saturation_line(result.saturation))
        for number, (fraction, rate) in enumerate(rates or [(f, f * result.saturation.rate) for f in FRACTIONS]):
            messages = inputs(max(2, round(rate * duration)), seed + LEVEL_SEED + number)
            level = asyncio.run(latency_level(t, messages, fraction, rate, duration, timeout))
            result.levels.append(level)
            _say(name, _level_line(level))
    return result


# -- report


def _say(name: str, text: str) -> None:
    print(f"  e2e {name}: {text}", file=sys.stderr, flush=True)


def _saturation_line(s: Saturation) -> str:
    hops = ", ".join(f"{topic.split('.e2e-')[0]} +{after:.2f}s" for topic, after in s.done_after.items())
    return (f"saturating rate {s.rate:.1f} articles/s ({s.articles} articles, first input -> last output "
            f"{s.seconds:.2f}s; inputs sent in {s.preload_seconds:.2f}s; last record per topic: {hops}; "
            f"articles/s by quarter of the run: {'/'.join(f'{r:.1f}' for r in s.quarter_rates) or '-'}; "
            f"steady rate (10% -> 90% done) {_rate(s.steady_rate)})")  # fmt: skip


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}/s"


def _level_line(v: Level) -> str:
    lat = "  ".join(f"{k} {x * 1000:.0f}ms" for k, x in v.latency.items()) or "no article with an event"
    clean = "  ".join(f"{k} {x * 1000:.0f}ms" for k, x in v.clean_latency.items() if k in ("p50", "p99"))
    quarters = f"p50 first/last quarter {_ms(v.first_quarter_p50)}/{_ms(v.last_quarter_p50)}"
    return (f"{v.fraction:.0%} level: {v.target_rate:.1f}/s target, {v.achieved_rate:.1f}/s achieved "
            f"(max slip {v.max_slip * 1000:.0f}ms), {v.sent} sent, {v.measured} with an event; to the first "
            f"event: {lat}; {quarters}; clean hop {clean}; lag after send {v.lag_after_send}, drain "
            f"{v.drain_seconds:.2f}s, {'kept up' if v.kept_up else 'FELL BEHIND'}")  # fmt: skip


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.0f}ms"


def machine() -> dict[str, Any]:
    model = next((line.split(":", 1)[1].strip() for line in _cpuinfo() if line.startswith("model name")), None)
    return {"cpus": os.cpu_count(), "cpu_model": model or platform.processor() or "unknown",
            "python": platform.python_version(), "system": platform.platform()}  # fmt: skip


def _cpuinfo() -> list[str]:
    with contextlib.suppress(OSError):
        return Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.e2e", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="articles for the saturating rate (default 2000)")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per latency level (default 30)")
    parser.add_argument("--warmup", type=int, default=300, help="warm-up articles before timing (default 300)")
    parser.add_argument("--only", choices=["pipeline", "passthrough", "both"], default="both")
    parser.add_argument("--bootstrap", default=None, help="external broker HOST:PORT (default: embedded Tansu)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds a phase may take to drain")
    parser.add_argument("--reference-acks", action="store_true",
                        help="the reference's events hop waits for its acknowledgements per message, as the real "
                        "one does (default: it does not; see bench/passthrough.py)")  # fmt: skip
    parser.add_argument(
        "--extract-processes",
        type=int,
        default=0,
        metavar="N",
        help="the pipeline's TOLLWATCH_EXTRACT_PROCESSES (default 0: extraction in the worker)",
    )
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="write the figures to PATH")
    args = parser.parse_args(argv)
    stop_on_sigterm()
    command = shlex.join(["python", "-m", "bench.e2e", *(sys.argv[1:] if argv is None else argv)])
    options = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    print(f"settings: {options}\ncommand: PYTHONPATH=. {command}", flush=True)
    names: list[System] = ["pipeline", "passthrough"] if args.only == "both" else [args.only]
    results: dict[str, SystemResult] = {}
    with tempfile.TemporaryDirectory(prefix="tollwatch-e2e-") as root, contextlib.ExitStack() as stack:
        bootstrap = args.bootstrap
        if bootstrap is None:
            bootstrap = stack.enter_context(EmbeddedBroker(log_path=Path(root) / "broker.log")).bootstrap
        for name in names:
            data_dir = Path(root) / name
            data_dir.mkdir()
            pipeline = results.get("pipeline")
            rates = [(v.fraction, v.target_rate) for v in pipeline.levels] if pipeline else None
            results[name] = measure(name, bootstrap, args.bootstrap is None, data_dir, count=args.count,
                                    seed=args.seed, warmup=args.warmup, duration=args.duration, rates=rates,
                                    timeout=args.timeout, await_acks=args.reference_acks,
                                    extract_processes=args.extract_processes)  # fmt: skip
    lines = report(results, machine(), embedded=args.bootstrap is None)
    print("\n".join(lines))
    if args.json:
        figures = {"settings": options, "command": command, "machine": machine(), "summary": lines,
                   "results": {name: dataclasses.asdict(r) for name, r in results.items()}}  # fmt: skip
        args.json.write_bytes(orjson.dumps(figures, option=orjson.OPT_INDENT_2))
    return 0


def report(results: Mapping[str, SystemResult], host: Mapping[str, Any], embedded: bool) -> list[str]:
    lines = []
    for name, result in results.items():
        if result.saturation:
            lines.append(f"{name}: {_saturation_line(result.saturation)}")
        lines += [f"{name}: {_level_line(level)}" for level in result.levels]
    rate = {n: r.saturation.rate for n, r in results.items() if r.saturation}
    if "pipeline" in rate and "passthrough" in rate:
        lines.append(f"summary: real pipeline {rate['pipeline']:.1f} articles/s, pass-through reference "
                     f"{rate['passthrough']:.1f} articles/s, ratio {rate['pipeline'] / rate['passthrough']:.1%} "
                     "(goal >= 50%)")  # fmt: skip
    steady = {n: r.saturation.steady_rate for n, r in results.items() if r.saturation}
    real, reference = steady.get("pipeline"), steady.get("passthrough")
    if real and reference:
        lines.append(f"summary: steady rates (10% -> 90% of the articles done) {real:.1f} and {reference:.1f} "
                     f"articles/s, ratio {real / reference:.1%}")  # fmt: skip
    half = [v for v in results["pipeline"].levels if v.fraction == 0.5] if "pipeline" in results else []
    if half and half[0].latency:
        v = half[0]
        lines.append(f"summary: real pipeline p99 latency at 50% of saturation ({v.target_rate:.1f}/s) "
                     f"{v.latency['p99']:.3f}s (goal < 1 s), on {v.measured} of {v.sent} articles (those with "
                     f"an event), {'kept up' if v.kept_up else 'fell behind'}")  # fmt: skip
    lines.append(f"machine: {host['cpus']} CPUs, {host['cpu_model']}, Python {host['python']}, {host['system']}; "
                 f"broker: {'embedded Tansu (memory storage)' if embedded else 'external'}")  # fmt: skip
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
