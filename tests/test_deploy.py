"""The deployment files: Prometheus config and rules (promtool), the alert unit tests, the
compose file against the Compose specification's JSON schema, the Grafana provisioning and
dashboard, the Dockerfile, and the wheel the image installs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest
import yaml

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
RULES = DEPLOY / "prometheus" / "rules" / "tollwatch.yml"
DASHBOARD = DEPLOY / "grafana" / "dashboards" / "tollwatch.json"
COMPOSE = ROOT / "docker-compose.yml"
#: The Compose specification schema ships inside this wheel on the package registry
#: (compose/config/compose_spec.json); fetched once into .cache/ by `compose_schema()`.
COMPOSE_SPEC_WHEEL = "docker-compose==1.29.2"


def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.fail("needs promtool from Debian's prometheus package: apt-get install prometheus (.ci/run does)")
    return path


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.prometheus
def test_promtool_accepts_the_config_and_the_rules() -> None:
    config = subprocess.run([promtool(), "check", "config", str(DEPLOY / "prometheus" / "prometheus.yml")],
                            capture_output=True, text=True)  # fmt: skip
    assert config.returncode == 0, config.stdout + config.stderr
    assert "1 rule files found" in config.stdout  # the relative rules path resolves
    rules = subprocess.run([promtool(), "check", "rules", str(RULES)], capture_output=True, text=True)
    assert rules.returncode == 0, rules.stdout + rules.stderr


@pytest.mark.prometheus
def test_alert_rules_fire_on_synthetic_series_and_stay_quiet_otherwise() -> None:
    files = sorted((DEPLOY / "prometheus" / "tests").glob("*_test.yml"))
    done = subprocess.run([promtool(), "test", "rules", *(f.name for f in files)], cwd=files[0].parent,
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    cases = [t for f in files for case in load_yaml(f)["tests"] for t in case.get("alert_rule_test", [])]
    fired = {t["alertname"] for t in cases if t.get("exp_alerts")}
    quiet = {t["alertname"] for t in cases if not t.get("exp_alerts")}
    assert fired == quiet == alert_names()  # every alert is shown firing, and staying quiet


@pytest.mark.prometheus
def test_a_broken_alert_rule_fails_its_unit_test(tmp_path: Path) -> None:
    """The unit tests can fail: a stall rule that never fires is caught."""
    broken = tmp_path / "rules"
    broken.mkdir()
    stalled = 'outcome="received"}[10m])) == 0'
    text = RULES.read_text(encoding="utf-8").replace(stalled, stalled.replace("==", "<"))
    assert text != RULES.read_text(encoding="utf-8")
    (broken / "tollwatch.yml").write_text(text, encoding="utf-8")
    tests = tmp_path / "tests"
    tests.mkdir()
    shutil.copy(DEPLOY / "prometheus" / "tests" / "tollwatch_test.yml", tests)
    done = subprocess.run([promtool(), "test", "rules", "tollwatch_test.yml"], cwd=tests,
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode != 0 and "TollWatchPipelineStalled" in done.stdout + done.stderr


def alert_names() -> set[str]:
    return {r["alert"] for g in load_yaml(RULES)["groups"] for r in g["rules"] if "alert" in r}


def test_every_alert_has_a_runbook_section_in_operations() -> None:
    operations = (ROOT / "docs" / "OPERATIONS.md").read_text(encoding="utf-8")
    for rule in (r for g in load_yaml(RULES)["groups"] for r in g["rules"] if "alert" in r):
        assert rule["annotations"]["runbook"] == f"docs/OPERATIONS.md#{rule['alert'].lower()}"
        assert f"### {rule['alert']}" in operations, rule["alert"]
        assert rule["labels"]["severity"] in {"page", "ticket", "info"}


def compose_schema(cache: Path = ROOT / ".cache") -> dict[str, Any]:
    target = cache / "compose_spec.json"
    if not target.exists():
        cache.mkdir(exist_ok=True)
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                               "--dest", str(cache), COMPOSE_SPEC_WHEEL], capture_output=True, text=True)  # fmt: skip
        wheels = sorted(cache.glob("docker_compose-*.whl"))
        assert wheels, f"could not fetch {COMPOSE_SPEC_WHEEL} for the Compose schema:\n{done.stderr[-2000:]}"
        with zipfile.ZipFile(wheels[0]) as wheel:
            target.write_bytes(wheel.read("compose/config/compose_spec.json"))
    schema: dict[str, Any] = orjson.loads(target.read_bytes())
    return schema


def test_the_compose_file_follows_the_compose_specification() -> None:
    schema = compose_schema()
    assert schema["title"] == "Compose Specification"
    compose = load_yaml(COMPOSE)
    validator = jsonschema.Draft201909Validator(schema)  # the draft its $schema names
    validator.validate(compose)
    bad = {**compose, "services": {**compose["services"], "worker": {**compose["services"]["worker"], "restart": 3}}}
    with pytest.raises(jsonschema.ValidationError):  # the validation can fail
        validator.validate(bad)


def test_the_compose_stack_is_wired_by_service_names_and_scales() -> None:
    services = load_yaml(COMPOSE)["services"]
    assert set(services) == {"kafka", "worker", "prometheus", "grafana"}
    kafka_env = services["kafka"]["environment"]
    assert "controller" in kafka_env["KAFKA_PROCESS_ROLES"] and "ZOOKEEPER" not in str(kafka_env).upper()  # KRaft
    worker = services["worker"]
    assert "container_name" not in worker and "ports" not in worker  # `--scale worker=N` needs both absent
    assert worker["environment"]["TOLLWATCH_BROKER"] == "kafka://kafka:9092"
    assert worker["depends_on"]["kafka"]["condition"] == "service_healthy"
    prom = load_yaml(DEPLOY / "prometheus" / "prometheus.yml")
    (job,) = prom["scrape_configs"]
    assert job["dns_sd_configs"][0]["names"] == ["worker"]
    assert str(job["dns_sd_configs"][0]["port"]) == worker["environment"].get("TOLLWATCH_METRICS_PORT", "9108")
    mounts = {m.split(":")[0]: m.split(":")[1] for m in services["prometheus"]["volumes"]}
    assert mounts["./deploy/prometheus"] == "/etc/prometheus"
    grafana = {m.split(":")[0]: m.split(":")[1] for m in services["grafana"]["volumes"]}
    provider = load_yaml(DEPLOY / "grafana" / "provisioning" / "dashboards" / "tollwatch.yml")["providers"][0]
    assert grafana["./deploy/grafana/dashboards"] == provider["options"]["path"]
    assert grafana["./deploy/grafana/provisioning"] == "/etc/grafana/provisioning"
    for service in services.values():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), port  # nothing published beyond the host


def test_the_dashboard_uses_the_provisioned_datasource_and_defined_variables() -> None:
    datasource = load_yaml(DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yml")["datasources"][0]
    dashboard = orjson.loads(DASHBOARD.read_bytes())
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    assert variables == {"country", "window"}
    panels = [p for p in dashboard["panels"] if p["type"] != "row"]
    assert len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])
    for panel in panels:
        assert panel["datasource"]["uid"] == datasource["uid"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            used = set(re.findall(r"\$(\w+)", target["expr"] + panel["title"])) - {"__rate_interval"}
            assert used <= variables, (panel["title"], used)
    cells = set()
    for panel in dashboard["panels"]:
        g = panel["gridPos"]
        assert g["x"] + g["w"] <= 24
        area = {(x, y) for x in range(g["x"], g["x"] + g["w"]) for y in range(g["y"], g["y"] + g["h"])}
        assert not area & cells, panel["title"]  # no two panels overlap
        cells |= area
    titles = " ".join(p["title"].lower() for p in panels)
    for needed in ("stage and outcome", "dead letters", "lag", "latency", "casualties by region", "killed",
                   "events created and revised", "watermark"):  # fmt: skip
        assert needed in titles, needed


def test_the_image_runs_as_non_root_with_a_health_check_on_the_metrics_port() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    final = re.split(r"^FROM ", dockerfile, flags=re.M)[-1]
    assert re.search(r"^USER (?!root|0\b)\S+", final, re.M)
    assert "HEALTHCHECK" in final and "9108/metrics" in final
    assert "TOLLWATCH_METRICS_HOST=0.0.0.0" in final  # inside a container the endpoint must face the network
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, re.M):
        for path in source.split():
            assert (ROOT / path).exists(), path


def test_the_image_build_context_makes_a_wheel_with_the_gazetteer_and_schemas(tmp_path: Path) -> None:
    """Copy exactly what the Dockerfile's build stage copies, and build the wheel from it."""
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    build_stage = re.split(r"^FROM ", dockerfile, flags=re.M)[1]
    context = tmp_path / "src"
    for line in re.findall(r"^COPY (?!--from)(.+)$", build_stage, re.M):
        *sources, dest = line.split()
        for source in sources:
            target = context / (source if dest.endswith("/") else dest.removeprefix("./"))
            if (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(ROOT / source, target)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                           "--wheel-dir", str(tmp_path), str(context)], capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = tmp_path.glob("tollwatch-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("streams/extract/data/sahel_places.tsv.xz", "streams/extract/data/admin_regions.tsv.xz",
                   "streams/extract/data/GAZETTEER_README.md", "schemas/json/casualty.totals.schema.json",
                   "streams/cli.py", "streams/metrics.py"):  # fmt: skip
        assert needed in names, needed
