"""The structured results of the MCP tools (their output JSON schemas)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Result(BaseModel):
    """Base of results: unknown extra fields are kept."""

    model_config = ConfigDict(extra="allow")


class Ref(Result):
    """An entity of the graph: canonical key and name."""

    key: str = Field(description="Chave canônica (processo:resp_1850512, tema:1076, ministro:…).")
    name: str


class RecordRef(Result):
    """A source record (a document of the corpus)."""

    document: str = Field(description="Chave do registro (espelho:…, integra:…, tema:1076).")
    kind: str
    title: str
    date: str | None = None
    source_url: str | None = None


class TemaRef(Ref):
    """A tema a processo belongs to."""

    leading_case: bool = Field(description="O processo é leading case (recurso representativo) do tema.")


class ProcessCard(Result):
    """A processo with its relator, órgão, dates, ementa, citations and temas."""

    key: str
    name: str
    classe: str | None = None
    numero: int | None = None
    uf: str | None = None
    registro: str | None = None
    relator: list[Ref]
    orgao: list[Ref]
    data_decisao: str | None = None
    ultima_data: str | None = None
    ementa: str | None = Field(None, description="Trecho da ementa (espelho do acórdão), quando houver.")
    precedentes_citados: list[Ref]
    dispositivos: list[Ref] = Field(description="Leis e artigos referidos.")
    sumulas: list[Ref]
    temas: list[TemaRef]
    records: list[RecordRef]


class CaseRef(Ref):
    """A processo of a tema, with its relator."""

    relator: list[Ref]
    leading_case: bool


class TemaCard(Result):
    """A tema (precedente qualificado): tese, situação, leading cases and their relator, súmulas."""

    key: str
    name: str
    tipo: str | None = None
    numero: int | None = None
    situacao: str | None = None
    orgao: list[Ref]
    questao: str | None = Field(None, description="Questão submetida a julgamento.")
    tese: str | None = Field(None, description="Tese firmada (quando julgado).")
    data_afetacao: str | None = None
    data_julgamento: str | None = None
    leading_cases: list[CaseRef]
    processos: list[CaseRef]
    sumulas: list[Ref]
    record: RecordRef | None = None


class SumulaCard(Result):
    """A súmula: enunciado, situação, the temas it came from, who cites it."""

    key: str
    name: str
    enunciado: str
    situacao: str | None = None
    temas: list[Ref]
    citada_por: int = Field(description="Quantos registros do grafo a citam.")
    citantes: list[Ref]


class TemaItem(Result):
    """A tema of a list."""

    key: str
    name: str
    date: str | None = None
    numero: int | None = None
    orgao: str | None = None
    situacao: str | None = None
    record: str | None = None


class TemaList(Result):
    """Temas matching the filters."""

    total: int
    answer: str = Field(description="A frase da resposta, com as citações numeradas.")
    relator: str | None = Field(None, description="O ministro (chave) reconhecido no filtro relator.")
    temas: list[TemaItem]


class PassageOut(Result):
    """A retrieved passage with what a citation needs."""

    rank: int
    score: float
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
    source_url: str | None = None
    stj_link: str | None = None


class SearchResult(Result):
    """The best passages of a search."""

    query: str
    passages: list[PassageOut]


class CitationOut(Result):
    """A numbered source an answer cites."""

    n: int
    document_key: str
    title: str
    text: str = Field(description="O trecho citado.")
    processo: str | None = None
    orgao_julgador: str | None = None
    relator: str | None = None
    date: str | None = None
    stj_link: str | None = None
    source_url: str | None = None
    start: int | None = None
    end: int | None = None


class Answer(Result):
    """A cited answer (stored on the audit trail)."""

    query_id: int
    question: str
    mode: str
    answer_kind: str = Field(description="extractive (sem LLM) ou generative.")
    answer: str = Field(description="A resposta com citações numeradas [n].")
    note: str | None = None
    citations: list[CitationOut]
    grounded: bool = Field(description="Toda citação existe e toda frase tem uma.")


class NodeOut(Result):
    """A node of the graph."""

    id: str
    name: str
    type: str
    description: str | None = None
    mention_count: int = 0
    attributes: dict[str, Any] = Field(default_factory=dict)


class EdgeOut(Result):
    """A typed relation of the graph."""

    id: str
    source: str
    target: str
    type: str
    weight: float = 1.0


class Neighbourhood(Result):
    """Nodes and edges within ``depth`` hops of an entity."""

    center: str
    nodes: list[NodeOut]
    edges: list[EdgeOut]
