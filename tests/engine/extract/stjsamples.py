"""Real STJ records turned into SourceDocuments the way the parsers hand them to the extractor."""

from __future__ import annotations

import csv
import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jurisgraph.engine.types import DocumentMeta, SourceDocument

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "stj"

# wikijuridica's re-keyed names → raw STJ espelho field names
WIKI_TO_RAW = {
    "id_fonte": "id",
    "numero_processo": "numeroProcesso",
    "numero_registro": "numeroRegistro",
    "classe": "siglaClasse",
    "classe_descricao": "descricaoClasse",
    "orgao_julgador": "nomeOrgaoJulgador",
    "relator": "ministroRelator",
    "ementa": "ementa",
    "tipo_decisao": "tipoDeDecisao",
    "data_julgamento": "dataDecisao",
    "dispositivo": "decisao",
    "jurisprudencia_citada": "jurisprudenciaCitada",
    "tema": "tema",
    "referencias_legislativas_brutas": "referenciasLegislativas",
}


@cache
def wikijuridica() -> list[dict[str, Any]]:
    """The 6 real espelhos in raw field names (empty strings become ``None``)."""
    records = []
    for line in (
        (DATA / "espelhos" / "wikijuridica_stj_espelhos_sample_6.jsonl").read_text("utf-8").splitlines()
    ):
        record = json.loads(line)
        fields = {raw: (record[wiki] if record[wiki] != "" else None) for wiki, raw in WIKI_TO_RAW.items()}
        fields["dataDecisao"] = record["data_julgamento"].replace("-", "")
        fields["acordaosSimilares"] = []
        records.append(fields)
    return records


def raw_1989() -> dict[str, Any]:
    """The byte-exact raw espelho of 1989."""
    data: list[dict[str, Any]] = json.loads(
        (DATA / "espelhos" / "espelho_raw_000389583_primeira-secao_MS15_1989.json").read_text("utf-8")
    )
    return data[0]


def _joined(text: str | None) -> str:
    return " ".join(text.split("\n")) if text else ""


def espelho_doc(
    fields: dict[str, Any], *, sections: tuple[str, ...] = ("ementa", "decisao")
) -> SourceDocument:
    """An espelho document: a title line, then the chosen sections with line breaks joined."""
    decided = fields.get("dataDecisao")
    meta = DocumentMeta(
        processo=f"{fields['siglaClasse']} {fields['numeroProcesso']}",
        classe=fields["siglaClasse"],
        numero_registro=fields.get("numeroRegistro"),
        relator=fields.get("ministroRelator"),
        orgao_julgador=fields.get("nomeOrgaoJulgador"),
        data_decisao=date(int(decided[:4]), int(decided[4:6]), int(decided[6:])) if decided else None,
    )
    title = f"{fields['siglaClasse']} {fields['numeroProcesso']} — {fields['nomeOrgaoJulgador']}"
    parts = [title] + [_joined(fields.get(name)) for name in sections if fields.get(name)]
    return SourceDocument(f"espelho:{fields['id']}", "espelho", title, "\n\n".join(parts), meta, fields)


def integra_docs(name: str = "metadados20230104.json") -> list[SourceDocument]:
    """Íntegras metadata records as documents (text = a short description)."""
    docs = []
    for record in json.loads((DATA / "integras" / name).read_text("utf-8")):
        fields = dict(record)
        fields["processo"] = record["processo"].strip()
        fields["assuntos"] = [c for c in (record["assuntos"] or "").split(";") if c]
        described = record["descricaoMonocratica"] or ""
        text = f"{record['tipoDocumento'].capitalize()} no {fields['processo']}. {described}"
        meta = DocumentMeta(
            processo=fields["processo"], relator=record["ministro"], tipo=record["tipoDocumento"]
        )
        docs.append(SourceDocument(f"integra:{record['seqDocumento']}", "integra", text, text, meta, fields))
    return docs


def _csv(name: str) -> list[dict[str, str]]:
    with (DATA / "precedentes" / name).open(encoding="latin-1", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


@cache
def temas() -> list[dict[str, str]]:
    """temas.csv rows."""
    return _csv("temas.csv")


@cache
def processos() -> list[dict[str, str]]:
    """processos.csv rows."""
    return _csv("processos.csv")


def tema_doc(row: dict[str, str]) -> SourceDocument:
    """A tema document: the temas.csv row (stripped, empty → None) plus its processos.csv rows."""
    fields: dict[str, Any] = {k: (v.strip() or None) for k, v in row.items()}
    seq = row["sequencialPrecedente"]
    fields["processos"] = [
        {k: (v.strip() or None) for k, v in p.items()}
        for p in processos()
        if p["sequencialPrecedente"] == seq
    ]
    title = f"{row['tipoPrecedente']} {row['numeroPrecedente']}/STJ"
    text = "\n\n".join(
        part for part in (title, row["questaoSubmetidaAJulgamento"], row["teseFirmada"]) if part
    )
    return SourceDocument(f"tema:{row['numeroPrecedente']}", "tema", title, text, DocumentMeta(), fields)
