"""Read articles from files for `produce` and `demo`: .json, .jsonl, .txt, or directories.

Items are sent as they are (the pipeline validates and dead-letters what is wrong), keyed
by the article id when the item is a valid RawArticle.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson

from schemas import DecodeError, RawArticle, decode, encode

__all__ = ["InputError", "load_inputs", "SUFFIXES"]

SUFFIXES = (".json", ".jsonl", ".txt")


class InputError(ValueError):
    """A path that is missing or of a kind we cannot read."""


def _key(value: bytes) -> bytes | None:
    try:
        return decode(RawArticle, value).article_id.encode()
    except DecodeError:
        return None


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if path.suffix not in SUFFIXES:
        raise InputError(f"{path}: expected one of {', '.join(SUFFIXES)} or a directory")
    return [path]


def _items(path: Path, published_at: datetime | None) -> list[bytes]:
    data = path.read_bytes()
    if path.suffix == ".jsonl":
        return [line for line in data.splitlines() if line.strip()]
    if path.suffix == ".txt":
        when = published_at or datetime.fromtimestamp(path.stat().st_mtime, UTC)
        text = data.decode("utf-8", "replace")
        return [encode(RawArticle(body=text, published_at=when, source=path.stem))]
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError:
        return [data]  # sent as is: the pipeline dead-letters it with a reason
    return [orjson.dumps(item) for item in obj] if isinstance(obj, list) else [data]


def load_inputs(paths: list[Path], published_at: datetime | None = None) -> list[tuple[bytes | None, bytes]]:
    """(key, value) for every article in `paths`, in the order given."""
    out: list[tuple[bytes | None, bytes]] = []
    for path in paths:
        for file in _files(path):
            out.extend((_key(value), value) for value in _items(file, published_at))
    return out
