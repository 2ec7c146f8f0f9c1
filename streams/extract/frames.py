"""Event candidates within one article: sentences about the same attack become one frame.

A sentence opens or extends a frame when it reports violence (a trigger word or a
casualty figure). It joins the current frame, or an earlier one of the article, when
its place and date are compatible; "also", "another" and "separate" open a new one.
A frame with no figure needs a place below the country to be an event; cumulative
and hypothetical sentences never make or feed a frame.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from schemas import CasualtyMention, DateMention, EventCandidate, Place
from schemas.entities import CasualtyKind
from streams.extract.dates import interval
from streams.extract.numbers import VAGUE

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
        if place is not None and (self.place is None or _finer(place, self.place)):
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
    ranked = [p for p in places if p.level != "country"]
    return max(ranked, key=lambda p: _LEVEL_RANK[p.level], default=None) if ranked else None


def _relevant(facts: SentenceFacts) -> bool:
    if facts.cumulative:
        return False
    if any(m.scope in ("event", "claim", "negated") for m in facts.casualties):
        return True
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
    chosen = [m for m in mentions if m.kind == kind and m.scope in ("event", "negated")]
    if any(m.qualifier == "coded" for m in chosen):
        chosen = [m for m in chosen if m.qualifier not in VAGUE]
    per_sentence: dict[str, dict[str | None, int]] = {}
    extra = 0
    for m in chosen:
        value = int(getattr(m, field_name))
        if m.additional:
            extra += value
            continue
        groups = per_sentence.setdefault(m.span.sentence, {})
        groups[m.victims] = groups.get(m.victims, 0) + value
    per_group: dict[str, int] = {}
    largest = 0
    for groups in per_sentence.values():
        largest = max(largest, sum(groups.values()))
        for victims, value in groups.items():
            if victims not in _GENERIC and victims is not None:
                per_group[victims] = max(per_group.get(victims, 0), value)
    return max(largest, sum(per_group.values())) + extra


#: A toll revised by the article itself: it supersedes the figures published before it.
_REVISION = re.compile(
    r"\b(?:toll|number of (?:dead|deaths|victims|people killed))\b[^.;]{0,120}?"
    r"\b(?:rose|risen|rises|climbed|increased|jumped|revised|now stands|stood|has reached|reached)\b"
    r"|\brevised\s+(?:up|down|upwards|downwards)?\b[^.;]{0,30}\btoll\b"
    r"|\b(?:updated|new|latest|revised) (?:death )?toll\b",
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
#: A dated event that ended this long before the article is recalled, not reported.
_BACKGROUND_AFTER = timedelta(days=14)

_GENERIC = (None, "people", "persons", "individuals", "others", "victims", "bodies")


def _candidate(index: int, frame: Frame, published: date) -> EventCandidate | None:
    claims = [m for m in frame.mentions if m.scope == "claim" and m.kind == "killed"]
    figures = {f: combine(frame.mentions, "killed", f) for f in ("low", "best", "high")}
    has_figure = any(m.scope in ("event", "claim") for m in frame.mentions)
    if not has_figure and (frame.country is None or frame.place is None or frame.place.level == "country"):
        return None
    place = frame.place
    lone_claim = bool(claims) and not any(m.scope == "event" and m.kind == "killed" for m in frame.mentions)
    if lone_claim:  # the only figure is a party's claim: it is the best we have, flagged, never `low`
        as_reported = [m.model_copy(update={"scope": "event"}) for m in claims]
        figures = {"low": 0, "best": combine(as_reported, "killed", "best"), "high": figures["high"]}
    text = " ".join(frame.sentences)
    day = frame.date.day if frame.date else published
    precision = frame.date.precision if frame.date else "week"
    recalled = frame.date is not None and interval(day, precision)[1] < published - _BACKGROUND_AFTER
    return EventCandidate(
        index=index,
        country=frame.country or NO_COUNTRY,
        admin1=place.admin1 if place else None,
        admin2=place.admin2 if place else None,
        place=place.name if place else None,
        geonameid=place.geonameid if place else None,
        day=day,
        precision=precision,
        dated=frame.date is not None,
        actors=frame.actors,
        killed_low=figures["low"],
        killed_best=figures["best"],
        killed_high=max([figures["high"], figures["best"], *(m.high for m in claims)]),
        wounded=combine(frame.mentions, "wounded", "best"),
        kidnapped=combine(frame.mentions, "kidnapped", "best"),
        claim=lone_claim,
        toll_given=any(m.kind == "killed" for m in frame.mentions),
        revision=_REVISION.search(text) is not None,
        background=recalled,
        modes=sorted({m.lastgroup for m in _MODES.finditer(text) if m.lastgroup}),
        sentences=frame.sentences,
        evidence=list(dict.fromkeys(m.span.sentence for m in frame.mentions)),
    )


def _regions(facts: list[SentenceFacts]) -> dict[str, Place]:
    """Per country, the article's place when every place it names there lies in one admin1."""
    seen: dict[str, list[Place]] = {}
    for f in facts:
        for p in f.places:
            if p.level != "country" and p.admin1:
                seen.setdefault(p.country, []).append(p)
    out = {}
    for country, places in seen.items():
        if len({p.admin1 for p in places}) == 1:
            out[country] = max(places, key=lambda p: _LEVEL_RANK[p.level])
    return out


def _only_claims(frame: Frame) -> bool:
    killed = [m for m in frame.mentions if m.kind == "killed"]
    return bool(killed) and all(m.scope == "claim" for m in killed)


def _fold_claims(frames: list[Frame]) -> list[Frame]:
    """A frame whose only tolls are a party's claims, next to a reported attack in the same
    region within a day, is that attack's contested figure ("the army said it killed 30"
    the day after a clash), not a second event."""
    out: list[Frame] = []
    for frame in frames:
        host = next((o for o in out if not _only_claims(o) and _near(o, frame)), None) if _only_claims(frame) else None
        if host is None:
            out.append(frame)
            continue
        host.mentions.extend(frame.mentions)
        host.actors.extend(a for a in frame.actors if a not in host.actors)
        host.sentences.extend(frame.sentences)
    return out


def _near(a: Frame, b: Frame) -> bool:
    if a.place is None or b.place is None or (a.place.country, a.place.admin1) != (b.place.country, b.place.admin1):
        return False
    return a.date is None or b.date is None or abs((a.date.day - b.date.day).days) <= 1


def build_candidates(facts: list[SentenceFacts], published: date, context: Counter[str]) -> list[EventCandidate]:
    """The article's event candidates, in order of first mention."""
    frames: list[Frame] = []
    current: Frame | None = None
    default_country = context.most_common(1)[0][0] if context else None
    for f in facts:
        if not _relevant(f):
            continue
        place = _specific(f.places)
        day = f.dates[0] if f.dates else None
        country = place.country if place else (f.countries[0] if f.countries else None)
        target = None
        if current is not None and not _NEW_EVENT.search(f.text) and current.compatible(place, day, country):
            target = current
        elif place is not None and not _NEW_EVENT.search(f.text):
            target = next((fr for fr in frames if fr.place is not None and fr.compatible(place, day, country)
                           and fr.place.name == place.name), None)  # fmt: skip
        if target is None:
            target = Frame(country=country or default_country)
            frames.append(target)
        target.absorb(f, place, day)
        current = target
    frames = _fold_claims(frames)
    regions = _regions(facts)
    out: list[EventCandidate] = []
    for frame in frames:
        if frame.place is None and frame.country in regions:
            frame.place = regions[frame.country]  # the article's only region in that country
        candidate = _candidate(len(out), frame, published)
        if candidate is not None:
            out.append(candidate)
    return out
