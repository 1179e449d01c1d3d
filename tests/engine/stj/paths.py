"""Paths to the real STJ files used by the parser tests (import relatively: ``from .paths import ...``)."""

from __future__ import annotations

from tests.fixtures.paths import BROKEN, SAMPLE, SHARED_DATA, shared_file

FIXTURES = BROKEN
SHARED = SHARED_DATA
PRIMEIRA_TURMA = SAMPLE / "espelhos-de-acordaos-primeira-turma"
PRIMEIRA_SECAO = SAMPLE / "espelhos-de-acordaos-primeira-secao"
INTEGRAS = SAMPLE / "integras-de-decisoes-terminativas-e-acordaos-do-diario-da-justica"
PRECEDENTES = SAMPLE / "precedentes-qualificados"

__all__ = [
    "FIXTURES",
    "INTEGRAS",
    "PRECEDENTES",
    "PRIMEIRA_SECAO",
    "PRIMEIRA_TURMA",
    "SAMPLE",
    "SHARED",
    "shared_file",
]
