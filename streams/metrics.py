"""Every TollWatch metric, declared once against a registry passed in (prefix `tollwatch_`).

Label values come only from closed sets (stage, outcome, reason, window, kind, and the
gazetteer's countries and admin1 names), so series stay bounded whatever the input.
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from schemas import ConflictEvent, RegionalTotal

__all__ = ["Metrics"]

_LATENCY_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


@dataclass(frozen=True)
class Metrics:
    """The metric objects; build with `Metrics.create(registry)`."""

    articles: Counter
    deadletters: Counter
    mentions: Counter
    events: Counter
    casualties: Gauge
    region_events: Gauge
    watermark: Gauge
    stage_seconds: Histogram
    end_to_end_seconds: Histogram

    @classmethod
    def create(cls, registry: CollectorRegistry) -> Metrics:
        return cls(
            articles=Counter("tollwatch_articles", "Articles by stage and outcome",
                             ["stage", "outcome"], registry=registry),
            deadletters=Counter("tollwatch_deadletters", "Dead letters by stage and reason",
                                ["stage", "reason"], registry=registry),
            mentions=Counter("tollwatch_mentions", "Casualty mentions by kind and scope",
                             ["kind", "scope"], registry=registry),
            events=Counter("tollwatch_events", "Event revisions published (created or revised)",
                           ["change"], registry=registry),
            casualties=Gauge("tollwatch_casualties", "Latest regional totals (admin1 '' = country)",
                             ["country", "admin1", "window", "kind"], registry=registry),
            region_events=Gauge("tollwatch_region_events", "Events in the latest regional totals",
                                ["country", "admin1", "window"], registry=registry),
            watermark=Gauge("tollwatch_watermark_timestamp_seconds",
                            "Event-time watermark (latest published day seen)", registry=registry),
            stage_seconds=Histogram("tollwatch_stage_seconds", "Processing time per stage",
                                    ["stage"], buckets=_LATENCY_BUCKETS, registry=registry),
            end_to_end_seconds=Histogram("tollwatch_end_to_end_seconds",
                                         "Ingest to totals emitted", buckets=_LATENCY_BUCKETS,
                                         registry=registry),
        )  # fmt: skip

    def observe_total(self, total: RegionalTotal) -> None:
        admin1 = total.admin1 or ""
        for kind in ("killed_low", "killed_best", "killed_high", "wounded", "kidnapped"):
            self.casualties.labels(total.country, admin1, total.window, kind).set(getattr(total, kind))
        self.region_events.labels(total.country, admin1, total.window).set(total.events)

    def observe_event(self, event: ConflictEvent) -> None:
        self.events.labels("created" if event.revision == 1 else "revised").inc()
