"""`tollwatch tail` without a broker: filtering, keeping the latest, rendering, JSON and log lines,
the in-place redraw, and records that do not decode (tests/integration/test_tail.py runs it live)."""

from __future__ import annotations

import asyncio
import io
import os
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas import ConflictEvent, RegionalTotal, encode
from streams import tail, tail_view
from streams.inputs import InputError
from streams.tail_view import View, json_line, log_line, make_filter, render_events, render_frame, render_table


def total(admin1: str | None = "Mopti", window: str = "all", killed: int = 30, country: str = "ML") -> RegionalTotal:
    start = {"7d": date(2025, 5, 27), "30d": date(2025, 5, 4), "365d": date(2024, 6, 3), "all": None}[window]
    return RegionalTotal(country=country, admin1=admin1, window=window, killed_low=killed, killed_best=killed,  # type: ignore[arg-type]
                         killed_high=killed + 5, events=1, window_start=start, window_end=date(2025, 6, 2),
                         as_of=date(2025, 6, 2))  # fmt: skip


def event(event_id: str = "ev-1", revision: int = 1, admin1: str | None = "Mopti", killed: int = 30,
          retracted: bool = False) -> ConflictEvent:  # fmt: skip
    report = {"article_id": "a", "candidate": 0, "published_at": "2025-06-02T18:00:00Z"}
    return ConflictEvent.model_validate({
        "event_id": event_id, "revision": revision, "country": "ML", "admin1": admin1, "day": "2025-06-01",
        "precision": "day", "killed_best": killed, "reports": [] if retracted else [report],
    })  # fmt: skip


def test_a_country_region_matches_its_total_and_its_admin1_totals_only() -> None:
    keep = make_filter("ml", None)
    assert keep(total(None)) and keep(total("Mopti")) and keep(total("Kidal", "7d"))
    assert not keep(total(None, country="BF")) and not keep(total("Nord", country="BF"))


def test_an_admin1_region_and_a_window_narrow_the_totals_and_events_by_region_only() -> None:
    keep = make_filter("ML/Mopti", "30d")
    assert keep(total("Mopti", "30d"))
    assert not keep(total("Mopti", "all")) and not keep(total(None, "30d")) and not keep(total("Kidal", "30d"))
    assert keep(event(admin1="Mopti")) and not keep(event(admin1="Kidal"))  # events have no window
    assert make_filter(None, None)(total("Kidal", "7d"))
    assert make_filter("ml/MOPTI", None)(total("Mopti"))  # admin1 in any case


@pytest.mark.parametrize("text", ["Mali", "M/Mopti", "123", ""])
def test_a_bad_region_is_an_input_error(text: str) -> None:
    if text == "":
        assert make_filter(text, None) == make_filter(None, None)  # --region '' : no filter
        return
    with pytest.raises(InputError, match="region must be CC or CC/Admin1"):
        make_filter(text, None)


def test_the_view_keeps_the_latest_total_per_key_and_says_what_changed() -> None:
    view = View()
    assert view.add(total(killed=10)) is True
    assert view.add(total(killed=10)) is False  # sent again: nothing changed
    assert view.add(total(killed=30)) is True
    assert view.add(total(window="7d")) is True
    assert {k: t.killed_best for k, t in view.totals.items()} == {"ML/Mopti/all": 30, "ML/Mopti/7d": 30}


def test_the_view_keeps_the_latest_event_revision_in_the_order_events_changed() -> None:
    view = View()
    assert view.add(event("ev-1", 1)) and view.add(event("ev-2", 1)) and view.add(event("ev-1", 2))
    assert not view.add(event("ev-1", 1)) and not view.add(event("ev-1", 2))  # older, or the same revision again
    assert [(e.event_id, e.revision) for e in view.events.values()] == [("ev-2", 1), ("ev-1", 2)]
    for i in range(1000):
        view.add(event(f"ev-x{i}"))
    assert len(view.events) == 64 * tail_view.EVENT_LINES and "ev-x999" in view.events  # bounded, newest kept


def test_the_table_is_sorted_by_region_country_first_then_window() -> None:
    text = render_table([total("Mopti", "all"), total("Kidal", "7d", 50), total(None, "30d", 80),
                         total("Mopti", "7d"), total(None, "all", 80)])  # fmt: skip
    lines = text.splitlines()
    assert lines[0].split("  ")[0] == "region" and set(lines[1]) == {"-", " "} and len(lines[1]) >= len(lines[0])
    assert [len(dashes) for dashes in lines[1].split("  ")] == [12, 6, 22, 7, 9, 6, 10, 10]  # one rule per column
    assert [line.split()[0] + " " + line.split()[-7] for line in lines[2:]] == [
        "ML 30d", "ML all", "ML/Kidal 7d", "ML/Mopti 7d", "ML/Mopti all"]  # fmt: skip
    assert lines[2].split() == ["ML", "(country)", "30d", "80/80/85", "0", "0", "1", "2025-05-04", "2025-06-02"]
    assert lines[6].split() == ["ML/Mopti", "all", "30/30/35", "0", "0", "1", "-", "2025-06-02"]


@given(st.permutations([total(a, w) for a in (None, "Kidal", "Mopti") for w in ("7d", "30d", "365d", "all")]))
def test_the_table_does_not_depend_on_the_order_totals_arrived_in(totals: list[RegionalTotal]) -> None:
    assert render_table(totals) == render_table(sorted(totals, key=lambda t: t.key))


def test_events_render_one_line_each_retracted_ones_said_so() -> None:
    lines = render_events([event("ev-2", 3, "Kidal", 50), event("ev-1", 2, retracted=True)]).splitlines()
    assert [line.split() for line in lines] == [
        ["ev-2", "ML/Kidal", "2025-06-01", "killed", "best", "50", "revision", "3"],
        ["ev-1", "ML/Mopti", "2025-06-01", "retracted", "revision", "2"]]  # fmt: skip
    assert render_events([]) == "(none yet)"


TITLE = "tollwatch tail · 127.0.0.1:9092 · casualty.totals"


def frame(view: View, events: bool = False, size: tuple[int, int] = (200, 50)) -> list[str]:
    return render_frame(view, TITLE, "following from now on", events, size)


def test_the_frame_has_a_header_with_records_seen_and_the_last_update() -> None:
    empty = frame(View())
    assert empty[:4] == [TITLE, "0 record(s) read · last update -", "following from now on", ""]
    assert empty[-1] == "(no totals yet)"
    view = View(records=7, skipped=1, last_update=datetime(2025, 6, 2, 18, 0, 5, tzinfo=UTC))
    view.add(total())
    lines = frame(view, events=True)
    clock = datetime(2025, 6, 2, 18, 0, 5, tzinfo=UTC).astimezone().strftime("%H:%M:%S")
    assert lines[1] == f"7 record(s) read · last update {clock} · 1 undecodable (skipped)"
    assert lines[-3:] == ["", "latest event changes (newest first):", "(none yet)"]


def test_the_frame_fits_the_terminal_and_says_what_did_not_fit() -> None:
    view = View()
    for admin1 in ("Bamako", "Kidal", "Mopti", "Tombouctou", "Gao"):
        for window in ("7d", "30d", "365d", "all"):
            view.add(total(admin1, window))
    for i in range(12):
        view.add(event(f"ev-{i}", killed=i))
    lines = frame(view, events=True, size=(40, 24))
    assert len(lines) == 23 and all(len(line) <= 40 for line in lines)  # the last line stays free for the cursor
    assert any(line.startswith("… 14 more row(s)") for line in lines)
    assert lines[-tail_view.EVENT_LINES - 1] == "latest event changes (newest first):"
    assert lines[-tail_view.EVENT_LINES].startswith("ev-11 ")  # newest first, 8 of 12
    assert len(frame(view, size=(200, 50))) == 4 + 22  # everything fits: header, table head, 20 rows


def test_a_json_line_is_the_total_with_its_schema_version_key_partition_and_offset() -> None:
    line = orjson.loads(json_line(total(), b"ML/Mopti/all", 2, 17))
    assert line == {"kind": "total", "schema_version": 1, "killed_low": 30, "killed_best": 30, "killed_high": 35,
                    "wounded": 0, "kidnapped": 0, "country": "ML", "admin1": "Mopti", "window": "all", "events": 1,
                    "window_start": None, "window_end": "2025-06-02", "as_of": "2025-06-02", "key": "ML/Mopti/all",
                    "partition": 2, "offset": 17}  # fmt: skip
    as_event = orjson.loads(json_line(event(), None, 0, 3))
    assert (as_event["kind"], as_event["event_id"], as_event["key"]) == ("event", "ev-1", None)
    assert len(as_event["reports"]) == 1


def test_a_log_line_says_when_what_and_the_figures() -> None:
    at = datetime(2025, 6, 2, 18, 0, 5, tzinfo=UTC)
    stamp = at.astimezone().isoformat(timespec="seconds")
    figures = "killed 30/30/35, wounded 0, kidnapped 0, events 1 (2025-05-04 to 2025-06-02)"
    assert log_line(total("Mopti", "30d"), at) == f"{stamp} total ML/Mopti 30d: {figures}"
    assert log_line(total(None), at).startswith(f"{stamp} total ML (country) all: killed 30/30/35")
    retracted = log_line(event(retracted=True, revision=2), at)
    assert retracted == f"{stamp} event ev-1 revision 2 ML/Mopti 2025-06-01: retracted"


class Shown:
    def __init__(self) -> None:
        self.items: list[tuple[Any, bool]] = []

    def show(self, item: Any, record: Any, changed: bool) -> None:
        self.items.append((item, changed))


def record(value: bytes | None, offset: int, topic: str = "casualty.totals") -> SimpleNamespace:
    return SimpleNamespace(topic=topic, partition=1, offset=offset, key=b"k", value=value, timestamp=1748887205000)


def test_a_record_that_does_not_decode_is_reported_once_and_skipped(capsys: pytest.CaptureFixture[str]) -> None:
    view, shown, keep = View(), Shown(), make_filter(None, None)
    for rec in [record(b"{not json", 4), record(None, 5), record(encode(event()), 6),
                record(encode(total()), 7), record(encode(event()), 8, "events")]:  # fmt: skip
        tail._take(rec, "casualty.totals", view, keep, shown)  # type: ignore[arg-type]
    err = capsys.readouterr().err.splitlines()
    assert [line.split(" (")[0] for line in err] == [
        f"tollwatch tail: casualty.totals[1]@{offset}: not a RegionalTotal" for offset in (4, 5, 6)]  # fmt: skip
    assert all(line.endswith("); skipped") for line in err) and "(no value (a tombstone))" in err[1]
    assert (view.records, view.skipped) == (5, 3)
    assert [(type(item).__name__, changed) for item, changed in shown.items] == [("RegionalTotal", True),
                                                                                ("ConflictEvent", True)]  # fmt: skip
    assert view.last_update == datetime(2025, 6, 2, 18, 0, 5, tzinfo=UTC)


def test_filtered_out_records_are_counted_but_not_shown() -> None:
    view, shown = View(), Shown()
    tail._take(record(encode(total("Kidal")), 1), "casualty.totals", view, make_filter("ML/Mopti", None), shown)  # type: ignore[arg-type]
    assert (view.records, shown.items, view.last_update) == (1, [], None)


def test_the_screen_redraws_in_place_at_most_four_times_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "30")
    clock = [100.0]
    monkeypatch.setattr(tail.time, "monotonic", lambda: clock[0])
    out = io.StringIO()
    screen, view = tail._Screen(out, "title", events=False), View()

    def frames() -> list[str]:
        return out.getvalue().split("\x1b[H")

    screen.status("following")
    screen.tick(view)
    assert frames()[0] == "\x1b[?25l\x1b[2J" and frames()[1].endswith("(no totals yet)\x1b[K\x1b[J")
    view.records += 1
    view.add(total())
    clock[0] += 0.1
    screen.tick(view)  # changed, but the last frame is 0.1 s old
    assert len(frames()) == 2
    clock[0] += 0.2
    screen.tick(view)
    assert len(frames()) == 3 and "ML/Mopti" in frames()[2] and "\x1b[2J" not in frames()[2]
    assert all(line.endswith("\x1b[K") for line in frames()[2].split("\n")[:-1])  # each line cleared to its end
    clock[0] += 1
    screen.tick(view)  # nothing changed: nothing drawn
    assert len(frames()) == 3
    monkeypatch.setenv("COLUMNS", "60")
    screen.tick(view)  # resized: drawn again, to the new width
    assert len(frames()) == 4
    assert max(len(line.split("\x1b")[0]) for line in frames()[3].split("\n")) == 60
    screen.close(view)
    assert len(frames()) == 5 and out.getvalue().endswith("\x1b[J\n\x1b[?25h")


def test_lines_print_json_per_record_or_a_log_line_per_change() -> None:
    stop = asyncio.Event()
    rec = record(None, 9)
    as_json, as_log = io.StringIO(), io.StringIO()
    for out, json in ((as_json, True), (as_log, False)):
        lines = tail._Lines(out, stop, json)
        lines.show(total(), rec, changed=True)
        lines.show(total(), rec, changed=False)
    assert [orjson.loads(line)["offset"] for line in as_json.getvalue().splitlines()] == [9, 9]
    assert as_log.getvalue().count("\n") == 1 and " total ML/Mopti all: killed 30/30/35" in as_log.getvalue()


def test_lines_end_the_tail_when_the_reader_of_the_pipe_is_gone_even_with_nothing_to_write() -> None:
    read, write = os.pipe()
    with os.fdopen(write, "w") as out:
        stop = asyncio.Event()
        lines = tail._Lines(out, stop, json=True)
        lines.tick(View())
        assert not stop.is_set()
        os.close(read)  # `| head -1` has exited
        lines.tick(View())
        assert stop.is_set()
        lines.show(total(), record(None, 1), changed=True)  # writes go to /dev/null now: no BrokenPipeError
