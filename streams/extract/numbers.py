"""Numbers in digits and words, and ACLED's conventions for vague quantities."""

from __future__ import annotations

import re

from streams.extract.scan import alternation

__all__ = ["NUMBER", "parse_number", "VAGUE", "PAIRS", "ABSURD"]

#: What a run of more than `_MAX_DIGITS` digits reads as: larger than any toll, so every
#: figure limit drops it, and never parsed (Python refuses `int()` of 4,300+ digits).
ABSURD = 10**15
_MAX_DIGITS = 15

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
#: Vague quantities (DESIGN.md counting rules, after ACLED).
VAGUE = {
    "a dozen": 12, "dozens of": 12, "dozens": 12, "tens of": 10, "scores of": 20,
    "hundreds of": 100, "hundreds": 100, "several": 3, "a number of": 3, "many": 3,
    "a few": 3, "a handful of": 3, "numerous": 3,
}  # fmt: skip

# A number in words: as an alternation of every spelling that tries only those sharing
# the text's first letters (`scan.alternation`; it matches as the plain one does).
_WORD_NUM_SOURCE = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(k for k in _UNITS if _UNITS[k] < 10)}))?"
    rf"|{'|'.join(sorted(_UNITS, key=len, reverse=True))})"
)
_WORD_NUM = f"(?:{alternation(_WORD_NUM_SOURCE)})"
_HUNDREDS = rf"(?:(?:a|one|two|three|four|five|six|seven|eight|nine)\s+hundred(?:\s+(?:and\s+)?{_WORD_NUM})?)"
_DOZENS = r"(?:(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+dozen)(?!s)"
#: Words for exactly two: "a couple of soldiers", "both victims". "both" is no count when an
#: "and" follows within three words ("both soldiers and civilians", "both the driver and ...").
PAIRS = {"a couple of": 2, "both": 2}
_PAIR_RE = r"(?:a\s+couple\s+of|both(?!\s+(?:[\w'-]+\s+){0,2}?(?:and|&)\s))"
_VAGUE_SOURCE = "|".join(re.escape(k) for k in sorted(VAGUE, key=len, reverse=True))
_VAGUE_RE = f"(?:{alternation(_VAGUE_SOURCE)})"

#: A number: digits (with thousands separators), words, or a vague quantity.
NUMBER = rf"(?:{_DOZENS}|\d{{1,3}}(?:,\d{{3}})+|\d+|{_HUNDREDS}|{_WORD_NUM}|{_VAGUE_RE}|{_PAIR_RE})"


def parse_number(text: str) -> int | None:
    """The value of a `NUMBER` match, or None; `ABSURD` for more than 15 digits.

    Never negative: `NUMBER` has no sign. A number written with a minus sign ("-5 killed";
    a Unicode minus too, which the clean stage folds to "-") is not read as a head count
    at all, so its figure is dropped (see `casualties.find_casualties`)."""
    t = " ".join(text.lower().replace("-", " ").split())
    if t in VAGUE:
        return VAGUE[t]
    if t in PAIRS:
        return PAIRS[t]
    digits = t.replace(",", "")
    if digits.isdecimal():  # what int() accepts (isdigit() also takes '²')
        return int(digits) if len(digits) <= _MAX_DIGITS else ABSURD
    total = 0
    current = 0
    for word in t.split():
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word.isdecimal():
            current += int(word) if len(word) <= _MAX_DIGITS else ABSURD
        elif word == "dozen":
            current = max(current, 1) * 12
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in ("a", "and"):
            continue
        else:
            return None
    total += current
    return total if total or t in ("zero",) else None
