"""`tollwatch config` and the settings table of docs/CONFIGURATION.md."""

from __future__ import annotations

import orjson
import pytest

from streams.cli import main
from streams.config import SECRET_MASK, Settings, markdown_table
from tests.conftest import ROOT

PASSWORD = "correct-horse-battery-staple"


def test_every_setting_has_a_meaning_and_the_docs_table_is_current() -> None:
    assert all(field.description for field in Settings.model_fields.values())
    doc = (ROOT / "docs" / "CONFIGURATION.md").read_text(encoding="utf-8")
    table = doc.split("<!-- settings:begin -->\n")[1].split("<!-- settings:end -->")[0]
    assert table == markdown_table(), "run: tollwatch config --markdown, and paste it into docs/CONFIGURATION.md"
    assert table.count("| `TOLLWATCH_") == len(Settings.model_fields)


def test_config_shows_what_the_environment_set_and_masks_secrets(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TOLLWATCH_PARTITIONS", "8")
    monkeypatch.setenv("TOLLWATCH_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("TOLLWATCH_SASL_MECHANISM", "SCRAM-SHA-512")
    monkeypatch.setenv("TOLLWATCH_SASL_USERNAME", "tollwatch")
    monkeypatch.setenv("TOLLWATCH_SASL_PASSWORD", PASSWORD)
    assert main(["config"]) == 0
    lines = {line.split()[0]: line.split()[1:] for line in capsys.readouterr().out.splitlines()}
    assert lines["TOLLWATCH_PARTITIONS"] == ["8", "from", "the", "environment"]
    assert lines["TOLLWATCH_REPLICATION_FACTOR"] == ["1"]
    assert lines["TOLLWATCH_SASL_PASSWORD"][0] == SECRET_MASK
    assert lines["TOLLWATCH_SSL_KEY_PASSWORD"] == ["(unset)"]
    assert main(["config", "--json"]) == 0
    out = capsys.readouterr().out
    assert PASSWORD not in out and PASSWORD[:6] not in out
    values = orjson.loads(out)
    assert values["TOLLWATCH_SASL_PASSWORD"] == SECRET_MASK and values["TOLLWATCH_PARTITIONS"] == "8"
    assert set(values) == {f"TOLLWATCH_{name.upper()}" for name in Settings.model_fields}


def test_config_masks_credentials_in_the_broker_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TOLLWATCH_BROKER", f"kafka://admin:{PASSWORD}@127.0.0.1:9092")
    assert main(["config", "--json"]) == 0
    assert orjson.loads(capsys.readouterr().out)["TOLLWATCH_BROKER"] == f"kafka://{SECRET_MASK}@127.0.0.1:9092"


def test_config_refuses_invalid_settings_without_echoing_them(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TOLLWATCH_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("TOLLWATCH_SASL_PASSWORD", PASSWORD)
    assert main(["config"]) == 2
    err = capsys.readouterr().err
    assert "invalid settings" in err and "sasl_mechanism" in err and PASSWORD not in err


def test_the_topics_consumers_rebuild_from_the_start_are_compacted() -> None:
    from streams.kafka_io import topic_specs

    settings = Settings()
    compacted = {name for name, config in topic_specs(settings).items() if config.get("cleanup.policy") == "compact"}
    assert compacted == {settings.topic_totals, settings.topic_events, settings.topic_outcomes}
