"""`tollwatch report`: the page in a real headless browser (Debian's chromium), and the pure renderer."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import struct
import subprocess
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from schemas import WINDOWS, ConflictEvent, RegionalTotal, encode
from schemas.events import SourceReport
from streams.cli import DEFAULT_SEEDS, main
from streams.explain import events_offline
from streams.inputs import load_inputs
from streams.kafka_io import Record
from streams.report import WEEKS, render_report, weekly_killed, write_report
from streams.totals import Archived, compute_totals

NOW = datetime(2025, 6, 4, 9, 30, tzinfo=UTC)
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """What the tests read from a page: ids, links, tags, the table's figures, the weekly bars."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[dict[str, str | None]] = []
        self.tags: set[str] = set()
        self.text: list[str] = []
        self.cells: dict[tuple[str, str, str], str] = {}  # (region, window, figure) -> text
        self.bars: dict[str, list[list[str]]] = {}  # region -> [class, tooltip] per week
        self.stack: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {"tag": tag, **dict(attrs)}
        self.tags.add(tag)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "a":
            self.hrefs.append(a)
        if tag == "rect":
            self.bars.setdefault(self._inner("data-region"), []).append([str(a.get("class")), ""])
        if tag not in VOID:
            self.stack.append(a)

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()["tag"] != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        region, window, fig = self._inner("data-region"), self._inner("data-window"), self._inner("data-fig")
        if region and window and fig:
            self.cells[(region, window, fig)] = self.cells.get((region, window, fig), "") + data
        if [a["tag"] for a in self.stack[-2:]] == ["rect", "title"]:
            self.bars[region][-1][1] += data

    def _inner(self, name: str) -> str:
        return next((str(a[name]) for a in reversed(self.stack) if a.get(name)), "")


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def chromium(*args: str, profile: Path, timeout: float = 120.0) -> subprocess.CompletedProcess[bytes]:
    """Run Debian's chromium headless (a fresh profile; its whole process group killed on a timeout)."""
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("Debian's chromium is not installed; the report is checked in a real headless browser: "
                    "apt-get install -y --no-install-recommends chromium")  # fmt: skip
    cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail(f"chromium did not finish within {timeout:.0f}s: {' '.join(cmd)}")
    assert proc.returncode == 0, err.decode(errors="replace")[-2000:]
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


@dataclass(frozen=True)
class SeedReport:
    path: Path
    stdout: str
    stderr: str


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory) -> SeedReport:
    """The seeds' report, written through the CLI (the offline path) into a directory it creates."""
    out = tmp_path_factory.mktemp("report") / "nested" / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        assert main(["report", "--out", str(out)]) == 0
    return SeedReport(out / "index.html", stdout.getvalue(), stderr.getvalue())


@pytest.fixture(scope="module")
def seed_totals() -> list[RegionalTotal]:
    events, watermark = events_offline(load_inputs([DEFAULT_SEEDS]))
    assert watermark == date(2025, 6, 2)
    return compute_totals(events, watermark)


def label(t: RegionalTotal) -> str:
    return f"{t.country}/{t.admin1}" if t.admin1 else t.country


def test_the_cli_writes_index_html_and_prints_its_path_and_a_summary(seed_report: SeedReport) -> None:
    assert seed_report.path.is_file()
    assert seed_report.stdout.strip() == str(seed_report.path.resolve())
    assert "5 region(s) in 1 country(ies), 4 event(s), as of 2025-06-02" in seed_report.stderr


def test_the_seed_report_in_headless_chromium_shows_the_seed_regions_and_figures(
    seed_report: SeedReport, seed_totals: list[RegionalTotal], tmp_path: Path
) -> None:
    dom = chromium("--dump-dom", seed_report.path.as_uri(), profile=tmp_path / "profile").stdout.decode()
    page = parse(dom)
    text = " ".join(page.text)
    for name in ("Mali (ML)", "Mopti", "Kidal", "Tombouctou", "Bamako", "Boulkessi", "As of", "2025-06-02"):
        assert name in text
    # the known seed figures (seeds/README.md), as the browser rendered them
    assert page.cells[("ML/Mopti", "30d", "killed_best")] == "30"
    assert page.cells[("ML/Kidal", "all", "killed_best")] == "50"
    assert page.cells[("ML/Kidal", "30d", "killed_best")] == "0"
    assert page.cells[("ML", "all", "killed_best")] == "80"
    assert page.cells[("ML/Tombouctou", "30d", "events")] == "1"
    # and every figure of every total the project computes for the seeds
    assert {label(t) for t in seed_totals} == {"ML", "ML/Bamako", "ML/Kidal", "ML/Mopti", "ML/Tombouctou"}
    for t in seed_totals:
        for fig in ("killed_best", "wounded", "kidnapped", "events"):
            assert page.cells[(label(t), t.window, fig)] == f"{getattr(t, fig):,}", (label(t), t.window, fig)
        assert (label(t), t.window, "killed_range") not in page.cells  # the seeds' figures agree: no range
    assert "The assault on Boulikessi resulted in over 30 soldier deaths" in text
    assert [c for c, _ in page.bars["ML/Mopti"]].count("bar") == 1  # Sunday 1 June: the week before the watermark's
    assert page.bars["ML/Mopti"][-2] == ["bar", "week of 2025-05-26 (2025-W22): 30 killed (best), 1 event(s)"]
    assert_links_resolve(page)


def test_the_screenshot_of_the_seed_report_is_a_real_picture(seed_report: SeedReport, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    chromium(f"--screenshot={shot}", "--window-size=1280,1600", seed_report.path.as_uri(), profile=tmp_path / "p")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    width, height, pixels = decode_png(data)
    assert (width, height) == (1280, 1600)
    colours = Counter(pixels)
    assert len(colours) > 50  # text, borders, shading: not a blank page
    assert colours[(255, 255, 255)] < 0.97 * len(pixels)
    assert colours[(0xF6, 0xF8, 0xFA)] > 1000  # the table head and country row shading: the CSS applied
    assert colours[(0xC4, 0x43, 0x2B)] > 10  # the weekly bars' colour: the inline SVG drew
    assert sum(1 for p in pixels[: 120 * width] if sum(p) < 200) > 500  # dark text in the page's head (the title)


def decode_png(data: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """Width, height and the pixels (RGB) of an 8-bit RGB or RGBA, non-interlaced PNG."""
    pos, chunks, head = 8, [], b""
    while pos < len(data):
        (size,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + size]
        head = body if kind == b"IHDR" else head
        chunks += [body] if kind == b"IDAT" else []
        pos += 12 + size
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", head)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    bpp = 3 if colour == 2 else 4
    raw, stride, prev = zlib.decompress(b"".join(chunks)), width * bpp, bytearray(width * bpp)
    pixels: list[tuple[int, ...]] = []
    for y in range(height):
        kind, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left, up, corner = (row[i - bpp] if i >= bpp else 0), prev[i], (prev[i - bpp] if i >= bpp else 0)
            if kind == 1:
                row[i] = (row[i] + left) & 255
            elif kind == 2:
                row[i] = (row[i] + up) & 255
            elif kind == 3:
                row[i] = (row[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                row[i] = (row[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        pixels.extend(tuple(row[i : i + 3]) for i in range(0, stride, bpp))
        prev = row
    return width, height, pixels


def assert_links_resolve(page: Page) -> None:
    assert len(page.ids) == len(set(page.ids)), [i for i, n in Counter(page.ids).items() if n > 1]
    for a in page.hrefs:
        href = str(a["href"])
        if href.startswith("#"):
            assert href[1:] in page.ids, href
        else:
            assert href.split(":")[0] in ("http", "https") and a.get("rel") == "noopener noreferrer", a


# The pure renderer on invented events.


def event(eid: str, admin1: str | None, day: date, killed: int, *, country: str = "ML", outlet: str = "Sahel Wire",
          url: str | None = None, sentence: str = "At least {n} people were killed.") -> ConflictEvent:  # fmt: skip
    text = sentence.format(n=killed)
    figures = {"killed_low": killed, "killed_best": killed, "killed_high": killed}
    published = datetime(2025, 6, 3, 8, tzinfo=UTC)
    report = SourceReport(**figures, article_id=f"art-{eid}", candidate=0, url=url, source=outlet, toll_given=True,
                          published_at=published, sentences=[text], evidence=[text])  # fmt: skip
    return ConflictEvent(**figures, event_id=f"ev-{eid}", revision=1, country=country, admin1=admin1, day=day,
                         precision="day", actors=["JNIM"], reports=[report])  # fmt: skip


WATERMARK = date(2025, 6, 4)  # a Wednesday: its week starts on Monday 2 June


def test_weekly_bars_put_an_event_three_weeks_back_in_its_week() -> None:
    events = [
        event("a", "Mopti", date(2025, 5, 14), 12),  # Wednesday three weeks back: the week of 12 May
        event("b", "Mopti", date(2025, 6, 2), 5),  # the watermark's week
        event("c", "Mopti", date(2025, 6, 5), 9),  # after the watermark: no total counts it yet
        event("d", "Mopti", date(2024, 1, 10), 40),  # before the first bar
    ]
    bars = weekly_killed(events, WATERMARK)
    assert len(bars) == WEEKS and bars[-1] == (date(2025, 6, 2), 5, 1) and bars[-4] == (date(2025, 5, 12), 12, 1)
    assert sum(k for _, k, _ in bars) == 17
    page = parse(render_report(compute_totals(events, WATERMARK), events, WATERMARK, NOW))
    strip = page.bars["ML/Mopti"]
    assert [i for i, (cls, _) in enumerate(strip) if cls == "bar"] == [WEEKS - 4, WEEKS - 1]
    assert strip[-4][1] == "week of 2025-05-12 (2025-W20): 12 killed (best), 1 event(s)"
    assert strip[-3] == ["none", "week of 2025-05-19 (2025-W21): 0 killed (best), 0 event(s)"]


def test_untrusted_article_text_is_escaped_and_only_web_addresses_become_links() -> None:
    hostile = [
        event("x", "Mopti", date(2025, 6, 1), 3, outlet="<script>alert('outlet')</script>",
              url="javascript:alert(1)", sentence='{n} killed <img src=x onerror="alert(2)"> & "more"'),
        event("y", "</td><b>Kidal", date(2025, 5, 30), 2, url="https://example.org/a?b=1&c=<2>"),
    ]  # fmt: skip
    html = render_report(compute_totals(hostile, WATERMARK), hostile, WATERMARK, NOW)
    page = parse(html)
    assert "<script" not in html and "<img" not in html
    assert page.tags <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "p", "b", "br",
                         "small", "div", "table", "thead", "tbody", "tr", "th", "td", "a", "span", "svg", "rect",
                         "section", "article", "ul", "li", "code", "blockquote"}  # fmt: skip
    text = "".join(page.text)
    assert "<script>alert('outlet')</script>" in text and '3 killed <img src=x onerror="alert(2)"> & "more"' in text
    assert "javascript:alert(1)" in text  # shown as text, not a link
    external = [a for a in page.hrefs if not str(a["href"]).startswith("#")]
    assert [a["href"] for a in external] == ["https://example.org/a?b=1&c=<2>"]
    assert ("ML/</td><b>Kidal", "all", "killed_best") in page.cells
    assert_links_resolve(page)


def test_every_link_resolves_to_one_element_even_for_colliding_names() -> None:
    events = [
        event("s1", "Ségou", date(2025, 6, 1), 4),
        event("s2", "Segou", date(2025, 6, 1), 6),  # the same ASCII name: a different anchor
        event("n1", None, date(2025, 5, 20), 1),  # a country-level event, no admin1
        event("b1", "Sahel", date(2025, 6, 3), 7, country="BF"),
        event("r1", "Gao", date(2025, 6, 1), 0).model_copy(update={"reports": []}),  # retracted: listed nowhere
    ]
    page = parse(render_report(compute_totals(events, WATERMARK), events, WATERMARK, NOW))
    assert_links_resolve(page)
    assert {"ev-s1", "ev-s2", "ev-n1", "ev-b1"} <= set(page.ids) and "ev-r1" not in page.ids
    assert page.cells[("ML/Ségou", "7d", "killed_best")] == "4" and page.cells[("ML/Segou", "7d", "killed_best")] == "6"
    assert page.cells[("ML", "30d", "killed_best")] == "11" and page.cells[("BF", "7d", "killed_best")] == "7"
    by_href = Counter(str(a["href"]) for a in page.hrefs)
    assert len({h for h in by_href if h.startswith("#region-ML-Segou")}) == 2


def test_the_table_shows_the_totals_given_archived_figures_included() -> None:
    events = [event("m", "Mopti", date(2025, 6, 1), 30)]
    archive = {"ML/Kidal": Archived(killed_low=5, killed_best=7, killed_high=9, events=1),
               "ML/": Archived(killed_low=5, killed_best=7, killed_high=9, events=1)}  # fmt: skip
    totals = compute_totals(events, WATERMARK, archive)
    page = parse(render_report(totals, events, WATERMARK, NOW))
    assert page.cells[("ML/Kidal", "all", "killed_best")] == "7"
    assert page.cells[("ML/Kidal", "all", "killed_range")] == "5–9"
    assert page.cells[("ML", "all", "killed_best")] == "37" and page.cells[("ML", "all", "events")] == "2"
    assert "No live events" in "".join(page.text)
    assert_links_resolve(page)
    for window in WINDOWS:
        assert page.cells[("ML/Mopti", window, "killed_best")] == "30"


def test_an_empty_pipeline_gives_a_page_that_says_so(tmp_path: Path) -> None:
    path = write_report(tmp_path / "a" / "b", [], [], None, NOW)
    assert path == tmp_path / "a" / "b" / "index.html"
    page = parse(path.read_text(encoding="utf-8"))
    assert "No totals yet." in page.text and not page.hrefs


@pytest.mark.parametrize("case", ["missing input", "no inputs", "out is a file"])
def test_bad_input_is_exit_2_with_a_message(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "file").write_text("x")
    args = {
        "missing input": ["--out", str(tmp_path / "out"), "--input", str(tmp_path / "nope.json")],
        "no inputs": ["--out", str(tmp_path / "out"), "--input", str(tmp_path / "empty")],
        "out is a file": ["--out", str(tmp_path / "file")],
    }[case]
    assert main(["report", *args]) == 2
    assert capsys.readouterr().err.startswith("tollwatch: ")
    assert not (tmp_path / "out").exists()


def test_broker_path_reports_the_latest_revision_of_each_event_and_total(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--broker`: the latest revision per event id from `events`, the latest total per key from `casualty.totals`
    (the topics faked here; tests/integration runs the pipeline on a real broker)."""
    first = event("m", "Mopti", date(2025, 6, 1), 20)
    second = first.model_copy(update={"revision": 2, "killed_low": 25, "killed_best": 25, "killed_high": 25})
    old = compute_totals([first], date(2025, 6, 3))
    new = compute_totals([second], WATERMARK)
    topics = {
        "events": [(b"ML", encode(second)), (b"ML", encode(first))],  # the later revision may come first
        "casualty.totals": [(t.key.encode(), encode(t)) for t in [*old, *new]],
    }

    async def read_topic(bootstrap: str, topic: str, timeout: float = 30.0, *, settings: object = None) -> list[Record]:
        assert bootstrap == "127.0.0.1:1"
        return [(key, value, 0, offset) for offset, (key, value) in enumerate(topics[topic])]

    monkeypatch.setattr("streams.kafka_io.read_topic", read_topic)
    monkeypatch.setattr("streams.demo.read_topic", read_topic)
    assert main(["report", "--out", str(tmp_path), "--broker", "127.0.0.1:1"]) == 0
    assert "2 region(s) in 1 country(ies), 1 event(s), as of 2025-06-04" in capsys.readouterr().err
    page = parse((tmp_path / "index.html").read_text(encoding="utf-8"))
    assert page.cells[("ML/Mopti", "7d", "killed_best")] == "25" and page.cells[("ML", "all", "killed_best")] == "25"
    assert "ev-m revision 2" in " ".join(page.text) and "the topics at 127.0.0.1:1" in " ".join(page.text)
    assert_links_resolve(page)
