"""Casualty mentions: number, qualifier, kind, victim group, and scope.

Scope separates what enters totals (`event`) from what never does: `cumulative`
statistics ("400 soldiers killed since January"), perpetrators' `claim`s (kept,
flagged), `negated` ("no one was killed") and `hypothetical` ("could kill") figures.
"""

from __future__ import annotations

import re

from schemas import CasualtyMention, Span
from schemas.entities import CasualtyKind, Scope
from streams.extract.numbers import NUMBER, VAGUE, parse_number
from streams.extract.text import Sentence

__all__ = ["find_casualties", "sentence_scope", "victim_group"]

_QUAL = (
    r"(?P<qual>at least|more than|over|nearly|almost|about|around|approximately|some"
    r"|up to|close to|roughly|an estimated|as many as|no fewer than|no less than|upwards of"
    r"|in excess of|fewer than|less than|a further|another|a total of)"
)
_NUM = rf"(?P<num>{NUMBER})(?P<plus>\+)?"
_RANGE = rf"(?:between\s+(?P<lo>{NUMBER})\s+and\s+(?P<hi>{NUMBER})|(?P<lo2>\d+)\s*(?:-|to|or)\s*(?P<hi2>\d+))"
_AMOUNT = rf"(?:{_RANGE}|(?:{_QUAL}\s+)?{_NUM})"
_VICTIM_NOUNS = (
    r"soldiers?|civilians?|people|persons?|individuals|villagers?|militants?|jihadists?|"
    r"insurgents?|terrorists?|fighters?|mercenaries|mercenary|gendarmes?|policem[ae]n|"
    r"police officers?|officers?|troops|servicemen|members|assailants?|attackers?|"
    r"gunmen|men|women|children|students?|workers?|miners?|herders?|farmers?|traders?|"
    r"passengers?|worshippers?|residents?|volunteers?|VDPs?|dozos?|hunters?|rebels?|"
    r"peacekeepers?|militiamen|militia members|others|of them|bodies|victims|personnel|"
    r"recruits|guards?|chiefs?|leaders?|customs officers?|teachers?|pupils|wom[ae]n"
)
_VICTIM = rf"(?P<victims>(?:[A-Za-z'-]+\s+){{0,3}}?(?:{_VICTIM_NOUNS}))"
_KILLED = (
    r"killed|dead|died|perished|slain|lost their lives|were executed|executed|massacred|"
    r"murdered|shot dead|beheaded|burned to death|lives were lost"
)
_WOUNDED = r"wounded|injured|hurt"
_KIDNAPPED = r"kidnapped|abducted|taken hostage|held hostage|seized"
_MISSING = r"missing|unaccounted for"
_GAP = r"(?:[^\d.;:!?]{0,80}?\s)?"
_AUX = r"(?:(?:were|was|have been|has been|had been|are|is|got|being|reportedly|also|all|allegedly)\s+)*"

_SUBJECT = re.compile(
    rf"(?<![\w-])(?<![Nn]o ){_AMOUNT}\s+(?:{_VICTIM}\s+)?{_GAP}{_AUX}"
    rf"(?P<verb>{_KILLED}|{_WOUNDED}|{_KIDNAPPED}|{_MISSING}|deaths|fatalities|casualties|injuries)\b",
    re.I,
)
_OBJECT_VERBS = (
    r"killing|killed|kill|kills|claimed the lives of|massacred|massacring|executed|executing|assassinated|"
    r"assassinating|shot dead|shooting dead|gunned down|lynched|beheaded|beheading|slaughtered|murdered|"
    r"murdering|wounding|wounded|injuring|injured|abducting|abducted|kidnapping|kidnapped|took hostage"
)
_OBJECT = re.compile(rf"\b(?P<verb>{_OBJECT_VERBS})\s+{_AMOUNT}(?:\s+{_VICTIM})?", re.I)
_OBJECT_ONE = re.compile(
    rf"\b(?P<verb>{_OBJECT_VERBS})\s+(?:an?|one)\s+(?!total\b|number\b|dozen\b|few\b|handful\b|further\b)"
    rf"(?P<victims>(?:[\w'-]+\s+){{0,3}}?[a-z][\w'-]*)",
    re.I,
)
_RESULT = re.compile(
    rf"\b(?P<lead>left|leaving|resulting in|resulted in|causing|caused|with|shooting|shot)\s+{_AMOUNT}\s+"
    rf"(?:{_VICTIM}\s+)?(?P<verb>dead|deaths|fatalities|killed|wounded|injured|injuries|casualties)\b",
    re.I,
)
_TOLL = re.compile(
    rf"\b(?:death toll|toll)\s+(?:\w+\s+){{0,4}}?(?:of|to|at|reached|is|was|stands at|hit)\s+{_AMOUNT}",
    re.I,
)
_SINGULAR = re.compile(
    rf"\b(?:an?|one)\s+(?P<victims>(?:[a-z'-]+\s+)?(?:soldier|civilian|gendarme|policeman|"
    rf"police officer|villager|militant|man|woman|child|boy|girl|herder|trader|person))\s+"
    rf"{_AUX}(?P<verb>{_KILLED}|{_WOUNDED}|{_KIDNAPPED})\b",
    re.I,
)
_NEGATED = re.compile(
    r"\b(?:no one|nobody|none)\s+(?:was|were|has been|had been)\s+(?:killed|hurt|injured|wounded)"
    r"|\bno (?:casualties|deaths|fatalities|injuries|victims)\b|\bwithout (?:casualties|loss of life)",
    re.I,
)
_HYPOTHETICAL = re.compile(
    r"\b(?:could|would|might|may|threaten(?:ed|s)? to|plan(?:ned|s)? to|vow(?:ed|s)? to|"
    r"attempt(?:ed|s)? to|tried to)\s+(?:\w+\s+)?(?:kill|abduct|kidnap)",
    re.I,
)
_CUMULATIVE = re.compile(
    r"\bsince\b|\bso far\b|\bthis year\b|\blast year\b|\bin total\b|\bin recent (?:days|weeks|months|years)\b"
    r"|\bover the (?:past|last)\b|\bin the (?:past|last) (?:\w+ )?(?:days|weeks|months|years|decade)\b"
    r"|\b(?:per ?cent|percent)\b|\bannual\b|\bcumulative\b|\bkilled in attacks\b|\bin (?:19|20)\d\d\b"
    r"|\bthroughout\b|\bevery (?:year|month)\b",
    re.I,
)
_CLAIM = re.compile(
    r"\bclaim(?:ed|s|ing)?\s+(?:that\s+)?(?:it|they|its fighters|their fighters|to have)\b"
    r"(?![^.]*\bresponsibility\b)",
    re.I,
)
_MAX_PLAUSIBLE = 100_000


def _kind(verb: str) -> CasualtyKind | None:
    v = verb.lower()
    if re.fullmatch(_WOUNDED + "|wounding|injuring|injuries", v):
        return "wounded"
    if re.fullmatch(_KIDNAPPED + "|abducting|kidnapping|took hostage", v):
        return "kidnapped"
    if re.fullmatch(_MISSING, v):
        return "missing"
    if v == "casualties":
        return None  # killed and wounded together: not a death count
    return "killed"


def victim_group(victims: str | None) -> str | None:
    """A coarse victim group ('soldier', 'civilian', ...), None for generic words."""
    if not victims:
        return None
    noun = victims.lower().split()[-1]
    for group, words in _GROUPS.items():
        if noun in words:
            return group
    return None


_GROUPS = {
    "soldier": {"soldier", "soldiers", "troops", "servicemen", "gendarme", "gendarmes",
                "personnel", "recruits", "officers", "officer", "guards", "guard"},
    "civilian": {"civilian", "civilians", "villager", "villagers", "children", "women",
                 "woman", "child", "herders", "farmers", "traders", "students", "workers",
                 "miners", "passengers", "worshippers", "residents", "teachers", "pupils"},
    "militant": {"militant", "militants", "jihadists", "jihadist", "insurgents", "terrorists",
                 "fighters", "assailants", "attackers", "gunmen", "rebels"},
    "mercenary": {"mercenaries", "mercenary"},
    "militia": {"volunteers", "vdp", "vdps", "dozos", "hunters", "militiamen"},
    "police": {"policemen", "policeman"},
}  # fmt: skip


def sentence_scope(sentence: str) -> Scope:
    """The scope every figure of the sentence inherits before per-mention checks."""
    if _CUMULATIVE.search(sentence):
        return "cumulative"
    return "event"


def _amount(m: re.Match[str]) -> tuple[int, int, int, str | None] | None:
    lo = m.group("lo") or m.group("lo2")
    if lo:
        hi = m.group("hi") or m.group("hi2")
        low, high = parse_number(lo), parse_number(hi)
        if low is None or high is None or low > high:
            return None
        return low, low, high, "between"
    num = m.group("num")
    value = parse_number(num) if num else None
    if value is None:
        return None
    qual = (m.group("qual") or "").lower() or ("more than" if m.group("plus") else None)
    if num and num.lower() in VAGUE:
        qual = num.lower()
    return value, value, value, qual


def _mention(m: re.Match[str], kind: CasualtyKind, sentence: Sentence, scope: Scope) -> CasualtyMention | None:
    amount = _amount(m) if "num" in m.re.groupindex else (1, 1, 1, None)
    if amount is None or amount[2] > _MAX_PLAUSIBLE:
        return None
    low, best, high, qual = amount
    victims = m.groupdict().get("victims")
    start, end = m.span()
    return CasualtyMention(
        kind=kind, low=low, best=best, high=high, qualifier=qual,
        victims=victim_group(victims) or (victims.lower() if victims else None), scope=scope,
        span=Span(start=sentence.start + start, end=sentence.start + end, sentence=sentence.text),
    )  # fmt: skip


def _mention_scope(text: str, start: int, end: int, base: Scope) -> Scope:
    before = text[max(0, start - 60) : end]
    if _HYPOTHETICAL.search(before):
        return "hypothetical"
    if _CLAIM.search(before):
        return "claim"
    return base


_AND = re.compile(rf"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+){_AMOUNT}\s+{_VICTIM}", re.I)


def _continued(
    text: str, pos: int, kind: CasualtyKind, sentence: Sentence, scope: Scope, taken: list[tuple[int, int]]
) -> list[CasualtyMention]:
    out = []
    while (m := _AND.match(text, pos)) is not None:
        mention = _mention(m, kind, sentence, scope)
        if mention is None:
            break
        out.append(mention)
        taken.append(m.span())
        pos = m.end()
    return out


def find_casualties(sentence: Sentence) -> list[CasualtyMention]:
    """Every casualty figure in one sentence, non-overlapping, in order."""
    text = sentence.text
    base = sentence_scope(text)
    found: list[CasualtyMention] = []
    taken: list[tuple[int, int]] = []
    for m in _NEGATED.finditer(text):
        span = Span(start=sentence.start + m.start(), end=sentence.start + m.end(), sentence=text)
        found.append(CasualtyMention(kind="killed", low=0, best=0, high=0, scope="negated", span=span))
        taken.append(m.span())
    for pattern in (_RESULT, _OBJECT, _TOLL, _SUBJECT, _SINGULAR, _OBJECT_ONE):
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            verb = m.groupdict().get("verb") or "killed"
            kind = _kind(verb)
            if kind is None:
                continue
            mention = _mention(m, kind, sentence, _mention_scope(text, m.start(), m.end(), base))
            if mention is not None:
                found.append(mention)
                taken.append(m.span())
                if pattern is _OBJECT:  # "killed 4 soldiers and 3 civilians"
                    found.extend(_continued(text, m.end(), kind, sentence, mention.scope, taken))
    return sorted(found, key=lambda c: c.span.start)
