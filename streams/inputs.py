"""Read articles for `produce`, `demo`, `explain` and `report`.

Inputs: `.json` (one article or a list), `.jsonl` (one per line), `.txt` (the body; the
file's name is the source), RSS and Atom feeds saved as files (`.xml`, `.rss`, `.atom`;
read with feedparser), directories of them, and standard input (`-`: JSON lines, a JSON
list when it starts with `[`, a feed when it starts with `<`).

Every item keeps where it came from (`file:line`, the line where its JSON value or its
feed `<item>`/`<entry>` starts), so `check_items` can name a bad one by its line.
`produce` checks every item before it sends any; the demo sends items as they are (the
pipeline dead-letters what is wrong). Items are keyed by the article id when they are a
valid RawArticle.

A feed entry becomes a RawArticle: `url` from its link, `title`, `body` from the longest
of its content and summary (HTML; the clean stage strips it), `published_at` from its
published or updated date (else `--published-at`), `source` from the entry's or the
feed's title, `language` from the feed.
"""

from __future__ import annotations

import calendar
import json
import time
import xml.parsers.expat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from schemas import DecodeError, RawArticle, RawRef, decode, encode
from streams.errors import StageError
from streams.limits import DEFAULT_LIMITS, Limits

__all__ = [
    "InputError", "Item", "Problem", "SUFFIXES", "FEED_SUFFIXES", "STDIN", "check_items", "load_inputs", "read_items",
]  # fmt: skip

FEED_SUFFIXES = (".xml", ".rss", ".atom")
SUFFIXES = (".json", ".jsonl", ".txt", *FEED_SUFFIXES)
#: The path that means standard input.
STDIN = Path("-")


class InputError(ValueError):
    """A path that is missing or of a kind we cannot read."""


@dataclass(frozen=True, slots=True)
class Item:
    """One message to send: where it came from (`file:line`), its key and value."""

    where: str
    key: bytes | None
    value: bytes


@dataclass(frozen=True, slots=True)
class Problem:
    """Why item number `index` (from 0) would be dead-lettered: the dead-letter reason and its detail."""

    index: int
    where: str
    reason: str
    detail: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}: {self.detail}"


def _key(value: bytes) -> bytes | None:
    try:
        return decode(RawArticle, value).article_id.encode()
    except DecodeError:
        return None


def _item(where: str, value: bytes) -> Item:
    return Item(where, _key(value), value)


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if path.suffix not in SUFFIXES:
        raise InputError(f"{path}: expected one of {', '.join(SUFFIXES)}, a directory, or - for standard input")
    return [path]


def _jsonl(data: bytes, name: str) -> list[Item]:
    return [_item(f"{name}:{number}", line) for number, line in enumerate(data.splitlines(), 1) if line.strip()]


def _list_lines(text: str, count: int) -> list[int] | None:
    """The line on which each of the `count` values of the JSON list `text` starts (None if
    the standard parser reads it differently from orjson)."""
    decoder = json.JSONDecoder()
    at = text.index("[") + 1
    lines: list[int] = []
    line, counted = 1, 0
    try:
        while len(lines) < count:
            while text[at] in " \t\r\n,":
                at += 1
            line += text.count("\n", counted, at)
            counted = at
            lines.append(line)
            _, at = decoder.raw_decode(text, at)
    except (ValueError, IndexError):
        return None
    return lines


def _json(data: bytes, name: str) -> list[Item]:
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError:
        return [_item(f"{name}:1", data)]  # one invalid item: check_items names the position
    if not isinstance(obj, list):
        return [_item(name, data)]
    found = _list_lines(data.decode("utf-8"), len(obj))
    lines: list[int | None] = list(found) if found else [None] * len(obj)
    return [
        _item(f"{name}:{line} (item {number})" if line else f"{name} (item {number})", orjson.dumps(value))
        for number, (value, line) in enumerate(zip(obj, lines, strict=True), 1)
    ]


def _entry_lines(data: bytes) -> list[int]:
    """The line of every `<item>` and `<entry>` element, in document order (as far as expat reads)."""
    lines: list[int] = []
    parser = xml.parsers.expat.ParserCreate()

    def start(name: str, _attrs: dict[str, str]) -> None:
        if name.rpartition(":")[2].lower() in ("item", "entry"):
            lines.append(parser.CurrentLineNumber)

    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError:
        pass  # feedparser reads some broken feeds; lines are then given as far as expat got
    return lines


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def feed_article(entry: Any, feed: Any, published_at: datetime | None) -> dict[str, Any]:
    """A RawArticle as a dict from one feedparser entry (fields it lacks are left out, so
    `check_items` says what is missing)."""
    bodies = [c.get("value") for c in entry.get("content") or []] + [entry.get("summary")]
    body = max((b for b in map(_text, bodies) if b), key=len, default=None)
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    source = entry.get("source") or {}
    fields = {
        "url": _text(entry.get("link")),
        "title": _text(entry.get("title")),
        "source": _text(source.get("title")) or _text(feed.get("title")),
        "language": _text(feed.get("language")),
        "body": body,
        "published_at": datetime.fromtimestamp(calendar.timegm(when), UTC) if when else published_at,
    }
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in fields.items() if v is not None}


def _feed(data: bytes, name: str, published_at: datetime | None) -> list[Item]:
    import feedparser  # type: ignore[import-untyped]

    parsed = feedparser.parse(data)  # bytes: parsed as a document, never fetched
    if not parsed.entries:
        why = f": {parsed.get('bozo_exception')}" if parsed.get("bozo") else ""
        raise InputError(f"{name}: no RSS or Atom items found{why}")
    lines = _entry_lines(data)
    if len(lines) != len(parsed.entries):
        lines = []
    return [
        _item(f"{name}:{lines[i]} (item {i + 1})" if lines else f"{name} (item {i + 1})",
              orjson.dumps(feed_article(entry, parsed.feed, published_at)))
        for i, entry in enumerate(parsed.entries)
    ]  # fmt: skip


def _parse(data: bytes, name: str, kind: str, published_at: datetime | None, mtime: float | None) -> list[Item]:
    if kind == ".jsonl":
        return _jsonl(data, name)
    if kind == ".json":
        return _json(data, name)
    if kind in FEED_SUFFIXES:
        return _feed(data, name, published_at)
    when = published_at or datetime.fromtimestamp(mtime if mtime is not None else time.time(), UTC)
    return [_item(name, encode(RawArticle(body=data.decode("utf-8", "replace"), published_at=when,
                                          source=Path(name).stem)))]  # fmt: skip


def _sniff(data: bytes) -> str:
    head = data.lstrip()[:1]
    return ".xml" if head == b"<" else ".json" if head == b"[" else ".jsonl"


def read_items(
    paths: Iterable[Path], published_at: datetime | None = None, stdin: BinaryIO | None = None
) -> list[Item]:
    """Every article in `paths`, in the order given (`-` reads `stdin`)."""
    out: list[Item] = []
    for path in paths:
        if path == STDIN:
            if stdin is None:
                raise InputError("-: standard input is not available here")
            data = stdin.read()
            out.extend(_parse(data, "<stdin>", _sniff(data), published_at, None))
            continue
        for file in _files(path):
            try:
                data = file.read_bytes()
            except OSError as exc:
                raise InputError(f"{file}: {exc.strerror or exc}") from None
            out.extend(_parse(data, str(file), file.suffix, published_at, file.stat().st_mtime))
    return out


def load_inputs(paths: list[Path], published_at: datetime | None = None) -> list[tuple[bytes | None, bytes]]:
    """(key, value) for every article in `paths`, in the order given, unchecked."""
    return [(item.key, item.value) for item in read_items(paths, published_at)]


def check_items(
    items: Iterable[Item],
    limits: Limits = DEFAULT_LIMITS,
    now: float | None = None,
    advance: Callable[[int], None] | None = None,
) -> list[Problem]:
    """What the clean stage would dead-let each item for (size, JSON, schema, body, dates,
    empty text), as problems; an empty list when every item would go through."""
    from streams.clean import clean, decode_raw

    clock = time.time() if now is None else now
    problems = []
    for index, item in enumerate(items):
        try:
            clean(decode_raw(item.value, limits), RawRef(partition=0, offset=0), clock, clock, limits)
        except (DecodeError, StageError) as exc:
            problems.append(Problem(index, item.where, exc.reason, exc.detail))
        if advance is not None:
            advance(1)
    return problems
