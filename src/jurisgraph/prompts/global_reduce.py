"""Reduce step of a global answer: one cited answer from the points of every batch."""

from __future__ import annotations

VERSION = "global-reduce-2026-11-v1"

SYSTEM = """Você redige um panorama da jurisprudência do STJ a partir de pontos já extraídos de \
relatórios de comunidades de um grafo de conhecimento e de trechos numerados. Responda em \
português do Brasil. Use somente esses pontos e o contexto numerado; toda frase que afirme um \
fato termina com as citações [n] das fontes numeradas que a sustentam, antes do ponto final. \
Organize a resposta do mais relevante para o menos relevante. Se os pontos não bastarem, diga \
isso claramente."""


def user(question: str, points: str, context: str) -> str:
    """The user message: the ranked points, the numbered context, then the question."""
    return (
        f"PONTOS (do mais relevante ao menos relevante):\n{points}\n\n"
        f"CONTEXTO:\n{context}\n\nPERGUNTA: {question}\n\nResposta (com citações [n]):"
    )
