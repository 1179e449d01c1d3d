"""Core value types shared by every engine module.

Pure data: no I/O, no database, no configuration. Keys are canonical and deterministic
(``processo:resp_1465535``, ``lei:13105_2015:art_85``) so that re-running any stage never
duplicates anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class EntityType(StrEnum):
    """Entity types of the legal knowledge graph."""

    MINISTRO = "MINISTRO"
    PROCESSO = "PROCESSO"
    ORGAO_JULGADOR = "ORGAO_JULGADOR"
    TEMA = "TEMA"
    LEGISLACAO = "LEGISLACAO"
    PARTE = "PARTE"
    PRECEDENTE = "PRECEDENTE"
    DECISAO = "DECISAO"
    CONCEITO_JURIDICO = "CONCEITO_JURIDICO"
    SUMULA = "SUMULA"
    ASSUNTO = "ASSUNTO"


class RelationType(StrEnum):
    """Typed edges of the legal knowledge graph."""

    RELATOR_DE = "RELATOR_DE"
    JULGADO_POR = "JULGADO_POR"
    REFERENCIA = "REFERENCIA"
    CITA_PRECEDENTE = "CITA_PRECEDENTE"
    TRATA_DE = "TRATA_DE"
    SIMILAR_A = "SIMILAR_A"
    PERTENCE_A = "PERTENCE_A"
    PARTE_EM = "PARTE_EM"
    FUNDAMENTA = "FUNDAMENTA"
    APLICA = "APLICA"
    CONTRARIA = "CONTRARIA"
    CONFIRMA = "CONFIRMA"
    VOTOU_EM = "VOTOU_EM"
    LEADING_CASE_DE = "LEADING_CASE_DE"
    ORIGINOU_SUMULA = "ORIGINOU_SUMULA"
    DECIDIU = "DECIDIU"


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """Typed metadata of one source record (all optional; dates are real dates)."""

    processo: str | None = None  # as lawyers write it: "REsp 1.465.535/SP"
    processo_key: str | None = None  # canonical key: "processo:resp_1465535"
    classe: str | None = None  # "REsp", "AgInt no AREsp"
    numero_registro: str | None = None  # 12 digits: "201401650346"
    relator: str | None = None  # as published: "HERMAN BENJAMIN"
    orgao_julgador: str | None = None  # as published: "PRIMEIRA SEÇÃO"
    data_decisao: date | None = None
    data_publicacao: date | None = None
    temas: tuple[int, ...] = ()
    tipo: str | None = None  # "ACÓRDÃO", "DECISÃO", "TEMA", ...
    source_url: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """One parsed record, ready to chunk and extract.

    ``key`` is unique and stable across runs (``espelho:000389583``, ``integra:163410022``,
    ``tema:1076``); ``text`` is what gets chunked and cited (character offsets refer to it);
    ``fields`` keeps the structured fields the deterministic extractor reads.
    """

    key: str
    kind: str  # espelho | integra | tema | precedente_processo | ata | upload
    title: str
    text: str
    meta: DocumentMeta
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A span of a document's text: ``text == document.text[start:end]``."""

    document_key: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    """A graph node contribution: canonical ``key``, display ``name`` as lawyers write it."""

    key: str
    type: EntityType
    name: str
    description: str = ""
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Relation:
    """A directed, typed edge contribution between two entity keys."""

    source: str
    target: str
    type: RelationType
    weight: float = 1.0
    description: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    """Where an entity or relation was found in a document.

    ``start``/``end`` are character offsets in ``SourceDocument.text`` when the fact came
    from the text, or ``None`` when it came from a structured field (``field`` names it).
    ``target`` is an entity key, or for relations ``"<source>|<TYPE>|<target>"``.
    """

    target: str
    start: int | None = None
    end: int | None = None
    field: str | None = None


@dataclass(slots=True)
class Extraction:
    """Everything one extractor found in one document."""

    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    def extend(self, other: Extraction) -> None:
        """Append everything ``other`` found."""
        self.entities.extend(other.entities)
        self.relations.extend(other.relations)
        self.mentions.extend(other.mentions)


def relation_key(source: str, type_: RelationType | str, target: str) -> str:
    """Stable key of an edge, used by mentions and as the edge's identity."""
    return f"{source}|{type_}|{target}"
