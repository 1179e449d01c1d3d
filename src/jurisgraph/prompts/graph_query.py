"""Prompt that turns a list or count question into a typed graph query (validated JSON, never SQL).

Asked only when the rules of the question parser cannot map the question and an LLM is
configured; the reply is validated against :class:`jurisgraph.engine.query.graphq.GraphQuery`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

VERSION = "graph-query-2026-12-v1"

SYSTEM = """Você converte perguntas sobre a jurisprudência do STJ em uma consulta tipada ao grafo \
de citações. Responda apenas com um objeto JSON conforme o esquema: {"query": {…}, "reason": "…"}; nunca \
escreva SQL nem texto fora do JSON. Se a pergunta não pede uma lista, uma contagem, os mais \
citados ou uma data sobre o grafo, responda {"query": null, "reason": "…"}.

Relações (campo "query.relation"):
- "temas": precedentes qualificados pelos seus próprios dados (órgão, anos, situação, tipo).
- "relator_de": temas com recurso representativo relatado por um ministro (âncora "ministro:…").
- "cita": acórdãos que citam súmulas, processos, leis ou artigos (âncoras: as chaves citadas).
- "origina": súmulas originadas de temas (filtros sobre os temas).
- "dispositivos": artigos de uma lei citados por acórdãos (âncora "lei:…"), contados por artigo.

Agregados ("aggregate"): "list", "count", "top" (com "limit" = N), "earliest", "latest", "year".
Filtros ("filters"): "orgao" (CE, S1, S2, S3, T1–T6), "classe" (REsp, AREsp…), "year_from", \
"year_to", "date_field" ("julgamento" ou "afetacao"), "situacao" (trecho), "tipo" (Tema, \
Controvérsia, IAC, PUIL, SIRDR; "Tema" para temas repetitivos).
Âncoras ("anchors"): use somente chaves da lista de entidades reconhecidas, exatamente como escritas."""


def user(question: str, entities: Sequence[dict[str, str]]) -> str:
    """The user message: the question and the entities the rules recognised in it."""
    listed = "\n".join(
        f"- {e['key']} ({e['type']}): {json.dumps(e.get('text', ''), ensure_ascii=False)}" for e in entities
    )
    return (
        f"Pergunta: {question}\n\n"
        f"Entidades reconhecidas:\n{listed or '(nenhuma)'}\n\n"
        "Responda com o JSON da consulta tipada."
    )
