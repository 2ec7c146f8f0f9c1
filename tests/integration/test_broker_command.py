"""`tollwatch broker`: the embedded broker in the foreground, for trying the tools locally."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time

import pytest

from streams.broker import free_port
from streams.kafka_io import read_topic
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.integration


def test_the_broker_command_serves_produce_and_stops_with_its_broker_on_sigterm() -> None:
    port = free_port()
    broker = subprocess.Popen([sys.executable, "-m", "streams.cli", "broker", "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert broker.stderr is not None
        first = broker.stderr.readline()
        assert first.startswith(f"embedded Kafka-protocol broker (Tansu, in memory) on 127.0.0.1:{port}"), first
        done = subprocess.run([sys.executable, "-m", "streams.cli", "produce", str(SEEDS), "--broker",
                               f"127.0.0.1:{port}"], cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert len(asyncio.run(read_topic(f"127.0.0.1:{port}", "articles.raw"))) == 2
        broker.send_signal(signal.SIGTERM)
        broker.wait(timeout=30)
        deadline = time.monotonic() + 10  # the Tansu child is stopped with it: the port is free again
        while time.monotonic() < deadline:
            probe = subprocess.run(["bash", "-c", f"exec 3<>/dev/tcp/127.0.0.1/{port}"], capture_output=True)
            if probe.returncode != 0:
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"something still listens on 127.0.0.1:{port} after the broker command ended")
    finally:
        if broker.poll() is None:
            broker.kill()
            broker.wait()
        if broker.stderr is not None:
            broker.stderr.close()
