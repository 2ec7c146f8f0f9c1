"""Hypothesis: no text makes the clean or extract stages raise anything but a StageError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas import CleanArticle, RawArticle, RawRef
from streams.clean import clean
from streams.errors import StageError
from streams.extract import extract

WORDS = st.sampled_from(
    ["killed", "at least", "30", "soldiers", "Mali", "Boulkessi", "on Sunday", "in July", "attack", "no one",
     "wounded", "Bamako", "between", "and", "dozens of", "claimed it", "since", ".", ",", "\n", "JNIM", "Kidal",
     "a", "the", "his", "another", "them", "himself", "executed", "was", "were", "later died", "of his wounds",
     "Fatalities:", "coded as 10", "bodies of", "12 km", "14 March", "2021", "(", ")", "-", "&", "including",
     "who had", "arrested", "two", "twenty-five", "one", "herder", "Dogon", "which left", "protest", "'"]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(min_size=1, max_size=400), st.lists(WORDS, min_size=1, max_size=60).map(" ".join)))
def test_random_text_never_raises(body: str) -> None:
    raw = RawArticle(body=body, published_at="2025-06-02T12:00:00Z")  # type: ignore[arg-type]
    try:
        result = clean(raw, RawRef(partition=0, offset=0), 0.0, 0.0)
    except StageError:
        return
    if isinstance(result, CleanArticle):
        for copy in extract(result, 0.0):
            for cand in copy.candidates:
                assert 0 <= cand.killed_low <= cand.killed_best <= cand.killed_high
