"""A resource's records turned into document, chunk and mention rows, before any database write.

Reading and parsing the file, deduplicating records, hashing them, chunking, extracting and
turning extractions into mention rows are pure CPU work: :func:`prepare_job` yields them as
messages (``Parsed``, then ``Batch`` after ``Batch``, then ``Done``; or a single ``Failed``)
so that the caller can write one batch while the next is being prepared, in another process
when it wants (see :mod:`jurisgraph.pipeline.helper_runner`). Rows are plain tuples with JSON
columns already encoded, which is cheap to pass between processes and to hand to the driver.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jurisgraph.engine.chunking import chunk_text
from jurisgraph.engine.extract import extract_document
from jurisgraph.engine.stj import FileError, Skip, dedupe_documents, parse_resource
from jurisgraph.engine.types import SourceDocument
from jurisgraph.errors import JurisgraphError
from jurisgraph.pipeline.provenance import chunk_id, mention_rows

#: Bump when chunking or extraction changes: stored documents are then re-processed.
PROCESSING_VERSION = "1"
#: Documents per ``Batch`` message.
BATCH_DOCUMENTS = 250

#: ``documents`` columns a :class:`PreparedDocument` fills, in the order of its ``values``
#: (``metadata`` is JSON text). The writer adds workspace, resource, status and timestamps.
DOCUMENT_FIELDS = (
    "key",
    "kind",
    "title",
    "text_content",
    "content_hash",
    "processo",
    "classe",
    "numero_registro",
    "relator",
    "orgao_julgador",
    "data_decisao",
    "data_publicacao",
    "source_url",
    "metadata",
    "chunk_count",
    "entity_count",
)
#: ``chunks`` columns of a prepared chunk row (the writer adds workspace and document).
CHUNK_FIELDS = ("id", "idx", "start", "end", "text", "content_hash")


@dataclass(frozen=True, slots=True)
class PrepareJob:
    """One resource to prepare: where its bytes are and how to chunk them."""

    row_id: int
    kind: str
    path: str
    companion_path: str | None
    name: str
    url: str | None
    workspace_id: int
    chunk_size: int
    chunk_overlap: int
    processing_version: str = PROCESSING_VERSION


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    """A document's rows, ready to insert: ``values`` in :data:`DOCUMENT_FIELDS` order, chunks in
    :data:`CHUNK_FIELDS` order, mentions in :data:`~jurisgraph.pipeline.provenance.MENTION_FIELDS`
    order."""

    key: str
    content_hash: str
    values: tuple[Any, ...]
    chunks: list[tuple[Any, ...]]
    mentions: list[tuple[Any, ...]]
    entities: int
    relations: int
    dropped_relations: int


@dataclass(frozen=True, slots=True)
class Parsed:
    """The resource's file was read: every document's content hash, and what was left out."""

    row_id: int
    hashes: dict[str, str]
    skipped: list[Skip] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Batch:
    """Consecutive prepared documents of the resource."""

    row_id: int
    documents: list[PreparedDocument]


@dataclass(frozen=True, slots=True)
class Done:
    """No more batches for the resource."""

    row_id: int


@dataclass(frozen=True, slots=True)
class Failed:
    """The resource's file could not be read at all (nothing else follows for it)."""

    row_id: int
    message: str


Message = Parsed | Batch | Done | Failed


def content_hash(doc: SourceDocument, version: str = PROCESSING_VERSION) -> str:
    """Hash of everything that determines a document's chunks and graph contribution."""
    payload = json.dumps(
        [version, doc.kind, doc.title, doc.text, doc.fields, repr(doc.meta)],
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def prepare_jobs(jobs: Sequence[PrepareJob]) -> Iterator[Message]:
    """The messages of every job, in order."""
    for job in jobs:
        yield from prepare_job(job)


def prepare_job(job: PrepareJob) -> Iterator[Message]:
    """Read, parse and prepare one resource: ``Parsed``, ``Batch``…, ``Done`` (or ``Failed``).

    A file that cannot be read or parsed at all gives ``Failed`` with the reason; a record
    that cannot be parsed is in ``Parsed.skipped`` and never stops the resource.
    """
    try:
        data = Path(job.path).read_bytes()
        companion = Path(job.companion_path).read_bytes() if job.companion_path else None
        result = parse_resource(job.kind, data, source_name=job.name, source_url=job.url, companion=companion)
    except OSError as exc:
        yield Failed(job.row_id, f"cannot read {job.path}: {exc}")
        return
    except JurisgraphError as exc:
        yield Failed(job.row_id, exc.message)
        return
    documents = dedupe_documents(result.documents)
    hashes = {doc.key: content_hash(doc, job.processing_version) for doc in documents}
    yield Parsed(job.row_id, hashes, list(result.skipped), list(result.errors))
    for start in range(0, len(documents), BATCH_DOCUMENTS):
        part = documents[start : start + BATCH_DOCUMENTS]
        yield Batch(job.row_id, [prepare_document(doc, hashes[doc.key], job) for doc in part])
    yield Done(job.row_id)


def prepare_document(doc: SourceDocument, chash: str, job: PrepareJob) -> PreparedDocument:
    """Chunk and extract one document of a resource into its rows."""
    return prepare_source(
        doc, chash, workspace_id=job.workspace_id, chunk_size=job.chunk_size, chunk_overlap=job.chunk_overlap
    )


def prepare_source(
    doc: SourceDocument, chash: str, *, workspace_id: int, chunk_size: int, chunk_overlap: int
) -> PreparedDocument:
    """Chunk and extract one document (of a resource or uploaded) into its rows."""
    chunks = chunk_text(doc.key, doc.text, size=chunk_size, overlap=chunk_overlap)
    ids = [chunk_id(workspace_id, doc.key, c) for c in chunks]
    chunk_rows = [
        (cid, c.index, c.start, c.end, c.text, hashlib.sha256(c.text.encode("utf-8")).hexdigest())
        for cid, c in zip(ids, chunks, strict=True)
    ]
    extraction = extract_document(doc)
    mentions, dropped = mention_rows(extraction, chunk_ids=ids, chunks=chunks)
    entities = len({e.key for e in extraction.entities})
    return PreparedDocument(
        key=doc.key,
        content_hash=chash,
        values=_document_values(doc, chash, len(chunks), entities),
        chunks=chunk_rows,
        mentions=mentions,
        entities=entities,
        relations=len(extraction.relations) - dropped,
        dropped_relations=dropped,
    )


def _document_values(doc: SourceDocument, chash: str, chunk_count: int, entities: int) -> tuple[Any, ...]:
    meta = doc.meta
    metadata = {"tipo": meta.tipo, "temas": list(meta.temas), **dict(meta.extra)}
    return (
        doc.key,
        doc.kind,
        doc.title[:512],
        doc.text,
        chash,
        (meta.processo or None) and meta.processo[:191],
        (meta.classe or None) and meta.classe[:128],
        meta.numero_registro,
        (meta.relator or None) and meta.relator[:191],
        (meta.orgao_julgador or None) and meta.orgao_julgador[:64],
        meta.data_decisao,
        meta.data_publicacao,
        meta.source_url,
        json.dumps(metadata, default=str),
        chunk_count,
        entities,
    )
