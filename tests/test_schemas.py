from __future__ import annotations

import pytest

from schemas import DecodeError, RawArticle, RegionalTotal, decode, derive_article_id, encode
from schemas.jsonschema import main as jsonschema_main


def test_raw_article_requires_body_and_published_at() -> None:
    for payload in (b'{"published_at": "2025-01-01T00:00:00Z"}', b'{"body": "text"}'):
        with pytest.raises(DecodeError) as err:
            decode(RawArticle, payload)
        assert err.value.reason == "schema"


def test_published_at_must_carry_a_timezone() -> None:
    with pytest.raises(DecodeError, match="timezone"):
        decode(RawArticle, b'{"body": "x", "published_at": "2025-01-01T00:00:00"}')


def test_id_from_url_else_from_content() -> None:
    by_url = RawArticle(body="a", url="https://example.org/a", published_at="2025-01-01T00:00:00Z")  # type: ignore[arg-type]
    by_body = RawArticle(body="a", published_at="2025-01-01T00:00:00Z")  # type: ignore[arg-type]
    assert by_url.id == derive_article_id("https://example.org/a", "a") != by_body.id
    assert by_body.id == derive_article_id(None, "a")


@pytest.mark.parametrize(
    ("payload", "reason"),
    [(b"{not json", "invalid_json"), (b"\xff\xfe", "invalid_utf8"), (b"[1, 2]", "schema"),
     (b'{"body": "x", "published_at": "2025-01-01T00:00:00Z", "extra": 1}', "schema")],
)  # fmt: skip
def test_decode_errors_carry_a_reason(payload: bytes, reason: str) -> None:
    with pytest.raises(DecodeError) as err:
        decode(RawArticle, payload)
    assert err.value.reason == reason


def test_codec_round_trip() -> None:
    total = RegionalTotal(
        country="ML",
        admin1="Mopti",
        window="30d",
        killed_low=3,
        window_start=None,
        window_end="2025-06-02",
        as_of="2025-06-02",
    )  # type: ignore[arg-type]
    assert decode(RegionalTotal, encode(total)) == total
    assert total.key == "ML/Mopti/30d"


def test_checked_in_json_schemas_are_current() -> None:
    assert jsonschema_main(["--check"]) == 0, "run: python -m schemas.jsonschema"
