"""The metrics module: closed label sets, the series bound, and the topic/metrics comparison."""

from __future__ import annotations

from datetime import date

from prometheus_client import CollectorRegistry, generate_latest

from schemas import RegionalTotal
from streams.metrics import KINDS, Metrics, disagreements, known_regions, parse_samples, series_bound


def total(country: str, admin1: str | None, killed: int, window: str = "all") -> RegionalTotal:
    return RegionalTotal.model_validate({
        "country": country, "admin1": admin1, "window": window, "killed_low": killed, "killed_best": killed,
        "killed_high": killed, "wounded": 0, "kidnapped": 0, "events": 1, "window_start": None,
        "window_end": date(2025, 6, 2), "as_of": date(2025, 6, 2),
    })  # fmt: skip


def scrape(metrics: Metrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return parse_samples(generate_latest(metrics.registry).decode())


def test_known_regions_are_the_gazetteer_admin1_units_and_countries() -> None:
    regions = known_regions()
    assert {("ML", "Mopti"), ("ML", "Ménaka"), ("BF", "Sahel"), ("NE", "Tillabéri"), ("ML", ""), ("ZZ", "")} <= regions
    assert ("ML", "Djibo") not in regions  # a town, not an admin1 unit
    assert 150 < len(regions) < 260


def test_labels_outside_their_closed_sets_never_become_series() -> None:
    metrics = Metrics.create(CollectorRegistry())
    metrics.dead_letter("clean", "Robert'); DROP TABLE")
    metrics.outcome("clean", "exploded")
    metrics.mention("beheaded", "event")
    metrics.stage_time("shredder", 0.1)
    metrics.observe_total(total("ML", "Atlantis", 5))
    metrics.observe_total(total("ML", "Mopti", 5))
    samples = scrape(metrics)
    assert samples[("tollwatch_label_rejects_total", ())] == 5
    casualty_series = [k for k in samples if k[0] == "tollwatch_casualties"]
    assert len(casualty_series) == len(KINDS)
    assert all(dict(k[1])["admin1"] == "Mopti" for k in casualty_series)
    reasons = {dict(k[1])["reason"]: v for k, v in samples.items() if k[0] == "tollwatch_deadletters_total"}
    assert "invalid_json" in reasons and "Robert'); DROP TABLE" not in reasons
    assert set(reasons.values()) == {0.0}  # declared at zero, never incremented


def test_the_series_bound_covers_every_label_combination() -> None:
    bound = series_bound()
    regions = len(known_regions())
    assert bound["tollwatch_casualties"] == regions * 4 * 5
    assert bound["tollwatch_articles_total"] == 3 * 5
    metrics = Metrics.create(CollectorRegistry())
    for country, admin1 in known_regions():
        for window in ("7d", "30d", "365d", "all"):
            metrics.observe_total(total(country, admin1 or None, 1, window))
    samples = scrape(metrics)
    assert sum(1 for k in samples if k[0] == "tollwatch_casualties") == bound["tollwatch_casualties"]
    assert samples[("tollwatch_label_rejects_total", ())] == 0


def test_disagreements_name_a_wrong_gauge_a_missing_one_and_a_wrong_counter() -> None:
    metrics = Metrics.create(CollectorRegistry())
    metrics.observe_total(total("ML", "Mopti", 30))
    metrics.observe_total(total("ML", "Kidal", 50))
    for outcome in ("received", "cleaned", "received", "cleaned"):
        metrics.outcome("clean", outcome)
    accounting = {"received": 2, "cleaned": 2, "duplicate": 0, "skipped": 0, "deadlettered": 0}
    samples = scrape(metrics)
    assert disagreements(samples, [total("ML", "Mopti", 30), total("ML", "Kidal", 50)], accounting) == []
    problems = disagreements(samples, [total("ML", "Mopti", 31)], {**accounting, "skipped": 1})
    assert any("Mopti" in p and "killed_best" in p and "31" in p for p in problems)
    assert any("Kidal" in p and "totals topic None" in p for p in problems)
    assert any("outcome=skipped" in p for p in problems)


def test_forgetting_totals_drops_every_casualty_gauge() -> None:
    metrics = Metrics.create(CollectorRegistry())
    metrics.observe_total(total("ML", "Mopti", 30))
    metrics.forget_totals()
    assert not any(k[0] in ("tollwatch_casualties", "tollwatch_region_events") for k in scrape(metrics))
