"""The extract agent's stage, as a function of message values, and a pool of processes to
run it in.

`extract_values` is what the extract agent calls: a batch of `articles.clean` values in,
per value either the `articles.extracted` messages to send (encoded) and what the agent
records of them, or the failure to dead-letter. It is pure and synchronous, and its
results are plain values, so it runs the same in the worker or in another process.

Extraction is most of an article's CPU time. By default (`TOLLWATCH_EXTRACT_PROCESSES=0`)
it runs in the worker, one message at a time. With N > 0 the agent takes up to
`TOLLWATCH_EXTRACT_BATCH` messages at a time and `ExtractPool` spreads them over N child
processes, while the worker's event loop goes on with the clean and events agents and the
framework's work (docs/ARCHITECTURE.md). Results come back in input order and are sent
in that order before the batch is acknowledged, so nothing changes for the topics: the
same messages, keys and order per partition as inline. If the pool breaks (a child
killed), the batch is extracted in the worker instead and a new pool is started for the
next one: no message is lost. Children exit when the worker does, even if it is killed.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

from schemas import CleanArticle, encode
from streams.extract import extract
from streams.limits import DEFAULT_LIMITS, Limits

__all__ = ["ExtractPool", "Extracted", "Failed", "extract_values"]

log = logging.getLogger("tollwatch")


@dataclass(frozen=True, slots=True)
class Extracted:
    """One article extracted: its copies for `articles.extracted` and what the agent records."""

    copies: list[tuple[bytes, bytes]]  # (key, value), in order
    mentions: list[tuple[str, str]]  # (kind, scope) of each casualty mention (metrics)
    day: date  # the day it was published (the extractor's watermark)
    seconds: float  # time spent extracting and encoding it


@dataclass(frozen=True, slots=True)
class Failed:
    """A value the stage failed on: dead-lettered by the agent."""

    detail: str  # the exception's type and message
    trace: str  # its traceback, for the log


def extract_values(values: list[bytes], limits: Limits = DEFAULT_LIMITS) -> list[Extracted | Failed]:
    """Extract every `articles.clean` value of `values`, in order; one failure fails only
    its own value."""
    out: list[Extracted | Failed] = []
    for value in values:
        started = time.perf_counter()
        try:
            article = CleanArticle.model_validate_json(value)
            copies = extract(article, time.time(), limits)
            out.append(Extracted(
                copies=[(copy.route.encode(), encode(copy)) for copy in copies],
                mentions=[(m.kind, m.scope) for m in copies[0].casualties] if copies else [],
                day=article.published_at.date(), seconds=time.perf_counter() - started,
            ))  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the stream
            out.append(Failed(f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    return out


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)  # the worker is gone (even killed): no orphan keeps running


_started: Any = None  # in a child: the barrier `_ready` meets the other children at


def _start_child(parent: int, started: Any) -> None:
    """Initialise a child: ignore the terminal's Ctrl-C (the worker stops the pool), load the
    gazetteer once, exit with the worker."""
    global _started
    _started = started
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from streams.extract.gazetteer import load_gazetteer

    load_gazetteer()
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="watch-parent").start()


def _ready() -> int:
    """This child's pid, once every child of the pool has started (one call per child)."""
    _started.wait(timeout=120)
    return os.getpid()


class ExtractPool:
    """`extract_values` over `processes` child processes (spawned, so that no thread or
    socket of the worker is copied into them)."""

    def __init__(self, processes: int, limits: Limits = DEFAULT_LIMITS) -> None:
        if processes < 1:
            raise ValueError("an extract pool needs at least one process")
        self.processes = processes
        self.limits = limits
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(
                max_workers=self.processes, mp_context=context, initializer=_start_child,
                initargs=(os.getpid(), context.Barrier(self.processes)),
            )  # fmt: skip
        return self._executor

    async def start(self) -> list[int]:
        """Start every child and wait until each is ready (gazetteer loaded); their pids."""
        loop = asyncio.get_running_loop()
        pool = self._pool()
        return list(await asyncio.gather(*(loop.run_in_executor(pool, _ready) for _ in range(self.processes))))

    async def extract(self, values: list[bytes]) -> list[Extracted | Failed]:
        """`extract_values(values)`, in order, the values split into one contiguous run per
        child; in the worker itself if the pool is broken (a new one starts next time)."""
        if not values:
            return []
        loop = asyncio.get_running_loop()
        runs = min(self.processes, len(values))
        size = -(-len(values) // runs)
        chunks = [values[i : i + size] for i in range(0, len(values), size)]
        try:
            pool = self._pool()
            parts = await asyncio.gather(*(loop.run_in_executor(pool, extract_values, c, self.limits) for c in chunks))
        except Exception as exc:  # noqa: BLE001 - a broken pool (a child killed) must not lose the batch
            log.error("extract pool failed (%r): extracting %d messages in the worker; restarting the pool",
                      exc, len(values))  # fmt: skip
            self.close()
            return extract_values(values, self.limits)
        return [result for part in parts for result in part]

    def close(self) -> None:
        """Stop the children (work in progress is abandoned: its batch is not acknowledged)."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
