"""The extract agent's watermark ticks: the latest day read, and per partition of
articles.clean the latest day read from it; sent when either the latest day or the
earliest partition's day advances, and by the timer, which counts an idle partition (nothing
left to read for `idle_timeout`) as being at the latest day."""

from __future__ import annotations

import asyncio
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from schemas import WatermarkTick, decode
from streams.agents import Pipeline, build_pipeline
from streams.config import Settings
from streams.metrics import Metrics
from streams.offload import Extracted


def pipeline(monkeypatch: pytest.MonkeyPatch, sent: list[tuple[int, WatermarkTick]], **settings: Any) -> Pipeline:
    p = build_pipeline(Settings(broker="kafka://127.0.0.1:1", metrics_port=0, **settings),
                       Metrics.create(CollectorRegistry()))  # fmt: skip

    async def send(key: bytes | None = None, value: bytes = b"", partition: int | None = None, **kw: Any) -> None:
        if key == b"~watermark":
            assert partition is not None
            sent.append((partition, decode(WatermarkTick, value)))

    monkeypatch.setattr(p.topics.extracted, "send", send)
    return p


def read(p: Pipeline, partition: int, offset: int, day: date) -> None:
    message = SimpleNamespace(value=b"{}", key=b"a", topic="articles.clean", partition=partition, offset=offset)
    event: Any = SimpleNamespace(message=message)
    asyncio.run(p.deliver(event, Extracted(copies=[], mentions=[], day=day, seconds=0.001)))


def test_a_tick_goes_out_when_the_latest_day_or_the_earliest_partition_day_advances(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent: list[tuple[int, WatermarkTick]] = []
    p = pipeline(monkeypatch, sent, partitions=2)
    read(p, 0, 0, date(2024, 5, 3))  # the latest day: a tick
    read(p, 1, 0, date(2024, 5, 1))  # partition 1 is new: the earliest day moves (to 1 May)
    read(p, 0, 1, date(2024, 5, 2))  # neither moves: no tick
    read(p, 1, 1, date(2024, 5, 2))  # the earliest does
    ticks = [t for partition, t in sent if partition == 0]
    assert [(t.day, t.sources) for t in ticks] == [
        (date(2024, 5, 3), {0: date(2024, 5, 3)}),
        (date(2024, 5, 3), {0: date(2024, 5, 3), 1: date(2024, 5, 1)}),
        (date(2024, 5, 3), {0: date(2024, 5, 3), 1: date(2024, 5, 2)}),
    ]
    assert [t for partition, t in sent if partition == 1] == ticks  # every events partition gets each


def test_the_timer_counts_a_partition_idle_long_enough_at_the_latest_day(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[tuple[int, WatermarkTick]] = []
    p = pipeline(monkeypatch, sent, partitions=4, idle_timeout=60)
    clock = [1000.0]
    monkeypatch.setattr("streams.agents.time.monotonic", lambda: clock[0])
    ends: dict[int, int | None] = {0: 5, 1: 0, 2: 12, 3: None}  # 1: empty; 3: end not known yet
    monkeypatch.setattr(p, "clean_ends", lambda: ends)
    read(p, 0, 4, date(2024, 5, 3))
    read(p, 2, 9, date(2024, 4, 20))  # behind, with messages left to read
    asyncio.run(p.retick())
    assert sent[-1][1].sources == {0: date(2024, 5, 3), 2: date(2024, 4, 20)}  # nothing idle for 60 s yet
    clock[0] += 61
    asyncio.run(p.retick())
    assert sent[-1][1].sources == {0: date(2024, 5, 3), 1: date(2024, 5, 3), 2: date(2024, 4, 20)}
    read(p, 2, 11, date(2024, 4, 22))  # partition 2 read to its end: idle once nothing came for 60 s
    asyncio.run(p.retick())
    assert sent[-1][1].sources[2] == date(2024, 4, 22)
    clock[0] += 61
    asyncio.run(p.retick())
    assert sent[-1][1].sources == {0: date(2024, 5, 3), 1: date(2024, 5, 3), 2: date(2024, 5, 3)}
    assert p.read == {0: date(2024, 5, 3), 2: date(2024, 4, 22)}  # what was read is not changed by the idle rule
