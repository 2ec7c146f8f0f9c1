from __future__ import annotations

import pytest

from schemas import RawArticle, RawRef
from streams.clean import Skipped, clean, dedup_verdict, detect_language, normalise_text, seen_record
from streams.errors import StageError
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
    body = "Des hommes armés ont attaqué le camp de l'armée dans la région de Mopti, selon les sources locales qui ont été contactées par la presse."  # noqa: E501
    assert detect_language(body) == "fr"
    result = clean(raw(body), REF, 0, 0)
    assert isinstance(result, Skipped) and result.reason == "language:fr"


def test_declared_language_wins() -> None:
    assert isinstance(clean(raw("Gunmen attacked the camp.", language="fr"), REF, 0, 0), Skipped)


def test_oversized_and_empty_bodies_are_rejected_with_a_reason() -> None:
    with pytest.raises(StageError) as too_big:
        clean(raw("x" * 5000), REF, 0, 0, max_chars=1000)
    assert too_big.value.reason == "body_too_large"
    with pytest.raises(StageError) as empty:
        clean(raw("**\n\n<br>"), REF, 0, 0)
    assert empty.value.reason == "empty_body"


def test_dedup_verdicts() -> None:
    first = cleaned(raw_seed(BOULKESSI), partition=1, offset=5)
    again_same_input = cleaned(raw_seed(BOULKESSI), partition=1, offset=5)
    second_copy = cleaned(raw_seed(BOULKESSI), partition=1, offset=9)
    assert dedup_verdict(None, first) == "new"
    assert dedup_verdict(seen_record(first), again_same_input) == "redelivery"
    assert dedup_verdict(seen_record(first), second_copy) == "duplicate"
    edited = cleaned(raw_seed(BAMAKO), partition=1, offset=9)
    assert dedup_verdict(seen_record(first), edited) == "revised"
