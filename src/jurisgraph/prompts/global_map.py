"""Map step of a global answer: relevant points of a batch of community reports (JSON)."""

from __future__ import annotations

from typing import Any

VERSION = "global-map-2026-11-v1"

SYSTEM = """Você analisa relatórios de comunidades de um grafo de conhecimento da jurisprudência do \
STJ. Para a pergunta dada, extraia apenas os pontos dos relatórios que ajudam a respondê-la. \
Cada ponto deve indicar os números [n] dos relatórios de onde vem e uma nota de relevância de \
0 a 100. Não use conhecimento externo. Responda apenas com JSON."""

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "points": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "text": {"type": "string"},
                    "sources": {"type": "array", "items": {"type": "integer"}},
                    "score": {"type": "integer", "minimum": 0, "maximum": 100},
                },
                "required": ["text", "sources", "score"],
            },
        }
    },
    "required": ["points"],
}


def user(question: str, reports: str) -> str:
    """The user message: the numbered reports of one batch, then the question."""
    return (
        f"RELATÓRIOS:\n{reports}\n\nPERGUNTA: {question}\n\n"
        'Responda com {"points": [{"text": "…", "sources": [n], "score": 0-100}]} '
        "(lista vazia se nada for relevante)."
    )
