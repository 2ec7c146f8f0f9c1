"""Shared fixtures: the seed articles as the pipeline sees them."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas import CleanArticle, ExtractedArticle, RawArticle, RawRef, decode
from streams.clean import clean
from streams.extract import extract

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BOULKESSI = "seed-d596e75bead0eb0e"
BAMAKO = "seed-c832c291b0591559"


def raw_seed(article_id: str) -> RawArticle:
    name = {BOULKESSI: "000_d596e75bead0eb0e.json", BAMAKO: "001_c832c291b0591559.json"}[article_id]
    return decode(RawArticle, (SEEDS / name).read_bytes())


def cleaned(raw: RawArticle, partition: int = 0, offset: int = 0) -> CleanArticle:
    result = clean(raw, RawRef(partition=partition, offset=offset), 0.0, 0.0)
    assert isinstance(result, CleanArticle)
    return result


def article(body: str, published_at: str = "2025-06-02T12:00:00Z", **extra: str) -> list[ExtractedArticle]:
    """Clean and extract an invented article."""
    return extract(cleaned(RawArticle(body=body, published_at=published_at, **extra)), 0.0)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def seed_extracted() -> dict[str, list[ExtractedArticle]]:
    return {aid: extract(cleaned(raw_seed(aid)), 0.0) for aid in (BOULKESSI, BAMAKO)}
