"""Export the JSON Schema of every topic's value to `schemas/json/` (run: python -m schemas.jsonschema)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from schemas import (
    CleanArticle,
    ConflictEvent,
    DeadLetter,
    ExtractedArticle,
    Outcome,
    RawArticle,
    RegionalTotal,
    WatermarkTick,
)

__all__ = ["TOPIC_MODELS", "render", "main"]

JSON_DIR = Path(__file__).resolve().parent / "json"

#: file stem -> model; the stem names the topic whose values it describes.
TOPIC_MODELS: dict[str, type[BaseModel]] = {
    "articles.raw": RawArticle,
    "articles.clean": CleanArticle,
    "articles.extracted": ExtractedArticle,
    "articles.extracted.watermark": WatermarkTick,
    "events": ConflictEvent,
    "casualty.totals": RegionalTotal,
    "articles.deadletter": DeadLetter,
    "articles.outcomes": Outcome,
}


def render(model: type[BaseModel]) -> str:
    """The schema text as checked in (stable key order, trailing newline)."""
    return json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the files, or with `--check` fail when any checked-in file is stale."""
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    stale = []
    for stem, model in TOPIC_MODELS.items():
        path = JSON_DIR / f"{stem}.schema.json"
        text = render(model)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("stale JSON Schemas (run: python -m schemas.jsonschema): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
