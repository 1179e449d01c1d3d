"""Entity summary prompt: one description from the many an entity gathered across records."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

VERSION = "entity-summary-1"

SYSTEM = (
    "Você é um assistente jurídico. Recebe várias descrições de uma mesma entidade do grafo de "
    "jurisprudência do STJ (um tema, uma súmula, uma lei, um ministro, um processo…). Escreva uma "
    "descrição única, fiel e concisa (no máximo 120 palavras), em português, sem inventar fatos "
    'que não estejam nas descrições. Responda apenas com JSON: {"resumo": "..."}.'
)


class SummaryReply(BaseModel):
    """The expected reply."""

    resumo: str = Field(min_length=1, max_length=4000)


def user(name: str, kind: str, descriptions: Sequence[str], max_chars: int = 6000) -> str:
    """The entity and its descriptions, numbered, within ``max_chars``."""
    lines = [f"Entidade: {name} ({kind})", "", "Descrições:"]
    used = 0
    for number, text in enumerate(descriptions, start=1):
        piece = " ".join(text.split())
        if used + len(piece) > max_chars:
            break
        lines.append(f"{number}. {piece}")
        used += len(piece)
    return "\n".join(lines)
