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
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from schemas import CasualtyMention, Span
from schemas.entities import CasualtyKind, Scope
from streams.extract.numbers import NUMBER, VAGUE, parse_number
from streams.extract.text import Sentence
from streams.limits import DEFAULT_LIMITS

__all__ = ["Antecedents", "find_casualties", "sentence_scope", "victim_group", "mask_non_counts"]

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
_MASK = re.compile(
    rf"\b{_DAYRUN}\s+(?:of\s+)?{_MONTH}\b\.?(?:,?\s+(?:1[89]|20)\d\d\b)?"
    rf"|\b{_MONTH}\.?\s+{_DAYRUN}\b(?:,?\s+(?:1[89]|20)\d\d\b)?"
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?(?:\s*-\s*\d{1,2}(?:/\d{1,2}(?:/\d{2,4})?)?)?"
    r"|\b\d{1,2}:\d\d\b"
    r"|\b(?:1[89]|20)\d\d(?:s|/\d\d)?\b(?!\s+(?:people|persons|soldiers|civilians|militants|fighters|villagers))"
    rf"|\b(?:{NUMBER})(?:\s*|-)(?:{_MEASURE_UNITS})(?![\w-])"
    rf"|\b(?:{NUMBER})[\s-]+years?[\s-]+old\b"
    r"|\b\d+(?:st|nd|rd|th)\b|\b(?:No\.|number|#)\s*\d+",
    re.I,
)


_QUOTES = re.compile(r"(?<![\w])['\"\u2018\u201c]|['\"\u2019\u201d](?![\w])")


@lru_cache(maxsize=64)
def mask_non_counts(text: str) -> str:
    """`text` with dates, years, ages and measures replaced by '#', quotes by spaces (same length)."""
    return _QUOTES.sub(" ", _MASK.sub(lambda m: re.sub(r"[^\s]", "#", m.group()), text))


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
    "victims|bodies|corpses|others|"
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
    "adviser|shopkeeper|"
    "vendor|tailor|butcher|mechanic|guide|aggressor|onlooker|bystander|"
    "spokesman|representative|president|candidate|activist|opponent|lawyer|judge|magistrate|diplomat|"
    "apprentice|emir|sheikh|prefect|sub-prefect|governor|minister|ranger|trooper|baby|infant|adult|"
    "motorcyclist|cyclist|customs officer|forest guard|head|one"
)
# Every person word starts with an ASCII letter: the lookahead changes no match, but skips
# trying several hundred words where a noun cannot start (a number: "5 5 5 ...").
_PERSON = rf"(?=[A-Za-z])(?:{_PERSON_PLURAL}|{_PERSON_SINGULAR})"
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
_MOD = rf"(?:#+|(?!(?:{_STOP})\b)[A-Za-z\u00c0-\u024f][\w'\u2019./-]*|\([^()]{{1,30}}\))"
_HEAD = rf"(?:(?:[a-z]+-)?{_PERSON}\b|(?-i:[A-Z][A-Za-z\u00c0-\u024f'\u2019-]*[A-Za-z])(?![\w-]))"
_NP = rf"(?:(?:{_MOD}\s+){{0,4}}{_HEAD})"

_QUAL = (
    r"(?P<qual>at least|more than|over|nearly|almost|about|around|approximately|some|up to|close to|roughly"
    r"|an estimated|as many as|no fewer than|no less than|upwards of|in excess of|fewer than|less than"
    r"|a further|another|a total of|an additional|a minimum of|a maximum of|a reported|a dozen more)"
)
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
_THING_AFTER = re.compile(rf"\s+(?:(?:{_MOD})\s+){{0,2}}(?:{_THING})\b", re.I)
_ITEM_ONE = re.compile(
    rf"(?P<det>an?|one|the|his|her|its|their|another|a further|an additional|one more)\s+"
    rf"(?P<np>(?:{_MOD}\s+){{0,4}}(?:[a-z]+-)?(?:{_PERSON_SINGULAR})\b)"
    rf"|(?P<det2>an?|one)\s+(?P<np2>(?:{_MOD}\s+){{0,2}}(?-i:[A-Z][A-Za-z'-]*[a-z])(?![\w-])"
    rf"(?!\s+(?:{_THING}|[a-z]+ed)\b))",
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
    r"|succumbed|slaughtered|found dead|drowned|killed in action|kiled|kiling"
)
_WOUNDED = r"wounded|injured|hurt|maimed|shot and wounded|seriously wounded|severely wounded|critically wounded"
_KIDNAPPED = r"kidnapped|abducted|taken hostage|held hostage|taken captive|taken away|taken prisoner|captured"
_MISSING = r"missing|unaccounted for|disappeared"
_OTHER = r"arrested|detained|released|freed|rescued|displaced|unharmed|safe|escaped|fled"
_FOUND = r"found|discovered|recovered|retrieved|exhumed"
_AUX_WORDS = (
    r"were|was|have been|has been|had been|are|is|got|being|been|reportedly|also|all|allegedly|later|"
    r"subsequently|eventually|apparently|presumably|possibly|likely|confirmed|reported|believed to have been|"
    r"said to have been|each|both|in total|in all|then|seriously|severely|critically|fatally|mortally|"
    r"lightly|slightly|badly|immediately|instantly|tragically|unfortunately|thus|respectively|themselves|"
    r"remain|remained|summarily shot|summarily|extrajudicially|publicly|brutally|is believed to have been|"
    r"are believed to have been|were believed to have been|"
    r"reported to have been|feared to have been|feared|presumed|on both sides|"
    r"(?:abducted|kidnapped|captured|arrested|tortured|beaten|shot|taken|brought back|found|detained)"
    r"(?:\s+by\s+[^,.;]{1,60}?\s+and\s+(?:were|was)|\s*,|\s+and|\s+then|\s+before being|\s+and then)"
)
_AUX = rf"(?:\s*,?\s+(?:{_AUX_WORDS}))*"
_SUBSET = (
    r"(?:\s*,?\s*(?:including|among them|among whom|of whom|mostly|mainly|the majority|most of them)\b"
    r"[^.;:()]{0,80}?,)"
)
_TAIL = re.compile(
    rf"(?:\s*\([^()]{{1,60}}\))?{_SUBSET}?"
    rf"(?:\s+(?:from|of|belonging to|aboard|in|at|on|among)\s+(?:the\s+|a\s+|an\s+)?"
    rf"(?:(?:[\w'\u2019-]+|\([^()]{{1,30}}\))\s+){{0,4}}?"
    rf"[\w'\u2019-]+(?=(?:{_AUX})\s+(?:{_KILLED}|{_WOUNDED}|{_KIDNAPPED}|{_MISSING})\b))?"
    r"(?:\s*,?\s+(?:who|that)\s+(?:had|have|has|were|was)\s+[^,.;]{0,80}?(?=\s+(?:were|was|are)\b))?"
    r"(?:\s+(?-i:[a-z]+ing)(?:\s+[\w'-]+){1,5}?(?=\s+(?:were|was|are|have|had|has)\b))?"
    r"(?:\s*,\s*(?-i:[a-z]+(?:ed|ing))\b[^,.;]{0,50},)?"
    r"(?P<unknown>(?:\s+(?-i:[a-z]+)){0,2}?)"
    rf"(?P<aux>{_AUX})\s*['\"\u2018\u201c]?(?P<verb>(?:missing|disappeared),?\s+(?:and\s+)?(?:were\s+)?later\s+found\s+dead|{_KILLED}|{_WOUNDED}|{_KIDNAPPED}|{_MISSING}|{_OTHER}|{_FOUND}"
    r"|deaths?|fatalities|casualties|injuries|dead bodies|bodies|detonated|blew)\b"
    r"(?P<wounds>\s+(?:later\s+)?(?:of|from)\s+(?:his|her|their)\s+(?:wounds|injuries))?",
    re.I,
)
_ACTIVE = re.compile(
    r"\b(?P<verb>killing|killed|kill|kills|kiling|kiled|assassinate|execute|murder|behead|abduct|kidnap|wound|injure|"
    r"claimed the lives? of|claiming the lives? of|massacred|massacring|"
    r"executed|executing|slit the throats? of|slitting the throats? of|cut the throats? of|assassinated|"
    r"assassinating|shot dead|shooting dead|shot and killed|gunned down|"
    r"gunning down|lynched|lynching|beheaded|beheading|decapitated|slaughtered|slaughtering|murdered|murdering|"
    r"neutralized|neutralised|neutralizing|neutralising|eliminated|eliminating|wounding|wounded|injuring|"
    r"injured|abducting|abducted|kidnapping|kidnapped|took hostage|taking hostage|seized|captured|capturing|"
    r"beat|beating|stoned|stoning|stabbed|stabbing|hacked|burned|burnt|found|discovered|recovered|lost|losing|"
    r"arrested|arresting|detained|detaining|intercepted)"
    r"(?P<adv>\s+(?:reportedly|allegedly|also|then|and mutilated(?: the body of)?|and wounded|"
    r"and injured|and burned))*\s+",
    re.I,
)
_TO_DEATH = re.compile(r"\s+to death\b", re.I)
_RESULT = re.compile(
    r"\b(?:left|leaving|leaves|resulting in|resulted in|results in|causing|caused|with|claiming|claimed|"
    r"reporting|recording|registering|counting|toll of|tally of|acknowledg(?:ed|ing)|admitt(?:ed|ing)|"
    r"confirm(?:ed|ing))\s+",
    re.I,
)
_RESULT_NOUN = re.compile(
    r"(?P<aux>\s+(?:people\s+|persons\s+)?)(?P<verb>dead|deaths|fatalities|killed|wounded|injured|injuries|"
    r"casualties|victims|bodies)\b",
    re.I,
)
_DEATHS_OF = re.compile(
    r"\b(?P<verb>deaths?|killings?|murders?|assassinations?|executions?|bodies|body|corpses?|remains|"
    r"dead bodies|abductions?|kidnappings?|(?:mass\s+|common\s+)?graves?)\s+(?:of|containing|with)\s+",
    re.I,
)
_SAME_VICTIM = re.compile(r"the\s+(?:victims?|deceased|dead)\b", re.I)
_KILLED_BEFORE = re.compile(rf"\b(?:{_KILLED}|killing|shot)\b", re.I)
_TOLL = re.compile(
    rf"\b(?:death toll|toll|number of (?:dead|deaths|victims|fatalities))\s+"
    rf"(?:(?:\w+\s+){{0,4}}?(?:of|to|at|reached|is|was|stands at|stood at|hit|rose to|climbed to|rising to)"
    # "the toll from Sunday's attack on the camp in X, in central Mali, has risen to 41"
    rf"|(?:[^\s.;]+\s+){{0,16}}?(?:(?:has|had|have)\s+)?(?:risen|rose|climbed|jumped|increased|reached)(?:\s+to)?)"
    rf"\s+{_AMOUNT}",
    re.I,
)
_FIELD = re.compile(r"\b(?:total\s+)?(?:fatalities|deaths|killed|casualties)\s*:\s*", re.I)
_FIELD_NAMED = re.compile(r"(?P<np>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?)\s+(?P<num>\d+)\b")
_CODED = re.compile(
    r"\b(?:fatalit(?:y|ies)|deaths|casualties|losses|killed|dead|toll)\b[^.;]{0,60}?\bcoded\s+as\s+"
    r"(?P<num>\d+|ten|three|one|two|five)\b(?!\s*(?:events?|dates?|separate|at\b))"
    r"|\bcoded\s+as\s+(?P<num2>\d+|ten|three)\s+(?:fatalit(?:y|ies)|deaths)",
    re.I,
)
_SINGULAR_PASSIVE = re.compile(
    r"\b(?P<aux>(?:was|has been|had been|is|is believed to have been|was believed to have been|"
    r"is reported to have been|is said to have been|was said to have been)"
    r"(?:\s+(?:reportedly|allegedly|also|later|subsequently|then|"
    r"apparently|presumably|fatally|mortally|seriously|severely|critically|badly|immediately|brought back|"
    r"taken|found|shot|beaten|tortured|stabbed|caught|arrested|abducted|kidnapped|captured|wounded|injured)"
    r"(?:\s+and)?)*)\s+(?P<verb>killed|executed|shot dead|shot and killed|slain|murdered|assassinated|beheaded|"
    r"lynched|gunned down|shot down|burned to death|burnt to death|beaten to death|stoned to death|hacked to death|"
    r"stabbed to death|found dead|slaughtered|massacred|wounded|injured|hurt|kidnapped|abducted|taken hostage)\b",
    re.I,
)
_WAS_HURT_DIED = re.compile(
    r"\b(?:was|were)\s+(?:\w+\s+){0,2}?(?:shot|wounded|injured|hit|stabbed|beaten|hurt)\b[^.;,]{0,50}?"
    r"\band\s+(?:later\s+|subsequently\s+|eventually\s+)?(?P<verb>died|succumbed)\b",
    re.I,
)
_PRONOUN_DIED = re.compile(
    r"\b(?:he|she|who|the victim)\s+(?:(?:later|subsequently|eventually|then|also|reportedly)\s+)*"
    r"(?P<verb>died|succumbed|passed away|lost (?:his|her) life)\b",
    re.I,
)
_NEGATED = re.compile(
    rf"\b(?:no one|nobody|none|no\s+(?:{_MOD}\s+)?(?:{_PERSON}))\s+(?:\w+\s+)?(?:was|were|has been|had been|got)\s+"
    r"(?:\w+\s+)?(?:killed|hurt|injured|wounded|harmed|kidnapped|abducted)"
    r"|\bno (?:casualties|deaths|fatalities|injuries|victims|loss of life|losses)\b"
    r"|\bwithout (?:casualties|loss of life|any casualties|fatalities|victims)"
    r"|\b(?:casualties|fatalities) (?:were |are )?(?:unknown|not reported|unclear)",
    re.I,
)
_HYPOTHETICAL = re.compile(
    r"\b(?:could|would|might|may|threaten(?:ed|ing|s)? to|plan(?:ned|ning|s)? to|vow(?:ed|s)? to|"
    r"attempt(?:ed|ing|s)? to|tried to|trying to|failed to|intended to|aim(?:ed)? to|sought to|in order to|"
    r"an attempt to|escaped|avoid)\s+(?:\w+\s+)?(?:kill|abduct|kidnap|assassinate|execute|wound|capture)",
    re.I,
)
_CUMULATIVE = re.compile(
    r"\bsince\b|\bso far\b|\bthis year\b|\blast year\b|\bin total\b|\bin recent (?:days|weeks|months|years)\b"
    r"|\bover the (?:past|last)\b|\bin the (?:past|last) (?:\w+ )?(?:days|weeks|months|years|decade)\b"
    r"|\b(?:per ?cent|percent)\b|\bannual\b|\bcumulative\b|\bkilled in attacks\b|\bin (?:19|20)\d\d\b"
    r"|\bthroughout (?:the|this|last) (?:year|month|period|country)\b|\bevery (?:year|month)\b|\bto date\b"
    r"|\bin (?:a|one) (?:series|spate|wave) of\b"
    r"|\bkilled in (?:recent|separate|several|multiple|various) (?:attacks|clashes|incidents)",
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
_BACKGROUND_AFTER = re.compile(
    r"[^.;,()]{0,30}?\b(?:\w+\s+)?(?:days?|weeks?|months?|years?|nights?)\s+(?:earlier|before|prior)\b", re.I
)
_UNVERIFIED_AFTER = re.compile(
    r"[^.;]{0,120}?\b(?:could not be|cannot be|has not been|have not been|was not|were not)\s+"
    r"(?:independently\s+)?(?:verified|confirmed)\b",
    re.I,
)
_PROTEST = re.compile(r"\b(?:protest|demonstrat|rall(?:y|ied)|sit-in|march(?:ed|es)?\b|riot)", re.I)
_RELATIVE = re.compile(r"\b(?:which|that|after|over|following|against)\b", re.I)
_CLAIM = re.compile(
    r"\bclaim(?:ed|s|ing)?\b(?!\s+(?:responsibility|credit|the\s+(?:attack|lives?|ambush|assault|operation|"
    r"abduction|killing|attacks|bombing|raid)|lives?|to have been))"
    r"|\b(?:boasted|propaganda|unconfirmed|unverified)\b|\bspokes(?:man|woman|person)\b(?:\s+[\w'-]+){0,3}?\s+(?:said|stated|announced)\b"
    r"|(?:\b(?-i:Islamic State|IS|ISGS|ISSP|ISWAP|JNIM|GSIM|AQIM|Ansar Dine|al-Qaeda|Boko Haram|[A-Z]{3,6})"
    r"|\b(?:the group|the jihadists|the militants|the rebels|rebels))"
    r"\s+(?:later\s+)?(?:said|says|reported|announced|stated"
    r"|asserted)\b(?!\s+(?:it|they)\s+(?:was|were)\s+responsible)",
    re.I,
)
_ADDITIONAL_AUX = re.compile(r"\b(?:later|subsequently|eventually|also)\b", re.I)
_ADDITIONAL_VERB = re.compile(r"succumbed", re.I)
_CUE = re.compile(
    r"\d|kil|dead|death|died|wound|injur|kidnap|abduct|execut|slain|massacr|murder|assassin|behead|lynch|"
    r"fatalit|casualt|toll|bodies|corpse|perish|hostage|missing|hurt|neutrali|eliminat|gunned|succumb|"
    r"slaughter|captur|drown|decapitat|lives|shot|alive|stoned|beat|grave|bomber|throat|lynch",
    re.I,
)

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
_GENERIC = {"people", "persons", "person", "individuals", "individual", "others", "other", "victims", "victim",
            "bodies", "body", "corpses", "corpse", "them", "those", "ones", "one", "whom", "members", "member",
            "men", "man", "adults", "head"}  # fmt: skip


_FILLER = {"other", "more", "further", "of", "the", "them", "his", "her", "their", "its", "those", "whom", "some",
           "all", "presumed", "suspected", "alleged", "unidentified", "unknown", "armed", "young",
           "innocent"}  # fmt: skip


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


def sentence_scope(sentence: str) -> Scope:
    """The scope every figure of the sentence inherits before per-mention checks."""
    if _CUMULATIVE.search(sentence):
        return "cumulative"
    return "event"


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
        return low, low, high, "between"
    num = m.group("num")
    value = parse_number(num) if num else None
    if value is None:
        return None
    qual = (m.group("qual") or "").lower() or ("more than" if m.group("plus") else None)
    if num and num.lower() in VAGUE:
        qual = num.lower()
    return value, value, value, qual


def _item(masked: str, original: str, pos: int) -> _Item | None:
    """One victim item starting at `pos`: a counted noun phrase or a singular person."""
    m = _ITEM_NUM.match(masked, pos)
    if m is not None:
        amount = _amount(m)
        np = m.group("np")
        if amount is not None and (np or not _THING_AFTER.match(masked, m.end())):
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
    m = _SELF.match(masked, pos)
    if m is not None:  # "a suicide attacker killed himself and two soldiers"
        return _Item(m.start(), m.end(), 1, 1, 1, None, "self", False)
    m = _ITEM_ONE.match(masked, pos)
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


_JOINER = re.compile(r"\band\b|&|\bplus\b|\balong with\b|\bas well as\b", re.I)
#: Where a counted item can start: an optional determiner and qualifier, then a number.
_COUNT_START = (
    rf"(?:(?:the|its|their|his|her|our|some|all)\s+)?(?:{_QUAL}\s+|between\s+)?(?:{NUMBER})(?!\w)(?!-[A-Za-z])"
)
_NUMERIC = re.compile(_COUNT_START, re.I)


_OBJECT_ONE = re.compile(
    rf"(?:(?P<det>an?|the|his|her|their|its)\s+)?(?P<np>(?:{_MOD}\s+){{0,3}}(?-i:[a-z][a-z'-]+[a-z]))\b"
    rf"(?!\s+(?:{_THING}|of\s+(?:the\s+)?(?:{_THING})))",
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

    def __init__(self, masked: str, original: str) -> None:
        self.masked = masked
        self.original = original
        self._items: dict[int, _Item | None] = {}
        self._steps: dict[_Item, _Step | None] = {}

    def item(self, pos: int) -> _Item | None:
        if pos not in self._items:
            self._items[pos] = _item(self.masked, self.original, pos)
        return self._items[pos]

    def step(self, prev: _Item) -> _Step | None:
        """The item after `prev` in a list, if a separator and an item follow it."""
        if prev not in self._steps:
            masked = self.masked
            sep = _SEP.match(masked, prev.end)
            nxt = self.item(sep.end()) if sep is not None else None
            self._steps[prev] = (
                None
                if sep is None or nxt is None
                else _Step(
                    nxt,
                    joined=_JOINER.search(sep.group()) is not None,
                    numeric=bool(_NUMERIC.match(masked, prev.start) and _NUMERIC.match(masked, nxt.start)),
                    clause=_CLAUSE_VERB.match(masked, nxt.end) is not None,
                )
            )
        return self._steps[prev]


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
    if v.endswith("found dead"):
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


class _Reader:
    """Reads one sentence: keeps the spans taken and the mentions found."""

    def __init__(self, sentence: Sentence, max_figure: int = DEFAULT_LIMITS.max_casualty_figure) -> None:
        self.sentence = sentence
        self.max_figure = max_figure
        self.text = sentence.text
        self.masked = mask_non_counts(sentence.text)
        self.base = sentence_scope(sentence.text)
        self.protest = _PROTEST.search(sentence.text) is not None
        self.taken: list[tuple[int, int]] = []
        # The characters taken, one byte each: `free` asks whether any is taken in a span
        # with one `find` instead of testing every span taken (quadratic in a sentence of
        # many figures). Empty spans mark no character: they are kept in `empty`.
        self._marks = bytearray(len(sentence.text) + 1)
        self._empty: list[tuple[int, int]] = []
        self._scopes: dict[tuple[int, int], Scope] = {}
        self.found: list[CasualtyMention] = []
        self.nouns: set[tuple[int, str]] = set()  # every person noun read, with its position
        self.steps = _Steps(self.masked, self.text)
        self.groups: list[list[_Item]] = []  # every list of persons read, for "them"

    def free(self, start: int, end: int) -> bool:
        """Whether no span taken overlaps [start, end)."""
        if start >= end:
            return not any(s < end and start < e for s, e in self.taken)
        if self._marks.find(1, max(start, 0), max(end, 0)) != -1:
            return False
        return not any(s < end and start < e for s, e in self._empty)

    def scope(self, start: int, end: int) -> Scope:
        """The scope of a figure read from [start, end), once per span: every item of a
        list shares its span, which can be a long one ("killing 5, 5, 5, ...")."""
        if (start, end) not in self._scopes:
            self._scopes[start, end] = self._scope(start, end)
        return self._scopes[start, end]

    def _scope(self, start: int, end: int) -> Scope:
        before = self.text[max(0, start - 70) : end]
        if _UNVERIFIED_AFTER.match(self.text, end):
            return "claim"  # "..., a figure that could not be independently verified"
        clause = _CLAUSE_SPLIT.split(before)[-1]
        if _HYPOTHETICAL.search(clause):
            return "hypothetical"
        lead = _LEAD_SPLIT.split(self.text[max(0, start - 70) : start])[-1] + self.text[start:end]
        if _CLAIM.search(lead):
            return "claim"
        if _BACKGROUND.search(lead) or _BACKGROUND_AFTER.match(self.text, end):
            return "background"
        if self.protest and _RELATIVE.search(lead):  # "protesters denounced the attack, which killed 53"
            return "background"
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
        start, end = item.start, item.end
        self.found.append(
            CasualtyMention(
                kind=kind, low=item.low, best=item.best, high=item.high, qualifier=item.qualifier,
                victims=_victims(noun),
                scope=scope or self.scope(span[0], span[1]), additional=additional or item.additional,
                span=Span(start=self.sentence.start + start, end=self.sentence.start + end, sentence=self.text),
            )
        )  # fmt: skip

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
        self.nouns.update((i.start, i.noun) for i in items if i.noun and victim_group(i.noun) is not None)


def _read_negated(r: _Reader) -> None:
    for m in _NEGATED.finditer(r.masked):
        zero = _Item(m.start(), m.end(), 0, 0, 0, None, None, False)
        r.add("killed", zero, m.span(), scope="negated", inherit=False)
        r.take(*m.span())


def _read_field(r: _Reader) -> None:
    """'Fatalities: 40 soldiers, 4 rebels' and 'Fatalities: FARF 31'."""
    for m in _FIELD.finditer(r.masked):
        pos = m.end()
        items = _list(r.steps, pos)
        if not items:
            named = []
            while (n := _FIELD_NAMED.match(r.masked, pos)) is not None:
                value = parse_number(n.group("num"))
                if value is None:
                    break
                named.append(_Item(n.start(), n.end(), value, value, value, None, n.group("np"), False))
                sep = _SEP.match(r.masked, n.end())
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
    for m in _CODED.finditer(r.masked):
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


def _read_result(r: _Reader) -> None:
    for m in _RESULT.finditer(r.masked):
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
    for m in _DEATHS_OF.finditer(r.masked):
        items = _list(r.steps, m.end())
        if not items or not r.free(m.start(), items[-1].end):
            continue
        noun_verb = m.group("verb").lower()
        of_kind: CasualtyKind = "kidnapped" if noun_verb.startswith(("abduct", "kidnap")) else "killed"
        again = _SAME_VICTIM.match(r.masked, m.end()) and _KILLED_BEFORE.search(r.masked, 0, m.start())
        if of_kind == "killed" and again:
            continue  # "killed a trader ... the corpse of the victim": the trader again
        for item in items:
            r.add(of_kind, item, (m.start(), items[-1].end))
        r.take(m.start(), items[-1].end)
    for m in _TOLL.finditer(r.masked):
        if not r.free(*m.span()):
            continue
        amount = _amount(m)
        if amount is None:
            continue
        r.add("killed", _Item(m.start(), m.end(), *amount, None, False), m.span())
        r.take(*m.span())


_PASSIVE_BEFORE = re.compile(r"\b(?:were|was|been|being|are|is|be)\s+(?:\w+ly\s+)?$", re.I)


def _read_active(r: _Reader) -> None:
    """'killing 4 soldiers and 3 civilians', 'killed the village chief', 'beat a boy to death'."""
    for m in _ACTIVE.finditer(r.masked):
        if not r.free(*m.span()) or _PASSIVE_BEFORE.search(r.masked, max(0, m.start() - 30), m.start()):
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
        if verb in ("beat", "beating", "stoned", "stoning", "stabbed", "stabbing", "hacked", "burned", "burnt"):
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
            if not any((i.noun or "").lower().split()[-1:] in (["bodies"], ["corpses"], ["body"]) for i in items):
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


def _starts(masked: str) -> list[int]:
    return [m.start() for m in _ITEM_START.finditer(masked)]


_ITEM_START = re.compile(
    rf"(?<![\w'-]){_COUNT_START}"
    r"|(?<![\w'-])(?:an?|one|the|his|her|its|their|another|a further|an additional|one more)\s+",
    re.I,
)


_HEADLINE_ONE = re.compile(
    rf"(?P<np>(?:{_MOD}\s+){{0,2}}(?:{_PERSON_SINGULAR}))\b(?=\s+(?:and|of|from|in|near|was|killed|"
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
    starts = _starts(r.masked)
    head = _HEADLINE_ONE.match(r.masked)
    if head is not None and head.group()[:1].isupper() and r.steps.item(0) is None:
        starts.insert(0, -1)  # headline style: "Village chief of X abducted and executed"
    for start in starts:
        headline = start == -1
        if headline:
            items = [_Item(0, head.end(), 1, 1, 1, None, r.text[: head.end()], False)] if head else []
            nxt = _SEP.match(r.masked, items[0].end) if items else None
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
        tail = _TAIL.match(r.masked, items[-1].end)
        if tail is None:
            if not headline:
                dead.update(i.start for i in items)
            continue
        verb = tail.group("verb").lower()
        end = tail.end()
        if verb in ("found", "discovered", "recovered", "retrieved", "exhumed"):
            nouns = [(i.noun or "").lower().split()[-1:] for i in items]
            if not any(n in (["bodies"], ["corpses"], ["body"], ["corpse"]) for n in nouns):
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


def _read_singular(r: _Reader) -> None:
    """'<anyone> was killed' is one victim; 'he later died of his wounds' one more."""
    for m in _SINGULAR_PASSIVE.finditer(r.masked):
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
    for m in _WAS_HURT_DIED.finditer(r.masked):  # "a student was shot by police and later died"
        subject = re.split(r"[,;:(]|\b(?:and|when|after|while|as)\b", r.masked[: m.start()])[-1]
        if r.free(*m.span()) and not _NUMERIC.search(subject):
            r.add("killed", _Item(m.start(), m.end(), 1, 1, 1, None, None, False), m.span(), inherit=False)
            r.take(*m.span())
    for m in _PRONOUN_DIED.finditer(r.masked):
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


def _read_them(r: _Reader) -> None:
    """'arrested nine men and executed them': the pronoun counts the persons read before."""
    for m in _THEM.finditer(r.masked):
        before = [g for g in r.groups if g[-1].end <= m.start()]
        if not before or not r.free(*m.span()):
            continue
        for item in before[-1]:
            counted = _Item(m.start(), m.end(), item.low, item.best, item.high, item.qualifier, item.noun, False)
            r.add("killed", counted, m.span())
        r.take(*m.span())


_DEFINITE = re.compile(
    rf"(?<![\w'-])(?:the|these|those)\s+(?:{_MOD}\s+){{0,3}}?(?P<noun>(?:[a-z]+-)?(?:{_PERSON_PLURAL}))\b", re.I
)
_NUM_START = re.compile(rf"(?<![\w'-])(?:{NUMBER})(?!\w)(?!-[A-Za-z])", re.I)
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
    out: dict[str, _Count] = {}
    for start in (m.start() for m in _NUM_START.finditer(masked)):
        item = _item(masked, sentence.text, start)
        head = _head(item.noun) if item is not None else None
        if item is not None and head is not None and item.best > 1 and not _THING_AFTER.match(masked, item.end):
            out[head] = (item.low, item.best, item.high, item.qualifier)
    return out


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
    for m in _DEFINITE.finditer(r.masked):
        head = _head(m.group("noun"))
        tail = _TAIL.match(r.masked, m.end()) if head else None
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
    if not _CUE.search(sentence.text):
        return []
    reader = _Reader(sentence, max_figure)
    _read_negated(reader)
    _read_field(reader)
    _read_result(reader)
    _read_active(reader)
    _read_subject(reader)
    _read_singular(reader)
    _read_them(reader)
    _read_definite(reader, before if isinstance(before, Antecedents) else Antecedents(before))
    _read_coded(reader)
    return sorted(reader.found, key=lambda c: c.span.start)
