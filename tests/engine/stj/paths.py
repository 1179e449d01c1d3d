"""Paths to the real STJ files used by the parser tests (import relatively: ``from .paths import ...``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.shared_data import SHARED_DATA

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "src" / "jurisgraph" / "sample"
FIXTURES = ROOT / "tests" / "data" / "stj"
SHARED = SHARED_DATA
PRIMEIRA_TURMA = SAMPLE / "espelhos-de-acordaos-primeira-turma"
PRIMEIRA_SECAO = SAMPLE / "espelhos-de-acordaos-primeira-secao"
INTEGRAS = SAMPLE / "integras-de-decisoes-terminativas-e-acordaos-do-diario-da-justica"
PRECEDENTES = SAMPLE / "precedentes-qualificados"


def shared_file(relative: str) -> Path:
    """A file of the full shared data folder; the test is skipped where that folder is absent."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is not available on this machine")
    return path
