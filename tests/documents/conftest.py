"""Uploads on a private copy of the bundled sample, served by the real app with in-process jobs.

Documents are embedded by :class:`PseudoEmbedder` (deterministic vectors from the text's hash, no
model load), so processing reaches ``embedded`` in well under a second for a brief.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pytest
from fastapi.testclient import TestClient

from jurisgraph.app import create_app
from jurisgraph.engine.embedding import Matrix
from tests.fixtures.sample import QueryEmbedder, Sample


class PseudoEmbedder(QueryEmbedder):
    """Query vectors as the sample's, and document vectors made the same way."""

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        return np.stack([self.embed_query(text) for text in texts]) if texts else np.zeros((0, 1))


@pytest.fixture
def docs(own_sample: Sample) -> Sample:
    """A private copy of the sample whose embedder also embeds documents."""
    signature = own_sample.container.embedder().signature
    own_sample.container.provide(embedder=PseudoEmbedder(signature))
    return own_sample


@pytest.fixture
def docs_api(docs: Sample) -> Iterator[TestClient]:
    """The real app serving the private copy's container."""
    app = create_app(docs.settings)
    with TestClient(app) as client:
        own = app.state.container
        app.state.container = docs.container
        try:
            yield client
        finally:
            app.state.container = own
