from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import timedelta

import pytest

from schemas import CleanArticle, RawArticle, RawRef
from streams.clean import MAX_VERSIONS, Skipped, clean, dedup, detect_language, normalise_text, seen_expired
from streams.errors import StageError
from streams.limits import DEFAULT_LIMITS
from tests.conftest import BAMAKO, BOULKESSI, cleaned, raw_seed

REF = RawRef(partition=0, offset=0)


def raw(body: str, **extra: str) -> RawArticle:
    return RawArticle(body=body, published_at="2025-06-02T12:00:00Z", **extra)  # type: ignore[arg-type]


def test_seed_000_loses_markdown_and_repeated_paragraphs() -> None:
    article = cleaned(raw_seed(BOULKESSI))
    assert "**" not in article.text
    assert article.text.count("Recent estimates suggest that over 400 soldiers") == 1
    assert article.text.count("On Monday, JNIM also announced") == 1
    assert article.text.count("Major Assault on Malian Forces") <= 1


def test_seed_001_loses_read_also_trailer_and_section_headings() -> None:
    article = cleaned(raw_seed(BAMAKO))
    assert "READ ALSO" not in article.text
    for heading in ("Decade of Conflict Intensifies", "US Troops Complete Withdrawal From Niger",
                    "Broader Implications for the Region"):  # fmt: skip
        assert heading not in article.paragraphs
    assert article.paragraphs[0].startswith("Extremists launched an assault")


def test_unicode_quotes_dashes_html_and_entities_are_normalised() -> None:
    text = normalise_text(
        "<p>The army\u2019s \u201cresponse\u201d \u2014 swift&nbsp;&amp; firm</p><script>x()</script>"
    )
    assert "army's" in text and '"response"' in text and "- swift" in text and "& firm" in text
    assert "<" not in text and "x()" not in text


def test_boilerplate_and_bylines_are_dropped() -> None:
    body = "By John Smith\nGunmen attacked a village.\nShare this article on Facebook\nSubscribe to our newsletter"
    result = clean(raw(body), REF, 0, 0)
    assert not isinstance(result, Skipped)
    assert result.paragraphs == ["Gunmen attacked a village."]


def test_headline_repeated_in_body_is_dropped() -> None:
    result = clean(
        raw("Army camp attacked\nGunmen attacked the camp on Sunday.", title="Army camp attacked"), REF, 0, 0
    )
    assert not isinstance(result, Skipped)
    assert result.paragraphs == ["Gunmen attacked the camp on Sunday."]


def test_french_article_is_skipped_not_extracted() -> None:
    body = "Des assaillants armés ont pris d'assaut un poste militaire de la région de Mopti, selon les sources locales qui ont été contactées par la presse."  # noqa: E501
    assert detect_language(body) == "fr"
    result = clean(raw(body), REF, 0, 0)
    assert isinstance(result, Skipped) and result.reason == "language:fr"


def test_declared_language_wins() -> None:
    assert isinstance(clean(raw("Gunmen attacked the camp.", language="fr"), REF, 0, 0), Skipped)


def test_oversized_and_empty_bodies_are_rejected_with_a_reason() -> None:
    with pytest.raises(StageError) as too_big:
        clean(raw("x" * 5000), REF, 0, 0, replace(DEFAULT_LIMITS, max_body_chars=1000))
    assert too_big.value.reason == "body_too_large"
    with pytest.raises(StageError) as empty:
        clean(raw("**\n\n<br>"), REF, 0, 0)
    assert empty.value.reason == "empty_body"


def test_dedup_verdicts() -> None:
    first = cleaned(raw_seed(BOULKESSI), partition=1, offset=5)
    again_same_input = cleaned(raw_seed(BOULKESSI), partition=1, offset=5)
    second_copy = cleaned(raw_seed(BOULKESSI), partition=1, offset=9)
    new = dedup(None, first)
    assert (new.verdict, new.outcome, new.emit) == ("new", "cleaned", True)
    again = dedup(new.record, again_same_input)
    assert (again.verdict, again.outcome, again.emit, again.record) == ("redelivery", "cleaned", True, new.record)
    copy = dedup(new.record, second_copy)
    assert (copy.verdict, copy.outcome, copy.emit) == ("duplicate", "duplicate", False)
    later = cleaned(raw_seed(BAMAKO), partition=1, offset=9)
    later = later.model_copy(update={"article_id": first.article_id, "published_at": first.published_at + timedelta(1)})
    revised = dedup(new.record, later)
    assert (revised.verdict, revised.outcome, revised.emit) == ("revised", "cleaned", True)
    older = later.model_copy(update={"published_at": first.published_at - timedelta(1)})
    late = dedup(new.record, older)
    assert (late.verdict, late.outcome, late.emit) == ("superseded", "duplicate", False)


def test_an_id_is_forgotten_only_when_every_version_is_older_than_the_floor() -> None:
    first = cleaned(raw_seed(BOULKESSI), partition=1, offset=5)
    record = dedup(None, first).record
    published = first.published_at.timestamp()
    assert seen_expired(record, published + 1, 1) and not seen_expired(record, published, 1)
    assert not seen_expired(record, published + 1, 0)  # written in partition 1: deleted there only
    later = first.model_copy(update={"content_hash": "f" * 24, "published_at": first.published_at + timedelta(30)})
    both = dedup(record, later).record
    assert not seen_expired(both, published + 1, 1)  # the newer version is still within the horizon
    assert seen_expired(both, later.published_at.timestamp() + 1, 1)
    assert seen_expired(b"0:5:" + first.content_hash.encode(), published, 0)  # the first format (no date) goes


def _versions() -> list[CleanArticle]:
    base = cleaned(raw_seed(BOULKESSI), partition=0, offset=0)
    out = []
    for n in range(4):
        text = cleaned(raw_seed(BAMAKO if n % 2 else BOULKESSI), partition=0, offset=n)
        out.append(text.model_copy(update={
            "article_id": base.article_id, "content_hash": f"{n:024d}",
            "published_at": base.published_at + timedelta(hours=[3, 1, 2, 0][n]),
        }))  # fmt: skip
    return out


def _run(order: list[CleanArticle]) -> tuple[str | None, dict[tuple[int, int], str]]:
    """The last version sent on, and each input's outcome."""
    record, last, outcomes = None, None, {}
    for article in order:
        verdict = dedup(record, article)
        record = verdict.record
        outcomes[(article.raw.partition, article.raw.offset)] = verdict.outcome
        if verdict.emit:
            last = article.content_hash
    return last, outcomes


def test_the_latest_version_wins_in_any_arrival_order() -> None:
    """Version 0 is the latest published: whatever the order, it is the last one sent on."""
    versions = _versions()
    for order in itertools.permutations(versions):
        assert _run(list(order))[0] == versions[0].content_hash


def test_redelivered_inputs_keep_their_outcome_and_never_bring_back_an_old_version() -> None:
    """A restart replays inputs already processed: same outcomes, no regression."""
    versions = _versions()
    once = _run(versions)
    assert _run(versions + versions[1:] + versions[:2]) == once


def test_the_versions_remembered_per_id_are_bounded() -> None:
    base = cleaned(raw_seed(BOULKESSI), partition=0, offset=0)
    record = None
    for n in range(MAX_VERSIONS * 3):
        version = base.model_copy(update={"content_hash": f"{n:024d}", "raw": RawRef(partition=0, offset=n),
                                          "published_at": base.published_at + timedelta(minutes=n)})  # fmt: skip
        record = dedup(record, version).record
    assert record is not None and record.count(b'"cleaned"') == MAX_VERSIONS
    assert len(record) < 4000


def test_records_of_the_first_format_are_read() -> None:
    first = cleaned(raw_seed(BOULKESSI), partition=1, offset=5)
    old = f"1:5:{first.content_hash}".encode()
    assert dedup(old, first).verdict == "redelivery"
    assert dedup(old, cleaned(raw_seed(BOULKESSI), partition=2, offset=0)).verdict == "duplicate"
