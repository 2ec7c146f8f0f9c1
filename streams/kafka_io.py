"""Small aiokafka helpers for the CLI and tests: create topics, produce, read to the end, lag.

End offsets come from Fetch responses (`highwater`), not ListOffsets, which the
embedded broker answers wrongly (docs/ARCHITECTURE.md, "Embedded broker").

Every helper takes the connection security (TOLLWATCH_SECURITY_PROTOCOL, TOLLWATCH_SASL_*,
TOLLWATCH_SSL_*) from a `settings` keyword; without it the clients connect in PLAINTEXT as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from streams.config import Settings
from streams.security import check_broker_url, client_kwargs

__all__ = [
    "create_topics", "produce", "read_topic", "group_lag", "quiet_client_logs", "topic_partitions", "topic_specs",
]  # fmt: skip

Record = tuple[bytes | None, bytes, int, int]  # key, value, partition, offset


def _security(bootstrap: str, settings: Settings | None) -> dict[str, Any]:
    """aiokafka security kwargs for `settings` (none without), after refusing credentials in `bootstrap`."""
    check_broker_url(bootstrap, "the bootstrap address")
    return client_kwargs(settings) if settings is not None else {}


@contextlib.contextmanager
def quiet_client_logs() -> Iterator[None]:
    """aiokafka's own log records dropped for the block: for commands that say a connection
    error once, in their own words (the level is restored after)."""
    client_log = logging.getLogger("aiokafka")
    level = client_log.level
    client_log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        client_log.setLevel(level)


def topic_specs(settings: Settings) -> dict[str, dict[str, str]]:
    """Every topic the pipeline uses, with its configs: totals, events and outcomes are compacted
    (the latest record of a key is what it means, and consumers rebuild the current state by
    reading from the start: docs/CONSUMERS.md). No agent consumes a compacted topic."""
    compact = {"cleanup.policy": "compact"}
    return {
        settings.topic_raw: {},
        settings.topic_clean: {},
        settings.topic_extracted: {},
        settings.topic_events: compact,
        settings.topic_totals: compact,
        settings.topic_deadletter: {},
        settings.topic_outcomes: compact,
    }


async def create_topics(bootstrap: str, settings: Settings) -> None:
    """Create the pipeline's topics (configs and partitions set at creation), connecting with the
    security of the same `settings`."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **_security(bootstrap, settings))
    await admin.start()
    try:
        for name, config in topic_specs(settings).items():
            try:
                await admin.create_topics(
                    [NewTopic(name, settings.partitions, settings.replication_factor, topic_configs=config)]
                )
            except TopicAlreadyExistsError:
                pass
    finally:
        await admin.close()


async def produce(
    bootstrap: str,
    topic: str,
    messages: Iterable[tuple[bytes | None, bytes]],
    *,
    settings: Settings | None = None,
    acked: Callable[[int], None] | None = None,
) -> int:
    """Send (key, value) pairs and wait for every acknowledgement; returns the count.
    `acked(1)` is called as each is acknowledged. Raises aiokafka's `KafkaError` when the
    broker cannot be reached or refuses a record (the records before it may have been sent)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, max_batch_size=1_048_576,
                                max_request_size=33_554_432, **_security(bootstrap, settings))  # fmt: skip
    try:
        await producer.start()
        futures = []
        for key, value in messages:
            future = await producer.send(topic, value=value, key=key)
            if acked is not None:
                future.add_done_callback(lambda done: done.cancelled() or done.exception() or acked(1))
            futures.append(future)
        await asyncio.gather(*futures)
        return len(futures)
    finally:
        await producer.stop()


async def topic_partitions(consumer: AIOKafkaConsumer, topic: str, timeout: float = 10.0) -> list[TopicPartition]:
    """Every partition of `topic` from the broker's metadata, waiting up to `timeout` seconds
    for it to appear; [] if it does not (asking never creates the topic)."""
    deadline = time.monotonic() + timeout
    while True:
        parts = consumer.partitions_for_topic(topic)
        if parts:
            return [TopicPartition(topic, p) for p in sorted(parts)]
        if time.monotonic() > deadline:
            return []
        await consumer._client.force_metadata_update()  # noqa: SLF001 - aiokafka has no public call
        await asyncio.sleep(0.2)


async def read_topic(
    bootstrap: str, topic: str, timeout: float = 30.0, *, settings: Settings | None = None
) -> list[Record]:
    """Every record of `topic` from the beginning to its current end."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest",
                                fetch_max_wait_ms=100, **_security(bootstrap, settings))  # fmt: skip
    await consumer.start()
    out: list[Record] = []
    try:
        tps = await topic_partitions(consumer, topic)
        if not tps:
            return out
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                out.extend((r.key, r.value, r.partition, r.offset) for r in records)
            positions = [await consumer.position(tp) for tp in tps]
            ends = [consumer.highwater(tp) for tp in tps]
            if all(h is not None and p >= h for p, h in zip(positions, ends, strict=True)):
                return out
        raise TimeoutError(f"could not read {topic} to its end within {timeout:.0f}s")
    finally:
        await consumer.stop()


async def group_lag(bootstrap: str, group: str, topics: list[str], *, settings: Settings | None = None) -> int | None:
    """Messages in `topics` that consumer group `group` has not committed yet; None when the
    end of some partition could not be learnt within about 2 s (unknown is not zero)."""
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False,
                             fetch_max_wait_ms=100, **_security(bootstrap, settings))  # fmt: skip
    await probe.start()
    try:
        tps = [tp for t in topics for tp in await topic_partitions(probe, t)]
        committed = {tp: (await probe.committed(tp)) or 0 for tp in tps}
        probe.assign(tps)
        for tp in tps:
            probe.seek(tp, committed[tp])
        for _ in range(20):
            await probe.getmany(timeout_ms=100)
            if all(probe.highwater(tp) is not None for tp in tps):
                break
        ends = {tp: probe.highwater(tp) for tp in tps}
        if any(end is None for end in ends.values()):
            return None
        return sum(max(0, (ends[tp] or 0) - committed[tp]) for tp in tps)
    finally:
        await probe.stop()
