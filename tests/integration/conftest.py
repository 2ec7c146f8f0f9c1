"""Integration tests run on the embedded broker, or on the broker named by KAFKA_BOOTSTRAP."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from streams.broker import EmbeddedBroker


@pytest.fixture(scope="session")
def bootstrap() -> str | None:
    """None: each run starts its own embedded Tansu broker on a free 127.0.0.1 port."""
    return os.environ.get("KAFKA_BOOTSTRAP") or None


@pytest.fixture(scope="module")
def broker(bootstrap: str | None) -> Iterator[str]:
    """A broker address for one test module: KAFKA_BOOTSTRAP, or an embedded Tansu of its own."""
    if bootstrap:
        yield bootstrap
        return
    with EmbeddedBroker() as embedded:
        yield embedded.bootstrap
