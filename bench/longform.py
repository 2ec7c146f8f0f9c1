"""Full-length generated news articles (400-1,200 words), seeded, for the speed benchmarks.

Each article reads like a wire or local-press report on the Sahel: a lead paragraph on an
attack (a real gazetteer town, its region and country, a weekday or a date, an armed
group, a toll with its qualifiers), quotes from officials and residents, follow-up
paragraphs (wounded, kidnapped, a toll that rose, a claim), and background: earlier
attacks with their dates and figures, displacement and aid statistics, budgets and
percentages, elections and talks, other towns of the region, plus the boilerplate
outlets leave in their bodies ("READ ALSO: ...", share and subscribe lines, bylines).
About a third of the articles report no attack at all (politics, aid, economy), as a real
feed does. The text is varied sentence by sentence so that no paragraph repeats (the
clean stage drops repeated paragraphs); casualty, place and date words are spread over
the whole article, not only its lead.

    from bench.longform import articles
    raw = articles(1000, seed=3)   # list of dicts for articles.raw (id, url, source, ...)
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bench.generate import towns
from streams.extract.gazetteer import Entry

__all__ = ["articles", "article"]

_COUNTRY = {"ML": "Mali", "BF": "Burkina Faso", "NE": "Niger", "TD": "Chad", "MR": "Mauritania",
            "NG": "Nigeria", "SN": "Senegal", "GH": "Ghana", "TG": "Togo", "BJ": "Benin", "GN": "Guinea",
            "CI": "Ivory Coast"}  # fmt: skip
_DEMONYM = {"ML": "Malian", "BF": "Burkinabe", "NE": "Nigerien", "TD": "Chadian", "MR": "Mauritanian",
            "NG": "Nigerian", "SN": "Senegalese", "GH": "Ghanaian", "TG": "Togolese", "BJ": "Beninese",
            "GN": "Guinean", "CI": "Ivorian"}  # fmt: skip
_GROUPS = ("JNIM", "the Islamic State in the Sahel", "Ansarul Islam", "Katiba Macina", "Boko Haram", "ISWAP",
           "suspected jihadists", "unidentified gunmen", "armed men on motorbikes", "bandits",
           "a self-defence militia", "Dozo hunters")  # fmt: skip
_VICTIMS = ("civilians", "soldiers", "villagers", "volunteers for the defence of the homeland", "herders",
            "traders", "worshippers", "gendarmes", "people", "farmers", "miners", "police officers")  # fmt: skip
_QUALIFIED = ("at least {n}", "{n}", "more than {n}", "some {n}", "nearly {n}", "about {n}", "{w}", "at least {w}")
_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen",
          "twenty", "thirty")  # fmt: skip
_FAMILIES = ("Traoré", "Diallo", "Ouédraogo", "Sawadogo")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
_OUTLETS = ("Sahel Wire", "Radio Kayira", "Niamey Post", "Ouaga Daily", "Bamako Tribune", "Desert Herald",
            "West Africa Monitor", "Lakeside Courier")  # fmt: skip
_ROLES = ("a local official", "a security source", "a resident who asked not to be named",
          "the regional governor", "an army spokesman", "a humanitarian worker",
          "a member of parliament for the area", "a hospital nurse")  # fmt: skip

_LEAD = (
    "{Group} attacked {place} in the {admin1} region of {country} on {when}, killing {toll} {victims}, {role} said.",
    "{Toll} {victims} were killed when {group} stormed the village of {place}, {admin1}, on {when}.",
    "{Toll} {victims} died in an attack on {place} in {country}'s {admin1} region on {when}, officials said.",
    "Residents of {place} buried {toll} {victims} killed on {when} by {group}, {role} told reporters.",
    "An ambush near {place} on {when} left {toll} {victims} dead, according to {role}.",
)
_FOLLOW = (
    "Another {k} people were wounded and taken to the hospital in {other}.",
    "The attackers also abducted {k} women and set fire to the market, {role} said.",
    "By {later}, the toll had risen to {more} dead as more bodies were found in the bush.",
    "{Group} claimed the attack in a statement, saying its fighters had killed {claim} soldiers.",
    "{k} of the wounded were in a critical condition, a doctor at the {other} health centre said.",
    "The army said in a statement that it had killed {k} assailants during the counter-attack.",
)
_QUOTE = (
    '"They came at dawn on dozens of motorbikes and started shooting at everyone," {role} said.',
    '"We have not slept since {when}. Everyone is afraid that they will come back," said a trader in {other}.',
    '"The situation is under control and reinforcements have arrived," {role} told {outlet}.',
    '"We buried them ourselves because nobody else came," a resident of {place} said by telephone.',
    '"This is the third attack on our commune since {month}," {role} said, asking for more troops.',
)
_CONTEXT = (
    "{country} has been fighting an insurgency since {year}, when armed groups took control of the north.",
    "Attacks in the {admin1} region have displaced more than {big} people, according to the United Nations.",
    "In {month} {year}, {n} soldiers were killed in a single attack on a base near {other}.",
    "The government has extended the state of emergency in {k} provinces for another {n} days.",
    "Humanitarian agencies say {big} people in the region need food assistance, up {pct} percent from last year.",
    "The military junta that seized power in {year} has pledged to restore security before holding elections.",
    "More than {big} schools have closed across the country because of insecurity, the education ministry said.",
    "The road between {place} and {other} has been cut for {n} weeks, and convoys travel only under escort.",
    "Last {month}, the government announced a budget of {n} billion CFA francs for the armed forces.",
    "Talks between community leaders and the armed groups broke down on {date}, after {n} days of meetings.",
    "The price of millet in {other} has risen by {pct} percent since the blockade began in {month}.",
    "A report published on {date} by a rights group documented {n} killings of civilians in {year}.",
    "The {demonym} army and its allies say they have killed hundreds of militants in recent operations.",
    "Farmers in {other} say they have been unable to reach their fields for {n} months.",
    "Voters in {other} will elect a new mayor on {date}, the electoral commission said.",
    "The country ranks {n}th of {big2} on the human development index, and {pct} percent of its people are under 25.",
)
_QUIET = (
    "The {demonym} government on {when} announced a new plan to rebuild roads and wells in the {admin1} region.",
    "Aid agencies delivered {n} tonnes of food to families in {place}, {admin1}, on {when}, {role} said.",
    "Community leaders from {place} and {other} met in the regional capital on {when} to discuss access to water.",
    "The price of fuel in {place} rose by {pct} percent on {when}, traders said, blaming the closure of the border.",
)
_BOILER = (
    "READ ALSO: {country}: what we know about the {admin1} crisis",
    "Subscribe to our newsletter for the latest news from the Sahel.",
    "Share this article on Facebook, X and WhatsApp.",
    "Photo credit: {outlet} / archives",
    "Follow us on Telegram for breaking news.",
)


def _toll(rng: random.Random, n: int) -> str:
    form = rng.choice(_QUALIFIED)
    return form.format(n=n, w=_WORDS[min(n, len(_WORDS)) - 1] if n <= 12 else str(n))


def _slots(rng: random.Random, place: Entry, other: Entry, day: datetime, outlet: str) -> dict[str, str]:
    n = rng.randint(2, 60)
    group = rng.choice(_GROUPS)
    toll = _toll(rng, n)
    earlier = day - timedelta(days=rng.randint(20, 900))
    return {
        "place": place.name, "other": other.name, "admin1": place.admin1 or "", "country": _COUNTRY[place.country],
        "demonym": _DEMONYM[place.country], "group": group, "Group": group[0].upper() + group[1:],
        "toll": toll, "Toll": toll[0].upper() + toll[1:], "victims": rng.choice(_VICTIMS),
        "role": rng.choice(_ROLES), "outlet": outlet,
        "when": rng.choice((_WEEKDAYS[day.weekday()], f"{day.day} {_MONTHS[day.month - 1]}",
                            f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}")),
        "later": _WEEKDAYS[(day.weekday() + 1) % 7], "more": str(n + rng.randint(1, 15)),
        "claim": str(n + rng.randint(5, 80)), "k": str(rng.randint(2, 40)),
        "month": rng.choice(_MONTHS), "year": str(rng.randint(2012, day.year)), "n": str(rng.randint(2, 400)),
        "big": f"{rng.randint(10, 2000) * 1000:,}", "big2": str(rng.randint(150, 200)),
        "pct": str(rng.randint(3, 80)), "date": f"{earlier.day} {_MONTHS[earlier.month - 1]} {earlier.year}",
    }  # fmt: skip


def article(rng: random.Random, ident: str, places: list[Entry], day: datetime) -> dict[str, object]:
    """One article (a dict for `articles.raw`) of 400-1,200 words."""
    place = rng.choice(places)
    others = [p for p in places if p.country == place.country and p is not place] or places
    outlet = rng.choice(_OUTLETS)
    attack = rng.random() < 0.67
    target = rng.randint(400, 1200)
    paragraphs: list[str] = []
    words = 0

    def sentences(bank: tuple[str, ...], low: int, high: int) -> list[str]:
        chosen = rng.sample(bank, min(len(bank), rng.randint(low, high)))
        return [t.format(**_slots(rng, place, rng.choice(others), day, outlet)) for t in chosen]

    if rng.random() < 0.5:
        given, family = rng.choice(("Amadou", "Fatou", "Ibrahim", "Mariam")), rng.choice(_FAMILIES)
        paragraphs.append(f"By {given} {family}")
    first = _slots(rng, place, rng.choice(others), day, outlet)
    paragraphs.append(rng.choice(_LEAD if attack else _QUIET).format(**first))
    while words < target:
        roll = rng.random()
        if attack and roll < 0.25:
            para = sentences(_FOLLOW, 1, 2)
        elif roll < 0.45:
            para = sentences(_QUOTE, 1, 1)
        elif roll < 0.5:
            para = sentences(_BOILER, 1, 1)
        else:
            para = sentences(_CONTEXT, 2, 4)
        text = " ".join(para)
        if text in paragraphs:
            continue
        paragraphs.append(text)
        words += len(text.split())
    title = f"{first['Group']} attack {place.name}" if attack else f"{_COUNTRY[place.country]}: news from {place.name}"
    return {
        "id": ident, "url": f"https://{outlet.lower().replace(' ', '')}.example/{ident}", "source": outlet,
        "title": title, "published_at": (day + timedelta(hours=rng.randint(4, 40))).isoformat(),
        "body": "\n\n".join(paragraphs),
    }  # fmt: skip


def articles(count: int, seed: int = 3, start: datetime | None = None, days: int = 365) -> list[dict[str, object]]:
    """`count` full-length articles, ids `long-<seed>-<i>`, events spread over `days` days."""
    rng = random.Random(seed)
    places = towns(limit=600, seed=seed)
    first = start or datetime(2025, 1, 1, 6, tzinfo=UTC)
    return [
        article(
            rng, f"long-{seed}-{i}", places, first + timedelta(days=rng.randint(0, days - 1), hours=rng.randint(0, 12))
        )
        for i in range(count)
    ]
