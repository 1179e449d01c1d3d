"""Lazy access to the reference tables bundled in ``jurisgraph.engine.legal.data``.

Each table is read once, on first use, with :mod:`importlib.resources`, and cached for the
life of the process; nothing is read at import time.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

_PACKAGE = "jurisgraph.engine.legal.data"


@cache
def load(name: str) -> Any:
    """The parsed JSON content of one bundled file (``"normas.json"``, ...)."""
    text = resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


def classes() -> list[dict[str, Any]]:
    """Known class siglas: ``sigla``, ``nome``, ``tribunal``, ``ambigua``, ``incidental``."""
    return list(load("classes.json")["classes"])


def long_forms() -> dict[str, str]:
    """Folded long class names (``"recurso especial"``) → sigla."""
    return dict(load("classes.json")["formas_extensas"])


def recursos() -> dict[str, str]:
    """Íntegras ``recurso`` values (``"AGRAVO INTERNO"``) → incidental class sigla."""
    return dict(load("classes.json")["recursos"])


def ministros() -> list[dict[str, Any]]:
    """Ministers and judges: ``slug``, ``nome``, ``aliases`` (folded) and optional civil data."""
    return list(load("ministros.json")["ministros"])


def not_ministers() -> frozenset[str]:
    """Folded relator strings that do not name a person."""
    return frozenset(load("ministros.json")["nao_ministros"])


def orgaos() -> list[dict[str, Any]]:
    """The ten judging bodies: ``codigo``, ``nome``, ``exibicao``, ``secao``, ``materia``."""
    return list(load("orgaos.json")["orgaos"])


def normas() -> list[dict[str, Any]]:
    """Known norms with their key, names, siglas and STJ siglas."""
    return list(load("normas.json")["normas"])


def sumulas_stj() -> dict[str, list[str]]:
    """STJ súmula number (as text) → ``[enunciado, status]``."""
    data: dict[str, list[str]] = load("sumulas_stj.json")
    return data


def assuntos() -> dict[str, str]:
    """CNJ TPU subject code (as text) → subject name."""
    data: dict[str, str] = load("assuntos_cnj.json")
    return data
