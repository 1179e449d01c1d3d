"""Value types of the query engine: modes, citable sources, graph facts, reports, results.

Everything here is plain data. The service layer fills these from the database, the vector
store and the graph; the engine composes, numbers and checks answers from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from jurisgraph.kit.records import shallow_dict


class Mode(StrEnum):
    """How a question is answered."""

    NAIVE = "naive"
    LOCAL = "local"
    GLOBAL = "global"
    HYBRID = "hybrid"
    GRAPH = "graph"
    AUTO = "auto"


class SourceKind(StrEnum):
    """What a numbered source is: a record of the graph, a retrieved passage, a community report."""

    RECORD = "registro"
    PASSAGE = "trecho"
    COMMUNITY = "comunidade"


@dataclass(frozen=True, slots=True)
class Source:
    """Something a citation ``[n]`` resolves to, with what a lawyer needs to find it.

    ``key`` identifies the source within one question (a chunk id, a document span or a
    community id); ``start``/``end`` are character offsets in the document's text.
    """

    key: str
    kind: SourceKind
    document_key: str
    title: str
    text: str
    start: int | None = None
    end: int | None = None
    chunk_id: str | None = None
    processo: str | None = None
    orgao_julgador: str | None = None
    relator: str | None = None
    date: str | None = None
    stj_link: str | None = None
    source_url: str | None = None
    score: float = 0.0
    #: the page of a paged document (an upload, a portal PDF) the source starts on; ``page_url``
    #: opens an uploaded document's page
    page: int | None = None
    #: ``(number, start, end)`` of the uploaded document's pages the source covers (document offsets)
    pages: tuple[tuple[int, int, int], ...] = ()

    def at(self, start: int) -> int | None:
        """The page holding document offset ``start`` (this source's page when it has no spans)."""
        found = self.page
        for number, first, _ in self.pages:
            if first <= start:
                found = number
        return found

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data; ``page_url`` opens the page of an uploaded document's source."""
        data = shallow_dict(self)
        data["kind"] = str(self.kind)
        data.pop("pages")
        uploaded = self.source_url is not None and self.source_url.startswith("/documentos/")
        data["page_url"] = (
            f"{self.source_url}?pagina={self.page}" if uploaded and self.page is not None else None
        )
        return data


@dataclass(frozen=True, slots=True)
class Node:
    """A graph entity as the engine sees it."""

    key: str
    name: str
    type: str
    description: str = ""
    community_id: str | None = None
    mention_count: int = 0
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Fact:
    """A typed relation between two nodes, with the key of the source that states it (if any)."""

    edge_id: str
    source: str
    target: str
    type: str
    weight: float = 1.0
    description: str = ""
    hop: int = 1
    source_key: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """A community report (title, summary, findings) and its relevance to the question."""

    community_id: str
    level: int
    title: str
    summary: str
    findings: tuple[str, ...] = ()
    key_entities: tuple[str, ...] = ()
    rank: float = 0.0
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class LinkedEntity:
    """An entity named in the question: how it was found (``rule`` or ``name``) and how surely."""

    key: str
    name: str
    type: str
    start: int
    end: int
    how: str
    score: float

    @property
    def strong(self) -> bool:
        """Named exactly (a legal identifier, or every word of a graph name)."""
        return self.score >= 0.9


@dataclass(frozen=True, slots=True)
class Citation:
    """A number of the answer and the source it resolves to."""

    n: int
    source: Source

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data: the number and every field of the source."""
        return {"n": self.n, **self.source.as_dict()}


@dataclass(frozen=True, slots=True)
class Grounding:
    """Result of the grounding check of an answer against its numbered context."""

    cited: tuple[int, ...]
    unknown: tuple[int, ...]
    uncited_sentences: tuple[str, ...]
    sentences: int

    @property
    def ok(self) -> bool:
        """Every citation exists and every sentence carries one."""
        return not self.unknown and not self.uncited_sentences

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "ok": self.ok,
            "cited": list(self.cited),
            "unknown": list(self.unknown),
            "uncited_sentences": list(self.uncited_sentences),
            "sentences": self.sentences,
        }
