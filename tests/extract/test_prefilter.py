"""The casualty prefilter and the readings plan never change what is read.

`readings` (and `sentence_readings`, per article) say which readings can find something
in a sentence, 0 when none can: a sentence without one of `CASUALTY_WORDS` is not read.
These tests read every sentence of generated articles, of the fixtures' texts and, when
the file is there, of the labelled dev notes (read in place from ../shared/eval/dev.jsonl
or $TOLLWATCH_DEV_NOTES; nothing of them is kept) with every reading, and check that what
the gated reading finds is the same.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from bench.longform import articles
from streams.evaluate import read_records
from streams.extract import casualties
from streams.extract.casualties import (
    _CUE,
    ALL_READINGS,
    CASUALTY_WORDS,
    Antecedents,
    find_casualties,
    read_casualties,
    readings,
    sentence_readings,
    spellings,
)
from streams.extract.scan import always_spells
from streams.extract.text import Sentence, sentences

ROOT = Path(__file__).resolve().parents[2]
DEV_NOTES = Path(os.environ.get("TOLLWATCH_DEV_NOTES", ROOT.parent / "shared" / "eval" / "dev.jsonl"))

# Sentences the readings must agree on, beyond generated text: forms of every reading.
FORMS = [
    "Fatalities: 40 soldiers, 4 rebels", "unknown fatalities coded as 10", "The blast left 7 dead.",
    "resulting in the deaths of three people", "The toll rose to 60.", "killing 4 soldiers and 3 civilians",
    "killed the village chief", "2 gendarmes and a civilian were killed", "one killed", "A youth was killed.",
    "the bodies of 12 people", "5 corpses were found", "No one was killed.", "He later died of his wounds.",
    "They arrested nine men and executed them.", "Two forest guards were seized. The guards were executed.",
    "A student was shot by police and later died.", "Gunmen beat a boy to death.", "The army lost 5 soldiers.",
    "Three were taken away and two remain missing.", "A suicide bomber blew himself up.", "without casualties",
    "The attackers seized 3 traders.", "arresting 5 suspects", "intercepted 12 smugglers", "12 people were arrested",
    "Casualties were unknown.", "Some 20 hostages were held hostage.", "the death toll stood at 14",
]  # fmt: skip


def _articles() -> Iterator[list[str]]:
    """Paragraphs of articles: generated, the forms above, and the dev notes if present."""
    for raw in articles(25, seed=5) + articles(15, seed=99):
        yield [p for p in str(raw["body"]).split("\n") if p.strip()]
    yield FORMS
    if DEV_NOTES.is_file():
        for record in read_records(DEV_NOTES):
            note = str(record.get("text") or "")
            if note.strip():
                yield [p for p in note.split("\n") if p.strip()]


def _read_all(sentence: Sentence, before: Antecedents) -> list[object]:
    """What the sentence yields read by every reading (no `_CUE`: nothing, as ever)."""
    return read_casualties(sentence, before, which=ALL_READINGS) if _CUE.search(sentence.text) else []


def test_gated_reading_finds_what_every_reading_finds() -> None:
    read = dropped = 0
    for paragraphs in _articles():
        sents = sentences(paragraphs)
        text = "\n".join(paragraphs)
        plan = sentence_readings(text, sents)
        assert plan == [readings(s.text) for s in sents]
        for i, s in enumerate(sents):
            full = _read_all(s, Antecedents(sents, i))
            gated = read_casualties(s, Antecedents(sents, i), which=plan[i]) if plan[i] else []
            assert gated == full, s.text
            assert find_casualties(s, Antecedents(sents, i)) == full
            read += bool(plan[i])
            dropped += not plan[i]
            if not plan[i]:  # the prefilter drops no sentence a figure can be read from
                assert full == [], s.text
    assert read > 100 and dropped > 100


def test_every_verb_of_a_kind_holds_a_casualty_word() -> None:
    sources = [
        casualties._ACTIVE_VERB, casualties._SINGULAR_VERB, casualties._KILLED, casualties._WOUNDED,
        casualties._KIDNAPPED, casualties._MISSING, casualties._TAIL_NOUN, casualties._RESULT_NOUN_VERB,
        casualties._NEGATED_VERB, casualties._FIELD_NOUN, casualties._DIED, casualties._PRONOUN_VERB,
    ]  # fmt: skip
    for source in sources:
        for verb in spellings(source):
            if casualties._kind(verb) is None or verb in casualties._TO_DEATH_VERBS:
                continue  # of no kind ("arrested"), or a kind only with more words ("beat ... to death")
            assert any(word in verb for word in CASUALTY_WORDS), verb
    for source in (
        casualties._DEATHS_OF_NOUN,
        casualties._TOLL_HEAD,
        casualties._THEM.pattern,
        casualties._LATER_FOUND,
    ):
        assert always_spells(source, CASUALTY_WORDS)


def test_each_reading_needs_a_word_of_its_group() -> None:
    groups = casualties._GROUP_WORDS
    # `_NEGATED` is a verb form (`_NEGATED_VERB` after a subject) or a noun form
    assert casualties._NEGATED.pattern.endswith(f"(?:{casualties._NEGATED_VERB})|{casualties._NEGATED_NOUN}")
    assert always_spells(casualties._NEGATED_VERB, groups[casualties._W_NEGATED])
    assert always_spells(casualties._NEGATED_NOUN, groups[casualties._W_NEGATED])
    assert always_spells(casualties._FIELD.pattern, groups[casualties._W_FIELD])
    assert always_spells(casualties._RESULT.pattern, groups[casualties._W_RESULT])
    assert always_spells(casualties._DEATHS_OF.pattern, groups[casualties._W_DEATHS_OF])
    assert casualties._TOLL.pattern.startswith(rf"\b(?:{casualties._TOLL_HEAD})")
    assert always_spells(casualties._TOLL_HEAD, groups[casualties._W_TOLL])
    assert always_spells(casualties._ACTIVE_VERB, groups[casualties._W_ACTIVE])
    assert always_spells(casualties._TAIL_VERB, groups[casualties._W_TAIL_KIND] | groups[casualties._W_TAIL_TAKE] | {
        "found", "discovered", "recovered", "retrieved", "exhumed", "detonated", "blew"})  # fmt: skip
    assert always_spells(casualties._SINGULAR_VERB, groups[casualties._W_SINGULAR])
    assert always_spells(casualties._THEM.pattern, groups[casualties._W_THEM])
    assert always_spells(casualties._CODED.pattern, groups[casualties._W_CODED])


def test_a_sentence_without_a_casualty_word_is_not_read() -> None:
    assert readings("The price of millet has risen by 40 percent since March.") == 0
    assert readings("Voters will elect a new mayor on 3 May.") == 0
    assert readings("At least 12 civilians were killed in the attack.") != 0
    assert re.search("kill", "killed") and readings("nothing here") == 0
