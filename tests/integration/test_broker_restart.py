"""What a worker does when the broker goes away (streams/watchdog.py, docs/OPERATIONS.md
"Broker restart"), and that the documented procedure recovers the right totals.

These tests always start their own embedded broker (they must stop and restart it),
behind a TCP proxy for the outages that keep the broker's data. The seeds give known
totals: ML/Mopti 30 and ML/Kidal 50 killed (all time).
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from streams.broker import EmbeddedBroker, free_port
from streams.config import Settings
from streams.demo import latest_totals, settings_from, start_worker, stop_process, wait_accounted, worker_env
from streams.inputs import load_inputs
from streams.kafka_io import create_topics, produce
from streams.watchdog import EXIT_BROKER_LOST, EXIT_BROKER_REWOUND
from tests.conftest import SEEDS
from tests.integration.proxy import Proxy

pytestmark = pytest.mark.integration

FIRST, SECOND = (load_inputs([path]) for path in sorted(SEEDS.glob("*.json")))
WANT = {"ML/Mopti/all": 30, "ML/Kidal/all": 50}


@dataclass
class Setup:
    broker: EmbeddedBroker
    proxy: Proxy
    env: dict[str, str]
    settings: Settings
    log: Path

    def worker(self) -> subprocess.Popen[bytes]:
        return start_worker(self.env, self.log)

    def send(self, messages: list[tuple[bytes | None, bytes]]) -> None:
        asyncio.run(produce(self.broker.bootstrap, self.settings.topic_raw, messages))

    def wait(self, received: int, worker: subprocess.Popen[bytes]) -> dict[str, int]:
        return asyncio.run(wait_accounted(self.broker.bootstrap, self.settings, received, 120, worker))

    def totals(self) -> dict[str, int]:
        return {t.key: t.killed_low for t in asyncio.run(latest_totals(self.broker.bootstrap, self.settings))}


@pytest.fixture
def setup(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Setup]:
    timeout = request.node.get_closest_marker("lost_timeout")
    front, back = free_port(), free_port()
    broker = EmbeddedBroker(back, tmp_path / "broker.log", advertised_port=front).start()
    proxy = Proxy(front, back).start()
    env = worker_env(broker.bootstrap, str(tmp_path / "data"), embedded=True, store="rocksdb://")
    env["TOLLWATCH_BROKER_LOST_TIMEOUT"] = str(timeout.args[0] if timeout else 60)
    settings = settings_from(env)
    asyncio.run(create_topics(broker.bootstrap, settings))
    made = Setup(broker, proxy, env, settings, tmp_path / "worker.log")
    try:
        yield made
    except BaseException:
        print(made.log.read_text(errors="replace")[-5000:])
        raise
    finally:
        proxy.stop()
        broker.stop()


def _exit_code(worker: subprocess.Popen[bytes], within: float) -> int | None:
    try:
        return worker.wait(within)
    except subprocess.TimeoutExpired:
        return None


def test_a_short_outage_is_ridden_out(setup: Setup) -> None:
    worker = setup.worker()
    try:
        setup.send(FIRST)
        setup.wait(1, worker)
        setup.proxy.cut()
        time.sleep(12)  # a fifth of the 60 s timeout: the worker waits, and says so
        assert worker.poll() is None, setup.log.read_text(errors="replace")[-3000:]
        setup.proxy.restore()
        setup.send(SECOND)
        counts = setup.wait(2, worker)
        assert counts["cleaned"] == 2
        totals = setup.totals()
        assert {key: totals[key] for key in WANT} == WANT
        assert "broker: no answer from the broker" in setup.log.read_text(errors="replace")
    finally:
        stop_process(worker)


@pytest.mark.lost_timeout(10)
def test_a_long_outage_exits_3_and_a_restart_resumes(setup: Setup) -> None:
    worker = setup.worker()
    setup.send(FIRST)
    setup.wait(1, worker)
    setup.proxy.cut()
    code = _exit_code(worker, 60)
    if code is None:
        worker.send_signal(signal.SIGKILL)
    assert code == EXIT_BROKER_LOST
    log = setup.log.read_text(errors="replace")
    assert "unreachable (no answer from the broker for 1" in log and "exiting with code 3" in log
    # the procedure for a broker that keeps its data: the supervisor restarts the worker
    setup.proxy.restore()
    worker = setup.worker()
    try:
        setup.send(SECOND)
        setup.wait(2, worker)
        totals = setup.totals()
        assert {key: totals[key] for key in WANT} == WANT
    finally:
        stop_process(worker)


def test_a_broker_that_lost_its_data_makes_the_worker_exit_4_and_the_procedure_recovers(
    setup: Setup, tmp_path: Path
) -> None:
    worker = setup.worker()
    setup.send(FIRST)
    setup.wait(1, worker)
    setup.broker.stop()  # the embedded broker keeps everything in memory: all is gone
    setup.broker.start()
    code = _exit_code(worker, 90)
    if code is None:
        worker.send_signal(signal.SIGKILL)
    assert code == EXIT_BROKER_REWOUND, setup.log.read_text(errors="replace")[-3000:]
    assert "lost the data of articles.raw" in setup.log.read_text(errors="replace")
    # the documented procedure: topics again, workers on empty data directories, inputs again
    asyncio.run(create_topics(setup.broker.bootstrap, setup.settings))
    setup.env["TOLLWATCH_DATA_DIR"] = str(tmp_path / "data-after")
    worker = setup.worker()
    try:
        setup.send(FIRST + SECOND)
        setup.wait(2, worker)
        totals = setup.totals()
        assert {key: totals[key] for key in WANT} == WANT
    finally:
        stop_process(worker)
