"""Read TollWatch's current totals from Kafka, written only from docs/CONSUMERS.md and the JSON Schemas.

    python examples/consume_totals.py --bootstrap 127.0.0.1:9092 [--json] [--follow]

Reads `casualty.totals` from the beginning of every partition to the end found by the first fetch,
keeps the latest value of each key (never sums), then prints the table. Exit status: 0 ok, 1 when a
record was skipped (invalid, or a schema_version this script does not know), 2 when Kafka cannot be read.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import sys
import time
from pathlib import Path
from typing import Any

import jsonschema
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

KNOWN_VERSION = 1
DEFAULT_SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "json" / "casualty.totals.schema.json"
Table = dict[str, dict[str, Any]]


class Fatal(Exception):
    """Kafka cannot be read: print the message and exit 2."""


class Reader:
    """Turns raw records into the table: decode, validate, check schema_version, latest per key wins."""

    def __init__(self, schema: dict[str, Any], strict: bool) -> None:
        self.fields: dict[str, Any] = schema["properties"]
        relaxed = copy.deepcopy(schema)
        if not strict:  # CONSUMERS.md: in production drop additionalProperties: false, so added fields pass
            relaxed.pop("additionalProperties", None)
        self.validator = jsonschema.Draft202012Validator(relaxed, format_checker=jsonschema.FormatChecker())
        self.table: Table = {}
        self.skipped = 0

    def skip(self, where: str, why: str) -> None:
        self.skipped += 1
        print(f"skipped {where}: {why}", file=sys.stderr)

    def apply(self, where: str, key: bytes | None, value: bytes | None) -> str | None:
        """Apply one record; return the key it changed, if any."""
        if key is None:
            self.skip(where, "record without a key")
            return None
        k = key.decode("utf-8", errors="replace")
        if value is None:  # a tombstone: TollWatch never writes one, but it means "delete this key"
            return k if self.table.pop(k, None) is not None else None
        try:
            obj = json.loads(value.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.skip(where, f"key {k!r}: not UTF-8 JSON ({exc})")
            return None
        if not isinstance(obj, dict):
            self.skip(where, f"key {k!r}: not a JSON object")
            return None
        version = obj.get("schema_version", KNOWN_VERSION)  # a missing schema_version means 1
        if version != KNOWN_VERSION:
            self.skip(where, f"key {k!r}: schema_version {version!r}, this reader knows {KNOWN_VERSION}")
            return None
        errors = sorted(self.validator.iter_errors(obj), key=lambda e: list(e.absolute_path))
        if errors:
            self.skip(where, f"key {k!r}: " + "; ".join(e.message for e in errors))
            return None
        total = {name: obj.get(name, spec.get("default")) for name, spec in self.fields.items()}  # unknown: ignored
        total["schema_version"] = KNOWN_VERSION
        if self.table.get(k) == total:  # repeats are normal (restarts, rebalances): nothing changed
            return None
        self.table[k] = total
        return k


async def read(args: argparse.Namespace, reader: Reader) -> None:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=args.bootstrap,
        group_id=None,  # no consumer group: assign every partition and seek to the beginning
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    try:
        await consumer.start()
    except KafkaError as exc:
        await consumer.stop()
        raise Fatal(f"cannot connect to Kafka at {args.bootstrap}: {exc}") from exc
    try:
        await consumer.topics()  # refreshes metadata: the partition count comes from the broker
        partitions = consumer.partitions_for_topic(args.topic)
        if not partitions:
            raise Fatal(f"topic {args.topic!r} does not exist on {args.bootstrap}")
        tps = [TopicPartition(args.topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        # The end of each partition is the high watermark of the first fetch response, not ListOffsets
        # (end_offsets answers too small an end on the embedded Tansu broker).
        end: dict[TopicPartition, int] = {}
        caught_up = False
        deadline = time.monotonic() + args.timeout
        while True:
            batches = await consumer.getmany(timeout_ms=200)
            for tp, records in sorted(batches.items()):
                for r in records:
                    changed = reader.apply(f"{tp.topic}/{tp.partition}@{r.offset}", r.key, r.value)
                    if caught_up and changed is not None:
                        show_change(changed, reader.table.get(changed), args.json)
            if caught_up:
                continue
            for tp in tps:
                hw = consumer.highwater(tp)
                if tp not in end and hw is not None:
                    end[tp] = hw
            if len(end) == len(tps) and all([await consumer.position(tp) >= end[tp] for tp in tps]):
                show_table(reader.table, args.json)
                if not args.follow:
                    return
                caught_up = True
            elif time.monotonic() > deadline:
                raise Fatal(f"did not reach the end of {args.topic!r} within {args.timeout:g} s")
    except KafkaError as exc:
        raise Fatal(f"reading {args.topic!r} from {args.bootstrap} failed: {exc}") from exc
    finally:
        await consumer.stop()


def show_table(table: Table, as_json: bool) -> None:
    if as_json:
        for key in sorted(table):
            print(json.dumps({"key": key, "total": table[key]}, ensure_ascii=False, sort_keys=True))
        sys.stdout.flush()
        return
    cols = ["country", "admin1", "window", "as_of", "killed_low", "killed_best", "killed_high", "wounded"]
    cols += ["kidnapped", "events"]
    rows = [[("(country)" if v is None else str(v)) for v in (table[k][c] for c in cols)] for k in sorted(table)]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(cols)]
    for row in [cols, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    print(f"({len(rows)} keys)", flush=True)


def show_change(key: str, total: dict[str, Any] | None, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"key": key, "total": total}, ensure_ascii=False, sort_keys=True), flush=True)
    else:
        print(f"{key}: " + ("deleted" if total is None else json.dumps(total, ensure_ascii=False)), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print TollWatch's current totals (latest record per key).")
    parser.add_argument("--bootstrap", required=True, help="HOST:PORT of a Kafka broker")
    parser.add_argument("--topic", default="casualty.totals")
    parser.add_argument("--schema", type=Path, default=DEFAULT_SCHEMA, help="the topic's JSON Schema")
    parser.add_argument("--follow", action="store_true", help="after the table, keep printing changed keys")
    parser.add_argument("--json", action="store_true", help='one {"key", "total"} JSON object per line, by key')
    parser.add_argument("--strict", action="store_true", help="also refuse fields the schema does not know")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to reach the end (default 30)")
    args = parser.parse_args(argv)
    try:
        reader = Reader(json.loads(args.schema.read_text(encoding="utf-8")), args.strict)
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: cannot load the schema {args.schema}: {exc}", file=sys.stderr)
        return 2
    try:
        asyncio.run(read(args, reader))
    except Fatal as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    if reader.skipped:
        print(f"error: {reader.skipped} record(s) skipped, see above", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
