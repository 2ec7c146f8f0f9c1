"""The extract speed benchmark (bench/extract_speed.py) measures what it says."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from bench import extract_speed


def test_articles_are_cleaned_then_timed() -> None:
    items = extract_speed.longform(3, 3)
    assert len(items) == 3 and all(len(a.text.split()) > 300 for a in items)
    rates, each = extract_speed.time_passes(items)
    assert len(rates) == extract_speed.PASSES and all(r > 0 for r in rates)
    assert len(each) == extract_speed.PASSES * len(items)


def test_dev_notes_become_the_articles_eval_extracts(tmp_path: Path) -> None:
    notes = tmp_path / "notes.jsonl"
    records = [
        {"id": "a", "text": "Gunmen killed 12 villagers in Koro, Mopti region, on Sunday.", "event_date": "2024-03-03"},
        {"id": "b", "text": "", "event_date": "2024-03-04"},
    ]
    notes.write_bytes(b"\n".join(orjson.dumps(r) for r in records))
    kept = extract_speed.dev_articles(notes)
    assert [a.article_id for a in kept] == ["a"]  # an empty note is no article
    assert kept[0].published_at.isoformat() == "2024-03-03T12:00:00+00:00"


def test_report_prints_rates_and_latencies(capsys: pytest.CaptureFixture[str]) -> None:
    extract_speed.report("two articles", "articles", extract_speed.longform(2, 5))
    out = capsys.readouterr().out
    assert "articles/s" in out and "p99" in out and "words/article" in out


def test_cpu_model_is_named() -> None:
    assert extract_speed.cpu_model()
