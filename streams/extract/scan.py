"""Fast scanning: a pattern tried only where one of its possible openings occurs.

Python's `re` has no prefilter for a pattern that opens with a word boundary or with an
alternation of many words under IGNORECASE: `finditer` runs the whole pattern at every
character. `Anchored` derives from the parsed pattern the short strings one of which every
match starts with (its *openings*: "kill", "the ", "1"...), finds where they occur with
one Aho-Corasick pass over a view of the text, and runs the pattern (`match`) only there.
What it finds is exactly what the pattern finds (same matches, in the same order, left
to right and non-overlapping): a match can start nowhere else.

The views keep every offset. `fold_case` lower-cases (for a pattern that ignores case in
its opening), `fold_space` keeps case (for one that does not, whose openings then keep
it: "Mali", "in T"); both make every space " " and a non-ASCII digit "0", so that `\\s`
and `\\d` open with one character.

`Guarded` runs a pattern only on a text holding one of the words every match spells;
`Scanner` finds the openings of several patterns in one pass; `alternation` rewrites a
long alternation of words to try only those sharing the text's first letters.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import ahocorasick

__all__ = [
    "Anchored",
    "Guarded",
    "Scanner",
    "Scanned",
    "Views",
    "found_in_spans",
    "found_in_spans_each",
    "fold_case",
    "fold_space",
    "openings",
    "spellings",
    "necessary_words",
    "ordered_spellings",
    "alternation",
    "alternatives",
    "AnyOf",
    "Opening",
    "search_in",
]

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_OTHER_SPACE = re.compile(r"[\t\n\x0b\x0c\r\x1c-\x1f]")
#: Under IGNORECASE, U+0130 and U+0131 match "i" and U+017F matches "s" (U+212A, the
#: Kelvin sign, lower-cases to "k" by itself; U+0130 lower-cases to two characters). A
#: capital sigma lower-cases to a final sigma at the end of a word: made "σ" first.
_LETTERS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u03a3": "\u03c3"}
_CACHE_MAX = 65536
_for_case: dict[str, str | None] = {}
_for_space: dict[str, str | None] = {}


def _folds(ch: str, case: bool) -> str | None:
    """What a non-ASCII `ch` becomes in a view where `str.lower` (if `case`) does not do:
    "0" for a digit (`\\d`), " " for a space (`\\s`), "i" or "s" for three letters."""
    known = _for_case if case else _for_space
    if ch not in known:
        if len(known) > _CACHE_MAX:
            known.clear()
        letter = _LETTERS.get(ch) if case else None
        known[ch] = letter or ("0" if ch.isdecimal() else " " if ch.isspace() else None)
    return known[ch]


def _view(text: str, case: bool) -> str:
    out = text
    if not text.isascii():
        table = {ord(ch): to for ch in set(_NON_ASCII.findall(text)) if (to := _folds(ch, case)) is not None}
        if table:  # rare: `str.translate` is slow
            out = text.translate(table)
    if case:
        out = out.lower()
    if _OTHER_SPACE.search(out):
        for space in "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f":
            if space in out:
                out = out.replace(space, " ")
    return out


def fold_case(text: str) -> str:
    """`text` lower-cased, of the same length, with every space " " and every non-ASCII
    digit "0" (and the letters IGNORECASE matches to "i" or "s" those letters). By
    character: `fold_case(text)[a:b] == fold_case(text[a:b])`.

    Every character that a pattern's ASCII character matches under IGNORECASE is, folded,
    that character lower-cased; every one `\\s` matches is " ", every one `\\d` matches
    an ASCII digit or "0"."""
    return _view(text, True)


def fold_space(text: str) -> str:
    """`text` with every space " " and every non-ASCII digit "0", case kept (the view of
    `fold_case` for patterns that do not ignore case)."""
    return _view(text, False)


#: Every ASCII character that is no word character (`\\w`), as a space.
_NON_WORD_ASCII = bytes(c if chr(c).isalnum() or c == 95 or c > 127 else 32 for c in range(256))


def _word_view(view: str) -> str:
    """A view with a space before it and every character that is no word character a space:
    a string starts a word of the view where it follows a space in this."""
    if view.isascii():
        return " " + view.encode("ascii").translate(_NON_WORD_ASCII).decode("ascii")
    table = {ord(ch): " " for ch in set(view) if not (ch.isalnum() or ch == "_")}
    return " " + view.translate(table)


class Views:
    """A text and its views: `folded` (`fold_case`, made at once: every scan of a text needs
    it), `spaced` (`fold_space`) and their `_word_view`s, each made when first needed."""

    __slots__ = ("text", "folded", "_spaced", "_words")

    def __init__(self, text: str, folded: str | None = None) -> None:
        self.text = text
        self.folded = fold_case(text) if folded is None else folded
        self._spaced: str | None = None
        self._words: dict[bool, str] = {}

    def view(self, case: bool) -> str:
        """`folded` if `case`, else `spaced`."""
        return self.folded if case else self.spaced

    def words(self, case: bool) -> str:
        """`_word_view` of `view(case)` (folding keeps every word character one and every
        other character none: checked by the tests)."""
        found = self._words.get(case)
        if found is None:
            found = self._words[case] = _word_view(self.view(case))
        return found

    @property
    def spaced(self) -> str:
        if self._spaced is None:
            self._spaced = fold_space(self.text)
        return self._spaced


#: Openings are cut at this many characters (fewer if there would be too many).
_MAX_OPENING = 5
#: A character class of more characters than this ends an opening (or, first, makes the
#: pattern unanchored: "\\w" opens anywhere).
_MAX_CLASS = 26
_MAX_OPENINGS = 4000


class Unanchored(ValueError):
    """A pattern that can start with any character (or with too many openings)."""


class _IgnoresCase(Exception):
    """Raised when a pattern ignores the case of a letter it opens with."""


def _class_chars(items: list[tuple[Any, Any]], case: bool) -> str | None:
    """The characters, in a view (lower-cased if `case`), that an IN class matches; None
    if it is negated or large, or (`case`) matches non-ASCII letters, which IGNORECASE
    pairs with others that `fold_case` may keep apart."""
    chars: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            if av >= 128 and case and chr(av).lower() != chr(av).upper():
                return None
            chars.append(chr(av))
        elif op is sre.RANGE:
            lo, hi = av
            if (hi >= 128 and case) or hi - lo >= _MAX_CLASS:
                return None
            chars.extend(chr(c) for c in range(lo, hi + 1))
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            chars.extend("0123456789")
        elif op is sre.CATEGORY and av is sre.CATEGORY_SPACE:
            chars.append(" ")
        else:  # NEGATE, word characters, ...
            return None
    shown = "".join(sorted({_view(c, case) for c in chars}))
    return shown if len(shown) <= _MAX_CLASS else None


# (opening so far, whether it may still grow, how its start is guarded: `_FREE`, or
# `_BOUNDARY` (a word boundary: the character before is no word character if the first is
# one), or `_AFTER_NON_WORD` (a lookbehind: the character before is no word character)).
_State = tuple[str, bool, int]
_FREE, _BOUNDARY, _AFTER_NON_WORD = 0, 1, 2


class _Walk:
    """Derives a pattern's openings in one view: `case` (`fold_case`, lower-cased) or not
    (`fold_space`: then a letter whose case the pattern ignores raises `_IgnoresCase`)."""

    def __init__(self, case: bool, longest: int) -> None:
        self.case = case
        self.longest = longest

    def items(self, items: Any, states: set[_State], icase: bool) -> set[_State]:
        for op, av in items:
            nxt: set[_State] = set()
            growing = {(p, g) for p, grows, g in states if grows and len(p) < self.longest}
            nxt.update((p, False, g) for p, grows, g in states if not (grows and len(p) < self.longest))
            if growing:
                nxt |= self.step(op, av, growing, icase)
            if len(nxt) > _MAX_OPENINGS:
                raise Unanchored("too many openings")
            states = nxt
        return states

    def chars(self, chars: str | None, icase: bool) -> str | None:
        if chars is not None and icase and not self.case and chars.lower() != chars.upper():
            raise _IgnoresCase
        return chars

    def step(self, op: Any, av: Any, prefixes: set[tuple[str, int]], icase: bool) -> set[_State]:
        """The states after one item of a pattern from `prefixes`; `icase`: under IGNORECASE."""
        if op is sre.LITERAL:
            ch = chr(av)
            if av >= 128 and icase and ch.lower() != ch.upper():  # IGNORECASE pairs some apart
                return {(p, False, g) for p, g in prefixes}
            shown = _view(ch, self.case)
            self.chars(shown, icase)
            return {(p + shown, True, g) for p, g in prefixes}
        if op is sre.IN:
            chars = self.chars(_class_chars(av, self.case or icase), icase)
            if chars is None:
                return {(p, False, g) for p, g in prefixes}
            return {(p + c, True, g) for p, g in prefixes for c in chars}
        if op is sre.CATEGORY:
            chars = "0123456789" if av is sre.CATEGORY_DIGIT else " " if av is sre.CATEGORY_SPACE else None
            if chars is None:
                return {(p, False, g) for p, g in prefixes}
            return {(p + c, True, g) for p, g in prefixes for c in chars}
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):  # zero width: what follows opens the match
            guard = _guard(op, av)
            return {(p, True, max(g, guard) if p == "" else g) for p, g in prefixes}
        if op is sre.BRANCH:
            either: set[_State] = set()
            for alternative in av[1]:
                either |= self.items(alternative, {(p, True, g) for p, g in prefixes}, icase)
            return either
        if op is sre.SUBPATTERN:
            _, add, remove, items = av
            scoped = (icase or bool(add & sre.SRE_FLAG_IGNORECASE)) and not remove & sre.SRE_FLAG_IGNORECASE
            return self.items(items, {(p, True, g) for p, g in prefixes}, scoped)
        if op is sre.ATOMIC_GROUP:
            return self.items(av, {(p, True, g) for p, g in prefixes}, icase)
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, item = av
            chars = self.one_char(item, icase)
            if chars is not None:  # "\\s+", "[ -]+": as many as fit, each count then what follows
                out: set[_State] = set()
                grown = {(p, g) for p, g in prefixes}
                n = 0
                while grown:
                    full = {(q, g) for q, g in grown if len(q) >= self.longest}
                    out |= {(q, False, g) for q, g in full}  # cut here, however many follow
                    if n >= low:
                        out |= {(q, True, g) for q, g in grown - full}
                    if n == high or len(out) > _MAX_OPENINGS:
                        break
                    grown = {(q + c, g) for q, g in grown - full for c in chars}
                    n += 1
                return out
            once = self.items(item, {(p, True, g) for p, g in prefixes}, icase)
            if high != 1:  # more repetitions may follow: what comes after is unknown
                once = {(p, False, g) for p, _, g in once}
            return once | {(p, True, g) for p, g in prefixes} if low == 0 else once
        return {(p, False, g) for p, g in prefixes}  # back references, conditionals, ANY, NOT_LITERAL...

    def one_char(self, items: Any, icase: bool) -> str | None:
        """The characters (at most 3) of a repeated item that matches one character, in
        the view ("\\s": " ", "[ -]": " -"); None for any other item."""
        if len(items) != 1:
            return None
        op, av = items[0]
        if op is sre.IN:
            chars = _class_chars(av, self.case or icase)
        elif op is sre.LITERAL and av < 128:
            chars = _view(chr(av), self.case)
        else:
            return None
        if chars is None or len(chars) > 3 or (icase and not self.case and chars.lower() != chars.upper()):
            return None
        return chars


def _guard(op: Any, av: Any) -> int:
    """What a zero-width assertion at a match's start says of the character before it."""
    if op is sre.AT and av is sre.AT_BOUNDARY:
        return _BOUNDARY
    if op is sre.ASSERT_NOT and av[0] == -1 and len(av[1]) == 1 and av[1][0][0] is sre.IN:
        if (sre.CATEGORY, sre.CATEGORY_WORD) in av[1][0][1]:
            return _AFTER_NON_WORD  # (?<![\\w...])
    return _FREE


def _is_word(ch: str) -> bool:
    """Whether `re` takes `ch` for a word character (`\\w`)."""
    return ch.isalnum() or ch == "_"


def openings(pattern: re.Pattern[str], parsed: Any = None) -> tuple[dict[str, bool], bool]:
    """Strings one of which every match of `pattern` starts with, in the view of the text
    where they are looked for (most of their occurrences open no match), each with whether
    a match starting with it needs a character before it that is no word character (a
    word boundary or a lookbehind at the pattern's start says so); and that view: True for
    `fold_case` (the pattern ignores the case of a letter it opens with), False for
    `fold_space`.

    Raises `Unanchored` when a match can start with any character. `parsed`: the pattern
    as `re._parser` parses it, if known."""
    if parsed is None:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    icase = bool(pattern.flags & re.IGNORECASE)
    for case in (False, True):
        for longest in range(_MAX_OPENING, 0, -1):
            try:
                states = _Walk(case, longest).items(parsed, {("", True, _FREE)}, icase)
            except _IgnoresCase:
                break  # try the lower-cased view
            except Unanchored:
                continue  # try shorter openings
            return _minimal(states, pattern), case
    raise Unanchored(pattern.pattern[:60])


def _minimal(states: set[_State], pattern: re.Pattern[str]) -> dict[str, bool]:
    guarded: dict[str, bool] = {}
    for p, _, g in states:
        if p == "":
            raise Unanchored(pattern.pattern[:60])
        ok = g == _AFTER_NON_WORD or (g == _BOUNDARY and _is_word(p[0]))
        guarded[p] = guarded.get(p, True) and ok
    # An opening that starts with a shorter one adds no position; the shorter one is
    # guarded only if every opening it stands for is.
    out = {p: True for p in guarded if not any(p[:i] in guarded for i in range(1, len(p)))}
    for q, ok in guarded.items():
        if not ok:
            shortest = next(q[:i] for i in range(1, len(q) + 1) if q[:i] in out)
            out[shortest] = False
    return out


def _starts(automaton: ahocorasick.Automaton, text: str, view: str, pos: int, end: int) -> list[int]:
    # A pattern's openings are prefix-free (`_minimal`): no two occur at one position.
    found = []
    for last, (back, guarded) in automaton.iter(view, pos, end):
        first = last - back
        if guarded and first > 0 and ((ch := text[first - 1]).isalnum() or ch == "_"):
            continue  # the pattern needs no word character before its match
        found.append(first)
    found.sort()
    return found


class Anchored:
    """`pattern`, tried only where one of its `openings` occurs in the text's view (and,
    if the opening needs it, after a character that is no word character).

    `finditer` and `search` return what the pattern's own methods return.
    """

    __slots__ = ("pattern", "openings", "case", "in_pieces", "_automaton", "_by_first")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        self.openings, self.case = openings(pattern, parsed)
        # Whether a match in a piece of a text depends on nothing outside it but a word
        # boundary at its start (for `found_in_spans` and `search_in`).
        self.in_pieces = not _looks_around(parsed)
        by_first: dict[str, list[str]] = {}
        for key in self.openings:
            by_first.setdefault(key[0], []).append(key)
        self._by_first = {first: tuple(keys) for first, keys in by_first.items()}
        automaton = ahocorasick.Automaton()
        for key, guarded in self.openings.items():
            automaton.add_word(key, (len(key) - 1, guarded))
        automaton.make_automaton()
        self._automaton = automaton

    def view(self, views: Views) -> str:
        """The view of a text in which this pattern's openings are looked for."""
        return views.folded if self.case else views.spaced

    def opens_at(self, views: Views, pos: int) -> bool:
        """Whether an opening starts at `pos` (whatever lies before it)."""
        view = self.view(views)
        keys = self._by_first.get(view[pos : pos + 1])
        return keys is not None and view.startswith(keys, pos)

    def starts(self, text: str, views: Views | None = None, pos: int = 0, endpos: int | None = None) -> list[int]:
        """Where an opening starts in `text[pos:endpos]` (`views`: its `Views`, if known)."""
        end = len(text) if endpos is None else endpos
        if end <= pos:
            return []
        return _starts(self._automaton, text, self.view(views or Views(text)), max(pos, 0), end)

    def finditer(
        self, text: str, views: Views | None = None, pos: int = 0, starts: list[int] | None = None
    ) -> Iterator[re.Match[str]]:
        """`pattern.finditer(text, pos)`; `views`: the text's `Views` if known, `starts`:
        this pattern's `starts` in `text` if known (from a `Scanner`)."""
        match = self.pattern.match
        last = pos
        for start in self.starts(text, views, pos) if starts is None else starts:
            if start < last:
                continue
            m = match(text, start)
            if m is not None:
                yield m
                last = m.end()

    def search(
        self, text: str, pos: int = 0, endpos: int | None = None, views: Views | None = None
    ) -> re.Match[str] | None:
        """`pattern.search(text, pos, endpos)`; `views`: the text's `Views` if known."""
        end = len(text) if endpos is None else min(endpos, len(text))
        match = self.pattern.match
        for start in self.starts(text, views, pos, end):
            m = match(text, start, end)
            if m is not None:
                return m
        return None


class Scanner:
    """Several `Anchored` patterns whose openings one pass over each view of a text finds.

    An opening that needs no word character before it and starts with one (most: after
    a word boundary) is looked for in the view's `_word_view`, after a space: there the
    automaton leaves its root only where a word starts, which makes the pass several
    times faster. The others are looked for in the view itself.

    A pattern's openings are prefix-free (`_minimal`): at most one of them occurs at a
    position, so every position is found once (a pattern given twice is scanned once)."""

    __slots__ = ("scans", "_automata")

    def __init__(self, scans: Sequence[Anchored]) -> None:
        self.scans = list(scans)
        # (view: `case`, over its word view?, automaton). Over a word view a key's value is
        # ((pattern, key length) of the keys of word characters only, which show as
        # themselves; (pattern, key length, key) of the others, which any other character
        # (a space too) shows alike: those are checked in the view itself). Over a view a
        # key's value is (pattern, key length - 1, whether it is guarded) of each key.
        self._automata: list[tuple[bool, bool, ahocorasick.Automaton]] = []
        for case in (False, True):
            word: dict[str, tuple[list[tuple[Anchored, int]], list[tuple[Anchored, int, str]]]] = {}
            plain: dict[str, list[tuple[Anchored, int, bool]]] = {}
            for scan in dict.fromkeys(self.scans):
                if scan.case != case:
                    continue
                for key, guarded in scan.openings.items():
                    if guarded and _is_word(key[0]):
                        free, checked = word.setdefault(_word_view(key), ([], []))  # " " + the key
                        if all(_is_word(ch) for ch in key):
                            free.append((scan, len(key)))
                        else:
                            checked.append((scan, len(key), key))
                    else:
                        plain.setdefault(key, []).append((scan, len(key) - 1, guarded))
            if word:
                automaton = ahocorasick.Automaton()
                for key, (free, checked) in word.items():
                    automaton.add_word(key, (tuple(free), tuple(checked)))
                automaton.make_automaton()
                self._automata.append((case, True, automaton))
            if plain:
                automaton = ahocorasick.Automaton()
                for key, values in plain.items():
                    automaton.add_word(key, tuple(values))
                automaton.make_automaton()
                self._automata.append((case, False, automaton))

    def scan(self, text: str, views: Views | None = None) -> Scanned:
        """`text` with where the openings of every pattern are."""
        views = views or Views(text)
        return Scanned(text, views, self.by_scan(text, views), self)

    def by_scan(self, text: str, views: Views | None = None) -> dict[Anchored, list[int]]:
        """The `Anchored.starts` in `text` of each pattern that has some (`views`: the
        text's `Views`, if known)."""
        views = views or Views(text)
        found: dict[Anchored, list[int]] = {}
        for case, over_words, automaton in self._automata:
            if over_words:
                for last, (free, checked) in automaton.iter(views.words(case)):
                    for scan, size in free:  # the word view has one character more, in front
                        at = found.get(scan)
                        if at is None:
                            found[scan] = [last - size]
                        else:
                            at.append(last - size)
                    for scan, size, check in checked:
                        if (views.folded if case else views.spaced).startswith(check, last - size):
                            at = found.get(scan)
                            if at is None:
                                found[scan] = [last - size]
                            else:
                                at.append(last - size)
                continue
            for last, values in automaton.iter(views.folded if case else views.spaced):
                for scan, back, guarded in values:
                    first = last - back
                    if guarded and first and ((ch := text[first - 1]).isalnum() or ch == "_"):
                        continue
                    at = found.get(scan)
                    if at is None:
                        found[scan] = [first]
                    else:
                        at.append(first)
        for at in found.values():
            at.sort()
        return found

    def starts(self, text: str, views: Views | None = None) -> list[list[int]]:
        """Per pattern, its `Anchored.starts` in `text` (`views`: its `Views`, if known)."""
        found = self.by_scan(text, views)
        return [found.get(scan, []) for scan in self.scans]


class Scanned:
    """A text, its `Views`, and where the openings of some patterns are in it (from a
    `Scanner`): `finditer` of any pattern, found from those if known."""

    __slots__ = ("text", "views", "_starts", "_scanned")

    def __init__(
        self,
        text: str,
        views: Views | None = None,
        starts: dict[Anchored, list[int]] | None = None,
        scanner: Scanner | None = None,
    ) -> None:
        self.text = text
        self.views = views or Views(text)
        self._starts = starts or {}
        self._scanned = frozenset(scanner.scans) if scanner is not None else frozenset()

    def finditer(self, scan: Anchored) -> Iterator[re.Match[str]]:
        """`scan.pattern.finditer(self.text)`."""
        return scan.finditer(self.text, self.views, starts=self.starts(scan))

    def starts(self, scan: Anchored) -> list[int]:
        """`scan.starts(self.text)`."""
        found = self._starts.get(scan)
        if found is None:
            found = [] if scan in self._scanned else scan.starts(self.text, self.views)
        return found


def _looks_around(items: Any) -> bool:
    """Whether a parsed pattern holds a lookbehind or an anchor other than a word boundary."""
    for op, av in items:
        if op is sre.AT and av not in (sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY):
            return True
        if op in (sre.ASSERT, sre.ASSERT_NOT) and (av[0] == -1 or _looks_around(av[1])):
            return True
        if op is sre.BRANCH and any(_looks_around(alternative) for alternative in av[1]):
            return True
        if op is sre.SUBPATTERN and _looks_around(av[-1]):
            return True
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and _looks_around(av[2]):
            return True
        if op is sre.ATOMIC_GROUP and _looks_around(av):
            return True
    return False


def found_in_spans(scan: Anchored, text: str, starts: list[int], spans: Sequence[tuple[int, int]]) -> list[bool]:
    """For each span `(a, b)` of `text` (disjoint, in order), whether
    `scan.pattern.search(text[a:b])` finds a match, from the pattern's `starts` in the
    whole text (`Anchored.starts`).

    Exact for a span after a space (or at the start of `text`), for a pattern with no
    lookbehind or anchor (`^`, `$`...): only a word boundary then looks before a match,
    and a space before the span is as no character. A span not after a space is searched
    as a string of its own."""
    return found_in_spans_each([scan], text, [starts], spans)[0]


def found_in_spans_each(
    scans: Sequence[Anchored], text: str, starts: Sequence[list[int]], spans: Sequence[tuple[int, int]]
) -> list[list[bool]]:
    """`found_in_spans` of each of `scans` (with its `starts`), the spans looked at once."""
    if not all(scan.in_pieces for scan in scans):
        raise ValueError("a pattern with a lookbehind or an anchor")
    alone = [i for i, (a, _) in enumerate(spans) if a > 0 and not text[a - 1].isspace()]
    firsts = [a for a, _ in spans]
    out = []
    for scan, at in zip(scans, starts, strict=True):
        found = [False] * len(spans)
        match = scan.pattern.match
        for start in at:  # only the spans an opening starts in can hold a match
            i = bisect_right(firsts, start) - 1
            if i >= 0 and not found[i] and start < spans[i][1] and match(text, start, spans[i][1]) is not None:
                found[i] = True
        for i in alone:
            a, b = spans[i]
            found[i] = scan.search(text[a:b]) is not None
        out.append(found)
    return out


_MAX_PATHS = 20000


def _runs(items: Any, paths: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """Every way `items` can be spelled, as runs of literal characters (a run ends where
    the pattern could match text it does not spell out: "\\s+", "\\w", a large class)."""
    for op, av in items:
        if op is sre.LITERAL and av < 128:
            paths = {(*p[:-1], p[-1] + chr(av).lower()) for p in paths}
        elif op is sre.IN and (chars := _class_chars(av, True)) is not None and len(chars) <= 3:
            paths = {(*p[:-1], p[-1] + c) for p in paths for c in chars}
        elif op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero width
        elif op is sre.BRANCH:
            paths = {q for alternative in av[1] for q in _runs(alternative, paths)}
        elif op is sre.SUBPATTERN:
            paths = _runs(av[-1], paths)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[1] == 1:
            paths = _runs(av[2], paths) | (paths if av[0] == 0 else set())
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
            paths = {(*q, "") for q in _runs(av[2], paths)}  # at least once, then unknown
        else:
            paths = {(*p, "") for p in paths}
        if len(paths) > _MAX_PATHS:
            raise ValueError("too many spellings")
    return paths


def spellings(source: str) -> frozenset[str]:
    """The strings a pattern of literal alternatives can match, lower-cased ("killed|shot
    dead|lost (?:his|her) life"); ValueError if it matches text it does not spell out."""
    found = set()
    for path in _runs(sre_parse.parse(source, re.I), {("",)}):
        if len(path) != 1:
            raise ValueError(f"not a literal alternation: {source[:60]}")
        found.add(path[0])
    return frozenset(found)


def necessary_words(source: str) -> frozenset[str]:
    """Lower-case strings one of which every match of the pattern `source` contains: for
    each way of spelling it, its longest run of literal characters (so "(?:mass\\s+)?graves?"
    gives "grave" and "graves"); none contained in another."""
    found = set()
    for path in _runs(sre_parse.parse(source, re.I), {("",)}):
        longest = max(path, key=len)
        if not longest:
            raise ValueError(f"a match can spell no literal: {source[:60]}")
        found.add(longest)
    return frozenset(w for w in found if not any(o != w and o in w for o in found))


def alternation(source: str) -> str:
    """A pattern of literal alternatives ("soldiers|civilians|...", optional parts allowed:
    `ordered_spellings`) rewritten to match exactly as it does under IGNORECASE, but to try
    a few alternatives at a position instead of every one: alternatives sharing their first
    letters share them in the pattern ("s(?:oldiers|hepherds)").

    Exact: at a position, the alternatives that can match are those spelling a prefix of
    the text there (one a prefix of the next), and they are tried in the same order, as
    every pair of alternatives one of which starts the other keeps its order (checked;
    the plain alternation is returned otherwise). A repeated word is tried once: a second
    try of the same text could only fail again.
    """
    order: list[str] = []
    seen: set[str] = set()
    for word in ordered_spellings(source):
        key = word.lower()
        if not word:
            raise ValueError("an alternative matches the empty string")
        if key not in seen:
            seen.add(key)
            order.append(key)
    rank = {w: i for i, w in enumerate(order)}

    def groups(members: list[str], depth: int) -> tuple[list[str], list[str]]:
        """Branches for `members` (all longer than `depth`), one per next character in order
        of first use, and the order in which they are tried."""
        by_char: dict[str, list[str]] = {}
        for w in members:
            by_char.setdefault(w[depth], []).append(w)
        branches: list[str] = []
        tried: list[str] = []
        for group in by_char.values():
            common = depth + 1  # past the characters the group shares
            while all(len(m) > common for m in group) and len({m[common] for m in group}) == 1:
                common += 1
            head = re.escape(group[0][depth:common])
            if len(group) == 1 and len(group[0]) == common:
                branches.append(head)
                tried.append(group[0])
            else:
                sub, sub_tried = build(group, common)
                branches.append(f"{head}(?:{sub})")
                tried.extend(sub_tried)
        return branches, tried

    def build(group: list[str], depth: int) -> tuple[str, list[str]]:
        """A pattern for the words of `group` past their first `depth` characters (which they
        share), and the order in which it tries them. The word ending here (if any) is tried
        after the longer words before it in `words` and before those after it."""
        ends = [w for w in group if len(w) == depth]
        if not ends:
            branches, tried = groups(group, depth)
            return "|".join(branches), tried
        end = ends[0]
        before, before_tried = groups([w for w in group if len(w) > depth and rank[w] < rank[end]], depth)
        after, after_tried = groups([w for w in group if len(w) > depth and rank[w] > rank[end]], depth)
        return "|".join([*before, "", *after]), [*before_tried, end, *after_tried]

    pattern, tried = build(order, 0)
    position = {w: i for i, w in enumerate(tried)}
    for a in order:
        for b in order:
            if a != b and b.startswith(a) and (rank[a] < rank[b]) != (position[a] < position[b]):
                return "|".join(order)  # factoring would change which of the two is tried first
    return pattern


def _ordered(items: Any, paths: list[str]) -> list[str]:
    """The strings `items` can match after each of `paths`, in the order the regex engine
    tries them (alternatives in order; a greedy optional part first with it, a lazy one
    first without); ValueError if it matches text it does not spell out."""
    for op, av in items:
        if op is sre.LITERAL:
            paths = [p + chr(av) for p in paths]
        elif op is sre.IN and all(o is sre.LITERAL for o, _ in av):
            # one character of a set: at a position at most one of them matches
            paths = [p + chr(c) for p in paths for _, c in av]
        elif op is sre.BRANCH:
            paths = [q for p in paths for alternative in av[1] for q in _ordered(alternative, [p])]
        elif op is sre.SUBPATTERN and not av[1] and not av[2]:
            paths = _ordered(av[-1], paths)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
            greedy = op is sre.MAX_REPEAT
            paths = [q for p in paths for q in ((*_ordered(av[2], [p]), p) if greedy else (p, *_ordered(av[2], [p])))]
        else:
            raise ValueError(f"not a literal alternation: {op} {av}")
        if len(paths) > _MAX_PATHS:
            raise ValueError("too many spellings")
    return paths


def ordered_spellings(source: str) -> list[str]:
    """The strings a pattern of literals, alternatives and optional parts ("vehicles?|pick-?
    ups?") matches, in the order the regex engine tries them at a position: as an
    alternation of these in this order (see `alternation`) it matches exactly as it does."""
    return _ordered(sre_parse.parse(source), [""])


class Guarded:
    """`pattern`, run only on a text holding one of `words` (by default its
    `necessary_words`: one of which every match spells), folded by `fold_case`.

    `search` and `match` return what the pattern's own methods return."""

    __slots__ = ("pattern", "words", "words_scan", "_automaton")

    def __init__(self, pattern: re.Pattern[str], words: frozenset[str] | None = None) -> None:
        self.pattern = pattern
        self.words = necessary_words(pattern.pattern) if words is None else words
        # Where the words may start (a superset): for finding them with other patterns' openings.
        self.words_scan = Anchored(re.compile("|".join(re.escape(w) for w in sorted(self.words)), re.I))
        automaton = ahocorasick.Automaton()
        for word in self.words:
            automaton.add_word(word, len(word))
        automaton.make_automaton()
        self._automaton = automaton

    def holds(self, folded: str, pos: int = 0, endpos: int | None = None) -> bool:
        """Whether `folded[pos:endpos]` holds one of the words."""
        end = len(folded) if endpos is None else endpos
        return end > pos and next(self._automaton.iter(folded, max(pos, 0), end), None) is not None

    def search(
        self, text: str, pos: int = 0, endpos: int | None = None, folded: str | None = None
    ) -> re.Match[str] | None:
        """`pattern.search(text, pos, endpos)`; `folded` is `fold_case(text)` if known."""
        end = len(text) if endpos is None else min(endpos, len(text))
        if not self.holds(fold_case(text) if folded is None else folded, pos, end):
            return None
        return self.pattern.search(text, pos, end)

    def match(
        self, text: str, pos: int = 0, endpos: int | None = None, folded: str | None = None
    ) -> re.Match[str] | None:
        """`pattern.match(text, pos, endpos)`; `folded` is `fold_case(text)` if known."""
        end = len(text) if endpos is None else min(endpos, len(text))
        if not self.holds(fold_case(text) if folded is None else folded, pos, end):
            return None
        return self.pattern.match(text, pos, end)


def alternatives(source: str) -> list[str]:
    """The top-level alternatives of a pattern's source ("a|(?:b|c)|d": "a", "(?:b|c)",
    "d"): `"|".join` of them is `source`."""
    out: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a class: up to its "]" (one right after "[" or "[^" is a member)
            i += 1
            if i < len(source) and source[i] == "^":
                i += 1
            if i < len(source) and source[i] == "]":
                i += 1
            while i < len(source) and source[i] != "]":
                i += 2 if source[i] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(source[start:i])
            start = i + 1
        i += 1
    out.append(source[start:])
    return out


class AnyOf:
    """Whether a pattern finds something in a text (`search` is not None), by each of its
    top-level alternatives: `Anchored` where it can be, else `Guarded`."""

    __slots__ = ("pattern", "anchored", "_guarded", "_scanner", "_in_pieces", "_first_keys", "_anchored_set")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        anchored: list[Anchored] = []
        self.anchored = anchored  # the alternatives tried at their openings
        self._guarded: list[Guarded] = []
        for source in alternatives(pattern.pattern):
            part = re.compile(source, pattern.flags)
            try:
                scan = Anchored(part)
            except Unanchored:
                self._guarded.append(Guarded(part))
                continue
            # Openings of one or two characters ("[A-Z]{3,6}") are everywhere: a guard is cheaper.
            if min(map(len, scan.openings)) > 2:
                anchored.append(scan)
            else:
                self._guarded.append(Guarded(part))
        self._scanner = Scanner(anchored)
        self._in_pieces = all(scan.in_pieces for scan in anchored)
        self._anchored_set = frozenset(anchored)
        # Per view (`Anchored.case`), the alternatives by the first character of their
        # openings: which of them open at a position, by one look-up (`found_in`).
        first_keys: dict[bool, dict[str, list[tuple[Anchored, tuple[str, ...]]]]] = {}
        for scan in anchored:
            by_first = first_keys.setdefault(scan.case, {})
            for first, keys in scan._by_first.items():
                by_first.setdefault(first, []).append((scan, keys))
        self._first_keys = tuple((case, {k: tuple(v) for k, v in d.items()}) for case, d in first_keys.items())

    def found(self, text: str, views: Views | None = None) -> bool:
        """`pattern.search(text) is not None`."""
        views = views or Views(text)
        for scan, starts in zip(self._scanner.scans, self._scanner.starts(text, views), strict=True):
            match = scan.pattern.match
            if any(match(text, start) is not None for start in starts):
                return True
        return any(part.search(text, folded=views.folded) is not None for part in self._guarded)

    def found_in(self, text: str, a: int, b: int, starts: dict[Anchored, list[int]], views: Views) -> bool:
        """`found(text[a:b])`, from where the openings of the `anchored` alternatives are in
        the whole `text` (`starts`, from a `Scanner`; `views`: the text's `Views`).

        `search_in` of each anchored alternative, the alternatives that open at `a` found
        by one look-up per view, and only those with a start in the piece tried after it."""
        if not self._in_pieces:
            raise ValueError("a pattern with a lookbehind or an anchor")
        piece = text[a:b]
        for case, by_first in self._first_keys:
            view = views.folded if case else views.spaced
            for scan, keys in by_first.get(view[a : a + 1], ()):
                if view.startswith(keys, a) and scan.pattern.match(piece) is not None:
                    return True
        for scan in self._anchored_set.intersection(starts):  # those with starts (any order: a yes or no)
            found = starts[scan]
            if found and found[-1] > a:
                match = scan.pattern.match
                i = bisect_right(found, a)
                while i < len(found) and found[i] < b:
                    if match(text, found[i], b) is not None:
                        return True
                    i += 1
        folded = views.folded[a:b]
        return any(part.search(piece, folded=folded) is not None for part in self._guarded)


def search_in(scan: Anchored, text: str, starts: list[int], a: int, b: int, views: Views | None = None) -> bool:
    """Whether `scan.pattern.search(text[a:b])` finds a match, from the pattern's `starts`
    in the whole `text` (`views`: its `Views`, if known). For a pattern with no lookbehind
    or anchor (`^`, `$`...): at `a` the piece is matched as a string of its own (nothing
    before it), where an opening starts; after `a` a match sees only what the piece holds."""
    if not scan.in_pieces:
        raise ValueError("a pattern with a lookbehind or an anchor")
    match = scan.pattern.match
    if scan.opens_at(views or Views(text), a) and match(text[a:b]) is not None:
        return True
    i = bisect_right(starts, a)
    while i < len(starts) and starts[i] < b:
        if match(text, starts[i], b) is not None:
            return True
        i += 1
    return False


def always_spells(source: str, words: frozenset[str]) -> bool:
    """Whether every match of the pattern `source` spells one of `words` (lower-case), as
    far as its literal characters show (for checking a `Guarded`'s words)."""
    paths = _runs(sre_parse.parse(source, re.I), {("",)})
    return all(any(w in run for run in path for w in words) for path in paths)


class Opening:
    """Whether `pattern.match` can succeed at a position: only where one of its `openings`
    starts (in the text's view). A cheap test before a costly `match`."""

    __slots__ = ("pattern", "case", "_by_first")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        found, self.case = openings(pattern)
        by_first: dict[str, list[str]] = {}
        for key in found:
            by_first.setdefault(key[0], []).append(key)
        self._by_first = {first: tuple(keys) for first, keys in by_first.items()}

    def match(self, text: str, pos: int, views: Views) -> re.Match[str] | None:
        """`pattern.match(text, pos)`; `views`: the text's `Views`."""
        view = views.folded if self.case else views.spaced
        keys = self._by_first.get(view[pos : pos + 1])
        if keys is None or not view.startswith(keys, pos):
            return None
        return self.pattern.match(text, pos)
