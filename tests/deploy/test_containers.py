"""The Dockerfile passes hadolint, docker-compose.yml passes compose-go's own validation, and
.env.example stays equal to what the settings model generates; a broken copy of each fails."""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from pathlib import Path

import pytest
import yaml

from jurisgraph.config import Settings
from jurisgraph.config.envfile import DEPLOY_VARIABLES, render, variables
from tests.deploy.tools import ROOT, binary, compose_binary, run

SECRETS = {
    "MYSQL_PASSWORD": "mysql-pass",
    "MYSQL_ROOT_PASSWORD": "mysql-root-pass",
    "JWT_SECRET": "0" * 64,
    "ADMIN_PASSWORD": "admin-pass-long",
    "QDRANT_API_KEY": "qdrant-key",
    "REDIS_PASSWORD": "redis-pass",
    "AWS_ACCESS_KEY_ID": "access",
    "AWS_SECRET_ACCESS_KEY": "secret-key",
}


def _env(**variables: str) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), **variables}


# -- Dockerfile ----------------------------------------------------------------------------


def test_hadolint_passes_the_dockerfile() -> None:
    done = run(binary("hadolint"), "Dockerfile")
    assert done.returncode == 0, done.stdout + done.stderr


def test_hadolint_fails_a_broken_dockerfile(tmp_path: Path) -> None:
    broken = tmp_path / "Dockerfile"
    text = (ROOT / "Dockerfile").read_text()
    text = text.replace("USER 10001:10001\n", "").replace(
        'org.opencontainers.image.revision="${GIT_REVISION}" \\\n', ""
    )
    broken.write_text(text + "RUN cd /tmp && apt-get install -y curl\n")
    shutil.copy(ROOT / ".hadolint.yaml", tmp_path / ".hadolint.yaml")
    done = run(binary("hadolint"), "Dockerfile", cwd=tmp_path)
    assert done.returncode != 0
    for rule in ("DL3003", "DL3008", "DL3049"):
        assert rule in done.stdout, done.stdout


def test_the_image_is_built_as_the_plan_says() -> None:
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM \S+ AS (\w+)$", text, flags=re.M)
    assert stages == ["builder", "runtime"]
    runtime = text.split("AS runtime", 1)[1]
    assert "build-essential" not in runtime and "gcc" not in runtime
    assert re.search(r"^USER 10001:10001$", runtime, flags=re.M)
    assert re.search(r"^HEALTHCHECK .*\n.*?/health/ready", runtime, flags=re.M)
    assert "STOPSIGNAL SIGTERM" in runtime
    assert "--constraint requirements.lock" in text
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert f"ARG VERSION={project['version']}" in runtime, "the image's VERSION must follow pyproject.toml"
    ignored = (ROOT / ".dockerignore").read_text()
    for needed in ("!pyproject.toml", "!requirements.lock", "!src/", "!deploy/entrypoint.sh"):
        assert needed in ignored


# -- docker compose ------------------------------------------------------------------------


def test_compose_is_valid_with_the_secrets_set() -> None:
    done = run(compose_binary(), "-f", ROOT / "docker-compose.yml", "config", "-q", env=_env(**SECRETS))
    assert done.returncode == 0, done.stderr
    done = run(
        compose_binary(),
        "-f",
        ROOT / "docker-compose.yml",
        "--profile",
        "embedded",
        "config",
        "-q",
        env=_env(),
    )
    assert done.returncode != 0  # the production services still need their secrets


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_compose_refuses_to_run_without_each_secret(missing: str) -> None:
    env = {k: v for k, v in SECRETS.items() if k != missing}
    done = run(compose_binary(), "-f", ROOT / "docker-compose.yml", "config", "-q", env=_env(**env))
    assert done.returncode != 0 and missing in done.stderr


def test_compose_services_are_healthchecked_and_ordered() -> None:
    done = run(
        compose_binary(), "-f", ROOT / "docker-compose.yml", "config", "--format", "json", env=_env(**SECRETS)
    )
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load(done.stdout)
    services = config["services"]
    assert {"api", "worker", "mysql", "qdrant", "redis", "s3", "migrate"} <= set(services)
    assert services["api"]["deploy"]["replicas"] == 2
    for name in ("api", "worker", "mysql", "qdrant", "redis", "s3"):
        assert services[name]["healthcheck"].get("test"), name
    for name in ("api", "worker"):
        needs = services[name]["depends_on"]
        for dependency in ("mysql", "qdrant", "redis", "s3"):
            assert needs[dependency]["condition"] == "service_healthy", (name, dependency)
        assert needs["migrate"]["condition"] == "service_completed_successfully"
    assert set(config["volumes"]) >= {"mysql-data", "qdrant-data", "redis-data", "s3-data"}
    text = (ROOT / "docker-compose.yml").read_text()
    for value in SECRETS.values():
        assert value not in text


def test_compose_embedded_profile_is_valid_alone(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    embedded = {"services": {"embedded": data["services"]["embedded"]}, "volumes": {"embedded-data": None}}
    single = tmp_path / "compose.yml"
    single.write_text(yaml.safe_dump(embedded))
    done = run(compose_binary(), "-f", single, "--profile", "embedded", "config", "-q", env=_env())
    assert done.returncode == 0, done.stderr


def test_a_broken_compose_file_fails(tmp_path: Path) -> None:
    broken = tmp_path / "docker-compose.yml"
    text = (ROOT / "docker-compose.yml").read_text()
    broken.write_text(text.replace("condition: service_healthy", "condition: service_sleepy", 1))
    done = run(compose_binary(), "-f", broken, "config", "-q", env=_env(**SECRETS))
    assert done.returncode != 0 and "depends_on.mysql.condition" in done.stderr
    broken.write_text(
        text.replace("  mysql:\n    image: mysql:8.4\n", "  mysql:\n    image: mysql:8.4\n    bogus_key: 1\n")
    )
    done = run(compose_binary(), "-f", broken, "config", "-q", env=_env(**SECRETS))
    assert done.returncode != 0 and "bogus_key" in done.stderr


# -- .env.example --------------------------------------------------------------------------


def test_env_example_is_in_sync_with_the_settings() -> None:
    assert (ROOT / ".env.example").read_text() == render(), (
        "run `jurisgraph config env-example > .env.example`"
    )


def test_every_listed_variable_is_read_by_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    checked = 0
    for variable in variables():
        assert variable.description, f"{variable.name} has no description"
        section = getattr(Settings(), variable.section)
        if type(section).model_fields[variable.field].annotation is not str:
            continue
        monkeypatch.setenv(variable.name, "probe-value")
        assert getattr(getattr(Settings(), variable.section), variable.field) == "probe-value", variable.name
        monkeypatch.delenv(variable.name)
        checked += 1
    assert checked >= 20


def test_every_variable_compose_reads_is_in_env_example() -> None:
    listed = set(re.findall(r"^#([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), flags=re.M))
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", (ROOT / "docker-compose.yml").read_text()))
    assert used <= listed, sorted(used - listed)
    assert {name for name, _, _ in DEPLOY_VARIABLES} <= listed
