"""The pipeline's SQL, by area: catalogue (datasets, resources), documents (with chunks and
mentions), graph (nodes, edges, entity summaries), communities, vectors (index bookkeeping and
the embedding cache) and logs; the jobs table has its own repository in :mod:`jurisgraph.jobs`.

Every function works inside the caller's session; the stages, the job runner and the action
log open and commit their own transactions.
"""

from __future__ import annotations

from jurisgraph.db import in_batches

__all__ = ["in_batches"]
