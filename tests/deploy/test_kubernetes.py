"""deploy/k8s: every overlay renders with `kubectl kustomize` and each rendered object validates
against the Kubernetes schemas offline (kubernetes-validate, strict); what the deploy plan asks of
the objects holds; a broken copy fails each check."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.tools import ROOT, binary, run

K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("staging", "production", "canary")
KUBERNETES_VERSION = "1.32.0"


def _render(folder: Path) -> str:
    done = run(binary("kubectl"), "kustomize", folder)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _objects(text: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(text) if doc]


def _validate(text: str, tmp_path: Path) -> tuple[int, str]:
    rendered = tmp_path / "rendered.yaml"
    rendered.write_text(text)
    done = run(binary("kubernetes-validate"), "--strict", "--quiet", "-k", KUBERNETES_VERSION, rendered)
    return done.returncode, done.stdout + done.stderr


def _by_kind(objects: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_renders_and_validates(overlay: str, tmp_path: Path) -> None:
    text = _render(K8S / "overlays" / overlay)
    code, output = _validate(text, tmp_path)
    assert code == 0, output
    objects = _objects(text)
    assert objects and all(o["metadata"].get("namespace") for o in objects)
    assert not [o for o in objects if o["kind"] == "Secret"], "secrets are referenced, never inlined"
    for deployment in _by_kind(objects, "Deployment").values():
        spec = deployment["spec"]["template"]["spec"]
        for container in spec["containers"]:
            refs = [e.get("secretRef", {}).get("name") for e in container.get("envFrom", [])]
            assert "jurisgraph-secrets" in refs
            for env in container.get("env", []):
                if any(word in env["name"] for word in ("SECRET", "PASSWORD", "KEY", "TOKEN")):
                    assert "value" not in env, f"{env['name']} inlined"
            assert container["resources"]["requests"] and container["resources"]["limits"]
            assert container["image"].startswith("registry.example.org/jurisgraph:")
        assert spec["securityContext"]["runAsNonRoot"] is True


def test_production_has_what_the_plan_asks(tmp_path: Path) -> None:
    objects = _objects(_render(K8S / "overlays" / "production"))
    deployments = _by_kind(objects, "Deployment")
    api = deployments["jurisgraph-api"]["spec"]
    assert api["replicas"] == 3
    (container,) = api["template"]["spec"]["containers"]
    assert container["args"] == ["serve"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    worker = deployments["jurisgraph-worker"]["spec"]["template"]["spec"]
    assert worker["containers"][0]["args"][0] == "worker"
    assert worker["terminationGracePeriodSeconds"] > 25  # beyond JURISGRAPH_APP_SHUTDOWN_GRACE_S
    hpa = _by_kind(objects, "HorizontalPodAutoscaler")["jurisgraph-api"]["spec"]
    assert hpa["scaleTargetRef"]["name"] == "jurisgraph-api" and hpa["minReplicas"] == 3
    assert hpa["metrics"][0]["resource"]["name"] == "cpu"
    assert set(_by_kind(objects, "PodDisruptionBudget")) == {"jurisgraph-api", "jurisgraph-worker"}
    job = _by_kind(objects, "Job")["jurisgraph-migrate"]["spec"]["template"]["spec"]
    assert job["containers"][0]["args"] == ["migrate"]
    cron = _by_kind(objects, "CronJob")["jurisgraph-backup"]["spec"]
    assert cron["concurrencyPolicy"] == "Forbid"
    script = " ".join(cron["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"])
    assert "backup create" in script and "backup verify" in script and "backup prune" in script
    config = _by_kind(objects, "ConfigMap")["jurisgraph-config"]["data"]
    assert config["JURISGRAPH_ENV"] == "production"


def test_canary_is_a_second_deployment_behind_a_weighted_route() -> None:
    objects = _objects(_render(K8S / "overlays" / "canary"))
    deployments = _by_kind(objects, "Deployment")
    assert set(deployments) == {"jurisgraph-api-canary"}
    canary = deployments["jurisgraph-api-canary"]["spec"]
    assert canary["selector"]["matchLabels"]["track"] == "canary"
    assert canary["template"]["metadata"]["labels"]["track"] == "canary"
    services = _by_kind(objects, "Service")
    assert services["jurisgraph-api-canary"]["spec"]["selector"]["track"] == "canary"
    ingress = _by_kind(objects, "Ingress")["jurisgraph-canary"]
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/canary"] == "true"
    assert 0 < int(annotations["nginx.ingress.kubernetes.io/canary-weight"]) < 100
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"]
    assert backend == "jurisgraph-api-canary"
    assert "jurisgraph-migrate-canary" in _by_kind(objects, "Job")
    # the stable track never selects canary pods, and both share the production configuration
    production = _objects(_render(K8S / "overlays" / "production"))
    stable = _by_kind(production, "Deployment")["jurisgraph-api"]["spec"]["selector"]["matchLabels"]
    assert stable["track"] == "stable"
    assert {o["metadata"]["namespace"] for o in objects} == {o["metadata"]["namespace"] for o in production}
    env_from = canary["template"]["spec"]["containers"][0]["envFrom"]
    assert {"configMapRef": {"name": "jurisgraph-config"}} in env_from
    # promotion and abort are documented beside the overlay
    text = (K8S / "overlays" / "canary" / "kustomization.yaml").read_text()
    assert "promote:" in text and "abort:" in text and "jurisgraph smoke" in text


def test_a_broken_manifest_fails_validation(tmp_path: Path) -> None:
    copy = tmp_path / "k8s"
    shutil.copytree(K8S, copy)
    deployment = copy / "base" / "api" / "deployment.yaml"
    deployment.write_text(
        deployment.read_text().replace(
            "      terminationGracePeriodSeconds: 40\n", "      terminationGracePeriodSeconds: forty\n"
        )
    )
    code, output = _validate(_render(copy / "overlays" / "production"), tmp_path)
    assert code != 0 and "jurisgraph-api" in output
    deployment.write_text(
        deployment.read_text()
        .replace("forty", "40")
        .replace("  revisionHistoryLimit: 5\n", "  revisionHistoryLimit: 5\n  surprise: true\n")
    )
    code, output = _validate(_render(copy / "overlays" / "production"), tmp_path)
    assert code != 0 and "surprise" in output


def test_a_broken_kustomization_fails_to_render(tmp_path: Path) -> None:
    copy = tmp_path / "k8s"
    shutil.copytree(K8S, copy)
    kustomization = copy / "base" / "kustomization.yaml"
    kustomization.write_text(kustomization.read_text().replace("  - api-pdb.yaml\n", "  - missing.yaml\n"))
    done = run(binary("kubectl"), "kustomize", copy / "overlays" / "staging")
    assert done.returncode != 0 and "missing.yaml" in done.stderr
