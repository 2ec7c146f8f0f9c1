"""Places: country mentions, gazetteer matches, and disambiguation by context.

A name is resolved by scoring its candidates: feature type and population, the countries
the article names or implies, and the admin1 and admin2 units it names or implies.
Namesakes add up by region (conflict regions weigh double); a region needs half of the
weight, else the place falls back to the level that is certain (its country). Regional
armed groups and communities (data/region_cues.tsv) name a region when no place does.

The pipeline watches the Sahel: places in the focus countries (`FOCUS`) are always
candidates, places in neighbouring countries only when the article names that country.
Names inside actor names ("Katiba Macina", "FAMa") are not places.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from schemas import Place, Span
from streams.extract.actors import actor_spans
from streams.extract.gazetteer import FOCUS, Entry, capital_view, data_lines, load_gazetteer
from streams.extract.models import construct
from streams.extract.scan import Anchored, Scanned
from streams.extract.text import Sentence, fold

__all__ = ["CountryMention", "FOCUS", "find_countries", "find_places", "country_patterns"]

_COUNTRY_BONUS = 3.0
_ADMIN1_BONUS = 3.0
_ADMIN2_BONUS = 1.5
_FOREIGN_PENALTY = 4.0
# Resolving a name: a region needs half the weight of the name's plausible entries; an
# entry's weight falls by e^-2 per point of score below the best entry's.
_SHARE = 0.5
_SHARPNESS = 2.0
_CONFLICT_PRIOR = 2.0
#: Admin1 units where most of the focus countries' armed conflict takes place (ACLED's and
#: the UN's public overviews of the central Sahel, the Lake Chad basin and northern Mali): a
#: village name shared by several regions is more likely the one in a conflict zone.
CONFLICT_REGIONS = frozenset(
    [("ML", a) for a in ("Mopti", "Ségou", "Gao", "Ménaka", "Tombouctou", "Kidal")]
    + [("BF", a) for a in ("Sahel", "Nord", "Centre-Nord", "Est", "Boucle du Mouhoun")]
    + [("NE", a) for a in ("Tillabéri", "Tahoua", "Diffa")]
    + [("TD", "Lac")]
)
_LOCATIVE = re.compile(r"\b(in|near|at|of|from|on|around|outside|between|to|towards)\s+$")
# A country named as the far side of a border or the origin of someone is weak context.
_WEAK_BEFORE = re.compile(
    r"\b(?:from|into|toward|towards|neighbo(?:u)?ring|across|bordering|border with|borders? of|crossed"
    r"|(?:retreated|fled|withdrew|escaped|returned|headed|went)(?:\s+back)?\s+to)"
    r"\s+(?:the\s+)?(?:neighbo(?:u)?ring\s+)?$",
    re.I,
)
_WEAK_AFTER = re.compile(
    r"(?:'s)?\s*-?\s*(?:border|borders|frontier)\b"
    # People and bodies abroad: "Chadian UN peacekeepers" in Mali, "Malian refugees" in Mauritania.
    r"|\s+(?:(?:UN|U\.N\.|MINUSMA)\s+)?(?:peacekeep\w*|blue\s+helmets|contingent|refugees?|nationals?|embassy"
    r"|ambassador|counterpart|truck\s+drivers?|construction\s+company|migrants?|expatriates?|diaspora)\b",
    re.I,
)
# "Niger" in a river's or a lake's name is no country mention.
_NOT_COUNTRY_AFTER = re.compile(r"\s+(?:[Rr]iver|[Dd]elta|[Bb]asin|[Bb]end|[Ll]ake)\b")
_NOT_COUNTRY_BEFORE = re.compile(r"\b(?:[Ll]ake|[Rr]iver|Inner)\s+$")
# "the capital", "the Malian capital", "the capital city": the national capital, unless
# a regional one ("the regional capital", "the capital of the Mopti region").
_CAPITAL = re.compile(r"\b[Tt]he\s+(?:(?P<demonym>[A-Z]\w+)\s+)?capital(?:\s+city)?\b(?P<of>\s+of\s+(?:the\s+)?)?")
_IN_BRACKETS = re.compile(r"\([^()]*$")
#: A dateline: the town a report was filed from, opening the sentence ("NIAMEY, Niger (AP) -",
#: "Bamako, Jan 9 (Reuters) -", "OUAGADOUGOU -"). It tells the country, not where the attack was.
_DATELINE_AFTER = re.compile(
    r"(?:,\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})?"  # ", Burkina Faso"
    r"(?:,?\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?)(?:,?\s+\d{4})?)?"  # ", Jan. 9"
    r"\s*(?:\((?:[A-Z][\w.]*(?:[ /-][A-Z][\w.]*){0,3}|[A-Z]{2,}[\w.]*)\)\s*)?"  # "(Reuters)", "(AFP)"
    r"[-–—]"
)
#: A dateline with a news agency: wherever it stands ("URGENT ... Ouagadougou, Aug 19, 2019 (AFP) -").
_DATELINE_AGENCY = re.compile(
    r"(?:,\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})?"
    r"(?:,?\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?)(?:,?\s+\d{4})?)?"
    r"\s*\((?:AFP|Reuters|AP|Xinhua|Anadolu|APA|AIP|ANP|ANI|dpa|UPI|PTI|IANS|Sputnik|TASS|EFE|Bloomberg|MAP)\)\s*[-–—]"
)
_STAMP_END = re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d(?:[T ][\d:.]+Z?)?\s*$")  # a page's timestamp just before
_DATELINE_CAPS = re.compile(r"[A-Z][A-Z'’ -]+(?:\s*[,:]|\s*[-–—(])")
_CAPITALS = {"ML": "bamako", "BF": "ouagadougou", "NE": "niamey", "TD": "n djamena", "MR": "nouakchott"}
_CAPITAL_NAMES = frozenset({"bamako", "ouagadougou", "niamey", "n'djamena", "n\u2019djamena", "ndjamena", "nouakchott"})


@dataclass(frozen=True, slots=True)
class CountryMention:
    country: str
    start: int
    end: int
    weak: bool = False  # named as a border's far side or an origin ("from Mali")


@lru_cache(maxsize=1)
def country_patterns() -> tuple[re.Pattern[str], dict[str, str]]:
    """One case-sensitive pattern over every country's names, demonyms and cues, and
    the country of each name.

    Cues (data/country_cues.tsv) are names that imply one country: its leaders,
    national parties and institutions.
    """
    codes: dict[str, str] = {}
    for source in ("countries.tsv", "country_cues.tsv"):
        for line in data_lines(source):
            code, alts = line.rstrip("\n").split("\t")
            codes.update((a.replace("\u2019", "'"), code) for a in alts.split(",") if a)
    ordered = sorted(codes, key=len, reverse=True)
    body = "|".join(re.escape(n).replace("'", "['\u2019]") for n in ordered)
    # A name may carry a possessive "s" whose apostrophe was lost ("Tandjas term").
    return re.compile(rf"(?<![\w-])(?P<name>{body})s?(?![\w-])"), codes


@lru_cache(maxsize=1)
def _community_patterns() -> tuple[re.Pattern[str], dict[str, str]]:
    """One case-sensitive pattern over community names (data/community_cues.tsv)."""
    codes: dict[str, str] = {}
    for line in data_lines("community_cues.tsv"):
        code, alts = line.rstrip("\n").split("\t")
        codes.update((a, code) for a in alts.split(",") if a)
    body = "|".join(re.escape(n) for n in sorted(codes, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])"), codes


@lru_cache(maxsize=1)
def _region_patterns() -> tuple[re.Pattern[str], dict[str, list[tuple[str, str]]]]:
    """One case-sensitive pattern over region cues (data/region_cues.tsv), and the
    (country, admin1) units each cue names."""
    units: dict[str, list[tuple[str, str]]] = {}
    for line in data_lines("region_cues.tsv"):
        code, admin1, alts = line.rstrip("\n").split("\t")
        for alt in (a for a in alts.split(",") if a):
            units.setdefault(alt, []).append((code, admin1))
    body = "|".join(re.escape(n) for n in sorted(units, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])"), units


# The patterns scanned over an article, each tried only where a match can start
# (`scan.Anchored`: same matches).
COUNTRY_SCAN = Anchored(country_patterns()[0])
COMMUNITY_SCAN = Anchored(_community_patterns()[0])
REGION_SCAN = Anchored(_region_patterns()[0])
CAPITAL_SCAN = Anchored(_CAPITAL)


def region_cues(text: str, scanned: Scanned | None = None) -> dict[str, dict[str, tuple[int, int]]]:
    """Per country, the admin1 units that regional armed groups and communities named in
    `text` imply ("Dan Na Ambassagou": Mopti), each with the span of its first cue.
    `scanned`: the text as a `Scanner` scanned it, if it was."""
    _, units = _region_patterns()
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for m in (scanned or Scanned(text)).finditer(REGION_SCAN):
        for country, admin1 in units[m.group(0)]:
            out.setdefault(country, {}).setdefault(admin1, m.span())
    return out


def community_hints(text: str, scanned: Scanned | None = None) -> Counter[str]:
    """The country most of the communities named in `text` live in (none on a tie).

    "Dogon" or "Mossi" say little when a place is named, but in a note that names none
    they are the best guess of its country.
    """
    _, codes = _community_patterns()
    votes = Counter(codes[m.group(0)] for m in (scanned or Scanned(text)).finditer(COMMUNITY_SCAN))
    top = votes.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return Counter()
    return Counter({top[0][0]: 1})


def find_countries(text: str, scanned: Scanned | None = None) -> list[CountryMention]:
    """Every country name, demonym or cue in `text`, in order; river names left out.
    `scanned`: the text as a `Scanner` scanned it, if it was."""
    _, codes = country_patterns()
    found = []
    for m in (scanned or Scanned(text)).finditer(COUNTRY_SCAN):
        start, end = m.span("name")
        if _NOT_COUNTRY_AFTER.match(text, end) or _NOT_COUNTRY_BEFORE.search(text, max(0, start - 8), start):
            continue
        weak = bool(_WEAK_AFTER.match(text, end) or _WEAK_BEFORE.search(text, max(0, start - 30), start))
        found.append(CountryMention(codes[m.group("name").replace("\u2019", "'")], start, end, weak))
    return found


class _Spans:
    """Spans (possibly overlapping) that answer "does any overlap [start, end)?" by
    bisection: sorted by start, with the running maximum of their ends (testing every
    span for every match was quadratic in the number of names)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._ends: list[int] = []  # the largest end among the first i + 1 spans
        for _, e in ordered:
            self._ends.append(max(e, self._ends[-1]) if self._ends else e)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a span (s, e) has s < end and start < e."""
        i = bisect_left(self._starts, end)  # the spans starting before `end`
        return i > 0 and self._ends[i - 1] > start


def _matches(text: str, folded: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Leftmost-longest gazetteer matches on word boundaries that start with a capital."""
    gaz = load_gazetteer()
    raw: list[tuple[int, int, str]] = []
    view = capital_view(text, folded) if folded.isascii() else None
    if view is not None:  # only the names that start a capitalised word: `Gazetteer.capital_automaton`
        size = len(folded)
        for last, keys in gaz.capital_automaton().iter(view):
            if last < size and folded[last].isalnum():
                continue  # the name ends inside a word
            for key in keys:
                start = last - len(key)  # `last` counts the mark before the view
                if not text[start].isupper() or folded[start:last] != key:  # "n.djamena" shows as "n djamena"
                    continue
                raw.append((start, last, key))
    else:
        for end, key in gaz.automaton.iter(folded):
            start = end - len(key) + 1
            if start > 0 and folded[start - 1].isalnum():
                continue
            if end + 1 < len(folded) and folded[end + 1].isalnum():
                continue
            if not text[start].isupper():
                continue
            raw.append((start, end + 1, key))
    raw.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    spans = _Spans(taken)
    out: list[tuple[int, int, str]] = []
    last_end = -1
    for start, end, key in raw:
        if start < last_end or spans.overlaps(start, end):
            continue
        out.append((start, end, key))
        last_end = end
    return out


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
# A capitalised word of six letters or more after "in", "near", "of"...: a place name.
_LOCATIVE_WORD = re.compile(
    r"\b(?:in|near|at|of|from|on|around|outside|between|to|towards)\s+([A-Z][a-z\u00e0-\u00ff]{5,})(?![\w-])"
)
_FUZZY_MIN = 6
LOCATIVE_WORD_SCAN = Anchored(_LOCATIVE_WORD)
#: What `find_places` scans an article for.
PLACE_SCANS = (COUNTRY_SCAN, COMMUNITY_SCAN, REGION_SCAN, LOCATIVE_WORD_SCAN, CAPITAL_SCAN)


def _edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion from `word`,
    keeping its first letter (misspellings of a name rarely start it wrong)."""
    head, tail = word[0], word[1:]
    splits = [(tail[:i], tail[i:]) for i in range(len(tail) + 1)]
    out = {head + a + b[1:] for a, b in splits if b}
    out |= {head + a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {head + a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    out |= {head + a + c + b for a, b in splits for c in _ALPHABET}
    out.discard(word)
    return out


@lru_cache(maxsize=1)
def _longest_key() -> int:
    return max(len(key) for key in load_gazetteer().by_key)


@lru_cache(maxsize=4096)
def _fuzzy_key(word: str) -> str | None:
    """The one gazetteer name of a focus country one edit away from `word` (folded), if
    exactly one is: "Noukchott" is Nouakchott. Names shorter than six letters are left out.

    A word longer than every name but one letter is none of them, and is not edited:
    `_edits1` makes about 54 strings per letter, each as long as the word (a word of 3,000
    letters took 5 s and half a gigabyte; one of 200,000 would exhaust memory)."""
    if len(word) > _longest_key() + 1:
        return None
    gaz = load_gazetteer()
    found = [
        key
        for key in gaz.by_key.keys() & _edits1(word)
        if len(key) >= _FUZZY_MIN and any(gaz.entries[i].country in FOCUS for i in gaz.by_key[key])
    ]
    return found[0] if len(found) == 1 else None


def _fuzzy_matches(
    text: str, folded: str, taken: list[tuple[int, int]], matches: list[tuple[int, int, str]], scanned: Scanned
) -> list[tuple[int, int, str]]:
    """Misspelt names: capitalised words after "in", "near", "of"... that match no name
    exactly but are one edit from a single name of a focus country."""
    gaz = load_gazetteer()
    spans = _Spans(taken + [(s, e) for s, e, _ in matches])
    out = []
    for m in scanned.finditer(LOCATIVE_WORD_SCAN):
        start, end = m.span(1)
        word = folded[start:end]
        if word in gaz.by_key or not word.isalpha() or spans.overlaps(start, end):
            continue
        key = _fuzzy_key(word)
        if key is not None:
            out.append((start, end, key))
    return out


@dataclass(slots=True)
class _Context:
    """What the article says about where it is: countries and admin units."""

    countries: Counter[str]  # named (not weakly), hinted by actors, or implied by names
    weak: set[str]  # named only as a border's far side or an origin
    admin1s: set[tuple[str, str]]
    admin2s: set[tuple[str, str]]
    # countries whose admin units the article gives as a place's context: "(Koro, Mopti)"
    regions_named: set[str] = field(default_factory=set)


@cache  # at most one entry per gazetteer name
def _entries(key: str) -> tuple[tuple[Entry, float], ...]:
    """The entries of a gazetteer name, each with the part of its score that no text
    changes (`_prior`): a fact of the gazetteer, computed once."""
    gaz = load_gazetteer()
    return tuple((entry, _prior(entry)) for entry in (gaz.entries[i] for i in gaz.by_key[key]))


def _prior(entry: Entry) -> float:
    """An entry's score before context: its feature weight and population."""
    return entry.weight + math.log10(entry.population + 1) / 2


def _score(entry: Entry, ctx: _Context, prior: float) -> float:
    """`prior` (the entry's `_prior`) with the bonuses and penalty of the context."""
    score = prior
    if ctx.countries:
        score += _COUNTRY_BONUS if entry.country in ctx.countries else -_FOREIGN_PENALTY
    if entry.admin1 and (entry.country, entry.admin1) in ctx.admin1s:
        score += _ADMIN1_BONUS
    if entry.admin2 and entry.level != "admin2" and (entry.country, entry.admin2) in ctx.admin2s:
        score += _ADMIN2_BONUS
    return score


def _plausible(entry: Entry, ctx: _Context, locative: bool) -> bool:
    """Small places count only with their country in context, or after 'in', 'near'...

    Places outside the focus countries count only when the article names their country.
    A small place outside every region the article names in its country is a namesake of
    the one meant ("Guimbala, near Youwarou (Youwarou, Mopti)" is no village of Koulikoro).
    """
    countries = ctx.countries
    if entry.country not in FOCUS and entry.country not in countries and entry.country not in ctx.weak:
        return entry.level == "admin1"  # a neighbour's state or region ("Benue", "Borno") names its country
    if entry.weight >= 3.0 or entry.population >= 5000:
        return not countries or entry.country in countries or entry.weight >= 4.0
    if entry.country in ctx.regions_named and (entry.country, entry.admin1) not in ctx.admin1s:
        return False
    return entry.country in countries or (not countries and locative)


def _resolve(cands: Sequence[tuple[Entry, float]], ctx: _Context, locative: bool) -> Entry | str | None:
    """The best entry, a country code when only the country is certain, or None.

    Every plausible entry lends its region a weight that falls off with its score's
    distance from the best; namesakes in one region add up, and the regions where the
    Sahel's conflicts are fought (`CONFLICT_REGIONS`) weigh double. The heaviest region
    wins when it holds at least half of the weight; else its country, when that country
    holds half; else nothing.
    """
    scored = [(_score(e, ctx, prior), e) for e, prior in cands if _plausible(e, ctx, locative)]
    if not scored:
        return None
    top = max(score for score, _ in scored)
    regions: dict[tuple[str, str | None], float] = {}
    countries: dict[str, float] = {}
    best: dict[tuple[str, str | None], tuple[float, Entry]] = {}
    for score, entry in scored:
        key = (entry.country, entry.admin1)
        weight = math.exp((score - top) * _SHARPNESS) * (_CONFLICT_PRIOR if key in CONFLICT_REGIONS else 1.0)
        regions[key] = regions.get(key, 0.0) + weight
        countries[entry.country] = countries.get(entry.country, 0.0) + weight
        if key not in best or score > best[key][0]:
            best[key] = (score, entry)
    total = sum(regions.values())
    heaviest = max(regions, key=lambda k: regions[k])
    if regions[heaviest] >= _SHARE * total:
        return best[heaviest][1]
    if countries[heaviest[0]] >= _SHARE * total:
        return heaviest[0]
    return None


# Places are built without validation: every field comes from the gazetteer or the text.
_new_span = construct(Span)
_new_place = construct(Place)


#: Capitalised words before a name that do not make it part of a person's name.
_NOT_GIVEN = frozenset(
    "in at near from the of on to and but by for with into outside around between toward towards across "
    "northern southern eastern western central north south east west upper lower greater new old "
    "lake mount river province region commune village town city cercle department district camp base "
    "circle prefecture municipality rural urban sector zone area locality hamlet "
    "monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november december "
    "when while as after before since during if although though where "
    "fulani peul peulh dogon mossi tuareg touareg arab songhai bambara malian burkinabe nigerien chadian "
    "military army gendarmerie police mine gold market school mosque church border road highway route national "
    "greater grand petit".split()
)
_PERSON_AFTER = re.compile(
    r"(?:\s+[A-Z][a-z\u00e0-\u00ff'\u2019-]+){0,3}"  # the rest of the name: "Tidjani Ibrahim Katiella, governor"
    r"\s*(?:,\s*(?:the\s+)?(?:mayor|governor|prefect|chief|head|minister|spokes\w+|president|director|leader"
    r"|deputy|official|resident|witness|survivor)\b|\s+(?:said|says|told|added|explained|stated|confirmed"
    r"|noted|insisted|recalled|declared|tweeted|wrote)\b)"
)


#: A place naming an earlier attack ("after the Solhan massacre"): that attack's, not this one's.
_REFERENCE_BEFORE = re.compile(r"\b(?:after|since|following|like|than|surpassing|recalling|recalls?)\s+the\s+$", re.I)
_REFERENCE_AFTER = re.compile(r"\s+(?:massacres?|attacks?|ambush(?:es)?|raids?|killings|bombings?|tragedy)\b", re.I)


#: A French article in capitals before a name, inside a sentence: a newspaper's or an
#: organisation's title, not a place.
_TITLE_BEFORE = re.compile(r"(?<![\w'\u2019])(?:Le|La|Les|L['\u2019])\s*$")


def _title(text: str, start: int) -> bool:
    """Whether a name at `start` follows a French article in capitals: "Le Monde", "La
    Nouvelle Tribune", a title in either language."""
    return "L" in text[max(0, start - 4) : start] and _TITLE_BEFORE.search(text, max(0, start - 4), start) is not None


_GIVEN_BEFORE = re.compile(r"([A-Z][a-z\u00e0-\u00ff'\u2019-]+)\.?\s$")


def _title_case(sentence: str) -> bool:
    """A headline in title case ("Gunmen Kill 20 In Village"): capitals say nothing there."""
    words = [w for w in sentence.split() if w[:1].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def not_a_place(text: str, start: int, end: int, sentence: Sentence) -> bool:
    """Whether a gazetteer name at `start:end` is used as something else: part of a person's
    name ("Moulaye Guindo", a name followed by "said" or ", the mayor"), an acronym in
    capitals in a sentence that is not ("the monitoring group SITE"), or the name of an
    earlier attack ("after the Solhan massacre, gunmen struck X")."""
    name = text[start:end]
    if _title(text, start):
        return True
    if _REFERENCE_AFTER.match(text, end) and _REFERENCE_BEFORE.search(text[max(0, start - 30) : start]):
        return True
    if name.isupper() and len(name) <= 5 and not sentence.text.isupper():
        return not is_dateline(text, start, end, sentence.start)
    if _PERSON_AFTER.match(text, end):
        return True
    before = text[max(sentence.start, start - 30) : start]
    word = _GIVEN_BEFORE.search(before)  # "Moulaye Guindo", "Gen. Ahmed"
    if word is None or word.group(1).lower() in _NOT_GIVEN or word.group(1).endswith(("'s", "’s")):
        return False
    return not _title_case(sentence.text)


#: Before a name: a distance from it ("120 km north of", "some 60 kilometres (37 miles) from").
_DISTANCE_BEFORE = re.compile(
    r"\b(?P<n>\d[\d,.]*)\s*-?\s*(?P<unit>km|kms|kilometres|kilometers|kilometre|kilometer|miles?)\b"
    r"(?:\s*\([^()]{1,30}\))?\s+(?:(?:to\s+the\s+)?(?:north|south|east|west|northeast|northwest|southeast"
    r"|southwest|north-east|north-west|south-east|south-west)(?:ern)?\s+)?(?:of|from|outside)\s+"
    r"(?:the\s+(?:capital|town|city|village)\s*,?\s*)?$",
    re.I,
)


def _far_reference(text: str, place: Place) -> bool:
    """Whether a place is only where distance is measured from, too far to be the site: a
    national capital 10 km away or more ("120 km north of the capital Niamey"; the capital
    district is smaller than that). Another town keeps its region: a site "140 km from
    Ménaka" is, as a rule, in Ménaka's region (ACLED's notes code it so)."""
    if place.level != "place" or place.name.lower() not in _CAPITAL_NAMES:
        return False
    m = _DISTANCE_BEFORE.search(text, max(0, place.span.start - 70), place.span.start)
    if m is None:
        return False
    try:
        km = float(m.group("n").replace(",", ""))
    except ValueError:
        return False
    if m.group("unit").lower().startswith("mile"):
        km *= 1.609
    return km >= 10


def is_dateline(text: str, start: int, end: int, sentence_start: int) -> bool:
    """Whether the name at `start:end` is a dateline: it opens its sentence (after quotes or
    spaces) and is followed by what follows a dateline (a country or date, an agency in
    brackets, a dash), or is written in capitals and followed by a comma or a dash."""
    if text[start:end].isupper() and len(text[start:end]) > 2 and _DATELINE_CAPS.match(text, start) is not None:
        return True  # "NIAMEY -" wherever the page's clutter left it
    if _DATELINE_AGENCY.match(text, end):
        return True
    prefix = text[sentence_start:start]
    if prefix.strip(" \t\n\"'“‘*#") and not _STAMP_END.search(prefix):
        return False
    return _DATELINE_AFTER.match(text, end) is not None


def _place(entry: Entry | str, text: str, start: int, end: int, sentence: Sentence) -> Place:
    span = _new_span(start=start, end=end, sentence=sentence.text)
    if not isinstance(entry, str) and is_dateline(text, start, end, sentence.start):
        return _new_place(name=text[start:end], country=entry.country, level="country", span=span)
    if isinstance(entry, str):
        return _new_place(name=text[start:end], country=entry, level="country", span=span)
    return _new_place(
        name=entry.name,
        geonameid=entry.geonameid,
        country=entry.country,
        admin1=entry.admin1,
        admin2=entry.admin2 if entry.level != "admin1" else None,
        level=entry.level if entry.level != "place" or entry.admin1 else "country",
        span=span,
    )


class _SentenceAt:
    """The last sentence starting at or before an offset (the first sentence if none does),
    found by bisection rather than a scan of the sentences for every place."""

    def __init__(self, sents: list[Sentence]) -> None:
        self._sents = sents
        self._starts = [s.start for s in sents]

    def __call__(self, pos: int) -> Sentence:
        i = bisect_right(self._starts, pos) - 1
        return self._sents[max(i, 0)]


@cache  # at most one entry per gazetteer name
def _focus_country(key: str) -> tuple[str | None, bool, bool]:
    """Of a gazetteer name: the one focus country all its focus-country entries are in
    (None if none or several; for a name of no focus-country place, the country whose
    admin1 unit it is), whether one of those is an admin unit or a major town,
    whether one is an admin unit. A fact of the gazetteer, not of any text."""
    gaz = load_gazetteer()
    every = [gaz.entries[i] for i in gaz.by_key[key]]
    entries = [e for e in every if e.country in FOCUS]
    if not entries:  # a neighbour's state or region, named in no focus country ("Benue", "Borno")
        units = {e.country for e in every if e.level == "admin1"}
        return (units.pop(), True, True) if len(units) == 1 else (None, False, False)
    if len({e.country for e in entries}) != 1:
        return None, False, False
    strong = any(e.level != "place" or e.weight >= 4.0 for e in entries)
    return entries[0].country, strong, any(e.level != "place" for e in entries)


@cache  # at most one entry per gazetteer name
def _admin_entries(key: str) -> tuple[Entry, ...]:
    """The entries of a gazetteer name that are in an admin1 unit (a fact of the gazetteer)."""
    gaz = load_gazetteer()
    return tuple(e for e in (gaz.entries[i] for i in gaz.by_key[key]) if e.admin1)


def _implied_countries(matches: list[tuple[int, int, str]]) -> tuple[Counter[str], set[str]]:
    """The country of names that can only be in one focus country, and of admin units.

    Notes often name a village, its district and region but never the country; a name
    all of whose focus-country entries share one country votes for it (admin units and
    cities count double). Returns the winning country (none on a tie) and the countries
    of admin1 and admin2 names, which count even when the article names other countries.
    """
    votes: Counter[str] = Counter()
    admins: set[str] = set()
    for _, _, key in matches:
        country, strong, admin = _focus_country(key)
        if country is None:
            continue
        votes[country] += 2 if strong else 1
        if admin:
            admins.add(country)
    top = votes.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return Counter(), admins
    return Counter({top[0][0]: 1}), admins


def _in_brackets(text: str, lo: int, hi: int) -> bool:
    """`_IN_BRACKETS.search(text, lo, hi) is not None`: the last bracket of `text[lo:hi]`
    opens one ("(Koro, Mopti"), found by two `rfind`s instead of a search from every
    character."""
    last = max(text.rfind("(", lo, hi), text.rfind(")", lo, hi))
    return last >= 0 and text[last] == "("


def _context(
    matches: list[tuple[int, int, str]],
    mentions: list[CountryMention],
    extra: Counter[str] | None,
    text: str,
    cues: dict[str, dict[str, tuple[int, int]]],
    scanned: Scanned,
) -> _Context:
    """The article's context; `cues` are its `region_cues`."""
    countries: Counter[str] = Counter(m.country for m in mentions if not m.weak)
    if extra:
        countries.update(extra)
    implied, admins = _implied_countries(matches)
    if not countries:
        countries = implied
    if not countries and not admins:
        countries = community_hints(text, scanned)
    for cc in sorted(admins - set(countries)):  # sorted: ties never depend on the hash seed
        countries[cc] += 1
    weak = {m.country for m in mentions if m.weak}
    # Admin names and strong places give admin context for resolving the other names.
    admin1s: set[tuple[str, str]] = set()
    admin2s: set[tuple[str, str]] = set()
    named: set[str] = set()
    for start, _, key in matches:
        bracketed = _in_brackets(text, max(0, start - 40), start)
        for entry in _admin_entries(key):
            if not entry.admin1 or (countries and entry.country not in countries):
                continue
            if bracketed and entry.level != "place":
                named.add(entry.country)
            if entry.level == "admin1" or entry.weight >= 4.0:
                admin1s.add((entry.country, entry.admin1))
            elif entry.level == "admin2" and entry.admin2:
                admin1s.add((entry.country, entry.admin1))
                admin2s.add((entry.country, entry.admin2))
    for country, found in cues.items():
        if country in countries and len(found) == 1:
            admin1s.add((country, next(iter(found))))
    return _Context(countries, weak, admin1s, admin2s, named)


def _capital(country: str) -> Entry | None:
    gaz = load_gazetteer()
    cands = [
        e for e in (gaz.entries[i] for i in gaz.by_key.get(_CAPITALS.get(country, ""), [])) if e.country == country
    ]
    return max(cands, key=lambda e: (e.level == "place", e.population, e.weight), default=None)


def _capitals(
    text: str, scanned: Scanned, sentence_at: _SentenceAt, mentions: list[CountryMention], ctx: _Context
) -> list[Place]:
    """The national capital where the article says "the (Malian) capital" of a known country."""
    out = []
    country_at: dict[int, str] = {}  # the first country mention at each offset
    for c in mentions:
        country_at.setdefault(c.start, c.country)
    for m in scanned.finditer(CAPITAL_SCAN):
        at = m.start("demonym") if m.group("demonym") else m.end() if m.group("of") else -1
        named = country_at.get(at)
        if at >= 0 and named is None:
            continue  # "the regional capital", "the capital of the Mopti region"...
        country = named if named is not None else (next(iter(ctx.countries)) if len(ctx.countries) == 1 else None)
        entry = _capital(country) if country else None
        if entry is not None:
            out.append(_place(entry, text, m.start(), m.end(), sentence_at(m.start())))
    return out


def _cued_regions(
    cues: dict[str, dict[str, tuple[int, int]]], sentence_at: _SentenceAt, places: list[Place], ctx: _Context
) -> list[Place]:
    """A region named by cues alone (`cues`: the article's `region_cues`): for each country
    of the article that none of its places puts in a region, the one admin1 unit its
    regional actors or communities imply, as a place at the cue (none when cues point to
    two regions)."""
    placed = {p.country for p in places if p.admin1}
    if not ctx.countries and len(cues) > 1:
        return []  # "Boko Haram" alone: Diffa in Niger or Lac in Chad
    out = []
    for country, found in cues.items():
        if country in placed or len(found) != 1 or (ctx.countries and country not in ctx.countries):
            continue
        ((admin1, (start, end)),) = found.items()
        span = _new_span(start=start, end=end, sentence=sentence_at(start).text)
        out.append(_new_place(name=admin1, country=country, admin1=admin1, level="admin1", span=span))
    return out


def _agreeing(places: list[Place], fuzzy: set[tuple[int, int]]) -> list[Place]:
    """`places` without the misspelt names that resolve outside every region the article's
    exactly spelt places are in ("the village of Yirgou in Barsalogo district": a namesake
    one letter away in another region is not it)."""
    exact: dict[str, set[str]] = {}
    for p in places:
        if (p.span.start, p.span.end) not in fuzzy and p.admin1:
            exact.setdefault(p.country, set()).add(p.admin1)
    return [
        p for p in places
        if (p.span.start, p.span.end) not in fuzzy or p.country not in exact or p.admin1 in exact[p.country]
    ]  # fmt: skip


def find_places(
    text: str,
    sents: list[Sentence],
    extra_countries: Counter[str] | None = None,
    scanned: Scanned | None = None,
    actors: list[tuple[int, int]] | None = None,
) -> tuple[list[Place], Counter[str]]:
    """Resolved places in `text` (country mentions included), and the country context.

    Weak country mentions (a border's far side, an origin) are context for resolving
    names but are not places of the article. `scanned`: the text as a `Scanner` scanned
    it (for `PLACE_SCANS`), if it was; `actors` its `actor_spans`, if known.
    """
    scanned = scanned or Scanned(text)
    mentions = find_countries(text, scanned)
    taken = [(m.start, m.end) for m in mentions] + (actor_spans(text) if actors is None else actors)
    folded = fold(text)
    matches = _matches(text, folded, taken)
    fuzzy = _fuzzy_matches(text, folded, taken, matches, scanned)
    if fuzzy:
        matches = sorted(matches + fuzzy)
    cues = region_cues(text, scanned)
    sentence_at = _SentenceAt(sents)
    # A newspaper's title is no evidence of a country either ("Le Monde" is a hamlet's name).
    matches = [(start, end, key) for start, end, key in matches if not _title(text, start)]
    ctx = _context(matches, mentions, extra_countries, text, cues, scanned)
    places: list[Place] = []
    resolved_as: dict[tuple[str, bool], Entry | str | None] = {}  # a name resolves alike wherever it is
    for start, end, key in matches:
        if not_a_place(text, start, end, sentence_at(start)):
            continue
        locative = bool(_LOCATIVE.search(text, max(0, start - 12), start))
        if (key, locative) not in resolved_as:
            resolved_as[key, locative] = _resolve(_entries(key), ctx, locative)
        resolved = resolved_as[key, locative]
        if resolved is not None:
            places.append(_place(resolved, text, start, end, sentence_at(start)))
    if fuzzy:
        places = _agreeing(places, {(s, e) for s, e, _ in fuzzy})
    for m in mentions:
        if not m.weak:
            places.append(_place(m.country, text, m.start, m.end, sentence_at(m.start)))
    places.extend(_cued_regions(cues, sentence_at, places, ctx))
    named = {p.geonameid for p in places if p.geonameid is not None}
    places.extend(p for p in _capitals(text, scanned, sentence_at, mentions, ctx) if p.geonameid not in named)
    places = [p for p in places if not _far_reference(text, p)]
    places.sort(key=lambda p: p.span.start)
    return places, ctx.countries
