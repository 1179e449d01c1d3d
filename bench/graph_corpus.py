"""The bench corpus of the graph query mode: the full precedentes qualificados plus the seven
real espelhos, laid out as a local portal mirror and ingested sparse-only into a private home.

Usage: python bench/graph_corpus.py --home /tmp/graphq-home [--data ../shared/data/stj]
(``bench/graph_query.py --home`` reuses the home when it is already built).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import time
from pathlib import Path
from typing import Any

from jurisgraph import migrations
from jurisgraph.config import Settings
from jurisgraph.datasets import service as datasets
from jurisgraph.pipeline.stages.selection import ResourceFilter
from jurisgraph.runtime import Container

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "stj"
KEEP = (
    "precedentes-qualificados",
    "espelhos-de-acordaos-primeira-turma",
    "espelhos-de-acordaos-primeira-secao",
)


def build_mirror(data: Path, out: Path) -> Path:
    """The bundled sample's catalogue with the full temas.csv/processos.csv and no íntegras."""
    sample = datasets.sample_folder()
    catalog: dict[str, Any] = json.loads((sample / "catalog.json").read_text(encoding="utf-8"))
    catalog["packages"] = [p for p in catalog["packages"] if p["name"] in KEEP]
    out.mkdir(parents=True, exist_ok=True)
    for package in catalog["packages"]:
        folder = out / package["name"]
        folder.mkdir(exist_ok=True)
        for resource in package["resources"]:
            name = resource["name"]
            full = data / "precedentes" / name
            source = full if package["name"] == "precedentes-qualificados" and full.exists() else None
            source = source or sample / resource["url"]
            target = out / resource["url"]
            shutil.copyfile(source, target)
            body = target.read_bytes()
            resource["size"] = len(body)
            resource["hash"] = "sha256:" + hashlib.sha256(body).hexdigest()
    (out / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def settings_for(home: Path) -> Settings:
    """SQLite in ``home``, local embedder, no LLM, no background embedding."""
    settings = Settings()
    settings.app.home = home
    settings.app.log_level = "WARNING"
    settings.database.url = f"sqlite:///{home / 'jurisgraph.db'}"
    settings.embedding.provider = "local"
    settings.llm.provider = "none"
    settings.pipeline.embed_on_start = False
    return settings


def build(home: Path, data: Path = DEFAULT_DATA) -> Settings:
    """Ingest the bench corpus into ``home`` unless it is already there (marker file)."""
    settings = settings_for(home)
    marker = home / "graphq-corpus.done"
    if marker.exists():
        migrations.upgrade(settings.database_url)
        return settings
    home.mkdir(parents=True, exist_ok=True)
    mirror = build_mirror(data, home / "mirror")
    migrations.upgrade(settings.database_url)
    container = Container.build(settings)
    try:
        started = time.perf_counter()
        report = datasets.ingest(container, str(mirror), ResourceFilter(), dense=False)
        print(f"ingested in {time.perf_counter() - started:.0f} s: {report.process.documents} documents")
    finally:
        container.close()
    marker.write_text("ok\n")
    return settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    build(args.home, args.data)


if __name__ == "__main__":
    main()
