"""Extract stage: CleanArticle -> ExtractedArticle copies, one per country it reports on.

Computes first (places, actors, casualty mentions, dates per sentence), then frames
the sentences into event candidates (`frames.py`). Each copy is keyed by its country
(`route`) so the events stage sees every candidate of a country in one partition.

Limits (`streams.limits.Limits`): a casualty figure above `max_casualty_figure` is
dropped where it is read (`casualties.py`), and so is a candidate's toll that adds up to
more (its killed figures become 0 with `toll_given` false; wounded or kidnapped over the
limit become 0); dates before `earliest_date` or after the publication day are not event
dates (`dates.py`); only the first `max_candidates_per_article` candidates, in text
order, are kept.

Bounded work and output (hostile bodies up to `max_body_chars`): a sentence has at most
`text.MAX_SENTENCE_CHARS` characters (longer ones are cut), every step is linear in the
number of sentences, and an article carries only the first `max_mentions_per_article`
places, actors, casualty mentions and dates, each in text order. Candidates are framed
from every sentence; what is cut is the list the article carries, not what it reads. A
copy never encodes to more than `MAX_EXTRACTED_BYTES` (see `_fit`).

Speed: the patterns searched over the whole article (places, dates, and per sentence
whether it is cumulative, about a protest, reports violence or opens a new event) find
their openings in one pass (`_ARTICLE_SCANNER`, `scan.py`); actors are found by one pass
too (`actors.article_actors`); casualties are read only in the sentences that can hold
one (`casualties.sentence_readings`); facts are kept only of the sentences that may make
or feed a frame (`frames._relevant`). Every step gives what it gave before; see the
modules' docstrings and tests/extract/test_scan.py, test_prefilter.py.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from typing import TypeVar

from schemas import CasualtyMention, CleanArticle, DateMention, EventCandidate, ExtractedArticle, Place, Timing, encode
from streams.extract.actors import article_actors
from streams.extract.casualties import (
    CUMULATIVE_SCAN,
    PROTEST_SCAN,
    Antecedents,
    one_attack_last_year,
    read_casualties,
    sentence_readings,
)
from streams.extract.dates import DATE_SCANS, find_dates
from streams.extract.frames import _NEW_EVENT, NO_COUNTRY, TRIGGER, SentenceFacts, build_candidates
from streams.extract.places import PLACE_SCANS, find_places
from streams.extract.scan import Anchored, Scanned, Scanner, found_in_spans_each
from streams.extract.text import Sentence, sentences
from streams.limits import DEFAULT_LIMITS, Limits

__all__ = ["extract", "NO_COUNTRY", "MAX_EXTRACTED_BYTES"]

T = TypeVar("T")


def _nearest_first(dates: list[tuple[int, DateMention]], mentions: list[CasualtyMention]) -> list[DateMention]:
    """A sentence's dates, the one nearest its first killed figure first: in "gathered on
    Wednesday to remember the attack of 8 June, in which 45 were killed" the 45 are of 8 June."""
    killed = next((m.span.start for m in mentions if m.kind == "killed"), None)
    if killed is None:
        return [d for _, d in dates]
    return [d for _, d in sorted(dates, key=lambda pair: abs(pair[0] - killed))]


def _by_sentence(sents: list[Sentence], starts: list[int], items: list[T], at: Callable[[T], int]) -> list[list[T]]:
    """`items` grouped by the sentence whose text holds their offset `at(item)`, in order.

    Sentences are disjoint and in text order, so a bisection finds each item's sentence
    (filtering every item list once per sentence was quadratic in the number of sentences).
    """
    groups: list[list[T]] = [[] for _ in sents]
    for item in items:
        pos = at(item)
        i = bisect_right(starts, pos) - 1
        if i >= 0 and pos < starts[i] + len(sents[i].text):
            groups[i].append(item)
    return groups


#: What every sentence is searched for, in one pass over the article: whether it is
#: cumulative, about a protest, reports violence, opens a new event.
_SENTENCE_SCANS = (CUMULATIVE_SCAN, PROTEST_SCAN, Anchored(TRIGGER), Anchored(_NEW_EVENT))
#: Every pattern scanned over a whole article, in one pass (per view: `scan.Views`).
_ARTICLE_SCANNER = Scanner(PLACE_SCANS + DATE_SCANS + _SENTENCE_SCANS)


def _searched(scanned: Scanned, sents: list[Sentence], placed: bool) -> list[tuple[bool, ...]]:
    """Per sentence, whether each of `_SENTENCE_SCANS` finds something in it (`placed`:
    whether the text holds every sentence at its offset; else searched one by one)."""
    text = scanned.text
    spans = [(s.start, s.start + len(s.text)) for s in sents]
    if placed:
        found = found_in_spans_each(_SENTENCE_SCANS, text, [scanned.starts(scan) for scan in _SENTENCE_SCANS], spans)
    else:
        found = [[scan.search(s.text) is not None for s in sents] for scan in _SENTENCE_SCANS]
    return list(zip(*found, strict=True)) if sents else []


def _facts(
    article: CleanArticle, limits: Limits
) -> tuple[list[SentenceFacts], ExtractedArticle, Counter[str], list[Place]]:
    """The facts of the article's sentences that may make or feed a frame, the article with
    its entities, its country context and the places of its sentences."""
    text = article.text
    sents = sentences(article.paragraphs)
    starts = [s.start for s in sents]
    placed = all(text.startswith(s.text, s.start) for s in sents)  # each sentence at its offset
    hits, spans = article_actors(text, sents, placed)  # per sentence: every hit lies in its sentence
    actor_hits = [hit for found in hits for hit in found]
    hinted = Counter(c for _, c in actor_hits if c)
    scanned = _ARTICLE_SCANNER.scan(text)
    places, context = find_places(text, sents, hinted, scanned, spans)
    published = article.published_at.date()
    dates = find_dates(text, published, limits.earliest_date, scanned)
    places_in = _by_sentence(sents, starts, places, lambda p: p.span.start)
    dates_in = _by_sentence(sents, starts, dates, lambda d: d[0])
    antecedents = Antecedents(sents, 0)
    which = sentence_readings(text, sents, scanned.views.folded, placed)  # 0: no figure to read in the sentence
    searched = _searched(scanned, sents, placed)
    facts: list[SentenceFacts] = []  # of the sentences that may make or feed a frame (`frames._relevant`)
    casualties = []
    framed: set[str] = set()  # the texts of the sentences kept for framing
    for i, s in enumerate(sents):
        in_s = places_in[i]
        antecedents.upto = i
        cumulative, protest, trigger, new_event = searched[i]
        cumulative = cumulative and not one_attack_last_year(s.text)
        mentions = (
            read_casualties(s, antecedents, limits.max_casualty_figure, which[i], cumulative, protest)
            if which[i]
            else []
        )
        casualties.extend(mentions)
        if cumulative or not (trigger or any(m.scope in ("event", "claim", "negated") for m in mentions)):
            continue
        if s.text in framed:
            continue  # the page repeating a sentence (a teaser above the body): its victims once
        framed.add(s.text)
        facts.append(
            SentenceFacts(
                index=i,
                paragraph=s.paragraph,
                text=s.text,
                places=in_s,
                casualties=mentions,
                dates=_nearest_first([(start, d) for start, _, d in dates_in[i]], mentions),
                countries=[p.country for p in in_s if p.level == "country"] + [c for _, c in hits[i] if c],
                actors=[a.name for a, _ in hits[i]],
                cumulative=cumulative,  # `sentence_scope(s.text) == "cumulative"`
                trigger=trigger,
                new_event=new_event,
            )
        )
    most = limits.max_mentions_per_article
    base = ExtractedArticle(
        article_id=article.article_id,
        route=NO_COUNTRY,
        url=article.url,
        source=article.source,
        published_at=article.published_at,
        places=places[:most],
        actors=[a for a, _ in actor_hits[:most]],
        casualties=casualties[:most],
        dates=[d for _, _, d in dates[:most]],
        raw=article.raw,
        timing=article.timing,
    )
    return facts, base, context, [p for found in places_in for p in found]


def _believable(candidate: EventCandidate, limit: int) -> EventCandidate:
    """The candidate without the figures its mentions add up to above `limit`."""
    update: dict[str, object] = {}
    if candidate.killed_high > limit or candidate.killed_best > limit:
        update.update(killed_low=0, killed_best=0, killed_high=0, toll_given=False)
    if candidate.wounded > limit:
        update["wounded"] = 0
    if candidate.kidnapped > limit:
        update["kidnapped"] = 0
    return candidate.model_copy(update=update) if update else candidate


#: The most bytes an extracted copy takes encoded (`schemas.encode`): under Kafka's default
#: message size (1 MiB), with room for the record's key and headers. Caps on mentions and
#: sentences keep ordinary articles far below it (a hostile article of 200,000 characters
#: makes copies of about 300 KB); what could still exceed it is text crafted of characters
#: of four bytes or of quotes (each encoded in two), and `_fit` cuts that.
MAX_EXTRACTED_BYTES = 900_000


def _surely_fits(copy: ExtractedArticle, budget: int) -> bool:
    """Whether `copy` encodes to at most `budget` bytes, by a bound cheaper than encoding:
    a character takes at most 6 bytes in JSON (an escaped control character; 4 in UTF-8),
    and an entity or candidate at most 1,500 besides the text it quotes."""
    quoted = len(copy.article_id) + len(copy.url or "") + len(copy.source or "")
    quoted += sum(len(p.span.sentence) + len(p.name) for p in copy.places)
    quoted += sum(len(a.span.sentence) for a in copy.actors)
    quoted += sum(len(m.span.sentence) + len(m.victims or "") + len(m.qualifier or "") for m in copy.casualties)
    quoted += sum(len(d.text) for d in copy.dates)
    for c in copy.candidates:
        quoted += sum(map(len, c.sentences)) + sum(map(len, c.evidence)) + sum(map(len, c.actors))
    items = len(copy.places) + len(copy.actors) + len(copy.casualties) + len(copy.dates) + len(copy.candidates)
    return 6 * quoted + 1500 * items + 10_000 <= budget


def _fit(copy: ExtractedArticle, budget: int = MAX_EXTRACTED_BYTES) -> ExtractedArticle:
    """`copy` if it encodes to at most `budget` bytes; else with fewer entities, then fewer
    sentences per candidate, halving until it does. Entities (places, actors, casualty
    mentions, dates) keep the first in text order; candidates are never dropped, and keep
    their figures and their first sentences and evidence."""
    if _surely_fits(copy, budget) or len(encode(copy)) <= budget:
        return copy
    cut = copy
    keep = max(len(copy.places), len(copy.actors), len(copy.casualties), len(copy.dates))
    while keep:
        keep //= 2
        update = {"places": copy.places[:keep], "actors": copy.actors[:keep], "casualties": copy.casualties[:keep]}
        cut = copy.model_copy(update={**update, "dates": copy.dates[:keep]})
        if len(encode(cut)) <= budget:
            return cut
    copy = cut
    keep = max((max(len(c.sentences), len(c.evidence)) for c in copy.candidates), default=0)
    while keep:
        keep //= 2
        candidates = [c.model_copy(update={"sentences": c.sentences[:keep], "evidence": c.evidence[:keep]})
                      for c in copy.candidates]  # fmt: skip
        cut = copy.model_copy(update={"candidates": candidates})
        if len(encode(cut)) <= budget:
            return cut
    return cut  # every candidate without its sentences: about 2 KB each


def extract(article: CleanArticle, now: float, limits: Limits = DEFAULT_LIMITS) -> list[ExtractedArticle]:
    """Entities and event candidates of one article, one copy per country routed to, each
    of at most `MAX_EXTRACTED_BYTES` encoded."""
    facts, base, context, places = _facts(article, limits)
    published = article.published_at.date()
    candidates = [
        _believable(c, limits.max_casualty_figure)
        for c in build_candidates(facts, published, context, limits.max_candidates_per_article, places)
    ]
    timing = Timing(ingested=article.timing.ingested, cleaned=article.timing.cleaned, extracted=now)
    routes = sorted({c.country for c in candidates})
    if not routes:
        top = context.most_common(1)
        return [_fit(base.model_copy(update={"route": top[0][0] if top else NO_COUNTRY, "timing": timing}))]
    return [
        _fit(
            base.model_copy(
                update={"route": cc, "timing": timing, "candidates": [c for c in candidates if c.country == cc]}
            )
        )
        for cc in routes
    ]
