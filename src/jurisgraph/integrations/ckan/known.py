"""The STJ datasets the service knows by slug, used when the portal will not list them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DatasetCategory(StrEnum):
    """What kind of records a dataset holds."""

    ESPELHOS = "espelhos"
    INTEGRAS = "integras"
    PRECEDENTES = "precedentes"
    ATAS = "atas"


@dataclass(frozen=True, slots=True)
class KnownDataset:
    """A dataset slug with its title, category and, for espelhos, the órgão julgador code."""

    slug: str
    title: str
    category: DatasetCategory
    orgao: str | None = None


def _espelhos(suffix: str, name: str, orgao: str) -> KnownDataset:
    return KnownDataset(
        slug=f"espelhos-de-acordaos-{suffix}",
        title=f"Espelhos de Acórdãos - {name}",
        category=DatasetCategory.ESPELHOS,
        orgao=orgao,
    )


KNOWN_DATASETS: tuple[KnownDataset, ...] = (
    KnownDataset("atas-de-distribuicao", "Atas de Distribuição", DatasetCategory.ATAS),
    _espelhos("corte-especial", "Corte Especial", "CE"),
    _espelhos("primeira-secao", "Primeira Seção", "S1"),
    _espelhos("segunda-secao", "Segunda Seção", "S2"),
    _espelhos("terceira-secao", "Terceira Seção", "S3"),
    _espelhos("primeira-turma", "Primeira Turma", "T1"),
    _espelhos("segunda-turma", "Segunda Turma", "T2"),
    _espelhos("terceira-turma", "Terceira Turma", "T3"),
    _espelhos("quarta-turma", "Quarta Turma", "T4"),
    _espelhos("quinta-turma", "Quinta Turma", "T5"),
    _espelhos("sexta-turma", "Sexta Turma", "T6"),
    KnownDataset(
        "integras-de-decisoes-terminativas-e-acordaos-do-diario-da-justica",
        "Íntegras de Decisões Terminativas e Acórdãos do Diário da Justiça",
        DatasetCategory.INTEGRAS,
    ),
    KnownDataset("precedentes-qualificados", "Precedentes Qualificados", DatasetCategory.PRECEDENTES),
)

KNOWN_SLUGS: tuple[str, ...] = tuple(dataset.slug for dataset in KNOWN_DATASETS)

_BY_SLUG = {dataset.slug: dataset for dataset in KNOWN_DATASETS}


def known_dataset(slug: str) -> KnownDataset | None:
    """The known dataset with this slug, or None."""
    return _BY_SLUG.get(slug)
