"""The graph query corpus: the full precedentes qualificados plus the seven real espelhos of the
shared data, as a local portal mirror, ingested once (sparse vectors only, about 20 s)."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from jurisgraph import migrations
from jurisgraph.config import Settings
from jurisgraph.datasets import service as datasets
from jurisgraph.db import session_scope
from jurisgraph.pipeline.stages.selection import ResourceFilter
from jurisgraph.runtime import Container
from jurisgraph.workspaces.service import readable_workspaces
from tests.fixtures.paths import SHARED_DATA

QUESTIONS = Path(__file__).resolve().parents[2] / "bench" / "data" / "graph_questions.jsonl"
KEEP = (
    "precedentes-qualificados",
    "espelhos-de-acordaos-primeira-turma",
    "espelhos-de-acordaos-primeira-secao",
)


def mirror(out: Path) -> Path:
    """The bundled sample's catalogue with the shared data's full temas.csv and processos.csv."""
    sample = datasets.sample_folder()
    catalog: dict[str, Any] = json.loads((sample / "catalog.json").read_text(encoding="utf-8"))
    catalog["packages"] = [p for p in catalog["packages"] if p["name"] in KEEP]
    for package in catalog["packages"]:
        (out / package["name"]).mkdir(parents=True, exist_ok=True)
        for resource in package["resources"]:
            full = SHARED_DATA / "precedentes" / resource["name"]
            use_full = package["name"] == "precedentes-qualificados" and full.exists()
            target = out / resource["url"]
            shutil.copyfile(full if use_full else sample / resource["url"], target)
            body = target.read_bytes()
            resource["size"] = len(body)
            resource["hash"] = "sha256:" + hashlib.sha256(body).hexdigest()
    (out / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    return out


@dataclass
class Corpus:
    """The ingested corpus: settings, container and readable workspaces."""

    settings: Settings
    container: Container
    workspaces: list[int]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    if not (SHARED_DATA / "precedentes" / "temas.csv").exists():
        pytest.skip("shared STJ data folder not present")
    home = tmp_path_factory.mktemp("graphq-home")
    settings = Settings()
    settings.app.home = home
    settings.app.log_level = "WARNING"
    settings.database.url = f"sqlite:///{home / 'jurisgraph.db'}"
    settings.embedding.provider = "local"
    settings.llm.provider = "none"
    settings.pipeline.embed_on_start = False
    migrations.upgrade(settings.database_url)
    container = Container.build(settings)
    try:
        datasets.ingest(container, str(mirror(home / "mirror")), ResourceFilter(), dense=False)
        with session_scope(container.sessions) as session:
            workspaces = readable_workspaces(session)
        yield Corpus(settings, container, workspaces)
    finally:
        container.close()
