"""Casualty mentions: number, qualifier, kind, victim group, and scope.

A sentence is first *masked*: numbers that are not head counts (dates, years, ages,
distances, durations, percentages) become `#` so no pattern can read them as victims.
Then constructions are read, most specific first, each claiming its span:

- field forms: "Fatalities: 40 soldiers, 4 rebels", "unknown fatalities coded as 10";
- result forms: "left 7 dead", "resulting in the deaths of three people", "the toll rose to 60";
- active forms: "killing 4 soldiers and 3 civilians", "killed the village chief";
- subject forms: "2 gendarmes and a civilian were killed", "one killed", "a youth was killed";
- singular passives: "<anyone> was killed" is one victim;
- bodies: "the bodies of 12 people", "5 corpses were found".

A victim phrase is a *list* of items ("5 guards, 1 gendarme & 6 assailants"): each item
is its own mention, so a list adds up. An item is a number with an optional noun phrase
whose head is a person (never "two sheep" or "20 km"), or a singular person ("a
herder", "the mayor"). A bare number borrows the noun of the nearest earlier item
("one attacker arrested and two killed").

Scope separates what enters totals (`event`) from what never does: `cumulative`
statistics ("400 soldiers killed since January"), `background` mentions of earlier
events ("which had killed five"), perpetrators' `claim`s (kept, flagged), `negated`
("no one was killed") and `hypothetical` ("attempted to kill") figures. `additional`
marks figures that add to earlier ones rather than restate them ("another soldier",
"two later died of their injuries", "3 others").

Speed (the same mentions, found with less work; tests/extract/test_prefilter.py and
test_scan.py check it):

- a sentence without one of `CASUALTY_WORDS` (the verbs and nouns after which a reading
  adds a mention, derived from the readings' own patterns) is not read at all, and of
  the readings only those that could match something there run (`readings`, per
  article `sentence_readings`: one Aho-Corasick pass over the article; `_CUE` is found
  by its words in the folded sentence, `_CUE_HELD`);
- each pattern scanned over a sentence is tried only where one of its openings occurs
  (`scan.Anchored`; the openings of the mask, of the scope's patterns and of all
  readings found by one pass, `_SENTENCE_SCANNER`, and the masked sentence scanned
  again, `_READER_SCANNER`, only where the mask changed it);
  patterns matched at a position first check that an opening starts there
  (`scan.Opening`), patterns searched for a yes or no run only where a word every match
  spells occurs (`scan.Guarded`, `scan.AnyOf`);
- long word alternations (person nouns, stop words, units...) try only the words that
  share the text's first letters (`scan.alternation`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import ahocorasick

from schemas import CasualtyMention, Span
from schemas.entities import CasualtyKind, Scope
from streams.extract.models import construct
from streams.extract.numbers import NUMBER, VAGUE, parse_number
from streams.extract.scan import (
    Anchored,
    AnyOf,
    Guarded,
    Opening,
    Scanner,
    Views,
    alternation,
    fold_case,
    necessary_words,
    search_in,
    spellings,
)
from streams.extract.text import Sentence
from streams.limits import DEFAULT_LIMITS

__all__ = [
    "Antecedents",
    "find_casualties",
    "read_casualties",
    "sentence_readings",
    "readings",
    "may_count",
    "ALL_READINGS",
    "CUMULATIVE_SCAN",
    "PROTEST_SCAN",
    "CASUALTY_WORDS",
    "sentence_scope",
    "victim_group",
    "mask_non_counts",
]

# --- masking: numbers that are not head counts -------------------------------------------
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAYNUM = r"\d{1,2}(?:st|nd|rd|th)?"
_DAYRUN = rf"{_DAYNUM}(?:\s*(?:-|\u2013|to|and|&|/|or)\s*{_DAYNUM})*"
_MEASURE_UNITS = (
    r"km|kms|kilomet(?:er|re)s?|miles?|metres?|meters?|m|hours?|hrs?|h|minutes?|mins?|days?|nights?|weeks?"
    r"|months?|years?|yrs?|decades?|percent|per cent|%|o'clock|am|pm|a\.m\.?|p\.m\.?|GMT|CFA|FCFA|dollars|euros"
    r"|tons?|tonnes?|kg|litres?|liters?"
)
_MONTH_RE = alternation(_MONTH)
_MEASURE_UNITS_RE = alternation(_MEASURE_UNITS)
_MASK = re.compile(
    rf"\b{_DAYRUN}\s+(?:of\s+)?(?:{_MONTH_RE})\b\.?(?:,?\s+(?:1[89]|20)\d\d\b)?"
    rf"|\b(?:{_MONTH_RE})\.?\s+{_DAYRUN}\b(?:,?\s+(?:1[89]|20)\d\d\b)?"
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?(?:\s*-\s*\d{1,2}(?:/\d{1,2}(?:/\d{2,4})?)?)?"
    r"|\b\d{1,2}:\d\d\b"
    r"|\b(?:1[89]|20)\d\d(?:s|/\d\d)?\b(?!\s+(?:people|persons|soldiers|civilians|militants|fighters|villagers))"
    rf"|\b(?:{NUMBER})(?:\s*|-)(?:{_MEASURE_UNITS_RE})(?![\w-])"
    rf"|\b(?:{NUMBER})[\s-]+years?[\s-]+old\b"
    r"|\b\d+(?:st|nd|rd|th)\b|\b(?:No\.|number|#)\s*\d+",
    re.I,
)


_QUOTES = re.compile(r"(?<![\w])['\"\u2018\u201c]|['\"\u2019\u201d](?![\w])")
_QUOTE_CHARS = re.compile("['\"\u2018\u201c\u2019\u201d]")
_NOT_SPACE = re.compile(r"[^\s]")
_MASK_SCAN = Anchored(_MASK)


@lru_cache(maxsize=64)
def mask_non_counts(text: str) -> str:
    """`text` with dates, years, ages and measures replaced by '#', quotes by spaces (same length)."""
    return _mask(text)


def _mask(text: str, views: Views | None = None, starts: list[int] | None = None) -> str:
    """`mask_non_counts(text)`; `views`: the text's `Views`, `starts`: `_MASK_SCAN.starts(text)`,
    if known."""
    pieces = []
    last = 0
    for m in _MASK_SCAN.finditer(text, views, starts=starts):  # what `_MASK.sub` replaces, found faster
        pieces.append(text[last : m.start()])
        pieces.append(_NOT_SPACE.sub("#", m.group()))
        last = m.end()
    masked = "".join(pieces) + text[last:] if pieces else text
    return _QUOTES.sub(" ", masked) if _QUOTE_CHARS.search(masked) else masked


# --- vocabulary ------------------------------------------------------------------------
_PERSON_PLURAL = (
    "soldiers|civilians|people|persons|individuals|villagers|militants|jihadists|jihadis|islamists|insurgents|"
    "terrorists|extremists|fighters|combatants|elements|mercenaries|gendarmes|policemen|police|officers|troops|"
    "servicemen|members|assailants|attackers|gunmen|bandits|men|women|children|kids|boys|girls|youths|youngsters|"
    "students|workers|miners|herders|herdsmen|pastoralists|farmers|traders|merchants|passengers|worshippers|"
    "residents|inhabitants|locals|volunteers|vdps|dozos|donsos|hunters|rebels|separatists|peacekeepers|"
    "militiamen|militias|guards|guardsmen|chiefs|leaders|teachers|pupils|drivers|officials|commanders|"
    "agents|elders|notables|fishermen|shepherds|nomads|refugees|relatives|brothers|sons|family members|"
    "occupants|employees|contractors|journalists|nurses|doctors|prisoners|detainees|hostages|suspects|"
    "informants|informers|collaborators|robbers|smugglers|traffickers|poachers|protesters|protestors|"
    "demonstrators|rioters|raiders|thieves|legionnaires|citizens|nationals|bombers|would-be bombers|advisors|advisers|"
    "aggressors|onlookers|bystanders|owners|shopkeepers|vendors|marketgoers|customers|cadets|recruits|personnel|"
    "victims|bodies|corpses|others|assistants|companions|colleagues|friends|neighbours|neighbors|bodyguards|"
    "motorists|watchmen|labourers|laborers|cooks|grandsons|granddaughters|"
    "ones|them|those|adults|elderly|infants|babies|wives|husbands|sergeants|lieutenants|captains|colonels|"
    "gold miners|displaced|clerics|imams|marabouts|pilgrims|talibes|fighters|troopers|rangers|deputies|"
    "councillors|councilors|mayors|chauffeurs|apprentices|Fulani|Fulanis|Peul|Peuls|Dogon|Dogons|Tuareg|"
    "Tuaregs|Bozo|Bozos|Bambara|Arabs|Mossi|Songhai|Dawsahak|Daoussahak|Imghad|Toubou|Zaghawa"
)
_PERSON_SINGULAR = (
    "soldier|civilian|person|individual|villager|militant|jihadist|jihadi|islamist|insurgent|terrorist|"
    "extremist|fighter|combatant|element|mercenary|gendarme|policeman|police officer|officer|serviceman|"
    "member|assailant|attacker|gunman|bandit|man|woman|child|kid|boy|girl|youth|youngster|student|worker|"
    "miner|herder|herdsman|pastoralist|farmer|trader|merchant|passenger|worshipper|resident|inhabitant|local|"
    "volunteer|vdp|dozo|donso|hunter|rebel|separatist|peacekeeper|militiaman|guard|guardsman|chief|leader|"
    "teacher|pupil|driver|official|commander|agent|elder|notable|fisherman|shepherd|nomad|refugee|relative|"
    "brother|sister|son|daughter|father|mother|wife|husband|uncle|nephew|cousin|occupant|employee|contractor|"
    "journalist|nurse|doctor|prisoner|detainee|hostage|suspect|informant|informer|collaborator|robber|smuggler|"
    "trafficker|poacher|protester|protestor|demonstrator|rioter|marketgoer|customer|cadet|recruit|victim|"
    "body|corpse|sergeant|lieutenant|captain|colonel|general|corporal|private|major|adjutant|mayor|deputy|"
    "councillor|councilor|imam|marabout|cleric|preacher|pastor|priest|catechist|pilgrim|talibe|chauffeur|"
    "subprefect|owner|griot|raider|secretary|thief|legionnaire|citizen|national|bomber|suicide bomber|advisor|"
    "adviser|shopkeeper|assistant|companion|colleague|friend|neighbour|neighbor|bodyguard|motorist|watchman|"
    "labourer|laborer|cook|grandson|granddaughter|grandfather|grandmother|"
    "vendor|tailor|butcher|mechanic|guide|aggressor|onlooker|bystander|"
    "spokesman|representative|president|candidate|activist|opponent|lawyer|judge|magistrate|diplomat|"
    "apprentice|emir|sheikh|prefect|sub-prefect|governor|minister|ranger|trooper|baby|infant|adult|"
    "motorcyclist|cyclist|customs officer|forest guard|head|one"
)
# The word lists as patterns that try only the words sharing the text's first letters
# (`scan.alternation`: they match exactly as the plain alternations do).
_PERSONS_RE = alternation(_PERSON_PLURAL)
_ONE_PERSON_RE = alternation(_PERSON_SINGULAR)
# Every person word starts with an ASCII letter: the lookahead changes no match, but skips
# trying several hundred words where a noun cannot start (a number: "5 5 5 ...").
_PERSON = rf"(?=[A-Za-z])(?:{alternation(_PERSON_PLURAL + '|' + _PERSON_SINGULAR)})"
_THING = (
    r"vehicles?|motorbikes?|motorcycles?|bikes?|cars?|trucks?|lorries|buses|houses?|homes?|huts?|shops?|"
    r"granaries|granary|livestock|cattle|cows?|oxen|bulls?|sheep|goats?|camels?|donkeys?|horses?|animals?|heads?|"
    r"weapons?|guns?|rifles?|rounds|mines|IEDs?|villages?|schools?|buildings?|times|attacks?|incidents?|events?|"
    r"hamlets?|localities|communes?|shots|bullets|rockets?|shells?|bombs?|pick-?ups?|technicals?|boats?|"
    r"canoes?|pirogues?|carts?|tricycles?|tents?|wells?|hectares?|bags?|sacks?|tons?|points?|posts?|camps?|"
    r"bases?|positions?|checkpoints?|hours?|days?|weeks?|months?|years?|ammunition|equipment|items?|phones?|"
    r"kilometres?|kilometers?|km|miles?|motos?|mopeds?|bicycles?|drones?|aircraft|planes?|helicopters?"
)
_STOP = (
    r"were|was|is|are|be|been|being|have|has|had|and|or|but|in|on|at|of|from|by|with|to|into|near|during|after|"
    r"before|when|while|as|for|the|a|an|that|which|who|whom|whose|this|these|those|their|its|his|her|"
    r"killed|dead|died|wounded|injured|kidnapped|abducted|killing|wounding|including|among|reportedly|"
    r"allegedly|also|all|later|others|other|more|each|both|respectively|other|taken|held|made"
)
_MOD = rf"(?:#+|(?!(?:{alternation(_STOP)})\b)[A-Za-z\u00c0-\u024f][\w'\u2019./-]*|\([^()]{{1,30}}\))"
_HEAD = rf"(?:(?:[a-z]+-)?{_PERSON}\b|(?-i:[A-Z][A-Za-z\u00c0-\u024f'\u2019-]*[A-Za-z])(?![\w-]))"
_NP = rf"(?:(?:{_MOD}\s+){{0,4}}{_HEAD})"

_QUALIFIERS = (
    r"at least|more than|over|nearly|almost|about|around|approximately|some|up to|close to|roughly"
    r"|an estimated|as many as|no fewer than|no less than|upwards of|in excess of|fewer than|less than"
    r"|a further|another|a total of|an additional|a minimum of|a maximum of|a reported|a dozen more"
)
_QUAL = rf"(?P<qual>{alternation(_QUALIFIERS)})"
_FROM_BEFORE = re.compile(r"\bfrom\s+$", re.I)
_AMOUNT = (
    rf"(?:between\s+(?P<lo>{NUMBER})\s+and\s+(?P<hi>{NUMBER})"
    rf"|(?P<lo2>\d+)\s*(?:-|\u2013|to|or)\s*(?P<hi2>\d+)(?!\s*(?:-|\u2013|to|or)\s*\d)"
    rf"|(?P<lo3>{NUMBER})\s+(?:to|or)\s+(?P<hi3>{NUMBER})"
    rf"|(?:{_QUAL}\s+)?(?P<num>{NUMBER})(?P<plus>\+)?)"
)
_ITEM_NUM = re.compile(
    rf"(?:(?:the|its|their|his|her|our|some|all)\s+)?{_AMOUNT}(?P<more>\s+(?:more|others?|other|further))?"
    rf"(?P<np>\s+(?:of\s+(?:the|them|those|his|her|their|its|whom)\b(?:\s+(?:wounded|injured|hostages)\b|\s+{_NP})?"
    rf"|{_NP}))?",
    re.I,
)
_THING_RE = alternation(_THING)
_SPEAKERS = re.compile(
    r"\s+(?:[\w-]+\s+)?(?:sources|officials|witnesses|residents|diplomats|officers|people)\s+"
    r"(?:said|say|says|told|reported|confirmed|added|quoted|speaking|familiar|close)\b",
    re.I,
)
_THING_AFTER = re.compile(rf"\s+(?:(?:{_MOD})\s+){{0,2}}(?:{_THING_RE})\b", re.I)
_ITEM_ONE = re.compile(
    rf"(?P<det>an?|one|the|his|her|its|their|another|a further|an additional|one more)\s+"
    rf"(?P<np>(?:{_MOD}\s+){{0,4}}(?:[a-z]+-)?(?:{_ONE_PERSON_RE})\b)"
    rf"|(?P<det2>an?|one)\s+(?P<np2>(?:{_MOD}\s+){{0,2}}(?-i:[A-Z][A-Za-z'-]*[a-z])(?![\w-])"
    rf"(?!\s+(?:{_THING_RE}|[a-z]+ed)\b))",
    re.I,
)
_SELF = re.compile(r"(?P<np>himself|herself)\b", re.I)
# A word of a prepositional phrase inside a list item: never the verb of a clause.
_PP_WORD = (
    r"(?!(?:were|was|are|is|have|has|had|been|being|killed|died|dead|wounded|injured|abducted|kidnapped|"
    r"captured|executed|missing)\b)[\w'\u2019-]+"
)
_SEP = re.compile(
    r"(?:\s*\([^()]{1,60}\))?(?:\s*[-\u2013\u2014][^-\u2013\u2014,.;]{1,40}[-\u2013\u2014])?"
    rf"(?:\s+(?:from|of|belonging to|aboard|in|at|on)\s+(?:the\s+|a\s+|an\s+)?(?:{_PP_WORD}\s+){{0,8}}?"
    rf"{_PP_WORD}(?=\s*(?:,|&|\band\b|\bas well as\b|\bplus\b)))?"
    r"(?:\s*,\s*(?:and\s+)?(?:along with\s+)?|\s+and\s+|\s*&\s*|\s+as well as\s+|\s+plus\s+|\s+along with\s+)",
    re.I,
)

_KILLED = (
    r"killed|dead|died|perished|slain|lost their lives|lost his life|lost her life|executed|massacred|murdered"
    r"|shot dead|shot and killed|gunned down|beheaded|decapitated|burned to death|burnt to death|beaten to death"
    r"|stoned to death|hacked to death|stabbed to death|lynched|assassinated|neutralized|neutralised|eliminated"
    r"|succumbed|slaughtered|found dead|found shot dead|found murdered|drowned|killed in action|kiled|kiling"
)
_WOUNDED = r"wounded|injured|hurt|maimed|shot and wounded|seriously wounded|severely wounded|critically wounded"
_KIDNAPPED = r"kidnapped|abducted|taken hostage|held hostage|taken captive|taken away|taken prisoner|captured"
_MISSING = r"missing|unaccounted for|disappeared"
_OTHER = r"arrested|detained|released|freed|rescued|displaced|unharmed|safe|escaped|fled"
_FOUND = r"found|discovered|recovered|retrieved|exhumed"
_AUX_LITERAL = (
    r"were|was|have been|has been|had been|are|is|got|being|been|reportedly|also|all|allegedly|later|"
    r"subsequently|eventually|apparently|presumably|possibly|likely|confirmed|reported|believed to have been|"
    r"said to have been|each|both|in total|in all|then|seriously|severely|critically|fatally|mortally|"
    r"lightly|slightly|badly|immediately|instantly|tragically|unfortunately|thus|respectively|themselves|"
    r"remain|remained|summarily shot|summarily|extrajudicially|publicly|brutally|is believed to have been|"
    r"are believed to have been|were believed to have been|"
    r"reported to have been|feared to have been|feared|presumed|on both sides"
)
_AUX_TAKEN = (
    r"(?:abducted|kidnapped|captured|arrested|tortured|beaten|shot|taken|brought back|found|detained)"
    r"(?:\s+by\s+[^,.;]{1,60}?\s+and\s+(?:were|was)|\s*,|\s+and|\s+then|\s+before being|\s+and then)"
)
_AUX_WORDS = rf"{_AUX_LITERAL}|{_AUX_TAKEN}"
_AUX = rf"(?:\s*,?\s+(?:{alternation(_AUX_LITERAL)}|{_AUX_TAKEN}))*"
_SUBSET = (
    r"(?:\s*,?\s*(?:including|among them|among whom|of whom|mostly|mainly|the majority|most of them)\b"
    r"[^.;:()]{0,80}?,)"
)
#: The verb (or noun) closing a subject form: "... were killed", "... later found dead".
_LATER_FOUND = r"(?:missing|disappeared),?\s+(?:and\s+)?(?:were\s+)?later\s+found\s+dead"
_TAIL_NOUN = r"deaths?|fatalities|casualties|injuries|dead bodies|bodies"
_BLEW = r"detonated|blew"  # a suicide bomber's end
_TAIL_WORDS_LITERAL = f"{_KILLED}|{_WOUNDED}|{_KIDNAPPED}|{_MISSING}|{_OTHER}|{_FOUND}|{_TAIL_NOUN}|{_BLEW}"
_TAIL_VERB = rf"{_LATER_FOUND}|{_TAIL_WORDS_LITERAL}"
_TAIL_VERB_RE = rf"{_LATER_FOUND}|{alternation(_TAIL_WORDS_LITERAL)}"  # matches as `_TAIL_VERB` does
#: A word of the phrase after a subject ("the mayor of the district"): never a number or
#: a verb of speech, which start a clause of their own ("the mayor of X said 13 people died").
_PP_TAIL_WORD = r"(?!(?:said|says|told|added|reported|stated|confirmed|announced)\b)(?!\d)[\w'\u2019-]+"
_TAIL = re.compile(
    rf"(?:\s*\([^()]{{1,60}}\))?{_SUBSET}?"
    rf"(?:\s+(?:from|of|belonging to|aboard|in|at|on|among)\s+(?:the\s+|a\s+|an\s+)?"
    rf"(?:(?:{_PP_TAIL_WORD}|\([^()]{{1,30}}\))\s+){{0,4}}?"
    rf"{_PP_TAIL_WORD}(?=(?:{_AUX})\s+(?:{alternation(f'{_KILLED}|{_WOUNDED}|{_KIDNAPPED}|{_MISSING}')})\b))?"
    r"(?:\s*,?\s+(?:who|that)\s+(?:had|have|has|were|was)\s+[^,.;]{0,80}?(?=\s+(?:were|was|are)\b))?"
    r"(?:\s+(?-i:[a-z]+ing)(?:\s+[\w'-]+){1,5}?(?=\s+(?:were|was|are|have|had|has)\b))?"
    r"(?:\s*,\s*(?-i:[a-z]+(?:ed|ing))\b[^,.;]{0,50},)?"
    r"(?P<unknown>(?:\s+(?-i:[a-z]+)){0,2}?)"
    rf"(?P<aux>{_AUX})\s*['\"\u2018\u201c]?(?P<verb>{_TAIL_VERB_RE})\b"
    r"(?P<wounds>\s+(?:later\s+)?(?:of|from)\s+(?:his|her|their)\s+(?:wounds|injuries))?",
    re.I,
)
_ACTIVE_VERB = (
    r"killing|killed|kill|kills|kiling|kiled|assassinate|execute|murder|behead|abduct|kidnap|wound|injure|"
    r"claimed the lives? of|claiming the lives? of|took the lives? of|taking the lives? of|cost the lives? of|"
    r"costing the lives? of|massacred|massacring|"
    r"executed|executing|slit the throats? of|slitting the throats? of|cut the throats? of|assassinated|"
    r"assassinating|shot dead|shooting dead|shot and killed|gunned down|"
    r"gunning down|lynched|lynching|beheaded|beheading|decapitated|slaughtered|slaughtering|murdered|murdering|"
    r"neutralized|neutralised|neutralizing|neutralising|eliminated|eliminating|wounding|wounded|injuring|"
    r"injured|abducting|abducted|kidnapping|kidnapped|took hostage|taking hostage|seized|captured|capturing|"
    r"beat|beating|stoned|stoning|stabbed|stabbing|hacked|burned|burnt|found|discovered|recovered|lost|losing|"
    r"arrested|arresting|detained|detaining|intercepted"
)
_ACTIVE = re.compile(
    rf"\b(?P<verb>{alternation(_ACTIVE_VERB)})"
    r"(?P<adv>\s+(?:reportedly|allegedly|also|then|and mutilated(?: the body of)?|and wounded|"
    r"and injured|and burned))*\s+",
    re.I,
)
_TO_DEATH = re.compile(r"\s+to death\b", re.I)
#: Verbs of `_ACTIVE` that kill only "to death".
_TO_DEATH_VERBS = ("beat", "beating", "stoned", "stoning", "stabbed", "stabbing", "hacked", "burned", "burnt")
#: The last word of a victim noun that makes "found", "discovered"... a killing.
_BODIES = (["bodies"], ["corpses"], ["body"], ["corpse"])
_RESULT = re.compile(
    r"\b(?:left|leaving|leaves|resulting in|resulted in|results in|causing|caused|with|claiming|claimed|claims|"
    r"cost|costs|costing|"
    r"reporting|recording|registering|counting|toll of|tally of|acknowledg(?:ed|ing)|admitt(?:ed|ing)|"
    r"confirm(?:ed|ing))\s+",
    re.I,
)
_RESULT_NOUN_VERB = r"dead|deaths|fatalities|killed|wounded|injured|injuries|casualties|victims|bodies|lives"
_RESULT_NOUN = re.compile(rf"(?P<aux>\s+(?:people\s+|persons\s+)?)(?P<verb>{_RESULT_NOUN_VERB})\b", re.I)
_DEATHS_OF_NOUN = (
    r"deaths?|killings?|murders?|assassinations?|executions?|bodies|body|corpses?|remains|"
    r"dead bodies|abductions?|kidnappings?|(?:mass\s+|common\s+)?graves?"
)
#: "the dead were 18 soldiers and four civilians": the dead, listed in full ("included"
#: lists some of them, told elsewhere: not read).
_DEAD_LISTED = r"(?:dead|victims|those killed)\s+(?:were|comprised)"
_DEATHS_OF = re.compile(
    rf"\b(?:(?P<verb>{_DEATHS_OF_NOUN})\s+(?:of|containing|with)|(?P<listed>{_DEAD_LISTED}))\s+", re.I
)
_SAME_VICTIM = re.compile(r"the\s+(?:victims?|deceased|dead)\b", re.I)
_KILLED_BEFORE = re.compile(rf"\b(?:{_KILLED}|killing|shot)\b", re.I)
_TOLL_HEAD = r"death toll|toll|number of (?:dead|deaths|victims|fatalities)"
_TOLL = re.compile(
    rf"\b(?:{_TOLL_HEAD})\s+"
    rf"(?:(?:\w+\s+){{0,4}}?(?:of|to|at|reached|is|was|stands at|stood at|hit|rose to|climbed to|rising to)"
    # "the toll from Sunday's attack on the camp in X, in central Mali, has risen to 41"
    rf"|(?:[^\s.;]+\s+){{0,16}}?(?:(?:has|had|have)\s+)?(?:risen|rose|rises|climbed|climbs|jumped|jumps|increased"
    rf"|increases|reached|reaches|stands at|stood at|now stands at)(?:\s+to)?)"
    rf"\s+{_AMOUNT}",
    re.I,
)
_FIELD_NOUN = r"fatalities|deaths|killed|casualties"
_FIELD = re.compile(rf"\b(?:total\s+)?(?:{_FIELD_NOUN})\s*:\s*", re.I)
_FIELD_NAMED = re.compile(r"(?P<np>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?)\s+(?P<num>\d+)\b")
_CODED = re.compile(
    r"\b(?:fatalit(?:y|ies)|deaths|casualties|losses|killed|dead|toll)\b[^.;]{0,60}?\bcoded\s+as\s+"
    r"(?P<num>\d+|ten|three|one|two|five)\b(?!\s*(?:events?|dates?|separate|at\b))"
    r"|\bcoded\s+as\s+(?P<num2>\d+|ten|three)\s+(?:fatalit(?:y|ies)|deaths)",
    re.I,
)
_SINGULAR_VERB = (
    r"killed|executed|shot dead|shot and killed|slain|murdered|assassinated|beheaded|"
    r"lynched|gunned down|shot down|burned to death|burnt to death|beaten to death|stoned to death|hacked to death|"
    r"stabbed to death|found dead|slaughtered|massacred|wounded|injured|hurt|kidnapped|abducted|taken hostage"
)
_SINGULAR_PASSIVE = re.compile(
    r"\b(?P<aux>(?:was|has been|had been|is|is believed to have been|was believed to have been|"
    r"is reported to have been|is said to have been|was said to have been)"
    r"(?:\s+(?:reportedly|allegedly|also|later|subsequently|then|"
    r"apparently|presumably|fatally|mortally|seriously|severely|critically|badly|immediately|brought back|"
    r"taken|found|shot|beaten|tortured|stabbed|caught|arrested|abducted|kidnapped|captured|wounded|injured)"
    r"(?:\s+and)?)*)\s+(?P<verb>" + alternation(_SINGULAR_VERB) + r")\b",
    re.I,
)
_DIED = r"died|succumbed"
_WAS_HURT_DIED = re.compile(
    r"\b(?:was|were)\s+(?:\w+\s+){0,2}?(?:shot|wounded|injured|hit|stabbed|beaten|hurt)\b[^.;,]{0,50}?"
    rf"\band\s+(?:later\s+|subsequently\s+|eventually\s+)?(?P<verb>{_DIED})\b",
    re.I,
)
_PRONOUN_VERB = r"died|succumbed|passed away|lost (?:his|her) life"
_PRONOUN_DIED = re.compile(
    r"\b(?:he|she|who|the victim)\s+(?:(?:later|subsequently|eventually|then|also|reportedly)\s+)*"
    rf"(?P<verb>{_PRONOUN_VERB})\b",
    re.I,
)
_NEGATED_VERB = r"killed|hurt|injured|wounded|harmed|kidnapped|abducted"
_NEGATED_NOUN = (
    r"\bno (?:casualties|deaths|fatalities|injuries|victims|loss of life|losses)\b"
    r"|\bwithout (?:casualties|loss of life|any casualties|fatalities|victims)"
    r"|\b(?:casualties|fatalities) (?:were |are )?(?:unknown|not reported|unclear)"
)
_NEGATED = re.compile(
    rf"\b(?:no one|nobody|none|no\s+(?:{_MOD}\s+)?(?:{_PERSON}))\s+(?:\w+\s+)?(?:was|were|has been|had been|got)\s+"
    rf"(?:\w+\s+)?(?:{_NEGATED_VERB})|{_NEGATED_NOUN}",
    re.I,
)
_HYPOTHETICAL = re.compile(
    r"\b(?:could|would|might|may|threaten(?:ed|ing|s)? to|plan(?:ned|ning|s)? to|vow(?:ed|s)? to|"
    r"attempt(?:ed|ing|s)? to|tried to|trying to|failed to|intended to|aim(?:ed)? to|sought to|in order to|"
    r"an attempt to|escaped|avoid)\s+(?:\w+\s+)?(?:kill|abduct|kidnap|assassinate|execute|wound|capture)",
    re.I,
)
_MONTH_NAME = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_CUMULATIVE = re.compile(
    r"\bsince\b(?!\s+(?:(?-i:[a-z]+ed)|risen|rose|grown|gone|been|fallen|fell|reached)\b)"  # not "has since risen"
    r"|\bso far\b|\bthis year\b|\blast year\b|\bin total\b|\bin recent (?:days|weeks|months|years)\b"
    r"|\bover the (?:past|last)\b|\bin the (?:past|last) (?:\w+ )?(?:days|weeks|months|years|decade)\b"
    r"|\b(?:per ?cent|percent)\b|\bannual\b|\bcumulative\b|\bin (?:19|20)\d\d\b"
    r"|\b(?:killed|died)\s+in\s+(?:(?:recent|repeated|jihadist|armed)\s+)?attacks\b"
    # Over many attacks: "in ten attacks", "in a dozen separate raids" (two or three on a
    # day are one coordinated attack, as outlets and ACLED's notes tell them).
    r"|\bin\s+(?:(?:at least|more than|over|some|about)\s+)?(?:[4-9]|\d\d+|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|a dozen|dozens of|scores of|hundreds of|numerous|many)\s+(?:separate\s+|different\s+"
    r"|distinct\s+|other\s+)?(?:attacks|raids|incidents|massacres|ambushes|assaults)\b"
    r"|\bthroughout (?:the|this|last) (?:year|month|period|country)\b|\bevery (?:year|month)\b|\bto date\b"
    r"|\bin (?:a|one) (?:series|spate|wave) of\b"
    r"|\bkilled in (?:recent|separate|several|multiple|various) (?:attacks|clashes|incidents|operations|raids)"
    # A toll of a conflict, not of an attack: "attacks that have left hundreds dead", "more
    # than 600 people have died in repeated attacks".
    r"|\b(?:attacks|violence|conflict|insurgency|raids|clashes|unrest|massacres|killings|ambushes|bombings"
    r"|assaults|fighting)\b[^.;]{0,40}?\b(?:have|has)\s+(?:left|killed|claimed|cost)\b"
    # A period's count: "in the first half of the year", "in the second quarter", "during the
    # first six months", "between January and March", "from May to July".
    # (Each opens with a word rarer than "in" or a month: where the scan tries it.)
    r"|\b(?:first|second|third|fourth|last|past|previous)\s+(?:(?:half|quarter|semester|trimester)\b"
    r"|(?:\w+\s+)?(?:months|weeks|years)\b)"
    rf"|\b(?:between|from)\s+{_MONTH_NAME}(?:\s+(?:19|20)\d\d)?\s+(?:and|to|until|through)\s+{_MONTH_NAME}\b"
    r"|\b(?:have|has)\s+(?:died|been\s+killed|lost\s+their\s+lives|perished)\s+in\s+(?:[\w-]+\s+){0,3}?"
    r"(?:attacks|violence|conflict|insurgency)\b",
    re.I,
)
_BACKGROUND = re.compile(
    r"\b(?:\w+\s+)?(?:days?|weeks?|months?|years?|nights?)\s+(?:earlier|before|prior)\b"
    r"|\b(?:which|that)\s+(?:had|has)\s+(?:\w+\s+){0,2}?(?:killed|left|claimed|caused)\b"
    r"|\bwho\s+had\s+(?:\w+\s+){0,2}?killed\b"
    r"|\bhad\s+(?:previously|earlier|already)\b|\bpreviously\s+had\b"
    r"|\bhad\s+(?:killed|executed|murdered|assassinated)\b|\bthe (?:previous|preceding) (?:day|week|month|year|"
    r"attack)\b"
    r"|\bprotest(?:s|ed|ing|ers)?\s+(?:against|over|at)\b|\bdemonstrat\w*\s+(?:against|over)\b"
    r"|\bin (?:protest|reaction|response) (?:against|to|over)\b|\bthe late\b"
    r"|\bin (?:revenge|retaliation|reprisal) for\b|\bto avenge\b"
    r"|\b(?:protest\w*|demonstrat\w*|sit-ins?|rall(?:y|ied)|denounc\w*|condemn\w*)\b[^.;]{0,60}"
    r"\b(?:after|over|against|following|for)\b"
    r"|\bin (?:January|February|March|April|May|June|July|August"
    r"|September|October|November|December) (?:19|20)\d\d\b",
    re.I,
)
_ABOUT = r"(?:(?:about|around|some|nearly|almost|approximately|at least|more than|over|only|just)\s+)?"
#: A toll that a later one replaced, just before its figure: "officials initially said 95",
#: "updating an earlier death toll of 32", "the previous report spoke of 20", "rose from 10
#: (to 24)". The figure the article gives now counts; this one would add victims twice.
_SUPERSEDED_BEFORE = re.compile(
    r"(?:\b(?:initially|originally|previously|first|earlier|at first)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:said|put|reported|gave|announced|counted|spoke\s+of|stood\s+at|was|were|estimated)"
    r"(?:\s+(?:the|a)\s+(?:death\s+)?toll\s+(?:at|of|as))?"
    r"|\b(?:previous|earlier|initial|first|old|former)\s+(?:official\s+|death\s+|casualty\s+)*"
    r"(?:toll|report|count|figure|estimate|tally|bilan)s?\b[^.;]{0,80}?(?:of|at|was|spoke\s+of|put|gave|said)"
    r"|\bfrom(?:\s+the)?)\s+" + _ABOUT + r"$"
    r"|\b(?:previous|earlier|initial|first|old|former)\s+(?:official\s+)?$",  # "an earlier [death toll of 32]"
    re.I,
)
#: "..., bringing the toll to 98": the figures before it are inside that toll.
_BRINGING_AFTER = re.compile(
    r"[^.;]{0,80}?\b(?:bringing|brings|brought|raising|raises|raised|taking|takes|pushing|pushes)\s+(?:the|its)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:toll|number|total|tally)\s+(?:\w+\s+){0,3}?to\b",
    re.I,
)
_SUPERSEDED_CUE = re.compile(r"initial|original|previous|first|earlier|\bold\b|former|from", re.I)
_TO_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,2}?to\s+(?:at\s+least\s+|about\s+|around\s+)?(?:\d|[a-z]+)", re.I)
#: An earlier attack recalled beside the one reported, anywhere in the sentence before a
#: figure: "less than a week after gunmen killed 58", "comes a month after a similar raid,
#: which left 71 dead", "surpassing a raid last month that killed 71", "in the attack on X
#: last March, 150 were killed", "earlier this month".
_RECALL = re.compile(
    r"\b(?:days?|weeks?|months?|years?|shortly|soon|barely)\s+after\b"
    r"|\b(?:comes?|came|coming)\s+(?:\w+\s+){0,4}?after\b|\bon the heels of\b"
    r"|\bsurpass\w*\b|\b(?:deadliest|worst|biggest|largest) (?:\w+ )?since\b"
    r"|\b(?:similar|previous|earlier|prior) (?:attacks?|raids?|assaults?|ambush(?:es)?|massacres?"
    r"|incidents?)\b"
    r"|\blast (?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|month|year)\b"
    r"|\bearlier (?:this|that|in the) (?:week|month|year)\b|\b(?:a|one|two|three) (?:weeks?|months?|years?) ago\b"
    # Ceremonies for the dead of an attack reported before: "ministers paid tribute to
    # the fallen soldiers", "on the first anniversary of the ambush".
    r"|\bpa(?:y|id|ying|ys)\s+(?:(?:a\s+)?(?:last\s+)?(?:homage|tribute|their\s+respects))\b"
    r"|\b(?:memorial|commemorat\w*|remembrance|anniversary)\b"
    r"|\bthe (?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r" (?:\d{1,2} )?(?:attack|ambush|raid|massacre|assault|killings?)\b",
    re.I,
)
_BACKGROUND_AFTER = re.compile(
    r"[^.;,()]{0,30}?\b(?:\w+\s+)?(?:days?|weeks?|months?|years?|nights?)\s+(?:earlier|before|prior)\b", re.I
)
#: Armed groups by name, as outlets write them (case-sensitive: "IS" is no word here).
_ARMED_GROUPS = r"Islamic State|ISGS|ISSP|ISWAP|JNIM|GSIM|AQIM|Ansar Dine|al-Qaeda|Al-Qaeda|Boko Haram"
#: After a figure: it is a party's word ("..., a figure that could not be verified", "...,"
#: according to a statement by the group", "according to JNIM").
_UNVERIFIED_AFTER = re.compile(
    r"[^.;]{0,120}?\b(?:could not be|cannot be|has not been|have not been|was not|were not)\s+"
    r"(?:independently\s+)?(?:verified|confirmed)\b"
    r"|[^.;]{0,120}?\baccording to\s+(?:(?:a|an|the|its|their)\s+)?(?:[\w'-]+\s+){0,2}?"
    r"(?:(?:message|statement|communiqu\w+|claim|video|post|channel|propaganda)\s+(?:\w+\s+){0,2}?)?"
    r"(?:(?:by|from|of)\s+)?(?:the\s+)?(?:group's\s+)?"
    rf"(?-i:{_ARMED_GROUPS}|IS|Amaq)\b"
    # "..., the Islamic State group said in a statement": a group's word told after it
    rf"|[^.;]{{0,80}}?,\s*(?:the\s+)?(?-i:{_ARMED_GROUPS})(?:\s+(?:group|affiliate|branch|fighters|militants))?"
    r"\s+(?:said|says|claimed|announced)\b",
    re.I,
)
_PROTEST = re.compile(r"\b(?:protest|demonstrat|rall(?:y|ied)|sit-in|march(?:ed|es)?\b|riot)", re.I)
_RELATIVE = re.compile(r"\b(?:which|that|after|over|following|against)\b", re.I)
_CLAIM = re.compile(
    r"\bclaim(?:ed|s|ing)?\b(?!\s+(?:responsibility|credit|the\s+(?:attack|lives?|ambush|assault|operation|"
    r"abduction|killing|attacks|bombing|raid)|lives?|to have been"
    r"|(?:at least|more than|over|nearly|almost|some|about|around)?\s*[\w,-]+\s+(?:more\s+|other\s+)?lives))"
    r"|\b(?:boasted|propaganda|unconfirmed|unverified)\b|\bspokes(?:man|woman|person)\b(?:\s+[\w'-]+){0,3}?\s+(?:said|stated|announced)\b"
    rf"|(?:\b(?-i:{_ARMED_GROUPS}|IS|[A-Z]{{3,6}})"
    # "the Islamic State group", "al-Qaeda's Sahel branch", "JNIM's media arm"
    r"(?:\s+(?:group|affiliate|branch|fighters|militants))?(?:['\u2019]s\s+(?:[\w-]+\s+){0,2}?"
    r"(?:branch|affiliate|arm|wing|outlet|agency|franchise))?"
    r"|\b(?:the group|the jihadists|the militants|the rebels|rebels))"
    r"\s+(?:later\s+)?(?:said|says|reported|announced|stated"
    r"|asserted)\b(?!\s+(?:it|they)\s+(?:was|were)\s+responsible)",
    re.I,
)
_ADDITIONAL_AUX = re.compile(r"\b(?:later|subsequently|eventually|also)\b", re.I)
_ADDITIONAL_VERB = re.compile(r"succumbed", re.I)
_CUE_WORDS = (
    r"kil|dead|death|died|wound|injur|kidnap|abduct|execut|slain|massacr|murder|assassin|behead|lynch|"
    r"fatalit|casualt|toll|bodies|corpse|perish|hostage|missing|hurt|neutrali|eliminat|gunned|succumb|"
    r"slaughter|captur|drown|decapitat|lives|shot|alive|stoned|beat|grave|bomber|throat|lynch"
)
_CUE = re.compile(rf"\d|{_CUE_WORDS}", re.I)
#: Whether `_CUE` finds something in a text, by its `fold_case` (`Guarded.holds`): under
#: IGNORECASE an ASCII letter matches exactly the characters that `fold_case` makes that
#: letter (checked by the tests for every character), and `\d` exactly those it makes a
#: digit (a non-ASCII one "0"); so `_CUE.search(text)` finds something where and only
#: where one of these words occurs in `fold_case(text)`.
_CUE_HELD = Guarded(_CUE, spellings(_CUE_WORDS) | frozenset("0123456789"))

_GROUPS = {
    "soldier": {"soldier", "soldiers", "troops", "servicemen", "serviceman", "gendarme", "gendarmes",
                "personnel", "recruits", "recruit", "guards", "guard", "guardsmen", "cadets", "troopers",
                "fama", "fds", "sergeant", "lieutenant", "captain", "colonel", "corporal", "commander"},
    "police": {"policemen", "policeman", "police"},
    "civilian": {"civilian", "civilians", "villager", "villagers", "children", "women", "woman", "child",
                 "boy", "girl", "boys", "girls", "herders", "herder", "farmers", "farmer", "traders", "trader",
                 "students", "student", "workers", "worker", "miners", "miner", "passengers", "passenger",
                 "worshippers", "residents", "resident", "teachers", "teacher", "pupils", "merchants",
                 "merchant", "marketgoers", "pastoralists", "shepherds", "fishermen", "inhabitants", "locals",
                 "youths", "youth", "drivers", "driver", "occupants", "occupant"},
    "militant": {"militant", "militants", "jihadists", "jihadist", "insurgents", "insurgent", "terrorists",
                 "terrorist", "fighters", "fighter", "assailants", "assailant", "attackers", "attacker",
                 "gunmen", "gunman", "rebels", "rebel", "islamists", "extremists", "elements", "combatants",
                 "bandits", "jnim", "isgs", "aqim"},
    "mercenary": {"mercenaries", "mercenary"},
    "militia": {"volunteers", "volunteer", "vdp", "vdps", "dozos", "dozo", "donsos", "hunters", "hunter",
                "militiamen", "militiaman", "militias"},
    "peacekeeper": {"peacekeepers", "peacekeeper"},
}  # fmt: skip
_WORD_GROUP = {w: g for g, words in _GROUPS.items() for w in words}
#: The coarse victim groups `victim_group` names.
GROUPS = frozenset(_GROUPS)
_GENERIC = {"people", "persons", "person", "individuals", "individual", "others", "other", "victims", "victim",
            "bodies", "body", "corpses", "corpse", "them", "those", "ones", "one", "whom", "members", "member",
            "men", "man", "adults", "head"}  # fmt: skip


_FILLER = {"other", "more", "further", "of", "the", "them", "his", "her", "their", "its", "those", "whom", "some",
           "all", "presumed", "suspected", "alleged", "unidentified", "unknown", "armed", "young",
           "innocent"}  # fmt: skip


#: A victim noun that is itself a count ("seven [of the] eight people"): a part and its whole.
_PARTITIVE = re.compile(r"(?:the\s+)?(\d[\d,]*|[a-z]+(?:[ -][a-z]+)?)\s+(\w+)$", re.I)
_IN_ADDITION = re.compile(r"\b(?:in addition to|besides|apart from|on top of)\b", re.I)
#: Between two figures of the same victims: the second is another count of them.
_ALTERNATIVE = re.compile(
    r"\b(?:while|whereas|but|although|though|against|versus|compared with|or|others?\s+(?:said|put|gave|spoke)"
    r"|(?:witnesses|residents|locals|sources|officials|the army|the government)\s+"
    r"(?:said|put|gave|spoke|reported|counted))\b",
    re.I,
)
#: "five of [the 20 soldiers]", just before an item: a part of it.
_PART_BEFORE = re.compile(r"\b(\d[\d,]*|[a-z]+)\s+of\s+$", re.I)
#: What follows a subject whose verb comes next ("... were killed"), not a participle.
_AUX_NEXT = re.compile(r"\s+(?:were|was|have been|has been|had been|are|is)\b", re.I)
#: Who tells a toll, not who suffers it: a later bare figure never takes them as its
#: victims ("an official gave 10 dead, witnesses as many as 50 dead").
_TELLERS = frozenset({"official", "officials", "source", "sources", "witness", "witnesses", "spokesman",
                      "spokesperson", "spokeswoman", "diplomat", "diplomats", "mayor", "governor", "prefect",
                      "minister", "journalist", "journalists", "correspondent", "reporter"})  # fmt: skip


def victim_group(victims: str | None) -> str | None:
    """A coarse victim group ('soldier', 'civilian', ...), None for generic words."""
    if not victims:
        return None
    words = victims.lower().replace("\u2019", "'").split()
    if not words:
        return None
    noun = words[-1]
    if noun in _GENERIC:
        return None
    return _WORD_GROUP.get(noun, noun)


def _victims(noun: str | None) -> str | None:
    """The victims label of a mention: a group, a head noun, or None for generic ones."""
    words = noun.lower().split() if noun else []
    if not words:
        return None
    if words[-1] in _GENERIC:  # "special forces member" is a group; "people", "other people" are not
        named = [w for w in words[:-1] if w not in _FILLER and not w.startswith("#")]
        return " ".join([*named, words[-1]]) if named else None
    return victim_group(noun) or words[-1]


def recalls_another(sentence: str) -> bool:
    """Whether the sentence recalls an earlier attack (`_RECALL`)."""
    return _RECALL.search(sentence) is not None


def sentence_scope(sentence: str) -> Scope:
    """The scope every figure of the sentence inherits before per-mention checks."""
    if _CUMULATIVE_SCAN.search(sentence) and not one_attack_last_year(sentence):
        return "cumulative"
    return "event"


_ONE_ATTACK_LAST_YEAR = re.compile(
    r"\b(?:in|on|at|during)\s+(?:a|an|the|one)\s+(?:[\w-]+\s+){0,2}?(?:village|town|camp|base|market|attack|ambush"
    r"|raid|massacre|assault|operation)\b[^.;]{0,60}?\blast year\b",
    re.I,
)


def one_attack_last_year(sentence: str) -> bool:
    """Whether "last year" dates one attack ("killed 500 people in a village last year"),
    the sentence holding no other mark of a cumulative statistic: then it is no statistic."""
    if "last year" not in sentence.lower() or not _ONE_ATTACK_LAST_YEAR.search(sentence):
        return False
    return _CUMULATIVE.search(re.sub(r"(?i)\blast year\b", "", sentence)) is None


_Count = tuple[int, int, int, str | None]  # low, best, high, qualifier


@dataclass(frozen=True, slots=True)
class _Item:
    start: int
    end: int
    low: int
    best: int
    high: int
    qualifier: str | None
    noun: str | None
    additional: bool


def _amount(m: re.Match[str]) -> tuple[int, int, int, str | None] | None:
    lo = m.group("lo") or m.group("lo2") or m.group("lo3")
    if lo:
        hi = m.group("hi") or m.group("hi2") or m.group("hi3")
        low, high = parse_number(lo), parse_number(hi)
        if low is None or high is None or low > high:
            return None
        if _FROM_BEFORE.search(m.string, max(0, m.start() - 8), m.start()) and not m.group("lo"):
            return high, high, high, None  # "(the toll rose) from 12 to 20": 20, not a range
        return low, low, high, "between"
    num = m.group("num")
    value = parse_number(num) if num else None
    if value is None:
        return None
    qual = (m.group("qual") or "").lower() or ("more than" if m.group("plus") else None)
    if num and num.lower() in VAGUE:
        qual = num.lower()
    return value, value, value, qual


# Whether the item patterns can match at a position, before trying them (`scan.Opening`).
_ITEM_NUM_AT = Opening(_ITEM_NUM)
_SELF_AT = Opening(_SELF)
_ITEM_ONE_AT = Opening(_ITEM_ONE)


def _item(masked: str, original: str, pos: int, views: Views | None = None) -> _Item | None:
    """One victim item starting at `pos`: a counted noun phrase or a singular person."""
    views = views or Views(masked)
    m = _ITEM_NUM_AT.match(masked, pos, views)
    if m is not None:
        amount = _amount(m)
        np = m.group("np")
        if amount is not None and (np or not _THING_AFTER.match(masked, m.end())):
            if _SPEAKERS.match(masked, m.end()):
                return None  # "..., three sources said": who told it, not who died
            low, best, high, qual = amount
            noun = original[m.start("np") : m.end("np")].strip() if np else None
            more = (m.group("more") or "").strip().lower() in ("more", "further") or qual in (
                "a further",
                "another",
                "an additional",
            )
            if noun and noun.lower().startswith("of "):
                noun = noun[3:].strip()
            return _Item(m.start(), m.end(), low, best, high, qual, noun, more)
    m = _SELF_AT.match(masked, pos, views)
    if m is not None:  # "a suicide attacker killed himself and two soldiers"
        return _Item(m.start(), m.end(), 1, 1, 1, None, "self", False)
    m = _ITEM_ONE_AT.match(masked, pos, views)
    if m is not None:
        group = "np" if m.group("np") else "np2"
        det = (m.group("det") or m.group("det2")).lower()
        noun = original[m.start(group) : m.end(group)]
        definite = det in ("the", "his", "her", "its", "their")
        if definite and noun.lower().split()[-1] in ("one", "body", "corpse"):
            return None
        more = det in ("another", "a further", "an additional", "one more")
        return _Item(m.start(), m.end(), 1, 1, 1, None, noun, more)
    return None


#: Every `_SEP` match spells one of these (its closing separator): checked by the tests.
SEP_WORDS = frozenset({",", "and", "&", "plus", "as well as", "along with"})
_SEP_GUARDED = Guarded(_SEP, SEP_WORDS)
_JOINER = re.compile(r"\band\b|&|\bplus\b|\balong with\b|\bas well as\b", re.I)
#: Where a counted item can start: an optional determiner and qualifier, then a number.
_COUNT_START = (
    rf"(?:(?:the|its|their|his|her|our|some|all)\s+)?(?:{_QUAL}\s+|between\s+)?(?:{NUMBER})(?!\w)(?!-[A-Za-z])"
)
_NUMERIC = re.compile(_COUNT_START, re.I)


_OBJECT_ONE = re.compile(
    rf"(?:(?P<det>an?|the|his|her|their|its)\s+)?(?P<np>(?:{_MOD}\s+){{0,3}}(?-i:[a-z][a-z'-]+[a-z]))\b"
    rf"(?!\s+(?:{_THING_RE}|of\s+(?:the\s+)?(?:{_THING_RE})))",
    re.I,
)
_NOT_ONE = {"total", "number", "dozen", "few", "handful", "lot", "rest", "majority", "part", "bulk", "remainder",
            "group", "unit", "family", "crew", "convoy", "patrol", "population", "community", "couple", "series",
            "people", "others", "civilians", "soldiers", "dozens", "scores", "hundreds", "them", "himself",
            "herself", "themselves", "one", "other", "and", "in", "at", "on", "by", "with", "several", "many",
            "some", "all", "both", "more", "no", "any", "each", "body", "corpse", "remains", "same", "night",
            "day", "morning", "evening", "week", "time"}  # fmt: skip


def _object_one(masked: str, original: str, pos: int) -> _Item | None:
    """After a kill verb, a singular object the lexicon does not know: 'assassinated a prominent griot'."""
    m = _OBJECT_ONE.match(masked, pos)
    if m is None:
        return None
    words = m.group("np").lower().split()
    if words[-1] in _NOT_ONE or words[0] in _NOT_ONE or words[-1].endswith("s") or _THING_WORD.fullmatch(words[-1]):
        return None
    if m.group("det") is None and not m.group("np")[:1].isupper():
        return None  # a bare lowercase word is a plural or a mass noun more often than a person
    return _Item(m.start(), m.end(), 1, 1, 1, None, original[m.start("np") : m.end("np")], False)


_THING_WORD = re.compile(_THING, re.I)


class _Steps:
    """One sentence's victim items and the joins between them, each read once.

    A list is read again from each of its items ("5 soldiers, 5 soldiers, ..." from the
    first, the second, ...): reading the items and separators anew each time made a
    sentence quadratic in its number of items. `item(pos)` is `_item` at `pos`, and
    `step(item)` the next item of a list with how it is joined, both remembered.
    """

    def __init__(self, masked: str, original: str, views: Views | None = None) -> None:
        self.masked = masked
        self.original = original
        self.views = views or Views(masked)
        self._items: dict[int, _Item | None] = {}
        self._steps: dict[tuple[int, int], _Step | None] = {}  # by the span of the item before

    def item(self, pos: int) -> _Item | None:
        if pos not in self._items:
            self._items[pos] = _item(self.masked, self.original, pos, self.views)
        return self._items[pos]

    def step(self, prev: _Item) -> _Step | None:
        """The item after `prev` in a list, if a separator and an item follow it (which
        depends on where `prev` starts and ends only)."""
        span = (prev.start, prev.end)
        if span not in self._steps:
            masked = self.masked
            sep = _SEP_GUARDED.match(masked, prev.end, folded=self.views.folded)
            nxt = self.item(sep.end()) if sep is not None else None
            self._steps[span] = (
                None
                if sep is None or nxt is None
                else _Step(
                    nxt,
                    joined=_JOINER.search(sep.group()) is not None,
                    numeric=bool(_NUMERIC.match(masked, prev.start) and _NUMERIC.match(masked, nxt.start)),
                    clause=_CLAUSE_VERB.match(masked, nxt.end) is not None,
                )
            )
        return self._steps[span]


@dataclass(frozen=True, slots=True)
class _Step:
    item: _Item  # the next item
    joined: bool  # by 'and', '&', 'plus'... (not a comma alone)
    numeric: bool  # both items are counts
    clause: bool  # a verb follows the next item


def _list(steps: _Steps, pos: int, active: bool = False) -> list[_Item]:
    """Items joined by commas, 'and', '&', 'as well as', from `pos`.

    A join by comma alone needs numbers on both sides ("40 troops, 4 rebels") or a
    list that 'and' closes later ("the chief, his wife and his son"); otherwise the
    comma is an apposition ("a police officer, the prefect"). After an active verb, an
    item followed by a verb opens a new clause ("killing four elders, three others
    were abducted", "killing a herder and two others wounded").
    """
    items: list[_Item] = []
    first = steps.item(pos)
    if first is None and active:
        first = _object_one(steps.masked, steps.original, pos)
    if first is None:
        return items
    items.append(first)
    loose: list[int] = []  # indexes of comma-only joins between non-numeric items
    while (step := steps.step(items[-1])) is not None:
        if active and step.clause:
            break
        if step.joined:
            loose = []
        elif not step.numeric:
            loose.append(len(items))
        items.append(step.item)
    if loose:
        items = items[: loose[0]]  # never closed by "and": appositions
    return items


_CLAUSE_VERB = re.compile(
    r"\s+(?:were|was|are|is|have|had|has|got)\b|\s+(?:killed|died|wounded|injured|abducted)\b", re.I
)


@lru_cache(maxsize=512)
def _kind(verb: str) -> CasualtyKind | None:
    v = verb.lower()
    if v.endswith(("found dead", "found shot dead", "found murdered")):
        return "killed"
    if re.match(r"wound|injur|hurt|maim|shot and wounded|seriously|severely|critically", v):
        return "wounded"
    if re.match(r"kidnap|abduct|taken hostage|held hostage|took hostage|taking hostage|taken captive|"
                r"taken away|taken prisoner|captur|seized", v):  # fmt: skip
        return "kidnapped"
    if re.match(r"missing|unaccounted|disappeared", v):
        return "missing"
    if re.match(rf"(?:{_OTHER}|{_FOUND}|casualties|victims)$", v):
        return None
    return "killed"


_CLAUSE_SPLIT = re.compile(r"[;]|,\s+(?:while|but|whereas)\b")
_LEAD_SPLIT = re.compile(r"[;,:.()]")

# Readings (bits of `read_casualties`'s `which`), skipped in a sentence where they could
# neither add a mention nor change what a later reading adds (see `_plan`).
_NEGATED_READ, _FIELD_READ, _RESULT_READ, _DEATHS_OF_READ, _TOLL_READ, _ACTIVE_READ = 1, 2, 4, 8, 16, 32
_SUBJECT_READ, _SINGULAR_READ, _HURT_DIED_READ, _PRONOUN_READ, _THEM_READ, _CODED_READ = 64, 128, 256, 512, 1024, 2048
_DEFINITE_READ = 4096
#: Every reading.
ALL_READINGS = 8191

# Scans of a whole sentence, tried only where a match can start (`scan.Anchored`).
_NEGATED_SCAN = Anchored(_NEGATED)
_FIELD_SCAN = Anchored(_FIELD)
_CODED_SCAN = Anchored(_CODED)
_RESULT_SCAN = Anchored(_RESULT)
_DEATHS_OF_SCAN = Anchored(_DEATHS_OF)
_TOLL_SCAN = Anchored(_TOLL)
_ACTIVE_SCAN = Anchored(_ACTIVE)
_SINGULAR_PASSIVE_SCAN = Anchored(_SINGULAR_PASSIVE)
_WAS_HURT_DIED_SCAN = Anchored(_WAS_HURT_DIED)
_PRONOUN_DIED_SCAN = Anchored(_PRONOUN_DIED)
_CUMULATIVE_SCAN = CUMULATIVE_SCAN = Anchored(_CUMULATIVE)
_PROTEST_SCAN = PROTEST_SCAN = Anchored(_PROTEST)
_HYPOTHETICAL_SCAN = Anchored(_HYPOTHETICAL)
# Patterns run only on a text holding a word every match of theirs spells (`scan.Guarded`).
# Every match spells one of these (`necessary_words` would take the optional words too).
_UNVERIFIED_AFTER_GUARDED = Guarded(_UNVERIFIED_AFTER, frozenset({
    "verified", "confirmed", "according to", "islamic state", "isgs", "issp", "iswap", "jnim", "gsim", "aqim",
    "ansar dine", "al-qaeda", "boko haram",
}))  # fmt: skip
# Patterns searched only for whether they find something, alternative by alternative.
_CLAIM_ANY = AnyOf(_CLAIM)
_BACKGROUND_ANY = AnyOf(_BACKGROUND)


def _after(starts: dict[Anchored, list[int]], guarded: Guarded, pos: int) -> bool:
    """Whether one of `guarded.words` may start at `pos` or after it (`starts`: of a
    `_SCOPE_SCANNER` pass): else `guarded.pattern.match(text, pos)` fails."""
    found = starts.get(guarded.words_scan)
    return found is not None and found[-1] >= pos


_BACKGROUND_AFTER_GUARDED = Guarded(_BACKGROUND_AFTER)
# What `_Reader._scope` looks for in a sentence's text (found by `_SENTENCE_SCANNER`'s pass;
# `_SCOPE_SCANNER` finds them alone).
_SCOPE_SCANS = (
    _HYPOTHETICAL_SCAN,
    *_CLAIM_ANY.anchored,
    *_BACKGROUND_ANY.anchored,
    _UNVERIFIED_AFTER_GUARDED.words_scan,
    _BACKGROUND_AFTER_GUARDED.words_scan,
)
_SCOPE_SCANNER = Scanner(_SCOPE_SCANS)


# Mentions are built without validation: the figures are counts read (never negative,
# dropped above the limit), the kinds and scopes the readings' own literals.
_new_mention = construct(CasualtyMention)
_new_span = construct(Span)


class _Reader:
    """Reads one sentence: keeps the spans taken and the mentions found. `cumulative` and
    `protest`: whether `_CUMULATIVE` and `_PROTEST` find something in it, if known."""

    def __init__(
        self,
        sentence: Sentence,
        max_figure: int = DEFAULT_LIMITS.max_casualty_figure,
        cumulative: bool | None = None,
        protest: bool | None = None,
    ) -> None:
        self.sentence = sentence
        self.max_figure = max_figure
        self.text = sentence.text
        own = Views(sentence.text)
        # The openings of the mask, of the scope's patterns and of the readings' scans in the
        # sentence, by one pass: the readings scan the masked sentence, which is most often
        # the sentence itself (else it is scanned again, at the first reading's scan).
        found = _SENTENCE_SCANNER.by_scan(sentence.text, own)
        self.masked = _mask(sentence.text, own, found.get(_MASK_SCAN, []))
        self._own = own
        unmasked = self.masked == sentence.text
        self.views = own if unmasked else Views(self.masked)  # for the scans (`scan.Anchored`)
        self.base: Scope = (
            sentence_scope(sentence.text) if cumulative is None else "cumulative" if cumulative else "event"
        )
        self.protest = _PROTEST_SCAN.search(sentence.text) is not None if protest is None else protest
        self.taken: list[tuple[int, int]] = []
        # The characters taken, one byte each: `free` asks whether any is taken in a span
        # with one `find` instead of testing every span taken (quadratic in a sentence of
        # many figures). Empty spans mark no character: they are kept in `empty`.
        self._marks = bytearray(len(sentence.text) + 1)
        self._empty: list[tuple[int, int]] = []
        self._scopes: dict[tuple[int, int], Scope] = {}
        self.found: list[CasualtyMention] = []
        self.nouns: set[tuple[int, str]] = set()  # every person noun read, with its position
        self.steps = _Steps(self.masked, self.text, self.views)
        self.groups: list[list[_Item]] = []  # every list of persons read, for "them"
        self._starts: dict[Anchored, list[int]] | None = found if unmasked else None
        self._scope_starts = found
        self._recall_at = -1  # where `_RECALL` first matches in the sentence (-1: not searched yet)

    @property
    def low(self) -> str:
        """`scan.fold_case` of the sentence."""
        return self._own.folded

    def starts(self, scan: Anchored) -> list[int]:
        """`scan.starts(self.masked)`: the openings of every reading's scan are found by one
        pass over the sentence, at the first scan."""
        if self._starts is None:
            self._starts = _READER_SCANNER.by_scan(self.masked, self.views)
        return self._starts.get(scan, [])

    def matches(self, scan: Anchored, upto: int | None = None) -> Iterator[re.Match[str]]:
        """`scan.finditer(self.masked)`, those starting at `upto` at most if given."""
        starts = self.starts(scan)
        if upto is not None:
            starts = starts[: bisect_right(starts, upto)]
        return scan.finditer(self.masked, starts=starts) if starts else iter(())

    def search(self, scan: Anchored, pos: int, endpos: int) -> bool:
        """Whether `scan.pattern.search(self.masked, pos, endpos)` finds a match."""
        starts = self.starts(scan)
        match = scan.pattern.match
        i = bisect_left(starts, pos)
        while i < len(starts) and starts[i] < endpos:
            if match(self.masked, starts[i], endpos) is not None:
                return True
            i += 1
        return False

    def last_tail(self) -> int:
        """Where the last word that can close a subject form (`_TAIL`) may start: no
        `_TAIL` matches after it (-1: none does)."""
        starts = self.starts(_TAIL_WORD_SCAN)
        return starts[-1] if starts else -1

    def free(self, start: int, end: int) -> bool:
        """Whether no span taken overlaps [start, end)."""
        if start >= end:
            return not any(s < end and start < e for s, e in self.taken)
        if self._marks.find(1, start if start > 0 else 0, end if end > 0 else 0) != -1:
            return False
        return not self._empty or not any(s < end and start < e for s, e in self._empty)

    def scope(self, start: int, end: int) -> Scope:
        """The scope of a figure read from [start, end), once per span: every item of a
        list shares its span, which can be a long one ("killing 5, 5, 5, ...")."""
        if (start, end) not in self._scopes:
            self._scopes[start, end] = self._scope(start, end)
        return self._scopes[start, end]

    def _scope(self, start: int, end: int) -> Scope:
        # The patterns are searched from where their openings (or guard words) are in the
        # sentence, found by the pass of `_SENTENCE_SCANNER` (`_SCOPE_SCANS`).
        text = self.text
        starts = self._scope_starts
        if _after(starts, _UNVERIFIED_AFTER_GUARDED, end) and _UNVERIFIED_AFTER.match(text, end):
            return "claim"  # "..., a figure that could not be independently verified"
        before = text[max(0, start - 70) : end]
        clause = _CLAUSE_SPLIT.split(before)[-1]  # `_HYPOTHETICAL.search(clause)`, `clause` ending at `end`:
        if search_in(_HYPOTHETICAL_SCAN, text, starts.get(_HYPOTHETICAL_SCAN, []), end - len(clause), end, self._own):
            return "hypothetical"
        lead = _LEAD_SPLIT.split(text[max(0, start - 70) : start])[-1] + text[start:end]
        if _CLAIM_ANY.found_in(text, end - len(lead), end, starts, self._own):  # `lead` ends at `end`
            return "claim"
        if _BACKGROUND_ANY.found_in(text, end - len(lead), end, starts, self._own) or (
            _after(starts, _BACKGROUND_AFTER_GUARDED, end) and _BACKGROUND_AFTER.match(text, end)
        ):
            return "background"
        if self.protest and _RELATIVE.search(lead):  # "protesters denounced the attack, which killed 53"
            return "background"
        if self._recall_at < 0:
            recall = _RECALL.search(text)
            self._recall_at = recall.start() if recall is not None else len(text) + 1
        if self._recall_at < start and _RECALL.search(text, 0, start):
            return "background"
        if (
            _SUPERSEDED_CUE.search(text, max(0, start - 130), start)
            and _SUPERSEDED_BEFORE.search(text[max(0, start - 130) : start])
            and (not text[max(0, start - 6) : start].lower().rstrip().endswith("from") or _TO_AFTER.match(text, end))
        ):
            return "background"  # a toll a later one replaced
        if _BRINGING_AFTER.match(text, end):
            return "background"  # "six more died, bringing the toll to 98": inside the 98
        return self.base

    def add(
        self,
        kind: CasualtyKind,
        item: _Item,
        span: tuple[int, int],
        additional: bool = False,
        scope: Scope | None = None,
        inherit: bool = True,
    ) -> None:
        if item.high > self.max_figure or item.low < 0:
            return  # not believed ("999999999999 killed"); negative cannot be read, checked anyway
        noun = item.noun
        if noun is None and inherit:  # "one attacker arrested and two killed"
            noun = max(((p, n) for p, n in self.nouns if p < item.start), default=(0, None))[1]
        whole = _PARTITIVE.match(noun) if noun else None
        if whole is not None and (n := parse_number(whole.group(1))) is not None:
            # "seven of the eight people": the part killed, or the part of those killed that
            # the sentence goes on about ("... the eight people killed were aid workers")
            killed = n if n > item.best and not _AUX_NEXT.match(self.text, item.end) else item.best
            item = _Item(item.start, item.end, killed, killed, killed, None, whole.group(2), item.additional)
            noun = item.noun
        elif (part := _PART_BEFORE.search(self.text, max(0, item.start - 30), item.start)) is not None:
            if (
                (n := parse_number(part.group(1))) is not None
                and n < item.best
                and _AUX_NEXT.match(self.text, item.end)
            ):
                item = _Item(item.start, item.end, n, n, n, None, noun, item.additional)  # "five of the 20 were killed"
        start, end = item.start, item.end
        victims = _victims(noun)
        additional = additional or item.additional or self._in_addition(start)
        self.found.append(
            _new_mention(
                kind=kind, low=item.low, best=item.best, high=item.high, qualifier=item.qualifier,
                victims=victims, alternative=not additional and self._alternative(kind, victims, start),
                scope=scope or self.scope(span[0], span[1]), additional=additional,
                span=_new_span(start=self.sentence.start + start, end=self.sentence.start + end, sentence=self.text),
            )
        )  # fmt: skip

    def _in_addition(self, start: int) -> bool:
        """Whether the figure at `start` follows a clause adding it to victims told before:
        "In addition to the soldiers killed in the attack, 77 assailants died"."""
        cue = _IN_ADDITION.search(self.text, 0, start)
        return cue is not None and "," in self.text[cue.end() : start]

    def _alternative(self, kind: CasualtyKind, victims: str | None, start: int) -> bool:
        """Whether a figure at `start` counts again the victims of the sentence's figure
        before it: same kind and victims, another teller's or a contrasting count between
        them ("the army said 10 were killed, residents 30"; "10 dead, while witnesses
        spoke of 50")."""
        before = [m for m in self.found if m.kind == kind and m.span.end - self.sentence.start <= start]
        if not before:
            return False
        last = max(before, key=lambda m: m.span.end)
        if last.victims != victims:
            return False
        return _ALTERNATIVE.search(self.text, last.span.end - self.sentence.start, start) is not None

    def take(self, start: int, end: int) -> None:
        self.taken.append((start, end))
        if start >= end:
            self._empty.append((start, end))
            return
        if end > len(self._marks):
            self._marks.extend(bytes(end - len(self._marks)))
        lo = max(start, 0)
        self._marks[lo:end] = b"\x01" * (end - lo)

    def saw(self, items: list[_Item]) -> None:
        self.nouns.update(
            (i.start, i.noun) for i in items
            if i.noun and victim_group(i.noun) is not None and i.noun.split()[-1].lower() not in _TELLERS
        )  # fmt: skip


def _read_negated(r: _Reader) -> None:
    for m in r.matches(_NEGATED_SCAN):
        zero = _Item(m.start(), m.end(), 0, 0, 0, None, None, False)
        r.add("killed", zero, m.span(), scope="negated", inherit=False)
        r.take(*m.span())


def _read_field(r: _Reader) -> None:
    """'Fatalities: 40 soldiers, 4 rebels' and 'Fatalities: FARF 31'."""
    for m in r.matches(_FIELD_SCAN):
        pos = m.end()
        items = _list(r.steps, pos)
        if not items:
            named = []
            while (n := _FIELD_NAMED.match(r.masked, pos)) is not None:
                value = parse_number(n.group("num"))
                if value is None:
                    break
                named.append(_Item(n.start(), n.end(), value, value, value, None, n.group("np"), False))
                sep = _SEP_GUARDED.match(r.masked, n.end(), folded=r.views.folded)
                if sep is None:
                    break
                pos = sep.end()
            items = named
        for item in items:
            r.add("killed", item, (m.start(), item.end), scope="event")
        if items:
            r.take(m.start(), items[-1].end)


def _read_coded(r: _Reader) -> None:
    """ACLED's conventions for unknown tolls: 'unknown fatalities coded as 10'."""
    for m in r.matches(_CODED_SCAN):
        num = m.group("num") or m.group("num2")
        value = parse_number(num)
        code = r.masked.lower().rfind("coded", m.start(), m.end())
        if value is None or not r.free(code, m.end()):
            continue
        # A coded figure stands for the vague ones of the sentence ("a number of Dozos killed").
        r.found = [f for f in r.found if f.qualifier not in VAGUE]
        coded = _Item(code, m.end(), value, value, value, "coded", "coded", False)
        r.add("killed", coded, (code, m.end()), scope="event")
        r.take(code, m.end())


def _read_result(r: _Reader, which: int = ALL_READINGS) -> None:
    for m in r.matches(_RESULT_SCAN) if which & _RESULT_READ else ():
        items = _list(r.steps, m.end())
        if not items or not r.free(m.start(), items[-1].end):
            continue
        r.saw(items)
        tail = _RESULT_NOUN.match(r.masked, items[-1].end)
        if tail is None:
            continue
        kind = _kind(tail.group("verb"))
        if kind is None:
            continue
        for item in items:
            r.add(kind, item, (m.start(), tail.end()))
        r.take(m.start(), tail.end())
    for m in r.matches(_DEATHS_OF_SCAN) if which & _DEATHS_OF_READ else ():
        items = _list(r.steps, m.end())
        if not items or not r.free(m.start(), items[-1].end):
            continue
        noun_verb = (m.group("verb") or "deaths").lower()
        of_kind: CasualtyKind = "kidnapped" if noun_verb.startswith(("abduct", "kidnap")) else "killed"
        again = _SAME_VICTIM.match(r.masked, m.end()) and _KILLED_BEFORE.search(r.masked, 0, m.start())
        if of_kind == "killed" and again:
            continue  # "killed a trader ... the corpse of the victim": the trader again
        for item in items:
            r.add(of_kind, item, (m.start(), items[-1].end))
        r.take(m.start(), items[-1].end)
    for m in r.matches(_TOLL_SCAN) if which & _TOLL_READ else ():
        if not r.free(*m.span()):
            continue
        amount = _amount(m)
        if amount is None:
            continue
        # "the toll has risen to 38 soldiers": the victims named after the figure
        at = min(m.start(g) for g in ("qual", "lo", "lo2", "lo3", "num") if m.group(g) is not None)
        named = _item(r.masked, r.text, at, r.views)
        noun = named.noun if named is not None and named.end > m.end() and named.best == amount[1] else None
        end = named.end if noun and named is not None else m.end()
        r.add("killed", _Item(m.start(), end, *amount, noun, False), (m.start(), end))
        r.take(m.start(), end)


_PASSIVE_BEFORE = re.compile(r"\b(?:were|was|been|being|are|is|be)\s+(?:\w+ly\s+)?$", re.I)
_PASSIVE_BEFORE_SCAN = Anchored(_PASSIVE_BEFORE)


def _read_active(r: _Reader) -> None:
    """'killing 4 soldiers and 3 civilians', 'killed the village chief', 'beat a boy to death'."""
    for m in r.matches(_ACTIVE_SCAN):
        if not r.free(*m.span()) or r.search(_PASSIVE_BEFORE_SCAN, max(0, m.start() - 30), m.start()):
            continue  # "the guards were executed the same night": passive, no object
        verb = m.group("verb").lower()
        items = _list(r.steps, m.end(), active=True)
        if not items:
            continue
        r.saw(items)
        if all(i.noun for i in items):
            r.groups.append(items)
        end = items[-1].end
        adv = (m.group("adv") or "").lower()
        if verb in _TO_DEATH_VERBS:
            death = _TO_DEATH.match(r.masked, end)
            if death is None:
                continue
            end = death.end()
            kind: CasualtyKind | None = "killed"
        elif verb in ("lost", "losing"):
            if not all(i.noun for i in items):
                continue
            kind = "killed"
        elif verb in ("found", "discovered", "recovered"):
            if not any((i.noun or "").lower().split()[-1:] in _BODIES[:3] for i in items):
                continue
            kind = "killed"
        else:
            kind = _kind(verb)
        if kind is None or not r.free(m.start(), end):
            continue
        if kind == "killed" and ("wound" in adv or "injur" in adv):
            continue  # "killing and wounding the occupants": no split given
        for item in items:
            r.add(kind, item, (m.start(), end))
        r.take(m.start(), end)


def _starts(r: _Reader, upto: int) -> list[int]:
    """Where items can start, up to `upto`."""
    return [m.start() for m in r.matches(_ITEM_START_SCAN, upto)]


_ITEM_START = re.compile(
    rf"(?<![\w'-]){_COUNT_START}"
    r"|(?<![\w'-])(?:an?|one|the|his|her|its|their|another|a further|an additional|one more)\s+",
    re.I,
)
_ITEM_START_SCAN = Anchored(_ITEM_START)


_HEADLINE_ONE = re.compile(
    rf"(?P<np>(?:{_MOD}\s+){{0,2}}(?:{_ONE_PERSON_RE}))\b(?=\s+(?:and|of|from|in|near|was|killed|"
    rf"abducted|kidnapped|shot|executed|assassinated|murdered|wounded|injured|dead)\b)",
    re.I,
)


_TRAILING = re.compile(r"\s*,?\s+(?:and|along with|as well as|together with)\s+", re.I)


def _read_subject(r: _Reader) -> None:
    """'2 gendarmes and a civilian were killed', 'one killed', 'another soldier later died'."""
    pos = 0
    # Items of a list whose tail is no verb: a list read from one of them is the rest of
    # that list (the same items to the same end), so its tail is no verb either.
    dead: set[int] = set()
    # A list starting after the last word that can close a subject form has no tail; nor
    # has any later list, so they add nothing (the nouns they would see are taken by no
    # later mention of a subject form, and no other reading takes them).
    last_tail = r.last_tail()
    starts = _starts(r, last_tail)
    head = _HEADLINE_ONE.match(r.masked)
    if head is not None and head.group()[:1].isupper() and r.steps.item(0) is None:
        starts.insert(0, -1)  # headline style: "Village chief of X abducted and executed"
    for start in starts:
        headline = start == -1
        if headline:
            items = [_Item(0, head.end(), 1, 1, 1, None, r.text[: head.end()], False)] if head else []
            nxt = _SEP_GUARDED.match(r.masked, items[0].end, folded=r.views.folded) if items else None
            if nxt is not None and (more := r.steps.item(nxt.end())) is not None:
                items.append(more)
            start = 0
        elif start < pos or start in dead or not r.free(start, start + 1):
            continue
        else:
            items = _list(r.steps, start)
        if not items:
            continue
        r.saw(items)
        tail = _TAIL.match(r.masked, items[-1].end) if items[-1].end <= last_tail else None
        if tail is None:
            if not headline:
                dead.update(i.start for i in items)
            continue
        verb = tail.group("verb").lower()
        end = tail.end()
        if verb in ("found", "discovered", "recovered", "retrieved", "exhumed"):
            nouns = [(i.noun or "").lower().split()[-1:] for i in items]
            if not any(n in _BODIES for n in nouns):
                continue
            kind: CasualtyKind | None = "killed"
        elif verb in ("bodies", "dead bodies"):
            kind = "killed"
        elif verb in ("detonated", "blew"):  # suicide bombers die with their bombs
            if not all("bomber" in (i.noun or "").lower() for i in items):
                continue
            kind = "killed"
        else:
            kind = _kind(verb)
        if not r.free(start, end):
            continue
        r.take(start, end)
        pos = end
        if kind is None:
            continue
        additional = (
            bool(_ADDITIONAL_AUX.search(tail.group("aux") or ""))
            or bool(_ADDITIONAL_VERB.match(verb))
            or bool(tail.group("wounds"))  # "one peacekeeper died of his wounds": counted as wounded before
        )
        for item in items:
            r.add(kind, item, (start, end), additional=additional)
        trailing = _TRAILING.match(r.masked, end)  # "27 rebels were killed and one soldier."
        if trailing is not None:
            extra = _list(r.steps, trailing.end())
            if extra and re.match(r"\s*(?:[.;,]|$)", r.masked[extra[-1].end :]):
                for item in extra:
                    r.add(kind, item, (start, extra[-1].end))
                r.take(end, extra[-1].end)


def _read_singular(r: _Reader, which: int = ALL_READINGS) -> None:
    """'<anyone> was killed' is one victim; 'he later died of his wounds' one more."""
    for m in r.matches(_SINGULAR_PASSIVE_SCAN) if which & _SINGULAR_READ else ():
        if not r.free(*m.span()):
            continue
        kind = _kind(m.group("verb"))
        if kind is None:
            continue
        subject = re.split(r"[,;:(]|\b(?:and|when|after|while|as)\b", r.masked[: m.start()])[-1]
        if re.search(r"\b(?:no one|nobody|none)\b", subject, re.I):
            continue
        additional = bool(_ADDITIONAL_AUX.search(m.group("aux")))
        single = _Item(m.start(), m.end(), 1, 1, 1, None, None, False)
        r.add(kind, single, m.span(), additional=additional, inherit=False)
        r.take(*m.span())
    for m in (
        r.matches(_WAS_HURT_DIED_SCAN) if which & _HURT_DIED_READ else ()
    ):  # "a student was shot by police and later died"
        subject = re.split(r"[,;:(]|\b(?:and|when|after|while|as)\b", r.masked[: m.start()])[-1]
        if r.free(*m.span()) and not _NUMERIC.search(subject):
            r.add("killed", _Item(m.start(), m.end(), 1, 1, 1, None, None, False), m.span(), inherit=False)
            r.take(*m.span())
    for m in r.matches(_PRONOUN_DIED_SCAN) if which & _PRONOUN_READ else ():
        if r.free(*m.span()):
            single = _Item(m.start(), m.end(), 1, 1, 1, None, None, False)
            r.add("killed", single, m.span(), additional=True, inherit=False)
            r.take(*m.span())


_THEM = re.compile(
    r"\b(?:(?:executed|killed|shot dead|murdered|slaughtered|massacred|beheaded)\s+them\b|burn(?:ed|t)\s+them\s+alive\b"
    r"|they\s+were\s+(?:(?:later|then|subsequently|all|reportedly)\s+)*(?:executed|killed|shot dead|murdered|"
    r"found dead))",
    re.I,
)
_THEM_SCAN = Anchored(_THEM)


def _read_them(r: _Reader) -> None:
    """'arrested nine men and executed them': the pronoun counts the persons read before."""
    for m in r.matches(_THEM_SCAN):
        before = [g for g in r.groups if g[-1].end <= m.start()]
        if not before or not r.free(*m.span()):
            continue
        for item in before[-1]:
            counted = _Item(m.start(), m.end(), item.low, item.best, item.high, item.qualifier, item.noun, False)
            r.add("killed", counted, m.span())
        r.take(*m.span())


_DEFINITE = re.compile(
    rf"(?<![\w'-])(?:the|these|those)\s+(?:{_MOD}\s+){{0,3}}?(?P<noun>(?:[a-z]+-)?(?:{_PERSONS_RE}))\b", re.I
)
_DEFINITE_SCAN = Anchored(_DEFINITE)
_NUM_START = re.compile(rf"(?<![\w'-])(?:{NUMBER})(?!\w)(?!-[A-Za-z])", re.I)
_NUM_START_SCAN = Anchored(_NUM_START)
# Where the verbs (and nouns) that close a subject form (`_TAIL`) may start: every `_TAIL`
# match spells one of these words, so none starting after a position means no `_TAIL`
# there (where one of them starts, the scan finds where one of their openings does).
_TAIL_WORDS = necessary_words(_TAIL_VERB)
_TAIL_WORD_SCAN = Anchored(re.compile("|".join(re.escape(w) for w in sorted(_TAIL_WORDS)), re.I))
# The scans of the readings over a masked sentence, whose openings one pass finds.
_READER_SCANS = (
    _NEGATED_SCAN, _FIELD_SCAN, _CODED_SCAN, _RESULT_SCAN, _DEATHS_OF_SCAN, _TOLL_SCAN, _ACTIVE_SCAN,
    _SINGULAR_PASSIVE_SCAN, _WAS_HURT_DIED_SCAN, _PRONOUN_DIED_SCAN, _THEM_SCAN, _DEFINITE_SCAN, _ITEM_START_SCAN,
    _TAIL_WORD_SCAN, _PASSIVE_BEFORE_SCAN,
)  # fmt: skip
_READER_SCANNER = Scanner(_READER_SCANS)
# What a sentence read is scanned for before it is masked, in one pass: the mask, the
# scope's patterns, and the readings' scans (for a sentence the mask leaves as it is).
_SENTENCE_SCANNER = Scanner((_MASK_SCAN, *_SCOPE_SCANS, *_READER_SCANS))
_NOT_ANTECEDENT = {"people", "persons", "individuals", "others", "ones", "them", "those", "displaced", "elderly"}


def _head(noun: str | None) -> str | None:
    """The head word of a counted noun phrase, lower-cased, if it can be referred back to."""
    if not noun:
        return None
    word = noun.lower().split()[-1]
    return None if word in _NOT_ANTECEDENT or victim_group(word) is None else word


def counted_groups(sentence: Sentence) -> dict[str, _Count]:
    """Plural groups the sentence counts, by head noun ("two forest guards": guards, 2),
    for a later "the guards were executed" to refer back to."""
    masked = mask_non_counts(sentence.text)
    views = Views(masked)
    out: dict[str, _Count] = {}
    for start in (m.start() for m in _NUM_START_SCAN.finditer(masked, views)):
        item = _item(masked, sentence.text, start, views)
        head = _head(item.noun) if item is not None else None
        if item is None or head is None or item.best <= 1 or _THING_AFTER.match(masked, item.end):
            continue
        if _HURT_AFTER.match(masked, item.end):
            continue  # "twelve soldiers were wounded": not who "the soldiers who were killed" are
        out[head] = (item.low, item.best, item.high, item.qualifier)
    return out


_HURT_AFTER = re.compile(
    r"\s+(?:were|was|are|is|have\s+been|had\s+been|being)?\s*(?:seriously\s+|badly\s+|slightly\s+)?"
    r"(?:wounded|injured|hurt|missing|unaccounted)\b",
    re.I,
)


class Antecedents:
    """The plural groups an article's sentences count, for a definite plural ("the guards
    were executed") to refer back to: the nearest earlier sentence that counts the group.

    Sentences are read in order, each once, and only when a definite plural asks; so an
    article of n sentences costs O(n) however many of them ask (looking back through
    every earlier sentence each time was quadratic in the number of sentences). `upto`
    is the index of the sentence being read: only the sentences before it count, and it
    may only grow.
    """

    def __init__(self, sentences: Sequence[Sentence], upto: int | None = None) -> None:
        self._sentences = sentences
        self._read = 0
        self._latest: dict[str, _Count] = {}
        self.upto = len(sentences) if upto is None else upto

    def count(self, head: str) -> _Count | None:
        """The count of `head` in the nearest sentence before `upto` that counts it."""
        if self._read > self.upto:
            raise ValueError("Antecedents.upto went back")
        while self._read < self.upto:
            self._latest.update(counted_groups(self._sentences[self._read]))
            self._read += 1
        return self._latest.get(head)


def _read_definite(r: _Reader, before: Antecedents) -> None:
    """'the guards were executed': as many as the group counted before ("two forest guards"),
    in this sentence or the nearest earlier one that counts it."""
    last_tail = r.last_tail()  # no `_TAIL` after it
    for m in r.matches(_DEFINITE_SCAN, last_tail):
        head = _head(m.group("noun"))
        tail = _TAIL.match(r.masked, m.end()) if head and m.end() <= last_tail else None
        if head is None or tail is None or _kind(tail.group("verb")) != "killed" or not r.free(m.start(), tail.end()):
            continue
        own = Sentence(r.text[: m.start()], r.sentence.start, r.sentence.paragraph)
        count = counted_groups(own).get(head)
        if count is None:
            count = before.count(head)
        if count is None:
            continue
        low, best, high, qualifier = count
        r.add("killed", _Item(m.start(), m.end(), low, best, high, qualifier, m.group("noun"), False), tail.span())
        r.take(m.start(), tail.end())


# --- which sentences can yield a figure ----------------------------------------------------
def _kinded(*sources: str) -> set[str]:
    """The spellings of verb alternatives that make a mention of some kind (not "arrested")."""
    return {v for source in sources for v in spellings(source) if _kind(v) is not None}


def _casualty_words() -> frozenset[str]:
    """Words one of which is in every sentence a mention is read from: each reading adds a
    mention only after a match of one of these alternations (its verb or noun), so a
    sentence with none of them (case folded) yields no mention.

    - negated: `_NEGATED_VERB`, `_NEGATED_NOUN`; field forms: `_FIELD_NOUN`; coded: "coded";
    - result forms: `_RESULT_NOUN_VERB` (of a kind), `_DEATHS_OF_NOUN`, `_TOLL_HEAD`;
    - active forms: `_ACTIVE_VERB` (of a kind; "beat"... only with `_TO_DEATH`; "found"...
      only of bodies, `_BODIES`);
    - subject forms and definite plurals: `_TAIL_VERB` (of a kind; "found" of bodies;
      `_BLEW` only of bombers);
    - singular forms: `_SINGULAR_VERB`, `_DIED`, `_PRONOUN_VERB`; "them": `_THEM`.
    """
    words = _kinded(
        _ACTIVE_VERB, _RESULT_NOUN_VERB, _SINGULAR_VERB, _KILLED, _WOUNDED, _KIDNAPPED, _MISSING, _TAIL_NOUN
    )
    words -= set(_TO_DEATH_VERBS)
    words |= spellings(_NEGATED_VERB) | spellings(_FIELD_NOUN) | spellings(_DIED) | spellings(_PRONOUN_VERB)
    for source in (_NEGATED_NOUN, _DEATHS_OF_NOUN, _TOLL_HEAD, _LATER_FOUND, _TO_DEATH.pattern, _THEM.pattern):
        words |= necessary_words(source)
    words |= {"coded", "bomber", *(noun for (noun,) in _BODIES)}
    return frozenset(w for w in words if not any(o != w and o in w for o in words))


#: Case-folded words one of which is in every sentence a casualty mention is read from.
CASUALTY_WORDS = _casualty_words()

# Word groups (bits): a sentence's words tell which readings can do something in it.
_W_NEGATED, _W_FIELD, _W_RESULT, _W_RESULT_KIND, _W_DEATHS_OF, _W_TOLL = 1, 2, 4, 8, 16, 32
_W_ACTIVE, _W_ACTIVE_KIND, _W_TAIL_KIND, _W_TAIL_TAKE, _W_SINGULAR, _W_HURT_DIED = 64, 128, 256, 512, 1024, 2048
_W_PRONOUN, _W_THEM, _W_CODED = 4096, 8192, 16384
_BODY_WORDS = frozenset(noun for (noun,) in _BODIES)
#: Per group, words one of which every match of its pattern (part) spells.
_GROUP_WORDS = {
    _W_NEGATED: necessary_words(_NEGATED_VERB) | necessary_words(_NEGATED_NOUN),
    _W_FIELD: necessary_words(_FIELD_NOUN),
    _W_RESULT: necessary_words(_RESULT.pattern),
    # `_RESULT_NOUN` verbs of a kind: the only ones after which a result form adds a mention
    _W_RESULT_KIND: frozenset(_kinded(_RESULT_NOUN_VERB)),
    _W_DEATHS_OF: necessary_words(_DEATHS_OF_NOUN) | necessary_words(_DEAD_LISTED),
    _W_TOLL: necessary_words(_TOLL_HEAD),
    _W_ACTIVE: necessary_words(_ACTIVE_VERB),
    # verbs after which an active form adds a mention: of a kind, "beat"... "to death",
    # "found"... of bodies
    _W_ACTIVE_KIND: frozenset(_kinded(_ACTIVE_VERB) - set(_TO_DEATH_VERBS))
    | necessary_words(_TO_DEATH.pattern)
    | _BODY_WORDS,
    # `_TAIL` verbs after which a subject form adds a mention ("found" of bodies, "blew" of bombers)
    _W_TAIL_KIND: necessary_words(_LATER_FOUND)
    | _kinded(_KILLED, _WOUNDED, _KIDNAPPED, _MISSING, _TAIL_NOUN)
    | _BODY_WORDS
    | {"bomber"},
    # `_TAIL` verbs of no kind: the subject form takes its span all the same ("were arrested")
    _W_TAIL_TAKE: necessary_words(_OTHER) | {"casualties"},
    _W_SINGULAR: necessary_words(_SINGULAR_VERB),
    _W_HURT_DIED: necessary_words(_DIED),
    _W_PRONOUN: necessary_words(_PRONOUN_VERB),
    _W_THEM: necessary_words(_THEM.pattern),
    _W_CODED: frozenset({"coded"}),  # "coded as" opens both alternatives of `_CODED`
}


@cache  # at most 2 ** 15 word sets
def _plan(words: int) -> int:
    """The readings to run in a sentence holding words of the groups `words`.

    A reading runs when it can add a mention (its pattern can match, and so can the verb
    or noun after which it adds one), or when a later reading that runs can see what it
    does: the nouns and lists it sees (result and active forms: read by the active and
    subject forms, whose bare numbers take the noun of the nearest earlier item, and by
    "them"), or the spans it takes without adding (a subject form of no kind, "were
    arrested": later readings read only free spans)."""
    run = 0
    tail_kind = bool(words & _W_TAIL_KIND)
    later = words & (_W_SINGULAR | _W_HURT_DIED | _W_PRONOUN | _W_THEM | _W_CODED) or tail_kind
    subject = tail_kind or bool(words & _W_TAIL_TAKE and later)
    active = bool(words & _W_ACTIVE and (words & _W_ACTIVE_KIND or subject or words & _W_THEM))
    if words & _W_NEGATED:
        run |= _NEGATED_READ
    if words & _W_FIELD:
        run |= _FIELD_READ
    if words & _W_RESULT and (words & _W_RESULT_KIND or active or subject):
        run |= _RESULT_READ
    if words & _W_DEATHS_OF:
        run |= _DEATHS_OF_READ
    if words & _W_TOLL:
        run |= _TOLL_READ
    if active:
        run |= _ACTIVE_READ
    if subject:
        run |= _SUBJECT_READ
    if tail_kind:
        run |= _DEFINITE_READ  # a definite plural counts only before a verb of killing
    for group, reading in ((_W_SINGULAR, _SINGULAR_READ), (_W_HURT_DIED, _HURT_DIED_READ), (_W_PRONOUN, _PRONOUN_READ),
                           (_W_THEM, _THEM_READ), (_W_CODED, _CODED_READ)):  # fmt: skip
        if words & group:
            run |= reading
    return run


@lru_cache(maxsize=1)
def _words_automaton() -> ahocorasick.Automaton:
    """`CASUALTY_WORDS` and the words of `_GROUP_WORDS`, each with its length - 1, its
    groups, and 1 if it is a casualty word holding a `_CUE` (which every sentence read
    needs too), 2 if one without, else 0."""
    values: dict[str, tuple[int, int]] = {}
    for word in CASUALTY_WORDS:
        values[word] = (0, 1 if _CUE.search(word) else 2)
    for bit, words in _GROUP_WORDS.items():
        for word in words:
            groups, cue = values.get(word, (0, 0))
            values[word] = (groups | bit, cue)
    automaton = ahocorasick.Automaton()
    for word, (groups, cue) in values.items():
        automaton.add_word(word, (len(word) - 1, groups, cue))
    automaton.make_automaton()
    return automaton


def _readings(words: int, cued: int, folded: str, pos: int, end: int) -> int:
    """The readings of a sentence holding words of the groups `words` and casualty words
    `cued` (1: one holding a `_CUE`, 2: one without, 3: both), whose `fold_case` is
    `folded[pos:end]`."""
    if cued & 1 or (cued & 2 and _CUE_HELD.holds(folded, pos, end)):
        return _plan(words)
    return 0


def readings(text: str) -> int:
    """The readings (`read_casualties`'s `which`) that can find something in the sentence
    `text`; 0 if no figure can be read from it (none of `CASUALTY_WORDS`, or no `_CUE`)."""
    words = cued = 0
    folded = fold_case(text)
    for _, (_, groups, cue) in _words_automaton().iter(folded):
        words |= groups
        cued |= cue
    return _readings(words, cued, folded, 0, len(folded))


def may_count(text: str) -> bool:
    """Whether a figure can be read from the sentence `text` (`find_casualties` reads none
    when not): it holds one of `CASUALTY_WORDS` and a `_CUE`."""
    return readings(text) != 0


def sentence_readings(
    text: str, sents: Sequence[Sentence], folded: str | None = None, placed: bool = False
) -> list[int]:
    """`readings` of each sentence of an article of text `text` (as `text.sentences` makes
    them: `text` holds each at its offset), by one pass over the article. `folded`:
    `fold_case(text)`, if known (a sentence's `fold_case` is its slice: folding goes by
    character); `placed`: whether `text` is known to hold every sentence at its offset
    (else each is checked)."""
    folded = fold_case(text) if folded is None else folded
    starts = [s.start for s in sents]
    ends = [s.start + len(s.text) for s in sents]
    words = [0] * len(sents)
    cued = [0] * len(sents)
    i = -1  # the sentence the last hit started in (hits come by end, so nearly by start)
    for last, (back, groups, cue) in _words_automaton().iter(folded):
        first = last - back
        if not (0 <= i < len(sents) and starts[i] <= first and (i + 1 == len(sents) or first < starts[i + 1])):
            i = bisect_right(starts, first) - 1
        if i >= 0 and last < ends[i]:
            words[i] |= groups
            cued[i] |= cue
    return [
        (_readings(w, c, folded, s.start, end) if c else 0)
        if placed or text.startswith(s.text, s.start)
        else readings(s.text)
        for w, c, s, end in zip(words, cued, sents, ends, strict=True)
    ]


def find_casualties(
    sentence: Sentence,
    before: Sequence[Sentence] | Antecedents = (),
    max_figure: int = DEFAULT_LIMITS.max_casualty_figure,
) -> list[CasualtyMention]:
    """Every casualty figure in one sentence, non-overlapping, in order.

    `before` are the article's earlier sentences (or an `Antecedents` over the article's
    sentences, with `upto` at this one): a definite plural ("the hostages were executed")
    counts as many as the nearest of them counted.

    Hostile figures: a figure above `max_figure` ("999999999999 killed", "5,000,001
    dead", a range whose top is above it) is not believed and dropped, never clipped; a
    digit run too long to parse reads as above any limit (`numbers.ABSURD`). No figure is
    ever negative: a number with a minus sign ("-5 killed"; a Unicode minus, U+2212, which
    the clean stage folds to "-") is not a head count, since a count starts only after a
    character that is neither a word character nor a dash: its figure is dropped, not read
    as 5 (a sign on a toll is garbage or hostile, and dropping never inflates a total).
    """
    found = readings(sentence.text)
    return read_casualties(sentence, before, max_figure, found) if found else []


def read_casualties(
    sentence: Sentence,
    before: Sequence[Sentence] | Antecedents = (),
    max_figure: int = DEFAULT_LIMITS.max_casualty_figure,
    which: int = ALL_READINGS,
    cumulative: bool | None = None,
    protest: bool | None = None,
) -> list[CasualtyMention]:
    """`find_casualties` of a sentence that `may_count`, by the readings `which` (all, or
    those its `readings` or `sentence_readings` give: the others find nothing there).
    `cumulative`, `protest`: whether `_CUMULATIVE` and `_PROTEST` find something in the
    sentence, if known (`CUMULATIVE_SCAN`, `PROTEST_SCAN`)."""
    reader = _Reader(sentence, max_figure, cumulative, protest)
    if which & _NEGATED_READ:
        _read_negated(reader)
    if which & _FIELD_READ:
        _read_field(reader)
    _read_result(reader, which)
    if which & _ACTIVE_READ:
        _read_active(reader)
    if which & _SUBJECT_READ:
        _read_subject(reader)
    _read_singular(reader, which)
    if which & _THEM_READ:
        _read_them(reader)
    if which & _DEFINITE_READ:
        _read_definite(reader, before if isinstance(before, Antecedents) else Antecedents(before))
    if which & _CODED_READ:
        _read_coded(reader)
    return sorted(reader.found, key=lambda c: c.span.start)
