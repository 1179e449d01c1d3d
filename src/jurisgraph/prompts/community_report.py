"""Prompt of an LLM community report: a Portuguese summary of one community of the graph."""

from __future__ import annotations

from pydantic import BaseModel, Field

VERSION = "community-report-2026-11-v1"


class CommunityReportReply(BaseModel):
    """The report the model returns."""

    title: str = Field(min_length=1, max_length=300)
    summary: str = Field(min_length=1)
    full_report: str = Field(min_length=1)
    findings: list[str] = Field(default_factory=list)
    rating: float = Field(ge=0.0, le=10.0)


SYSTEM = """Você é um analista de jurisprudência do Superior Tribunal de Justiça (STJ). Recebe uma \
comunidade de um grafo de conhecimento jurídico (entidades, relações e trechos) e escreve um \
relatório em português do Brasil. Responda somente com JSON válido no formato pedido:
- "title": título curto que nomeie o assunto central (processo, tema, instituto);
- "summary": resumo de 2 a 4 frases;
- "full_report": relatório de alguns parágrafos;
- "findings": de 3 a 6 constatações objetivas, cada uma uma frase;
- "rating": importância jurídica de 0 a 10.
Use apenas as informações fornecidas; não invente números de processo, nomes ou teses."""


def user(members: list[str], relations: list[str], passages: list[str]) -> str:
    """The user message: members (name, type, description), relations as sentences, passages."""
    parts = ["ENTIDADES:", *(f"- {m}" for m in members), "", "RELAÇÕES:"]
    parts += [f"- {r}" for r in relations] or ["- (nenhuma)"]
    parts += ["", "TRECHOS:"]
    parts += [f"[{i}] {p}" for i, p in enumerate(passages, start=1)] or ["(nenhum)"]
    parts += ["", "Escreva o relatório da comunidade em JSON."]
    return "\n".join(parts)
