"""Settings: one frozen object from the environment (prefix `TOLLWATCH_`); nothing else reads env."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Every knob of a worker, with safe defaults for a local run."""

    model_config = SettingsConfigDict(env_prefix="TOLLWATCH_", frozen=True, extra="ignore")

    app_id: str = "tollwatch"
    broker: str = Field(default="kafka://127.0.0.1:9092", description="Kafka bootstrap URL(s)")
    embedded_broker: bool = Field(
        default=False, description="set by the demo when the broker is the embedded Tansu (see docs/ARCHITECTURE.md)"
    )
    store: str = Field(default="memory://", description="Faust table store: memory:// or rocksdb://")
    data_dir: str = "/tmp/tollwatch"
    partitions: int = Field(default=4, ge=1)
    replication_factor: int = Field(default=1, ge=1)
    topic_raw: str = "articles.raw"
    topic_clean: str = "articles.clean"
    topic_extracted: str = "articles.extracted"
    topic_events: str = "events"
    topic_totals: str = "casualty.totals"
    topic_deadletter: str = "articles.deadletter"
    topic_outcomes: str = "articles.outcomes"
    metrics_host: str = "127.0.0.1"
    metrics_port: int = Field(default=9108, ge=0, le=65535)
    web_port: int = Field(default=6066, ge=1, le=65535)
    commit_interval: float = Field(default=1.0, gt=0)
    tick_interval: float = Field(default=60.0, gt=0, description="seconds between watermark re-broadcasts")
    session_timeout: float = Field(default=10.0, gt=0)
    max_body_chars: int = Field(default=200_000, ge=1000)
    deadletter_max_bytes: int = Field(default=1_000_000, ge=1024)
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    loglevel: str = "warning"
