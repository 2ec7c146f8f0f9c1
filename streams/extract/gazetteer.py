"""The gazetteer: GeoNames places and admin units (CC BY 4.0) plus curated overrides.

Loaded once per process from the compressed copies in `data/`. Names and alternate
names are folded (`fold_key`) and put in an Aho-Corasick automaton for one-pass matching.
"""

from __future__ import annotations

import csv
import itertools
import lzma
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick

from streams.extract.text import fold, fold_key

__all__ = [
    "Entry", "FOCUS", "Gazetteer", "distance_km", "load_gazetteer", "data_lines", "word_view", "capital_view",
    "NO_CAPITAL",
]  # fmt: skip

#: Feature weight: capitals and admin seats beat villages, villages beat wells.
FEATURE_WEIGHT = {
    "PPLC": 5.0, "ADM1": 4.5, "PPLA": 4.0, "OVR": 4.0, "ADM2": 3.0, "PPLA2": 3.0,
    "PPLA3": 2.0, "PPLA4": 1.5, "ADM3": 1.5, "PPL": 1.0, "MILB": 1.5, "CMP": 0.8,
    "PPLQ": 0.3, "PPLX": 0.8, "": 1.0,
}  # fmt: skip
_LOW_CLASSES = {"H": 0.3, "T": 0.3, "V": 0.2, "L": 0.5, "S": 0.6}

# Folded names that are ordinary English (or news) words far more often than places.
_STOP = frozenset(
    """
    the and for with from that this than then there here they them their these those when
    what which while who whom will would could should shall may might must can said says
    say news army police state states group groups force forces camp camps town city
    village region district province north south east west central northern southern
    eastern western major general local recent reports report sources source official
    officials government president minister people security attack attacks assault
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december today yesterday
    al qaeda qaida islamic islam state sahel sahara west africa africa african azawad
    liptako gourma niger mali chad guinea ghana togo benin nigeria senegal mauritania
    burkina faso gao tin kara bara dan sam dan ali ben san bon gun dogon peul peulh fulani
    tuareg arab arabs bambara songhai mossi hausa kanuri toubou
    two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
    one none some many several dozens dozen hundreds following according after before
    more most less over under around about near nearly almost other another also both
    during since until early late last next first second third fourth fifth
    """.split()
) - {"gao"}
# Approximate boundaries of Mali's newer regions for populated places: Ménaka east of
# 1.5°E and south of 16.9°N (Gao lies west, Kidal north), Taoudénit north of 18.3°N.
_MENAKA_WEST = 1.5
_MENAKA_NORTH = 16.9
_TAOUDENIT_SOUTH = 18.3
_MACRO = frozenset({"sahel", "sahara", "west africa", "azawad", "liptako", "gourma", "maghreb"})
_SKIP = _STOP | _MACRO


#: The countries the pipeline reports on. Every place of theirs is kept, and names with a Tamasheq or
# Fulfulde prefix are indexed with and without its hyphen or apostrophe
# ("In-Delimane"/"Indelimane", "N'Guigmi"/"Nguigmi"). Of neighbouring countries only
# populated places and admin seats are kept.
FOCUS = frozenset({"ML", "BF", "NE", "TD", "MR"})
_SPLIT_PREFIX = re.compile(r"^(?:(in|tin)(?=[^aeiouy\s]\w{3})|(n|m)(?=[bdgjkptz]\w{2}))(\w)")
_JOIN_PREFIX = re.compile(r"^(?:i n|ti n|in|tin|n|m) (?=\w{3})")


def _prefix_variants(key: str) -> list[str]:
    """The key with its prefix joined to or split from the rest of the name."""
    out = []
    if " " in key[:5]:
        spaced = key.replace("i n ", "in ", 1) if key.startswith(("i n ", "ti n ")) else key
        if spaced != key:
            out.append(spaced)
        joined = _JOIN_PREFIX.sub(lambda m: m.group(0).replace(" ", ""), key, count=1)
        if joined != key:
            out.append(joined)
    elif key[:1] in "intm":
        split = _SPLIT_PREFIX.sub(lambda m: f"{m.group(1) or m.group(2)} {m.group(3)}", key, count=1)
        if split != key:
            out.append(split)
    return out


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer row (or override, or admin unit) a name can refer to."""

    geonameid: int | None
    name: str
    country: str
    admin1: str | None
    admin2: str | None
    feature: str
    weight: float
    population: int
    level: str  # "admin1", "admin2" or "place"


def data_lines(name: str) -> Iterator[str]:
    """Lines of a packaged data file (`.xz` transparently), comments skipped."""
    ref = resources.files("streams.extract").joinpath("data").joinpath(name)
    if name.endswith(".xz"):  # decompressed at once: much faster than line by line
        text = lzma.decompress(ref.read_bytes()).decode("utf-8")
        yield from (line for line in text.split("\n") if line and not line.startswith("#"))
    else:
        with ref.open("r", encoding="utf-8") as fh:
            yield from (line for line in fh if not line.startswith("#"))


#: Every ASCII character that is not a letter or digit, as a space.
_WORD_VIEW = str.maketrans({chr(i): chr(i) if chr(i).isalnum() else " " for i in range(128)})


def word_view(folded: str) -> str:
    """An ASCII text (folded) with every character that is not a letter or digit a space:
    a name starts a word of the text where its view does, after a space."""
    return folded.translate(_WORD_VIEW)


#: The mark of a character that is not a letter or digit before one that is no capital
#: (`capital_view`).
NO_CAPITAL = "\x01"
#: Every ASCII letter or digit as itself, any other ASCII character as `NO_CAPITAL`.
_CASED_VIEW = bytes(c if chr(c).isalnum() else 1 for c in range(128)) + bytes(range(128, 256))
_BEFORE_CAPITAL = re.compile(NO_CAPITAL + "(?=[A-Z])")
_LAST_SPACE = re.compile(" (?! )")  # a space not followed by another


def capital_view(text: str, folded: str) -> str | None:
    """The view of `text` (`folded`: its `fold`, ASCII) that `Gazetteer.capital_automaton`
    reads: a mark, then per character its folded letter or digit, or for any other one a
    mark: a space if the next character is a capital (`str.isupper`), else `NO_CAPITAL`.
    None if a capital folds to no letter (never seen: the caller reads the text otherwise)."""
    if text.isascii():
        cased = text.encode("ascii").translate(_CASED_VIEW).decode("ascii")
    else:  # the folded character, a capital as a capital
        table: dict[int, str] = {}
        for ch in set(text):
            if ch.isascii():
                continue
            low = fold(ch)
            if ch.isupper():
                if not low.isalpha():
                    return None
                table[ord(ch)] = low.upper()
            else:
                table[ord(ch)] = low if low.isalnum() else NO_CAPITAL
        cased = text.translate(table).encode("ascii").translate(_CASED_VIEW).decode("ascii")
    return _BEFORE_CAPITAL.sub(" ", NO_CAPITAL + cased).lower()


def _weight(feature_class: str, code: str) -> float:
    if feature_class in _LOW_CLASSES:
        return _LOW_CLASSES[feature_class] + (1.0 if code == "MILB" else 0.0)
    return FEATURE_WEIGHT.get(code, 1.0)


class Gazetteer:
    """Entries by folded name, an automaton over the names, and admin-unit look-ups."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.by_key: dict[str, list[int]] = {}
        self.admin1_names: dict[tuple[str, str], str] = {}  # (cc, folded name) -> admin1
        self.coords: dict[int, tuple[float, float]] = {}  # geonameid -> (lat, lon)
        self.units: set[tuple[str, str]] = set()  # (cc, `unit_key`) of every admin2 unit
        self.automaton = ahocorasick.Automaton()
        self._capital_automaton: ahocorasick.Automaton | None = None

    def capital_automaton(self) -> ahocorasick.Automaton:
        """An automaton over the names as `capital_view` can show them: after a space (the
        mark before a capital), each character that is not a letter or digit a mark: a space
        or `NO_CAPITAL` where a letter or digit follows it, or the name ends (one form per
        choice: about 1.5 forms per name), else `NO_CAPITAL`. Over that view it leaves its
        root only where a capitalised word starts, the only place a name is looked for (a
        name in lower case is no place); each form's value is the tuple of names shown
        alike."""
        if self._capital_automaton is None:
            shown: dict[str, list[str]] = {}
            for key in self.by_key:
                view = word_view(key)
                if " " not in view:
                    shown.setdefault(" " + view, []).append(key)
                    continue
                if view[0] == " ":
                    continue  # no capital starts it
                # Split where a letter or digit follows (or the name ends); the other spaces
                # are followed by a space: `NO_CAPITAL`.
                pieces = [piece.replace(" ", NO_CAPITAL) for piece in _LAST_SPACE.split(view)]
                for marks in itertools.product((" ", NO_CAPITAL), repeat=len(pieces) - 1):
                    form = pieces[0] + "".join(mark + piece for mark, piece in zip(marks, pieces[1:], strict=True))
                    shown.setdefault(" " + form, []).append(key)
            automaton = ahocorasick.Automaton()
            for form, keys in shown.items():
                automaton.add_word(form, tuple(keys))
            automaton.make_automaton()
            self._capital_automaton = automaton
        return self._capital_automaton

    def add(self, entry: Entry, names: set[str]) -> None:
        self.add_keys(entry, {fold_key(name) for name in names})

    def add_keys(self, entry: Entry, keys: set[str]) -> None:
        """Add an entry under already folded names (`fold_key`)."""
        index = len(self.entries)
        self.entries.append(entry)
        if entry.country in FOCUS:
            keys |= {variant for key in keys if key[:1] in "intm" for variant in _prefix_variants(key)}
        hamlet = entry.population == 0 and entry.weight < 3
        by_key = self.by_key
        for key in keys:
            size = len(key)
            if size < 3 or (size == 3 and hamlet) or key in _SKIP:
                continue  # three-letter hamlets are mostly noise
            if " " in key and len(key.replace(" ", "")) < 3:
                continue
            found = by_key.get(key)
            if found is None:
                by_key[key] = [index]
            else:
                found.append(index)

    def finish(self) -> None:
        for key in self.by_key:
            self.automaton.add_word(key, key)
        self.automaton.make_automaton()


def _load_admin(gaz: Gazetteer) -> dict[str, tuple[str, str]]:
    admin2: dict[str, tuple[str, str]] = {}
    rows = csv.reader(data_lines("admin_regions.tsv.xz"), delimiter="\t", quoting=csv.QUOTE_NONE)
    next(rows)
    for cc, level, code, name, ascii_name, gid, _iso, alts, _src in rows:
        names = {name, ascii_name, *(a for a in alts.split(",") if a)}
        if level == "1":
            gaz.add(Entry(int(gid) if gid else None, name, cc, name, None, "ADM1",
                          FEATURE_WEIGHT["ADM1"], 0, "admin1"), names)  # fmt: skip
            for n in names:
                gaz.admin1_names[(cc, fold_key(n))] = name
        else:
            admin2[code] = (name, ascii_name)
            gaz.units.update((cc, unit_key(n)) for n in names)
    return admin2


_UNIT_WORDS = re.compile(
    r"\b(?:cercle|department|departement|province|commune|district|prefecture|de|du|des|la|of)\b", re.I
)


def unit_key(name: str) -> str:
    """An admin unit's name without its kind: "Province du Soum" and "Soum" are one unit."""
    return " ".join(_UNIT_WORDS.sub(" ", fold_key(name)).split())


def is_unit(country: str, name: str) -> bool:
    """Whether `name` is (also) the name of an admin2 unit of `country`: a cercle,
    department or province named after its seat, as outlets name them ("in Tillia")."""
    return (country, unit_key(name)) in load_gazetteer().units


#: Niamey's capital district: about 20 km around the city's centre (0.2 degrees).
_NIAMEY = (13.5214, 2.1054)
_NIAMEY_HALF_DEGREES = 0.2


def _current_admin1(cc: str, admin1: str, lat: float, lon: float) -> str:
    """Mali's Ménaka and Taoudénit regions (2016) were carved out of Gao and Tombouctou;
    GeoNames still codes most of their places to the old regions. Niger's old Niamey
    department held what is now Tillabéri region around the capital district: GeoNames
    still codes its departments, wells and hamlets to Niamey."""
    if cc == "NE" and admin1 == "Niamey":
        far = abs(lat - _NIAMEY[0]) > _NIAMEY_HALF_DEGREES or abs(lon - _NIAMEY[1]) > _NIAMEY_HALF_DEGREES
        return "Tillabéri" if far else admin1
    if cc == "ML" and admin1 == "Gao" and lon >= _MENAKA_WEST and lat < _MENAKA_NORTH:
        return "Ménaka"
    if cc == "ML" and admin1 == "Tombouctou" and lat >= _TAOUDENIT_SOUTH:
        return "Taoudénit"
    return admin1


def _fold_keys(names: list[str]) -> list[str]:
    """`fold_key` of many names at once: one pass of `fold` over their concatenation."""
    return [" ".join(key.split()) for key in fold("\n".join(names)).split("\n")]


def _load_places(gaz: Gazetteer) -> None:
    lines = data_lines("sahel_places.tsv.xz")
    next(lines)
    canonical: dict[tuple[str, str], str] = {}  # spellings of admin1 names -> admin_regions' name
    entries: list[tuple[Entry, int]] = []  # entry, number of its names
    names: list[str] = []
    weights = FEATURE_WEIGHT
    for line in lines:
        row = line.rstrip("\n").split("\t")
        fcode, cc, pop = row[7], row[8], row[13]
        if fcode == "ADM1" or fcode == "PCLI":
            continue  # admin1 units come from admin_regions.tsv; countries from countries.tsv
        if cc not in FOCUS and (pop == "" or pop == "0") and weights.get(fcode, 0.0) < 3.0:
            continue  # neighbouring countries: towns and admin seats only, no hamlets or wells
        gid, name, ascii_name, alts, lat, lon, fclass = row[:7]
        a1, a2 = row[10], row[12]
        if (cc, a1) not in canonical:
            canonical[(cc, a1)] = gaz.admin1_names.get((cc, fold_key(a1)), a1)
        a1 = canonical[(cc, a1)]
        if (cc == "ML" and fclass != "A" and a1 in ("Gao", "Tombouctou")) or (cc == "NE" and a1 == "Niamey"):
            a1 = _current_admin1(cc, a1, float(lat), float(lon))
        own = set(alts.split(",")) if alts else set()
        own.add(name)
        own.add(ascii_name)
        own.discard("")
        names.extend(own)
        level = "admin2" if fcode == "ADM2" else "place"
        gaz.coords[int(gid)] = (float(lat), float(lon))
        entry = Entry(int(gid), name, cc, a1 or None, a2 or None, fcode,
                      _weight(fclass, fcode), int(pop or 0), level)  # fmt: skip
        entries.append((entry, len(own)))
    keys = _fold_keys(names)
    start = 0
    for entry, count in entries:
        gaz.add_keys(entry, set(keys[start : start + count]))
        start += count


def _load_overrides(gaz: Gazetteer) -> None:
    rows = csv.reader(data_lines("overrides.tsv"), delimiter="\t", quoting=csv.QUOTE_NONE)
    next(rows)
    for name, aliases, cc, admin1, admin2, _kind, _note in rows:
        names = {name, *(a for a in aliases.split(",") if a)}
        # The gazetteer's own place of the same name in the same region, if any, lends its
        # geonameid (and so its coordinates): "Arbinda" and "Aribinda" are one site.
        same = [
            gaz.entries[i] for key in _fold_keys(sorted(names)) for i in gaz.by_key.get(key, ())
            if gaz.entries[i].geonameid is not None and gaz.entries[i].country == cc
            and gaz.entries[i].admin1 == admin1 and gaz.entries[i].level == "place"
        ]  # fmt: skip
        gid = max(same, key=lambda e: (e.population, e.weight)).geonameid if same else None
        gaz.add(Entry(gid, name, cc, admin1, admin2 or None, "OVR",
                      FEATURE_WEIGHT["OVR"], 0, "place"), names)  # fmt: skip


def distance_km(a: int | None, b: int | None) -> float | None:
    """Great-circle distance between two gazetteer places (by geonameid), None when either
    has no coordinates."""
    if a is None or b is None:
        return None
    coords = load_gazetteer().coords
    pa, pb = coords.get(a), coords.get(b)
    if pa is None or pb is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (*pa, *pb))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Build the gazetteer once per process (about a second)."""
    gaz = Gazetteer()
    _load_admin(gaz)
    _load_places(gaz)
    _load_overrides(gaz)
    gaz.finish()
    gaz.capital_automaton()
    return gaz
