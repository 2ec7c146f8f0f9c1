"""Settings: one frozen object from the environment (prefix `TOLLWATCH_`); nothing else reads env."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "SECRET_MASK", "describe", "markdown_table"]

#: What `tollwatch config` shows in place of a secret that is set.
SECRET_MASK = "********"


class Settings(BaseSettings):
    """Every knob of a worker, with safe defaults for a local run."""

    model_config = SettingsConfigDict(
        env_prefix="TOLLWATCH_",
        frozen=True,
        extra="ignore",
        hide_input_in_errors=True,  # secrets stay out of errors
    )

    app_id: str = Field(
        default="tollwatch", description="Faust app id: the consumer group and the prefix of table topics"
    )
    broker: str = Field(default="kafka://127.0.0.1:9092", description="Kafka bootstrap URL(s)")
    embedded_broker: bool = Field(
        default=False, description="set by the demo when the broker is the embedded Tansu (see docs/ARCHITECTURE.md)"
    )
    store: str = Field(default="memory://", description="Faust table store: memory:// or rocksdb://")
    data_dir: str = Field(default="/tmp/tollwatch", description="directory of the worker's table stores (RocksDB)")
    partitions: int = Field(default=4, ge=1, description="partitions of the topics the worker creates")
    replication_factor: int = Field(default=1, ge=1, description="replication factor of the topics it creates")
    topic_raw: str = Field(default="articles.raw", description="input: RawArticle JSON from producers")
    topic_clean: str = Field(default="articles.clean", description="cleaned, de-duplicated English articles")
    topic_extracted: str = Field(default="articles.extracted", description="articles with their entities, per country")
    topic_events: str = Field(default="events", description="event revisions (docs/CONSUMERS.md)")
    topic_totals: str = Field(default="casualty.totals", description="regional totals, compacted (docs/CONSUMERS.md)")
    topic_deadletter: str = Field(
        default="articles.deadletter", description="messages a stage refused, with the reason"
    )
    topic_outcomes: str = Field(default="articles.outcomes", description="what became of each input, compacted")
    metrics_host: str = Field(
        default="127.0.0.1", description="address of the Prometheus endpoint (0.0.0.0 in the image)"
    )
    metrics_port: int = Field(default=9108, ge=0, le=65535, description="port of the Prometheus endpoint (0: none)")
    web_port: int = Field(default=6066, ge=1, le=65535, description="port of Faust's web server (on 127.0.0.1)")
    commit_interval: float = Field(default=1.0, gt=0, description="seconds between offset commits")
    tick_interval: float = Field(default=60.0, gt=0, description="seconds between watermark re-broadcasts")
    idle_timeout: float = Field(
        default=300.0,
        gt=0,
        description="seconds a partition of articles.clean with nothing to read must stay idle before it no "
        "longer holds eviction back (docs/ARCHITECTURE.md, Watermark)",
    )
    producer_linger: float = Field(
        default=0.005, ge=0, le=1.0, description="seconds the producer waits to fill a batch (throughput vs latency)"
    )
    totals_flush_interval: float = Field(
        default=0.1, ge=0, le=10.0, description="longest a changed total waits to be sent while input is queued"
    )
    extract_processes: int = Field(
        default=0, ge=0, le=64, description="child processes that extract (0: in the worker; docs/OPERATIONS.md)"
    )
    extract_batch: int = Field(default=32, ge=1, le=10_000, description="messages per batch with an extract pool")
    extract_wait: float = Field(
        default=0.005, gt=0, le=1.0, description="longest wait to fill a batch for the extract pool (seconds)"
    )
    seen_sweep_interval: float = Field(
        default=3600.0, gt=0, description="seconds between sweeps of clean-seen for ids older than the state horizon"
    )
    session_timeout: float = Field(
        default=10.0,
        gt=0,
        description="consumer session and rebalance timeout (seconds): how soon a dead worker's partitions move",
    )
    broker_lost_timeout: float = Field(
        default=60.0, gt=0, description="seconds without the broker before the worker exits non-zero (code 3)"
    )
    # -- limits on input (docs/OPERATIONS.md, "Threat model"): larger is dead-lettered or dropped
    max_message_bytes: int = Field(default=1_048_576, ge=1024, description="raw message bytes; larger: dead letter")
    max_body_chars: int = Field(default=200_000, ge=1000, description="body characters; larger: dead letter")
    max_casualty_figure: int = Field(
        default=5_000, ge=1, description="largest toll believed in one report; larger figures are dropped"
    )
    max_candidates_per_article: int = Field(default=50, ge=1, description="event candidates kept per article")
    max_mentions_per_article: int = Field(
        default=100, ge=1, description="places, actors, casualty mentions and dates an extracted article carries"
    )
    earliest_date: date = Field(default=date(1990, 1, 1), description="older published_at: dead letter")
    future_days: int = Field(default=2, ge=0, description="published_at more than this far ahead: dead letter")
    deadletter_max_bytes: int = Field(default=1_000_000, ge=1024, description="original bytes kept in a dead letter")
    # -- broker security (all from the environment; secrets never logged)
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        default="PLAINTEXT", description="how every Kafka client connects: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL"
    )
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = Field(
        default=None, description="PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (with SASL_*)"
    )
    sasl_username: str | None = Field(default=None, description="SASL user name")
    sasl_password: SecretStr | None = Field(default=None, description="SASL password (secret: never printed)")
    ssl_cafile: str | None = Field(default=None, description="CA bundle to verify the broker (default: system CAs)")
    ssl_certfile: str | None = Field(default=None, description="client certificate (mutual TLS)")
    ssl_keyfile: str | None = Field(default=None, description="client key (mutual TLS)")
    ssl_key_password: SecretStr | None = Field(default=None, description="password of the client key (secret)")
    loglevel: str = Field(default="warning", description="worker log level: debug, info, warning, error")

    @model_validator(mode="after")
    def _check_security(self) -> Settings:
        sasl = self.security_protocol.startswith("SASL_")
        if sasl and not (self.sasl_mechanism and self.sasl_username and self.sasl_password):
            raise ValueError(f"security_protocol {self.security_protocol} needs sasl_mechanism, sasl_username "
                             "and sasl_password (TOLLWATCH_SASL_*)")  # fmt: skip
        if self.sasl_mechanism and not sasl:
            raise ValueError("sasl_mechanism is set: security_protocol must be SASL_PLAINTEXT or SASL_SSL")
        tls_files = [name for name in ("ssl_cafile", "ssl_certfile", "ssl_keyfile") if getattr(self, name)]
        if tls_files and not self.security_protocol.endswith("SSL"):
            raise ValueError(f"{', '.join(tls_files)} set but security_protocol is {self.security_protocol}: "
                             "the connection would not be encrypted (use SSL or SASL_SSL)")  # fmt: skip
        if bool(self.ssl_certfile) != bool(self.ssl_keyfile):
            raise ValueError("ssl_certfile and ssl_keyfile go together (mutual TLS)")
        return self


_USERINFO = re.compile(r"(://)[^/@\s]+@")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, SecretStr):
        return SECRET_MASK
    return _USERINFO.sub(rf"\g<1>{SECRET_MASK}@", str(value))  # credentials in a URL (the worker refuses them)


def describe(settings: Settings) -> list[dict[str, str]]:
    """Each setting as it is in force: `env` (the variable), `value` (secrets masked), `source`
    ("environment" when the variable set it, else "default"), `default` and `meaning`."""
    rows = []
    for name, field in Settings.model_fields.items():
        rows.append({
            "env": f"TOLLWATCH_{name.upper()}",
            "value": _text(getattr(settings, name)),
            "source": "environment" if name in settings.model_fields_set else "default",
            "default": _text(field.default),
            "meaning": field.description or "",
        })  # fmt: skip
    return rows


def markdown_table() -> str:
    """Every setting as the Markdown table of docs/CONFIGURATION.md (a test keeps them equal)."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = _text(field.default)
        lines.append(
            f"| `TOLLWATCH_{name.upper()}` | {f'`{default}`' if default else '(unset)'} | {field.description} |"
        )
    return "\n".join(lines) + "\n"
