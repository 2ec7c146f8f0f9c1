"""`tollwatch produce` against a real broker: a 500-item feed with a progress bar, keyed by
article id; a feed with one bad item sends nothing."""

from __future__ import annotations

import asyncio
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from schemas import RawArticle, decode
from streams.kafka_io import read_topic
from tests.conftest import ROOT
from tests.feeds import line_of, rss

pytestmark = pytest.mark.integration


def produce_on_a_terminal(args: list[str], timeout: float = 120.0) -> tuple[int, str]:
    """Run `tollwatch produce ARGS` with its output on a pseudo-terminal; (exit code, what it drew)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "streams.cli", "produce", *args], cwd=ROOT,
                               stdin=subprocess.DEVNULL, stdout=follower, stderr=follower)  # fmt: skip
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    data = os.read(leader, 65536)
                except OSError:  # the terminal closed: the process is gone
                    break
                if not data:
                    break
                chunks.append(data)
            elif process.poll() is not None:
                break
        code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)
    return code, b"".join(chunks).decode("utf-8", "replace")


def test_a_500_item_feed_goes_through_with_a_progress_bar_keyed_by_article_id(broker: str, tmp_path: Path) -> None:
    feed = tmp_path / "wire.xml"
    feed.write_text(rss(500), encoding="utf-8")
    code, drawn = produce_on_a_terminal([str(feed), "--broker", broker, "--topic", "produce.feed"])
    assert code == 0, drawn[-2000:]
    frames = [frame for frame in drawn.split("\r") if frame.startswith("sending  [")]
    assert frames and "500/500 100%" in frames[-1], drawn[-2000:]
    assert any("checking [" in frame for frame in drawn.split("\r"))
    assert "sent 500 article(s) to produce.feed" in drawn
    records = asyncio.run(read_topic(broker, "produce.feed"))
    assert len(records) == 500
    articles = [decode(RawArticle, value) for _, value, _, _ in records]
    assert all(key == article.article_id.encode() for (key, _, _, _), article in zip(records, articles, strict=True))
    assert {a.url for a in articles} == {f"https://news.example.org/{i}" for i in range(500)}


def test_off_a_terminal_produce_prints_one_line(broker: str, tmp_path: Path) -> None:
    feed = tmp_path / "wire.xml"
    feed.write_text(rss(120), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "streams.cli", "produce", str(feed), "--broker", broker,
                           "--topic", "produce.quiet"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"sent 120 article(s) to produce.quiet on {broker}\n" and done.stdout == ""
    assert len(asyncio.run(read_topic(broker, "produce.quiet"))) == 120


def test_a_feed_with_one_bad_item_sends_nothing_and_names_its_line(broker: str, tmp_path: Path) -> None:
    text = rss(500, undated=frozenset({316}))
    feed = tmp_path / "wire.xml"
    feed.write_text(text, encoding="utf-8")
    code, drawn = produce_on_a_terminal([str(feed), "--broker", broker, "--topic", "produce.bad"])
    assert code == 2, drawn[-2000:]
    line = line_of(text, "<title>Attack near Djibo (316)") - 1
    assert f"{feed}:{line} (item 317): schema: published_at: Field required" in drawn
    assert "1 of 500 item(s) would be dead-lettered; nothing sent" in drawn
    assert "sending" not in drawn
    assert asyncio.run(read_topic(broker, "produce.bad", timeout=10)) == []
