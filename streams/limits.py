"""Limits on input: what the pure stages accept, as one small frozen value.

The stages take a `Limits` rather than the whole `Settings`, so they stay pure and cheap
to import; the worker builds one with `Limits.from_settings(settings)`. `DEFAULT_LIMITS`
equals the defaults of `Settings` (a test checks they agree).

- `max_message_bytes`: a raw message larger than this is dead-lettered (`message_too_large`)
  before it is parsed;
- `max_body_chars`: a body longer than this is dead-lettered (`body_too_large`);
- `max_casualty_figure`: a casualty figure above this is not believed and dropped (so is a
  candidate's toll that adds up to more);
- `max_candidates_per_article`: event candidates kept per article, the first in text order;
- `max_mentions_per_article`: places, actors, casualty mentions and dates an extracted
  article carries, each list cut to its first this many in text order (every mention
  carries its sentence, so this bounds the size of an extracted article);
- `earliest_date`: an older `published_at` is dead-lettered (`date_out_of_range`), an older
  date in the text is not an event date;
- `future_days`: a `published_at` more than this many days after the clock is dead-lettered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from streams.config import Settings

__all__ = ["Limits", "DEFAULT_LIMITS", "DEFAULT_MAX_MENTIONS"]

#: The default of `Limits.max_mentions_per_article`.
DEFAULT_MAX_MENTIONS = 100


@dataclass(frozen=True, slots=True)
class Limits:
    """The input limits of the clean and extract stages (see the module docstring)."""

    max_message_bytes: int = 1_048_576
    max_body_chars: int = 200_000
    max_casualty_figure: int = 5_000
    max_candidates_per_article: int = 50
    earliest_date: date = date(1990, 1, 1)
    future_days: int = 2
    max_mentions_per_article: int = DEFAULT_MAX_MENTIONS

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """The limits a worker configured with `settings` applies."""
        return cls(
            max_message_bytes=settings.max_message_bytes,
            max_body_chars=settings.max_body_chars,
            max_casualty_figure=settings.max_casualty_figure,
            max_candidates_per_article=settings.max_candidates_per_article,
            earliest_date=settings.earliest_date,
            future_days=settings.future_days,
            max_mentions_per_article=settings.max_mentions_per_article,
        )


#: The limits of a worker with default settings.
DEFAULT_LIMITS = Limits()
