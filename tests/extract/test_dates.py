from __future__ import annotations

from datetime import date

import pytest

from streams.extract.dates import find_dates

MONDAY = date(2025, 6, 2)


@pytest.mark.parametrize(
    ("text", "published", "day", "precision"),
    [
        ("during the ambush on Sunday", MONDAY, date(2025, 6, 1), "day"),
        ("On Monday, the group announced", MONDAY, date(2025, 6, 2), "day"),
        ("early Tuesday morning", date(2024, 9, 17), date(2024, 9, 17), "day"),
        ("In July, about 50 were killed", date(2024, 9, 17), date(2024, 7, 1), "month"),
        ("in December", date(2025, 3, 1), date(2024, 12, 1), "month"),
        ("on 3 April 2023", MONDAY, date(2023, 4, 3), "day"),
        ("on April 3", MONDAY, date(2025, 4, 3), "day"),
        ("yesterday", MONDAY, date(2025, 6, 1), "day"),
        ("last week", MONDAY, date(2025, 5, 26), "week"),
        ("last month", MONDAY, date(2025, 5, 1), "month"),
    ],
)
def test_resolves_against_published_at(text: str, published: date, day: date, precision: str) -> None:
    found = find_dates(text, published)
    assert [(d.day, d.precision) for _, _, d in found][:1] == [(day, precision)]


def test_may_as_a_verb_is_not_a_date() -> None:
    assert find_dates("Officials said more attacks may follow.", MONDAY) == []
