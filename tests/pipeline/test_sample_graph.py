"""Facts of the real sample that the graph must hold after `load_sample` (expected values are read
from the sample's own CSV and JSON files, never from the pipeline)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from functools import cache
from typing import Any

from sqlalchemy import select

from jurisgraph.db import session_scope
from jurisgraph.models import Document, GraphEdge, GraphNode, Mention
from jurisgraph.runtime import Container
from tests.fixtures.mirrors import INTEGRAS, PRECEDENTES, PRIMEIRA_SECAO, PRIMEIRA_TURMA, SAMPLE, read_csv
from tests.fixtures.sample import Sample
from tests.fixtures.store import integrity_problems, table_counts

CITED = re.compile(r"<<([^<>]+?)>>")
LAW_BLOCK = re.compile(r"LEG:FED LEI:(\d+) ANO:(\d{4})(.*?)(?=LEG:|\Z)", re.DOTALL)
ARTICLE = re.compile(r"ART:(\d+)")


@cache
def temas() -> list[dict[str, str]]:
    return [row for row in read_csv(SAMPLE / PRECEDENTES / "temas.csv") if row["tipoPrecedente"] == "Tema"]


@cache
def processos() -> list[dict[str, str]]:
    return [
        row for row in read_csv(SAMPLE / PRECEDENTES / "processos.csv") if row["tipoPrecedente"] == "Tema"
    ]


@cache
def espelhos() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for folder in (PRIMEIRA_TURMA, PRIMEIRA_SECAO):
        for path in sorted((SAMPLE / folder).glob("*.json")):
            records += json.loads(path.read_text(encoding="utf-8"))
    return records


def processo_key(citation: str) -> str:
    """``REsp 1850512`` → ``processo:resp_1850512`` (the canonical key scheme of the design)."""
    return "processo:" + "_".join(citation.lower().split())


def plain(name: str) -> str:
    """Upper case without accents, without a leading "Min."."""
    text = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    text = re.sub(r"^\s*min(istr[oa])?\.?\s+", "", text, flags=re.IGNORECASE)
    return " ".join(text.upper().split())


def edges(container: Container, kind: str) -> set[tuple[str, str]]:
    with session_scope(container.sessions) as session:
        rows = session.execute(
            select(GraphEdge.source_entity_id, GraphEdge.target_entity_id).where(
                GraphEdge.relationship_type == kind
            )
        )
        return {(source, target) for source, target in rows}


def node(container: Container, key: str) -> GraphNode:
    with session_scope(container.sessions) as session:
        found = session.scalar(select(GraphNode).where(GraphNode.entity_id == key))
        assert found is not None, f"no node {key}"
        session.expunge(found)
        return found


def edge_fields(container: Container, source: str, kind: str, target: str) -> set[str | None]:
    """The document fields the mentions of one edge come from (empty when the edge is absent)."""
    with session_scope(container.sessions) as session:
        edge_id = session.scalar(
            select(GraphEdge.edge_id).where(
                GraphEdge.source_entity_id == source,
                GraphEdge.relationship_type == kind,
                GraphEdge.target_entity_id == target,
            )
        )
        if edge_id is None:
            return set()
        return set(session.scalars(select(Mention.field).where(Mention.target_id == edge_id)))


def test_sample_ingests_every_record_without_problems(sample: Sample) -> None:
    integras = set()
    for path in (SAMPLE / INTEGRAS).glob("metadados*.json"):
        integras |= {r["seqDocumento"] for r in json.loads(path.read_text(encoding="utf-8"))}
    precedentes = {row["sequencialPrecedente"] for row in read_csv(SAMPLE / PRECEDENTES / "temas.csv")}
    report = sample.report
    assert report.problems == []
    assert report.process is not None
    assert report.process.documents == len(espelhos()) + len(integras) + len(precedentes)
    counts = table_counts(sample.container)
    assert counts["documents"] == len(espelhos()) + len(integras) + len(precedentes)
    assert min(counts.values()) > 0
    assert integrity_problems(sample.container) == []


def test_tema_1076_leading_case_relator_and_orgao(sample: Sample) -> None:
    container = sample.container
    tema = next(row for row in temas() if row["numeroPrecedente"] == "1076")
    leading = next(r for r in processos() if r["numeroPrecedente"] == "1076" and r["leadingCase"] == "S")
    assert leading["Processo"] == "REsp 1850512"
    case = processo_key(leading["Processo"])
    assert (case, "tema:1076") in edges(container, "LEADING_CASE_DE")
    relators = [s for s, t in edges(container, "RELATOR_DE") if t == case]
    assert len(relators) == 1
    relator = node(container, relators[0])
    assert relator.entity_type == "MINISTRO"
    assert plain(relator.name) == plain(leading["ministroRelator"]) == "OG FERNANDES"
    orgao = "orgao:" + tema["orgaoJulgador"].strip().lower()
    assert orgao == "orgao:ce"
    assert ("tema:1076", orgao) in edges(container, "JULGADO_POR")
    assert node(container, orgao).entity_type == "ORGAO_JULGADOR"
    assert plain(node(container, orgao).name) == "CORTE ESPECIAL"


def test_every_leading_case_of_temas_csv_is_linked(sample: Sample) -> None:
    expected = {
        (processo_key(r["Processo"]), "tema:" + r["numeroPrecedente"])
        for r in processos()
        if r["leadingCase"] == "S"
    }
    assert len(expected) > 500
    assert edges(sample.container, "LEADING_CASE_DE") == expected


def test_every_leading_case_has_its_relator(sample: Sample) -> None:
    container = sample.container
    relators: dict[str, set[str]] = defaultdict(set)
    for source, target in edges(container, "RELATOR_DE"):
        relators[target].add(source)
    with session_scope(container.sessions) as session:
        names = {
            key: name
            for key, name in session.execute(
                select(GraphNode.entity_id, GraphNode.name).where(GraphNode.entity_type == "MINISTRO")
            )
        }
    missing = []
    for row in processos():
        if row["leadingCase"] != "S":
            continue
        surname_first = plain(row["ministroRelator"]).split()[0]
        found = {plain(names[m]).split()[0] for m in relators[processo_key(row["Processo"])] if m in names}
        if surname_first not in found:
            missing.append((row["Processo"], row["ministroRelator"], found))
    assert missing == []


def test_every_tema_is_julgado_por_its_orgao(sample: Sample) -> None:
    expected = {
        ("tema:" + r["numeroPrecedente"], "orgao:" + r["orgaoJulgador"].strip().lower()) for r in temas()
    }
    numbered = {source for source, _ in expected}
    found = {(s, t) for s, t in edges(sample.container, "JULGADO_POR") if s in numbered}
    assert found == expected


def test_sumulas_originated_by_temas(sample: Sample) -> None:
    expected = {
        ("tema:" + row["numeroPrecedente"], f"sumula:stj_{int(number)}")
        for row in temas()
        for number in re.findall(r"\d+", row["sumulaOriginada"])
    }
    assert ("tema:652", "sumula:stj_533") in expected
    assert len(expected) >= 30
    assert edges(sample.container, "ORIGINOU_SUMULA") == expected


def test_espelho_citations_become_cita_precedente_edges(sample: Sample) -> None:
    container = sample.container
    cites = edges(container, "CITA_PRECEDENTE")
    checked = 0
    for record in espelhos():
        source = processo_key(f"{record['siglaClasse']} {record['numeroProcesso']}")
        for cited in CITED.findall(record.get("jurisprudenciaCitada") or ""):
            assert (source, processo_key(cited)) in cites, (record["id"], cited)
            assert "jurisprudenciaCitada" in edge_fields(
                container, source, "CITA_PRECEDENTE", processo_key(cited)
            )
            checked += 1
    assert checked >= 14
    citing = next(r for r in espelhos() if "<<REsp 1465535>>-SP" in (r["jurisprudenciaCitada"] or ""))
    assert citing["id"] == "000816183"
    assert ("processo:edcl_no_agint_no_resp_1872357", "processo:resp_1465535") in cites


def test_referencias_legislativas_become_law_and_article_nodes(sample: Sample) -> None:
    container = sample.container
    references = edges(container, "REFERENCIA")
    belongs = edges(container, "PERTENCE_A")
    checked = 0
    for record in espelhos():
        source = processo_key(f"{record['siglaClasse']} {record['numeroProcesso']}")
        for text in record["referenciasLegislativas"] or []:
            for number, year, rest in LAW_BLOCK.findall(text):
                law = f"lei:{int(number)}_{year}"
                assert node(container, law).entity_type == "LEGISLACAO"
                for article in ARTICLE.findall(rest):
                    target = f"{law}:art_{int(article)}"
                    assert node(container, target).entity_type == "LEGISLACAO"
                    assert (source, target) in references, (record["id"], target)
                    assert (target, law) in belongs
                    fields = edge_fields(container, source, "REFERENCIA", target)
                    assert "referenciasLegislativas" in fields
                    checked += 1
    assert checked >= 10
    cpc = "processo:edcl_no_agint_no_resp_1872357"
    assert {(cpc, "lei:13105_2015"), (cpc, "lei:13105_2015:art_85")} <= references


def test_tema_1172_leading_case_joins_the_integras(sample: Sample) -> None:
    leading = next(r for r in processos() if r["numeroPrecedente"] == "1172" and r["leadingCase"] == "S")
    registro = leading["numeroRegistro"]
    integras = json.loads((SAMPLE / INTEGRAS / "metadados20230515.json").read_text(encoding="utf-8"))
    published = {str(r["seqDocumento"]) for r in integras if r["numeroRegistro"] == registro}
    assert leading["Processo"] == "REsp 2003716" and published
    with session_scope(sample.container.sessions) as session:
        documents = session.execute(
            select(Document.key, Document.kind, Document.processo).where(Document.numero_registro == registro)
        ).all()
        kinds = set(
            session.scalars(
                select(Document.kind)
                .join(Mention, Mention.document_id == Document.id)
                .where(Mention.target_kind == "node", Mention.target_id == processo_key(leading["Processo"]))
            )
        )
    assert {key for key, _, _ in documents} == {"tema:1172"} | {f"integra:{seq}" for seq in published}
    assert {processo for _, _, processo in documents} == {"REsp 2003716"}
    assert {"tema", "integra"} <= kinds
    assert ("processo:resp_2003716", "tema:1172") in edges(sample.container, "LEADING_CASE_DE")
