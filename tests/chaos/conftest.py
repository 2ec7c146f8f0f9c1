"""The chaos tests use the embedded broker, or the broker named by KAFKA_BOOTSTRAP."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def bootstrap() -> str | None:
    return os.environ.get("KAFKA_BOOTSTRAP") or None
