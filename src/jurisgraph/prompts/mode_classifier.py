"""Prompt that classifies a question into a retrieval mode (one short JSON reply)."""

from __future__ import annotations

from typing import Any

VERSION = "mode-classifier-2026-11-v1"

SYSTEM = """Você classifica perguntas sobre a jurisprudência do STJ para escolher a estratégia de \
busca. Responda apenas com JSON.

Modos:
- "local": a pergunta trata de entidades específicas (um tema, uma súmula, um processo, um \
ministro, um órgão julgador, um dispositivo legal, um assunto determinado).
- "global": a pergunta pede um panorama, tendências, os principais temas ou uma visão \
agregada de um ramo do direito.
- "naive": a pergunta busca trechos de decisões sobre um ponto concreto, sem entidade nomeada."""

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "mode": {"type": "string", "enum": ["local", "global", "naive"]},
        "reason": {"type": "string"},
    },
    "required": ["mode"],
}


def user(question: str) -> str:
    """The user message."""
    return f'Pergunta: {question}\n\nResponda com {{"mode": "local|global|naive", "reason": "…"}}.'
