"""`tollwatch tail` against a real broker: live while the demo runs, as JSON lines and as the
in-place table under a pseudo-terminal; from now on vs from the beginning; a topic that does
not exist yet; a record that does not decode; no broker.

`tollwatch demo --broker` runs on topics of its own (`casualty.totals.<run>`, a fresh suffix
per run, streams/demo.py `worker_env`), so the tails here start once the demo has created them
and before its worker has written any total: their start offsets are all 0, which the tests
check, so everything a tail shows arrived while it was following.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
import threading
import time
import uuid
from datetime import date
from typing import IO, Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from schemas import ConflictEvent, RegionalTotal, encode
from streams.broker import free_port
from streams.demo import stop_process
from streams.kafka_io import produce
from tests.conftest import ROOT

pytestmark = [pytest.mark.integration]

FIGURES = ("killed_low", "killed_best", "killed_high", "wounded", "kidnapped", "events", "window_start",
           "window_end", "as_of")  # fmt: skip
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Output:
    """Everything a process writes to one pipe or pty, read by a thread as it comes; `close`
    (after the process ended) joins the thread and closes the pipe or pty."""

    def __init__(self, fd: int, owner: IO[bytes] | None = None) -> None:
        self.data = b""
        self._fd, self._owner = fd, owner
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    @classmethod
    def of(cls, stream: IO[bytes] | None) -> Output:
        assert stream is not None
        return cls(stream.fileno(), stream)

    def _pump(self) -> None:
        while True:
            try:
                chunk = os.read(self._fd, 65536)
            except OSError:  # a pty whose last writer closed: EIO
                return
            if not chunk:
                return
            with self._lock:
                self.data += chunk

    @property
    def text(self) -> str:
        with self._lock:
            return self.data.decode(errors="replace")

    def wait_for(self, pattern: str, timeout: float, proc: subprocess.Popen[bytes]) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if found := re.search(pattern, self.text):
                return found
            if proc.poll() is not None:
                time.sleep(0.2)  # the last output
                if found := re.search(pattern, self.text):
                    return found
                break
            time.sleep(0.1)
        raise AssertionError(f"no {pattern!r} within {timeout:.0f}s (exit {proc.poll()}):\n{self.text[-3000:]}")

    def close(self) -> None:
        self._thread.join(10)
        if self._owner is not None:
            self._owner.close()
        else:
            os.close(self._fd)


def tollwatch(*args: str, env: dict[str, str] | None = None, stdout: Any = subprocess.PIPE) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "streams.cli", *args], cwd=ROOT, env=env or os.environ.copy(),
                            stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.PIPE)  # fmt: skip


def stop(proc: subprocess.Popen[bytes]) -> int:
    """SIGTERM, then SIGKILL if it does not end (only processes this module started); its exit code."""
    stop_process(proc)
    return proc.returncode


async def topic_names(bootstrap: str) -> set[str]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        return set(await consumer.topics())
    finally:
        await consumer.stop()


async def create(bootstrap: str, *names: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, 2, 1, topic_configs={"cleanup.policy": "compact"}) for name in names])
    finally:
        await admin.close()


def demo_topic(bootstrap: str, prefix: str, demo: subprocess.Popen[bytes], timeout: float = 60.0) -> str:
    """The name of the demo's totals topic, `prefix.<run>`, once it exists."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and demo.poll() is None:
        found = sorted(name for name in asyncio.run(topic_names(bootstrap)) if name.startswith(prefix + "."))
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"the demo created no {prefix}.<run> topic (exit {demo.poll()})")


def latest(lines: list[dict[str, Any]], kind: str = "total") -> dict[tuple[str, str | None, str], dict[str, Any]]:
    return {(x["country"], x["admin1"], x["window"]): x for x in lines if x["kind"] == kind}


def json_lines(text: str) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in text.splitlines() if line.strip()]


def test_tail_shows_the_seed_totals_live_while_the_demo_runs(broker: str) -> None:
    run = uuid.uuid4().hex[:8]
    topic, events_topic = f"casualty.totals.{run}", f"events.{run}"  # `demo --broker B --run RUN` uses these
    env = {**os.environ, "TOLLWATCH_TOPIC_TOTALS": topic, "TOLLWATCH_TOPIC_EVENTS": events_topic}
    procs = [tollwatch("tail", "--broker", broker, "--json", "--events", "--max-seconds", "150", env=env)]
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 140, 0, 0))  # rows, columns
    outputs = [Output(master)]
    procs.append(tollwatch("tail", "--broker", broker, "--events", env=env, stdout=slave))  # no --max-seconds
    os.close(slave)
    outputs += [Output.of(procs[0].stdout), Output.of(procs[0].stderr), Output.of(procs[1].stderr)]
    try:
        screen, json_out, json_err, _ = outputs
        json_err.wait_for(f"waiting for topic {topic}, {events_topic}", 30, procs[0])
        screen.wait_for("waiting for topic", 30, procs[1])
        demo = tollwatch("demo", "--json", "--broker", broker, "--run", run)  # the tails were there first
        procs.append(demo)
        outputs += [Output.of(demo.stdout), Output.of(demo.stderr)]
        demo_out, demo_err = outputs[-2:]
        started = json_err.wait_for(r"following from now on: (.*) · Ctrl-C", 30, procs[0]).group(1)
        assert started == f"{topic} at 0,0,0,0, {events_topic} at 0,0,0,0", started
        follow = demo_err.wait_for("follow it live: .*", 30, demo).group(0)
        assert f"TOLLWATCH_TOPIC_TOTALS={topic} TOLLWATCH_TOPIC_EVENTS={events_topic} tollwatch tail" in follow

        assert demo.wait(150) == 0, demo_err.text[-3000:]
        demo_out.close()
        expected = latest(json_lines(demo_out.text))
        assert expected[("ML", "Mopti", "all")]["killed_low"] == 30  # seeds/README.md
        assert expected[("ML", "Kidal", "all")]["killed_low"] == 50
        assert expected[("ML", None, "30d")]["killed_best"] == 30
        deadline = time.monotonic() + 20  # the demo has read every total: the tails have them or soon will
        while set(latest(json_lines(json_out.text.rpartition("\n")[0]))) != set(expected):
            assert time.monotonic() < deadline, json_out.text[-3000:]
            time.sleep(0.2)
        time.sleep(1.0)  # the table redraws at most every 0.25 s
        assert [stop(proc) for proc in procs[:2]] == [0, 0]  # SIGTERM ends a tail cleanly
    finally:
        for proc in procs:
            stop(proc)
        for output in outputs:
            output.close()

    lines = json_lines(json_out.text)
    for key, total in latest(lines).items():
        assert {f: total[f] for f in FIGURES} == {f: expected[key][f] for f in FIGURES}, key
        assert total["schema_version"] == 1 and total["key"] == f"{key[0]}/{key[1] or ''}/{key[2]}"
    assert all(x["offset"] >= 0 and x["partition"] in range(4) for x in lines)
    mopti = [x for x in lines if x["kind"] == "event" and x["admin1"] == "Mopti"]
    assert mopti and mopti[-1]["killed_best"] == 30

    # the table: redrawn in place (cursor home), the last frame holds the seed totals and events
    frames = screen.text.split("\x1b[H")
    assert len(frames) >= 3 and frames[0] == "\x1b[?25l\x1b[2J", frames[0]
    first, last = ANSI.sub("", frames[1]), ANSI.sub("", frames[-1])
    assert "(no totals yet)" in first and "waiting for topic" in first
    assert any("following from now on" in frame and "(no totals yet)" in frame for frame in frames)
    assert screen.text.endswith("\x1b[?25h")  # the cursor shown again at exit
    rows = [line.split() for line in last.splitlines()]
    assert ["ML/Mopti", "all", "30/30/30", "0", "0", "1", "-", "2025-06-02"] in rows
    assert ["ML/Kidal", "365d", "50/50/50", "0", "0", "1", "2024-06-03", "2025-06-02"] in rows
    assert ["ML", "(country)", "all", "80/80/80", "0", "0", "4", "-", "2025-06-02"] in rows
    assert sum(1 for row in rows if len(row) > 2 and {row[1], row[2]} & {"7d", "30d", "365d", "all"}) == len(expected)
    assert f"tollwatch tail · {broker} · {topic} + {events_topic}" in last
    assert "latest event changes (newest first):" in last and "killed best 30" in last


def total(killed: int, admin1: str = "Mopti", window: str = "all") -> tuple[bytes, bytes]:
    value = RegionalTotal(country="ML", admin1=admin1, window=window, killed_low=killed, killed_best=killed,  # type: ignore[arg-type]
                          killed_high=killed, events=1, window_start=None, window_end=date(2025, 6, 2),
                          as_of=date(2025, 6, 2))  # fmt: skip
    return value.key.encode(), encode(value)


def test_tail_skips_what_was_there_waits_for_a_topic_and_survives_a_bad_record(broker: str) -> None:
    """Old records written in one batch: `seek_to_end` on the embedded broker would replay all but
    the first of them (ListOffsets answers the batch's base offset + 1)."""
    run = uuid.uuid4().hex[:8]
    topic, events_topic = f"totals-{run}", f"events-{run}"
    asyncio.run(create(broker, topic))
    asyncio.run(produce(broker, topic, [total(k) for k in range(1, 11)]))  # one key: one partition, one batch
    env = {**os.environ, "TOLLWATCH_TOPIC_TOTALS": topic, "TOLLWATCH_TOPIC_EVENTS": events_topic}
    tail = tollwatch("tail", "--broker", broker, "--json", "--events", "--region", "ML", "--max-seconds", "60", env=env)
    out, err = Output.of(tail.stdout), Output.of(tail.stderr)
    try:
        err.wait_for(f"waiting for topic {events_topic} on {re.escape(broker)} \\(it does not exist yet\\)", 30, tail)
        asyncio.run(create(broker, events_topic))
        err.wait_for("following from now on", 30, tail)
        event = ConflictEvent(event_id="ev-1", revision=2, country="ML", admin1="Mopti", day=date(2025, 6, 1),
                              precision="day", killed_best=31, reports=[])  # fmt: skip
        asyncio.run(produce(broker, topic, [(b"ML/Mopti/all", b"{not json"), total(99), total(5, "Bamako", "7d")]))
        asyncio.run(produce(broker, events_topic, [(b"ev-1", encode(event))]))
        deadline = time.monotonic() + 20
        while out.text.count("\n") < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)  # nothing more comes
        assert stop(tail) == 0
    finally:
        stop(tail)
        out.close()
        err.close()
    lines = json_lines(out.text)
    assert [(x["kind"], x["admin1"], x["killed_best"]) for x in lines if x["kind"] == "total"] == [
        ("total", "Mopti", 99), ("total", "Bamako", 5)]  # fmt: skip
    assert [(x["event_id"], x["revision"], x["reports"]) for x in lines if x["kind"] == "event"] == [("ev-1", 2, [])]
    bad = re.findall(r"not a RegionalTotal \(.*\); skipped", err.text)
    assert len(bad) == 1, err.text

    # --from-beginning replays what the topic holds; --region/--window filter it
    replay = tollwatch("tail", "--broker", broker, "--from-beginning", "--json", "--region", "ML/Mopti",
                       "--window", "all", "--max-seconds", "4", env=env)  # fmt: skip
    stdout, stderr = (text.decode() for text in replay.communicate(timeout=60))
    assert replay.returncode == 0, stderr
    assert [x["killed_best"] for x in json_lines(stdout)] == [*range(1, 11), 99]
    assert stderr.count("skipped") == 1

    # `| head -1`: the tail ends when its reader is gone, though it has nothing more to write
    piped = tollwatch("tail", "--broker", broker, "--from-beginning", "--json", "--max-seconds", "60", env=env)
    head = subprocess.run(["head", "-1"], stdin=piped.stdout, capture_output=True, timeout=60)
    assert piped.stdout is not None and piped.stderr is not None
    piped.stdout.close()
    try:
        assert piped.wait(15) == 0 and orjson.loads(head.stdout)["killed_best"] == 1
    finally:
        stop(piped)
        piped.stderr.close()


def test_tail_without_a_broker_exits_1_with_one_line() -> None:
    done = subprocess.run([sys.executable, "-m", "streams.cli", "tail", "--broker", f"127.0.0.1:{free_port()}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 1
    assert done.stdout == ""
    assert re.fullmatch(r"tollwatch tail: cannot reach the broker at 127\.0\.0\.1:\d+ \(connection failed\)\n",
                        done.stderr), done.stderr  # fmt: skip
