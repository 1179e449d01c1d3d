"""Re-index the chunks with another embedding model and swap the ``chunks`` alias without downtime.

The new collection (named after the new model signature) is filled beside the live one,
sparse and dense vectors together (dense only for the chunks that get one,
:mod:`jurisgraph.engine.dense_chunks`), batch by batch through the embedding cache; then it is
optimised, checked (queries made of sampled chunk texts must find their own chunk among the
top k), and only then does the alias move, in one atomic step. Searches use the old
collection until that moment; the old collection is kept until it is dropped explicitly.
A re-run after an interruption rewrites the same points (deterministic ids) and finds the
embeddings already cached.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

import structlog

from jurisgraph.engine.embedding import Embedder, ModelSignature
from jurisgraph.engine.vectors import CHUNK_KIND, CollectionSpec, SparseEncoder, VectorIndex, VectorPoint
from jurisgraph.errors import Conflict, InvalidInput
from jurisgraph.kit.retry import RetryPolicy
from jurisgraph.pipeline.context import Progress, no_progress
from jurisgraph.vectors_ops.retry import UPSERT_RETRY, upsert_with_retries
from jurisgraph.vectors_ops.sources import Item

log = structlog.get_logger(__name__)

QUERY_CHARS = 2000
_TARGET = re.compile(r"^(?P<provider>[a-z_-]+):(?P<model>.+?)(?::(?P<dim>\d+))?$")


class ReindexCheckFailed(Conflict):
    """The new collection did not pass its check; the alias was not moved."""

    code = "reindex_check_failed"


@dataclass(frozen=True, slots=True)
class ModelTarget:
    """``provider:model[:dim]`` from the command line."""

    provider: str
    model: str
    dim: int | None = None

    @classmethod
    def parse(cls, text: str) -> ModelTarget:
        """Parse ``local:multilingual-e5-small`` or ``openai:some-model:768`` (a model may hold ``:``)."""
        match = _TARGET.match(text.strip())
        if match is None:
            raise InvalidInput(f"expected PROVIDER:MODEL[:DIM], not {text!r}")
        dim = match["dim"]
        return cls(match["provider"], match["model"], int(dim) if dim else None)

    def __str__(self) -> str:
        return f"{self.provider}:{self.model}" + (f":{self.dim}" if self.dim else "")


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Self-hit rate of the sampled chunk-text queries."""

    queries: int
    self_hit: float
    misses: list[str]


@dataclass(frozen=True, slots=True)
class ReindexReport:
    """What a re-index did (or, for a dry run, would do)."""

    target: str
    old_collection: str | None
    new_collection: str
    source: str
    planned: int
    written: int = 0
    skipped: int = 0
    check: CheckResult | None = None
    swapped: bool = False
    dry_run: bool = False
    config_matches: bool = True


def new_spec(signature: ModelSignature, kind: str = CHUNK_KIND) -> CollectionSpec:
    """The collection of ``kind`` for a model signature (the index stage's naming)."""
    return CollectionSpec(kind=kind, model=signature.slug, dim=signature.dim)


def write_points(
    index: VectorIndex,
    spec: CollectionSpec,
    pages: Iterator[list[Item]],
    embedder: Embedder,
    encoder: SparseEncoder,
    *,
    total: int,
    sample: int,
    seed: int = 0,
    retry: RetryPolicy = UPSERT_RETRY,
    progress: Progress = no_progress,
) -> tuple[int, int, list[Item]]:
    """Write the sparse vector of every item and the dense vector of those that get one
    (``Item.dense``); returns (written, skipped, a sample of the items with a dense vector)."""
    chooser = random.Random(seed)
    kept: list[Item] = []
    written = skipped = seen = 0
    for page in pages:
        items = [item for item in page if item.text.strip()]
        skipped += len(page) - len(items)
        if not items:
            continue
        missing = [i for i, item in enumerate(items) if item.sparse is None]
        encoded = dict(zip(missing, encoder.encode_documents([items[i].text for i in missing]), strict=True))
        wanted = [i for i, item in enumerate(items) if item.dense]
        texts = [items[i].text for i in wanted]
        dense = dict(zip(wanted, embedder.embed_documents(texts), strict=True)) if wanted else {}
        points = [
            VectorPoint(
                id=item.id, dense=dense.get(i), sparse=encoded.get(i, item.sparse), payload=item.payload
            )
            for i, item in enumerate(items)
        ]
        written += upsert_with_retries(index, spec, points, retry)
        for item in (items[i] for i in wanted):  # reservoir sample of the dense items, for the check
            seen += 1
            if len(kept) < sample:
                kept.append(item)
            elif (slot := chooser.randrange(seen)) < sample:
                kept[slot] = item
        progress("reindex", written + skipped, total or None, spec.name)
    return written, skipped, kept


def check(
    index: VectorIndex,
    spec: CollectionSpec,
    embedder: Embedder,
    items: list[Item],
    *,
    k: int,
    progress: Progress = no_progress,
) -> CheckResult:
    """Embed each sampled item's text as a query; its own point must be among the top ``k`` dense hits."""
    misses: list[str] = []
    for done, item in enumerate(items, start=1):
        hits = index.search_dense(spec, embedder.embed_query(item.text[:QUERY_CHARS]), limit=k)
        if all(hit.id != item.id for hit in hits):
            misses.append(item.id)
        progress("check", done, len(items), spec.name)
    rate = 1.0 - len(misses) / len(items) if items else 1.0
    return CheckResult(len(items), rate, misses)


def cut_over(
    index: VectorIndex,
    spec: CollectionSpec,
    embedder: Embedder,
    sample: list[Item],
    *,
    k: int,
    min_self_hit: float,
    progress: Progress = no_progress,
) -> CheckResult:
    """Optimise, check, then point the alias of ``spec.kind`` at ``spec`` (ReindexCheckFailed: no swap)."""
    index.optimize(spec)
    result = check(index, spec, embedder, sample, k=k, progress=progress)
    if result.self_hit < min_self_hit:
        raise ReindexCheckFailed(
            f"{spec.name}: only {result.self_hit:.0%} of {result.queries} chunk-text queries found their "
            f"own chunk in the top {k} (need {min_self_hit:.0%}); the alias {spec.alias!r} was not moved"
        )
    index.set_alias(spec.alias, spec)
    log.info("vectors_alias_swapped", alias=spec.alias, collection=spec.name, self_hit=result.self_hit)
    return result
