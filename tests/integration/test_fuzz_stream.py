"""Hostile input through the real worker (DESIGN.md §6, invariant 6): 10,000 generated
messages (bench/fuzz.py: invalid UTF-8 and JSON, wrong types, missing fields, deep nesting,
20 MB messages, control characters, HTML and script, absurd and negative tolls, dates in
1900 and 2100, non-English) on `articles.raw`. The worker never crashes, every message gets
the outcome its case calls for, dead letters keep capped original bytes, and the metrics
show no article text. TOLLWATCH_FUZZ_MESSAGES sets the count (default 10,000). One message
in eight reaches the events stage: that stage slows down as a partition's events grow
(docs/BENCHMARKS.md), and this test is about the hostile ones."""

from __future__ import annotations

import asyncio
import base64
import os
import time
from collections import Counter
from dataclasses import dataclass

import pytest

from bench.fuzz import CASES, HUGE_BYTES, hostile_messages
from schemas import DeadLetter, Outcome, decode
from streams.demo import DemoResult, drive, running_pipeline
from streams.kafka_io import read_topic

pytestmark = pytest.mark.integration

COUNT = int(os.environ.get("TOLLWATCH_FUZZ_MESSAGES", "10000"))


@dataclass(frozen=True)
class Fuzzed:
    result: DemoResult
    case_of: dict[str, str]  # raw:<partition>:<offset> -> case
    outcomes: dict[str, Outcome]
    letters: dict[str, DeadLetter]  # by raw:<partition>:<offset>
    alive: bool
    seconds: float
    deadletter_cap: int


@pytest.fixture(scope="module")
def fuzzed(bootstrap: str | None) -> Fuzzed:
    messages = hostile_messages(COUNT, seed=2026, extracted_share=0.12)
    started = time.perf_counter()
    with running_pipeline(bootstrap) as run:
        sent = [(f"{i}:{case}".encode(), value) for i, (case, _, value) in enumerate(messages)]
        result = asyncio.run(drive(run, sent, timeout=900))
        alive = run.worker.poll() is None
        settings, broker = run.settings, run.bootstrap
        raw = asyncio.run(read_topic(broker, settings.topic_raw, timeout=120))
        outcomes = {(key or b"").decode(): decode(Outcome, value)
                    for key, value, _, _ in asyncio.run(read_topic(broker, settings.topic_outcomes))}  # fmt: skip
    case_of = {f"raw:{p}:{o}": (key or b"").decode().split(":", 1)[1] for key, _, p, o in raw}
    letters = {f"raw:{d.partition}:{d.offset}": d for d in result.deadletters if d.stage == "clean"}
    return Fuzzed(result, case_of, outcomes, letters, alive, time.perf_counter() - started,
                  settings.deadletter_max_bytes)  # fmt: skip


@pytest.mark.timeout(900)
def test_the_worker_survives_and_accounts_for_every_message(fuzzed: Fuzzed) -> None:
    counts = fuzzed.result.accounting
    print(f"\n{COUNT} hostile messages in {fuzzed.seconds:.0f}s: {counts}")
    assert fuzzed.alive
    assert counts["received"] == COUNT == len(fuzzed.case_of) == len(fuzzed.outcomes)
    assert counts["cleaned"] + counts["duplicate"] + counts["skipped"] + counts["deadlettered"] == COUNT
    assert not fuzzed.result.metrics_disagreements


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_hostile_case_gets_its_outcome(fuzzed: Fuzzed, case: str) -> None:
    want_outcome, want_reason = CASES[case]
    refs = [ref for ref, c in fuzzed.case_of.items() if c == case]
    if COUNT >= 1000:
        assert refs, f"no {case} message in the mix"
    got = Counter((fuzzed.outcomes[ref].outcome, fuzzed.outcomes[ref].reason if want_reason else None) for ref in refs)
    assert set(got) <= {(want_outcome, want_reason)} | ({("duplicate", None)} if want_outcome == "cleaned" else set())
    for ref in refs:
        if want_outcome == "deadlettered":
            assert fuzzed.letters[ref].reason == want_reason


def test_dead_letters_keep_the_original_bytes_up_to_the_cap(fuzzed: Fuzzed) -> None:
    huge = [d for ref, d in fuzzed.letters.items() if fuzzed.case_of[ref] == "huge_20mb"]
    assert len(huge) == (2 if COUNT >= 1000 else 0)
    for letter in fuzzed.letters.values():
        kept = base64.b64decode(letter.original_value_b64)
        assert len(kept) <= fuzzed.deadletter_cap
        assert letter.truncated == (letter.original_size > fuzzed.deadletter_cap)
    for letter in huge:
        assert letter.truncated and letter.original_size > HUGE_BYTES


def test_the_metrics_show_no_article_text(fuzzed: Fuzzed) -> None:
    text = fuzzed.result.metrics
    for fragment in ("villagers", "Gunmen", "<script", "javascript", "killed 12", "\x00", "fuzz-"):
        assert fragment not in text
