"""Invented RSS 2.0 and Atom feeds for the tests (no real reporting in them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

TOWNS = (("Djibo", "Burkina Faso"), ("Menaka", "Mali"), ("Diffa", "Niger"), ("Bankass", "Mali"))
START = datetime(2025, 5, 1, 8, tzinfo=UTC)


def rss(count: int, undated: frozenset[int] = frozenset(), empty: frozenset[int] = frozenset()) -> str:
    """`count` items, one attack each; items in `undated` have no pubDate, those in `empty` no text."""
    items = []
    for i in range(count):
        town, country = TOWNS[i % len(TOWNS)]
        body = "" if i in empty else (
            f"<p>Gunmen killed {i % 9 + 2} civilians in {town}, {country}, on Sunday, local officials said.</p>"
            f"<p>Report number {i} of the wire.</p>"
        )  # fmt: skip
        date = "" if i in undated else f"\n      <pubDate>{format_datetime(START + timedelta(hours=i))}</pubDate>"
        items.append(f"""    <item>
      <title>Attack near {town} ({i})</title>
      <link>https://news.example.org/{i}</link>{date}
      <description>{escape(body)}</description>
    </item>""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>Example Sahel Wire</title>
    <language>en-us</language>
{chr(10).join(items)}
  </channel>
</rss>
"""


def atom(count: int) -> str:
    """`count` Atom entries with full content and an updated date only."""
    entries = []
    for i in range(count):
        town, country = TOWNS[i % len(TOWNS)]
        when = (START + timedelta(days=i)).isoformat().replace("+00:00", "Z")
        content = escape(f"<p>Soldiers killed {i + 3} militants near {town}, {country}, the army said.</p>")
        entries.append(f"""  <entry>
    <title>Clashes in {town}</title>
    <link href="https://atom.example.net/{i}"/>
    <id>urn:example:{i}</id>
    <updated>{when}</updated>
    <summary>Short.</summary>
    <content type="html">{content}</content>
  </entry>""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example Atom Desk</title>
  <id>urn:example:feed</id>
  <updated>2025-05-01T00:00:00Z</updated>
{chr(10).join(entries)}
</feed>
"""


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first `needle` in `text`."""
    return text[: text.index(needle)].count("\n") + 1
