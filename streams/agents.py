"""Thin Faust agents: decode -> one stage function -> send; failures -> dead letter.

    articles.raw --clean--> articles.clean --extract--> articles.extracted (key: country)
        --events--> events + casualty.totals
    every input's fate --> articles.outcomes (compacted, key raw:<partition>:<offset>)

No exception reaches Faust from here: an agent that raised would crash and restart.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import sys
import time
from datetime import UTC, date, datetime
from typing import Any, cast

import faust
import orjson

from schemas import (
    DeadLetter,
    DecodeError,
    ExtractedArticle,
    Outcome,
    RawRef,
    RegionalTotal,
    WatermarkTick,
    encode,
)
from schemas.deadletter import DeadLetterReason, OutcomeKind, Stage
from streams.clean import Skipped, clean, decode_raw, dedup, seen_expired
from streams.config import Settings
from streams.errors import StageError
from streams.events import EventState, Step, horizon, step_article, step_watermark
from streams.limits import Limits
from streams.metrics import Metrics, attach_faust_sensor
from streams.offload import Extracted, ExtractPool, Failed, extract_values
from streams.state import load_state, writes
from streams.topics import Topics, declare_topics
from streams.watchdog import (
    EXIT_BROKER_LOST,
    EXIT_BROKER_REWOUND,
    BrokerWatch,
    bootstrap_servers,
    message,
    probe_end_offsets,
)

__all__ = ["Pipeline", "build_pipeline"]

log = logging.getLogger("tollwatch")

#: What an extracted copy carries for consumers and analysts, not for the events stage.
_ENTITIES = frozenset({"places", "actors", "casualties", "dates"})


class Pipeline:
    """The app, its topics, tables and agents."""

    def __init__(self, app: faust.App, settings: Settings, metrics: Metrics) -> None:
        self.app = app
        self.settings = settings
        self.metrics = metrics
        self.limits = Limits.from_settings(settings)
        self.topics: Topics = declare_topics(app, settings)
        self.seen = app.Table("clean-seen", partitions=settings.partitions, key_type=bytes, value_type=bytes)
        self.state = app.Table("events-state", partitions=settings.partitions, key_type=bytes, value_type=bytes)
        self.latest_day: date | None = None  # the latest published day read (from articles.clean)
        self.read: dict[int, date] = {}  # partition of articles.clean -> the latest published day read from it
        self.read_offset: dict[int, int] = {}  # partition of articles.clean -> the offset of the last message read
        self.read_at: dict[int, float] = {}  # ... -> when it was last read (or first seen assigned), monotonic
        self.swept: dict[int, float] = {}  # input partition -> when clean-seen was last swept for it
        self.partitions: dict[int, EventState] = {}  # decoded events state of partitions in use
        self.pending: dict[str, RegionalTotal] = {}  # changed totals not sent yet (see events_agent)
        self.pending_ingested: list[float] = []  # ingest times of the articles whose totals are pending
        self.pending_since: float | None = None
        self.pool = ExtractPool(settings.extract_processes, self.limits) if settings.extract_processes else None
        app.agent(self.topics.raw, name="clean")(self.clean_agent)
        app.agent(self.topics.clean, name="extract")(self.extract_agent)
        app.agent(self.topics.extracted, name="events")(self.events_agent)
        app.task(self.declare)
        app.task(self.start_pool)
        app.on_before_shutdown.connect(self.on_shutdown)
        app.task(self.watch_broker)
        app.timer(interval=settings.tick_interval)(self.retick)
        attach_faust_sensor(app, metrics.registry)
        app.on_partitions_revoked.connect(self.on_revoked)

    async def declare(self) -> None:
        """Create the output topics with their configs before the first send."""
        for topic in (self.topics.events, self.topics.totals, self.topics.deadletter, self.topics.outcomes):
            await topic.maybe_declare()

    async def watch_broker(self) -> None:
        """Exit non-zero, with a message, when the broker is gone too long or lost its data
        (streams/watchdog.py); never hang silently."""
        from streams.security import client_kwargs

        servers, topic = bootstrap_servers(self.settings.broker), self.settings.topic_raw
        watch = BrokerWatch(self.settings.broker_lost_timeout, time.monotonic())
        interval = min(5.0, self.settings.broker_lost_timeout / 4)
        while True:
            ends = await probe_end_offsets(servers, topic, min(10.0, self.settings.broker_lost_timeout),
                                           **client_kwargs(self.settings))  # fmt: skip
            verdict = watch.observe(time.monotonic(), ends)
            if verdict in ("lost", "rewound"):
                text = message(verdict, ",".join(servers), topic, watch.detail)
                log.critical(text)
                print(text, file=sys.stderr, flush=True)
                os._exit(EXIT_BROKER_LOST if verdict == "lost" else EXIT_BROKER_REWOUND)
            if verdict == "waiting":
                log.error("broker: %s (exit after %.0fs)", watch.detail, self.settings.broker_lost_timeout)
            await asyncio.sleep(interval)

    async def outcome(self, ref: RawRef, kind: OutcomeKind, stage: Stage, article_id: str | None,
                      reason: str | None = None) -> None:  # fmt: skip
        value = Outcome(outcome=kind, stage=stage, article_id=article_id, reason=reason,
                        partition=ref.partition, offset=ref.offset)  # fmt: skip
        await self.topics.outcomes.send(key=ref.key.encode(), value=encode(value))
        self.metrics.outcome(stage, kind)

    async def dead_letter(self, event: faust.EventT[Any], stage: Stage, reason: DeadLetterReason,
                          detail: str) -> None:  # fmt: skip
        msg = event.message
        original = bytes(msg.value or b"")
        cap = self.settings.deadletter_max_bytes
        key = msg.key.decode("utf-8", "replace") if isinstance(msg.key, bytes) else None
        letter = DeadLetter(
            stage=stage, reason=reason, detail=detail[:2000], original_key=key,
            original_value_b64=base64.b64encode(original[:cap]).decode(), original_size=len(original),
            truncated=len(original) > cap, topic=msg.topic, partition=msg.partition, offset=msg.offset,
            at=datetime.now(UTC),
        )  # fmt: skip
        await self.topics.deadletter.send(key=msg.key, value=encode(letter))
        self.metrics.dead_letter(stage, reason)
        log.warning("dead letter: stage=%s reason=%s offset=%s:%s", stage, reason, msg.partition, msg.offset)

    async def clean_agent(self, stream: faust.StreamT[Any]) -> None:
        async for event in stream.events():
            msg = event.message
            ref = RawRef(partition=msg.partition, offset=msg.offset)
            await self.sweep_seen(msg.partition)
            self.metrics.outcome("clean", "received")
            started = time.perf_counter()
            try:
                raw = decode_raw(msg.value or b"", self.limits)
                result = clean(raw, ref, msg.timestamp or time.time(), time.time(), self.limits)
            except (DecodeError, StageError) as exc:
                await self.dead_letter(event, "clean", exc.reason, exc.detail)
                await self.outcome(ref, "deadlettered", "clean", None, exc.reason)
                continue
            except Exception as exc:  # noqa: BLE001 - a bug must not stop the stream
                log.exception("clean failed")
                await self.dead_letter(event, "clean", "internal_error", repr(exc))
                await self.outcome(ref, "deadlettered", "clean", None, "internal_error")
                continue
            self.metrics.stage_time("clean", time.perf_counter() - started)
            if isinstance(result, Skipped):
                await self.outcome(ref, "skipped", "clean", result.article_id, result.reason)
                continue
            key = result.article_id.encode()
            decision = dedup(self.seen.get(key), result)
            if decision.emit:
                await self.topics.clean.send(key=key, value=encode(result))
            if decision.record != self.seen.get(key):
                self.seen[key] = decision.record
            await self.outcome(ref, decision.outcome, "clean", result.article_id)

    async def extract_agent(self, stream: faust.StreamT[Any]) -> None:
        """Extract in the worker, one message at a time; or, with an extract pool
        (`extract_processes`), batches of up to `extract_batch` messages in child processes
        (streams/offload.py), their results sent in input order before the batch is acked."""
        if self.pool is None:
            async for event in stream.events():
                for result in extract_values([event.message.value or b""], self.limits):
                    await self.deliver(event, result)
            return
        batches = cast(faust.Stream[Any], stream).take_events  # not declared on StreamT
        async for events in batches(self.settings.extract_batch, within=self.settings.extract_wait):
            results = await self.pool.extract([event.message.value or b"" for event in events])
            for event, result in zip(events, results, strict=True):
                await self.deliver(event, result)

    async def deliver(self, event: faust.EventT[Any], result: Extracted | Failed) -> None:
        """`extracted`, never raising: a send that fails dead-letters the article; if even
        that fails (the broker refuses our writes), the worker exits at once (code 3, as the
        watchdog does). An exception leaving the agent would let Faust acknowledge the input
        unsent, and with batches (`take_events`) the rest of the batch with it."""
        try:
            await self.extracted(event, result)
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the stream
            log.exception("extract: sending the copies failed")
            try:
                await self.dead_letter(event, "extract", "internal_error", repr(exc))
            except Exception:  # noqa: BLE001
                text = "extract: cannot send to the broker (copies nor dead letter): exiting, inputs not acknowledged"
                log.critical(text, exc_info=True)
                print(text, file=sys.stderr, flush=True)
                os._exit(EXIT_BROKER_LOST)

    async def extracted(self, event: faust.EventT[Any], result: Extracted | Failed) -> None:
        """Send one article's copies (and advance the watermark), or dead-letter it."""
        if isinstance(result, Failed):
            log.error("extract failed: %s", result.trace)
            await self.dead_letter(event, "extract", "internal_error", result.detail)
            self.read_offset[event.message.partition] = event.message.offset  # read all the same (`idle_sources`)
            self.read_at[event.message.partition] = time.monotonic()
            return
        self.metrics.stage_time("extract", result.seconds)
        for kind, scope in result.mentions:
            self.metrics.mention(kind, scope)
        for key, value in result.copies:
            await self.topics.extracted.send(key=key, value=value)
        await self.tick(result.day, event.message.partition, event.message.offset)

    async def start_pool(self) -> None:
        """Start the extract pool's children before the first batch (each loads the gazetteer)."""
        if self.pool is not None:
            try:
                pids = await self.pool.start()
            except Exception:  # noqa: BLE001 - the first batch starts the pool again (or extracts here)
                log.exception("extract pool did not start; it is started again with the first batch")
                self.pool.close()
                return
            log.info("extract pool: %d processes (pids %s)", len(pids), ", ".join(map(str, pids)))

    async def stop_pool(self) -> None:
        if self.pool is not None:
            self.pool.close()

    async def tick(self, day: date, partition: int, offset: int) -> None:
        """An article published on `day` was read from `partition` of articles.clean (its copies
        sent): broadcast a tick to every events partition if the latest day read advanced
        (windows move) or the earliest of the partitions' latest days did (what the events
        state may evict follows it); see docs/ARCHITECTURE.md, "Watermark"."""
        earliest = min(self.read.values(), default=None)
        self.read_offset[partition] = offset
        self.read_at[partition] = time.monotonic()
        if partition not in self.read or day > self.read[partition]:
            self.read[partition] = day
        advanced = self.latest_day is None or day > self.latest_day
        if advanced:
            self.latest_day = day
        if advanced or min(self.read.values()) != earliest:
            await self.broadcast(dict(self.read))

    async def broadcast(self, sources: dict[int, date]) -> None:
        """Send a `WatermarkTick` (the latest day read, and `sources`) to every events partition."""
        assert self.latest_day is not None
        value = encode(WatermarkTick(day=self.latest_day, sources=sources))
        for partition in range(self.settings.partitions):
            await self.topics.extracted.send(key=b"~watermark", value=value, partition=partition)

    async def retick(self) -> None:
        """Timer: broadcast the watermark again, so a partition that missed a tick (a restart,
        a rebalance) still re-emits the totals whose windows the watermark moved, with the
        partitions of articles.clean found idle (`idle_sources`) at the latest day. Ticks are
        idempotent: an events partition ignores what does not advance its watermarks."""
        if self.latest_day is not None:
            await self.broadcast({**self.read, **self.idle_sources()})

    def idle_sources(self) -> dict[int, date]:
        """The partitions of articles.clean assigned to this worker with nothing left to read,
        none read for `idle_timeout` seconds: each at the latest day read. Without this a
        partition that never gets a message would hold the low watermark, and so eviction,
        back forever; an article it brings later, older than that, has its candidates dated
        before the events state's floor refused (counted late), never counted twice."""
        assert self.latest_day is not None
        now = time.monotonic()
        idle: dict[int, date] = {}
        for partition, end in self.clean_ends().items():
            since = self.read_at.setdefault(partition, now)
            if end is None or end < 0 or now - since < self.settings.idle_timeout:
                continue
            if self.read_offset.get(partition, -1) + 1 >= end:
                idle[partition] = self.latest_day
        return idle

    def clean_ends(self) -> dict[int, int | None]:
        """The partitions of articles.clean assigned to this worker, each with its end offset
        as the consumer's last fetch saw it (None: not known yet)."""
        try:
            consumer = self.app.consumer
            tps = [tp for tp in consumer.assignment() if tp.topic == self.settings.topic_clean]
            return {tp.partition: consumer.highwater(tp) for tp in tps}
        except Exception:  # noqa: BLE001 - not started, or rebalancing: no partition is idle now
            return {}

    async def sweep_seen(self, partition: int) -> int:
        """Forget the clean-seen records of ids whose every version came from input
        `partition` and was published before the events state's horizon
        (`streams.clean.seen_expired`), so the table holds about as many days as the events
        state. Called from the clean agent's stream (Faust deletes a table entry only there,
        in the partition of the message being processed) at most every
        `seen_sweep_interval` seconds per partition; yields to the loop every 2,000 records."""
        now = time.monotonic()
        if self.latest_day is None or now - self.swept.get(partition, now) < self.settings.seen_sweep_interval:
            self.swept.setdefault(partition, now)
            return 0
        self.swept[partition] = now
        floor = datetime.combine(horizon(self.latest_day), datetime.min.time(), tzinfo=UTC).timestamp()
        expired, n = [], -1
        for n, key in enumerate(list(self.seen.keys())):  # a copy: the table changes as we go
            record = self.seen.get(key)
            if record is not None and seen_expired(record, floor, partition):
                expired.append(key)
            if n % 2000 == 1999:
                await asyncio.sleep(0)
        for key in expired:
            self.seen.pop(key, None)
        log.info("clean-seen: forgot %d of %d ids (partition %d, published before %s)", len(expired), n + 1,
                 partition, horizon(self.latest_day))  # fmt: skip
        return len(expired)

    async def on_shutdown(self, sender: Any, /, *args: Any, **kwargs: Any) -> None:
        """The worker stops: so do the extract pool's children."""
        await self.stop_pool()

    async def on_revoked(self, sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        """Partitions moved away: drop this worker's casualty gauges, so that after a
        rebalance only the new owner of a region reports it; the gauges of the partitions
        still owned come back from their state at the next watermark tick."""
        revoked = args[0] if args else kwargs.get("revoked", ())
        if any(tp.topic == self.settings.topic_extracted for tp in revoked):
            self.metrics.forget_totals()
            self.partitions.clear()  # reloaded from the table, which the new assignment recovers
            self.pending.clear()  # the owner after the rebalance sends every total again

    async def events_state(self, partition: int, offset: int) -> EventState:
        """The partition's state: from memory, or rebuilt from its table entries. After a
        rebuild (a restart, a rebalance) the outputs its next inputs may already have made
        are sent again (`EventState.resend`): what a crash kept from the broker is repaired,
        and consumers, who keep the latest revision and total per key, see no change."""
        state = self.partitions.get(partition)
        if state is None:
            state = self.partitions[partition] = load_state(partition, self.state.items(), self.settings.partitions)
            events, totals = state.resend(offset)
            for revision in events:
                await self.topics.events.send(key=revision.event_id.encode(), value=encode(revision))
            self.pending.update({t.key: t for t in totals})
            log.info("events partition %d loaded: %d candidates, %d events; sent again %d revisions, %d totals",
                     partition, len(state.candidates), len(state.events), len(events), len(totals))  # fmt: skip
        return state

    async def flush_totals(self) -> None:
        """Send the pending totals (the latest of each key) and observe them in the gauges."""
        pending, self.pending = self.pending, {}
        ingested, self.pending_ingested = self.pending_ingested, []
        for total in pending.values():
            await self.topics.totals.send(key=total.key.encode(), value=encode(total))
            self.metrics.observe_total(total)
        self.pending_since = None
        now = time.time()
        for at in ingested:
            self.metrics.end_to_end_seconds.observe(max(0.0, now - at))

    def save_state(self, partition: int, offset: int, state: EventState, step: Step) -> None:
        """Write the entries `step` changed, in the order of `streams.state.writes`."""
        for key, value in writes(partition, state, step, offset):
            if value is None:
                self.state.pop(key, None)
            else:
                self.state[key] = value
        state.mark_written(step, offset)

    async def events_agent(self, stream: faust.StreamT[Any]) -> None:
        """Decode, step, send, save: no wait for the broker per message. A crash may leave
        the table ahead of the outputs (or behind them); the inputs after the last commit
        come again, and the state rebuilt at the restart sends again what they wrote
        (`events_state`), so nothing sent is lost and nothing is counted twice. The stage
        updates the partition's in-memory state in place; if it fails half-way, that state
        is dropped and rebuilt from the table, which it had not reached.

        Totals are coalesced: a changed total waits in `pending` (the latest per key) until
        the agent has no input waiting, or `totals_flush_interval` has passed since the
        oldest pending one; under load a region's total is sent once per interval, not
        once per article (a total is the latest value of its key: nothing is lost)."""
        async for event in stream.events():
            msg = event.message
            started = time.perf_counter()
            try:
                state = await self.events_state(msg.partition, msg.offset)
                body = orjson.loads(msg.value or b"{}")
                if body.get("kind") == "watermark":
                    tick = WatermarkTick.model_validate(body)
                    step = step_watermark(state, tick.day, tick.sources)
                    resync = [] if step.totals else state.current_totals()  # gauges only (see on_revoked)
                    ingested = None
                else:
                    # the stage reads the candidates, not the entity lists (most of a copy's bytes):
                    # those are left out rather than validated again (a topic we wrote ourselves)
                    article = ExtractedArticle.model_validate({k: v for k, v in body.items() if k not in _ENTITIES})
                    step = step_article(state, article)
                    resync = []
                    ingested = article.timing.ingested
            except Exception as exc:  # noqa: BLE001 - a bug must not stop the stream
                log.exception("events failed")
                self.partitions.pop(msg.partition, None)
                await self.dead_letter(event, "events", "internal_error", repr(exc))
                continue
            for revision in step.revisions:
                await self.topics.events.send(key=revision.event_id.encode(), value=encode(revision))
            try:
                self.save_state(msg.partition, msg.offset, state, step)
            except Exception as exc:  # noqa: BLE001 - a bug must not stop the stream
                log.exception("events state not saved")
                self.partitions.pop(msg.partition, None)
                await self.dead_letter(event, "events", "internal_error", repr(exc))
                continue
            if step.late:
                self.metrics.late_candidates.inc(step.late)
            if step.evicted:
                self.metrics.evicted_events.inc(len(step.evicted))
            for revision in step.revisions:
                self.metrics.observe_event(revision)
            for total in resync:
                self.metrics.observe_total(total)
            if step.totals:
                self.pending.update({t.key: t for t in step.totals})
                self.pending_since = self.pending_since or time.monotonic()
                if ingested:
                    self.pending_ingested.append(ingested)
            if state.watermark:
                self.metrics.watermark.set(datetime(*state.watermark.timetuple()[:3], tzinfo=UTC).timestamp())
            if state.low:
                self.metrics.low_watermark.set(datetime(*state.low.timetuple()[:3], tzinfo=UTC).timestamp())
            self.metrics.stage_time("events", time.perf_counter() - started)
            if self.pending and (_caught_up(stream) or self.overdue()):
                await self.flush_totals()

    def overdue(self) -> bool:
        since = self.pending_since
        return since is not None and time.monotonic() - since >= self.settings.totals_flush_interval


def _caught_up(stream: faust.StreamT[Any]) -> bool:
    """Whether no input is waiting in the agent's buffer (Faust's channel queue)."""
    empty = getattr(stream.channel, "empty", None)
    return bool(empty()) if callable(empty) else True


def build_pipeline(settings: Settings, metrics: Metrics) -> Pipeline:
    """The app with every agent registered."""
    from streams.app import create_app
    from streams.faust_fixes import install_faust_fixes

    install_faust_fixes()
    if settings.embedded_broker:
        from streams.broker import install_embedded_compat

        install_embedded_compat()
    return Pipeline(create_app(settings), settings, metrics)
