"""The pure parts of the end-to-end benchmark (bench/e2e.py), and one short run of its
pass-through reference on a broker."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from pathlib import Path

import orjson
import pytest

from bench.e2e import (
    Record,
    kept_up,
    match_latencies,
    measure,
    outcome_latencies,
    paced,
    percentile,
    quarter_rates,
    schedule,
    steady_rate,
    summary,
)
from streams.broker import EmbeddedBroker


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(100, 0, -1)]  # 1..100, unsorted
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([3.0], 99) == 3.0
    assert percentile([1.0, 2.0], 50) == 1.0 and percentile([1.0, 2.0], 51) == 2.0
    few = [0.1 * i for i in range(1, 151)]  # p99 of 150 values: the 149th smallest
    assert percentile(few, 99) == pytest.approx(14.9)


def test_percentile_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 0)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summary() -> None:
    assert summary([]) == {}
    assert summary([0.0011, 0.002, 0.5]) == {"p50": 0.002, "p95": 0.5, "p99": 0.5, "max": 0.5}


def test_schedule_is_absolute() -> None:
    times = schedule(100.0, 4.0, 5)
    assert times == [100.0, 100.25, 100.5, 100.75, 101.0]
    assert schedule(0.0, 1000.0, 10_001)[-1] == pytest.approx(10.0)  # no accumulated error
    with pytest.raises(ValueError):
        schedule(0.0, 0.0, 3)


class FakeTime:
    """A clock that moves only when slept on or when a send takes time."""

    def __init__(self, send_cost: float) -> None:
        self.now = 50.0
        self.send_cost = send_cost
        self.sent: list[tuple[float, bytes]] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds

    async def send(self, message: tuple[bytes | None, bytes]) -> None:
        self.sent.append((self.now, message[1]))
        self.now += self.send_cost


def _messages(count: int) -> list[tuple[bytes | None, bytes]]:
    return [(None, str(i).encode()) for i in range(count)]


def test_paced_sends_on_an_absolute_schedule_without_drift() -> None:
    fake = FakeTime(send_cost=0.04)  # each send takes 40% of the 0.1 s interval
    slip = asyncio.run(paced(_messages(50), 10.0, fake.send, fake.clock, fake.sleep))
    assert [t for t, _ in fake.sent] == pytest.approx([50.0 + i / 10 for i in range(50)])
    assert [m for _, m in fake.sent] == [str(i).encode() for i in range(50)]
    assert slip == 0.0  # sleep-after-send would have ended at 50 + 49 * 0.14, not 54.9


def test_paced_reports_slip_and_does_not_carry_it_over() -> None:
    fake = FakeTime(send_cost=0.25)  # slower than the 0.1 s interval: it falls behind
    slip = asyncio.run(paced(_messages(5), 10.0, fake.send, fake.clock, fake.sleep))
    assert [t for t, _ in fake.sent] == pytest.approx([50.0, 50.25, 50.5, 50.75, 51.0])
    assert slip == pytest.approx(0.6)  # the fifth was due at 50.4, sent at 51.0


def _outcome(partition: int, offset: int, article_id: str, stamp: int) -> Record:
    body = {"outcome": "cleaned", "stage": "clean", "article_id": article_id, "partition": partition, "offset": offset}
    return (0, 0, stamp, f"raw:{partition}:{offset}".encode(), orjson.dumps(body))


def _event(stamp: int, *article_ids: str) -> Record:
    return (1, 0, stamp, b"e", orjson.dumps({"event_id": "e", "reports": [{"article_id": a} for a in article_ids]}))


def test_match_latencies_takes_the_first_event_naming_the_article() -> None:
    raw: list[Record] = [(0, 7, 1_000, b"a", b"{}"), (1, 7, 1_500, b"b", b"{}"), (2, 3, 2_000, b"c", b"{}")]
    outcomes = [_outcome(0, 7, "A", 1_100), _outcome(1, 7, "B", 1_600), _outcome(2, 3, "C", 2_100),
                _outcome(3, 0, "D", 2_200)]  # fmt: skip  # D: its raw record is not in this phase
    events = [_event(2_400, "A", "B"), _event(1_900, "A"), _event(2_600, "B"), _event(2_700, "D")]
    got = match_latencies(raw, outcomes, events)
    assert got == {"A": pytest.approx(0.9), "B": pytest.approx(0.9)}  # C: no event (no attack), D: not sent
    assert sorted(outcome_latencies(raw, outcomes)) == pytest.approx([0.1, 0.1, 0.1])


def test_match_latencies_keeps_the_first_outcome_of_a_redelivered_input() -> None:
    raw: list[Record] = [(0, 0, 1_000, b"a", b"{}")]
    outcomes = [_outcome(0, 0, "A", 1_200), _outcome(0, 0, "A", 5_000)]  # at-least-once: sent again
    assert match_latencies(raw, outcomes, [_event(1_300, "A"), _event(5_100, "A")]) == {"A": pytest.approx(0.3)}
    assert outcome_latencies(raw, outcomes) == [pytest.approx(0.2)]


def test_quarter_rates_scale_the_sample_to_every_article() -> None:
    # 8 of 12 articles had an event (each stands for 1.5 articles), finished at a slowing pace
    done = [1_500, 2_000, 3_000, 4_000, 6_000, 8_000, 12_000, 16_000]
    assert quarter_rates(done, 12, 1_000) == [3.0, 1.5, 0.75, 0.38]
    assert quarter_rates([5, 1, 3], 3, 0) == []
    assert quarter_rates([1_000] * 4, 4, 1_000) == [1000.0] * 4  # no time passed: capped, not infinite


def test_steady_rate_leaves_out_the_fill_and_the_tail() -> None:
    # 20 samples for 40 articles: a 2 s fill, then one sample every 100 ms, then a 5 s straggler
    done = [2_000 + 100 * i for i in range(19)] + [9_000]
    assert steady_rate(done, 40) == pytest.approx(16 * 2 / 1.6)  # 10% (the 2nd) to 90% (the 18th) done
    assert steady_rate(done[:9], 9) is None


def test_kept_up() -> None:
    assert kept_up(0.8, 2.5, 30.0)  # Tansu's fetch-wait jitter, no trend
    assert kept_up(None, None, 30.0)
    assert not kept_up(2.8, 7.8, 10.0)  # a backlog that grew over the level
    assert not kept_up(0.3, 4.0, 30.0)


@pytest.mark.integration
def test_passthrough_reference_on_a_broker(tmp_path: Path) -> None:
    """The reference worker, ~50 articles: saturating rate and one paced level, every article matched."""
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        bootstrap = os.environ.get("KAFKA_BOOTSTRAP")
        embedded = bootstrap is None
        if bootstrap is None:
            bootstrap = stack.enter_context(EmbeddedBroker(log_path=tmp_path / "broker.log")).bootstrap
        result = measure("passthrough", bootstrap, embedded, tmp_path, count=50, seed=11, warmup=10, duration=2.0,
                         rates=[(0.5, 15.0)], timeout=30.0)  # fmt: skip
    assert result.saturation is not None
    assert result.saturation.articles == 50 and result.saturation.rate > 0
    assert result.saturation.records == {name: 50 for name in result.saturation.records}  # one record per topic
    (level,) = result.levels
    assert level.sent == 30 and level.measured == 30  # every reference article has its events record
    assert level.latency["max"] > 0 and level.clean_latency["p50"] > 0
    assert time.monotonic() - started < 40
