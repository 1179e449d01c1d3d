"""Memoised entity builders for the text rules (the same law or súmula recurs in many texts).

The returned :class:`Entity` objects are shared: treat them, and their attributes, as read-only.
"""

from __future__ import annotations

from functools import lru_cache

from jurisgraph.engine.legal import entities
from jurisgraph.engine.legal.ministros import MinistroRef
from jurisgraph.engine.legal.orgaos import OrgaoRef
from jurisgraph.engine.legal.processos import ProcessoRef
from jurisgraph.engine.types import Entity

_SIZE = 4096


@lru_cache(maxsize=_SIZE)
def law(key: str) -> Entity:
    """Law node."""
    return entities.law_entity(key)


@lru_cache(maxsize=_SIZE)
def article(law_key: str, numero: int, suffix: str = "") -> Entity:
    """Article node."""
    return entities.article_entity(law_key, numero, suffix)


@lru_cache(maxsize=_SIZE)
def sumula(key: str) -> Entity:
    """Súmula node."""
    return entities.sumula_entity(key)


@lru_cache(maxsize=_SIZE)
def tema(key: str) -> Entity:
    """Tema node (no thesis: the text rules do not know it)."""
    return entities.tema_entity(key)


@lru_cache(maxsize=_SIZE)
def processo(ref: ProcessoRef) -> Entity:
    """Process node."""
    return entities.processo_entity(ref)


@lru_cache(maxsize=_SIZE)
def ministro(ref: MinistroRef) -> Entity:
    """Minister node."""
    return entities.ministro_entity(ref)


@lru_cache(maxsize=64)
def orgao(ref: OrgaoRef) -> Entity:
    """Órgão node."""
    return entities.orgao_entity(ref)
