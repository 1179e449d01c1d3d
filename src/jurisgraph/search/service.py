"""Retrieval service: passages with their full citation metadata.

``hybrid`` fuses dense (semantic) and sparse (BM25, legal identifiers kept) candidates with
RRF; ``dense`` and ``sparse`` exist for comparison. Filters restrict to readable
workspaces and to dataset, órgão julgador, relator, classe and a date range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

from jurisgraph.engine.legal import find_mentions
from jurisgraph.engine.types import EntityType
from jurisgraph.engine.vectors import FieldIn, Filter, SearchHit
from jurisgraph.errors import InvalidInput
from jurisgraph.pipeline.stages.index import CHUNK_KIND
from jurisgraph.runtime import Container

Mode = Literal["hybrid", "dense", "sparse"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "sparse")
MAX_K = 100
IDENTIFIER_TYPES = frozenset(
    {EntityType.TEMA, EntityType.SUMULA, EntityType.PROCESSO, EntityType.LEGISLACAO, EntityType.PRECEDENTE}
)
STJ_SEARCH_URL = "https://scon.stj.jus.br/SCON/pesquisar.jsp?b=ACOR&livre="


@dataclass(frozen=True)
class SearchFilters:
    """Optional restrictions of a search (all conjunctive)."""

    dataset: str | None = None
    orgao_julgador: str | None = None
    relator: str | None = None
    classe: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class Passage:
    """One retrieved chunk with what a citation needs."""

    rank: int
    score: float
    chunk_id: str
    document_key: str
    title: str
    text: str
    start: int
    end: int
    processo: str | None = None
    orgao_julgador: str | None = None
    relator: str | None = None
    classe: str | None = None
    date: str | None = None
    dataset: str | None = None
    source_url: str | None = None
    stj_link: str | None = None
    temas: list[Any] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return asdict(self)


def build_filter(workspace_ids: Sequence[int], filters: SearchFilters) -> Filter:
    """The vector-store filter for readable workspaces and the given restrictions."""
    if not workspace_ids:
        raise InvalidInput("no readable workspace")
    flt = Filter.where(
        workspace_id=list(workspace_ids),
        dataset=filters.dataset,
        orgao_julgador=filters.orgao_julgador,
        relator=filters.relator,
        classe=filters.classe,
    )
    if filters.date_from or filters.date_to:
        flt = flt.between("date", filters.date_from, filters.date_to)
    return flt


def search(
    container: Container,
    query: str,
    workspace_ids: Sequence[int],
    *,
    mode: Mode = "hybrid",
    k: int = 10,
    filters: SearchFilters | None = None,
) -> list[Passage]:
    """The ``k`` best passages for ``query``."""
    query = query.strip()
    if not query:
        raise InvalidInput("empty query")
    if len(query) > 2000:
        raise InvalidInput("query too long (2,000 characters at most)")
    if mode not in MODES:
        raise InvalidInput(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
    k = max(1, min(k, MAX_K))
    index = container.vector_index()
    if index.resolve_alias(CHUNK_KIND) is None:
        return []
    flt = build_filter(workspace_ids, filters or SearchFilters())
    dense = container.embedder().embed_query(query) if mode != "sparse" else None
    sparse = container.sparse_encoder().encode_query(query) if mode != "dense" else None

    def run(where: Filter) -> list[SearchHit]:
        if mode == "sparse" and sparse is not None:
            return index.search_sparse(CHUNK_KIND, sparse, filter=where, limit=k)
        if mode == "dense" and dense is not None:
            return index.search_dense(CHUNK_KIND, dense, filter=where, limit=k)
        return index.search_hybrid(CHUNK_KIND, dense=dense, sparse=sparse, filter=where, limit=k)

    hits = run(flt)
    keys = identifier_keys(query) if mode != "dense" else []
    if keys:
        # exact legal identifiers beat similarity: passages carrying them come first, and
        # among those the records that are about them (the tema itself, the process itself)
        pinned = run(flt.and_(FieldIn("entities", tuple(keys))))
        pinned.sort(key=lambda hit: not set(keys) & set(hit.payload.get("subjects") or []))
        seen = {hit.id for hit in pinned}
        hits = (pinned + [hit for hit in hits if hit.id not in seen])[:k]
    return [to_passage(rank, hit) for rank, hit in enumerate(hits, start=1)]


def identifier_keys(query: str) -> list[str]:
    """Canonical keys of the exact identifiers a query names (temas, súmulas, processos, articles).

    A law cited through one of its articles counts only as the article.
    """
    keys = [m.entity.key for m in find_mentions(query) if m.entity.type in IDENTIFIER_TYPES]
    laws_of_articles = {key.rsplit(":art_", 1)[0] for key in keys if ":art_" in key}
    return sorted({key for key in keys if key not in laws_of_articles})


def to_passage(rank: int, hit: SearchHit) -> Passage:
    """A search hit as a citable passage."""
    p = hit.payload
    processo = p.get("processo")
    return Passage(
        rank=rank,
        score=round(float(hit.score), 6),
        chunk_id=str(p.get("chunk_id", hit.id)),
        document_key=str(p.get("document_key", "")),
        title=str(p.get("title", "")),
        text=str(p.get("text", "")),
        start=int(p.get("start") or 0),
        end=int(p.get("end") or 0),
        processo=processo,
        orgao_julgador=p.get("orgao_julgador"),
        relator=p.get("relator"),
        classe=p.get("classe"),
        date=p.get("date"),
        dataset=p.get("dataset") or None,
        source_url=p.get("source_url"),
        stj_link=STJ_SEARCH_URL + processo.replace(" ", "+") if processo else None,
        temas=list(p.get("temas") or []),
    )
