"""`tollwatch demo`: embedded broker + a worker process, push inputs, wait, print totals."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from schemas import ConflictEvent, DeadLetter, Outcome, RegionalTotal, decode
from streams.broker import EmbeddedBroker, free_port
from streams.config import Settings
from streams.explain import latest_events
from streams.kafka_io import create_topics, group_lag, produce, read_topic
from streams.metrics import disagreements, parse_samples

__all__ = [
    "DemoResult", "RunningPipeline", "running_pipeline", "drive", "run_demo", "wait_accounted", "latest_totals",
    "accounting", "stop_on_sigterm", "worker_env", "start_worker", "stop_process", "settings_from", "tail_command",
]  # fmt: skip


@dataclass(frozen=True)
class DemoResult:
    totals: list[RegionalTotal]
    accounting: dict[str, int]
    deadletters: list[DeadLetter]
    events: list[ConflictEvent]  # latest revision of each event id on the events topic
    metrics_url: str  # the worker's metrics endpoint, scraped before it stopped
    metrics: str  # what it served then (Prometheus text exposition)
    metrics_disagreements: list[str]  # where those metrics differ from the totals and accounting


async def accounting(bootstrap: str, settings: Settings, received: int) -> dict[str, int]:
    """Outcome counts from the compacted outcomes topic (latest record per input)."""
    latest: dict[bytes | None, Outcome] = {}
    for key, value, _, _ in await read_topic(bootstrap, settings.topic_outcomes, settings=settings):
        latest[key] = decode(Outcome, value)
    counts = {"received": received, "cleaned": 0, "duplicate": 0, "skipped": 0, "deadlettered": 0}
    for outcome in latest.values():
        counts[outcome.outcome] += 1
    return counts


async def wait_accounted(
    bootstrap: str, settings: Settings, received: int, timeout: float, worker: subprocess.Popen[bytes] | None = None
) -> dict[str, int]:
    """Wait until every input has an outcome and the worker has committed every topic."""
    deadline = time.monotonic() + timeout
    topics = [settings.topic_raw, settings.topic_clean, settings.topic_extracted]
    counts: dict[str, int] = {}
    while time.monotonic() < deadline:
        if worker is not None and worker.poll() is not None:
            raise RuntimeError(f"worker exited with {worker.returncode} before the inputs were processed")
        counts = await accounting(bootstrap, settings, received)
        done = sum(v for k, v in counts.items() if k != "received")
        if done >= received and await group_lag(bootstrap, settings.app_id, topics, settings=settings) == 0:
            return counts
        print(f"  waiting: {done}/{received} inputs accounted for", file=sys.stderr)
        await asyncio.sleep(1.0)
    raise TimeoutError(f"inputs not all accounted for after {timeout:.0f}s: {counts}")


async def latest_totals(bootstrap: str, settings: Settings) -> list[RegionalTotal]:
    """The latest total per key on the totals topic."""
    latest: dict[bytes | None, RegionalTotal] = {}
    for key, value, _, _ in await read_topic(bootstrap, settings.topic_totals, settings=settings):
        latest[key] = decode(RegionalTotal, value)
    order = {"7d": 0, "30d": 1, "365d": 2, "all": 3}
    return sorted(latest.values(), key=lambda t: (t.country, t.admin1 or "", order[t.window]))


def worker_env(bootstrap: str, data_dir: str, embedded: bool, store: str = "memory://",
               run: str | None = None) -> dict[str, str]:  # fmt: skip
    """The environment of a worker process on `bootstrap`. On an external (shared) broker
    the topics and the group get the suffix `run` (default: a fresh one), so that runs do not
    mix; workers given the same `run` form one consumer group."""
    env = {
        **os.environ,
        "TOLLWATCH_BROKER": f"kafka://{bootstrap}",
        "TOLLWATCH_EMBEDDED_BROKER": "true" if embedded else "false",
        "TOLLWATCH_APP_ID": "tollwatch-demo",
        "TOLLWATCH_DATA_DIR": data_dir,
        "TOLLWATCH_WEB_PORT": str(free_port()),
        "TOLLWATCH_METRICS_PORT": os.environ.get("TOLLWATCH_METRICS_PORT", str(free_port())),
        "TOLLWATCH_STORE": store,
    }
    if not embedded:  # a shared external broker: fresh topics and group for this run
        run = run or uuid.uuid4().hex[:8]
        env["TOLLWATCH_APP_ID"] = f"tollwatch-demo-{run}"
        for field, name in Settings().model_dump().items():
            if field.startswith("topic_"):
                env[f"TOLLWATCH_{field.upper()}"] = f"{name}.{run}"
    return env


def start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """A `tollwatch worker` process with `env`, its output appended to `log_path`."""
    with log_path.open("ab") as log:
        return subprocess.Popen([sys.executable, "-m", "streams.cli", "worker"], env=env,
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)  # fmt: skip


def stop_on_sigterm() -> None:
    """Make SIGTERM unwind like Ctrl-C, so `running_pipeline` stops the worker and broker it
    started instead of leaving them running (for the CLI and the benchmarks)."""

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)


def stop_process(process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)


def settings_from(env: dict[str, str]) -> Settings:
    fields = {k.removeprefix("TOLLWATCH_").lower(): v for k, v in env.items() if k.startswith("TOLLWATCH_")}
    return Settings.model_validate(fields)


@dataclass(frozen=True)
class RunningPipeline:
    """A broker (embedded or external) with fresh topics and one worker process."""

    bootstrap: str
    settings: Settings
    worker: subprocess.Popen[bytes]
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)  # the worker's environment (to start another)

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.metrics_port}/metrics"


@contextlib.contextmanager
def running_pipeline(bootstrap: str | None = None, extra: dict[str, str] | None = None,
                     run: str | None = None) -> Iterator[RunningPipeline]:  # fmt: skip
    """Start the embedded broker (unless `bootstrap` names an external one), create the
    topics and start a worker (`extra`: more environment, e.g. `TOLLWATCH_*` settings; `run`:
    the suffix of the topics and group on an external broker, see `worker_env`); on exit stop
    the worker (printing its log's tail if the body raised) and the broker."""
    with tempfile.TemporaryDirectory(prefix="tollwatch-demo-") as data_dir, contextlib.ExitStack() as stack:
        embedded = bootstrap is None
        if bootstrap is None:
            bootstrap = stack.enter_context(EmbeddedBroker()).bootstrap
        env = {**worker_env(bootstrap, data_dir, embedded, run=run), **(extra or {})}
        settings = settings_from(env)
        asyncio.run(create_topics(bootstrap, settings))
        log_path = Path(data_dir) / "worker.log"
        worker = start_worker(env, log_path)
        try:
            yield RunningPipeline(bootstrap, settings, worker, log_path, env)
        except BaseException:
            sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
            raise
        finally:
            stop_process(worker)


def run_demo(
    messages: list[tuple[bytes | None, bytes]],
    timeout: float = 180.0,
    bootstrap: str | None = None,
    extra: dict[str, str] | None = None,
    run: str | None = None,
) -> DemoResult:
    """Run the whole pipeline on `messages` and return the latest totals and accounting.

    The embedded broker is started unless `bootstrap` names an external one; `extra`: more
    environment for the worker (`TOLLWATCH_*` settings); `run`: the suffix of the topics on
    an external broker (default: a fresh one).
    """
    with running_pipeline(bootstrap, extra, run) as pipeline:
        print(f"  follow it live: {tail_command(pipeline.bootstrap, pipeline.settings)}", file=sys.stderr)
        return asyncio.run(drive(pipeline, messages, timeout))


def tail_command(bootstrap: str, settings: Settings) -> str:
    """The `tollwatch tail` command that follows the totals and events topics of `settings`."""
    renamed = [f"TOLLWATCH_{field.upper()}={getattr(settings, field)}" for field in ("topic_totals", "topic_events")
               if getattr(settings, field) != Settings.model_fields[field].default]  # fmt: skip
    return " ".join([*renamed, "tollwatch tail --events --broker", bootstrap])


async def drive(run: RunningPipeline, messages: list[tuple[bytes | None, bytes]], timeout: float) -> DemoResult:
    """Send `messages` to a running pipeline, wait until each is accounted for, and read
    back the totals, events, dead letters and the worker's metrics."""
    bootstrap, settings, worker = run.bootstrap, run.settings, run.worker
    sent = await produce(bootstrap, settings.topic_raw, messages, settings=settings)
    print(f"  sent {sent} input(s) to {settings.topic_raw}", file=sys.stderr)
    if worker.poll() is not None:
        raise RuntimeError(f"worker exited with {worker.returncode}")
    counts = await wait_accounted(bootstrap, settings, sent, timeout, worker)
    letters = [
        decode(DeadLetter, value)
        for _, value, _, _ in await read_topic(bootstrap, settings.topic_deadletter, settings=settings)
    ]
    events = latest_events(
        [(key, value) for key, value, _, _ in await read_topic(bootstrap, settings.topic_events, settings=settings)]
    )
    totals = await latest_totals(bootstrap, settings)
    text, problems = await _scrape_until_agreed(run.metrics_url, totals, counts)
    return DemoResult(totals, counts, letters, events, run.metrics_url, text, problems)


async def _scrape_until_agreed(url: str, totals: list[RegionalTotal], counts: dict[str, int],
                               timeout: float = 10.0) -> tuple[str, list[str]]:  # fmt: skip
    """Scrape the worker until its metrics agree with the topics (a counter is bumped just
    after its send returns, so it may trail the topic by a moment) or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while True:
        text = await asyncio.to_thread(_get, url)
        problems = disagreements(parse_samples(text), totals, counts)
        if not problems or time.monotonic() > deadline:
            return text, problems
        await asyncio.sleep(0.5)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own loopback endpoint
        return bytes(response.read()).decode("utf-8")
