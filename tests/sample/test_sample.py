"""The bundled sample: catalogue consistent with the files, size budget, records, real bytes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from jurisgraph.engine.stj import ResourceKind, guess_kind, parse_resource
from tests.fixtures.paths import SAMPLE, shared_file

MAX_BYTES = 4 * 1024 * 1024


def _catalog() -> dict[str, Any]:
    catalog: dict[str, Any] = json.loads((SAMPLE / "catalog.json").read_text("utf-8"))
    return catalog


def _resources() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(dataset, resource) for dataset in _catalog()["packages"] for resource in dataset["resources"]]


def test_catalogue_matches_the_files() -> None:
    listed = set()
    for dataset, resource in _resources():
        path = SAMPLE / resource["url"]
        data = path.read_bytes()
        assert resource["size"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert resource["package_id"] == dataset["id"]
        assert path.parent.name == dataset["name"]
        listed.add(path)
    files = {
        p for p in SAMPLE.rglob("*") if p.is_file() and p.parent != SAMPLE and "__pycache__" not in p.parts
    }
    assert files == listed
    assert {d["license_id"] for d in _catalog()["packages"]} == {"cc-by"}


def test_size_budget() -> None:
    total = sum(p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert total <= MAX_BYTES


def test_every_resource_parses_and_the_sample_has_enough_records() -> None:
    by_name = {(d["name"], r["name"]): r for d, r in _resources()}
    total = 0
    for dataset, resource in _resources():
        kind = guess_kind(resource["url"])
        assert kind is not None, resource["url"]
        companion = None
        if kind is ResourceKind.PRECEDENTES:
            companion = (SAMPLE / by_name[(dataset["name"], "processos.csv")]["url"]).read_bytes()
        result = parse_resource(
            kind, (SAMPLE / resource["url"]).read_bytes(), source_name=resource["name"], companion=companion
        )
        assert result.ok, (resource["name"], result.errors)
        total += len(result.documents)
    assert total >= 2000


def test_real_bytes_were_kept() -> None:
    for name in ("metadados20230104.json", "metadados20230515.json"):
        [path] = SAMPLE.rglob(name)
        assert path.read_bytes() == shared_file(f"integras/{name}").read_bytes()
    raw = shared_file("espelhos/espelho_raw_000389583_primeira-secao_MS15_1989.json").read_bytes()
    assert (SAMPLE / "espelhos-de-acordaos-primeira-secao" / "19891031.json").read_bytes() == raw
    for name in ("temas.csv", "processos.csv"):
        original = shared_file(f"precedentes/{name}").read_bytes()
        subset = (SAMPLE / "precedentes-qualificados" / name).read_bytes()
        header = original.split(b"\r\n", 1)[0]
        assert subset.startswith(header + b"\r\n")
        rows = subset[len(header) + 2 :].split(b'"\r\n"')
        assert all(row.strip(b'"\r\n') in original for row in rows)


def test_converted_espelhos_keep_the_original_texts() -> None:
    lines = shared_file("espelhos/wikijuridica_stj_espelhos_sample_6.jsonl").read_text("utf-8").splitlines()
    originals = [json.loads(line) for line in lines]
    converted = {
        record["id"]: record
        for path in Path(SAMPLE / "espelhos-de-acordaos-primeira-turma").glob("2022*.json")
        for record in json.loads(path.read_text("utf-8"))
    }
    for original in originals:
        record = converted[original["id_fonte"]]
        assert record["ementa"] == original["ementa"]
        assert record["decisao"] == original["dispositivo"]
        assert record["jurisprudenciaCitada"] == original["jurisprudencia_citada"]
    assert sum(len(r["ementa"]) + len(r["decisao"]) for r in converted.values()) > 10_000
