"""Reading inputs for `produce`: feeds, JSON, JSON lines, stdin; checking items by their line."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from schemas import RawArticle, decode
from streams.cli import main
from streams.inputs import STDIN, InputError, check_items, read_items
from streams.limits import Limits
from streams.progress import Progress, bar
from tests.feeds import atom, line_of, rss

NOW = datetime(2025, 6, 1, tzinfo=UTC).timestamp()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rss_items_become_raw_articles_keyed_by_id_with_the_line_of_their_item(tmp_path: Path) -> None:
    text = rss(3)
    items = read_items([write(tmp_path, "wire.rss", text)])
    assert len(items) == 3
    starts = [i for i, line in enumerate(text.splitlines(), 1) if line.strip() == "<item>"]
    assert [item.where for item in items] == [f"{tmp_path / 'wire.rss'}:{n} (item {k})" for k, n in
                                             enumerate(starts, 1)]  # fmt: skip
    article = decode(RawArticle, items[1].value)
    assert items[1].key == article.article_id.encode()
    assert article.url == "https://news.example.org/1"
    assert (article.title, article.source, article.language) == (
        "Attack near Menaka (1)",
        "Example Sahel Wire",
        "en-us",
    )
    assert article.published_at == datetime(2025, 5, 1, 9, tzinfo=UTC)
    assert "killed 3 civilians in Menaka" in article.body and "<p>" in article.body  # HTML: the clean stage strips it
    assert check_items(items, now=NOW) == []


def test_atom_entries_take_the_longest_text_and_the_updated_date(tmp_path: Path) -> None:
    items = read_items([write(tmp_path, "desk.atom", atom(2))])
    article = decode(RawArticle, items[1].value)
    assert "killed 4 militants near Menaka" in article.body  # the content, not the one-word summary
    assert article.published_at == datetime(2025, 5, 2, 8, tzinfo=UTC)
    assert (article.url, article.source) == ("https://atom.example.net/1", "Example Atom Desk")


def test_a_bad_feed_item_is_named_by_its_line_and_reason(tmp_path: Path) -> None:
    text = rss(40, undated=frozenset({17}), empty=frozenset({30}))
    path = write(tmp_path, "feed.xml", text)
    problems = check_items(read_items([path]), now=NOW)
    assert [(p.index, p.reason) for p in problems] == [(17, "schema"), (30, "schema")]
    undated_line = line_of(text, "<title>Attack near Menaka (17)") - 1  # its <item> is the line before
    assert problems[0].where == f"{path}:{undated_line} (item 18)"
    assert "published_at" in problems[0].detail and "body" in problems[1].detail
    assert str(problems[0]).startswith(f"{path}:{undated_line} (item 18): schema: published_at")
    fallback = datetime(2025, 5, 20, tzinfo=UTC)  # --published-at dates what the feed does not
    assert [p.index for p in check_items(read_items([path], published_at=fallback), now=NOW)] == [30]


def test_json_lists_and_json_lines_give_the_line_of_each_item(tmp_path: Path) -> None:
    good = {"body": "Gunmen killed 4 people in Djibo, Burkina Faso.", "published_at": "2025-05-01T00:00:00Z"}
    bad = {"body": "No date here."}
    listed = write(tmp_path, "list.json", "[\n  " + orjson.dumps(good).decode() + ",\n\n  {\n    \"body\": \"x\"\n  },"
                   + "\n  " + orjson.dumps(bad).decode() + "\n]\n")  # fmt: skip
    items = read_items([listed])
    assert [item.where for item in items] == [f"{listed}:2 (item 1)", f"{listed}:4 (item 2)", f"{listed}:7 (item 3)"]
    lines = write(tmp_path, "lines.jsonl", orjson.dumps(good).decode() + "\n\n" + orjson.dumps(bad).decode() + "\n")
    problems = check_items(read_items([lines]), now=NOW)
    assert [(p.where, p.reason) for p in problems] == [(f"{lines}:3", "schema")]
    broken = write(tmp_path, "broken.json", '[{"body": "x",\n "published_at": }]')
    assert [p.reason for p in check_items(read_items([broken]), now=NOW)] == ["invalid_json"]


def test_stdin_is_sniffed_as_a_feed_a_json_list_or_json_lines() -> None:
    feed = read_items([STDIN], stdin=io.BytesIO(rss(2).encode()))
    assert [item.where for item in feed] == ["<stdin>:6 (item 1)", "<stdin>:12 (item 2)"]
    one = {"body": "Gunmen killed 4 people in Djibo.", "published_at": "2025-05-01T00:00:00Z"}
    lines = read_items([STDIN], stdin=io.BytesIO(b"\n" + orjson.dumps(one) + b"\n" + orjson.dumps(one)))
    assert [item.where for item in lines] == ["<stdin>:2", "<stdin>:3"]
    listed = read_items([STDIN], stdin=io.BytesIO(orjson.dumps([one, one])))
    assert len(listed) == 2 and listed[0].key == decode(RawArticle, orjson.dumps(one)).article_id.encode()


def test_what_the_clean_stage_would_refuse_is_a_problem_and_other_languages_are_not(tmp_path: Path) -> None:
    def item(**fields: object) -> bytes:
        return orjson.dumps({"body": "Gunmen killed 4 people in Djibo.", "published_at": "2025-05-01T00:00:00Z",
                             **fields})  # fmt: skip

    values = [
        item(published_at="2031-01-01T00:00:00Z"),  # after the clock + future_days
        item(body="x" * 3000),  # over the body limit below
        item(body="Des hommes armés ont tué quatre personnes à Djibo, selon des sources locales et sécuritaires."),
        item(published_at="2025-05-01T00:00:00"),  # no offset
        b"\xff not utf-8",
    ]
    path = write(tmp_path, "mixed.jsonl", "")
    path.write_bytes(b"\n".join(values))
    problems = check_items(read_items([path]), Limits(max_body_chars=2000), now=NOW)
    assert [(p.where, p.reason) for p in problems] == [
        (f"{path}:1", "date_out_of_range"), (f"{path}:2", "body_too_large"), (f"{path}:4", "schema"),
        (f"{path}:5", "invalid_utf8"),
    ]  # fmt: skip


def test_unreadable_inputs_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no RSS or Atom items"):
        read_items([write(tmp_path, "page.xml", "<html><body>not a feed</body></html>")])
    with pytest.raises(InputError, match="no such file"):
        read_items([tmp_path / "missing.rss"])
    with pytest.raises(InputError, match="expected one of"):
        read_items([write(tmp_path, "notes.csv", "a,b")])


def test_produce_sends_nothing_when_an_item_is_bad_and_says_which(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The broker address is a closed port: had produce tried to send, it would exit 1, not 2."""
    text = rss(60, undated=frozenset({41}))
    path = write(tmp_path, "feed.xml", text)
    assert main(["produce", str(path), "--broker", "127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert f"{path}:{line_of(text, '<title>Attack near Menaka (41)') - 1} (item 42): schema: published_at" in err
    assert "1 of 60 item(s) would be dead-lettered; nothing sent" in err
    assert "[#" not in err  # not a terminal: no progress bar
    assert main(["produce", str(path), "--dry-run", "--skip-invalid"]) == 0
    assert "59 would be sent" in capsys.readouterr().err


def test_produce_exits_1_with_a_clear_message_when_the_broker_is_unreachable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "feed.xml", rss(3))
    assert main(["produce", str(path), "--broker", "127.0.0.1:9"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("tollwatch produce: broker 127.0.0.1:9: KafkaConnectionError")
    assert "0 of 3 article(s) acknowledged" in err[0]


def test_the_progress_bar_draws_on_a_terminal_only() -> None:
    assert bar(250, 500, "sending", 2.0) == "sending [##############--------------] 250/500  50% 125/s"
    quiet = io.StringIO()
    progress = Progress(500, "sending", stream=quiet)  # a StringIO is no terminal
    for _ in range(500):
        progress.advance()
    progress.close()
    assert quiet.getvalue() == ""
    shown = io.StringIO()
    progress = Progress(500, "sending", stream=shown, enabled=True)
    for _ in range(500):
        progress.advance()
    progress.close()
    frames = shown.getvalue().split("\r")
    assert frames[-1].startswith("sending [" + "#" * 28 + "] 500/500 100%") and frames[-1].endswith("\n")
