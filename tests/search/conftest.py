"""A small real corpus for retrieval tests: the temas of the labelled query set, fully embedded."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from jurisgraph import migrations
from jurisgraph.config import Settings
from jurisgraph.datasets import service
from jurisgraph.pipeline.stages.selection import ResourceFilter
from jurisgraph.runtime import Container

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "bench" / "data" / "retrieval_queries.json"
SAMPLE = ROOT / "src" / "jurisgraph" / "sample" / "precedentes-qualificados"


def write_subset(folder: Path, numbers: set[int]) -> None:
    """A mirror folder with the real temas.csv / processos.csv rows of the given temas (ISO-8859-1)."""
    target = folder / "precedentes-qualificados"
    target.mkdir(parents=True)
    temas = list(
        csv.reader(io.StringIO((SAMPLE / "temas.csv").read_bytes().decode("iso-8859-1")), delimiter=";")
    )
    header, rows = temas[0], temas[1:]
    kind, number, seq = (
        header.index("tipoPrecedente"),
        header.index("numeroPrecedente"),
        header.index("sequencialPrecedente"),
    )
    chosen = [
        r for r in rows if r[kind].upper() == "TEMA" and r[number].isdigit() and int(r[number]) in numbers
    ]
    keep = {r[seq] for r in chosen}
    processos = list(
        csv.reader(io.StringIO((SAMPLE / "processos.csv").read_bytes().decode("iso-8859-1")), delimiter=";")
    )
    p_header = processos[0]
    p_seq = p_header.index("sequencialPrecedente")
    for name, head, body in (
        ("temas.csv", header, chosen),
        ("processos.csv", p_header, [r for r in processos[1:] if r[p_seq] in keep]),
    ):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(head)
        writer.writerows(body)
        (target / name).write_bytes(out.getvalue().encode("iso-8859-1"))


@pytest.fixture(scope="module")
def labelled_queries() -> list[dict[str, str]]:
    """The shipped labelled query set."""
    queries: list[dict[str, str]] = json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]
    return queries


@pytest.fixture(scope="module")
def embedded_corpus(
    tmp_path_factory: pytest.TempPathFactory, labelled_queries: list[dict[str, str]]
) -> Iterator[Container]:
    """The temas of the query set ingested and indexed with sparse and dense vectors (real model)."""
    home = tmp_path_factory.mktemp("search-home")
    numbers = {int(q["expected"].split(":")[1]) for q in labelled_queries} | {1076}
    mirror = home / "mirror"
    write_subset(mirror, numbers)
    settings = Settings()
    settings.app.home = home
    settings.database.url = f"sqlite:///{home / 'jurisgraph.db'}"
    settings.pipeline.index_entities_dense = False  # chunks only: keeps the real-model embedding short
    migrations.upgrade(settings.database_url)
    container = Container.build(settings)
    service.ingest(container, str(mirror), ResourceFilter(), dense=True)
    yield container
    container.close()
