"""`tollwatch explain`: the events behind a total, in process over the seeds and the test stream."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from streams.cli import main
from streams.explain import parse_region
from streams.inputs import load_inputs

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


def test_offline_totals_keep_what_events_past_the_horizon_counted(tmp_path: Path) -> None:
    """The second article comes 500 days after the first: the first event leaves the state,
    its deaths stay in the region's all-time total (as in the pipeline), in explain's and the
    report's offline path alike."""
    from streams.explain import run_offline
    from streams.report import _offline
    from streams.totals import compute_totals

    path = tmp_path / "two.jsonl"
    path.write_text("\n".join(orjson.dumps({"body": body, "published_at": when}).decode() for body, when in [
        ("On Sunday gunmen killed 7 civilians in Djibo, Burkina Faso, residents said.", "2023-01-10T12:00:00Z"),
        ("On Sunday gunmen killed 3 civilians in Djibo, Burkina Faso, residents said.", "2024-05-28T12:00:00Z"),
    ]) + "\n", encoding="utf-8")  # fmt: skip
    events, watermark, archive = run_offline(load_inputs([path]))
    assert [e.killed_best for e in events] == [3] and watermark is not None
    assert sum(a.killed_best for a in archive.values()) == 14  # the region's and the country's archive: 7 each
    for totals in (compute_totals(events, watermark, archive), _offline([path], None)[0]):
        all_time = {(t.admin1, t.window): t.killed_best for t in totals if t.country == "BF"}
        assert all_time[(None, "all")] == 10 and all_time[(None, "365d")] == 3
