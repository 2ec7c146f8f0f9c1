"""Integration tests run on the embedded broker, or on the broker named by KAFKA_BOOTSTRAP."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def bootstrap() -> str | None:
    """None: each run starts its own embedded Tansu broker on a free 127.0.0.1 port."""
    return os.environ.get("KAFKA_BOOTSTRAP") or None
