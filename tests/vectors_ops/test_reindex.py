"""Re-index to another embedding model (the fake OpenAI-compatible server) and swap the alias.

Each test runs on the embedded vector store and on a Qdrant server (the Qdrant-protocol test
server, through ``QDRANT_URL``), where the alias swap is one ``update_collection_aliases`` call.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jurisgraph.db import session_scope
from jurisgraph.engine.embedding import content_hash
from jurisgraph.errors import ConfigError, Conflict, InvalidInput
from jurisgraph.integrations.qdrant.server import ServerVectorIndex
from jurisgraph.models import Chunk, Document, EmbeddingCacheEntry
from jurisgraph.pipeline.stages.index import chunk_text_for_embedding
from jurisgraph.runtime import Container
from jurisgraph.search import service as search
from jurisgraph.vectors_ops import service
from jurisgraph.vectors_ops.reindex import ModelTarget, ReindexCheckFailed
from jurisgraph.workspaces.service import ensure_public_workspace
from tests.fakes.openai_server import EMBEDDINGS, FakeOpenAIServer, embedding_reply
from tests.fakes.protocol_server import Recorded, pseudo_vector
from tests.fakes.qdrant_server import QdrantServer
from tests.fixtures.homes import container_at
from tests.fixtures.vectors import SPEC, Tema, read_temas

DIM = 64
NEW = "openai:fake-embed:64"
OLD = "openai:old-embed:64"
NEW_NAME = "chunks__openai-fake-embed-64__64"
OLD_NAME = "chunks__openai-old-embed-64__64"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(dim=DIM) as fake:
        yield fake


@pytest.fixture(scope="module")
def few_temas() -> list[Tema]:
    return read_temas(120)


@pytest.fixture(params=["embedded", "qdrant-server"])
def configured(request: pytest.FixtureRequest, home: Path, server: FakeOpenAIServer) -> Iterator[Container]:
    """A container whose configured embedder is the fake server's ``fake-embed`` (64-d)."""
    with ExitStack() as stack:
        vectors: dict[str, str] = {}
        if request.param == "qdrant-server":
            vectors["QDRANT_URL"] = stack.enter_context(QdrantServer(home / "qdrant-server")).url
        built = stack.enter_context(
            container_at(
                home,
                JURISGRAPH_EMBEDDING_PROVIDER="openai",
                JURISGRAPH_EMBEDDING_MODEL="fake-embed",
                JURISGRAPH_EMBEDDING_DIM=str(DIM),
                JURISGRAPH_EMBEDDING_BASE_URL=server.base_url,
                OPENAI_API_KEY=server.api_key,
                **vectors,
            )
        )
        assert isinstance(built.vector_index(), ServerVectorIndex) == bool(vectors)
        yield built


def add_chunks(container: Container, temas: list[Tema]) -> dict[str, Tema]:
    """One document and one chunk per tema in the public workspace; returns chunk id → tema."""
    ids: dict[str, Tema] = {}
    with session_scope(container.sessions) as session:
        workspace = ensure_public_workspace(session)
        for tema in temas:
            doc = Document(
                workspace_id=workspace,
                key=f"tema:{tema.numero}",
                kind="tema",
                title=tema.title,
                text_content=tema.tese,
                content_hash=content_hash(tema.tese),
                orgao_julgador=tema.orgao,
                metadata_={"temas": [int(tema.numero)]},
            )
            session.add(doc)
            session.flush()
            chunk_id = hashlib.sha1(f"{doc.key}:0".encode()).hexdigest()
            session.add(
                Chunk(
                    id=chunk_id,
                    workspace_id=workspace,
                    document_id=doc.id,
                    idx=0,
                    start=0,
                    end=len(tema.tese),
                    text=tema.tese,
                    content_hash=content_hash(tema.tese),
                )
            )
            ids[chunk_id] = tema
    return ids


def test_target_parsing() -> None:
    assert ModelTarget.parse("local:multilingual-e5-small") == ModelTarget("local", "multilingual-e5-small")
    assert ModelTarget.parse("openai:some-model:768") == ModelTarget("openai", "some-model", 768)
    assert ModelTarget.parse("openai:nomic-embed-text:latest:768").model == "nomic-embed-text:latest"
    with pytest.raises(InvalidInput):
        ModelTarget.parse("multilingual-e5-small")


def test_a_model_other_than_the_configured_one_is_refused_unless_dry_run(
    configured: Container, few_temas: list[Tema]
) -> None:
    add_chunks(configured, few_temas)
    with pytest.raises(ConfigError, match="JURISGRAPH_EMBEDDING_MODEL=old-embed"):
        service.reindex(configured, OLD)
    plan = service.reindex(configured, OLD, dry_run=True)
    assert (plan.new_collection, plan.planned, plan.source) == (OLD_NAME, len(few_temas), "db")
    assert not plan.config_matches and plan.written == 0
    assert configured.vector_index().list_collections() == []


def test_reindex_builds_a_new_collection_and_swaps_the_alias(
    configured: Container, few_temas: list[Tema], server: FakeOpenAIServer
) -> None:
    chunks = add_chunks(configured, few_temas)
    index = configured.vector_index()
    first = service.reindex(configured, OLD, force_config_mismatch=True)
    assert (first.old_collection, first.new_collection, first.written) == (None, OLD_NAME, len(few_temas))
    assert index.resolve_alias("chunks") == OLD_NAME

    seen_alias: list[str | None] = []

    def progress(stage: str, done: int, total: int | None, message: str) -> None:
        if stage == "reindex":  # searches during the build still go to the old collection
            seen_alias.append(index.resolve_alias("chunks"))
            assert index.search_sparse("chunks", configured.sparse_encoder().encode_query("tributo"), limit=1)

    report = service.reindex(configured, NEW, batch=50, progress=progress)
    assert seen_alias == [OLD_NAME] * 3
    assert (report.old_collection, report.new_collection, report.swapped) == (OLD_NAME, NEW_NAME, True)
    assert report.written == len(few_temas) and report.check is not None and report.check.self_hit == 1.0
    assert index.resolve_alias("chunks") == NEW_NAME
    assert index.count(NEW_NAME) == len(few_temas)

    rows = {r.name: r for r in service.stats(configured.vector_index())}
    assert set(rows) == {OLD_NAME, NEW_NAME}
    assert rows[NEW_NAME].live and rows[NEW_NAME].points == len(few_temas) and rows[NEW_NAME].dim == DIM
    assert not rows[OLD_NAME].live and rows[OLD_NAME].points == len(few_temas)

    chunk_id, tema = min(chunks.items(), key=lambda item: len(item[1].tese))
    point = index.retrieve(NEW_NAME, [chunk_id], with_vectors=True)[0]
    assert point.payload["text"] == tema.tese and point.payload["title"] == tema.title
    assert point.sparse is not None and len(point.sparse) > 0
    with session_scope(configured.sessions) as session:
        workspace = ensure_public_workspace(session)
        cached = session.scalar(
            select(func.count())
            .select_from(EmbeddingCacheEntry)
            .where(EmbeddingCacheEntry.signature == "openai_fake_embed_64")
        )
    assert cached == len(few_temas)
    # the fake embeds a text as a hash-seeded vector, so the exact embedded text finds its chunk
    query = chunk_text_for_embedding(tema.title, tema.tese)
    passages = search.search(configured.retrieval(), query, [workspace], k=3)
    assert passages[0].chunk_id == chunk_id and passages[0].title == tema.title

    with pytest.raises(InvalidInput, match="already the live"):
        service.reindex(configured, NEW)
    with pytest.raises(Conflict):
        service.drop(configured, NEW_NAME)
    service.drop(configured, OLD_NAME)
    assert index.list_collections() == [NEW_NAME]


def test_a_failed_check_leaves_the_alias_alone(
    configured: Container, few_temas: list[Tema], server: FakeOpenAIServer
) -> None:
    add_chunks(configured, few_temas)
    service.reindex(configured, OLD, force_config_mismatch=True)

    def scramble(request: Recorded) -> object:  # query vectors unrelated to the stored ones
        texts = FakeOpenAIServer.inputs(request)
        return embedding_reply([pseudo_vector("scrambled " + t, DIM) for t in texts], "fake")

    def progress(stage: str, done: int, total: int | None, message: str) -> None:
        if stage == "reindex" and done == total:
            server.script_times(EMBEDDINGS, 20, scramble)  # type: ignore[arg-type]

    try:
        with pytest.raises(ReindexCheckFailed, match="alias 'chunks' was not moved"):
            service.reindex(configured, NEW, progress=progress)
    finally:
        server.reset()
    index = configured.vector_index()
    assert index.resolve_alias("chunks") == OLD_NAME
    assert NEW_NAME in index.list_collections()


def test_reindex_from_the_live_collection_when_the_database_has_no_chunks(
    configured: Container, temas: list[Tema]
) -> None:
    from tests.fixtures.vectors import tema_points

    index = configured.vector_index()
    index.ensure_collection(SPEC)
    points = tema_points(temas[:80])
    index.upsert(SPEC, points)
    index.set_alias("chunks", SPEC)
    report = service.reindex(configured, NEW)
    assert report.source == "live" and report.written == 80 and report.swapped
    moved = {p.id: p for p in index.scroll(NEW_NAME)}
    assert {p.id for p in points} == set(moved)
    for original in points[:5]:
        copy = moved[original.id]
        assert copy.sparse == original.sparse and dict(copy.payload) == dict(original.payload)
        expected = chunk_text_for_embedding(original.payload["title"], original.payload["text"])
        hits = index.search_dense(NEW_NAME, pseudo_vector(expected, DIM), limit=1)
        assert hits[0].id == original.id


def add_integras(container: Container, count: int) -> dict[str, str]:
    """``count`` íntegras without their full text (one line of structured fields each), one chunk
    each; returns chunk id → the text the index would embed."""
    texts: dict[str, str] = {}
    with session_scope(container.sessions) as session:
        workspace = ensure_public_workspace(session)
        for n in range(count):
            title = f"REsp {2005877 + n} — DECISÃO — NANCY ANDRIGHI"
            line = f"Decisão no REsp {2005877 + n}, publicada em 01/09/2022. Ministro: NANCY ANDRIGHI."
            doc = Document(
                workspace_id=workspace,
                key=f"integra:{163410022 + n}",
                kind="integra",
                title=title,
                text_content=line,
                content_hash=content_hash(line),
                metadata_={"tipo": "DECISÃO", "temas": [], "full_text": False},
            )
            session.add(doc)
            session.flush()
            chunk_id = hashlib.sha1(f"{doc.key}:0".encode()).hexdigest()
            session.add(
                Chunk(
                    id=chunk_id,
                    workspace_id=workspace,
                    document_id=doc.id,
                    idx=0,
                    start=0,
                    end=len(line),
                    text=line,
                    content_hash=content_hash(line),
                )
            )
            texts[chunk_id] = chunk_text_for_embedding(title, line)
    return texts


def test_reindex_gives_integras_without_full_text_no_dense_vector(
    configured: Container, few_temas: list[Tema], server: FakeOpenAIServer
) -> None:
    temas = add_chunks(configured, few_temas[:40])
    integras = add_integras(configured, 30)
    server.reset()
    report = service.reindex(configured, OLD, force_config_mismatch=True, sample=60)
    assert report.written == len(temas) + len(integras) and report.swapped
    # the check samples only points with a dense vector: every one finds itself
    assert report.check is not None and report.check.queries == len(temas) and report.check.self_hit == 1.0
    points = {p.id: p for p in configured.vector_index().scroll(OLD_NAME)}
    assert {i for i, p in points.items() if p.dense is not None} == set(temas)
    assert all(points[i].sparse for i in integras)
    sent = {text for request in server.requests(EMBEDDINGS) for text in FakeOpenAIServer.inputs(request)}
    assert not sent & set(integras.values())
    # from the live collection the rule is read off the stored points: no dense vector, none again
    assert service.reindex(configured, NEW, source="live").swapped
    moved = {p.id: p for p in configured.vector_index().scroll(NEW_NAME)}
    assert {i for i, p in moved.items() if p.dense is not None} == set(temas)
