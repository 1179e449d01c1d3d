"""A small deployment run as real processes: an ingestion (``jurisgraph demo --no-serve``) and two
API processes (``jurisgraph serve``) sharing ``PROMETHEUS_MULTIPROC_DIR``, the Qdrant-protocol test
server, the OpenAI-protocol test server for chat and embeddings, and every secret set.

- ``/metrics`` of either API process parses with prometheus-client's parser, holds every family of
  ``jurisgraph.metrics`` (the ingestion's too: it wrote to the same folder) and counts the requests
  of both processes;
- the alert rules and the dashboard name only families of that scrape;
- no secret value appears in any log line of the run (console of every process, JSON log file).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from jurisgraph.metrics import (
    MULTIPROC_ENV,
    REGISTRY,
    ScrapeTimeCollector,
    measured_stage,
    prepare_multiprocess_dir,
    render,
)
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.protocol_server import ChatTurn
from tests.fixtures.databases import _drop_mariadb_database, _mariadb_server_url, _new_mariadb_database
from tests.fixtures.processes import process_env, run_cli, serve_process

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 90.0
CHAT_MODEL = "gpt-test-mini"

SECRETS = {
    "JWT_SECRET": "jwt-secret-5c1f0e9a7b3d42c8a6e1f0b9d8c7a6e5",
    "ADMIN_PASSWORD": "Adm1n-Pass-9zQx-7781",
    "GEMINI_API_KEY": "AIzaSyTEST-gemini-key-0123456789abcdef",
    "OPENAI_API_KEY": "sk-test-openai-key-0123456789abcdefgh",
}
WRONG_PASSWORD = "Wr0ng-Pass-Attempt-4412"

#: every family the service exports (counters by their family name, without ``_total``)
FAMILIES = {
    "jurisgraph_http_requests",
    "jurisgraph_http_request_duration_seconds",
    "jurisgraph_pipeline_records",
    "jurisgraph_pipeline_stage_duration_seconds",
    "jurisgraph_jobs",
    "jurisgraph_llm_tokens",
    "jurisgraph_llm_cost_usd",
    "jurisgraph_llm_calls",
    "jurisgraph_llm_budget_daily_usd",
    "jurisgraph_embedding_batches",
    "jurisgraph_embedding_texts",
    "jurisgraph_embedding_batch_duration_seconds",
    "jurisgraph_vector_store_duration_seconds",
    "jurisgraph_rag_query_duration_seconds",
    "jurisgraph_ready",
}


@dataclass
class Deployment:
    home: Path
    urls: list[str]
    logs: list[Path]
    secrets: dict[str, str] = field(default_factory=dict)
    sent: dict[str, int] = field(default_factory=dict)

    def scrape(self, url: str) -> str:
        reply = httpx.get(f"{url}/metrics", timeout=30)
        reply.raise_for_status()
        return reply.text

    def all_logs(self) -> str:
        files = [*self.logs, *sorted((self.home / "logs").glob("*.log*"))]
        return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files if p.exists())


def _env(base: Path, qdrant_url: str, openai: FakeOpenAIServer, database_url: str) -> dict[str, str]:
    return process_env(
        {
            **SECRETS,
            "JURISGRAPH_HOME": str(base / "home"),
            "PROMETHEUS_MULTIPROC_DIR": str(base / "metrics"),
            "QDRANT_URL": qdrant_url,
            "DATABASE_URL": database_url,
            "JURISGRAPH_LLM_PROVIDER": "openai",
            "JURISGRAPH_LLM_MODEL": CHAT_MODEL,
            "JURISGRAPH_LLM_PRICES": json.dumps({CHAT_MODEL: [1.0, 2.0]}),
            "JURISGRAPH_LLM_BUDGET_DAILY_USD": "5",
            "OPENAI_BASE_URL": openai.base_url,
            "JURISGRAPH_EMBEDDING_PROVIDER": "openai",
            "JURISGRAPH_EMBEDDING_MODEL": "text-embedding-test",
            "JURISGRAPH_EMBEDDING_DIM": "64",
            "JURISGRAPH_EMBEDDING_BASE_URL": openai.base_url,
            "LOG_LEVEL": "DEBUG",
        }
    )


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory, qdrant_http: str) -> Iterator[Deployment]:
    base = tmp_path_factory.mktemp("deployment")
    server_db = _mariadb_server_url()
    db_name, database_url = (
        _new_mariadb_database(server_db) if server_db else ("", f"sqlite:///{base / 'jurisgraph.db'}")
    )
    openai = FakeOpenAIServer(dim=64, api_key=SECRETS["OPENAI_API_KEY"]).start()
    openai.answer_chat(*[ChatTurn("Resposta de teste [1].", tokens_in=120, tokens_out=30)] * 20)
    env = _env(base, qdrant_http, openai, database_url)
    cli_log = base / "cli.log"
    try:
        with ExitStack() as servers:
            # the ingestion: a separate process writing its metrics to the same folder
            # (without an LLM: extracting every chunk of the sample is not what this test is about)
            run_cli({**env, "JURISGRAPH_LLM_PROVIDER": "none"}, cli_log, "demo", "--no-serve")
            api_key = run_cli(env, cli_log, "keys", "create", "--email", "admin@localhost").split()[-1]
            assert api_key.startswith("jg_")
            urls, logs = [], [cli_log]
            for name in ("a", "b"):
                log = base / f"serve-{name}.log"
                urls.append(servers.enter_context(serve_process(env, log, timeout_s=START_TIMEOUT_S)))
                logs.append(log)
            deployment = Deployment(base / "home", urls, logs, secrets=dict(SECRETS))
            if server_db:
                password = httpx.URL(database_url.replace("mysql+pymysql", "mysql")).password
                assert password
                deployment.secrets["DATABASE_URL password"] = password
            deployment.secrets["API key"] = api_key
            _exercise(deployment, api_key)
            yield deployment
    finally:
        openai.stop()
        if server_db:
            _drop_mariadb_database(server_db, db_name)


def _exercise(deployment: Deployment, api_key: str) -> None:
    """A few requests on each process: liveness, readiness, logins, a search, questions."""
    a, b = deployment.urls
    sent = {a: 3, b: 4}
    for url, times in sent.items():
        for _ in range(times):
            assert httpx.get(f"{url}/health/live", timeout=10).status_code == 200
        httpx.get(f"{url}/health/ready", timeout=30)
    # plus the one answered liveness probe of each process at its start (wait_live)
    deployment.sent = {"live": sum(sent.values()) + len(deployment.urls)}
    wrong = httpx.post(
        f"{b}/api/v1/auth/login", json={"email": "admin@localhost", "password": WRONG_PASSWORD}, timeout=30
    )
    assert wrong.status_code == 401
    login = httpx.post(
        f"{a}/api/v1/auth/login",
        json={"email": "admin@localhost", "password": SECRETS["ADMIN_PASSWORD"]},
        timeout=30,
    )
    assert login.status_code == 200, login.text
    token = login.json()["token"]
    deployment.secrets["session token"] = token
    # a client that also puts its key in the query string: uvicorn's access line holds the whole URL
    found = httpx.get(
        f"{a}/api/v1/search",
        params={"q": "ICMS sobre energia elétrica", "mode": "hybrid", "api_key": api_key},
        headers={"Authorization": f"Bearer {api_key}"},
        timeout=120,
    )
    assert found.status_code == 200, found.text
    for url, auth in ((b, token), (a, api_key)):
        asked = httpx.post(
            f"{url}/api/v1/ask",
            json={"question": "Incide ICMS sobre a tarifa de energia elétrica?", "mode": "naive"},
            headers={"Authorization": f"Bearer {auth}"},
            timeout=300,
        )
        assert asked.status_code == 200, asked.text


def _families(text: str) -> dict[str, list[tuple[str, dict[str, str], float]]]:
    return {
        family.name: [(s.name, s.labels, s.value) for s in family.samples]
        for family in text_string_to_metric_families(text)
    }


def _live_count(families: dict[str, list[tuple[str, dict[str, str], float]]]) -> float:
    return sum(
        value
        for name, labels, value in families["jurisgraph_http_requests"]
        if name == "jurisgraph_http_requests_total"
        and labels == {"method": "GET", "route": "/health/live", "status": "200"}
    )


def test_metrics_of_two_processes_hold_every_family_and_add_up(deployment: Deployment) -> None:
    a, b = deployment.urls
    from_a, from_b = _families(deployment.scrape(a)), _families(deployment.scrape(b))
    missing = FAMILIES - {name for name, samples in from_a.items() if samples}
    assert not missing, f"families without samples: {sorted(missing)}"
    # both processes' requests are counted, whichever process is scraped
    assert _live_count(from_a) == deployment.sent["live"]
    assert _live_count(from_b) == deployment.sent["live"]
    # route templates, never raw paths
    routes = {labels["route"] for _, labels, _ in from_a["jurisgraph_http_requests"]}
    assert {"/health/live", "/api/v1/auth/login", "/api/v1/search", "/api/v1/ask"} <= routes
    # the ingestion process's stages are there, from its own process
    stages = {labels["stage"] for _, labels, _ in from_a["jurisgraph_pipeline_stage_duration_seconds"]}
    assert {"process", "communities", "index"} <= stages
    asked = [
        value
        for name, labels, value in from_a["jurisgraph_rag_query_duration_seconds"]
        if name.endswith("_count") and labels["outcome"] == "ok"
    ]
    assert sum(asked) == 2
    cost = sum(value for _, _, value in from_a["jurisgraph_llm_cost_usd"])
    assert cost > 0
    budget = from_a["jurisgraph_llm_budget_daily_usd"][0][2]
    assert budget == 5


# -- alert rules and dashboard ------------------------------------------------------------------

_METRIC = re.compile(r"\bjurisgraph_[a-zA-Z0-9_]+\b")
_RANGE = re.compile(r"\[\d+[smhdw]\]")
_DURATION = re.compile(r"^\d+[smhdw]$")


def _exported(deployment: Deployment) -> set[str]:
    """Every sample name of a real scrape: what a query can name."""
    text = deployment.scrape(deployment.urls[0])
    return {s.name for family in text_string_to_metric_families(text) for s in family.samples}


def _check_expr(expr: str, exported: set[str]) -> list[str]:
    """What promtool would reject or what names no exported series (empty = fine)."""
    problems = []
    names = set(_METRIC.findall(expr))
    if not names:
        problems.append("names no jurisgraph metric")
    problems += [f"unknown metric {n}" for n in sorted(names - exported)]
    for opening, closing in ("()", "[]", "{}"):
        depth = 0
        for char in expr:
            depth += (char == opening) - (char == closing)
            if depth < 0:
                break
        if depth != 0:
            problems.append(f"unbalanced {opening}{closing}")
    for inner in re.findall(r"\[([^\]]*)\]", expr):
        if not _RANGE.fullmatch(f"[{inner}]"):
            problems.append(f"bad range [{inner}]")
    for matchers in re.findall(r"\{([^}]*)\}", expr):
        if "$" in matchers:  # templating of annotations, not a selector
            continue
        for matcher in filter(None, (m.strip() for m in matchers.split(","))):
            if not re.fullmatch(r'[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"[^"]*"', matcher):
                problems.append(f"bad label matcher {matcher!r}")
    return problems


def test_alert_rules_parse_and_name_exported_families(deployment: Deployment) -> None:
    rules_file = yaml.safe_load((ROOT / "deploy" / "prometheus" / "alerts.yml").read_text(encoding="utf-8"))
    exported = _exported(deployment)
    rules = [rule for group in rules_file["groups"] for rule in group["rules"]]
    names = [rule["alert"] for rule in rules]
    assert len(names) == len(set(names))
    for rule in rules:
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations", "keep_firing_for"}, rule
        assert rule["labels"]["severity"] in {"page", "warning"}
        assert rule["annotations"]["summary"]
        if "for" in rule:
            assert _DURATION.fullmatch(rule["for"]), rule
        assert not _check_expr(rule["expr"], exported), (rule["alert"], _check_expr(rule["expr"], exported))
    # what the issue asks to watch
    watched = " ".join(rule["expr"] for rule in rules)
    for needed in (
        'status=~"5.."',
        "jurisgraph_http_request_duration_seconds_bucket",
        'outcome="failed"',
        "jurisgraph_llm_budget_daily_usd",
        "jurisgraph_ready",
    ):
        assert needed in watched


def test_dashboard_queries_name_exported_families(deployment: Deployment) -> None:
    dashboard = json.loads((ROOT / "deploy" / "grafana" / "jurisgraph.json").read_text(encoding="utf-8"))
    exported = _exported(deployment)
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    assert exprs
    for expr in exprs:
        assert not _check_expr(expr, exported), (expr, _check_expr(expr, exported))
    shown = {name for expr in exprs for name in _METRIC.findall(expr)}
    for family in FAMILIES:
        assert any(name.startswith(family) for name in shown), f"the dashboard does not show {family}"


# -- secrets ------------------------------------------------------------------------------------


def test_no_secret_in_any_log_line(deployment: Deployment) -> None:
    logs = deployment.all_logs()
    assert "request_id" in logs  # the JSON log file was written
    assert (deployment.home / "logs" / "jurisgraph.log").exists()
    leaked = [
        name
        for name, value in {**deployment.secrets, "wrong password": WRONG_PASSWORD}.items()
        if value in logs
    ]
    assert not leaked, f"secrets in the logs: {leaked}"


# -- in one process -----------------------------------------------------------------------------


def test_a_stage_is_timed_with_its_outcome() -> None:
    def count(outcome: str) -> float:
        value = REGISTRY.get_sample_value(
            "jurisgraph_pipeline_stage_duration_seconds_count", {"stage": "unit_stage", "outcome": outcome}
        )
        return value or 0.0

    @measured_stage("unit_stage")
    def stage(fail: bool) -> str:
        if fail:
            raise ValueError("stage failed")
        return "done"

    before_ok, before_failed = count("ok"), count("failed")
    assert stage(False) == "done"
    with pytest.raises(ValueError):
        stage(True)
    assert (count("ok") - before_ok, count("failed") - before_failed) == (1, 1)


def test_render_adds_the_scrape_time_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MULTIPROC_ENV, raising=False)
    text = render(ScrapeTimeCollector(lambda: {"running": 2, "done": 5}, daily_budget_usd=3.5)).decode()
    families = _families(text)
    jobs = {labels["status"]: value for _, labels, value in families["jurisgraph_jobs"]}
    assert jobs == {"queued": 0, "running": 2, "failed": 0, "done": 5}
    assert families["jurisgraph_llm_budget_daily_usd"][0][2] == 3.5
    assert "jurisgraph_http_requests" in families


def test_the_multiprocess_folder_is_emptied_and_exported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_123.db").write_bytes(b"stale")
    monkeypatch.setenv(MULTIPROC_ENV, str(folder))
    assert prepare_multiprocess_dir(tmp_path / "unused") == folder
    assert list(folder.iterdir()) == []
    monkeypatch.delenv(MULTIPROC_ENV)
    assert prepare_multiprocess_dir(tmp_path / "default") == tmp_path / "default"
    assert os.environ[MULTIPROC_ENV] == str(tmp_path / "default")
