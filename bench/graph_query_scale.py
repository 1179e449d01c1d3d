"""Latency of the graph query mode's typed queries on a synthetic graph of about a million edges.

Usage: python bench/graph_query_scale.py [--home /tmp/graphq-scale] [--acordaos 150000] [--runs 15]

Builds (once per home) a SQLite database with the project's migrations and bulk-inserts a
graph shaped like the real one: órgãos, ministros, temas (with their typed metadata and
their own records), súmulas, leis and their artigos, and acórdãos (processos with an espelho
record each) that have a relator, an órgão and cite súmulas, precedents and artigos (skewed:
a few targets are cited very often, as Súmula 7 is). Every citing edge is stated by its
espelho (a mention in the structured field, as ingestion writes it); every recurso
representativo by its tema's record. Then runs each pattern's typed query ``--runs`` times
and prints p50 / p95 against the 200 ms target, plus the query plan of the edge walks
(``--plans``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import summary
from graph_corpus import settings_for

from jurisgraph import migrations
from jurisgraph.db import Session, insert_rows, session_scope
from jurisgraph.engine.query.graphq import Aggregate, DateField, Filters, GraphQuery, Relation
from jurisgraph.graph import query_service
from jurisgraph.models import Document, GraphEdge, GraphNode, Mention
from jurisgraph.runtime import Container
from jurisgraph.workspaces.service import ensure_public_workspace

ORGAOS = {
    "ce": "CORTE ESPECIAL",
    "s1": "PRIMEIRA SEÇÃO",
    "s2": "SEGUNDA SEÇÃO",
    "s3": "TERCEIRA SEÇÃO",
    "t1": "PRIMEIRA TURMA",
    "t2": "SEGUNDA TURMA",
    "t3": "TERCEIRA TURMA",
    "t4": "QUARTA TURMA",
    "t5": "QUINTA TURMA",
    "t6": "SEXTA TURMA",
}
SITUACOES = ("Trânsito em Julgado", "Trânsito em Julgado", "Cancelado", "Afetado", "Sobrestado")
BATCH = 20_000
TARGET_MS = 200.0


def edge_id(source: str, kind: str, target: str) -> str:
    return hashlib.sha1(f"{source}|{kind}|{target}".encode()).hexdigest()


def skewed(rng: random.Random, n: int) -> int:
    """An index in [0, n) with a heavy head (about Zipf's law)."""
    return min(int(n ** rng.random()) - 1, n - 1)


class Graph:
    """Rows to insert, deduplicated by key."""

    def __init__(self, workspace: int) -> None:
        self.ws = workspace
        self.now = datetime.now(UTC).replace(tzinfo=None)
        self.nodes: dict[str, tuple[Any, ...]] = {}
        self.edges: dict[str, tuple[Any, ...]] = {}
        self.documents: list[tuple[Any, ...]] = []
        self.mentions: list[tuple[str, str, str]] = []  # document key, edge id, field

    def node(self, key: str, name: str, kind: str, meta: dict[str, Any] | None = None) -> None:
        if key not in self.nodes:
            self.nodes[key] = (
                self.ws,
                key,
                name,
                kind,
                "stj",
                1,
                json.dumps(meta or {}, ensure_ascii=False),
                self.now,
                self.now,
            )

    def edge(
        self, source: str, kind: str, target: str, stated_by: str | None = None, field: str = ""
    ) -> None:
        eid = edge_id(source, kind, target)
        if eid not in self.edges:
            self.edges[eid] = (self.ws, eid, source, target, kind, 1.0, 1, self.now, self.now)
        if stated_by:
            self.mentions.append((stated_by, eid, field))

    def document(
        self,
        key: str,
        kind: str,
        title: str,
        processo: str,
        orgao: str,
        day: date | None,
        relator: str | None = None,
    ) -> None:
        text = f"{title}. Registro sintético do banco de medida de latência."
        self.documents.append(
            (
                self.ws,
                key,
                kind,
                title,
                text,
                hashlib.sha256(key.encode()).hexdigest(),
                processo,
                relator,
                orgao,
                day,
                "processed",
                0,
                0,
                self.now,
                self.now,
            )
        )


def generate(workspace: int, acordaos: int, seed: int = 17) -> Graph:
    rng = random.Random(seed)
    g = Graph(workspace)
    for code, name in ORGAOS.items():
        g.node(f"orgao:{code}", name, "ORGAO_JULGADOR", {"codigo": code.upper(), "nome_publicado": name})
    ministros = [f"ministro:sintetico_{i}" for i in range(80)]
    for i, key in enumerate(ministros):
        g.node(key, f"MINISTRO SINTÉTICO {i}", "MINISTRO", {})
    sumulas = [f"sumula:stj_{n}" for n in range(1, 651)]
    for n, key in enumerate(sumulas, start=1):
        g.node(key, f"Súmula {n}/STJ", "SUMULA", {"tribunal": "STJ"})
    articles: list[str] = []
    laws = [f"lei:{10000 + i}_{1990 + i % 30}" for i in range(40)]
    for law in laws:
        g.node(law, law, "LEGISLACAO", {"nivel": "lei"})
        for a in range(1, 151):
            art = f"{law}:art_{a}"
            g.node(art, f"art. {a}", "LEGISLACAO", {"nivel": "artigo", "lei": law, "artigo": str(a)})
            g.edge(art, "PERTENCE_A", law)
            articles.append(art)
    processos = [f"processo:resp_{1_000_000 + i}" for i in range(acordaos)]
    turmas = ["t1", "t2", "t3", "t4", "t5", "t6", "s1", "s2", "s3", "ce"]
    for i, key in enumerate(processos):
        numero = 1_000_000 + i
        orgao = turmas[skewed(rng, len(turmas))]
        ministro = ministros[skewed(rng, len(ministros))]
        day = date(2010, 1, 1) + timedelta(days=rng.randrange(15 * 365))
        espelho = f"espelho:{numero:09d}"
        g.node(key, f"REsp {numero}", "PROCESSO", {"classe": "REsp", "numero": numero})
        g.document(
            espelho,
            "espelho",
            f"REsp {numero} — {ORGAOS[orgao]}",
            f"REsp {numero}",
            ORGAOS[orgao],
            day,
            ministro,
        )
        g.edge(ministro, "RELATOR_DE", key, espelho, "ministroRelator")
        g.edge(key, "JULGADO_POR", f"orgao:{orgao}", espelho, "nomeOrgaoJulgador")
        for _ in range(2):
            art = articles[skewed(rng, len(articles))]
            g.edge(key, "REFERENCIA", art, espelho, "referenciasLegislativas")
            g.edge(key, "REFERENCIA", art.rsplit(":", 1)[0], espelho, "referenciasLegislativas")
        if i > 0:
            g.edge(key, "CITA_PRECEDENTE", processos[skewed(rng, i)], espelho, "jurisprudenciaCitada")
        if rng.random() < 0.7:
            g.edge(key, "APLICA", sumulas[skewed(rng, len(sumulas))], espelho, "referenciasLegislativas")
    secoes = ["s1", "s1", "s1", "s2", "s2", "s3", "ce"]
    for n in range(1, 3001):
        tipo = "Tema" if n <= 2000 else "Controvérsia"
        key = f"tema:{n}" if tipo == "Tema" else f"tema:controversia_{n - 2000}"
        orgao = secoes[rng.randrange(len(secoes))]
        afetado = date(2008, 1, 1) + timedelta(days=rng.randrange(16 * 365))
        julgado = afetado + timedelta(days=rng.randrange(60, 900)) if rng.random() < 0.85 else None
        meta = {
            "tipo": tipo,
            "numero": n,
            "situacao": SITUACOES[rng.randrange(len(SITUACOES))],
            "orgao": f"orgao:{orgao}",
            "data_afetacao": afetado.isoformat(),
            "data_julgamento": julgado.isoformat() if julgado else None,
        }
        g.node(key, f"{tipo} {n}/STJ", "TEMA", meta)
        lead = processos[rng.randrange(len(processos))]
        g.document(
            key,
            "tema",
            f"{tipo} {n}/STJ — {ORGAOS[orgao]}",
            lead.replace("processo:resp_", "REsp "),
            ORGAOS[orgao],
            julgado,
        )
        g.edge(key, "JULGADO_POR", f"orgao:{orgao}", key, "orgaoJulgador")
        for _ in range(2):
            g.edge(processos[rng.randrange(len(processos))], "LEADING_CASE_DE", key, key, "processos")
        if rng.random() < 0.1:
            g.edge(key, "ORIGINOU_SUMULA", sumulas[rng.randrange(len(sumulas))], key, "sumulaOriginada")
    return g


def chunks(rows: list[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def build(home: Path, acordaos: int) -> Container:
    settings = settings_for(home)
    marker = home / "graphq-scale.done"
    if not marker.exists():
        home.mkdir(parents=True, exist_ok=True)
        migrations.upgrade(settings.database_url)
    container = Container.build(settings)
    if marker.exists():
        migrations.upgrade(settings.database_url)
        return container
    started = time.perf_counter()
    with session_scope(container.sessions) as session:
        workspace = ensure_public_workspace(session)
    g = generate(workspace, acordaos)
    print(
        f"generated {len(g.nodes):,} nodes, {len(g.edges):,} edges, {len(g.documents):,} records, "
        f"{len(g.mentions):,} mentions in {time.perf_counter() - started:.0f} s"
    )
    with session_scope(container.sessions) as session:
        node_cols = (
            "workspace_id",
            "entity_id",
            "name",
            "entity_type",
            "source",
            "mention_count",
            "metadata",
            "created_at",
            "updated_at",
        )
        for part in chunks(list(g.nodes.values())):
            insert_rows(session, GraphNode.__table__, node_cols, part, encoded=("metadata",))
        edge_cols = (
            "workspace_id",
            "edge_id",
            "source_entity_id",
            "target_entity_id",
            "relationship_type",
            "weight",
            "mention_count",
            "created_at",
            "updated_at",
        )
        for part in chunks(list(g.edges.values())):
            insert_rows(session, GraphEdge.__table__, edge_cols, part)
        doc_cols = (
            "workspace_id",
            "key",
            "kind",
            "title",
            "text_content",
            "content_hash",
            "processo",
            "relator",
            "orgao_julgador",
            "data_decisao",
            "status",
            "chunk_count",
            "entity_count",
            "created_at",
            "updated_at",
        )
        for part in chunks(g.documents):
            insert_rows(session, Document.__table__, doc_cols, part)
        ids = dict(
            session.execute(Document.__table__.select().with_only_columns(Document.key, Document.id)).all()
        )
        mention_rows = [
            (workspace, ids[doc], "edge", eid, field, 1, "rules") for doc, eid, field in g.mentions
        ]
        for part in chunks(mention_rows):
            insert_rows(
                session,
                Mention.__table__,
                ("workspace_id", "document_id", "target_kind", "target_id", "field", "count", "extractor"),
                part,
            )
    with container.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
    marker.write_text("ok\n")
    print(f"built in {time.perf_counter() - started:.0f} s: {home}")
    return container


def queries(session: Session, ws: list[int]) -> dict[str, GraphQuery]:
    """One typed query per pattern, anchored on the busiest entities (worst cases)."""

    def busiest(kind: str, column: str, like: str) -> str:
        sql = (
            f"select {column} from graph_edges where relationship_type = '{kind}' and {column} like '{like}' "
            f"group by {column} order by count(*) desc limit 1"
        )
        return str(session.connection().exec_driver_sql(sql).scalar())

    ministro = busiest("RELATOR_DE", "source_entity_id", "ministro:%")
    sumula = busiest("APLICA", "target_entity_id", "sumula:%")
    precedente = busiest("CITA_PRECEDENTE", "target_entity_id", "processo:%")
    law = busiest("REFERENCIA", "target_entity_id", "lei:%")
    law = law.split(":art_")[0] if ":art_" in law else law
    year = Filters(year_from=2015, year_to=2015)
    return {
        "relator_orgao_list": GraphQuery(
            relation=Relation.RELATOR, anchors=(ministro,), filters=Filters(orgao="S1", tipo="Tema")
        ),
        "relator_count": GraphQuery(
            relation=Relation.RELATOR,
            anchors=(ministro,),
            filters=Filters(tipo="Tema"),
            aggregate=Aggregate.COUNT,
        ),
        "orgao_ano_list": GraphQuery(
            relation=Relation.TEMAS, filters=Filters(orgao="S1", year_from=2015, year_to=2015, tipo="Tema")
        ),
        "orgao_afetacao_count": GraphQuery(
            relation=Relation.TEMAS,
            filters=Filters(
                orgao="S2", year_from=2013, year_to=2013, date_field=DateField.AFETACAO, tipo="Tema"
            ),
            aggregate=Aggregate.COUNT,
        ),
        "temas_situacao_count": GraphQuery(
            relation=Relation.TEMAS,
            filters=Filters(situacao="Cancelad", tipo="Tema"),
            aggregate=Aggregate.COUNT,
        ),
        "sumulas_origem_list": GraphQuery(
            relation=Relation.ORIGINA,
            filters=Filters(year_from=2013, year_to=2013, date_field=DateField.AFETACAO, tipo="Tema"),
        ),
        "em_que_ano": GraphQuery(relation=Relation.TEMAS, anchors=("tema:1076",), aggregate=Aggregate.YEAR),
        "primeiro": GraphQuery(
            relation=Relation.TEMAS,
            filters=Filters(orgao="CE", tipo="Tema", date_field=DateField.AFETACAO),
            aggregate=Aggregate.EARLIEST,
        ),
        "cita_sumula_count": GraphQuery(
            relation=Relation.CITA,
            anchors=(sumula,),
            filters=Filters(orgao="T1", year_from=2020),
            aggregate=Aggregate.COUNT,
        ),
        "cita_sumula_list": GraphQuery(relation=Relation.CITA, anchors=(sumula,), filters=year),
        "cita_processo_list": GraphQuery(relation=Relation.CITA, anchors=(precedente,)),
        "dispositivos_top": GraphQuery(
            relation=Relation.DISPOSITIVOS,
            anchors=(law,),
            filters=Filters(orgao="T1"),
            aggregate=Aggregate.TOP,
            limit=5,
        ),
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    out: list[float] = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        out.append((time.perf_counter() - started) * 1000)
    return out, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, default=Path("/tmp/graphq-scale"))
    parser.add_argument("--acordaos", type=int, default=150_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", default="", help="comma-separated patterns")
    summary.add_option(parser)
    args = parser.parse_args()
    container = build(args.home, args.acordaos)
    try:
        with session_scope(container.sessions) as session:
            edges = session.connection().exec_driver_sql("select count(*) from graph_edges").scalar()
            ws = [int(w) for w in session.connection().exec_driver_sql("select id from workspaces").scalars()]
            print(f"graph: {edges:,} edges")
            print(f"{'pattern':<24} {'rows':>7} {'p50 ms':>8} {'p95 ms':>8} {'target':>7} {'p95/target':>10}")
            worst = 0.0
            figures: dict[str, float] = {"edges": edges}
            for name, query in queries(session, ws).items():
                if args.only and name not in args.only.split(","):
                    continue
                query_service.run(session, ws, query)  # warm the page cache once
                times, result = timed(lambda q=query: query_service.run(session, ws, q), args.runs)
                p50, p95 = statistics.median(times), percentile(times, 0.95)
                worst = max(worst, p95)
                figures |= {f"{name}.p50_ms": p50, f"{name}.p95_ms": p95}
                print(
                    f"{name:<24} {result.total:>7} {p50:>8.1f} {p95:>8.1f} {TARGET_MS:>7.0f} "
                    f"{p95 / TARGET_MS:>10.2f}"
                )
            print(f"worst p95 {worst:.1f} ms (target < {TARGET_MS:.0f} ms)")
            summary.write(args.summary, figures | {"worst_p95_ms": worst})
    finally:
        container.close()


if __name__ == "__main__":
    main()
