"""`tollwatch eval` on invented notes: predictions, text-group scoring, and figures."""

from __future__ import annotations

from pathlib import Path

import orjson

from streams.cli import main
from streams.evaluate import predict, read_records, score

NOTES = [
    {"id": "T:1", "text": "Gunmen killed 4 civilians in Djibo (Soum, Sahel).", "event_date": "2021-03-02",
     "country": "Burkina Faso", "admin1": "Sahel", "fatalities": 4, "text_group": "T:1", "text_group_size": 1,
     "text_group_fatalities": 4},
    {"id": "T:2", "text": "Militants attacked an army post near Boulkessi, Mali. Two soldiers were killed.",
     "event_date": "2021-03-03", "country": "Mali", "admin1": "Mopti", "fatalities": 1, "text_group": "G",
     "text_group_size": 2, "text_group_fatalities": 2},
    {"id": "T:3", "text": "Militants attacked an army post near Boulkessi, Mali. Two soldiers were killed.",
     "event_date": "2021-03-03", "country": "Mali", "admin1": "Mopti", "fatalities": 1, "text_group": "G",
     "text_group_size": 2, "text_group_fatalities": 2},
    {"id": "T:4", "text": "Protesters marched in Niamey.", "event_date": "2021-03-04", "country": "Niger",
     "admin1": "Niamey", "fatalities": 0, "text_group": "T:4", "text_group_size": 1, "text_group_fatalities": 0},
]  # fmt: skip


def test_predict_gives_killed_country_and_admin1() -> None:
    pred = predict("x", "Gunmen killed 4 civilians in Djibo (Soum, Sahel).", "2021-03-02")
    assert (pred.fatalities, pred.country, pred.admin1) == (4, "BF", "Sahel")


def test_text_groups_are_scored_once_and_figures_add_up(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(n) for n in NOTES))
    scores = score(read_records(path))
    summary = scores.summary()
    assert (summary["records"], summary["texts"]) == (4, 3)
    assert summary["fatality_exact"] == 1.0 and summary["fatality_exact_with_deaths"] == 1.0
    assert summary["country_accuracy"] == 1.0 and summary["admin1_accuracy"] == 1.0


def test_cli_writes_one_prediction_per_record(tmp_path: Path, capsys: object) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(n) for n in NOTES))
    out = tmp_path / "pred.jsonl"
    assert main(["eval", str(path), "--predictions", str(out), "--json"]) == 0
    preds = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [p["id"] for p in preds] == ["T:1", "T:2", "T:3", "T:4"]
    assert set(preds[0]) == {"id", "fatalities", "country", "admin1", "event_date"}
    assert main(["eval", str(tmp_path / "missing.jsonl")]) == 2
