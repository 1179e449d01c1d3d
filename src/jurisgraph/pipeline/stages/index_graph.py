"""index (graph part): entity descriptions and community reports into their own collections.

Every entity and report gets a sparse point (names and identifiers are found exactly);
dense vectors go to entities with a substantive description (temas' theses, súmulas'
enunciados…) and to the best-ranked community reports, through the embedding cache. Entities
named by an identifier (processes, decisions, statutes, precedents, ministers, órgãos, parties)
get none: their descriptions are templates around the identifier ("Agravo interno … julgado
pela Primeira Turma em …"), whose vectors carry no meaning for retrieval (no search reads the
entity collection's dense vectors today); they were 68% of the entity descriptions embedded
for the bundled sample and 20% for the whole precedentes-qualificados dataset. Points
of entities or communities that no longer exist are deleted, so the collections mirror the
graph after every run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from jurisgraph.db import session_scope
from jurisgraph.engine.embedding import Embedder
from jurisgraph.engine.vectors import (
    ENTITY_KIND,
    REPORT_KIND,
    CollectionSpec,
    Filter,
    VectorIndex,
    VectorPoint,
)
from jurisgraph.metrics import measured_stage
from jurisgraph.pipeline.context import PipelineContext
from jurisgraph.pipeline.repository import communities, graph

MIN_DESCRIPTION = 40
#: entity types named by an identifier: sparse only (exact names), no dense vector
IDENTIFIER_NAMED = frozenset(
    {"PROCESSO", "DECISAO", "LEGISLACAO", "PRECEDENTE", "MINISTRO", "ORGAO_JULGADOR", "PARTE"}
)
DENSE_REPORTS = 300
BATCH = 256


@dataclass(frozen=True)
class _Item:
    id: str
    text: str
    dense: bool
    payload: dict[str, Any]


@measured_stage("index_graph")
def run(
    ctx: PipelineContext,
    index: VectorIndex,
    embedder: Embedder | None,
    spec_for: Callable[[str], CollectionSpec],
) -> tuple[int, int]:
    """Mirror entities and reports into their collections; returns (entities, reports) written."""
    workspace = str(ctx.workspace_id)
    entities = _entities(ctx, workspace)
    reports = _reports(ctx, workspace)
    return (
        _mirror(ctx, index, spec_for(ENTITY_KIND), entities, embedder, workspace),
        _mirror(ctx, index, spec_for(REPORT_KIND), reports, embedder, workspace),
    )


def _entities(ctx: PipelineContext, workspace: str) -> list[_Item]:
    with session_scope(ctx.container.sessions) as session:
        rows = graph.nodes(session, ctx.workspace_id)
    items = []
    for key, name, kind, description, mentions, community in rows:
        text = f"{name}\n{description}" if description else name
        items.append(
            _Item(
                id=f"entity:{workspace}:{key}",
                text=text,
                dense=wants_dense(kind, description),
                payload={
                    "workspace_id": workspace,
                    "entity_id": key,
                    "name": name,
                    "type": kind,
                    "description": (description or "")[:2000],
                    "mention_count": mentions,
                    "community_id": community,
                    "entities": [key],
                },
            )
        )
    return items


def wants_dense(kind: str, description: str | None) -> bool:
    """Whether an entity gets a dense vector: a substantive description, not an identifier's."""
    return kind not in IDENTIFIER_NAMED and len(description or "") >= MIN_DESCRIPTION


def _reports(ctx: PipelineContext, workspace: str) -> list[_Item]:
    with session_scope(ctx.container.sessions) as session:
        rows = communities.ranked(session, ctx.workspace_id)
    items = []
    for position, (cid, level, title, summary, report, rank, key_entities) in enumerate(rows):
        keys = [k.get("id") for k in (key_entities or []) if isinstance(k, dict) and k.get("id")]
        items.append(
            _Item(
                id=f"report:{workspace}:{cid}",
                text=f"{title}\n{summary or ''}",
                dense=position < DENSE_REPORTS,
                payload={
                    "workspace_id": workspace,
                    "community_id": cid,
                    "level": level,
                    "title": title,
                    "summary": summary,
                    "report": (report or "")[:6000],
                    "rank": rank,
                    "entities": keys,
                },
            )
        )
    return items


def _mirror(
    ctx: PipelineContext,
    index: VectorIndex,
    spec: CollectionSpec,
    items: Sequence[_Item],
    embedder: Embedder | None,
    workspace: str,
) -> int:
    index.ensure_collection(spec)
    if index.resolve_alias(spec.alias) is None:
        index.set_alias(spec.alias, spec)
    wanted = {item.id for item in items}
    stale = [
        p.id for p in index.scroll(spec, filter=Filter.where(workspace_id=workspace)) if p.id not in wanted
    ]
    if stale:
        index.delete(spec, stale)
    encoder = ctx.container.sparse_encoder()
    for start in range(0, len(items), BATCH):
        if ctx.should_stop():
            break
        part = items[start : start + BATCH]
        sparse = encoder.encode_documents([item.text for item in part])
        dense_rows = [i for i, item in enumerate(part) if item.dense]
        matrix = (
            embedder.embed_documents([part[i].text for i in dense_rows])
            if embedder is not None and dense_rows
            else None
        )
        dense_of = {i: matrix[n] for n, i in enumerate(dense_rows)} if matrix is not None else {}
        index.upsert(
            spec,
            [
                VectorPoint(id=item.id, sparse=sparse[i], dense=dense_of.get(i), payload=item.payload)
                for i, item in enumerate(part)
            ],
        )
        ctx.progress(spec.kind, start + len(part), len(items), "")
    return len(items)
