"""`tollwatch tail`: follow casualty.totals (and, with --events, the events topic) live.

The output depends on the flags and on stdout:
- a terminal: the latest total of each region and window as a table, redrawn in place
  (cursor home, rewrite, clear the rest; at most 4 times a second, only when something
  changed) under a header (broker, topic, records seen, time of the last update); with
  --events, the latest event changes under the table;
- `--json`: one JSON object per record, flushed per line, `{"kind": "total", ...the
  RegionalTotal, "key", "partition", "offset"}` (`"kind": "event"` for a ConflictEvent);
- anything else (a pipe or file, for a log): one timestamped line per total that changed
  and per new event revision. A total sent again unchanged is not repeated, and a log of
  whole tables would repeat every unchanged row at every change.
--region and --window filter every output (events by region only: they have no window).

No consumer group: every partition is assigned. By default only records written from now on
are shown, as kafka-console-consumer does. The end of each partition is read from the
`highwater` of a Fetch response: the embedded broker answers ListOffsets wrongly
(docs/ARCHITECTURE.md, "Embedded broker"), so `seek_to_end` would replay its last batch. A
topic that does not exist yet is waited for. A record that does not decode is reported on
stderr and skipped. Ctrl-C, SIGTERM and --max-seconds end it with 0; no broker at start, 1.
What is shown is computed by the pure functions of `streams.tail_view`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import select
import shutil
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TextIO

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaConnectionError, KafkaError

from schemas import ConflictEvent, DecodeError, RegionalTotal, decode
from streams.config import Settings
from streams.kafka_io import quiet_client_logs, topic_partitions
from streams.security import check_broker_url, client_kwargs
from streams.tail_view import (
    Filter,
    Model,
    View,
    json_line,
    log_line,
    make_filter,
    render_events,
    render_frame,
    render_table,
)  # fmt: skip

__all__ = ["Filter", "View", "make_filter", "render_table", "render_events", "render_frame", "json_line", "log_line",
           "main"]  # fmt: skip

START_TIMEOUT = 15.0  # seconds to reach the broker and learn where each partition ends
REDRAW_INTERVAL = 0.25  # the table is redrawn at most 4 times a second


class _Output(Protocol):
    def status(self, text: str) -> None: ...
    def show(self, item: Model, record: Any, changed: bool) -> None: ...
    def tick(self, view: View) -> None: ...
    def close(self, view: View) -> None: ...


@dataclass
class _Lines:
    """--json, or a log line per change; the status goes to stderr. A closed pipe (`| head -1`)
    ends the tail, noticed at the next write or, with nothing to write, by polling (as GNU tail -f)."""

    out: TextIO
    stop: asyncio.Event
    json: bool
    said: str = ""
    closed: select.poll | None = None

    def __post_init__(self) -> None:
        with contextlib.suppress(OSError, ValueError):  # not a real file (tests)
            poll = select.poll()
            poll.register(self.out.fileno(), 0)  # no events asked: only POLLERR, POLLHUP, POLLNVAL
            self.closed = poll

    def status(self, text: str) -> None:
        if text != self.said:
            _note(text)
        self.said = text

    def show(self, item: Model, record: Any, changed: bool) -> None:
        if self.json:
            text = json_line(item, record.key, record.partition, record.offset)
        elif changed:
            text = log_line(item, _when(record))
        else:
            return
        try:
            self.out.write(text + "\n")
            self.out.flush()
        except BrokenPipeError:
            self._end()

    def tick(self, view: View) -> None:
        if self.closed is not None and self.closed.poll(0):
            self._end()

    def _end(self) -> None:
        os.dup2(os.open(os.devnull, os.O_WRONLY), self.out.fileno())  # no BrokenPipeError again at exit
        self.closed = None
        self.stop.set()

    def close(self, view: View) -> None:
        pass


@dataclass
class _Screen:
    """The table, redrawn in place at most every REDRAW_INTERVAL seconds when a record was read
    (the header counts them), the status changed or the terminal was resized."""

    out: TextIO
    title: str
    events: bool
    said: str = ""
    drawn: float = float("-inf")
    state: tuple[int, str, os.terminal_size] | None = None  # what the last frame showed

    def status(self, text: str) -> None:
        self.said = text

    def show(self, item: Model, record: Any, changed: bool) -> None:
        pass

    def tick(self, view: View) -> None:
        if time.monotonic() - self.drawn >= REDRAW_INTERVAL and self._state(view) != self.state:
            self._draw(view)

    def close(self, view: View) -> None:
        self._draw(view)
        self.out.write("\n\x1b[?25h")  # below the last frame, the cursor shown again
        self.out.flush()

    def _state(self, view: View) -> tuple[int, str, os.terminal_size]:
        return view.records, self.said, shutil.get_terminal_size()

    def _draw(self, view: View) -> None:
        self.state = self._state(view)
        size = self.state[2]
        lines = render_frame(view, self.title, self.said, self.events, (size.columns, size.lines))
        first = "\x1b[?25l\x1b[2J" if self.drawn == float("-inf") else ""  # hide the cursor, clear the screen
        self.out.write(first + "\x1b[H" + "\n".join(line + "\x1b[K" for line in lines) + "\x1b[J")
        self.out.flush()
        self.drawn = time.monotonic()


def _when(record: Any) -> datetime:
    stamp = record.timestamp
    return datetime.fromtimestamp(stamp / 1000, UTC) if stamp and stamp > 0 else datetime.now(UTC)


def _note(text: str) -> None:
    print(f"tollwatch tail: {text}", file=sys.stderr, flush=True)


def main(args: argparse.Namespace) -> int:
    keep = make_filter(args.region, args.window)
    settings = Settings()  # TOLLWATCH_SECURITY_PROTOCOL, _SASL_*, _SSL_* apply to --broker
    bootstrap = check_broker_url(args.broker or settings.broker.removeprefix("kafka://"), "the bootstrap address")
    topics = [settings.topic_totals] + ([settings.topic_events] if args.events else [])
    deadline = time.monotonic() + args.max_seconds if args.max_seconds is not None else float("inf")
    return asyncio.run(_tail(bootstrap, settings, topics, keep, args, deadline))


async def _tail(bootstrap: str, settings: Settings, topics: list[str], keep: Filter, args: argparse.Namespace,
                deadline: float) -> int:  # fmt: skip
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest",
                                fetch_max_wait_ms=100, **client_kwargs(settings))  # fmt: skip
    try:
        with quiet_client_logs():  # its connection errors at start: the one line below says it all
            await asyncio.wait_for(consumer.start(), START_TIMEOUT)
    except (KafkaError, OSError, TimeoutError) as exc:  # TimeoutError is an OSError: listed for the reader
        await consumer.stop()
        why = {KafkaConnectionError: "connection failed", TimeoutError: f"no answer in {START_TIMEOUT:.0f}s"}
        _note(f"cannot reach the broker at {bootstrap} ({why.get(type(exc)) or f'{type(exc).__name__}: {exc}'})")
        return 1
    title = f"tollwatch tail · {bootstrap} · {' + '.join(topics)}"
    output: _Output = (_Lines(sys.stdout, stop, args.json) if args.json or not sys.stdout.isatty()
                       else _Screen(sys.stdout, title, args.events))  # fmt: skip
    view = View()

    def waiting(missing: str) -> None:
        output.status(f"waiting for topic {missing} on {bootstrap} (it does not exist yet)")
        output.tick(view)

    try:
        tps = await _wait_partitions(consumer, topics, stop, deadline, waiting)
        if not tps:
            return 0
        consumer.assign(tps)
        starts = await _starts(consumer, tps, args.from_beginning, min(deadline, time.monotonic() + START_TIMEOUT))
        if starts is None:
            if time.monotonic() >= deadline:
                return 0
            _note(f"no end offset of {', '.join(topics)} from {bootstrap} within {START_TIMEOUT:.0f}s")
            return 1
        since = "from the beginning" if args.from_beginning else "from now on"
        output.status(f"following {since}: {_offsets(starts)} · Ctrl-C to stop")
        while not stop.is_set() and time.monotonic() < deadline:
            output.tick(view)
            wait = max(1, int(min(250.0, (deadline - time.monotonic()) * 1000)))  # no --max-seconds: inf
            for records in (await consumer.getmany(timeout_ms=wait)).values():
                for record in records:
                    _take(record, settings.topic_totals, view, keep, output)
        return 0
    finally:
        await consumer.stop()
        output.close(view)


async def _starts(consumer: AIOKafkaConsumer, tps: list[TopicPartition], from_beginning: bool,
                  deadline: float) -> dict[TopicPartition, int] | None:  # fmt: skip
    """Seek each partition to where the tail starts and return those offsets (None if not learnt in time)."""
    if from_beginning:
        await consumer.seek_to_beginning(*tps)
        return {tp: await consumer.position(tp) for tp in tps}
    ends = await _ends(consumer, tps, deadline)
    for tp, end in (ends or {}).items():
        consumer.seek(tp, end)
    return ends


def _take(record: Any, totals_topic: str, view: View, keep: Filter, output: _Output) -> None:
    """Decode one record and hand it to the output if it passes the filter; never raises on bad data."""
    view.records += 1
    model: type[Model] = RegionalTotal if record.topic == totals_topic else ConflictEvent
    try:
        if record.value is None:
            raise DecodeError("schema", "no value (a tombstone)")
        item = decode(model, record.value)
    except DecodeError as exc:
        view.skipped += 1
        _note(f"{record.topic}[{record.partition}]@{record.offset}: not a {model.__name__} ({exc}); skipped")
        return
    if keep(item):
        view.last_update = _when(record)
        output.show(item, record, view.add(item))


async def _wait_partitions(consumer: AIOKafkaConsumer, topics: list[str], stop: asyncio.Event, deadline: float,
                           waiting: Callable[[str], None]) -> list[TopicPartition]:  # fmt: skip
    """Every partition of `topics`, calling `waiting(missing topics)` while some do not exist yet;
    [] if stopped first."""
    while not stop.is_set() and time.monotonic() < deadline:
        found = {topic: await topic_partitions(consumer, topic, timeout=1.0) for topic in topics}
        if all(found.values()):
            return [tp for tps in found.values() for tp in tps]
        waiting(", ".join(topic for topic, tps in found.items() if not tps))
    return []


async def _ends(
    consumer: AIOKafkaConsumer, tps: list[TopicPartition], deadline: float
) -> dict[TopicPartition, int] | None:
    """The end offset of each partition (None if not learnt by `deadline`): the first Fetch highwater,
    fetching from ListOffsets' answer (exact on Apache Kafka, a lower bound on the embedded broker)
    so that little is read."""
    for tp, offset in (await consumer.end_offsets(tps)).items():
        consumer.seek(tp, offset)
    ends: dict[TopicPartition, int] = {}
    while time.monotonic() < deadline:
        ends.update({tp: h for tp in tps if tp not in ends and (h := consumer.highwater(tp)) is not None})
        if len(ends) == len(tps):
            return ends
        await consumer.getmany(timeout_ms=100)
    return None


def _offsets(starts: dict[TopicPartition, int]) -> str:
    """`topic at 0,4,2,0` (the offsets of its partitions in order), for each topic."""
    topics = dict.fromkeys(tp.topic for tp in starts)  # totals first
    return ", ".join(f"{t} at " + ",".join(str(o) for tp, o in sorted(starts.items()) if tp.topic == t) for t in topics)
