"""Resource kinds from file names, and the parse_resource dispatcher."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from jurisgraph.engine.stj import ResourceKind, guess_kind, parse_path, parse_resource, resource_date
from jurisgraph.errors import InvalidInput

from .paths import INTEGRAS, PRECEDENTES, PRIMEIRA_TURMA

ESPELHOS_T1 = "espelhos-de-acordaos-primeira-turma"
INTEGRAS_SLUG = "integras-de-decisoes-terminativas-e-acordaos-do-diario-da-justica"


@pytest.mark.parametrize(
    ("name", "dataset", "kind"),
    [
        ("20220531.json", ESPELHOS_T1, ResourceKind.ESPELHO),
        ("20220531.json", None, ResourceKind.ESPELHO),
        (f"{ESPELHOS_T1}/20220630.json", None, ResourceKind.ESPELHO),
        ("20220508.zip", "espelhos-de-acordaos-corte-especial", ResourceKind.ESPELHO_ZIP),
        ("metadados20220901.json", None, ResourceKind.INTEGRA_METADATA),
        ("metadados20220901.json", INTEGRAS_SLUG, ResourceKind.INTEGRA_METADATA),
        ("20220901.zip", INTEGRAS_SLUG, ResourceKind.INTEGRA_TEXTS),
        ("temas.csv", "precedentes-qualificados", ResourceKind.PRECEDENTES),
        ("precedentes-qualificados/processos.csv", None, ResourceKind.PRECEDENTES_PROCESSOS),
        ("dicionario-espelhodoacordao.csv", ESPELHOS_T1, ResourceKind.DICTIONARY),
        ("dicionariointegrasdecisoes.csv", INTEGRAS_SLUG, ResourceKind.DICTIONARY),
        ("20220901.zip", None, None),
        ("ata.json", "atas-de-distribuicao", None),
        ("processos.csv", "acervo-em-tramitacao", None),
        ("leia-me.pdf", ESPELHOS_T1, ResourceKind.PUBLIC_DOCUMENT),
        ("ata-20240105.PDF", "atas-de-distribuicao", ResourceKind.PUBLIC_DOCUMENT),
        ("ata.docx", "atas-de-distribuicao", ResourceKind.PUBLIC_DOCUMENT),
        ("comunicado.htm", None, ResourceKind.PUBLIC_DOCUMENT),
        ("leia-me.txt", None, ResourceKind.PUBLIC_DOCUMENT),
        ("planilha.xlsx", "atas-de-distribuicao", None),
    ],
)
def test_guess_kind(name: str, dataset: str | None, kind: ResourceKind | None) -> None:
    assert guess_kind(name, dataset) == kind


@pytest.mark.parametrize(
    ("name", "fmt", "kind"),
    [
        ("Ata de distribuição de 05/01/2024", "PDF", ResourceKind.PUBLIC_DOCUMENT),
        ("Relação de processos", "html", ResourceKind.PUBLIC_DOCUMENT),
        ("Nota técnica", "DOCX", ResourceKind.PUBLIC_DOCUMENT),
        ("Relação de processos", "XLSX", None),
        ("Relação de processos", None, None),
        # a name that says what the file is wins over the format
        ("20220531.json", "PDF", ResourceKind.ESPELHO),
    ],
)
def test_guess_kind_reads_the_ckan_format(name: str, fmt: str | None, kind: ResourceKind | None) -> None:
    assert guess_kind(name, "atas-de-distribuicao" if kind is None else None, fmt) == kind


def test_resource_date() -> None:
    assert resource_date("metadados20230104.json") == date(2023, 1, 4)
    assert resource_date("x/20220531.json") == date(2022, 5, 31)
    assert resource_date("temas.csv") is None
    assert resource_date("20221399.json") is None


def test_dispatch_runs_the_right_parser() -> None:
    espelho = parse_resource(
        "espelho", (PRIMEIRA_TURMA / "20220531.json").read_bytes(), source_name="20220531.json"
    )
    assert len(espelho.documents) == 3
    temas = parse_resource(
        ResourceKind.PRECEDENTES,
        (PRECEDENTES / "temas.csv").read_bytes(),
        source_name="temas.csv",
        companion=(PRECEDENTES / "processos.csv").read_bytes(),
    )
    assert next(d for d in temas.documents if d.key == "tema:1076").meta.processo == "REsp 1850512"
    alone = parse_resource(ResourceKind.PRECEDENTES_PROCESSOS, b"anything", source_name="processos.csv")
    assert alone.documents == [] and alone.ok


def test_dispatch_attaches_integra_texts_from_the_companion_zip() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("92405171.txt", "Íntegra da decisão.".encode())
    result = parse_resource(
        "integra_metadata",
        (INTEGRAS / "metadados20230104.json").read_bytes(),
        source_name="metadados20230104.json",
        companion=buffer.getvalue(),
    )
    assert result.documents[0].text == "Íntegra da decisão."
    assert len(result.documents) == 12


def test_unknown_kind() -> None:
    with pytest.raises(InvalidInput):
        parse_resource("ata", b"[]", source_name="ata.json")


def test_parse_path_joins_the_processos_next_to_temas() -> None:
    result = parse_path(PRECEDENTES / "temas.csv")
    assert sum(len(d.fields["processos"]) for d in result.documents) == 1143
    assert len(parse_path(PRIMEIRA_TURMA / "20220630.json").documents) == 2
    with pytest.raises(InvalidInput):
        parse_path(PRECEDENTES.parent / "README.md")
