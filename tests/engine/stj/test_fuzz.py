"""Property tests of the STJ parsers: garbage in, a result or a documented error out, never a crash.

The parsers report bad input as ``errors`` and ``skipped`` entries of their result; the only
exceptions they may raise belong to the house hierarchy (:class:`JurisgraphError`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from jurisgraph.engine.stj.espelhos import parse_espelhos
from jurisgraph.engine.stj.integras import parse_integra_metadata
from jurisgraph.engine.stj.precedentes import parse_precedentes
from jurisgraph.engine.stj.results import ParseResult
from jurisgraph.errors import JurisgraphError

ESPELHO_FIELDS = [
    "id",
    "numeroProcesso",
    "numeroRegistro",
    "siglaClasse",
    "descricaoClasse",
    "nomeOrgaoJulgador",
    "ministroRelator",
    "dataPublicacao",
    "ementa",
    "tipoDeDecisao",
    "dataDecisao",
    "decisao",
    "jurisprudenciaCitada",
    "notas",
    "informacoesComplementares",
    "termosAuxiliares",
    "teseJuridica",
    "referenciasLegislativas",
    "acordaosSimilares",
    "tema",
]
INTEGRA_FIELDS = [
    "seqDocumento",
    "dataPublicacao",
    "tipoDocumento",
    "numeroRegistro",
    "processo",
    "dataRecebimento",
    "dataDistribuicao",
    "ministro",
    "recurso",
    "teor",
    "descricaoMonocratica",
    "assuntos",
]
TEMA_COLUMNS = [
    "sequencialPrecedente",
    "tipoPrecedente",
    "numeroPrecedente",
    "dataPrimeiraAfetacao",
    "dataJulgamento",
    "dataPublicacaoAcordao",
    "situacao",
    "questaoSubmetidaAJulgamento",
    "teseFirmada",
    "orgaoJulgador",
    "sumulaOriginada",
    "numeroRepercussaoGeralSTF",
    "descricaoRepercussaoGeral",
]
PROCESSO_COLUMNS = [
    "sequencialPrecedente",
    "tipoPrecedente",
    "numeroPrecedente",
    "Processo",
    "numeroRegistro",
    "ministroRelator",
    "leadingCase",
    "NOME_MINISTRO_AFETACAO",
    "dataJulgamento",
]

# values shaped like the real ones, and worse
text = st.text(max_size=40)
numbers = st.one_of(st.integers(-(10**12), 10**13), st.floats(allow_nan=True, allow_infinity=True))
dates = st.sampled_from(
    ["19890912", "2022-05-16", "DJE        DATA:19/05/2022", "31/02/2022", "", "00000000"]
)
scalars = st.one_of(st.none(), st.booleans(), numbers, text, dates)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)


def records(fields: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(fields) | text, values, max_size=len(fields))


def must_not_crash(parse: Callable[[], ParseResult]) -> ParseResult | None:
    try:
        result = parse()
    except JurisgraphError:
        return None
    assert isinstance(result, ParseResult)
    return result


@given(st.binary(max_size=400))
def test_espelhos_parser_survives_any_bytes(data: bytes) -> None:
    must_not_crash(lambda: parse_espelhos(data, source_name="fuzz.json"))


@given(st.lists(st.one_of(records(ESPELHO_FIELDS), values), max_size=4))
def test_espelhos_parser_survives_odd_records(items: list[Any]) -> None:
    data = json.dumps(items, ensure_ascii=False).encode("utf-8")
    result = must_not_crash(lambda: parse_espelhos(data, source_name="fuzz.json"))
    if result is not None:
        assert all(d.key.startswith("espelho:") and d.key != "espelho:" for d in result.documents)
        assert len(result.documents) + len(result.skipped) >= 1 or not items


@given(st.binary(max_size=400))
def test_integras_metadata_parser_survives_any_bytes(data: bytes) -> None:
    must_not_crash(lambda: parse_integra_metadata(data, source_name="metadados.json"))


@given(st.lists(st.one_of(records(INTEGRA_FIELDS), values), max_size=4))
def test_integras_metadata_parser_survives_odd_records(items: list[Any]) -> None:
    data = json.dumps(items, ensure_ascii=False).encode("utf-8")
    result = must_not_crash(lambda: parse_integra_metadata(data, source_name="metadados.json"))
    if result is not None:
        assert all(d.key.startswith("integra:") for d in result.documents)


latin1 = st.text(st.characters(max_codepoint=255, exclude_categories=("Cs",)), max_size=30)


def csv_bytes(columns: list[str], rows: list[list[str]], delimiter: str = ";") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("iso-8859-1")


def csv_rows(columns: list[str]) -> st.SearchStrategy[list[list[str]]]:
    cell = st.one_of(latin1, st.sampled_from(["Tema", "Controvérsia", "1076", "S", "N", "REsp 1850512"]))
    return st.lists(st.lists(cell, min_size=len(columns) - 2, max_size=len(columns) + 1), max_size=5)


@given(csv_rows(TEMA_COLUMNS), csv_rows(PROCESSO_COLUMNS))
def test_precedentes_parser_survives_odd_rows(temas: list[list[str]], processos: list[list[str]]) -> None:
    result = must_not_crash(
        lambda: parse_precedentes(
            csv_bytes(TEMA_COLUMNS, temas), csv_bytes(PROCESSO_COLUMNS, processos), source_name="temas.csv"
        )
    )
    if result is not None:
        assert all(d.key.startswith("tema:") for d in result.documents)


@given(st.binary(max_size=300), st.one_of(st.none(), st.binary(max_size=300)))
def test_precedentes_parser_survives_any_bytes(temas: bytes, processos: bytes | None) -> None:
    must_not_crash(lambda: parse_precedentes(temas, processos, source_name="temas.csv"))
