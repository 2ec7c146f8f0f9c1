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
"""

from __future__ import annotations

from collections import Counter

from schemas import CasualtyMention, CleanArticle, DateMention, EventCandidate, ExtractedArticle, Timing
from streams.extract.actors import find_actors
from streams.extract.casualties import find_casualties, sentence_scope
from streams.extract.dates import find_dates
from streams.extract.frames import NO_COUNTRY, SentenceFacts, build_candidates
from streams.extract.places import find_places
from streams.extract.text import sentences
from streams.limits import DEFAULT_LIMITS, Limits

__all__ = ["extract", "NO_COUNTRY"]


def _nearest_first(dates: list[tuple[int, DateMention]], mentions: list[CasualtyMention]) -> list[DateMention]:
    """A sentence's dates, the one nearest its first killed figure first: in "gathered on
    Wednesday to remember the attack of 8 June, in which 45 were killed" the 45 are of 8 June."""
    killed = next((m.span.start for m in mentions if m.kind == "killed"), None)
    if killed is None:
        return [d for _, d in dates]
    return [d for _, d in sorted(dates, key=lambda pair: abs(pair[0] - killed))]


def _facts(article: CleanArticle, limits: Limits) -> tuple[list[SentenceFacts], ExtractedArticle, Counter[str]]:
    text = article.text
    sents = sentences(article.paragraphs)
    actor_hits = [hit for s in sents for hit in find_actors(s)]
    hinted = Counter(c for _, c in actor_hits if c)
    places, context = find_places(text, sents, hinted)
    published = article.published_at.date()
    dates = find_dates(text, published, limits.earliest_date)
    facts: list[SentenceFacts] = []
    casualties = []
    for i, s in enumerate(sents):
        end = s.start + len(s.text)
        in_s = [p for p in places if s.start <= p.span.start < end]
        mentions = find_casualties(s, sents[:i], limits.max_casualty_figure)
        casualties.extend(mentions)
        facts.append(
            SentenceFacts(
                index=i,
                paragraph=s.paragraph,
                text=s.text,
                places=in_s,
                casualties=mentions,
                dates=_nearest_first([(start, d) for start, _, d in dates if s.start <= start < end], mentions),
                countries=[p.country for p in in_s if p.level == "country"]
                + [c for a, c in actor_hits if c and s.start <= a.span.start < end],
                actors=[a.name for a, _ in actor_hits if s.start <= a.span.start < end],
                cumulative=sentence_scope(s.text) == "cumulative",
            )
        )
    base = ExtractedArticle(
        article_id=article.article_id,
        route=NO_COUNTRY,
        url=article.url,
        source=article.source,
        published_at=article.published_at,
        places=places,
        actors=[a for a, _ in actor_hits],
        casualties=casualties,
        dates=[d for _, _, d in dates],
        raw=article.raw,
        timing=article.timing,
    )
    return facts, base, context


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


def extract(article: CleanArticle, now: float, limits: Limits = DEFAULT_LIMITS) -> list[ExtractedArticle]:
    """Entities and event candidates of one article, one copy per country routed to."""
    facts, base, context = _facts(article, limits)
    candidates = [
        _believable(c, limits.max_casualty_figure)
        for c in build_candidates(facts, article.published_at.date(), context)[: limits.max_candidates_per_article]
    ]
    timing = Timing(ingested=article.timing.ingested, cleaned=article.timing.cleaned, extracted=now)
    routes = sorted({c.country for c in candidates})
    if not routes:
        top = context.most_common(1)
        return [base.model_copy(update={"route": top[0][0] if top else NO_COUNTRY, "timing": timing})]
    return [
        base.model_copy(
            update={"route": cc, "timing": timing, "candidates": [c for c in candidates if c.country == cc]}
        )
        for cc in routes
    ]
