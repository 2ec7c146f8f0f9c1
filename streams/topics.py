"""Topic declarations (names and configs from settings)."""

from __future__ import annotations

from dataclasses import dataclass

import faust
from faust.types import TopicT

from streams.config import Settings
from streams.kafka_io import topic_specs

__all__ = ["Topics", "declare_topics"]


@dataclass(frozen=True)
class Topics:
    raw: TopicT
    clean: TopicT
    extracted: TopicT
    events: TopicT
    totals: TopicT
    deadletter: TopicT
    outcomes: TopicT


def declare_topics(app: faust.App, settings: Settings) -> Topics:
    """Faust topic objects for every pipeline topic."""
    specs = topic_specs(settings)

    def topic(name: str) -> TopicT:
        return app.topic(name, partitions=settings.partitions, config=specs[name] or None,
                         key_serializer="raw", value_serializer="raw")  # fmt: skip

    return Topics(
        raw=topic(settings.topic_raw),
        clean=topic(settings.topic_clean),
        extracted=topic(settings.topic_extracted),
        events=topic(settings.topic_events),
        totals=topic(settings.topic_totals),
        deadletter=topic(settings.topic_deadletter),
        outcomes=topic(settings.topic_outcomes),
    )
