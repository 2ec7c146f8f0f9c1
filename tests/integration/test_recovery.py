"""Table recovery from changelogs on the embedded broker (streams/broker.py's compatibility
layer; ../shared/TANSU.md): a worker started on an empty data directory rebuilds its
tables from their changelog topics, all of them."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from bench.generate import chaos_articles
from schemas import RegionalTotal
from streams.broker import EmbeddedBroker, fetch_end_offsets
from streams.demo import (
    latest_totals,
    settings_from,
    start_worker,
    stop_process,
    wait_accounted,
    worker_env,
)
from streams.kafka_io import create_topics, produce

pytestmark = pytest.mark.integration


async def _write_and_read_ends(bootstrap: str) -> tuple[int, int]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20)
    await producer.start()
    try:
        sent = [await producer.send("ends-probe", b"x" * 10, partition=0) for _ in range(1000)]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()
    tp = TopicPartition("ends-probe", 0)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        listed = (await consumer.end_offsets([tp]))[tp]
    finally:
        await consumer.stop()
    return listed, (await fetch_end_offsets(bootstrap, [tp]))[tp]


def test_end_offsets_from_fetch_are_exact() -> None:
    """The layer's reason to exist: ListOffsets(LATEST) stops at the last batch's base
    offset on the embedded broker; the Fetch highwater is the true end."""
    with EmbeddedBroker() as broker:
        listed, fetched = asyncio.run(_write_and_read_ends(broker.bootstrap))
    assert fetched == 1000
    assert listed < 1000  # if Tansu ever answers right, the layer can go (docs/ARCHITECTURE.md)


def _run(tmp_path: Path, name: str, compat: bool, batches: list[list[tuple[bytes | None, bytes]]],
         kill_between: bool, fresh: bool = True) -> tuple[dict[str, int], dict[str, RegionalTotal]]:  # fmt: skip
    """Send the batches one after the other to a worker (RocksDB store); with `kill_between`,
    SIGKILL it after each batch is processed and start the next on an empty data directory
    (or, unless `fresh`, on the same one)."""
    with EmbeddedBroker(log_path=tmp_path / f"{name}-broker.log") as broker:
        env = worker_env(broker.bootstrap, str(tmp_path / f"{name}-0"), embedded=True, store="rocksdb://")
        env["TOLLWATCH_EMBEDDED_BROKER"] = "true" if compat else "false"
        settings = settings_from(env)
        log = tmp_path / f"{name}-worker.log"
        asyncio.run(create_topics(broker.bootstrap, settings))
        worker = start_worker(env, log)
        sent = 0
        try:
            for number, batch in enumerate(batches):
                if number and kill_between:
                    worker.send_signal(signal.SIGKILL)
                    worker.wait(30)
                    if fresh:
                        env["TOLLWATCH_DATA_DIR"] = str(tmp_path / f"{name}-{number}")
                    worker = start_worker(env, log)
                asyncio.run(produce(broker.bootstrap, settings.topic_raw, batch))
                sent += len(batch)
                counts = asyncio.run(wait_accounted(broker.bootstrap, settings, sent, 240, worker))
            totals = asyncio.run(latest_totals(broker.bootstrap, settings))
        except BaseException:
            print(log.read_text(errors="replace")[-4000:])
            raise
        finally:
            stop_process(worker)
    return counts, {t.key: t for t in totals}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, int], dict[str, RegionalTotal]]:
    """One worker, never killed, on the same batches."""
    return _run(tmp_path_factory.mktemp("reference"), "ref", True, BATCHES, kill_between=False)


ARTICLES = chaos_articles(400, seed=5)
BATCHES = [ARTICLES[:300], ARTICLES[:300] + ARTICLES[300:]]  # the first 300, then all of them again and 100 new


def test_a_worker_on_an_empty_data_dir_recovers_every_table_entry(
    tmp_path: Path, reference: tuple[dict[str, int], dict[str, RegionalTotal]]
) -> None:
    """Worker 1 takes 300 articles and is killed; worker 2 starts on an empty data directory
    (everything must come from the changelogs) and gets the same 300 again plus 100 new
    ones: it knows every article worker 1 saw (same accounting, same totals as one
    uninterrupted worker)."""
    counts, totals = _run(tmp_path, "killed", True, BATCHES, kill_between=True)
    want_counts, want_totals = reference
    assert want_counts["duplicate"] > 250 and want_counts["received"] == 700
    assert counts == want_counts
    assert totals == want_totals


def test_without_the_layer_a_worker_restarted_on_its_own_rocksdb_store_refuses_to_start(tmp_path: Path) -> None:
    """Restarted on its own data directory (a container keeping its volume), the worker
    compares the offsets its RocksDB store applied with the changelog's end. Without the
    layer the end is read short and Faust refuses to start (ConsistencyError: persisted
    offset higher than the highwater). With it, the chaos test restarts workers on their
    own volumes three times and gets every total right (tests/chaos)."""
    with pytest.raises(RuntimeError, match="worker exited"):
        _run(tmp_path, "same", False, BATCHES, kill_between=True, fresh=False)
    assert "ConsistencyError" in (tmp_path / "same-worker.log").read_text(errors="replace")
