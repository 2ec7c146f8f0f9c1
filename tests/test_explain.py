"""`tollwatch explain`: the events behind a total, in process over the seeds and the test stream."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from streams.cli import main
from streams.explain import parse_region

STREAM = Path(__file__).resolve().parent / "data" / "bankass_stream.jsonl"


def test_explain_mopti_on_the_seeds_shows_boulikessi_with_both_sentences(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "ML/Mopti"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("ML/Mopti · window all ending 2025-06-02 · 1 event(s), killed (best) 30")
    assert "Boulkessi" in out and "seed-d596e75bead0eb0e" in out
    assert '"The assault on Boulikessi resulted in over 30 soldier deaths' in out
    assert '"Reports indicate that more than 30 soldiers perished during the ambush on Sunday' in out


def test_explain_json_lists_the_events_of_the_window(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "ML", "--window", "30d", "--json"]) == 0
    body = orjson.loads(capsys.readouterr().out)
    assert (body["region"], body["window"], body["watermark"]) == ("ML", "30d", "2025-06-02")
    assert sorted(e["admin1"] for e in body["events"]) == ["Mopti", "Tombouctou"]  # Kidal, Bamako are older


def test_explain_shows_every_source_and_what_each_said(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "ML/Mopti", "--input", str(STREAM)]) == 0
    out = capsys.readouterr().out
    assert "2 event(s), killed (best) 48" in out
    for outlet in ("Sahel Wire", "Bamako Daily", "Radio Niger Bend", "West Africa Agency", "Monitor Sahel"):
        assert outlet in out
    assert "[superseded]" in out and "[revision]" in out and "[claim]" in out and "[background]" in out


@pytest.mark.parametrize("bad", ["Mopti", "M/Mopti", "", "123/x"])
def test_a_bad_region_is_a_clear_error(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError, match="CC or CC/Admin1"):
        parse_region(bad)
    assert main(["explain", bad]) == 2
    assert "region must be CC or CC/Admin1" in capsys.readouterr().err
