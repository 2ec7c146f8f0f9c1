"""Text utilities shared by the extractors: length-preserving folding and sentences."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["fold", "fold_key", "Sentence", "sentences"]


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch.isascii():
        low = ch.lower()
        return " " if ch in "-'_" else low
    if ch in "\u2019\u2018\u02bc\u2010\u2011\u2013\u2014":
        return " "
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    low = (base or ch).lower()
    return low[0] if low else " "


_TABLE: dict[int, str] = {}  # code point -> folded character, filled as characters are seen


def fold(text: str) -> str:
    """Lower case, accents off, hyphens and apostrophes to spaces; same length as `text`."""
    if text.isascii():
        return text.lower().replace("-", " ").replace("'", " ").replace("_", " ")
    for ch in set(text):
        if ord(ch) not in _TABLE:
            _TABLE[ord(ch)] = _fold_char(ch)
    return text.translate(_TABLE)


def fold_key(name: str) -> str:
    """A name folded and with spaces collapsed: the key for gazetteer look-ups."""
    return " ".join(fold(name).split())


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with its offset in the article text and its paragraph index."""

    text: str
    start: int
    paragraph: int


# A sentence ends at . ! ? followed by space and an upper-case letter, digit or quote,
# unless the dot ends a known abbreviation or a single initial.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREV = re.compile(
    r"(\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|Cpl|Pvt|Rev|St|Sr|Jr|No|Vol|Jan|Feb|Mar|Apr"
    r"|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|approx|est|vs|etc|i\.e|e\.g|U\.S|U\.N|a\.m|p\.m)\.|\b[A-Z]\.)$"
)


def sentences(paragraphs: list[str]) -> list[Sentence]:
    """Split paragraphs (joined by newlines in the article text) into sentences."""
    out: list[Sentence] = []
    offset = 0
    for index, para in enumerate(paragraphs):
        start = 0
        for match in _BOUNDARY.finditer(para):
            if _ABBREV.search(para, 0, match.start()):
                continue
            piece = para[start : match.start()].strip()
            if piece:
                out.append(Sentence(piece, offset + start, index))
            start = match.end()
        piece = para[start:].strip()
        if piece:
            out.append(Sentence(piece, offset + start, index))
        offset += len(para) + 1
    return out
