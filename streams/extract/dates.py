"""Event dates: absolute and relative expressions resolved against `published_at`.

Precision follows ACLED: `day` for a named day, `week` for "last week" or an undated
report (the event happened within the week before publication), `month` for "in July".

A date before `Limits.earliest_date` ("on 3 March 1900") or after the publication day
("in March 2099", "on 3 June" in an article of 2 June) is no event date: it is not
returned, and its words are not read again as a shorter date.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import date, timedelta

from schemas import DateMention
from streams.extract.models import construct
from streams.extract.scan import Anchored, Scanned
from streams.limits import DEFAULT_LIMITS

__all__ = ["find_dates", "interval", "MONTHS", "WEEKDAYS"]

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        ["january jan", "february feb", "march mar", "april apr", "may", "june jun",
         "july jul", "august aug", "september sept sep", "october oct", "november nov",
         "december dec"]
    )
    for m in names.split()
}  # fmt: skip
WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}

_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY2 = r"(?P<day2>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_RANGE = r"\s*(?:-|\u2013|\u2014|to)\s*"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # A span of days ("March 23-31", "23 and 24 March 2022": an operation's) is its first
    # day, uncertain by the span.
    ("dmy", re.compile(rf"\b{_DAY}(?:(?:{_RANGE}|\s+and\s+){_DAY2})?\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b")),
    (
        "mdrange",
        re.compile(rf"\b{_MONTH}\s+{_DAY}{_RANGE}{_DAY2}(?:,?\s+{_YEAR})?\b(?!\s*(?:people|soldiers|civilians))"),
    ),
    ("mdy", re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b(?!\s*(?:people|soldiers|civilians|killed))")),
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b")),
    (
        "weekday",
        re.compile(
            r"\b(?:(?P<rel>(?i:last|this|past))\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
        ),
    ),
    (
        "relday",
        re.compile(
            r"\b(?P<rel>yesterday|today|the day before yesterday|last night|this morning|tonight|earlier today)\b", re.I
        ),
    ),
    # Both found by their own word (rare), the words before them checked by `_resolve`.
    (
        "holiday",
        re.compile(r"\b(?P<hol>Christmas Eve|Christmas Day|Christmas|New Year['\u2019]s Eve|New Year['\u2019]s Day)\b"),
    ),
    ("weekend", re.compile(r"\bweekend\b", re.I)),
    ("relweek", re.compile(r"\b(?P<rel>last week|this week|earlier this week|past week)\b", re.I)),
    ("relmonth", re.compile(r"\b(?P<rel>last month|this month|earlier this month)\b", re.I)),
    ("relyear", re.compile(r"\b(?P<rel>last year)\b", re.I)),
    ("month", re.compile(rf"\b(?i:in|since|during|early|late|mid|end of|beginning of)[ -]+{_MONTH}(?:\s+{_YEAR})?\b")),
]


# Each pattern tried only where a match can start (`scan.Anchored`): same matches.
_SCANS = [(kind, Anchored(pattern)) for kind, pattern in _PATTERNS]
DATE_SCANS = tuple(scan for _, scan in _SCANS)
_new_date = construct(DateMention)  # of values typed here: not validated again


def _past_month(month: int, year: int | None, published: date) -> date:
    """The most recent such month on or before publication (or of the stated year)."""
    if year is not None:
        return date(year, month, 1)
    y = published.year if month <= published.month else published.year - 1
    return date(y, month, 1)


def _past_day(day: int, month: int, year: int | None, published: date) -> date | None:
    years = [year] if year is not None else [published.year, published.year - 1]
    for y in years:
        try:
            candidate = date(y, month, day)
        except ValueError:
            return None
        if year is not None or candidate <= published + timedelta(days=1):
            return candidate
    return None


_HOLIDAY_BEFORE = re.compile(r"\b(?:on|at|over|during)\s+(?:the\s+)?$", re.I)
_WEEKEND_BEFORE = re.compile(r"\b(?:(?:at|over|during|on)\s+the|this|last|past)\s+$", re.I)
_HOLIDAYS = {"christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25),
             "new year's eve": (12, 31), "new year's day": (1, 1)}  # fmt: skip


def _resolve(kind: str, m: re.Match[str], published: date) -> tuple[date, str] | None:
    g = m.groupdict()
    if kind in ("dmy", "mdy", "mdrange"):
        d = _past_day(int(g["day"]), MONTHS[g["month"].lower()], int(g["year"]) if g["year"] else None, published)
        if d is None:
            return None
        if g.get("day2") is None:
            return d, "day"
        span = int(g["day2"]) - int(g["day"])
        return (d, "week" if span <= 8 else "month") if span > 0 else None
    if kind == "iso":
        try:
            return date(int(g["year"]), int(g["mon"]), int(g["day"])), "day"
        except ValueError:
            return None
    if kind == "weekday":
        back = (published.weekday() - WEEKDAYS[g["wd"].lower()]) % 7
        if g["rel"] and g["rel"].lower() in ("last", "past") and back == 0:
            back = 7
        return published - timedelta(days=back), "day"
    if kind == "holiday":  # the latest one on or before publication
        if not _HOLIDAY_BEFORE.search(m.string, max(0, m.start() - 12), m.start()):
            return None  # "Christmas celebrations": no day
        month, day = _HOLIDAYS[g["hol"].lower().replace("\u2019", "'")]
        d = _past_day(day, month, None, published)
        return (d, "day") if d else None
    if kind == "weekend":  # its Saturday: the day's slack covers the Sunday
        before = _WEEKEND_BEFORE.search(m.string, max(0, m.start() - 12), m.start())
        if before is None:
            return None  # "a weekend market": no day
        back = (published.weekday() - WEEKDAYS["saturday"]) % 7
        if back == 0 and before.group(0).lower().startswith("last"):
            back = 7
        return published - timedelta(days=back), "day"
    if kind == "relday":
        rel = g["rel"].lower()
        back = 2 if "before" in rel else 1 if rel in ("yesterday", "last night") else 0
        return published - timedelta(days=back), "day"
    if kind == "relweek":
        monday = published - timedelta(days=published.weekday())
        start = monday - timedelta(days=7) if g["rel"].lower() in ("last week", "past week") else monday
        return start, "week"
    if kind == "relyear":
        return date(published.year - 1, 1, 1), "year"
    if kind == "relmonth":
        first = published.replace(day=1)
        if g["rel"].lower() == "last month":
            first = (first - timedelta(days=1)).replace(day=1)
        return first, "month"
    if kind == "month":
        return _past_month(MONTHS[g["month"].lower()], int(g["year"]) if g["year"] else None, published), "month"
    return None


_SPEECH = (
    r"said|says|announced|announces|told|reported|confirmed|stated|declared|revealed|tweeted|wrote|indicated"
    r"|explained|added|claimed|published|released|issued|updated|raised|revised"
    r"|came to light|emerged|discovered|found"  # when it became known: the attack came before
)
_SPEECH_WORDS = tuple(_SPEECH.replace("\n", "").split("|"))
_SPEECH_BEFORE = re.compile(rf"\b(?:{_SPEECH})\s+(?:[\w'-]+\s+){{0,3}}?(?:(?:late|early)\s+)?(?:on\s+)?$", re.I)
_SPEECH_AFTER = re.compile(rf"\s*,?\s+(?:{_SPEECH})\b", re.I)


#: After a date: the end of a dispatch's dateline ("BAMAKO, June 3 (Reuters) - ...").
_DATELINE_DATE = re.compile(r"(?:,?\s+\d{4})?\s*\([A-Z][\w.]{1,12}\)\s*[-\u2013\u2014]")


def _reported_on(text: str, start: int, end: int) -> bool:
    """Whether the date at `start:end` is when something was said or became known ("the
    government said on Friday", "Niger on Sunday said", "as reported on 11 August", "the
    killings came to light on Tuesday"): a report's date, not the event's. A date with a
    figure between it and the verb is the event's."""
    if _SPEECH_AFTER.match(text, end):
        return True
    before = text[max(0, start - 40) : start]
    lowered = before.lower()
    if not any(word in lowered for word in _SPEECH_WORDS):
        return False
    return _SPEECH_BEFORE.search(before) is not None


def find_dates(
    text: str, published: date, earliest: date = DEFAULT_LIMITS.earliest_date, scanned: Scanned | None = None
) -> list[tuple[int, int, DateMention]]:
    """Date expressions in `text` as (start, end, mention), non-overlapping, in order;
    only days from `earliest` to `published` (the others are read, then ignored).
    `scanned`: the text as a `Scanner` scanned it (for `DATE_SCANS`), if it was."""
    found: list[tuple[int, int, DateMention]] = []
    starts: list[int] = []  # the spans read (found or ignored): disjoint, sorted by start
    ends: list[int] = []
    scanned = scanned or Scanned(text)
    for kind, scan in _SCANS:
        for m in scanned.finditer(scan):
            at = bisect_left(starts, m.end())  # spans starting before this one ends
            if at and ends[at - 1] > m.start():  # disjoint and sorted: only the last can overlap
                continue
            resolved = _resolve(kind, m, published)
            if resolved is None:
                continue
            starts.insert(at, m.start())
            ends.insert(at, m.end())
            day, precision = resolved
            if kind == "iso":
                continue  # "2019-12-01": a page's metadata (a scraped date field), never prose about an attack
            if _reported_on(text, m.start(), m.end()):
                continue  # "the army said on Monday": when the news was given, not the attack
            if _DATELINE_DATE.match(text, m.end()):
                continue  # "N'DJAMENA, March 25 (Reuters) -": the day of the dispatch
            if earliest <= day <= published:
                found.append((m.start(), m.end(), _new_date(day=day, precision=precision, text=m.group(0))))
    return sorted(found, key=lambda f: f[0])


def interval(day: date, precision: str, dated: bool = True) -> tuple[date, date]:
    """The days an event date can mean, with slack for reporting: a day read from a weekday
    word against a publication date (sometimes wrong, or the day the toll was announced)
    is uncertain by a day or two."""
    if not dated:
        return day - timedelta(days=7), day
    if precision == "day":
        return day - timedelta(days=2), day + timedelta(days=2)
    if precision == "week":
        return day - timedelta(days=1), day + timedelta(days=8)
    if precision == "month":
        nxt = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        return day, nxt - timedelta(days=1)
    return day.replace(month=1, day=1), day.replace(month=12, day=31)
