"""The embedding cache in the database (``embedding_cache``): a text is embedded once per model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from jurisgraph.db import SessionFactory, session_scope
from jurisgraph.engine.embedding import Vector
from jurisgraph.errors import Conflict
from jurisgraph.models import EmbeddingCacheEntry
from jurisgraph.pipeline.repository import vectors as repository


class SqlEmbeddingCache:
    """:class:`~jurisgraph.engine.embedding.EmbeddingCache` over the ``embedding_cache`` table.

    Vectors are stored as raw little-endian float32 bytes; rows already present are kept, so
    concurrent workers can fill the cache without conflicts.
    """

    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    def get_many(self, signature_slug: str, hashes: Sequence[str]) -> dict[str, Vector]:
        """Cached vectors among ``hashes``."""
        found: dict[str, Vector] = {}
        unique = sorted(set(hashes))
        with session_scope(self._sessions) as session:
            rows = repository.cached_vectors(session, signature_slug, unique)
        for content_hash, blob in rows:
            found[content_hash] = np.frombuffer(blob, dtype="<f4").copy()
        return found

    def put_many(self, signature_slug: str, vectors: Mapping[str, Vector]) -> None:
        """Store vectors not cached yet."""
        if not vectors:
            return
        present = set(self.get_many(signature_slug, list(vectors)))
        rows = [
            EmbeddingCacheEntry(
                signature=signature_slug, content_hash=key, vector=np.asarray(vec, dtype="<f4").tobytes()
            )
            for key, vec in vectors.items()
            if key not in present
        ]
        if not rows:
            return
        try:
            with session_scope(self._sessions) as session:
                repository.add_cached_vectors(session, rows)
        except Conflict:
            # another worker stored some of them first: merge row by row
            with session_scope(self._sessions) as session:
                repository.merge_cached_vectors(session, rows)
