"""Sparse retrieval over real STJ texts: a query naming a legal identifier finds the record carrying it.

Documents write identifiers one way ("Tema 1076", "REsp 1465535", "1.465.535/SP", "Súmula
7/STJ") and queries another ("Tema 1.076", "REsp 1.465.535/SP", "súmula 7 do STJ"). Which records
carry an identifier is decided here by a plain regular expression over the raw text, not by
the encoder under test. Dense vectors are random: no embedding model is involved.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from jurisgraph.engine.vectors import CollectionSpec, VectorIndex, VectorPoint
from jurisgraph.integrations.qdrant.edge import EdgeVectorIndex
from jurisgraph.integrations.qdrant.server import ServerVectorIndex
from jurisgraph.integrations.qdrant.sparse import Bm25Encoder
from jurisgraph.kit.retry import RetryPolicy

from .conftest import open_http

SPEC = CollectionSpec("chunks", "random-test-vectors", 8)

CASES = [
    ("Tema 1.076", r"\btema\S*\s+1\.?076\b"),
    ("tema 1076", r"\btema\S*\s+1\.?076\b"),
    ("Súmula 7/STJ", r"s[úu]mula\s+(n\.\s*)?7\s*(/|do)\s*STJ"),
    ("súmula n. 7 do STJ", r"s[úu]mula\s+(n\.\s*)?7\s*(/|do)\s*STJ"),
    ("REsp 1.465.535/SP", r"\b1\.?465\.?535\b"),
    ("REsp 1465535", r"\b1\.?465\.?535\b"),
    ("REsp 1.850.512/SP", r"\b1\.?850\.?512\b"),
    ("Tema 1.022", r"\btema\S*\s+1\.?022\b"),
]


@pytest.fixture(scope="module")
def corpus(temas_repetitivos: list[dict[str, Any]], espelhos: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return temas_repetitivos + espelhos


@pytest.fixture(scope="module", params=["edge", "local", "http"])
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, corpus: list[dict[str, Any]]
) -> Iterator[VectorIndex]:
    """The whole corpus in one adapter, loaded once per module (server: local in-memory mode, or HTTP)."""
    index: VectorIndex
    if request.param == "edge":
        index = EdgeVectorIndex(tmp_path_factory.mktemp("edge"))
    elif request.param == "http":
        index = open_http(tmp_path_factory.mktemp("http"))
    else:
        index = ServerVectorIndex(path=":memory:", retry=RetryPolicy(max_retries=0))
    vectors = Bm25Encoder().encode_documents([r["text"] for r in corpus])
    rng = np.random.default_rng(7)
    index.ensure_collection(SPEC)
    points = [
        VectorPoint(r["id"], rng.standard_normal(SPEC.dim), sparse, {"text": r["text"]})
        for r, sparse in zip(corpus, vectors, strict=True)
    ]
    assert index.upsert(SPEC, points) == len(corpus)
    yield index
    index.close()


@pytest.mark.parametrize(("query", "carrier"), CASES)
def test_identifier_query_ranks_a_carrier_first(
    loaded: VectorIndex, corpus: list[dict[str, Any]], query: str, carrier: str
) -> None:
    carriers = {r["id"] for r in corpus if re.search(carrier, r["text"], re.IGNORECASE)}
    assert carriers, f"the data no longer holds {query!r}"
    hits = loaded.search_sparse(SPEC, Bm25Encoder().encode_query(query), limit=len(carriers))
    assert hits[0].id in carriers
    assert {h.id for h in hits} == carriers


def test_identifier_spellings_meet(temas_repetitivos: list[dict[str, Any]]) -> None:
    encoder = Bm25Encoder()
    pairs = [
        ("Tema 1.076", "tema 1076"),
        ("Súmula 7/STJ", "sumula 7 do STJ"),
        ("REsp 1.465.535/SP", "resp 1465535 sp"),
        ("art. 85, § 8º, do CPC/2015", "artigo 85 parágrafo 8 CPC 2015"),
    ]
    for written, typed in pairs:
        assert set(encoder.encode_query(written).indices) == set(encoder.encode_query(typed).indices)
    tema_1076 = next(t for t in temas_repetitivos if t["id"] == "tema:1076")
    doc_terms = set(encoder.encode_documents([tema_1076["text"]])[0].indices)
    assert set(encoder.encode_query("Tema 1.076").indices) <= doc_terms
    assert set(encoder.encode_query("artigo 85 do CPC").indices) <= doc_terms
