"""A real Prometheus scrapes a real worker that has processed the seeds and the many-outlet
stream; every PromQL expression of the Grafana dashboard and of the rules runs against it."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
import pytest
import yaml

from streams.broker import free_port
from streams.demo import DemoResult, drive, running_pipeline
from streams.inputs import load_inputs
from tests.conftest import ROOT, SEEDS

pytestmark = [pytest.mark.integration, pytest.mark.prometheus]

DEPLOY = ROOT / "deploy"
RULES = DEPLOY / "prometheus" / "rules" / "tollwatch.yml"
DASHBOARD = DEPLOY / "grafana" / "dashboards" / "tollwatch.json"
#: what Grafana would substitute: all countries, one window, a rate window of many scrapes
VARIABLES = {"$__rate_interval": "30s", "$country": ".*", "$window": "all"}


@dataclass(frozen=True)
class Prometheus:
    url: str
    result: DemoResult

    def get(self, path: str, **params: str) -> Any:
        query = ("?" + urllib.parse.urlencode(params)) if params else ""
        with urllib.request.urlopen(f"{self.url}{path}{query}", timeout=10) as response:  # noqa: S310 - loopback
            body = orjson.loads(response.read())
        assert body["status"] == "success", body
        return body["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        data = self.get("/api/v1/query", query=expr)
        assert data["resultType"] in ("vector", "scalar"), data
        return list(data["result"]) if data["resultType"] == "vector" else [{"metric": {}, "value": data["result"]}]


def prometheus_binary() -> str:
    path = shutil.which("prometheus")
    if path is None:
        pytest.fail("needs the prometheus server from Debian's prometheus package: apt-get install prometheus "
                    "(.ci/run installs it)")  # fmt: skip
    return path


def wait_for(check: Any, what: str, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
            if value:
                return value
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def prometheus(bootstrap: str | None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prometheus]:
    binary = prometheus_binary()
    inputs = load_inputs([SEEDS, ROOT / "tests" / "data" / "bankass_stream.jsonl"])
    with running_pipeline(bootstrap) as run:
        result = asyncio.run(drive(run, inputs, 180.0))
        home = tmp_path_factory.mktemp("prometheus")
        config = {
            "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
            "rule_files": [str(RULES)],
            "scrape_configs": [{"job_name": "tollwatch", "static_configs": [
                {"targets": [f"127.0.0.1:{run.settings.metrics_port}"]}]}],
        }  # fmt: skip
        (home / "prometheus.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        port = free_port()
        with (home / "prometheus.log").open("wb") as log:
            server = subprocess.Popen(
                [binary, f"--config.file={home / 'prometheus.yml'}", f"--storage.tsdb.path={home / 'data'}",
                 f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )  # fmt: skip
        try:
            api = Prometheus(f"http://127.0.0.1:{port}", result)
            wait_for(lambda: api.query('up{job="tollwatch"} == 1'), "the worker to be scraped")
            # enough samples for the dashboard's 30s rates, and the recording rules evaluated
            wait_for(lambda: api.query('count_over_time(up{job="tollwatch"}[30s]) >= 8'), "eight scrapes")
            wait_for(lambda: api.query("tollwatch:consumer_lag:sum"), "the lag recording rule")
            yield api
        except BaseException:
            print((home / "prometheus.log").read_text(errors="replace")[-3000:])
            raise
        finally:
            server.terminate()
            server.wait(20)


def dashboard_targets() -> list[tuple[str, str]]:
    dashboard = orjson.loads(DASHBOARD.read_bytes())
    return [(p["title"], t["expr"]) for p in dashboard["panels"] if p["type"] != "row" for t in p["targets"]]


def substitute(expr: str) -> str:
    return re.sub(r"\$\w+", lambda m: VARIABLES[m.group(0)], expr)


def test_every_dashboard_expression_returns_series(prometheus: Prometheus) -> None:
    empty = [(title, expr) for title, expr in dashboard_targets() if not prometheus.query(substitute(expr))]
    assert not empty, empty
    countries = prometheus.get("/api/v1/label/country/values", **{"match[]": "tollwatch_casualties"})
    assert {"ML", "BF"} <= set(countries)  # the $country variable's options


def test_every_rule_is_healthy_and_recording_rules_return_data(prometheus: Prometheus) -> None:
    groups = prometheus.get("/api/v1/rules")["groups"]
    rules = [r for g in groups for r in g["rules"]]
    expected = [r for g in yaml.safe_load(RULES.read_text(encoding="utf-8"))["groups"] for r in g["rules"]]
    assert len(rules) == len(expected)
    for rule in rules:
        assert rule["health"] == "ok" and not rule.get("lastError"), rule
        if rule["type"] == "recording":
            assert prometheus.query(rule["name"]), rule["name"]
        else:
            prometheus.query(rule["query"])  # parses and evaluates; quiet here (covered by promtool tests)
            assert rule["state"] == "inactive", rule  # a healthy pipeline after the seeds: nothing fires


def test_prometheus_sees_the_totals_topic_and_the_accounting(prometheus: Prometheus) -> None:
    result = prometheus.result
    assert result.metrics_disagreements == []
    for total in result.totals:
        admin1 = total.admin1 or ""
        (sample,) = prometheus.query(f'tollwatch_casualties{{country="{total.country}", admin1="{admin1}", '
                                     f'window="{total.window}", kind="killed_high"}}')  # fmt: skip
        assert float(sample["value"][1]) == total.killed_high, total.key
    for outcome, count in result.accounting.items():
        (sample,) = prometheus.query(f'tollwatch_articles_total{{stage="clean", outcome="{outcome}"}}')
        assert float(sample["value"][1]) == count, outcome
    mopti = prometheus.query('tollwatch_casualties{country="ML", admin1="Mopti", window="all", kind="killed_best"}')
    assert float(mopti[0]["value"][1]) == 78  # Boulikessi 30 (seeds) + Bankass 41 + Koro 7
    # everything processed and committed: the lag the dashboard and alerts read is zero
    lag = {s["metric"]["topic"]: float(s["value"][1]) for s in prometheus.query("tollwatch:consumer_lag:sum")}
    assert lag and set(lag.values()) == {0.0}, lag
    assert any(topic.startswith("articles.raw") for topic in lag)
