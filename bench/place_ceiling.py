"""How much of a dev set's place labels the note texts can support at all.

For each record, looks for any evidence of its gold country and gold admin1 in the text:
a gazetteer name (exact, any entry) in that country or region, a country name, demonym
or cue, an actor with that home country, a community or region cue. A record with no
evidence cannot be placed right by any rule that reads only the text (short of a guess
such as "protests are in the capital"). Prints both ceilings.

    .venv/bin/python bench/place_ceiling.py ../shared/eval/dev.jsonl
"""

from __future__ import annotations

import sys
from pathlib import Path

from streams.evaluate import _COUNTRY_CODES, _admin1_aliases, _admin1_key, read_records
from streams.extract.actors import find_actors
from streams.extract.gazetteer import load_gazetteer
from streams.extract.places import community_hints, find_countries, region_cues
from streams.extract.text import fold, fold_key, sentences


def evidence(text: str) -> tuple[set[str], set[tuple[str, str]]]:
    """Countries and (country, admin1) units any name in `text` could stand for."""
    gaz = load_gazetteer()
    folded = fold(text)
    countries: set[str] = set()
    regions: set[tuple[str, str]] = set()
    for end, key in gaz.automaton.iter(folded):
        start = end - len(key) + 1
        if (start > 0 and folded[start - 1].isalnum()) or (end + 1 < len(folded) and folded[end + 1].isalnum()):
            continue
        for entry in (gaz.entries[i] for i in gaz.by_key[key]):
            countries.add(entry.country)
            if entry.admin1:
                regions.add((entry.country, entry.admin1))
    countries |= {m.country for m in find_countries(text)}
    countries |= {c for s in sentences([text]) for _, c in find_actors(s) if c}
    countries |= set(community_hints(text))
    for cc, found in region_cues(text).items():
        countries.add(cc)
        regions |= {(cc, a1) for a1 in found}
    return countries, regions


def main(path: str) -> None:
    aliases = _admin1_aliases()
    records = country_ok = admin1_ok = 0
    for rec in read_records(Path(path)):
        records += 1
        gold_cc = _COUNTRY_CODES.get(fold_key(str(rec.get("country", ""))))
        gold_a1 = _admin1_key(str(rec.get("admin1") or ""))
        countries, regions = evidence(str(rec.get("text") or ""))
        country_ok += gold_cc in countries
        admin1_ok += any(cc == gold_cc and gold_a1 in aliases.get(a1, {_admin1_key(a1)}) for cc, a1 in regions)
    print(f"records                         {records}")
    print(f"country named or implied        {country_ok / records:.4f}  (ceiling of country accuracy)")
    print(f"admin1 named or implied         {admin1_ok / records:.4f}  (ceiling of admin1 accuracy)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: place_ceiling.py DEV.jsonl")
    main(sys.argv[1])
