"""Clean stage: raw bytes -> RawArticle -> CleanArticle, or a `Skipped` verdict (non-English).

`decode_raw` refuses a message over `Limits.max_message_bytes` before parsing it
(`message_too_large`), then decodes it (`DecodeError`: invalid_utf8, invalid_json, schema).
`clean` refuses bodies over `Limits.max_body_chars` (`body_too_large`), a `published_at`
before `Limits.earliest_date` or more than `Limits.future_days` after the clock
(`date_out_of_range`) and bodies with no text left (`empty_body`).

Normalises Unicode (NFC, quotes, dashes), strips HTML and markdown artifacts,
boilerplate lines ("READ ALSO: ...", share/subscribe lines, bylines), section headings,
repeated paragraphs and a headline repeated in the body, and collapses whitespace.

Hostile text comes out inert: no control characters (C0, C1), no invisible format
characters (bidirectional overrides and isolates, zero-width characters, soft hyphens,
tag characters), no lone surrogates, no HTML: `<script>`, `<style>`, `<iframe>`,
`<noscript>`, `<object>`, `<template>` and `<svg>` elements and comments are dropped with
their content (unclosed, to the end of the text, as a browser would read them), other
tags are dropped, entities are decoded and the result cleaned again (so an escaped
`&lt;script&gt;` is dropped too), and `javascript:`/`vbscript:` URIs are removed from the
text. The title and source are cleaned the same way; a `url` that is not http(s) is dropped.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any, cast

import orjson

from schemas import CleanArticle, RawArticle, RawRef, Timing, decode
from schemas.deadletter import OutcomeKind
from streams.errors import StageError
from streams.limits import DEFAULT_LIMITS, Limits

__all__ = [
    "Skipped",
    "decode_raw",
    "clean",
    "normalise_text",
    "detect_language",
    "content_hash",
    "Dedup",
    "dedup",
    "seen_expired",
]

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
        "\u200b": "", "\ufeff": "",
    }
)  # fmt: skip
_LINE_BREAKS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x0b": " ", "\x0c": " "})


def _mapped(table: dict[int, str]) -> re.Pattern[str]:
    """What finds a character `table` maps (`str.translate` looks up every character of a
    text; searching first skips it when there is none, the usual case)."""
    return re.compile("[" + "".join(re.escape(chr(c)) for c in table) + "]")


_TRANSLATED = _mapped(_TRANSLATE)
_BROKEN = _mapped(_LINE_BREAKS)


def _translate(text: str, table: dict[int, str], finds: re.Pattern[str]) -> str:
    return text.translate(table) if finds.search(text) else text


#: Terminal escape sequences ("\x1b[31m"): dropped whole, not just their ESC.
_ANSI = re.compile(r"\x1b(?:\[[0-?]{0,32}[ -/]{0,8}[@-~]|[@-_])")
#: Characters that are never text: C0 and C1 controls (tab and newline are kept), every
#: format character of Unicode 15 (category Cf: soft hyphen, zero-width characters,
#: bidirectional marks, embeddings, overrides and isolates, BOM, tag characters...) and
#: surrogates (a lone one cannot be encoded again); and U+FFFD, what "&#0;" decodes to.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\ud800-\udfff\ufffd]"
)
#: Elements whose content is code or fallback markup, never article text; and comments.
_RAW_OPEN = re.compile(r"<!--|<(script|style|noscript|iframe|object|template|svg)(?![\w-])", re.I)
_RAW_CLOSE = {
    name: re.compile(rf"</{name}\s*>", re.I)
    for name in ("script", "style", "noscript", "iframe", "object", "template", "svg")
}
_COMMENT_CLOSE = re.compile(r"--!?>")
_BLOCK_TAG = re.compile(r"</?(p|div|br|h[1-6]|li|tr|section|article|blockquote)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]{0,2000}>")
#: A tag never closed ("<img src=x onerror=..." to the end of the line).
_DANGLING_TAG = re.compile(r"<[A-Za-z!/?][^\n]*")
_SCRIPT_URI = re.compile(r"\b(?:java|vb|live)script\s*:\S*", re.I)
_HTTP_URL = re.compile(r"https?://[^\s<>\"']+", re.I)
_MARKDOWN = re.compile(r"\*\*|__|^#{1,6}\s+|^>\s+|^\s*[-*]\s+(?=\S)", re.M)
_MARKDOWN_LINE = re.compile(r"^\s*[-*#>]", re.M)  # a line `_MARKDOWN` may change (it is slow to scan)
_SPACES = re.compile(r"[ \t\f\v]+")
_RUNS_OF_SPACE = re.compile(r"[ \t\f\v][ \t\f\v]|[\t\f\v]")  # what `_SPACES` would change
_BOILERPLATE = re.compile(
    r"^(read (also|more)|see also|related( articles?)?|also read|recommended|advertisement"
    r"|share (this|on)|subscribe|sign up|follow us|click here|copyright|all rights reserved"
    r"|photo( credit)?:|image:|watch:|listen:)\b",
    re.I,
)
_BYLINE = re.compile(r"^[Bb][Yy]\s+[A-Z][\w.'-]+(\s+[A-Z][\w.'-]+){0,3}(\s*[,|-].{0,60})?$")
_TERMINAL = re.compile(r"[.!?:;\"')\]]$")

_EN = frozenset("the of and to in a is that was for on with as by were at from has have said it".split())
_FR = frozenset("le la les des du et est une dans pour par qui sur au aux ont été sont".split())
_WORD = re.compile(r"[a-zà-ÿ]+")


@dataclass(frozen=True)
class Skipped:
    """A valid article the pipeline does not extract (counted as `skipped`)."""

    article_id: str
    reason: str


def _visible(text: str) -> str:
    """`text` with one kind of line break and no control, format or surrogate characters."""
    text = _translate(text.replace("\r\n", "\n"), _LINE_BREAKS, _BROKEN)
    return _INVISIBLE.sub("", _ANSI.sub("", text) if "\x1b" in text else text)


def _drop_raw_elements(text: str) -> str:
    """Without scripts, styles and the like, nor comments, content included; one never
    closed runs to the end of the text. Linear: every search starts where the last ended."""
    out: list[str] = []
    pos = 0
    while (m := _RAW_OPEN.search(text, pos)) is not None:
        out.append(text[pos : m.start()])
        name = m.group(1)
        close = (_RAW_CLOSE[name.lower()] if name else _COMMENT_CLOSE).search(text, m.end())
        if close is None:
            return "".join(out)
        out.append(" ")
        pos = close.end()
    out.append(text[pos:])
    return "".join(out)


def _strip_html(text: str) -> str:
    text = _drop_raw_elements(text)
    text = _BLOCK_TAG.sub("\n", text)
    text = _TAG.sub(" ", text)
    return _DANGLING_TAG.sub(" ", text) if "<" in text else text


def normalise_text(text: str) -> str:
    """NFC, straight quotes and dashes, no control or invisible characters, HTML, script
    URIs and markdown removed (see the module docstring)."""
    text = _translate(unicodedata.normalize("NFC", _visible(text)), _TRANSLATE, _TRANSLATED)
    if "<" in text:
        text = _strip_html(text)
    if "&" in text:
        text = _translate(_visible(html.unescape(text)), _TRANSLATE, _TRANSLATED)
        if "<" in text:  # "&lt;script&gt;" decodes to a tag: dropped like one
            text = _strip_html(text)
    if ":" in text:
        text = _SCRIPT_URI.sub(" ", text)
    return _MARKDOWN.sub("", text) if "**" in text or "__" in text or _MARKDOWN_LINE.search(text) else text


def _one_line(text: str | None) -> str | None:
    """A cleaned single-line field (title, source), None when nothing is left."""
    return " ".join(normalise_text(text).split()) or None if text else None


def _safe_url(url: str | None) -> str | None:
    """The URL without invisible characters and whitespace if it is http(s), else None."""
    if not url:
        return None
    url = "".join(_visible(url).split())
    return url if _HTTP_URL.fullmatch(url) else None


def _is_heading(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 14 or _TERMINAL.search(line):
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return capitalised / len(words) >= 0.6


_NON_WORD = re.compile(r"\W+")


def _key(line: str) -> str:
    return _NON_WORD.sub(" ", line.casefold()).strip()


def _unwrapped(lines: list[str]) -> list[str]:
    """The lines of a hard-wrapped text (a wire copy broken at 60 to 80 characters, each
    line running on into the next) joined back into paragraphs: a line that ends without a
    sentence's end joins the next. A text is hard-wrapped when at least four of its lines
    of 30 characters or more, and half of them, end mid-sentence, and nine in ten are at
    most 100 characters long; web paragraphs are longer and end with their sentence."""
    full = [line.strip() for line in lines if len(line.strip()) >= 30]
    running = [line for line in full if not _LINE_END.search(line)]
    if len(running) < 4 or 2 * len(running) < len(full) or sum(len(x) <= 100 for x in full) < 0.9 * len(full):
        return lines
    out: list[str] = []
    joining = False
    for line in lines:
        stripped = line.strip()
        if joining and stripped:
            out[-1] = f"{out[-1]} {stripped}"
        else:
            out.append(line)
        joining = bool(stripped) and len(stripped) >= 30 and not _LINE_END.search(stripped)
    return out


#: How a line that ends its sentence (or a heading in brackets) ends.
_LINE_END = re.compile(r"[.!?:;\"\u201d\u2019')\]]\s*$")


def _paragraphs(text: str, title: str | None) -> tuple[list[str], str | None, list[str]]:
    """Body paragraphs without boilerplate, headings and repeats; a headline if seen; and
    the paragraphs' `_key`s (none empty)."""
    seen: set[str] = {_key(title)} if title else set()
    headline = title
    out: list[str] = []
    keys: list[str] = []
    for raw_line in _unwrapped(text.split("\n")):
        line = (_SPACES.sub(" ", raw_line) if _RUNS_OF_SPACE.search(raw_line) else raw_line).strip()
        if not line or _BOILERPLATE.match(line) or _BYLINE.match(line):
            continue
        key = _key(line)
        if not key or key in seen:
            continue
        seen.add(key)
        if _is_heading(line):
            if not out and headline is None:
                headline = line  # a heading before any body text is the headline
            continue  # later headings are section titles: not sentences
        out.append(line)
        keys.append(key)
    return out, headline, keys


def detect_language(text: str) -> str:
    """'en', 'fr' or 'und' from function-word counts (enough for routing, not linguistics)."""
    words = _WORD.findall(text[:5000].casefold())
    en = sum(1 for w in words if w in _EN)
    fr = sum(1 for w in words if w in _FR)
    if en + fr < 3:
        return "en" if len(words) < 40 else "und"
    return "en" if en >= fr else "fr"


def content_hash(paragraphs: list[str], keys: list[str] | None = None) -> str:
    """Fingerprint of the cleaned text that ignores case, punctuation and spacing. `keys`:
    the paragraphs' `_key`s if known (the key of the joined text is theirs joined, empty
    ones left out: casefolding is per character and a run of non-word characters, the
    joining space included, becomes one space)."""
    key = " ".join(k for k in keys if k) if keys is not None else _key(" ".join(paragraphs))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def decode_raw(value: bytes, limits: Limits = DEFAULT_LIMITS) -> RawArticle:
    """A message of `articles.raw` as a RawArticle: `StageError("message_too_large")` when it
    has more than `limits.max_message_bytes` bytes (checked before parsing anything), else
    whatever `decode` raises (`DecodeError`: invalid_utf8, invalid_json, schema)."""
    if len(value) > limits.max_message_bytes:
        raise StageError("message_too_large", f"message has {len(value)} bytes > {limits.max_message_bytes}")
    return decode(RawArticle, value)


def _check_published(published: datetime, now: float, limits: Limits) -> None:
    """`date_out_of_range` for a `published_at` whose day (in its own offset, the day every
    stage uses) is before `limits.earliest_date`, or more than `limits.future_days` after
    `now`. A `now` before the earliest date is no clock (tests, evaluation and explain
    replay articles with 0.0): then only the lower bound holds."""
    if published.date() < limits.earliest_date:
        raise StageError("date_out_of_range", f"published_at {published.isoformat()} is before {limits.earliest_date}")
    if now >= datetime.combine(limits.earliest_date, time(), UTC).timestamp():
        latest = datetime.fromtimestamp(now, UTC) + timedelta(days=limits.future_days)
        if published > latest:
            raise StageError(
                "date_out_of_range",
                f"published_at {published.isoformat()} is more than {limits.future_days} days after "
                f"{datetime.fromtimestamp(now, UTC).isoformat(timespec='seconds')}",
            )


def clean(
    raw: RawArticle,
    ref: RawRef,
    ingested: float,
    now: float,
    limits: Limits = DEFAULT_LIMITS,
) -> CleanArticle | Skipped:
    """Clean one article; raise `StageError` for bodies that cannot be an article.

    `now` is the clock (seconds since the epoch), also the `cleaned` timestamp.
    """
    if len(raw.body) > limits.max_body_chars:
        raise StageError("body_too_large", f"body has {len(raw.body)} characters > {limits.max_body_chars}")
    _check_published(raw.published_at, now, limits)
    title = _one_line(raw.title)
    paragraphs, headline, keys = _paragraphs(normalise_text(raw.body), title)
    if not paragraphs and headline:
        paragraphs = [headline]  # a headline-only copy ("Fatalities: 12 soldiers"): the headline is the text
        keys = [_key(headline)]
    if not paragraphs:
        raise StageError("empty_body", "no text left after cleaning")
    declared = (raw.language or "").strip().lower()[:2]
    language = declared or detect_language("\n".join(paragraphs))
    if language != "en":
        return Skipped(raw.article_id, f"language:{language}")
    if headline and headline != title and paragraphs[0] != headline:
        paragraphs.insert(0, headline)  # a headline found in the body is still text to read
        keys.insert(0, _key(headline))
    return CleanArticle(
        article_id=raw.article_id,
        url=_safe_url(raw.url),
        source=_one_line(raw.source),
        title=title or headline,
        published_at=raw.published_at,
        paragraphs=paragraphs,
        content_hash=content_hash(paragraphs, keys),
        raw=ref,
        timing=Timing(ingested=ingested, cleaned=now),
    )


#: Versions of one article id remembered (the winner always among them).
MAX_VERSIONS = 32


@dataclass(frozen=True)
class Dedup:
    """The clean stage's decision on one cleaned article, given what it remembers of its id.

    verdict: `new`; `redelivery` (this very input again, after a restart); `revised` (a new
    text that outranks the current one); `duplicate` (a text already seen, from another
    input); `superseded` (a new text that ranks below the current one: an older version
    arriving late).
    """

    verdict: str
    outcome: OutcomeKind  # what the accounting records for this input
    emit: bool  # send the article on (it is, or again is, the current version)
    record: bytes  # what to remember of the id from now on


def _rank(version: list[Any], digest: str) -> tuple[float, str]:
    return (float(version[2]), digest)


def _load(previous: bytes) -> dict[str, Any]:
    if previous.startswith(b"{"):
        return cast(dict[str, Any], orjson.loads(previous))
    partition, offset, digest = previous.decode().split(":", 2)  # the first format: one version
    return {"w": digest, "v": {digest: [int(partition), int(offset), 0.0, "cleaned"]}}


def seen_expired(record: bytes, floor: float, partition: int) -> bool:
    """Whether an id's record (`dedup`) can be forgotten while processing input `partition`:
    every version it remembers came from that partition (so the record was written there:
    a table entry is deleted in the partition it was written in) and was published before
    `floor` (a POSIX time: the events state's horizon). An old article sent again after
    that is cleaned again, and its candidates are refused as too late."""
    versions = _load(record)["v"].values()
    return all(int(v[0]) == partition and float(v[2]) < floor for v in versions)


def dedup(previous: bytes | None, article: CleanArticle) -> Dedup:
    """Decide, from the id's record, whether `article` goes on (see `Dedup`).

    The current version of an id is the highest ranked by (published_at, content hash),
    whatever the order the versions arrive in, so totals do not depend on arrival order or
    on redeliveries; and an input redelivered after a restart gets the outcome it had the
    first time, so the accounting does not either.
    """
    digest, ref = article.content_hash, [article.raw.partition, article.raw.offset]
    mine = [*ref, article.published_at.timestamp()]
    if previous is None:
        record = {"w": digest, "v": {digest: [*mine, "cleaned"]}}
        return Dedup("new", "cleaned", True, orjson.dumps(record))
    state = _load(previous)
    versions: dict[str, list[Any]] = state["v"]
    winner: str = state["w"]
    seen = versions.get(digest)
    if seen is not None:
        if seen[:2] == ref:
            if digest == winner:
                return Dedup("redelivery", "cleaned", True, previous)
            return Dedup("redelivery", cast(OutcomeKind, seen[3]), False, previous)
        return Dedup("duplicate", "duplicate", False, previous)
    outcome: OutcomeKind
    if _rank(mine, digest) > _rank(versions[winner], winner):
        verdict, outcome, winner = "revised", "cleaned", digest
    else:
        verdict, outcome = "superseded", "duplicate"
    versions[digest] = [*mine, outcome]
    if len(versions) > MAX_VERSIONS:  # forget the lowest ranked (never the winner)
        for old in sorted((d for d in versions if d != winner), key=lambda d: _rank(versions[d], d)):
            if len(versions) <= MAX_VERSIONS:
                break
            del versions[old]
    return Dedup(verdict, outcome, outcome == "cleaned", orjson.dumps({"w": winner, "v": versions}))
