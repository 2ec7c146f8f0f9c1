"""The pass-through reference of bench/e2e.py: the pipeline's Faust topology, agents that only
decode, encode and forward.

    PYTHONPATH=. .venv/bin/python -m bench.passthrough worker     (settings from TOLLWATCH_*)

What "same topology" means here (deliberately):
- the same Faust configuration: the app is `streams.app.create_app(Settings())` (raw
  serializers, producer batch size and linger, commit interval, session timeouts, store),
  with `streams.faust_fixes` and, on the embedded broker, the compatibility layer of
  `streams.broker` installed, as the real worker (`tollwatch worker`) has them, and the
  Faust worker made as it makes it (`streams.cli.make_worker`: logging at the set level);
- the same topics, declared by `streams.topics.declare_topics` (names and partitions from
  TOLLWATCH_*; bench/e2e.py gives the reference its own app id and topic names, so it never
  reads or writes the real pipeline's topics or consumer group);
- the same three consuming hops, `raw --clean--> clean --extract--> extracted --events-->
  events + totals`, each agent decoding the JSON value with orjson and encoding a new one;
- the same records per input where that is cheap: the clean hop writes one record to the
  clean topic and one `Outcome` (a valid one, keyed `raw:<partition>:<offset>`) to the
  outcomes topic, as the real clean stage does for a new article; the extract hop writes one
  record to the extracted topic (the real one writes one per country route, almost always
  one, plus a watermark tick to every partition when the newest publication day advances:
  ticks are not mirrored); the events hop writes one record to events (its `reports` name the
  article, so bench/e2e.py matches latencies the same way) and one to totals (the real one
  writes one revision per changed event and one record per changed regional total, often
  several, or none for an article without an attack).

Acknowledgements: neither the real events agent (since issue 7: repair on load instead,
docs/ARCHITECTURE.md) nor, by default, the reference waits for the acknowledgements of a
message's outputs before it takes the next message (Faust still flushes the producer before
it commits, so nothing is lost). With `--await-acks` the reference waits per message as the
real one used to; on the 2-core CI machine on the embedded broker that alone held the
reference to ~90 articles/s (about 11 ms per message: the producer's 5 ms linger plus the
round trip), against 440-900 without.

Not mirrored, because it is the pipeline's own work that the ratio is meant to measure:
pydantic validation, the clean/extract/events stage functions, the two tables (`clean-seen`,
`events-state`) and their changelog topics, dead letters, the Prometheus metrics and Faust
sensor, the broker watchdog and the watermark re-tick timer.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

import faust
import orjson

from schemas.base import SCHEMA_VERSION
from streams.app import create_app
from streams.cli import make_worker
from streams.config import Settings
from streams.faust_fixes import install_faust_fixes
from streams.topics import declare_topics

__all__ = ["build_app", "main"]


def build_app(settings: Settings, await_acks: bool = False) -> faust.App:
    """The reference app: three forwarding agents on the pipeline's topics (module docstring)."""
    install_faust_fixes()
    if settings.embedded_broker:
        from streams.broker import install_embedded_compat

        install_embedded_compat()
    app = create_app(settings)
    topics = declare_topics(app, settings)

    async def clean(stream: faust.StreamT[Any]) -> None:
        async for event in stream.events():
            msg = event.message
            article = orjson.loads(msg.value or b"{}")
            article_id = str(article.get("id"))
            article["timing"] = {"ingested": msg.timestamp}
            outcome = {"schema_version": SCHEMA_VERSION, "outcome": "cleaned", "stage": "clean",
                       "article_id": article_id, "partition": msg.partition, "offset": msg.offset}  # fmt: skip
            await topics.clean.send(key=article_id.encode(), value=orjson.dumps(article))
            await topics.outcomes.send(key=f"raw:{msg.partition}:{msg.offset}".encode(), value=orjson.dumps(outcome))

    async def extract(stream: faust.StreamT[Any]) -> None:
        async for event in stream.events():
            msg = event.message
            article = orjson.loads(msg.value or b"{}")
            article["timing"]["extracted"] = msg.timestamp
            await topics.extracted.send(key=msg.key, value=orjson.dumps(article))

    async def events(stream: faust.StreamT[Any]) -> None:
        async for event in stream.events():
            msg = event.message
            article = orjson.loads(msg.value or b"{}")
            article_id = str(article.get("id"))
            revision = {"event_id": article_id, "revision": 1, "reports": [{"article_id": article_id}]}
            total = {"key": article_id, "events": 1, "as_of": article.get("published_at")}
            sent = [
                await topics.events.send(key=article_id.encode(), value=orjson.dumps(revision)),
                await topics.totals.send(key=article_id.encode(), value=orjson.dumps(total)),
            ]
            if await_acks:
                await asyncio.gather(*sent)

    app.agent(topics.raw, name="clean")(clean)
    app.agent(topics.clean, name="extract")(extract)
    app.agent(topics.extracted, name="events")(events)
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.passthrough", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["worker"], help="run a worker (settings from TOLLWATCH_* environment)")
    parser.add_argument("--await-acks", action="store_true",
                        help="the events hop waits for both acknowledgements before the next message")  # fmt: skip
    args = parser.parse_args(argv)
    settings = Settings()
    make_worker(build_app(settings, args.await_acks), settings).execute_from_commandline()  # as `tollwatch worker`
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
