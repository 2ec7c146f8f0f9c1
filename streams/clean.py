"""Clean stage: RawArticle -> CleanArticle, or a `Skipped` verdict (non-English).

Normalises Unicode (NFC, quotes, dashes), strips HTML and markdown artifacts,
boilerplate lines ("READ ALSO: ...", share/subscribe lines, bylines), section headings,
repeated paragraphs and a headline repeated in the body, and collapses whitespace.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass

from schemas import CleanArticle, RawArticle, RawRef, Timing
from streams.errors import StageError

__all__ = [
    "Skipped",
    "clean",
    "normalise_text",
    "detect_language",
    "content_hash",
    "seen_record",
    "dedup_verdict",
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
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_BLOCK_TAG = re.compile(r"</?(p|div|br|h[1-6]|li|tr|section|article|blockquote)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]{0,2000}>")
_MARKDOWN = re.compile(r"\*\*|__|^#{1,6}\s+|^>\s+|^\s*[-*]\s+(?=\S)", re.M)
_SPACES = re.compile(r"[ \t\f\v]+")
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


def normalise_text(text: str) -> str:
    """NFC, straight quotes and dashes, no control characters, HTML and markdown removed."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if "<" in text and ">" in text:
        text = _SCRIPT.sub(" ", text)
        text = _BLOCK_TAG.sub("\n", text)
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text).translate(_TRANSLATE)
    return _MARKDOWN.sub("", text)


def _is_heading(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 14 or _TERMINAL.search(line):
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return capitalised / len(words) >= 0.6


def _key(line: str) -> str:
    return re.sub(r"\W+", " ", line.casefold()).strip()


def _paragraphs(text: str, title: str | None) -> tuple[list[str], str | None]:
    """Body paragraphs without boilerplate, headings and repeats; and a headline if seen."""
    seen: set[str] = {_key(title)} if title else set()
    headline = title
    out: list[str] = []
    for raw_line in text.split("\n"):
        line = _SPACES.sub(" ", raw_line).strip()
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
    return out, headline


def detect_language(text: str) -> str:
    """'en', 'fr' or 'und' from function-word counts (enough for routing, not linguistics)."""
    words = _WORD.findall(text[:5000].casefold())
    en = sum(1 for w in words if w in _EN)
    fr = sum(1 for w in words if w in _FR)
    if en + fr < 3:
        return "en" if len(words) < 40 else "und"
    return "en" if en >= fr else "fr"


def content_hash(paragraphs: list[str]) -> str:
    """Fingerprint of the cleaned text that ignores case, punctuation and spacing."""
    return hashlib.sha256(_key(" ".join(paragraphs)).encode("utf-8")).hexdigest()[:24]


def clean(
    raw: RawArticle, ref: RawRef, ingested: float, now: float, max_chars: int = 200_000
) -> CleanArticle | Skipped:
    """Clean one article; raise `StageError` for bodies that cannot be an article."""
    if len(raw.body) > max_chars:
        raise StageError("body_too_large", f"body has {len(raw.body)} characters > {max_chars}")
    title = _SPACES.sub(" ", normalise_text(raw.title)).strip() or None if raw.title else None
    paragraphs, headline = _paragraphs(normalise_text(raw.body), title)
    if not paragraphs and headline:
        paragraphs = [headline]  # a headline-only copy ("Fatalities: 12 soldiers"): the headline is the text
    if not paragraphs:
        raise StageError("empty_body", "no text left after cleaning")
    declared = (raw.language or "").strip().lower()[:2]
    language = declared or detect_language("\n".join(paragraphs))
    if language != "en":
        return Skipped(raw.article_id, f"language:{language}")
    if headline and headline != title and paragraphs[0] != headline:
        paragraphs.insert(0, headline)  # a headline found in the body is still text to read
    return CleanArticle(
        article_id=raw.article_id,
        url=raw.url,
        source=raw.source,
        title=title or headline,
        published_at=raw.published_at,
        paragraphs=paragraphs,
        content_hash=content_hash(paragraphs),
        raw=ref,
        timing=Timing(ingested=ingested, cleaned=now),
    )


def seen_record(article: CleanArticle) -> bytes:
    """What the clean stage remembers of an article id: where it was first seen, its hash."""
    return f"{article.raw.partition}:{article.raw.offset}:{article.content_hash}".encode()


def dedup_verdict(previous: bytes | None, article: CleanArticle) -> str:
    """'new', 'redelivery' (same input again: re-emit), 'revised' (same id, new text) or 'duplicate'."""
    if previous is None:
        return "new"
    partition, offset, digest = previous.decode().split(":", 2)
    if (int(partition), int(offset)) == (article.raw.partition, article.raw.offset):
        return "redelivery"
    return "duplicate" if digest == article.content_hash else "revised"
