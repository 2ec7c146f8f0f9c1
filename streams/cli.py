"""The `tollwatch` command: demo, worker, produce, eval.

tollwatch demo [--input PATH ...] [--json] [--explain REGION]
tollwatch worker                       (settings from TOLLWATCH_* environment)
tollwatch produce PATH ... [--broker HOST:PORT]
tollwatch explain REGION [--window W] [--input PATH ... | --broker HOST:PORT] [--json]
tollwatch eval PATH [--predictions OUT.jsonl] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
from pydantic import ValidationError

from schemas import WINDOWS, RegionalTotal, decode
from streams.config import Settings
from streams.inputs import InputError, load_inputs
from streams.security import SecurityError

if TYPE_CHECKING:
    import faust

    from streams.explain import Region

__all__ = ["main", "format_table", "json_lines"]

DEFAULT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def format_table(totals: list[RegionalTotal], counts: dict[str, int]) -> str:
    """The totals as an aligned text table, with the accounting line under it."""
    head = ("region", "window", "killed (low/best/high)", "wounded", "kidnapped", "events", "from", "to")
    rows = [
        (f"{t.country}/{t.admin1}" if t.admin1 else f"{t.country} (country)", t.window,
         f"{t.killed_low}/{t.killed_best}/{t.killed_high}", str(t.wounded), str(t.kidnapped),
         str(t.events), str(t.window_start or "-"), str(t.window_end))
        for t in totals
    ]  # fmt: skip
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in [head, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines.append("accounting: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return "\n".join(lines)


def json_lines(totals: list[RegionalTotal], counts: dict[str, int]) -> str:
    """One JSON object per total, then one accounting object."""
    out = []
    for t in totals:
        body = t.model_dump(mode="json", exclude={"schema_version"})
        out.append(orjson.dumps({"kind": "total", **body}).decode())
    out.append(orjson.dumps({"kind": "accounting", **counts}).decode())
    return "\n".join(out)


def _cmd_demo(args: argparse.Namespace) -> int:
    from streams.demo import run_demo

    paths = args.input or [DEFAULT_SEEDS]
    messages = load_inputs(paths, args.published_at)
    if not messages:
        print("tollwatch demo: no inputs found in " + ", ".join(map(str, paths)), file=sys.stderr)
        return 2
    region = _region(args.explain) if args.explain else None
    result = run_demo(messages, timeout=args.timeout, bootstrap=args.broker)
    for letter in result.deadletters:
        print(f"  dead letter: stage={letter.stage} reason={letter.reason} ({letter.detail[:120]})", file=sys.stderr)
    print(json_lines(result.totals, result.accounting) if args.json else format_table(result.totals, result.accounting))
    if region is not None:
        from streams.explain import render, select, watermark_of

        watermark = watermark_of(result.totals)
        print()
        print(render(select(result.events, region, args.window, watermark), region, args.window, watermark))
    for problem in result.metrics_disagreements:
        print(f"  metrics disagree: {problem}", file=sys.stderr)
    if result.metrics_disagreements:
        return 1
    gauges = sum(1 for line in result.metrics.splitlines() if line.startswith("tollwatch_casualties{"))
    print(f"  metrics ({result.metrics_url}): {gauges} casualty gauges equal the totals topic, "
          "article counters equal the accounting", file=sys.stderr)  # fmt: skip
    return 0


def _region(text: str) -> Region:
    from streams.explain import parse_region

    try:
        return parse_region(text)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _cmd_explain(args: argparse.Namespace) -> int:
    from streams.explain import events_offline, latest_events, render, render_json, select, watermark_of

    region = _region(args.region)
    if args.broker:
        from streams.kafka_io import read_topic

        settings = Settings()  # TOLLWATCH_SECURITY_PROTOCOL, _SASL_*, _SSL_* apply to --broker
        records = asyncio.run(read_topic(args.broker, settings.topic_events, settings=settings))
        events = latest_events([(key, value) for key, value, _, _ in records])
        totals = asyncio.run(read_topic(args.broker, settings.topic_totals, settings=settings))
        watermark = watermark_of([decode(RegionalTotal, value) for _, value, _, _ in totals])
    else:
        paths = args.input or [DEFAULT_SEEDS]
        events, watermark = events_offline(load_inputs(paths, args.published_at))
    chosen = select(events, region, args.window, watermark)
    print((render_json if args.json else render)(chosen, region, args.window, watermark))
    if not chosen:
        known = sorted({f"{e.country}/{e.admin1}" if e.admin1 else e.country for e in events if e.reports})
        print(f"tollwatch explain: no events for {region} in window {args.window}; regions with events: "
              + (", ".join(known) or "none"), file=sys.stderr)  # fmt: skip
    return 0


def _cmd_worker(args: argparse.Namespace) -> int:
    from prometheus_client import CollectorRegistry, start_http_server

    from streams.agents import build_pipeline
    from streams.metrics import Metrics

    settings = Settings()
    registry = CollectorRegistry()
    metrics = Metrics.create(registry)
    if settings.metrics_port:
        start_http_server(settings.metrics_port, addr=settings.metrics_host, registry=registry)
    make_worker(build_pipeline(settings, metrics).app, settings).execute_from_commandline()
    return 0


def make_worker(app: faust.App, settings: Settings) -> faust.Worker:
    """The Faust worker of `app`, without the start-up spinner: it sets the root logger to
    DEBUG (to spin on every record) for the worker's whole life, so every debug call of
    Faust and aiokafka builds a record that the handlers then drop (about 5% of a busy
    worker's CPU, bench/e2e.py under py-spy)."""
    import faust

    worker = faust.Worker(app, loglevel=settings.loglevel)
    worker.spinner = None
    return worker


def _cmd_produce(args: argparse.Namespace) -> int:
    from streams.kafka_io import produce

    settings = Settings()  # TOLLWATCH_SECURITY_PROTOCOL, _SASL_*, _SSL_* apply to the connection
    messages = load_inputs(args.paths, args.published_at)
    bootstrap = args.broker or settings.broker.removeprefix("kafka://")
    sent = asyncio.run(produce(bootstrap, args.topic or settings.topic_raw, messages, settings=settings))
    print(f"sent {sent} article(s) to {bootstrap}", file=sys.stderr)
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from streams.evaluate import read_records, score

    if not args.path.is_file():
        print(f"tollwatch eval: {args.path}: no such file", file=sys.stderr)
        return 2
    out = args.predictions.open("wb") if args.predictions else None
    try:
        scores = score(read_records(args.path), out, progress=sys.stderr.isatty())
    finally:
        if out is not None:
            out.close()
    summary = scores.summary()
    if args.json:
        print(orjson.dumps(summary).decode())
    else:
        for name, value in summary.items():
            print(f"{name:28} {value}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tollwatch", description="Conflict news in, regional casualty totals out.")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run the pipeline on an embedded broker and print totals",
                          epilog="example: tollwatch demo --input seeds --json")  # fmt: skip
    demo.add_argument("--input", action="append", type=Path, metavar="PATH",
                      help="a .json, .jsonl or .txt file or a directory (repeatable; default: seeds/)")  # fmt: skip
    demo.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    demo.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for the pipeline")
    demo.add_argument("--broker", default=None,
                      help="use this Kafka broker (HOST:PORT) instead of starting the embedded one")  # fmt: skip
    demo.set_defaults(func=_cmd_demo)
    worker = sub.add_parser("worker", help="run a worker (settings from TOLLWATCH_* environment)")
    worker.set_defaults(func=_cmd_worker)
    prod = sub.add_parser("produce", help="push articles to articles.raw",
                          epilog="example: tollwatch produce seeds --broker 127.0.0.1:9092")  # fmt: skip
    prod.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    prod.add_argument("--broker", help="bootstrap HOST:PORT (default: TOLLWATCH_BROKER)")
    prod.add_argument("--topic", help="topic (default: articles.raw)")
    prod.set_defaults(func=_cmd_produce)
    explain = sub.add_parser(
        "explain", help="the events behind a region's total: figures, sources and sentences",
        epilog="examples: tollwatch explain ML/Mopti (the seeds, in process); "
               "tollwatch explain ML --window 30d --broker 127.0.0.1:9092 (a running pipeline)",
    )  # fmt: skip
    explain.add_argument("region", help="CC/Admin1 as in the totals (ML/Mopti), or CC for a whole country")
    source = explain.add_mutually_exclusive_group()
    source.add_argument("--input", action="append", type=Path, metavar="PATH",
                        help="run the stages in process over these inputs (default: seeds/)")  # fmt: skip
    source.add_argument("--broker", help="read the events and totals topics of a running pipeline (HOST:PORT)")
    explain.add_argument("--json", action="store_true", help="print one JSON object")
    explain.set_defaults(func=_cmd_explain)
    demo.add_argument("--explain", metavar="REGION", help="after the totals, explain this region (e.g. ML/Mopti)")
    for p in (demo, explain):
        p.add_argument("--window", choices=WINDOWS, default="all", help="window of the explained total (default: all)")
    ev = sub.add_parser("eval", help="score extraction on labelled notes (JSONL: id, text, event_date, gold)",
                        epilog="example: tollwatch eval notes.jsonl --predictions /tmp/pred.jsonl")  # fmt: skip
    ev.add_argument("path", type=Path)
    ev.add_argument("--predictions", type=Path, help="write one prediction per record here (JSONL)")
    ev.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ev.set_defaults(func=_cmd_eval)
    for p in (demo, prod, explain):
        p.add_argument("--published-at", type=datetime.fromisoformat, default=None,
                       help="published_at for .txt inputs (ISO 8601; default: file time)")  # fmt: skip
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "worker":
        sys.argv = [sys.argv[0], "worker"]  # faust.Worker reads sys.argv
    else:  # SIGTERM unwinds: the demo's broker and worker are stopped, not orphaned
        from streams.demo import stop_on_sigterm

        stop_on_sigterm()
    try:
        return int(args.func(args))
    except (InputError, SecurityError) as exc:
        print(f"tollwatch: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        if exc.title != Settings.__name__:
            raise
        print(f"tollwatch: invalid settings: {_settings_errors(exc)}", file=sys.stderr)
        return 2


def _settings_errors(exc: ValidationError) -> str:
    """The problems of a Settings error without the input values: pydantic's own message shows the
    input (every TOLLWATCH_* value, passwords included, if only abbreviated)."""
    parts = []
    for error in exc.errors(include_url=False, include_context=False, include_input=False):
        field = ".".join(str(part) for part in error["loc"])
        parts.append(f"TOLLWATCH_{field.upper()}: {error['msg']}" if field else error["msg"])
    return "; ".join(parts)


if __name__ == "__main__":
    raise SystemExit(main())
