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
from typing import TYPE_CHECKING, Any

import orjson
from pydantic import ValidationError

from schemas import WINDOWS, RegionalTotal
from streams.completion import SHELLS
from streams.config import Settings
from streams.inputs import STDIN, InputError, Problem, check_items, load_inputs, read_items
from streams.security import SecurityError

if TYPE_CHECKING:
    import faust

    from streams.explain import Region

__all__ = ["main", "format_table", "json_lines"]

DEFAULT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"
#: Inputs with at least this many items get a progress bar (on a terminal).
PROGRESS_FROM = 50
#: Problems listed one by one before "... and N more".
MAX_SHOWN = 20


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
    result = run_demo(messages, timeout=args.timeout, bootstrap=args.broker, run=args.run)
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
    from streams.explain import events_offline, from_broker, render, render_json, select

    region = _region(args.region)
    if args.broker:
        _, events, watermark = from_broker(args.broker)
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
    from aiokafka.errors import KafkaError

    from streams.kafka_io import produce, quiet_client_logs
    from streams.limits import Limits
    from streams.progress import Progress

    settings = Settings()  # TOLLWATCH_SECURITY_PROTOCOL, _SASL_*, _SSL_* apply to the connection
    if STDIN in args.paths and sys.stdin.isatty():
        print("tollwatch produce: reading articles from the terminal (end with Ctrl-D)", file=sys.stderr)
    items = read_items(args.paths, args.published_at, stdin=sys.stdin.buffer)
    if not items:
        print("tollwatch produce: no articles in " + ", ".join(map(str, args.paths)), file=sys.stderr)
        return 2
    long_input = None if len(items) >= PROGRESS_FROM else False  # a bar on a terminal, for long inputs
    checking = Progress(len(items), "checking", enabled=long_input)
    problems = check_items(items, Limits.from_settings(settings), advance=checking.advance)
    checking.close()
    for problem in problems[:MAX_SHOWN]:
        print(f"  {problem}", file=sys.stderr)
    if len(problems) > MAX_SHOWN:
        print(f"  ... and {len(problems) - MAX_SHOWN} more", file=sys.stderr)
    valid = [item for item, problem in zip(items, _flags(len(items), problems), strict=True) if not problem]
    if problems and not args.skip_invalid:
        print(f"tollwatch produce: {len(problems)} of {len(items)} item(s) would be dead-lettered; nothing sent "
              f"(fix them, or --skip-invalid to send the {len(valid)} others)", file=sys.stderr)  # fmt: skip
        return 2
    topic = args.topic or settings.topic_raw
    if args.dry_run:
        print(f"checked {len(items)} item(s): {len(valid)} would be sent to {topic}, {len(problems)} skipped "
              "(--dry-run: nothing sent)", file=sys.stderr)  # fmt: skip
        return 0
    bootstrap = args.broker or settings.broker.removeprefix("kafka://")
    sending = Progress(len(valid), "sending ", enabled=long_input)
    try:
        with quiet_client_logs():  # aiokafka's connection errors: said once, below
            sent = asyncio.run(produce(bootstrap, topic, [(i.key, i.value) for i in valid], settings=settings,
                                       acked=sending.advance))  # fmt: skip
    except (KafkaError, OSError) as exc:
        sending.close()
        print(f"tollwatch produce: broker {bootstrap}: {exc}; {sending.done} of {len(valid)} article(s) acknowledged "
              "before the error (sending all again is safe: the pipeline drops copies by article id)",
              file=sys.stderr)  # fmt: skip
        return 1
    sending.close()
    skipped = f", {len(problems)} invalid skipped" if problems else ""
    print(f"sent {sent} article(s) to {topic} on {bootstrap}{skipped}", file=sys.stderr)
    return 0


def _flags(count: int, problems: list[Problem]) -> list[bool]:
    bad = [False] * count
    for problem in problems:
        bad[problem.index] = True
    return bad


def _cmd_config(args: argparse.Namespace) -> int:
    from streams.config import describe, markdown_table

    if args.markdown:
        print(markdown_table(), end="")
        return 0
    rows = describe(Settings())
    if args.json:
        print(orjson.dumps({row["env"]: row["value"] for row in rows}).decode())
        return 0
    width = max(len(row["env"]) for row in rows)
    values = [row["value"] or "(unset)" for row in rows]
    value_width = max(map(len, values))
    for row, value in zip(rows, values, strict=True):
        note = "" if row["source"] == "default" else "from the environment"
        print(f"{row['env']:{width}}  {value:{value_width}}  {note}".rstrip())
    return 0


def _cmd_broker(args: argparse.Namespace) -> int:
    from streams.broker import BrokerError, EmbeddedBroker

    broker = EmbeddedBroker(port=args.port)
    try:
        broker.start()
    except BrokerError as exc:
        print(f"tollwatch broker: {exc}", file=sys.stderr)
        return 1
    address = broker.bootstrap
    print(f"embedded Kafka-protocol broker (Tansu, in memory) on {address}; Ctrl-C stops it\n"
          f"  worker:  TOLLWATCH_BROKER=kafka://{address} TOLLWATCH_EMBEDDED_BROKER=true tollwatch worker\n"
          f"  follow:  tollwatch tail --events --broker {address}\n"
          f"  send:    tollwatch produce seeds --broker {address}", file=sys.stderr, flush=True)  # fmt: skip
    try:
        assert broker.process is not None
        code = broker.process.wait()
        print(f"tollwatch broker: the broker exited with {code}; log: {broker.log_path}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        broker.stop()


def _cmd_completion(args: argparse.Namespace) -> int:
    from streams.completion import script

    print(script(_parser(), args.shell), end="")
    return 0


def _cmd_tail(args: argparse.Namespace) -> int:
    from streams.tail import main as tail_main

    return tail_main(args)


def _cmd_report(args: argparse.Namespace) -> int:
    from streams.report import main as report_main

    return report_main(args)


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


def _examples(*lines: str) -> dict[str, Any]:
    """An epilog of examples, one per line, kept as written."""
    return {"epilog": "examples:\n" + "\n".join(f"  {line}" for line in lines),
            "formatter_class": argparse.RawDescriptionHelpFormatter}  # fmt: skip


def _add_source(parser: argparse.ArgumentParser) -> None:
    """--input (the stages in process) or --broker (a running pipeline's topics), not both."""
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--input", action="append", type=Path, metavar="PATH",
                        help="run the stages in process over these inputs (default: seeds/)")  # fmt: skip
    source.add_argument("--broker", help="read the events and totals topics of a running pipeline (HOST:PORT)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tollwatch", description="Conflict news in, regional casualty totals out.",
        **_examples("tollwatch demo                      the whole pipeline on seeds/, embedded broker",
                    "tollwatch produce feed.xml --broker 127.0.0.1:9092",
                    "tollwatch tail --broker 127.0.0.1:9092",
                    "tollwatch explain ML/Mopti --broker 127.0.0.1:9092",
                    "tollwatch report --out /tmp/report --broker 127.0.0.1:9092",
                    "tollwatch COMMAND --help            each command's options and examples"),
    )  # fmt: skip
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = sub.add_parser("demo", help="run the pipeline on an embedded broker and print totals",
                          **_examples("tollwatch demo", "tollwatch demo --input seeds --json",
                                      "tollwatch demo --explain ML/Mopti",
                                      "tollwatch demo --input my_articles.jsonl --broker 127.0.0.1:9092"))  # fmt: skip
    demo.add_argument("--input", action="append", type=Path, metavar="PATH",
                      help="a .json, .jsonl, .txt or RSS/Atom (.xml, .rss, .atom) file or a directory (repeatable; "
                           "default: seeds/)")  # fmt: skip
    demo.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    demo.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for the pipeline")
    demo.add_argument("--broker", default=None,
                      help="use this Kafka broker (HOST:PORT) instead of starting the embedded one")  # fmt: skip
    demo.add_argument("--run", metavar="NAME",
                      help="with --broker: the suffix of the demo's topics and group (default: a fresh one), "
                           "e.g. to start `tollwatch tail` on casualty.totals.NAME first")  # fmt: skip
    demo.set_defaults(func=_cmd_demo)
    worker = sub.add_parser(
        "worker", help="run a worker (settings from TOLLWATCH_* environment)",
        **_examples("TOLLWATCH_BROKER=kafka://127.0.0.1:9092 tollwatch worker",
                    "TOLLWATCH_STORE=rocksdb:// TOLLWATCH_DATA_DIR=/var/lib/tollwatch tollwatch worker",
                    "tollwatch config   (the settings a worker started here would use; docs/CONFIGURATION.md)"),
    )  # fmt: skip
    worker.set_defaults(func=_cmd_worker)
    prod = sub.add_parser(
        "produce", help="check articles, then push them to articles.raw keyed by article id",
        description="Reads every input and checks each item as the clean stage would (JSON, schema, size,\n"
                    "dates, empty text); sends nothing unless all pass (or --skip-invalid), then sends them\n"
                    "keyed by article id and waits for every acknowledgement. On a terminal, long inputs\n"
                    "get a progress bar. Exit codes: 0 sent, 2 bad input (nothing sent), 1 broker error.",
        **_examples("tollwatch produce seeds --broker 127.0.0.1:9092",
                    "tollwatch produce feed.xml --dry-run",
                    "tollwatch produce - < feed.xml          (an RSS/Atom feed, a JSON list or JSON lines on stdin)",
                    "tollwatch produce big.jsonl --skip-invalid"),
    )  # fmt: skip
    prod.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                      help=".json, .jsonl, .txt, .xml/.rss/.atom feeds, directories, or - for stdin")  # fmt: skip
    prod.add_argument("--broker", help="bootstrap HOST:PORT (default: TOLLWATCH_BROKER)")
    prod.add_argument("--topic", help="topic (default: TOLLWATCH_TOPIC_RAW, articles.raw)")
    prod.add_argument("--skip-invalid", action="store_true", help="send the valid items even if some are not")
    prod.add_argument("--dry-run", action="store_true", help="check and report, send nothing")
    prod.set_defaults(func=_cmd_produce)
    explain = sub.add_parser(
        "explain", help="the events behind a region's total: figures, sources and sentences",
        **_examples("tollwatch explain ML/Mopti                              (the seeds, in process)",
                    "tollwatch explain ML --window 30d --broker 127.0.0.1:9092 (a running pipeline)",
                    "tollwatch explain ML/Mopti --input tests/data/bankass_stream.jsonl --json"),
    )  # fmt: skip
    explain.add_argument("region", help="CC/Admin1 as in the totals (ML/Mopti), or CC for a whole country")
    _add_source(explain)
    explain.add_argument("--json", action="store_true", help="print one JSON object")
    explain.set_defaults(func=_cmd_explain)
    demo.add_argument("--explain", metavar="REGION", help="after the totals, explain this region (e.g. ML/Mopti)")
    for p in (demo, explain):
        p.add_argument("--window", choices=WINDOWS, default="all", help="window of the explained total (default: all)")
    broker = sub.add_parser(
        "broker", help="run the embedded broker (Tansu) in the foreground, to try the tools locally",
        **_examples("tollwatch broker --port 9092     (then a worker, tail and produce on 127.0.0.1:9092)"),
    )  # fmt: skip
    broker.add_argument("--port", type=int, default=None, help="port on 127.0.0.1 (default: a free one)")
    broker.set_defaults(func=_cmd_broker)
    completion = sub.add_parser(
        "completion", help="print a shell completion script (bash or zsh)",
        **_examples('eval "$(tollwatch completion bash)"    (in ~/.bashrc)',
                    "tollwatch completion bash > ~/.local/share/bash-completion/completions/tollwatch",
                    'eval "$(tollwatch completion zsh)"     (in ~/.zshrc)'),
    )  # fmt: skip
    completion.add_argument("shell", choices=SHELLS)
    completion.set_defaults(func=_cmd_completion)
    config = sub.add_parser(
        "config", help="print the settings in force (TOLLWATCH_* environment over defaults), secrets masked",
        **_examples("tollwatch config",
                    "TOLLWATCH_PARTITIONS=8 tollwatch config --json | jq .TOLLWATCH_PARTITIONS",
                    "tollwatch config --markdown     (the table of docs/CONFIGURATION.md)"),
    )  # fmt: skip
    config_format = config.add_mutually_exclusive_group()
    config_format.add_argument("--json", action="store_true", help="one JSON object: variable -> value")
    config_format.add_argument("--markdown", action="store_true", help="every setting with its default and meaning")
    config.set_defaults(func=_cmd_config)
    tail = sub.add_parser(
        "tail", help="follow casualty.totals (and events) live: a table updated in place, or JSON lines",
        **_examples("tollwatch tail --broker 127.0.0.1:9092",
                    "tollwatch tail --region ML --window 30d --from-beginning --events",
                    "tollwatch tail --region ML/Mopti --json | jq .killed_best"),
    )  # fmt: skip
    tail.add_argument("--broker", help="bootstrap HOST:PORT (default: TOLLWATCH_BROKER)")
    tail.add_argument("--region", help="only this region: CC/Admin1, or CC for the country and its regions")
    tail.add_argument("--window", choices=WINDOWS, default=None, help="only this window (default: all four)")
    tail.add_argument("--from-beginning", action="store_true",
                      help="replay the retained records first (the table ends with the latest total of each "
                           "key); default: only records written from now on, as kafka-console-consumer")  # fmt: skip
    tail.add_argument("--events", action="store_true", help="follow the events topic too")
    tail.add_argument("--json", action="store_true", help="print one JSON object per record (for piping)")
    tail.add_argument("--max-seconds", type=float, default=None, help="stop after this many seconds (default: never)")
    tail.set_defaults(func=_cmd_tail)
    report = sub.add_parser(
        "report", help="write a static HTML report: regions, weekly bars, events and their sources",
        **_examples("tollwatch report --out /tmp/report                          (the seeds, in process)",
                    "tollwatch report --out /tmp/report --broker 127.0.0.1:9092  (a running pipeline)"),
    )  # fmt: skip
    report.add_argument("--out", type=Path, required=True, metavar="DIR", help="directory to write index.html into")
    _add_source(report)
    report.set_defaults(func=_cmd_report)
    ev = sub.add_parser("eval", help="score extraction on labelled notes (JSONL: id, text, event_date, gold)",
                        **_examples("tollwatch eval ../shared/eval/dev.jsonl",
                                    "tollwatch eval notes.jsonl --predictions /tmp/pred.jsonl --json"))  # fmt: skip
    ev.add_argument("path", type=Path)
    ev.add_argument("--predictions", type=Path, help="write one prediction per record here (JSONL)")
    ev.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ev.set_defaults(func=_cmd_eval)
    for p in (demo, prod, explain, report):
        p.add_argument("--published-at", type=datetime.fromisoformat, default=None,
                       help="published_at for .txt inputs and undated feed items (ISO 8601; default for .txt: "
                           "the file's time)")  # fmt: skip
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
