"""The typed graph query: what a list or count question asks of the citation graph.

A :class:`GraphQuery` names a relation path (a fixed walk over typed edges), the anchors it
starts from (canonical entity keys), filters on what it reaches and an aggregate. It is plain,
validated data: the question parser, an LLM fallback (validated JSON, never SQL), the CLI and
the HTTP API all produce one, and the graph service runs it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Relation(StrEnum):
    """The relation paths a graph query can walk."""

    TEMAS = "temas"
    """tema → julgado por → órgão: precedentes qualificados by their own facts."""
    RELATOR = "relator_de"
    """ministro → relator de → processo → leading case de | afetado em → tema."""
    CITA = "cita"
    """processo (acórdão) → cita | referencia | aplica → súmula, precedente, lei or artigo."""
    ORIGINA = "origina"
    """tema → originou → súmula."""
    DISPOSITIVOS = "dispositivos"
    """processo (acórdão) → referencia → artigo → pertence a → lei (counted per artigo)."""


class Aggregate(StrEnum):
    """What the answer is: the list, its size, the top N by count, or one end of it by date."""

    LIST = "list"
    COUNT = "count"
    TOP = "top"
    EARLIEST = "earliest"
    LATEST = "latest"
    YEAR = "year"
    """The year of the (earliest) row's date: "em que ano …"."""


class DateField(StrEnum):
    """Which date of a tema a year filter or an ordering reads."""

    JULGAMENTO = "julgamento"
    AFETACAO = "afetacao"


TIPOS = ("Tema", "Controvérsia", "IAC", "PUIL", "SIRDR")
ORGAOS = ("CE", "S1", "S2", "S3", "T1", "T2", "T3", "T4", "T5", "T6")


class Filters(BaseModel):
    """Filters on what the walk reaches; every one optional."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    orgao: str | None = Field(None, max_length=80, description="Código do órgão julgador: CE, S1–S3, T1–T6.")
    classe: str | None = Field(
        None, max_length=80, description="Classe processual do processo citante (REsp, AREsp…)."
    )
    year_from: int | None = Field(None, ge=1900, le=2100)
    year_to: int | None = Field(None, ge=1900, le=2100)
    date_field: DateField = DateField.JULGAMENTO
    situacao: str | None = Field(None, max_length=80, description="Situação do tema (trecho).")
    tipo: str | None = Field(
        None, max_length=80, description="Tipo de precedente: Tema, Controvérsia, IAC, PUIL, SIRDR."
    )

    @model_validator(mode="after")
    def _known(self) -> Filters:
        if self.orgao is not None and self.orgao not in ORGAOS:
            raise ValueError(f"unknown órgão {self.orgao!r}; use one of {', '.join(ORGAOS)}")
        if self.tipo is not None and self.tipo not in TIPOS:
            raise ValueError(f"unknown tipo {self.tipo!r}; use one of {', '.join(TIPOS)}")
        if self.year_from and self.year_to and self.year_from > self.year_to:
            raise ValueError("year_from is after year_to")
        return self

    def in_years(self, year: int | None) -> bool:
        """Whether ``year`` passes the year range (no range: always; no year: only then)."""
        if self.year_from is None and self.year_to is None:
            return True
        if year is None:
            return False
        return (self.year_from or 0) <= year <= (self.year_to or 9999)


class GraphQuery(BaseModel):
    """A typed graph query: relation path, anchors, filters, aggregate."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    relation: Relation
    anchors: tuple[Annotated[str, Field(max_length=300)], ...] = Field(
        default=(), max_length=8, description="Canonical entity keys."
    )
    filters: Filters = Field(default_factory=Filters)
    aggregate: Aggregate = Aggregate.LIST
    limit: int = Field(10, ge=1, le=1000, description="N of a top-N; rows shown of a list.")

    @model_validator(mode="after")
    def _anchored(self) -> GraphQuery:
        needs = {Relation.RELATOR: "ministro:", Relation.CITA: "", Relation.DISPOSITIVOS: ""}
        prefix = needs.get(self.relation)
        if prefix is not None and not any(a.startswith(prefix) for a in self.anchors):
            raise ValueError(f"relation {self.relation.value} needs an anchor {prefix or 'entity'}…")
        for anchor in self.anchors:
            if ":" not in anchor or len(anchor) > 191:
                raise ValueError(f"anchor {anchor!r} is not an entity key")
        return self

    def describe(self) -> dict[str, Any]:
        """JSON-ready data (what the reasoning chain stores)."""
        return self.model_dump(mode="json")
