"""Text utilities shared by the extractors: length-preserving folding and sentences."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["fold", "fold_key", "Sentence", "sentences", "MAX_SENTENCE_CHARS"]


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


#: The longest sentence kept whole. A longer one (real sentences stay under 500 characters)
#: is cut into pieces of at most this many characters, each at the last space of its
#: second half; a run of more than half of this without a space is cut where the piece
#: ends and the rest of the run, up to the next space, belongs to no sentence (so no
#: piece starts inside a word or a number: "999...9 killed" never reads as "9 killed").
#: Every extractor reads sentence by sentence, so this bounds the work per sentence.
MAX_SENTENCE_CHARS = 1000
_SPACE = re.compile(r"\s")
_NON_SPACE = re.compile(r"\S")


def _pieces(text: str, start: int) -> list[tuple[str, int]]:
    """`text` (stripped, at offset `start`) as pieces of at most `MAX_SENTENCE_CHARS`."""
    if len(text) <= MAX_SENTENCE_CHARS:
        return [(text, start)]
    out: list[tuple[str, int]] = []
    pos = 0
    while pos < len(text):
        if len(text) - pos <= MAX_SENTENCE_CHARS:
            out.append((text[pos:], start + pos))
            break
        limit = pos + MAX_SENTENCE_CHARS
        cut = max((m.start() for m in _SPACE.finditer(text, pos + MAX_SENTENCE_CHARS // 2, limit + 1)), default=-1)
        if cut < 0:  # a run with no space: cut it, skip the rest of the run
            cut = limit
            space = _SPACE.search(text, cut)
            after = len(text) if space is None else space.start()
        else:
            after = cut
        piece = text[pos:cut].rstrip()
        if piece:
            out.append((piece, start + pos))
        nxt = _NON_SPACE.search(text, after)
        if nxt is None:
            break
        pos = nxt.start()
    return out


def sentences(paragraphs: list[str]) -> list[Sentence]:
    """Split paragraphs (joined by newlines in the article text) into sentences of at most
    `MAX_SENTENCE_CHARS` characters (see there)."""
    out: list[Sentence] = []
    offset = 0
    for index, para in enumerate(paragraphs):
        start = 0
        for match in _MARKED_BOUNDARY.finditer(para):
            cut = match.start() + 1  # where `_BOUNDARY` matches: after the mark
            # An abbreviation is at most 8 characters: look at those only (not the whole
            # paragraph before the boundary, which made splitting quadratic). It ends with
            # a dot (after "!" or "?" there is none) after an ASCII letter.
            if (
                para[match.start()] == "."
                and cut >= 2
                and para[cut - 2] in _ASCII_LETTERS
                and _ABBREV.search(para, max(0, cut - 16), cut)
            ):
                continue
            _add(out, para[start:cut], offset + start, index)
            start = match.end()
        _add(out, para[start:], offset + start, index)
        offset += len(para) + 1
    return out


#: `_BOUNDARY` with the mark its lookbehind asks for: its matches are those of `_BOUNDARY`
#: (`_BOUNDARY.finditer(para)`) each with its mark before it, found without trying the
#: pattern at every character (a match opens with a mark, which the spaces it takes never
#: are, so no mark is skipped).
_MARKED_BOUNDARY = re.compile(r"[.!?][\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
# Every `_ABBREV` match ends with an ASCII letter and a dot.
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _add(out: list[Sentence], raw: str, start: int, paragraph: int) -> None:
    piece = raw.strip()
    if not piece:
        return
    if len(piece) <= MAX_SENTENCE_CHARS:
        out.append(Sentence(piece, start, paragraph))  # offset as before: `start` of the raw piece
        return
    lead = len(raw) - len(raw.lstrip())
    out.extend(Sentence(text, at, paragraph) for text, at in _pieces(piece, start + lead))
