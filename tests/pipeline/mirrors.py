"""Mirror folders built from the real sample: subsets with a ``catalog.json``, bare layouts, edits.

Every byte written comes from the real files; subsets keep whole CSV records unchanged.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from jurisgraph.datasets.service import sample_folder

SAMPLE = sample_folder()
PRECEDENTES = "precedentes-qualificados"
PRIMEIRA_TURMA = "espelhos-de-acordaos-primeira-turma"
PRIMEIRA_SECAO = "espelhos-de-acordaos-primeira-secao"
CORTE_ESPECIAL = "espelhos-de-acordaos-corte-especial"
INTEGRAS = "integras-de-decisoes-terminativas-e-acordaos-do-diario-da-justica"
BROKEN = Path(__file__).resolve().parents[1] / "data" / "stj"
#: Temas every small mirror keeps: their facts are checked by the tests.
KNOWN_TEMAS = ("1076", "1172")


def csv_records(data: bytes) -> list[bytes]:
    """The CRLF-terminated records of a quoted CSV file (a record may span lines), bytes untouched."""
    records: list[bytes] = []
    pending: list[bytes] = []
    for line in data.split(b"\r\n"):
        pending.append(line)
        joined = b"\r\n".join(pending)
        if joined.count(b'"') % 2 == 0:
            if joined:
                records.append(joined)
            pending = []
    return records


def csv_fields(record: bytes, encoding: str = "iso-8859-1") -> list[str]:
    """The values of one ``;``-separated record."""
    return next(csv.reader(io.StringIO(record.decode(encoding), newline=""), delimiter=";"))


def read_csv(path: Path) -> list[dict[str, str]]:
    """A precedentes CSV (ISO-8859-1, ``;``) as dictionaries."""
    text = path.read_bytes().decode("iso-8859-1")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def cut_precedentes(folder: Path, temas: int, keep: Iterable[str] = KNOWN_TEMAS) -> tuple[bytes, bytes]:
    """``temas.csv`` and ``processos.csv`` of ``folder`` cut to the first ``temas`` Temas plus
    ``keep`` (every row of a kept precedente, header included)."""
    rows = csv_records((folder / "temas.csv").read_bytes())
    wanted = set(keep)
    sequences: set[str] = set()
    first: list[str] = []
    for row in rows[1:]:
        sequence, kind, number = csv_fields(row)[:3]
        if kind != "Tema":
            continue
        if number in wanted:
            sequences.add(sequence)
        elif sequence not in first and len(first) < temas:
            first.append(sequence)
    sequences.update(first)
    chosen = [row for row in rows[1:] if csv_fields(row)[0] in sequences]
    processos = csv_records((folder / "processos.csv").read_bytes())
    joined = [processos[0]] + [row for row in processos[1:] if csv_fields(row)[0] in sequences]
    return _csv_bytes([rows[0], *chosen]), _csv_bytes(joined)


def _csv_bytes(records: list[bytes]) -> bytes:
    return b"\r\n".join(records) + b"\r\n"


def sample_catalog() -> dict[str, Any]:
    """The bundled sample's ``catalog.json``."""
    data: dict[str, Any] = json.loads((SAMPLE / "catalog.json").read_text(encoding="utf-8"))
    return data


def write_mirror(dest: Path, files: Mapping[str, Mapping[str, bytes]], *, catalog: bool = True) -> Path:
    """Write ``{slug: {name: bytes}}`` under ``dest``; with ``catalog`` also a ``catalog.json`` that
    keeps the sample's real package and resource ids (size and hash follow the bytes written)."""
    dest.mkdir(parents=True, exist_ok=True)
    for slug, named in files.items():
        (dest / slug).mkdir(exist_ok=True)
        for name, content in named.items():
            (dest / slug / name).write_bytes(content)
    if catalog:
        write_catalog(dest, files)
    return dest


def write_catalog(dest: Path, files: Mapping[str, Mapping[str, bytes]]) -> None:
    """``dest/catalog.json`` listing exactly ``files`` with the sample's ids."""
    data = sample_catalog()
    packages = []
    for package in data["packages"]:
        named = files.get(package["name"])
        if named is None:
            continue
        resources = []
        for resource in package["resources"]:
            if resource["name"] in named:
                content = named[resource["name"]]
                digest = hashlib.sha256(content).hexdigest()
                resources.append({**resource, "size": len(content), "hash": f"sha256:{digest}"})
        packages.append({**package, "resources": resources, "num_resources": len(resources)})
    data["packages"] = packages
    (dest / "catalog.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def small_files(temas: int = 38) -> dict[str, dict[str, bytes]]:
    """A small real corpus: ``temas`` Temas plus 1076 and 1172 with their processos, the Primeira
    Turma month of June 2022 (it cites Tema 1076) and the íntegras of 4 January 2023."""
    temas_csv, processos_csv = cut_precedentes(SAMPLE / PRECEDENTES, temas)
    return {
        PRECEDENTES: {"temas.csv": temas_csv, "processos.csv": processos_csv},
        PRIMEIRA_TURMA: {"20220630.json": (SAMPLE / PRIMEIRA_TURMA / "20220630.json").read_bytes()},
        INTEGRAS: {"metadados20230104.json": (SAMPLE / INTEGRAS / "metadados20230104.json").read_bytes()},
    }


def without(files: Mapping[str, Mapping[str, bytes]], slug: str, name: str) -> dict[str, dict[str, bytes]]:
    """A copy of ``files`` without ``slug/name`` (a dataset left empty is dropped)."""
    copy = {s: {n: b for n, b in named.items() if (s, n) != (slug, name)} for s, named in files.items()}
    return {s: named for s, named in copy.items() if named}


def resource_id(slug: str, name: str) -> str:
    """The id the sample's catalogue gives ``slug/name``."""
    for package in sample_catalog()["packages"]:
        if package["name"] == slug:
            for resource in package["resources"]:
                if resource["name"] == name:
                    return str(resource["id"])
    raise KeyError(f"{slug}/{name}")


def espelho_records(data: bytes) -> list[dict[str, Any]]:
    """The records of a well-formed espelhos month."""
    records: list[dict[str, Any]] = json.loads(data.decode("utf-8"))
    return records
