"""Legal-text normalisation and the BM25 encoder, on identifiers taken from the real data."""

from __future__ import annotations

import re

from jurisgraph.integrations.qdrant.sparse import Bm25Encoder, normalize_legal_text
from tests.fixtures.paths import SHARED_DATA as DATA


def test_grouped_numbers_lose_their_dots_and_decimals_stay() -> None:
    assert normalize_legal_text("REsp 1.465.535/SP").startswith("REsp 1465535 SP")
    assert normalize_legal_text("Lei 8.213/1991").startswith("Lei 8213 1991")
    assert "1.5" in normalize_legal_text("fator 1.5")
    assert normalize_legal_text("R$ 1.500,00").startswith("R$ 1500,00")


def test_documents_keep_labels_and_queries_ask_for_compounds() -> None:
    assert normalize_legal_text("Súmula 7/STJ") == "Súmula 7 STJ sumula7"
    assert normalize_legal_text("Súmula 7/STJ", query=True) == "7 sumula7 STJ"
    assert normalize_legal_text("TEMA(s) 1076", query=True) == "1076 tema1076"


def test_processos_csv_numbers_match_when_typed_with_dots() -> None:
    raw = (DATA / "precedentes" / "processos.csv").read_bytes().decode("iso-8859-1")
    numbers = sorted(set(re.findall(r'"REsp (\d{7})"', raw)))
    assert len(numbers) > 100, "processos.csv holds REsp numbers in its Processo column"
    encoder = Bm25Encoder()
    for number in numbers[:: len(numbers) // 40]:
        dotted = f"{number[0]}.{number[1:4]}.{number[4:]}"
        doc = set(encoder.encode_documents([f"REsp {number}"])[0].indices)
        query = set(encoder.encode_query(f"REsp {dotted}/SP").indices)
        assert len(query & doc) == 2, (number, dotted)  # the number and the compound term


def test_encoder_is_deterministic_and_named() -> None:
    a, b = Bm25Encoder(), Bm25Encoder()
    text = "Definição do alcance da norma inserta no § 8º do artigo 85 do Código de Processo Civil"
    assert a.encode_documents([text]) == b.encode_documents([text])
    assert a.name == b.name and a.name != Bm25Encoder(avg_len=300).name
    assert len(a.encode_query("")) == 0
