"""Broker watchdog: a worker never hangs silently when the broker goes away.

Every `interval` seconds the worker reads the end offsets of `articles.raw` from the
broker (a Fetch, as in `streams.broker.fetch_end_offsets`). `BrokerWatch.observe` decides:

- `ok`: the broker answered;
- `waiting`: no answer, for less than `broker_lost_timeout` seconds: the Kafka clients
  reconnect by themselves when the broker is back (a restart, a network blip);
- `lost`: no answer for `broker_lost_timeout` seconds: the worker exits with code 3
  (`EXIT_BROKER_LOST`) and a message saying so. Its state is safe (tables in changelogs
  and, with RocksDB, on disk; offsets committed only after the outputs), so a restarted
  worker resumes where the group last committed: exiting is the same as a `kill -9`,
  which the chaos test proves harmless;
- `rewound`: the broker answers, but a partition of `articles.raw` is gone or its end
  offset went backwards: the broker lost its data (the embedded broker keeps everything
  in memory). The worker's state no longer matches the broker's, so it exits with code 4
  (`EXIT_BROKER_REWOUND`); docs/OPERATIONS.md ("Broker restart") gives the procedure.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Literal

from aiokafka import AIOKafkaConsumer, TopicPartition

__all__ = ["BrokerWatch", "Verdict", "EXIT_BROKER_LOST", "EXIT_BROKER_REWOUND", "message", "probe_end_offsets",
           "bootstrap_servers"]  # fmt: skip

EXIT_BROKER_LOST = 3
EXIT_BROKER_REWOUND = 4

Verdict = Literal["ok", "waiting", "lost", "rewound"]


@dataclass
class BrokerWatch:
    """What the watchdog knows: when the broker was last seen and the highest end offsets."""

    timeout: float
    last_seen: float
    ends: dict[int, int] = field(default_factory=dict)  # partition -> highest end offset seen
    detail: str = ""

    def observe(self, now: float, ends: dict[int, int] | None) -> Verdict:
        """One probe's result (`None`: no answer) at monotonic time `now`."""
        if ends is None:
            silent = now - self.last_seen
            self.detail = f"no answer from the broker for {silent:.0f}s"
            return "lost" if silent >= self.timeout else "waiting"
        self.last_seen = now
        gone = sorted(p for p in self.ends if p not in ends)
        back = sorted(p for p, end in ends.items() if end < self.ends.get(p, 0))
        if gone or back:
            where = [f"partition {p} is gone" for p in gone]
            where += [f"partition {p} ends at {ends[p]}, it ended at {self.ends[p]}" for p in back]
            self.detail = "; ".join(where)
            return "rewound"
        for partition, end in ends.items():
            self.ends[partition] = max(end, self.ends.get(partition, 0))
        self.detail = ""
        return "ok"


def message(verdict: Verdict, broker: str, topic: str, detail: str) -> str:
    """The line a worker prints before it exits."""
    if verdict == "lost":
        return (f"tollwatch worker: broker {broker} unreachable ({detail}); exiting with code {EXIT_BROKER_LOST} "
                "so that the supervisor restarts the worker (state and committed offsets are kept; "
                "see docs/OPERATIONS.md, 'Broker restart')")  # fmt: skip
    return (f"tollwatch worker: broker {broker} lost the data of {topic} ({detail}): it was restarted "
            f"without its storage; exiting with code {EXIT_BROKER_REWOUND}. Recreate the topics, start the "
            "workers on empty data directories and re-send the inputs "
            "(docs/OPERATIONS.md, 'Broker restart')")  # fmt: skip


def bootstrap_servers(broker: str) -> list[str]:
    """HOST:PORT list of a Faust broker setting ("kafka://a:9092;kafka://b:9092")."""
    return [
        part.strip().split("://", 1)[-1].rstrip("/") for part in broker.replace(",", ";").split(";") if part.strip()
    ]


async def probe_end_offsets(bootstrap: list[str], topic: str, timeout: float = 10.0,
                            **client: Any) -> dict[int, int] | None:  # fmt: skip
    """End offset of each partition of `topic` ({} if the topic is gone), or None if the
    broker did not answer within `timeout` seconds. End offsets come from Fetch responses."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=50,
                                max_partition_fetch_bytes=65_536, request_timeout_ms=int(timeout * 1000),
                                **client)  # fmt: skip

    async def probe() -> dict[int, int]:
        await consumer.start()
        await consumer._client.force_metadata_update()  # noqa: SLF001 - aiokafka has no public call
        partitions = sorted(consumer.partitions_for_topic(topic) or ())
        if not partitions:
            return {}
        tps = [TopicPartition(topic, p) for p in partitions]
        consumer.assign(tps)
        for tp in tps:
            consumer.seek(tp, 0)
        while any(consumer.highwater(tp) is None for tp in tps):
            await consumer.getmany(timeout_ms=100, max_records=1)
        return {tp.partition: int(consumer.highwater(tp) or 0) for tp in tps}

    try:
        return await asyncio.wait_for(probe(), timeout)
    except Exception:  # noqa: BLE001 - any failure to answer is "no answer"
        return None
    finally:
        try:
            await asyncio.wait_for(consumer.stop(), 5.0)
        except Exception:  # noqa: BLE001
            pass
