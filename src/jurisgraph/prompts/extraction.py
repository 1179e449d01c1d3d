"""Prompt of LLM entity and relation extraction from one chunk of an STJ document (Portuguese)."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, Field

VERSION = "extraction-2026-11-v1"

EntityKind = Literal[
    "MINISTRO",
    "PROCESSO",
    "ORGAO_JULGADOR",
    "TEMA",
    "LEGISLACAO",
    "PARTE",
    "PRECEDENTE",
    "DECISAO",
    "CONCEITO_JURIDICO",
    "SUMULA",
]
RelationKind = Literal[
    "RELATOR_DE",
    "JULGADO_POR",
    "REFERENCIA",
    "CITA_PRECEDENTE",
    "TRATA_DE",
    "SIMILAR_A",
    "PERTENCE_A",
    "PARTE_EM",
    "FUNDAMENTA",
    "APLICA",
    "CONTRARIA",
    "CONFIRMA",
]

ENTITY_TYPES: tuple[str, ...] = get_args(EntityKind)
RELATION_TYPES: tuple[str, ...] = get_args(RelationKind)


class ExtractedEntity(BaseModel):
    """One entity named in the passage."""

    name: str = Field(min_length=1, max_length=300)
    type: EntityKind
    description: str = ""


class ExtractedRelation(BaseModel):
    """A relation between two entities of the same reply, by their names."""

    source: str = Field(min_length=1)
    target: str = Field(min_length=1)
    type: RelationKind
    description: str = ""
    strength: float = Field(0.5, ge=0.0, le=1.0)


class ExtractionReply(BaseModel):
    """What the model returns for one passage."""

    entities: list[ExtractedEntity] = Field(default_factory=list)
    relations: list[ExtractedRelation] = Field(default_factory=list)


SYSTEM = f"""Você extrai um grafo de conhecimento jurídico de textos do Superior Tribunal de \
Justiça (STJ). Responda somente com JSON válido no formato pedido, em português do Brasil.

Tipos de entidade: {", ".join(ENTITY_TYPES)}.
- MINISTRO: ministro do STJ (ex.: "Og Fernandes").
- PROCESSO: número de processo como citado (ex.: "REsp 1.850.512/SP").
- ORGAO_JULGADOR: turma, seção ou Corte Especial (ex.: "Primeira Turma").
- TEMA: tema repetitivo (ex.: "Tema 1.076/STJ"). SUMULA: súmula (ex.: "Súmula 7/STJ").
- LEGISLACAO: dispositivo ou lei (ex.: "art. 85, § 8º, do CPC/2015").
- PARTE: parte do processo (pessoa, empresa, ente público).
- PRECEDENTE: julgado citado como precedente. DECISAO: o resultado do julgamento.
- CONCEITO_JURIDICO: instituto ou tese jurídica (ex.: "honorários advocatícios por equidade").

Tipos de relação: {", ".join(RELATION_TYPES)}.

Regras:
1. Extraia apenas o que o trecho afirma; não invente números, nomes nem datas.
2. Use nos campos "source" e "target" das relações exatamente o "name" de uma entidade listada.
3. "description" resume em uma frase o papel da entidade ou da relação no trecho.
4. "strength" (0 a 1) é a força da relação no trecho.
5. Sem entidades, responda {{"entities": [], "relations": []}}."""


def user(title: str, passage: str) -> str:
    """The user message: the document's title and the passage to read."""
    return f"DOCUMENTO: {title}\n\nTRECHO:\n{passage}\n\nExtraia as entidades e relações do trecho em JSON."


GLEANING = """Algumas entidades ou relações do trecho podem ter ficado de fora. Releia o trecho e \
responda, no mesmo formato JSON, somente com entidades e relações NOVAS (que não estão na resposta \
anterior). Se nada faltou, responda {"entities": [], "relations": []}."""
