"""Reranking prompt: order retrieved passages by how well they answer the question."""

from __future__ import annotations

from collections.abc import Sequence

VERSION = "rerank-1"

SYSTEM = (
    "Você é um assistente jurídico que avalia trechos de decisões e precedentes do STJ. "
    "Ordene os trechos do mais útil ao menos útil para responder à pergunta. "
    'Responda apenas com JSON no formato {"ordem": [números dos trechos]}.'
)

SCHEMA = {
    "type": "object",
    "properties": {"ordem": {"type": "array", "items": {"type": "integer"}}},
    "required": ["ordem"],
}


def user(question: str, passages: Sequence[str], max_chars: int = 600) -> str:
    """The question and the numbered passages (each cut to ``max_chars``)."""
    lines = [f"Pergunta: {question}", "", "Trechos:"]
    for number, text in enumerate(passages, start=1):
        lines.append(f"[{number}] {' '.join(text.split())[:max_chars]}")
    return "\n".join(lines)
