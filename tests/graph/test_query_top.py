"""Top-N dispositivos: the rows are the ones the full walk (the list of every cited
dispositivo) ranks first, with the same counts, citing processos and records, under every
filter (órgão spellings, neighbours of its LIKE pattern, year ranges), on every database.
A faster way to rank (counting in SQL, a maintained aggregate) must keep this true."""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from sqlalchemy import create_engine

from jurisgraph.db import Session, build_sessionmaker, session_scope
from jurisgraph.engine.query.graphq import Aggregate, Filters, GraphQuery, Relation
from jurisgraph.engine.query.graphq.answer import natural_key
from jurisgraph.graph import query_service
from jurisgraph.migrations import upgrade
from jurisgraph.models import Document, GraphEdge, GraphNode, Mention
from jurisgraph.workspaces.service import ensure_public_workspace

LAW = "lei:13105_2015"
#: spellings of the same órgão (they fold alike) and other órgãos, one a LIKE-neighbour
ORGAOS = ("PRIMEIRA TURMA", "Primeira Turma", "PRIMEIRA  TURMA", "QUARTA TURMA", "QUINTA TURMA", None)
FILTERS = (
    Filters(),
    Filters(orgao="T1"),
    Filters(orgao="T4"),
    Filters(orgao="T5"),
    Filters(orgao="T3"),
    Filters(year_from=2019),
    Filters(orgao="T1", year_from=2016, year_to=2020),
)


def _graph(session: Session, seed: int) -> list[int]:
    """Processos citing the law's articles (skewed, so counts differ and tie), through
    espelhos with assorted órgão spellings and dates; some with two espelhos; citations stated
    only in a free-text field, by a tema record, or from a non-processo source, which never count."""
    rng = random.Random(seed)
    ws = ensure_public_workspace(session)

    made: set[str] = set()

    def edge(source: str, kind: str, target: str) -> str:
        eid = hashlib.sha1(f"{source}|{kind}|{target}".encode()).hexdigest()
        if eid not in made:
            made.add(eid)
            session.add(
                GraphEdge(
                    workspace_id=ws,
                    edge_id=eid,
                    source_entity_id=source,
                    target_entity_id=target,
                    relationship_type=kind,
                )
            )
        return eid

    def record(key: str, kind: str, orgao: str | None, day: date | None, processo: str) -> int:
        doc = Document(
            workspace_id=ws,
            key=key,
            kind=kind,
            title=key,
            text_content=key,
            content_hash=hashlib.sha256(key.encode()).hexdigest(),
            processo=processo,
            orgao_julgador=orgao,
            data_decisao=day,
            status="processed",
        )
        session.add(doc)
        session.flush()
        return doc.id

    def mention(document_id: int, eid: str, field: str = "referenciasLegislativas") -> None:
        session.add(
            Mention(workspace_id=ws, document_id=document_id, target_kind="edge", target_id=eid, field=field)
        )

    session.add(GraphNode(workspace_id=ws, entity_id=LAW, name="CPC/2015", entity_type="LEGISLACAO"))
    articles = [f"{LAW}:art_{n}" for n in (1, 2, 10, 85, 489, 1022)]
    for art in articles:
        session.add(GraphNode(workspace_id=ws, entity_id=art, name=art, entity_type="LEGISLACAO"))
        edge(art, "PERTENCE_A", LAW)
    n = 0
    for i in range(80):
        processo = f"processo:resp_{1000 + i}"
        cited = {articles[min(int(len(articles) ** rng.random()) - 1, len(articles) - 1)] for _ in range(3)}
        edges = [edge(processo, "REFERENCIA", art) for art in sorted(cited)]
        for _ in range(1 + (rng.random() < 0.3)):
            n += 1
            day = date(2014, 1, 1) + timedelta(days=rng.randrange(9 * 365)) if rng.random() < 0.9 else None
            doc = record(f"espelho:{n:05d}", "espelho", rng.choice(ORGAOS), day, f"REsp {1000 + i}")
            for eid in edges:
                mention(doc, eid, "referenciasLegislativas" if rng.random() < 0.85 else "ementa")
    tema = record("tema:1", "tema", "PRIMEIRA TURMA", date(2020, 1, 1), "REsp 1")
    mention(tema, edge("processo:resp_1000", "REFERENCIA", articles[-1]))
    mention(tema, edge("tema:1", "REFERENCIA", articles[-1]))
    return [ws]


def test_top_dispositivos_are_the_full_walks_first_rows(empty_db_url: str) -> None:
    upgrade(empty_db_url)
    engine = create_engine(empty_db_url)
    try:
        with session_scope(build_sessionmaker(engine)) as session:
            ws = _graph(session, seed=17)
            compared = 0
            for filters in FILTERS:
                listed = query_service.run(
                    session, ws, GraphQuery(relation=Relation.DISPOSITIVOS, anchors=(LAW,), filters=filters)
                )
                ranked = sorted(listed.rows, key=lambda r: (-(r.count or 0), natural_key(r.key)))
                for limit in (1, 3, 10):
                    query = GraphQuery(
                        relation=Relation.DISPOSITIVOS,
                        anchors=(LAW,),
                        filters=filters,
                        aggregate=Aggregate.TOP,
                        limit=limit,
                    )
                    top = query_service.run(session, ws, query)
                    assert [r.as_dict() for r in top.rows] == [r.as_dict() for r in ranked[:limit]]
                    assert top.value == [r.key for r in ranked[:limit]]
                    compared += len(top.rows)
            assert compared > 20
    finally:
        engine.dispose()
