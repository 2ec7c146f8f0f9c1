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
    """The second article comes 500 days after the first: with one partition (both articles
    in it) the first event leaves the state, its deaths stay in the region's all-time total
    (as in the pipeline), in explain's and the report's offline path alike. With four, the
    articles go to two partitions: the first one's stays at its day and holds the low
    watermark back (until the pipeline finds it idle), so nothing is evicted; the totals
    are the same."""
    from streams.explain import run_offline
    from streams.report import _offline
    from streams.totals import compute_totals

    path = tmp_path / "two.jsonl"
    path.write_text("\n".join(orjson.dumps({"body": body, "published_at": when}).decode() for body, when in [
        ("On Sunday gunmen killed 7 civilians in Djibo, Burkina Faso, residents said.", "2023-01-10T12:00:00Z"),
        ("On Sunday gunmen killed 3 civilians in Djibo, Burkina Faso, residents said.", "2024-05-28T12:00:00Z"),
    ]) + "\n", encoding="utf-8")  # fmt: skip
    events, watermark, archive = run_offline(load_inputs([path]), partitions=1)
    assert [(e.killed_best, e.archived) for e in events] == [(3, False), (7, True)] and watermark is not None
    assert sum(a.killed_best for a in archive.values()) == 14  # the region's and the country's archive: 7 each
    spread, _, kept = run_offline(load_inputs([path]), partitions=4)
    assert sorted((e.killed_best, e.archived) for e in spread) == [(3, False), (7, False)] and kept == {}
    for totals in (compute_totals(events, watermark, archive), _offline([path], None)[0],
                   compute_totals(spread, watermark, kept)):  # fmt: skip
        all_time = {(t.admin1, t.window): t.killed_best for t in totals if t.country == "BF"}
        assert all_time[(None, "all")] == 10 and all_time[(None, "365d")] == 3


def test_explain_lists_the_archived_event_an_all_time_total_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two attacks in Djibo 600 days apart, reported by articles that go to the same input
    partition (as their keys would; the other partitions get none): the first event leaves
    the events state, and `explain --json` still lists it, `archived`, with its report and
    sentence; the listed figures add up to the all-time total, those of the live events alone
    to the 365-day one."""
    from streams.explain import run_offline, source_partition
    from streams.totals import compute_totals

    old = "djibo-market-2022"
    new = next(f"djibo-road-{n}" for n in range(100)
               if source_partition(f"djibo-road-{n}".encode(), 4) == source_partition(old.encode(), 4))  # fmt: skip
    path = tmp_path / "djibo.jsonl"
    path.write_text("\n".join(orjson.dumps(a).decode() for a in [
        {"id": old, "url": "https://news.example/djibo-market", "source": "Sahel Wire",
         "published_at": "2022-09-14T10:00:00Z",
         "body": "Gunmen killed 23 traders at the cattle market in Djibo, Burkina Faso, on Tuesday, officials said."},
        {"id": new, "url": "https://news.example/djibo-road", "source": "Radio Niger Bend",
         "published_at": "2024-05-06T10:00:00Z",
         "body": "An explosive device killed 6 soldiers on the road out of Djibo, Burkina Faso, on Sunday."},
    ]) + "\n", encoding="utf-8")  # fmt: skip
    assert main(["explain", "BF", "--input", str(path), "--json"]) == 0
    body = orjson.loads(capsys.readouterr().out)
    by_id = {e["reports"][0]["article_id"]: e for e in body["events"]}
    assert set(by_id) == {old, new} and (by_id[old]["archived"], by_id[new]["archived"]) == (True, False)
    report = by_id[old]["reports"][0]
    assert (report["url"], report["killed_best"], by_id[old]["day"]) == ("https://news.example/djibo-market", 23,
                                                                         "2022-09-13")  # fmt: skip
    assert any("killed 23 traders at the cattle market" in s for s in report["sentences"])
    events, watermark, archive = run_offline(load_inputs([path]))
    assert watermark is not None and sum(a.killed_best for a in archive.values()) == 2 * 23  # region and country
    totals = {(t.admin1, t.window): t.killed_best for t in compute_totals(events, watermark, archive)}
    assert sum(e["killed_best"] for e in body["events"]) == totals[(None, "all")] == 29
    assert sum(e["killed_best"] for e in body["events"] if not e["archived"]) == totals[(None, "365d")] == 6
    assert main(["explain", "BF/Sahel", "--input", str(path)]) == 0
    text = capsys.readouterr().out
    assert "2 event(s), killed (best) 29" in text and "archived" in text and "cattle market in Djibo" in text
