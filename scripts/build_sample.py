"""Build the bundled STJ sample (src/jurisgraph/sample/) from the real files in a data folder.

Usage: python scripts/build_sample.py [--source ../shared/data/stj] [--out src/jurisgraph/sample]

Deterministic: running it twice gives the same bytes. What it does is described, file by file,
in src/jurisgraph/sample/README.md.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import shutil
import uuid
from pathlib import Path
from typing import Any

STJ = "https://dadosabertos.web.stj.jus.br"
ORGANIZATION = {"name": "superior-tribunal-de-justica", "title": "Superior Tribunal de Justiça"}
RAW_FIELDS = (
    "id",
    "numeroProcesso",
    "numeroRegistro",
    "siglaClasse",
    "descricaoClasse",
    "nomeOrgaoJulgador",
    "ministroRelator",
    "dataPublicacao",
    "ementa",
    "tipoDeDecisao",
    "dataDecisao",
    "decisao",
    "jurisprudenciaCitada",
    "notas",
    "informacoesComplementares",
    "termosAuxiliares",
    "teseJuridica",
    "tema",
    "referenciasLegislativas",
    "acordaosSimilares",
)
# wikijuridica field → raw STJ field (SOURCES.md §2); values are copied unchanged except dates.
RENAMED = {
    "id_fonte": "id",
    "numero_processo": "numeroProcesso",
    "numero_registro": "numeroRegistro",
    "classe": "siglaClasse",
    "classe_descricao": "descricaoClasse",
    "orgao_julgador": "nomeOrgaoJulgador",
    "relator": "ministroRelator",
    "ementa": "ementa",
    "tipo_decisao": "tipoDeDecisao",
    "dispositivo": "decisao",
    "jurisprudencia_citada": "jurisprudenciaCitada",
    "tema": "tema",
    "referencias_legislativas_brutas": "referenciasLegislativas",
}
TEMAS_KEPT = 600  # most recent temas repetitivos (highest numbers)
INTEGRAS = ("metadados20230104.json", "metadados20230515.json")
SNAPSHOT_PRECEDENTES = "2023-11-14T00:00:00"
NAMESPACE = uuid.UUID("6f1d8f0e-2b1c-4f7a-9a57-5b0c2f3f6a11")


def jackson(records: list[dict[str, Any]]) -> str:
    """Serialise like the portal (Jackson pretty printer): ``[ {`` … ``"key" : value`` … ``} ]``."""

    def value(item: Any) -> str:
        if isinstance(item, list):
            return "[ " + ", ".join(json.dumps(x, ensure_ascii=False) for x in item) + " ]" if item else "[ ]"
        return json.dumps(item, ensure_ascii=False)

    bodies = [
        "{\n"
        + ",\n".join(f"  {json.dumps(k, ensure_ascii=False)} : {value(v)}" for k, v in r.items())
        + "\n}"
        for r in records
    ]
    return "[ " + ", ".join(bodies) + " ]"


def to_raw(record: dict[str, Any]) -> dict[str, Any]:
    """One wikijuridica record → the raw espelho layout (field order of the 1989 record)."""
    raw: dict[str, Any] = dict.fromkeys(RAW_FIELDS)
    for source, target in RENAMED.items():
        raw[target] = record[source]
    year, month, day = record["data_publicacao"].split("-")
    raw["dataPublicacao"] = f"DJE        DATA:{day}/{month}/{year}"
    raw["dataDecisao"] = record["data_julgamento"].replace("-", "")
    return raw


def build_espelhos(source: Path, out: Path) -> list[dict[str, Any]]:
    months: dict[str, list[dict[str, Any]]] = {}
    resource_ids: dict[str, str] = {}
    lines = (source / "espelhos/wikijuridica_stj_espelhos_sample_6.jsonl").read_text("utf-8").splitlines()
    for line in lines:
        record = json.loads(line)
        url = record["fonte_url"]
        name = url.rsplit("/", 1)[1]
        resource_ids[name] = url.split("/resource/")[1].split("/")[0]
        months.setdefault(name, []).append(to_raw(record))
    folder = out / "espelhos-de-acordaos-primeira-turma"
    folder.mkdir(parents=True, exist_ok=True)
    for name, records in months.items():
        records.sort(key=lambda r: r["id"])
        (folder / name).write_text(jackson(records), "utf-8")
    shutil.copyfile(
        source / "espelhos/dicionario-espelhodoacordao.csv", folder / "dicionario-espelhodoacordao.csv"
    )
    raw_1989 = source / "espelhos/espelho_raw_000389583_primeira-secao_MS15_1989.json"
    check = jackson(json.loads(raw_1989.read_text("utf-8")))
    if check.encode() != raw_1989.read_bytes():
        raise SystemExit("the Jackson-style writer does not reproduce the raw 1989 file byte for byte")
    secao = out / "espelhos-de-acordaos-primeira-secao"
    secao.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(raw_1989, secao / "19891031.json")
    return [
        package(
            "a927747a-2fc9-46f7-be25-c3f12e7d560c",
            "espelhos-de-acordaos-primeira-turma",
            "Espelhos de Acórdãos - Primeira Turma",
            folder,
            out,
            ids=resource_ids,
        ),
        package(
            "a96a175b-a54b-4bfd-82b8-fcd7cc0200bc",
            "espelhos-de-acordaos-primeira-secao",
            "Espelhos de Acórdãos - Primeira Seção",
            secao,
            out,
        ),
    ]


def raw_rows(data: bytes) -> list[bytes]:
    """Split CSV bytes into whole records (CRLF-terminated, quotes balanced), bytes untouched."""
    rows: list[bytes] = []
    pending = b""
    for piece in data.split(b"\r\n"):
        pending = pending + b"\r\n" + piece if pending else piece
        if pending.count(b'"') % 2 == 0:
            rows.append(pending)
            pending = b""
    if pending:
        rows.append(pending)
    return [row for row in rows if row]


def first_cells(row: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(row.decode("iso-8859-1"), newline=""), delimiter=";"))


def build_precedentes(source: Path, out: Path, integra_registros: set[str]) -> dict[str, Any]:
    temas = raw_rows((source / "precedentes/temas.csv").read_bytes())
    processos = raw_rows((source / "precedentes/processos.csv").read_bytes())
    tema_cells = [first_cells(row) for row in temas[1:]]
    processo_cells = [first_cells(row) for row in processos[1:]]
    repetitivos = sorted({int(c[2]) for c in tema_cells if c[1] == "Tema"}, reverse=True)[:TEMAS_KEPT]
    kept = {c[0] for c in tema_cells if c[1] == "Tema" and int(c[2]) in repetitivos}
    kept |= {c[0] for c in processo_cells if c[4] in integra_registros and c[0]}
    folder = out / "precedentes-qualificados"
    folder.mkdir(parents=True, exist_ok=True)
    rows = [temas[0]] + [row for row, c in zip(temas[1:], tema_cells, strict=True) if c[0] in kept]
    (folder / "temas.csv").write_bytes(b"\r\n".join(rows) + b"\r\n")
    rows = [processos[0]] + [
        row for row, c in zip(processos[1:], processo_cells, strict=True) if c[0] in kept
    ]
    (folder / "processos.csv").write_bytes(b"\r\n".join(rows) + b"\r\n")
    for name in ("dicionario-temas.csv", "dicionario-processos.csv"):
        shutil.copyfile(source / "precedentes" / name, folder / name)
    ids = {
        "temas.csv": "df29da13-7d6b-41ba-ad96-cd1a5bbd191c",
        "processos.csv": "7ed21202-0049-4fcb-aa7c-48d810d3c499",
        "dicionario-temas.csv": "d5e50514-6dba-4f1e-8557-94f135eae03b",
        "dicionario-processos.csv": "162e58f0-01c1-4d91-94a4-664b4de81e79",
    }
    modified = dict.fromkeys(ids, SNAPSHOT_PRECEDENTES)
    return package(
        "4238da2f-c07b-4c1a-b345-4402accacdcf",
        "precedentes-qualificados",
        "Precedentes Qualificados",
        folder,
        out,
        ids=ids,
        modified=modified,
    )


def build_integras(source: Path, out: Path) -> tuple[dict[str, Any], set[str]]:
    folder = out / "integras-de-decisoes-terminativas-e-acordaos-do-diario-da-justica"
    folder.mkdir(parents=True, exist_ok=True)
    listing = json.loads(
        (source / "ckan/integras_package_show_resources_metadados_2022-09_a_2024-01.json").read_text()
    )
    known = {r["name"]: r for r in listing}
    registros: set[str] = set()
    for name in INTEGRAS:
        shutil.copyfile(source / "integras" / name, folder / name)
        registros |= {r["numeroRegistro"] for r in json.loads((folder / name).read_text("utf-8"))}
    ids = {name: known[name]["id"] for name in INTEGRAS}
    modified = {name: known[name]["last_modified"] for name in INTEGRAS}
    result = package(
        "a2cd85cc-1391-4ebc-aeed-a45dd75a7987",
        "integras-de-decisoes-terminativas-e-acordaos-do-diario-da-justica",
        "Íntegras de Decisões Terminativas e Acórdãos do Diário da Justiça",
        folder,
        out,
        ids=ids,
        modified=modified,
    )
    return result, registros


def package(
    package_id: str,
    name: str,
    title: str,
    folder: Path,
    out: Path,
    *,
    ids: dict[str, str] | None = None,
    modified: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A CKAN ``package_show`` result for one mirror folder; resource urls are relative to it."""
    resources = []
    for position, path in enumerate(
        sorted(folder.iterdir(), key=lambda p: (not p.name.startswith("dic"), p.name))
    ):
        data = path.read_bytes()
        resource_id = (ids or {}).get(path.name) or str(uuid.uuid5(NAMESPACE, f"{name}/{path.name}"))
        resources.append(
            {
                "id": resource_id,
                "package_id": package_id,
                "name": path.name,
                "url": path.relative_to(out).as_posix(),
                "format": path.suffix.lstrip(".").upper(),
                "mimetype": "application/json" if path.suffix == ".json" else "text/csv",
                "size": len(data),
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "last_modified": (modified or {}).get(path.name),
                "position": position,
                "real_resource_id": bool(ids and path.name in ids),
            }
        )
    return {
        "id": package_id,
        "name": name,
        "title": title,
        "license_id": "cc-by",
        "organization": ORGANIZATION,
        "url": f"{STJ}/dataset/{name}",
        "num_resources": len(resources),
        "resources": resources,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--source", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "stj"
    )
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "src/jurisgraph/sample"
    )
    args = parser.parse_args()
    out: Path = args.out
    for child in out.iterdir() if out.exists() else ():
        if child.is_dir():
            shutil.rmtree(child)
    out.mkdir(parents=True, exist_ok=True)
    espelhos = build_espelhos(args.source, out)
    integras, registros = build_integras(args.source, out)
    precedentes = build_precedentes(args.source, out, registros)
    catalog = {
        "portal": f"{STJ} (local mirror: a real sample)",
        "license_id": "cc-by",
        "built_by": "scripts/build_sample.py",
        "packages": [*espelhos, integras, precedentes],
    }
    (out / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False, indent=2) + "\n", "utf-8")
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"sample written to {out}: {total:,} bytes")


if __name__ == "__main__":
    main()
