"""Every TollWatch metric, declared once against a registry passed in (prefix `tollwatch_`).

Label values come only from closed sets: stage, outcome, dead-letter reason, mention kind
and scope, window, casualty kind, and the gazetteer's countries and admin1 regions. A value
outside its set is never used as a label (it is counted in `tollwatch_label_rejects_total`
instead), so the number of series stays bounded whatever the input; `series_bound()` says
by how much. Faust's own sensor (messages in and out, commit latency, end and committed
offsets per topic partition, hence consumer lag) goes to the same registry under
`tollwatch_faust_`.
"""

from __future__ import annotations

import csv
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache
from typing import get_args

import faust
from faust.sensors.prometheus import FaustMetrics, PrometheusMonitor
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from schemas import WINDOWS, ConflictEvent, RegionalTotal
from schemas.deadletter import DeadLetterReason, OutcomeKind, Stage
from schemas.entities import CasualtyKind, Scope
from streams.extract.frames import NO_COUNTRY
from streams.extract.gazetteer import data_lines

__all__ = ["Metrics", "known_regions", "attach_faust_sensor", "series_bound", "parse_samples", "disagreements", "KINDS"]

_LATENCY_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
#: Casualty gauge kinds: the figures of a `RegionalTotal`.
KINDS = ("killed_low", "killed_best", "killed_high", "wounded", "kidnapped")
_STAGES = frozenset(get_args(Stage))
_OUTCOMES = frozenset(("received", *get_args(OutcomeKind)))
_REASONS = frozenset(get_args(DeadLetterReason))
_MENTION_KINDS = frozenset(get_args(CasualtyKind))
_SCOPES = frozenset(get_args(Scope))


@lru_cache(maxsize=1)
def known_regions() -> frozenset[tuple[str, str]]:
    """Every (country, admin1) a total can carry: the gazetteer's admin1 units, and
    (country, "") for each country total, including the unplaced country `ZZ`."""
    rows = csv.reader(data_lines("admin_regions.tsv.xz"), delimiter="\t", quoting=csv.QUOTE_NONE)
    next(rows)
    regions = {(row[0], row[3]) for row in rows if row[1] == "1"}
    countries = {cc for cc, _ in regions} | {line.split("\t", 1)[0] for line in data_lines("countries.tsv")}
    return frozenset(regions | {(cc, "") for cc in countries | {NO_COUNTRY}})


def series_bound() -> dict[str, int]:
    """The most series each TollWatch metric family can ever have (histograms: per bucket set)."""
    regions = len(known_regions())
    return {
        "tollwatch_articles_total": len(_STAGES) * len(_OUTCOMES),
        "tollwatch_deadletters_total": len(_STAGES) * len(_REASONS),
        "tollwatch_mentions_total": len(_MENTION_KINDS) * len(_SCOPES),
        "tollwatch_events_total": 2,
        "tollwatch_casualties": regions * len(WINDOWS) * len(KINDS),
        "tollwatch_region_events": regions * len(WINDOWS),
        "tollwatch_label_rejects_total": 1,
        "tollwatch_late_candidates_total": 1,
        "tollwatch_evicted_events_total": 1,
        "tollwatch_watermark_timestamp_seconds": 1,
        "tollwatch_low_watermark_timestamp_seconds": 1,
        "tollwatch_stage_seconds": len(_STAGES),
        "tollwatch_end_to_end_seconds": 1,
    }


@dataclass(frozen=True)
class Metrics:
    """The metric objects; build with `Metrics.create(registry)`. Call the methods, not the
    metric objects, from the agents: the methods keep every label inside its closed set."""

    registry: CollectorRegistry
    articles: Counter
    deadletters: Counter
    mentions: Counter
    events: Counter
    casualties: Gauge
    region_events: Gauge
    watermark: Gauge
    low_watermark: Gauge
    stage_seconds: Histogram
    end_to_end_seconds: Histogram
    label_rejects: Counter
    late_candidates: Counter
    evicted_events: Counter

    @classmethod
    def create(cls, registry: CollectorRegistry) -> Metrics:
        """Declare every metric on `registry`, with each counter's label combinations at 0
        (so that rates and alerts see a fresh worker's zeros, not an absent series)."""
        metrics = cls._declare(registry)
        for outcome in sorted(_OUTCOMES):
            metrics.articles.labels("clean", outcome)
        for stage in sorted(_STAGES):
            metrics.stage_seconds.labels(stage)
            for reason in sorted(_REASONS):
                metrics.deadletters.labels(stage, reason)
        for kind in sorted(_MENTION_KINDS):
            for scope in sorted(_SCOPES):
                metrics.mentions.labels(kind, scope)
        for change in ("created", "revised"):
            metrics.events.labels(change)
        return metrics

    @classmethod
    def _declare(cls, registry: CollectorRegistry) -> Metrics:
        return cls(
            registry=registry,
            articles=Counter("tollwatch_articles", "Input articles by stage and outcome (received, cleaned, "
                             "duplicate, skipped, deadlettered)", ["stage", "outcome"], registry=registry),
            deadletters=Counter("tollwatch_deadletters", "Dead letters by stage and reason",
                                ["stage", "reason"], registry=registry),
            mentions=Counter("tollwatch_mentions", "Casualty mentions extracted, by kind and scope",
                             ["kind", "scope"], registry=registry),
            events=Counter("tollwatch_events", "Event revisions published (created or revised)",
                           ["change"], registry=registry),
            casualties=Gauge("tollwatch_casualties", "Latest regional totals owned by this worker "
                             "(admin1 '' = whole country)", ["country", "admin1", "window", "kind"],
                             registry=registry),
            region_events=Gauge("tollwatch_region_events", "Events in the latest regional totals",
                                ["country", "admin1", "window"], registry=registry),
            watermark=Gauge("tollwatch_watermark_timestamp_seconds",
                            "Event-time watermark: start (UTC) of the latest published day seen",
                            registry=registry),
            low_watermark=Gauge("tollwatch_low_watermark_timestamp_seconds",
                                "Low watermark: start (UTC) of the latest day every partition of articles.clean "
                                "has reached; events 395 days older leave the state", registry=registry),
            stage_seconds=Histogram("tollwatch_stage_seconds", "Processing time of one message per stage",
                                    ["stage"], buckets=_LATENCY_BUCKETS, registry=registry),
            end_to_end_seconds=Histogram("tollwatch_end_to_end_seconds",
                                         "Ingest (clean) to totals emitted, per article that moved a total",
                                         buckets=_LATENCY_BUCKETS, registry=registry),
            label_rejects=Counter("tollwatch_label_rejects", "Metric updates dropped because a label "
                                  "value was outside its closed set (a bug: should stay 0)", registry=registry),
            late_candidates=Counter("tollwatch_late_candidates", "Event candidates refused because their dates "
                                    "begin more than 365 + 30 days before their article's publication (or "
                                    "before the state's floor)", registry=registry),
            evicted_events=Counter("tollwatch_evicted_events", "Events evicted from the state (older than the "
                                   "horizon; their figures stay in the regions' all-time totals)", registry=registry),
        )  # fmt: skip

    def _ok(self, value: object, allowed: Container[object]) -> bool:
        if value in allowed:
            return True
        self.label_rejects.inc()
        return False

    def outcome(self, stage: str, outcome: str) -> None:
        """One input reached `outcome` at `stage` ("received" when a stage takes it in)."""
        if self._ok(stage, _STAGES) and self._ok(outcome, _OUTCOMES):
            self.articles.labels(stage, outcome).inc()

    def dead_letter(self, stage: str, reason: str) -> None:
        if self._ok(stage, _STAGES) and self._ok(reason, _REASONS):
            self.deadletters.labels(stage, reason).inc()

    def mention(self, kind: str, scope: str) -> None:
        if self._ok(kind, _MENTION_KINDS) and self._ok(scope, _SCOPES):
            self.mentions.labels(kind, scope).inc()

    def stage_time(self, stage: str, seconds: float) -> None:
        if self._ok(stage, _STAGES):
            self.stage_seconds.labels(stage).observe(seconds)

    def observe_event(self, event: ConflictEvent) -> None:
        self.events.labels("created" if event.revision == 1 else "revised").inc()

    def observe_total(self, total: RegionalTotal) -> None:
        """Set the casualty gauges of one region and window from a published total."""
        admin1 = total.admin1 or ""
        if not (self._ok(total.window, WINDOWS) and self._ok((total.country, admin1), known_regions())):
            return
        for kind in KINDS:
            self.casualties.labels(total.country, admin1, total.window, kind).set(getattr(total, kind))
        self.region_events.labels(total.country, admin1, total.window).set(total.events)

    def forget_totals(self) -> None:
        """Drop every casualty gauge (this worker's partitions were revoked; the new owner
        publishes them, and `observe_total` refills ours from state on the next tick)."""
        self.casualties.clear()
        self.region_events.clear()


def attach_faust_sensor(app: faust.App, registry: CollectorRegistry) -> None:
    """Faust's Prometheus monitor, writing to our registry (served by our endpoint, not
    Faust's web server): `tollwatch_faust_*`, among them per topic-partition end offset and
    committed offset, whose difference is the consumer lag."""
    app.monitor = PrometheusMonitor(metrics=FaustMetrics.create(registry, "tollwatch_faust"))


Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse_samples(exposition: str) -> Samples:
    """Prometheus text exposition -> {(sample name, sorted labels): value}."""
    from prometheus_client.parser import text_string_to_metric_families

    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(exposition)
        for s in family.samples
    }


def disagreements(samples: Samples, totals: list[RegionalTotal], accounting: dict[str, int]) -> list[str]:
    """Where a worker's metrics differ from the totals topic (latest total per key) and the
    accounting of the outcomes topic; empty when they agree exactly."""
    problems = []
    expected: dict[tuple[tuple[str, str], ...], float] = {}
    for t in totals:
        for kind in KINDS:
            names = {"country": t.country, "admin1": t.admin1 or "", "window": t.window, "kind": kind}
            expected[tuple(sorted(names.items()))] = float(getattr(t, kind))
    reported = {labels: v for (name, labels), v in samples.items() if name == "tollwatch_casualties"}
    for key in sorted(expected.keys() | reported.keys()):
        want, got = expected.get(key), reported.get(key)
        if want != got:
            problems.append(f"tollwatch_casualties{dict(key)}: metrics {got}, totals topic {want}")
    for outcome, count in accounting.items():
        got = samples.get(("tollwatch_articles_total", (("outcome", outcome), ("stage", "clean"))), 0.0)
        if got != count:
            name = f"tollwatch_articles_total{{stage=clean,outcome={outcome}}}"
            problems.append(f"{name}: metrics {got}, accounting {count}")
    return problems
