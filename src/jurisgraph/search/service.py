"""Retrieval service: passages with their full citation metadata.

``hybrid`` fuses dense (semantic) and sparse (BM25, legal identifiers kept) candidates with
RRF; ``dense`` and ``sparse`` exist for comparison. Filters restrict to readable
workspaces and to dataset, órgão julgador, relator, classe and a date range. Searches read
only the vector store, through the clients of a :class:`~jurisgraph.runtime.Retrieval`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from jurisgraph.engine.legal import find_mentions
from jurisgraph.engine.types import EntityType
from jurisgraph.engine.vectors import CHUNK_KIND, FieldIn, Filter, SearchHit
from jurisgraph.errors import InvalidInput
from jurisgraph.kit.records import shallow_dict
from jurisgraph.runtime import Retrieval

Mode = Literal["hybrid", "dense", "sparse"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "sparse")
MAX_K = 100
IDENTIFIER_TYPES = frozenset(
    {EntityType.TEMA, EntityType.SUMULA, EntityType.PROCESSO, EntityType.LEGISLACAO, EntityType.PRECEDENTE}
)
#: a query of at most this many words, or whose identifiers cover this share of it, is "about" them
SHORT_QUERY_WORDS = 8
IDENTIFIER_SHARE = 0.35
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
    #: the page of an uploaded document the passage starts on
    page: int | None = None
    #: ``[number, start, end]`` of the uploaded document's pages the passage covers
    pages: list[list[int]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data (its lists are the passage's own)."""
        return shallow_dict(self)


def build_filter(workspace_ids: Sequence[int], filters: SearchFilters) -> Filter:
    """The vector-store filter for readable workspaces and the given restrictions."""
    if not workspace_ids:
        raise InvalidInput("no readable workspace")
    flt = Filter.where(
        workspace_id=[str(w) for w in workspace_ids],
        dataset=filters.dataset,
        orgao_julgador=filters.orgao_julgador,
        relator=filters.relator,
        classe=filters.classe,
    )
    if filters.date_from or filters.date_to:
        flt = flt.between("date", filters.date_from, filters.date_to)
    return flt


def search(
    retrieval: Retrieval,
    query: str,
    workspace_ids: Sequence[int],
    *,
    mode: Mode = "hybrid",
    k: int = 10,
    filters: SearchFilters | None = None,
) -> list[Passage]:
    """The ``k`` best passages for ``query`` in ``workspace_ids`` (none when no workspace is readable)."""
    query = query.strip()
    if not query:
        raise InvalidInput("empty query")
    if len(query) > 2000:
        raise InvalidInput("query too long (2,000 characters at most)")
    if mode not in MODES:
        raise InvalidInput(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
    k = max(1, min(k, MAX_K))
    if not workspace_ids:
        return []
    index = retrieval.vector_index()
    if index.resolve_alias(CHUNK_KIND) is None:
        return []
    flt = build_filter(workspace_ids, filters or SearchFilters())
    dense = retrieval.embedder().embed_query(query) if mode != "sparse" else None
    sparse = retrieval.sparse_encoder().encode_query(query) if mode != "dense" else None

    def run(where: Filter) -> list[SearchHit]:
        if mode == "sparse" and sparse is not None:
            return index.search_sparse(CHUNK_KIND, sparse, filter=where, limit=k)
        if mode == "dense" and dense is not None:
            return index.search_dense(CHUNK_KIND, dense, filter=where, limit=k)
        return index.search_hybrid(CHUNK_KIND, dense=dense, sparse=sparse, filter=where, limit=k)

    hits = run(flt)
    keys, about = identifier_keys(query) if mode != "dense" else ([], False)
    if keys:
        carrying = run(flt.and_(FieldIn("entities", tuple(keys))))
        if about:
            # the query is about these identifiers: records carrying them come first, and
            # among those the records that are them (the tema itself, the process itself)
            carrying.sort(key=lambda hit: not set(keys) & set(hit.payload.get("subjects") or []))
            seen = {hit.id for hit in carrying}
            hits = (carrying + [hit for hit in hits if hit.id not in seen])[:k]
        else:
            # a question that cites identifiers: records carrying them gain a third ranked list
            hits = rrf_merge([hits, carrying], k)
    return [to_passage(rank, hit) for rank, hit in enumerate(hits, start=1)]


def rrf_merge(rankings: Sequence[Sequence[SearchHit]], k: int, rrf_k: int = 60) -> list[SearchHit]:
    """Reciprocal-rank fusion of ranked lists (ties by id); scores are the fused ones."""
    fused: dict[str, float] = {}
    first: dict[str, SearchHit] = {}
    for ranking in rankings:
        for rank, hit in enumerate(ranking, start=1):
            fused[hit.id] = fused.get(hit.id, 0.0) + 1.0 / (rrf_k + rank)
            first.setdefault(hit.id, hit)
    ordered = sorted(fused, key=lambda hit_id: (-fused[hit_id], hit_id))[:k]
    return [SearchHit(id=hit_id, score=fused[hit_id], payload=first[hit_id].payload) for hit_id in ordered]


def identifier_keys(query: str) -> tuple[list[str], bool]:
    """Canonical keys of the exact identifiers a query names, and whether it is *about* them.

    A query is about its identifiers when it is short or mostly made of them ("Tema 1.076",
    "qual o relator do REsp 1.850.512/SP?"); a long question that merely cites an article is
    not. A law cited through one of its articles counts only as the article.
    """
    mentions = [m for m in find_mentions(query) if m.entity.type in IDENTIFIER_TYPES]
    if not mentions:
        return [], False
    covered = len({i for m in mentions for i in range(m.start, m.end)})
    about = len(query.split()) <= SHORT_QUERY_WORDS or covered >= IDENTIFIER_SHARE * len(query)
    keys = [m.entity.key for m in mentions]
    laws_of_articles = {key.rsplit(":art_", 1)[0] for key in keys if ":art_" in key}
    return sorted({key for key in keys if key not in laws_of_articles}), about


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
        page=int(p["page"]) if isinstance(p.get("page"), int) else None,
        pages=[[int(n) for n in span] for span in p.get("pages") or []],
    )
