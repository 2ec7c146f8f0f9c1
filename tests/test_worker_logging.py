"""The worker's logging: debug records of Faust and aiokafka are not even built."""

from __future__ import annotations

import logging

import faust
from prometheus_client import CollectorRegistry

from streams.agents import build_pipeline
from streams.cli import make_worker
from streams.config import Settings
from streams.metrics import Metrics


def test_the_worker_sets_up_logging_at_its_level_not_debug() -> None:
    settings = Settings(broker="kafka://127.0.0.1:1", metrics_port=0)
    app = build_pipeline(settings, Metrics.create(CollectorRegistry())).app
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    try:
        make_worker(app, settings)._setup_logging()
        for name in ("faust.topics", "aiokafka.conn", "aiokafka.producer.producer"):
            assert logging.getLogger(name).getEffectiveLevel() == logging.WARNING, name
        # Faust's own worker, spinner kept, is what made the whole process log at DEBUG
        faust.Worker(app, loglevel="warning")._setup_logging()
        assert logging.getLogger("faust.topics").getEffectiveLevel() == logging.DEBUG
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
