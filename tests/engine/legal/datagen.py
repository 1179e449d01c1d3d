"""Build the reference files bundled in ``jurisgraph/engine/legal/data`` from the shared STJ data.

Sources: ``../shared/data/stj`` (referencia/, derivados/, precedentes/) plus the curated
tables in ``curated.json`` next to this file (class siglas, usual names of the main codes,
published names of the sitting ministers). Run ``python tests/engine/legal/datagen.py`` to
rewrite the bundled files; ``test_data_files.py`` rebuilds them in memory and checks that
the bundled copies are identical.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

SOURCE = Path(__file__).resolve().parents[4] / "shared" / "data" / "stj"
CURATED = Path(__file__).with_name("curated.json")
TARGET = Path(__file__).resolve().parents[3] / "src" / "jurisgraph" / "engine" / "legal" / "data"
_FORMAL = re.compile(r"^(Lei Complementar|Decreto-Lei|Decreto|Lei) (\d[\d.]*(?:-[A-Z])?)/(\d{4})$")
_PREFIX = {"Lei": "lei", "Lei Complementar": "lc", "Decreto-Lei": "dl", "Decreto": "dec"}
_PROPER = re.compile(r"^(Código|Estatuto|Lei |Marco |Consolidação)")
_STJ_TYPES = {"LEI": "lei", "DEC": "dec", "DEL": "dl", "LCP": "lc"}


def curated() -> dict[str, Any]:
    """The curated tables."""
    data: dict[str, Any] = json.loads(CURATED.read_text("utf-8"))
    return data


def _fold(text: str) -> str:
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", plain.lower()).strip()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", _fold(text)).strip("_")


def _title(text: str) -> str:
    particles = {"de", "da", "do", "dos", "das", "e"}
    words = text.split()
    return " ".join(
        w.lower() if i and w.lower() in particles else w[:1].upper() + w[1:].lower()
        for i, w in enumerate(words)
    )


def _csv(path: Path, encoding: str = "utf-8-sig", delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def build_classes() -> dict[str, Any]:
    """Class siglas; fails when a class observed in the data is missing from the curated list."""
    table = curated()
    observed = [r["sigla_classe"] for r in _csv(SOURCE / "referencia" / "classes_processuais_observadas.csv")]
    known = {row[0].lower() for row in table["classes"]}
    for compound in observed:
        for part in re.split(r"\s+(?:no|na|nos|nas)\s+", compound):
            if part.lower() not in known:
                raise ValueError(f"observed class {part!r} missing from curated.json")
    keys = ("sigla", "nome", "tribunal", "ambigua", "incidental")
    return {
        "classes": [dict(zip(keys, row, strict=True)) for row in table["classes"]],
        "formas_extensas": table["formas_extensas"],
        "recursos": table["recursos"],
        "observadas": observed,
    }


def _convocacao(published: str) -> tuple[str | None, str | None]:
    folded = _fold(published)
    match = re.search(r"\((des\w*|juiz\w*)[^)]*?convocad[oa]", folded)
    if not match:
        return None, None
    female = "convocada" in folded
    if match.group(1).startswith("juiz"):
        titulo = "Juíza Federal convocada" if female else "Juiz Federal convocado"
    else:
        titulo = "Desembargadora convocada" if female else "Desembargador convocado"
    court = re.search(r"\b(tjdft|trf|tjm|tj)\s*[-/]?\s*(\d|[a-z]{2}\b)?", folded[folded.index("(") :])
    return titulo, (court.group(1) + (court.group(2) or "")).upper() if court else None


def build_ministros() -> dict[str, Any]:
    """Ministers from the observed spellings and the composição, keyed by the published name."""
    table = curated()
    composicao = json.loads(
        (SOURCE / "referencia" / "ministros_stj_composicao_2026-09.json").read_text("utf-8")
    )
    people: dict[str, dict[str, Any]] = {}

    def person(published: str) -> dict[str, Any]:
        plain = re.sub(r"\s*\(.*$", "", published).strip()
        base = table["mesma_pessoa"].get(plain, plain)
        entry = people.setdefault(_slug(base), {"slug": _slug(base), "nome": _title(base), "aliases": []})
        for alias in (_fold(plain), _fold(base)):
            if alias not in entry["aliases"]:
                entry["aliases"].append(alias)
        return entry

    for row in _csv(SOURCE / "referencia" / "ministros_observados.csv"):
        name = row["nome_como_publicado"]
        if name in table["nao_ministros"]:
            continue
        entry = person(name)
        if row["convocado"] == "S":
            entry["titulo"], entry["origem"] = _convocacao(name)
    for item in composicao["ministros"]:
        civil = item["nome"].split(" - ")[0].strip()
        entry = person(table["composicao_publicado"][civil])
        entry.update(nome_completo=civil, uf=item["uf"], codigo=item["cod"], ordem=item["ordem"])
        if _fold(civil) not in entry["aliases"]:
            entry["aliases"].append(_fold(civil))
    return {
        "ministros": sorted(people.values(), key=lambda e: e["slug"]),
        "nao_ministros": [_fold(n) for n in table["nao_ministros"]],
    }


def build_orgaos() -> dict[str, Any]:
    """The ten órgãos with display name, section and subject area."""
    secoes = curated()["secoes"]
    rows = _csv(SOURCE / "referencia" / "orgaos_julgadores.csv")
    orgaos = [
        {
            "codigo": r["codigo"],
            "nome": r["nome_orgao_julgador"],
            "exibicao": _title(r["nome_orgao_julgador"]),
            "secao": secoes.get(r["codigo"]),
            "materia": r["composicao_materia"],
        }
        for r in rows
    ]
    return {"orgaos": orgaos}


def _planalto_norm(item: dict[str, Any]) -> dict[str, Any]:
    match = _FORMAL.match(item["lei"])
    if not match:
        raise ValueError(f"unexpected norm {item['lei']!r}")
    tipo, numero, ano = match.groups()
    nome = re.split(r"\s+[—–]\s+|\s+\(", item["nome"])[0].strip()
    proper = bool(_PROPER.match(nome))
    mnemonic = not re.fullmatch(r"(L|LC|DL|D)\d+[A-Z]?", item["sigla"])
    return {
        "key": f"{_PREFIX[tipo]}:{numero.replace('.', '').replace('-', '').lower()}_{ano}",
        "nome": item["nome"],
        "curto": nome if proper else None,
        "prep": ("do" if nome.startswith(("Código", "Estatuto", "Marco")) else "da") if proper else None,
        "nomes": [nome] if proper else [],
        "siglas": [item["sigla"]] if mnemonic else [],
        "stj": [],
        "avulsa": False,
        "url": item["url"],
    }


def build_normas() -> dict[str, Any]:
    """Planalto norms, merged with the curated core codes and the STJ siglas seen in real data."""
    planalto = json.loads((SOURCE / "referencia" / "normas_siglas_planalto.json").read_text("utf-8"))
    by_key = {norm["key"]: norm for norm in map(_planalto_norm, planalto["normas"])}
    for core in curated()["normas"]:
        merged = dict(by_key.get(core["key"], {}))
        for field in ("nomes", "siglas", "stj"):
            values = list(core.get(field, []))
            merged[field] = values + [v for v in merged.get(field, []) if v not in values]
        merged.update({f: core[f] for f in ("key", "formal", "curto", "prep", "nome", "avulsa") if f in core})
        merged.setdefault("url", None)
        by_key[core["key"]] = merged
    for row in _csv(SOURCE / "referencia" / "legislacao_siglas_stj_observadas.csv"):
        sigla, tipo = row["sigla_stj"], row["tipo_norma"]
        if not sigla or tipo == "SUM":
            continue
        if tipo in {"CFB", "CFD"}:
            key = "adct:1988" if sigla.startswith("ADCT") else "cf:1988"
        else:
            key = f"{_STJ_TYPES[tipo]}:{int(row['numero'])}_{row['ano']}"
        empty = {"key": key, "nome": _title(row["nome_stj"]), "nomes": [], "siglas": [], "stj": []}
        norm = by_key.setdefault(key, empty)
        if sigla not in norm["stj"]:
            norm["stj"].append(sigla)
    ordered = sorted(by_key.values(), key=lambda n: n["key"])
    return {"normas": [{k: v for k, v in n.items() if v not in (None, [], False)} for n in ordered]}


def build_sumulas() -> dict[str, Any]:
    """STJ súmula number → [enunciado, status]."""
    data = json.loads((SOURCE / "derivados" / "sumulas_stj.json").read_text("utf-8"))["sumulas"]
    ordered = sorted(data.values(), key=lambda n: n["numero"])
    return {str(n["numero"]): [n["enunciado"], n["status"]] for n in ordered}


def build_assuntos() -> dict[str, Any]:
    """CNJ subject code → name, as listed in the ``Assuntos`` column of temas.csv."""
    names: dict[str, str] = {}
    for row in _csv(SOURCE / "precedentes" / "temas.csv", encoding="latin-1", delimiter=";"):
        for match in re.finditer(r"(\d+)-\s*([^,]+)", row["Assuntos"]):
            names.setdefault(match.group(1), re.sub(r"\s+", " ", match.group(2)).strip())
    return dict(sorted(names.items(), key=lambda kv: int(kv[0])))


BUILDERS = {
    "classes.json": build_classes,
    "ministros.json": build_ministros,
    "orgaos.json": build_orgaos,
    "normas.json": build_normas,
    "sumulas_stj.json": build_sumulas,
    "assuntos_cnj.json": build_assuntos,
}


def render(name: str) -> str:
    """The exact text of one bundled file."""
    return json.dumps(BUILDERS[name](), ensure_ascii=False, separators=(",", ":")) + "\n"


def main() -> None:
    """Rewrite every bundled file."""
    for name in BUILDERS:
        (TARGET / name).write_text(render(name), encoding="utf-8")
        print(name, (TARGET / name).stat().st_size)


if __name__ == "__main__":
    main()
