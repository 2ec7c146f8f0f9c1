"""The extract agent's delivery when the broker refuses writes: dead-letter, or exit before
an unsent input can be acknowledged; a pool that fails to start does not stop the worker."""

from __future__ import annotations

import asyncio
import os
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from schemas import DeadLetter, decode
from streams.agents import Pipeline, build_pipeline
from streams.config import Settings
from streams.metrics import Metrics
from streams.offload import Extracted
from streams.watchdog import EXIT_BROKER_LOST


def pipeline(**settings: Any) -> Pipeline:
    return build_pipeline(Settings(broker="kafka://127.0.0.1:1", metrics_port=0, **settings),
                          Metrics.create(CollectorRegistry()))  # fmt: skip


EVENT: Any = SimpleNamespace(message=SimpleNamespace(value=b'{"article_id": "a"}', key=b"a", topic="articles.clean",
                                                     partition=0, offset=7, timestamp=0.0))  # fmt: skip
RESULT = Extracted(copies=[(b"ML", b"{}")], mentions=[], day=date(2026, 1, 1), seconds=0.001)


async def refuse(*args: Any, **kwargs: Any) -> None:
    raise ConnectionError("broker refuses the write")


def test_a_failed_send_dead_letters_the_article(monkeypatch: pytest.MonkeyPatch) -> None:
    p = pipeline()
    letters: list[bytes] = []

    async def keep(key: bytes | None = None, value: bytes = b"", **kwargs: Any) -> None:
        letters.append(value)

    monkeypatch.setattr(p.topics.extracted, "send", refuse)
    monkeypatch.setattr(p.topics.deadletter, "send", keep)
    asyncio.run(p.deliver(EVENT, RESULT))
    (letter,) = [decode(DeadLetter, v) for v in letters]
    assert (letter.stage, letter.reason, letter.offset) == ("extract", "internal_error", 7)
    assert "broker refuses the write" in letter.detail


def test_when_not_even_the_dead_letter_goes_out_the_worker_exits_unacknowledged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p = pipeline()
    monkeypatch.setattr(p.topics.extracted, "send", refuse)
    monkeypatch.setattr(p.topics.deadletter, "send", refuse)
    codes: list[int] = []

    def exit_now(code: int) -> None:
        codes.append(code)
        raise SystemExit(code)

    monkeypatch.setattr(os, "_exit", exit_now)  # the module the agent calls it from
    with pytest.raises(SystemExit):
        asyncio.run(p.deliver(EVENT, RESULT))
    assert codes == [EXIT_BROKER_LOST]


def test_a_pool_that_fails_to_start_leaves_the_worker_running(monkeypatch: pytest.MonkeyPatch) -> None:
    p = pipeline(extract_processes=1)
    assert p.pool is not None
    monkeypatch.setattr(p.pool, "start", refuse)
    asyncio.run(p.start_pool())  # logged, not raised: the first batch starts the pool again
    assert p.pool._executor is None
