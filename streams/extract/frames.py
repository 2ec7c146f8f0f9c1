"""Event candidates within one article: sentences about the same attack become one frame.

A sentence opens or extends a frame when it reports violence (a trigger word or a
casualty figure). It joins the current frame, or an earlier one of the article, when
its place and date are compatible; "also", "another" and "separate" open a new one.
A frame with no figure needs a place below the country to be an event; cumulative
and hypothetical sentences never make or feed a frame.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from schemas import CasualtyMention, DateMention, EventCandidate, Place
from schemas.entities import CasualtyKind
from streams.extract.casualties import GROUPS, recalls_another
from streams.extract.dates import interval
from streams.extract.gazetteer import distance_km
from streams.extract.models import construct
from streams.extract.numbers import VAGUE
from streams.extract.scan import Anchored, Scanner

__all__ = ["SentenceFacts", "Frame", "build_candidates", "TRIGGER", "combine", "NO_COUNTRY"]

#: Country of a reported toll whose place nobody could resolve: kept, never guessed.
NO_COUNTRY = "ZZ"

TRIGGER = re.compile(
    r"\b(attack(?:ed|ing)?|assault(?:ed)?|ambush(?:ed)?|raid(?:ed)?|targeted|stormed|struck|"
    r"explosions?|blast|bomb(?:ing|ed)?|IED|landmine|clash(?:ed|es)?|fighting|firefight|"
    r"offensive|infiltrate|killed|killing|dead|died|perished|abducted|kidnapped|massacre[ds]?|"
    r"shell(?:ing|ed)|air ?strikes?|drone strikes?|besieged|opened fire|gunfire|executed)\b",
    re.I,
)
_ATTACKED = re.compile(r"\b(?:attacked|ambushed|raided|stormed|assaulted|struck|targeted)\b", re.I)
#: Words that open a separate attack even without a place or date of its own.
_SEPARATE = re.compile(
    r"\b(?:elsewhere|in a (?:second|separate|different|later|subsequent|similar|previous|earlier)"
    r" (?:attack|incident|ambush|raid|assault|development|clash|operation|strike|explosion))\b"
    r"|\banother\s+(?:\w+\s+)?(?:attack|incident|ambush|raid|assault|explosion|strike|operation|massacre)\b"
    r"|\bseparately\b(?!,? (?:said|told|reported|announced|confirmed))",
    re.I,
)
#: A place named again by pointing back: the one the sentence before named.
_THIS_PLACE = re.compile(
    r"\b(?:in|at|near|around|from)\s+(?:this|that|the same)\s+"
    r"(?:area|region|zone|locality|village|town|commune|place)\b",
    re.I,
)
_NEW_EVENT = re.compile(
    r"\b(?:also|separate(?:ly)?|elsewhere|meanwhile|in a second"
    r"|another\s+(?:\w+\s+)?(?:attack|incident|ambush|raid|clash|assault|explosion|IED|strike|village|town|locality"
    r"|hamlet|camp|area|event|operation))\b",
    re.I,
)


@dataclass
class SentenceFacts:
    """What one sentence says: the inputs of framing."""

    index: int
    paragraph: int
    text: str
    places: list[Place]
    casualties: list[CasualtyMention]
    dates: list[DateMention]
    countries: list[str]
    actors: list[str]
    cumulative: bool
    # Whether `TRIGGER` and `_NEW_EVENT` find something in `text`, if known (else searched).
    trigger: bool | None = None
    new_event: bool | None = None


@dataclass
class Frame:
    """An attack being assembled from the sentences that report it."""

    country: str | None
    place: Place | None = None
    date: DateMention | None = None
    mentions: list[CasualtyMention] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)

    def compatible(self, place: Place | None, day: DateMention | None, country: str | None) -> bool:
        if self.place is not None and place is not None:
            if (place.country, place.admin1) != (self.place.country, self.place.admin1):
                return False
        elif country and self.country and country != self.country:
            return False
        return self.date is None or day is None or (self.date.day, self.date.precision) == (day.day, day.precision)

    def absorb(self, facts: SentenceFacts, place: Place | None, day: DateMention | None) -> None:
        if place is not None and (
            self.place is None or _finer(place, self.place) or (_capital(self.place) and not _capital(place))
        ):
            self.place = place
            self.country = place.country
        self.date = self.date or day
        self.country = self.country or (facts.countries[0] if facts.countries else None)
        self.mentions.extend(m for m in facts.casualties if m.scope in ("event", "claim", "negated"))
        self.actors.extend(a for a in facts.actors if a not in self.actors)
        self.sentences.append(facts.text)


_LEVEL_RANK = {"country": 0, "admin1": 1, "admin2": 2, "place": 3}


def _finer(a: Place, b: Place) -> bool:
    return _LEVEL_RANK[a.level] > _LEVEL_RANK[b.level]


def _specific(places: list[Place]) -> Place | None:
    """The sentence's most specific place; a national capital only when it names no other
    ("the UN office in the capital Niamey said 32 were killed in the village of X")."""
    ranked = [p for p in places if p.level != "country"]
    return max(ranked, key=lambda p: (_LEVEL_RANK[p.level], not _capital(p)), default=None) if ranked else None


def _about_another(facts: SentenceFacts) -> bool:
    """A sentence whose only figures are of an earlier attack it recalls ("... comes a week
    after a similar raid, which left 30 dead"); not one giving a replaced toll of this one."""
    return (
        bool(facts.casualties)
        and all(m.scope == "background" for m in facts.casualties)
        and recalls_another(facts.text)
    )


def _relevant(facts: SentenceFacts) -> bool:
    if facts.cumulative:
        return False
    if any(m.scope in ("event", "claim", "negated") for m in facts.casualties):
        return True
    if _about_another(facts):
        return False  # about an earlier attack only: its place and date are not this one's
    if facts.trigger is not None:
        return facts.trigger
    return TRIGGER.search(facts.text) is not None  # plural "attacks" is generic: no trigger


def combine(mentions: list[CasualtyMention], kind: CasualtyKind, field_name: str) -> int:
    """Victims mentioned twice count once.

    Within a sentence, figures add up (a list names different victims). Across
    sentences, the total is the larger of the largest sentence total and the sum of
    each named victim group's largest figure ("killed 10 assailants. 2 Dozos were
    also killed" is 12; "12 people were killed. 10 soldiers were among them" is 12).
    Figures marked `additional` ("another soldier", "two later died of their wounds")
    always add. A figure coded by convention ("unknown fatalities coded as 10")
    replaces vague ones ("several", "a number of").
    """
    return _combined(mentions, kind, (field_name,))[0]


def _combined(mentions: list[CasualtyMention], kind: CasualtyKind, fields: tuple[str, ...]) -> list[int]:
    """`combine(mentions, kind, f)` of each of `fields`, by one pass over the mentions."""
    chosen = [m for m in mentions if m.kind == kind and m.scope in ("event", "negated")]
    if any(m.qualifier == "coded" for m in chosen):
        chosen = [m for m in chosen if m.qualifier not in VAGUE]
    if kind == "killed":
        chosen = _since_revision(chosen)
    lead_ok = _lead_stands(chosen)
    out = []
    for field_name in fields:
        per_sentence: dict[str, dict[str | None, int]] = {}
        extra = 0
        listed: dict[str, list[tuple[str | None, int]]] = {}
        for m in chosen:
            value = int(getattr(m, field_name))
            if m.additional:
                extra += value
                continue
            if m.alternative and listed.get(m.span.sentence):
                items = listed[m.span.sentence]  # another count of the figure before: the larger stands
                victims, previous = items[-1]
                items[-1] = (victims, max(previous, value))
                continue
            listed.setdefault(m.span.sentence, []).append((m.victims, value))
        for sentence, items in listed.items():
            values = [v for _, v in items]
            if len(items) >= 3 and items[0][0] is None and 2 * values[0] == sum(values):
                items = items[:1]  # "eight people, six aid workers and two guides": the whole, then its parts
            groups = per_sentence.setdefault(sentence, {})
            for victims, value in items:
                groups[victims] = groups.get(victims, 0) + value
        per_group: dict[str, int] = {}
        largest = 0
        lead = sum(next(iter(per_sentence.values())).values()) if lead_ok and len(per_sentence) >= 2 else None
        for groups in per_sentence.values():
            largest = max(largest, sum(groups.values()))
            for victims, value in groups.items():
                # Under a lead's total only coarse groups add: the head nouns of a long report
                # ("aid workers", "the French nationals", "the victims' guide") name its dead again.
                if victims is not None and (victims in GROUPS if lead is not None else victims not in _GENERIC):
                    per_group[victims] = max(per_group.get(victims, 0), value)
        if lead is not None:
            largest = lead
        out.append(max(largest, sum(per_group.values())) + extra)
    return out


#: A toll raised: "the toll rose to", "the number of dead has risen to", "bringing the toll to".
_RISEN = re.compile(
    r"\b(?:toll|number of (?:dead|deaths|victims|people killed)|tally)\b[^.;]{0,80}?"
    r"\b(?:rose|risen|rises|climbed|increased|jumped|has reached|reached|now stands)\b"
    r"|\b(?:bringing|brings|brought|raising|raises|taking|takes|pushing|pushes)\s+(?:the|its)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:toll|number of (?:dead|deaths|victims)|tally)\s+to\b",
    re.I,
)


def _tolled(sentence: str) -> bool:
    """A quick test: whether `_RISEN` or `_REVISION` can find something in the sentence."""
    return (
        "toll" in sentence
        or "Toll" in sentence
        or "number of" in sentence
        or "tally" in sentence
        or ("revised" in sentence or "Revised" in sentence)
    )


def _since_revision(chosen: list[CasualtyMention]) -> list[CasualtyMention]:
    """The mentions from the last sentence that raises the whole toll on ("the number of
    dead had risen to 98", a figure of no named group): the counts before it are the ones
    it replaces, as a later report's revision replaces earlier reports. A toll revised
    down ("a revised toll of 35", those identified so far) replaces nothing: the largest
    figure still decides."""
    revised = None
    for i, m in enumerate(chosen):
        if m.victims in _GENERIC and not m.additional and _tolled(m.span.sentence) and _RISEN.search(m.span.sentence):
            if revised is None or chosen[revised].span.sentence != m.span.sentence:
                revised = i
    if revised is None:
        return chosen
    first = next(i for i, m in enumerate(chosen) if m.span.sentence == chosen[revised].span.sentence)
    return chosen[first:]


def _lead_stands(chosen: list[CasualtyMention]) -> bool:
    """Whether the first sentence that gives a toll stands for the report: an exact figure
    of no named group ("left 39 dead"), with no later sentence revising it. Later figures
    of no named group are then other counts of the same dead (a preliminary toll,
    witnesses' estimate, an earlier report) and do not replace it; a named group's figure
    still adds where the groups add up to more. Else the largest sentence decides."""
    told = [m for m in chosen if not m.additional]
    if not told:
        return False
    first = told[0].span.sentence
    lead = [m for m in told if m.span.sentence == first and not m.alternative]
    if len(lead) >= 3 and lead[0].victims is None and 2 * lead[0].best == sum(m.best for m in lead):
        lead = lead[:1]  # the whole, then its parts
    if any(m.victims is not None and m.victims not in _GENERIC for m in lead):
        return False
    if any(m.qualifier in VAGUE for m in lead):
        return False
    later = {m.span.sentence for m in told} - {first}
    return not any(_tolled(sentence) and _REVISION.search(sentence) for sentence in later)


#: A toll revised by the article itself: it supersedes the figures published before it.
_REVISION = re.compile(
    r"\b(?:toll|number of (?:dead|deaths|victims|people killed))\b[^.;]{0,120}?"
    r"\b(?:rose|risen|rises|climbed|increased|jumped|revised|now stands|stood|has reached|reached)\b"
    r"|\brevised\s+(?:up|down|upwards|downwards)?\b[^.;]{0,30}\btoll\b"
    r"|\b(?:updated|new|latest|revised) (?:death )?toll\b"
    r"|\b(?:bringing|brings|brought|raising|raises|taking|takes|pushing|pushes)\s+(?:the|its)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:toll|number of (?:dead|deaths|victims)|tally)\s+to\b",
    re.I,
)
#: Means of attack that tell two attacks apart ("an IED" is not "an air strike").
_MODES = re.compile(
    r"\b(?:(?P<ied>IEDs?|improvised explosive|land ?mines?|roadside bombs?|explosive devices?)"
    r"|(?P<airstrike>air ?strikes?|drone strikes?|air raids?|aerial bombardment)"
    r"|(?P<suicide>suicide (?:bomb|attack|car|vehicle))"
    r"|(?P<shelling>shell(?:ing|ed|s)?|mortars?|rockets?))",
    re.I,
)
# Tried only where a match can start (`scan.Anchored`: same matches).
_REVISION_SCAN = Anchored(_REVISION)
_MODES_SCAN = Anchored(_MODES)
_FRAME_SCANNER = Scanner([_REVISION_SCAN, _MODES_SCAN])  # both found by one pass
#: A dated event that ended this long before the article is recalled, not reported.
_BACKGROUND_AFTER = timedelta(days=14)

_GENERIC = (None, "people", "persons", "individuals", "others", "victims", "bodies")


# Candidates are built without validation: their figures are sums of counts (never
# negative), their lists copies of the frame's.
_new_candidate = construct(EventCandidate, given=("actors", "modes", "sentences", "evidence"))


_KILLED_FIELDS = ("low", "best", "high")


def _candidate(index: int, frame: Frame, published: date, aside: bool) -> EventCandidate | None:
    claims = [m for m in frame.mentions if m.scope == "claim" and m.kind == "killed"]
    figures = dict(zip(_KILLED_FIELDS, _combined(frame.mentions, "killed", _KILLED_FIELDS), strict=True))
    has_figure = any(m.scope in ("event", "claim") for m in frame.mentions)
    if not has_figure and (frame.country is None or frame.place is None or frame.place.level == "country"):
        return None
    place = frame.place
    lone_claim = bool(claims) and not any(m.scope == "event" and m.kind == "killed" for m in frame.mentions)
    if lone_claim:  # the only figure is a party's claim: it is the best we have, flagged, never `low`
        as_reported = [m.model_copy(update={"scope": "event"}) for m in claims]
        figures = {"low": 0, "best": combine(as_reported, "killed", "best"), "high": figures["high"]}
    text = " ".join(frame.sentences)
    scanned = _FRAME_SCANNER.scan(text)
    day = frame.date.day if frame.date else published
    precision = frame.date.precision if frame.date else "week"
    recalled = frame.date is not None and interval(day, precision)[1] < published - _BACKGROUND_AFTER
    return _new_candidate(
        index=index,
        country=frame.country or NO_COUNTRY,
        admin1=place.admin1 if place else None,
        admin2=place.admin2 if place else None,
        place=place.name if place else None,
        geonameid=place.geonameid if place else None,
        day=day,
        precision=precision,
        dated=frame.date is not None,
        actors=list(frame.actors),
        killed_low=figures["low"],
        killed_best=figures["best"],
        killed_high=max([figures["high"], figures["best"], *(m.high for m in claims)]),
        wounded=combine(frame.mentions, "wounded", "best"),
        kidnapped=combine(frame.mentions, "kidnapped", "best"),
        claim=lone_claim,
        toll_given=any(m.kind == "killed" for m in frame.mentions),
        revision=next(scanned.finditer(_REVISION_SCAN), None) is not None,
        background=recalled,
        aside=aside,
        modes=sorted({m.lastgroup for m in scanned.finditer(_MODES_SCAN) if m.lastgroup}),
        sentences=list(frame.sentences),
        evidence=list(dict.fromkeys(m.span.sentence for m in frame.mentions)),
    )


def _between(places: list[Place], text: str) -> list[Place]:
    """`places` with a pair "between A and B" of one region replaced by that region: the
    site lies on the way from one to the other, at neither ("a village between Sévaré and
    Bandiagara"), so only the region is known of it."""
    if len(places) < 2 or ("between" not in text and "Between" not in text):
        return places
    for a, b in zip(places, places[1:], strict=False):
        if a.level != "place" or b.level != "place" or a.admin1 is None:
            continue
        if (a.country, a.admin1) != (b.country, b.admin1):
            continue
        width_a, width_b = a.span.end - a.span.start, b.span.end - b.span.start
        for m in re.finditer(rf"\bbetween\s+(.{{{width_a}}})(\s+and\s+)(.{{{width_b}}})", text, re.I):
            if m.end(2) - m.start(2) == b.span.start - a.span.end:
                region = a.model_copy(update={"name": a.admin1, "geonameid": None, "admin2": None, "level": "admin1"})
                return [p for p in places if p is not a and p is not b] + [region]
    return places


def _regions_of(places: list[Place]) -> dict[str, Place]:
    """Per country, the article's place when every place of `places` there (national
    capitals aside: where governments speak from) lies in one admin1."""
    seen: dict[str, list[Place]] = {}
    for p in places:
        if p.level != "country" and p.admin1:
            seen.setdefault(p.country, []).append(p)
    out = {}
    for country, places in seen.items():
        places = [p for p in places if not _capital(p)]  # a capital is where officials speak, not evidence
        if not places:
            continue
        if len({p.admin1 for p in places}) == 1:
            out[country] = max(places, key=lambda p: _LEVEL_RANK[p.level])
    return out


def _only_claims(frame: Frame) -> bool:
    killed = [m for m in frame.mentions if m.kind == "killed"]
    return bool(killed) and all(m.scope == "claim" for m in killed)


class _First:
    """Heaps of frame indexes by key, for "the first frame (in order) with this key that
    still qualifies". An index is pushed whenever its frame comes to qualify; one that no
    longer does is dropped when it reaches the top (it is pushed again if it qualifies
    again). So finding a frame costs O(log n), where a scan of every earlier frame made
    an article quadratic in its number of frames (sentences about the same place on
    different days, for one)."""

    def __init__(self) -> None:
        self._heaps: dict[Hashable, list[int]] = {}

    def push(self, key: Hashable, index: int) -> None:
        heapq.heappush(self._heaps.setdefault(key, []), index)

    def first(self, key: Hashable, qualifies: Callable[[int], bool]) -> int | None:
        heap = self._heaps.get(key)
        while heap:
            if qualifies(heap[0]):
                return heap[0]
            heapq.heappop(heap)
        return None


def _first(found: Iterable[int | None]) -> int | None:
    return min((i for i in found if i is not None), default=None)


def _around(day: date) -> list[date]:
    """The day before `day`, `day` and the day after (those that exist)."""
    out = []
    for delta in (-1, 0, 1):
        try:
            out.append(day + timedelta(days=delta))
        except OverflowError:
            pass
    return out


def _day(d: DateMention) -> tuple[date, str]:
    return d.day, d.precision


def _fold_claims(frames: list[Frame]) -> list[Frame]:
    """A frame whose only tolls are a party's claims, next to a reported attack in the same
    region within a day, is that attack's contested figure ("the army said it killed 30"
    the day after a clash), not a second event.

    The host is the first such frame (same region, dates a day apart at most), found through `_First` by region and day:
    a host keeps its region and day, and stops being one only if claims alone make its
    tolls (for good: only claims are folded in)."""
    out: list[Frame] = []
    killed: list[tuple[int, int]] = []  # per frame of `out`: killed mentions, and those that are claims
    hosts = _First()

    def is_host(i: int) -> bool:
        total, claims = killed[i]
        return not (total and total == claims)

    for frame in frames:
        host = None
        if _only_claims(frame) and frame.place is not None:
            region = (frame.place.country, frame.place.admin1)
            if frame.date is None:
                host = hosts.first((region, "any"), is_host)
            else:
                host = _first([hosts.first((region, day), is_host) for day in (None, *_around(frame.date.day))])
        mentions = [m for m in frame.mentions if m.kind == "killed"]
        counts = (len(mentions), sum(m.scope == "claim" for m in mentions))
        if host is None:
            out.append(frame)
            killed.append(counts)
            if frame.place is not None and is_host(len(out) - 1):
                region = (frame.place.country, frame.place.admin1)
                hosts.push((region, "any"), len(out) - 1)
                hosts.push((region, frame.date.day if frame.date else None), len(out) - 1)
            continue
        killed[host] = (killed[host][0] + counts[0], killed[host][1] + counts[1])
        target = out[host]
        target.mentions.extend(frame.mentions)
        target.actors.extend(a for a in frame.actors if a not in target.actors)
        target.sentences.extend(frame.sentences)
    return out


#: Two places this close name one attack (a village and "nearby" town, a site and its commune).
NEAR_KM = 30.0
#: Dates read from weekday words against a publication date are uncertain by a day or two.
_DAY_SLACK = 2
_CAPITAL_NAMES = frozenset({"bamako", "ouagadougou", "niamey", "n'djamena", "ndjamena", "nouakchott"})


_CAPITAL_WORDS = r"(?:Niamey|Bamako|Ouagadougou|N['\u2019]Djamena|Ndjamena|Nouakchott)"
#: A capital named as where the news was given: "speaking in Niamey", "told reporters in
#: Bamako", "In Ouagadougou, the government said ...".
_SPOKEN_FROM_CAPITAL = re.compile(
    r"\b(?:speaking|spoke|told\s+(?:\w+\s+){0,3}?|said|says|addressing|announced|briefing|conference|statement"
    rf"|television|radio|broadcast)\s+(?:\w+\s+){{0,3}}?(?:in|from)\s+(?:the\s+capital\s+)?{_CAPITAL_WORDS}\b"
    rf"|^(?:In|From)\s+(?:the\s+capital\s*,?\s+)?{_CAPITAL_WORDS}\s*,[^.;]{{0,80}}?"
    r"\b(?:said|says|told|announced|declared|confirmed|reported)\b",
    re.I,
)


def _capital(place: Place) -> bool:
    """A national capital: where governments and armies speak from, weak evidence of where
    an attack was when the article's lead puts it elsewhere."""
    return place.level == "place" and place.name.lower().replace("\u2019", "'") in _CAPITAL_NAMES


def _cued(place: Place) -> bool:
    """A region named by cues alone (an armed group's or a community's home), not by a name."""
    return place.level == "admin1" and place.geonameid is None


def near(a: Place, b: Place) -> bool:
    """Whether two places can name one attack: the same place, or within `NEAR_KM`."""
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    if a.name == b.name and a.country == b.country:
        return True
    km = distance_km(a.geonameid, b.geonameid)
    return km is not None and km <= NEAR_KM


def _days_apart(a: DateMention, b: DateMention) -> int | None:
    """Days between two day-precise dates (None when either is coarser)."""
    if a.precision != "day" or b.precision != "day":
        return None
    return abs((a.day - b.day).days)


def _recalled(d: DateMention, published: date) -> bool:
    return interval(d.day, d.precision)[1] < published - _BACKGROUND_AFTER


def _fits_main(
    main: Frame, facts: SentenceFacts, place: Place | None, day: DateMention | None, published: date
) -> bool:
    """Whether a sentence reports the article's main attack (the one its first violent
    sentence, the headline or lead, reports): nothing in it anchors another one. Another
    country, a place in another region far from the main place (a national capital named
    as where officials speak is no such anchor), a date more than a couple of days away
    or one recalled weeks before the article, or words like "separately" do."""
    if facts.new_event is not False and _SEPARATE.search(facts.text):
        return False
    if facts.new_event is not False and _NEW_EVENT.search(facts.text) and _ATTACKED.search(facts.text):
        return False  # "gunmen also attacked a camp nearby, killing three": a further attack, its own toll
    if place is not None and _cued(place):
        place = None  # an armed group's home region anchors no attack of its own
    if place is not None:
        if main.country and place.country != main.country:
            return False
        if main.place is not None and main.place.level != "country" and place.admin1 != main.place.admin1:
            if not (_capital(place) or near(place, main.place)):
                return False
    elif facts.countries and main.country and main.country not in facts.countries:
        return False
    if day is not None:
        if main.date is None:
            return True  # the lead gave no date: the body dates the main attack
        apart = _days_apart(day, main.date)
        if apart is not None:
            return apart <= _DAY_SLACK
        lo, hi = interval(day.day, day.precision)
        mlo, mhi = interval(main.date.day, main.date.precision)
        return lo <= mhi and mlo <= hi and _recalled(day, published) == _recalled(main.date, published)
    return True


def _echo(frame: Frame, main: Frame, published: date) -> bool:
    """A frame beside the main attack with no figure that is no attack of its own: without a
    place of its own, recalled, at the main attack's site (the same place, or one within
    `NEAR_KM`: the article coming back to it), or undated in the main attack's region."""
    if frame.mentions:
        return False
    if frame.place is None or frame.place.level == "country":
        return True
    if frame.date is not None and _recalled(frame.date, published):
        return True
    if main.place is None:
        return frame.date is None
    if near(frame.place, main.place):
        return True
    return frame.date is None and (frame.place.country, frame.place.admin1) == (main.place.country, main.place.admin1)


def _place_key(frame: Frame) -> tuple[str, str, str | None] | None:
    return (frame.place.name, frame.place.country, frame.place.admin1) if frame.place is not None else None


def build_candidates(
    facts: list[SentenceFacts],
    published: date,
    context: Counter[str],
    limit: int | None = None,
    places: list[Place] | None = None,
) -> list[EventCandidate]:
    """The article's event candidates, in order of first mention (the first `limit`).

    A sentence that fits no current frame joins the first earlier frame of its place
    that is compatible: found through `_First` by place and day (a frame's place only
    gets finer and its day is set once; an index is pushed again whenever they change).

    `places`: the places of every sentence of the article, in order, when `facts` are only
    those of the sentences that may be relevant (a sentence that is not makes no frame;
    its places still tell the article's regions).
    """
    frames: list[Frame] = []
    by_place = _First()
    current: Frame | None = None
    current_index = -1
    main: Frame | None = None  # the attack of the article's first violent sentence
    default_country = context.most_common(1)[0][0] if context else None
    elsewhere: set[str] = set()  # sentences about other attacks: their places are not the article's region
    for f in facts:
        if not _relevant(f):
            if _about_another(f):
                elsewhere.add(f.text)
            continue
        # An armed group's home region in a country the sentence does not name, where it
        # names one ("92 Chadian soldiers ... Boko Haram", at home in Niger), is not its place.
        own = [p for p in f.places if not (f.countries and p.country not in f.countries and _cued(p))]
        if any(_capital(p) for p in own) and _SPOKEN_FROM_CAPITAL.search(f.text):
            own = [p for p in own if not _capital(p)]  # "speaking in Niamey, the minister said 100 died"
        place = _specific(_between(own, f.text))
        day = f.dates[0] if f.dates else None
        country = place.country if place else (f.countries[0] if f.countries else None)
        target = None
        index = -1
        new_event = _NEW_EVENT.search(f.text) is not None if f.new_event is None else f.new_event
        if place is None and current is not None and current is not main and _THIS_PLACE.search(f.text):
            target, index = current, current_index  # "... in this area": the place just named
        elif main is not None and _fits_main(main, f, place, day, published):
            target, index = main, 0
        elif current is not None and current is not main and not new_event and current.compatible(place, day, country):
            target, index = current, current_index
        elif place is not None and not new_event:
            key = (place.name, place.country, place.admin1)

            def undated(i: int, key: tuple[str, str, str | None] = key) -> bool:
                return _place_key(frames[i]) == key and frames[i].date is None

            def on(i: int, key: tuple[str, str, str | None] = key, day: DateMention | None = day) -> bool:
                d = frames[i].date
                return _place_key(frames[i]) == key and d is not None and day is not None and _day(d) == _day(day)

            def placed(i: int, key: tuple[str, str, str | None] = key) -> bool:
                return _place_key(frames[i]) == key

            if day is None:
                found = by_place.first((key, "any"), placed)
            else:
                found = _first([by_place.first((key, None), undated), by_place.first((key, _day(day)), on)])
            if found is not None:
                target, index = frames[found], found
        main_opened = target is not None  # the sentence joins a frame another one opened
        if target is None:
            target, index = Frame(country=country or default_country), len(frames)
            frames.append(target)
            main = main or target
        before = (_place_key(target), target.date)
        weak = target is main and index == 0 and place is not None and (_capital(place) or _cued(place))
        target.absorb(f, None if weak and main_opened else place, day)
        key_after = _place_key(target)
        if key_after is not None and before != (key_after, target.date):
            by_place.push((key_after, "any"), index)
            by_place.push((key_after, _day(target.date) if target.date else None), index)
        if target is not main:
            elsewhere.add(f.text)
        current, current_index = target, index
    frames = _fold_claims(frames)
    every = [p for f in facts for p in f.places] if places is None else places
    regions = _regions_of([p for p in every if p.span.sentence not in elsewhere])
    out: list[EventCandidate] = []
    for frame in frames:
        if limit is not None and len(out) >= limit:
            break
        if frame is main and frame.place is None and frame.country in regions:
            frame.place = regions[frame.country]  # the article's only region in that country
        if frame is not main and main is not None and _echo(frame, main, published):
            continue
        candidate = _candidate(len(out), frame, published, aside=frame is not main)
        if candidate is not None:
            out.append(candidate)
    return out
