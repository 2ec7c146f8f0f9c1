"""Build the Faust app from Settings, nothing more."""

from __future__ import annotations

import faust

from streams.config import Settings
from streams.security import faust_credentials

__all__ = ["create_app"]


def create_app(settings: Settings) -> faust.App:
    """A Faust app wired to the settings' broker, credentials, store and timeouts (raw bytes everywhere).

    Raises SecurityError for a broker URL with embedded credentials or unusable TLS files.
    """
    return faust.App(
        settings.app_id,
        broker=settings.broker,
        broker_credentials=faust_credentials(settings),
        store=settings.store,
        datadir=settings.data_dir,
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        key_serializer="raw",
        value_serializer="raw",
        broker_session_timeout=settings.session_timeout,
        broker_rebalance_timeout=settings.session_timeout,
        broker_heartbeat_interval=1.0,
        broker_commit_interval=settings.commit_interval,
        consumer_auto_offset_reset="earliest",
        producer_linger=settings.producer_linger,
        producer_max_batch_size=1_048_576,
        producer_max_request_size=20_971_520,
        consumer_max_fetch_size=33_554_432,
        web_port=settings.web_port,
        web_bind="127.0.0.1",
        table_cleanup_interval=3600.0,
    )
