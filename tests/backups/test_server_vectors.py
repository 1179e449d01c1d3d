"""Backups with a Qdrant server: collection snapshots downloaded into the backup, verified by an
upload under throw-away names, restored by upload into another (empty) server with the aliases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jurisgraph.backups import service
from jurisgraph.backups.vectors import SNAPSHOT_SUFFIX
from jurisgraph.errors import Conflict
from jurisgraph.integrations.qdrant.server import ServerVectorIndex
from jurisgraph.runtime import Container
from tests.fakes.qdrant_server import QdrantServer
from tests.fixtures.homes import container_at
from tests.fixtures.vectors import SPEC, read_temas, seeded_vectors, tema_points


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[QdrantServer, QdrantServer]]:
    with QdrantServer(tmp_path / "qdrant-a") as a, QdrantServer(tmp_path / "qdrant-b") as b:
        yield a, b


def _hits(index: ServerVectorIndex) -> list[list[str]]:
    return [
        [h.id for h in index.search_dense("chunks", vector, limit=5)] for vector in seeded_vectors(3, seed=99)
    ]


def test_server_round_trip(servers: tuple[QdrantServer, QdrantServer], tmp_path: Path) -> None:
    source_server, target_server = servers
    with container_at(tmp_path / "source", QDRANT_URL=source_server.url) as source:
        index = source.vector_index()
        index.ensure_collection(SPEC)
        index.upsert(SPEC, tema_points(read_temas(30)))
        index.set_alias("chunks", SPEC)
        assert isinstance(index, ServerVectorIndex)
        expected = _hits(index)

        entry = service.create(source, tmp_path / "b")
        assert entry.manifest.vectors.kind == "server"
        assert entry.manifest.vectors.collections == {SPEC.name: 30}
        assert entry.manifest.vectors.aliases == {"chunks": SPEC.name}
        assert (entry.path / "vectors" / f"{SPEC.name}{SNAPSHOT_SUFFIX}").is_file()
        assert service.verify(source, entry.path) == []
        # the scratch collections of verify are gone again
        assert index.list_collections() == [SPEC.name]
        with pytest.raises(Conflict, match="vector store holds collections"):
            _restore(tmp_path / "again", source_server.url, entry.path)

    target = _restore(tmp_path / "target", target_server.url, entry.path)
    try:
        restored = target.vector_index()
        assert isinstance(restored, ServerVectorIndex)
        assert restored.count("chunks") == 30
        assert restored.aliases() == {"chunks": SPEC.name}
        assert _hits(restored) == expected
    finally:
        target.close()


def _restore(home: Path, url: str, folder: Path) -> Container:
    with container_at(home, QDRANT_URL=url) as container:
        service.restore(container, folder)
    with container_at(home, QDRANT_URL=url) as reopened:
        pass
    return Container.build(reopened.settings)
