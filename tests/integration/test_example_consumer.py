"""examples/consume_totals.py, written only from docs/CONSUMERS.md, reads the same totals as TollWatch."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import select
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from streams.broker import EmbeddedBroker, free_port
from streams.demo import drive, running_pipeline
from streams.inputs import load_inputs
from streams.kafka_io import read_topic
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.integration

CONSUMER = ROOT / "examples" / "consume_totals.py"


def consume(*args: str, timeout: float = 90.0) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, str(CONSUMER), *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=os.environ.copy())


def test_example_consumer_reads_the_project_totals(bootstrap: str | None) -> None:
    """Seeds, then a multi-outlet stream whose toll is revised: several records per key, latest wins."""
    inputs = load_inputs([SEEDS, ROOT / "tests" / "data" / "bankass_stream.jsonl"])
    with running_pipeline(bootstrap) as run:
        result = asyncio.run(drive(run, inputs, timeout=180.0))
        topic = run.settings.topic_totals
        records = asyncio.run(read_topic(run.bootstrap, topic, settings=run.settings))
        # strict: also refuse fields the schema does not know (CONSUMERS.md: strict validation catches drift in a test)
        as_json = consume("--bootstrap", run.bootstrap, "--topic", topic, "--json", "--strict")
        as_table = consume("--bootstrap", run.bootstrap, "--topic", topic)

    # the project's own answer, by key, every field
    expected = {t.key: t.model_dump(mode="json") for t in result.totals}

    # the topic really holds several, different records of a key: "latest wins" was exercised
    history: dict[str, list[Any]] = defaultdict(list)
    for raw_key, value, _, _ in sorted(records, key=lambda r: (r[2], r[3])):
        assert raw_key is not None and value is not None
        history[raw_key.decode()].append(json.loads(value))
    assert set(history) == set(expected)
    revised = [k for k, values in history.items() if len(values) > 1 and values[0] != values[-1]]
    assert revised, "no key has more than one distinct record: the test does not exercise 'latest wins'"
    assert any(history[k][0]["killed_best"] != history[k][-1]["killed_best"] for k in revised)

    assert as_json.returncode == 0, as_json.stderr[-3000:]
    lines = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert [x["key"] for x in lines] == sorted(expected), "one object per key, sorted by key"
    got = {x["key"]: x["total"] for x in lines}
    for key, total in expected.items():
        assert got[key] == total, key
    for key in revised:
        assert got[key] == history[key][-1] != history[key][0]
    windows: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for total in got.values():
        windows[(total["country"], total["admin1"])].add(total["window"])
    assert all(w == {"7d", "30d", "365d", "all"} for w in windows.values()), "each region has exactly four keys"

    assert as_table.returncode == 0, as_table.stderr[-3000:]
    assert f"({len(expected)} keys)" in as_table.stdout
    assert "Mopti" in as_table.stdout and "(country)" in as_table.stdout


def test_example_consumer_fails_clearly_without_a_broker() -> None:
    port = free_port()  # bound and released: nothing listens there
    done = consume("--bootstrap", f"127.0.0.1:{port}", "--json", timeout=60.0)
    assert done.returncode == 2
    assert done.stdout == ""
    assert f"error: cannot connect to Kafka at 127.0.0.1:{port}" in done.stderr


def total(admin1: str | None, best: int, **extra: Any) -> dict[str, Any]:
    return {"schema_version": 1, "country": "ML", "admin1": admin1, "window": "all", "window_start": None,
            "window_end": "2025-06-04", "as_of": "2025-06-04", "killed_low": best, "killed_best": best,
            "killed_high": best, "wounded": 0, "kidnapped": 0, "events": 1, **extra}  # fmt: skip


@contextlib.contextmanager
def broker_and_topic(bootstrap: str | None) -> Iterator[tuple[str, str]]:
    """A broker (the embedded one unless KAFKA_BOOTSTRAP) and a fresh two-partition topic on it."""
    with contextlib.ExitStack() as stack:
        if bootstrap is None:
            bootstrap = stack.enter_context(EmbeddedBroker()).bootstrap
        topic = f"example.totals.{uuid.uuid4().hex[:8]}"

        async def create() -> None:
            admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
            await admin.start()
            try:
                await admin.create_topics([NewTopic(topic, 2, 1)])
            finally:
                await admin.close()

        asyncio.run(create())
        yield bootstrap, topic


def send(bootstrap: str, topic: str, records: list[tuple[str, bytes | None]]) -> None:
    """In this order, all on partition 0 (partition 1 stays empty: its end must be found too)."""

    async def go() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
        await producer.start()
        try:
            for key, value in records:
                await producer.send_and_wait(topic, value, key=key.encode(), partition=0)
        finally:
            await producer.stop()

    asyncio.run(go())


def as_bytes(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def test_example_consumer_applies_the_record_rules(bootstrap: str | None) -> None:
    """Tombstones delete, a missing field takes its default, unknown fields are ignored (strict: refused),
    a newer schema_version or an invalid value is skipped and reported, with exit status 1."""
    kidal = total("Kidal", 50)
    del kidal["schema_version"], kidal["wounded"]  # missing: schema_version 1, wounded 0
    records: list[tuple[str, bytes | None]] = [
        ("ML/Mopti/all", as_bytes(total("Mopti", 30))),
        ("ML/Mopti/all", as_bytes(total("Mopti", 41, added_later="x"))),
        ("ML/Kidal/all", as_bytes(kidal)),
        ("ML/Gao/all", as_bytes(total("Gao", 5))),
        ("ML/Gao/all", None),
        ("ML/Mopti/all", as_bytes(total("Mopti", 99, schema_version=2))),
        ("ML/Kayes/all", as_bytes(total("Kayes", -1))),
        ("ML/Ségou/all", b"not json"),
    ]
    with broker_and_topic(bootstrap) as (server, topic):
        send(server, topic, records)
        lenient = consume("--bootstrap", server, "--topic", topic, "--json")
        strict = consume("--bootstrap", server, "--topic", topic, "--json", "--strict")

    assert lenient.returncode == 1, lenient.stderr[-3000:]
    got = {x["key"]: x["total"] for x in map(json.loads, lenient.stdout.splitlines())}
    assert got == {"ML/Kidal/all": {**kidal, "schema_version": 1, "wounded": 0}, "ML/Mopti/all": total("Mopti", 41)}
    assert "schema_version 2" in lenient.stderr and "3 record(s) skipped" in lenient.stderr
    assert strict.returncode == 1, strict.stderr[-3000:]
    got = {x["key"]: x["total"] for x in map(json.loads, strict.stdout.splitlines())}
    assert got["ML/Mopti/all"] == total("Mopti", 30) and "4 record(s) skipped" in strict.stderr


class Lines:
    """Lines of a child's stdout, each within a deadline (os.read: no buffer hidden from select)."""

    def __init__(self, proc: subprocess.Popen[bytes], deadline: float) -> None:
        assert proc.stdout is not None
        self.proc, self.fd, self.deadline, self.buffer = proc, proc.stdout.fileno(), deadline, b""

    def next(self) -> Any:
        while b"\n" not in self.buffer:
            assert time.monotonic() < self.deadline, "no output from the consumer in time"
            ready, _, _ = select.select([self.fd], [], [], 0.5)
            if ready:
                chunk = os.read(self.fd, 65536)
                assert chunk, f"consumer exited with {self.proc.wait(10)}"
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)


def test_example_consumer_follows_changes(bootstrap: str | None) -> None:
    with broker_and_topic(bootstrap) as (server, topic):
        send(server, topic, [("ML/Mopti/all", as_bytes(total("Mopti", 30)))])
        cmd = [sys.executable, str(CONSUMER), "--bootstrap", server, "--topic", topic, "--json", "--follow"]
        with subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
            try:
                lines = Lines(proc, time.monotonic() + 60)
                assert lines.next()["total"]["killed_best"] == 30
                send(server, topic, [("ML/Mopti/all", as_bytes(total("Mopti", 41))), ("ML/Mopti/all", None)])
                assert lines.next() == {"key": "ML/Mopti/all", "total": total("Mopti", 41)}
                assert lines.next() == {"key": "ML/Mopti/all", "total": None}
            finally:
                proc.terminate()  # our own child only
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(10)
